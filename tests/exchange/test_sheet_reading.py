"""Sheets as units really fill them: a title above the table (the header found among the first rows, errors at the
real row numbers), merged cells given to every row they cover, .xls and .ods files (tests/exchange/files, made
by LibreOffice Calc with files/make_files.py) read like .xlsx."""

import datetime as dt
import shutil
from pathlib import Path

import pytest

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import sheet_reading, stamp as stamps, xlsx_import
from safetymonth_desktop.services import indicators, units
from tests.exchange.test_xlsx_import import counts

FILES = Path(__file__).resolve().parent / "files"


@pytest.fixture
def two_units(campaign):
    units.create_unit("城关街道", kind="街道/乡镇")
    units.create_unit("东湖街道", kind="街道/乡镇")
    return campaign


def book(path, sheets: dict, merges: dict = None):
    """A workbook from rows (None = empty cell) with merged ranges per sheet ("A4:A6")."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for ref in (merges or {}).get(name, ()):
            ws.merge_cells(ref)
    wb.save(path)
    return path


HEAD = ["填报单位", "培训类别", "期(场)数", "参训人次"]


def test_title_rows_above_the_header(two_units, tmp_path):
    rows = [["城关街道安全生产月培训情况统计表"], [None], HEAD,
            ["城关街道", "以会代训", 1, 30], ["城关街道", "以会代训", 2, 40]]
    path = book(tmp_path / "标题.xlsx", {"培训": rows}, {"培训": ["A1:D1"]})
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.IMPORTED, [str(e) for e in result.errors]
    assert result.counts == {"培训": 2}
    assert "工作表“培训”的表头在第3行,第1—2行(标题等)未导入。" in result.notes
    assert indicators.compute("training.participants", two_units) == 70


def test_errors_report_the_real_row_numbers(two_units, tmp_path):
    rows = [["××单位安全生产月培训情况统计表"], ["填报人:张三", None, "电话:123"], [" 填报单位 ", "培训类别", "期（场）数", "参训人次", "备注栏"],
            ["城关街道", "以会代训", 1, 30], [None] * 4, ["城关街道", "以会代训", 1, "很多"], ["东湖街道", "不存在", 1, 5]]
    path = book(tmp_path / "错.xlsx", {"培训": rows})
    before = counts()
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.REFUSED
    assert [(e.sheet, e.row, e.column, e.value) for e in result.errors] == [("培训", 6, "参训人次", "很多"),
                                                                            ("培训", 7, "培训类别", "不存在")]
    assert any("备注栏" in w for w in result.warnings)  # the unknown column of the header row, not of the title
    assert counts() == before


def test_a_missing_required_column_names_the_header_row(two_units, tmp_path):
    path = book(tmp_path / "缺列.xlsx", {"培训": [["标题"], ["填报单位", "期(场)数", "参训人次"], ["城关街道", 1, 3]]})
    [result] = xlsx_import.import_files([path], 2021)
    assert [(e.row, e.column) for e in result.errors] == [(2, "培训类别")]
    assert "第2行" in result.errors[0].reason


def test_no_header_in_the_first_rows(two_units, tmp_path):
    rows = [[f"说明第{i}行"] for i in range(12)] + [HEAD, ["城关街道", "以会代训", 1, 30]]
    path = book(tmp_path / "太低.xlsx", {"培训": rows})
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.REFUSED
    assert "前10行中没有找到表头" in result.errors[0].reason and result.errors[0].sheet == "培训"


def test_merged_unit_and_industry_cells_belong_to_every_row(two_units, tmp_path, today):
    training = [HEAD, ["城关街道", "以会代训", 1, 30], [None, "以会代训", 1, 40], [None, "以会代训", 1, 50],
                ["东湖街道", "以会代训", 1, 5]]
    hazards = [["填报单位", "被查单位", "行业领域", "发现日期", "隐患描述"],
               ["城关街道", "甲厂", "燃气", "2021-6-1", "a"], [None, "乙厂", None, "2021-6-2", "b"],
               [None, "丙厂", None, "2021-6-3", "c"], [None, "丁厂", "建筑施工", "2021-6-4", "d"]]
    path = book(tmp_path / "合并.xlsx", {"培训": training, "隐患台账": hazards},
                {"培训": ["A2:A4"], "隐患台账": ["A2:A5", "C2:C4"]})
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.IMPORTED, [str(e) for e in result.errors]
    assert result.counts == {"培训": 4, "隐患台账": 4}
    assert "工作表“培训”第2—4行的“填报单位”为合并单元格,已按每行填写处理。" in result.notes
    assert "工作表“隐患台账”第2—4行的“行业领域”为合并单元格,已按每行填写处理。" in result.notes
    v = indicators.compute_all(two_units, today=today)
    assert v["hazards.by_industry"] == {"燃气": {"found": 3, "rectified": 0}, "建筑施工": {"found": 1, "rectified": 0}}
    cg = units.find_unit("城关街道")
    assert m.Training.select().where(m.Training.unit == cg).count() == 3


def test_a_merged_block_with_nothing_else_is_skipped_and_across_columns_fills_each(two_units, tmp_path):
    rows = [HEAD, ["城关街道", "以会代训", 1, 30], [None] * 4, [None] * 4,  # the unit merged over rows with no figures
            ["东湖街道", "以会代训", "合计", None]]  # 期(场)数 merged into 参训人次: both read "合计"
    path = book(tmp_path / "空行.xlsx", {"培训": rows}, {"培训": ["A2:A4", "C5:D5"]})
    [result] = xlsx_import.import_files([path], 2021)
    assert [(e.row, e.column, e.value) for e in result.errors] == [(5, "期(场)数", "合计"), (5, "参训人次", "合计")]
    assert any("第5行的“期(场)数、参训人次”为合并单元格,已按所覆盖的每行每列填写处理" in n for n in result.notes)


def test_two_row_header_with_merged_labels(two_units, tmp_path):
    """填报单位 merged down over both header rows, a group label merged across the columns above its parts."""
    rows = [["填报单位", "培训情况", None, None], [None, "培训类别", "期(场)数", "参训人次"], ["城关街道", "以会代训", 2, 30]]
    path = book(tmp_path / "两行表头.xlsx", {"培训": rows}, {"培训": ["A1:A2", "B1:D1"]})
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.IMPORTED, [str(e) for e in result.errors]
    assert result.counts == {"培训": 1} and m.Training.get().sessions == 2


def test_a_header_merged_across_columns_counts_once(two_units, tmp_path):
    rows = [["填报单位", "培训类别", None, "参训人次"], ["城关街道", "以会代训", "(宽)", 30]]
    path = book(tmp_path / "宽表头.xlsx", {"培训": rows}, {"培训": ["B1:C1"]})
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.IMPORTED, [str(e) for e in result.errors]


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_hand_made_xls_and_ods_import_like_xlsx(two_units, tmp_path, today, suffix):
    # a unit's .xls sent as .xlsx (renamed by hand) is read by its content
    renamed = tmp_path / f"改名.{'xlsx' if suffix == 'xls' else 'xls'}"
    shutil.copyfile(FILES / f"手工表格.{suffix}", renamed)
    [checked] = xlsx_import.import_files([renamed], 2021, dry_run=True)
    assert checked.status == xlsx_import.READY and checked.counts == {"培训": 4, "隐患台账": 4}, checked.message
    path = tmp_path / f"手工表格.{suffix}"
    shutil.copyfile(FILES / f"手工表格.{suffix}", path)
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.IMPORTED, [str(e) for e in result.errors]
    assert result.counts == {"培训": 4, "隐患台账": 4} and result.stamp is None
    assert "工作表“培训”的表头在第3行,第1—2行(标题等)未导入。" in result.notes
    assert "工作表“培训”第4—6行的“填报单位”为合并单元格,已按每行填写处理。" in result.notes
    assert "工作表“隐患台账”第3—5行的“行业领域”为合并单元格,已按每行填写处理。" in result.notes
    assert any("没有模板标识" in n for n in result.notes)
    v = indicators.compute_all(two_units, today=today)
    assert v["training.sessions"] == 5 and v["training.participants"] == 220
    assert v["hazards.by_industry"] == {"燃气": {"found": 3, "rectified": 0}, "建筑施工": {"found": 1, "rectified": 0}}
    assert sorted(h.found_date for h in m.Hazard.select()) == [dt.date(2021, 6, d) for d in (3, 4, 5, 6)]


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_a_stamped_xls_or_ods_of_another_year_is_refused(two_units, tmp_path, suffix):
    path = FILES / f"2024年模板.{suffix}"
    stamp = stamps.read_stamp(sheet_reading.open_book(path), path)
    assert (stamp.year, stamp.region, stamp.unit, stamp.source) == (2024, "测试区", "城关街道", "cells")
    before = counts()
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.REFUSED and "该文件是 2024 年度(测试区)的填报模板" in result.message
    assert counts() == before


def test_ods_merged_ranges_agree_with_calamine_on_xls():
    xls = FILES / "手工表格.xls"
    xls_book = sheet_reading.open_book(xls)
    source = sheet_reading.MergeSource(xls)
    from_xls = {name: sorted(source.ranges(xls_book.get_sheet_by_name(name), name),
                             key=lambda r: (r.first_row, r.first_col))
                for name in xls_book.sheet_names}
    from_ods = {name: sorted(ranges, key=lambda r: (r.first_row, r.first_col))
                for name, ranges in sheet_reading.ods_merged_ranges(FILES / "手工表格.ods").items()}
    assert from_ods == from_xls
    assert from_ods["培训"] == [sheet_reading.Merge(0, 0, 0, 4), sheet_reading.Merge(3, 0, 5, 0)]
    assert sheet_reading.ods_merged_ranges(FILES / "手工表格.xls") == {}

