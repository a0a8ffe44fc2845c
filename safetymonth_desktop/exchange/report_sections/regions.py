"""The summary of a year that rolls up sub-regions (a city's districts, a province's cities; services/rollup.py).

At 市/省 level with imported 上报数据包 the summary speaks as the city: the opening gains what the sub-regions did
together ('全市各区县共举办培训…'), naming the sub-regions that lead where it gives examples; the sub-regions'
own 组织领导 is told as a count ('各区县共召开部署会N次'), never one by one; and every other section sees a
sub-region's units as the sub-region itself (base.attach_units), so it names districts and never a district's
streets. A district's summary is unchanged: it has no sub-region.
"""

from __future__ import annotations

from safetymonth_desktop.exchange import report_prose as P
from safetymonth_desktop.exchange.report_sections.base import SCOPE, Year
from safetymonth_desktop.services import numbers, records, region_summary, rollup, roster
from safetymonth_desktop.services import units as unit_tree
from safetymonth_desktop.base import vocab
from safetymonth_desktop.db import models as m
from safetymonth_desktop.db.models import SubRegionPackage, Unit

EXAMPLES = (("hazards.found", "排查隐患最多", "处"), ("training.participants", "培训人次最多", "人次"),
            ("events.count", "开展宣传活动最多", "场"))


def is_sub_region(unit) -> bool:
    """A unit that stands for a sub-region in this year's summary (after base.attach_units mapped its units)."""
    return unit is not None and unit.kind == vocab.SUB_REGION and unit.parent_id is None


def area_word(campaign) -> str:
    """What the sub-regions are together: 各区县 (a city's), 各市 (a province's), 各地 (mixed)."""
    levels = {p.level for p in rollup.packages(campaign)}
    if levels == {"市"}:
        return "各市"
    if levels <= {"区县"}:
        return "各区县"
    return "各地"


def _rolls_up(campaign) -> bool:
    return campaign.level in ("市", "省") and bool(rollup.packages(campaign))


def actors(campaign) -> str:
    """Who did the work, together, as a sentence says it: 各单位 in a district's summary; at a level that rolls up
    sub-regions, the sub-regions (各区县, 各市, 各地; the one by its name) — never 各单位 as a district says it."""
    if campaign.level not in ("市", "省"):
        return "各单位"
    handed = rollup.packages(campaign)
    if not handed:
        return "各单位"
    if len(handed) == 1 and sum(1 for u in roster.units(campaign) if u.kind == vocab.SUB_REGION) <= 1:
        return handed[0].unit.name  # one sub-region: named, not "各市" over one
    return area_word(campaign)


def overview(year: Year) -> str:
    """The sentences the opening gains at a level that rolls up sub-regions; '' otherwise."""
    campaign = year.campaign
    if not _rolls_up(campaign):
        return ""
    rows = [r for r in region_summary.region_rows(campaign, today=year.today)
            if r["name"] not in (region_summary.OWN, region_summary.TOTAL)]
    word = area_word(campaign)
    expected = sum(1 for u in roster.units(campaign) if u.kind == vocab.SUB_REGION)
    noun = word[1:]
    handed = (f"{rows[0]['name']}已报送" if len(rows) == 1 and expected <= 1 else
              f"{len(rows)}个{noun}全部报送" if len(rows) >= expected else
              f"{expected}个{noun}中已有{len(rows)}个报送")
    sums = {}
    for key in ("training.sessions", "training.participants", "events.count", "hazards.found", "hazards.rectified",
                "org.meetings"):
        sums[key] = sum(int(r["values"].get(key) or 0) for r in rows)
    done = P.join([
        P.join([P.qty(sums["training.sessions"], "期", "举办培训"), P.qty(sums["training.participants"], "人次", "培训")], "、"),
        P.qty(sums["events.count"], "场", "开展宣传活动"),
        P.join([P.qty(sums["hazards.found"], "处", "排查隐患"), P.qty(sums["hazards.rectified"], "处", "整改")], "、"),
    ], "，")
    if len(rows) == 1 and expected <= 1:  # one sub-region: named, not "各市" over one
        text = P.sentence(f"{rows[0]['name']}共{done}") if done else P.sentence(handed)
    else:
        text = (P.sentence(f"{SCOPE}{word}共{done}（{handed}）") if done else P.sentence(handed))
    examples = []
    for key, what, measure in EXAMPLES:
        ranked = sorted(((int(r["values"].get(key) or 0), r["name"]) for r in rows), key=lambda t: (-t[0], t[1]))
        if len(ranked) > 1 and ranked[0][0] > 0 and ranked[0][0] > ranked[1][0]:
            examples.append(f"{ranked[0][1]}{what}（{numbers.count_phrase(ranked[0][0])}{measure}）")
    if examples:
        text += P.sentence("其中，" + P.join(examples, "，"))
    return text


def split_bodies(bodies) -> tuple[list, list[str], dict[str, tuple[str, str]]]:
    """(the region's own 组织机构; the direct sub-region of each 组织机构 a sub-region's 上报数据包 brought as its own;
    the nested sub-regions whose own 组织机构 came inside one — a city's districts at a province — name → (level,
    the direct sub-region whose package carried it))."""
    filed = records.sub_regions(m.Body, [b.id for b in bodies])
    own = [b for b in bodies if b.id not in filed]
    direct, nested = [], {}
    for body in bodies:
        if body.id not in filed:
            continue
        unit = Unit.get_by_id(filed[body.id])
        top = unit_tree.region_of(unit)
        if unit.id == top.id:
            direct.append(top.name)
        else:
            nested[unit.name] = (_level_of(unit.id), top.name)
    return own, direct, nested


def _level_of(unit_id: int) -> str:
    package = SubRegionPackage.get_or_none(SubRegionPackage.unit == unit_id)
    return package.level if package is not None else "区县"


def nested_bodies_text(nested: dict[str, tuple[str, str]], also: bool = False) -> str:
    """The nested sub-regions' own 组织机构 as a count ('所辖12个区县也成立了活动组织机构', `also` after the direct
    sub-regions' own), one by its name; '' without any."""
    if not nested:
        return ""
    levels = {level for level, _ in nested.values()}
    noun = next(iter(levels)) if len(levels) == 1 else "下级地区"
    verb = "也成立了活动组织机构" if also else "成立了活动组织机构"
    if len(nested) == 1:
        return f"{next(iter(nested))}{verb}"
    return f"所辖{len(nested)}个{noun}{verb}"


def org_text(instructions, meetings, documents, bodies=(), campaign=None, nested_bodies=None) -> str:
    """The sub-regions' own leadership, bodies, meetings and documents, as counts ('各区县均成立了活动组织机构，
    共召开部署会3次、调度会2次…'); `bodies` names the sub-region of each of their 组织机构, `nested_bodies` the
    nested sub-regions (a city's districts) with their own (split_bodies)."""
    units = {r.unit.id: r.unit for r in (*instructions, *meetings, *documents)}
    named = {u.name for u in units.values()} | set(bodies) | {top for _, top in (nested_bodies or {}).values()}
    if not named:
        return ""
    campaign = campaign or next(iter((*instructions, *meetings, *documents))).campaign
    word = area_word(campaign)
    by_kind = {}
    for r in meetings:
        by_kind[r.kind] = by_kind.get(r.kind, 0) + 1
    kinds = [f"{kind}{n}次" for kind, n in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0]))]
    parts = []
    if bodies:
        with_body = set(bodies)
        expected = sum(1 for u in roster.units(campaign) if u.kind == vocab.SUB_REGION)
        if len(named) == 1:
            parts.append("成立了活动组织机构")
        elif len(with_body) == 1:
            parts.append(f"{next(iter(with_body))}成立了活动组织机构")
        elif len(with_body) >= expected:
            parts.append("均成立了活动组织机构")
        else:
            parts.append(f"{len(with_body)}个{word[1:]}成立了活动组织机构")
    if nested_bodies:
        parts.append(nested_bodies_text(nested_bodies, also=bool(bodies)))
    if instructions:
        parts.append(f"主要领导批示讲话{len(instructions)}次")
    if kinds:
        parts.append("共召开" + P.join(kinds[:4]) + (f"等各类会议{len(meetings)}次" if len(kinds) > 4 else ""))
    if documents:
        parts.append(f"印发文件{len(documents)}份")
    lead = f"{word}结合本地实际层层部署" if len(named) > 1 else f"{next(iter(named))}结合本地实际作出部署"
    return P.sentence(lead + "，" + P.join(parts, "，"))


def split_inspections(records) -> tuple[list, list]:
    """(the region's own inspections, the sub-regions' — whose 被督查单位 is one of a sub-region's units)."""
    targets = {r.target_id for r in records}
    if not targets:
        return list(records), []
    inside = {uid for (uid,) in Unit.select(Unit.id).where(Unit.id.in_(sorted(targets)) & Unit.parent.is_null(False))
              .tuples()}
    return [r for r in records if r.target_id not in inside], [r for r in records if r.target_id in inside]


def inspection_figures(inspections) -> dict:
    """The 督查 figures of the region's own inspections (when sub-regions' are told apart)."""
    return {"supervision.count": len(inspections),
            "supervision.problems": sum(i.problems_found or 0 for i in inspections),
            "supervision.rectified": sum(i.problems_rectified or 0 for i in inspections)}


def inspections_text(theirs) -> str:
    """The sub-regions' inspections as one count sentence ('各区县共开展督查8次，发现问题30个、已整改28个')."""
    if not theirs:
        return ""
    word = actors(theirs[0].campaign)
    figures = inspection_figures(theirs)
    return P.sentence(f"{word}共开展督查{figures['supervision.count']}次",
                      P.join([P.qty(figures["supervision.problems"], "个", "发现问题"),
                              P.qty(figures["supervision.rectified"], "个", "已整改")], "、"))


def split(records) -> tuple[list, list]:
    """(records of the importer's own units, records of sub-regions)."""
    return [r for r in records if not is_sub_region(r.unit)], [r for r in records if is_sub_region(r.unit)]

