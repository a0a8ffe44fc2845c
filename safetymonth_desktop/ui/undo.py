"""Undo / redo of the clerk's changes as change groups of the history service.

Each user action (add, edit, delete, paste) runs inside `history.change_group()`; its group id is
pushed here. Undo calls `history.revert_group`, which restores the database (not only the screen) and
is itself a new group — the one Redo reverts again.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from safetymonth_desktop.services import history
from safetymonth_desktop.ui.qt_compat import emit

LIMIT = 100


class UndoStack(QObject):
    changed = Signal()  # the stacks changed (enable/disable the actions)
    reverted = Signal()  # the database changed through undo/redo: views must refresh

    def __init__(self, parent=None):
        super().__init__(parent)
        self._undo: list[tuple[str, str]] = []
        self._redo: list[tuple[str, str]] = []

    def push(self, group: str | None, label: str) -> None:
        if not group or not history.changes_in_group(group):
            return  # e.g. a form saved without any change: nothing to undo
        self._undo.append((group, label))
        del self._undo[:-LIMIT]
        self._redo.clear()
        emit(self.changed)

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()
        emit(self.changed)

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo_label(self) -> str:
        return self._undo[-1][1] if self._undo else ""

    def redo_label(self) -> str:
        return self._redo[-1][1] if self._redo else ""

    def undo(self) -> str | None:
        """Undo the latest action; returns its label. AppError (e.g. the record changed meanwhile) propagates
        and leaves both stacks as they were."""
        if not self._undo:
            return None
        group, label = self._undo[-1]
        try:
            new_group = history.revert_group(group)
        finally:
            emit(self.reverted)
        self._undo.pop()
        self._redo.append((new_group, label))
        emit(self.changed)
        return label

    def redo(self) -> str | None:
        if not self._redo:
            return None
        group, label = self._redo[-1]
        try:
            new_group = history.revert_group(group)
        finally:
            emit(self.reverted)
        self._redo.pop()
        self._undo.append((new_group, label))
        emit(self.changed)
        return label
