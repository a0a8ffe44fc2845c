"""The PySide6 face of the application: a thin layer over the services (no SQL here)."""
