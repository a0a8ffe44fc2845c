"""Where a database's backups live and how they are named — the layout that the backup machinery, the
identity of backups (db/identity.py) and the output check (db/output_paths.py) all read.

Each database has its own backups folder, `backups/<database file name without extension>/` beside it
(`backup_dir`); the shared `backups` folder beside the database (`shared_dir`) holds those folders and the
backups that earlier versions put there directly. Backup files are named
`safetymonth-YYYYMMDD-HHMMSS-<reason>.sqlite`; the reason says why it was made (REASONS).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

BACKUP_DIR_NAME = "backups"
REASONS = {
    "auto": "每日自动备份",
    "manual": "手动备份",
    "import": "导入前",
    "before-restore": "恢复前",
    "before-upgrade": "升级前",
    "before-demo": "重建示例前",
}
_NAME = re.compile(r"^safetymonth-(\d{8}-\d{6})-([a-z-]+?)(?:-\d+)?\.sqlite$")


def shared_dir(db_path: Path) -> Path:
    """The `backups` folder beside the database: holds each database's folder (and old versions' backups)."""
    return Path(db_path).parent / BACKUP_DIR_NAME


def backup_dir(db_path: Path) -> Path:
    """The database's own backups folder: `backups/<file name without extension>/` beside it."""
    db_path = Path(db_path)
    return shared_dir(db_path) / (db_path.stem or db_path.name)


def backup_name(reason: str = "manual", now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now()
    return f"safetymonth-{now:%Y%m%d-%H%M%S}-{reason}.sqlite"


def parse_name(path: Path) -> tuple[dt.datetime, str] | None:
    """(time, reason) encoded in a backup's file name; None for a name we did not make."""
    match = _NAME.match(Path(path).name)
    if not match:
        return None
    stamp = match.group(1)  # YYYYMMDD-HHMMSS; read by hand: strptime's first use costs start-up time
    try:
        when = dt.datetime(int(stamp[0:4]), int(stamp[4:6]), int(stamp[6:8]),
                           int(stamp[9:11]), int(stamp[11:13]), int(stamp[13:15]))
    except ValueError:
        return None
    return when, match.group(2)


def list_backups(folder: Path) -> list[Path]:
    """Backup files in `folder` (by name; whoever made them), newest first."""
    if not Path(folder).is_dir():
        return []
    found = [p for p in Path(folder).glob("safetymonth-*.sqlite") if parse_name(p) and p.is_file()]
    return newest_first(found)


def newest_first(found: list[Path]) -> list[Path]:
    """Backup files sorted newest first: by the time in their name, then by modification time."""
    def key(p: Path):
        try:
            mtime = p.stat().st_mtime
        except OSError:
            mtime = 0
        return parse_name(p)[0], mtime, p.name

    return sorted(found, key=key, reverse=True)
