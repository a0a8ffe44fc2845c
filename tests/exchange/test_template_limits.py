"""Custom Word templates are checked and rendered in a worker process the OS bounds: the hostile templates of
issue 13 are refused in Chinese with exit status 1 (never 3), the worker's limits hold (memory, CPU time,
wall clock, a native crash) without the caller's memory growing, the report file keeps its previous
content, random templates always give a .docx or a Chinese AppError, and the built-in template renders
exactly as before. (The sandbox's own bounds are tested in test_template_sandbox.py, the .docx checks in
test_docx_safety.py.)"""

from __future__ import annotations

import io
import multiprocessing
import os
import re
import subprocess
import sys
import time
import zipfile

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.exchange import template_worker, word_report
from tests.exchange.test_docx_safety import docx_with_body, para
from tests.exchange.test_template_sandbox import templates

resource = pytest.importorskip("resource")  # the OS limits are Linux/macOS; Windows has the timeout only
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux")

CJK = re.compile(r"[\u4e00-\u9fff]")
HANG_GUARD_S = 60  # generous: a hang guard, not a speed test
RSS_GROWTH_KB = 200 * 1024


def peak_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def make_template(path, *paragraphs):
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(str(path))
    return path


# ---------------------------------------------------------------------------------------------- the worker

def test_the_worker_runs_under_the_os_limits():
    assert template_worker.run(resource.getrlimit, resource.RLIMIT_AS, on_limit="-") == \
        (template_worker.MEMORY_BYTES, template_worker.MEMORY_BYTES)
    assert template_worker.run(resource.getrlimit, resource.RLIMIT_CPU, on_limit="-") == \
        (template_worker.CPU_SECONDS, template_worker.CPU_SECONDS)
    assert template_worker.run(resource.getrlimit, resource.RLIMIT_CORE, on_limit="-") == (0, 0)
    assert template_worker.run(os.getpid, on_limit="-") != os.getpid()


@pytest.mark.slow
def test_running_out_of_memory_ends_in_the_limit_message():
    before = peak_rss_kb()
    with pytest.raises(AppError, match="^超出限制$"):
        template_worker.run(bytearray, 2 * 1024 ** 3, on_limit="超出限制")  # 2 GB in a 1 GB worker
    assert peak_rss_kb() - before < RSS_GROWTH_KB
    assert multiprocessing.active_children() == []


@pytest.mark.slow
def test_cpu_time_limit_kills_the_worker():
    start = time.monotonic()
    with pytest.raises(AppError, match="^超出限制$"):
        template_worker.run(sum, range(10 ** 15), on_limit="超出限制", cpu=1, timeout=HANG_GUARD_S)
    assert time.monotonic() - start < HANG_GUARD_S
    assert multiprocessing.active_children() == []


@pytest.mark.slow
def test_wall_clock_limit_kills_the_worker():
    start = time.monotonic()
    with pytest.raises(AppError, match="^超出限制$"):
        template_worker.run(time.sleep, 600, on_limit="超出限制", timeout=2)
    assert time.monotonic() - start < HANG_GUARD_S
    assert multiprocessing.active_children() == []


def test_a_native_crash_of_the_worker_leaves_the_caller_running():
    with pytest.raises(AppError, match="^超出限制$"):
        template_worker.run(os.abort, on_limit="超出限制")  # what a native library's abort() does
    assert multiprocessing.active_children() == []


def test_refusals_come_back_as_they_are_and_bugs_as_internal_errors(tmp_path):
    with pytest.raises(AppError, match="找不到模板文件"):
        template_worker.run(word_report._check_here, tmp_path / "none.docx", {}, on_limit="-")
    with pytest.raises(RuntimeError, match="ValueError"):
        template_worker.run(int, "not a number", on_limit="-")


# ---------------------------------------------------------------------------------------------- hostile templates

HOSTILE = {
    "join": ("{{ ''.join(['x'] * 10**7) }}", "10,000,000 项"),
    "times": ("{{ 'x' * 10**10 }}", "10,000,000,000 个字符"),
    "nested-range": ("{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}", "range() 最多"),
    "nested-loops": ("{% for i in range(9999) %}{% for j in range(9999) %}x{% endfor %}{% endfor %}", "循环和调用超过"),
    "big-range": ("{% for i in range(10**9) %}x{% endfor %}", "range() 最多"),
    "include": ("{% include 'other.docx' %}", "不能引用其他模板"),
    "extends": ("{% extends 'other.docx' %}", "不能引用其他模板"),
    "import": ("{% import 'other.docx' as o %}{{ o.x }}", "不能引用其他模板"),
    "power": ("{{ year ** year ** year }}", "数字过大"),
    "as-text": ("{% set a = [[1] * 99999] * 99999 %}{{ a }}", "列表或字典转成文字后"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_templates_are_refused_and_the_old_file_kept(demo, today, tmp_path, case):
    source, needle = HOSTILE[case]
    template = make_template(tmp_path / f"{case}.docx", "本区总结", source)
    target = tmp_path / "out" / "总结.docx"
    target.parent.mkdir()
    target.write_bytes(b"last year's report")
    before = peak_rss_kb()
    start = time.monotonic()
    with pytest.raises(AppError) as err:
        word_report.write_report(demo, target, template=template, today=today)
    message = str(err.value)
    assert needle in message and "正文第2段" in message and template.name in message, message
    assert time.monotonic() - start < HANG_GUARD_S
    assert peak_rss_kb() - before < RSS_GROWTH_KB
    assert target.read_bytes() == b"last year's report"
    assert [p.name for p in target.parent.iterdir()] == ["总结.docx"]
    assert multiprocessing.active_children() == []


@pytest.mark.slow
@pytest.mark.parametrize("source, needle", [
    ("{% set o = [org]|first %}{{ o.nothing_here }}", "“dict object”没有“nothing_here”"),  # beyond the static check
    ("{{ title.__class__ }}", "不允许"),
    ("{{ year // 0 }}", "除以零"),
    ("{{ 10.0 ** 400 }}", "超出数值范围"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "嵌套过深"),
    ("{{ ('安全'|int) * none }}", "无法计算"),
    ("{% for i in range(1) %}" * 25 + "x" + "{% endfor %}" * 25, "嵌套的层数过多"),
])
def test_runtime_errors_are_chinese_and_name_the_paragraph(demo, today, tmp_path, source, needle):
    template = make_template(tmp_path / "t.docx", "开头", "第二段", source)
    with pytest.raises(AppError) as err:
        word_report.write_report(demo, tmp_path / "out.docx", today=today, template=template)
    message = str(err.value)
    assert needle in message and "正文" in message and CJK.search(message), message
    if "层数" not in needle:  # a compile error names no line
        assert "正文第3段" in message, message
    assert not (tmp_path / "out.docx").exists()


@pytest.mark.slow
def test_a_number_too_long_to_read_is_refused_in_chinese(demo, today, tmp_path):
    template = make_template(tmp_path / "t.docx", "{{ " + "9" * 5000 + " }}")
    with pytest.raises(AppError, match=r"正文中有无法解析的标记.*过长的数字"):
        word_report.write_report(demo, tmp_path / "out.docx", today=today, template=template)


@pytest.mark.slow
def test_a_template_the_sandbox_allows_but_that_runs_too_long_is_stopped(demo, today, tmp_path, monkeypatch):
    monkeypatch.setattr(template_worker, "CPU_SECONDS", 1)
    loops = "{% for i in range(9999) %}{% for j in range(19) %}{{ range(9999)|sum }}{% endfor %}{% endfor %}"
    slow = make_template(tmp_path / "slow.docx", loops)
    target = tmp_path / "总结.docx"
    target.write_bytes(b"old")
    with pytest.raises(AppError, match=r"自定义模板“slow\.docx”渲染超出时间/内存限制.*请检查模板中的循环或重复"):
        word_report.write_report(demo, target, today=today, template=slow)
    assert target.read_bytes() == b"old"


# ---------------------------------------------------------------------------------------------- the command line

def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "safetymonth_desktop", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", env={**os.environ}, timeout=HANG_GUARD_S * 2)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "demo.sqlite"
    assert run_cli("--db", path, "demo", "--year", 2021).returncode == 0
    return path


@pytest.mark.slow
@pytest.mark.parametrize("case", ["join", "times", "nested-range", "big-range", "include", "extends", "power", "bomb"])
def test_the_report_command_refuses_with_exit_status_1(demo_db, tmp_path, case):
    if case == "bomb":  # a small file holding a 50 MB document.xml
        template = docx_with_body(tmp_path / "bomb.docx", para("x" * 100) * (50 * 1024 * 1024 // 130))
        needle = "压缩炸弹"
    else:
        source, needle = HOSTILE[case]
        template = make_template(tmp_path / f"{case}.docx", source)
    target = tmp_path / "总结.docx"
    target.write_bytes(b"old")
    result = run_cli("--db", demo_db, "report", "--year", 2021, "--no-charts", "-o", target, "--template", template)
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if not line.startswith("提示:")]  # readiness hints first
    assert "Traceback" not in result.stderr and needle in result.stderr and errors[0].startswith("错误:")
    assert target.read_bytes() == b"old"


# ---------------------------------------------------------------------------------------------- fuzz, built-in

@pytest.mark.slow
def test_fuzz_render_gives_a_docx_or_a_chinese_refusal(demo, today, tmp_path):
    from safetymonth_desktop.exchange.report_context import build_context

    context = build_context(demo, today=today)
    before = peak_rss_kb()
    counter = iter(range(10 ** 6))

    @settings(max_examples=10, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(templates())
    def check(source):
        template = make_template(tmp_path / f"t{next(counter)}.docx", "开头", source.replace("items", "org.paragraphs"))
        start = time.monotonic()
        try:
            data = word_report.render(template, context)
        except AppError as exc:
            assert CJK.search(str(exc)) and "Traceback" not in str(exc), str(exc)
        else:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                assert "word/document.xml" in zf.namelist()
        assert time.monotonic() - start < HANG_GUARD_S
        assert multiprocessing.active_children() == []

    check()
    assert peak_rss_kb() - before < RSS_GROWTH_KB


def _parts(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n.startswith("word/") and n.endswith(".xml")}


@pytest.mark.slow
def test_the_builtin_template_renders_as_before(demo, today, tmp_path):
    """In this process with the bounded sandbox, in the worker (the same file as a custom template) and with
    Jinja's plain sandbox (what rendered it before the bounds): the same document."""
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from safetymonth_desktop.exchange.report_context import build_context

    context = build_context(demo, today=today)
    here = word_report.render(word_report.default_template(), context)
    copy = tmp_path / "copy.docx"
    copy.write_bytes(word_report.default_template().read_bytes())
    in_worker = word_report.render(copy, context)
    plain = DocxTemplate(str(word_report.default_template()))
    plain.render(context, jinja_env=SandboxedEnvironment(autoescape=True, undefined=StrictUndefined), autoescape=True)
    from safetymonth_desktop.exchange.docx_signature import place_signature

    place_signature(plain.docx)  # what every render does after Jinja: the 落款 laid out over the date
    buffer = io.BytesIO()
    plain.save(buffer)
    assert _parts(here) == _parts(in_worker) == _parts(buffer.getvalue())
    assert b"\xe5\xae\x89\xe5\x85\xa8\xe7\x94\x9f\xe4\xba\xa7\xe6\x9c\x88" in _parts(here)["word/document.xml"]  # 安全生产月


@pytest.mark.slow
def test_a_damaged_header_is_refused_in_chinese(demo, today, tmp_path):
    good = tmp_path / "good.docx"
    doc = Document()
    doc.add_paragraph("{{ region }}")
    doc.sections[0].header.paragraphs[0].text = "{{ year }}"
    doc.save(str(good))
    damaged = tmp_path / "damaged.docx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(damaged, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item.filename, b"<w:hdr><w:p>unclosed" if item.filename.startswith("word/header") else data)
    assert any(n.startswith("word/header") for n in zipfile.ZipFile(good).namelist())
    with pytest.raises(AppError, match=r"模板文件“damaged\.docx”无法作为 Word 文档打开"):
        word_report.write_report(demo, tmp_path / "out.docx", today=today, template=damaged)
    assert not (tmp_path / "out.docx").exists()

    raw = tmp_path / "raw.docx"  # well-formed, but what it writes into the header is not XML
    doc = Document()
    doc.add_paragraph("{{ region }}")
    doc.sections[0].header.paragraphs[0].text = "{{ '<w:broken'|safe }}"
    doc.save(str(raw))
    with pytest.raises(AppError, match=r"模板“raw\.docx”无法生成.*不是有效的 Word 文档内容"):
        word_report.write_report(demo, tmp_path / "out.docx", today=today, template=raw)
    assert not (tmp_path / "out.docx").exists()


def test_whatever_else_goes_wrong_with_a_clerks_template_is_said_in_chinese(tmp_path):
    from pathlib import Path

    def deep(path):
        raise RecursionError("maximum recursion depth exceeded")

    with pytest.raises(AppError, match=r"模板“t\.docx”无法处理\(TypeError: .*另存为"):
        word_report._untrusted(int, Path("t.docx"))
    with pytest.raises(AppError, match=r"模板“t\.docx”中的标记或内容嵌套过深"):
        word_report._untrusted(deep, Path("t.docx"))
    with pytest.raises(MemoryError):  # left to the worker, which reports its memory limit
        word_report._untrusted(_no_memory, Path("t.docx"))


def _no_memory(path):
    raise MemoryError
