"""Enter and Esc in every dialog: Enter saves a form from any field, even after the focus went past 取消; in
multi-line text Enter is a new line and Ctrl+Enter saves; Esc closes an unchanged form and asks before
discarding a changed one. Dialogs without a form close on Esc and never act on a stray Enter."""

import datetime as dt

import peewee as pw
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QPlainTextEdit, QPushButton, QWidget

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import campaigns, units
from safetymonth_desktop.services.records import is_required
from safetymonth_desktop.ui.dialog_keys import DISCARD_QUESTION
from safetymonth_desktop.ui.tabs import TAB_SPECS
from tests.ui.helpers import type_text

RECORD_MODELS = [page.model for spec in TAB_SPECS for page in spec.pages]


def _fill(editors, model) -> None:
    """Every required field of a record form, with values its rules accept."""
    for field in m.user_fields(model):
        if not is_required(field) or field.name not in editors:
            continue
        editor = editors[field.name]
        if isinstance(field, pw.ForeignKeyField):
            editor.widget.setEditText("城关街道")
        elif field.choices:
            editor.set_value(field.choices[0][0])
        elif isinstance(field, pw.DateField):
            editor.set_value(dt.date(2021, 6, 1))
        elif isinstance(field, pw.IntegerField):
            editor.set_value(1)
        else:
            editor.set_value("测试")


class Case:
    """How to open one form dialog, change it so it can be saved, and see whether it was saved."""

    def __init__(self, name, open_, fill, saved):
        self.name, self.open, self.fill, self.saved = name, open_, fill, saved


def _record_case(model) -> Case:
    return Case(f"新增{model._meta.title}", lambda w: w.show_records(model).add(),
                lambda d: _fill(d.form.editors, model), lambda: model.select().count() == 1)


def _edit_case(model) -> Case:
    def open_(window):
        table = window.show_records(model)
        form = table.add()
        _fill(form.form.editors, model)
        assert form.save()
        return _edit_form(window, model)

    def fill(dialog):
        for name, editor in dialog.form.editors.items():
            if isinstance(editor.widget, QLineEdit) and not isinstance(editor.field, (pw.IntegerField, pw.DateField)):
                editor.widget.setText("改过的内容")
                return
            if isinstance(editor.widget, QPlainTextEdit):
                editor.widget.setPlainText("改过的内容")
                return
        raise AssertionError("no text field")

    def saved():
        record = model.get()
        return any(getattr(record, f.name) == "改过的内容" for f in m.user_fields(model))

    return Case(f"修改{model._meta.title}", open_, fill, saved)


def _edit_form(window, model):
    from safetymonth_desktop.ui.form import RecordForm

    form = RecordForm(model, window.campaign, model.get().id, window)
    form.open()
    return form


def _new_year_case() -> Case:
    def fill(dialog):
        dialog.form.editors["year"].widget.setText("2030")
        dialog._fill_defaults("2030")

    return Case("新建年度", lambda w: w.new_year(), fill, lambda: campaigns.find(2030) is not None)


def _settings_case() -> Case:
    return Case("年度设置", lambda w: w.campaign_settings(),
                lambda d: d.form.editors["region"].widget.setText("改过的地区"),
                lambda: campaigns.find(2021).region == "改过的地区")


def _unit_case() -> Case:
    return Case("新增单位", lambda w: w.manage_units().add(),
                lambda d: d.form.editors["name"].widget.setText("新的单位"),
                lambda: units.find_unit("新的单位") is not None)


CASES = ([_new_year_case(), _settings_case(), _unit_case()] + [_record_case(model) for model in RECORD_MODELS]
         + [_edit_case(model) for model in (m.Training, m.Hazard, m.Event)])


@pytest.fixture
def window(campaign, make_window):
    units.create_unit("城关街道")
    return make_window()


def _activate(qtbot, dialog):
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)


def _cancel_button(dialog):
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == "取消")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_enter_saves_even_after_the_focus_went_past_cancel(window, qtbot, case):
    dialog = case.open(window)
    _activate(qtbot, dialog)
    case.fill(dialog)
    cancel = _cancel_button(dialog)
    passed_cancel = False
    for _ in range(80):  # Tab round the whole form, past 取消, back into a one-line field
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        focused = QApplication.focusWidget()
        passed_cancel = passed_cancel or focused is cancel
        if passed_cancel and isinstance(focused, QLineEdit):
            break
    assert passed_cancel and isinstance(QApplication.focusWidget(), QLineEdit)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return)
    assert not dialog.isVisible()
    assert case.saved()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_esc_closes_an_unchanged_form_and_asks_before_discarding_a_changed_one(window, qtbot, fake_prompts, case):
    dialog = case.open(window)
    _activate(qtbot, dialog)
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key_Escape)
    assert not dialog.isVisible() and not fake_prompts.of_kind("confirm")

    dialog = case.open(window)
    _activate(qtbot, dialog)
    case.fill(dialog)
    fake_prompts.confirm_answers = [False]
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key_Escape)
    assert dialog.isVisible()  # kept: the clerk said no
    assert [c[1] for c in fake_prompts.of_kind("confirm")] == [DISCARD_QUESTION]
    fake_prompts.confirm_answers = [True]
    _cancel_button(dialog).click()
    assert not dialog.isVisible()
    assert not case.saved()


MULTILINE = [c for c in CASES if c.name in ("年度设置", "新增单位", "新增隐患", "新增督查检查", "新增领导批示")]


@pytest.mark.parametrize("case", MULTILINE, ids=[c.name for c in MULTILINE])
def test_enter_in_multiline_text_is_a_new_line_and_ctrl_enter_saves(window, qtbot, case):
    dialog = case.open(window)
    _activate(qtbot, dialog)
    case.fill(dialog)
    text = dialog.findChildren(QPlainTextEdit)[0]
    text.setFocus()
    qtbot.keyClicks(text, "a")
    qtbot.keyClick(text, Qt.Key_Return)
    qtbot.keyClicks(text, "b")
    assert dialog.isVisible() and text.toPlainText().endswith("a\nb")
    assert "Ctrl+Enter 保存" in " ".join(label.text() for label in dialog.findChildren(type(dialog.general_error)))
    qtbot.keyClick(text, Qt.Key_Return, Qt.ControlModifier)
    assert not dialog.isVisible()
    assert case.saved()


def test_every_problem_of_a_hazard_and_a_training_shows_at_once(window, qtbot):
    """Issue 15 item 3: four empty required fields of a hazard, and a bad unit with 参训人次 `abc`, in one save."""
    form = window.show_records(m.Hazard).add()
    _activate(qtbot, form)
    qtbot.keyClick(form.form.editors["unit"].widget.lineEdit(), Qt.Key_Return)
    assert form.isVisible()
    for name in ("unit", "enterprise", "industry", "found_date", "description"):  # four, and the date left blank
        assert form.form.error_text(name) == "必须填写", name
    first = form.form.editors[next(n for n in form.form.editors if form.form.error_text(n))].widget
    assert QApplication.focusWidget() in (first, first.focusProxy())
    form.reject()

    form = window.show_records(m.Training).add()
    _activate(qtbot, form)
    form.form.editors["unit"].widget.setEditText("没有这个单位")
    form.form.editors["category"].widget.setCurrentIndex(1)
    form.form.editors["participants"].widget.setFocus()
    qtbot.keyClicks(form.form.editors["participants"].widget, "abc")
    qtbot.keyClick(form.form.editors["participants"].widget, Qt.Key_Return)
    assert "不存在" in form.form.error_text("unit")
    assert form.form.error_text("participants") == "不是数字"
    unit = form.form.editors["unit"].widget
    qtbot.waitUntil(lambda: QApplication.focusWidget() in (unit, unit.lineEdit()))
    assert m.Training.select().count() == 0


def _list_dialogs(window):
    from safetymonth_desktop.ui.dialogs.about import AboutDialog
    from safetymonth_desktop.ui.dialogs.backups import BackupsDialog
    from safetymonth_desktop.ui.dialogs.history import DeletedRecordsDialog, RecordHistoryDialog
    from safetymonth_desktop.ui.dialogs.import_preview import ImportPreviewDialog
    from safetymonth_desktop.ui.dialogs.receipts import unlisted_dialog
    from safetymonth_desktop.services import about
    from safetymonth_desktop.services import records

    record = records.create(m.Meeting, window.campaign, {"kind": "部署会", "title": "部署会"})
    return {
        "单位管理": (lambda: window.manage_units(), False),
        "备份与恢复": (lambda: BackupsDialog(window), False),
        "修改历史": (lambda: RecordHistoryDialog(m.Meeting, record.id, window), False),
        "已删除的记录": (lambda: DeletedRecordsDialog(m.RECORD_MODELS, window.campaign, window), False),
        "导入记录": (lambda: unlisted_dialog(window.campaign, [], window), False),
        "导入预览": (lambda: ImportPreviewDialog([], 2021, window), True),   # Enter: 关闭 (nothing to import)
        "关于": (lambda: AboutDialog(about.about_info(window.db_path), window), True),  # Enter: 关闭
    }


@pytest.mark.parametrize("name", ["单位管理", "备份与恢复", "修改历史", "已删除的记录", "导入记录", "导入预览", "关于"])
def test_dialogs_without_a_form_close_on_esc_and_ignore_a_stray_enter(window, qtbot, fake_prompts, name):
    make, enter_closes = _list_dialogs(window)[name]
    dialog = make()
    dialog.show()
    _activate(qtbot, dialog)
    # Enter where the clerk works (a list or a box); on a focused button Enter presses that button.
    widgets = [w for w in dialog.findChildren(QWidget) if w.isVisible() and w.focusPolicy() & Qt.TabFocus
               and not isinstance(w, QAbstractButton)]
    target = widgets[0] if widgets else QApplication.focusWidget()
    if not widgets:  # nothing but buttons (an empty list): the dialog opens on 关闭, which Enter presses
        assert target.text() == "关闭"
        enter_closes = True
    target.setFocus()
    qtbot.keyClick(target, Qt.Key_Return)
    assert dialog.isVisible() != enter_closes
    assert not fake_prompts.calls  # no backup, no restore, no import, nothing asked
    if dialog.isVisible():
        qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key_Escape)
        assert not dialog.isVisible()
