"""The record form shows every problem of a record at once (each field's message, focus on the first), and
unit names typed with characters that do not show are cleaned as typed, with a note saying so."""

from PySide6.QtWidgets import QApplication

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import units


def _major_hazard_form(window, campaign):
    form = window.show_records(m.Hazard).add()
    e = form.form.editors
    e["unit"].widget.setEditText("东湖街道")
    e["enterprise"].widget.setText("某某公司")
    e["industry"].widget.setCurrentIndex(1)
    e["found_date"].set_value(campaign.start_date)
    e["description"].widget.setPlainText("消防通道堵塞")
    e["level"].set_value("重大")
    return form, e


def test_every_problem_is_shown_at_once_and_the_first_field_has_focus(campaign, make_window, qtbot):
    units.create_unit("东湖街道")
    window = make_window()
    form, e = _major_hazard_form(window, campaign)
    e["funding"].widget.setText("很多")
    assert not form.save()
    assert form.form.error_text("measures") == "重大隐患必须填写"
    assert form.form.error_text("responsible") == "重大隐患必须填写"
    assert form.form.error_text("funding") == "不是数字"
    assert form.form.error_text("enterprise") == ""
    # 责任人 comes first in the form's reading order (short fields, then the multi-line ones).
    qtbot.waitUntil(lambda: QApplication.focusWidget() is e["responsible"].widget)
    assert m.Hazard.select().count() == 0

    e["responsible"].widget.setText("张某")
    assert not form.save()
    assert form.form.error_text("responsible") == ""
    assert form.form.error_text("measures") == "重大隐患必须填写" and form.form.error_text("funding") == "不是数字"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is e["funding"].widget)

    e["funding"].widget.setText("3000")
    e["measures"].widget.setPlainText("清理通道")
    assert form.save()
    assert (m.Hazard.get().responsible, m.Hazard.get().measures) == ("张某", "清理通道")


def test_problems_no_field_shows_are_listed_above_the_form(campaign, make_window):
    units.create_unit("东湖街道")
    window = make_window()
    fields = [m.Hazard._meta.fields[n] for n in ("unit", "enterprise", "industry", "found_date", "description", "level")]
    from safetymonth_desktop.ui.form import RecordForm

    form = RecordForm(m.Hazard, campaign, fields=fields, parent=window)
    e = form.form.editors
    e["unit"].widget.setEditText("东湖街道")
    e["enterprise"].widget.setText("某某公司")
    e["industry"].widget.setCurrentIndex(1)
    e["found_date"].set_value(campaign.start_date)
    e["description"].widget.setPlainText("消防通道堵塞")
    e["level"].set_value("重大")
    assert not form.save()
    assert not form.general_error.isHidden()
    assert form.general_error.text().splitlines() == ["整改措施:重大隐患必须填写", "责任人:重大隐患必须填写"]


def test_unit_typed_with_invisible_characters_is_cleaned_with_a_note(campaign, make_window):
    chengguan = units.create_unit("城关街道")
    window = make_window()
    form = window.show_records(m.Training).add()
    e = form.form.editors
    e["unit"].widget.setEditText("城关\u200b街道\u202e")
    assert e["unit"].widget.currentText() == "城关街道"
    assert "已去除不可见字符" in form.form.note_text("unit") and "城关街道" in form.form.note_text("unit")
    assert form.form.error_text("unit") == ""
    e["category"].widget.setCurrentIndex(1)
    e["participants"].widget.setText("30")
    assert form.save()
    assert m.Training.get().unit_id == chengguan.id
    assert m.Unit.select().count() == 1


def test_unit_form_shows_the_cleaned_name_and_refuses_a_look_alike(db, qtbot, fake_prompts):
    from safetymonth_desktop.ui.dialogs.units import UnitsDialog

    units.create_unit("城关街道")
    dialog = UnitsDialog()
    qtbot.addWidget(dialog)
    form = dialog.add()
    name = form.form.editors["name"].widget
    name.setText("城关\ufeff街道")
    assert name.text() == "城关街道" and "已去除不可见字符" in form.form.note_text("name")
    assert not form.save()
    assert "已有同名单位" in form.form.error_text("name")
    name.setText("新\u00ad单位\x01")
    assert name.text() == "新单位"
    assert form.save()
    assert sorted(u.name for u in m.Unit.select()) == ["城关街道", "新单位"]

    dialog.select(units.find_unit("新单位").id)
    fake_prompts.text_answers.append("新单位\u200d办")
    assert dialog.add_alias()
    assert units.find_unit("新单位办").name == "新单位"
    assert any("已去除不可见字符" in c[1] and "新单位办" in c[1] for c in fake_prompts.of_kind("info"))


def test_paste_lists_every_problem_and_counts_rows(campaign, make_window, fake_prompts):
    units.create_unit("东湖街道")
    window = make_window()
    table = window.show_records(m.Hazard)
    table.paste_text("填报单位\t被查单位\t行业领域\t发现日期\t隐患描述\t隐患等级\n"
                     "东湖街道\t甲公司\t燃气\t2021/6/3\t管道老化\t重大\n"
                     "东\u200b湖街道\t乙公司\t燃气\t2021/6/4\t阀门锈蚀\t一般\n")
    refused = fake_prompts.of_kind("table")[-1]
    assert "已添加 1 行" in refused[1] and "以下 1 行未添加" in refused[1]
    assert [(r[0], r[1]) for r in refused[2]] == [(2, "整改措施"), (2, "责任人")]
    assert m.Hazard.get().enterprise == "乙公司" and m.Hazard.get().unit.name == "东湖街道"
