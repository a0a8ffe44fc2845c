"""The whole catalogue on a small fixture whose figures are worked out by hand below."""

import datetime as dt
from decimal import Decimal

import pytest

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import campaigns, indicators, records, units


@pytest.fixture
def year(db):
    c = campaigns.save(2021, region="测试区")[0]
    other = campaigns.save(2020)[0]  # records of another year must never count
    a = units.create_unit("甲街道", kind="街道/乡镇", campaign=c)
    b = units.create_unit("乙局", kind="区级部门", campaign=c)
    units.create_unit("丙企业", kind="企业", campaign=c)  # on the roster, reports nothing
    units.create_unit("丁单位", campaign=other)  # on another year's roster only: never counts here
    add = lambda model, **v: records.create(model, c, v)  # noqa: E731
    add(m.Instruction, leader="张", content="讲话")
    add(m.Instruction, leader="李", content="批示")
    add(m.Meeting, kind="部署会", title="部署")
    add(m.Document, title="方案")
    add(m.Document, title="通知")
    add(m.Document, title="督查通知")
    add(m.Training, unit=a.id, category="以会代训", sessions=2, participants=100)
    add(m.Training, unit=b.id, category="特种作业人员培训", sessions=3, participants=250)
    add(m.Material, unit=a.id, kind="宣传挂图", quantity=4900, cost="28000")
    add(m.Material, unit=b.id, kind="展板", quantity=30, cost="1500.50")
    add(m.Material, unit=b.id, kind="宣传挂图", quantity=100)
    add(m.Media, unit=b.id, channel="微信", items=12, reach=5000)
    add(m.Media, unit=b.id, channel="电视", items=3)
    add(m.Media, unit=a.id, channel="微信", items=4, reach=1000)
    add(m.Event, unit=b.id, kind="安全宣传咨询日", participants=3000, desks=20, boards=40, materials=10000)
    add(m.Event, unit=a.id, kind="安全宣传咨询日", participants=500, desks=2, boards=5)
    add(m.Event, unit=a.id, kind="应急演练", participants=150)
    add(m.Event, unit=b.id, kind="应急演练")
    add(m.Event, unit=b.id, kind="知识竞赛", participants=80)
    hz = dict(unit=a.id, enterprise="厂", description="隐患", found_date="2021-6-2")
    add(m.Hazard, industry="燃气", status="已整改", rectified_date="2021-6-5", funding="5000", **hz)
    add(m.Hazard, industry="燃气", level="重大", measures="停产", responsible="王", deadline="2021-6-30", **hz)
    add(m.Hazard, industry="建筑施工", status="整改中", deadline="2021-7-20", funding="2500", **hz)
    add(m.Hazard, industry="建筑施工", **hz)  # no deadline: never overdue
    add(m.CampaignAction, unit=b.id, action="打非", industry="建筑施工", personnel=40, inspected=60,
        hazards_found=20, hazards_rectified=18, penalties=3, fines="30000", shutdowns=1)
    add(m.CampaignAction, unit=b.id, action="燃气", industry="燃气", personnel=10, hazards_found=5, hazards_rectified=5)
    add(m.Inspection, kind="综合督查", target=a.id, problems_found=4, problems_rectified=3)
    add(m.Inspection, kind="暗访", target=a.id, problems_found=2, problems_rectified=2)
    add(m.Inspection, kind="复查", target=b.id)
    records.create(m.Training, other, {"unit": a.id, "category": "以会代训", "participants": 999})
    records.create(m.Hazard, other, {**hz, "industry": "燃气"})
    return c


EXPECTED = {
    "org.instructions": 2, "org.meetings": 1, "org.documents": 3,
    "training.sessions": 5, "training.participants": 350,
    "materials.total": 5030, "materials.cost": Decimal("2.95"),  # 29500.50元 → 2.95万元
    "materials.by_kind": {"宣传挂图": 5000, "展板": 30},
    "media.items": 19, "media.by_channel": {"微信": 16, "电视": 3},
    "events.count": 5, "events.participants": 3730,
    "consult_day.desks": 22, "consult_day.boards": 45, "consult_day.materials": 10000, "consult_day.participants": 3500,
    "drills.count": 2, "drills.participants": 150,
    "people.educated": 350 + 3730 + 6000,
    "hazards.found": 4 + 25, "hazards.major": 1, "hazards.rectified": 1 + 23, "hazards.rate": 82.8,  # 24/29
    "hazards.overdue": 1,  # the 重大 one: deadline 6-30 < 7-15; 整改中 one is due 7-20
    "hazards.funding": Decimal("0.75"),
    "hazards.by_industry": {"建筑施工": {"found": 22, "rectified": 18}, "燃气": {"found": 7, "rectified": 6}},
    "enforcement.inspected": 60, "enforcement.personnel": 50, "enforcement.penalties": 3,
    "enforcement.fines": Decimal("3.00"), "enforcement.shutdowns": 1,
    "supervision.count": 3, "supervision.targets": 2, "supervision.problems": 6, "supervision.rectified": 5,
    "units.total": 3, "units.reported": 2,
}


def test_catalogue_matches_hand_computed_figures(year, today):
    assert indicators.compute_all(year, today=today) == EXPECTED


def test_catalogue_has_every_key_of_the_design():
    assert list(indicators.REGISTRY) == list(EXPECTED)
    for ind in indicators.CATALOGUE:
        assert ind.label and ind.measure and ind.category


def test_empty_year_gives_zeros_and_no_rate(db):
    values = indicators.compute_all(campaigns.save(2022)[0])
    assert values["hazards.rate"] is None
    assert values["materials.by_kind"] == {} and values["training.participants"] == 0


def test_overdue_depends_on_the_day_of_computing(year):
    assert indicators.compute("hazards.overdue", year, today=dt.date(2021, 6, 30)) == 0
    assert indicators.compute("hazards.overdue", year, today=dt.date(2021, 8, 1)) == 2


def test_a_past_year_is_counted_as_of_its_summary_date_by_default(year):
    """Without a day named, figures are counted on the year's 成文日期 — 7月10日 for a past year, the set date when
    there is one — the day the summary and the window count on, whatever today is."""
    assert indicators.compute_all(year)["hazards.overdue"] == 1  # 6-30 is past on 7-10; 7-20 is not
    assert indicators.compute("hazards.overdue", year) == 1
    assert indicators.as_of(year.id) == dt.date(2021, 7, 10)
    year.report_date = dt.date(2021, 8, 1)
    year.save()
    assert indicators.compute_all(year)["hazards.overdue"] == 2
    assert indicators.compute("hazards.overdue", year.id) == 2
    assert indicators.compute_all(year, today=dt.date(2021, 6, 1))["hazards.overdue"] == 0  # a named day rules


def test_json_form(year, today):
    data = indicators.to_json(indicators.compute_all(year, today=today))
    assert data["materials.cost"] == 2.95 and data["hazards.rate"] == 82.8 and data["enforcement.fines"] == 3.0
    assert isinstance(data["training.participants"], int)


def test_each_indicator_is_one_sql_statement():
    for ind in indicators.CATALOGUE:
        assert ind.sql.strip().upper().startswith("SELECT")
        assert ";" not in ind.sql


def test_material_measures(year):
    assert indicators.material_measures(year) == [("宣传挂图", "套", 5000), ("展板", "块", 30)]
