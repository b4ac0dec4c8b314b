"""The command line: the GUI by default, sub-commands for headless work."""
