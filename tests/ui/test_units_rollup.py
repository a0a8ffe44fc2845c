"""单位管理 in a city's year (tests/rollup_city.py): deleting a county that handed up its package shows a Chinese
refusal saying what is under it and what to do, never a traceback; 撤回上报数据… takes the package out, undoably."""

from __future__ import annotations

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import campaigns, history, indicators
from tests.rollup_city import YEAR, city  # noqa: F401  (fixture)


def test_a_county_is_not_deleted_but_its_package_can_be_withdrawn(city, qtbot, fake_prompts):
    from safetymonth_desktop.ui.dialogs.units import UnitsDialog

    c = campaigns.get(YEAR)
    dialog = UnitsDialog(campaign=c)
    qtbot.addWidget(dialog)
    assert not dialog.buttons["withdraw"].isHidden()
    county = m.Unit.get((m.Unit.name == "甲县") & m.Unit.parent.is_null())
    dialog.select(county.id)
    assert not dialog.delete()
    [(kind, text)] = fake_prompts.of_kind("error")
    assert "下级地区" in text and "撤回上报数据" in text and "Traceback" not in text
    participants = indicators.compute("training.participants", c)
    dialog.select(county.id)
    assert dialog.withdraw()
    assert "已撤回甲县的上报数据" in fake_prompts.of_kind("info")[-1][1]
    assert indicators.compute("training.participants", c) == participants - 10
    history.revert_group(history.last_group())
    assert indicators.compute("training.participants", c) == participants
    # an own unit: withdrawing means nothing there, and says so
    dialog.reload(m.Unit.get(m.Unit.name == "市应急管理局").id)
    assert not dialog.withdraw()
    assert "下级地区" in fake_prompts.of_kind("info")[-1][1]


def test_withdrawing_from_the_window_is_one_ctrl_z(city, make_window, fake_prompts):
    window = make_window()
    c = campaigns.get(YEAR)
    participants = indicators.compute("training.participants", c)
    dialog = window.manage_units()
    dialog.select(m.Unit.get((m.Unit.name == "乙县") & m.Unit.parent.is_null()).id)
    assert dialog.withdraw()
    assert "Ctrl+Z" in fake_prompts.of_kind("info")[-1][1]
    assert indicators.compute("training.participants", c) == participants - 20
    assert window.undo_stack.undo_label() == "撤回乙县的上报数据"
    window.undo_stack.undo()
    assert indicators.compute("training.participants", c) == participants
    dialog.reject()


def test_a_district_without_sub_regions_is_not_offered_withdrawing(db, qtbot):
    from safetymonth_desktop.services import units
    from safetymonth_desktop.ui.dialogs.units import UnitsDialog

    units.create_unit("城关街道", kind="街道/乡镇")
    dialog = UnitsDialog()
    qtbot.addWidget(dialog)
    assert dialog.buttons["withdraw"].isHidden()
