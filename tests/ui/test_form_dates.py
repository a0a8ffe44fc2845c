"""Dates typed into the forms: every spelling the paste and the import accept, in every date field of every
record form and of the year settings, typed with the keyboard and saved with Enter; the field says what it
understood, or why it cannot; a blank optional date stays blank; Tab leaves a date field in one press."""

import datetime as dt

import peewee as pw
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import campaigns, units
from safetymonth_desktop.services.records import is_required
from safetymonth_desktop.ui.editors import DateEditor
from tests.ui.helpers import type_text

YEAR = 2021  # the `campaign` fixture's year
# (spelling, typed with QTest keys?, the date it means). Non-ASCII spellings arrive as an input method commits them.
SPELLINGS = [
    ("20210605", True, dt.date(2021, 6, 5)),
    ("2021-06-06", True, dt.date(2021, 6, 6)),
    ("2021/6/5", True, dt.date(2021, 6, 5)),
    ("2021/6/16", True, dt.date(2021, 6, 16)),
    ("2021.6.17", True, dt.date(2021, 6, 17)),
    ("6-18", True, dt.date(2021, 6, 18)),      # month and day: the campaign's year
    ("6/19", True, dt.date(2021, 6, 19)),
    ("44367", True, dt.date(2021, 6, 20)),     # an Excel serial, as a paste from a sheet may give
    ("2021年6月16日", False, dt.date(2021, 6, 16)),
    ("6月16日", False, dt.date(2021, 6, 16)),
    ("２０２１－６－２１", False, dt.date(2021, 6, 21)),
]
RECORD_DATE_FIELDS = [(model, f.name) for model in (m.Instruction, m.Meeting, m.Document, m.Training, m.Event,
                                                    m.Hazard, m.Inspection)
                      for f in m.user_fields(model) if isinstance(f, pw.DateField)]
CAMPAIGN_DATE_FIELDS = ["start_date", "end_date", "consult_day", "deadline", "report_date"]


def _fill_required(editors, model, tested: str) -> None:
    """Every required field but `tested`, with a value the record's rules accept whatever date is tested."""
    for field in m.user_fields(model):
        if field.name == tested or not is_required(field):
            continue
        editor = editors[field.name]
        if isinstance(field, pw.ForeignKeyField):
            editor.widget.setEditText("城关街道")
        elif field.choices:
            editor.set_value(field.choices[0][0])
        elif isinstance(field, pw.DateField):
            editor.set_value(dt.date(YEAR, 1, 1))
        elif isinstance(field, pw.IntegerField):
            editor.set_value(1)
        else:
            editor.set_value("测试")
    if model is m.Hazard and tested == "rectified_date":
        editors["status"].set_value("已整改")


def _type_date(qtbot, editor: DateEditor, text: str, ascii_keys: bool) -> None:
    edit = editor.widget.edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key_Delete)
    if ascii_keys:
        qtbot.keyClicks(edit, text)
    else:
        type_text(edit, text)


@pytest.mark.parametrize("model, name", RECORD_DATE_FIELDS, ids=[f"{mo.__name__}.{n}" for mo, n in RECORD_DATE_FIELDS])
def test_each_spelling_typed_into_each_record_date_field_is_saved(campaign, make_window, qtbot, model, name):
    units.create_unit("城关街道")
    window = make_window()
    table = window.show_records(model)
    for text, ascii_keys, expected in SPELLINGS:
        form = table.add()
        editors = form.form.editors
        _fill_required(editors, model, name)
        _type_date(qtbot, editors[name], text, ascii_keys)
        weekday = "一二三四五六日"[expected.weekday()]
        understood = f"{expected.year}年{expected.month}月{expected.day}日 星期{weekday}"
        assert editors[name].widget.hint_text() == understood
        assert form.form.note_text(name) == understood and form.form.error_text(name) == ""  # shown under the field
        qtbot.keyClick(editors[name].widget.edit, Qt.Key_Return)  # Enter saves
        assert not form.isVisible(), (text, form.form.error_text(name), form.general_error.text())
        record = model.select().order_by(model.id.desc()).get()
        assert getattr(record, name) == expected, text


@pytest.mark.parametrize("name", CAMPAIGN_DATE_FIELDS)
def test_each_spelling_typed_into_each_year_setting_is_saved(campaign, make_window, qtbot, name):
    window = make_window()
    for text, ascii_keys, expected in SPELLINGS:
        dialog = window.campaign_settings()
        editors = dialog.form.editors
        # The other dates wide apart, so every tested date lies between start and end.
        for other, value in (("start_date", dt.date(YEAR, 1, 1)), ("end_date", dt.date(YEAR, 12, 31))):
            if other != name:
                editors[other].set_value(value)
        _type_date(qtbot, editors[name], text, ascii_keys)
        qtbot.keyClick(editors[name].widget.edit, Qt.Key_Return)
        assert not dialog.isVisible(), (text, dialog.form.error_text(name), dialog.general_error.text())
        assert getattr(campaigns.find(YEAR), name) == expected, text


def test_a_blank_optional_date_stays_blank(campaign, make_window, qtbot):
    window = make_window()
    form = window.show_records(m.Document).add()
    date = form.form.editors["date"].widget
    assert date.edit.text() == "" and date.hint_text() == ""
    type_text(form.form.editors["title"].widget, "关于开展安全生产月活动的通知")
    qtbot.keyClick(form.form.editors["title"].widget, Qt.Key_Return)
    assert not form.isVisible()
    assert m.Document.get().date is None  # not the campaign's start date

    # Emptied again after a date was typed: blank too.
    form = window.show_records(m.Document).add()
    type_text(form.form.editors["title"].widget, "第二份通知")
    _type_date(qtbot, form.form.editors["date"], "20210610", True)
    form.form.editors["date"].widget.edit.selectAll()
    qtbot.keyClick(form.form.editors["date"].widget.edit, Qt.Key_Backspace)
    qtbot.keyClick(form.form.editors["date"].widget.edit, Qt.Key_Return)
    assert m.Document.get(m.Document.title == "第二份通知").date is None


@pytest.mark.parametrize("text, ascii_keys, reason", [("2021-13-45", True, "日期不存在"), ("abc", True, "无法识别的日期"),
                                                      ("1999-6-16", True, "日期超出合理范围"),
                                                      ("六月十六", False, "无法识别的日期")])
def test_a_date_that_cannot_be_read_is_named_at_the_field(campaign, make_window, qtbot, text, ascii_keys, reason):
    window = make_window()
    form = window.show_records(m.Document).add()
    type_text(form.form.editors["title"].widget, "通知")
    editor = form.form.editors["date"]
    _type_date(qtbot, editor, text, ascii_keys)
    assert reason in editor.widget.hint_text()
    assert reason in form.form.error_text("date")  # said while typing, under the field
    qtbot.keyClick(editor.widget.edit, Qt.Key_Return)
    assert form.isVisible()
    assert reason in form.form.error_text("date")  # and again under it when saving
    assert editor.widget.edit.text() == text  # what was typed is kept for correcting
    assert m.Document.select().count() == 0


def test_the_typed_date_is_shown_normalised_after_leaving_the_field(campaign, make_window, qtbot):
    window = make_window()
    form = window.show_records(m.Hazard).add()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)  # focus-out (and so editing finished) reaches only the active window
    editor = form.form.editors["found_date"]
    _type_date(qtbot, editor, "2021/6/5", True)
    qtbot.keyClick(editor.widget.edit, Qt.Key_Tab)
    assert editor.widget.edit.text() == "2021-06-05"


@pytest.mark.parametrize("filled", [False, True])
def test_tab_leaves_a_date_field_in_one_press(campaign, make_window, qtbot, filled):
    window = make_window()
    form = window.show_records(m.Hazard).add()
    names = list(form.form.editors)
    for name in ("found_date", "deadline", "rectified_date"):
        editor = form.form.editors[name]
        if filled:
            _type_date(qtbot, editor, "20210605", True)
        editor.widget.edit.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.widget.edit)
        qtbot.keyClick(editor.widget.edit, Qt.Key_Tab)
        following = form.form.editors[names[names.index(name) + 1]].widget
        focused = QApplication.focusWidget()
        assert focused is not editor.widget.edit and focused is not editor.widget.button
        assert focused is following or following.isAncestorOf(focused) or following.focusProxy() is focused, name


def test_up_and_down_step_a_day_and_the_calendar_picks_one(campaign, make_window, qtbot):
    window = make_window()
    form = window.show_records(m.Document).add()
    date = form.form.editors["date"].widget
    date.edit.setFocus()
    qtbot.keyClick(date.edit, Qt.Key_Up)  # a blank field starts at the campaign's start date
    assert date.date() == campaign.start_date
    qtbot.keyClick(date.edit, Qt.Key_Up)
    assert date.date() == campaign.start_date + dt.timedelta(days=1)
    qtbot.keyClick(date.edit, Qt.Key_Down, Qt.AltModifier)
    calendar = date.calendar
    assert calendar is not None and calendar.isVisible()
    assert calendar.selectedDate().toPython() == campaign.start_date + dt.timedelta(days=1)
    from PySide6.QtCore import QDate
    calendar.clicked.emit(QDate(2021, 6, 16))
    assert date.edit.text() == "2021-06-16" and not calendar.isVisible()


def test_the_placeholder_gives_examples_in_the_campaigns_year(campaign, make_window):
    form = make_window().show_records(m.Document).add()
    assert form.form.editors["date"].widget.edit.placeholderText() == "如 2021-6-5、20210605、6月5日"
