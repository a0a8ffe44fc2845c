"""The 备份 and 帮助 menu actions: backup now and restore from the 备份与恢复 dialog, keep count, copy to a
folder; a record's history with 恢复此旧值 and 已删除的记录 with 恢复 (undoable); 使用说明 and 关于."""

from __future__ import annotations

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import about, campaigns, history, indicators, records, safety, units
from safetymonth_desktop.ui.actions import data_safety, help
from tests.ui.helpers import select_row


def participants(year=2021):
    return indicators.compute_all(campaigns.get(year))["training.participants"]


def test_backup_now_then_restore_from_the_dialog(demo, make_window, fake_prompts, db_path):
    window = make_window()
    dialog = data_safety.show_backups(window)
    assert dialog.table.rowCount() == 0
    info = dialog.backup_now()
    assert dialog.table.rowCount() == 1
    cells = [dialog.table.item(0, c).text() for c in range(7)]
    assert cells[1] == "手动备份" and cells[3] == "2021" and int(cells[5]) == info.records > 0
    assert "培训" in cells[6]
    saved = participants()

    table = window.show_records(m.Training)
    shown = table.table_model.total
    records.create(m.Training, demo, {"unit": units.find_unit("城关街道"), "category": "以会代训", "participants": 500})
    window.refresh()
    assert participants() == saved + 500

    dialog.table.selectRow(0)
    fake_prompts.confirm_answers.append(True)
    dialog.restore_button.click()
    question = fake_prompts.of_kind("confirm")[0][1]
    assert "恢复前会先把当前数据自动备份一份" in question
    assert participants() == saved
    assert table.table_model.total == shown  # the window read the restored data
    labels = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    assert sorted(labels) == ["恢复前", "手动备份"]
    # The state before the restore is itself a backup that holds the 500.
    before = next(i for i in safety.backups() if i.reason == "before-restore")
    assert before.counts["培训"] == info.counts["培训"] + 1


def test_restore_declined_changes_nothing_and_keep_count_is_saved(demo, make_window, fake_prompts):
    window = make_window()
    dialog = data_safety.show_backups(window)
    dialog.backup_now()
    records.create(m.Training, demo, {"unit": units.find_unit("城关街道"), "category": "以会代训", "participants": 7})
    now = participants()
    fake_prompts.confirm_answers.append(False)
    assert dialog.restore_selected() is False
    assert participants() == now
    dialog.keep.setValue(12)
    assert safety.keep_count() == 12


def test_save_backup_to_a_folder_and_restore_from_that_file(demo, make_window, fake_prompts, tmp_path):
    stick = tmp_path / "U盘"
    stick.mkdir()
    window = make_window()
    dialog = data_safety.show_backups(window)
    dialog.save_copy(stick)
    [copy] = list(stick.iterdir())
    assert copy.suffix == ".sqlite" and "已另存备份" in fake_prompts.of_kind("info")[0][1]
    saved = participants()
    records.create(m.Training, demo, {"unit": units.find_unit("城关街道"), "category": "以会代训", "participants": 9})
    assert dialog.restore_from_file(copy) is True
    assert participants() == saved


def test_history_brings_back_an_old_value_as_an_undoable_change(demo, make_window, fake_prompts):
    training = m.Training.select().where(m.Training.campaign == demo).order_by(m.Training.id).first()
    old = training.participants
    with history.change_group():
        records.update(m.Training, training.id, {"participants": old + 1000, "venue": "新会场"})
    window = make_window()
    table = window.show_records(m.Training)
    row = next(r for r in range(table.table_model.rowCount()) if table.table_model.record_id(r) == training.id)
    select_row(table, row)
    dialog = data_safety.show_history(window)
    texts = [[dialog.table.item(r, c).text() if dialog.table.item(r, c) else "" for c in range(5)]
             for r in range(dialog.table.rowCount())]
    assert ["修改", "参训人次", f"{old:,}", f"{old + 1000:,}"] in [t[1:] for t in texts]  # figures grouped on screen

    [update] = [h for h in dialog.rows if h.action == "update"]
    dialog.buttons[(update.change_id, "participants")].click()
    again = m.Training.get_by_id(training.id)
    assert again.participants == old and again.venue == "新会场"  # only that field came back
    assert window.undo_stack.undo_label() == "恢复旧值(参训人次)"
    window.undo()
    assert m.Training.get_by_id(training.id).participants == old + 1000


def test_deleted_records_come_back_and_the_restore_can_be_undone(demo, make_window, fake_prompts):
    hazard = m.Hazard.select().where(m.Hazard.campaign == demo).first()
    found = indicators.compute_all(demo)["hazards.found"]
    with history.change_group():
        records.delete(m.Hazard, hazard.id)
    assert indicators.compute_all(demo)["hazards.found"] == found - 1
    window = make_window()
    table = window.show_records(m.Hazard)
    shown = table.table_model.total
    dialog = data_safety.show_deleted(window)
    assert dialog.model is m.Hazard  # the type of the table on screen
    assert dialog.table.rowCount() == 1 and hazard.enterprise in dialog.table.item(0, 1).toolTip()

    dialog.buttons[0].click()
    assert m.Hazard.get_or_none(m.Hazard.id == hazard.id) is not None
    assert indicators.compute_all(demo)["hazards.found"] == found
    assert table.table_model.total == shown + 1
    assert dialog.table.rowCount() == 0
    window.undo()
    assert m.Hazard.get_or_none(m.Hazard.id == hazard.id) is None


def test_history_needs_a_selected_record(demo, make_window, fake_prompts):
    window = make_window()
    window.show_records(m.Training)
    assert data_safety.show_history(window) is None
    assert "请先在表格中选中一条记录" in fake_prompts.of_kind("info")[0][1]


def test_about_rows_and_data_folder(demo, make_window, fake_prompts, db_path):
    window = make_window()
    dialog = help.show_about(window)
    assert dialog.values["版本"].text() == about.about_info(db_path).version
    assert dialog.values["数据库文件"].text() == str(db_path.resolve())
    assert dialog.values["备份文件夹"].text() == str(db_path.resolve().parent / "backups" / db_path.stem)
    dialog.open_data.click()
    assert fake_prompts.opened == [str(db_path.resolve().parent)]


def test_guide_opens_or_says_it_is_missing(demo, make_window, fake_prompts, tmp_path, monkeypatch):
    window = make_window()
    guide = tmp_path / "使用说明.html"
    guide.write_text("<h1>使用说明</h1>", encoding="utf-8")
    monkeypatch.setattr(about, "guide_path", lambda: guide)
    assert help.open_guide(window) is True
    assert fake_prompts.opened == [str(guide)]
    monkeypatch.setattr(about, "guide_path", lambda: None)
    assert help.open_guide(window) is False
    assert "没有找到使用说明文件" in fake_prompts.of_kind("info")[0][1]
