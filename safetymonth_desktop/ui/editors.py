"""One editor widget per field type, chosen from the field declaration.

choices → drop-down; DateField → a line edit taking every date spelling the import takes, with a calendar
button, saying what it understood (blank stays blank); IntegerField / MoneyField → a line
edit (typed text goes through services.coerce, so “1.2万” and “300余” work as in an import); TextField →
multi-line; the unit foreign key → an editable drop-down of unit names with completion. `value()` returns
the raw value for `records.clean`, `set_value()` takes a stored value.
"""

from __future__ import annotations

import abc

import datetime as dt
from decimal import Decimal

import peewee as pw
from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtWidgets import (QCalendarWidget, QComboBox, QCompleter, QHBoxLayout, QLineEdit, QPlainTextEdit,
                               QToolButton, QWidget)

from safetymonth_desktop.db.fields import MoneyField
from safetymonth_desktop.services import records, units
from safetymonth_desktop.base import vocab
from safetymonth_desktop.base.errors import ValidationError
from safetymonth_desktop.services.records import is_required
from safetymonth_desktop.ui.qt_compat import emit

ERROR_STYLE = "color: #c0392b;"
HINT_STYLE = "color: #666;"


WEEKDAYS = "一二三四五六日"
DATE_PLACEHOLDER = "如 {year}-6-5、{year}0605、6月5日"


class DateInput(QWidget):
    """A date typed in any spelling the paste and the import accept (`records.clean_value`, so the rules are the
    same): 20240605, 2024-6-5, 2024/6/5, 2024年6月5日, and 6月5日 in the campaign `year`. As the text changes,
    `hint_changed(text, is_problem)` says what was understood (“2024年6月5日 星期三”) or why it cannot be read;
    the form shows it under the field. A blank stays blank.
    The calendar button (or Alt+↓ / F4) picks a date with the mouse; it takes no Tab stop, so Tab leaves the field
    in one press. ↑/↓ move the date by a day (a blank field starts at `default_date`)."""

    hint_changed = Signal(str, bool)  # what was understood or why not; True for a problem

    def __init__(self, field: pw.Field, *, year: int | None = None, default_date: dt.date | None = None, parent=None):
        super().__init__(parent)
        self.field = field
        self.year = year
        self.default_date = default_date or dt.date.today()
        self.edit = QLineEdit(self)
        placeholder = DATE_PLACEHOLDER.format(year=year or self.default_date.year)  # examples in the campaign's year
        self.edit.setPlaceholderText(placeholder)
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance(placeholder) + 16)
        self.edit.installEventFilter(self)
        self.button = QToolButton(self)
        self.button.setText("日历")
        self.button.setToolTip("从日历中选择(也可按 Alt+↓)")
        self.button.setFocusPolicy(Qt.NoFocus)
        self.button.clicked.connect(self.show_calendar)
        self.hint = ("", False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.edit)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._show_hint)
        self.edit.editingFinished.connect(self._normalise)
        self.calendar: QCalendarWidget | None = None

    # -- reading

    def parsed(self) -> dt.date | None:
        """The date the text means (None for blank); raises ValidationError with a Chinese reason."""
        if not self.edit.text().strip():
            return None
        return records.clean_value(self.field, self.edit.text(), year=self.year)

    def date(self) -> dt.date | None:
        """The date the text means, None when blank or unreadable."""
        try:
            return self.parsed()
        except ValidationError:
            return None

    def problem(self) -> str:
        """Why the text cannot be read as a date ('' when it can, or is blank)."""
        try:
            self.parsed()
        except ValidationError as exc:
            return exc.message
        return ""

    def set_date(self, value: dt.date | None) -> None:
        self.edit.setText(value.isoformat() if value else "")

    def _show_hint(self) -> None:
        problem = self.problem()
        day = None if problem else self.date()
        if problem:
            self.hint = (problem, True)
        elif day is not None:
            self.hint = (f"{day.year}年{day.month}月{day.day}日 星期{WEEKDAYS[day.weekday()]}", False)
        else:
            self.hint = ("", False)
        emit(self.hint_changed, *self.hint)

    def hint_text(self) -> str:
        """What the field understood, or why it cannot ('' for blank)."""
        return self.hint[0]

    def _normalise(self) -> None:
        day = self.date()
        if day is not None and self.edit.text() != day.isoformat():
            self.set_date(day)

    # -- keys and the calendar

    def eventFilter(self, obj, event):
        if obj is self.edit and event.type() == QEvent.KeyPress:
            key, mods = event.key(), event.modifiers()
            if key == Qt.Key_F4 or (key == Qt.Key_Down and mods & Qt.AltModifier):
                self.show_calendar()
                return True
            if key in (Qt.Key_Up, Qt.Key_Down) and not mods & Qt.AltModifier:
                day = self.date()
                if day is None and not self.edit.text().strip():
                    self.set_date(self.default_date)
                elif day is not None:
                    self.set_date(day + dt.timedelta(days=1 if key == Qt.Key_Up else -1))
                return True
        return False

    def show_calendar(self) -> QCalendarWidget:
        """The calendar as a popup under the field, on the current date (or the default one's month)."""
        if self.calendar is None:
            self.calendar = QCalendarWidget(self)
            self.calendar.setWindowFlags(Qt.Popup)
            self.calendar.setGridVisible(True)
            self.calendar.setFirstDayOfWeek(Qt.Monday)
            self.calendar.setVerticalHeaderFormat(QCalendarWidget.NoVerticalHeader)
            self.calendar.clicked.connect(self._picked)
            self.calendar.activated.connect(self._picked)
        day = self.date()
        shown = day or self.default_date
        self.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        self.calendar.setCurrentPage(shown.year, shown.month)
        self.calendar.move(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))
        self.calendar.show()
        self.calendar.setFocus()
        return self.calendar

    def _picked(self, day: QDate) -> None:
        self.set_date(day.toPython())
        if self.calendar is not None:
            self.calendar.hide()
        self.edit.setFocus()


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
    def __init__(self, field, parent=None, default_date=None, year=None):
        super().__init__(field, DateInput(field, year=year, default_date=default_date, parent=parent))

    def value(self):
        """The date understood, None when blank; unreadable text as typed, so the save names the problem."""
        text = self.widget.edit.text()
        if not text.strip():
            return None
        return self.widget.date() or text

    def set_value(self, value):
        self.widget.set_date(value)


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
            if field.name == "unit" and unit.kind == vocab.SUB_REGION:
                continue  # a sub-region's data come only with its 上报数据包 (services/records.py)
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


def make_editor(field: pw.Field, parent=None, *, default_date: dt.date | None = None,
                year: int | None = None) -> Editor:
    """The editor of `field`; `year` (the campaign's) completes dates typed as month and day only."""
    if isinstance(field, pw.ForeignKeyField):
        return UnitEditor(field, parent)
    if field.choices:
        return ChoiceEditor(field, parent)
    if isinstance(field, pw.DateField):
        return DateEditor(field, parent, default_date, year)
    if isinstance(field, pw.TextField):
        return TextEditor(field, parent)
    return LineEditor(field, parent)


def label_for(field: pw.Field) -> str:
    """The form label: the Chinese name, with * when the field must be filled."""
    return (field.verbose_name or field.name) + (" *" if is_required(field) else "")
