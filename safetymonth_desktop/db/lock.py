"""One writer per database: a lock file `<database>.lock` beside the database file.

The lock belongs to the file, not to the name it was reached by: the path is resolved first (symlinks,
`..`, the true case of a name on Windows), so `--db link.sqlite` meets the lock the GUI holds on the file
the link points to.

The lock file is created with an exclusive create (O_CREAT | O_EXCL), so two processes can never both
make it, and holds who made it: process id, host name, a process start token (so a recycled pid is not
mistaken for the owner) and the time. A lock whose process is no longer alive on this host is stale
(left by a crash, a kill or a power cut) and is taken over. Taking over happens under a short-lived
guard file so that two processes that both see the same stale lock cannot both take it.

A lock held by another host (a database on a network share) cannot be checked and is never taken over
automatically; the message says how to remove it by hand.

Read-only work needs no lock: SQLite's WAL mode lets readers run beside the one writer.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import json
import os
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from safetymonth_desktop.base.errors import AppError

LOCK_SUFFIX = ".lock"
GUARD_SUFFIX = ".lock-takeover"
# A takeover guard older than this was left by a process killed while taking over.
GUARD_STALE_SECONDS = 10.0


@dataclass(frozen=True)
class LockInfo:
    pid: int
    host: str
    started: str  # ISO time the lock was taken
    token: str | None = None  # process start token; None when the platform gives none
    program: str = ""  # what holds it: "图形界面" or "命令 safetymonth import"

    def describe(self) -> str:
        """Who holds the lock, in words: '另一个窗口(进程 1234,自 11月28日 23:59 起)'."""
        try:
            since = dt.datetime.fromisoformat(self.started)
            when = f",自 {since.month}月{since.day}日 {since:%H:%M} 起"
        except ValueError:
            when = ""
        who = "另一个窗口" if (not self.program or self.program == GUI_PROGRAM) else f"另一个{self.program}"
        where = "" if self.host == socket.gethostname() else f",计算机“{self.host}”"
        return f"{who}(进程 {self.pid}{where}{when})"


GUI_PROGRAM = "图形界面"


class DatabaseLockedError(AppError):
    """The database is held by another live process; `holder` says which."""

    def __init__(self, message: str, *, holder: LockInfo | None, lock_file: Path):
        super().__init__(message)
        self.holder = holder
        self.lock_file = lock_file


def lock_path(db_path: str | os.PathLike) -> Path:
    """The lock file of the database at `db_path`: beside the file it names once symlinks are resolved."""
    db_path = Path(os.path.realpath(db_path))
    return db_path.with_name(db_path.name + LOCK_SUFFIX)


# ---- is a process alive?

def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (POSIX: signal 0; Windows: OpenProcess)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _pid_alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except OSError:
        return False
    return True


def _pid_alive_windows(pid: int) -> bool:  # pragma: no cover - exercised on Windows only
    import ctypes
    from ctypes import wintypes

    PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
    STILL_ACTIVE = 259
    ERROR_ACCESS_DENIED = 5
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    handle = kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        # Access denied means the process exists (e.g. another user's); anything else means it does not.
        return ctypes.get_last_error() == ERROR_ACCESS_DENIED
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def process_token(pid: int) -> str | None:
    """Something that identifies one run of process `pid` (its start time), or None when unknown.
    A lock whose pid is alive but whose token differs belongs to a dead process whose pid was reused."""
    if sys.platform.startswith("linux"):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            return stat.rsplit(")", 1)[1].split()[19]  # field 22: start time in clock ticks since boot
        except (OSError, IndexError):
            return None
    if sys.platform == "win32":  # pragma: no cover
        return _process_token_windows(pid)
    return None


def _process_token_windows(pid: int) -> str | None:  # pragma: no cover - Windows only
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.restype = wintypes.HANDLE
    handle = kernel32.OpenProcess(0x1000, False, pid)
    if not handle:
        return None
    try:
        times = [wintypes.FILETIME() for _ in range(4)]
        if not kernel32.GetProcessTimes(handle, *[ctypes.byref(t) for t in times]):
            return None
        return str((times[0].dwHighDateTime << 32) | times[0].dwLowDateTime)
    finally:
        kernel32.CloseHandle(handle)


# ---- the lock file

def read_lock(path: Path) -> LockInfo | None:
    """The lock file's content; None when it is missing or unreadable (half-written by a killed process)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return LockInfo(pid=int(data["pid"]), host=str(data["host"]), started=str(data.get("started", "")),
                        token=data.get("token"), program=str(data.get("program", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_stale(info: LockInfo | None, *, alive=pid_alive, token_of=process_token, host: str | None = None) -> bool:
    """Whether a lock may be taken over: unreadable, or made on this host by a process that is gone."""
    if info is None:
        return True
    if info.host != (host or socket.gethostname()):
        return False
    if not alive(info.pid):
        return True
    if info.token is not None:
        current = token_of(info.pid)
        if current is not None and current != info.token:
            return True  # the pid now belongs to another process
    return False


def _my_info(program: str) -> LockInfo:
    pid = os.getpid()
    return LockInfo(pid=pid, host=socket.gethostname(), started=dt.datetime.now().isoformat(timespec="seconds"),
                    token=process_token(pid), program=program)


def _create_exclusive(path: Path, info: LockInfo) -> bool:
    """Create the lock file holding `info`; False when it already exists."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    try:
        os.write(fd, json.dumps(info.__dict__, ensure_ascii=False).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return True


def _locked_message(db_path: Path, holder: LockInfo | None, lock_file: Path) -> str:
    who = holder.describe() if holder else "另一个程序"
    text = f"数据库“{db_path}”正被{who}使用。同一时间只能有一个窗口修改它:请切换到那个窗口,或先关闭它再试。"
    if holder is not None and holder.host != socket.gethostname():
        text += f"若确认那台计算机上的程序已关闭,可删除锁文件“{lock_file}”后重试。"
    return text


class DatabaseLock:
    """The lock on one database file; `acquire()` raises DatabaseLockedError when another process holds it."""

    def __init__(self, db_path: str | os.PathLike, *, program: str = GUI_PROGRAM):
        self.db_path = Path(db_path)
        self.path = lock_path(self.db_path)
        self.program = program
        self.info: LockInfo | None = None

    @property
    def held(self) -> bool:
        return self.info is not None

    def acquire(self) -> DatabaseLock:
        if self.held:
            return self
        info = _my_info(self.program)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AppError(f"无法创建数据库所在文件夹“{self.path.parent}”:{exc.strerror}。") from None
        for _attempt in range(20):
            try:
                if _create_exclusive(self.path, info):
                    self.info = info
                    atexit.register(self.release)  # a normal exit always frees the database
                    return self
            except PermissionError:
                raise AppError(f"无法在“{self.path.parent}”中建立锁文件:没有写入权限。"
                               "数据库所在文件夹必须可写,请把数据库放到自己的文件夹中。") from None
            except OSError as exc:
                raise AppError(f"无法建立锁文件“{self.path}”:{exc.strerror}。") from None
            holder = read_lock(self.path)
            if holder is None and _age(self.path) < 2.0:
                time.sleep(0.05)  # being written right now by the process that created it
                continue
            if holder is not None and holder.pid == os.getpid() and holder.host == info.host:
                raise DatabaseLockedError(f"数据库“{self.db_path}”已在本程序中打开。", holder=holder,
                                          lock_file=self.path)
            if not is_stale(holder):
                raise DatabaseLockedError(_locked_message(self.db_path, holder, self.path), holder=holder,
                                          lock_file=self.path)
            self._take_over(holder)
        raise DatabaseLockedError(_locked_message(self.db_path, read_lock(self.path), self.path),
                                  holder=read_lock(self.path), lock_file=self.path)

    def _take_over(self, seen: LockInfo | None) -> None:
        """Remove the stale lock `seen`, unless someone else is doing the same at this moment."""
        guard = Path(str(self.path)[:-len(LOCK_SUFFIX)] + GUARD_SUFFIX)  # beside the lock, resolved likewise
        if not _create_exclusive(guard, _my_info(self.program)):
            if _age(guard) > GUARD_STALE_SECONDS:
                _unlink(guard)
            else:
                time.sleep(0.05)
            return
        try:
            if read_lock(self.path) == seen:  # still the same stale lock, not a fresh one
                _unlink(self.path)
        finally:
            _unlink(guard)

    def release(self) -> None:
        """Remove the lock file if it is still ours (never another process's lock)."""
        if not self.held:
            return
        if read_lock(self.path) == self.info:
            _unlink(self.path)
        self.info = None
        atexit.unregister(self.release)

    def __enter__(self) -> DatabaseLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


@contextlib.contextmanager
def acquire_lock(db_path: str | os.PathLike, *, program: str = GUI_PROGRAM):
    """`with acquire_lock(path): …` — hold the database's write lock for the block."""
    lock = DatabaseLock(db_path, program=program).acquire()
    try:
        yield lock
    finally:
        lock.release()


def holder_of(db_path: str | os.PathLike) -> LockInfo | None:
    """Who holds the database now (None when nobody, or only a stale lock is left)."""
    info = read_lock(lock_path(db_path))
    return None if info is None or is_stale(info) else info


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
