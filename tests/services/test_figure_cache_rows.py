"""The record tables' row counts kept with the cached figures (services/figure_cache.py, read by
services/listing.Listing.count and services/breakdowns.record_counts) never differ from a COUNT(*): after every write
of a random sequence — records created, edited and deleted, workbooks imported and replaced, undo and redo, units
merged, a year deleted and brought back, a rolled back write — each table's count for every year, and the checklist's
counts of all tables, equal SQL's, and they are read from the cache (no COUNT) while nothing changes. A county's
上报数据包 replaced, withdrawn and brought back by undo in a city, and a file changed behind the generation's back, are
followed too; a search or a filter is never served from the cache; only the main thread stores (a worker reads)."""

import datetime as dt
import sqlite3
import threading

from hypothesis import HealthCheck, given, settings, strategies as st

from safetymonth_desktop.db import models as m
from safetymonth_desktop.db.connection import close_database, database, open_database
from safetymonth_desktop.db.proxy import current_path
from safetymonth_desktop.services import breakdowns, campaigns, figure_cache, history, records, rollup, units
from safetymonth_desktop.services.listing import Listing

from tests.rollup_city import YEAR, city  # noqa: F401  (fixture)
from tests.services.test_figure_cache import ACTIONS, books, random_writes  # noqa: F401  (fixture)


def _sql_count(model, cid) -> int:
    return database.execute_sql(f'SELECT count(*) FROM "{model._meta.table_name}" WHERE campaign_id = ?',
                                (cid,)).fetchone()[0]


class _Counting:
    """Counts the COUNT statements run while it is active (peewee's .count() wraps its query in one)."""

    def __init__(self):
        self.seen = 0

    def __enter__(self):
        self._db = database.obj
        run = self._db.execute_sql

        def execute_sql(sql, params=None, *args, **kwargs):
            if "COUNT(" in sql.upper():
                self.seen += 1
            return run(sql, params, *args, **kwargs)

        self._db.execute_sql = execute_sql
        return self

    def __exit__(self, *exc):
        del self._db.execute_sql  # back to the class's method


def _check(cids) -> None:
    for cid in cids:
        expected = {model: _sql_count(model, cid) for model in m.RECORD_MODELS}
        assert breakdowns.record_counts(cid) == expected  # the checklist's counts, filled or read
        for model in m.RECORD_MODELS:
            assert Listing(model, cid).count() == expected[model], model.__name__
        with _Counting() as counting:  # counted once under this stamp: read from the cache now
            shown = {model: Listing(model, cid).count() for model in m.RECORD_MODELS}
            together = breakdowns.record_counts(cid)
        assert counting.seen == 0
        assert shown == expected and together == expected


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(data=st.data(), actions=st.lists(st.sampled_from(ACTIONS), min_size=3, max_size=10))
def test_cached_row_counts_equal_sql_after_random_writes(books, data, actions):  # noqa: F811
    random_writes(books, data, actions, _check)


def test_a_search_or_a_filter_is_counted_not_cached(campaign):
    unit = units.create_unit("甲街道", campaign=campaign)
    for status in ("整改中", "已整改", "整改中"):
        records.create(m.Hazard, campaign, {"unit": unit.id, "enterprise": "厂", "description": "隐患", "found_date": "2021-6-2",
                                            "industry": "建筑施工", "status": status, "deadline": "2021-7-1",
                                            "rectified_date": "2021-6-20" if status == "已整改" else None})
    listing = Listing(m.Hazard, campaign.id)
    assert listing.count() == 3
    listing.filters = {"status": "已整改"}
    assert listing.count() == 1
    listing.filters = {}
    listing.search = "已整改"
    assert listing.count() == 1
    listing.search = ""
    listing.sort_index, listing.descending = 1, True
    assert listing.count() == 3
    assert Listing(m.Hazard, None).count() == 0


def test_a_packages_replacement_withdrawal_and_undo_are_followed(city, tmp_path):  # noqa: F811
    """The city's rows change with 甲县's newer package (replace), its withdrawal, and the undo of both."""
    from safetymonth_desktop.exchange import package_import, package_write

    c = campaigns.get(YEAR)
    _check([c.id])
    county = m.Unit.get((m.Unit.name == "甲县") & m.Unit.parent.is_null())
    newer_path = tmp_path / "甲县(新).xlsx"
    city_path = current_path()
    close_database()
    open_database(tmp_path / "甲县.sqlite")
    county_year = campaigns.get(YEAR)
    records.create(m.Training, county_year, {"unit": units.find_unit("城关街道").id, "category": "以会代训",
                                             "participants": 7, "start_date": dt.date(YEAR, 6, 9)})
    records.create(m.Note, county_year, {"section": "下一步", "order": 1, "text": "甲县将巩固整治成果。"})
    package_write.write_package(county_year, newer_path, today=dt.date(YEAR, 7, 2))
    close_database()
    open_database(city_path)
    c = campaigns.get(YEAR)
    trainings = Listing(m.Training, c.id).count()
    result = package_import.import_package(newer_path, c, replace=True)
    assert result.status in ("imported", "replaced"), result.message
    assert Listing(m.Training, c.id).count() == trainings + 1
    _check([c.id])
    replaced = history.last_group()
    rollup.withdraw(c, county.id)
    withdrawn = history.last_group()
    _check([c.id])
    history.revert_group(withdrawn)
    _check([c.id])
    history.revert_group(replaced)
    assert Listing(m.Training, c.id).count() == trainings
    _check([c.id])


def test_a_file_changed_behind_the_generation_is_counted_again(campaign, db_path):
    """An older version of the application logs its writes but does not bump the generation."""
    unit = units.create_unit("甲街道", campaign=campaign)
    assert Listing(m.Training, campaign.id).count() == 0
    assert figure_cache.lookup_rows(["training"], campaign.id) == {"training": 0}
    con = sqlite3.connect(db_path)
    with con:
        con.execute('INSERT INTO "training" (campaign_id, unit_id, category, title, sessions, participants, notes, venue) '
                    "VALUES (?, ?, '以会代训', '旧版本', 1, 40, '', '')", (campaign.id, unit.id))
        con.execute('INSERT INTO "change_log" ("at", "group", "table", record_id, action) '
                    "VALUES (datetime('now'), 'old', 'training', last_insert_rowid(), 'create')")
    con.close()
    assert figure_cache.lookup_rows(["training"], campaign.id) == {}
    assert Listing(m.Training, campaign.id).count() == 1
    assert breakdowns.record_counts(campaign)[m.Training] == 1


def test_a_worker_counts_but_only_the_main_thread_stores(campaign):
    """The checklist counts the year's rows on a worker beside the GUI: it reads, and the write lock stays free."""
    unit = units.create_unit("甲街道", campaign=campaign)
    records.create(m.Training, campaign, {"unit": unit.id, "category": "以会代训", "sessions": 1, "participants": 5})
    seen = []
    worker = threading.Thread(target=lambda: seen.append(breakdowns.record_counts(campaign.id)))
    worker.start()
    worker.join()
    assert seen[0][m.Training] == 1
    assert figure_cache.lookup_rows(["training"], campaign.id) == {}
    worker = threading.Thread(target=figure_cache.keep_handed_over)  # only the main thread keeps them
    worker.start()
    worker.join()
    assert figure_cache.lookup_rows(["training"], campaign.id) == {}
    assert figure_cache.keep_handed_over() == len(m.RECORD_MODELS)  # delivered: the main thread keeps them
    assert figure_cache.lookup_rows(["training", "hazard"], campaign.id) == {"training": 1, "hazard": 0}
    assert figure_cache.keep_handed_over() == 0


def test_counts_handed_over_from_before_a_write_are_not_kept(campaign):
    unit = units.create_unit("甲街道", campaign=campaign)
    worker = threading.Thread(target=lambda: breakdowns.record_counts(campaign.id))
    worker.start()
    worker.join()
    records.create(m.Training, campaign, {"unit": unit.id, "category": "以会代训", "sessions": 1, "participants": 5})
    assert figure_cache.keep_handed_over() == 0  # counted under the stamp before the write
    assert figure_cache.lookup_rows(["training"], campaign.id) == {}
    assert breakdowns.record_counts(campaign.id)[m.Training] == 1
    assert figure_cache.lookup_rows(["training", "hazard"], campaign.id) == {"training": 1, "hazard": 0}


def test_counts_handed_over_before_the_file_was_opened_again_are_not_kept(campaign, db_path):
    """A restore or another file opens a new database whose stamp may look the same: counts a worker made in the
    previous opening are dropped."""
    worker = threading.Thread(target=lambda: breakdowns.record_counts(campaign.id))
    worker.start()
    worker.join()
    close_database()
    open_database(db_path)
    assert figure_cache.keep_handed_over() == 0
    assert figure_cache.lookup_rows(["training"], campaign.id) == {}
