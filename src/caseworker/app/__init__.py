"""Use cases shared by the GUI and the command line; they take and return plain dataclasses."""
