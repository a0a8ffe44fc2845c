"""Schema versions, kept in PRAGMA user_version, and the numbered steps that move a file between them.

A new database gets the current schema in one go and the latest version number. An older file runs each
step after its version in order, each inside one transaction, so a failed step leaves the file as it was.
To change the schema: change models.py, append a step here, bump nothing else.
"""

from __future__ import annotations

from pathlib import Path

import peewee as pw

from safetymonth_desktop.services.errors import AppError


def _step_1_initial(db: pw.SqliteDatabase) -> None:
    from safetymonth_desktop.db.models import ALL_MODELS

    db.create_tables(ALL_MODELS)


# (version reached, function). Append, never reorder.
STEPS = [
    (1, _step_1_initial),
]
LATEST_VERSION = STEPS[-1][0]


def schema_version(db: pw.SqliteDatabase) -> int:
    return db.execute_sql("PRAGMA user_version").fetchone()[0]


def migrate(db: pw.SqliteDatabase, path: Path | None = None, before_upgrade=None) -> int:
    """Bring `db` to LATEST_VERSION; returns the version it had. `before_upgrade(version)` runs first
    when an existing file is about to be upgraded (the backup hook)."""
    from safetymonth_desktop.db.connection import APPLICATION_ID

    version = schema_version(db)
    if version == LATEST_VERSION:
        return version
    tables = db.execute_sql("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
    if version == 0 and tables == 0:
        with db.atomic():
            _step_1_initial(db)
            db.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute_sql(f"PRAGMA user_version = {LATEST_VERSION}")
        return 0
    if before_upgrade is not None:
        before_upgrade(version)
    for target, step in STEPS:
        if target <= version:
            continue
        try:
            with db.atomic():
                step(db)
                db.execute_sql(f"PRAGMA user_version = {target}")
        except pw.DatabaseError as exc:
            raise AppError(f"数据库升级到结构版本 {target} 时失败({exc}),文件已回滚到升级前的状态。")
    return version
