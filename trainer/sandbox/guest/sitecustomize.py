# Any Python started inside a lab run (the learner's script, or a Python it launches) gets the
# network guard before anything else runs.
import logging

import _trainer_guard

_trainer_guard.install()

# The SageMaker SDK v2 sets up INFO logging of its own on import ("sagemaker.config INFO - ...");
# that is noise in a lab's output. Only its loggers are quietened: a learner's own logging
# configuration still works.
for _name in ("sagemaker", "sagemaker.config"):
    logging.getLogger(_name).setLevel(logging.WARNING)
