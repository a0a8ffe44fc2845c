"""The overview's figures against hand-computed values over two years, and each checklist rule on a
fixture that triggers it and one that does not."""

import datetime as dt

import pytest

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import breakdowns, campaigns, indicators, overview, records, units


@pytest.fixture
def two_years(db):
    y20 = campaigns.save(2020)[0]
    y21 = campaigns.save(2021)[0]
    a = units.create_unit("甲街道", kind="街道/乡镇", campaign=y21)
    units.create_unit("乙局", kind="区级部门", campaign=y21)
    records.create(m.Training, y20, {"unit": a.id, "category": "以会代训", "sessions": 2, "participants": 200})
    records.create(m.Training, y21, {"unit": a.id, "category": "以会代训", "sessions": 1, "participants": 250})
    records.create(m.Training, y21, {"unit": a.id, "category": "公开课/讲座", "sessions": 3, "participants": 50})
    hz = {"unit": a.id, "enterprise": "厂", "industry": "燃气", "found_date": "2021-6-2", "description": "隐患"}
    records.create(m.Hazard, y21, {**hz, "status": "已整改", "rectified_date": "2021-6-3"})
    records.create(m.Hazard, y21, {**hz, "deadline": "2021-6-10"})
    records.create(m.Hazard, y20, {**hz, "found_date": "2020-6-2", "status": "已整改", "rectified_date": "2020-6-3"})
    records.create(m.Hazard, y20, {**hz, "found_date": "2020-6-2"})
    records.create(m.Hazard, y20, {**hz, "found_date": "2020-6-2"})
    records.create(m.Hazard, y20, {**hz, "found_date": "2020-6-2"})
    return y20, y21


def test_key_figures_with_previous_year(two_years, today):
    y20, y21 = two_years
    figures = {f.key: f for f in overview.key_figures(y21, today=today)}
    participants = figures["training.participants"]
    assert (participants.value, participants.previous, participants.change, participants.change_percent) == (300, 200, 100, 50.0)
    assert participants.change_text == "+100(+50.0%)"
    sessions = figures["training.sessions"]
    assert (sessions.value, sessions.previous, sessions.change_text) == (4, 2, "+2(+100.0%)")
    rate = figures["hazards.rate"]
    assert (rate.value, rate.previous, rate.change_text) == (50.0, 25.0, "+25.0个百分点")
    found = figures["hazards.found"]
    assert (found.value, found.previous, found.change_text) == (2, 4, "−2(−50.0%)")
    assert all(f.previous is None and f.change_text == "" for f in overview.key_figures(y20, today=today))


def test_yoy_phrases(two_years, today):
    phrases = overview.yoy_phrases(two_years[1], today=today)
    assert phrases["training.participants"] == "同比增长50%"
    assert phrases["hazards.found"] == "同比下降50%"
    assert phrases["hazards.rate"] == "同比提高25个百分点"
    assert "org.meetings" not in phrases  # 0 → 0: nothing to compare
    assert overview.yoy_phrases(two_years[0], today=today) == {}


def rules(campaign, today):
    return {item.rule for item in overview.checklist(campaign, today=today)}


def test_checklist_rules_trigger_and_stay_quiet(two_years):
    y20, y21 = two_years
    found = overview.checklist(y21, today=dt.date(2021, 7, 1))
    by_rule = {}
    for item in found:
        by_rule.setdefault(item.rule, []).append(item)
    assert [i.text for i in by_rule["units_silent"]] == ["单位“乙局”本年度尚未报送任何数据"]
    assert by_rule["overdue"][0].text == "有 1 处隐患已过整改期限仍未整改"
    assert m.Meeting in {i.model for i in by_rule["empty_section"]}
    assert m.Training not in {i.model for i in by_rule["empty_section"]}
    assert "overdue" not in rules(y21, dt.date(2021, 6, 5))
    assert {"double_count", "outside_year", "ordinal", "theme"}.isdisjoint(rules(y21, dt.date(2021, 7, 1)))


def test_a_past_years_overdue_check_counts_as_of_its_summary_date(two_years):
    """The overview gives the number the summary prints: a past year is counted as of its 成文日期 (7月10日 by
    default, or the set date), and the check says so; its filter carries that day."""
    y21 = two_years[1]
    later = dt.date(2026, 11, 29)
    [item] = [i for i in overview.checklist(y21, today=later) if i.rule == "overdue"]
    as_of = dt.date(2021, 7, 10)
    count = indicators.compute("hazards.overdue", y21, today=as_of)
    assert item.text == f"截至2021年7月10日,有 {count} 处隐患已过整改期限仍未整改"
    assert item.filter == {"overdue": "2021-07-10"}
    y21.report_date = dt.date(2021, 6, 5)
    y21.save()
    assert "overdue" not in rules(y21, later)  # nothing was overdue yet on the set date


def test_double_count_rule(two_years, today):
    y21 = two_years[1]
    unit = units.find_unit("甲街道")
    records.create(m.CampaignAction, y21, {"unit": unit.id, "action": "燃气排查", "industry": "建筑施工", "hazards_found": 3})
    assert "double_count" not in rules(y21, today)  # other industry
    records.create(m.CampaignAction, y21, {"unit": unit.id, "action": "燃气排查", "industry": "燃气", "hazards_found": 3})
    items = [i for i in overview.checklist(y21, today=today) if i.rule == "double_count"]
    assert len(items) == 1 and "甲街道" in items[0].text and items[0].filter == {"unit_id": unit.id, "industry": "燃气"}


def test_theme_ordinal_and_dates_outside_year(two_years, today):
    y21 = two_years[1]
    campaigns.save(2021, ordinal=19, theme="自拟主题")
    records.create(m.Meeting, y21, {"kind": "部署会", "title": "去年的会", "date": "2020-12-30"})
    texts = {i.rule: i.text for i in overview.checklist(campaigns.get(2021), today=today)}
    assert texts["ordinal"] == "2021年应为第20个安全生产月,当前填写为第19个"
    assert "落实安全责任,推动安全发展" in texts["theme"]
    assert texts["outside_year"] == "“会议部署”中有 1 条记录的日期不在2021年"


def test_breakdowns(two_years):
    y21 = two_years[1]
    assert breakdowns.training_by_category(y21) == [("公开课/讲座", 3, 50), ("以会代训", 1, 250)]
    assert breakdowns.records_per_unit(y21)[0][1:] == ("甲街道", 4)
    counts = breakdowns.record_counts(y21)
    assert counts[m.Training] == 2 and counts[m.Hazard] == 2 and counts[m.Meeting] == 0


def test_panel_and_report_round_a_change_the_same_way():
    figure = overview.Figure("training.participants", "培训人次", "人次", 449, 400)  # +12.25%
    assert figure.change_percent == 12.3
    assert figure.change_text == "+49(+12.3%)"
    from safetymonth_desktop.services import numbers

    assert numbers.change_phrase(449, 400) == "同比增长12.3%"
