"""修改记录: readable history rows, deleted records, bringing back a deleted record or an old value
(as new, undoable changes), and a deleted campaign year coming back whole."""

import datetime as dt
from decimal import Decimal

import pytest

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import campaigns, history, history_view, indicators, records, units


@pytest.fixture
def hazard(campaign):
    unit = units.create_unit("城关街道", kind="街道/乡镇")
    units.create_unit("东湖街道", kind="街道/乡镇")
    return records.create(m.Hazard, campaign, {
        "unit": unit, "enterprise": "宏达建筑", "industry": "建筑施工", "found_date": "2021-6-10",
        "description": "脚手架缺防护", "funding": "1234.5", "deadline": "2021年6月30日"})


def test_history_rows_are_readable(hazard):
    records.update(m.Hazard, hazard.id, {"unit": "东湖街道", "funding": "20000", "status": "已整改",
                                         "rectified_date": "2021-06-20"})
    rows = history_view.record_history(m.Hazard, hazard.id)
    assert [r.action_label for r in rows] == ["修改", "新增"]  # newest first
    update = {c.label: (c.before, c.after) for c in rows[0].changes}
    assert update == {
        "填报单位": ("城关街道", "东湖街道"),
        "整改资金(元)": ("1,234.50 元", "20,000.00 元"),
        "状态": ("待整改", "已整改"),
        "整改完成日期": ("(空)", "2021年6月20日"),
    }
    created = {c.label: c.after for c in rows[1].changes}
    assert created["发现日期"] == "2021年6月10日" and created["整改期限"] == "2021年6月30日"
    assert "备注" not in created  # empty fields are not listed
    assert rows[0].summary().startswith("修改 填报单位:城关街道 → 东湖街道")
    assert isinstance(rows[0].at, dt.datetime) and len(rows[0].time_text) == 19


def test_deleted_record_is_listed_and_brought_back(hazard, campaign):
    figures = indicators.compute_all(campaign)
    records.delete(m.Hazard, hazard.id)
    assert indicators.compute_all(campaign)["hazards.found"] == figures["hazards.found"] - 1
    gone = history_view.deleted_records(m.Hazard, campaign=campaign)
    assert [d.record_id for d in gone] == [hazard.id]
    assert gone[0].values["被查单位"] == "宏达建筑" and "填报单位:城关街道" in gone[0].summary()
    assert history_view.deleted_records(m.Hazard, campaign=campaign.id + 1) == []

    group = history.restore_record(m.Hazard, hazard.id)
    back = m.Hazard.get_by_id(hazard.id)
    assert back.funding == Decimal("1234.50") and back.unit.name == "城关街道"
    assert indicators.compute_all(campaign) == figures
    assert history_view.deleted_records(m.Hazard) == []
    assert history_view.record_history(m.Hazard, hazard.id)[0].action_label == "新增"
    with pytest.raises(AppError, match="已存在"):
        history.restore_record(m.Hazard, hazard.id)
    history.revert_group(group)  # bringing it back is itself undoable
    assert m.Hazard.get_or_none(m.Hazard.id == hazard.id) is None


def test_old_value_comes_back_as_a_new_undoable_change(hazard):
    records.update(m.Hazard, hazard.id, {"description": "第二次描述"})
    records.update(m.Hazard, hazard.id, {"description": "第三次描述", "funding": ""})
    first_update = history_view.record_history(m.Hazard, hazard.id)[1]
    assert {c.name for c in first_update.changes} == {"description"}
    record = history_view.restore_value(m.Hazard, hazard.id, first_update.change_id, "description")
    assert record.description == "脚手架缺防护"
    newest = history_view.record_history(m.Hazard, hazard.id)[0]
    assert [(c.before, c.after) for c in newest.changes] == [("第三次描述", "脚手架缺防护")]
    history.revert_group(newest.group)
    assert m.Hazard.get_by_id(hazard.id).description == "第三次描述"
    # money and units come back as well
    cleared = [r for r in history_view.record_history(m.Hazard, hazard.id) if any(c.name == "funding" for c in r.changes)]
    assert [(c.before, c.after) for c in cleared[0].changes if c.name == "funding"] == [("1,234.50 元", "(空)")]
    assert history_view.restore_value(m.Hazard, hazard.id, cleared[0].change_id, "funding").funding == Decimal("1234.50")


def test_old_value_is_validated_like_any_edit(hazard):
    records.update(m.Hazard, hazard.id, {"status": "已整改", "rectified_date": "2021-06-20"})
    change = history_view.record_history(m.Hazard, hazard.id)[0]
    # 待整改 alone would contradict the rectified date still filled in: refused like the same edit in a form
    with pytest.raises(AppError, match="状态应为“已整改”"):
        history_view.restore_value(m.Hazard, hazard.id, change.change_id, "status")
    assert m.Hazard.get_by_id(hazard.id).status == "已整改"
    with pytest.raises(AppError, match="找不到"):
        history_view.restore_value(m.Hazard, hazard.id, 999999, "status")


def test_unit_and_campaign_values(campaign):
    unit = units.create_unit("城关街道", kind="街道/乡镇", contact="王五")
    units.update_unit(unit.id, contact="赵六")
    change = history_view.record_history(m.Unit, unit.id)[0]
    assert history_view.restore_value(m.Unit, unit.id, change.change_id, "contact").contact == "王五"
    campaigns.save(2021, region="北城区")
    change = history_view.record_history(m.Campaign, campaign.id)[0]
    assert [(c.before, c.after) for c in change.changes] == [("测试区", "北城区")]
    assert history_view.restore_value(m.Campaign, campaign.id, change.change_id, "region").region == "测试区"


def test_deleted_unit_is_named_in_history(hazard):
    units.update_unit(hazard.unit.id, name="城关街道办事处")
    rows = history_view.record_history(m.Hazard, hazard.id)
    assert {c.label: c.after for c in rows[-1].changes}["填报单位"] == "城关街道办事处"


def test_a_deleted_campaign_year_comes_back_with_all_its_records(demo):
    figures = indicators.compute_all(demo, today=dt.date(2021, 7, 15))
    counts = {model: model.select().count() for model in m.RECORD_MODELS}
    campaigns.delete(2021)
    assert all(model.select().count() == 0 for model in m.RECORD_MODELS)
    history.restore_record(m.Campaign, demo.id)
    assert {model: model.select().count() for model in m.RECORD_MODELS} == counts
    assert indicators.compute_all(campaigns.get(2021), today=dt.date(2021, 7, 15)) == figures


def test_undo_of_a_campaign_deletion(demo):
    counts = {model: model.select().count() for model in m.RECORD_MODELS}
    with history.change_group() as group:
        campaigns.delete(2021)
    history.revert_group(group)
    assert {model: model.select().count() for model in m.RECORD_MODELS} == counts


def test_record_of_a_deleted_unit_cannot_come_back_silently(campaign):
    unit = units.create_unit("临时单位")
    training = records.create(m.Training, campaign, {"unit": unit, "category": "其他", "participants": 5})
    records.delete(m.Training, training.id)
    units.delete_unit(unit.id, campaign=campaign)  # on this year's roster only (it reported here)
    with pytest.raises(AppError, match="先恢复"):
        history.restore_record(m.Training, training.id)
    assert m.Training.select().count() == 0
    history.restore_record(m.Unit, unit.id)
    history.restore_record(m.Training, training.id)
    assert m.Training.get_by_id(training.id).unit.name == "临时单位"


def test_a_deleted_records_id_is_never_given_to_a_new_one(db):
    """Without AUTOINCREMENT SQLite reused the id of a just-deleted last row, and the deleted record's history
    became the new record's (found in review): the new record must have a fresh id and only its own history."""
    campaign = campaigns.save(2021)[0]
    old = records.create(m.Meeting, campaign, {"kind": "部署会", "title": "会议X"})
    records.delete(m.Meeting, old.id)
    new = records.create(m.Meeting, campaign, {"kind": "部署会", "title": "会议Y"})
    assert new.id != old.id
    assert [row.action_label for row in history_view.record_history(m.Meeting, new.id)] == ["新增"]
    assert [d.record_id for d in history_view.deleted_records(m.Meeting)] == [old.id]
    assert history.next_id(m.Meeting) == new.id + 1
