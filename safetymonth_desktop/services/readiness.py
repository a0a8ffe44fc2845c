"""What the 活动总结 will lack, said before it is exported: ONE list, shown by the overview checklist
(services/overview.py) and printed by `safetymonth report` (as 提示 lines on stderr).

- a year without any record (`is_empty`): `report` refuses it unless a plain draft is asked for;
- no 地区名称 (the title and the 落款 lose the region), no 主办单位/落款机关 (no signing organ), no 下一步工作;
- record types without records (their part of the summary is left out);
- a past year without 成文日期: the summary is dated 7月10日 of that year, and its "截至" and overdue count too.

Each item says where it can be fixed (`model`: Campaign → 年度设置, a record type → its table)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import breakdowns, report_settings


@dataclass
class CheckItem:
    """One line of the completeness checklist. `model` and `filter` say where to fix it."""

    rule: str
    severity: str  # 提示 / 注意
    text: str
    model: type | None = None
    filter: dict = field(default_factory=dict)


def is_empty(campaign) -> bool:
    """Whether the year holds no record at all (settings and 补充说明 are not records)."""
    return not any(breakdowns.record_counts(campaign).values())


def empty_year_message(campaign) -> str:
    return (f"{campaign.year} 年度还没有任何记录,生成的总结只会有标题和开头一句,没有任何工作情况。"
            "请先录入或导入各单位的数据。")


def gaps(campaign, *, today: dt.date | None = None) -> list[CheckItem]:
    """Everything the summary of `campaign` will lack, most serious first."""
    counts = breakdowns.record_counts(campaign)
    items = []
    if not any(counts.values()):
        items.append(CheckItem("empty_year", "注意", empty_year_message(campaign)))
    if not campaign.region.strip():
        items.append(CheckItem("no_region", "注意", "未填写地区名称:总结标题和落款中没有地区,正文只能写“本地区”。"
                                                   "请在年度设置中填写地区名称", m.Campaign))
    if not report_settings.signer(campaign):
        items.append(CheckItem("no_signer", "注意", "未填写主办单位或落款机关:总结末尾没有落款机关署名,只有成文日期。"
                                                   "请在年度设置中填写", m.Campaign))
    if not campaign.next_steps.strip():
        items.append(CheckItem("no_next_steps", "提示", "未填写下一步工作:总结将没有“下一步工作打算”一部分。"
                                                       "请在年度设置中填写", m.Campaign))
    dated = report_settings.report_date(campaign, today=today)
    if dated.source == "past_default":
        items.append(CheckItem("report_date_default", "提示", dated.explanation, m.Campaign))
    if any(counts.values()):  # an empty year is said once above, not once per record type
        items += [CheckItem("empty_section", "提示", f"“{model._meta.title}”还没有记录,总结中该部分将省略", model)
                  for model, count in counts.items() if count == 0]
    return sorted(items, key=lambda item: item.severity != "注意")
