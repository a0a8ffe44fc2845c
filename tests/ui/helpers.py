"""Helpers for driving widgets in the GUI tests."""

from __future__ import annotations


def type_text(widget, text: str) -> None:
    """Type `text` into a line edit as an input method would (keyClicks aborts on non-ASCII text)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication, QComboBox

    if isinstance(widget, QComboBox):
        widget = widget.lineEdit()
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def select_row(table, row: int) -> None:
    """Select one row of a RecordTable as a click would."""
    from PySide6.QtCore import QItemSelectionModel

    index = table.table_model.index(row, 0)
    table.view.selectionModel().select(index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
    # NoUpdate: a modifier left pressed by an earlier key click must not turn this into a toggle.
    table.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.NoUpdate)
