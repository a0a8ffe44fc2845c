"""（三）拓展宣传渠道: told by the unit that published, the most active first, each outlet in its own measure
(条, 篇, 次 are never added up into one 'x条（篇/次）'). A unit's outlets share one clause; units with one outlet each
in the same measure are merged; what was published (the record's 内容) is said once where it first fits. The
opening names the kinds of media actually used.
"""

from __future__ import annotations

from safetymonth_desktop.base import vocab
from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import report_prose as P
from safetymonth_desktop.exchange.report_sections import regions
from safetymonth_desktop.exchange.report_sections.base import Year, unit_records
from safetymonth_desktop.services import breakdowns, numbers

TOLD = 3               # units told with their outlets; the rest are named
OUTLETS_PER_UNIT = 3
TRADITIONAL = {"电视", "广播", "报纸"}


def _outlet(r) -> dict:
    verb, measure, default = P.CHANNEL_VERB.get(r.channel, ("发布", "条", r.channel))
    return {"channel": r.channel, "name": P.clerk(r.outlet) or default, "verb": verb, "measure": measure,
            "items": r.items or 0, "what": P.clerk(r.description)}


def _unit_outlets(records) -> list[dict]:
    """One entry per unit: its outlets (the same outlet entered twice added up), most items first."""
    units: dict[str, dict] = {}
    for r in records:
        if not r.items:
            continue
        u = units.setdefault(r.unit.name, {"unit": r.unit, "outlets": {}, "items": 0})
        o = _outlet(r)
        key = (o["channel"], o["name"])
        if key in u["outlets"]:
            u["outlets"][key]["items"] += o["items"]
        else:
            u["outlets"][key] = o
        u["items"] += o["items"]
    out = []
    for u in units.values():
        u["outlets"] = sorted(u["outlets"].values(), key=lambda o: -o["items"])
        out.append(u)
    return sorted(out, key=lambda u: (-u["items"], u["unit"].name))


def _outlet_phrase(o: dict, what: str = "") -> str:
    """'在城南有线电视台播出安全公益广告56次'; a text message reads '发送安全提示短信5条'."""
    n = numbers.count_phrase(o["items"])
    if o["channel"] == "短信":
        return f"{o['verb']}{o['name']}{n}{o['measure']}"
    return f"在{o['name']}{o['verb']}{what}{n}{o['measure']}"


def _unit_clause(u: dict, said: set) -> str:
    """A unit and its outlets, each with its own verb and measure; what was published is said once. An outlet
    named after the unit loses the repetition ('区应急管理局在官方网站发布26篇')."""
    phrases = []
    for o in u["outlets"][:OUTLETS_PER_UNIT]:
        what = o["what"] if o["what"] and o["what"] not in said else ""
        said.add(what)
        phrases.append(_outlet_phrase({**o, "name": P.without_owner(o["name"], u["unit"])}, what))
    more = "等" if len(u["outlets"]) > OUTLETS_PER_UNIT else ""
    return f"{u['unit'].name}{P.join(phrases, '，')}{more}"


def _single_merge(units: list[dict], said: set) -> str:
    """Units with one outlet each in one measure: 'A和B分别利用X和Y播放宣传信息48条'; many units counted."""
    o = [u["outlets"][0] for u in units]
    total = numbers.count_phrase(sum(x["items"] for x in o))
    verbs = {x["verb"] for x in o}
    verb = verbs.pop() if len(verbs) == 1 else "播放" if all(v.endswith("播放") for v in verbs) else "发布"
    whats = {x["what"] for x in o}
    what = whats.pop() if len(whats) == 1 and not (whats & said) and "" not in whats else "宣传信息"
    said.add(what)
    figure = f"{verb}{what}{total}{o[0]['measure']}"
    own = [P.without_owner(x["name"], u["unit"]) for x, u in zip(o, units)]
    if len(set(own)) == 1 and own[0] != o[0]["name"]:  # each unit's own account of one kind
        return f"{P.unit_phrase([u['unit'] for u in units])}通过各自{own[0]}{figure}"
    if len(units) > 4:
        return f"{P.unit_phrase([u['unit'] for u in units])}通过{P.join(list(dict.fromkeys(own))[:3])}等{figure}"
    return f"{P.series([u['unit'].name for u in units])}分别利用{P.series([x['name'] for x in o])}{figure}"


def _how(used: set) -> str:
    """How the year's channels were used, from the channels themselves (traditional, new, or both)."""
    traditional = [P.CHANNEL_NOUN[c] for c in vocab.MEDIA_CHANNELS if c in used and c in TRADITIONAL]
    new = [P.CHANNEL_NOUN.get(c, c) for c in vocab.MEDIA_CHANNELS if c in used and c not in TRADITIONAL]
    if traditional and new:
        return f"把{P.join(traditional)}等传统媒体和网络新媒体结合起来"
    if traditional:
        return f"依托{P.join(traditional)}"
    return f"依托{P.join(new[:3])}等平台"


def media(year: Year) -> dict:
    f = year.f
    outlets = []
    for channel, outlet, items in breakdowns.media_by_channel_and_outlet(year.campaign):
        if not items:
            continue
        verb, measure, default = P.CHANNEL_VERB.get(channel, ("发布", "条", channel))
        name = outlet.strip() or default
        phrase = f"{verb}{name}{numbers.count_phrase(items)}{measure}" if channel == "短信" \
            else f"{name}{verb}{numbers.count_phrase(items)}{measure}"
        outlets.append({"channel": channel, "outlet": outlet.strip(), "items": int(items), "phrase": phrase})
    by_channel = f["media.by_channel"]
    channels = [P.CHANNEL_NOUN.get(c, c) for c, n in by_channel.items() if n]
    text = ""
    if f["media.items"]:
        units = _unit_outlets(unit_records(m.Media, year.campaign))
        how = _how({c for c, n in by_channel.items() if n})
        lead = P.join([f"{regions.actors(year.campaign)}{how}开展安全生产宣传", year.once("不断扩大宣传覆盖面", unless="覆盖面")], "，")
        said: set = set()
        told = units[:TOLD]
        rest = units[TOLD:]
        clauses = [_unit_clause(u, said) for u in told if len(u["outlets"]) > 1 or u is told[0]]
        singles = [u for u in told[1:] if len(u["outlets"]) == 1]
        singles += [u for u in rest if len(u["outlets"]) == 1]
        others = [u for u in rest if len(u["outlets"]) > 1]
        if len(singles) > 1 and len({u["outlets"][0]["measure"] for u in singles}) == 1:
            clauses.append(_single_merge(singles, said))
        else:
            clauses += [_unit_clause(u, said) for u in singles]
        if others:
            names = dict.fromkeys(P.without_owner(o["name"], u["unit"]) for u in others for o in u["outlets"][:2])
            clauses.append(f"{P.unit_phrase([u['unit'] for u in others])}也通过{P.join(names)}等开展了宣传")
        text = P.sentence(lead) + P.sentence(P.join(clauses, "；"))
    return {"text": text, "outlets": outlets, "channels": channels}
