"""What the 概览 (overview) shows before the clerk exports: key figures with last year's values and the
change, and a completeness checklist of what is missing or suspicious (including `services.readiness`: what the
summary will lack). Each checklist item says where it
can be fixed (a record type and, where useful, a filter) so the GUI can jump there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from safetymonth_desktop.base import vocab
from safetymonth_desktop.db import models as m
from safetymonth_desktop.db.connection import database
from safetymonth_desktop.services import campaigns, indicators, numbers, readiness, report_settings, units
from safetymonth_desktop.services.readiness import CheckItem

# The figures of the overview panel, in reading order.
KEY_FIGURES = (
    "org.meetings", "org.documents", "training.sessions", "training.participants", "materials.total", "materials.cost",
    "media.items", "events.count", "drills.count", "people.educated", "hazards.found", "hazards.rectified",
    "hazards.rate", "hazards.funding", "enforcement.inspected", "enforcement.fines", "supervision.count",
    "supervision.problems", "units.reported",
)


@dataclass
class Figure:
    key: str
    label: str
    measure: str
    value: object
    previous: object = None  # None when there is no previous year

    @property
    def change(self):
        """Absolute change against the previous year (None when not comparable)."""
        if self.previous is None or self.value is None:
            return None
        return self.value - self.previous

    @property
    def change_percent(self) -> float | None:
        pct = numbers.change_percent(self.value, self.previous)
        return None if pct is None else float(pct)

    @property
    def text(self) -> str:
        return indicators.display(self.key, self.value)

    @property
    def change_text(self) -> str:
        """'+12 (+8.5%)', '−3 (−1.2%)', '持平', or '' without a previous year."""
        change = self.change
        if change is None:
            return ""
        if change == 0:
            return "持平"
        sign = "+" if change > 0 else "−"
        amount = abs(change)
        amount = f"{amount:.1f}" if isinstance(amount, float) else numbers.figure_text(amount)
        unit = "个百分点" if indicators.REGISTRY[self.key].kind == indicators.RATE else ""
        pct = self.change_percent
        pct_text = f"({sign}{abs(pct)}%)" if pct is not None and not unit else ""
        return f"{sign}{amount}{unit}{pct_text}"


def key_figures(campaign, *, today: dt.date | None = None) -> list[Figure]:
    """The panel's figures with the previous campaign year's values (when the database holds one)."""
    current = indicators.compute_all(campaign, today=today)
    prior = campaigns.previous(campaign)
    return figures_from(current, indicators.compute_all(prior, today=today) if prior else None)


def figures_from(current: dict, before: dict | None) -> list[Figure]:
    """The panel's figures from the catalogue's values of the year and of the previous year (None: no such year)."""
    out = []
    for key in KEY_FIGURES:
        ind = indicators.REGISTRY[key]
        out.append(Figure(key, ind.label, ind.measure, current[key], before.get(key) if before is not None else None))
    return out


def _units_without_records(campaign) -> list[CheckItem]:
    """Units on the year's roster without a record this year (未报送). A sub-region whose 上报数据包 was imported has
    handed up, though its records are filed under its own units (services/rollup.py)."""
    union = " UNION ".join(f'SELECT unit_id FROM "{model._meta.table_name}" WHERE campaign_id = ? AND unit_id IS NOT NULL'
                           for model in m.UNIT_RECORD_MODELS)
    packages = f'SELECT unit_id FROM "{m.SubRegionPackage._meta.table_name}" WHERE campaign_id = ?'
    rows = database.execute_sql(
        f'SELECT u.id, u.name FROM "{m.Unit._meta.table_name}" u JOIN "{m.RosterEntry._meta.table_name}" r '
        f'ON r.unit_id = u.id AND r.campaign_id = ? WHERE u.id NOT IN ({union}) AND u.id NOT IN ({packages}) '
        "ORDER BY u.kind, u.name",
        tuple([campaign.id] * (len(m.UNIT_RECORD_MODELS) + 2))).fetchall()
    return [CheckItem("units_silent", "提示", f"单位“{name}”本年度尚未报送任何数据", None, {"unit_id": uid})
            for uid, name in rows]


def _overdue(campaign, today: dt.date) -> list[CheckItem]:
    """Hazards past their deadline as of the summary's 成文日期 (services/report_settings) — the count the summary
    will print, so the overview and the report never give two numbers for one year; the date is said when it is
    not today (a past year is counted as of its 7月10日 or its set date)."""
    as_of = report_settings.report_date(campaign, today=today).date
    count = indicators.compute("hazards.overdue", campaign, today=as_of)
    if not count:
        return []
    when = "" if as_of == today else f"截至{numbers.date_phrase(as_of)},"
    return [CheckItem("overdue", "注意", f"{when}有 {count} 处隐患已过整改期限仍未整改", m.Hazard,
                      {"overdue": as_of.isoformat()})]


def _double_counts(campaign) -> list[CheckItem]:
    h, a, u = m.Hazard._meta.table_name, m.CampaignAction._meta.table_name, m.Unit._meta.table_name
    rows = database.execute_sql(
        f'SELECT DISTINCT u.id, u.name, h.industry FROM "{h}" h JOIN "{a}" a ON a.unit_id = h.unit_id '
        f'AND a.industry = h.industry AND a.campaign_id = h.campaign_id JOIN "{u}" u ON u.id = h.unit_id '
        "WHERE h.campaign_id = ? AND COALESCE(a.hazards_found, 0) > 0 ORDER BY u.name, h.industry",
        (campaign.id,)).fetchall()
    shown = units.display_names({uid for uid, _n, _i in rows}) if rows else {}
    rows = [(uid, shown.get(uid, name), industry) for uid, name, industry in rows]
    return [CheckItem("double_count", "注意",
                      f"“{name}”在“{industry}”领域既有隐患台账又有专项整治的发现隐患数,可能重复统计,请核对",
                      m.CampaignAction, {"unit_id": uid, "industry": industry}) for uid, name, industry in rows]


def _theme_and_ordinal(campaign) -> list[CheckItem]:
    items = []
    expected_ordinal = vocab.ordinal_for_year(campaign.year)
    if campaign.ordinal != expected_ordinal:
        items.append(CheckItem("ordinal", "注意", f"{campaign.year}年应为第{expected_ordinal}个安全生产月,"
                                                 f"当前填写为第{campaign.ordinal}个", m.Campaign))
    theme = vocab.theme_for_year(campaign.year)
    if theme and campaign.theme != theme:
        items.append(CheckItem("theme", "提示", f"活动主题与全国{campaign.year}年主题“{theme}”不一致,请确认", m.Campaign))
    if not theme and not campaign.theme:
        items.append(CheckItem("theme", "注意", "尚未填写活动主题", m.Campaign))
    return items


def _dated_outside_year(campaign) -> list[CheckItem]:
    items = []
    for model in m.RECORD_MODELS:
        dates = [f for f in m.user_fields(model) if isinstance(f, pw.DateField)]
        if not dates:
            continue
        condition = " OR ".join(f"({f.column_name} IS NOT NULL AND substr({f.column_name}, 1, 4) <> ?)" for f in dates)
        count = database.execute_sql(
            f'SELECT COUNT(*) FROM "{model._meta.table_name}" WHERE campaign_id = ? AND ({condition})',
            (campaign.id, *[str(campaign.year)] * len(dates))).fetchone()[0]
        if count:
            items.append(CheckItem("outside_year", "注意", f"“{model._meta.title}”中有 {count} 条记录的日期不在{campaign.year}年",
                                   model, {"outside_year": True}))
    return items


def checklist(campaign, *, today: dt.date | None = None) -> list[CheckItem]:
    """Everything the clerk should look at before exporting, most serious first."""
    today = today or dt.date.today()
    items = (_theme_and_ordinal(campaign) + _overdue(campaign, today) + _double_counts(campaign)
             + _dated_outside_year(campaign) + readiness.gaps(campaign, today=today)
             + _units_without_records(campaign))
    return sorted(items, key=lambda item: item.severity != "注意")


def yoy_phrases(campaign, *, today: dt.date | None = None) -> dict[str, str]:
    """'同比增长x%' phrases for the report, keyed by indicator key; empty without a previous year."""
    phrases = {}
    for f in key_figures(campaign, today=today):
        if f.previous is None or f.value is None:
            continue
        if indicators.REGISTRY[f.key].kind == indicators.RATE:
            phrase = numbers.points_change_phrase(f.value, f.previous)
        else:
            phrase = numbers.change_phrase(f.value, f.previous)
        if phrase:
            phrases[f.key] = phrase
    return phrases
