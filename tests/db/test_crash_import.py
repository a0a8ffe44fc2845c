"""`safetymonth import` of a large workbook in a real process, killed with SIGKILL at several moments of its
run: afterwards `check` passes and the database holds all of that import or none of it (rows, change log and
the remembered file alike), and importing the file again completes."""

import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.bench_import import make_workbook
from safetymonth_desktop.db.migrations import latest_version
from tests.db.util import ROOT, cli, env

# The first test also builds the 30 000-row workbook and waits for a complete import (up to 300 s itself).
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
              pytest.mark.timeout(900)]

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / f"schema_v{latest_version()}.sqlite"
ROWS = 30_000


def state(path):
    con = sqlite3.connect(path)  # read-write, as the application opens it: replays the WAL
    try:
        return tuple(con.execute(sql).fetchone()[0] for sql in (
            "SELECT count(*) FROM hazard",
            "SELECT count(*) FROM change_log WHERE \"table\" = 'hazard' AND action = 'create'",
            "SELECT count(*) FROM import_batch"))
    finally:
        con.close()


def start_import(db, workbook):
    return subprocess.Popen([sys.executable, "-m", "safetymonth_desktop", "--db", str(db), "import", "--year", "2021",
                             "--create-units", str(workbook)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env(), cwd=ROOT)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("wb") / "隐患台账-大.xlsx"
    make_workbook(path, ROWS)
    return path


@pytest.fixture(scope="module")
def full_run(tmp_path_factory, workbook):
    """The state before and after a complete import, and how long the import took."""
    db = tmp_path_factory.mktemp("full") / "safetymonth.sqlite"
    shutil.copyfile(FIXTURE, db)
    before = state(db)
    started = time.perf_counter()
    proc = start_import(db, workbook)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode("utf-8")
    return before, state(db), time.perf_counter() - started


@pytest.mark.parametrize("fraction", [0.15, 0.35, 0.55, 0.7, 0.8, 0.9, 0.97])
def test_killed_import_leaves_all_or_nothing(tmp_path, workbook, full_run, fraction):
    before, after, duration = full_run
    assert after[0] == before[0] + ROWS and after[2] == before[2] + 1
    db = tmp_path / "safetymonth.sqlite"
    shutil.copyfile(FIXTURE, db)
    proc = start_import(db, workbook)
    time.sleep(duration * fraction)
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    result = cli("--db", db, "check")
    assert result.returncode == 0, result.stderr
    assert state(db) in (before, after), (fraction, state(db))
    # Whatever happened, the file can be imported (again): a finished import makes it a no-op.
    result = cli("--db", db, "import", "--year", "2021", "--create-units", workbook)
    assert result.returncode == 0, result.stderr
    assert state(db) == after


@pytest.mark.parametrize("wal_bytes", [1, 1 << 20, 4 << 20, 8 << 20])
def test_import_killed_while_writing_its_commit(tmp_path, workbook, full_run, wal_bytes):
    """The page cache holds the whole transaction, so the write-ahead log grows only while the commit is being
    written: a kill as soon as it reaches `wal_bytes` lands in the middle of writing the commit."""
    before, after, _ = full_run
    db = tmp_path / "safetymonth.sqlite"
    shutil.copyfile(FIXTURE, db)
    wal = Path(str(db) + "-wal")
    proc = start_import(db, workbook)
    while proc.poll() is None:
        if wal.exists() and wal.stat().st_size >= wal_bytes:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.0005)
    proc.wait()
    result = cli("--db", db, "check")
    assert result.returncode == 0, result.stderr
    assert state(db) in (before, after), (wal_bytes, state(db))
