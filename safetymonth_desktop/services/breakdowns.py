"""Grouped figures for charts and tables that are not catalogue indicators (the catalogue's keys are a
contract and stay exactly as DATA.md lists them). One SQL query each, like the registry."""

from __future__ import annotations

from decimal import Decimal

import peewee as pw

from safetymonth_desktop.base import vocab
from safetymonth_desktop.db import models as m
from safetymonth_desktop.db.connection import database
from safetymonth_desktop.services import figure_cache, numbers, units


def _cid(campaign) -> int:
    return campaign if isinstance(campaign, int) else campaign.id


def _rank(order):
    index = {k: i for i, k in enumerate(order)}
    return lambda key: (index.get(key, len(index)), key)


def training_by_category(campaign) -> list[tuple[str, int, int]]:
    """(category, sessions, participants), in vocabulary order."""
    rows = database.execute_sql(
        f'SELECT category, COALESCE(SUM(sessions), 0), COALESCE(SUM(participants), 0) FROM "{m.Training._meta.table_name}" '
        "WHERE campaign_id = ? GROUP BY category", (_cid(campaign),)).fetchall()
    rank = _rank(vocab.TRAINING_CATEGORIES)
    return sorted(((c, int(s), int(p)) for c, s, p in rows), key=lambda r: rank(r[0]))


def training_by_category_and_unit(campaign) -> list[tuple[str, str, int, int]]:
    """(category, organizing unit's name, sessions, participants) per category and unit: categories in
    vocabulary order, the units of one category in the order they were added (unit id)."""
    rows = (m.Training.select(m.Training.category, m.Unit.id,
                              pw.fn.COALESCE(pw.fn.SUM(m.Training.sessions), 0),
                              pw.fn.COALESCE(pw.fn.SUM(m.Training.participants), 0))
            .join(m.Unit).where(m.Training.campaign == _cid(campaign))
            .group_by(m.Training.category, m.Unit.id).order_by(m.Unit.id).tuples())
    # roll-up: a sub-region's units count as the sub-region (the summary names districts, not their streets)
    top = top_units()
    folded: dict[tuple[str, int], list[int]] = {}
    for c, uid, s, p in rows:
        acc = folded.setdefault((c, top.get(uid, (uid, ""))[0]), [0, 0])
        acc[0] += int(s)
        acc[1] += int(p)
    names = dict(m.Unit.select(m.Unit.id, m.Unit.name).where(m.Unit.id.in_(sorted({u for _c, u in folded}))).tuples())
    index = {c: i for i, c in enumerate(vocab.TRAINING_CATEGORIES)}
    ordered = sorted(folded.items(), key=lambda kv: (index.get(kv[0][0], len(index)), kv[0][1]))
    return [(c, names[u], s, p) for (c, u), (s, p) in ordered]


def top_units() -> dict[int, tuple[int, str]]:
    """Each unit of a sub-region (roll-up: Unit.parent) → (id, name) of the importer's own unit it is under."""
    rows = {uid: parent for uid, parent in m.Unit.select(m.Unit.id, m.Unit.parent).tuples()}
    out = {}
    for uid, parent in rows.items():
        if parent is None:
            continue
        topmost = uid
        while rows.get(topmost) is not None:
            topmost = rows[topmost]
        out[uid] = (topmost, "")
    return out


def material_cost_by_kind(campaign) -> list[tuple[str, Decimal]]:
    """(kind, money spent in 万元) for each kind of material with a cost, in vocabulary order."""
    rows = database.execute_sql(
        f'SELECT kind, SUM(cost) FROM "{m.Material._meta.table_name}" WHERE campaign_id = ? AND cost > 0 '
        "GROUP BY kind", (_cid(campaign),)).fetchall()
    rank = _rank(vocab.MATERIAL_KINDS)
    return sorted(((k, numbers.money_wan(c)) for k, c in rows if c), key=lambda r: rank(r[0]))


def media_by_channel_and_outlet(campaign) -> list[tuple[str, str, int]]:
    """(channel, outlet as entered, items) per channel and outlet: channels in vocabulary order, the outlets
    of one channel with the most items first."""
    rows = (m.Media.select(m.Media.channel, m.Media.outlet, pw.fn.COALESCE(pw.fn.SUM(m.Media.items), 0))
            .where(m.Media.campaign == _cid(campaign)).group_by(m.Media.channel, m.Media.outlet)
            .order_by(m.Media.channel, m.Media.outlet).tuples())
    index = {c: i for i, c in enumerate(vocab.MEDIA_CHANNELS)}
    return sorted(((c, o, int(n)) for c, o, n in rows), key=lambda r: (index.get(r[0], len(index)), -r[2]))


def records_per_unit(campaign) -> list[tuple[int, str, int]]:
    """(unit id, unit name, number of records reported) for every unit with at least one record, most first; a name
    shared by two sub-regions' units qualified with the region (services.units.display_names)."""
    union = " UNION ALL ".join(
        f'SELECT unit_id FROM "{model._meta.table_name}" WHERE campaign_id = :c' for model in m.UNIT_RECORD_MODELS)
    rows = database.execute_sql(
        f'SELECT u.id, u.name, COUNT(*) FROM ({union}) r JOIN "{m.Unit._meta.table_name}" u ON u.id = r.unit_id '
        "GROUP BY u.id ORDER BY COUNT(*) DESC, u.name", {"c": _cid(campaign)}).fetchall()
    shown = units.display_names()
    return [(int(i), shown.get(int(i), n), int(c)) for i, n, c in rows]


def record_counts(campaign) -> dict[type, int]:
    """How many records of each record type the campaign holds: counted once per change of the data and kept with
    the cached figures (services/figure_cache.py; the tables' own counts, services/listing.py), the rest in one query."""
    cid = _cid(campaign)
    under = figure_cache.stamp()
    counts = figure_cache.lookup_rows((model._meta.table_name for model in m.RECORD_MODELS), cid, under)
    missing = [model._meta.table_name for model in m.RECORD_MODELS if model._meta.table_name not in counts]
    if missing:
        parts = " UNION ALL ".join(f"SELECT '{table}', COUNT(*) FROM \"{table}\" WHERE campaign_id = :c" for table in missing)
        fresh = {table: int(n) for table, n in database.execute_sql(parts, {"c": cid}).fetchall()}
        figure_cache.store_rows(cid, under, fresh)
        counts.update(fresh)
    return {model: int(counts.get(model._meta.table_name, 0)) for model in m.RECORD_MODELS}
