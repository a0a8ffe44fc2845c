"""Adding and editing records through the generated form: the database is what is checked."""

from decimal import Decimal

from PySide6.QtCore import Qt

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import units
from tests.ui.helpers import select_row, type_text


def _training_table(window):
    return window.show_records(m.Training)


def test_add_training_through_form(campaign, make_window, qtbot):
    units.create_unit("城关街道", kind="街道/乡镇")
    window = make_window()
    table = _training_table(window)
    form = table.add()
    editors = form.form.editors
    type_text(editors["unit"].widget, "城关")  # completion on part of the name is offered; type all of it
    editors["unit"].widget.setEditText("城关街道")
    editors["category"].widget.setCurrentIndex(editors["category"].widget.findText("以会代训"))
    type_text(editors["title"].widget, "安全生产法宣讲")
    qtbot.keyClicks(editors["participants"].widget, "1.2")
    type_text(editors["participants"].widget, "万")
    qtbot.keyClick(editors["participants"].widget, Qt.Key_Return)  # Enter saves

    assert not form.isVisible()
    rec = m.Training.get()
    assert (rec.unit.name, rec.category, rec.title, rec.participants, rec.sessions) == \
        ("城关街道", "以会代训", "安全生产法宣讲", 12000, 1)
    assert table.table_model.total == 1
    assert "12,000 人次" in table.totals_text()


def test_invalid_value_shows_message_at_field_and_saves_nothing(campaign, make_window, qtbot):
    units.create_unit("城关街道")
    window = make_window()
    form = _training_table(window).add()
    editors = form.form.editors
    editors["unit"].widget.setEditText("城关街道")
    editors["category"].widget.setCurrentIndex(1)
    qtbot.keyClicks(editors["participants"].widget, "abc")
    qtbot.keyClick(editors["participants"].widget, Qt.Key_Return)

    assert form.isVisible()
    assert form.form.error_text("participants") == "不是数字"
    assert m.Training.select().count() == 0

    # A missing required value and an unknown unit are refused the same way.
    editors["participants"].widget.setText("")
    form.save()
    assert form.form.error_text("participants") == "必须填写"
    editors["participants"].widget.setText("30")
    editors["unit"].widget.setEditText("不存在的单位")
    form.save()
    assert "不存在" in form.form.error_text("unit")
    assert form.form.error_text("participants") == ""
    assert m.Training.select().count() == 0

    editors["unit"].widget.setEditText("城关街道")
    assert form.save()
    assert m.Training.select().count() == 1


def test_rule_across_fields_is_shown_at_its_field(campaign, make_window):
    units.create_unit("区应急管理局")
    window = make_window()
    form = window.show_records(m.CampaignAction).add()
    e = form.form.editors
    e["unit"].widget.setEditText("区应急管理局")
    e["action"].widget.setText("打非治违")
    e["industry"].widget.setCurrentIndex(1)
    e["hazards_found"].widget.setText("5")
    e["hazards_rectified"].widget.setText("6")
    assert not form.save()
    assert form.form.error_text("hazards_rectified").startswith("不能大于")
    assert m.CampaignAction.select().count() == 0


def test_escape_cancels_the_form(campaign, make_window, qtbot):
    window = make_window()
    form = window.show_records(m.Instruction).add()
    type_text(form.form.editors["leader"].widget, "李明远")
    qtbot.keyClick(form.form.editors["leader"].widget, Qt.Key_Escape)
    assert not form.isVisible()
    assert m.Instruction.select().count() == 0


def test_edit_record(demo, make_window):
    window = make_window()
    table = window.show_records(m.Material)
    select_row(table, 0)
    record_id = table.selected_ids()[0]
    before = m.Material.get_by_id(record_id)
    form = table.edit()
    assert form.form.editors["quantity"].widget.text() == str(before.quantity)
    assert form.form.editors["cost"].widget.text() == f"{before.cost:.2f}"
    form.form.editors["quantity"].widget.setText("4900")
    form.form.editors["cost"].widget.setText("3.5万")
    assert form.save()
    after = m.Material.get_by_id(record_id)
    assert (after.quantity, after.cost, after.kind, after.unit_id) == (4900, Decimal("35000.00"), before.kind, before.unit_id)
    assert table.table_model.row_values(table.table_model.row_of(record_id))[3] == "4,900"  # grouped on screen, typed plain


def test_nullable_date_can_be_left_blank_and_required_date_cannot(campaign, make_window):
    units.create_unit("东湖街道")
    window = make_window()
    form = window.show_records(m.Hazard).add()
    e = form.form.editors
    e["unit"].widget.setEditText("东湖街道")
    e["enterprise"].widget.setText("某某公司")
    e["industry"].widget.setCurrentIndex(1)
    e["description"].widget.setPlainText("消防通道堵塞")
    assert not form.save()
    assert form.form.error_text("found_date") == "必须填写"
    e["found_date"].set_value(campaign.start_date)
    assert form.save()
    hazard = m.Hazard.get()
    assert (hazard.found_date, hazard.deadline, hazard.level, hazard.status) == (campaign.start_date, None, "一般", "待整改")


def test_a_meeting_is_the_regions_own_or_a_units(campaign, make_window, qtbot):
    """组织领导's 填报单位 is optional: blank is the region's own (shown as 本级), a unit's meeting names it."""
    from safetymonth_desktop.services import roster

    street = units.create_unit("城关街道", kind="街道/乡镇")
    window = make_window()
    table = window.show_records(m.Meeting)
    for unit_text, title in (("", "全区部署会"), ("城关街道", "街道部署会")):
        form = table.add()
        editors = form.form.editors
        editors["unit"].widget.setEditText(unit_text)
        editors["kind"].widget.setCurrentIndex(editors["kind"].widget.findText("部署会"))
        type_text(editors["title"].widget, title)
        qtbot.keyClick(editors["title"].widget, Qt.Key_Return)
        assert not form.isVisible()
    own, street_meeting = m.Meeting.select().order_by(m.Meeting.id)
    assert own.unit is None and street_meeting.unit.name == "城关街道"
    assert roster.is_listed(campaign, street.id)  # a unit that reports is on the year's roster
    model = table.table_model
    column = [f.name for f in model.fields].index("unit")
    shown = {model.data(model.index(r, column)) for r in range(model.rowCount())}
    assert shown == {"本级", "城关街道"}
