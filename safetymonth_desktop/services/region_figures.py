"""Figures of one sub-region, and every figure as exact, flat values (roll-up, DATA.md "上报数据包").

A year's figures (services/indicators.py) already count every record of the year: the importer's own and every
sub-region's, so a city's figures are the sum over its districts plus its own records, and its rates are
recomputed from those sums. What this module adds:

- `exact(campaign, today=…, scope=None)`: the whole catalogue as one flat dict of exact values — counts as int,
  money as 元 text with two decimals ("12345.60", never rounded to 万元), rates as text with one decimal (or "")
  and one key per breakdown item ("materials.by_kind:宣传挂图", "hazards.by_industry:燃气:found"). This is
  what a 上报数据包's 汇总 carries and what an import compares.
- `scope`: the id of a sub-region unit (kind 下级地区): the same SQL of each indicator, run with every record
  table replaced by that sub-region's records (a unit in its subtree; a 督查 whose 被督查单位 is in its subtree,
  not the sub-region itself — that is the importer inspecting it), copied once (the columns the indicators name)
  into temporary tables of the same names: SQLite resolves an unqualified table name in the temp schema first, so each indicator stays one SQL and is
  not written twice.

`ADDITIVE` are the keys whose value at one level is the sum of the values below it (everything but the rates
and 填报单位/已报送, which count roster entries of each level).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from decimal import Decimal

from safetymonth_desktop.db import models as m
from safetymonth_desktop.db.connection import database
from safetymonth_desktop.services import indicators, numbers

# Compared on import, summed in 分地区汇总: all but the roster counts (each level's own roster).
NOT_COMPARED = ("units.total", "units.reported")


_SCOPE_WITH = ('WITH RECURSIVE _scope(id) AS (SELECT :s UNION ALL '
               'SELECT u.id FROM main."unit" u JOIN _scope ON u.parent_id = _scope.id)')


def _scope_tables() -> list[tuple[str, str, str]]:
    """(table, the columns copied, which of its rows belong to the sub-region :s) for every table an indicator
    reads. Only the columns some indicator's SQL names are copied (any word of the catalogue's SQL that is a
    column's name, and the id): a sub-region's year is tens of thousands of rows, and its descriptions, names and
    notes are no figure's business. An indicator naming a column not copied would fail loudly, never count
    wrong; the catalogue is read when this module is, so a new indicator's columns come with it."""
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", " ".join(ind.sql for ind in indicators.CATALOGUE)))
    parts = []
    for model in [*m.RECORD_MODELS, m.RosterEntry]:
        table = model._meta.table_name
        columns = ", ".join(f'"{f.column_name}"' for f in model._meta.sorted_fields
                            if f.column_name in words or f.primary_key)
        if model is m.Inspection:
            where = "target_id IN (SELECT id FROM _scope WHERE id <> :s)"
        elif model is m.RosterEntry:
            where = "0"
        elif "unit" in model._meta.fields:
            where = "unit_id IN (SELECT id FROM _scope)"
        else:
            where = "0"  # 组织机构: the region's own, never a sub-region's
        parts.append((table, columns, where))
    return parts


_SCOPE_TABLES = _scope_tables()


def _money_text(fen) -> str:
    return f"{(Decimal(int(fen or 0)) / 100).quantize(Decimal('0.01'))}"


def _rate_text(value) -> str:
    return "" if value is None else f"{value:.1f}"


def exact(campaign, *, today: dt.date | None = None, scope: int | None = None) -> dict:
    """Every indicator of `campaign` (a Campaign or its id) as flat exact values, for the whole year or (`scope`)
    for one sub-region's records."""
    cid = campaign if isinstance(campaign, int) else campaign.id
    params = {"c": cid, "today": (today or dt.date.today()).isoformat()}
    if scope is None:
        return _catalogue(params, scope=False)
    with _scoped(scope):
        return _catalogue(params, scope=True)


@contextlib.contextmanager
def _scoped(scope: int):
    """The sub-region's records copied once into temporary tables named like the record tables, which an
    unqualified name in an indicator's SQL finds before the main database's (SQLite looks in temp first). Selected
    through the (unit, campaign) index; a common table expression in each of the 71 queries would instead be
    merged into the query and scan the whole year of a city (a million rows) each time."""
    names = []
    try:
        for table, columns, where in _SCOPE_TABLES:
            database.execute_sql(f'DROP TABLE IF EXISTS temp."{table}"')
            database.execute_sql(f'CREATE TEMP TABLE "{table}" AS {_SCOPE_WITH} SELECT {columns} FROM main."{table}" '
                                 f'WHERE {where}', {"s": scope})
            names.append(table)
        yield
    finally:
        for table in names:
            database.execute_sql(f'DROP TABLE IF EXISTS temp."{table}"')


def _catalogue(params: dict, *, scope: bool) -> dict:
    out: dict = {}
    for ind in indicators.CATALOGUE:
        if scope and ind.key in NOT_COMPARED:
            continue
        sql = ind.sql.strip()
        cursor = database.execute_sql(sql, params)
        if ind.kind == indicators.BREAKDOWN:
            for item, value in sorted(cursor.fetchall(), key=lambda r: str(r[0])):
                out[f"{ind.key}:{item}"] = int(value or 0)
        elif ind.kind == indicators.PAIRS:
            for item, found, rectified in sorted(cursor.fetchall(), key=lambda r: str(r[0])):
                out[f"{ind.key}:{item}:found"] = int(found or 0)
                out[f"{ind.key}:{item}:rectified"] = int(rectified or 0)
        else:
            row = cursor.fetchone()
            if ind.kind == indicators.RATE:
                out[ind.key] = _rate_text(numbers.percent(int(row[0] or 0), int(row[1] or 0)))
            elif ind.kind == indicators.MONEY:
                out[ind.key] = _money_text(row[0])
            else:
                out[ind.key] = int(row[0] or 0)
    return out


def compared(values: dict) -> dict:
    """`values` without the keys an import does not compare (each level's own roster counts)."""
    return {k: v for k, v in values.items() if k.split(":")[0] not in NOT_COMPARED}


def is_additive(key: str) -> bool:
    base = key.split(":")[0]
    return base not in NOT_COMPARED and indicators.REGISTRY[base].kind != indicators.RATE


def add(a, b):
    """The sum of two exact values (ints, or money text)."""
    if isinstance(a, str) or isinstance(b, str):
        return f"{(Decimal(str(a or 0)) + Decimal(str(b or 0))).quantize(Decimal('0.01'))}"
    return (a or 0) + (b or 0)


def differences(expected: dict, actual: dict) -> list[tuple[str, object, object]]:
    """(key, expected, actual) for each compared key whose values differ (a missing breakdown item counts as 0)."""
    keys = sorted(set(compared(expected)) | set(compared(actual)))
    out = []
    for key in keys:
        want, got = expected.get(key), actual.get(key)
        if want is None and isinstance(got, int) and got == 0 or got is None and isinstance(want, int) and want == 0:
            continue
        if _norm(want) != _norm(got):
            out.append((key, want, got))
    return out


def _norm(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def label(key: str) -> str:
    """A flat key in Chinese: '排查隐患(燃气)', '宣传品分类别数量(宣传挂图)'."""
    parts = key.split(":")
    ind = indicators.REGISTRY.get(parts[0])
    name = ind.label if ind else parts[0]
    if len(parts) == 3:
        return f"{'排查隐患' if parts[2] == 'found' else '已整改隐患'}({parts[1]})"
    if len(parts) == 2:
        return f"{name}({parts[1]})"
    return name
