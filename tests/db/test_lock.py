"""One writer per database: the lock file, stale locks, and two real processes on one database."""

import json
import os
import socket
import subprocess
import sys

import pytest

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.db import lock as lk
from safetymonth_desktop.db.connection import close_database, open_database
from tests.db.util import HOLDER, cli, spawn, wait_for


def dead_pid() -> int:
    """The id of a process that has just exited."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def write_lock(db_path, **fields):
    info = {"pid": os.getpid(), "host": socket.gethostname(), "started": "2021-06-01T09:00:00",
            "token": None, "program": "图形界面", **fields}
    lk.lock_path(db_path).write_text(json.dumps(info), encoding="utf-8")


def test_lock_file_holds_pid_host_and_time_and_goes_away(tmp_path):
    db_path = tmp_path / "a.sqlite"
    with lk.acquire_lock(db_path) as held:
        info = lk.read_lock(lk.lock_path(db_path))
        assert info == held.info
        assert info.pid == os.getpid() and info.host == socket.gethostname() and info.started
    assert not lk.lock_path(db_path).exists()


def test_pid_alive():
    assert lk.pid_alive(os.getpid())
    assert not lk.pid_alive(dead_pid())
    assert not lk.pid_alive(0)


def test_is_stale_decisions():
    me = socket.gethostname()
    info = lk.LockInfo(pid=42, host=me, started="", token="100")
    assert lk.is_stale(None)  # unreadable
    assert lk.is_stale(info, alive=lambda pid: False)
    assert not lk.is_stale(info, alive=lambda pid: True, token_of=lambda pid: "100")
    assert lk.is_stale(info, alive=lambda pid: True, token_of=lambda pid: "999")  # pid reused
    assert not lk.is_stale(info, alive=lambda pid: True, token_of=lambda pid: None)
    other = lk.LockInfo(pid=42, host="other-pc", started="")
    assert not lk.is_stale(other, alive=lambda pid: False)  # cannot check another machine


def test_stale_lock_of_dead_process_is_taken_over(tmp_path):
    db_path = tmp_path / "a.sqlite"
    write_lock(db_path, pid=dead_pid())
    with lk.acquire_lock(db_path) as held:
        assert lk.read_lock(lk.lock_path(db_path)).pid == os.getpid() == held.info.pid


def test_half_written_lock_is_taken_over(tmp_path):
    db_path = tmp_path / "a.sqlite"
    lk.lock_path(db_path).write_text("")
    os.utime(lk.lock_path(db_path), (1, 1))  # old: not being written right now
    with lk.acquire_lock(db_path):
        assert lk.read_lock(lk.lock_path(db_path)).pid == os.getpid()


def test_lock_of_another_computer_is_respected(tmp_path):
    db_path = tmp_path / "a.sqlite"
    write_lock(db_path, pid=dead_pid(), host="办公室另一台电脑")
    with pytest.raises(lk.DatabaseLockedError) as exc:
        lk.DatabaseLock(db_path).acquire()
    assert "办公室另一台电脑" in str(exc.value) and "锁文件" in str(exc.value)
    assert lk.read_lock(lk.lock_path(db_path)).host == "办公室另一台电脑"


def test_release_never_removes_another_process_lock(tmp_path):
    db_path = tmp_path / "a.sqlite"
    held = lk.DatabaseLock(db_path).acquire()
    write_lock(db_path, pid=12345678)  # someone replaced it (e.g. took it over by hand)
    held.release()
    assert lk.read_lock(lk.lock_path(db_path)).pid == 12345678


def test_open_database_with_lock_and_close_releases(tmp_path):
    db_path = tmp_path / "a.sqlite"
    open_database(db_path, lock=True)
    assert lk.holder_of(db_path).pid == os.getpid()
    with pytest.raises(lk.DatabaseLockedError, match="已在本程序中打开"):
        lk.DatabaseLock(db_path).acquire()
    close_database()
    assert lk.holder_of(db_path) is None and not lk.lock_path(db_path).exists()


def test_unwritable_folder_for_lock_is_explained(tmp_path, monkeypatch):
    def refuse(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(lk.os, "open", refuse)
    with pytest.raises(AppError, match="没有写入权限"):
        lk.DatabaseLock(tmp_path / "a.sqlite").acquire()


def test_two_processes_one_database(tmp_path):
    db_path = tmp_path / "a.sqlite"
    assert cli("--db", db_path, "demo").returncode == 0
    holder = spawn(HOLDER, db_path)
    try:
        wait_for(holder, "locked")
        # A writing command is refused with who holds it — not "database is locked".
        for args in (["demo"], ["campaign", "--year", "2022"], ["backup", "--keep", "5"]):
            result = cli("--db", db_path, *args)
            assert result.returncode == 1, result.stdout
            assert f"正被另一个窗口(进程 {holder.pid}" in result.stderr, result.stderr
            assert "database is locked" not in result.stderr and "Traceback" not in result.stderr
        # A second window is refused the same way.
        second = spawn(HOLDER, db_path)
        out, err = second.communicate("\n", timeout=60)
        assert second.returncode == 1 and "locked" not in out
        assert f"进程 {holder.pid}" in err
        # Reading commands run beside the window (WAL readers).
        assert cli("--db", db_path, "figures", "--year", 2021, "--json").returncode == 0
        result = cli("--db", db_path, "check")
        assert result.returncode == 0 and f"进程 {holder.pid}" in result.stdout
        assert cli("--db", db_path, "backup").returncode == 0
        holder.stdin.write("\n")
        holder.stdin.flush()
        wait_for(holder, "released")
    finally:
        holder.kill()
        holder.wait()
    assert cli("--db", db_path, "campaign", "--year", 2022).returncode == 0


def test_lock_left_by_a_killed_process_is_taken_over(tmp_path):
    db_path = tmp_path / "a.sqlite"
    holder = spawn(HOLDER, db_path)
    wait_for(holder, "locked")
    holder.kill()  # SIGKILL: no cleanup runs
    holder.wait()
    assert lk.lock_path(db_path).exists() and lk.read_lock(lk.lock_path(db_path)).pid == holder.pid
    result = cli("--db", db_path, "campaign", "--year", 2021)
    assert result.returncode == 0, result.stderr
    assert not lk.lock_path(db_path).exists()


RACER = """
import sys, time
from safetymonth_desktop.db.lock import DatabaseLock, DatabaseLockedError
try:
    lock = DatabaseLock(sys.argv[1]).acquire()
except DatabaseLockedError:
    print("refused", flush=True)
    sys.exit(0)
print("won", flush=True)
sys.stdin.readline()
lock.release()
"""


def test_only_one_of_several_processes_takes_over_a_stale_lock(tmp_path):
    db_path = tmp_path / "a.sqlite"
    write_lock(db_path, pid=dead_pid())
    racers = [spawn(RACER, db_path) for _ in range(4)]
    results = []
    for proc in racers:
        results.append(proc.stdout.readline().strip())
    for proc in racers:
        proc.communicate("\n", timeout=60)
    assert sorted(results) == ["refused", "refused", "refused", "won"], results


def test_a_takeover_never_deletes_a_lock_taken_meanwhile(tmp_path, monkeypatch):
    """Replay, in one process, the race a stale lock invites: A reads the stale lock; before A takes it over,
    B takes it over and holds a fresh lock of its own. A must then find B's lock, not delete it: the re-check
    in _take_over (`read_lock(...) == seen`) is all that stands between the two and two writers."""
    db_path = tmp_path / "a.sqlite"
    write_lock(db_path, pid=dead_pid())
    stale = lk.read_lock(lk.lock_path(db_path))
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])  # B: alive meanwhile
    try:
        fresh = dict(pid=other.pid, token=lk.process_token(other.pid), program="命令 safetymonth import")
        real_is_stale = lk.is_stale

        def b_takes_over_between(info, **kw):
            answer = real_is_stale(info, **kw)
            if info == stale:  # A has just judged the stale lock; B is quicker to replace it
                lk.lock_path(db_path).unlink()
                write_lock(db_path, **fresh)
            return answer

        monkeypatch.setattr(lk, "is_stale", b_takes_over_between)
        with pytest.raises(lk.DatabaseLockedError) as exc:
            lk.DatabaseLock(db_path).acquire()
        assert f"进程 {other.pid}" in str(exc.value)
        held = lk.read_lock(lk.lock_path(db_path))
        assert held is not None and held.pid == other.pid, "A deleted the lock B held"
    finally:
        other.kill()
        other.wait()


def test_a_symlink_to_the_database_meets_the_same_lock(tmp_path):
    """`--db link.sqlite import` while the GUI holds the real file (issue 13): the lock is on the resolved path."""
    real = tmp_path / "data" / "safetymonth.sqlite"
    real.parent.mkdir()
    assert cli("--db", real, "demo").returncode == 0
    link = tmp_path / "link.sqlite"
    link.symlink_to(real)
    folder_link = tmp_path / "folder"
    folder_link.symlink_to(real.parent, target_is_directory=True)
    assert lk.lock_path(link) == lk.lock_path(real) == lk.lock_path(folder_link / "x" / ".." / real.name)
    holder = spawn(HOLDER, real)
    try:
        wait_for(holder, "locked")
        for path in (link, folder_link / real.name, tmp_path / "data" / ".." / "link.sqlite"):
            result = cli("--db", path, "campaign", "--year", 2022)
            assert result.returncode == 1 and f"进程 {holder.pid}" in result.stderr, result.stderr
    finally:
        holder.kill()
        holder.wait()
    # and the other way round: a window on the link keeps a command on the real file out
    holder = spawn(HOLDER, link)
    try:
        wait_for(holder, "locked")
        result = cli("--db", real, "campaign", "--year", 2022)
        assert result.returncode == 1 and f"进程 {holder.pid}" in result.stderr, result.stderr
    finally:
        holder.kill()
        holder.wait()
