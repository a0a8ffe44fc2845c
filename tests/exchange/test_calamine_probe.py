"""The child process that reads a workbook with calamine under a memory and a time limit: an abort, a time-out or
a damaged file becomes a Chinese refusal and the calling process lives on; verdicts are remembered per file;
the frozen program's entry script runs the same child."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.exchange import calamine_probe, xlsx_import, xlsx_limits
from tests.exchange import hostile_books as hb
from tests.exchange.test_xlsx_limits import GIB, HOSTILE, limited

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_verdicts():
    calamine_probe._verdicts.clear()
    yield
    calamine_probe._verdicts.clear()


@pytest.mark.parametrize("name", ["sst_4e9", "XFD20000"])
def test_an_abort_in_the_child_is_a_refusal_here(tmp_path, name):
    path = HOSTILE[name](tmp_path / f"{name}.xlsx")
    with pytest.raises(AppError) as refused:
        calamine_probe.probe(path)
    message = str(refused.value)
    assert f"读取文件“{name}.xlsx”时内存不足或读取程序异常退出" in message and "1024 MB" in message


def test_a_good_workbook_passes_and_the_verdict_is_remembered(tmp_path, monkeypatch):
    path = hb.valid(tmp_path / "ok.xlsx")
    calamine_probe.probe(path)

    def no_second_child(*args):
        raise AssertionError("the child ran twice for the same file")

    monkeypatch.setattr(calamine_probe, "_run_child", no_second_child)
    calamine_probe.probe(path)
    path.write_bytes(path.read_bytes() + b"\0")  # another file now: read again
    with pytest.raises(AssertionError, match="twice"):
        calamine_probe.probe(path)


def test_a_damaged_workbook_is_refused_with_calamines_reason(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(xlsx_limits.OLE_SIGNATURE + b"\0" * 5000)
    with pytest.raises(AppError, match="文件“old.xls”已损坏或格式不正确,无法读取"):
        calamine_probe.probe(path)


def test_a_child_that_takes_too_long_is_stopped_and_not_remembered(tmp_path):
    path = hb.valid(tmp_path / "ok.xlsx")
    with pytest.raises(AppError, match="读取文件“ok.xlsx”超过 0 秒仍未完成,已停止"):
        calamine_probe.probe(path, seconds=0.001)
    calamine_probe.probe(path)  # the time-out was not kept as the file's verdict


def test_vouch_reads_in_a_child_only_what_the_scan_cannot_vouch_for_or_while_isolated(tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(calamine_probe, "_run_child", lambda path, *a: (started.append(path.name), (None, True))[1])
    good = hb.valid(tmp_path / "ok.xlsx")
    old = tmp_path / "old.xls"
    old.write_bytes(xlsx_limits.OLE_SIGNATURE + b"\0" * 100)
    calamine_probe.vouch(good, xlsx_limits.check(good))
    assert started == []
    calamine_probe.vouch(old, xlsx_limits.check(old))
    assert started == ["old.xls"]
    with calamine_probe.isolated():
        assert calamine_probe.isolating()
        calamine_probe.vouch(good, xlsx_limits.check(good))
    assert not calamine_probe.isolating()
    assert started == ["old.xls", "ok.xlsx"]


def test_the_frozen_entry_script_runs_the_child(tmp_path):
    good = hb.valid(tmp_path / "ok.xlsx")
    bad = HOSTILE["sst_4e9"](tmp_path / "bad.xlsx")
    entry = str(ROOT / "packaging" / "entry.py")
    answer = tmp_path / "answer.txt"
    result = subprocess.run([sys.executable, entry, calamine_probe.CHILD_FLAG, str(good), str(GIB), str(answer)],
                            capture_output=True, text=True, cwd=ROOT)
    assert (result.returncode, answer.read_text(encoding="utf-8")) == (0, "ok"), result.stderr
    answer.unlink()
    result = subprocess.run([sys.executable, entry, calamine_probe.CHILD_FLAG, str(bad), str(GIB), str(answer)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode in (-6, 134) and not answer.exists()


@pytest.mark.slow
def test_without_the_child_a_file_the_scan_missed_takes_the_process_down(tmp_path):
    """What isolation buys: the same import with the scan blinded aborts the process outright, and inside
    `isolated()` ends as a refusal."""
    path = HOSTILE["XFD20000"](tmp_path / "hole.xlsx")
    code = (
        "import contextlib\n"
        "from safetymonth_desktop.exchange import calamine_probe, xlsx_import, xlsx_limits\n"
        "from safetymonth_desktop.db.connection import open_database\n"
        "from safetymonth_desktop.services import campaigns\n"
        "xlsx_limits.check = lambda path, limits=None: xlsx_limits.WorkbookScan(format='xlsx')\n"
        f"open_database({str(tmp_path / 'd.sqlite')!r})\n"
        "campaigns.save(2021)\n"
        "isolate = sys.argv[2] == 'isolated'\n"
        "with calamine_probe.isolated() if isolate else contextlib.nullcontext():\n"
        "    [result] = xlsx_import.import_files([sys.argv[1]], 2021, dry_run=True, backup=False)\n"
        "print(result.status, result.message)\n")
    blind = limited(code, path, "plain")
    assert blind.returncode in (-6, 134), blind.stdout + blind.stderr[-300:]
    isolated = limited(code, path, "isolated")
    assert isolated.returncode == 0, isolated.stderr[-500:]
    assert isolated.stdout.startswith(xlsx_import.REFUSED) and "异常退出" in isolated.stdout
