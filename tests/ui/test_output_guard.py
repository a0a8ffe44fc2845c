"""Every GUI save refuses a dangerous file before writing (the database, its backups folder, the action's own
input), and restoring another database's backup asks first — driven through the real window and dialogs."""

from __future__ import annotations

import shutil
from pathlib import Path

from safetymonth_desktop.db import backup_folder
from safetymonth_desktop.db.connection import close_database, open_database
from safetymonth_desktop.db.migrations import latest_version
from safetymonth_desktop.exchange import word_report
from safetymonth_desktop.services import campaigns
from safetymonth_desktop.ui.actions import data_safety, excel
from tests.db.util import cli

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / f"schema_v{latest_version()}.sqlite"


def last_error(fake_prompts) -> str:
    return fake_prompts.of_kind("error")[-1][1]


def test_stats_export_onto_the_open_database_is_refused(make_window, fake_prompts, tmp_path):
    db = tmp_path / "d.xlsx"  # a database whose name looks like a workbook, as in issue 13
    shutil.copyfile(FIXTURE, db)
    open_database(db)
    try:
        window = make_window()
        window.reload_years(2021)
        before = db.read_bytes()
        for answer in (db, tmp_path / "sub" / ".." / "d"):
            (tmp_path / "sub").mkdir(exist_ok=True)
            fake_prompts.file_answers.append(str(answer))
            excel.export_stats(window)
            assert "就是当前使用的数据库文件" in last_error(fake_prompts)
        assert db.read_bytes() == before
    finally:
        close_database()


def test_nothing_is_saved_into_the_backups_folder(demo, make_window, fake_prompts, db_path):
    window = make_window()
    folder = backup_folder.backup_dir(db_path)
    folder.mkdir(parents=True)
    fake_prompts.file_answers.append(str(folder / "统计.xlsx"))
    excel.export_stats(window)
    assert "备份文件夹" in last_error(fake_prompts) and list(folder.iterdir()) == []
    excel.write_templates(window, choice=1, folder=folder)
    assert "备份文件夹" in last_error(fake_prompts) and list(folder.iterdir()) == []


def test_a_form_is_never_overwritten_by_its_filled_copy(demo, make_window, fake_prompts, tmp_path):
    from openpyxl import Workbook

    form = tmp_path / "表样.xlsx"
    wb = Workbook()
    wb.active["B3"] = "{{ training.participants }}"
    wb.save(form)
    before = form.read_bytes()
    window = make_window()
    (tmp_path / "x").mkdir()
    excel.fill_form(window, form, tmp_path / "x" / ".." / "表样.xlsx")
    assert "就是本次要读取的表样" in last_error(fake_prompts)
    assert form.read_bytes() == before


def test_the_chosen_template_is_never_overwritten(demo, make_window, fake_prompts, tmp_path):
    window = make_window()
    mine = tmp_path / "我的模板.docx"
    fake_prompts.save_file = lambda *a, **k: str(mine)
    assert window.report_actions.export_template_copy() == mine
    fake_prompts.open_file = lambda *a, **k: str(mine)
    assert window.report_actions.choose_template() == mine
    before = mine.read_bytes()
    assert window.report_actions.export_summary() is None  # the dialog answers the template itself
    assert "就是本次要读取的总结模板" in last_error(fake_prompts)
    assert window.report_actions.export_template_copy() is None
    assert "正在使用的总结模板" in last_error(fake_prompts)
    assert mine.read_bytes() == before and word_report.chosen_template() == mine


def test_the_error_list_never_replaces_an_imported_file(demo, make_window, fake_prompts, tmp_path):
    from openpyxl import Workbook

    book = tmp_path / "东城.xlsx"
    wb = Workbook()
    wb.active.title = "培训"
    wb.active.append(["填报单位", "培训类别", "参训人次"])
    wb.active.append(["没有这个单位", "以会代训", "很多"])
    wb.save(book)
    before = book.read_bytes()
    window = make_window()
    flow = excel.import_workbooks(window, [str(book)])
    fake_prompts.file_answers.append(str(book))
    assert excel.save_error_list(flow.dialog, flow.dialog.results) is None
    assert "就是本次要读取的导入文件" in last_error(fake_prompts)
    assert book.read_bytes() == before


def test_restoring_another_databases_backup_asks_first(demo, make_window, fake_prompts, tmp_path):
    other = tmp_path / "other" / "试用.sqlite"
    other.parent.mkdir()
    assert cli("--db", other, "demo", "--year", 2021).returncode == 0
    assert cli("--db", other, "campaign", "--year", 2021, "--region", "试用区").returncode == 0
    theirs = tmp_path / "试用的备份.sqlite"
    assert cli("--db", other, "backup", "-o", theirs).returncode == 0
    window = make_window()
    dialog = data_safety.show_backups(window)
    region = campaigns.get(2021).region

    fake_prompts.confirm_answers.extend([True, False])  # yes, restore … no, not another database's
    assert dialog.restore_from_file(theirs) is False
    assert "不是数据库" in fake_prompts.of_kind("confirm")[-1][1] and campaigns.get(2021).region == region

    fake_prompts.confirm_answers.extend([True, True])  # the clerk insists
    assert dialog.restore_from_file(theirs) is True
    assert campaigns.get(2021).region == "试用区"


def test_a_backup_copy_is_never_saved_into_the_backups_folder(demo, make_window, fake_prompts, db_path):
    window = make_window()
    dialog = data_safety.show_backups(window)
    dialog.backup_now()
    folder = backup_folder.backup_dir(db_path)
    before = sorted(p.name for p in folder.iterdir())
    dialog.save_copy(folder)
    assert "备份文件夹" in last_error(fake_prompts)
    assert sorted(p.name for p in folder.iterdir()) == before
