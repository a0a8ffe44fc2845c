"""Paged, searchable, sortable listings of one record type of one campaign year — all done in SQL.

A record table on screen shows a window of a possibly huge table (100 000 hazard rows); it asks a
`Listing` for the row count and for pages of display rows, and changes the search text or the sort
column, and every one of those is one SQL query. A listing can also be narrowed by `filters` (set by the
overview when the clerk clicks a bar or a checklist item): a field name (or its column, e.g. `unit_id`)
equal to a value, or the named conditions `overdue` (hazards past their deadline, not rectified) and
`outside_year` (a date of the record outside the campaign's year). Display rows are tuples of short strings, one per
column of `user_fields(model)`, with the record id first, so a page costs little memory.

A page is read in two steps — the ids of the page (an index walk, joining the unit table only when the
search or the sort reads a unit's name), then the display rows of just those ids, their units' names looked up by
key as services.units.display_names shows them (two districts' 城关街道 told apart; searching a district's name
finds its units' records) — so the last page of a million rows costs ~20 ms instead of ~110 ms of joined rows
skipped by OFFSET (measured).
"""

from __future__ import annotations

import array
import datetime as dt
from decimal import Decimal
from functools import reduce
import operator
import re

import peewee as pw

from safetymonth_desktop.base import vocab
from safetymonth_desktop.base.text import normalise
from safetymonth_desktop.db.fields import MoneyField, is_figure
from safetymonth_desktop.db.models import Campaign, Inspection, UNIT_RECORD_MODELS, Unit, UnitAlias, user_fields
from safetymonth_desktop.services import figure_cache, numbers, units

PAGE_SIZE = 200
OWN_LEVEL = "本级"


def display_value(field: pw.Field, value) -> str:
    """A stored value as the table shows it: dates ISO, figures grouped by thousands and money with two decimals
    (numbers.figure_text), blank for None (a blank optional 填报单位, on 组织领导's records, is the region's own:
    本级)."""
    if value is None:
        return OWN_LEVEL if isinstance(field, pw.ForeignKeyField) and field.null else ""
    if isinstance(value, Unit):
        return value.name
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, Decimal):
        return numbers.money_text(value)
    if isinstance(value, int) and is_figure(field):
        return numbers.figure_text(value)
    return str(value)


_FULL_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$|^(\d{4})(\d{2})(\d{2})$")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_MONTH = re.compile(r"^(\d{1,2})\s*月$")


def date_pattern(term: str) -> str | None:
    """A search term that names a day or a month as a LIKE pattern over ISO dates: '2021-06-16', '2021/6/16',
    '2021年6月16日', '20210616' → '2021-06-16'; '6月16日', '6-16' → '%-06-16'; '2021年6月' → '2021-06-%';
    '6月' → '%-06-%'. None when the term is no date."""
    text = normalise(term).replace(" ", "")
    m = _FULL_DATE.match(text)
    if m:
        y, mo, d = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
        try:
            return dt.date(y, mo, d).isoformat()
        except ValueError:
            return None
    m = _MONTH_DAY.match(text)
    if m and 1 <= int(m.group(1)) <= 12 and 1 <= int(m.group(2)) <= 31:
        return f"%-{int(m.group(1)):02d}-{int(m.group(2)):02d}"
    m = _YEAR_MONTH.match(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-%"
    m = _MONTH.match(text)
    if m and 1 <= int(m.group(1)) <= 12:
        return f"%-{int(m.group(1)):02d}-%"
    return None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Listing:
    """The rows of `model` in campaign `campaign_id`, filtered by `search` and ordered by `sort`."""

    def __init__(self, model, campaign_id: int | None, *, fields: list[pw.Field] | None = None):
        self.model = model
        self.campaign_id = campaign_id
        self.fields = fields if fields is not None else user_fields(model)
        self.search = ""
        self.filters: dict = {}  # see _filter_conditions
        self.sort_index: int | None = None  # index into self.fields; None = entry order
        self.descending = False
        # One aliased Unit per foreign key, so a table could hold two unit columns.
        self._units = {f.name: Unit.alias(f"u_{f.name}") for f in self.fields if isinstance(f, pw.ForeignKeyField)}

    # ---- what the columns are

    def column(self, field: pw.Field):
        """The SQL expression shown in a field's column (a unit's name for a foreign key)."""
        if field.name in self._units:
            return self._units[field.name].name
        return field

    def text_columns(self) -> list:
        """The text columns the search box looks in: text, choices and unit names (and, in `_where`, the dates,
        also by any spelling of a day: `date_pattern`)."""
        cols = []
        for f in self.fields:
            if f.name in self._units or isinstance(f, (pw.CharField, pw.TextField)):
                cols.append(self.column(f))
        return cols

    # ---- the query

    def _needs_units(self) -> bool:
        """Whether the filter or the order reads a unit's name (else the unit table is not joined)."""
        if self.search.split():
            return bool(self._units)
        return self.sort_index is not None and self.fields[self.sort_index].name in self._units

    def _joined(self, query):
        for name, alias in self._units.items():
            fk = self.model._meta.fields[name]
            query = query.join_from(self.model, alias, pw.JOIN.LEFT_OUTER, on=(fk == alias.id))
        return query

    def _base(self, *columns, units: bool = True):
        query = self.model.select(*columns)
        if units:
            query = self._joined(query)
        return query.where(self._where())

    @property
    def entry_order(self) -> bool:
        """Every row of the year in entry order: positions can be counted in the (campaign_id, id) index."""
        return self.sort_index is None and not self.search.split()

    def _where(self):
        conds = []
        if self.campaign_id is not None:
            conds.append(self.model.campaign == self.campaign_id)
        else:
            conds.append(pw.SQL("0"))  # no year chosen: nothing to show
        conds.extend(self._filter_conditions())
        cols = self.text_columns()
        dates = [f for f in self.fields if isinstance(f, pw.DateField)]
        for term in self.search.split():
            pattern = f"%{_escape_like(term)}%"
            matches = [pw.NodeList((c, pw.SQL("LIKE"), pattern, pw.SQL("ESCAPE '\\'"))) for c in cols + dates]
            matches += [self._in_region(name, pattern) for name in self._units]
            day = date_pattern(term) if dates else None
            if day is not None:
                matches += [pw.NodeList((f, pw.SQL("LIKE"), day)) for f in dates]
            conds.append(reduce(operator.or_, matches) if matches else pw.SQL("0"))
        return reduce(operator.and_, conds)

    def _in_region(self, name: str, pattern: str):
        """The records whose unit (field `name`) belongs to a sub-region whose name matches `pattern`: searching
        甲县 finds 城关街道（甲县）'s records, as the table shows the name."""
        fk = self.model._meta.fields[name]
        below = pw.SQL(
            "IN (WITH RECURSIVE t(id) AS (SELECT id FROM \"unit\" WHERE kind = ? AND name LIKE ? ESCAPE '\\' "
            "UNION ALL SELECT u.id FROM \"unit\" u JOIN t ON u.parent_id = t.id) SELECT id FROM t)",
            (vocab.SUB_REGION, pattern))
        return pw.NodeList((fk, below))

    def _filter_field(self, key: str) -> pw.Field:
        fields = self.model._meta.fields
        field = fields.get(key) or next((f for f in fields.values() if f.column_name == key), None)
        if field is None:
            raise KeyError(f"{self.model.__name__} has no field {key!r}")
        return field

    def _filter_conditions(self) -> list:
        conds = []
        for key, value in self.filters.items():
            if key == "overdue":
                m = self.model
                conds.append((m.status != vocab.RECTIFIED) & m.deadline.is_null(False)
                             & (m.deadline < _overdue_as_of(value)))
            elif key == "outside_year":
                year = str(Campaign.get_by_id(self.campaign_id).year) if self.campaign_id is not None else ""
                dates = [f for f in user_fields(self.model) if isinstance(f, pw.DateField)]
                outside = [f.is_null(False) & (pw.fn.substr(f, 1, 4) != year) for f in dates]
                conds.append(reduce(operator.or_, outside) if outside else pw.SQL("0"))
            else:
                conds.append(self._filter_field(key) == value)
        return conds

    def filter_text(self) -> str:
        """The filters as the clerk reads them: '单位名称:甲街道;行业领域:燃气'."""
        parts = []
        for key, value in self.filters.items():
            if key == "overdue":
                as_of = _overdue_as_of(value)
                parts.append("已过整改期限未整改" if as_of == dt.date.today()
                             else f"截至{as_of.year}年{as_of.month}月{as_of.day}日已过整改期限未整改")
            elif key == "outside_year":
                parts.append("日期不在本年度")
            else:
                field = self._filter_field(key)
                if isinstance(field, pw.ForeignKeyField):
                    value = units.display_name(value) or value
                parts.append(f"{field.verbose_name or field.name}:{value}")
        return ";".join(parts)

    def _order(self):
        if self.sort_index is None:
            return [self.model.id.desc() if self.descending else self.model.id]
        col = self.column(self.fields[self.sort_index])
        # Blanks last whichever way, then the entry order so that paging is stable.
        nulls = pw.Case(None, [(col.is_null(), 1)], 0)
        return [nulls, col.desc() if self.descending else col.asc(), self.model.id]

    def count(self) -> int:
        """How many rows are listed. Every row of the year (no search, no filter) is counted once per change of
        the data and kept with the cached figures (services/figure_cache.py): COUNT(*) over a million rows is
        ~40 ms, and every tab opened or refreshed asks."""
        if self.campaign_id is None or self.filters or self.search.split():  # (a sort leaves the count alone)
            return self.counted()
        table = self.model._meta.table_name
        under = figure_cache.stamp()
        count = figure_cache.lookup_rows([table], self.campaign_id, under).get(table)
        if count is None:
            count = self.counted()
            figure_cache.store_rows(self.campaign_id, under, {table: count})
        return count

    def counted(self) -> int:
        """The listed rows counted in SQL now (`count` without the cache)."""
        return self._base(self.model.id, units=self._needs_units()).count()

    def page_ids(self, offset: int, limit: int = PAGE_SIZE, *, total: int | None = None) -> list[int]:
        """The ids of rows offset..offset+limit in display order. With the listing's `total` (its count), a page in
        the second half of entry order is read backwards from the last row: SQLite steps over an OFFSET row by row,
        so the last page of a million rows would walk them all (the jump to the end of the ledger)."""
        query = self._base(self.model.id, units=self._needs_units())
        if total is not None and self.entry_order and offset > total // 2:
            wanted = min(limit, total - offset)
            if wanted <= 0:
                return []
            backwards = self.model.id.asc() if self.descending else self.model.id.desc()
            ids = [r[0] for r in query.order_by(backwards).limit(wanted).offset(max(total - offset - limit, 0)).tuples()]
            return ids[::-1]
        query = query.order_by(*self._order())
        return [r[0] for r in query.limit(limit).offset(offset).tuples()]

    def rows(self, ids) -> list[tuple]:
        """Display rows (id, text of each field …) of the records `ids`, in that order (missing ones left out)."""
        # unit columns as ids, shown by services.units.display_names (a shared name qualified with its region)
        columns = [self.model.id] + [f if f.name in self._units else self.column(f) for f in self.fields]
        ids = list(ids)
        by_id = {}
        raw = []
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            raw.extend(self.model.select(*columns).where(self.model.id.in_(chunk)).tuples())
        unit_columns = [i for i, f in enumerate(self.fields, start=1) if f.name in self._units]
        names = units.display_names({row[i] for row in raw for i in unit_columns}) if unit_columns else {}
        for row in raw:
            values = [row[0]]
            for field, value in zip(self.fields, row[1:]):
                if isinstance(field, MoneyField) and value is not None and not isinstance(value, Decimal):
                    value = field.python_value(value)
                elif field.name in self._units and value is not None:
                    value = names.get(value, "")
                values.append(display_value(field, value))
            by_id[row[0]] = tuple(values)
        return [by_id[i] for i in ids if i in by_id]

    def page(self, offset: int, limit: int = PAGE_SIZE, *, total: int | None = None) -> list[tuple]:
        """Display rows offset..offset+limit: (id, text of each field …); `total` as in `page_ids`."""
        return self.rows(self.page_ids(offset, limit, total=total))

    def ids(self) -> array.array:
        """The ids of every matching row in display order (8 bytes a row: a million rows take 8 MB)."""
        query = self._base(self.model.id, units=self._needs_units()).order_by(*self._order())
        return array.array("q", (r[0] for r in query.tuples().iterator()))

    def position(self, record_id: int) -> int | None:
        """Where record `record_id` is in entry order (see `entry_order`), or None if it is not listed."""
        query = self._base(self.model.id, units=False)
        if not query.where(self.model.id == record_id).exists():
            return None
        before = self.model.id > record_id if self.descending else self.model.id < record_id
        return query.where(before).count()


def unit_rows() -> list[dict]:
    """Every unit with its aliases and how many records (all years) name it, for the unit manager; `name` as shown
    (services.units.display_names: a sub-region's unit sharing a name is qualified with its region)."""
    used: dict[int, int] = {}
    counts = [model.select(model.unit, pw.fn.COUNT(model.id)).group_by(model.unit).tuples()
              for model in UNIT_RECORD_MODELS]
    counts.append(Inspection.select(Inspection.target, pw.fn.COUNT(Inspection.id)).group_by(Inspection.target).tuples())
    for query in counts:
        for unit_id, n in query:
            used[unit_id] = used.get(unit_id, 0) + n
    aliases: dict[int, list[str]] = {}
    for unit_id, alias in UnitAlias.select(UnitAlias.unit, UnitAlias.alias).order_by(UnitAlias.id).tuples():
        aliases.setdefault(unit_id, []).append(alias)
    rows = []
    shown = units.display_names()
    for unit in Unit.select().order_by(Unit.kind, Unit.name):
        rows.append({"id": unit.id, "name": shown[unit.id], "short_name": unit.short_name, "kind": unit.kind, "contact": unit.contact, "phone": unit.phone,
                     "notes": unit.notes, "records": used.get(unit.id, 0), "aliases": aliases.get(unit.id, [])})
    return rows


def _overdue_as_of(value) -> dt.date:
    """The day the `overdue` filter counts from: the ISO date it carries (the summary's 成文日期, as the overview's
    check counted), or today for `True`."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else dt.date.today()
