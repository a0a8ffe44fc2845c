import pytest

from safetymonth_desktop.base.errors import ValidationError
from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import history, records, units


def test_spellings_are_one_unit(db):
    unit = units.create_unit("城关镇（街道）")
    assert unit.name == "城关镇(街道)"
    for spelling in ["城关镇(街道)", " 城关镇 （街道） ", "城关镇（ 街道）", "城关镇\u3000(街道)"]:
        assert units.find_unit(spelling).id == unit.id
    with pytest.raises(ValidationError, match="已有同名单位"):
        units.create_unit("城关镇(街道)")


def test_rename_keeps_old_name_as_alias(db):
    unit = units.create_unit("区安监局", kind="区级部门")
    units.update_unit(unit.id, name="区应急管理局")
    assert units.find_unit("区安监局").id == unit.id
    assert units.find_unit("区应急管理局").name == "区应急管理局"


def test_merge_moves_every_record(campaign):
    keep = units.create_unit("东湖街道", kind="街道/乡镇")
    drop = units.create_unit("东湖街道办事处", kind="街道/乡镇")
    records.create(m.Training, campaign, {"unit": drop.id, "category": "以会代训", "participants": 10})
    records.create(m.Training, campaign, {"unit": keep.id, "category": "以会代训", "participants": 5})
    records.create(m.Inspection, campaign, {"kind": "暗访", "target": drop.id})
    units.merge_units(keep.id, drop.id)
    assert m.Training.select().where(m.Training.unit == keep).count() == 2
    assert m.Inspection.get().target_id == keep.id
    assert m.Unit.get_or_none(m.Unit.id == drop.id) is None
    assert units.find_unit("东湖街道办事处").id == keep.id


def test_unit_with_records_cannot_be_deleted(campaign):
    unit = units.create_unit("西山街道")
    records.create(m.Training, campaign, {"unit": unit.id, "category": "以会代训", "participants": 10})
    with pytest.raises(ValidationError, match="不能删除"):
        units.delete_unit(unit.id)


def test_alias_conflicts(db):
    a = units.create_unit("甲单位")
    b = units.create_unit("乙单位")
    units.add_alias(a.id, "甲")
    assert units.find_unit("甲").id == a.id
    with pytest.raises(ValidationError, match="已属于单位"):
        units.add_alias(b.id, "甲")


def test_undo_and_redo_through_history(campaign):
    unit = units.create_unit("北城街道")
    with history.change_group() as group:
        record = records.create(m.Training, campaign, {"unit": unit.id, "category": "以会代训", "participants": 10})
    records_count = m.Training.select().count
    undo = history.revert_group(group)
    assert records_count() == 0
    history.revert_group(undo)
    assert m.Training.get_by_id(record.id).participants == 10
    with history.change_group() as edit:
        records.update(m.Training, record.id, {"participants": 99})
    history.revert_group(edit)
    assert m.Training.get_by_id(record.id).participants == 10
    records.delete(m.Training, record.id)
    history.restore_record(m.Training, record.id)
    assert m.Training.get_by_id(record.id).participants == 10


def test_merge_can_be_undone_record_by_record(campaign):
    keep = units.create_unit("南苑街道", kind="街道/乡镇")
    drop = units.create_unit("南苑街道办", kind="街道/乡镇")
    units.add_alias(drop.id, "南苑办")
    trainings = [records.create(m.Training, campaign, {"unit": u.id, "category": "以会代训", "participants": 5}).id
                 for u in (drop, drop, keep)]
    records.create(m.Inspection, campaign, {"kind": "暗访", "target": drop.id})
    with history.change_group() as group:
        units.merge_units(keep.id, drop.id)
    assert units.find_unit("南苑办").id == keep.id
    history.revert_group(group)
    assert [m.Training.get_by_id(i).unit_id for i in trainings] == [drop.id, drop.id, keep.id]
    assert m.Inspection.get().target_id == drop.id
    assert units.find_unit("南苑街道办").id == drop.id and units.find_unit("南苑办").id == drop.id


def test_deleted_unit_comes_back_with_its_aliases(db):
    unit = units.create_unit("临时单位")
    units.add_alias(unit.id, "临时")
    with history.change_group() as group:
        units.delete_unit(unit.id)
    assert units.find_unit("临时") is None
    history.revert_group(group)
    assert units.find_unit("临时").id == unit.id


def test_alias_changes_are_in_the_history_and_undo_with_a_rename(db):
    unit = units.create_unit("区安监局", kind="区级部门")
    with history.change_group() as rename:
        units.update_unit(unit.id, name="区应急管理局")
    assert units.find_unit("区安监局").id == unit.id
    history.revert_group(rename)
    assert m.Unit.get_by_id(unit.id).name == "区安监局"
    assert m.UnitAlias.select().count() == 0  # the alias the rename made went with it
    with history.change_group() as added:
        alias = units.add_alias(unit.id, "安监局")
    history.revert_group(added)
    assert units.find_unit("安监局") is None
    alias = units.add_alias(unit.id, "安监局")
    with history.change_group() as removed:
        units.remove_alias(alias.id)
    history.revert_group(removed)
    assert units.find_unit("安监局").id == unit.id
