"""三、隐患排查整治 as one account: the opening paragraph gives the one total (隐患台账 rows + 专项整治 counts, as the
registry adds them), the industries in order of size, and — when both sources exist — the split said once ('各单位
通过8项专项行动排查隐患1638处，另在日常检查中登记台账隐患60处'); then rectification, funding and overdue.
一是 tells the special actions: a unit's actions together, the largest first, the rest grouped ('其余3项专项行动
共发现隐患322处'). 二是 tells enforcement. No per-industry list restates the total a second way (the table and the
chart in the annex carry the exact split).
"""

from __future__ import annotations

from safetymonth_desktop.base import vocab
from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import report_prose as P
from safetymonth_desktop.exchange.report_sections import regions
from safetymonth_desktop.exchange.report_sections.base import SELF, Year, para, record_dict, unit_records
from safetymonth_desktop.services import numbers

FOCUS = 4        # industries named in the opening
ACTION_SUFFIXES = ("专项行动", "专项整治", "专项检查", "专项排查")
TOLD = 3         # units whose actions are told with figures


def _focus(by_industry: list[dict], actions) -> str:
    """'突出人员密集场所消防、工贸和中小企业、建筑施工、燃气等重点行业领域': most hazards first."""
    ranked = [x["noun"] for x in sorted(by_industry, key=lambda x: (-x["found"], x["rank"])) if x["industry"] != "其他"]
    if not ranked:
        ranked = list(dict.fromkeys(P.INDUSTRY_NOUN.get(a.industry, a.industry) for a in actions
                                    if a.industry != "其他"))
    if not ranked:
        return ""
    if len(ranked) == 1:
        return f"突出{ranked[0]}领域"
    shown = ranked[:FOCUS]
    return f"突出{P.join(shown)}{'等' if len(ranked) > len(shown) or len(shown) > 2 else ''}重点行业领域"


def _intro(year: Year, by_industry, actions) -> str:
    f = year.f
    found_by_actions = sum(a.hazards_found or 0 for a in actions)
    ledger = f["hazards.found"] - found_by_actions  # the registry's total is ledger rows + action counts
    acting = [a for a in actions if a.hazards_found]
    head = P.join([f"{SELF}以安全生产月为契机", _focus(by_industry, actions), "深入开展隐患排查整治"], "，")
    if not f["hazards.found"]:
        return P.sentence(head)
    major = P.qty(f["hazards.major"], "处", "其中重大隐患")
    if acting and ledger:
        total = P.sentence(head, P.about(f["hazards.found"], "处", "共排查各类隐患"), year.change("hazards.found"))
        split = P.sentence(f"其中，{regions.actors(year.campaign)}通过{len(acting)}项专项行动排查隐患{numbers.count_phrase(found_by_actions)}处"
                           f"，另在日常检查中登记台账隐患{numbers.count_phrase(ledger)}处"
                           + (f"（含重大隐患{f['hazards.major']}处）" if f["hazards.major"] else ""))
    elif acting:
        total = P.sentence(head, P.about(f["hazards.found"], "处", f"通过{len(acting)}项专项行动共排查隐患"),
                           year.change("hazards.found"))
        split = ""
    else:
        total = P.sentence(head, P.about(f["hazards.found"], "处", "在日常检查中共排查登记隐患"),
                           year.change("hazards.found"), major)
        split = ""
    done = P.sentence(P.join([P.qty(f["hazards.rectified"], "处", "已整改隐患"),
                              P.join([f"整改率{numbers.rate_phrase(f['hazards.rate'])}", year.change("hazards.rate")], "，")
                              if f["hazards.rectified"] else "",
                              P.money(f["hazards.funding"], "投入整改资金")], "，"))
    overdue = ""
    if f["hazards.overdue"]:
        overdue = P.sentence(f"截至{numbers.date_phrase(year.today)}，仍有{f['hazards.overdue']}处隐患超过整改期限未完成整改",
                             "需加强跟踪督办")
    return total + split + done + overdue


def _action_groups(actions) -> list[dict]:
    groups: dict[str, dict] = {}
    for a in actions:
        g = groups.setdefault(a.unit.name, {"unit": a.unit, "actions": [], "found": 0, "rectified": 0, "inspected": 0})
        g["actions"].append(a)
        g["found"] += a.hazards_found or 0
        g["rectified"] += a.hazards_rectified or 0
        g["inspected"] += a.inspected or 0
    for g in groups.values():
        g["actions"].sort(key=lambda a: -(a.hazards_found or 0))
    return sorted(groups.values(), key=lambda g: (-g["found"], -g["inspected"], g["unit"].name))


def _group_clause(g: dict, position: int) -> str:
    """One unit's actions with figures; the frame depends on how many actions and on the place in the list."""
    names = [P.without_owner(P.clerk(a.action), g["unit"]) for a in g["actions"]]
    inspected = P.qty(g["inspected"], "家次", "检查单位")
    found = P.qty(g["found"], "处", "发现隐患")
    if len(names) > 1:
        short = [P.strip_suffix(n, *ACTION_SUFFIXES) for n in names]
        if all(s != n for s, n in zip(short, names)):
            names, noun = short, "专项行动"
        else:
            noun = "行动"
        count = numbers.chinese_numeral(len(names)) if len(names) < 10 else str(len(names))
        listed = P.series(names) if len(names) <= 4 else P.join(names[:3]) + "等"
        return P.join([f"{g['unit'].name}牵头开展{listed}{count}项{noun}", inspected, found], "，")
    name = names[0]
    if position == 0:
        return P.join([f"{g['unit'].name}开展{name}", inspected, found], "，")
    if position == 1:
        return P.join([f"{g['unit'].name}组织{name}", P.join([found, P.qty(g["rectified"], "处", "整改")], "、")], "，")
    return P.join([f"{g['unit'].name}开展的{name}", P.qty(g["found"], "处", "查出隐患")], "")


def _actions(year: Year, actions) -> str:
    if not actions:
        return ""
    groups = _action_groups(actions)
    told = groups[:TOLD]
    rest = groups[TOLD:]
    if len(rest) == 1:
        told, rest = groups, []
    clauses = [_group_clause(g, i) for i, g in enumerate(told)]
    text = P.sentence(P.join(clauses, "；"))
    if rest:
        count = sum(len(g["actions"]) for g in rest)
        found = sum(g["found"] for g in rest)
        rectified = sum(g["rectified"] for g in rest)
        units = P.unit_phrase([g["unit"] for g in rest])
        done = "已全部整改" if found and rectified == found else P.qty(rectified, "处", "整改")
        text += P.sentence(f"{units}开展的其余{count}项专项行动" + (f"共发现隐患{numbers.count_phrase(found)}处" if found
                                                                else "也按计划完成"), done if found else "")
    effect = year.once("一批事故隐患得到及时治理", unless="隐患得到") if any(a.hazards_rectified for a in actions) else ""
    return text[:-1] + f"，{effect}。" if effect else text


def _enforcement(year: Year) -> str:
    f = year.f
    parts = [P.about(f["enforcement.personnel"], "人次", "出动执法检查人员"),
             P.qty(f["enforcement.inspected"], "家次", "检查生产经营单位"),
             P.join([f"对{numbers.count_phrase(f['enforcement.penalties'])}家单位实施行政处罚"
                     if f["enforcement.penalties"] else "", P.money(f["enforcement.fines"], "罚款")], "、"),
             P.qty(f["enforcement.shutdowns"], "家", "关闭取缔非法违法生产经营单位")]
    if not any(parts):
        return ""
    effect = "形成了有力震慑" if f["enforcement.penalties"] or f["enforcement.shutdowns"] else ""
    return P.sentence(P.join([year.once("为严厉打击非法违法生产经营行为"), "各专项行动" + P.join(parts, "，")], "，"),
                      year.once(effect, unless="震慑"))


def hazards(year: Year) -> dict:
    f = year.f
    actions = unit_records(m.CampaignAction, year.campaign)
    rank = {c: i for i, c in enumerate(vocab.INDUSTRIES)}
    actions.sort(key=lambda a: (rank.get(a.industry, 99), a.id))
    by_industry = [{"industry": k, "noun": P.INDUSTRY_NOUN.get(k, k), **v, "rank": rank.get(k, 99)}
                   for k, v in f["hazards.by_industry"].items() if v["found"]]
    intro = _intro(year, by_industry, actions) if (f["hazards.found"] or actions) else ""
    items = P.enumerate_items([
        para("actions", "开展专项整治行动", _actions(year, actions)),
        para("enforcement", "严格执法检查", _enforcement(year)),
    ])
    found_by_actions = sum(a.hazards_found or 0 for a in actions)
    out = {"intro": intro, "paragraphs": items,
           "by_industry": [{k: v for k, v in x.items() if k != "rank"} for x in by_industry],
           "sources": {"actions": found_by_actions, "ledger": f["hazards.found"] - found_by_actions},
           "_has_actions": bool(actions)}  # the context's has_actions (whether or not the list is in it)
    if year.wants("hazards.actions"):
        out["actions"] = [record_dict(a, m.CampaignAction) for a in actions]
    return out
