"""Checks of the summary's phrasing rules (REPORT.md, "Writing like a person"), used by the report tests.

`frame_runs` abstracts a paragraph — every name and free text from the year's records becomes Ⓝ, quoted and
titled text too, every figure (近1700, 2300余, 3.1万余, 88.4%) becomes # — and looks for more than `limit`
consecutive clauses, or consecutive list items (split at ；。), of the same shape: "X开展Y，检查单位n家次" eight
times over is one shape eight times. The other helpers read the generated paragraphs of a context.
"""

from __future__ import annotations

import re

import peewee as pw

from safetymonth_desktop.base import vocab
from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import report_prose as P

NAME = "Ⓝ"
FIGURE = re.compile(r"近?\d+(?:\.\d+)?(?:万)?余?%?")
QUOTED = re.compile(r"“[^”]*”|《[^》]*》|〈[^〉]*〉|（[^）]*）")
SCHEMA_UNITS = re.compile(r"[（(]\s*篇\s*/\s*次\s*[)）]|份[（(]件[)）]|\d+\s*[张幅]\s*/\s*套|条[（(]篇|/次|/套|/件")


def year_names(campaign) -> set[str]:
    """Every unit name, every free text of the year's records (as typed and as the prose cleans it) and the
    vocabulary's words: what the frame check abstracts away."""
    names = {u.name for u in m.Unit.select()}
    for model in m.RECORD_MODELS:
        text_fields = [f for f in m.user_fields(model) if isinstance(f, (pw.CharField, pw.TextField))]
        for record in model.select().where(model.campaign == campaign):
            for f in text_fields:
                value = getattr(record, f.name) or ""
                if value.strip():
                    names |= {value.strip(), P.clerk(value), P.punctuate(value.strip())}
    for table in (P.TRAINING_NOUN, P.MATERIAL_NOUN, P.CHANNEL_NOUN, P.INDUSTRY_NOUN, P.FOCUS_NOUN):
        names |= set(table) | set(table.values())
    names |= set(vocab.EVENT_KINDS) | set(vocab.MEETING_KINDS) | set(vocab.INSPECTION_KINDS)
    return {n for n in names if len(n) >= 2}


def shape(text: str, names: set[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, NAME)
    text = QUOTED.sub(NAME, text)
    text = FIGURE.sub("#", text)
    text = re.sub(f"{NAME}(?:[、和及与]?{NAME})+", NAME, text)
    return text


def frame_runs(text: str, names: set[str], limit: int = 3) -> list[list[str]]:
    """Runs of more than `limit` consecutive clauses (split at ，；。：) or list items (split at ；。) of one shape."""
    abstract = shape(text, names)
    runs = []
    for splitter in ("[，；。：！？]", "[；。]"):
        pieces = [p for p in re.split(splitter, abstract) if p.strip()]
        run = pieces[:1]
        for piece in pieces[1:] + [None]:
            if piece is not None and piece == run[-1]:
                run.append(piece)
                continue
            if len(run) > limit:
                runs.append(run)
            run = [piece]
    return runs


def printed(p: dict) -> str:
    """A paragraph as the default template prints it: '一是领导高度重视。' and its text."""
    return f"{p['enum']}{p['lead']}。{p['text']}" if p["lead"] else p["text"]


def generated_paragraphs(ctx: dict) -> list[str]:
    """The paragraphs the default wording writes (not the clerk's notes or 下一步), in document order."""
    out = [ctx["opening"]["text"]]
    out += [printed(p) for p in ctx["org"]["paragraphs"]]
    for s in ctx["publicity"]["subsections"]:
        out += [printed(p) for p in s["paragraphs"]]
    out.append(ctx["publicity"]["closing"])
    out.append(ctx["hazards"]["intro"])
    out += [printed(p) for p in ctx["hazards"]["paragraphs"]]
    out.append(ctx["supervision"]["text"])
    return [t for t in out if t]


def hazards_text(ctx: dict) -> str:
    return "".join([ctx["hazards"]["intro"], *(p["text"] for p in ctx["hazards"]["paragraphs"])])


def focus_industries(ctx: dict) -> list[str]:
    match = re.search(r"突出(.+?)等?重点行业领域", ctx["hazards"]["intro"]) or \
        re.search(r"突出(.+?)领域", ctx["hazards"]["intro"])
    return match.group(1).split("、") if match else []


def repeated_figures(paragraph: str) -> list[str]:
    """Figures of three digits or more said again in the next sentence (the same numbers twice in a row)."""
    paragraph = re.sub(r"〔\d{4}〕|\d{4}年", "", QUOTED.sub(NAME, paragraph))  # titles, 文号 and years are no figures
    sentences = [s for s in paragraph.split("。") if s]
    out = []
    for a, b in zip(sentences, sentences[1:]):
        big = lambda s: set(re.findall(r"\d{3,}", s))  # noqa: E731
        out += sorted(big(a) & big(b))
    return out


def duplicate_clauses(paragraphs: list[str], least: int = 8) -> list[str]:
    """Clauses of at least `least` characters written twice in the document (a purpose or effect repeated)."""
    seen: set[str] = set()
    dup = []
    for text in paragraphs:
        for clause in re.split("[，；。：]", text):
            if len(clause) >= least and clause in seen:
                dup.append(clause)
            seen.add(clause)
    return dup
