"""一、组织领导: leaders' instructions, the organizing body, meetings, documents — the region's own (填报单位 blank,
本级) told as the region's, and those of its units told as each unit's action on its own ground (本街道, 本部门)
in one paragraph of their own.

Meetings are told in date order, a host's consecutive meetings in one clause ('区应急管理局先后召开A和B');
documents lead with the campaign's plan (the one whose title says 方案, else the first) and merge the rest under
one verb ('区应急管理局、区政府安委会办公室分别印发…').
"""

from __future__ import annotations

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import report_prose as P
from safetymonth_desktop.exchange.report_sections import regions
from safetymonth_desktop.exchange.report_sections.base import (SCOPE, SELF, Year, attach_optional_units,
                                                               campaign_records, date_order, para, record_dict, spoken)
from safetymonth_desktop.services import numbers

RUNS_TOLD = 4  # hosts' runs of meetings told; more are counted
DOCUMENTS_TOLD = 4


def unit_scope(unit) -> str:
    """How a unit speaks of its own ground: 本街道 / 本镇 / 本乡 / 本部门 / 本企业 / 本校 / 本单位."""
    name = getattr(unit, "full_name", unit.name)  # the registered name says what it is; a 简称 may not
    for ending, scope in (("街道", "本街道"), ("街道办事处", "本街道"), ("镇", "本镇"), ("乡", "本乡")):
        if name.endswith(ending):
            return scope
    return {"街道/乡镇": "本街道", "区级部门": "本部门", "企业": "本企业", "学校": "本校"}.get(unit.kind, "本单位")


def _own_and_units(records) -> tuple[list, list]:
    """Split 组织领导 records into the region's own (填报单位 blank, 本级) and those of its units."""
    return [r for r in records if r.unit is None], [r for r in records if r.unit is not None]


def _meeting_clause(r, subject_name: str = "") -> str:
    when = numbers.month_day_phrase(r.date)
    verb = P.MEETING_VERB.get(r.kind, "召开")
    host = spoken(P.clerk(r.host)) or subject_name
    title = P.without_owner(P.clerk(r.title), host)
    clause = f"{host}{verb}{title}" if host else f"{verb}{title}"
    return P.join([when, clause, P.clerk(r.content)], "，")


def document_cite(r) -> str:
    return P.book_title(P.punctuate(r.title)) + (f"\uff08{P.doc_no(r.doc_no)}\uff09" if r.doc_no.strip() else "")


def _instructions(own) -> str:
    speeches = []
    for i, r in enumerate(own):
        who = f"{P.clerk(r.title)}{P.clerk(r.leader)}"
        where = f"在{P.clerk(r.occasion)}上" if r.occasion.strip() else ""
        speeches.append(f"{who}{where}{P.SPEECH_VERBS[i % len(P.SPEECH_VERBS)]}\uff1a{P.clerk(r.content)}")
    return P.sentence(P.join(speeches, "；")) if speeches else ""


def _bodies(bodies) -> str:
    established = []
    for r in bodies:
        established.append(P.join([f"成立{P.clerk(r.name)}", f"由{P.clerk(r.lead)}牵头" if r.lead.strip() else "",
                                   f"办公室设在{spoken(P.clerk(r.office))}" if r.office.strip() else "", P.clerk(r.duties)], "，"))
    return P.sentence(SELF + P.join(established, "；")) if established else ""


def _meetings(own) -> str:
    """The region's meetings in date order; a host's consecutive meetings share one clause (with their dates when
    there are up to three, counted when there are more)."""
    runs: list[list] = []
    for r in own:
        if runs and P.clerk(runs[-1][0].host) == P.clerk(r.host) and P.clerk(r.host):
            runs[-1].append(r)
        else:
            runs.append([r])
    clauses = []
    for run in runs[:RUNS_TOLD]:
        contents = list(dict.fromkeys(P.clerk(r.content) for r in run if r.content.strip()))[:2]
        if len(run) == 1:
            clauses.append(_meeting_clause(run[0]))
            continue
        host = spoken(P.clerk(run[0].host))
        verbs = [P.MEETING_VERB.get(r.kind, "召开") for r in run]
        if len(run) > 3:
            titles = list(dict.fromkeys(P.clerk(r.title) for r in run))
            held = f"{host}先后召开{P.join(titles[:2])}等会议{len(run)}次"
        elif len(set(verbs)) == 1:
            dated = all(r.date for r in run)
            when = f"先后于{P.join(numbers.month_day_phrase(r.date) for r in run)}" if dated else "先后"
            held = f"{host}{when}{verbs[0]}{P.series([P.clerk(r.title) for r in run])}"
        else:
            dated = all(r.date for r in run)
            held = host + ("于" if dated else "先后") + P.join(
                [f"{numbers.month_day_phrase(r.date)}{v}{P.clerk(r.title)}" for r, v in zip(run, verbs)])
        clauses.append(P.join([held, *contents], "，"))
    text = P.join(clauses, "；")
    if len(runs) > RUNS_TOLD:
        text += f"等，活动期间共召开各类会议{len(own)}次"
    return P.sentence(text)


def _issued(docs, total: int, lead: str = "") -> str:
    """Documents under one verb: 'A和B分别印发《X》（…）和《Y》（…）', more than DOCUMENTS_TOLD counted."""
    told = docs[:DOCUMENTS_TOLD]
    issuers = [spoken(P.clerk(r.issuer)) for r in told]
    cites = [document_cite(r) for r in told]
    if all(issuers) and len(set(issuers)) == len(issuers) and len(told) > 1:
        text = P.respectively(issuers, "印发", cites, limit=DOCUMENTS_TOLD)
    elif all(issuers) and len(set(issuers)) == 1:
        text = f"{issuers[0]}{lead}印发{P.series(cites)}"
    else:
        text = P.join([f"{i}印发{c}" if i else f"印发{c}" for i, c in zip(issuers, cites)], "，")
    if len(docs) > len(told):
        text += f"等文件，安全生产月期间共印发文件{total}份"
    return text


def _documents(own) -> str:
    """The campaign's plan first (the document whose title says 方案), as the region's overall arrangement; the
    other documents under one verb. Without a plan no document is claimed to be the overall arrangement."""
    if not own:
        return ""
    plan = next((r for r in own if "方案" in r.title), None)
    if plan is None:
        return P.sentence(_issued(own, len(own)), "对安全生产月各项工作作出具体安排")
    rest = [r for r in own if r is not plan]
    issuer = spoken(P.clerk(plan.issuer))
    first = P.sentence(f"{issuer}印发{document_cite(plan)}" if issuer else f"印发{document_cite(plan)}",
                       f"对{SCOPE}安全生产月活动作出统一部署")
    if not rest:
        return first
    follow = _issued(rest, len(own), lead="还")
    return first + P.sentence("随后，" + follow + ("" if len(rest) > DOCUMENTS_TOLD else "，就有关工作作出具体安排"))


def _units_text(instructions, meetings, documents) -> str:
    """The units' own leadership, meetings and documents, each told as that unit's action on its own ground."""
    parts = []
    for r in instructions[:3]:
        title = P.clerk(r.title)
        who = title if title.startswith((r.unit.name, r.unit.full_name)) else f"{r.unit.name}{title}"
        where = f"在{P.clerk(r.occasion)}上" if r.occasion.strip() else ""
        parts.append(f"{who}{P.clerk(r.leader)}{where}要求{P.clerk(r.content)}")
    if meetings:
        told = [_meeting_clause(r, r.unit.name) + ("" if r.content.strip() else f"，对{unit_scope(r.unit)}活动进行部署")
                for r in meetings[:3]]
        hosts = list(dict.fromkeys(r.unit.name for r in meetings))
        lead = (f"{P.names(hosts, limit=3)}结合实际召开会议{len(meetings)}次" if len(meetings) > 3 else "")
        parts.append(P.join([lead, P.join(told, "；") + ("等" if len(meetings) > 3 else "")], "："))
    if documents:
        told = documents[:3]
        issued = P.respectively([r.unit.name for r in told], "印发", [document_cite(r) for r in told],
                                tail="，对本单位活动作出安排" if len(told) > 1 else
                                f"，对{unit_scope(told[0].unit)}活动作出安排")
        parts.append(issued)
    if len(documents) > 3:
        parts.append(f"各单位共印发本单位文件{len(documents)}份")
    if not parts:
        return ""
    units = {r.unit.id: r.unit for r in (*instructions, *meetings, *documents)}
    if len(units) == 1:  # one unit: its actions, no '各…' over one
        return P.sentence(P.join(parts, "；"))
    return P.sentence(f"{_units_word(units.values())}也相应行动起来，" + P.join(parts, "；"))


def _units_word(units) -> str:
    """What the units are together: 各街道 / 各乡镇 / 各街道和乡镇 / 各部门 / 各单位."""
    kinds = {u.kind for u in units}
    if kinds == {"街道/乡镇"}:
        streets = {getattr(u, "full_name", u.name).endswith(("街道", "街道办事处")) for u in units}
        return "各街道" if streets == {True} else "各乡镇" if streets == {False} else "各街道和乡镇"
    return "各部门" if kinds == {"区级部门"} else "各单位"


def org(year: Year) -> dict:
    campaign = year.campaign
    instructions = attach_optional_units(campaign_records(m.Instruction, campaign, *date_order(m.Instruction.date)))
    # roll-up: the 组织机构 a sub-region's package brought are its own, told as a count (regions.org_text)
    bodies, region_bodies, nested_bodies = regions.split_bodies(campaign_records(m.Body, campaign))
    meetings = attach_optional_units(campaign_records(m.Meeting, campaign, *date_order(m.Meeting.date)))
    documents = attach_optional_units(campaign_records(m.Document, campaign, *date_order(m.Document.date)))
    own_instructions, unit_instructions = _own_and_units(instructions)
    own_meetings, unit_meetings = _own_and_units(meetings)
    own_documents, unit_documents = _own_and_units(documents)
    # roll-up: sub-regions' own 组织领导 is told as a count, never one by one (report_sections/regions.py)
    unit_instructions, region_instructions = regions.split(unit_instructions)
    unit_meetings, region_meetings = regions.split(unit_meetings)
    unit_documents, region_documents = regions.split(unit_documents)

    items = P.enumerate_items([
        para("instructions", "领导高度重视", _instructions(own_instructions)),
        para("body", "健全组织机构", _bodies(bodies)),
        para("meetings", "周密安排部署", _meetings(own_meetings)),
        para("documents", "印发方案文件" if any("方案" in r.title for r in own_documents) else "印发工作文件",
             _documents(own_documents)),
        para("units", "各单位层层部署", _units_text(unit_instructions, unit_meetings, unit_documents)),
        para("regions", "下级同步部署", regions.org_text(region_instructions, region_meetings, region_documents,
                                                           region_bodies, campaign, nested_bodies)),
    ])
    out = {
        "paragraphs": items,
        # Told here, so 宣传活动 does not tell it again (a 启动仪式 entered as a meeting and as an event).
        "_launch": any(r.kind == "启动仪式" for r in meetings),
        "_has": {"instructions": bool(instructions), "bodies": bool(bodies), "meetings": bool(meetings),
                 "documents": bool(documents)},  # the context's has_* (whether or not the lists are in it)
    }
    for key, listed, model in (("instructions", instructions, m.Instruction), ("bodies", bodies, m.Body),
                               ("meetings", meetings, m.Meeting)):
        if year.wants(f"org.{key}"):
            out[key] = [record_dict(r, model) for r in listed]
    if year.wants("org.documents"):
        out["documents"] = [{**record_dict(r, m.Document), "doc_no": P.doc_no(r.doc_no), "citation": document_cite(r)}
                            for r in documents]
    return out
