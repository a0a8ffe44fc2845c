"""What each reporting unit reported in a year (分单位汇总): one SQL query, grouped by unit.

Every unit of the year's roster gets a row (units that reported nothing show zeros and 未报送), so the
statistics workbook and the overview can show who is still missing. At a city (province), a sub-region's records are
filed under its own units (services/rollup.py): those units get the rows, named with their region where a name is
shared (services.units.display_names: "城关街道（甲县）"), and the sub-region itself keeps a row only while nothing of
it is listed (未报送, or 已报送 with a package whose records fall in no column here), so the 合计 is the year's.
"""

from __future__ import annotations

from safetymonth_desktop.base import vocab
from safetymonth_desktop.db import models as m
from safetymonth_desktop.db.connection import database
from safetymonth_desktop.services import numbers, units

# (header, SQL expression over the joined aggregates, kind) — kind "money" sums are in 分.
COLUMNS = (
    ("培训(期)", "COALESCE(tr.sessions, 0)", "count"),
    ("培训人次", "COALESCE(tr.participants, 0)", "count"),
    ("宣传品(份/件)", "COALESCE(ma.quantity, 0)", "count"),
    ("宣传经费(万元)", "COALESCE(ma.cost, 0)", "money"),
    ("媒体宣传(条)", "COALESCE(me.items, 0)", "count"),
    ("宣传活动(场)", "COALESCE(ev.n, 0)", "count"),
    ("活动参与人次", "COALESCE(ev.participants, 0)", "count"),
    ("台账隐患(处)", "COALESCE(hz.n, 0)", "count"),
    ("台账已整改(处)", "COALESCE(hz.rectified, 0)", "count"),
    ("专项整治发现隐患(处)", "COALESCE(ac.found, 0)", "count"),
    ("专项整治整改隐患(处)", "COALESCE(ac.rectified, 0)", "count"),
    ("检查单位(家次)", "COALESCE(ac.inspected, 0)", "count"),
    ("罚款(万元)", "COALESCE(ac.fines, 0)", "money"),
    ("记录条数", "COALESCE(tr.n, 0) + COALESCE(ma.n, 0) + COALESCE(me.n, 0) + COALESCE(ev.n, 0)"
                 " + COALESCE(hz.n, 0) + COALESCE(ac.n, 0)", "count"),
)
HEADERS = ("填报单位", "单位类型", "报送情况") + tuple(h for h, _, _ in COLUMNS)


def _t(model) -> str:
    return f'"{model._meta.table_name}"'


def _sql() -> str:
    w = "WHERE campaign_id = :c GROUP BY unit_id"
    joins = {
        "tr": f"SELECT unit_id, COUNT(*) n, SUM(sessions) sessions, SUM(participants) participants FROM {_t(m.Training)} {w}",
        "ma": f"SELECT unit_id, COUNT(*) n, SUM(quantity) quantity, SUM(cost) cost FROM {_t(m.Material)} {w}",
        "me": f"SELECT unit_id, COUNT(*) n, SUM(items) items FROM {_t(m.Media)} {w}",
        "ev": f"SELECT unit_id, COUNT(*) n, SUM(participants) participants FROM {_t(m.Event)} {w}",
        "hz": (f"SELECT unit_id, COUNT(*) n, SUM(status = '{vocab.RECTIFIED}') rectified FROM {_t(m.Hazard)} {w}"),
        "ac": (f"SELECT unit_id, COUNT(*) n, SUM(hazards_found) found, SUM(hazards_rectified) rectified,"
               f" SUM(inspected) inspected, SUM(fines) fines FROM {_t(m.CampaignAction)} {w}"),
    }
    select = ", ".join(expr for _, expr, _ in COLUMNS)
    join_sql = " ".join(f"LEFT JOIN ({sql}) {alias} ON {alias}.unit_id = u.id" for alias, sql in joins.items())
    roster = f"LEFT JOIN {_t(m.RosterEntry)} roster ON roster.unit_id = u.id AND roster.campaign_id = :c"
    # the roster's units, and the units under a sub-region that have records in the year
    listed = f"roster.id IS NOT NULL OR (u.parent_id IS NOT NULL AND ({COLUMNS[-1][1]}) > 0)"
    return (f"SELECT u.id, u.parent_id, u.kind, roster.id IS NOT NULL, {select} FROM {_t(m.Unit)} u {roster} {join_sql} "
            f"WHERE {listed}")


def unit_rows(campaign) -> list[tuple]:
    """One row per unit on the year's roster (at a city: a sub-region's units that reported in its stead), in HEADERS
    order: reporting units first, then the others by kind and name."""
    cid = campaign if isinstance(campaign, int) else campaign.id
    rank = {k: i for i, k in enumerate(vocab.UNIT_KINDS)}
    found = database.execute_sql(_sql(), {"c": cid}).fetchall()
    parents = dict(m.Unit.select(m.Unit.id, m.Unit.parent).where(m.Unit.parent.is_null(False)).tuples())

    def root(uid):
        while uid in parents:
            uid = parents[uid]
        return uid

    shown_below = {root(uid) for uid, parent, *_rest in found if parent is not None}
    handed_up = {uid for (uid,) in m.SubRegionPackage.select(m.SubRegionPackage.unit)
                 .where(m.SubRegionPackage.campaign == cid).tuples()}
    names = units.display_names()
    out = []
    for uid, _parent, kind, _listed, *values in found:
        shown = [numbers.money_wan(v) if k == "money" else int(v or 0) for (_, _, k), v in zip(COLUMNS, values)]
        if kind == vocab.SUB_REGION and uid in shown_below and not shown[-1]:
            continue  # its units have the rows
        status = "已报送" if shown[-1] or uid in handed_up else "未报送"
        out.append((names[uid], kind, status, *shown))
    out.sort(key=lambda r: (r[2] != "已报送", rank.get(r[1], 99), r[0]))
    return out
