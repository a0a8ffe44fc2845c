"""A city's record tables (tests/rollup_city.py): a county's record cannot be opened for change or deleted — the
clerk is told why and what to do; the form's 填报单位 picker offers the city's own units, not the counties."""

from __future__ import annotations

from PySide6.QtCore import Qt

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


def test_a_countys_organization_and_notes_are_shown_as_the_countys_read_only(city, make_window, fake_prompts):
    """组织机构 and 补充说明 that came with a county's package say whose they are (所属下级地区) and cannot be changed;
    the city's own are 本级 and stay editable."""
    from safetymonth_desktop.services import records
    from safetymonth_desktop.ui.dialogs.campaign import CampaignDialog

    c = campaigns.get(YEAR)
    records.create(m.Body, c, {"name": "某市安全生产月活动领导小组", "lead": "副市长"})
    window = make_window()
    table = window.show_records(m.Body)
    model = table.table_model
    headers = [model.headerData(i, Qt.Horizontal) for i in range(model.columnCount())]
    assert headers[0] == "所属下级地区" and not table.view.isColumnHidden(0)
    shown = {model.data(model.index(r, 1)): model.data(model.index(r, 0)) for r in range(model.rowCount())}
    assert shown == {"甲县安全生产月活动组委会": "甲县", "乙县安全生产月活动组委会": "乙县", "某市安全生产月活动领导小组": "本级"}
    county_row = next(r for r in range(model.rowCount()) if model.data(model.index(r, 0)) == "甲县")
    select_row(table, county_row)
    assert table.edit() is None
    assert "甲县的上报数据包" in fake_prompts.of_kind("info")[-1][1]
    assert not table.delete() and m.Body.select().count() == 3
    dialog = CampaignDialog(c, window.undo_stack, window)
    notes = dialog.notes
    assert not notes.view.isColumnHidden(0)
    assert sorted(notes.table_model.data(notes.table_model.index(r, 0)) for r in range(notes.table_model.rowCount())) \
        == ["乙县", "甲县"]
    select_row(notes, 0)
    assert notes.edit() is None
    assert "补充说明" in fake_prompts.of_kind("info")[-1][1] and "只能查看" in fake_prompts.of_kind("info")[-1][1]
    assert not notes.delete() and m.Note.select().count() == 2
    dialog.reject()
