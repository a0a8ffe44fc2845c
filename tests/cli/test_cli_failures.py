"""Failures of the machine give a Chinese refusal (exit 1), never an internal error (exit 3), a traceback or
Python's "Exception ignored" on the console: a disk that fills up during an import (a real tmpfs, mounted
by the test when it runs as root), a read-only database file (permissions that bite even for root), text
Excel cannot hold, a reader that stops reading our output. The crash log of a real bug lies beside the
database in use, or in the data folder when that folder cannot be written."""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from safetymonth_desktop.base import failures
from safetymonth_desktop.db.migrations import latest_version
from tests.db.util import ROOT, env

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / f"schema_v{latest_version()}.sqlite"
CONSOLE_NOISE = ("Traceback", "Exception ignored", "程序内部错误")


def cli(*args, prefix=(), home=None, stdout=subprocess.PIPE, timeout=120):
    environment = env()
    if home is not None:
        environment["SAFETYMONTH_HOME"] = str(home)
    return subprocess.run([*prefix, sys.executable, "-m", "safetymonth_desktop", *map(str, args)], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, encoding="utf-8", env=environment, cwd=ROOT,
                          timeout=timeout)


def assert_refused(result, *needles):
    assert result.returncode == 1, result.stderr
    for noise in CONSOLE_NOISE:
        assert noise not in result.stderr, result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


def state(path):
    con = sqlite3.connect(path)
    try:
        return tuple(con.execute(sql).fetchone()[0] for sql in (
            "SELECT count(*) FROM hazard", "SELECT count(*) FROM change_log", "SELECT count(*) FROM import_batch",
            "SELECT count(*) FROM campaign"))
    finally:
        con.close()


def crash_logs(*folders):
    return [p for folder in folders if folder.exists() for p in folder.rglob("*errors.log")]


@pytest.fixture(scope="module")
def big_workbook(tmp_path_factory):
    from benchmarks.bench_import import make_workbook

    path = tmp_path_factory.mktemp("wb") / "隐患台账.xlsx"
    make_workbook(path, 6000)
    return path


# ---------------------------------------------------------------------------------------------- full disk

@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_disk_that_fills_up_during_the_import_write(small_disk, big_workbook, tmp_path):
    """3 MB: room for the database and the two backups made before the write, not for 6000 more rows.
    SQLite rolls the transaction back itself ("database or disk is full"), so peewee's rollback fails with
    "cannot rollback - no transaction is active": the clerk must hear about the disk, not an internal error."""
    disk = small_disk(3 * 1024)
    db = disk / "正式.sqlite"
    shutil.copyfile(FIXTURE, db)
    before = state(db)
    home = tmp_path / "home"
    result = cli("--db", db, "import", "--year", 2021, "--create-units", big_workbook, home=home)
    assert_refused(result, f"未导入 {big_workbook.name}:数据库“{db}”所在的磁盘空间已满", "请清理磁盘空间")
    assert "请按上面列出的位置" not in result.stderr
    assert crash_logs(disk, home) == []
    for backup in (disk / "backups").rglob("*.sqlite"):  # free the space the backups took, then look at the file
        backup.unlink()
    assert state(db) == before  # nothing of the import, not even its batch or change log
    check = cli("--db", db, "check", home=home)
    assert check.returncode == 0, check.stderr


@pytest.mark.slow
def test_writers_on_a_full_disk_print_no_python_noise(small_disk, tmp_path):
    """openpyxl's half-written streams and zip file fail again when garbage-collected; Python would print
    "Exception ignored …" tracebacks. They go to the crash log; the console shows the one Chinese sentence."""
    disk = small_disk(512)
    fill(disk)
    db = tmp_path / "库.sqlite"
    shutil.copyfile(FIXTURE, db)
    home = tmp_path / "home"
    for args in (["stats", "--year", 2021, "-o", disk / "统计.xlsx"], ["template", "--year", 2021, "-o", disk / "模板.xlsx"],
                 ["report", "--year", 2021, "--no-charts", "-o", disk / "总结.docx"]):
        assert_refused(cli("--db", db, *args, home=home), "磁盘空间不足")
    with open(disk / "指标.json", "w") as out:  # the console output redirected onto the full disk
        result = cli("--db", db, "figures", "--year", 2021, "--json", stdout=out, home=home)
    assert_refused(result, "磁盘空间已满")
    assert not (home / "errors.log").exists()


def fill(folder: Path) -> None:
    """Fill the disk of `folder` to the last byte."""
    with open(folder / "filler", "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass
        try:
            fh.close()
        except OSError:
            pass


# ---------------------------------------------------------------------------------------------- read-only database

@pytest.mark.parametrize("args", [["campaign", "--year", 2022, "--region", "某区"], ["import", "--year", 2021, "{workbook}"],
                                  ["demo", "--year", 2023], ["backup", "--keep", 3]])
def test_a_read_only_database_is_refused_before_anything_is_written(unprivileged, tmp_path, args):
    from tests.exchange.test_xlsx_import import write_book

    workbook = write_book(tmp_path / "培训.xlsx", {"培训": [["填报单位", "培训类别", "参训人次"], ["城关街道", "以会代训", 10]]})
    db = tmp_path / "只读.sqlite"
    shutil.copyfile(FIXTURE, db)
    db.chmod(0o444)
    content = db.read_bytes()
    args = [str(a).format(workbook=workbook) for a in args]
    result = cli("--db", db, *args, prefix=unprivileged, home=tmp_path / "home")
    assert_refused(result, f"数据库文件“{db}”是只读的", "取消该文件的“只读”属性")
    assert db.read_bytes() == content
    # no lock file, no backup, no -wal/-shm: nothing was attempted
    assert {p.name for p in tmp_path.iterdir()} <= {"培训.xlsx", "只读.sqlite", "home"}
    assert crash_logs(tmp_path) == []


def test_sqlites_read_only_error_is_explained(tmp_path):
    """The check above comes first; SQLite's own refusal (a read-only mount, a file turned read-only while
    open) is recognised too, through peewee's wrapper and through the failed rollback that may follow."""
    import peewee as pw

    db = tmp_path / "x.sqlite"
    sqlite3.connect(db).execute("CREATE TABLE t (x)").connection.close()
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as raw:
        con.execute("INSERT INTO t VALUES (1)")
    con.close()
    assert "readonly" in str(raw.value)
    refusal = failures.explain(raw.value, db)
    assert refusal is not None and f"数据库文件“{db}”是只读的" in str(refusal)
    try:
        try:
            raise pw.OperationalError(str(raw.value)) from raw.value
        except pw.OperationalError:
            raise pw.OperationalError("cannot rollback - no transaction is active")
    except pw.OperationalError as wrapped:
        assert "只读" in str(failures.explain(wrapped, db))
    assert failures.explain(ZeroDivisionError("x")) is None  # a bug stays a bug
    assert failures.explain(pw.OperationalError("no such column: x")) is None


# ---------------------------------------------------------------------------------------------- control characters

def test_a_control_character_in_the_region_never_crashes_template(tmp_path):
    """An older database (or one another tool wrote) holds a region with \\x01 in it: openpyxl refuses the cell
    with IllegalCharacterError. The cell writer strips such characters or the command refuses in Chinese."""
    db = tmp_path / "c.sqlite"
    shutil.copyfile(FIXTURE, db)
    con = sqlite3.connect(db)
    con.execute("UPDATE campaign SET region = ? WHERE year = 2021", ("城关\x01区\x0b",))
    con.commit()
    con.close()
    out = tmp_path / "模板.xlsx"
    result = cli("--db", db, "template", "--year", 2021, "-o", out, home=tmp_path / "home")
    assert result.returncode in (0, 1), result.stderr
    for noise in CONSOLE_NOISE:
        assert noise not in result.stderr
    if result.returncode == 1:
        assert "控制字符" in result.stderr and not out.exists()
    else:
        import openpyxl

        openpyxl.load_workbook(out)
    assert crash_logs(tmp_path) == []


def test_illegal_character_error_is_explained_shortly():
    from openpyxl.utils.exceptions import IllegalCharacterError

    refusal = failures.explain(IllegalCharacterError("城关\x01区" + "很长的文字" * 20 + " cannot be used in worksheets."))
    assert "城关□区" in str(refusal) and "控制字符" in str(refusal)
    assert len(str(refusal)) < 200


# ---------------------------------------------------------------------------------------------- closed pipe

@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("pipe") / "d.sqlite"
    shutil.copyfile(FIXTURE, path)
    return path


@pytest.mark.parametrize("args", [["figures", "--year", "2021", "--json"], ["figures", "--year", "2021"], ["--help"]])
def test_a_reader_that_stops_reading_ends_the_command_quietly(demo_db, tmp_path, args):
    """Output into a pipe whose reader has gone (`figures --json | head -1`, made certain by closing the
    read end first): no message, no traceback, no crash log; exit 141 as a shell reports SIGPIPE (or 0
    when nothing was left to write)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = cli("--db", demo_db, *args, stdout=write_end, home=tmp_path / "home")
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode in (0, 141)
    if args[0] == "figures":
        assert result.returncode == 141
    assert crash_logs(tmp_path, demo_db.parent) == []


@pytest.mark.skipif(not shutil.which("sh") or not shutil.which("head"), reason="needs a POSIX shell")
def test_figures_json_piped_into_head(demo_db, tmp_path):
    command = (f'"{sys.executable}" -m safetymonth_desktop --db "{demo_db}" figures --year 2021 --json | head -1')
    result = subprocess.run(["sh", "-c", command], capture_output=True, text=True, encoding="utf-8",
                            env={**env(), "SAFETYMONTH_HOME": str(tmp_path / "home")}, cwd=ROOT)
    assert result.stdout == "{\n" and result.stderr == ""
    assert crash_logs(tmp_path, demo_db.parent) == []


# ---------------------------------------------------------------------------------------------- the crash log

CRASH = ("import sys\n"
         "from safetymonth_desktop import cli\n"
         "from safetymonth_desktop.commands import figures\n"
         "def broken(args):\n"
         "    raise ZeroDivisionError('planted bug')\n"
         "figures.run = broken\n"
         "sys.exit(cli.main(sys.argv[1:]))\n")


def crash(db, home, prefix=()):
    environment = {**env(), "SAFETYMONTH_HOME": str(home)}
    return subprocess.run([*prefix, sys.executable, "-c", CRASH, "--db", str(db), "figures", "--year", "2021"],
                          capture_output=True, text=True, encoding="utf-8", env=environment, cwd=ROOT)


def test_the_crash_log_lies_beside_the_database_in_use(tmp_path):
    """Two databases in one folder and one elsewhere: each one's errors in its own log, none in the data folder."""
    home = tmp_path / "home"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for db in (tmp_path / "a" / "正式.sqlite", tmp_path / "a" / "试用.sqlite", tmp_path / "b" / "正式.sqlite"):
        shutil.copyfile(FIXTURE, db)
        result = crash(db, home)
        log = db.with_name(db.stem + ".errors.log")
        assert result.returncode == 3 and f"详细信息已写入“{log}”" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        text = log.read_text(encoding="utf-8")
        assert text.count("ZeroDivisionError: planted bug") == 1 and str(db) in text
    assert not (home / "errors.log").exists()


def test_the_crash_log_falls_back_to_the_data_folder(unprivileged, tmp_path):
    folder = tmp_path / "只读文件夹"
    folder.mkdir()
    db = folder / "x.sqlite"
    shutil.copyfile(FIXTURE, db)
    folder.chmod(0o555)
    home = tmp_path / "home"
    try:
        result = crash(db, home, prefix=unprivileged)
    finally:
        folder.chmod(0o755)
    assert result.returncode == 3, result.stderr
    assert f"详细信息已写入“{home / 'errors.log'}”" in result.stderr
    assert "planted bug" in (home / "errors.log").read_text(encoding="utf-8")
    assert not (folder / "x.errors.log").exists()
