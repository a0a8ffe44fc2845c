"""A year's collection cycle run end to end as a clerk runs it, through the command line (issue 12):

last year's roster of 70 units carries over; a stamped template is issued to every unit; 40 units send good files,
10 send files with a mistake (5 of them send a corrected file afterwards), 5 send a good file and later a corrected
one (replacing the first), one sends last year's template, the rest send nothing. `progress --json` must say exactly
who is where, the 催报清单 must name exactly the units still owed, last year's figures must never move, the demo must
refuse the year, and the figures must agree with totals computed here by hand from the files written.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import openpyxl
import pytest

pytestmark = pytest.mark.slow

LAST, YEAR = 2023, 2024
UNITS = [f"第{n:02d}街道" if n < 20 else f"第{n:02d}局" for n in range(70)]
GOOD, BAD, FIXED_LATER, REPLACED, OLD_TEMPLATE = range(0, 40), range(40, 50), range(45, 50), range(50, 55), 55
SILENT = range(56, 70)


def cli(db, *args):
    result = subprocess.run([sys.executable, "-m", "safetymonth_desktop", "--db", str(db), *map(str, args)],
                            capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def fill(template, target, rows):
    """Fill a unit's stamped template as the unit would: training rows under the headers (the unit is pre-filled)."""
    wb = openpyxl.load_workbook(template)
    ws = wb["培训"]
    headers = {c.value: c.column for c in ws[1]}
    for offset, (category, participants, day) in enumerate(rows):
        row = 2 + offset
        ws.cell(row=row, column=headers["培训类别"], value=category)
        ws.cell(row=row, column=headers["参训人次"], value=participants)
        ws.cell(row=row, column=headers["开始日期"], value=day)
    wb.save(target)
    return target


def figures(db, year):
    result = cli(db, "figures", "--year", year, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_collection_year(tmp_path):
    db = tmp_path / "区安委办.sqlite"
    assert cli(db, "campaign", "--year", LAST, "--region", "城南区", "--organizer", "区政府安委会").returncode == 0
    # Last year: the 70 units were created on last year's roster (one file creating them all).
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "培训"
    ws.append(["填报单位", "培训类别", "参训人次", "开始日期"])
    for name in UNITS:
        ws.append([name, "以会代训", 10, dt.date(LAST, 6, 5)])
    book.save(tmp_path / "去年.xlsx")
    assert cli(db, "import", "--year", LAST, "--create-units", tmp_path / "去年.xlsx").returncode == 0
    last_year = figures(db, LAST)
    assert last_year["units.total"] == 70 and last_year["units.reported"] == 70

    # This year starts from last year's roster; the deadline is 6月25日; a template for every unit.
    assert cli(db, "campaign", "--year", YEAR, "--deadline", f"{YEAR}-6-25").returncode == 0
    issued = cli(db, "template", "--year", YEAR, "--roster", "-o", tmp_path / "下发")
    assert issued.returncode == 0 and "70 个单位" in issued.stdout, issued.stderr
    old = cli(db, "template", "--year", LAST, "--unit", UNITS[OLD_TEMPLATE], "-o", tmp_path / "去年模板.xlsx")
    assert old.returncode == 0

    def template(n):
        return tmp_path / "下发" / f"{YEAR}年安全生产月填报模板-{UNITS[n]}.xlsx"

    received = tmp_path / "收到"
    received.mkdir()
    expected_people = 0
    first_round = []
    for n in GOOD:
        people = 20 + n
        first_round.append(fill(template(n), received / f"{UNITS[n]}.xlsx",
                                [("以会代训", people, dt.date(YEAR, 6, 8)), ("其他", 5, dt.date(YEAR, 6, 9))]))
        expected_people += people + 5
    for n in BAD:  # 参训人次 written as text: the whole file is refused
        first_round.append(fill(template(n), received / f"{UNITS[n]}.xlsx", [("以会代训", "三十人", dt.date(YEAR, 6, 8))]))
    for n in REPLACED:  # a first version, replaced later
        first_round.append(fill(template(n), received / f"{UNITS[n]}-初稿.xlsx", [("以会代训", 999, dt.date(YEAR, 6, 8))]))
    first_round.append(fill(tmp_path / "去年模板.xlsx", received / f"{UNITS[OLD_TEMPLATE]}.xlsx",
                            [("以会代训", 50, dt.date(LAST, 6, 8))]))
    result = cli(db, "import", "--year", YEAR, *first_round)
    assert result.returncode == 1  # some files were refused
    assert result.stderr.count("未导入 ") == len(BAD) + 1, result.stderr
    assert "2023 年度" in result.stderr and "2024 年度" in result.stderr  # last year's template, both years named
    assert figures(db, LAST) == last_year

    # Corrected files: five of the refused units, and the five replacing their first version.
    second_round = []
    for n in FIXED_LATER:
        second_round.append(fill(template(n), received / f"{UNITS[n]}-改.xlsx", [("以会代训", 30, dt.date(YEAR, 6, 8))]))
        expected_people += 30
    for n in REPLACED:
        second_round.append(fill(template(n), received / f"{UNITS[n]}-终稿.xlsx", [("以会代训", 40, dt.date(YEAR, 6, 8))]))
        expected_people += 40
    refused_without_replace = cli(db, "import", "--year", YEAR, *second_round)
    assert refused_without_replace.returncode == 1 and "--replace" in refused_without_replace.stderr
    result = cli(db, "import", "--year", YEAR, "--replace", *second_round)
    assert result.returncode == 0, result.stderr
    again = cli(db, "import", "--year", YEAR, "--replace", *second_round)  # the same files twice: nothing changes
    assert again.returncode == 0 and again.stdout.count("未变化") == len(second_round)

    # 报送进度 as of the day after the deadline.
    progress = cli(db, "progress", "--year", YEAR, "--json", "--as-of", f"{YEAR}-6-26")
    assert progress.returncode == 0, progress.stderr
    status = {row["unit"]: row["status"] for row in json.loads(progress.stdout)}
    expected = {}
    for n, name in enumerate(UNITS):
        if n in GOOD or n in FIXED_LATER or n in REPLACED:
            expected[name] = "已报送"
        elif n in BAD or n == OLD_TEMPLATE:
            expected[name] = "有误退回"
        else:
            expected[name] = "逾期"
    assert status == expected
    rows = {row["unit"]: row for row in json.loads(progress.stdout)}
    assert rows[UNITS[50]]["rows"] == {"培训": 1}
    assert [f["outcome"] for f in rows[UNITS[50]]["files"]] == ["imported", "refused", "replaced", "unchanged"]
    # 45: refused; its corrected file imported in the run without --replace (nothing to replace); then twice again.
    assert [f["outcome"] for f in rows[UNITS[45]]["files"]] == ["refused", "imported", "unchanged", "unchanged"]
    # Before the deadline the silent units are merely 未报送.
    early = json.loads(cli(db, "progress", "--year", YEAR, "--json", "--as-of", f"{YEAR}-6-20").stdout)
    assert {r["status"] for r in early if r["unit"] in {UNITS[n] for n in SILENT}} == {"未报送"}

    # The 催报清单 names exactly the units still owed.
    text = cli(db, "progress", "--year", YEAR, "--as-of", f"{YEAR}-6-26").stdout
    owed = [UNITS[n] for n in SILENT] + [UNITS[n] for n in BAD if n not in FIXED_LATER] + [UNITS[OLD_TEMPLATE]]
    for name in UNITS:
        assert name in text
    from safetymonth_desktop.db.connection import close_database, open_database
    from safetymonth_desktop.services import campaigns, progress as progress_service

    open_database(db)
    try:
        report = progress_service.progress(campaigns.get(YEAR), as_of=dt.date(YEAR, 6, 26))
        reminder = progress_service.reminder_text(report)
    finally:
        close_database()
    named = {name for name in UNITS if name in reminder}
    assert named == set(owed), reminder

    # Figures agree with what the files held; last year never moved; the demo refuses this year.
    values = figures(db, YEAR)
    assert values["training.participants"] == expected_people
    assert values["units.total"] == 70
    assert values["units.reported"] == len(GOOD) + len(FIXED_LATER) + len(REPLACED)
    assert figures(db, LAST) == last_year
    demo = cli(db, "demo", "--year", YEAR)
    assert demo.returncode == 1 and "示例.sqlite" in demo.stderr
    assert figures(db, YEAR) == values
