"""Copies of the database made with SQLite's online backup API (safe while the file is open in WAL mode),
kept in a `backups` folder beside the database and rotated."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from safetymonth_desktop.services.errors import AppError

BACKUP_DIR_NAME = "backups"
DEFAULT_KEEP = 30


def backup_dir(db_path: Path) -> Path:
    return Path(db_path).parent / BACKUP_DIR_NAME


def backup_to(db_path: Path, target: Path) -> Path:
    """Copy the database at `db_path` into `target` (written beside it, then renamed into place)."""
    db_path, target = Path(db_path), Path(target)
    if target.resolve() == db_path.resolve():
        raise AppError("备份文件不能与数据库文件相同,请选择另一个位置。")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AppError(f"无法创建备份所在文件夹“{target.parent}”:{exc.strerror}。")
    tmp = target.with_name(target.name + ".part")
    try:
        source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            dest = sqlite3.connect(tmp)
            try:
                source.backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")
            finally:
                dest.close()
        finally:
            source.close()
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        _remove(tmp)
        raise AppError(f"备份失败:{exc}。原数据库未受影响。")
    except OSError as exc:
        _remove(tmp)
        raise AppError(f"无法写入备份文件“{target}”:{exc.strerror}。请检查磁盘空间和文件夹权限。")
    return target


def backup_name(reason: str = "manual", now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now()
    return f"safetymonth-{now:%Y%m%d-%H%M%S}-{reason}.sqlite"


def make_backup(db_path: Path, reason: str = "manual", keep: int = DEFAULT_KEEP) -> Path:
    """A new rotating backup in the backups folder; the oldest beyond `keep` are deleted."""
    folder = backup_dir(db_path)
    target = folder / backup_name(reason)
    counter = 1
    while target.exists():
        target = folder / backup_name(f"{reason}-{counter}")
        counter += 1
    backup_to(db_path, target)
    rotate(folder, keep)
    return target


def list_backups(folder: Path) -> list[Path]:
    """Backups in `folder`, newest first."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob("safetymonth-*.sqlite"), key=lambda p: p.name, reverse=True)


def rotate(folder: Path, keep: int) -> None:
    for old in list_backups(folder)[max(keep, 1):]:
        _remove(old)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
