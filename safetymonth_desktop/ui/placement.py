"""Where the main window opens: the default size clamped to the screen's available area (a 1920×1080 laptop at
150 % has 1280×720 logical pixels, less the taskbar) and centred on it, or the remembered place when that still
lies on a screen that is present (a second monitor unplugged since must not leave the window out of sight)."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication

# Room for the title bar and borders the window system adds around the window's own geometry.
FRAME = QMargins(8, 32, 8, 8)
# How much of a remembered window must show on a screen: its title bar's middle, and this much of it.
VISIBLE = QSize(200, 100)


def screen_areas() -> list[QRect]:
    """The available area (without taskbars) of every present screen, the primary one first."""
    primary = QGuiApplication.primaryScreen()
    screens = [primary] + [s for s in QGuiApplication.screens() if s is not primary] if primary else []
    return [s.availableGeometry() for s in screens]


def area_holding(rect: QRect, areas: list[QRect]) -> QRect | None:
    """The area showing the middle of `rect`'s title bar and enough of the window to grab it, None if none does."""
    grip = QPoint(rect.center().x(), rect.top() - FRAME.top() // 2)
    for area in areas:
        shown = area.intersected(rect.marginsAdded(FRAME))
        if area.contains(grip) and shown.width() >= min(VISIBLE.width(), rect.width()) \
                and shown.height() >= min(VISIBLE.height(), rect.height()):
            return area
    return None


def fitted(rect: QRect, area: QRect) -> QRect:
    """`rect` made no larger than `area` (with its frame) and moved inside it."""
    room = area.marginsRemoved(FRAME)
    size = rect.size().boundedTo(room.size())
    x = min(max(rect.x(), room.left()), room.right() - size.width() + 1)
    y = min(max(rect.y(), room.top()), room.bottom() - size.height() + 1)
    return QRect(QPoint(x, y), size)


def default_rect(size: QSize, area: QRect) -> QRect:
    """`size` clamped to `area` (with the frame) and centred on it."""
    room = area.marginsRemoved(FRAME)
    fit = size.boundedTo(room.size())
    rect = QRect(QPoint(0, 0), fit)
    rect.moveCenter(room.center())
    return rect
