"""Putting a backup back in place of the database — all or nothing, never a mixed state.

The candidate is checked first (ours, healthy, not newer). Then:
- a healthy current database is first backed up ("before-restore"), then overwritten through SQLite's
  backup API inside ONE write transaction of the live file. SQLite's own journal makes that atomic:
  killed half-way, the file is still the old database; readers in other processes see the old or the new
  data, never a mix, and no stale -wal file can ever be replayed onto a replaced file;
- a missing, damaged or foreign current file is never overwritten in place: its bytes (with its -wal and
  -journal) are first copied to `backups/damaged-…`, then the candidate is copied with the backup API into
  a temporary file beside the database, checked, flushed to disk and renamed over it (os.replace); the old
  file's -wal/-shm/-journal are removed before the rename so they can never be applied to the new file.

A backup of another database (db/identity.py: its id, or the database in the same folder it came from)
is refused with ForeignBackupError unless the clerk insists (`force`). After a restore the database keeps
its own id, whatever the backup carried, so its later backups stay its own.

The caller holds the write lock (services.safety.restore does) and has closed its own connection.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from safetymonth_desktop.base import files
from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.base.file_facts import same_file
from safetymonth_desktop.db import backup, backup_folder, identity, integrity

SIDE_FILES = ("-wal", "-shm", "-journal")


class ForeignBackupError(AppError):
    """The chosen backup was made from another database; restoring it needs the clerk's explicit consent."""

    def __init__(self, message: str, *, candidate: Path, other: Path | None):
        super().__init__(message)
        self.candidate = candidate
        self.other = other


@dataclass
class RestoreResult:
    restored_from: Path
    before_restore: Path | None  # backup of the database as it was (None when there was none to keep)
    kept_damaged: Path | None  # copy of a damaged/foreign file that was replaced


def check_candidate(candidate: Path, db_path: Path) -> integrity.FileState:
    candidate = Path(candidate)
    state = integrity.good_for_restore(candidate)
    if not state.ok:
        raise AppError(f"不能用“{candidate}”恢复:{state.message or '文件无效'}")
    if same_file(candidate, db_path):
        raise AppError("所选文件就是当前数据库本身,请选择一份备份文件。")
    return state


def check_origin(candidate: Path, db_path: Path) -> None:
    """Refuse (ForeignBackupError) a backup that provably comes from another database."""
    owner = identity.Owner.of(db_path)
    mark = identity.read_mark(candidate)
    if owner.relation(mark) is not False:
        return
    other = next((p for p, m in owner.others if identity.compare(mark, m) is True), None)
    whose = f"同一文件夹中另一个数据库“{other.name}”" if other is not None else "另一个数据库"
    raise ForeignBackupError(
        f"“{candidate}”是{whose}的备份,不是数据库“{Path(db_path).name}”的备份。用它恢复会把另一个数据库的"
        "数据放进当前数据库。请选择本数据库自己的备份(备份与恢复列表中列出的就是)。",
        candidate=Path(candidate), other=other)


def restore_file(candidate: Path, db_path: Path, *, force: bool = False) -> RestoreResult:
    """Put `candidate` in place of `db_path`; `force`: even when it is another database's backup."""
    candidate, db_path = Path(candidate), Path(db_path)
    check_candidate(candidate, db_path)
    if not force:
        check_origin(candidate, db_path)
    mark = identity.Owner.of(db_path).mark  # the database keeps its own id
    current = integrity.examine(db_path)
    if current.kind in (integrity.OK, integrity.BLANK):
        before = backup.make_backup(db_path, "before-restore") if current.kind == integrity.OK else None
        _copy_into_live(candidate, db_path, mark)
        return RestoreResult(candidate, before, None)
    kept = _keep_aside(db_path) if current.kind != integrity.MISSING else None
    _replace_file(candidate, db_path, mark)
    return RestoreResult(candidate, None, kept)


def _copy_into_live(candidate: Path, db_path: Path, mark: identity.Mark | None = None) -> None:
    source = integrity.ro_connect(candidate)
    try:
        dest = sqlite3.connect(db_path, timeout=10)
        try:
            dest.execute("PRAGMA busy_timeout = 10000")
            mode = dest.execute("PRAGMA journal_mode").fetchone()[0]
            differ = (source.execute("PRAGMA page_size").fetchone()[0] != dest.execute("PRAGMA page_size").fetchone()[0])
            if differ and mode == "wal":
                # The backup API cannot change the page size of a WAL file; the rollback journal can.
                if dest.execute("PRAGMA journal_mode = DELETE").fetchone()[0] != "delete":
                    raise AppError("数据库正被其他程序读取,无法恢复。请关闭其他窗口和命令后重试。")
            source.backup(dest)
            identity.restamp(dest.execute, db_path, mark)
            dest.commit()
            check = dest.execute("PRAGMA quick_check(1)").fetchone()[0]
            if check != "ok":  # cannot happen unless the disk fails; the pre-restore backup exists
                raise AppError("恢复后的数据库未通过完整性检查,请用“恢复前”的备份再次恢复。")
            dest.execute("PRAGMA journal_mode = WAL")
            dest.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dest.close()
    except sqlite3.Error as exc:
        if files._sqlite_full(exc):
            raise AppError(files.explain_os_error(exc, db_path, what="数据库文件")) from None
        integrity.log_detail(db_path, f"恢复失败:{exc}")
        raise AppError("恢复失败,当前数据库保持不变。请关闭其他窗口和命令后重试。") from None
    finally:
        source.close()


def _keep_aside(db_path: Path) -> Path:
    """Copy the unusable file (and its side files) into backups/ before anything replaces it."""
    folder = backup_folder.backup_dir(db_path)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"damaged-{stamp}-{db_path.name}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        n = 1
        while target.exists():
            target = folder / f"damaged-{stamp}-{n}-{db_path.name}"
            n += 1
        for suffix in ("", "-wal", "-journal"):  # -shm is only a cache of the WAL's index
            source = Path(str(db_path) + suffix)
            if source.exists():
                shutil.copyfile(source, Path(str(target) + suffix))
                files.fsync_file(Path(str(target) + suffix))
    except OSError as exc:
        raise AppError("无法先保存原数据库文件的副本," + files.explain_os_error(exc, target, what="副本")) from None
    return target


def _replace_file(candidate: Path, db_path: Path, mark: identity.Mark | None = None) -> None:
    def write(tmp: Path) -> None:
        backup._copy_database(candidate, tmp)
        con = sqlite3.connect(tmp)
        try:
            identity.restamp(con.execute, db_path, mark)
            con.commit()
            con.execute("PRAGMA journal_mode = WAL")
        finally:
            con.close()
        files.fsync_file(tmp)
        for suffix in SIDE_FILES:  # they belong to the old file; copies were kept aside
            side = Path(str(db_path) + suffix)
            if side.exists():
                side.unlink()

    files.write_atomically(db_path, write, check=None, what="数据库文件")
