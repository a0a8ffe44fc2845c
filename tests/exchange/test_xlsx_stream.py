"""The statistics workbook's ledgers as streamed XML (exchange/xlsx_stream): raw SQL values of every kind land in
the cells openpyxl and calamine read back (odd values stored by older versions included); a ledger longer than one
Excel sheet continues on numbered 续 sheets with a Chinese note, never past the 1 048 576-row limit; LibreOffice
Calc opens the workbook and sees the same cells (needs soffice, installed by .ci/run)."""

import shutil
import subprocess

import openpyxl
import pytest

from safetymonth_desktop.db import models as m
from safetymonth_desktop.db.connection import database
from safetymonth_desktop.exchange import xlsx_export, xlsx_layout, xlsx_stream
from safetymonth_desktop.services import records


def calamine_sheets(path) -> dict[str, list[list]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}


def add_hazards(campaign, count: int) -> list[str]:
    made = []
    for i in range(count):
        name = f"企业{i:02d}"
        records.create(m.Hazard, campaign, {"unit": "城关街道", "enterprise": name, "industry": "燃气",
                                            "found_date": "2021-6-3", "description": "x", "funding": "1.5"})
        made.append(name)
    return made


def test_sheet_sizes_at_the_real_limit():
    assert xlsx_stream.MAX_ROWS == 1_048_576
    assert xlsx_stream.sheet_sizes(0) == [0]
    assert xlsx_stream.sheet_sizes(1_048_575) == [1_048_575]  # the header and a full sheet
    assert xlsx_stream.sheet_sizes(1_048_576) == [1_048_575, 1]
    assert xlsx_stream.sheet_sizes(3_000_000) == [1_048_575, 1_048_574, 902_851]  # a 续 sheet: note + header
    assert sum(xlsx_stream.sheet_sizes(3_000_000)) == 3_000_000


def test_a_long_ledger_continues_on_numbered_sheets(demo, tmp_path, today, monkeypatch):
    add_hazards(demo, 12)
    stored = list(m.Hazard.select(m.Hazard.enterprise, m.Hazard.found_date).where(m.Hazard.campaign == demo)
                  .order_by(m.Hazard.id).tuples())
    enterprises = [e for e, _ in stored]
    monkeypatch.setattr(xlsx_stream, "MAX_ROWS", 6)  # 5 rows on the first sheet, 4 on each 续 sheet
    path = xlsx_export.write_stats(demo, tmp_path / "s.xlsx", today=today)
    sheets = calamine_sheets(path)
    names = list(sheets)
    parts = [n for n in names if n.startswith("隐患台账")]
    expected_parts = ["隐患台账"] + [f"隐患台账(续{i})" for i in range(1, 1 + (len(enterprises) - 5 + 3) // 4)]
    assert parts == expected_parts
    assert names.index(parts[-1]) + 1 == names.index("专项整治")  # the 续 sheets follow their ledger
    headers = [c.header for c in xlsx_layout.spec_for_sheet("隐患台账").columns]
    seen = []
    first = 1
    for number, name in enumerate(parts):
        rows = sheets[name]
        assert len(rows) <= 6, name
        if number:
            note, header, data = rows[0][0], rows[1], rows[2:]
            assert note.startswith(f"续表:接工作表“隐患台账”,第 {first} 至 {first + len(data) - 1} 条记录")
            assert note.endswith("(Excel 每个工作表最多 6 行,超出部分依次放在续表中)")
        else:
            header, data = rows[0], rows[1:]
        assert header == headers
        seen += [row[1] for row in data]
        first += len(data)
    assert seen == enterprises  # every record once, in order
    wb = openpyxl.load_workbook(path)
    assert wb["隐患台账(续1)"].freeze_panes == "A3" and wb["隐患台账"].freeze_panes == "A2"
    assert wb["隐患台账(续1)"]["D3"].number_format == xlsx_layout.DATE_FORMAT
    assert wb["隐患台账(续1)"]["D3"].value.date() == stored[5][1]  # the 6th record, first on 续1


def test_raw_values_of_every_kind(demo, tmp_path, today):
    """What SQLite may hold beyond what the forms write: the cells still show it, and nothing is lost."""
    hazard = records.create(m.Hazard, demo, {"unit": "城关街道", "enterprise": "a", "industry": "燃气",
                                             "found_date": "2021-6-3", "description": "x"})
    database.execute_sql(
        'UPDATE "hazard" SET enterprise = ?, description = ?, measures = ?, deadline = ?, funding = ?, notes = ? '
        'WHERE id = ?',
        (" 前后空格 ", "A&B<C>D\r\nE", "=1+1", "2021年7月", -5, "_x0041_\x01", hazard.id))
    path = xlsx_export.write_stats(demo, tmp_path / "s.xlsx", today=today)
    wb = openpyxl.load_workbook(path)
    ws = wb["隐患台账"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[1].value == " 前后空格 ")
    assert row[5].value == "A&B<C>D\r\nE"
    assert row[7].value == "=1+1" and row[7].data_type == "s" and row[7].quotePrefix
    assert row[9].value == "2021年7月"  # not a date: shown as stored, never dropped
    assert row[10].value == -0.05 and row[10].number_format == xlsx_layout.MONEY_FORMAT
    assert row[13].value == "_x005F_x0041_"  # escaped as openpyxl escapes it; Excel and calamine show "_x0041_"
    calamine = calamine_sheets(path)["隐患台账"]
    line = next(r for r in calamine if r[1] == " 前后空格 ")
    assert line[7] == "=1+1" and line[13] == "_x0041_" and line[10] == -0.05


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice Calc (soffice) not installed")
def test_libreoffice_reads_the_same_cells(demo, tmp_path, today):
    add_hazards(demo, 3)
    path = xlsx_export.write_stats(demo, tmp_path / "s.xlsx", today=today)
    out = tmp_path / "out"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                    "ods", "--outdir", str(out), str(path)], check=True, capture_output=True, timeout=240)
    ours, calc = calamine_sheets(path), calamine_sheets(out / "s.ods")
    assert list(calc) == list(ours)
    for spec in xlsx_layout.EXPORT_SHEETS:
        mine = [[v for v in row] for row in ours[spec.name]]
        theirs = [[v for v in row] for row in calc[spec.name]]
        assert theirs[:len(mine)] == mine, spec.name
        assert len(mine) > 1 or spec.name == "组织机构", spec.name


def test_queries_do_not_grow_with_the_rows(demo, tmp_path, today):
    """One cursor per ledger: the statements an export runs are the same for 3 more hazards or 300 more."""
    def statements() -> list[str]:
        seen = []
        connection = database.connection()
        connection.set_trace_callback(seen.append)
        try:
            xlsx_export.write_stats(demo, tmp_path / "s.xlsx", today=today)
        finally:
            connection.set_trace_callback(None)
        return seen

    add_hazards(demo, 3)
    few = statements()
    add_hazards(demo, 300)
    many = statements()
    assert len(few) > len(xlsx_layout.EXPORT_SHEETS)  # the trace sees the export's statements
    assert len(many) == len(few)
    assert sum("FROM \"hazard\"" in s and "ORDER BY" in s for s in many) == 1


def test_no_zip64_entries_where_none_are_needed(demo, tmp_path, today):
    """The streamed sheet parts are added with their size known, as openpyxl adds its own: no Zip64 extra field
    (which some Excel versions refuse) on a workbook far below 2 GiB; every part deflated."""
    import zipfile

    add_hazards(demo, 50)
    with zipfile.ZipFile(xlsx_export.write_stats(demo, tmp_path / "s.xlsx", today=today)) as book:
        assert book.testzip() is None
        for info in book.infolist():
            assert info.extra == b"", info.filename
            assert info.compress_type == zipfile.ZIP_DEFLATED, info.filename
