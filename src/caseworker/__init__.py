"""Caseworker: offline-first statistics and service directory for women's counselling centres."""

__version__ = "0.1.0"
