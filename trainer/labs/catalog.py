"""The lab catalog: every lab folder under <content>/labs, loaded once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from trainer.errors import UsageError
from trainer.labs.model import Lab, load_lab
from trainer.paths import content_dir
from trainer.problems import Problem


@dataclass
class Catalog:
    labs: dict[str, Lab]  # in catalog order: by `order`, each lab after the labs it needs
    problems: list[Problem] = field(default_factory=list)
    root: Path | None = None

    def get(self, lab_id: str) -> Lab:
        """The lab with this id; a UsageError listing the valid ids otherwise."""
        lab = self.labs.get(lab_id)
        if lab is None:
            valid = ", ".join(self.labs) or "none"
            raise UsageError(f"no lab {lab_id!r}; labs: {valid}")
        return lab

    def next_lab(self, passed: set[str]) -> Lab | None:
        """The first unpassed lab whose needs are all passed, else the first unpassed lab."""
        open_labs = [lab for lab in self.labs.values() if lab.id not in passed]
        ready = [lab for lab in open_labs if set(lab.needs) <= passed]
        return (ready or open_labs or [None])[0]


def load_catalog(root: Path | None = None) -> Catalog:
    """Load every lab under ROOT/labs (default: the content folder). A broken lab is left out and
    its problems recorded; it never stops the others from loading."""
    root = root or content_dir()
    labs_dir = root / "labs"
    labs: dict[str, Lab] = {}
    problems: list[Problem] = []
    if labs_dir.is_dir():
        for folder in sorted(p for p in labs_dir.iterdir() if (p / "lab.yaml").is_file()):
            lab, lab_problems = load_lab(folder)
            problems += lab_problems
            if lab is not None and not any(p.is_error for p in lab_problems):
                labs[lab.id] = lab
    return Catalog(_in_needs_order(labs), problems, root)


def _in_needs_order(labs: dict[str, Lab]) -> dict[str, Lab]:
    """Order labs so each comes after the labs it needs (stable by id otherwise)."""
    ordered: dict[str, Lab] = {}
    visiting: set[str] = set()

    def visit(lab: Lab) -> None:
        if lab.id in ordered or lab.id in visiting:
            return
        visiting.add(lab.id)
        for need in lab.needs:
            if need in labs:
                visit(labs[need])
        ordered[lab.id] = lab

    for lab in sorted(labs.values(), key=lambda lab: (lab.order, lab.id)):
        visit(lab)
    return ordered
