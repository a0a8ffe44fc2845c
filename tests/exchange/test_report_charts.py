"""The report's chart appendix and year-on-year phrasing: pictures from a renderer handed in (exchange
never draws), inline at 15 cm, 附件1/附件2, 同比 phrases only when last year is in the database; the
command line with and without --no-charts; LibreOffice's PDF rendering of the appendix."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import zlib

import pytest
from docx import Document
from docx.shared import Mm

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import word_report
from safetymonth_desktop.exchange.report_context import build_context
from safetymonth_desktop.services import campaigns, chart_data, records, units


def png(width=60, height=30) -> bytes:
    """A small valid PNG (white), made without Qt."""
    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture
def two_years(db):
    y20 = campaigns.save(2020, region="测试区", organizer="区安委会")[0]
    y21 = campaigns.save(2021, region="测试区", organizer="区安委会")[0]
    a = units.create_unit("甲街道", kind="街道/乡镇")
    records.create(m.Training, y20, {"unit": a.id, "category": "以会代训", "sessions": 2, "participants": 200})
    records.create(m.Training, y21, {"unit": a.id, "category": "以会代训", "sessions": 1, "participants": 250})
    records.create(m.Training, y21, {"unit": a.id, "category": "公开课/讲座", "sessions": 3, "participants": 50})
    hz = {"unit": a.id, "enterprise": "厂", "industry": "燃气", "description": "隐患"}
    records.create(m.Hazard, y21, {**hz, "found_date": "2021-6-2", "status": "已整改", "rectified_date": "2021-6-3"})
    records.create(m.Hazard, y21, {**hz, "found_date": "2021-6-2"})
    records.create(m.Hazard, y20, {**hz, "found_date": "2020-6-2", "status": "已整改", "rectified_date": "2020-6-3"})
    for _ in range(3):
        records.create(m.Hazard, y20, {**hz, "found_date": "2020-6-2"})
    return y20, y21


def second_industry(year):
    """A hazard in a second industry, so the hazards chart has two categories to compare."""
    unit = m.Unit.get(m.Unit.name == "甲街道")
    records.create(m.Hazard, year, {"unit": unit.id, "enterprise": "工地", "industry": "建筑施工",
                                    "description": "隐患", "found_date": "2021-6-3"})


def text_of(path) -> str:
    doc = Document(str(path))
    return "\n".join(p.text for p in doc.paragraphs)


def test_charts_are_inline_pictures_15cm_wide(two_years, today, tmp_path):
    y21 = two_years[1]
    assert [s.key for s in chart_data.report_charts(y21)] == ["training"]  # one industry: no chart of one bar
    second_industry(y21)
    drawn = []

    def renderer(spec):
        drawn.append(spec.key)
        return png()

    target = word_report.write_report(y21, tmp_path / "r.docx", today=today, chart_renderer=renderer)
    assert drawn == ["training", "hazards"]  # no materials this year: no empty chart; no data-entry chart
    doc = Document(str(target))
    shapes = doc.inline_shapes
    assert len(shapes) == 2
    assert all(abs(s.width - Mm(word_report.CHART_WIDTH_MM)) < Mm(0.1) for s in shapes)
    assert not doc.element.body.xpath(".//wp:anchor")  # no floating objects
    text = text_of(target)
    assert "附件1" in text and "附件2" in text
    assert "图1\u30002021年各类培训参训人次" in text and "图2\u30002021年分行业领域隐患排查整改情况" in text
    assert "报送记录" not in text
    assert "测试区2021年“安全生产月”活动统计图" in text


def test_without_a_renderer_there_is_no_chart_appendix(two_years, today, tmp_path):
    target = word_report.write_report(two_years[1], tmp_path / "r.docx", today=today)
    doc = Document(str(target))
    assert len(doc.inline_shapes) == 0
    text = text_of(target)
    assert "活动统计图" not in text and "附件1" not in text
    assert "\n附件\n" in f"\n{text}\n"  # the statistics table alone is just 附件


def test_year_on_year_phrases_when_last_year_exists(two_years, today, tmp_path):
    y20, y21 = two_years
    ctx = build_context(y21, today=today)
    assert ctx["yoy"]["previous_year"] == 2020
    assert ctx["yoy"]["training"]["participants"] == "同比增长50%"
    assert ctx["yoy"]["hazards"]["rate"] == "同比提高25个百分点"
    text = text_of(word_report.write_report(y21, tmp_path / "r.docx", today=today))
    assert "培训300人次，同比增长50%。" in text and "培训人次同比" not in text
    assert "共排查登记隐患2处，同比下降50%" in text
    assert "整改率50.0%，同比提高25个百分点" in text
    # Not on every figure (three places: training, hazards found, rate; people reached is only the training's
    # 300 here, so no closing repeats it); 2020 says nothing of it.
    assert text.count("同比") == 3
    text_2020 = text_of(word_report.write_report(y20, tmp_path / "r20.docx", today=today))
    assert "同比" not in text_2020 and build_context(y20, today=today)["yoy"] == {}


def test_year_on_year_only_against_the_year_just_before(db, today):
    y19 = campaigns.save(2019)[0]
    y21 = campaigns.save(2021)[0]
    assert y19 and build_context(y21, today=today)["yoy"] == {}  # 2019 is not 上年 of 2021
    assert build_context(y21, today=today, previous=y19)["yoy"]["previous_year"] == 2019  # unless asked for


def test_attached_charts_renumber_and_keep_plain_context(two_years, today):
    from safetymonth_desktop.exchange.report_context import attach_charts

    second_industry(two_years[1])
    ctx = build_context(two_years[1], today=today)
    assert [c["key"] for c in ctx["charts"]] == ["training", "hazards"]
    assert all(c["image"] == "" for c in ctx["charts"]) and ctx["has_charts"] is False
    out = attach_charts(ctx, {"hazards": "H"})
    assert [(c["number"], c["key"], c["image"]) for c in out["charts"]] == [("图1", "hazards", "H")]
    assert out["has_charts"] and out["appendix"]["label"] == "附件1" and out["chart_appendix"]["label"] == "附件2"
    assert ctx["has_charts"] is False  # the original is left as it was


def test_real_qt_renderer_draws_every_chart(two_years, today, tmp_path, qapp):
    from safetymonth_desktop.ui import charts

    renderer = charts.renderer()
    specs = chart_data.report_charts(two_years[1])
    data = renderer(specs[0])
    assert data.startswith(b"\x89PNG")
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (charts.REPORT_SIZE[0] * charts.REPORT_SCALE, charts.REPORT_SIZE[1] * charts.REPORT_SCALE)
    target = word_report.write_report(two_years[1], tmp_path / "r.docx", today=today, chart_renderer=renderer)
    assert len(Document(str(target)).inline_shapes) == len(specs)


def run_cli(*args):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "safetymonth_desktop", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", env=env)


@pytest.mark.slow
def test_cli_report_with_and_without_charts(tmp_path):
    db = tmp_path / "demo.sqlite"
    assert run_cli("--db", db, "demo", "--year", 2020).returncode == 0
    assert run_cli("--db", db, "demo", "--year", 2021).returncode == 0
    with_charts = run_cli("--db", db, "report", "--year", 2021, "-o", tmp_path / "a.docx")
    assert with_charts.returncode == 0, with_charts.stderr
    assert "不含统计图" not in with_charts.stdout
    # stderr holds only what the summary will lack (services.readiness), nothing about the charts
    assert all(line.startswith("提示:") for line in with_charts.stderr.splitlines()), with_charts.stderr
    doc = Document(str(tmp_path / "a.docx"))
    assert len(doc.inline_shapes) == 3  # training, materials (money), hazards; not 报送记录
    assert "同比" in "\n".join(p.text for p in doc.paragraphs)
    without = run_cli("--db", db, "report", "--year", 2021, "-o", tmp_path / "b.docx", "--no-charts")
    assert without.returncode == 0 and "不含统计图" in without.stdout
    assert len(Document(str(tmp_path / "b.docx")).inline_shapes) == 0


@pytest.mark.slow
def test_cli_without_qt_writes_the_report_and_says_so(tmp_path):
    db = tmp_path / "demo.sqlite"
    assert run_cli("--db", db, "demo", "--year", 2021).returncode == 0
    # A Qt that cannot start (here: an unknown platform plugin would abort, so Qt's import is made to fail).
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "PySide6").mkdir()
    (blocker / "PySide6" / "__init__.py").write_text("raise ImportError('没有 Qt')\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(blocker), os.getcwd()])}
    result = subprocess.run([sys.executable, "-m", "safetymonth_desktop", "--db", str(db), "report", "--year", "2021",
                             "-o", str(tmp_path / "c.docx")], capture_output=True, text=True, encoding="utf-8", env=env)
    assert result.returncode == 0, result.stderr
    assert "无法启动绘图组件" in result.stderr and "Traceback" not in result.stderr
    assert len(Document(str(tmp_path / "c.docx")).inline_shapes) == 0


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdfimages") is None,
                    reason="LibreOffice or poppler-utils not installed")
def test_pdf_rendering_of_the_chart_appendix(two_years, today, tmp_path, qapp):
    from safetymonth_desktop.ui import charts

    second_industry(two_years[1])
    target = word_report.write_report(two_years[1], tmp_path / "r.docx", today=today,
                                      chart_renderer=charts.renderer())
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(target)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "r.pdf"
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    images = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    assert len(images) == 2
    assert all(int(row[3]) == charts.REPORT_SIZE[0] * charts.REPORT_SCALE for row in images)  # width in pixels
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = text.replace(" ", "")  # pdftotext spaces digits off from Chinese
    assert "附件2" in text and "测试区2021年“安全生产月”活动统计图" in text
    for caption in ("图1", "2021年各类培训参训人次", "图2", "2021年分行业领域隐患排查整改情况"):
        assert caption in text


def test_the_report_reads_one_snapshot_and_writes_nothing(two_years, today, tmp_path):
    """Every query of the report (context and chart data) runs inside one read transaction, so edits saved
    meanwhile cannot make its figures disagree; nothing in it writes; the pictures are drawn after it."""
    from safetymonth_desktop.db.connection import database

    second_industry(two_years[1])
    statements = []
    in_transaction_while_drawing = []

    def renderer(spec):
        in_transaction_while_drawing.append(database.in_transaction())
        return png()

    connection = database.connection()
    connection.set_trace_callback(statements.append)
    try:
        word_report.write_report(two_years[1], tmp_path / "r.docx", today=today, chart_renderer=renderer)
    finally:
        connection.set_trace_callback(None)
    verbs = [s.split(None, 1)[0].upper() for s in statements]
    assert verbs[0] == "BEGIN" and verbs[-1] == "COMMIT"
    assert verbs.count("BEGIN") == 1 and verbs.count("COMMIT") == 1
    assert verbs.count("SELECT") > 20
    assert not {"INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER"} & set(verbs)
    assert in_transaction_while_drawing == [False, False]
