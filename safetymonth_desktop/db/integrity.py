"""Is a file our healthy database? Looked at read-only, never modified.

`examine(path)` says what a file is (missing, empty, ours and healthy, damaged, another program's, made
by a newer version …) with a Chinese explanation; `DatabaseFileError` carries that explanation and, when
one exists, the newest backup that passes the same checks, so the command line and the GUI can offer it.
A healthy file in a folder this user may not write is not damaged: it is READ_ONLY, said as such.
SQLite's own words (`Page 51: btreeInitPage() returns error code 11`) go to errors.log, never to the clerk.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from safetymonth_desktop import __version__
from safetymonth_desktop.base import paths
from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.db import page_stamps
from safetymonth_desktop.db.migrations import APPLICATION_ID, latest_version

SQLITE_HEADER = b"SQLite format 3\x00"

OK, MISSING, EMPTY, BLANK = "ok", "missing", "empty", "blank"
DAMAGED, FOREIGN, NEWER, UNREADABLE = "damaged", "foreign", "newer", "unreadable"
READ_ONLY = "read-only"  # a file SQLite cannot use because its folder may not be written: not damage
BAD_KINDS = (EMPTY, DAMAGED, FOREIGN, NEWER, UNREADABLE, READ_ONLY)


class DatabaseFileError(AppError):
    """The file cannot be used as our database; `kind` is one of damaged / foreign / newer / unreadable / empty.
    `backup` is the newest backup that passes the checks (or None), for "restore from backup" offers."""

    def __init__(self, message: str, *, kind: str, path: Path, backup: Path | None = None):
        super().__init__(message)
        self.kind = kind
        self.path = path
        self.backup = backup


@dataclass
class FileState:
    path: Path
    kind: str
    message: str = ""
    version: int | None = None
    application_id: int | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.kind == OK

    def error(self, backup: Path | None = None) -> DatabaseFileError:
        return DatabaseFileError(self.message, kind=self.kind, path=self.path, backup=backup)


def ro_connect(path: Path) -> sqlite3.Connection:
    """A read-only connection that cannot change the file (no journal recovery written, no schema made)."""
    return sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)


def examine(path, *, latest: int | None = None, thorough: bool = True) -> FileState:
    """What `path` is. `thorough` runs PRAGMA quick_check (reads every page); without it only the header,
    application id and schema version are read."""
    path = Path(path)
    latest = latest_version() if latest is None else latest
    if not path.exists():
        return FileState(path, MISSING)
    if path.is_dir():
        return FileState(path, UNREADABLE, f"“{path}”是一个文件夹,不是数据库文件。请指定一个 .sqlite 文件。")
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        return FileState(path, UNREADABLE, f"无法读取数据库文件“{path}”:{exc.strerror}。请检查文件权限,"
                                           "或关闭正在使用它的程序。")
    if size == 0:
        return FileState(path, EMPTY, f"数据库文件“{path}”是空文件(0 字节),可能在复制或断电时损坏。文件保持原样未被修改;"
                                      "请从备份恢复。如要新建数据库,请另选一个文件名。")
    if not header.startswith(SQLITE_HEADER):
        return FileState(path, FOREIGN, f"“{path}”不是本软件的数据库文件(也不是 SQLite 数据库),未作任何修改。"
                                        "请选择正确的数据库文件,或从备份恢复。")
    if len(header) < 100:
        return FileState(path, DAMAGED, _damaged(path, "文件头不完整,文件被截断"))
    try:
        app_id, version, tables, check = _read_facts(ro_connect(path), thorough)
    except sqlite3.DatabaseError as exc:
        if _blocked_by_folder(exc, path):
            return FileState(path, READ_ONLY, read_only_message(path))
        if not _needs_recovery(exc, path):
            return FileState(path, DAMAGED, _damaged(path, _sqlite_reason(exc, path)))
        try:
            app_id, version, tables, check = _facts_of_recovered_copy(path, thorough)
        except sqlite3.DatabaseError as exc2:
            return FileState(path, DAMAGED, _damaged(path, _sqlite_reason(exc2, path)))
        except OSError as exc2:
            return FileState(path, UNREADABLE, f"无法检查数据库文件“{path}”:{exc2.strerror}。")
    state = FileState(path, OK, version=version, application_id=app_id)
    if app_id == 0 and tables == 0:
        state.kind = BLANK  # an SQLite file with nothing in it yet: fine to open as a new database
        return state
    if app_id != APPLICATION_ID:
        state.kind = FOREIGN
        state.message = (f"“{path}”是其他程序的 SQLite 数据库,不是本软件的数据文件,未作任何修改。"
                         "请选择正确的数据库文件。")
        return state
    problems = [str(row[0]) for row in check]
    if problems != ["ok"]:
        state.kind = DAMAGED
        state.problems = problems
        log_detail(path, "完整性检查:" + ";".join(problems))
        state.message = _damaged(path, "完整性检查发现数据页损坏")
        return state
    if version > latest:
        state.kind = NEWER
        state.message = (f"数据库文件“{path}”由更新版本的本软件创建(结构版本 {version},本程序支持到 {latest})。"
                         "请升级软件后再打开,文件未作任何修改。")
    return state


def _read_facts(con: sqlite3.Connection, thorough: bool):
    try:
        app_id = con.execute("PRAGMA application_id").fetchone()[0]
        version = con.execute("PRAGMA user_version").fetchone()[0]
        tables = con.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
        check = con.execute("PRAGMA quick_check(5)").fetchall() if thorough else [("ok",)]
        return app_id, version, tables, check
    finally:
        con.close()


def _needs_recovery(exc: sqlite3.DatabaseError, path: Path) -> bool:
    """A file left by a killed process or a power cut has a hot journal or an unrecovered WAL, which a
    read-only connection may not replay. That is not damage: opening it for writing completes the recovery."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    side = any(Path(str(path) + suffix).exists() for suffix in ("-journal", "-wal"))
    return side and (name.startswith("SQLITE_READONLY") or name.startswith("SQLITE_CANTOPEN")
                     or "readonly" in str(exc))


def _facts_of_recovered_copy(path: Path, thorough: bool):
    """Check a private copy (with its journal / WAL), so the recovery happens on the copy, never the file."""
    with _recovered_copy(path) as copy:
        return _read_facts(sqlite3.connect(copy), thorough)


@contextlib.contextmanager
def _recovered_copy(path: Path):
    with tempfile.TemporaryDirectory(prefix="safetymonth-check-") as folder:
        copy = Path(folder) / path.name
        for suffix in ("", "-journal", "-wal"):
            source = Path(str(path) + suffix)
            if source.exists():
                shutil.copyfile(source, Path(str(copy) + suffix))
        con = sqlite3.connect(copy)  # replays the journal / WAL into the copy
        try:
            con.execute("PRAGMA journal_mode = DELETE")
        finally:
            con.close()
        yield copy


@contextlib.contextmanager
def readable(path):
    """A path from which `path`'s committed data can be read with ro_connect: the file itself, or — when it
    still needs recovery after a crash — a recovered private copy. The file itself is never written."""
    path = Path(path)
    try:
        con = ro_connect(path)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        if not _needs_recovery(exc, path):
            raise
        with _recovered_copy(path) as copy:
            yield copy
        return
    yield path


def _damaged(path: Path, reason: str) -> str:
    return f"数据库文件“{path}”已损坏({reason})。文件保持原样未被修改;请从备份恢复。"


def damaged_message(path: Path, exc: BaseException) -> str:
    """The clerk's message for a file that failed to read with `exc` (SQLite's words go to the log)."""
    path = Path(path)
    if isinstance(exc, sqlite3.DatabaseError) and _blocked_by_folder(exc, path):
        return read_only_message(path)
    reason = _sqlite_reason(exc, path) if isinstance(exc, sqlite3.DatabaseError) else "无法读取"
    if not isinstance(exc, sqlite3.DatabaseError):
        log_detail(path, f"{type(exc).__name__}: {exc}")
    return _damaged(path, reason)


def _sqlite_reason(exc: sqlite3.DatabaseError, path: Path) -> str:
    """A few words for the clerk; SQLite's own text is written to the log."""
    text = str(exc)
    log_detail(path, f"{getattr(exc, 'sqlite_errorname', '') or type(exc).__name__}: {text}")
    if "malformed" in text:
        return "数据库结构已损坏"
    if "not a database" in text or "encrypted" in text:
        return "文件头无效"
    return "无法读取文件内容"


def read_only_message(path: Path) -> str:
    folder = Path(path).resolve().parent
    return (f"无法使用数据库文件“{path}”:它所在的文件夹“{folder}”是只读的(或本账户没有写入权限),"
            "而数据库在读取时也需要在旁边建立临时文件。文件本身没有损坏,未作任何修改。"
            "请把数据库复制到可以写入的文件夹(如“文档”)后再打开,或请信息科开通该文件夹的写入权限。")


def _blocked_by_folder(exc: sqlite3.DatabaseError, path: Path) -> bool:
    """SQLite could not make the file's companions (-shm / -wal) because the folder may not be written."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if not (name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")) or "readonly" in text
            or "unable to open" in text):
        return False
    return not folder_writable(Path(path).resolve().parent)


def folder_writable(folder: Path) -> bool:
    """Whether files can be made in `folder` (a probe file: os.access says yes to root and on read-only media)."""
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    try:
        fd, name = tempfile.mkstemp(prefix=".safetymonth-probe-", dir=folder)
    except OSError as exc:
        return exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS)
    os.close(fd)
    try:
        os.unlink(name)
    except OSError:
        pass
    return True


def log_detail(path, detail: str) -> None:
    """Keep SQLite's own words about a file for the technician, in errors.log of the data folder."""
    try:
        log = paths.data_dir() / "errors.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"\n==== {dt.datetime.now():%Y-%m-%d %H:%M:%S} safetymonth {__version__} “{path}”:{detail}\n")
    except OSError:
        pass


def good_for_restore(path) -> FileState:
    """A candidate for restore must be ours, healthy and not newer; a blank SQLite file is not a backup."""
    state = examine(path)
    if state.kind == MISSING:
        state.message = f"备份文件“{path}”不存在。"
    elif state.kind in (BLANK, EMPTY):
        state.kind = FOREIGN
        state.message = f"“{path}”中没有本软件的数据,不能用来恢复。请选择 backups 文件夹中的备份文件。"
    return state


# ---- the page check of a big file, after the window is shown

# Above this size the GUI opens the file with the cheap checks only (header, application id, schema version) and
# reads every page (PRAGMA quick_check) on a worker once the window is shown: ~0.3 s per 250 MB here, growing
# with the file. A command, and any file on a network share (no WAL: a reader would hold writers off), still
# checks before opening.
DEFER_CHECK_BYTES = 8 * 1024 * 1024


def is_big(path) -> bool:
    """Whether `path` is big enough for its page check to be deferred (GUI) or stamped (db/page_stamps.py)."""
    try:
        return Path(path).stat().st_size > DEFER_CHECK_BYTES
    except OSError:
        return False


def check_pages(path) -> FileState:
    """PRAGMA quick_check of `path` through a read-only connection of its own (a WAL reader: the writer's
    transactions carry on meanwhile and the check reads one consistent snapshot). OK, or DAMAGED with the
    clerk's message (SQLite's words go to the log). A big file that passes is stamped (db/page_stamps.py), from its
    facts read before the check."""
    path = Path(path)
    stamp = page_stamps.facts(path) if is_big(path) else None
    try:
        con = ro_connect(path)
        try:
            problems = [str(row[0]) for row in con.execute("PRAGMA quick_check(5)").fetchall()]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        page_stamps.forget(path)
        return FileState(path, DAMAGED, damaged_message(path, exc))
    if problems == ["ok"]:
        page_stamps.remember(path, stamp)
        return FileState(path, OK)
    page_stamps.forget(path)
    log_detail(path, "完整性检查:" + ";".join(problems))
    return FileState(path, DAMAGED, _damaged(path, "完整性检查发现数据页损坏"), problems=problems)
