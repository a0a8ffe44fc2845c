"""A city's units after importing its counties' 上报数据包 (tests/rollup_city.py): deleting a sub-region or one of
its units is refused in Chinese saying what is under it and what to do; 撤回该地区的上报数据 takes a county's package
out in one undoable step, after which the county can be deleted."""

from __future__ import annotations

import pytest

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import campaigns, history, indicators, rollup, units
from tests.rollup_city import YEAR, city  # noqa: F401  (fixture)


def _unit(name, parent=None):
    return m.Unit.get((m.Unit.name == name) & ((m.Unit.parent == parent) if parent else m.Unit.parent.is_null()))


def test_deleting_a_sub_region_with_its_package_is_refused_in_chinese(city):
    county = _unit("甲县")
    with pytest.raises(AppError) as caught:
        units.delete_unit(county.id, campaign=campaigns.get(YEAR))
    text = str(caught.value)
    assert "下级地区" in text and f"{YEAR} 年度的上报数据包" in text and "其下 1 个单位" in text
    assert "撤回上报数据" in text and "替换" in text
    assert _unit("甲县").id == county.id


def test_deleting_or_merging_a_sub_regions_unit_is_refused(city):
    county = _unit("甲县")
    street = _unit("城关街道", county)
    for action in (lambda: units.delete_unit(street.id), lambda: units.merge_units(_unit("市应急管理局").id, street.id),
                   lambda: units.merge_units(street.id, _unit("市应急管理局").id)):
        with pytest.raises(AppError) as caught:
            action()
        assert "甲县" in str(caught.value) and "撤回上报数据" in str(caught.value)
    assert m.Training.select().where(m.Training.unit == street.id).count() == 1


def test_withdrawing_a_package_is_one_undoable_step(city):
    c = campaigns.get(YEAR)
    before = {k: indicators.compute(k, c) for k in ("training.participants", "org.meetings", "units.reported")}
    county = _unit("甲县")
    removed = rollup.withdraw(c, county.id)
    assert removed == 2  # the training and the meeting of 甲县
    group = history.last_group()
    assert indicators.compute("training.participants", c) == before["training.participants"] - 10
    assert indicators.compute("units.reported", c) == before["units.reported"] - 1
    assert not m.Unit.select().where(m.Unit.parent == county.id).exists()
    assert county.id in {u.id for u in m.Unit.select()}  # still on the roster: 未报送 again
    with pytest.raises(AppError, match="没有导入过"):
        rollup.withdraw(c, county.id)
    history.revert_group(group)
    assert {k: indicators.compute(k, c) for k in before} == before
    assert m.SubRegionPackage.select().where(m.SubRegionPackage.unit == county.id).exists()
    # withdrawn again, the county can be deleted (it is on this year's roster only)
    rollup.withdraw(c, county.id)
    units.delete_unit(county.id, campaign=c)
    assert m.Unit.get_or_none(m.Unit.id == county.id) is None
