"""Every committed old database (tests/fixtures/schema_v<N>.sqlite) opens with the current code with every
record and figure kept; an upgrade is backed up first; a failing step leaves the file as it was."""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.db import backup, backup_folder, identity, integrity, migrations
from safetymonth_desktop.db.connection import close_database, database, open_database
from safetymonth_desktop.services import campaigns, figure_cache, indicators

FIXTURES = sorted(Path(__file__).resolve().parents[1].joinpath("fixtures").glob("schema_v*.sqlite"))


def test_a_fixture_exists_for_the_current_version():
    versions = {int(p.stem.split("_v")[1]) for p in FIXTURES}
    assert 1 in versions
    # Each step N ≥ 2 needs a database of version N-1 to be tested from.
    assert all(target - 1 in versions for target, _ in migrations.STEPS if target >= 2)


def rows_by_table(path) -> dict:
    con = integrity.ro_connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                            "AND name NOT LIKE 'sqlite_%'")]
        out = {}
        for table in tables:
            cur = con.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
            cols = [d[0] for d in cur.description]
            out[table] = [dict(zip(cols, row)) for row in cur]
        return out
    finally:
        con.close()


def year_figures(years, today):
    return {str(y): indicators.to_json(indicators.compute_all(campaigns.get(y), today=today)) for y in years}


def check_upgrade_keeps_everything(fixture: Path, tmp_path: Path):
    expected = json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))
    path = tmp_path / "old.sqlite"
    shutil.copyfile(fixture, path)
    old_rows = rows_by_table(path)
    old_version = integrity.examine(path).version
    open_database(path, lock=True, auto_backup=True)
    try:
        assert migrations.schema_version(database.obj) == migrations.latest_version()
        today = dt.date.fromisoformat(expected["today"])
        assert year_figures([int(y) for y in expected["figures"]], today) == expected["figures"]
    finally:
        close_database()
    new_rows = rows_by_table(path)
    # Opened by its writer, the database got its id (db/identity.py): the only rows an upgrade adds.
    # Computing the figures above kept them in the figure cache (services/figure_cache.py): not an upgrade's row.
    new_rows["app_setting"] = [r for r in new_rows["app_setting"] if r["key"] not in (identity.ID_KEY, identity.HOME_KEY)
                               and not r["key"].startswith(figure_cache.PREFIX)]
    for table, rows in old_rows.items():  # every old row, every old column value, still there
        assert table in new_rows, table
        columns = list(rows[0]) if rows else []
        assert [{k: r[k] for k in columns} for r in new_rows[table]] == rows, table
    assert {t: len(r) for t, r in old_rows.items()} == expected["rows"]
    if old_version < migrations.latest_version():
        kinds = [backup_folder.parse_name(p)[1] for p in backup_folder.list_backups(backup_folder.backup_dir(path))]
        assert "before-upgrade" in kinds
        saved = [p for p in backup_folder.list_backups(backup_folder.backup_dir(path)) if backup_folder.parse_name(p)[1] == "before-upgrade"]
        assert rows_by_table(saved[0]) == old_rows


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_every_committed_version_opens_with_everything_kept(fixture, tmp_path):
    check_upgrade_keeps_everything(fixture, tmp_path)


NEXT = migrations.latest_version() + 1  # the version a future step would reach


def _step_next_add_column(db):
    db.execute_sql("ALTER TABLE hazard ADD COLUMN inspector VARCHAR(255) NOT NULL DEFAULT ''")
    db.execute_sql('CREATE TABLE "report_template" (id INTEGER PRIMARY KEY, name TEXT)')


def test_a_future_step_upgrades_a_version_1_file_with_everything_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, (NEXT, _step_next_add_column)])
    fixture = [p for p in FIXTURES if p.stem == "schema_v1"][0]
    check_upgrade_keeps_everything(fixture, tmp_path)
    con = integrity.ro_connect(tmp_path / "old.sqlite")
    assert con.execute("PRAGMA user_version").fetchone()[0] == NEXT
    assert con.execute("SELECT count(*) FROM hazard WHERE inspector = ''").fetchone()[0] > 0
    con.close()


def test_a_failing_step_leaves_the_file_and_its_backup(tmp_path, monkeypatch):
    def broken(db):
        db.execute_sql("ALTER TABLE hazard ADD COLUMN half_done TEXT")
        db.execute_sql("DELETE FROM training")
        raise RuntimeError("boom")

    fixture = [p for p in FIXTURES if p.stem == "schema_v1"][0]
    path = tmp_path / "old.sqlite"
    shutil.copyfile(fixture, path)
    before = list(integrity.ro_connect(path).iterdump())
    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, (NEXT, _step_next_add_column), (NEXT + 1, broken)])
    with pytest.raises(AppError, match=f"升级到 {NEXT + 1} 时失败") as exc:
        open_database(path, lock=True)
    assert "回滚" in str(exc.value) and "Traceback" not in str(exc.value)
    close_database()
    assert list(integrity.ro_connect(path).iterdump()) == before  # not even step 2 stayed
    saved = backup_folder.list_backups(backup_folder.backup_dir(path))
    assert len(saved) == 1 and backup_folder.parse_name(saved[0])[1] == "before-upgrade"
    assert list(integrity.ro_connect(saved[0]).iterdump()) == before
    assert not Path(str(path) + ".lock").exists()
    # The same file opens fine with a program whose steps work.
    monkeypatch.setattr(migrations, "STEPS", migrations.STEPS[:-1])
    open_database(path)
    close_database()


def test_no_upgrade_without_a_backup(tmp_path, monkeypatch):
    fixture = [p for p in FIXTURES if p.stem == "schema_v1"][0]
    path = tmp_path / "old.sqlite"
    shutil.copyfile(fixture, path)
    before = list(integrity.ro_connect(path).iterdump())
    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, (NEXT, _step_next_add_column)])

    def no_space(*a, **k):
        raise AppError("无法写入备份文件:磁盘空间不足。")

    monkeypatch.setattr(backup, "make_backup", no_space)
    with pytest.raises(AppError, match="磁盘空间不足"):
        open_database(path)
    close_database()
    assert list(integrity.ro_connect(path).iterdump()) == before


def test_restoring_an_older_backup_upgrades_it(tmp_path, monkeypatch):
    fixture = [p for p in FIXTURES if p.stem == "schema_v1"][0]
    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, (NEXT, _step_next_add_column)])
    from safetymonth_desktop.services import safety

    path = tmp_path / "db.sqlite"
    safety.start(path)
    try:
        campaigns.save(2030, region="新区")
        safety.restore(fixture, force=True)  # the fixture is another database's file: the clerk insists
        assert campaigns.list_years() == [2021, 2022]
        assert migrations.schema_version(database.obj) == NEXT
    finally:
        close_database()


def test_upgraded_ids_start_above_every_id_the_history_has_seen(tmp_path, monkeypatch):
    """Schema step 3 seeds each table's sequence above the highest id in the table and in the change history,
    so a record deleted before the upgrade never lends its id (and history) to a new one."""
    import sqlite3

    from safetymonth_desktop.db import models as m
    from safetymonth_desktop.services import records

    monkeypatch.setenv("SAFETYMONTH_HOME", str(tmp_path / "home"))
    path = tmp_path / "v2.sqlite"
    shutil.copyfile(Path(__file__).resolve().parents[1] / "fixtures" / "schema_v2.sqlite", path)
    con = sqlite3.connect(path)
    highest = con.execute("SELECT max(id) FROM meeting").fetchone()[0]
    con.execute("DELETE FROM meeting WHERE id = ?", (highest,))  # deleted before the upgrade ...
    con.execute("""INSERT INTO change_log ("at", "group", "table", record_id, action, before, after)
                   VALUES ('2021-06-30 10:00:00', 'g', 'meeting', ?, 'delete', '{}', NULL)""", (highest,))
    con.commit()
    con.close()
    open_database(path)
    try:
        fresh = records.create(m.Meeting, campaigns.get(2021), {"kind": "部署会", "title": "升级后的会议"})
        assert fresh.id == highest + 1  # ... so its id is not handed out again
    finally:
        close_database()


def _schema_sql(con, tables) -> set[str]:
    marks = ", ".join("?" for _ in tables)
    return {r[0] for r in con.execute(f"SELECT sql FROM sqlite_master WHERE tbl_name IN ({marks}) AND sql IS NOT NULL",
                                      tuple(tables))}


def test_step_8_gives_bodies_and_notes_the_schema_a_new_file_gets(tmp_path):
    """组织机构 and 补充说明 of an upgraded file have exactly the columns, keys and indexes a new file gets."""
    path = tmp_path / "v7.sqlite"
    shutil.copyfile(Path(__file__).resolve().parents[1] / "fixtures" / "schema_v7.sqlite", path)
    open_database(path)
    close_database()
    open_database(tmp_path / "new.sqlite")
    close_database()
    upgraded, new = integrity.ro_connect(path), integrity.ro_connect(tmp_path / "new.sqlite")
    try:
        assert _schema_sql(upgraded, ("body", "note")) == _schema_sql(new, ("body", "note"))
        assert upgraded.execute("SELECT count(*) FROM note WHERE sub_region_id IS NULL").fetchone()[0] == \
            upgraded.execute("SELECT count(*) FROM note").fetchone()[0] > 0  # every old note is the region's own
    finally:
        upgraded.close()
        new.close()


def test_step_8_files_a_packages_bodies_under_its_sub_region(tmp_path):
    """组织机构 a sub-region's package brought before step 8 (kept with its import batch) name that sub-region after
    it; the region's own stay NULL (the city's own), and so do a unit workbook's."""
    import sqlite3

    path = tmp_path / "v7.sqlite"
    shutil.copyfile(Path(__file__).resolve().parents[1] / "fixtures" / "schema_v7.sqlite", path)
    con = sqlite3.connect(path)
    cid = con.execute("SELECT id FROM campaign ORDER BY year LIMIT 1").fetchone()[0]
    county = con.execute("INSERT INTO unit (name, short_name, norm, kind, contact, phone, notes) "
                         "VALUES ('甲县', '', '甲县', '下级地区', '', '', '')").lastrowid
    batch = con.execute("INSERT INTO import_batch (campaign_id, unit_id, file_name, sha256, imported_at, rows) "
                        "VALUES (?, ?, '甲县.xlsx', 'x', '2021-06-30 10:00:00', 1)", (cid, county)).lastrowid
    other = con.execute("INSERT INTO import_batch (campaign_id, unit_id, file_name, sha256, imported_at, rows) "
                        "VALUES (?, NULL, '街道.xlsx', 'y', '2021-06-30 10:00:00', 1)", (cid,)).lastrowid
    con.execute("INSERT INTO sub_region_package (campaign_id, unit_id, import_batch_id, level, organizer, issued_at, "
                "file_name, sha256, digest, counts, summary, imported_at) VALUES (?, ?, ?, '区县', '', '', '甲县.xlsx', "
                "'x', 'd', '{}', '{}', '2021-06-30 10:00:00')", (cid, county, batch))
    packaged = con.execute("INSERT INTO body (campaign_id, import_batch_id, notes, name, lead, office, duties) "
                           "VALUES (?, ?, '', '甲县领导小组', '', '', '')", (cid, batch)).lastrowid
    plain = con.execute("INSERT INTO body (campaign_id, import_batch_id, notes, name, lead, office, duties) "
                        "VALUES (?, ?, '', '街道工作专班', '', '', '')", (cid, other)).lastrowid
    con.commit()
    con.close()
    open_database(path)
    close_database()
    con = integrity.ro_connect(path)
    try:
        regions = dict(con.execute("SELECT id, sub_region_id FROM body").fetchall())
    finally:
        con.close()
    assert regions[packaged] == county
    assert regions[plain] is None
    assert sum(1 for v in regions.values() if v is not None) == 1
