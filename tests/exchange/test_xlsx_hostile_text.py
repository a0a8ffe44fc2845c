"""No live formula in any xlsx we write: hostile text in the region, organizer, theme, unit names and record text
goes through the one cell guard (xlsx_layout.set_text_safely) in every writer — template (说明 sheet, pre-filled
unit, hidden list sheet), statistics workbook and ledgers, filled superior's form, import error list. Each file is
reopened: no cell is a formula, and the text shows as typed minus the characters an .xlsx cannot hold."""

import re

import openpyxl
import pytest

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import xlsx_export, xlsx_forms, xlsx_import, xlsx_layout, xlsx_template
from safetymonth_desktop.services import campaigns, records, units
from tests.cli.test_cli import run

HOSTILE = ["=1+1", "+cmd", "-2", "@SUM(A1)", '=HYPERLINK("http://evil","r")', "te\x01xt", "=A1\x02\x1f", "a_x0041_b",
           "\x00=1+1"]
REGION = '=HYPERLINK("http://evil","r")\x01'


def shown(text: str) -> str:
    """What the clerk typed, minus what an .xlsx cannot hold."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text)


def read_cells(path):
    """{(sheet, coordinate): (value as Excel shows it, openpyxl data type)} for every non-empty cell."""
    from python_calamine import CalamineWorkbook

    wb = openpyxl.load_workbook(path)
    shown_by_excel = {}
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        for r, row in enumerate(book.get_sheet_by_name(name).to_python(skip_empty_area=False), start=1):
            for c, value in enumerate(row, start=1):
                shown_by_excel[(name, r, c)] = value
    cells = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    value = shown_by_excel.get((ws.title, cell.row, cell.column), cell.value)
                    cells[(ws.title, cell.coordinate)] = (value, cell.data_type)
    return cells


def assert_no_formula(cells):
    formulas = {key: value for key, (value, data_type) in cells.items() if data_type == "f"}
    assert formulas == {}


def texts(cells) -> set:
    return {value for value, _ in cells.values() if isinstance(value, str)}


@pytest.fixture
def hostile(db):
    """A year and units whose text is hostile; the control characters are put straight into the database, as an
    older version (or another program) may have stored them."""
    campaign = campaigns.save(2021, region="=1+1", organizer="+cmd", theme="@SUM(A1)")[0]
    m.Campaign.update(region=REGION).execute()
    made = []
    for number, name in enumerate(HOSTILE):
        unit = m.Unit.create(name=name, norm=f"hostile{number}", kind="其他")
        record = records.create(m.Training, campaign, {"unit": unit.id, "category": "以会代训", "participants": 5})
        m.Training.update(title=name, venue=name, notes=name).where(m.Training.id == record.id).execute()
        made.append(unit)
    return m.Campaign.get(), made


def test_template_never_holds_a_formula(hostile, tmp_path):
    campaign, made = hostile
    for unit in (made[0], made[4], made[5], made[8]):  # =1+1, =HYPERLINK(…), te\x01xt, \x00=1+1
        path = xlsx_template.write_template(campaign, tmp_path / f"t{unit.id}.xlsx", unit_name=unit.name)
        cells = read_cells(path)
        assert_no_formula(cells)
        title = cells[("说明", "A1")][0]
        assert title == shown(REGION) + "2021年“安全生产月”活动情况填报模板"
        assert cells[("说明", "A2")][0] == f"填报单位:{shown(unit.name)}"
        assert cells[("说明", "A3")][0] == "活动主题:@SUM(A1)"
        assert cells[("培训", "A2")][0] == shown(unit.name)  # the pre-filled unit
        assert cells[("培训", "A501")][0] == shown(unit.name)
        assert {shown(u.name) for u in made} <= texts(cells)  # the hidden list sheet holds every unit
        wb = openpyxl.load_workbook(path)
        assert wb["培训"]["A2"].quotePrefix == xlsx_layout.looks_like_formula(shown(unit.name))


def test_templates_for_every_unit_at_once(hostile, tmp_path):
    """File names from unit names: control characters dropped, names that end up alike kept apart."""
    campaign, made = hostile
    twin = m.Unit.create(name="=1+1\x01", norm="twin", kind="其他")
    paths = xlsx_template.write_templates(campaign, tmp_path, [made[0], made[8], twin])
    assert len(set(paths)) == 3 and all(p.exists() for p in paths)
    assert paths[0].name == "2021年安全生产月填报模板-=1+1.xlsx"
    for path, unit in zip(paths, [made[0], made[8], twin]):
        cells = read_cells(path)
        assert_no_formula(cells)
        assert cells[("培训", "A2")][0] == shown(unit.name)


def test_statistics_workbook_and_ledgers_never_hold_a_formula(hostile, tmp_path):
    campaign, made = hostile
    units.add_alias(made[0].id, "=2+2")
    cells = read_cells(xlsx_export.write_stats(campaign, tmp_path / "s.xlsx"))
    assert_no_formula(cells)
    values = texts(cells)
    assert {shown(name) for name in HOSTILE} <= values
    ledger = {value for (sheet, _), (value, _t) in cells.items() if sheet == "培训"}
    assert {shown(name) for name in HOSTILE} <= ledger  # unit, title, venue, notes of each record
    unit_list = {value for (sheet, _), (value, _t) in cells.items() if sheet == "单位名录"}
    assert "=2+2" in unit_list and "=1+1" in unit_list
    summary = {value for (sheet, _), (value, _t) in cells.items() if sheet == "分单位汇总"}
    assert {shown(name) for name in HOSTILE} <= summary


def test_filled_form_never_holds_a_formula_from_our_text(hostile, tmp_path):
    campaign, _made = hostile
    form = tmp_path / "表样.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "上报表"
    ws["A1"], ws["B1"], ws["C1"] = "{{ campaign.region }}", "{{ campaign.organizer }}", "{{campaign.theme}}"
    ws["D1"] = "{{ campaign.year }}"
    wb.save(form)
    out = tmp_path / "填好.xlsx"
    result = xlsx_forms.fill_form(campaign, form, out)
    assert result.filled == 4
    cells = read_cells(out)
    assert_no_formula(cells)
    assert [cells[("上报表", c)][0] for c in ("A1", "B1", "C1")] == [shown(REGION), "+cmd", "@SUM(A1)"]
    assert cells[("上报表", "D1")][0] == 2021


def test_error_list_never_holds_a_formula(db, tmp_path):
    errors = [xlsx_import.RowError(file=text + ".xlsx", sheet=text, row=2, column=text, value=text, reason=text)
              for text in HOSTILE]
    cells = read_cells(xlsx_import.save_errors(errors, tmp_path / "errors.xlsx"))
    assert_no_formula(cells)
    assert {shown(text) for text in HOSTILE} <= texts(cells)


def test_import_error_list_of_a_hostile_file(db, tmp_path):
    from tests.exchange.test_xlsx_import import write_book

    campaigns.save(2021)
    path = write_book(tmp_path / "h.xlsx", {"培训": [["填报单位", "培训类别", "参训人次"],
                                                    ["=1+1", "@SUM(A1)", "-2"]]},
                      text_cells={("培训", 2, 1), ("培训", 2, 2)})
    [result] = xlsx_import.import_files([path], 2021, backup=False)
    assert result.status == xlsx_import.REFUSED
    cells = read_cells(xlsx_import.save_errors([result], tmp_path / "errors.xlsx"))
    assert_no_formula(cells)
    assert {"=1+1", "@SUM(A1)", "-2"} <= texts(cells)


def test_the_guard_on_its_own():
    from openpyxl import Workbook

    ws = Workbook().active
    for text, expected in [("=1+1", "=1+1"), ("te\x01xt", "text"), ("\ud800x\uffff", "x"), ("a" * 40000, "a" * 32767),
                           ("a_x0041_b", "a_x005F_x0041_b"), ("多行\n文字\t制表", "多行\n文字\t制表")]:
        cell = ws["A1"]
        xlsx_layout.set_text_safely(cell, text)
        assert cell.value == expected and cell.data_type == "s"
    for value in (3, 2.5, None):
        xlsx_layout.set_text_safely(ws["B1"], value)
        assert ws["B1"].value == value


def test_command_line_region_formula_stays_text(tmp_path):
    """The reported case: campaign --region '=HYPERLINK(…)' then stats --form and template."""
    db = tmp_path / "c.sqlite"
    result = run("--db", db, "campaign", "--year", 2021, "--region", '=HYPERLINK("http://evil","r")\x01',
                 "--organizer", "+cmd")
    assert result.returncode == 0, result.stderr
    form = tmp_path / "表样.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "{{ campaign.region }}"
    wb.save(form)
    out = tmp_path / "填好.xlsx"
    result = run("--db", db, "stats", "--year", 2021, "--form", form, "-o", out)
    assert result.returncode == 0, result.stderr
    cells = read_cells(out)
    assert_no_formula(cells)
    assert cells[("Sheet", "A1")][0] == '=HYPERLINK("http://evil","r")'
    template = tmp_path / "t.xlsx"
    result = run("--db", db, "template", "--year", 2021, "-o", template)
    assert result.returncode == 0, result.stderr
    cells = read_cells(template)
    assert_no_formula(cells)
    assert cells[("说明", "A1")][0].startswith('=HYPERLINK("http://evil","r")2021年')
