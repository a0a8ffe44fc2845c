"""The first day of a year: the five steps from an empty year to the exported summary — 名单 → 下发模板 → 收回导入 →
检查 → 导出 — and how far the year has come on each, read from what the database knows (the roster's size, the
templates issued, the files received and imported, the records, the readiness checklist). The overview shows them
as a short path with a button per step (ui/first_day.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import breakdowns, readiness, roster
from safetymonth_desktop.services.submissions import IMPORTED, REPLACED

DONE, NEXT, LATER = "已完成", "下一步", "未开始"
READY = "可以导出"


@dataclass
class Step:
    key: str     # roster / templates / import / check / export
    title: str   # 名单 …
    state: str   # DONE / NEXT / LATER (export: READY when the check has nothing serious left)
    detail: str  # one sentence: what the database says about this step

    @property
    def done(self) -> bool:
        return self.state in (DONE, READY)


def _cid(campaign) -> int:
    return campaign if isinstance(campaign, int) else campaign.id


def steps(campaign, *, today: dt.date | None = None) -> list[Step]:
    """The five steps of `campaign`, in order; the first one not done is NEXT, the rest LATER."""
    cid = _cid(campaign)
    listed = roster.size(cid)
    issued = m.TemplateIssue.select().where(m.TemplateIssue.campaign == cid).count()
    received = m.FileReceipt.select().where(m.FileReceipt.campaign == cid).count()
    imported = (m.FileReceipt.select().where((m.FileReceipt.campaign == cid)
                                             & (m.FileReceipt.outcome.in_([IMPORTED, REPLACED]))).count())
    records = sum(breakdowns.record_counts(cid).values())
    gaps = readiness.gaps(campaign, today=today)
    serious = [g for g in gaps if g.severity == "注意"]

    found = [
        ("roster", "名单", listed > 0,
         f"报送单位名单上有 {listed} 个单位。" if listed else
         "还没有报送单位名单:在“单位管理”中添加要报送的街道、部门和企业(可从 Excel 粘贴)。"),
        ("templates", "下发模板", issued > 0 or received > 0 or records > 0,
         f"已生成 {issued} 份填报模板。" if issued else
         "本年度没有用本软件生成模板(已收到文件或已有记录)。" if received or records else
         "为名单上的每个单位生成一份 Excel 填报模板(单位已预填),通过微信、QQ 或邮件发给各单位。"),
        ("import", "收回导入", records > 0,
         _import_detail(received, imported, records)),
        ("check", "检查", records > 0 and not serious,
         (f"还有 {len(serious)} 项需注意、{len(gaps) - len(serious)} 项提示,见下方“导出前请检查”。" if serious else
          f"没有需注意的问题({len(gaps)} 项提示)。" if gaps else "未发现缺漏。") if records else
         "导入后查看“导出前请检查”:缺少的地区、落款机关、下一步工作和没有记录的部分。"),
    ]
    out = []
    waiting = False
    for key, title, done, detail in found:
        state = DONE if done else (LATER if waiting else NEXT)
        waiting = waiting or not done
        out.append(Step(key, title, state, detail))
    ready = not waiting
    out.append(Step("export", "导出", READY if ready else LATER,
                    "可以导出 Word 活动总结和统计表。" if ready else
                    "生成 Word 活动总结(含统计表和统计图)和 Excel 统计表、台账。"))
    return out


def _import_detail(received: int, imported: int, records: int) -> str:
    if not received and not records:
        return "各单位填好交回后,一次选中全部文件导入:先逐行检查,有错的文件整份不导入并列出错误。"
    parts = []
    if received:
        parts.append(f"已收到 {received} 个文件,其中 {imported} 个已导入")
    parts.append(f"本年度共有 {records} 条记录" if records else "还没有导入任何记录")
    return ",".join(parts) + "。"
