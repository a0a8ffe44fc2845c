import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from safetymonth_desktop.db.connection import APPLICATION_ID, DatabaseFileError, close_database, open_database
from safetymonth_desktop.db.migrations import latest_version


def test_new_database_is_marked_as_ours(db_path):
    open_database(db_path)
    close_database()
    con = sqlite3.connect(db_path)
    assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert con.execute("PRAGMA user_version").fetchone()[0] == latest_version()
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_pragmas(db):
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000


@pytest.mark.parametrize("content, kind", [
    (b"hello, this is a text file\n" * 10, "foreign"),
    (b"SQLite format 3\x00" + b"\x00" * 84 + b"garbage" * 50, "damaged"),
])
def test_bad_files_are_refused_and_kept(tmp_path, content, kind):
    path = tmp_path / "bad.sqlite"
    path.write_bytes(content)
    with pytest.raises(DatabaseFileError) as exc:
        open_database(path)
    assert exc.value.kind == kind
    assert path.read_bytes() == content


def test_foreign_sqlite_and_newer_schema(tmp_path):
    foreign = tmp_path / "other.sqlite"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseFileError, match="其他程序"):
        open_database(foreign)
    newer = tmp_path / "newer.sqlite"
    open_database(newer)
    close_database()
    con = sqlite3.connect(newer)
    con.execute(f"PRAGMA user_version = {latest_version() + 1}")
    con.commit()
    con.close()
    with pytest.raises(DatabaseFileError, match="更新版本") as exc:
        open_database(newer)
    assert exc.value.kind == "newer"


def test_a_read_only_database_file_is_refused_for_writing_and_read_as_before(tmp_path):
    """chmod 444 on the database: writing commands say so in Chinese (not an internal error), reading ones work."""
    from tests import unprivileged
    from tests.db.util import cli

    path = tmp_path / "只读.sqlite"
    shutil.copyfile(Path(__file__).resolve().parents[1] / "fixtures" / f"schema_v{latest_version()}.sqlite", path)
    path.chmod(0o444)

    def regions():
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return con.execute("SELECT year, region FROM campaign ORDER BY year").fetchall()
        finally:
            con.close()

    before = regions()
    for run in (cli, unprivileged.run_cli):
        result = run("--db", path, "campaign", "--year", 2021, "--region", "新区")
        assert result.returncode == 1 and "是只读的" in result.stderr and "Traceback" not in result.stderr
        assert "内部错误" not in result.stderr
        assert run("--db", path, "figures", "--year", 2021).returncode == 0
    assert regions() == before and stat.S_IMODE(path.stat().st_mode) == 0o444
