"""二、宣传教育: the four subsections (training, materials, media, events) numbered over those present, and the
closing sentence with the one figure that sums the section up (people reached)."""

from __future__ import annotations

from safetymonth_desktop.exchange import report_prose as P
from safetymonth_desktop.exchange.report_sections.base import SCOPE, Year, para
from safetymonth_desktop.exchange.report_sections.events import events as events_section
from safetymonth_desktop.exchange.report_sections.materials import materials as materials_section
from safetymonth_desktop.exchange.report_sections.media import media as media_section
from safetymonth_desktop.exchange.report_sections.training import training as training_section
from safetymonth_desktop.services import numbers


def _fullwidth(text: str) -> str:
    """Official documents write '(一)' with full-width brackets."""
    return text.replace("(", "\uff08").replace(")", "\uff09")


def publicity(year: Year, *, launch_told: bool = False) -> dict:
    f = year.f
    training = training_section(year)
    materials = materials_section(year)
    media = media_section(year)
    events = events_section(year, launch_told=launch_told)
    subsections = [
        {"key": "training", "title": "强化安全培训", "paragraphs": [para("training", "", training["text"])]},
        {"key": "materials", "title": "发放宣传资料", "paragraphs": [para("materials", "", materials["text"])]},
        {"key": "media", "title": "拓展宣传渠道", "paragraphs": [para("media", "", media["text"])]},
        {"key": "events", "title": "组织咨询日等群众性活动" if events["flags"]["consult_day"] else "开展群众性宣传活动",
         "paragraphs": events["paragraphs"]},
    ]
    subsections = [s for s in subsections if any(s["paragraphs"])]
    for n, s in enumerate(subsections, start=1):
        s["number"] = _fullwidth(numbers.heading_number(2, n))
        s["paragraphs"] = [p for p in s["paragraphs"] if p]
    closing = ""
    # people.educated = training + event participants + media reach: name the ways that reached someone
    reach = f["people.educated"] - f["training.participants"] - f["events.participants"]
    ways = [w for w, n in (("培训", f["training.participants"]), ("宣传活动", f["events.participants"]),
                           ("媒体宣传", reach)) if n > 0]
    if len(ways) > 1:  # from one source alone it would only repeat that source's figure
        closing = P.sentence(P.about(f["people.educated"], "人次",
                                     f"据统计，安全生产月期间，{SCOPE}通过{P.series(ways)}累计受教育群众"),
                             year.change("people.educated"))
    return {
        "subsections": subsections,
        "closing": closing,
        "training": {k: v for k, v in training.items() if k != "text"},
        "materials": {k: v for k, v in materials.items() if k != "text"},
        "media": {k: v for k, v in media.items() if k != "text"},
        "consult_day": events["consult_day"],
        "events": events["events"],
        "drills": events["drills"],
        "_flags": {"training": bool(training["text"]), "materials": bool(materials["text"]),
                   "media": bool(media["text"]), **events["flags"]},
    }
