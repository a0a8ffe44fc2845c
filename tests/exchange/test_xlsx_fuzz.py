"""Fuzzing the workbook reader: random small mutations of a valid exchange workbook (declared counts, dimension,
cell and row references, repeated and empty rows, prefixes, formulas, a long shared string copied into many
cells, cut or garbled parts; .ods repeats and spaces) imported in a child process whose memory (RLIMIT_AS,
1 GiB) and processor time (RLIMIT_CPU, 30 s a file) the operating system limits. Each file must end as a
result or a Chinese refusal: never an abort, a kill by a limit, or a traceback."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.exchange import hostile_books as hb

GIB = 1 << 30
SECONDS_PER_FILE = 30
HEAD = ["填报单位", "培训类别", "参训人次", "备注"]
CATEGORIES = ["以会代训", "特种作业人员培训", "应急演练培训"]

DRIVER = """
import json, resource, sys
limit = int(sys.argv[1]); seconds = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
hard = int(resource.getrusage(resource.RUSAGE_SELF).ru_utime) + seconds * (len(sys.argv) - 4) + 30
resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))

def used():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
from safetymonth_desktop.db.connection import open_database
from safetymonth_desktop.exchange import xlsx_import, xlsx_limits, xlsx_safety
from safetymonth_desktop.services import campaigns
xlsx_limits.MAX_ROWS = 2000  # the row limit within reach of small files
open_database(sys.argv[3])
campaigns.save(2021)
for path in sys.argv[4:]:
    resource.setrlimit(resource.RLIMIT_CPU, (min(int(used()) + seconds + 1, hard), hard))  # this file's share
    if path.endswith(".ods"):  # checked, then read as calamine reads it (the import takes .xlsx here)
        from python_calamine import CalamineWorkbook
        from safetymonth_desktop.exchange import xlsx_limits
        from safetymonth_desktop.base.errors import AppError
        try:
            xlsx_limits.check(path)
        except AppError as exc:
            print(json.dumps({"file": path, "status": "refused", "message": str(exc), "cpu": used()},
                             ensure_ascii=False), flush=True)
            continue
        book = CalamineWorkbook.from_path(path)
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        print(json.dumps({"file": path, "status": "ready", "message": "", "cpu": used()}), flush=True)
        continue
    [r] = xlsx_import.import_files([path], 2021, create_units=True, dry_run=True, backup=False)
    print(json.dumps({"file": path, "status": r.status, "message": r.message, "cpu": used(),
                      "errors": [e.reason for e in r.errors[:3]]}, ensure_ascii=False), flush=True)
"""


def base_parts(rnd: random.Random) -> dict:
    """A valid workbook: 培训 with shared and inline strings, numbers and a formula with its result; a 说明 sheet."""
    strings = ["城关街道", "东湖街道", *CATEGORIES]
    rows = [hb.row(1, HEAD)]
    for r in range(2, 32):
        unit = f'<c r="A{r}" t="s"><v>{rnd.randrange(2)}</v></c>'
        category = f'<c r="B{r}" t="s"><v>{2 + rnd.randrange(3)}</v></c>'
        count = f'<c r="C{r}"><v>{rnd.randrange(1, 90)}</v></c>' if r % 7 else f'<c r="C{r}"><f>2*3</f><v>6</v></c>'
        note = f'<c r="D{r}" t="inlineStr"><is><t>备注{r}</t></is></c>'
        rows.append(f'<row r="{r}">{unit}{category}{count}{note}</row>')
    return hb.parts({"培训": hb.sheet(rows, dimension="A1:D31"), "说明": hb.table([["填写说明"]])},
                    shared=hb.shared_strings(strings, count=60, unique=len(strings)))


SHEET = "xl/worksheets/sheet1.xml"
SST = "xl/sharedStrings.xml"
REFS = re.compile(r'<c r="([A-Z]+[0-9]+)"')


def junk_ref(draw) -> str:
    return draw(st.one_of(
        st.builds(lambda c, r: f"{hb.column_letters(c)}{r}", st.integers(1, 20000), st.integers(1, 2**33)),
        st.sampled_from(["", "A0", "a1", "$A$1", "AAAA1", "A99999999999", "1", "XFD1048576", "A1:B2", "Ａ1"])))


def big_number(draw) -> str:
    return str(draw(st.one_of(st.integers(0, 100), st.integers(0, 2**70),
                              st.sampled_from([4_000_000_000, 2**31, 2**32 + 1, 2_000_001, 10**6]))))


def mutate_xlsx(draw, parts: dict) -> str:
    """Apply one random mutation to the members; returns its name (for the failure message)."""
    kind = draw(st.sampled_from([
        "sst counts", "dimension", "cell ref", "row ref", "empty rows", "copied rows", "no refs", "prefixed",
        "styled far cell", "formula without value", "hidden", "shared index", "long shared string", "duplicate r",
        "cut part", "garbage", "many formulas", "merged cells"]))
    sheet, sst = parts[SHEET], parts[SST]
    if kind == "sst counts":
        parts[SST] = re.sub(r'count="\d+" uniqueCount="\d+"',
                            f'count="{big_number(draw)}" uniqueCount="{big_number(draw)}"', sst)
    elif kind == "dimension":
        parts[SHEET] = sheet.replace('ref="A1:D31"', f'ref="A1:{junk_ref(draw)}"')
    elif kind == "cell ref":
        refs = REFS.findall(sheet) or ["A1"]
        target = refs[draw(st.integers(0, len(refs) - 1))]
        parts[SHEET] = sheet.replace(f'r="{target}"', f'r="{junk_ref(draw)}"', 1)
    elif kind == "row ref":
        number = draw(st.integers(1, 31))
        parts[SHEET] = sheet.replace(f'<row r="{number}">', f'<row r="{big_number(draw)}">', 1)
    elif kind == "empty rows":
        first, count = draw(st.integers(32, 5000)), draw(st.integers(1, 4000))
        extra = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t></t></is></c>'
                        f'<c r="D{r}" t="s"><v>0</v></c></row>' for r in range(first, first + count))
        parts[SST] = sst.replace("<si><t>城关街道</t></si>", "<si><t> </t></si><si><t>城关街道</t></si>", 1)
        parts[SHEET] = sheet.replace("</sheetData>", extra + "</sheetData>")
    elif kind == "copied rows":
        body = sheet[sheet.find("<row", sheet.find("<row") + 1):sheet.rfind("</sheetData>")]
        parts[SHEET] = sheet.replace("</sheetData>", body * draw(st.integers(1, 60)) + "</sheetData>")
    elif kind == "no refs":
        parts[SHEET] = REFS.sub("<c", sheet).replace("<c>", "<c>")
    elif kind == "prefixed":
        prefixed = re.sub(r"<(/?)(row|c|v|f|is|t|sheetData)([ >])", r"<\1x:\2\3", sheet)
        parts[SHEET] = prefixed.replace("<worksheet ", f'<worksheet xmlns:x="{hb.NS}" ', 1)
    elif kind == "styled far cell":
        parts[SHEET] = sheet.replace("</row>", f'<c r="{junk_ref(draw)}" s="1"/></row>', 1)
    elif kind == "formula without value":
        refs = REFS.findall(sheet) or ["A1"]
        target = refs[draw(st.integers(0, len(refs) - 1))]
        parts[SHEET] = re.sub(f'<c r="{target}"[^>]*>.*?</c>', f'<c r="{target}"><f>1000*3</f><v></v></c>', sheet,
                              count=1)
    elif kind == "hidden":
        state = draw(st.sampled_from(["hidden", "veryHidden", "bogus"]))
        parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace('sheetId="1"', f'sheetId="1" state="{state}"')
    elif kind == "shared index":
        parts[SHEET] = sheet.replace('t="s"><v>0</v>', f't="s"><v>{big_number(draw)}</v>', 1)
    elif kind == "long shared string":
        length, copies = draw(st.integers(1, 3_000_000)), draw(st.integers(1, 3000))
        parts[SST] = sst.replace("</sst>", f"<si><t>{'长' * length}</t></si></sst>")
        extra = "".join(f'<row r="{r}"><c r="D{r}" t="s"><v>5</v></c></row>' for r in range(40, 40 + copies))
        parts[SHEET] = sheet.replace("</sheetData>", extra + "</sheetData>")
    elif kind == "duplicate r":
        parts[SHEET] = sheet.replace('<c r="C5"', f'<c r="C5" r="{junk_ref(draw)}"', 1)
    elif kind == "cut part":
        name = draw(st.sampled_from([SHEET, SST, "xl/workbook.xml", "_rels/.rels"]))
        text = parts[name]
        parts[name] = text[:draw(st.integers(0, len(text)))]
    elif kind == "garbage":
        name = draw(st.sampled_from([SHEET, SST, "xl/workbook.xml"]))
        text = parts[name]
        at = draw(st.integers(0, len(text)))
        parts[name] = text[:at] + draw(st.sampled_from(["<", "&", "\x00", "<!DOCTYPE x>", "]]>", "<c>", "\ufffe"]))\
            + text[at:]
    elif kind == "merged cells":
        merges = "".join(f'<mergeCell ref="{junk_ref(draw)}:{junk_ref(draw)}"/>'
                         for _ in range(draw(st.integers(1, 5))))
        merges += '<mergeCell ref="A2:D31"/>' * draw(st.integers(0, 30000))
        parts[SHEET] = sheet.replace("</sheetData>", f"</sheetData><mergeCells>{merges}</mergeCells>")
    elif kind == "many formulas":
        extra = "".join(f'<row r="{r}"><c r="C{r}"><f>A{r}*2</f></c></row>'
                        for r in range(40, 40 + draw(st.integers(1, 20000))))
        parts[SHEET] = sheet.replace("</sheetData>", extra + "</sheetData>")
    return kind


def ods_file(draw, path) -> str:
    rows = [HEAD, ["城关街道", "以会代训", 3, ""]]
    rows_repeated, columns_repeated = draw(st.integers(1, 2_000_000)), draw(st.integers(1, 20000))
    spaces = draw(st.integers(0, 4_000_000_000))
    value = draw(st.sampled_from(['office:value-type="float" office:value="1"', 'office:value-type="string"', ""]))
    extra = (f'<table:table-row table:number-rows-repeated="{rows_repeated}"><table:table-cell '
             f'table:number-columns-repeated="{columns_repeated}" {value}><text:p>x<text:s text:c="{spaces}"/>'
             "</text:p></table:table-cell></table:table-row>")
    hb.ods(path, hb.ods_table("培训", rows, extra=extra))
    return f"ods rows×{rows_repeated} columns×{columns_repeated} spaces {spaces} {value[:30]}"


@st.composite
def hostile_file(draw, folder, number: int):
    if draw(st.integers(0, 4)) == 0:
        path = folder / f"f{number}.ods"
        return path, ods_file(draw, path)
    parts = base_parts(random.Random(number))
    kinds = [mutate_xlsx(draw, parts) for _ in range(draw(st.integers(1, 3)))]
    path = folder / f"f{number}.xlsx"
    hb.write(path, {name: data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
                    for name, data in parts.items()})
    return path, " + ".join(kinds)


@pytest.mark.slow
@pytest.mark.timeout(1200)  # with pytest-timeout: twelve children of eight files, each file at most 30 s
@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking:
          suppress_health_check=[HealthCheck.function_scoped_fixture,  # each try is a child process; the failure
                                 HealthCheck.too_slow, HealthCheck.data_too_large])  # names the mutations instead
@given(data=st.data())
def test_no_small_workbook_aborts_exhausts_or_hangs_the_import(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    files = [data.draw(hostile_file(folder, i)) for i in range(8)]
    for path, _what in files:
        assert path.stat().st_size < 20 * 1024 * 1024
    seconds = SECONDS_PER_FILE * len(files)
    try:  # the processor time is limited per file by the child itself (RLIMIT_CPU); this is the wall-clock backstop
        result = subprocess.run([sys.executable, "-c", DRIVER, str(GIB), str(SECONDS_PER_FILE),
                                 str(folder / "d.sqlite"), *(str(p) for p, _w in files)], capture_output=True,
                                text=True, encoding="utf-8", errors="replace", timeout=3 * seconds + 60)
    except subprocess.TimeoutExpired:
        pytest.fail("the import of " + "; ".join(w for _p, w in files) + " did not end within the time limit")
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    culprit = files[len(lines)][1] if len(lines) < len(files) else ""
    assert result.returncode == 0, (f"ended with {result.returncode} at: {culprit}", result.stderr[-1500:])
    assert "Traceback" not in result.stderr, result.stderr[-1500:]
    if os.environ.get("FUZZ_LOG"):
        with open(os.environ["FUZZ_LOG"], "a", encoding="utf-8") as log:
            previous = 0.0
            for line, (_path, what) in zip(lines, files):
                log.write(f"{line['cpu'] - previous:7.2f} s  {line['status']:8s} {what}  {line['message'][:80]}\n")
                previous = line["cpu"]
    for line, (_path, what) in zip(lines, files):
        assert line["status"] in ("ready", "refused"), (what, line)
        if line["status"] == "refused":
            assert re.search(r"[\u4e00-\u9fff]", line["message"]), (what, line)
            assert "内部错误" not in line["message"], (what, line)
