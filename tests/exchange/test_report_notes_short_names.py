"""The clerk's 补充说明 of 宣传培训 folded into the paragraph it belongs to (never a paragraph of its own between 三是
and 据统计), and units named in the prose by their 简称 when they have one."""

import datetime as dt

from docx import Document

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import word_report
from safetymonth_desktop.exchange.report_context import build_context
from safetymonth_desktop.exchange.report_sections.publicity import fold_notes
from safetymonth_desktop.services import records, units

LATER = dt.date(2021, 7, 10)


def body_paragraphs(path) -> list[str]:
    paras = Document(str(path)).paragraphs
    end = next(i for i, p in enumerate(paras) if p.style.name == "落款")
    return [p.text for p in paras[:end] if p.text.strip()]


def test_no_publicity_note_stands_alone_in_the_demo(demo, tmp_path):
    notes = [n.text for n in records.notes_for(demo, "宣传培训")]
    assert notes
    paras = body_paragraphs(word_report.write_report(demo, tmp_path / "r.docx", today=LATER))
    for note in notes:
        holding = [p for p in paras if note in p]
        assert len(holding) == 1 and holding[0] != note  # inside a paragraph with other text, once
    closing = next(i for i, p in enumerate(paras) if "据统计" in p and "受教育群众" in p)
    third = max(i for i, p in enumerate(paras[:closing]) if p.startswith("三是"))
    assert closing == third + 1  # nothing orphaned between 三是 and 据统计
    assert paras[closing].startswith("此外，组织企业开展安全文化建设")
    assert build_context(demo, today=LATER)["publicity"]["notes"] == []


def section(key, text):
    return {"key": key, "paragraphs": [{"key": key, "lead": "", "text": text, "enum": ""}]}


def test_a_note_goes_to_the_subsection_its_words_name():
    subs = [section("training", "培训一段。"), section("media", "媒体一段。"), section("events", "活动一段。")]
    closing, left = fold_notes(subs, "据统计，受教育群众1万人次。", [
        "区人社局还组织了农民工安全培训", "区融媒体中心开设安全生产专栏。", "各村开展安全宣传，发放倡议书。"])
    assert left == []
    assert subs[0]["paragraphs"][0]["text"] == "培训一段。区人社局还组织了农民工安全培训。"
    assert subs[1]["paragraphs"][0]["text"] == "媒体一段。区融媒体中心开设安全生产专栏。"
    assert subs[2]["paragraphs"][0]["text"] == "活动一段。"
    assert closing == "此外，各村开展安全宣传，发放倡议书。据统计，受教育群众1万人次。"


def test_without_a_closing_a_note_joins_the_last_paragraph_and_alone_it_is_the_section():
    subs = [section("training", "培训一段。"), section("events", "活动一段。")]
    closing, left = fold_notes(subs, "", ["各村开展安全宣传。"])
    assert (closing, left) == ("", []) and subs[1]["paragraphs"][0]["text"] == "活动一段。各村开展安全宣传。"
    assert fold_notes([], "", ["只有说明。"]) == ("", ["只有说明。"])


def all_prose(ctx) -> str:
    out = [ctx["opening"]["text"], ctx["hazards"]["intro"], ctx["supervision"]["text"], ctx["publicity"]["closing"]]
    for key in ("org", "hazards"):
        out += [p["text"] for p in ctx[key]["paragraphs"]]
    out += [p["text"] for s in ctx["publicity"]["subsections"] for p in s["paragraphs"]]
    return "\n".join(out)


def test_units_are_named_by_their_short_names(demo):
    before = all_prose(build_context(demo, today=LATER))
    assert "区应急管理局先后" in before and "对5个街道和青石镇" in before
    agency = m.Unit.get(m.Unit.name == "区应急管理局")
    units.update_unit(agency.id, short_name="区应急局")
    street = m.Unit.get(m.Unit.name == "城关街道")
    units.update_unit(street.id, short_name="城关")
    ctx = build_context(demo, today=LATER)
    after = all_prose(ctx)
    assert "区应急局先后" in after and "区应急管理局先后" not in after  # a meeting host typed as the full name
    assert "办公室设在区应急局" in after
    assert "对5个街道和青石镇" in ctx["supervision"]["text"]  # a street by its 简称 is still counted as a street
    assert "同日，城关、东湖街道" in after  # and named by it
    consult = ctx["publicity"]["consult_day"]["main"]
    assert consult["unit"] == "区应急管理局"  # the record data keeps the registered name
    assert "区应急局在" in after
    # a 简称 removed: the full names come back
    units.update_unit(agency.id, short_name="")
    units.update_unit(street.id, short_name="")
    assert all_prose(build_context(demo, today=LATER)) == before
