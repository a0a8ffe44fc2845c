"""Create, update and delete any record type, validated by the rules of its field declarations.

`clean(model, values)` is the one validation path: the form, the paste, the import and the command line
all go through it, so a value refused in one place is refused everywhere with the same message. Writes
happen inside one transaction and are logged in the change history.

At a city (province), the records a sub-region's 上报数据包 brought (services/rollup.py) are read-only: changing one
by hand would make the sub-region's figures differ from the 汇总 it handed up, so `update` and `delete` refuse them
(`from_packages` tells which they are, for the GUI to say so before trying), and no record of the city's own can
name a sub-region, or one of its units, as its 填报单位. The city's own records are edited as everywhere.
"""

from __future__ import annotations

import datetime as dt

import peewee as pw

from safetymonth_desktop.base.errors import NotFoundError, ValidationError
from safetymonth_desktop.db.connection import database
from safetymonth_desktop.db.models import Campaign, ImportBatch, Note, SubRegionPackage, Unit, user_fields
from safetymonth_desktop.services import history, roster, rules, units
from safetymonth_desktop.services.coerce import CoercionError, coerce, is_blank

# Dates outside these bounds are typing mistakes (e.g. 2201 for 2021).
MIN_DATE = dt.date(2000, 1, 1)
MAX_DATE = dt.date(2099, 12, 31)
MAX_CHARS = 255
MAX_TEXT = 20000


def is_required(field: pw.Field) -> bool:
    """A field the clerk must fill: not nullable and without a default."""
    return not field.null and field.default is None


def resolve_unit(value) -> Unit | None:
    """A unit given as an id, a Unit or a name (matched through normalisation and aliases)."""
    if isinstance(value, Unit):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Unit.get_or_none(Unit.id == value)
    if is_blank(value):
        return None
    return units.find_unit(value)


def clean_value(field: pw.Field, value, *, year: int | None = None):
    """One field's value, coerced and checked on its own; raises ValidationError naming the field. `year` (the
    campaign's) completes a date written as month and day only."""
    label = field.verbose_name or field.name
    if isinstance(field, pw.ForeignKeyField):
        unit = resolve_unit(value)
        if unit is None and not is_blank(value):
            raise ValidationError(field.name, f"单位“{value}”不存在,请先在“单位管理”中添加,或在导入时选择自动创建单位",
                                  label=label)
        if field.name == "unit" and unit is not None and units.region_of(unit) is not None:
            region = units.region_of(unit)
            whose = "是下级地区" if region.id == unit.id else f"是下级地区{region.name}的单位"
            raise ValidationError(field.name, f"“{unit.name}”{whose},{region.name}的数据只来自其上报数据包,不能在本级录入到"
                                              f"它名下。本级的记录请填写本级的单位" + ("(或留空为本级)" if field.null else "")
                                  + f";{region.name}的数据请让其在上报数据包中报送。", label=label)
        value = unit
    else:
        try:
            value = coerce(field, value, year=year)
        except CoercionError as exc:
            raise ValidationError(field.name, exc.reason, label=label) from None
    if value is None:
        if is_required(field):
            raise ValidationError(field.name, "必须填写", label=label)
        if field.default is not None and not callable(field.default):
            value = field.default
    if isinstance(value, dt.date) and not MIN_DATE <= value <= MAX_DATE:
        raise ValidationError(field.name, "日期超出合理范围(2000年至2099年)", label=label)
    if isinstance(value, str):
        limit = MAX_TEXT if isinstance(field, pw.TextField) else MAX_CHARS
        if len(value) > limit:
            raise ValidationError(field.name, f"内容过长(最多{limit}个字)", label=label)
    return value


def clean(model, values: dict, *, base: dict | None = None, year: int | None = None) -> dict:
    """All user fields of `model` as checked Python values. `base` holds current values for a partial update.
    Every problem is reported at once: each field's error, then each rule the readable fields break (as one
    `ValidationError`, or `ValidationErrors` listing them all). `year` completes dates written without one."""
    cleaned, problems = {}, []
    for field in user_fields(model):
        if field.name in values:
            raw = values[field.name]
        elif base is not None and field.name in base:
            raw = base[field.name]
        else:
            raw = None
        try:
            cleaned[field.name] = clean_value(field, raw, year=year)
        except ValidationError as exc:
            problems.append(exc)
    problems += rules.problems(model, cleaned, skip={p.field for p in problems})
    ValidationError.raise_all(problems)
    return cleaned


def _campaign(campaign) -> Campaign:
    if isinstance(campaign, Campaign):
        return campaign
    found = Campaign.get_or_none(Campaign.id == campaign)
    if found is None:
        raise NotFoundError("活动年度不存在,请先新建年度。")
    return found


def campaign_year(campaign) -> int:
    """The year of a campaign given as a Campaign or its id (dates written as month and day fall in it)."""
    return _campaign(campaign).year


def get(model, record_id: int):
    record = model.get_or_none(model.id == record_id)
    if record is None:
        raise NotFoundError(f"{model._meta.title}记录(编号 {record_id})不存在,可能已被删除。")
    return record


def values_of(record) -> dict:
    """A record's user field values (units as Unit objects), e.g. to fill a form."""
    return {f.name: getattr(record, f.name) for f in user_fields(type(record))}


def create(model, campaign, values: dict):
    """Validate and insert one record of `campaign`; returns it."""
    with database.atomic():
        campaign = _campaign(campaign)
        cleaned = clean(model, values, year=campaign.year)
        record = model.create(campaign=campaign, **cleaned)
        history.log_create(model, record.id)
        _list_reporting_units(model, record.campaign_id, [cleaned])
    return record


def _list_reporting_units(model, campaign_id: int, rows) -> None:
    """A unit that reports in a year is on that year's roster (so `units.reported` never exceeds `units.total`)."""
    if "unit" in model._meta.fields:
        roster.ensure_listed(campaign_id, {row["unit"].id if isinstance(row["unit"], Unit) else row["unit"]
                                           for row in rows if row.get("unit") is not None})


def from_packages(model, record_ids) -> dict[int, str]:
    """Of the records `record_ids`, those a sub-region's 上报数据包 brought → that sub-region's name (read-only): the
    importer's own sub-region whose package to replace or withdraw (a city's, for its district's 组织机构 at a
    province)."""
    ids = sorted(set(record_ids))
    if not ids:
        return {}
    if "sub_region" in model._meta.fields:  # 组织机构 and 补充说明 name their sub-region (schema step 8)
        out = {}
        for rid, uid in sub_regions(model, ids).items():
            unit = Unit.get_by_id(uid)
            out[rid] = (units.region_of(unit) or unit).name
        return out
    if "import_batch" not in model._meta.fields:
        return {}
    out = {}
    for start in range(0, len(ids), 500):
        out.update(model.select(model.id, Unit.name)
                   .join(ImportBatch, on=(model.import_batch == ImportBatch.id))
                   .join(Unit, on=(ImportBatch.unit == Unit.id))
                   .where(model.id.in_(ids[start:start + 500])
                          & ImportBatch.id.in_(SubRegionPackage.select(SubRegionPackage.import_batch)))
                   .tuples())
    return out


def sub_regions(model, record_ids) -> dict[int, int]:
    """Of the 组织机构 or 补充说明 `record_ids`, those of a sub-region → the 下级地区 unit they were filed under
    (a nested sub-region's own, not its city's)."""
    ids = sorted(set(record_ids))
    out = {}
    for start in range(0, len(ids), 500):
        out.update(model.select(model.id, model.sub_region)
                   .where(model.id.in_(ids[start:start + 500]) & model.sub_region.is_null(False)).tuples())
    return out


def read_only_reason(model, region: str) -> str:
    """Why a record of `region`'s package cannot be changed here, and what to do instead."""
    return (f"这条{model._meta.title}记录来自{region}的上报数据包,只能查看,不能在本级修改或删除:改动会使{region}的数字"
            f"与其上报的汇总不符。如数据有误,请让{region}改正后重新生成上报数据包,导入时选择“替换”;"
            f"如要整体去掉,请在“单位管理”中选中{region},点“撤回上报数据…”。")


def _refuse_packaged(model, record_ids) -> None:
    packaged = from_packages(model, record_ids)
    if packaged:
        raise ValidationError("record", read_only_reason(model, next(iter(packaged.values()))), label="记录")


def update(model, record_id: int, values: dict):
    """Change some fields of one record; the others keep their values. Returns the record."""
    with database.atomic():
        record = get(model, record_id)
        _refuse_packaged(model, [record_id])
        before = history.snapshot(model, record_id)
        cleaned = clean(model, values, base=values_of(record), year=_year_of(record))
        for name, value in cleaned.items():
            setattr(record, name, value)
        record.save()
        history.log_update(model, record_id, before)
        _list_reporting_units(model, record.campaign_id, [cleaned])
    return record


def _year_of(record) -> int | None:
    """The campaign year a record belongs to (None for records outside a year, such as units)."""
    campaign_id = getattr(record, "campaign_id", None)
    campaign = Campaign.get_or_none(Campaign.id == campaign_id) if campaign_id is not None else None
    return campaign.year if campaign is not None else None


def delete(model, record_id: int) -> None:
    with database.atomic():
        get(model, record_id)
        _refuse_packaged(model, [record_id])
        before = history.snapshot(model, record_id)
        history.log_dependents(model, "id = ?", (record_id,))  # its photos go too: logged first, undone last
        model.delete().where(model.id == record_id).execute()
        history.log_delete(model, record_id, before)


def delete_many(model, record_ids) -> int:
    """Delete several records as one change group; returns how many were deleted."""
    count = 0
    with history.change_group(), database.atomic():
        for record_id in record_ids:
            delete(model, record_id)
            count += 1
    return count


def create_many(model, campaign, rows: list[dict]):
    """Insert several rows as one change group, all or nothing. Each bad row is reported as
    (index, ValidationError); when any row is bad nothing is written and the list of failures is returned."""
    failures = []
    cleaned_rows = []
    year = _campaign(campaign).year
    for index, values in enumerate(rows):
        try:
            cleaned_rows.append(clean(model, values, year=year))
        except ValidationError as exc:
            failures.append((index, exc))
    if failures:
        return failures
    insert_cleaned(model, campaign, cleaned_rows)
    return []


INSERT_CHUNK = 500  # rows per INSERT statement (well under SQLite's limit on bound values)


def insert_cleaned(model, campaign, cleaned_rows: list[dict], *, progress=None) -> str:
    """Write rows that `clean` has already checked, as one change group in one transaction, numbered from
    `history.next_id` so the whole batch is logged in one statement. Returns the change group."""
    camp = _campaign(campaign)
    with history.change_group() as group, database.atomic():
        first = history.next_id(model)
        for start in range(0, len(cleaned_rows), INSERT_CHUNK):
            chunk = cleaned_rows[start:start + INSERT_CHUNK]
            model.insert_many([{**row, "id": first + start + i, "campaign": camp} for i, row in enumerate(chunk)]).execute()
            if progress is not None:
                progress(start + len(chunk), len(cleaned_rows))
        if cleaned_rows:
            history.log_bulk_create(model, first, first + len(cleaned_rows) - 1)
        _list_reporting_units(model, camp.id, cleaned_rows)
    return group


def notes_for(campaign, section: str | None = None, *, with_sub_regions: bool = False) -> list[Note]:
    """The year's 补充说明: the region's own, or `with_sub_regions` also those its sub-regions' packages brought."""
    query = Note.select().where(Note.campaign == _campaign(campaign))
    if not with_sub_regions:
        query = query.where(Note.sub_region.is_null())
    if section:
        query = query.where(Note.section == section)
    return list(query.order_by(Note.section, Note.order, Note.id))
