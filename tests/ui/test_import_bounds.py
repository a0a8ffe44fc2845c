"""Workbooks that would abort python-calamine, imported from the GUI: the window lives on and the preview says in
Chinese why that file was refused, while the good file beside it imports. Every workbook the GUI imports is
read in a child process first, so even a file the scan failed to see through cannot take the window down."""

from __future__ import annotations

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import calamine_probe, xlsx_import, xlsx_limits
from safetymonth_desktop.ui.actions import excel
from safetymonth_desktop.ui.dialogs.import_preview import REFUSED_TEXT
from tests.exchange.test_xlsx_limits import HOSTILE
from tests.ui.test_actions_excel import filled_template, training_rows


def preview_rows(dialog) -> list[tuple[str, str, str]]:
    return [(dialog.files.item(r, 0).text(), dialog.files.item(r, 1).text(), dialog.files.item(r, 3).text())
            for r in range(dialog.files.rowCount())]


def test_a_hostile_workbook_is_refused_and_the_good_one_beside_it_imports(demo, make_window, tmp_path):
    calamine_probe._verdicts.clear()
    hostile = HOSTILE["XFD1048576"](tmp_path / "坏.xlsx")
    good = filled_template(demo, tmp_path / "好.xlsx", "城关街道", training_rows(2))
    window = make_window()
    before = m.Training.select().count()

    flow = excel.import_workbooks(window, [hostile, good])
    rows = preview_rows(flow.dialog)
    assert rows[0][:2] == ("坏.xlsx", REFUSED_TEXT)
    assert "XFD1048576" in rows[0][2] and "上限 1000 列" in rows[0][2]
    assert rows[1][:2] == ("好.xlsx", "可以导入")
    flow.dialog.import_button.click()
    assert window.isVisible()
    assert [r.status for r in flow.results if r.file == "好.xlsx"] == [xlsx_import.IMPORTED]
    assert m.Training.select().count() == before + 2


def test_a_workbook_the_scan_missed_is_read_in_a_child_and_the_window_lives(demo, make_window, tmp_path,
                                                                           monkeypatch):
    """The scan is blinded here, as if calamine had a way to blow up that the scan does not know: the GUI's
    child process still takes the abort, and the clerk reads a refusal."""
    calamine_probe._verdicts.clear()
    monkeypatch.setattr(xlsx_limits, "check", lambda path, limits=None: xlsx_limits.WorkbookScan(format="xlsx"))
    hostile = HOSTILE["sst_4e9"](tmp_path / "声明四十亿.xlsx")
    window = make_window()

    flow = excel.import_workbooks(window, [hostile])
    [(name, status, notes)] = preview_rows(flow.dialog)
    assert (name, status) == ("声明四十亿.xlsx", REFUSED_TEXT)
    assert "读取文件“声明四十亿.xlsx”时内存不足或读取程序异常退出" in notes
    assert window.isVisible() and not flow.dialog.import_button.isEnabled()

    # The window still works: a good file imports afterwards.
    good = filled_template(demo, tmp_path / "好.xlsx", "城关街道", training_rows(1))
    flow = excel.import_workbooks(window, [good])
    flow.dialog.import_button.click()
    assert [r.status for r in flow.results] == [xlsx_import.IMPORTED]
