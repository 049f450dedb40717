# Any Python started inside a lab run (the learner's script, or a Python it launches) gets the
# network guard before anything else runs.
import _trainer_guard

_trainer_guard.install()
