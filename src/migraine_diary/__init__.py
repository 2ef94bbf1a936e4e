"""migraine-diary: a personal migraine treatment diary for the command line."""

__version__ = "0.1.0"
