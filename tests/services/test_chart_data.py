"""Chart specs built from the registry's breakdowns: series values, categories, links, empty charts."""

import pytest

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import campaigns, chart_data, indicators, records, units


@pytest.fixture
def year(db):
    y21 = campaigns.save(2021)[0]
    a = units.create_unit("甲街道", kind="街道/乡镇")
    b = units.create_unit("乙局", kind="区级部门")
    records.create(m.Training, y21, {"unit": a.id, "category": "以会代训", "sessions": 1, "participants": 250})
    records.create(m.Training, y21, {"unit": b.id, "category": "公开课/讲座", "sessions": 3, "participants": 50})
    records.create(m.Training, y21, {"unit": b.id, "category": "公开课/讲座", "sessions": 2, "participants": 30})
    records.create(m.Material, y21, {"unit": a.id, "kind": "展板", "name": "展板", "quantity": 12})
    records.create(m.Material, y21, {"unit": b.id, "kind": "宣传挂图", "name": "挂图", "quantity": 300})
    hz = {"unit": a.id, "enterprise": "厂", "industry": "燃气", "found_date": "2021-6-2", "description": "隐患"}
    records.create(m.Hazard, y21, {**hz, "status": "已整改", "rectified_date": "2021-6-3"})
    records.create(m.Hazard, y21, hz)
    records.create(m.CampaignAction, y21, {"unit": b.id, "action": "打非治违", "industry": "建筑施工",
                                           "hazards_found": 8, "hazards_rectified": 6})
    return y21, a, b


def test_training_chart(year):
    y21, a, b = year
    spec = chart_data.training(y21)
    assert spec.categories == ("公开课/讲座", "以会代训")  # vocabulary order
    assert spec.bars[0].name == "参训人次" and spec.bars[0].values == (80, 250)
    assert len(spec.bars) == 1 and not hasattr(spec, "line")  # one measure; no line across categories
    assert sum(spec.bars[0].values) == indicators.compute("training.participants", y21)
    assert spec.link(1) == chart_data.Link(m.Training, {"category": "以会代训"})


def test_materials_chart_is_money_by_kind_in_one_measure(year):
    """Quantities of 挂图 (套) and 展板 (块) cannot share an axis; the money spent on them can (万元)."""
    y21, a, b = year
    assert chart_data.materials(y21).empty  # no costs entered yet: nothing to draw, and the overview says why
    assert "没有填写经费" in chart_data.materials(y21).empty_text
    records.create(m.Material, y21, {"unit": a.id, "kind": "展板", "name": "展板", "quantity": 3, "cost": "1500"})
    records.create(m.Material, y21, {"unit": b.id, "kind": "宣传挂图", "name": "挂图", "quantity": 50, "cost": "28000"})
    spec = chart_data.materials(y21)
    assert spec.categories == ("宣传挂图", "展板")  # vocabulary order
    assert spec.bars[0].values == (2.8, 0.15) and spec.value_title == "经费(万元)" and spec.decimals == 2
    assert sum(spec.bars[0].values) == pytest.approx(float(indicators.compute("materials.cost", y21)))
    assert spec.link(0).model is m.Material and spec.link(0).filters == {"kind": "宣传挂图"}


def test_hazards_chart_found_and_rectified_across(year):
    y21 = year[0]
    spec = chart_data.hazards(y21)
    assert spec.categories == ("建筑施工", "燃气")
    assert [s.name for s in spec.bars] == ["排查隐患", "已整改"]
    assert spec.bars[0].values == (8, 2) and spec.bars[1].values == (6, 1)
    assert spec.horizontal  # two bars a category, each figure at its bar's end: labels never side by side
    y21, a, b = year
    for _ in range(9):  # 燃气 now has the most: it comes first, as the prose names industries by size
        records.create(m.Hazard, y21, {"unit": a.id, "enterprise": "厂", "industry": "燃气", "found_date": "2021-6-2",
                                       "description": "隐患"})
    assert chart_data.hazards(y21).categories == ("燃气", "建筑施工")
    # 建筑施工 exists only as 专项整治 counts: its bar opens those; 燃气 opens the ledger.
    assert spec.link(0) == chart_data.Link(m.CampaignAction, {"industry": "建筑施工"})
    assert spec.link(1) == chart_data.Link(m.Hazard, {"industry": "燃气"})


def test_units_chart_and_its_cap(year):
    y21, a, b = year
    spec = chart_data.units(y21)
    assert spec.categories == ("乙局", "甲街道")  # most records first, then by name
    assert spec.bars[0].values == (4, 4) and spec.horizontal and spec.note == ""
    assert [link.filters["unit_id"] for link in spec.links] == [b.id, a.id]
    assert all(link.model is None for link in spec.links)
    assert chart_data.unit_record_models(a.id, y21) == [m.Training, m.Material, m.Hazard]
    for i in range(chart_data.UNITS_SHOWN + 2):
        u = units.create_unit(f"单位{i:02d}", kind="企业")
        records.create(m.Training, y21, {"unit": u.id, "category": "其他", "sessions": 1, "participants": 1})
    spec = chart_data.units(y21)
    assert len(spec.categories) == chart_data.UNITS_SHOWN
    assert spec.note == f"共 {chart_data.UNITS_SHOWN + 4} 个单位报送，图中为报送最多的 {chart_data.UNITS_SHOWN} 个"


def test_empty_year(db):
    y = campaigns.save(2022)[0]
    specs = chart_data.all_charts(y)
    assert [s.key for s in specs] == ["training", "materials", "hazards", "units"]
    assert all(s.empty for s in specs) and chart_data.report_charts(y) == []
    assert specs[0].link(0) is None


def test_report_charts_keep_only_those_with_data_and_not_data_entry(year):
    y21, a, b = year
    assert [s.key for s in chart_data.report_charts(y21)] == ["training", "hazards"]  # no costs, no 报送记录
    records.create(m.Material, y21, {"unit": a.id, "kind": "展板", "name": "展板", "quantity": 3, "cost": "1500"})
    assert [s.key for s in chart_data.report_charts(y21)] == ["training", "hazards"]  # one bar: left to the table
    records.create(m.Material, y21, {"unit": b.id, "kind": "宣传挂图", "name": "挂图", "quantity": 9, "cost": "900"})
    assert [s.key for s in chart_data.report_charts(y21)] == ["training", "materials", "hazards"]
    assert [s.key for s in chart_data.all_charts(y21)] == ["training", "materials", "hazards", "units"]  # overview


def test_report_charts_do_not_count_records_per_unit(year, monkeypatch):
    """The report leaves 各单位报送记录 out, so it does not compute it (every record of the year counted by unit)."""
    from safetymonth_desktop.services import breakdowns

    y21, _, _ = year
    monkeypatch.setattr(breakdowns, "records_per_unit", lambda campaign: pytest.fail("counted for the report"))
    assert [s.key for s in chart_data.report_charts(y21)] == ["training", "hazards"]
