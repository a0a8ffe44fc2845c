"""（四）群众性活动: the 咨询日 led by its main event (the most people) with the leaders as the data gives them, its
own figures and what was done there, the other venues in one clause and one total; then the themed events, the
largest two with their people and the rest merged under one verb ('A、B分别举办X和Y等活动'); then the drills
as one total and the notable ones named. A 启动仪式 already told as a meeting in 组织领导 is not told again; an
event entered twice (same title and unit, or same kind, day and place) is told once.
"""

from __future__ import annotations

import re

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import report_prose as P
from safetymonth_desktop.exchange.report_sections import regions
from safetymonth_desktop.exchange.report_sections.base import (SCOPE, Year, date_order, para, record_dict,
                                                               unit_records)
from safetymonth_desktop.base import vocab
from safetymonth_desktop.services import numbers

LAUNCH = "启动仪式"
# Leaders' text that already says what they did ('副区长陈某致辞'): printed as typed, no '出席活动' added.
ROLE_WORDS = re.compile("致辞|讲话|宣布|启动|颁奖|出席|主持|参加|讲解|慰问|观摩|视察|检查")
TOLD_WITH_PEOPLE = 2
NAMED = 4
# Where the themed events took the message, from the kind of unit that held them.
PLACES = {"学校": "进校园", "企业": "进企业", "街道/乡镇": "进社区"}
PLACE_ORDER = ("进企业", "进社区", "进校园")


def _distinct(events) -> list:
    """Events told once. A second record of the same unit with the same title is the same event entered twice
    (dropped); another unit's record of the same event — same kind and day, at the same place, or with the same
    title and no place to tell them apart — makes that unit a co-organiser (`partners`, told '会同' or '联合').
    Four streets' 咨询点 of one title at four places stay four events."""
    seen: dict = {}
    out = []
    for e in events:
        title = P.without_owner(P.clerk(e.title), e.unit)
        keys = {("title", e.kind, e.date, title, P.clerk(e.venue))} if title else set()
        if e.date and e.venue.strip():
            keys.add(("place", e.kind, e.date, P.clerk(e.venue)))
        if e.title.strip():
            keys.add(("own", e.unit_id, P.clerk(e.title)))
        first = next((seen[k] for k in keys if k in seen), None)
        if first is not None:
            if e.unit_id != first.unit_id and all(p.id != e.unit_id for p in first.partners):
                first.partners.append(e.unit)
            continue
        e.partners = []
        for k in keys:
            seen[k] = e
        out.append(e)
    return out


def who(e) -> str:
    """The organiser of an event with its co-organisers: 'A会同B', 'A、B、C联合'."""
    if not e.partners:
        return e.unit.name
    if len(e.partners) == 1:
        return f"{e.unit.name}会同{e.partners[0].name}"
    return f"{P.names([e.unit.name] + [p.name for p in e.partners], limit=4)}联合"


def _leaders(text: str) -> str:
    leaders = P.clerk(text)
    if not leaders:
        return ""
    return leaders if ROLE_WORDS.search(leaders) else f"{leaders}出席活动"


def _activities(description: str) -> str:
    """The clerk's list of what was done ('文艺演出、承诺签名…') as a clause; a described sentence as typed."""
    desc = P.clerk(description)
    if not desc:
        return ""
    if any(ch in desc for ch in "。；，"):
        return desc
    return f"开展了{desc}" + ("活动" if desc.endswith("等") else "等活动")


def _consult(events, f, campaign) -> tuple[str, object]:
    if not events:
        return "", None
    main = max(events, key=lambda e: (e.participants or 0, -e.id))
    rest = [e for e in events if e is not main]
    where = f"在{P.clerk(main.venue)}" if main.venue.strip() else ""
    title = P.clerk(main.title) or "安全生产宣传咨询日活动"
    first = P.sentence(numbers.date_phrase(main.date or campaign.consult_day),
                       f"{who(main)}{where}举办{title}", _leaders(main.leaders))
    on_site = P.join([P.qty(main.desks, "个", "设置咨询台"), P.qty(main.boards, "块", "展板")], "、")
    on_site = P.join([on_site, P.qty(main.materials, "份", "发放宣传资料"), _activities(main.description)], "，")
    second = P.sentence("活动现场" + on_site) if on_site else ""
    third = ""
    if rest:
        same_day = all(e.date == main.date for e in rest)
        venues = {P.clerk(e.venue) for e in rest if e.venue.strip()}
        how = "也在辖区设点开展咨询" if len(venues) > 1 or not venues else f"也在{venues.pop()}开展咨询"
        total = P.about(f["consult_day.participants"], "人次", f"{SCOPE}当天参与群众" if same_day else
                        f"{SCOPE}咨询日活动参与群众")
        third = P.sentence(f"{'同日' if same_day else '此外'}，{P.unit_phrase([e.unit for e in rest])}{how}", total)
    elif main.participants:
        third = P.sentence(P.about(main.participants, "人次", "参与群众"))
    return first + second + third, main


def _launch(e) -> str:
    """A 启动仪式 not told in 组织领导: the lead of the themed events, with the leaders as given."""
    where = f"在{P.clerk(e.venue)}" if e.venue.strip() else ""
    return P.join([numbers.month_day_phrase(e.date), f"{who(e)}{where}举行{P.clerk(e.title) or '安全生产月启动仪式'}",
                   _leaders(e.leaders), P.qty(e.participants, "人次参加")], "，")


def _themed(year: Year, events, launch_told: bool) -> str:
    launches = [e for e in events if e.kind == LAUNCH]
    events = [e for e in events if e.kind != LAUNCH or not launch_told]
    if not events:
        return ""
    lead = ""
    if launches and not launch_told:
        lead = P.sentence(_launch(launches[0]))
        events = [e for e in events if e is not launches[0]]
    ranked = sorted(events, key=lambda e: (-(e.participants or 0), e.id))
    if len(ranked) > 2 and len({_title(e) for e in ranked}) == 1:  # one kind of event everywhere: said once
        told = P.join([f"{P.unit_phrase([e.unit for e in ranked])}开展{_title(ranked[0])}{len(ranked)}场",
                       P.qty(sum(e.participants or 0 for e in ranked), "人次参加")], "，")
        return lead + P.sentence(told, year.once(_places_effect(events), unless="进社区|进企业|进校园"))
    with_people = [e for e in ranked if e.participants][:TOLD_WITH_PEOPLE]
    named = [e for e in ranked if e not in with_people]
    clauses = []
    frames = ("{unit}开展{title}，{people}人次参加", "{unit}组织{title}，参与群众{people}人次")
    for frame, e in zip(frames, with_people):
        clauses.append(frame.format(unit=who(e), title=_title(e), people=numbers.count_phrase(e.participants)))
    if named:
        verb = "举办" if all(P.EVENT_VERB.get(e.kind) == "举办" for e in named[:NAMED]) else "开展"
        if len(named) > 1 and len({_title(e) for e in named}) == 1:
            clauses.append(f"{P.unit_phrase([e.unit for e in named])}也{verb}了{_title(named[0])}")
        else:
            clauses.append(P.respectively([who(e) for e in named], verb, [_title(e) for e in named],
                                          tail="等活动" if len(named) > 1 else "", limit=NAMED))
    return lead + P.sentence(P.join(clauses, "；"), year.once(_places_effect(events), unless="进社区|进企业|进校园"))


def _places_effect(events) -> str:
    """'推动安全知识进企业、进社区、进校园': where the events took place, from the units that held them."""
    places = {PLACES[e.unit.kind] for e in events if e.unit.kind in PLACES}
    if any("社区" in _title(e) for e in events):
        places.add("进社区")
    if any(e.unit.full_name.endswith("教育局") for e in events):
        places.add("进校园")
    if len(places) < 2:
        return ""
    return f"推动安全知识{'、'.join(p for p in PLACE_ORDER if p in places)}"


def _title(e) -> str:
    return P.without_owner(P.clerk(e.title), e.unit) or f"{e.kind}活动"


def _drills(year: Year, drills) -> str:
    f = year.f
    if not drills:
        return ""
    lead = P.join([year.once("为检验应急预案、提高应急处置能力"), P.qty(f["drills.count"], "场", f"{regions.actors(year.campaign)}组织开展应急演练"),
                   P.about(f["drills.participants"], "人次", "参演")], "，")
    ranked = sorted(drills, key=lambda e: (-(e.participants or 0), e.id))
    titles = [P.without_owner(P.clerk(e.title), e.unit) or "应急演练" for e in ranked]
    all_drills = all(t.endswith("演练") for t in titles)
    short = [P.strip_suffix(t, "应急演练", "演练") for t in titles] if all_drills else titles
    if len(set(short)) == 1:  # every unit held the same drill: the units counted, the drill said once
        named = f"{P.unit_phrase([e.unit for e in ranked])}开展{titles[0]}"
    else:
        named = P.respectively([who(e) for e in ranked], "开展", short,
                               tail="等演练" if all_drills else "", limit=NAMED)
    return P.sentence(lead) + P.sentence(named)


def events(year: Year, *, launch_told: bool) -> dict:
    campaign, f = year.campaign, year.f
    records = unit_records(m.Event, campaign, *date_order(m.Event.date))
    consult = [e for e in records if e.kind == vocab.CONSULT_DAY]
    drills = [e for e in records if e.kind == vocab.DRILL]
    others = [e for e in records if e.kind not in (vocab.CONSULT_DAY, vocab.DRILL)]

    text_consult, main = _consult(_distinct(consult), f, campaign)
    text_others = _themed(year, _distinct(others), launch_told)
    text_drills = _drills(year, _distinct(drills))
    items = P.enumerate_items([
        para("consult_day", "扎实开展咨询日活动", text_consult),
        para("events", "广泛开展主题宣传活动", text_others),
        para("drills", "组织开展应急演练", text_drills),
    ], always=False)
    out = {
        "paragraphs": items,
        "consult_day": {"date": numbers.date_phrase(main.date if main and main.date else campaign.consult_day),
                        "main": record_dict(main, m.Event) if main else {}},
        "flags": {"consult_day": bool(consult), "events": bool(others), "drills": bool(drills)},
    }
    if year.wants("publicity.consult_day.events"):
        out["consult_day"]["events"] = [record_dict(e, m.Event) for e in consult]
    for key, listed in (("events", others), ("drills", drills)):
        if year.wants(f"publicity.{key}"):
            out[key] = [record_dict(e, m.Event) for e in listed]
    return out
