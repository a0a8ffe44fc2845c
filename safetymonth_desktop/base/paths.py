"""Where things live: the per-user data folder with the default database, and the bundled resources
(found in a checkout, an installed wheel and a PyInstaller bundle alike)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "safetymonth"
DB_FILE_NAME = "safetymonth.sqlite"


def data_dir() -> Path:
    """The per-user data folder (%LOCALAPPDATA%\\safetymonth on Windows); SAFETYMONTH_HOME overrides it."""
    override = os.environ.get("SAFETYMONTH_HOME")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_DIR_NAME, appauthor=False, roaming=False))


def default_database() -> Path:
    return data_dir() / DB_FILE_NAME


def shipped_places(folder: str) -> list[Path]:
    """Where a folder shipped with the program (`resources`, `docs`) may be, in the order to look: inside the
    PyInstaller bundle, inside the installed package (wheel), beside the package (checkout, editable install)."""
    places = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        places.append(Path(bundle) / folder)
    package = Path(__file__).resolve().parent.parent  # safetymonth_desktop/ (this file is in base/)
    places.append(package / folder)
    places.append(package.parent / folder)
    return places


def resources_dir() -> Path:
    """The `resources/` folder: inside the PyInstaller bundle, inside the installed package, or in the checkout."""
    candidates = shipped_places("resources")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("resources/ not found in " + ", ".join(map(str, candidates)))


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
