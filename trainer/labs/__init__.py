"""Labs: loading lab content, running setup and checks."""

from trainer.labs.catalog import Catalog, load_catalog
from trainer.labs.engine import LabReport, check_lab
from trainer.labs.model import Lab

__all__ = ["Catalog", "Lab", "LabReport", "check_lab", "load_catalog"]
