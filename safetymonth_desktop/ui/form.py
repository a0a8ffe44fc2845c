"""Forms generated from field declarations: `FieldForm` (editors + a red message under each field) and
`RecordForm`, the add/edit dialog of one record, which saves through `services.records` and keeps the
dialog open, saving nothing, until every value is valid."""

from __future__ import annotations

import datetime as dt

import peewee as pw
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDialogButtonBox, QGridLayout, QLabel, QScrollArea, QVBoxLayout,
                               QWidget, QFrame)

from safetymonth_desktop.base.errors import AppError, ValidationError
from safetymonth_desktop.base.text import has_invisible, normalise, strip_invisible
from safetymonth_desktop.db.models import user_fields
from safetymonth_desktop.services import history, records
from safetymonth_desktop.ui import prompts
from safetymonth_desktop.ui.dialog_keys import FormDialog, keys_hint
from safetymonth_desktop.ui.editors import ERROR_STYLE, HINT_STYLE, DateEditor, Editor, label_for, make_editor
from safetymonth_desktop.ui.qt_compat import emit

NOTE_STYLE = HINT_STYLE
INVISIBLE_NOTE = "已去除不可见字符(如零宽空格、控制字符、文字方向控制符),名称为“{name}”。"


def is_name_field(field: pw.Field) -> bool:
    """A field holding a unit's name (the unit of a record, or a unit's own name): matched by normalised name,
    so characters that do not show are removed as the clerk types, with a note saying so."""
    return isinstance(field, pw.ForeignKeyField) or (field.model.__name__ == "Unit" and field.name == "name")


class FieldForm(QWidget):
    """Editors for `fields` on a grid: short fields two per line, multi-line text across the whole width."""

    def __init__(self, fields: list[pw.Field], parent=None, *, default_date: dt.date | None = None, columns: int = 2,
                 year: int | None = None):
        super().__init__(parent)
        # Dates typed as month and day fall in the campaign's year (that of its start date unless given).
        self.year = year if year is not None else (default_date.year if default_date else None)
        self.editors: dict[str, Editor] = {}
        self.errors: dict[str, QLabel] = {}  # the message line under each field (an error, or a note)
        self.notes: dict[str, str] = {}
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        short = [f for f in fields if not isinstance(f, pw.TextField)]
        long = [f for f in fields if isinstance(f, pw.TextField)]
        row = 0
        for i, field in enumerate(short):
            col = (i % columns) * 2
            if i and col == 0:
                row += 2
            self._place(grid, field, row, col, 1, default_date)
        row += 2 if short else 0
        for field in long:
            self._place(grid, field, row, 0, columns * 2 - 1, default_date)
            row += 2
        for c in range(columns):
            grid.setColumnStretch(c * 2 + 1, 1)
        grid.setRowStretch(row, 1)  # spare height goes below the fields, not into the message rows
        # Tab order follows the reading order of the grid.
        widgets = [self.editors[f.name].widget for f in short + long]
        widgets = [w.focusProxy() or w for w in widgets]
        for a, b in zip(widgets, widgets[1:]):
            QWidget.setTabOrder(a, b)

    def _place(self, grid, field, row, col, span, default_date):
        editor = make_editor(field, self, default_date=default_date, year=self.year)
        label = QLabel(label_for(field))
        label.setBuddy(editor.widget)
        if field.help_text:
            label.setToolTip(field.help_text)
            editor.widget.setToolTip(field.help_text)
        alignment = Qt.AlignRight | (Qt.AlignTop if isinstance(field, pw.TextField) else Qt.AlignVCenter)
        grid.addWidget(label, row, col, alignment)
        grid.addWidget(editor.widget, row, col + 1, 1, span)
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        error.setObjectName(f"error_{field.name}")
        grid.addWidget(error, row + 1, col + 1, 1, span)
        self.editors[field.name] = editor
        self.errors[field.name] = error
        if is_name_field(field):
            self._drop_invisible_as_typed(field.name, editor.widget)
        if isinstance(editor, DateEditor):
            editor.widget.hint_changed.connect(lambda text, problem, name=field.name: self._date_hint(name, text, problem))

    def _date_hint(self, name: str, text: str, problem: bool) -> None:
        """Under a date field, as it is typed: the date understood (grey) or why it cannot be read (red)."""
        self.notes.pop(name, None)
        label = self.errors[name]
        if problem:
            label.setStyleSheet(ERROR_STYLE)
            label.setText(text)
            label.show()
        elif text:
            self.notes[name] = text
            self._show_note(name)
        else:
            label.clear()
            label.hide()

    def _drop_invisible_as_typed(self, name: str, widget) -> None:
        line = widget.lineEdit() if isinstance(widget, QComboBox) else widget

        def check(text: str) -> None:
            if not has_invisible(text):
                return
            cleaned = strip_invisible(text)
            at = len(strip_invisible(text[:line.cursorPosition()]))
            line.setText(cleaned)
            line.setCursorPosition(at)
            self.notes[name] = INVISIBLE_NOTE.format(name=normalise(cleaned))
            self._show_note(name)

        line.textChanged.connect(check)

    def _show_note(self, name: str) -> None:
        label = self.errors[name]
        label.setStyleSheet(NOTE_STYLE)
        label.setText(self.notes[name])
        label.show()

    def note_text(self, name: str) -> str:
        """The note under a field (e.g. that invisible characters were removed), '' when none shows."""
        label = self.errors.get(name)
        shown = label is not None and not label.isHidden() and label.text() == self.notes.get(name)
        return self.notes[name] if shown else ""

    def values(self) -> dict:
        return {name: editor.value() for name, editor in self.editors.items()}

    def set_values(self, values: dict) -> None:
        for name, value in values.items():
            if name in self.editors:
                self.editors[name].set_value(value)

    def clear_errors(self) -> None:
        """Hide every error; a field's note stays."""
        for name, label in self.errors.items():
            if name in self.notes:
                self._show_note(name)
            else:
                label.clear()
                label.hide()

    def show_error(self, exc: ValidationError) -> bool:
        """Show the message under its field and focus it; False when the field is not on this form."""
        return not self.show_errors([exc])

    def show_errors(self, problems: list[ValidationError]) -> list[ValidationError]:
        """Show every message under its field (two for one field on one line) and focus the first field in
        reading order that has one. Returns the problems whose field is not on this form."""
        by_field: dict[str, list[str]] = {}
        elsewhere = []
        for problem in problems:
            if problem.field in self.errors:
                by_field.setdefault(problem.field, []).append(problem.message)
            else:
                elsewhere.append(problem)
        for name, messages in by_field.items():
            self.errors[name].setStyleSheet(ERROR_STYLE)
            self.errors[name].setText(";".join(dict.fromkeys(messages)))
            self.errors[name].show()
        first = next((name for name in self.editors if name in by_field), None)
        if first is not None:
            self.editors[first].widget.setFocus()
        return elsewhere

    def error_text(self, name: str) -> str:
        label = self.errors.get(name)
        if label is None or label.isHidden() or label.text() == self.notes.get(name):
            return ""
        return label.text()


def show_save_error(parent: QWidget, form: FieldForm, general_label: QLabel, exc: AppError) -> bool:
    """Show why a save failed: every problem of a ValidationError beside its field (those no field shows above
    the form), any other AppError in a message box. Returns False, the failed save's result."""
    if isinstance(exc, ValidationError):
        elsewhere = form.show_errors(exc.errors)
        if elsewhere:
            general_label.setText("\n".join(str(problem) for problem in elsewhere))
            general_label.show()
    else:
        prompts.error(parent, str(exc))
    return False


class RecordForm(FormDialog):
    """Add (record_id None) or edit one record of `model` in `campaign`. Emits `saved(record_id, group)`."""

    saved = Signal(int, str)

    def __init__(self, model, campaign, record_id: int | None = None, parent=None, *, fields=None):
        super().__init__(parent)
        self.model, self.campaign, self.record_id = model, campaign, record_id
        title = model._meta.title
        self.setWindowTitle(f"{'修改' if record_id else '新增'}{title} — {campaign.year}年度")
        layout = QVBoxLayout(self)
        self.form = FieldForm(fields or user_fields(model), default_date=campaign.start_date)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setFocusPolicy(Qt.NoFocus)  # Tab goes from field to field, never to the scroll area itself
        scroll.setWidget(self.form)
        layout.addWidget(scroll)
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        layout.addWidget(self.general_error)
        self.hint = hint = QLabel()
        hint.setStyleSheet(HINT_STYLE)
        hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setText("保存")
        self.buttons.button(QDialogButtonBox.Save).setDefault(True)
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        bottom = QGridLayout()
        bottom.addWidget(hint, 0, 0)
        bottom.addWidget(self.buttons, 0, 1)
        bottom.setColumnStretch(0, 1)
        layout.addLayout(bottom)
        if record_id is not None:
            self.form.set_values(records.values_of(records.get(model, record_id)))
        self.setup_keys(self.buttons.button(QDialogButtonBox.Save), self.form)
        hint.setText("带 * 的为必填项。" + keys_hint("保存", self.has_multiline()))
        self.resize(760, min(140 + 62 * ((len(self.form.editors) + 1) // 2), 660))
        first = next(iter(self.form.editors.values()), None)
        if first is not None:
            first.widget.setFocus()

    def save(self) -> bool:
        """Validate and write; True when saved. On a bad value the message appears at its field."""
        self.form.clear_errors()
        self.general_error.hide()
        values = self.form.values()
        try:
            with history.change_group() as group:
                if self.record_id is None:
                    record = records.create(self.model, self.campaign, values)
                else:
                    record = records.update(self.model, self.record_id, values)
        except AppError as exc:
            return show_save_error(self, self.form, self.general_error, exc)
        self.record_id = record.id
        emit(self.saved, record.id, group)
        self.accept()
        return True
