"""platctl: the golden-path CLI for platform teams."""

__version__ = "0.1.0"
