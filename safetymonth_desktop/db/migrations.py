"""Schema versions, kept in PRAGMA user_version, and the numbered steps that move a file between them.

A new database gets the current schema in one go and the latest version number. An older file is first
copied to the backups folder (the `before_upgrade` hook, wired in `open_database`), then every step after
its version runs inside ONE transaction: a failure in any step rolls the file back to exactly what it was.
Foreign-key enforcement is off during the steps (so a step may rebuild a table, SQLite's 12-step recipe)
and `PRAGMA foreign_key_check` must pass before the commit.

To change the schema: change models.py, append a step here, and commit a database of the previous version
as `tests/fixtures/schema_v<N>.sqlite` (`python tests/fixtures/make_fixture.py`) so the step is tested.
"""

from __future__ import annotations

from pathlib import Path

import peewee as pw

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.db.models import ALL_MODELS

# PRAGMA application_id marks a file as ours ("SMYD"); a new database gets it with its schema.
APPLICATION_ID = 0x534D5944


def _step_1_initial(db: pw.SqliteDatabase) -> None:
    db.create_tables(ALL_MODELS)


_UNIT_TABLES = ("training", "material", "media", "event", "hazard", "campaign_action")


def _step_2_indicator_indexes(db: pw.SqliteDatabase) -> None:
    """Indexes that let the indicators read an index instead of the table (README, "性能"). Written out,
    not generated from models.py, so this step stays what it was when later versions change the models."""
    for table in _UNIT_TABLES:
        # (unit_id, campaign_id) replaces (unit_id): it serves the foreign-key checks just as well.
        db.execute_sql(f'DROP INDEX IF EXISTS "{table}_unit_id"')
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{table}_unit_id_campaign_id" ON "{table}" ("unit_id", "campaign_id")')
    db.execute_sql('DROP INDEX IF EXISTS "hazard_campaign_id_industry"')  # a prefix of the next one
    for table, columns in (
        ("hazard", ("campaign_id", "industry", "status")),
        ("hazard", ("campaign_id", "level")),
        ("event", ("campaign_id", "kind")),
        ("material", ("campaign_id", "kind", "measure")),
        ("media", ("campaign_id", "channel")),
        ("inspection", ("campaign_id", "target_id")),
    ):
        name = "_".join((table, *columns))
        quoted = ", ".join(f'"{c}"' for c in columns)
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({quoted})')


def _step_3_autoincrement_ids(db: pw.SqliteDatabase) -> None:
    """Ids that are never reused: without AUTOINCREMENT SQLite gives a new row the id of a just-deleted last
    row, and the change history (kept by table and id) of the deleted record became the new one's. Each
    table is rebuilt (SQLite's recipe: new table, copy, drop, rename, indexes again) from its own stored SQL,
    and its sequence starts above every id the change history has seen."""
    plain = '"id" INTEGER NOT NULL PRIMARY KEY,'
    tables = db.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND instr(sql, ?) > 0",
                            (plain,)).fetchall()
    for name, sql in tables:
        indexes = [row[0] for row in db.execute_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (name,))]
        new = f"{name}__autoincrement"
        db.execute_sql(sql.replace(f'CREATE TABLE "{name}"', f'CREATE TABLE "{new}"', 1)
                       .replace(plain, '"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,', 1))
        db.execute_sql(f'INSERT INTO "{new}" SELECT * FROM "{name}"')
        db.execute_sql(f'DROP TABLE "{name}"')
        db.execute_sql(f'ALTER TABLE "{new}" RENAME TO "{name}"')
        for index_sql in indexes:
            db.execute_sql(index_sql)
    for (name,) in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table' AND instr(sql, 'AUTOINCREMENT') > 0"
                                  ).fetchall():
        highest = db.execute_sql(
            f"""SELECT max(coalesce((SELECT max(id) FROM "{name}"), 0),
                           coalesce((SELECT max(record_id) FROM change_log WHERE "table" = ?), 0))""", (name,)).fetchone()[0]
        db.execute_sql("DELETE FROM sqlite_sequence WHERE name = ?", (name,))
        if highest:
            db.execute_sql("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (name, highest))


def _rebuild_with_column(db: pw.SqliteDatabase, table: str, after: str, column: str, constraint: str = "",
                         fill: dict[str, str] | None = None) -> None:
    """Add `column` after the column definition `after` (and a table `constraint` at the end) by rebuilding the table
    (SQLite's recipe), so an upgraded file has exactly the schema a new one gets — ALTER TABLE ADD COLUMN would put
    the column last. Rows, ids, indexes and the AUTOINCREMENT sequence are kept. `column` may define several columns
    ('"a" DATE, "b" TEXT NOT NULL'); `fill` gives the existing rows' value of a new column as an SQL expression over
    the old row (needed for a NOT NULL column, which has no default in the stored schema)."""
    sql = db.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()[0]
    if after + ", " not in sql:
        raise RuntimeError(f"unexpected schema of {table}")
    columns = ", ".join(f'"{row[1]}"' for row in db.execute_sql(f'PRAGMA table_info("{table}")').fetchall())
    indexes = [row[0] for row in db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,))]
    sequence = db.execute_sql("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
    new = f"{table}__rebuilt"
    new_sql = sql.replace(f'CREATE TABLE "{table}"', f'CREATE TABLE "{new}"', 1).replace(after + ", ", f"{after}, {column}, ", 1)
    if constraint:
        new_sql = new_sql[:-1] + f", {constraint})"
    db.execute_sql(new_sql)
    fill = fill or {}
    targets = ", ".join([columns, *(f'"{name}"' for name in fill)])
    sources = ", ".join([columns, *fill.values()])
    db.execute_sql(f'INSERT INTO "{new}" ({targets}) SELECT {sources} FROM "{table}"')
    db.execute_sql(f'DROP TABLE "{table}"')
    db.execute_sql(f'ALTER TABLE "{new}" RENAME TO "{table}"')
    for index_sql in indexes:
        db.execute_sql(index_sql)
    if sequence is not None:
        db.execute_sql("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
        db.execute_sql("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, sequence[0]))


def _step_4_roster_and_submissions(db: pw.SqliteDatabase) -> None:
    """The per-year roster (报送单位名单), 报送 tracking (templates issued, files received), the 报送截止日期 setting,
    and an optional 填报单位 on 领导重视 / 会议部署 / 印发文件 (blank = the region's own). Every existing year's roster
    is every unit the file holds, which is what `units.total` counted until now: no figure changes."""
    _rebuild_with_column(db, "campaign", '"next_steps" TEXT NOT NULL', '"deadline" DATE')
    for table in ("instruction", "meeting", "document"):
        _rebuild_with_column(db, table, '"notes" TEXT NOT NULL', '"unit_id" INTEGER',
                             'FOREIGN KEY ("unit_id") REFERENCES "unit" ("id") ON DELETE RESTRICT')
        db.execute_sql(f'CREATE INDEX "{table}_unit_id_campaign_id" ON "{table}" ("unit_id", "campaign_id")')
    db.execute_sql(
        'CREATE TABLE "roster_entry" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "campaign_id" INTEGER NOT NULL, '
        '"unit_id" INTEGER NOT NULL, "added_at" DATETIME NOT NULL, '
        'FOREIGN KEY ("campaign_id") REFERENCES "campaign" ("id") ON DELETE CASCADE, '
        'FOREIGN KEY ("unit_id") REFERENCES "unit" ("id") ON DELETE RESTRICT)')
    db.execute_sql('CREATE INDEX "roster_entry_unit_id" ON "roster_entry" ("unit_id")')
    db.execute_sql('CREATE UNIQUE INDEX "roster_entry_campaign_id_unit_id" ON "roster_entry" ("campaign_id", "unit_id")')
    db.execute_sql(
        'CREATE TABLE "template_issue" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "campaign_id" INTEGER NOT NULL, '
        '"unit_id" INTEGER, "file_name" VARCHAR(255) NOT NULL, "issued_at" DATETIME NOT NULL, '
        '"stamp" VARCHAR(255) NOT NULL, '
        'FOREIGN KEY ("campaign_id") REFERENCES "campaign" ("id") ON DELETE CASCADE, '
        'FOREIGN KEY ("unit_id") REFERENCES "unit" ("id") ON DELETE CASCADE)')
    db.execute_sql(
        'CREATE TABLE "file_receipt" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "campaign_id" INTEGER NOT NULL, '
        '"unit_id" INTEGER, "file_name" VARCHAR(255) NOT NULL, "sha256" VARCHAR(255) NOT NULL, '
        '"received_at" DATETIME NOT NULL, "rows" TEXT NOT NULL, "outcome" VARCHAR(255) NOT NULL, '
        '"message" TEXT NOT NULL, "errors" TEXT NOT NULL, "stamped" INTEGER NOT NULL, '
        'FOREIGN KEY ("campaign_id") REFERENCES "campaign" ("id") ON DELETE CASCADE, '
        'FOREIGN KEY ("unit_id") REFERENCES "unit" ("id") ON DELETE SET NULL)')
    for table in ("template_issue", "file_receipt"):
        db.execute_sql(f'CREATE INDEX "{table}_unit_id" ON "{table}" ("unit_id")')
        db.execute_sql(f'CREATE INDEX "{table}_campaign_id_unit_id" ON "{table}" ("campaign_id", "unit_id")')
    db.execute_sql("INSERT INTO roster_entry (campaign_id, unit_id, added_at) "
                   "SELECT c.id, u.id, datetime('now', 'localtime') FROM campaign c CROSS JOIN unit u ORDER BY c.id, u.id")


def _step_5_report_settings(db: pw.SqliteDatabase) -> None:
    """The summary's own settings on each year: 成文日期 (blank: the default date), 主送机关, 落款机关 (blank: region +
    organizer) and 层级 — 市 for a region named …市, 省 for …省, else 区县, as a new year gets it."""
    _rebuild_with_column(
        db, "campaign", '"deadline" DATE',
        '"report_date" DATE, "recipient" VARCHAR(255) NOT NULL, "signer" VARCHAR(255) NOT NULL, '
        '"level" VARCHAR(255) NOT NULL',
        fill={"recipient": "''", "signer": "''",
              "level": "CASE WHEN rtrim(region) LIKE '%市' THEN '市' WHEN rtrim(region) LIKE '%省' THEN '省' "
                       "ELSE '区县' END"})


def _step_6_photos_and_short_names(db: pw.SqliteDatabase) -> None:
    """活动图片: photos of events, meetings, trainings and inspections (`photo`, each on exactly one record and deleted
    with it) and their downscaled JPEG bytes (`photo_image`, kept by content so undo finds them); and the units' 简称
    (`unit.short_name`, '' for every existing unit: the report keeps naming them in full)."""
    _rebuild_with_column(db, "unit", '"name" VARCHAR(255) NOT NULL', '"short_name" VARCHAR(255) NOT NULL',
                         fill={"short_name": "''"})
    db.execute_sql(
        'CREATE TABLE "photo_image" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "sha256" VARCHAR(255) NOT NULL, '
        '"data" BLOB NOT NULL, "width" INTEGER NOT NULL, "height" INTEGER NOT NULL)')
    db.execute_sql('CREATE UNIQUE INDEX "photo_image_sha256" ON "photo_image" ("sha256")')
    owners = ("event", "meeting", "training", "inspection")
    db.execute_sql(
        'CREATE TABLE "photo" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, '
        + "".join(f'"{o}_id" INTEGER, ' for o in owners)
        + '"image_id" INTEGER NOT NULL, "caption" TEXT NOT NULL, "include" INTEGER NOT NULL, "order" INTEGER NOT NULL, '
        '"file_name" VARCHAR(255) NOT NULL, "added_at" DATETIME NOT NULL, '
        + "".join(f'FOREIGN KEY ("{o}_id") REFERENCES "{o}" ("id") ON DELETE CASCADE, ' for o in owners)
        + 'FOREIGN KEY ("image_id") REFERENCES "photo_image" ("id") ON DELETE RESTRICT, '
        'CHECK ((' + " + ".join(f'("{o}_id" IS NOT NULL)' for o in owners) + ') = 1))')
    for column in (*(f"{o}_id" for o in owners), "image_id"):
        db.execute_sql(f'CREATE INDEX "photo_{column}" ON "photo" ("{column}")')


def _step_7_sub_regions(db: pw.SqliteDatabase) -> None:
    """Roll-up (上报数据包 imported from a sub-region, services/rollup.py): a unit may belong to a parent unit (the
    sub-region whose package brought it), unit names become unique per parent (the importer's own units, parent
    NULL, stay unique by name), and each imported package is remembered per year and sub-region. Self-contained:
    it touches only `unit` and the new `sub_region_package` table."""
    db.execute_sql('DROP INDEX IF EXISTS "unit_name"')
    db.execute_sql('DROP INDEX IF EXISTS "unit_norm"')
    _rebuild_with_column(db, "unit", '"norm" VARCHAR(255) NOT NULL', '"parent_id" INTEGER',
                         'FOREIGN KEY ("parent_id") REFERENCES "unit" ("id") ON DELETE RESTRICT')
    db.execute_sql('CREATE UNIQUE INDEX "unit_parent_id_norm" ON "unit" ("parent_id", "norm")')
    db.execute_sql('CREATE UNIQUE INDEX "unit_norm_own" ON "unit" ("norm") WHERE ("parent_id" IS NULL)')
    db.execute_sql(
        'CREATE TABLE "sub_region_package" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, '
        '"campaign_id" INTEGER NOT NULL, "unit_id" INTEGER NOT NULL, "import_batch_id" INTEGER, '
        '"level" VARCHAR(255) NOT NULL, "organizer" VARCHAR(255) NOT NULL, "issued_at" VARCHAR(255) NOT NULL, '
        '"as_of" DATE, "file_name" VARCHAR(255) NOT NULL, "sha256" VARCHAR(255) NOT NULL, '
        '"digest" VARCHAR(255) NOT NULL, "counts" TEXT NOT NULL, "summary" TEXT NOT NULL, '
        '"imported_at" DATETIME NOT NULL, '
        'FOREIGN KEY ("campaign_id") REFERENCES "campaign" ("id") ON DELETE CASCADE, '
        'FOREIGN KEY ("unit_id") REFERENCES "unit" ("id") ON DELETE RESTRICT, '
        'FOREIGN KEY ("import_batch_id") REFERENCES "import_batch" ("id") ON DELETE SET NULL)')
    db.execute_sql('CREATE INDEX "sub_region_package_unit_id" ON "sub_region_package" ("unit_id")')
    db.execute_sql('CREATE INDEX "sub_region_package_import_batch_id" ON "sub_region_package" ("import_batch_id")')
    db.execute_sql('CREATE UNIQUE INDEX "sub_region_package_campaign_id_unit_id" '
                   'ON "sub_region_package" ("campaign_id", "unit_id")')


def _step_8_sub_region_bodies_and_notes(db: pw.SqliteDatabase) -> None:
    """Roll-up at every level: 组织机构 (`body`) and 补充说明 (`note`) get a sub-region (`sub_region_id`, the 下级地区
    unit whose 上报数据包 brought them — a city's district's too, at a province; NULL = the region's own). Every
    existing row is the region's own (NULL), except the 组织机构 a direct sub-region's package brought before this
    step: they name that sub-region (the unit of their import batch's package), as the summary already told them.
    Self-contained: it touches only `body` and `note`."""
    for table, after in (("body", '"notes" TEXT NOT NULL'), ("note", '"text" TEXT NOT NULL')):
        _rebuild_with_column(db, table, after, '"sub_region_id" INTEGER',
                             'FOREIGN KEY ("sub_region_id") REFERENCES "unit" ("id") ON DELETE RESTRICT')
        db.execute_sql(f'CREATE INDEX "{table}_sub_region_id" ON "{table}" ("sub_region_id")')
    db.execute_sql(
        'UPDATE "body" SET "sub_region_id" = (SELECT p."unit_id" FROM "sub_region_package" p JOIN "unit" u '
        'ON u."id" = p."unit_id" WHERE p."import_batch_id" = "body"."import_batch_id" AND u."parent_id" IS NULL) '
        'WHERE "import_batch_id" IN (SELECT p."import_batch_id" FROM "sub_region_package" p JOIN "unit" u '
        'ON u."id" = p."unit_id" WHERE u."parent_id" IS NULL)')


# (version reached, function). Append, never reorder.
STEPS = [
    (1, _step_1_initial),
    (2, _step_2_indicator_indexes),
    (3, _step_3_autoincrement_ids),
    (4, _step_4_roster_and_submissions),
    (5, _step_5_report_settings),
    (6, _step_6_photos_and_short_names),
    (7, _step_7_sub_regions),
    (8, _step_8_sub_region_bodies_and_notes),
]


def latest_version() -> int:
    """The version this program writes (read from STEPS each time, so tests may add a step)."""
    return STEPS[-1][0]


def schema_version(db: pw.SqliteDatabase) -> int:
    return db.execute_sql("PRAGMA user_version").fetchone()[0]


def needs_upgrade(db: pw.SqliteDatabase) -> bool:
    """Whether `migrate` would change an existing (non-empty) file."""
    version = schema_version(db)
    if version >= latest_version():
        return False
    tables = db.execute_sql("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
    return not (version == 0 and tables == 0)


def migrate(db: pw.SqliteDatabase, path: Path | None = None, before_upgrade=None) -> int:
    """Bring `db` to the latest version; returns the version it had. `before_upgrade(version)` runs first
    when an existing file is about to be upgraded (the backup hook); if it raises, nothing is changed."""
    latest = latest_version()
    version = schema_version(db)
    if version >= latest:
        return version
    tables = db.execute_sql("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
    if version == 0 and tables == 0:
        with db.atomic():
            _step_1_initial(db)
            db.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute_sql(f"PRAGMA user_version = {latest}")
        return 0
    if before_upgrade is not None:
        before_upgrade(version)
    db.execute_sql("PRAGMA foreign_keys = OFF")  # has no effect inside a transaction: set before it
    target = version
    try:
        with db.atomic():
            for target, step in STEPS:
                if target <= version:
                    continue
                step(db)
            broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise AppError(f"升级后有 {len(broken)} 处记录引用不一致")
            db.execute_sql(f"PRAGMA user_version = {latest}")
    except Exception as exc:  # any failure, even a bug in a step: the transaction was rolled back
        raise AppError(f"数据库从结构版本 {version} 升级到 {target} 时失败({exc})。文件已回滚到升级前的状态,"
                       "升级前的备份保存在 backups 文件夹中。请把此信息告知软件维护人员。") from exc
    finally:
        db.execute_sql("PRAGMA foreign_keys = ON")
    return version
