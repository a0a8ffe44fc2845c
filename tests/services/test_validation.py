"""Every validation rule: each bad value gets its field and exact message, and nothing is written."""

import pytest

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import campaigns, records, units
from safetymonth_desktop.services.errors import ValidationError


@pytest.fixture
def unit(db):
    return units.create_unit("城关街道", kind="街道/乡镇")


GOOD = {
    m.Training: {"unit": "城关街道", "category": "以会代训", "participants": 30},
    m.Material: {"unit": "城关街道", "kind": "展板", "quantity": 10},
    m.Media: {"unit": "城关街道", "channel": "微信", "items": 3},
    m.Event: {"unit": "城关街道", "kind": "应急演练"},
    m.Hazard: {"unit": "城关街道", "enterprise": "某厂", "industry": "燃气", "found_date": "2021-6-3", "description": "管道老化"},
    m.CampaignAction: {"unit": "城关街道", "action": "打非治违", "industry": "燃气"},
    m.Inspection: {"kind": "暗访", "target": "城关街道"},
    m.Instruction: {"leader": "张三", "content": "要点"},
    m.Meeting: {"kind": "部署会", "title": "部署会议"},
    m.Document: {"title": "活动方案"},
    m.Body: {"name": "组委会"},
}

BAD = [
    (m.Training, {"participants": "-5"}, "participants", "不能为负数"),
    (m.Training, {"participants": ""}, "participants", "必须填写"),
    (m.Training, {"participants": "很多"}, "participants", "不是数字"),
    (m.Training, {"sessions": 0}, "sessions", "至少为1"),
    (m.Training, {"category": "安全培训"}, "category", "不在可选项中"),
    (m.Training, {"unit": "不存在的街道"}, "unit", "不存在"),
    (m.Training, {"unit": None}, "unit", "必须填写"),
    (m.Training, {"start_date": "2021-6-10", "end_date": "2021-6-9"}, "end_date", "不能早于开始日期"),
    (m.Training, {"start_date": "2201-6-10"}, "start_date", "日期超出合理范围"),
    (m.Training, {"start_date": "2021-2-30"}, "start_date", "日期不存在"),
    (m.Material, {"quantity": "1.5"}, "quantity", "应为整数"),
    (m.Material, {"cost": "-100"}, "cost", "不能为负数"),
    (m.Material, {"measure": "箱"}, "measure", "不在可选项中"),
    (m.Media, {"reach": "-1"}, "reach", "不能为负数"),
    (m.Event, {"desks": "x"}, "desks", "不是数字"),
    (m.Hazard, {"status": "已整改"}, "rectified_date", "必须填写整改完成日期"),
    (m.Hazard, {"status": "已整改", "rectified_date": "2021-6-1"}, "rectified_date", "不能早于发现日期"),
    (m.Hazard, {"rectified_date": "2021-6-5"}, "rectified_date", "状态应为“已整改”"),
    (m.Hazard, {"level": "重大", "responsible": "王五"}, "measures", "重大隐患必须填写"),
    (m.Hazard, {"level": "重大", "measures": "停产整顿"}, "responsible", "重大隐患必须填写"),
    (m.Hazard, {"deadline": "2021-6-1"}, "deadline", "不能早于发现日期"),
    (m.Hazard, {"found_date": None}, "found_date", "必须填写"),
    (m.Hazard, {"funding": "1.001"}, "funding", "两位小数"),
    (m.CampaignAction, {"hazards_found": 3, "hazards_rectified": 4}, "hazards_rectified", "不能大于发现隐患(处)(3)"),
    (m.Inspection, {"problems_found": 2, "problems_rectified": 3}, "problems_rectified", "不能大于发现问题(个)(2)"),
    (m.CampaignAction, {"hazards_rectified": 10}, "hazards_found", "填写了整改隐患(处)时必须填写"),
    (m.Inspection, {"problems_rectified": 1}, "problems_found", "填写了已整改(个)时必须填写"),
    (m.Inspection, {"target": "无此单位"}, "target", "不存在"),
    (m.Instruction, {"leader": "  "}, "leader", "必须填写"),
    (m.Document, {"title": "x" * 300}, "title", "内容过长"),
]


@pytest.mark.parametrize("model, change, field, message", BAD,
                         ids=[f"{model.__name__}-{field}-{i}" for i, (model, _c, field, _m) in enumerate(BAD)])
def test_bad_values_are_refused_and_nothing_is_written(campaign, unit, model, change, field, message):
    before = model.select().count()
    with pytest.raises(ValidationError) as exc:
        records.create(model, campaign, {**GOOD[model], **change})
    assert exc.value.field == field
    assert message in exc.value.message
    assert model.select().count() == before
    assert m.ChangeLog.select().where(m.ChangeLog.table == model._meta.table_name).count() == 0


@pytest.mark.parametrize("model", list(GOOD), ids=lambda mdl: mdl.__name__)
def test_good_records_are_accepted(campaign, unit, model):
    record = records.create(model, campaign, GOOD[model])
    assert model.get_by_id(record.id).campaign_id == campaign.id


def test_material_measure_defaults_from_kind(campaign, unit):
    record = records.create(m.Material, campaign, {"unit": unit.id, "kind": "宣传挂图", "quantity": 5})
    assert record.measure == "套"


def test_update_keeps_other_fields_and_validates(campaign, unit):
    record = records.create(m.Hazard, campaign, GOOD[m.Hazard])
    records.update(m.Hazard, record.id, {"status": "已整改", "rectified_date": "2021年6月9日"})
    fresh = m.Hazard.get_by_id(record.id)
    assert (fresh.status, str(fresh.rectified_date), fresh.enterprise) == ("已整改", "2021-06-09", "某厂")
    with pytest.raises(ValidationError):
        records.update(m.Hazard, record.id, {"rectified_date": "2021-5-1"})
    assert str(m.Hazard.get_by_id(record.id).rectified_date) == "2021-06-09"


def test_create_many_is_all_or_nothing(campaign, unit):
    rows = [GOOD[m.Training], {**GOOD[m.Training], "participants": "-1"}, GOOD[m.Training]]
    failures = records.create_many(m.Training, campaign, rows)
    assert [(i, e.field) for i, e in failures] == [(1, "participants")]
    assert m.Training.select().count() == 0
    assert records.create_many(m.Training, campaign, [GOOD[m.Training]] * 2) == []
    assert m.Training.select().count() == 2


@pytest.mark.parametrize("year, message", [("abc", "不是有效的年份"), (1999, "不在 2002—2099 之间"), ("3000", "不在")])
def test_bad_campaign_years(db, year, message):
    with pytest.raises(ValidationError, match=message):
        campaigns.save(year)
    assert m.Campaign.select().count() == 0


def test_campaign_defaults_and_bad_dates(db):
    campaign, created = campaigns.save(2021)
    assert created and campaign.ordinal == 20 and campaign.theme == "落实安全责任,推动安全发展"
    assert str(campaign.consult_day) == "2021-06-16"
    with pytest.raises(ValidationError, match="不能早于开始日期"):
        campaigns.save(2021, end_date="2021-5-1")
    with pytest.raises(ValidationError, match="无法识别的日期"):
        campaigns.save(2021, consult_day="六月")
    assert str(m.Campaign.get().end_date) == "2021-06-30"
    assert campaigns.save(2030)[0].theme == ""


def test_clearing_a_required_campaign_setting_is_refused(db):
    campaigns.save(2021)
    with pytest.raises(ValidationError) as exc:
        campaigns.save(2021, consult_day=None)  # what the settings dialog sends for a cleared date
    assert (exc.value.field, exc.value.message) == ("consult_day", "必须填写")
    with pytest.raises(ValidationError, match="至少为1"):
        campaigns.save(2021, ordinal=0)
    assert str(campaigns.get(2021).consult_day) == "2021-06-16"
    assert campaigns.save(2021, region=None)[0].region == ""  # an optional text setting is simply cleared
