"""Damaged, foreign, empty and newer files: detected, explained in Chinese, the newest good backup offered,
the file's bytes never changed — and restore from the offered backup brings the data back."""

import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from safetymonth_desktop.db import backup, backup_folder
from safetymonth_desktop.db.connection import DatabaseFileError, close_database, open_database
from safetymonth_desktop.db.migrations import latest_version
from safetymonth_desktop.services import safety
from tests import unprivileged
from tests.db.util import ROOT, cli, env, figures

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / f"schema_v{latest_version()}.sqlite"
PAGE = 4096


def good_db(folder: Path) -> Path:
    path = folder / "safetymonth.sqlite"
    shutil.copyfile(FIXTURE, path)
    return path


def random_pages(seed):
    def damage(path: Path):
        data = bytearray(path.read_bytes())
        rnd = random.Random(seed)
        for page in rnd.sample(range(1, len(data) // PAGE), 3):  # never page 0: header stays valid
            start = page * PAGE + rnd.randrange(0, 8)
            data[start:start + 200] = bytes(rnd.randrange(256) for _ in range(200))
        path.write_bytes(bytes(data))
    return damage


def truncate(size):
    def damage(path: Path):
        path.write_bytes(path.read_bytes()[:size] if size >= 0 else path.read_bytes()[:len(path.read_bytes()) // 2])
    return damage


def replace_with(content: bytes):
    def damage(path: Path):
        path.write_bytes(content)
    return damage


def newer_schema(path: Path):
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {latest_version() + 1}")
    con.commit()
    con.close()


def foreign_sqlite(path: Path):
    path.unlink()
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    con.execute("INSERT INTO contacts VALUES ('张三', '123')")
    con.commit()
    con.close()


def sqlite_header_then_zeros(path: Path):
    path.write_bytes(path.read_bytes()[:100] + b"\x00" * (PAGE * 20))


DAMAGES = [
    *[pytest.param(random_pages(seed), "damaged", "已损坏", id=f"random-pages-{seed}") for seed in range(5)],
    pytest.param(truncate(-1), "damaged", "已损坏", id="truncated-half"),
    pytest.param(truncate(3 * PAGE), "damaged", "已损坏", id="truncated-3-pages"),
    pytest.param(truncate(60), "damaged", "已损坏", id="truncated-in-header"),
    pytest.param(sqlite_header_then_zeros, "damaged", "已损坏", id="header-then-zeros"),
    pytest.param(replace_with("这是一个文本文件,不是数据库。\n".encode() * 50), "foreign", "不是本软件的数据库文件",
                 id="text-file"),
    pytest.param(replace_with(b""), "empty", "空文件", id="empty-file"),
    pytest.param(newer_schema, "newer", "更新版本", id="newer-schema"),
    pytest.param(foreign_sqlite, "foreign", "其他程序", id="foreign-sqlite"),
]


@pytest.mark.parametrize("damage, kind, needle", DAMAGES)
def test_damaged_file_is_refused_untouched_and_good_backup_offered(tmp_path, damage, kind, needle):
    path = good_db(tmp_path)
    good = backup.make_backup(path, "auto")
    damage(path)
    # a newer, damaged backup must not be the one offered
    bad_backup = backup_folder.backup_dir(path) / "safetymonth-29991231-235959-manual.sqlite"
    bad_backup.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    content = path.read_bytes()
    siblings = sorted(p.name for p in tmp_path.iterdir())

    for opener in (lambda: open_database(path), lambda: open_database(path, lock=True, auto_backup=True),
                   lambda: safety.start(path)):
        with pytest.raises(DatabaseFileError) as exc:
            opener()
        close_database()
        assert exc.value.kind == kind
        assert needle in str(exc.value)
        assert exc.value.backup == good
        assert path.read_bytes() == content

    result = cli("--db", path, "check")
    assert result.returncode == 1 and needle in result.stderr and "Traceback" not in result.stderr
    assert f'restore "{good}"' in result.stderr
    for args in (["demo"], ["figures", "--year", "2021"], ["backup"]):
        result = cli("--db", path, *args)
        assert result.returncode == 1 and needle in result.stderr, (args, result.stderr)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == siblings  # no -wal, -shm or lock left behind

    # The offered backup brings the data back; the unusable file is kept, byte for byte.
    result = cli("--db", path, "restore", good)
    assert result.returncode == 0, result.stderr
    kept = [p for p in backup_folder.backup_dir(path).iterdir() if p.name.startswith("damaged-")]
    assert len(kept) == 1 and kept[0].read_bytes() == content
    assert cli("--db", path, "check").returncode == 0
    assert figures(path) == figures(good)


def test_missing_database_with_backups_warns(tmp_path):
    path = good_db(tmp_path)
    backup.make_backup(path, "auto")
    path.unlink()
    open_database(path)
    try:
        from safetymonth_desktop.db.connection import open_warnings

        assert any("未找到数据库文件" in w for w in open_warnings())
    finally:
        close_database()


def test_check_reports_healthy_database(tmp_path):
    path = good_db(tmp_path)
    result = cli("--db", path, "check")
    assert result.returncode == 0
    assert "数据库正常" in result.stdout and "2021、2022" in result.stdout and "还没有任何备份" in result.stdout


def test_check_finds_broken_references(tmp_path):
    path = good_db(tmp_path)
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute("DELETE FROM unit WHERE id = (SELECT unit_id FROM hazard LIMIT 1)")
    con.commit()
    con.close()
    content = path.read_bytes()
    result = cli("--db", path, "check")
    assert result.returncode == 1 and "引用了不存在的记录" in result.stderr
    assert path.read_bytes() == content


def test_a_database_in_a_read_only_folder_is_not_called_damaged(tmp_path):
    """The file is fine, the folder is read-only (SQLite cannot make the -shm beside a WAL database): say
    that, offer no restore (issue 13). Run without the privileges that ignore permissions (also as root)."""
    unprivileged.check_it_works(tmp_path)
    folder = tmp_path / "只读"
    folder.mkdir()
    path = good_db(folder)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = WAL")  # as every database the application has used
    con.close()
    before = path.read_bytes()
    folder.chmod(0o555)
    try:
        for args in (["check"], ["figures", "--year", 2021], ["backup", "-o", tmp_path / "copy.sqlite"],
                     ["stats", "--year", 2021, "-o", tmp_path / "s.xlsx"]):
            result = unprivileged.run_cli("--db", path, *args)
            assert result.returncode == 1, result.stdout
            assert "只读" in result.stderr and "没有损坏" in result.stderr, result.stderr
            assert "已损坏" not in result.stderr and "从备份恢复" not in result.stderr
            assert "readonly" not in result.stderr and "attempt to write" not in result.stderr
    finally:
        folder.chmod(0o755)
    assert path.read_bytes() == before
    assert cli("--db", path, "check").returncode == 0  # writable again: fine


def broken_btree_page(path: Path) -> str:
    """Damage one b-tree page so that quick_check reports SQLite's raw words for it; returns those words."""
    data = path.read_bytes()
    for page in range(2, len(data) // PAGE):
        damaged = bytearray(data)
        damaged[(page - 1) * PAGE] = 0x99  # not a valid page type
        path.write_bytes(bytes(damaged))
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            text = " ".join(str(r[0]) for r in con.execute("PRAGMA quick_check(5)"))
        except sqlite3.DatabaseError:
            text = "ok"
        finally:
            con.close()
        if "btreeInitPage" in text:
            return text
    raise AssertionError("no page gave a btreeInitPage report")


def test_sqlite_words_go_to_the_log_not_to_the_clerk(tmp_path):
    """`Page 51: btreeInitPage() returns error code 11` is for the technician: in errors.log, not on screen."""
    home = tmp_path / "home"
    path = good_db(tmp_path)
    raw = broken_btree_page(path)
    result = subprocess.run([sys.executable, "-m", "safetymonth_desktop", "--db", str(path), "check"],
                            capture_output=True, text=True, encoding="utf-8", cwd=ROOT,
                            env={**env(), "SAFETYMONTH_HOME": str(home)})
    assert result.returncode == 1 and "已损坏" in result.stderr and "请从备份恢复" in result.stderr
    for word in ("btreeInitPage", "Page ", "error code", "***"):
        assert word not in result.stderr, result.stderr
    log = (home / "errors.log").read_text(encoding="utf-8")
    assert "btreeInitPage" in log and str(path) in log and raw.split("\n")[-1].strip() in log
