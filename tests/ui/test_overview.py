"""The 概览 tab driven as the clerk uses it: the figures panel against hand-computed values over two years,
refreshing after an edit, a click on a bar opening the matching filtered table, and each checklist item
leading where it can be fixed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import campaigns, records, units
from safetymonth_desktop.ui.qt_compat import emit
from safetymonth_desktop.ui.tabs import overview as overview_tab


@pytest.fixture
def two_years(db):
    y20 = campaigns.save(2020, region="测试区")[0]
    y21 = campaigns.save(2021, region="测试区")[0]
    a = units.create_unit("甲街道", kind="街道/乡镇")
    b = units.create_unit("乙局", kind="区级部门")
    units.create_unit("丙公司", kind="企业", campaign=y21)  # on 2021's roster, sends nothing
    records.create(m.Training, y20, {"unit": a.id, "category": "以会代训", "sessions": 2, "participants": 200})
    records.create(m.Training, y21, {"unit": a.id, "category": "以会代训", "sessions": 1, "participants": 250})
    records.create(m.Training, y21, {"unit": a.id, "category": "公开课/讲座", "sessions": 3, "participants": 50})
    records.create(m.Material, y21, {"unit": b.id, "kind": "展板", "name": "展板", "quantity": 12})
    hz = {"unit": a.id, "enterprise": "厂", "industry": "燃气", "description": "隐患"}
    records.create(m.Hazard, y21, {**hz, "found_date": "2021-6-2", "status": "已整改", "rectified_date": "2021-6-3"})
    records.create(m.Hazard, y21, {**hz, "found_date": "2021-6-2", "deadline": "2021-6-10"})
    records.create(m.Hazard, y20, {**hz, "found_date": "2020-6-2", "status": "已整改", "rectified_date": "2020-6-3"})
    for _ in range(3):
        records.create(m.Hazard, y20, {**hz, "found_date": "2020-6-2"})
    return y20, y21, a, b


def card(window, key):
    return next(c for c in window.overview.cards if c.figure.key == key)


def chart(window, key):
    return next(v for v in window.overview.chart_views if v.spec.key == key)


def click_bar(view, display_index):
    """What a click on the bar at `display_index` (as drawn) does: the bar series' clicked signal."""
    series = view.chart().series()[0]
    emit(series.clicked, display_index, series.barSets()[0])


def test_overview_is_first_and_shows_the_figures_with_last_year(two_years, make_window):
    window = make_window()
    assert window.tabs.tabText(0) == "概览" and window.tabs.currentWidget() is window.overview
    assert window.overview.heading.text() == "2021年“安全生产月”概览(第20个)"
    people = card(window, "training.participants")
    assert people.value_text == "300 人次"
    assert people.previous_text == "2020年:200 人次"
    assert people.change_text == "同比 ▲ +100(+50.0%)"
    assert people.colour == overview_tab.UP
    found = card(window, "hazards.found")
    assert (found.value_text, found.previous_text, found.change_text) == \
        ("2 处", "2020年:4 处", "同比 ▼ −2(−50.0%)")
    assert found.colour == overview_tab.FLAT  # fewer hazards found is not plainly bad news
    rate = card(window, "hazards.rate")
    assert (rate.value_text, rate.change_text) == ("50.0%", "同比 ▲ +25.0个百分点")
    sessions = card(window, "training.sessions")
    assert (sessions.value_text, sessions.change_text) == ("4 期", "同比 ▲ +2(+100.0%)")
    materials = card(window, "materials.total")
    assert (materials.previous_text, materials.change_text) == ("2020年:0 份(件)", "同比 ▲ +12")

    window.set_year(2020)  # no earlier year: no comparison shown
    people = card(window, "training.participants")
    assert people.value_text == "200 人次" and [line[0] for line in people.lines()] == ["培训人次", "200 人次"]
    assert "没有更早的年度" in window.overview.subheading.text()


def test_overview_refreshes_after_an_edit_and_only_when_shown(two_years, make_window):
    y20, y21, a, b = two_years
    window = make_window()
    window.tabs.setCurrentIndex(2)  # 培训
    records.create(m.Training, y21, {"unit": a.id, "category": "其他", "sessions": 1, "participants": 100})
    window.refresh()  # what an edit, undo or unit change ends with
    assert card(window, "training.participants").value_text == "300 人次"  # not redrawn while hidden
    window.tabs.setCurrentIndex(0)
    assert card(window, "training.participants").value_text == "400 人次"
    assert card(window, "training.participants").change_text == "同比 ▲ +200(+100.0%)"


def test_charts_are_built_from_the_breakdowns(two_years, make_window):
    window = make_window()
    assert [v.spec.key for v in window.overview.chart_views] == ["training", "hazards", "units"]
    # the materials chart counts money (one measure for every kind); the 展板 were entered without a cost
    placeholders = [w.text() for w in window.overview.chart_box.findChildren(QLabel)]
    assert any("没有填写经费" in t for t in placeholders)
    bars = chart(window, "hazards").chart().series()[0].barSets()
    assert [(s.label(), [s.at(i) for i in range(s.count())]) for s in bars] == [("排查隐患", [2.0]), ("已整改", [1.0])]
    training = chart(window, "training").chart()
    assert [training.series()[0].barSets()[0].at(i) for i in range(2)] == [50.0, 250.0]
    assert len(training.series()) == 1 and len(training.axes()) == 2  # one measure, no line on a second axis


def test_clicking_a_bar_opens_the_matching_filtered_table(two_years, make_window):
    y20, y21, a, b = two_years
    window = make_window()
    click_bar(chart(window, "hazards"), 0)
    table = window.current_table()
    assert table.model is m.Hazard and table.filters == {"industry": "燃气"}
    assert table.table_model.total == 2 and not table.filter_bar.isHidden()
    assert table.filter_label.text() == "筛选条件:行业领域:燃气"
    table.clear_filter()
    assert table.filters == {} and table.filter_bar.isHidden()

    window.tabs.setCurrentIndex(0)
    click_bar(chart(window, "training"), 1)
    table = window.current_table()
    assert table.model is m.Training and table.filters == {"category": "以会代训"} and table.table_model.total == 1

    window.tabs.setCurrentIndex(0)
    # The unit chart is drawn across with the first unit on top: the bottom bar (index 0 as drawn) is 乙局.
    click_bar(chart(window, "units"), 0)
    table = window.current_table()
    assert table.model is m.Material and table.filters == {"unit_id": b.id} and table.table_model.total == 1
    window.tabs.setCurrentIndex(0)
    click_bar(chart(window, "units"), 1)
    table = window.current_table()
    assert table.model is m.Training and table.filters == {"unit_id": a.id} and table.table_model.total == 2
    hazards = window.record_tab("隐患整治").table_for(m.Hazard)
    assert hazards.filters == {"unit_id": a.id} and hazards.table_model.total == 2
    assert "清除筛选" in window.statusBar().currentMessage()


def row(window, rule):
    return next(r for r in window.overview.check_rows if r.item.rule == rule)


def test_each_checklist_item_leads_where_it_is_fixed(two_years, make_window, qtbot):
    from safetymonth_desktop.ui.dialogs.campaign import CampaignDialog
    from safetymonth_desktop.ui.dialogs.units import UnitsDialog

    y20, y21, a, b = two_years
    records.create(m.CampaignAction, y21, {"unit": a.id, "action": "燃气排查", "industry": "燃气", "hazards_found": 3})
    records.create(m.Meeting, y21, {"kind": "部署会", "title": "去年的会", "date": "2020-12-30"})
    campaigns.save(2021, ordinal=19)
    window = make_window()
    assert {r.item.rule for r in window.overview.check_rows} >= \
        {"ordinal", "overdue", "double_count", "outside_year", "empty_section", "units_silent"}

    qtbot.mouseClick(row(window, "overdue").button, Qt.LeftButton)
    table = window.current_table()
    # a past year: counted as of its summary's 成文日期 (7月10日), as the check line and the summary count it
    assert table.model is m.Hazard and table.filters == {"overdue": "2021-07-10"} and table.table_model.total == 1
    assert table.filter_label.text() == "筛选条件:截至2021年7月10日已过整改期限未整改"
    assert row(window, "overdue").item.text.startswith("截至2021年7月10日,有 1 处")

    qtbot.mouseClick(row(window, "double_count").button, Qt.LeftButton)
    table = window.current_table()
    assert table.model is m.CampaignAction and table.filters == {"unit_id": a.id, "industry": "燃气"}
    assert table.table_model.total == 1

    qtbot.mouseClick(row(window, "outside_year").button, Qt.LeftButton)
    table = window.current_table()
    assert table.model is m.Meeting and table.filters == {"outside_year": True} and table.table_model.total == 1

    empty = next(r for r in window.overview.check_rows if r.item.rule == "empty_section" and r.item.model is m.Document)
    assert empty.button.text() == "查看印发文件"
    qtbot.mouseClick(empty.button, Qt.LeftButton)
    assert window.current_table().model is m.Document and window.current_table().filters == {}

    assert row(window, "units_silent").button.text() == "打开单位管理"
    dialog = window.overview.follow(row(window, "units_silent").item)
    assert isinstance(dialog, UnitsDialog) and dialog.current()["name"] == "丙公司"
    dialog.close()

    assert row(window, "ordinal").button.text() == "打开年度设置"
    dialog = window.overview.follow(row(window, "ordinal").item)
    assert isinstance(dialog, CampaignDialog) and dialog.campaign.year == 2021
    dialog.close()


def test_overview_without_a_year(db, make_window):
    window = make_window()
    assert window.overview.heading.text() == "还没有活动年度"
    assert window.overview.figure_box.isHidden() and window.overview.cards == []


def test_nothing_to_check_says_so(two_years, make_window, monkeypatch):
    from PySide6.QtWidgets import QLabel

    window = make_window()
    assert window.overview.check_rows
    monkeypatch.setattr(overview_tab.overview, "checklist", lambda campaign: [])
    window.overview.refresh()
    assert window.overview.check_rows == []
    layout = window.overview.check_layout
    assert layout.count() == 1 and isinstance(layout.itemAt(0).widget(), QLabel)
    assert layout.itemAt(0).widget().text().startswith("✓ 未发现缺漏")


def test_a_long_run_of_one_rule_is_folded_until_asked(db, make_window, qtbot):
    year = campaigns.save(2021)[0]
    for i in range(8):
        units.create_unit(f"沉默单位{i}", campaign=year)  # eight roster units that sent nothing: eight items of one rule
    window = make_window()
    silent = [r for r in window.overview.check_rows if r.item.rule == "units_silent"]
    assert len(silent) == overview_tab.CHECKS_PER_RULE
    qtbot.mouseClick(window.overview.more_buttons["units_silent"], Qt.LeftButton)
    silent = [r for r in window.overview.check_rows if r.item.rule == "units_silent"]
    assert sorted(r.item.text for r in silent) == sorted(f"单位“沉默单位{i}”本年度尚未报送任何数据" for i in range(8))


def test_the_figure_cards_are_one_painted_widget_showing_every_text_whole(two_years, make_window, qtbot):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QColor

    from safetymonth_desktop.ui.figure_cards import BACKGROUND, FigureCards

    window = make_window()
    box = window.overview.figure_box
    painted = box.findChildren(FigureCards)
    assert len(painted) == 1 and painted[0].isVisible()
    # No widget per card: the box holds the painter and its (hidden) "计算中" line, nothing else.
    assert [w for w in box.findChildren(QLabel) if w.isVisible()] == []
    cards = painted[0]
    assert cards.cards == window.overview.cards and len(cards.cards) > overview_tab.FIGURE_COLUMNS
    rows = -(-len(cards.cards) // overview_tab.FIGURE_COLUMNS)
    assert cards.height() == rows * cards.card_height() + (rows - 1) * 8
    # Every text fits its card at this width (nothing elided), and the cards are drawn: a card's background
    # where a card is, the box's own colour in the gap between two cards.
    plain = cards.fontMetrics()
    rect = cards.card_rect(0)
    assert all(plain.horizontalAdvance(c.label) <= rect.width() - 22 for c in cards.cards)
    image = cards.grab().toImage()
    inside = image.pixelColor(rect.left() + 3, rect.bottom() - 3)
    gap = image.pixelColor(rect.right() + 4, rect.center().y())
    assert inside == QColor(BACKGROUND) and gap != QColor(BACKGROUND)
    # The value under the mouse can be copied (the labels were selectable before).
    people = next(i for i, c in enumerate(cards.cards) if c.figure.key == "training.participants")
    assert cards.card_at(cards.card_rect(people).center()).value_text == "300 人次"
    assert cards.card_at(QPoint(cards.card_rect(0).right() + 4, 2)) is None


def test_a_past_years_overdue_count_is_one_number_everywhere_in_the_window(two_years, make_window):
    """A hazard whose deadline fell after 7月10日 is overdue today but not in the 2021 summary: the overview's
    check, the ledger's totals and the summary all count as of the summary's 成文日期."""
    y20, y21, a, b = two_years
    records.create(m.Hazard, y21, {"unit": a.id, "enterprise": "厂", "industry": "燃气", "description": "晚到期",
                                   "found_date": "2021-6-20", "deadline": "2021-8-1"})
    window = make_window()
    [check] = [r for r in window.overview.check_rows if r.item.rule == "overdue"]
    assert check.item.text == "截至2021年7月10日,有 1 处隐患已过整改期限仍未整改"
    hazards = window.record_tab("隐患整治").tables[0]
    assert "逾期未整改隐患:<b>1处</b>" in hazards.totals_text().replace(" ", "")
