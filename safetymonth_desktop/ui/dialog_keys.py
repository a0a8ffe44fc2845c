"""Enter and Esc in every dialog, the same way.

`FormDialog` is the base of the dialogs that edit and save something (新建年度, 年度设置, 新增/修改 a record or a
unit): Enter saves from any field — the save button is the default and stays so however the focus moves, and
no other button becomes the default by being tabbed past; Enter on a button that has the focus presses that
button. In multi-line text Enter is a new line and Ctrl+Enter saves. Esc (or the window's close button, or 取消)
closes an unchanged form at once and asks before throwing changes away.

`enter_keys(dialog, button)` gives a dialog without a form (lists, previews, about) the same Enter: the
focused button if any, else `button` (its main action or 关闭; None: Enter does nothing), and Esc closes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QPlainTextEdit, QPushButton

from safetymonth_desktop.ui import prompts

ENTER_KEYS = (Qt.Key_Return, Qt.Key_Enter)
DISCARD_QUESTION = "填写的内容还没有保存。放弃这些修改并关闭吗?"
MULTILINE_HINT = "多行文字中 Enter 换行,Ctrl+Enter 保存。"


def keys_hint(save_text: str, multiline: bool) -> str:
    """The line shown beside the buttons: which key saves and which closes."""
    return f"Enter {save_text},Esc 取消。" + (MULTILINE_HINT if multiline else "")


def is_enter(event) -> bool:
    """Enter or Return, alone or with Ctrl (the keypad's Enter included)."""
    return event.key() in ENTER_KEYS and not event.modifiers() & ~(Qt.KeypadModifier | Qt.ControlModifier)


def press_for_enter(dialog: QDialog, default: QPushButton | None) -> None:
    """What Enter does in `dialog`: press the button that has the focus, else `default`."""
    focused = QApplication.focusWidget()
    if isinstance(focused, QAbstractButton) and focused.window() is dialog:
        focused.click()
    elif default is not None and default.isVisible() and default.isEnabled():
        default.click()


def _only_default(dialog: QDialog, button: QPushButton | None) -> None:
    for other in dialog.findChildren(QPushButton):
        other.setAutoDefault(False)  # a button the focus passes over does not take Enter away from `button`
        other.setDefault(False)
    if button is not None:
        button.setDefault(True)


class _EnterKeys(QObject):
    """Event filter on a dialog: Enter reaching the dialog from any child does `press_for_enter`."""

    def __init__(self, dialog: QDialog, button: QPushButton | None):
        super().__init__(dialog)
        self.dialog, self.button = dialog, button

    def eventFilter(self, obj, event) -> bool:
        if obj is self.dialog and event.type() == QEvent.KeyPress and is_enter(event):
            press_for_enter(self.dialog, self.button)
            return True
        return False


def enter_keys(dialog: QDialog, button: QPushButton | None) -> None:
    """Enter presses the focused button, else `button` (None: nothing); Esc closes as in any dialog."""
    _only_default(dialog, button)
    dialog.installEventFilter(_EnterKeys(dialog, button))


class FormDialog(QDialog):
    """A dialog holding a `FieldForm` and a save button; subclasses call `setup_keys` at the end of __init__
    and `save()` does the saving (returning True when saved, after which the dialog accepts)."""

    def setup_keys(self, save_button: QPushButton, form) -> None:
        """Call once the form is inside the dialog (its multi-line fields are found among the dialog's children)."""
        self._save_button = save_button
        self._form = form
        _only_default(self, save_button)
        for edit in self.findChildren(QPlainTextEdit):
            edit.installEventFilter(self)
        self.mark_unchanged()

    def mark_unchanged(self) -> None:
        """What the form holds now counts as unchanged (call after filling it)."""
        self._snapshot = self._form.values()

    def is_changed(self) -> bool:
        return self._form.values() != self._snapshot

    def has_multiline(self) -> bool:
        return bool(self.findChildren(QPlainTextEdit))

    def _press_save(self) -> None:
        if self._save_button.isEnabled():
            self._save_button.click()

    def keyPressEvent(self, event) -> None:
        if is_enter(event):
            press_for_enter(self, self._save_button)
            return
        super().keyPressEvent(event)

    def eventFilter(self, obj, event) -> bool:
        # Ctrl+Enter in multi-line text saves; plain Enter stays a new line there.
        if (event.type() == QEvent.KeyPress and isinstance(obj, QPlainTextEdit) and event.key() in ENTER_KEYS
                and event.modifiers() & Qt.ControlModifier):
            self._press_save()
            return True
        return super().eventFilter(obj, event)

    def reject(self) -> None:
        if self.is_changed() and not prompts.confirm(self, DISCARD_QUESTION, "放弃修改", ok="放弃修改"):
            return
        super().reject()

    def discard(self) -> None:
        """Close without saving and without asking (for scripts that drive the dialog)."""
        super().reject()
