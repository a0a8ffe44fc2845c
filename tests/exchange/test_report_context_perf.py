"""The report context reads each record type with a fixed number of queries, however many records the
year holds: no query per record (an N+1 would make a 10 000-record report crawl)."""

import logging

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange.report_context import build_context
from safetymonth_desktop.services import records


def count_queries(caplog, fn):
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        result = fn()
    return result, sum(1 for r in caplog.records if r.name == "peewee")


def test_query_count_does_not_grow_with_the_records(demo, today, caplog):
    before, n_before = count_queries(caplog, lambda: build_context(demo, today=today))
    for model in (m.Material, m.Event, m.CampaignAction, m.Inspection, m.Training, m.Instruction):
        rows = [records.values_of(r) for r in model.select().where(model.campaign == demo)]
        assert rows, model
        assert records.create_many(model, demo, rows) == []
    after, n_after = count_queries(caplog, lambda: build_context(demo, today=today))
    assert n_before > 0
    assert n_after == n_before
    # The records really doubled and each still names its unit.
    assert len(after["publicity"]["events"]) == 2 * len(before["publicity"]["events"]) > 0
    assert len(after["supervision"]["inspections"]) == 2 * len(before["supervision"]["inspections"]) > 0
    assert all(i["target"] for i in after["supervision"]["inspections"])
    assert all(a["unit"] for a in after["hazards"]["actions"])
