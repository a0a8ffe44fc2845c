"""二、宣传教育: the four subsections (training, materials, media, events) numbered over those present, and the
closing sentence with the one figure that sums the section up (people reached). The clerk's notes (补充说明) of
宣传培训 are folded into the paragraph they belong to, never left standing between 三是 and 据统计 (`fold_notes`)."""

from __future__ import annotations

import re

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


# Which subsection a note talks about, by its words (the first that matches); a note naming none of them goes with the
# closing sentence ('此外，…。据统计，…').
NOTE_TOPICS = (
    ("training", r"培训|讲座|公开课|以会代训"),
    ("media", r"微信|微博|网站|电视|广播|报纸|媒体|公众号|短信|直播|LED|专栏|新闻"),
    ("materials", r"宣传品|宣传资料|挂图|手册|折页|口袋书|展板|横幅|标语"),
    ("events", r"演练|咨询日|咨询台|竞赛|宣讲|五进|签名|演出|竞猜|体验"),
)
_END = ("。", "！", "？", "；")


def _sentence(text: str) -> str:
    return text if text.endswith(_END) else text.rstrip("，、：:,;") + "。"


def fold_notes(subsections: list[dict], closing: str, notes: list[str]) -> tuple[str, list[str]]:
    """Add each note to the paragraph it belongs to: the last paragraph of the subsection its words name, else the
    closing sentence (said before it, '此外，…'), else the last paragraph of the section. Returns the closing and
    the notes left over — only when the section has no paragraph at all (then they are its text)."""
    if not subsections and not closing:
        return closing, list(notes)
    by_key = {s["key"]: s for s in subsections}
    before_closing = []
    for note in notes:
        note = _sentence(note.strip())
        topic = next((key for key, words in NOTE_TOPICS if key in by_key and re.search(words, note)), None)
        if topic is None and closing:
            before_closing.append(note)
            continue
        target = by_key[topic] if topic else subsections[-1]
        paragraph = target["paragraphs"][-1]
        paragraph["text"] = paragraph["text"] + note
    if before_closing:
        first = before_closing[0]
        if not first.startswith(("此外", "另外", "同时")):
            before_closing[0] = "此外，" + first
        closing = "".join(before_closing) + closing
    return closing, []


def publicity(year: Year, *, launch_told: bool = False, notes: list[str] | None = None) -> dict:
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
    closing, leftover = fold_notes(subsections, closing, notes or [])
    return {
        "subsections": subsections,
        "closing": closing,
        "notes": leftover,
        "training": {k: v for k, v in training.items() if k != "text"},
        "materials": {k: v for k, v in materials.items() if k != "text"},
        "media": {k: v for k, v in media.items() if k != "text"},
        "consult_day": events["consult_day"],
        **{key: events[key] for key in ("events", "drills") if key in events},  # when the template names them
        "_flags": {"training": bool(training["text"]), "materials": bool(materials["text"]),
                   "media": bool(media["text"]), **events["flags"]},
    }
