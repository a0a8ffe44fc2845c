"""（二）发放宣传资料: the money spent (the one total), then what was made, each in its own measure — never 套, 本,
块 and 条 added up into one figure. The same item made by several units is one item ('5个街道和青石镇印制安全知识
宣传折页3.1万余份'); a unit's items share one clause; the largest first, the rest grouped by kind.
"""

from __future__ import annotations

from safetymonth_desktop.base import vocab
from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import report_prose as P
from safetymonth_desktop.exchange.report_sections.base import SELF, Year, record_dict, unit_records
from safetymonth_desktop.services import indicators, numbers

TOLD = 3           # clauses (a unit or a group of units) told with their items
ITEMS_PER_CLAUSE = 4

# What one does with a kind of material.
VERB = {"宣传品/纪念品": "发放", "展板": "制作", "横幅标语": "悬挂", "警示片/光盘": "发放"}
VERB_ORDER = ("印制", "制作", "悬挂", "发放")


def _measure(r) -> str:
    return r.measure or vocab.DEFAULT_MEASURE.get(r.kind, "件")


def _item_name(r) -> str:
    return P.clerk(r.name) or P.MATERIAL_NOUN.get(r.kind, r.kind)


def _clauses(records) -> list[dict]:
    """Items (one name, kind and measure) with the units that made them, grouped into one clause per set of units."""
    items: dict[tuple, dict] = {}
    for r in records:
        if not r.quantity:
            continue
        key = (P.without_owner(_item_name(r), r.unit), r.kind, _measure(r))
        item = items.setdefault(key, {"name": key[0], "kind": r.kind, "measure": key[2], "quantity": 0, "units": {}})
        item["quantity"] += r.quantity
        item["units"].setdefault(r.unit.name, r.unit)
    clauses: dict[tuple, dict] = {}
    for item in sorted(items.values(), key=lambda i: -i["quantity"]):
        key = tuple(sorted(item["units"]))
        clause = clauses.setdefault(key, {"units": list(item["units"].values()), "items": [], "largest": 0})
        clause["items"].append(item)
        clause["largest"] = max(clause["largest"], item["quantity"])
    return sorted(clauses.values(), key=lambda c: -c["largest"])


def _clause_text(clause: dict) -> str:
    """'区应急管理局印制新《安全生产法》口袋书5639本、宣传挂图5220套，发放……宣传品8399件'."""
    by_verb: dict[str, list[str]] = {}
    for item in clause["items"][:ITEMS_PER_CLAUSE]:
        phrase = f"{item['name']}{numbers.count_phrase(item['quantity'])}{item['measure']}"
        by_verb.setdefault(VERB.get(item["kind"], "印制"), []).append(phrase)
    more = "等" if len(clause["items"]) > ITEMS_PER_CLAUSE else ""
    doing = P.join([f"{verb}{P.join(by_verb[verb])}" for verb in VERB_ORDER if verb in by_verb], "，")
    return f"{P.unit_phrase(clause['units'])}{doing}{more}"


def _rest(clauses: list[dict]) -> str:
    """The clauses not told: their units and kinds, no figures."""
    if not clauses:
        return ""
    units = [u for c in clauses for u in c["units"]]
    kinds = list(dict.fromkeys(P.MATERIAL_NOUN.get(i["kind"], i["kind"]) for c in clauses for i in c["items"]))
    return f"{P.unit_phrase(units)}也印制发放了{P.join(kinds[:4])}等"


def materials(year: Year) -> dict:
    f = year.f
    measures = [{"kind": k, "noun": P.MATERIAL_NOUN.get(k, k), "measure": ms or vocab.DEFAULT_MEASURE.get(k, "件"),
                 "quantity": q} for k, ms, q in indicators.material_measures(year.campaign) if q]
    records = unit_records(m.Material, year.campaign, m.Material.quantity.desc())
    text = ""
    if f["materials.total"]:
        clauses = _clauses(records)
        told = clauses[:TOLD]
        rest = clauses[TOLD:]
        if len(rest) == 1:
            told, rest = clauses, []
        purpose = year.once("把安全知识送到群众身边", unless="群众身边")
        told_text = P.join([_clause_text(c) for c in told], "；")
        if f["materials.cost"]:
            text = P.sentence(f"{SELF}投入宣传经费{P.money(f['materials.cost'])}", "印制发放各类宣传资料和宣传品",
                              purpose) + P.sentence(told_text)
        else:  # no money to lead with: what was made, and why
            text = P.sentence(told_text, purpose)
        text += P.sentence(_rest(rest))
    out = {"text": text, "by_measure": measures}
    if year.wants("publicity.materials.records"):
        out["records"] = [record_dict(r, m.Material) for r in records]
    return out
