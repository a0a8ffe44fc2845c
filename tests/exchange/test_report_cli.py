"""`safetymonth report` as a user runs it: a real subprocess, Chinese errors, exit status 1, no traceback."""

import os
import subprocess
import sys

import pytest
from docx import Document


def run(*args):
    return subprocess.run([sys.executable, "-m", "safetymonth_desktop", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", env={**os.environ})


def assert_clean_error(result, *needles):
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "demo.sqlite"
    assert run("--db", path, "demo", "--year", 2021).returncode == 0
    return path


def test_report_writes_the_summary(demo_db, tmp_path):
    target = tmp_path / "总结.docx"
    result = run("--db", demo_db, "report", "--year", 2021, "-o", target)
    assert result.returncode == 0, result.stderr
    assert "已生成" in result.stdout
    assert Document(str(target)).paragraphs[0].text == "城南区2021年“安全生产月”活动总结"


def test_report_with_a_custom_template(demo_db, tmp_path):
    template = tmp_path / "t.docx"
    doc = Document()
    doc.add_paragraph("{{ region }}共排查隐患{{ figures.hazards.found }}处")
    doc.save(str(template))
    target = tmp_path / "a.docx"
    assert run("--db", demo_db, "report", "--year", 2021, "-o", target, "--template", template).returncode == 0
    assert Document(str(target)).paragraphs[0].text.startswith("城南区共排查隐患")


def test_report_errors(demo_db, tmp_path):
    assert_clean_error(run("--db", demo_db, "report", "--year", 2019, "-o", tmp_path / "a.docx"), "没有 2019 年度")
    bad = tmp_path / "bad.docx"
    doc = Document()
    doc.add_paragraph("{% for x in %}坏了")
    doc.save(str(bad))
    assert_clean_error(run("--db", demo_db, "report", "--year", 2021, "-o", tmp_path / "b.docx", "--template", bad),
                       "语法错误", "坏了")
    assert not (tmp_path / "b.docx").exists()
    assert_clean_error(run("--db", demo_db, "report", "--year", 2021, "-o", tmp_path / "no" / "c.docx"), "不存在")
    assert_clean_error(run("--db", demo_db, "report", "--year", 2021, "-o", tmp_path / "c.docx",
                           "--template", tmp_path / "missing.docx"), "找不到模板文件")
    result = run("--db", demo_db, "report", "-o", tmp_path / "d.docx")
    assert result.returncode == 2 and "缺少必需的参数" in result.stderr and "Traceback" not in result.stderr


def test_report_lists_every_template_problem(demo_db, tmp_path):
    bad = tmp_path / "many.docx"
    doc = Document()
    doc.add_paragraph("{{ regoin }}")
    doc.add_paragraph("{% for p in org.paragraphs %}{{ p.laed }}{% endfor %}")
    doc.sections[0].footer.paragraphs[0].text = "{% if has_org %}页脚"
    doc.save(str(bad))
    result = run("--db", demo_db, "report", "--year", 2021, "-o", tmp_path / "m.docx", "--template", bad)
    assert_clean_error(result, "有 3 处问题", "正文第1段“{{ regoin }}”", "是不是“region”", "正文第2段", "p.laed",
                       "页脚第1段", "缺少 {% endif %}")
    assert not (tmp_path / "m.docx").exists()
