"""Opening the database file: pragmas, the checks that it is ours and healthy, and schema migration.

`database` is the proxy every model is bound to; `open_database(path)` points it at a file. The file is
refused with a Chinese explanation (AppError) when it is not an SQLite file, is damaged, belongs to
another program, or was written by a newer version of this application.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import peewee as pw

from safetymonth_desktop.services.errors import AppError

database = pw.DatabaseProxy()

# PRAGMA application_id marks a file as ours ("SMYD").
APPLICATION_ID = 0x534D5944
SQLITE_HEADER = b"SQLite format 3\x00"

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    # FULL: a committed edit survives a power cut even in WAL mode (NORMAL may lose the last commits).
    "synchronous": "full",
    "cache_size": -16000,
}


class DatabaseFileError(AppError):
    """The file cannot be used as our database; `kind` is one of damaged / foreign / newer / unreadable."""

    def __init__(self, message: str, *, kind: str, path: Path):
        super().__init__(message)
        self.kind = kind
        self.path = path


def inspect_file(path: Path) -> None:
    """Check a file before it is opened for writing; raises DatabaseFileError. A missing or empty file is fine."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return
    if path.is_dir():
        raise DatabaseFileError(f"“{path}”是一个文件夹,不是数据库文件。请指定一个 .sqlite 文件。", kind="unreadable", path=path)
    try:
        with open(path, "rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise DatabaseFileError(f"无法读取数据库文件“{path}”:{exc.strerror}。请检查文件权限。", kind="unreadable", path=path)
    if header != SQLITE_HEADER:
        raise DatabaseFileError(
            f"“{path}”不是本软件的数据库文件(也不是 SQLite 数据库),未作任何修改。请选择正确的数据库文件,或从备份恢复。",
            kind="foreign", path=path,
        )
    from safetymonth_desktop.db.migrations import LATEST_VERSION

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            version = con.execute("PRAGMA user_version").fetchone()[0]
            tables = con.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
            check = con.execute("PRAGMA quick_check").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseFileError(
            f"数据库文件“{path}”已损坏,无法读取({exc})。文件保持原样未被修改;请从备份恢复。",
            kind="damaged", path=path,
        )
    if app_id != APPLICATION_ID and not (app_id == 0 and tables == 0):
        raise DatabaseFileError(
            f"“{path}”是其他程序的 SQLite 数据库,不是本软件的数据文件,未作任何修改。请选择正确的数据库文件。",
            kind="foreign", path=path,
        )
    if [row[0] for row in check] != ["ok"]:
        detail = ";".join(str(r[0]) for r in check[:3])
        raise DatabaseFileError(
            f"数据库文件“{path}”已损坏(完整性检查:{detail})。文件保持原样未被修改;请从备份恢复。",
            kind="damaged", path=path,
        )
    if version > LATEST_VERSION:
        raise DatabaseFileError(
            f"数据库文件“{path}”由更新版本的本软件创建(结构版本 {version},本程序支持到 {LATEST_VERSION})。"
            "请升级软件后再打开,文件未作任何修改。",
            kind="newer", path=path,
        )


def connect(path: Path) -> pw.SqliteDatabase:
    """A peewee database on `path` with our pragmas (no checks, no migration)."""
    db = pw.SqliteDatabase(str(path), pragmas=PRAGMAS, check_same_thread=False)
    db.connect(reuse_if_open=True)
    return db


def open_database(path: str | os.PathLike, *, migrate: bool = True) -> pw.SqliteDatabase:
    """Check `path`, open it, bring its schema up to date and bind the models to it."""
    from safetymonth_desktop.db import migrations

    path = Path(path)
    inspect_file(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AppError(f"无法创建数据库所在文件夹“{path.parent}”:{exc.strerror}。")
    close_database()
    try:
        db = connect(path)
    except pw.OperationalError as exc:
        raise AppError(f"无法打开数据库文件“{path}”:{exc}。请检查文件夹是否可写。")
    database.initialize(db)
    if migrate:
        migrations.migrate(db, path)
    return db


def close_database() -> None:
    """Close the current database, if any, checkpointing its WAL."""
    db = database.obj
    if db is not None and not db.is_closed():
        try:
            db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except pw.DatabaseError:
            pass
        db.close()


def current_path() -> Path | None:
    """The file the models are bound to now."""
    db = database.obj
    return Path(db.database) if db is not None else None
