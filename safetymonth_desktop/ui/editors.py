"""One editor widget per field type, chosen from the field declaration.

choices → drop-down; DateField → date picker that may be blank; IntegerField / MoneyField → a line
edit (typed text goes through services.coerce, so “1.2万” and “300余” work as in an import); TextField →
multi-line; the unit foreign key → an editable drop-down of unit names with completion. `value()` returns
the raw value for `records.clean`, `set_value()` takes a stored value.
"""

from __future__ import annotations

import abc

import datetime as dt
from decimal import Decimal

import peewee as pw
from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QCompleter, QDateEdit, QLineEdit, QPlainTextEdit, QWidget

from safetymonth_desktop.db.fields import MoneyField
from safetymonth_desktop.services import units
from safetymonth_desktop.services.records import is_required

BLANK_DATE = QDate(1999, 12, 31)  # shown as “未填”; below every date the services accept
BLANK_TEXT = "(未填)"


class BlankableDateEdit(QDateEdit):
    """A QDateEdit that can hold no date: Delete or Backspace on the whole field clears it; typing into a
    blank field starts from `default_date`."""

    def __init__(self, default_date: dt.date | None = None, parent=None):
        super().__init__(parent)
        self.default_date = default_date or dt.date.today()
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(BLANK_DATE)
        self.setMaximumDate(QDate(2099, 12, 31))
        self.setSpecialValueText(BLANK_TEXT)
        self.setDate(BLANK_DATE)
        self.calendarWidget().installEventFilter(self)

    def is_blank(self) -> bool:
        return self.date() == BLANK_DATE

    def clear_date(self) -> None:
        self.setDate(BLANK_DATE)

    def _start(self):
        d = self.default_date
        self.setDate(QDate(d.year, d.month, d.day))

    def eventFilter(self, obj, event):
        # The calendar of a blank field opens on the default month, not on December 1999.
        if obj is self.calendarWidget() and event.type() == QEvent.Show and self.is_blank():
            self.calendarWidget().setCurrentPage(self.default_date.year, self.default_date.month)
        return False

    def keyPressEvent(self, event: QKeyEvent):
        if event.key() in (Qt.Key_Delete, Qt.Key_Backspace) and (self.is_blank() or self.lineEdit().selectedText() == self.text()):
            self.clear_date()
            return
        if self.is_blank() and event.text() and event.text().isdigit():
            self._start()
            self.setCurrentSection(QDateEdit.YearSection)
            self.lineEdit().selectAll()
        if self.is_blank() and event.key() in (Qt.Key_Up, Qt.Key_Down):
            self._start()
            return
        super().keyPressEvent(event)


class Editor(abc.ABC):
    """A widget editing one field, with a uniform get/set; each kind of field has its subclass."""

    def __init__(self, field: pw.Field, widget: QWidget):
        self.field = field
        self.widget = widget

    @abc.abstractmethod
    def value(self):
        """What the widget holds now, as the service accepts it (text, date or None)."""

    @abc.abstractmethod
    def set_value(self, value) -> None:
        """Show `value` (a stored value, or None for blank)."""


class LineEditor(Editor):
    def __init__(self, field, parent=None):
        edit = QLineEdit(parent)
        if field.help_text:
            edit.setPlaceholderText(field.help_text)
        if isinstance(field, pw.IntegerField):
            edit.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
            if not field.help_text:
                edit.setPlaceholderText("金额,单位:元" if isinstance(field, MoneyField) else "整数")
        super().__init__(field, edit)

    def value(self):
        return self.widget.text()

    def set_value(self, value):
        if isinstance(value, Decimal):
            value = f"{value:.2f}"
        self.widget.setText("" if value is None else str(value))


class TextEditor(Editor):
    def __init__(self, field, parent=None):
        edit = QPlainTextEdit(parent)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(64)
        if field.help_text:
            edit.setPlaceholderText(field.help_text)
        super().__init__(field, edit)

    def value(self):
        return self.widget.toPlainText()

    def set_value(self, value):
        self.widget.setPlainText(value or "")


class ChoiceEditor(Editor):
    def __init__(self, field, parent=None):
        combo = QComboBox(parent)
        combo.addItem("", None)  # blank: the service fills a default or says it must be filled
        for stored, shown in field.choices:
            combo.addItem(shown, stored)
        combo.setMaxVisibleItems(15)
        super().__init__(field, combo)
        if field.default not in (None, "") and not callable(field.default):
            self.set_value(field.default)

    def value(self):
        return self.widget.currentData()

    def set_value(self, value):
        index = self.widget.findData(value)
        self.widget.setCurrentIndex(max(index, 0))


class DateEditor(Editor):
    def __init__(self, field, parent=None, default_date=None):
        super().__init__(field, BlankableDateEdit(default_date, parent))

    def value(self):
        if self.widget.is_blank():
            return None
        return self.widget.date().toPython()

    def set_value(self, value):
        if value is None:
            self.widget.clear_date()
        else:
            self.widget.setDate(QDate(value.year, value.month, value.day))


class UnitEditor(Editor):
    """Unit names with completion on any part of the name; a typed name is matched like an import
    (normalised, aliases), and an unknown one is refused by the record service with advice."""

    def __init__(self, field, parent=None):
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.NoInsert)
        combo.setMaxVisibleItems(20)
        combo.addItem("")
        for unit in units.list_units():
            combo.addItem(unit.name, unit.id)
        completer = QCompleter([combo.itemText(i) for i in range(1, combo.count())], combo)
        completer.setFilterMode(Qt.MatchContains)
        completer.setCaseSensitivity(Qt.CaseInsensitive)
        combo.setCompleter(completer)
        combo.lineEdit().setPlaceholderText("留空为本级;或输入单位名称的任意部分" if field.null else "输入单位名称的任意部分")
        super().__init__(field, combo)

    def value(self):
        return self.widget.currentText()

    def set_value(self, value):
        name = getattr(value, "name", value) or ""
        index = self.widget.findText(name)
        if index >= 0:
            self.widget.setCurrentIndex(index)
        else:
            self.widget.setEditText(name)


def make_editor(field: pw.Field, parent=None, *, default_date: dt.date | None = None) -> Editor:
    if isinstance(field, pw.ForeignKeyField):
        return UnitEditor(field, parent)
    if field.choices:
        return ChoiceEditor(field, parent)
    if isinstance(field, pw.DateField):
        return DateEditor(field, parent, default_date)
    if isinstance(field, pw.TextField):
        return TextEditor(field, parent)
    return LineEditor(field, parent)


def label_for(field: pw.Field) -> str:
    """The form label: the Chinese name, with * when the field must be filled."""
    return (field.verbose_name or field.name) + (" *" if is_required(field) else "")
