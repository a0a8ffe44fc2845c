"""Data safety for the GUI and the command line (no Qt): opening the database as its one writer, the
backups (list with contents, back up now, save a copy elsewhere, restore), the health check and the
backup settings. The 备份与恢复 dialog and `safetymonth backup/restore/check` are thin faces over this.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from safetymonth_desktop.base.errors import AppError, ValidationError
from safetymonth_desktop.db import backup, connection as conn, integrity, storage
from safetymonth_desktop.db.lock import DatabaseLock, GUI_PROGRAM, holder_of
from safetymonth_desktop.db.migrations import latest_version
from safetymonth_desktop.db.models import AppSetting
from safetymonth_desktop.db.restore import ForeignBackupError, RestoreResult, check_origin, restore_file  # noqa: F401

BackupInfo = backup.BackupInfo


def start(path, *, program: str = GUI_PROGRAM, defer_page_check: bool = False) -> list[str]:
    """Open `path` as this process's database for editing: the write lock, the checks, the migration and
    the day's automatic backup. Returns warnings to show once. Raises DatabaseLockedError (another window
    has it; `.holder` says which), DatabaseFileError (damaged / foreign / newer / empty; `.backup` is the
    newest good backup to offer) or AppError. With `defer_page_check`, a big file on a local disk is opened
    without reading every page: `page_check_pending()` is then true and the caller runs `check_pages()`."""
    deferred = defer_page_check and page_check_deferrable(path)
    conn.open_database(path, lock=True, auto_backup=True, program=program, check_pages=not deferred)
    _pending["path"] = Path(path) if deferred else None
    return conn.open_warnings()


_pending: dict = {"path": None}


def page_check_deferrable(path) -> bool:
    """Big enough for its page check to delay the window, and on a local disk (WAL: the check reads a snapshot
    beside the writer; a network share's rollback journal would hold the writer off for the whole check)."""
    path = Path(path)
    try:
        return path.stat().st_size > integrity.DEFER_CHECK_BYTES and not storage.on_network(path)
    except OSError:
        return False


def page_check_pending() -> Path | None:
    """The file `start` opened without its page check, until `check_pages` ran."""
    return _pending["path"]


def check_pages(path) -> tuple[integrity.FileState, Path | None]:
    """The deferred page check (runs on a worker, read-only): the file's state and, when it is damaged, the
    newest good backup to offer."""
    state = integrity.check_pages(path)
    _pending["path"] = None
    return state, (None if state.ok else backup.newest_good_backup(Path(path), exclude=Path(path)))


def _db_path(db_path) -> Path:
    path = Path(db_path) if db_path is not None else conn.current_path()
    if path is None:
        raise AppError("尚未打开数据库。")
    return path


def backups(db_path=None, *, thorough: bool = False) -> list[BackupInfo]:
    """Every backup of this database (its own folder, and those an earlier version left in the shared
    backups folder), newest first, with time, size, reason and contents."""
    return [backup.describe(p, thorough=thorough) for p in backup.backups_of(_db_path(db_path))]


def backup_now(db_path=None) -> BackupInfo:
    """立即备份: a new backup in the backups folder (rotated)."""
    return backup.describe(backup.make_backup(_db_path(db_path), "manual"))


def save_backup_to(target, db_path=None) -> Path:
    """另存备份到…: a checked copy of the database at `target` (e.g. on a USB stick); a folder gets a dated name."""
    return backup.backup_to(_db_path(db_path), Path(target))


def newest_good_backup(db_path=None) -> Path | None:
    return backup.newest_good_backup(_db_path(db_path))


def restore(candidate, db_path=None, *, program: str = GUI_PROGRAM, force: bool = False) -> RestoreResult:
    """恢复: put backup `candidate` in place of the database, after checking it and backing up the current
    database. Works on the open database (it is closed and opened again, the write lock kept throughout)
    and on a database that cannot be opened (damaged: its bytes are kept in backups/damaged-…).
    A backup of another database raises ForeignBackupError unless `force` (the clerk insisted)."""
    path = _db_path(db_path)
    candidate = Path(candidate)
    restore_check = integrity.good_for_restore(candidate)
    if not restore_check.ok:
        raise AppError(f"不能用“{candidate}”恢复:{restore_check.message or '文件无效'}")
    if not force:
        check_origin(candidate, path)
    current = conn.current_path()
    was_open = current is not None and current.resolve() == path.resolve() and not conn.database.obj.is_closed()
    held = conn.detach_lock() if was_open else None  # keep the lock while the file is swapped
    own = None if held is not None else DatabaseLock(path, program=program).acquire()
    try:
        return restore_file(candidate, path, force=force)
    finally:
        try:
            if was_open:
                conn.open_database(path, lock=held if held is not None else False)
        finally:
            if own is not None:
                own.release()


@dataclass
class CheckReport:
    path: Path
    ok: bool
    message: str
    version: int | None = None
    lines: list[str] = field(default_factory=list)
    backup: Path | None = None  # newest good backup, offered when not ok


def check(db_path) -> CheckReport:
    """健康检查: the same checks as on opening (quick_check, ours, version) plus references between records;
    read-only, so it may run while another window edits the database."""
    path = Path(db_path)
    state = integrity.examine(path)
    if state.kind == integrity.MISSING:
        return CheckReport(path, False, f"数据库文件“{path}”不存在。", backup=backup.newest_good_backup(path))
    if state.kind == integrity.READ_ONLY:
        return CheckReport(path, False, state.message)  # the file is fine: nothing to restore
    if not state.ok and state.kind != integrity.BLANK:
        return CheckReport(path, False, state.message, version=state.version,
                           backup=backup.newest_good_backup(path, exclude=path))
    if state.kind == integrity.BLANK:
        return CheckReport(path, True, f"数据库“{path}”是空的新文件,尚无数据。")
    lines = []
    try:
        with integrity.readable(path) as readable:
            con = integrity.ro_connect(readable)
            try:
                broken = con.execute("PRAGMA foreign_key_check").fetchall()
            finally:
                con.close()
            info = backup.describe(readable)
            if readable != path:
                lines.append("上次未正常关闭(断电或强行结束);下次打开时将自动回到最后一次完整保存的状态。")
    except (sqlite3.Error, OSError) as exc:
        return CheckReport(path, False, integrity.damaged_message(path, exc),
                           backup=backup.newest_good_backup(path, exclude=path))
    if broken:
        return CheckReport(path, False, f"数据库“{path}”中有 {len(broken)} 处记录引用了不存在的记录,文件未被修改;"
                                         "请从备份恢复。", version=state.version,
                           backup=backup.newest_good_backup(path, exclude=path))
    upgrade = f"(打开时将升级到 {latest_version()})" if state.version < latest_version() else ""
    lines.append(f"结构版本 {state.version}{upgrade};年度 {'、'.join(map(str, info.years)) or '无'};"
                 f"单位 {info.units} 个;记录 {info.records} 条。")
    found = backup.backups_of(path)
    if found:
        newest = backup.describe(found[0])
        lines.append(f"备份 {len(found)} 份,最新一份:{newest.time:%Y-%m-%d %H:%M}({newest.reason_label})。")
    else:
        lines.append("还没有任何备份。")
    holder = holder_of(path)
    if holder is not None:
        lines.append(f"数据库正被{holder.describe()}使用。")
    return CheckReport(path, True, f"数据库正常:{path}", version=state.version, lines=lines)


def keep_count() -> int:
    """How many backups are kept (setting of the open database)."""
    row = AppSetting.get_or_none(AppSetting.key == backup.KEEP_SETTING)
    try:
        return max(1, int(row.value)) if row else backup.DEFAULT_KEEP
    except ValueError:
        return backup.DEFAULT_KEEP


def set_keep_count(n) -> int:
    """Change how many backups are kept (1–1000); applies from the next backup on."""
    try:
        n = int(str(n).strip())
    except ValueError:
        raise ValidationError("keep", f"“{n}”不是整数", label="保留备份份数") from None
    if not 1 <= n <= 1000:
        raise ValidationError("keep", "应在 1 到 1000 之间", label="保留备份份数")
    with conn.database.atomic():
        AppSetting.insert(key=backup.KEEP_SETTING, value=str(n)).on_conflict_replace().execute()
    return n
