"""The overview's charts as plain specs (no Qt): title, categories, bar series, an optional line series on a
second axis, axis titles, and where a click on each category leads. `ui/charts.py` draws a spec on the
screen and renders the same spec to a PNG for the Word report, so the two can never show different
pictures. Every value comes from the indicator registry or `services/breakdowns.py`."""

from __future__ import annotations

from dataclasses import dataclass, field

import peewee as pw

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import breakdowns, indicators, numbers

UNITS_SHOWN = 15  # the per-unit chart names the units that reported most; more would not be readable


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple  # one number (or None) per category


@dataclass(frozen=True)
class Link:
    """Where a click on a category leads: the table of `model` (None: every table with a reporting unit,
    showing the first that has rows) narrowed by `filters` (services.listing)."""

    model: type | None
    filters: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str
    categories: tuple[str, ...]
    bars: tuple[Series, ...]
    value_title: str                 # the bars' axis
    line: Series | None = None       # drawn over the bars against a second axis
    line_title: str = ""
    line_suffix: str = ""            # after each point's value: '%' (then the second axis shows 0–100%), '期'…
    horizontal: bool = False         # long category names (units) read better across
    note: str = ""                   # a line under the title (e.g. only the top units are shown)
    links: tuple[Link, ...] = ()     # one per category

    @property
    def empty(self) -> bool:
        return not self.categories or not any(v for s in self.bars for v in s.values)

    def link(self, index: int) -> Link | None:
        return self.links[index] if 0 <= index < len(self.links) else None


def training(campaign) -> ChartSpec:
    rows = breakdowns.training_by_category(campaign)
    return ChartSpec(
        "training", f"{campaign.year}年各类培训举办情况", tuple(c for c, _, _ in rows),
        (Series("参训人次", tuple(p for _, _, p in rows)),), "参训人次",
        line=Series("期(场)数", tuple(s for _, s, _ in rows)), line_title="期(场)数", line_suffix="期",
        links=tuple(Link(m.Training, {"category": c}) for c, _, _ in rows))


def materials(campaign) -> ChartSpec:
    by_kind = {k: v for k, v in indicators.compute("materials.by_kind", campaign).items() if v}
    return ChartSpec(
        "materials", f"{campaign.year}年宣传品和资料发放情况", tuple(by_kind), (Series("数量", tuple(by_kind.values())),),
        "数量(按各类别的计量单位)", links=tuple(Link(m.Material, {"kind": k}) for k in by_kind))


def _ledger_industries(campaign) -> set[str]:
    query = (m.Hazard.select(m.Hazard.industry).where(m.Hazard.campaign == campaign)
             .group_by(m.Hazard.industry).tuples())
    return {industry for (industry,) in query}


def hazards(campaign) -> ChartSpec:
    by_industry = {k: v for k, v in indicators.compute("hazards.by_industry", campaign).items() if v["found"]}
    ledger = _ledger_industries(campaign) if by_industry else set()
    # A click opens the ledger of that industry; an industry reported only as 专项整治 counts opens those.
    links = tuple(Link(m.Hazard if k in ledger else m.CampaignAction, {"industry": k}) for k in by_industry)
    return ChartSpec(
        "hazards", f"{campaign.year}年分行业领域隐患排查整改情况", tuple(by_industry),
        (Series("排查隐患", tuple(v["found"] for v in by_industry.values())),
         Series("已整改", tuple(v["rectified"] for v in by_industry.values()))), "隐患(处)",
        line=Series("整改率", tuple(numbers.percent(v["rectified"], v["found"]) for v in by_industry.values())),
        line_title="整改率(%)", line_suffix="%", links=links)


def units(campaign) -> ChartSpec:
    rows = breakdowns.records_per_unit(campaign)
    shown = rows[:UNITS_SHOWN]
    note = f"共 {len(rows)} 个单位报送，图中为报送最多的 {UNITS_SHOWN} 个" if len(rows) > UNITS_SHOWN else ""
    return ChartSpec(
        "units", f"{campaign.year}年各单位报送记录情况", tuple(name for _, name, _ in shown),
        (Series("记录条数", tuple(n for _, _, n in shown)),), "记录(条)", horizontal=True, note=note,
        links=tuple(Link(None, {"unit_id": uid}) for uid, _, _ in shown))


CHARTS = (training, materials, hazards, units)


def all_charts(campaign) -> list[ChartSpec]:
    """Every chart of the overview, in its order (empty ones included: the screen says there is no data)."""
    return [make(campaign) for make in CHARTS]


def report_charts(campaign) -> list[ChartSpec]:
    """The charts of the report's appendix: those with data."""
    return [spec for spec in all_charts(campaign) if not spec.empty]


def unit_record_models(unit_id: int, campaign) -> list[type]:
    """The record types in which a unit has records this year, in report order (where a unit's bar leads)."""
    out = []
    for model in m.UNIT_RECORD_MODELS:
        if model.select(pw.fn.COUNT(model.id)).where((model.campaign == campaign) & (model.unit == unit_id)).scalar():
            out.append(model)
    return out
