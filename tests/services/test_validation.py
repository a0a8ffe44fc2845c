"""Every validation rule: each bad value gets its field and exact message, and nothing is written."""

import datetime as dt

import pytest

from safetymonth_desktop.base.errors import ValidationError
from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import campaigns, records, units


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


# ---- every problem of a record at once


def _problems(model, values):
    with pytest.raises(ValidationError) as info:
        records.clean(model, values)
    return info.value


def test_a_major_hazard_missing_both_measures_and_responsible_names_both(unit):
    exc = _problems(m.Hazard, {**GOOD[m.Hazard], "level": "重大"})
    assert [(e.field, e.message) for e in exc.errors] == [("measures", "重大隐患必须填写"),
                                                         ("responsible", "重大隐患必须填写")]
    # Callers that handle one error still get a sensible one; the text names all.
    assert (exc.field, exc.message, exc.label) == ("measures", "重大隐患必须填写", "整改措施")
    assert str(exc) == "整改措施:重大隐患必须填写;责任人:重大隐患必须填写"


def test_field_errors_and_rule_errors_come_together(unit):
    values = {**GOOD[m.Hazard], "level": "重大", "funding": "很多", "enterprise": "", "status": "已整改",
              "rectified_date": "明天", "deadline": "2021-6-1"}
    exc = _problems(m.Hazard, values)
    assert [(e.field, e.message) for e in exc.errors] == [
        ("enterprise", "必须填写"),
        ("funding", "不是数字"),
        ("rectified_date", "无法识别的日期,请写成 2021-6-16、2021/6/16 或 2021年6月16日"),
        # rules over the readable fields; nothing more is said about the unreadable 整改完成日期
        ("measures", "重大隐患必须填写"), ("responsible", "重大隐患必须填写"), ("deadline", "不能早于发现日期")]


def test_a_single_problem_is_a_plain_validation_error(unit):
    exc = _problems(m.Training, {**GOOD[m.Training], "participants": "-1"})
    assert type(exc) is ValidationError and exc.errors == [exc]


def test_campaign_settings_report_every_problem(db):
    with pytest.raises(ValidationError) as info:
        campaigns.save(2021, ordinal=0, start_date="2021-6-30", end_date="2021-6-1", consult_day="明天")
    assert [e.field for e in info.value.errors] == ["consult_day", "ordinal", "end_date"]
    assert m.Campaign.select().count() == 0


def test_paste_lists_every_problem_of_a_row(campaign, unit):
    from safetymonth_desktop.services import paste

    text = ("填报单位\t被查单位\t行业领域\t发现日期\t隐患描述\t隐患等级\t整改资金(元)\n"
            "城关街道\t某厂\t燃气\t2021-6-3\t管道老化\t重大\t很多\n"
            "城关街道\t某店\t燃气\t2021-6-4\t通道堵塞\t一般\t100\n")
    result = paste.paste(m.Hazard, campaign, text)
    assert result.added == 1
    assert [(r.row, r.column, r.reason) for r in result.refused] == [
        (2, "整改资金(元)", "不是数字"), (2, "整改措施", "重大隐患必须填写"), (2, "责任人", "重大隐患必须填写")]
    assert result.refused[0].value == "很多"


def test_paste_and_import_read_a_month_and_day_in_the_campaigns_year(campaign, unit, tmp_path):
    from safetymonth_desktop.exchange import xlsx_import
    from safetymonth_desktop.services import paste
    from tests.exchange.test_xlsx_import import HAZARD_HEADERS, write_book

    text = "填报单位\t被查单位\t行业领域\t发现日期\t隐患描述\n城关街道\t某厂\t燃气\t6月16日\t管道老化\n"
    assert paste.paste(m.Hazard, campaign, text).added == 1
    path = write_book(tmp_path / "城关街道.xlsx", {"隐患台账": [HAZARD_HEADERS[:5], ["城关街道", "某店", "燃气", "6-18", "通道堵塞"]]})
    [result] = xlsx_import.import_files([path], campaign.year)
    assert result.status == xlsx_import.IMPORTED, [str(e) for e in result.errors]
    assert sorted(h.found_date for h in m.Hazard.select()) == [dt.date(2021, 6, 16), dt.date(2021, 6, 18)]
