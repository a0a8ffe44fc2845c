"""The 报送进度 page on real widgets: statuses and the filter, the 催报清单 on the clipboard and as .xlsx, roster
add/remove (with the refusal shown, undoable), re-issuing a unit's template, a unit's 导入记录 with its error list,
and the page following the year, the data and the campaign's 报送截止日期."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import campaigns, indicators, progress, records, roster, submissions, units

FAR = dt.date.today() + dt.timedelta(days=30)  # a deadline still ahead, whatever day the tests run


@pytest.fixture
def year(campaign):
    campaigns.save(2021, deadline=FAR)
    c = campaigns.get(2021)
    u = {name: units.create_unit(name, kind=kind, campaign=c) for name, kind in
         (("城关街道", "街道/乡镇"), ("东湖街道", "街道/乡镇"), ("区教育局", "区级部门"), ("红星公司", "企业"))}
    units.create_unit("幸福里社区")  # in the directory, on no roster
    for n in (1, 2):
        records.create(m.Training, c, {"unit": u["城关街道"].id, "category": "以会代训", "participants": n})
    records.create(m.Media, c, {"unit": u["东湖街道"].id, "channel": "微信", "items": 2})
    submissions.record_receipt(c, unit_id=u["城关街道"].id, file_name="城关街道.xlsx", sha256="a", rows={"培训": 2},
                               outcome=submissions.IMPORTED, when=dt.datetime(2021, 6, 20, 10, 0))
    submissions.record_receipt(c, unit_id=u["区教育局"].id, file_name="D:/收文/区教育局.xlsx", sha256="b",
                               rows={"培训": 1}, outcome=submissions.REFUSED, message="有 2 处错误",
                               errors=["区教育局.xlsx / 培训 / 第2行 / 参训人次 / 很多 / 不是数字",
                                       "区教育局.xlsx / 培训 / 第3行 / 培训类别 / 培训? / 不在可选范围内"],
                               when=dt.datetime(2021, 6, 22, 9, 0))
    submissions.record_receipt(c, unit_id=None, file_name="未知单位.xlsx", sha256="u", rows={},
                               outcome=submissions.REFUSED, when=dt.datetime(2021, 6, 23, 9, 0))
    return c, u


@pytest.fixture
def page(year, make_window):
    window = make_window()
    window.tabs.setCurrentWidget(window.progress)
    return window.progress


def row_of(page, name) -> int:
    return next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == name)


def cell(page, name, column) -> str:
    return page.table.item(row_of(page, name), column).text()


def test_the_tab_follows_the_record_tabs(page):
    window = page.window
    assert window.tabs.tabText(window.tabs.count() - 1) == "报送进度"


def test_rows_statuses_filter_and_counts(page, qtbot):
    assert page.visible_units() == ["东湖街道", "城关街道", "区教育局", "红星公司"]
    assert cell(page, "城关街道", 2) == "已报送" and cell(page, "区教育局", 2) == "有误退回"
    assert cell(page, "红星公司", 2) == "未报送"
    assert cell(page, "城关街道", 3) == "培训 2" and cell(page, "东湖街道", 3) == "媒体宣传 1"
    assert (cell(page, "区教育局", 4), cell(page, "区教育局", 5)) == ("区教育局.xlsx", "退回(有误)")
    status = page.table.item(row_of(page, "区教育局"), 2)
    assert status.foreground().color().name() == "#c0392b" and status.font().bold()
    assert [b.text() for b in page.filter_buttons.values()] == ["全部 4", "未报送 1", "已报送 2", "有误退回 1", "逾期 0"]
    assert "名单 4 个单位" in page.subheading.text() and "报送截止日期" in page.subheading.text()

    qtbot.mouseClick(page.filter_buttons["已报送"], Qt.LeftButton)
    assert page.visible_units() == ["东湖街道", "城关街道"]
    qtbot.mouseClick(page.filter_buttons["有误退回"], Qt.LeftButton)
    assert page.visible_units() == ["区教育局"]
    qtbot.mouseClick(page.filter_buttons["逾期"], Qt.LeftButton)
    assert page.visible_units() == [] and "没有状态为“逾期”的单位" in page.empty_label.text()
    qtbot.mouseClick(page.filter_buttons["全部"], Qt.LeftButton)
    page.search_box.setText("街道")
    assert page.visible_units() == ["东湖街道", "城关街道"]
    page.search_box.clear()
    assert page.unlisted_box.isVisible() and "未知单位.xlsx" in page.unlisted_label.text()
    dialog = page.show_unlisted()
    assert dialog.receipt_table.rowCount() == 1
    dialog.reject()


def test_copy_reminder_to_the_clipboard(page, year, qtbot):
    c, _ = year
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(page.buttons["copy"], Qt.LeftButton)
    text = QGuiApplication.clipboard().text()
    assert text == progress.reminder_text(progress.progress(c))
    assert "以下1个单位尚未报送2021年安全生产月材料：红星公司。" in text
    assert "以下1个单位报送材料有误，已退回，请修改后重新报送：区教育局。" in text
    assert f"请于{FAR.month}月{FAR.day}日前报送" in text or f"请于{FAR.year}年" in text
    assert "已复制催报清单(2 个单位)" in page.window.statusBar().currentMessage()


def test_nothing_to_chase_copies_nothing(page, year, fake_prompts):
    c, u = year
    records.create(m.Training, c, {"unit": u["红星公司"].id, "category": "以会代训", "participants": 1})
    submissions.record_receipt(c, unit_id=u["区教育局"].id, file_name="区教育局-改.xlsx", sha256="c",
                               rows={"培训": 1}, outcome=submissions.IMPORTED)
    records.create(m.Training, c, {"unit": u["区教育局"].id, "category": "以会代训", "participants": 1})
    QGuiApplication.clipboard().setText("原来的内容")
    assert page.copy_reminder() is None
    assert QGuiApplication.clipboard().text() == "原来的内容"
    assert "没有需要催报的单位" in fake_prompts.of_kind("info")[-1][1]


def test_save_reminder_workbook(page, tmp_path, fake_prompts):
    fake_prompts.file_answers = [str(tmp_path / "催报清单")]  # typed without the suffix
    path = page.save_reminder()
    assert path == tmp_path / "催报清单.xlsx" and path.exists()
    ws = load_workbook(path)["催报清单"]
    assert [r[1] for r in ws.iter_rows(min_row=5, values_only=True)] == ["区教育局", "红星公司"]
    assert fake_prompts.of_kind("buttons")  # offered to open it


def test_roster_add_and_undo(page, year, fake_prompts):
    c, _ = year
    extra = units.find_unit("幸福里社区")
    fake_prompts.choose_answers = [0]
    assert page.add_to_roster() == extra.id
    assert fake_prompts.of_kind("choose")[-1][2] == ["幸福里社区(其他)"]
    assert roster.is_listed(c, extra.id) and indicators.compute("units.total", c) == 5
    assert "幸福里社区" in page.visible_units() and page.selected_unit_id() == extra.id
    assert page.filter_buttons["全部"].text() == "全部 5"
    page.window.undo()
    assert not roster.is_listed(c, extra.id)
    assert "幸福里社区" not in page.visible_units()
    # Nobody left off the roster: said so, nothing asked.
    roster.add(c, extra.id)
    asked = len(fake_prompts.of_kind("choose"))
    assert page.add_to_roster() is None
    assert len(fake_prompts.of_kind("choose")) == asked and "都已在本年度名单中" in fake_prompts.of_kind("info")[-1][1]


def test_roster_remove_refused_then_done(page, year, fake_prompts):
    c, u = year
    assert page.select_unit(u["城关街道"].id)
    assert not page.remove_from_roster()
    assert "本年度已有 2 条记录,不能移出名单" in fake_prompts.of_kind("error")[-1][1]
    assert roster.is_listed(c, u["城关街道"].id) and "城关街道" in page.visible_units()

    assert page.select_unit(u["红星公司"].id)
    fake_prompts.confirm_answers = [False]
    assert not page.remove_from_roster()
    assert roster.is_listed(c, u["红星公司"].id)
    assert page.remove_from_roster()
    assert not roster.is_listed(c, u["红星公司"].id) and units.find_unit("红星公司") is not None
    assert "红星公司" not in page.visible_units() and indicators.compute("units.total", c) == 3
    page.window.undo()
    assert roster.is_listed(c, u["红星公司"].id) and "红星公司" in page.visible_units()


def test_actions_need_a_selected_unit(page, fake_prompts):
    page.table.clearSelection()
    assert not page.buttons["reissue"].isEnabled() and not page.buttons["history"].isEnabled()
    assert page.show_history() is None
    assert "请先在列表中选中一个单位" in fake_prompts.of_kind("info")[-1][1]


def test_reissue_writes_the_template_and_records_it(page, year, tmp_path, fake_prompts):
    c, u = year
    page.select_unit(u["红星公司"].id)
    target = tmp_path / "红星公司模板.xlsx"
    fake_prompts.file_answers = [str(target)]
    page.reissue_template()
    assert target.exists()
    wb = load_workbook(target)
    assert "培训" in wb.sheetnames
    [issue] = submissions.issues(c, u["红星公司"].id)
    assert issue.file_name == str(target)
    assert cell(page, "红星公司", 7) != "—"
    assert page.selected_unit_id() == u["红星公司"].id
    assert "已为“红星公司”生成填报模板" in fake_prompts.of_kind("buttons")[-1][1]
    # Cancelled in the save dialog: nothing written, nothing recorded.
    page.reissue_template()
    assert len(submissions.issues(c, u["红星公司"].id)) == 1


def test_import_history_with_the_error_list(page, year, tmp_path, fake_prompts):
    c, u = year
    page.select_unit(u["区教育局"].id)
    dialog = page.show_history()
    assert dialog.receipt_table.rowCount() == 1 and dialog.receipt_table.item(0, 2).text() == "退回(有误)"
    assert dialog.error_box.isVisibleTo(dialog) and dialog.error_table.rowCount() == 2
    assert dialog.error_table.item(0, 3).text() == "参训人次"
    path = dialog.save_errors(tmp_path / "错误清单.xlsx")
    rows = list(load_workbook(path)["导入错误"].iter_rows(values_only=True))
    assert rows[1] == ("区教育局.xlsx", "培训", "第2行", "参训人次", "很多", "不是数字")
    dialog.reject()
    # A unit whose files were all imported: no error part.
    page.select_unit(u["城关街道"].id)
    dialog = page.show_history()
    assert not dialog.error_box.isVisibleTo(dialog)
    dialog.reject()


def test_follows_the_year_and_the_data(page, year):
    c, u = year
    window = page.window
    other = campaigns.save(2020, copy_roster=False)[0]
    units.create_unit("老单位", campaign=other)
    window.reload_years(2020)
    assert page.visible_units() == ["老单位"] and page.heading.text().startswith("2020年")
    window.set_year(2021)
    assert "红星公司" in page.visible_units() and cell(page, "红星公司", 2) == "未报送"
    records.create(m.Training, c, {"unit": u["红星公司"].id, "category": "以会代训", "participants": 3})
    window.refresh()
    assert cell(page, "红星公司", 2) == "已报送"


def test_deadline_in_the_campaign_settings(page, year):
    window = page.window
    dialog = window.campaign_settings()
    editor = dialog.form.editors["deadline"]
    assert editor.value() == FAR
    editor.set_value(dt.date(2021, 6, 30))
    assert dialog.save()
    assert campaigns.get(2021).deadline == dt.date(2021, 6, 30)
    window.tabs.setCurrentWidget(window.overview)
    window.tabs.setCurrentWidget(page)
    assert "2021年6月30日(已过)" in page.subheading.text()
    assert cell(page, "红星公司", 2) == "逾期" and page.filter_buttons["逾期"].text() == "逾期 1"
    dialog = window.campaign_settings()
    dialog.form.editors["deadline"].set_value(None)
    assert dialog.save()
    assert campaigns.get(2021).deadline is None
    assert "未设报送截止日期" in page.subheading.text()


def test_an_import_that_imports_nothing_still_refreshes_the_page(demo, make_window, fake_prompts, tmp_path):
    """A file refused at import writes a receipt and no record: the window says data changed, and the page on
    screen reads the files received again."""
    from tests.ui.test_actions_excel import filled_template, training_rows

    from safetymonth_desktop.ui.actions import excel

    book = filled_template(demo, tmp_path / "新单位.xlsx", "幸福里社区", training_rows(1))
    window = make_window()
    window.tabs.setCurrentWidget(window.progress)
    reads = []
    window.data_changed.connect(lambda: reads.append(len(window.progress.report.units)))
    flow = excel.import_workbooks(window, [book])
    fake_prompts.confirm_answers.append(False)  # do not create the new unit: the file is refused
    flow.dialog.import_button.click()
    assert [r.status for r in flow.results] == ["refused"]
    assert reads  # data_changed was emitted although nothing was imported
