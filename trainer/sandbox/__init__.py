"""The simulated AWS and the child process that runs learner code."""

from trainer.sandbox.runner import DEFAULT_TIMEOUT, LearnerProcess, RunResult, run_learner_code
from trainer.sandbox.server import ACCOUNT_ID, Sandbox

__all__ = [
    "ACCOUNT_ID",
    "DEFAULT_TIMEOUT",
    "LearnerProcess",
    "RunResult",
    "Sandbox",
    "run_learner_code",
]
