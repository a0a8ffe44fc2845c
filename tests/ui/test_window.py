"""The main window: years, campaign settings and notes, units, menus, remembered state, start-up."""

import threading

from safetymonth_desktop.base import vocab
from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import campaigns, records, units
from safetymonth_desktop.ui import settings, tasks
from tests.ui.helpers import type_text


def test_title_tabs_and_menus(demo, make_window):
    window = make_window()
    assert window.windowTitle().startswith("安全生产月数据填报与总结 — ")
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "概览", "组织领导", "培训", "宣传", "隐患整治", "督查", "报送进度"]
    org = window.record_tab("组织领导")
    assert [org.inner.tabText(i) for i in range(org.inner.count())] == ["领导重视", "会议部署", "印发文件", "组织机构"]
    menus = ["文件(&F)", "编辑(&E)", "数据(&D)", "导入(&I)", "导出(&X)", "备份(&B)", "帮助(&H)"]
    assert [a.text() for a in window.menuBar().actions()] == menus
    # Features add their menus in the fixed order (each once); the overview is the first tab, shown at start.
    window.menu("help")
    window.menu("import")
    assert [a.text() for a in window.menuBar().actions()] == menus
    assert window.tabs.currentIndex() == 0 and window.tabs.currentWidget() is window.overview
    assert window.current_table() is None
    assert window.add_record() is None  # no table: nothing happens, no crash


def test_switch_years_shows_that_years_records_and_remembers_it(demo, make_window):
    c2022, _ = campaigns.save(2022, region="城南区")
    unit = units.find_unit("城关街道")
    records.create(m.Training, c2022, {"unit": unit, "category": "以会代训", "participants": 40})
    window = make_window()
    table = window.show_records(m.Training)
    assert window.campaign.year == 2022  # the latest year when nothing is remembered
    assert table.table_model.total == 1

    window.year_combo.setCurrentIndex(window.year_combo.findData(2021))
    assert window.campaign.year == 2021
    assert table.table_model.total == m.Training.select().where(m.Training.campaign == demo).count() > 1
    assert settings.last_year() == 2021
    window.close()

    again = make_window()
    assert again.campaign.year == 2021


def test_new_year_dialog_fills_theme_and_ordinal(demo, make_window):
    window = make_window()
    dialog = window.new_year()
    e = dialog.form.editors
    assert e["year"].widget.text() == "2022"
    assert e["theme"].widget.text() == vocab.THEMES[2022] and e["ordinal"].widget.text() == "21"
    assert e["region"].widget.text() == "城南区"
    e["year"].widget.setText("2023")
    e["year"].widget.textEdited.emit("2023")
    assert e["theme"].widget.text() == vocab.THEMES[2023]
    e["theme"].widget.clear()
    type_text(e["theme"].widget, "本区自定主题")
    assert dialog.save()
    c = campaigns.get(2023)
    assert (c.ordinal, c.theme, c.region) == (22, "本区自定主题", "城南区")
    assert window.campaign.year == 2023
    assert window.year_combo.currentData() == 2023

    again = window.new_year()
    again.form.editors["year"].widget.setText("2021")
    assert not again.save()
    assert "已经存在" in again.form.error_text("year")


def test_campaign_settings_and_notes(campaign, make_window):
    window = make_window()
    dialog = window.campaign_settings()
    e = dialog.form.editors
    e["region"].widget.clear()
    type_text(e["region"].widget, "某某区")
    e["next_steps"].widget.setPlainText("继续深化专项整治。")
    e["end_date"].set_value(campaign.start_date.replace(day=1, month=5))
    assert not dialog.save()
    assert "不能早于" in dialog.form.error_text("end_date")
    assert campaigns.get(2021).region == "测试区"
    e["end_date"].set_value(campaign.end_date)
    assert dialog.save()
    c = campaigns.get(2021)
    assert (c.region, c.next_steps) == ("某某区", "继续深化专项整治。")
    assert "某某区" in window.theme_label.text()

    dialog = window.campaign_settings()
    form = dialog.notes.add()
    form.form.editors["section"].widget.setCurrentIndex(form.form.editors["section"].widget.findText("隐患整治"))
    form.form.editors["text"].widget.setPlainText("我区还开展了燃气安全“百日行动”。")
    assert form.save()
    [note] = records.notes_for(c)
    assert (note.section, note.order, note.text) == ("隐患整治", 0, "我区还开展了燃气安全“百日行动”。")
    assert dialog.notes.table_model.total == 1


def test_merge_two_spellings_of_a_unit(campaign, make_window, fake_prompts):
    keep = units.create_unit("城关街道", kind="街道/乡镇")
    drop = units.create_unit("城关街道办事处")
    for n in (10, 20):
        records.create(m.Training, campaign, {"unit": drop, "category": "以会代训", "participants": n})
    records.create(m.Inspection, campaign, {"target": drop, "kind": "暗访"})
    window = make_window()
    dialog = window.manage_units()
    dialog.select(drop.id)
    others = [r["name"] for r in dialog.rows if r["id"] != drop.id]
    fake_prompts.choose_answers = [others.index("城关街道")]
    assert dialog.merge()

    assert m.Unit.get_or_none(m.Unit.id == drop.id) is None
    assert m.Training.select().where(m.Training.unit == keep).count() == 2
    assert m.Inspection.get().target_id == keep.id
    assert units.find_unit("城关街道办事处").id == keep.id
    row = next(r for r in dialog.rows if r["id"] == keep.id)
    assert row["records"] == 3 and row["aliases"] == ["城关街道办事处"]
    assert window.show_records(m.Training).table_model.row_values(0)[0] == "城关街道"


def test_unit_add_rename_alias_and_delete(db, make_window, fake_prompts):
    window = make_window()
    dialog = window.manage_units()
    form = dialog.add()
    type_text(form.form.editors["name"].widget, "区应急管理局")
    form.form.editors["kind"].widget.setCurrentIndex(form.form.editors["kind"].widget.findText("区级部门"))
    form.form.editors["phone"].widget.setText("12345678")
    assert form.save()
    unit = units.find_unit("区应急管理局")
    assert (unit.kind, unit.phone) == ("区级部门", "12345678")

    dup = dialog.add()
    dup.form.editors["name"].widget.setText("区应急管理局 ")
    assert not dup.save()
    assert "已有同名单位" in dup.form.error_text("name")

    dialog.select(unit.id)
    form = dialog.edit()
    form.form.editors["name"].widget.setText("区应急管理局(区安办)")
    assert form.save()
    assert units.find_unit("区应急管理局").id == unit.id  # old name kept as an alias

    dialog.select(unit.id)
    fake_prompts.text_answers = ["应急局"]
    assert dialog.add_alias()
    assert units.find_unit("应急局").id == unit.id

    dialog.select(unit.id)
    assert dialog.delete()
    assert m.Unit.select().count() == 0


def test_unit_with_records_cannot_be_deleted(demo, make_window, fake_prompts):
    window = make_window()
    dialog = window.manage_units()
    unit = units.find_unit("区应急管理局")
    dialog.select(unit.id)
    assert not dialog.delete()
    assert "不能删除" in fake_prompts.of_kind("error")[-1][1]
    assert units.find_unit("区应急管理局") is not None


def test_window_geometry_is_remembered(db, make_window):
    window = make_window()
    window.resize(700, 500)  # the offscreen screen is 800×600
    window.tabs.setCurrentIndex(3)
    window.close()
    again = make_window()
    assert again.tabs.currentIndex() == 0  # the overview opens first, whatever tab was left open
    assert (again.width(), again.height()) == (700, 500)


def test_task_errors_come_back_as_chinese_messages(db, qtbot, fake_prompts):
    def fails(progress, cancelled):
        raise ZeroDivisionError("boom")

    tasks.run_task(None, fails)
    [(kind, text)] = fake_prompts.calls
    assert text.startswith("操作未完成") and "ZeroDivisionError" in text


def test_thread_runner_runs_off_the_ui_thread(db, qtbot):
    previous = tasks.use(tasks.ThreadRunner())
    try:
        seen = {}

        def work(progress, cancelled):
            seen["thread"] = threading.current_thread() is threading.main_thread()
            progress(1, 2)
            return 42

        results = []
        tasks.run_task(None, work, on_done=results.append)
        qtbot.waitUntil(lambda: results == [42], timeout=5000)
        assert seen["thread"] is False
    finally:
        tasks.use(previous)


def test_run_gui_refuses_a_foreign_file_with_a_chinese_message(tmp_path, fake_prompts, monkeypatch):
    from safetymonth_desktop.ui import app

    bad = tmp_path / "not-a-db.sqlite"
    bad.write_text("hello")
    assert app.run_gui(bad) == 1
    [(kind, text)] = fake_prompts.calls
    assert kind == "error" and "不是本软件的数据库文件" in text
    assert bad.read_text() == "hello"


def test_undo_is_kept_across_settings_but_cleared_by_a_year_switch(demo, make_window):
    campaigns.save(2022)
    window = make_window()
    window.set_year(2021)
    table = window.show_records(m.Document)
    form = table.add()
    form.form.editors["title"].widget.setText("通知")
    assert form.save()
    dialog = window.campaign_settings()
    assert dialog.save()
    assert window.undo_stack.can_undo()
    window.year_combo.setCurrentIndex(window.year_combo.findData(2022))
    assert not window.undo_stack.can_undo()
    assert m.Document.select().where(m.Document.title == "通知").count() == 1


def test_the_year_list_shows_each_years_stored_ordinal(db, make_window):
    """A corrected 第N个 shows for every year in the list, not only the one on screen."""
    campaigns.save(2021, ordinal=19)
    campaigns.save(2022)
    window = make_window()
    assert window.campaign.year == 2022
    labels = {window.year_combo.itemData(i): window.year_combo.itemText(i) for i in range(window.year_combo.count())}
    assert labels == {2021: "2021年(第19个安全生产月)", 2022: "2022年(第21个安全生产月)"}
    assert campaigns.list_years_with_ordinals() == [(2021, 19), (2022, 21)]
