"""The per-year roster (报送单位名单, DATA.md "Roster"): which units are expected to report in a campaign year.

`units.total` is the size of a year's roster and `units.reported` counts its units with a record that year, so the
roster is what keeps one year's figures from moving when units are created for another. A new year starts from the
roster of the year before it (`copy_from`); a unit created while working on a year joins that year only; a unit that
reports in a year (a record is written for it) is on that year's roster. A unit is taken off a year's roster only
while it has no record in that year, and that never touches the unit itself or any other year. Every change is in
the change history, so undo puts the roster back with the rest of an action.
"""

from __future__ import annotations

import peewee as pw

from safetymonth_desktop.base.errors import NotFoundError, ValidationError
from safetymonth_desktop.db.connection import database
from safetymonth_desktop.db.models import Campaign, RosterEntry, SubRegionPackage, UNIT_RECORD_MODELS, Unit
from safetymonth_desktop.services import history


def _cid(campaign) -> int:
    return campaign if isinstance(campaign, int) else campaign.id


def unit_ids(campaign) -> set[int]:
    """The ids of the units on the year's roster."""
    return {uid for (uid,) in RosterEntry.select(RosterEntry.unit).where(RosterEntry.campaign == _cid(campaign)).tuples()}


def units(campaign) -> list[Unit]:
    """The year's roster as units, by kind then name."""
    return list(Unit.select().join(RosterEntry, on=(RosterEntry.unit == Unit.id))
                .where(RosterEntry.campaign == _cid(campaign)).order_by(Unit.kind, Unit.name))


def size(campaign) -> int:
    return RosterEntry.select().where(RosterEntry.campaign == _cid(campaign)).count()


def is_listed(campaign, unit_id: int) -> bool:
    return RosterEntry.select().where((RosterEntry.campaign == _cid(campaign)) & (RosterEntry.unit == unit_id)).exists()


def years_of(unit_id: int) -> list[int]:
    """The years on whose roster the unit is, oldest first."""
    return [y for (y,) in Campaign.select(Campaign.year).join(RosterEntry, on=(RosterEntry.campaign == Campaign.id))
            .where(RosterEntry.unit == unit_id).order_by(Campaign.year).tuples()]


def ensure_listed(campaign, ids) -> list[int]:
    """Put the units `ids` on the year's roster where they are not yet (logged); returns the ids added."""
    cid = _cid(campaign)
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return []
    # A sub-region's own units (imported from its 上报数据包) are never on the roster: the sub-region is.
    wanted -= {uid for (uid,) in Unit.select(Unit.id).where(Unit.id.in_(sorted(wanted)) & Unit.parent.is_null(False))
               .tuples()}
    added = sorted(wanted - unit_ids(cid))
    with database.atomic():
        for uid in added:
            entry = RosterEntry.create(campaign=cid, unit=uid)
            history.log_create(RosterEntry, entry.id)
    return added


def add(campaign, unit_id: int) -> None:
    """Put one unit on the year's roster; refused when it is there already."""
    if Unit.get_or_none(Unit.id == unit_id) is None:
        raise NotFoundError(f"单位(编号 {unit_id})不存在。")
    if is_listed(campaign, unit_id):
        raise ValidationError("unit", "该单位已在本年度报送单位名单中", label="单位")
    ensure_listed(campaign, [unit_id])


def records_in_year(campaign, unit_id: int) -> int:
    """How many records the unit reported in the year (every record type with a 填报单位)."""
    cid = _cid(campaign)
    return sum(model.select(pw.fn.COUNT(model.id)).where((model.campaign == cid) & (model.unit == unit_id)).scalar()
               for model in UNIT_RECORD_MODELS)


def remove(campaign, unit_id: int) -> None:
    """Take a unit off the year's roster (logged). Refused while it has records in that year: its figures count."""
    cid = _cid(campaign)
    entry = RosterEntry.get_or_none((RosterEntry.campaign == cid) & (RosterEntry.unit == unit_id))
    if entry is None:
        raise NotFoundError("该单位不在本年度报送单位名单中。")
    if SubRegionPackage.select().where((SubRegionPackage.campaign == cid) & (SubRegionPackage.unit == unit_id)).exists():
        name = Unit.get_by_id(unit_id).name
        raise ValidationError("unit", f"已导入{name}本年度的上报数据包,它的数字计入本年度,不能移出名单。如要去掉{name}的数据,"
                                      f"请在“单位管理”中选中{name},点“撤回上报数据…”(可以撤销),再移出名单。", label="单位")
    used = records_in_year(cid, unit_id)
    if used:
        name = Unit.get_by_id(unit_id).name
        raise ValidationError("unit", f"单位“{name}”本年度已有 {used} 条记录,不能移出名单;如确属误报,请先删除或改填这些记录。",
                              label="单位")
    with database.atomic():
        before = history.snapshot(RosterEntry, entry.id)
        entry.delete_instance()
        history.log_delete(RosterEntry, entry.id, before)


def copy_from(target, source) -> int:
    """Start the roster of year `target` from year `source`'s (units already listed are kept); returns how many
    units were added."""
    return len(ensure_listed(target, sorted(unit_ids(source))))
