"""Is a file our healthy database? Looked at read-only, never modified.

`examine(path)` says what a file is (missing, empty, ours and healthy, damaged, another program's, made
by a newer version …) with a Chinese explanation; `DatabaseFileError` carries that explanation and, when
one exists, the newest backup that passes the same checks, so the command line and the GUI can offer it.
"""

from __future__ import annotations

import sqlite3
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
        con = ro_connect(path)
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            version = con.execute("PRAGMA user_version").fetchone()[0]
            tables = con.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
            check = con.execute("PRAGMA quick_check(5)").fetchall() if thorough else [("ok",)]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return FileState(path, DAMAGED, _damaged(path, _sqlite_reason(exc)))
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
