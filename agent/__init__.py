"""The model, the solving flow and the command line. Depends on `problems` and `sandbox`."""

__version__ = "0.1.0"
