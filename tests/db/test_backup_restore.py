"""Backups (backup API, rotation, daily, checked, atomic) and restore (all or nothing, itself backed up)."""

import datetime as dt
import errno
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from safetymonth_desktop.base import files
from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.db import backup, backup_folder, integrity
from safetymonth_desktop.db import connection as conn
from safetymonth_desktop.db import models as m
from safetymonth_desktop.db.lock import holder_of
from safetymonth_desktop.db.migrations import latest_version
from safetymonth_desktop.services import campaigns, indicators, records, safety
from tests import unprivileged
from tests.db.util import HOLDER, cli, figures, spawn, wait_for

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / f"schema_v{latest_version()}.sqlite"
TODAY = dt.date(2021, 7, 15)


@pytest.fixture
def app_db(tmp_path):
    """The fixture database opened as the GUI opens it (write lock, daily backup)."""
    path = tmp_path / "data" / "safetymonth.sqlite"
    path.parent.mkdir()
    shutil.copyfile(FIXTURE, path)
    safety.start(path)
    yield path
    conn.close_database()


def current_figures():
    return indicators.to_json(indicators.compute_all(campaigns.get(2021), today=TODAY))


def dump(path) -> list[str]:
    con = integrity.ro_connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def test_open_makes_one_checked_backup_a_day(app_db):
    found = backup_folder.list_backups(backup_folder.backup_dir(app_db))
    assert len(found) == 1 and backup_folder.parse_name(found[0])[1] == "auto"
    assert integrity.examine(found[0]).ok
    assert not Path(str(found[0]) + "-wal").exists()  # a self-contained file
    conn.close_database()
    safety.start(app_db)
    assert len(backup_folder.list_backups(backup_folder.backup_dir(app_db))) == 1
    assert backup.daily_backup(app_db, today=dt.date.today() + dt.timedelta(days=1)) is not None


def test_backup_of_a_live_wal_database_holds_every_committed_change(app_db, tmp_path):
    hazard = m.Hazard.select().first()
    reader = sqlite3.connect(app_db)  # keeps the WAL from being checkpointed
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM hazard").fetchone()
    records.update(m.Hazard, hazard.id, {"responsible": "李四"})
    with conn.database.atomic():  # an open, uncommitted change is not in the backup
        m.Campaign.update(region="未提交").execute()
        (tmp_path / "usb").mkdir()
        target = safety.save_backup_to(tmp_path / "usb")
    reader.close()
    assert target.parent == tmp_path / "usb" and target.name.startswith("safetymonth-")
    con = integrity.ro_connect(target)
    assert con.execute("SELECT responsible FROM hazard WHERE id=?", (hazard.id,)).fetchone()[0] == "李四"
    assert {r[0] for r in con.execute("SELECT region FROM campaign")} == {"城南区"}
    con.close()


def test_backup_list_describes_contents(app_db):
    info = safety.backup_now()
    listed = safety.backups()
    assert listed[0].path == info.path and listed[0].reason_label == "手动备份"
    assert info.years == [2021, 2022] and info.counts["隐患台账"] == m.Hazard.select().count()
    assert info.records == sum(info.counts.values()) and info.size == info.path.stat().st_size
    assert info.units == m.Unit.select().count() and set(info.counts) == {t._meta.title for t in m.RECORD_MODELS}
    assert "2021、2022" in info.summary()


def test_rotation_keeps_the_configured_number(app_db):
    assert safety.keep_count() == 30
    safety.set_keep_count(3)
    made = [backup.make_backup(app_db, "import") for _ in range(5)]
    kept = backup_folder.list_backups(backup_folder.backup_dir(app_db))
    assert len(kept) == 3 and set(kept) == set(made[-3:])
    with pytest.raises(AppError, match="1 到 1000"):
        safety.set_keep_count(0)


def test_rotation_removes_temp_files_of_killed_copies(app_db):
    folder = backup_folder.backup_dir(app_db)
    old, fresh = folder / ".safetymonth-x.sqlite.abc.part", folder / ".safetymonth-y.sqlite.def.part"
    old_journal = folder / ".safetymonth-x.sqlite.abc.part-journal"  # SQLite's journal of the killed copy
    fresh_journal = folder / ".safetymonth-y.sqlite.def.part-journal"
    for path in (old, old_journal, fresh, fresh_journal):
        path.write_bytes(b"half")
    for path in (old, old_journal):
        os.utime(path, (1, 1))
    backup.make_backup(app_db)
    assert not old.exists() and not old_journal.exists()
    assert fresh.exists() and fresh_journal.exists()  # perhaps being written right now


BACKUPER_KILLED = """
import sys, sqlite3
from safetymonth_desktop.db import backup, backup_folder
real = backup._copy_database
def copy(source, dest):
    con = sqlite3.connect(dest)
    con.execute("CREATE TABLE t(x)")
    con.execute("BEGIN")
    con.execute("INSERT INTO t VALUES (zeroblob(100000))")  # a -journal beside the temporary file
    print("copying", flush=True)
    sys.stdin.readline()
backup._copy_database = copy
backup.make_backup(sys.argv[1], "manual")
"""


def test_a_killed_backup_leaves_nothing_behind_for_long(tmp_path):
    """Killed half-way, a backup leaves `.safetymonth-….part` and `….part-journal`; the next open as writer
    (or the next backup) removes them once they are old, whatever their name's random part."""
    import signal

    path = tmp_path / "x.sqlite"
    shutil.copyfile(FIXTURE, path)
    proc = spawn(BACKUPER_KILLED, path)
    wait_for(proc, "copying")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    folder = backup_folder.backup_dir(path)
    leftovers = sorted(p.name for p in folder.iterdir())
    assert any(n.endswith(".part") for n in leftovers) and any(n.endswith(".part-journal") for n in leftovers)
    assert cli("--db", path, "campaign", "--year", 2023).returncode == 0
    assert all(p.name in leftovers or p.name.endswith("-auto.sqlite") for p in folder.iterdir())  # young: kept
    for p in folder.iterdir():
        if p.name in leftovers:
            os.utime(p, (1, 1))
    assert cli("--db", path, "campaign", "--year", 2024).returncode == 0  # the next open as writer
    assert [p.name for p in folder.iterdir() if ".part" in p.name] == []
    assert backup.backups_of(path)


def test_a_killed_restore_leaves_no_temporary_file_beside_the_database(app_db):
    leftover = app_db.parent / f".{app_db.name}.k3jd92ls.part"
    journal = Path(str(leftover) + "-journal")
    unrelated = app_db.parent / f".{app_db.name}.xlsx.k3jd92ls.part"  # an export being written beside it
    for p in (leftover, journal, unrelated):
        p.write_bytes(b"half a database")
    conn.close_database()
    safety.start(app_db)  # the writer's lock: no restore can be running
    assert not leftover.exists() and not journal.exists() and unrelated.exists()


def test_keep_one_keeps_exactly_one_across_days(tmp_path):
    """choose_kept with keep = 1 and backups from two days keeps only the newest (issue 13: `<` → `<=`)."""
    folder = tmp_path / "backups"
    folder.mkdir()
    day = dt.datetime(2021, 6, 30, 9, 0, 0)
    names = [backup_folder.backup_name("auto", day - dt.timedelta(days=1)), backup_folder.backup_name("auto", day),
             backup_folder.backup_name("import", day + dt.timedelta(hours=1))]
    paths = [folder / n for n in names]
    newest_first = paths[::-1]
    assert backup.choose_kept(newest_first, 1) == [paths[-1]]
    assert backup.choose_kept(newest_first[1:], 1) == [paths[1]]  # one backup on each of two days
    for keep in range(1, 5):
        assert len(backup.choose_kept(newest_first, keep)) == min(keep, 3)
    for p in paths:
        p.write_bytes(b"x")
    backup.rotate(folder, 1)
    assert backup_folder.list_backups(folder) == [paths[-1]]


def test_rotation_keeps_earlier_days_when_one_day_has_many_backups(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    day0 = dt.datetime(2021, 6, 30, 9, 0, 0)
    names = [backup_folder.backup_name("auto", day0 - dt.timedelta(days=d)) for d in range(1, 30)]
    names += [backup_folder.backup_name("import", day0 + dt.timedelta(minutes=i)) for i in range(40)]
    for name in names:
        (folder / name).write_bytes(b"x")
    backup.rotate(folder, 30)
    kept = backup_folder.list_backups(folder)
    assert len(kept) == 30
    days = {backup_folder.parse_name(p)[0].date() for p in kept}
    assert len(days) >= 15  # half the places hold one backup of each recent day
    assert folder / names[-1] in kept  # the newest always stays


@pytest.mark.parametrize("failure, needle", [
    (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足"),
    (sqlite3.OperationalError("database or disk is full"), "磁盘空间不足"),
    (PermissionError(errno.EACCES, "Permission denied"), "没有写入权限"),
    (OSError(errno.EROFS, "Read-only file system"), "只读"),
])
def test_failed_backup_write_is_explained_and_old_file_kept(app_db, tmp_path, monkeypatch, failure, needle):
    target = tmp_path / "usb" / "copy.sqlite"
    safety.save_backup_to(target)
    old = target.read_bytes()
    records.update(m.Hazard, m.Hazard.select().first().id, {"responsible": "新值"})

    def fail(source, dest):
        Path(dest).write_bytes(b"partial")
        raise failure

    monkeypatch.setattr(backup, "_copy_database", fail)
    with pytest.raises(AppError, match=needle) as exc:
        safety.save_backup_to(target)
    assert "原文件未被改动" in str(exc.value)
    assert target.read_bytes() == old
    assert sorted(p.name for p in target.parent.iterdir()) == ["copy.sqlite"]  # no temp file left


def test_target_held_open_by_another_program(app_db, tmp_path, monkeypatch):
    target = tmp_path / "copy.sqlite"
    target.write_bytes(b"an older copy")

    def locked(src, dst):
        exc = PermissionError(errno.EACCES, "The process cannot access the file")
        exc.winerror = 32
        raise exc

    monkeypatch.setattr(files.os, "replace", locked)
    with pytest.raises(AppError, match="正被其他程序"):
        safety.save_backup_to(target)
    assert target.read_bytes() == b"an older copy"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".copy")] == []


def test_read_only_folder(tmp_path):
    """Run without the privileges that ignore permissions (tests/unprivileged.py), so also as root in CI."""
    unprivileged.check_it_works(tmp_path)
    path = tmp_path / "x.sqlite"
    shutil.copyfile(FIXTURE, path)
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = unprivileged.run_cli("--db", path, "backup", "-o", folder / "copy.sqlite")
        assert result.returncode == 1 and "没有写入权限" in result.stderr and "原文件未被改动" in result.stderr
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_backup_onto_the_database_itself_is_refused(app_db):
    before = dump(app_db)
    with pytest.raises(AppError, match="不能与数据库文件相同"):
        safety.save_backup_to(app_db)
    assert dump(app_db) == before


def test_backup_change_restore_gives_back_the_backed_up_figures(app_db):
    backed_up = current_figures()
    saved = safety.backup_now().path
    campaign = campaigns.get(2021)
    for hazard in list(m.Hazard.select().where(m.Hazard.campaign == campaign).limit(10)):
        records.delete(m.Hazard, hazard.id)
    records.create(m.Training, campaign, {"unit": "城关街道", "category": "其他", "participants": 999})
    changed = current_figures()
    assert changed != backed_up

    result = safety.restore(saved)  # on the open database, as the GUI does it
    assert current_figures() == backed_up
    assert holder_of(app_db).pid == os.getpid() and conn.holds_lock()  # lock kept throughout
    assert result.before_restore is not None and backup_folder.parse_name(result.before_restore)[1] == "before-restore"
    assert figures(result.before_restore) == changed  # the pre-restore state is itself a backup
    # and restoring that brings the change back
    safety.restore(result.before_restore)
    assert current_figures() == changed


@pytest.mark.parametrize("make, needle", [
    (lambda p: p.write_bytes(b"hello" * 100), "不是本软件的数据库文件"),
    (lambda p: p.write_bytes(b""), "没有本软件的数据"),
    (lambda p: sqlite3.connect(p).close() or p.write_bytes(p.read_bytes()), "没有本软件的数据"),
    (lambda p: (lambda c: (c.execute("CREATE TABLE t(x)"), c.commit(), c.close()))(sqlite3.connect(p)), "其他程序"),
    (lambda p: p.write_bytes(FIXTURE.read_bytes()[:20000]), "已损坏"),
    (lambda p: None, "不存在"),
])
def test_restore_refuses_bad_candidates_and_changes_nothing(app_db, tmp_path, make, needle):
    candidate = tmp_path / "candidate.sqlite"
    make(candidate)
    before = dump(app_db)
    count = len(backup_folder.list_backups(backup_folder.backup_dir(app_db)))
    with pytest.raises(AppError, match=needle):
        safety.restore(candidate)
    assert dump(app_db) == before
    assert len(backup_folder.list_backups(backup_folder.backup_dir(app_db))) == count
    assert conn.holds_lock() and m.Hazard.select().count() > 0  # still open and usable


def test_restore_newer_candidate_refused(app_db, tmp_path):
    candidate = tmp_path / "newer.sqlite"
    shutil.copyfile(FIXTURE, candidate)
    con = sqlite3.connect(candidate)
    con.execute(f"PRAGMA user_version = {latest_version() + 5}")
    con.commit()
    con.close()
    with pytest.raises(AppError, match="更新版本"):
        safety.restore(candidate)
    with pytest.raises(AppError, match="就是当前数据库本身"):
        safety.restore(app_db)


def test_cli_backup_restore_round_trip(tmp_path):
    path = tmp_path / "x.sqlite"
    shutil.copyfile(FIXTURE, path)
    result = cli("--db", path, "backup")
    assert result.returncode == 0
    saved = Path(result.stdout.split("已备份到:")[1].strip())
    original = figures(path)
    # 2021 holds a record the demo did not make (the fixture's street meeting): the demo refuses to rebuild it.
    refused = cli("--db", path, "demo", "--year", 2021)
    assert refused.returncode == 1 and "不是示例生成的数据" in refused.stderr
    assert cli("--db", path, "demo", "--year", 2023).returncode == 0
    assert cli("--db", path, "campaign", "--year", 2021, "--region", "改过的区").returncode == 0
    result = cli("--db", path, "restore", saved)
    assert result.returncode == 0, result.stderr
    assert "恢复前的数据库已备份到" in result.stdout
    assert figures(path) == original
    assert cli("--db", path, "figures", "--year", 2023).returncode == 1  # the demo year made after the backup is gone
    listing = cli("--db", path, "backup", "--list")
    assert listing.returncode == 0 and "恢复前" in listing.stdout and "手动备份" in listing.stdout


def test_cli_restore_refused_while_the_window_is_open(tmp_path):
    path = tmp_path / "x.sqlite"
    shutil.copyfile(FIXTURE, path)
    saved = backup.make_backup(path, "manual")
    holder = spawn(HOLDER, path)
    try:
        wait_for(holder, "locked")
        before = dump(path)
        result = cli("--db", path, "restore", saved)
        assert result.returncode == 1 and f"进程 {holder.pid}" in result.stderr
        assert dump(path) == before
    finally:
        holder.kill()
        holder.wait()
