"""The one check every writer makes before it writes anything: may this output file be (re)written?

`check_output(target, …)` refuses (AppError, one Chinese sentence naming the file and why):
- the database itself, its `-wal` / `-shm` / `-journal` files and its lock files;
- the backups folder beside the database, or anything inside it (this database's backups, the old shared
  backups, other databases' backups);
- one of the command's own inputs (the form being filled, the Word template, the workbooks just imported);
- an existing SQLite database or backup anywhere — an Excel or Word file written over it destroys it (a
  backup may only replace an earlier copy of the same database);
- an existing read-only file (refused instead of silently replaced) and a folder given as a file name.

`write_output(target, write, …)` is how every output the clerk asked for is written: this check, then
base/files.write_atomically. Paths are compared as the files they name (base/file_facts.py). The database
is the one open now unless the caller names it (the command line checks before opening it).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Callable

from safetymonth_desktop.base import files
from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.base.file_facts import is_read_only, is_within, same_file
from safetymonth_desktop.db import identity
from safetymonth_desktop.db.backup_folder import BACKUP_DIR_NAME
from safetymonth_desktop.db.lock import GUARD_SUFFIX, LOCK_SUFFIX
from safetymonth_desktop.db.proxy import current_path

SQLITE_HEADER = b"SQLite format 3\x00"
SIDE_SUFFIXES = {"-wal": "预写日志(-wal)", "-shm": "共享内存(-shm)", "-journal": "回滚日志(-journal)"}
CURRENT = object()  # "the database open now"


def check_output(target, *, database=CURRENT, inputs: Iterable = (), backup_of=None) -> Path:
    """Refuse `target` (AppError) when writing it could destroy data; returns it as a Path.

    database: the database whose files are protected (default: the open one; None: no database).
    inputs: the files the command reads — paths, or (path, label) pairs such as (form, "表样").
    backup_of: the output is a backup of this database: an existing file is replaced only when it is an
    earlier copy of the same database."""
    target = Path(target)
    shown = str(target)
    if database is CURRENT:
        database = current_path()
    if database is not None:
        _check_database_files(target, Path(database), shown)
    for item in inputs:
        path, label = item if isinstance(item, tuple) else (item, "输入文件")
        if path and same_file(target, path):
            raise AppError(f"输出文件“{shown}”就是本次要读取的{label}“{path}”,写入会把它覆盖掉。请换一个文件名。")
    if target.is_dir():
        raise AppError(f"“{shown}”是一个文件夹,请给出文件名。")
    if not target.exists():
        return target
    if _is_sqlite(target) and not (backup_of is not None and _earlier_copy(target, Path(backup_of))):
        what = "另一个数据库或其备份" if backup_of is not None else "一个数据库(或数据库的备份)"
        raise AppError(f"输出文件“{shown}”是{what},写入会毁掉其中的数据。请换一个文件名。")
    if is_read_only(target):
        raise AppError(f"输出文件“{shown}”是只读文件,未覆盖。如确实要替换它,请先在文件属性中取消“只读”,"
                       "或换一个文件名。")
    return target


def write_output(target, write: Callable[[Path], None], *, what: str = "文件", inputs: Iterable = (),
                 create_folder: bool = False, mode: int | None = None) -> Path:
    """Write an output the clerk asked for: refused first by check_output (against the open database, with
    `inputs` as the command's own input files), then written atomically (base/files.write_atomically)."""
    return files.write_atomically(target, write, check=lambda path: check_output(path, inputs=inputs),
                                  what=what, create_folder=create_folder, mode=mode)


def _check_database_files(target: Path, database: Path, shown: str) -> None:
    places = {database, Path(os.path.realpath(database))}  # SQLite keeps its side files by the real file
    for db in places:
        if same_file(target, db):
            raise AppError(f"输出文件“{shown}”就是当前使用的数据库文件,写入会毁掉全部数据。请换一个文件名。")
        for suffix, label in SIDE_SUFFIXES.items():
            if same_file(target, Path(str(db) + suffix)):
                raise AppError(f"输出文件“{shown}”是当前数据库的{label}文件,写入会损坏数据库。请换一个文件名。")
        for suffix in (LOCK_SUFFIX, GUARD_SUFFIX):
            if same_file(target, Path(str(db) + suffix)):
                raise AppError(f"输出文件“{shown}”是当前数据库的锁文件,写入会让两个程序同时修改数据库。请换一个文件名。")
        folder = db.parent / BACKUP_DIR_NAME
        if is_within(target, folder):
            raise AppError(f"输出文件“{shown}”在数据库的备份文件夹“{folder}”中,写入可能覆盖或混入备份。"
                           "请另选一个文件夹。")


# ---- what an existing file is


def _is_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _earlier_copy(existing: Path, database: Path) -> bool:
    """Whether `existing` is a copy (backup) of `database`, which may be replaced by a newer one."""
    return identity.relation(existing, database) is True
