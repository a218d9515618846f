"""Rules of one area; each module is one rule."""
