"""Is a file our healthy database? Looked at read-only, never modified.

`examine(path)` says what a file is (missing, empty, ours and healthy, damaged, another program's, made
by a newer version …) with a Chinese explanation; `DatabaseFileError` carries that explanation and, when
one exists, the newest backup that passes the same checks, so the command line and the GUI can offer it.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from safetymonth_desktop.services.errors import AppError

# PRAGMA application_id marks a file as ours ("SMYD").
APPLICATION_ID = 0x534D5944
SQLITE_HEADER = b"SQLite format 3\x00"

OK, MISSING, EMPTY, BLANK = "ok", "missing", "empty", "blank"
DAMAGED, FOREIGN, NEWER, UNREADABLE = "damaged", "foreign", "newer", "unreadable"
BAD_KINDS = (EMPTY, DAMAGED, FOREIGN, NEWER, UNREADABLE)


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
    from safetymonth_desktop.db.migrations import latest_version

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
        if not _needs_recovery(exc, path):
            return FileState(path, DAMAGED, _damaged(path, _sqlite_reason(exc)))
        try:
            app_id, version, tables, check = _facts_of_recovered_copy(path, thorough)
        except sqlite3.DatabaseError as exc2:
            return FileState(path, DAMAGED, _damaged(path, _sqlite_reason(exc2)))
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
        state.message = _damaged(path, "完整性检查发现问题:" + ";".join(problems[:3]))
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


def _sqlite_reason(exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "malformed" in text:
        return "数据库结构已损坏"
    if "not a database" in text or "encrypted" in text:
        return "文件头无效"
    return f"无法读取:{text}"


def good_for_restore(path) -> FileState:
    """A candidate for restore must be ours, healthy and not newer; a blank SQLite file is not a backup."""
    state = examine(path)
    if state.kind == MISSING:
        state.message = f"备份文件“{path}”不存在。"
    elif state.kind in (BLANK, EMPTY):
        state.kind = FOREIGN
        state.message = f"“{path}”中没有本软件的数据,不能用来恢复。请选择 backups 文件夹中的备份文件。"
    return state
