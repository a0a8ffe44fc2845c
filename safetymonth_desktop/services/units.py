"""Reporting units (填报单位): names normalised so that two spellings never split the figures,
aliases, renaming and merging (which moves every record of one unit onto the other).

Units are shared by all years; which units a year expects is its roster (services/roster.py). A unit created while
working on a year (`campaign=`) joins that year's roster only, so no other year's figures move.

At a city (province), a sub-region (kind 下级地区) and the units its 上报数据包 brought (services/rollup.py) are not
the clerk's to delete or merge one by one — that would make the sub-region's figures differ from what it handed up:
the refusal says what is under it and what to do (withdraw or replace the package). Where two units share a name
(each district's 城关街道), `display_names` is the one way every listing shows them apart."""

from __future__ import annotations

from safetymonth_desktop.db.connection import database
from safetymonth_desktop.db.models import (Body, Campaign, Note, Inspection, Unit, UnitAlias, UNIT_RECORD_MODELS, FileReceipt, ImportBatch,
                                           RosterEntry, SubRegionPackage, TemplateIssue)
from safetymonth_desktop.base import vocab
from safetymonth_desktop.base.errors import NotFoundError, ValidationError
from safetymonth_desktop.base.text import match_key, normalise
from safetymonth_desktop.services import history, roster


def normalise_name(name) -> str:
    """The form a unit name is stored in: trimmed, half-width, single spaces ('城关镇（街道）' → '城关镇(街道)')."""
    return normalise(name)


def name_key(name) -> str:
    """The key units are matched by: the normalised name without spaces, case-folded."""
    return match_key(name)


def find_unit(name) -> Unit | None:
    """The importer's own unit (no parent) called `name` or having it as an alias, or None. A sub-region's units
    (services/rollup.py) are never found here: a unit workbook never files rows under them."""
    key = name_key(name)
    if not key:
        return None
    unit = Unit.get_or_none((Unit.norm == key) & Unit.parent.is_null())
    if unit is None:
        alias = UnitAlias.get_or_none(UnitAlias.norm == key)
        unit = alias.unit if alias else None
    return unit


OWN_LEVEL = "本级"


def display_names(ids=None) -> dict[int, str]:
    """Unit id → the name to show wherever units are listed (tables, pickers, 分单位汇总, 报送进度, search): the name
    itself, or, where two units share it (a city holds each district's 城关街道), qualified with its region —
    "城关街道（甲县）", "城关街道（江北市/城南区）" when the nearest region does not tell them apart, the importer's own
    "城关街道（本级）". With `ids`, only those units (by key; a page of a table costs a few small queries, not a
    walk over every unit); ambiguity is always judged over all units."""
    wanted = Unit.select(Unit.id, Unit.name, Unit.norm, Unit.parent)
    if ids is not None:
        ids = sorted({i for i in ids if i is not None})
        if not ids:
            return {}
        wanted = wanted.where(Unit.id.in_(ids))
    rows = list(wanted.tuples())
    norms = sorted({norm for _i, _n, norm, _p in rows})
    shared: dict[str, list[tuple[int, str, int | None]]] = {}
    if norms:
        clause = "" if ids is None else f"WHERE norm IN ({', '.join('?' for _ in norms)})"
        for uid, name, norm, parent in database.execute_sql(
                f'SELECT id, name, norm, parent_id FROM "unit" WHERE norm IN (SELECT norm FROM "unit" {clause} '
                "GROUP BY norm HAVING COUNT(*) > 1)", () if ids is None else tuple(norms)).fetchall():
            shared.setdefault(norm, []).append((uid, name, parent))
    regions = {}
    if shared:
        regions = {uid: (name, parent) for uid, name, parent in Unit.select(Unit.id, Unit.name, Unit.parent).where(
            Unit.kind == vocab.SUB_REGION).tuples()}

    def chain(parent):
        names = []
        while parent is not None and parent in regions:
            names.append(regions[parent][0])
            parent = regions[parent][1]
        return names[::-1]

    shown = {}
    for uid, name, norm, parent in rows:
        same = shared.get(norm)
        if not same:
            shown[uid] = name
            continue
        near = [(chain(p)[-1:] or [OWN_LEVEL])[0] for _u, _n, p in same]
        mine = (chain(parent)[-1:] or [OWN_LEVEL])[0]
        where = "/".join(chain(parent)) if near.count(mine) > 1 and parent is not None else mine
        shown[uid] = f"{name}（{where}）"
    return shown


def display_name(unit_id: int | None) -> str:
    """One unit's name as `display_names` shows it ('' for none)."""
    return display_names([unit_id]).get(unit_id, "") if unit_id is not None else ""


def get_unit(unit_id: int) -> Unit:
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        raise NotFoundError(f"单位(编号 {unit_id})不存在。")
    return unit


def list_units() -> list[Unit]:
    """The importer's own units (sub-regions included, their units not), by kind and name."""
    return list(Unit.select().where(Unit.parent.is_null()).order_by(Unit.kind, Unit.name))


def _check_name_free(name: str, *, except_unit: int | None = None) -> str:
    display = normalise_name(name)
    if not display:
        raise ValidationError("name", "单位名称不能为空", label="单位名称")
    if len(display) > 100:
        raise ValidationError("name", "单位名称过长(最多100个字)", label="单位名称")
    other = find_unit(display)
    if other is not None and other.id != except_unit:
        raise ValidationError("name", f"已有同名单位“{other.name}”", label="单位名称")
    return display


def _check_kind(kind: str) -> str:
    if kind not in vocab.UNIT_KINDS:
        raise ValidationError("kind", "单位类型不在可选项中(可选:" + "、".join(vocab.UNIT_KINDS) + ")", label="单位类型")
    return kind


def _check_short_name(short_name: str) -> str:
    """A 简称 as the report prints it ('' for none): trimmed, spaces collapsed, at most MAX_SHORT_NAME characters."""
    short = normalise_name(short_name or "")
    if len(short) > MAX_SHORT_NAME:
        raise ValidationError("short_name", f"简称过长(最多{MAX_SHORT_NAME}个字)", label="简称")
    return short


MAX_SHORT_NAME = 30


def create_unit(name: str, *, kind: str = "其他", contact: str = "", phone: str = "", notes: str = "",
                campaign=None, short_name: str = "") -> Unit:
    """Create a unit; with `campaign` (the year in hand) it joins that year's roster, and no other year's."""
    with database.atomic():
        display = _check_name_free(name)
        unit = Unit.create(name=display, short_name=_check_short_name(short_name), norm=name_key(display),
                           kind=_check_kind(kind),
                           contact=normalise(contact), phone=normalise(phone), notes=notes or "")
        history.log_create(Unit, unit.id)
        if campaign is not None:
            roster.ensure_listed(campaign, [unit.id])
    return unit


def ensure_unit(name: str, *, kind: str = "其他", campaign=None) -> Unit:
    """The unit called `name`, created when it does not exist yet; with `campaign`, on that year's roster."""
    unit = find_unit(name)
    if unit is None:
        return create_unit(name, kind=kind, campaign=campaign)
    if campaign is not None:
        roster.ensure_listed(campaign, [unit.id])
    return unit


def update_unit(unit_id: int, *, name: str | None = None, kind: str | None = None,
                contact: str | None = None, phone: str | None = None, notes: str | None = None,
                short_name: str | None = None) -> Unit:
    with history.change_group(), database.atomic():
        unit = get_unit(unit_id)
        before = history.snapshot(Unit, unit.id)
        if name is not None and normalise_name(name) != unit.name:
            old_name = unit.name
            unit.name = _check_name_free(name, except_unit=unit.id)
            unit.norm = name_key(unit.name)
            # The old spelling keeps mapping to this unit on import (logged: undoing the rename removes it).
            if UnitAlias.get_or_none(UnitAlias.norm == name_key(old_name)) is None:
                history.log_create(UnitAlias, UnitAlias.create(unit=unit, alias=old_name, norm=name_key(old_name)).id)
        if short_name is not None:
            unit.short_name = _check_short_name(short_name)
        if kind is not None:
            unit.kind = _check_kind(kind)
        if contact is not None:
            unit.contact = normalise(contact)
        if phone is not None:
            unit.phone = normalise(phone)
        if notes is not None:
            unit.notes = notes
        unit.save()
        history.log_update(Unit, unit.id, before)
    return unit


def add_alias(unit_id: int, alias: str) -> UnitAlias:
    with database.atomic():
        unit = get_unit(unit_id)
        display = normalise_name(alias)
        if not display:
            raise ValidationError("alias", "别名不能为空", label="别名")
        other = find_unit(display)
        if other is not None:
            if other.id == unit.id:
                raise ValidationError("alias", "该名称已指向本单位", label="别名")
            raise ValidationError("alias", f"该名称已属于单位“{other.name}”;如是同一单位请使用“合并”", label="别名")
        alias = UnitAlias.create(unit=unit, alias=display, norm=name_key(display))
        history.log_create(UnitAlias, alias.id)
        return alias


def remove_alias(alias_id: int) -> None:
    with database.atomic():
        before = history.snapshot(UnitAlias, alias_id)
        if before is None:
            raise NotFoundError("该别名不存在,可能已被删除。")
        UnitAlias.delete().where(UnitAlias.id == alias_id).execute()
        history.log_delete(UnitAlias, alias_id, before)


def merge_units(keep_id: int, drop_id: int) -> Unit:
    """Move every record, alias and import of unit `drop_id` onto `keep_id`; the dropped name becomes an alias."""
    if keep_id == drop_id:
        raise ValidationError("unit", "不能把单位与自身合并", label="单位")
    # Every move is logged in one change group, so undo puts each record back on the dropped unit.
    with history.change_group(), database.atomic():
        keep, drop = get_unit(keep_id), get_unit(drop_id)
        for unit in (keep, drop):
            region = region_of(unit)
            if region is not None and (region.id != unit.id or len(subtree(unit.id)) > 1 or SubRegionPackage.select()
                                       .where(SubRegionPackage.unit == unit.id).exists()):
                raise ValidationError("unit", f"“{unit.name}”是下级地区{region.name}的数据(随其上报数据包导入),不能合并:"
                                              f"合并会使{region.name}的数字与其上报的汇总不符。" + _withdraw_advice(region),
                                      label="单位")
        for model in UNIT_RECORD_MODELS:
            history.update_logged(model, {"unit_id": keep.id}, "unit_id = ?", (drop.id,))
        history.update_logged(Inspection, {"target_id": keep.id}, "target_id = ?", (drop.id,))
        history.update_logged(ImportBatch, {"unit_id": keep.id}, "unit_id = ?", (drop.id,))
        # The dropped unit's place on a year's roster passes to the kept unit, once per year.
        both = "unit_id = ? AND campaign_id IN (SELECT campaign_id FROM roster_entry WHERE unit_id = ?)"
        history.log_bulk_delete(RosterEntry, both, (drop.id, keep.id))
        RosterEntry.delete().where((RosterEntry.unit == drop.id) & RosterEntry.campaign.in_(
            RosterEntry.select(RosterEntry.campaign).where(RosterEntry.unit == keep.id))).execute()
        history.update_logged(RosterEntry, {"unit_id": keep.id}, "unit_id = ?", (drop.id,))
        history.update_logged(TemplateIssue, {"unit_id": keep.id}, "unit_id = ?", (drop.id,))
        history.update_logged(FileReceipt, {"unit_id": keep.id}, "unit_id = ?", (drop.id,))
        history.update_logged(UnitAlias, {"unit_id": keep.id}, "unit_id = ?", (drop.id,))
        before = history.snapshot(Unit, drop.id)
        drop_name = drop.name
        drop.delete_instance()
        history.log_delete(Unit, drop_id, before)
        alias = UnitAlias.create(unit=keep, alias=drop_name, norm=name_key(drop_name))
        history.log_create(UnitAlias, alias.id)
    return keep


def subtree(unit_id: int) -> list[int]:
    """The unit and every unit below it (a sub-region's units, and a nested sub-region's)."""
    rows = database.execute_sql(
        'WITH RECURSIVE t(id) AS (SELECT ? UNION ALL SELECT u.id FROM "unit" u JOIN t ON u.parent_id = t.id) '
        "SELECT id FROM t", (unit_id,)).fetchall()
    return [r[0] for r in rows]


def region_of(unit: Unit) -> Unit | None:
    """The importer's own sub-region (kind 下级地区, no parent) a sub-region's unit belongs to; None for own units."""
    while unit.parent_id is not None:
        unit = unit.parent
    return unit if unit.kind == vocab.SUB_REGION else None


def _withdraw_advice(region: Unit) -> str:
    return (f"如要去掉{region.name}的数据,请在“单位管理”中选中“{region.name}”,点“撤回上报数据…”(可以撤销);"
            f"如要换成{region.name}的新数据,直接导入其新的上报数据包并选择“替换”。")


def _check_deletable(unit: Unit) -> None:
    """Refuse (Chinese, saying what is under the unit and what to do) before any foreign key would."""
    region = region_of(unit)
    if region is not None and region.id != unit.id:
        raise ValidationError("unit", f"单位“{unit.name}”属于下级地区“{region.name}”,是随其上报数据包导入的,不能单独删除:"
                                      f"删掉它会使{region.name}的数字与其上报的汇总不符。" + _withdraw_advice(region), label="单位")
    packages = list(SubRegionPackage.select(SubRegionPackage, Campaign.year).join(Campaign)
                    .where(SubRegionPackage.unit == unit.id).order_by(Campaign.year))
    below = subtree(unit.id)
    children = len(below) - 1
    if packages or children:
        years = "、".join(str(p.campaign.year) for p in packages)
        shown = [f"{years} 年度的上报数据包" if packages else "",
                 f"其下 {children} 个单位" if children else "",
                 f"{records_of(below)} 条记录"]
        raise ValidationError("unit", f"“{unit.name}”是下级地区,本软件中存有它的" + "、".join(t for t in shown if t)
                              + ",不能删除。" + _withdraw_advice(unit)
                              + "撤回后如仍要从单位名录中去掉该地区,再点“删除”。", label="单位")
    used = records_of([unit.id])
    if used:
        raise ValidationError("unit", f"单位“{unit.name}”还有 {used} 条记录,不能删除;可将其合并到另一单位。", label="单位")


def records_of(ids: list[int]) -> int:
    """How many records (all years) name one of the units `ids` as 填报单位 or 被督查单位, or as the sub-region whose
    组织机构 or 补充说明 they are."""
    used = sum(m.select().where(m.unit.in_(ids)).count() for m in UNIT_RECORD_MODELS)
    used += sum(m.select().where(m.sub_region.in_(ids)).count() for m in (Body, Note))
    return used + Inspection.select().where(Inspection.target.in_(ids)).count()


def delete_unit(unit_id: int, *, campaign=None) -> None:
    """Delete a unit that has no records (a unit with records must be merged instead) and is on no roster but
    the one of `campaign` (the year in hand): another year's 填报单位 count must not change. A sub-region with its
    package, or a unit that came with one, is refused with what to do instead (services/rollup.withdraw)."""
    with database.atomic():
        unit = get_unit(unit_id)
        _check_deletable(unit)
        own = None if campaign is None else Campaign.get_by_id(campaign if isinstance(campaign, int) else campaign.id).year
        others = [y for y in roster.years_of(unit.id) if y != own]
        if others:
            raise ValidationError("unit", f"单位“{unit.name}”在 {'、'.join(map(str, others))} 年度的报送单位名单中,删除会改变"
                                          "那些年度的填报单位数,不能删除;如本年度不需要该单位,请把它移出本年度名单。", label="单位")
        before = history.snapshot(Unit, unit.id)
        with history.change_group():
            # Children first: undo runs newest first, so the unit is back before its aliases return. What points at
            # the unit without being its record (files received, template problems, import batches) is logged too,
            # so undo gives it back its unit: nothing goes silently.
            history.log_bulk_delete(RosterEntry, "unit_id = ?", (unit_id,))
            RosterEntry.delete().where(RosterEntry.unit == unit_id).execute()
            history.log_bulk_delete(UnitAlias, "unit_id = ?", (unit_id,))
            history.log_bulk_delete(TemplateIssue, "unit_id = ?", (unit_id,))
            TemplateIssue.delete().where(TemplateIssue.unit == unit_id).execute()
            history.update_logged(FileReceipt, {"unit_id": None}, "unit_id = ?", (unit_id,))
            history.update_logged(ImportBatch, {"unit_id": None}, "unit_id = ?", (unit_id,))
            history.log_delete(Unit, unit_id, before)
            unit.delete_instance(recursive=False)
