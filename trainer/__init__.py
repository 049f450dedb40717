"""trainer: hands-on, offline exam prep for AWS ML security."""

__version__ = "0.1.0"
