"""The command line: the only part of platctl that prints, prompts or exits."""
