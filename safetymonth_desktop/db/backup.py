"""Copies of the database made with SQLite's online backup API (safe while the file is open in WAL mode,
never a plain copy of a live file), kept in a `backups` folder beside the database and rotated.

Backup files are named `safetymonth-YYYYMMDD-HHMMSS-<reason>.sqlite`; the reason says why it was made
(REASONS). How many are kept is a setting of the database itself (AppSetting `backup.keep`, default 30).
Each copy is written to a temporary file, checked, flushed to disk and only then renamed into place.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from safetymonth_desktop.db.integrity import APPLICATION_ID, _needs_recovery, examine, ro_connect
from safetymonth_desktop.services import files
from safetymonth_desktop.services.errors import AppError

BACKUP_DIR_NAME = "backups"
DEFAULT_KEEP = 30
KEEP_SETTING = "backup.keep"
REASONS = {
    "auto": "每日自动备份",
    "manual": "手动备份",
    "import": "导入前",
    "before-restore": "恢复前",
    "before-upgrade": "升级前",
    "before-demo": "重建示例前",
}
_NAME = re.compile(r"^safetymonth-(\d{8}-\d{6})-([a-z-]+?)(?:-\d+)?\.sqlite$")


def backup_dir(db_path: Path) -> Path:
    return Path(db_path).parent / BACKUP_DIR_NAME


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
    """Copy the database at `db_path` into `target` (written beside it, checked, then renamed into place)."""
    db_path, target = Path(db_path), Path(target)
    if not db_path.exists():
        raise AppError(f"数据库文件“{db_path}”不存在,无法备份。")
    if target.exists() and target.resolve() == db_path.resolve():
        raise AppError("备份文件不能与数据库文件相同,请选择另一个位置。")
    if target.is_dir():
        target = target / backup_name("manual")
    return files.write_atomically(target, lambda tmp: _copy_database(db_path, tmp), what="备份文件",
                                 create_folder=True)


def backup_name(reason: str = "manual", now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now()
    return f"safetymonth-{now:%Y%m%d-%H%M%S}-{reason}.sqlite"


def parse_name(path: Path) -> tuple[dt.datetime, str] | None:
    """(time, reason) encoded in a backup's file name; None for a name we did not make."""
    match = _NAME.match(Path(path).name)
    if not match:
        return None
    try:
        return dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S"), match.group(2)
    except ValueError:
        return None


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
    """A new rotating backup in the backups folder; returns its path. The oldest beyond `keep` (default:
    the database's setting) are deleted only after the new copy is safely in place."""
    folder = backup_dir(db_path)
    now = dt.datetime.now()
    target = folder / backup_name(reason, now)
    counter = 1
    while target.exists():
        target = folder / backup_name(f"{reason}-{counter}", now)
        counter += 1
    backup_to(db_path, target)
    rotate(folder, keep if keep is not None else configured_keep(db_path))
    return target


def list_backups(folder: Path) -> list[Path]:
    """Backups in `folder`, newest first."""
    if not Path(folder).is_dir():
        return []
    found = [p for p in Path(folder).glob("safetymonth-*.sqlite") if parse_name(p)]
    return sorted(found, key=lambda p: (parse_name(p)[0], p.stat().st_mtime if p.exists() else 0, p.name),
                  reverse=True)


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


def rotate(folder: Path, keep: int) -> None:
    """Delete the backups beyond `keep` (see choose_kept), and temp files of copies killed half-way."""
    for leftover in Path(folder).glob(".safetymonth-*.part"):
        try:
            if time.time() - leftover.stat().st_mtime > 3600:
                files.remove_quietly(leftover)
        except OSError:
            pass
    backups = list_backups(folder)
    kept = set(choose_kept(backups, keep))
    for old in backups:
        if old not in kept:
            files.remove_quietly(old)


def made_today(db_path: Path, today: dt.date | None = None) -> bool:
    today = today or dt.date.today()
    return any(parse_name(p)[0].date() == today for p in list_backups(backup_dir(db_path)))


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
    from safetymonth_desktop.db.models import RECORD_MODELS

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
        info.ok, info.problem = False, f"无法读取备份内容({exc})"
    return info


def newest_good_backup(db_path: Path, *, exclude: Path | None = None) -> Path | None:
    """The newest backup of `db_path` that passes every check (integrity, ours, not newer)."""
    for candidate in list_backups(backup_dir(db_path)):
        if exclude is not None and candidate.resolve() == Path(exclude).resolve():
            continue
        if examine(candidate).ok:
            return candidate
    return None
