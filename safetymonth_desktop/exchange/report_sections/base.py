"""What every section of the 活动总结 shares: the year being written (`Year`), the placeholders for how the
region speaks of itself, record queries that attach units from one query (never one per row), and the
plain-data form of a record for templates that word things their own way."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import threading
from dataclasses import dataclass, field
from decimal import Decimal

import peewee as pw

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import numbers
from safetymonth_desktop.services.units import name_key

# Stand for "全区/全县" and "我区/我县" in our sentences until the region's own word is known (report_context).
SCOPE = "\ue000"
SELF = "\ue001"

# The context's per-record lists (every event, action, inspection … as a dict of its fields, for templates that
# word things their own way), by their dotted path in the context. They are most of the context at a million
# records, and the built-in template names none of them: `build_context` builds only those a template names
# (`template_lists.named_lists`). Each sits under dicts only (never inside a list), so a template reaches it by
# a path of constant keys from a context variable, or by using one of the dicts above it whole.
RECORD_LISTS = ("org.instructions", "org.bodies", "org.meetings", "org.documents", "publicity.materials.records",
                "publicity.consult_day.events", "publicity.events", "publicity.drills", "hazards.actions",
                "supervision.inspections")


@dataclass
class Year:
    """The campaign year a summary is written for: its registry figures (`f`), the notable year-on-year
    change phrases by indicator key (`changes`, only those past numbers.NOTABLE_*), the day overdue hazards
    are counted on, the clerk's notes (all sections' text), the purpose/effect clauses already used (so
    none is written twice), and which per-record lists the template names (`lists`, see RECORD_LISTS)."""

    campaign: m.Campaign
    f: dict
    changes: dict = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)
    notes: str = ""
    used: set = field(default_factory=set)
    lists: frozenset | None = None  # the RECORD_LISTS paths to build; None: every one

    def wants(self, path: str) -> bool:
        """Whether the per-record list at `path` (one of RECORD_LISTS) goes into the context."""
        assert path in RECORD_LISTS, path
        return self.lists is None or path in self.lists

    def change(self, key: str) -> str:
        return self.changes.get(key, "")

    def once(self, clause: str, *, unless: str = "") -> str:
        """`clause` the first time it is asked for, '' after (a purpose or effect is never said twice), and ''
        when the clerk's notes already say it (`unless`: a regular expression for the notes, e.g. '隐患得到')."""
        if not clause or clause in self.used or (unless and re.search(unless, self.notes)):
            return ""
        self.used.add(clause)
        return clause


def plain(value):
    """A model value as template data: dates as '2021年6月16日', money as '3.58' (元), None as ''."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return numbers.date_phrase(value)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, m.Unit):
        return value.name
    if isinstance(value, SpokenUnit):
        return value.full_name
    return value


_FIELDS: dict = {}
UNIT, SHAPED, AS_IS = "unit", "shaped", "as is"


def _user_fields(model) -> list[tuple[str, str]]:
    """(name, how its value becomes template data) of the model's user fields, worked out once per model, not once
    per record: a unit reference, a value `plain` shapes (dates, money), or one taken as it is (text, counts)."""
    if model not in _FIELDS:
        _FIELDS[model] = [(f.name, UNIT if isinstance(f, pw.ForeignKeyField) else
                           AS_IS if type(f) in _NATIVE else SHAPED) for f in m.user_fields(model)]
    return _FIELDS[model]


def record_dict(record, model) -> dict:
    """Every user field of a record by its field name (a unit as its name)."""
    out = {}
    for name, how in _user_fields(model):
        value = getattr(record, name)
        if how is AS_IS:
            out[name] = "" if value is None else value
        elif how is UNIT:  # attached by attach_units: no extra query
            out[name] = getattr(value, "full_name", value.name) if value is not None else ""  # blank: 本级
        else:
            out[name] = plain(value)
    return out


def para(key: str, lead: str, text: str) -> dict | None:
    """One paragraph of a section ('' text: no paragraph); its 一是/二是 label is set by enumerate_items."""
    return {"key": key, "lead": lead, "text": text, "enum": ""} if text else None


class Row:
    """One record as the summary reads it: its fields as attributes with their Python values, a reference to
    another record as `<field>_id` (the reporting unit attached by `attach_units` as `<field>`, the campaign as
    `campaign`), and room for what a section works out about it (an event's co-organisers). Not a peewee model:
    building a model instance per row cost more than all the wording of the summary together (profiled at
    1 000 000 records), and nothing here writes or lazily loads anything back."""

    def __repr__(self) -> str:
        return f"Row({self.__dict__!r})"


# Field types whose values SQLite already returns as Python wants them (int, str): no conversion per value.
_NATIVE = frozenset({pw.AutoField, pw.IntegerField, pw.ForeignKeyField, pw.CharField, pw.TextField})
_LAYOUTS: dict = {}


def _layout(model, columns: tuple) -> tuple[tuple, tuple]:
    """(attribute names, converters or None) of a model's selected columns: a reference as `<field>_id`."""
    key = (model, columns)
    if key not in _LAYOUTS:
        fields = [model._meta.columns[c] for c in columns]
        _LAYOUTS[key] = (tuple(f"{f.name}_id" if isinstance(f, pw.ForeignKeyField) else f.name for f in fields),
                         tuple(None if type(f) in _NATIVE else f.python_value for f in fields))
    return _LAYOUTS[key]


def campaign_records(model, campaign, *order) -> list[Row]:
    """The year's records of `model` as Rows, in `order` then by id: one query, values converted only where
    SQLite's own type is not the field's (dates, money, flags)."""
    sql, params = model.select().where(model.campaign == campaign).order_by(*order, model.id).sql()
    cursor = model._meta.database.execute_sql(sql, params)
    names, converters = _layout(model, tuple(d[0] for d in cursor.description))
    plain_columns = all(c is None for c in converters)
    rows = []
    for values in cursor:
        row = Row()
        if not plain_columns:
            values = [v if c is None or v is None else c(v) for c, v in zip(converters, values)]
        row.__dict__.update(zip(names, values))
        row.campaign = campaign  # the year they were read for (the roll-up's wording asks a record for it)
        rows.append(row)
    return rows


@dataclass(frozen=True)
class SpokenUnit:
    """A unit as the summary's prose names it: `name` is its 简称 when the clerk gave one (agencies by their local
    short names), else its full name; `full_name` is the registered name (matching, template data, 本街道 scope)."""

    id: int
    name: str
    kind: str
    full_name: str
    parent_id: int | None = None  # roll-up: the sub-region a unit came with (None: the importer's own)

    @classmethod
    def of(cls, unit: m.Unit) -> "SpokenUnit":
        return cls(unit.id, (unit.short_name or "").strip() or unit.name, unit.kind, unit.name, unit.parent_id)


def spoken(text: str) -> str:
    """A unit named in the clerk's own text (a meeting's host, a document's issuer) by its 简称, when the text is
    exactly a unit's registered name and that unit has one; any other text as it is."""
    if not text:
        return text
    short = _read_once("short_names", lambda: {
        name_key(name): short for name, short in
        m.Unit.select(m.Unit.name, m.Unit.short_name).where(m.Unit.short_name != "").order_by(m.Unit.id.desc()).tuples()})
    found = short.get(name_key(text))
    return (found.strip() or text) if found is not None else text


_READING = threading.local()


@contextlib.contextmanager
def one_reading():
    """While a summary is built: the unit table is read once (names, 简称, who is under whom), not once per record
    or per section that names units. Outside it every call reads afresh."""
    _READING.memo = {}
    try:
        yield
    finally:
        _READING.memo = None


def _read_once(what: str, read):
    memo = getattr(_READING, "memo", None)
    if memo is None:
        return read()
    if what not in memo:
        memo[what] = read()
    return memo[what]


def _spoken_units() -> dict[int, SpokenUnit]:
    return _read_once("spoken_units", _read_spoken_units)


def _read_spoken_units() -> dict[int, SpokenUnit]:
    """Unit id → the unit the summary names: itself, or for a sub-region's unit (roll-up, Unit.parent) the
    importer's own unit it is under (the district in a city's summary), so no section lists a district's streets."""
    units = {u.id: u for u in m.Unit.select()}
    spoken = {}
    for uid, unit in units.items():
        top = unit
        while top.parent_id is not None and top.parent_id in units:
            top = units[top.parent_id]
        spoken[uid] = SpokenUnit.of(top)
    return spoken


def attach_units(records, field_name: str = "unit") -> list:
    """Set each record's unit (a SpokenUnit) from one query of the unit table (no query per row). Cheaper than a
    JOIN: peewee builds a joined row's two model instances at about 1.6× the cost of a plain row (profiled)."""
    units = _spoken_units()
    for r in records:
        _set_unit(r, field_name, units[getattr(r, f"{field_name}_id")])
    return records


def _set_unit(record: Row, field_name: str, unit: SpokenUnit | None) -> None:
    # The row keeps its unit id (<field_name>_id); record.<field_name> is the unit as the summary names it.
    setattr(record, field_name, unit)


def attach_optional_units(records) -> list:
    """Like `attach_units` for records whose 填报单位 may be blank (组织领导: blank = 本级)."""
    if not any(r.unit_id for r in records):
        for r in records:
            r.unit = None
        return records
    units = _spoken_units()
    for r in records:
        _set_unit(r, "unit", units.get(r.unit_id))
    return records


def unit_records(model, campaign, *order):
    """Records with their reporting unit attached (no query per row)."""
    return attach_units(campaign_records(model, campaign, *order))


def date_order(field_):
    return (field_.is_null(), field_)
