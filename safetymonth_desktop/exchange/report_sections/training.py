"""（一）强化安全培训: one total (sessions and people, with 同比 when notable), then the organizers that did most,
the categories many units ran told as one group ('5个街道和青石镇开展安全公开课和专题讲座13期'), units running the
same kind of training merged, the small ones named without figures, and one effect clause from who was trained.
"""

from __future__ import annotations

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import report_prose as P
from safetymonth_desktop.exchange.report_sections.base import SELF, Year, unit_records
from safetymonth_desktop.services import breakdowns

TOLD = 3          # groups told with their figures; the rest are named
SHARED = 3        # a category run by this many units or more is told as one group

# Who a category trains (for the purpose and the effect clause).
AUDIENCE = {
    "特种作业人员培训": "特种作业人员", "职业卫生管理人员培训": "职业卫生管理人员",
    "主要负责人和安全管理人员培训": "企业主要负责人和安全管理人员", "建筑施工安全培训": "建筑施工从业人员",
    "公开课/讲座": "社区群众", "以会代训": "行业从业人员", "其他": "",
}
WORKERS = {"特种作业人员培训", "职业卫生管理人员培训", "主要负责人和安全管理人员培训", "建筑施工安全培训"}


# A category's name inside a list of several ('A、B和C培训' must not read '…和主要负责人和安全管理人员培训').
IN_LIST = {"主要负责人和安全管理人员培训": "企业主要负责人及安全管理人员培训", "公开课/讲座": "安全公开课及专题讲座"}


def _what(categories: list[str]) -> str:
    """'特种作业人员、职业卫生管理人员和企业主要负责人及安全管理人员培训' — '培训' said once."""
    nouns = [P.TRAINING_NOUN.get(c, c) for c in categories]
    if len(nouns) > 1:
        nouns = [IN_LIST.get(c, n) for c, n in zip(categories, nouns)]
    if len(nouns) > 1 and all(n.endswith("培训") for n in nouns):
        return P.series([P.strip_suffix(n, "培训") for n in nouns]) + "培训"
    return P.series(nouns)


def _groups(rows, units_by_name) -> list[dict]:
    """Training grouped for telling: a category many units ran is one group; otherwise one group per organizer
    (its categories together), organizers with the same categories merged."""
    by_category: dict[str, list] = {}
    for category, unit, sessions, people in rows:
        by_category.setdefault(category, []).append((unit, sessions, people))
    groups: list[dict] = []
    per_unit: dict[str, dict] = {}
    for category, entries in by_category.items():
        if len(entries) >= SHARED:
            groups.append({"units": [u for u, _, _ in entries], "categories": [category],
                           "sessions": sum(s for _, s, _ in entries), "people": sum(p for _, _, p in entries)})
            continue
        for unit, sessions, people in entries:
            g = per_unit.setdefault(unit, {"units": [unit], "categories": [], "sessions": 0, "people": 0})
            g["categories"].append(category)
            g["sessions"] += sessions
            g["people"] += people
    merged: dict[tuple, dict] = {}
    for g in per_unit.values():
        key = tuple(g["categories"])
        if key in merged:
            merged[key]["units"] += g["units"]
            merged[key]["sessions"] += g["sessions"]
            merged[key]["people"] += g["people"]
        else:
            merged[key] = g
    groups += merged.values()
    for g in groups:
        g["who"] = P.unit_phrase([units_by_name[u] for u in g["units"]])
    return sorted(groups, key=lambda g: (-g["people"], -g["sessions"], g["who"]))


def _told(g: dict, titles: dict) -> str:
    """One group with its figures; the frame follows the group's shape (one or several units and categories)."""
    what = _what(g["categories"])
    sessions, people = f"{g['sessions']}期", g["people"]
    if len(g["units"]) == 1 and len(g["categories"]) == 1:
        title = titles.get((g["units"][0], g["categories"][0]))
        head, tail = f"{g['who']}举办{title or what}{sessions}", P.qty(people, "人次", "参训")
    elif len(g["units"]) == 1:
        head, tail = f"{g['who']}分别举办{what}{sessions}", P.qty(people, "人次", "培训")
    elif len(g["categories"]) == 1:
        head, tail = f"{g['who']}开展{what}{sessions}", P.qty(people, "人次参加")
    else:
        head, tail = f"{g['who']}开展{what}{sessions}", P.qty(people, "人次")
    return P.join([head, tail], "，")


def _named(groups: list[dict]) -> str:
    """The small groups without figures: '此外，A、B还以会代训开展了行业安全培训'."""
    if not groups:
        return ""
    who = P.series([g["who"] for g in groups])
    cats = list(dict.fromkeys(c for g in groups for c in g["categories"]))
    if cats == ["以会代训"]:
        return f"此外，{who}还以会代训开展了行业安全培训"
    return f"此外，{who}还开展了{_what(cats)}"


def _purpose(categories: set[str]) -> str:
    if categories & WORKERS:
        return "为提升从业人员安全技能"
    if "公开课/讲座" in categories:
        return "为普及安全知识"
    return "为强化安全意识"


def _effect(by_people: list[str]) -> str:
    audiences = [a for a in dict.fromkeys(AUDIENCE.get(c, "") for c in by_people) if a][:3]
    if len(audiences) < 2:
        return ""
    return f"培训覆盖{P.series(audiences)}等群体"


def training(year: Year) -> dict:
    f = year.f
    rows = breakdowns.training_by_category_and_unit(year.campaign)
    by_category: dict[str, dict] = {}
    by_organizer: dict[str, dict] = {}
    for category, unit, sessions, people in rows:
        c = by_category.setdefault(category, {"category": category, "noun": P.TRAINING_NOUN.get(category, category),
                                              "sessions": 0, "participants": 0, "organizers": []})
        c["sessions"] += sessions
        c["participants"] += people
        c["organizers"].append(unit)
        o = by_organizer.setdefault(unit, {"unit": unit, "sessions": 0, "participants": 0, "categories": []})
        o["sessions"] += sessions
        o["participants"] += people
        o["categories"].append(category)

    text = ""
    if f["training.sessions"]:
        records = unit_records(m.Training, year.campaign)
        units_by_name = {r.unit.full_name: r.unit for r in records}  # the figures' rows name units in full
        # A unit's single training of a category is told by its own title ('建筑施工安全专项培训').
        titles: dict[tuple, str] = {}
        count: dict[tuple, int] = {}
        for r in records:
            key = (r.unit.full_name, r.category)
            count[key] = count.get(key, 0) + 1
            titles[key] = P.clerk(r.title)
        titles = {k: t for k, t in titles.items() if count[k] == 1 and t}
        groups = _groups(rows, units_by_name)
        if len(groups) == 1:  # one organizer or one kind: said by name, not '各类'
            g = groups[0]
            held = f"{g['who']}举办{_what(g['categories'])}{f['training.sessions']}期"
        else:
            held = f"{SELF}共举办各类安全培训{f['training.sessions']}期"
        lead = P.join([year.once(_purpose(set(by_category))),
                       P.join([held, P.about(f["training.participants"], "人次", "培训")], "、"),
                       year.change("training.participants")], "，")
        told = groups[:TOLD] if len(groups) > 1 else []
        rest = groups[len(told):] if told else []
        if len(rest) == 1:  # one left over is told too, not hidden behind '此外'
            told, rest = told + rest, []
        text = P.sentence(lead)
        if told:
            text += P.sentence(P.join([_told(g, titles) for g in told], "；"))
        ranked = [c for c, n in sorted(((c, v["participants"]) for c, v in by_category.items()), key=lambda x: -x[1])
                  if n]
        text += P.sentence(P.join([_named(rest), year.once(_effect(ranked), unless="培训覆盖")], "，"))
    return {"text": text, "by_category": list(by_category.values()), "by_organizer": list(by_organizer.values())}
