"""The desktop interface (PySide6): widgets and models that call the use cases in caseworker.app."""
