"""What the window remembers between sessions (QSettings): geometry and state, last year, last folders."""

from __future__ import annotations

from PySide6.QtCore import QSettings

ORGANIZATION = "safetymonth"
APPLICATION = "safetymonth-desktop"


def store() -> QSettings:
    # INI everywhere (not the Windows registry): one readable file, and tests point QSettings.setPath at a temp dir.
    return QSettings(QSettings.IniFormat, QSettings.UserScope, ORGANIZATION, APPLICATION)


def last_folder(kind: str) -> str:
    """The folder last used for `kind` (e.g. 'import', 'export')."""
    return str(store().value(f"folders/{kind}", "") or "")


def remember_folder(kind: str, folder: str) -> None:
    store().setValue(f"folders/{kind}", folder)


def last_year() -> int | None:
    value = store().value("campaign/last_year")
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def remember_year(year: int) -> None:
    store().setValue("campaign/last_year", int(year))
