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


def resources_dir() -> Path:
    """The `resources/` folder: inside the PyInstaller bundle, inside the installed package, or in the checkout."""
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources")
    package = Path(__file__).resolve().parent.parent  # safetymonth_desktop/ (this file is in base/)
    candidates.append(package / "resources")  # wheel: shipped inside the package
    candidates.append(package.parent / "resources")  # checkout / editable install
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("resources/ not found in " + ", ".join(map(str, candidates)))


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
