"""The summary reads records as plain rows (report_sections.base.campaign_records), not peewee models: every
field must come out exactly as the model gives it (dates, money, flags, blanks, references), and the unit table is
read once per summary however many meetings and documents name a unit by its registered name."""

import logging

import pytest

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange.report_context import build_context
from safetymonth_desktop.exchange.report_sections.base import campaign_records, date_order, one_reading, spoken
from safetymonth_desktop.services import records, units

MODELS = (m.Event, m.Material, m.Training, m.Media, m.CampaignAction, m.Inspection, m.Instruction, m.Meeting,
          m.Document, m.Body)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_rows_hold_what_the_models_hold(demo, model):
    expected = list(model.select().where(model.campaign == demo).order_by(model.id))
    rows = campaign_records(model, demo)
    assert expected and [r.id for r in rows] == [e.id for e in expected]
    for row, record in zip(rows, expected):
        for field in model._meta.sorted_fields:
            if field.name == "campaign":
                assert row.campaign_id == demo.id and row.campaign == demo
                continue
            name = f"{field.name}_id" if hasattr(field, "rel_model") else field.name
            want = getattr(record, name)
            got = getattr(row, name)
            assert got == want and type(got) is type(want), (model.__name__, name, got, want)


def test_rows_follow_the_order_asked_for(demo):
    rows = campaign_records(m.Event, demo, *date_order(m.Event.date))
    dates = [(r.date is None, r.date, r.id) for r in rows]
    assert dates == sorted(dates)


def count_queries(caplog, fn):
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        result = fn()
    return result, sum(1 for r in caplog.records if r.name == "peewee")


def test_units_named_by_short_name_cost_no_query_per_record(demo, today, caplog):
    unit = m.Unit.select().where(m.Unit.parent.is_null()).first()
    unit.short_name = "简称局"
    unit.save()
    document = records.values_of(m.Document.select().where(m.Document.campaign == demo).first())
    records.create_many(m.Document, demo, [dict(document, issuer=unit.name, doc_no="安委〔2021〕90号")])
    before, n_before = count_queries(caplog, lambda: build_context(demo, today=today))
    records.create_many(m.Document, demo, [dict(document, issuer=unit.name, title=f"文件{i}",
                                                doc_no=f"安委〔2021〕{100 + i}号") for i in range(20)])
    after, n_after = count_queries(caplog, lambda: build_context(demo, today=today))
    assert len(after["org"]["documents"]) == len(before["org"]["documents"]) + 20
    assert n_after == n_before
    assert "简称局" in str(after["org"]["paragraphs"])  # the issuer is still told by its 简称


def test_spoken_reads_afresh_outside_a_summary(demo):
    unit = units.create_unit("某某区应急管理局", kind="区级部门")
    assert spoken("某某区应急管理局") == "某某区应急管理局"
    unit.short_name = "区应急局"
    unit.save()
    assert spoken("某某区应急管理局") == "区应急局"
    with one_reading():
        assert spoken(" 某某区应急管理局") == "区应急局"
        unit.short_name = "改名后"
        unit.save()
        assert spoken("某某区应急管理局") == "区应急局"  # one summary, one reading
    assert spoken("某某区应急管理局") == "改名后"
