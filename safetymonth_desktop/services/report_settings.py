"""The summary's own settings as the report uses them, defaults included: 成文日期 (the date the 活动总结 is dated
with, and the day every "截至" and the overdue-hazard count are taken on), 落款机关 (the signing organ's full name)
and 层级 (区县/市/省, inferred from the region's name)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safetymonth_desktop.services import numbers

PAST_YEAR_MONTH_DAY = (7, 10)  # a past year's summary is dated 7月10日 unless the clerk set another day


def level_for_region(region: str) -> str:
    """'市' for a region named …市, '省' for …省, else '区县' (a district or county office)."""
    region = (region or "").strip()
    if region.endswith("市"):
        return "市"
    if region.endswith("省"):
        return "省"
    return "区县"


@dataclass(frozen=True)
class ReportDate:
    date: dt.date
    source: str  # 'set' (the clerk's 成文日期), 'today' (the current year), 'past_default' (7月10日 of a past year)

    @property
    def phrase(self) -> str:
        return numbers.date_phrase(self.date)

    @property
    def explanation(self) -> str:
        """How the date was chosen, in the clerk's words."""
        if self.source == "set":
            return f"成文日期为年度设置中填写的 {self.phrase}"
        if self.source == "today":
            return f"未设置成文日期,按今天 {self.phrase} 成文"
        return (f"{self.date.year} 年度未设置成文日期,按默认的 {self.phrase} 成文"
                "(“截至”日期和逾期隐患也按这一天统计);如需其他日期,请在年度设置中填写成文日期")


def report_date(campaign, *, today: dt.date | None = None) -> ReportDate:
    """The 成文日期 of `campaign`'s summary: the setting when filled; otherwise today for the current year (or a
    later one), 7月10日 of the campaign year for a past year."""
    if campaign.report_date is not None:
        return ReportDate(campaign.report_date, "set")
    today = today or dt.date.today()
    if campaign.year >= today.year:
        return ReportDate(today, "today")
    return ReportDate(dt.date(campaign.year, *PAST_YEAR_MONTH_DAY), "past_default")


def signer(campaign) -> str:
    """The 落款机关 as signed: the setting, else the region followed by the organizer (城南区 + 区政府安委会 →
    城南区政府安委会: the region is not doubled when the organizer already names it or its 区/县 level), else ''."""
    if campaign.signer.strip():
        return campaign.signer.strip()
    region, organizer = campaign.region.strip(), campaign.organizer.strip()
    if not organizer:
        return ""
    if not region or organizer.startswith(region):
        return organizer
    # 区政府安委会 under 城南区: '城南' + '区政府安委会' (the level character is shared, not repeated)
    if organizer[0] == region[-1] and organizer[0] in "区县市省州旗盟镇乡":
        return region[:-1] + organizer
    return region + organizer
