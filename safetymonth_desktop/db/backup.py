"""Copies of the database made with SQLite's online backup API (safe while the file is open in WAL mode,
never a plain copy of a live file), kept in a folder of the database's own and rotated.

Each database has its own backups folder, `backups/<database file name without extension>/` beside it, so
that two databases in one folder (正式.sqlite, 试用.sqlite) never list, rotate, offer or restore each other's
backups. Every backup also carries its database's id (db/identity.py): a backup in the folder that provably
belongs to another database is ignored. Backups made by earlier versions lie directly in the shared `backups`
folder; they are still found for the database they came from (`backups_of`), and never rotated away.

Where the backups lie and how they are named is db/backup_folder.py. How many are kept is a setting of the database itself (AppSetting `backup.keep`, default 30).
Each copy is written to a temporary file, checked, flushed to disk and only then renamed into place; the
temporary files of a copy killed half-way (and their -journal) are removed by the next backup or open.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from safetymonth_desktop.base import files
from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.base.file_facts import same_file
from safetymonth_desktop.db import identity, output_paths
from safetymonth_desktop.db.backup_folder import (
    REASONS, backup_dir, backup_name, list_backups, newest_first, parse_name, shared_dir,
)
from safetymonth_desktop.db.integrity import _needs_recovery, examine, log_detail, ro_connect
from safetymonth_desktop.db.migrations import APPLICATION_ID
from safetymonth_desktop.db.models import RECORD_MODELS

DEFAULT_KEEP = 30
KEEP_SETTING = "backup.keep"


LEFTOVER_SECONDS = 3600  # a temporary file untouched this long belongs to a copy that was killed


def _copy_database(source_path: Path, dest_path: Path) -> None:
    """Copy with the backup API into `dest_path` (an existing empty temp file); the result uses the
    rollback journal, so the copy is one self-contained file."""
    source = _source_connection(source_path)
    try:
        dest = sqlite3.connect(dest_path)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
            app_id = dest.execute("PRAGMA application_id").fetchone()[0]
            check = dest.execute("PRAGMA quick_check(1)").fetchone()[0]
        finally:
            dest.close()
    finally:
        source.close()
    if app_id != APPLICATION_ID or check != "ok":
        raise AppError("备份副本校验未通过(数据库可能正在损坏),已放弃本次备份。原数据库未受影响。")


def _file_mode(path: Path) -> int | None:
    """The permissions a backup of the database at `path` gets: as private as the database, and writable by
    its owner (so that rotation and the next copy can replace it); None when unknown."""
    try:
        return (os.stat(path).st_mode & 0o666) | 0o200
    except OSError:
        return None


def _source_connection(path: Path) -> sqlite3.Connection:
    """Read-only, unless the file still needs its crash recovery (hot journal / WAL): then a normal
    connection, which completes that recovery first (exactly what opening the database would do)."""
    con = ro_connect(path)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return con
    except sqlite3.DatabaseError as exc:
        con.close()
        if not _needs_recovery(exc, Path(path)):
            raise
        return sqlite3.connect(path, timeout=10)


def backup_to(db_path: Path, target: Path) -> Path:
    """Copy the database at `db_path` into `target` (written beside it, checked, then renamed into place).
    A folder gets a dated file name. Refused first (check_target): see there."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise AppError(f"数据库文件“{db_path}”不存在,无法备份。")
    target = check_target(db_path, target)
    return _write_backup(db_path, target, create_folder=True)


def check_target(db_path: Path, target: Path) -> Path:
    """Where a copy of the database asked for at `target` goes (a folder gets a dated file name), refused
    (output_paths) when it is the database or one of its side files, anything in its backups folder, a
    read-only file, or another database (or its backup): only an earlier copy of this database is replaced."""
    db_path, target = Path(db_path), Path(target)
    if same_file(target, db_path):
        raise AppError(f"备份文件“{target}”不能与数据库文件相同,请选择另一个位置。")
    if target.is_dir():
        target = target / backup_name("manual")
    return output_paths.check_output(target, database=db_path, backup_of=db_path)


def _write_backup(db_path: Path, target: Path, *, create_folder: bool) -> Path:
    return files.write_atomically(target, lambda tmp: _copy_database(db_path, tmp), what="备份文件",
                                  create_folder=create_folder, check=None, mode=_file_mode(db_path))


def configured_keep(db_path: Path) -> int:
    """How many backups to keep, from the database's own settings (read-only; default 30)."""
    try:
        con = ro_connect(db_path)
        try:
            row = con.execute("SELECT value FROM app_setting WHERE key = ?", (KEEP_SETTING,)).fetchone()
        finally:
            con.close()
        return max(1, int(row[0])) if row else DEFAULT_KEEP
    except (sqlite3.Error, ValueError, TypeError, OSError):
        return DEFAULT_KEEP


def make_backup(db_path: Path, reason: str = "manual", keep: int | None = None) -> Path:
    """A new rotating backup in the database's own backups folder; returns its path. The oldest beyond `keep`
    (default: the database's setting) are deleted only after the new copy is safely in place."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise AppError(f"数据库文件“{db_path}”不存在,无法备份。")
    folder = backup_dir(db_path)
    now = dt.datetime.now()
    target = folder / backup_name(reason, now)
    counter = 1
    while target.exists():
        target = folder / backup_name(f"{reason}-{counter}", now)
        counter += 1
    _write_backup(db_path, target, create_folder=True)
    rotate(folder, keep if keep is not None else configured_keep(db_path), owner=db_path)
    return target


def backups_of(db_path: Path) -> list[Path]:
    """The backups of the database at `db_path`, newest first: those in its own folder (less any that
    provably belong to another database) and those that earlier versions left in the shared folder and that
    it made (identity.Owner.claims)."""
    db_path = Path(db_path)
    own = list_backups(backup_dir(db_path))
    legacy = list_backups(shared_dir(db_path))
    if not own and not legacy:
        return []
    owner = identity.Owner.of(db_path)
    found = [p for p in own if owner.relation(identity.read_mark(p)) is not False]
    found += [p for p in legacy if owner.claims(identity.read_mark(p))]
    return newest_first(found)


def choose_kept(backups: list[Path], keep: int) -> list[Path]:
    """Which backups to keep (newest first in, a subset out). At most `keep`: the newest backup of each of the
    most recent days fills up to half of the places, the newest of the rest the others — so a day of many
    imports cannot push every earlier day's backup out."""
    keep = max(keep, 1)
    if len(backups) <= keep:
        return list(backups)
    chosen: list[Path] = []
    seen_days = set()
    for path in backups:
        day = parse_name(path)[0].date()
        if day not in seen_days and len(chosen) < max(keep // 2, 1):
            seen_days.add(day)
            chosen.append(path)
    for path in backups:
        if len(chosen) >= keep:
            break
        if path not in chosen:
            chosen.append(path)
    return [p for p in backups if p in chosen]


def rotate(folder: Path, keep: int, *, owner: Path | None = None) -> None:
    """Delete the backups in `folder` beyond `keep` (see choose_kept), and temp files of copies killed
    half-way. With `owner` (the database), a backup that provably belongs to another database is left alone."""
    remove_leftovers(folder)
    backups = list_backups(folder)
    if owner is not None and backups:
        judge = identity.Owner.of(owner)
        backups = [p for p in backups if judge.relation(identity.read_mark(p)) is not False]
    kept = set(choose_kept(backups, keep))
    for old in backups:
        if old not in kept:
            files.remove_quietly(old)


def remove_leftovers(folder: Path, name: str = r"safetymonth-.+", *,
                     older_than: float = LEFTOVER_SECONDS) -> None:
    """Remove the temporary files (`.<name>.<random>.part`, and the `-journal` SQLite made beside it) of
    copies that were killed half-way: those untouched for `older_than` seconds (a copy being made now stays).
    `name` is a regular expression for the name of the file that was being written."""
    pattern = re.compile(rf"^\.{name}\.[A-Za-z0-9_]+\.part(-journal|-wal|-shm)?$")
    try:
        leftovers = [p for p in Path(folder).iterdir() if pattern.match(p.name)]
    except OSError:
        return
    for leftover in leftovers:
        try:
            if time.time() - leftover.stat().st_mtime >= older_than:
                files.remove_quietly(leftover)
        except OSError:
            pass


def clean_up(db_path: Path) -> None:
    """On opening the database as its one writer: remove what killed copies left behind — backups being
    made (in its backups folders, after an hour) and a restore's temporary file beside the database (at
    once: a restore holds the write lock, which the caller holds now)."""
    db_path = Path(db_path)
    remove_leftovers(backup_dir(db_path))
    remove_leftovers(shared_dir(db_path))
    remove_leftovers(db_path.parent, re.escape(db_path.name), older_than=0)


def made_today(db_path: Path, today: dt.date | None = None) -> bool:
    """Whether the database's own folder holds a backup of it made today (a.sqlite and a.db share a folder:
    one's backup does not count for the other)."""
    today = today or dt.date.today()
    todays = [p for p in list_backups(backup_dir(db_path)) if parse_name(p)[0].date() == today]
    if not todays:
        return False
    owner = identity.Owner.of(db_path)
    return any(owner.relation(identity.read_mark(p)) is not False for p in todays)


def daily_backup(db_path: Path, today: dt.date | None = None) -> Path | None:
    """The automatic backup on opening: made when no backup of today exists yet; returns it or None."""
    if not Path(db_path).exists() or made_today(db_path, today):
        return None
    return make_backup(db_path, "auto")


@dataclass
class BackupInfo:
    """What a backup holds, for the 备份与恢复 list."""

    path: Path
    time: dt.datetime
    reason: str
    size: int
    ok: bool = True
    problem: str = ""
    version: int | None = None
    years: list[int] = field(default_factory=list)
    units: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # Chinese record type → rows (records only)

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)

    @property
    def records(self) -> int:
        return sum(self.counts.values())

    @property
    def size_text(self) -> str:
        return f"{self.size / 1024:.0f} KB" if self.size < 1024 * 1024 else f"{self.size / 1024 / 1024:.1f} MB"

    def summary(self) -> str:
        if not self.ok:
            return self.problem
        years = "、".join(map(str, self.years)) or "无年度"
        return f"年度 {years};单位 {self.units} 个;记录 {self.records} 条"


def describe(path: Path, *, thorough: bool = False) -> BackupInfo:
    """Time, size and contents (years, record counts per type) of one backup, read-only."""
    path = Path(path)
    parsed = parse_name(path)
    stat = path.stat()
    when, reason = parsed if parsed else (dt.datetime.fromtimestamp(stat.st_mtime), "manual")
    info = BackupInfo(path=path, time=when, reason=reason, size=stat.st_size)
    state = examine(path, thorough=thorough)
    info.version = state.version
    if not state.ok:
        info.ok, info.problem = False, state.message or "不是有效的备份文件"
        return info
    try:
        con = ro_connect(path)
        try:
            info.years = [r[0] for r in con.execute("SELECT year FROM campaign ORDER BY year")]
            info.units = con.execute("SELECT count(*) FROM unit").fetchone()[0]
            for model in RECORD_MODELS:
                info.counts[model._meta.title] = con.execute(
                    f'SELECT count(*) FROM "{model._meta.table_name}"').fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error as exc:
        log_detail(path, str(exc))
        info.ok, info.problem = False, "无法读取备份内容(文件可能已损坏)"
    return info


def newest_good_backup(db_path: Path, *, exclude: Path | None = None) -> Path | None:
    """The newest of the database's own backups (backups_of) that passes every check (integrity, ours,
    not newer)."""
    for candidate in backups_of(db_path):
        if exclude is not None and same_file(candidate, exclude):
            continue
        if examine(candidate).ok:
            return candidate
    return None
