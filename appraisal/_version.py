"""The package version, on the lowest floor so any module may name it."""

__version__ = "0.1.0"
