"""Dialogs of the main window: campaign years and settings, units."""
