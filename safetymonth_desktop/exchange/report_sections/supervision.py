"""四、督查: the inspections in one paragraph — purpose, kinds and count, who led, whom (streets and towns counted,
departments named), what was looked at, problems found and rectified, the main problems and the requests."""

from __future__ import annotations

import re

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import report_prose as P
from safetymonth_desktop.exchange.report_sections import regions
from safetymonth_desktop.exchange.report_sections.base import (SELF, Year, attach_units, campaign_records,
                                                               date_order, record_dict)
from safetymonth_desktop.base import vocab


def supervision(year: Year) -> dict:
    f = year.f
    everything = campaign_records(m.Inspection, year.campaign, *date_order(m.Inspection.date))
    # roll-up: the sub-regions' own inspections are told as a count after the region's own (report_sections/regions)
    inspections, theirs = regions.split_inspections(everything)
    inspections = attach_units(inspections, "target")
    if theirs:
        f = {**f, **regions.inspection_figures(inspections)}
    text = ""
    if inspections:
        kinds = [k for k in vocab.INSPECTION_KINDS if any(i.kind == k for i in inspections)]
        focus = [P.FOCUS_NOUN[k] for k in vocab.INSPECTION_FOCUS if k in P.FOCUS_NOUN
                 and any(i.focus == k for i in inspections)]
        leaders = list(dict.fromkeys(P.clerk(i.leader) for i in inspections if i.leader.strip()))
        what = P.series(focus) if focus else "安全生产月活动开展情况"
        text = P.sentence(year.once("为推动各项活动落到实处"),
                          f"{SELF}组织开展{P.series(kinds)}{f['supervision.count']}次",
                          f"由{P.series(leaders, limit=3)}带队" if leaders else "",
                          f"对{P.unit_phrase([i.target for i in inspections])}的{what}进行了督查",
                          P.join([P.qty(f["supervision.problems"], "个", "共发现问题"),
                                  P.qty(f["supervision.rectified"], "个", "已整改")], "，"))
        problems = []
        for i in inspections:
            for piece in re.split("[;\uff1b]", P.punctuate(i.problems)):
                if P.strip_end(piece):
                    problems.append(P.strip_end(piece))
        problems = list(dict.fromkeys(problems))
        requests = list(dict.fromkeys(P.clerk(i.requests) for i in inspections if i.requests.strip()))
        if problems:
            text += P.sentence(f"督查发现的问题主要有：{P.join(problems[:5], '；')}")
        if requests:
            text += P.sentence(f"针对发现的问题，督查组提出了{P.join(requests[:3], '；')}的要求")
    text += regions.inspections_text(theirs)
    out = {"text": text}
    if year.wants("supervision.inspections"):
        everything = attach_units(everything, "target")
        out["inspections"] = [{**record_dict(i, m.Inspection), "target": i.target.name} for i in everything]
    return out
