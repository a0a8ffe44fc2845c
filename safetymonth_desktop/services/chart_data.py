"""The overview's charts as plain specs (no Qt): title, categories, bar series of one measure (one value axis, no
second axis and no line drawn across categories that have no order), axis title, and where a click on each
category leads. `ui/charts.py` draws a spec on the screen and renders the same spec to a PNG for the Word
report, so the two can never show different pictures. Every value comes from the indicator registry or
`services/breakdowns.py`.

The report's appendix takes the charts about the campaign (`report_charts`), not the one about data entry
(各单位报送记录), which only the overview shows."""

from __future__ import annotations

from dataclasses import dataclass, field

import peewee as pw

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import breakdowns, indicators

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
    bars: tuple[Series, ...]         # every series in the one measure of the value axis
    value_title: str                 # the bars' axis, with its measure: '参训人次', '隐患(处)'
    decimals: int = 0                # decimals of the values (money in 万元: 2)
    horizontal: bool = False         # long category names, or two series whose labels would collide side by side
    note: str = ""                   # a line under the title (e.g. only the top units are shown)
    empty_text: str = "本年度还没有相关记录"  # what the overview says in place of a chart without data
    links: tuple[Link, ...] = ()     # one per category

    @property
    def empty(self) -> bool:
        return not self.categories or not any(v for s in self.bars for v in s.values)

    def link(self, index: int) -> Link | None:
        return self.links[index] if 0 <= index < len(self.links) else None


def training(campaign) -> ChartSpec:
    """People trained by category (one measure: 人次; the sessions are in the statistics table)."""
    rows = [r for r in breakdowns.training_by_category(campaign) if r[2]]
    return ChartSpec(
        "training", f"{campaign.year}年各类培训参训人次", tuple(c for c, _, _ in rows),
        (Series("参训人次", tuple(p for _, _, p in rows)),), "参训人次",
        links=tuple(Link(m.Training, {"category": c}) for c, _, _ in rows))


def materials(campaign) -> ChartSpec:
    """Money spent on each kind of material, in 万元: the one measure every kind shares (their quantities are in
    套, 本, 份, 块, 条 … and cannot stand on one axis)."""
    rows = breakdowns.material_cost_by_kind(campaign)
    empty = "本年度还没有相关记录"
    if not rows and indicators.compute("materials.total", campaign):
        empty = "宣传品记录都没有填写经费(元),本图按经费统计"
    return ChartSpec(
        "materials", f"{campaign.year}年各类宣传品和资料经费投入情况", tuple(k for k, _ in rows),
        (Series("经费", tuple(float(v) for _, v in rows)),), "经费(万元)", decimals=2, empty_text=empty,
        links=tuple(Link(m.Material, {"kind": k}) for k, _ in rows))


def _ledger_industries(campaign) -> set[str]:
    query = (m.Hazard.select(m.Hazard.industry).where(m.Hazard.campaign == campaign)
             .group_by(m.Hazard.industry).tuples())
    return {industry for (industry,) in query}


def hazards(campaign) -> ChartSpec:
    found = {k: v for k, v in indicators.compute("hazards.by_industry", campaign).items() if v["found"]}
    # most hazards first, as the prose names them; 其他 last
    by_industry = dict(sorted(found.items(), key=lambda kv: (kv[0] == "其他", -kv[1]["found"])))
    ledger = _ledger_industries(campaign) if by_industry else set()
    # A click opens the ledger of that industry; an industry reported only as 专项整治 counts opens those.
    links = tuple(Link(m.Hazard if k in ledger else m.CampaignAction, {"industry": k}) for k in by_industry)
    # Across: two bars a category, each with its figure at its end, never side by side ('117117').
    return ChartSpec(
        "hazards", f"{campaign.year}年分行业领域隐患排查整改情况", tuple(by_industry),
        (Series("排查隐患", tuple(v["found"] for v in by_industry.values())),
         Series("已整改", tuple(v["rectified"] for v in by_industry.values()))), "隐患(处)", horizontal=True,
        links=links)


def units(campaign) -> ChartSpec:
    rows = breakdowns.records_per_unit(campaign)
    shown = rows[:UNITS_SHOWN]
    note = f"共 {len(rows)} 个单位报送，图中为报送最多的 {UNITS_SHOWN} 个" if len(rows) > UNITS_SHOWN else ""
    return ChartSpec(
        "units", f"{campaign.year}年各单位报送记录情况", tuple(name for _, name, _ in shown),
        (Series("记录条数", tuple(n for _, _, n in shown)),), "记录(条)", horizontal=True, note=note,
        links=tuple(Link(None, {"unit_id": uid}) for uid, _, _ in shown))


CHARTS = (training, materials, hazards, units)
REPORT_CHARTS = ("training", "materials", "hazards")  # not 各单位报送记录: data entry is no part of a summary


def all_charts(campaign) -> list[ChartSpec]:
    """Every chart of the overview, in its order (empty ones included: the screen says there is no data)."""
    return [make(campaign) for make in CHARTS]


def report_charts(campaign) -> list[ChartSpec]:
    """The charts of the report's appendix: those about the campaign with at least two categories to compare
    (a single bar says nothing the statistics table does not). Only those charts are computed: 各单位报送记录
    counts every record of the year by unit (a second of a million-record report, for a chart left out)."""
    return [spec for spec in (make(campaign) for make in CHARTS if make.__name__ in REPORT_CHARTS)
            if spec.key in REPORT_CHARTS and not spec.empty and len(spec.categories) > 1]


def unit_record_models(unit_id: int, campaign) -> list[type]:
    """The record types in which a unit has records this year, in report order (where a unit's bar leads)."""
    out = []
    for model in m.UNIT_RECORD_MODELS:
        if model.select(pw.fn.COUNT(model.id)).where((model.campaign == campaign) & (model.unit == unit_id)).scalar():
            out.append(model)
    return out
