"""`trainer validate` for labs: lint the content, and with deep=True prove each lab works.

Proof, per lab: setup then the starter must FAIL some check; setup then each reference solution
must PASS every check; the same solution run a second time on that state must still PASS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from trainer.checks import get_primitive
from trainer.labs.engine import check_lab
from trainer.labs.model import Lab, load_lab
from trainer.labs.setup import argument_problems
from trainer.problems import Problem


def lint_labs(
    folders: Iterable[Path], known_ids: set[str] | None = None
) -> tuple[list[Lab], list[Problem]]:
    """Load and lint lab folders. KNOWN_IDS are other labs `needs` may name (e.g. the catalog).

    Returns the labs that loaded without errors and every problem found."""
    labs: list[Lab] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for folder in folders:
        lab, found = load_lab(folder)
        problems += found
        if lab is None:
            continue
        if lab.id in seen:
            problems.append(
                Problem(
                    lab.yaml_path,
                    lab.lines.get("id", 1),
                    f"duplicate lab id {lab.id!r} (also {seen[lab.id]})",
                )
            )
        seen[lab.id] = lab.yaml_path
        problems += _lint_references(lab)
        if not any(p.is_error for p in found):
            labs.append(lab)
    ids = set(seen) | (known_ids or set())
    for lab in labs:
        for need in lab.needs:
            if need == lab.id:
                problems.append(Problem(lab.yaml_path, lab.needs_line, "a lab cannot need itself"))
            elif need not in ids:
                problems.append(
                    Problem(
                        lab.yaml_path,
                        lab.needs_line,
                        f"needs {need!r}, which is not a lab (labs: {', '.join(sorted(ids))})",
                    )
                )
    problems += _cycles(labs)
    return labs, problems


def _lint_references(lab: Lab) -> list[Problem]:
    problems = []
    for step in lab.setup:
        problems += [
            Problem(lab.yaml_path, step.line, m) for m in argument_problems(step.action, step.args)
        ]
    for spec in lab.checks:
        primitive = get_primitive(spec.check)
        if primitive is None:
            problems.append(
                Problem(
                    lab.yaml_path,
                    spec.line,
                    f"check {spec.id}: unknown check primitive {spec.check!r}",
                )
            )
            continue
        problems += [
            Problem(lab.yaml_path, spec.line, f"check {spec.id}: {spec.check}: {m}")
            for m in primitive.argument_problems(spec.args)
        ]
    return problems


def _cycles(labs: list[Lab]) -> list[Problem]:
    by_id = {lab.id: lab for lab in labs}
    problems = []
    for lab in labs:
        stack, seen = list(lab.needs), set()
        while stack:
            need = stack.pop()
            if need == lab.id:
                problems.append(
                    Problem(
                        lab.yaml_path, lab.needs_line, f"lab {lab.id} needs itself through a cycle"
                    )
                )
                break
            if need in seen or need not in by_id:
                continue
            seen.add(need)
            stack += by_id[need].needs
    return problems


def prove_lab(lab: Lab, sandbox, progress: Callable[[str], None] | None = None) -> list[Problem]:  # noqa: ANN001
    """Run the lab's starter and solutions in SANDBOX; every way it fails to teach is a problem."""
    say = progress or (lambda _message: None)
    problems = []
    say(f"{lab.id}: starter")
    report = check_lab(lab, lab.starter, sandbox)
    if report.passed:
        problems.append(
            Problem(
                lab.starter,
                1,
                "the starter already passes every check: a learner has nothing to do",
            )
        )
    for solution in lab.solutions:
        missing = _missing_requirements(solution)
        if missing:
            problems.append(
                Problem(
                    solution,
                    1,
                    f"not proved: it needs {', '.join(missing)}, which is not installed "
                    '(pip install "trainer[sagemaker]")',
                    severity="warning",
                )
            )
            continue
        for attempt, fresh in (("", True), (" run a second time", False)):
            say(f"{lab.id}: {solution.name}{attempt}")
            report = check_lab(lab, solution, sandbox, fresh=fresh)
            failing = [c for c in report.checks if not c.passed]
            if failing:
                detail = "; ".join(f"{c.id}: {c.message}" for c in failing)
                problems.append(
                    Problem(
                        solution,
                        1,
                        f"the solution{attempt} fails {len(failing)} check(s): {detail}",
                    )
                )
            if not report.run.ok:
                tail = (report.run.stderr.strip().splitlines() or [""])[-1]
                problems.append(
                    Problem(
                        solution,
                        1,
                        f"the solution{attempt} did not run cleanly: "
                        f"{report.run.summary(report.timeout)} {tail}".rstrip(),
                    )
                )
            if failing or not report.run.ok:
                break
    return problems


def _missing_requirements(solution: Path) -> list[str]:
    """Modules a solution declares with a `# trainer-requires: NAME` line that are not installed
    (the SageMaker SDK is an optional extra)."""
    import importlib.util

    needed = []
    for line in solution.read_text(encoding="utf-8").splitlines()[:20]:
        if line.startswith("# trainer-requires:"):
            needed += line.split(":", 1)[1].replace(",", " ").split()
    return [name for name in needed if importlib.util.find_spec(name) is None]


def prove_labs(
    labs: list[Lab], *, jobs: int = 1, progress: Callable[[str], None] | None = None
) -> list[Problem]:
    """Prove every lab (see prove_lab), on JOBS processes at once, each with its own sandbox
    (moto's state is global to a process). Problems come back in the order of LABS."""
    if jobs <= 1 or len(labs) <= 1:
        from trainer.sandbox import Sandbox

        with Sandbox() as sandbox:
            return [p for lab in labs for p in prove_lab(lab, sandbox, progress)]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # The slowest labs (those with a longer time limit train with the SageMaker SDK) go first,
    # so the processes finish together.
    order = sorted(range(len(labs)), key=lambda i: -(labs[i].timeout or 0))
    context = multiprocessing.get_context("spawn")  # no forking a process that runs threads
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        futures = {i: pool.submit(_prove_in_worker, labs[i].folder) for i in order}
        return [p for i in range(len(labs)) for p in futures[i].result()]


_worker_sandbox = None


def _prove_in_worker(folder: Path) -> list[Problem]:
    import sys

    from trainer.sandbox import Sandbox

    global _worker_sandbox
    if _worker_sandbox is None:
        _worker_sandbox = Sandbox().start()
    lab, problems = load_lab(folder)
    if lab is None:
        return problems
    return prove_lab(lab, _worker_sandbox, lambda m: print(m, file=sys.stderr, flush=True))
