"""A city's record tables (tests/rollup_city.py): a county's record cannot be opened for change or deleted — the
clerk is told why and what to do; the form's 填报单位 picker offers the city's own units, not the counties."""

from __future__ import annotations

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import campaigns
from tests.rollup_city import YEAR, city  # noqa: F401  (fixture)
from tests.ui.helpers import select_row


def test_a_countys_training_is_shown_read_only_with_the_reason(city, make_window, fake_prompts):
    window = make_window()
    table = window.show_records(m.Training)
    assert table.table_model.total == 2
    select_row(table, 0)
    assert table.edit() is None
    text = fake_prompts.of_kind("info")[-1][1]
    assert "上报数据包" in text and "只能查看" in text
    assert not table.delete() and m.Training.select().count() == 2
    form = table.add()
    picker = form.form.editors["unit"].widget
    offered = [picker.itemText(i) for i in range(picker.count())]
    assert "市应急管理局" in offered and "甲县" not in offered and "城关街道" not in offered
    form.reject()
    assert campaigns.get(YEAR).region == "某市"
