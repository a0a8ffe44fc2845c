"""What the window remembers between sessions (QSettings): geometry and state, last year, last folders."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSettings

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
    settings = store()
    if str(settings.value("campaign/last_year")) != str(int(year)):  # unchanged: no rewrite of the file at each start
        settings.setValue("campaign/last_year", int(year))


def window_rect() -> QRect | None:
    """Where the main window was (its normal, unmaximized geometry) when last closed; None if not known."""
    value = store().value("window/rect")
    try:
        x, y, w, h = (int(v) for v in value)
    except (TypeError, ValueError):
        return None
    return QRect(x, y, w, h) if w > 0 and h > 0 else None


def remember_window_rect(rect: QRect) -> None:
    store().setValue("window/rect", [rect.x(), rect.y(), rect.width(), rect.height()])
