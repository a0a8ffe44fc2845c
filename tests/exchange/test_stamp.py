"""The template's stamp: written where a unit does not see it, read back by import, compared with the year in hand.
Another year or region refuses the file naming both; rows of another unit need the clerk's consent; an unstamped
file imports with a note, its dates kept inside the year."""

import datetime as dt

import openpyxl
import pytest

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import sheet_reading, stamp as stamps, xlsx_import, xlsx_template
from safetymonth_desktop.services import campaigns, units
from tests.exchange.test_xlsx_import import counts, write_book
from tests.cli.test_cli import run


@pytest.fixture
def two_units(campaign):
    units.create_unit("城关街道", kind="街道/乡镇")
    units.create_unit("东湖街道", kind="街道/乡镇")
    return campaign


def fill(path, rows: list[dict], sheet: str = "培训"):
    """Fill a written template as a unit would: by header name, from row 2."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    headers = {cell.value: cell.column for cell in ws[1] if cell.value}
    for r, values in enumerate(rows, start=2):
        for header, value in values.items():
            ws.cell(row=r, column=headers[header], value=value)
    wb.save(path)
    return path


def training(n: int = 1, **extra):
    return [{"培训类别": "以会代训", "参训人次": 30 + i, "开始日期": dt.date(2021, 6, 10), **extra} for i in range(n)]


def test_the_stamp_is_in_the_hidden_list_sheet_and_the_properties(two_units, tmp_path):
    path = xlsx_template.write_template(two_units, tmp_path / "t.xlsx", unit_name="城关街道")
    wb = openpyxl.load_workbook(path)
    lists = wb["选项"]
    assert lists.sheet_state == "hidden" and lists.protection.sheet
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props["safetymonth.year"] == "2021" and props["safetymonth.region"] == "测试区"
    assert props["safetymonth.unit"] == "城关街道" and props["safetymonth.kind"] == "填报模板"
    book = sheet_reading.open_book(path)
    stamp = stamps.read_stamp(book, path)
    assert (stamp.year, stamp.region, stamp.unit, stamp.kind, stamp.version) == (2021, "测试区", "城关街道", "填报模板", 1)
    assert stamp.source == "cells" and len(stamp.token) == 32
    assert dt.datetime.fromisoformat(stamp.issued_at) <= dt.datetime.now()
    # a blank template has no unit; each issue has its own token
    blank = stamps.read_stamp(*_open(xlsx_template.write_template(two_units, tmp_path / "b.xlsx")))
    assert blank.unit == "" and blank.year == 2021 and blank.token != stamp.token
    # the record sheets a unit fills hold nothing of it
    for name in wb.sheetnames:
        if name not in ("选项",):
            assert not any(c.value == stamps.MARK for row in wb[name].iter_rows() for c in row)


def _open(path):
    return sheet_reading.open_book(path), path


def test_the_properties_stand_in_when_the_list_sheet_is_gone(two_units, tmp_path):
    path = xlsx_template.write_template(two_units, tmp_path / "t.xlsx", unit_name="东湖街道")
    wb = openpyxl.load_workbook(path)
    del wb["选项"]
    wb.save(path)
    stamp = stamps.read_stamp(*_open(path))
    assert (stamp.year, stamp.region, stamp.unit, stamp.source) == (2021, "测试区", "东湖街道", "properties")


def test_same_year_imports_and_the_result_tells_the_stamp(two_units, tmp_path):
    path = fill(xlsx_template.write_template(two_units, tmp_path / "城关.xlsx", unit_name="城关街道"), training(2))
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.IMPORTED, [str(e) for e in result.errors]
    assert result.stamp.unit == "城关街道" and result.stamp.year == 2021
    assert result.notes == [] and result.other_units == {}


def test_another_years_template_is_refused_naming_both(two_units, tmp_path):
    campaigns.save(2024, region="城北区")
    later = campaigns.get(2024)
    path = xlsx_template.write_template(later, tmp_path / "2024.xlsx", unit_name="城关街道")
    fill(path, [{"培训类别": "以会代训", "参训人次": 30, "开始日期": dt.date(2021, 6, 10)}])
    before = counts()
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.REFUSED
    assert "该文件是 2024 年度(城北区)的填报模板" in result.message
    assert "当前导入的是 2021 年度(测试区)" in result.message and "重新填写" in result.message
    assert result.errors[0].reason == result.message and result.stamp.year == 2024
    assert counts() == before
    # and it belongs to 2024
    [result] = xlsx_import.import_files([path], 2024, dry_run=True)
    assert result.status == xlsx_import.READY


def test_another_regions_template_is_refused(two_units, tmp_path):
    campaigns.save(2021, region="城北区")  # the same year's template as another office (城北区) writes it
    path = fill(xlsx_template.write_template(campaigns.get(2021), tmp_path / "城北.xlsx", unit_name="城关街道"),
                training())
    campaigns.save(2021, region="测试区")
    before = counts()
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.REFUSED
    assert "2021 年度(城北区)" in result.message and "2021 年度(测试区)" in result.message and "地区不同" in result.message
    assert counts() == before


def test_rows_of_another_unit_need_the_option(two_units, tmp_path):
    path = xlsx_template.write_template(two_units, tmp_path / "城关.xlsx", unit_name="城关街道")
    fill(path, training(1) + training(2, 填报单位="东湖街道"))
    before = counts()
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.REFUSED
    assert [(e.sheet, e.row, e.column, e.value) for e in result.errors] == [("培训", 3, "填报单位", "东湖街道"),
                                                                            ("培训", 4, "填报单位", "东湖街道")]
    assert "“城关街道”的填报模板" in result.errors[0].reason and "--allow-other-units" in result.errors[0].reason
    assert counts() == before

    [result] = xlsx_import.import_files([path], 2021, allow_other_units=True)
    assert result.status == xlsx_import.IMPORTED and result.total == 3
    assert result.other_units == {"东湖街道": 2}
    assert any("其他单位的数据(东湖街道 2 行)" in n for n in result.notes)
    by_unit = {u.name: m.Training.select().where(m.Training.unit == u).count() for u in m.Unit.select()}
    assert by_unit == {"城关街道": 1, "东湖街道": 2}


def test_an_alias_of_the_stamped_unit_is_the_same_unit(two_units, tmp_path):
    units.add_alias(units.find_unit("城关街道").id, "城关办事处")
    path = xlsx_template.write_template(two_units, tmp_path / "城关.xlsx", unit_name="城关街道")
    fill(path, training(1, 填报单位="城关办事处"))
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.IMPORTED and result.other_units == {}


def test_unstamped_file_imports_with_a_note_but_dates_must_be_in_the_year(two_units, tmp_path):
    rows = [["填报单位", "培训类别", "参训人次", "开始日期"], ["城关街道", "以会代训", 30, dt.date(2021, 6, 2)]]
    good = write_book(tmp_path / "手工.xlsx", {"培训": rows})
    [result] = xlsx_import.import_files([good], 2021)
    assert result.status == xlsx_import.IMPORTED and result.stamp is None
    assert any("没有模板标识" in n and "2021 年内" in n for n in result.notes)

    hazards = [["填报单位", "被查单位", "行业领域", "发现日期", "隐患描述", "整改期限"],
               ["城关街道", "某厂", "燃气", "2021-6-3", "阀门锈蚀", None],
               ["城关街道", "某店", "燃气", "2020年6月3日", "软管老化", dt.date(2021, 7, 1)],
               ["东湖街道", "某站", "燃气", dt.date(2021, 6, 4), "管道占压", "2022/1/15"]]
    bad = write_book(tmp_path / "去年.xlsx", {"培训": rows, "隐患台账": hazards})
    before = counts()
    [result] = xlsx_import.import_files([bad], 2021)
    assert result.status == xlsx_import.REFUSED
    assert [(e.file, e.sheet, e.row, e.column, e.value) for e in result.errors] == [
        ("去年.xlsx", "隐患台账", 3, "发现日期", "2020-06-03"), ("去年.xlsx", "隐患台账", 4, "整改期限", "2022-01-15")]
    assert "日期不在 2021 年内" in result.errors[0].reason and "没有模板标识" in result.errors[0].reason
    assert counts() == before


def test_a_stamped_file_of_the_year_may_hold_other_years_dates(two_units, tmp_path):
    """Only the unstamped file is held to the year (a 整改期限 next year is real in a stamped ledger)."""
    path = xlsx_template.write_template(two_units, tmp_path / "城关.xlsx", unit_name="城关街道")
    fill(path, [{"被查单位": "某厂", "行业领域": "燃气", "发现日期": "2021-6-3", "隐患描述": "阀门锈蚀",
                 "整改期限": "2022-3-1"}], sheet="隐患台账")
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.IMPORTED, [str(e) for e in result.errors]


def test_stamp_values_are_read_whatever_the_cell_type():
    rows = [["单位", "", "模板标识"], ["城关街道", "", "年度", 2024.0], ["", "", "地区", " 城南区 "],
            ["", "", "填报单位", "城关街道"], ["", "", "版本", 1]]
    values = stamps._from_rows(rows)
    assert values == {"year": "2024", "region": "城南区", "unit": "城关街道", "version": "1"}
    stamp = stamps._stamp(values, "cells")
    assert (stamp.year, stamp.version, stamp.describe()) == (2024, 1, "2024 年度(城南区)")
    assert stamps._from_rows([["单位"], ["城关街道"]]) is None


def test_cli_allow_other_units(tmp_path):
    db = tmp_path / "c.sqlite"
    assert run("--db", db, "campaign", "--year", 2021, "--region", "城南区").returncode == 0
    template = tmp_path / "城关街道.xlsx"
    assert run("--db", db, "template", "--year", 2021, "--unit", "城关街道", "-o", template).returncode == 0
    fill(template, training(1) + training(1, 填报单位="东湖街道"))
    result = run("--db", db, "import", "--year", 2021, "--create-units", template)
    assert result.returncode == 1
    assert "第3行" in result.stderr and "东湖街道" in result.stderr and "--allow-other-units" in result.stderr
    assert "Traceback" not in result.stderr
    result = run("--db", db, "import", "--year", 2021, "--create-units", "--allow-other-units", template)
    assert result.returncode == 0, result.stderr
    assert "已导入 城关街道.xlsx:培训 2 行" in result.stdout and "其他单位的数据(东湖街道 1 行)" in result.stdout
    help_text = run("import", "--help").stdout
    assert "--allow-other-units" in help_text


def test_a_stamp_edited_by_hand_falls_back_to_the_properties(two_units, tmp_path):
    path = xlsx_template.write_template(two_units, tmp_path / "t.xlsx", unit_name="城关街道")
    wb = openpyxl.load_workbook(path)
    lists = wb["选项"]
    year_cell = next(c for row in lists.iter_rows() for c in row if c.value == "年度")
    lists.cell(row=year_cell.row, column=year_cell.column + 1, value="去年")
    wb.save(path)
    stamp = stamps.read_stamp(*_open(path))
    assert (stamp.year, stamp.unit, stamp.source) == (2021, "城关街道", "properties")
    wb.custom_doc_props.props = [p for p in wb.custom_doc_props.props if p.name != "safetymonth.year"]
    wb.save(path)
    assert stamps.read_stamp(*_open(path)) is None  # no readable year anywhere: treated as unstamped
