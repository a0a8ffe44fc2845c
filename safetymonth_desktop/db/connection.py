"""Opening the database file: the checks that it is ours and healthy, the write lock, pragmas, the
automatic backups and schema migration.

`database` is the proxy every model is bound to (db/proxy.py); `open_database(path)` points it at a file. The file is
refused with a Chinese explanation (DatabaseFileError, carrying the newest good backup) when it is empty,
not an SQLite file, damaged, another program's, or written by a newer version of this application; a
refused file is only ever read. `open_database(path, lock=True)` also makes this process the one writer
(DatabaseLockedError when another live process is). `close_database()` closes and releases the lock.
"""

from __future__ import annotations

import os
from pathlib import Path

import peewee as pw

from safetymonth_desktop.base import failures
from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.base.file_facts import is_read_only
from safetymonth_desktop.db import backup, identity, migrations, page_stamps, storage
from safetymonth_desktop.db.integrity import (  # noqa: F401  (re-exported: the public names of this module)
    BAD_KINDS, OK, READ_ONLY, SQLITE_HEADER, DatabaseFileError, examine, is_big,
)
from safetymonth_desktop.db.lock import GUI_PROGRAM, DatabaseLock, DatabaseLockedError  # noqa: F401
from safetymonth_desktop.db.migrations import APPLICATION_ID  # noqa: F401  (re-exported)
from safetymonth_desktop.db.proxy import current_path, database  # noqa: F401  (re-exported: models bind to it)

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    # FULL: a committed edit survives a power cut even in WAL mode (NORMAL may lose the last commits).
    "synchronous": "full",
    "cache_size": -16000,
}

_state: dict = {"lock": None, "warnings": []}


def inspect_file(path: Path, *, thorough: bool = True, trust_stamp: bool = False) -> None:
    """Check a file before it is opened; raises DatabaseFileError (with the newest good backup, if any).
    A missing file, or an SQLite file with nothing in it, is fine (it becomes a new database). Without
    `thorough` the pages are not read (the caller runs integrity.check_pages later). With `trust_stamp` (a
    command that only reads) a big file that passed the page check and has not changed since (db/page_stamps.py)
    is not read page by page again; a big file that passes a full check here is stamped."""
    path = Path(path)
    stamp = None
    if thorough and is_big(path):
        if trust_stamp and page_stamps.unchanged(path):
            thorough = False
        else:
            stamp = page_stamps.facts(path)  # before the check: a write racing it leaves a stamp that no longer fits
    state = examine(path, thorough=thorough)
    if state.kind == READ_ONLY:
        raise AppError(state.message)  # the file is fine: no restore to offer
    if state.kind in BAD_KINDS:
        page_stamps.forget(path)
        found = backup.newest_good_backup(path, exclude=path)
        raise state.error(found)
    if stamp is not None and state.kind == OK:
        page_stamps.remember(path, stamp)


def connect(path: Path, *, journal_mode: str = "wal") -> pw.SqliteDatabase:
    """A peewee database on `path` with our pragmas (no checks, no migration)."""
    db = pw.SqliteDatabase(str(path), pragmas={**PRAGMAS, "journal_mode": journal_mode}, check_same_thread=False)
    db.connect(reuse_if_open=True)
    return db


def open_database(path: str | os.PathLike, *, migrate: bool = True, lock: bool | DatabaseLock = False,
                  auto_backup: bool = False, program: str = GUI_PROGRAM, create: bool = True,
                  check_pages: bool = True, trust_page_stamp: bool = False) -> pw.SqliteDatabase:
    """Check `path`, open it, bring its schema up to date and bind the models to it.

    lock: hold the write lock until close_database() (the GUI and every command that writes); a held
    DatabaseLock (from `detach_lock()`) is taken over as it is.
    auto_backup: make the day's automatic backup if there is none yet (failure only adds a warning).
    create: a missing file becomes a new database; with False it is refused (AppError) and nothing is made.
    check_pages: read every page first (PRAGMA quick_check); the GUI passes False for a big file and checks it
    on a worker once its window is shown.
    trust_page_stamp: a command that only reads skips reading every page of a big file that passed the page check
    and has not changed since (db/page_stamps.py); the cheap checks (header, application id, version) still run.
    Warnings for the clerk (network share, missing file with backups) are in `open_warnings()`."""
    path = Path(path)
    close_database()
    if not create and not path.exists():
        raise AppError(f"数据库文件“{path}”不存在。请检查文件名和所在文件夹是否写对了。")
    if lock and _read_only_file(path):  # before the lock, the daily backup or any write is attempted
        raise failures.read_only(path)
    held = None
    if isinstance(lock, DatabaseLock):
        held = lock.acquire()
    elif lock:
        held = DatabaseLock(path, program=program).acquire()
    try:
        inspect_file(path, thorough=check_pages, trust_stamp=trust_page_stamp and not lock)
        warnings = []
        existed = path.exists() and path.stat().st_size > 0
        if not existed and backup.backups_of(path):
            warnings.append(f"未找到数据库文件“{path}”,已新建一个空数据库;但 backups 文件夹中有以前的备份。"
                            "如果数据库被误删或移动了,请用“备份与恢复”找回数据。")
        journal = "wal"
        if storage.on_network(path):
            journal = "delete"
            warnings.append(storage.network_warning(path))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AppError(f"无法创建数据库所在文件夹“{path.parent}”:{exc.strerror}。")
        try:
            db = connect(path, journal_mode=journal)
        except pw.OperationalError as exc:
            raise AppError(f"无法打开数据库文件“{path}”:{exc}。请检查文件夹是否可写,或稍后再试。")
        database.initialize(db)
        _state.update(lock=held, warnings=warnings)
        if migrate and migrations.needs_upgrade(db):
            _upgrade(db, path, have_lock=held is not None, program=program)
        elif migrate:
            migrations.migrate(db, path)  # a new, empty file gets the schema
        if held is not None and migrate:
            _settle(db, path)
        if auto_backup and existed:
            try:
                backup.daily_backup(path)
            except AppError as exc:
                warnings.append(f"今天的自动备份未能完成:{exc}")
        return db
    except BaseException:
        _close_connection()
        _state.update(lock=None, warnings=[])
        if held is not None:
            held.release()
        raise


def _read_only_file(path: Path) -> bool:
    return path.is_file() and is_read_only(path)


def _upgrade(db, path: Path, *, have_lock: bool, program: str) -> None:
    """Upgrade an older file: only as its one writer, and only after a backup was made."""

    def before(version: int) -> None:
        backup.make_backup(path, "before-upgrade")

    if have_lock:
        migrations.migrate(db, path, before_upgrade=before)
        return
    with DatabaseLock(path, program=program):
        migrations.migrate(db, path, before_upgrade=before)


def _settle(db, path: Path) -> None:
    """As the database's one writer: make sure it has an id of its own (its backups carry it, db/identity.py)
    and remove temporary files that killed backups or restores left behind."""
    try:
        with db.atomic():
            identity.stamp(db.execute_sql, path)
    except pw.DatabaseError:
        pass  # a read-only file: its backups then go by their folder alone
    backup.clean_up(path)


def open_warnings() -> list[str]:
    """Things the clerk should know about the database opened last (shown once, not errors)."""
    return list(_state["warnings"])


def holds_lock() -> bool:
    return _state["lock"] is not None


def _close_connection() -> None:
    db = database.obj
    if db is not None and not db.is_closed():
        try:
            db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except pw.DatabaseError:
            pass
        db.close()


def detach_lock() -> DatabaseLock | None:
    """Close the database but keep holding its write lock (restore); returns the lock, or None."""
    _close_connection()
    held = _state["lock"]
    _state.update(lock=None, warnings=[])
    return held


def close_database() -> None:
    """Close the current database, if any, checkpointing its WAL, and release the write lock."""
    _close_connection()
    held = _state["lock"]
    _state.update(lock=None, warnings=[])
    if held is not None:
        held.release()
