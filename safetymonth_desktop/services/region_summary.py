"""分地区汇总: one row per sub-region whose 上报数据包 was imported, the region's own records (本级) and a 合计 row
equal to the year's figures (the statistics workbook's sheet; the city's summary reads it too).

Each row holds the catalogue's scalar figures computed for that sub-region (services/region_figures.py): counts
and money exactly (money in 元), the rate recomputed from the row's own sums. 本级 is the year's figures less the
sub-regions' (what the importer itself recorded), so the rows add up to 合计 column by column.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from safetymonth_desktop.services import indicators, numbers, region_figures, rollup

OWN, TOTAL = "本级", "合计"


def columns() -> list[tuple[str, str, str]]:
    """(key, header, kind) of the figures shown: every scalar indicator but the roster counts."""
    out = []
    for ind in indicators.CATALOGUE:
        if ind.kind not in (indicators.COUNT, indicators.MONEY, indicators.RATE) or ind.key in region_figures.NOT_COMPARED:
            continue
        measure = "元" if ind.kind == indicators.MONEY else ind.measure
        out.append((ind.key, f"{ind.label}({measure})", ind.kind))
    return out


HEADERS_LEAD = ("地区", "层级", "上报时间")


def headers() -> list[str]:
    return [*HEADERS_LEAD, *(header for _k, header, _kind in columns())]


def _value(values: dict, key: str, kind: str):
    value = values.get(key, 0)
    if kind == indicators.MONEY:
        return Decimal(str(value or "0"))
    if kind == indicators.RATE:
        return None if value in ("", None) else float(value)
    return int(value or 0)


def _rate(values: dict) -> str:
    rate = numbers.percent(int(values.get("hazards.rectified") or 0), int(values.get("hazards.found") or 0))
    return "" if rate is None else f"{rate:.1f}"


def region_rows(campaign, *, today: dt.date | None = None) -> list[dict]:
    """[{'name', 'level', 'when', 'values': flat exact values}] per sub-region, then 本级, then 合计; [] when the
    year has no sub-region."""
    packages = rollup.packages(campaign)
    if not packages:
        return []
    today = indicators.as_of(campaign, today)  # the day every other figure of the year is counted on
    total = region_figures.exact(campaign, today=today)
    rows, summed = [], {}
    for p in packages:
        values = region_figures.exact(campaign, today=today, scope=p.unit_id)
        rows.append({"name": p.unit.name, "level": p.level, "when": p.imported_at, "values": values})
        for key, value in values.items():
            if region_figures.is_additive(key):
                summed[key] = region_figures.add(summed.get(key, 0 if isinstance(value, int) else "0.00"), value)
    own = {}
    for key, value in total.items():
        if region_figures.is_additive(key):
            below = summed.get(key, 0 if isinstance(value, int) else "0.00")
            own[key] = (value - below) if isinstance(value, int) else f"{Decimal(value) - Decimal(below):.2f}"
    own["hazards.rate"] = _rate(own)
    rows.append({"name": OWN, "level": campaign.level, "when": None, "values": own})
    rows.append({"name": TOTAL, "level": "", "when": None, "values": total})
    return rows


def table(campaign, *, today: dt.date | None = None) -> list[list]:
    """The sheet's rows (after the header): values in the columns' order."""
    cols = columns()
    out = []
    for row in region_rows(campaign, today=today):
        when = row["when"].strftime("%Y-%m-%d %H:%M") if row["when"] else None
        out.append([row["name"], row["level"] or None, when,
                    *(_value(row["values"], key, kind) for key, _h, kind in cols)])
    return out
