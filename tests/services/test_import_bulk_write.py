"""The import's bulk write (services/imports._insert): rows go in as raw tuples converted column by column, and a
big import into a table that held no more rows rebuilds the table's indexes after the insert. The rows must read
back exactly as the record service writes them, the schema must end as it began, and a failure after the indexes
were dropped must leave the database as it was (indexes included)."""

import datetime as dt
from decimal import Decimal

import pytest

from safetymonth_desktop.db import models as m
from safetymonth_desktop.db.connection import database
from safetymonth_desktop.services import history, imports, records, units

BIG = imports.BULK_INDEX_ROWS


def _indexes(table: str) -> set:
    return set(database.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
                                    (table,)).fetchall())


def _hazard(i: int, unit) -> dict:
    found = dt.date(2021, 6, 1 + i % 25)
    rectified = i % 3 == 0
    return {"unit": unit, "enterprise": f"企业{i % 40}", "industry": "危险化学品", "found_date": found,
            "source": None, "description": f"隐患{i}", "level": "一般", "measures": "", "responsible": "",
            "deadline": found + dt.timedelta(days=10) if i % 2 else None,
            "funding": [None, Decimal("500.00"), Decimal("1200.50"), Decimal("0.00")][i % 4],
            "status": "已整改" if rectified else "整改中", "rectified_date": found if rectified else None,
            "notes": ""}


def _plan(campaign, rows, new_units=None) -> imports.Plan:
    return imports.Plan(campaign_id=campaign.id, file_name="台账.xlsx", sha256=f"{len(rows)}-{id(rows)}",
                        rows={m.Hazard: rows}, new_units=new_units or {})


def _stored(model):
    return [records.values_of(r) for r in model.select().order_by(model.id)]


def test_rows_read_back_as_the_record_service_writes_them(campaign):
    unit = units.create_unit("城关街道")
    rows = [_hazard(i, unit.id) for i in range(40)]
    records.insert_cleaned(m.Hazard, campaign, [{**r, "unit": unit} for r in rows])
    through_service = _stored(m.Hazard)
    m.Hazard.delete().execute()
    imports.write(_plan(campaign, rows))
    assert _stored(m.Hazard) == through_service


def test_a_big_import_into_an_empty_table_rebuilds_the_same_indexes(campaign):
    unit = units.create_unit("城关街道")
    before = _indexes("hazard")
    assert len(before) >= 4
    rows = [_hazard(i, "新单位" if i % 2 else unit.id) for i in range(BIG + 10)]
    batch = imports.write(_plan(campaign, rows, {"新单位": imports.NewUnit(name="新单位")}))
    assert _indexes("hazard") == before
    assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = _stored(m.Hazard)
    assert len(stored) == BIG + 10 and batch.rows == BIG + 10
    new = units.find_unit("新单位")
    assert [s["unit"].id for s in stored[:4]] == [unit.id, new.id, unit.id, new.id]
    assert stored[1]["funding"] == Decimal("500.00") and stored[2]["deadline"] is None
    assert stored[3]["rectified_date"] == dt.date(2021, 6, 4)
    # the indexes answer queries again (an index left half-built would fail the integrity check above)
    plan = database.execute_sql("EXPLAIN QUERY PLAN SELECT count(*) FROM hazard WHERE campaign_id = ? AND level = ?",
                                (campaign.id, "一般")).fetchall()
    assert "hazard_campaign_id_level" in " ".join(str(row) for row in plan)


def test_a_failure_after_the_indexes_were_dropped_leaves_everything_as_it_was(campaign, monkeypatch):
    units.create_unit("城关街道")
    unit = units.find_unit("城关街道")
    before = _indexes("hazard")

    def failing(*_args, **_kwargs):
        raise RuntimeError("断电")

    monkeypatch.setattr(history, "log_bulk_create", failing)
    with pytest.raises(RuntimeError):
        imports.write(_plan(campaign, [_hazard(i, unit.id) for i in range(BIG)]))
    assert _indexes("hazard") == before
    assert m.Hazard.select().count() == 0 and m.ImportBatch.select().count() == 0


def test_only_a_big_import_into_a_table_holding_no_more_rebuilds(campaign, monkeypatch):
    unit = units.create_unit("城关街道")
    rebuilt = []
    real = imports._plain_indexes
    monkeypatch.setattr(imports, "_plain_indexes", lambda cursor, table: rebuilt.append(table) or real(cursor, table))
    imports.write(_plan(campaign, [_hazard(i, unit.id) for i in range(BIG)]))
    assert rebuilt == ["hazard"]  # into the empty table
    imports.write(_plan(campaign, [_hazard(i, unit.id) for i in range(BIG - 1)]))
    assert rebuilt == ["hazard"]  # too few rows to be worth it
    imports.write(_plan(campaign, [_hazard(i, unit.id) for i in range(BIG + 1)]))
    assert rebuilt == ["hazard"]  # the table already held more than the import brings
    assert m.Hazard.select().count() == 3 * BIG
    m.Hazard.delete().execute()  # emptied (ids keep counting up): counted, not guessed from the ids
    imports.write(_plan(campaign, [_hazard(i, unit.id) for i in range(BIG)]))
    assert rebuilt == ["hazard", "hazard"]
