"""A database created fresh and one upgraded from every committed older version end up with the same
schema — tables and every index the indicators rely on (schema step 2) — so an old file is as fast as a new one."""

import re
import shutil
from pathlib import Path

import pytest

from safetymonth_desktop.db import integrity
from safetymonth_desktop.db.connection import close_database, open_database

FIXTURES = sorted(Path(__file__).resolve().parents[1].joinpath("fixtures").glob("schema_v*.sqlite"))


def schema(path) -> dict:
    con = integrity.ro_connect(path)
    try:
        rows = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
        version = con.execute("PRAGMA user_version").fetchone()[0]
    finally:
        con.close()
    # SQLite keeps a statement as typed: compare them without "IF NOT EXISTS" and with single spaces.
    norm = {(t, n, tbl): re.sub(r"\s+", " ", re.sub(r"IF NOT EXISTS ", "", sql or "")).strip() for t, n, tbl, sql in rows}
    return {"version": version, "objects": norm}


@pytest.fixture
def fresh_schema(tmp_path):
    path = tmp_path / "fresh.sqlite"
    open_database(path)
    close_database()
    return schema(path)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_an_upgraded_file_has_the_schema_of_a_fresh_one(fixture, tmp_path, fresh_schema, monkeypatch):
    monkeypatch.setenv("SAFETYMONTH_HOME", str(tmp_path / "home"))
    path = tmp_path / "old.sqlite"
    shutil.copyfile(fixture, path)
    open_database(path)
    close_database()
    upgraded = schema(path)
    assert upgraded["version"] == fresh_schema["version"]
    missing = set(fresh_schema["objects"]) - set(upgraded["objects"])
    extra = set(upgraded["objects"]) - set(fresh_schema["objects"])
    assert (missing, extra) == (set(), set())
    assert upgraded["objects"] == fresh_schema["objects"]


def test_the_indicator_indexes_exist(fresh_schema):
    indexes = {name: sql for (kind, name, _), sql in fresh_schema["objects"].items() if kind == "index"}
    assert '("campaign_id", "industry", "status")' in indexes["hazard_campaign_id_industry_status"]
    assert '("unit_id", "campaign_id")' in indexes["hazard_unit_id_campaign_id"]
    assert "hazard_unit_id" not in indexes and "hazard_campaign_id_industry" not in indexes  # superseded prefixes
    for name in ("hazard_campaign_id_level", "event_campaign_id_kind",
                 "material_campaign_id_kind_measure", "media_campaign_id_channel", "inspection_campaign_id_target_id"):
        assert name in indexes
