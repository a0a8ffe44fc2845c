"""The first day (issue 15, item 7): an empty year's overview shows the five steps with buttons that run the real
actions; the toolbar holds the daily actions with icons; the window has its icon."""

from __future__ import annotations

import pytest


@pytest.fixture
def new_year(db, make_window):
    """A demo year, then a new empty year after it (its roster copied), on screen."""
    from safetymonth_desktop.services import campaigns
    from safetymonth_desktop.services.demo import create_demo

    create_demo(2021)
    campaigns.save(2022)
    window = make_window()
    window.set_year(2022)
    window.tabs.setCurrentWidget(window.overview)
    return window


def states(panel):
    return {card.step.key: card.state_label.text() for card in panel.cards}


def click(panel, key, text, qtbot):
    from PySide6.QtCore import Qt

    button = next(b for b in panel.card(key).buttons if b.text() == text)
    qtbot.mouseClick(button, Qt.LeftButton)


def test_empty_year_shows_the_path_and_its_buttons_work(new_year, fake_prompts, qtbot, tmp_path):
    panel = new_year.overview.first_day
    assert panel.isVisible()
    assert states(panel) == {"roster": "✓ 已完成", "templates": "下一步", "import": "未开始", "check": "未开始",
                             "export": "未开始"}
    assert "23 个单位" in panel.card("roster").detail_label.text()

    # 生成填报模板…: the real action, for every unit of the roster, into a folder
    folder = tmp_path / "模板"
    folder.mkdir()
    fake_prompts.choose_answers.append(0)
    fake_prompts.file_answers.append(str(folder))
    click(panel, "templates", "生成填报模板…", qtbot)
    assert len(list(folder.glob("*.xlsx"))) == 23
    assert states(panel)["templates"] == "✓ 已完成" and states(panel)["import"] == "下一步"

    click(panel, "import", "导入单位填报表…", qtbot)
    assert fake_prompts.of_kind("open_files")[-1][1] == "选择各单位填好的填报表(可多选)"
    click(panel, "import", "报送进度", qtbot)
    assert new_year.tabs.currentWidget() is new_year.progress
    new_year.tabs.setCurrentWidget(new_year.overview)

    fake_prompts.confirm_answers.append(True)  # an empty year: a draft
    click(panel, "export", "导出活动总结…", qtbot)
    assert fake_prompts.of_kind("save_file")[-1][1] == "导出活动总结"


def test_roster_button_opens_units_and_check_opens_settings(db, make_window, qtbot):
    from safetymonth_desktop.services import campaigns
    from safetymonth_desktop.ui.dialogs.campaign import CampaignDialog
    from safetymonth_desktop.ui.dialogs.units import UnitsDialog

    campaigns.save(2024, region="城南区")
    window = make_window()
    window.set_year(2024)
    window.tabs.setCurrentWidget(window.overview)
    panel = window.overview.first_day
    assert states(panel)["roster"] == "下一步"
    click(panel, "roster", "单位管理…", qtbot)
    dialogs = [w for w in window.findChildren(UnitsDialog) if w.isVisible()]
    assert dialogs
    dialogs[0].reject()
    click(panel, "check", "年度设置…", qtbot)
    assert [w for w in window.findChildren(CampaignDialog) if w.isVisible()]


def test_a_demo_year_does_not_show_the_path(demo, make_window):
    window = make_window()
    window.set_year(2021)
    window.tabs.setCurrentWidget(window.overview)
    assert not window.overview.first_day.isVisible()


def test_hidden_for_the_year_and_shown_again_from_help(new_year):
    panel = new_year.overview.first_day
    panel.hide_button.click()
    assert not panel.isVisible()
    new_year.refresh()
    assert not panel.isVisible()  # remembered for the year
    new_year.actions["first_steps"].trigger()
    assert panel.isVisible()


def test_toolbar_has_the_daily_actions_with_icons(new_year):
    bar = new_year.daily_bar
    labels = [a.iconText() for a in bar.actions() if not a.isSeparator()]
    assert labels == ["新建年度", "单位管理", "生成填报模板", "导入填报表", "导出活动总结", "导出统计表", "备份与恢复",
                      "撤销", "重做"]
    assert all(not a.icon().isNull() for a in bar.actions() if not a.isSeparator())
    assert bar.actions()[0] is new_year.actions["new_year"]  # the menu's own action: same shortcut and state
    assert bar.sizeHint().width() <= 1280  # fits a 1920×1080 screen at 150 %
    assert not new_year.windowIcon().isNull()
    # the year bar: the year, then 年度设置 with its icon
    year_actions = new_year.year_bar.actions()
    assert new_year.actions["settings"] in year_actions
    assert new_year.actions["units"] not in year_actions and new_year.actions["new_year"] not in year_actions
