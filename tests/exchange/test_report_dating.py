"""The summary as a dated official document: every "截至" and the overdue count as of its 成文日期, 主送 under the
title, 附件说明 under the body and the 落款 laid out per GB/T 9704 (measured in the .docx), 28 characters a line,
and what it will lack said before export (overview and `report`, from services.readiness)."""

import datetime as dt
import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from safetymonth_desktop.exchange import docx_layout as L
from safetymonth_desktop.exchange import word_report
from safetymonth_desktop.exchange.docx_signature import text_width
from safetymonth_desktop.exchange.report_context import build_context
from safetymonth_desktop.services import campaigns, indicators, overview, readiness
from tests.cli.test_cli import run

LATER = dt.date(2026, 11, 29)  # a 2021 summary written years later
CHAR = L.CHAR_PITCH_PT


def paragraphs(path):
    return Document(str(path)).paragraphs


def test_a_past_year_is_dated_7_10_everywhere(demo, tmp_path):
    path = word_report.write_report(demo, tmp_path / "r.docx", today=LATER)
    text = "\n".join(p.text for p in paragraphs(path))
    dates = re.findall(r"截至(\d{4}年\d{1,2}月\d{1,2}日)", text)
    assert dates and set(dates) == {"2021年7月10日"}
    assert "2026" not in text
    context = build_context(demo, today=LATER)
    assert context["report_date"] == "2021年7月10日" and context["report_date_source"] == "past_default"
    overdue = indicators.compute("hazards.overdue", demo, today=dt.date(2021, 7, 10))
    assert context["figures"]["hazards"]["overdue"] == overdue
    assert f"仍有{overdue}处隐患" in text
    signature = [p for p in paragraphs(path) if p.style.name == "落款"]
    assert [p.text for p in signature] == ["城南区政府安委会", "2021年7月10日"]


def test_a_set_report_date_is_used(demo, tmp_path):
    campaigns.save(2021, report_date="2021-07-02")
    path = word_report.write_report(campaigns.get(2021), tmp_path / "r.docx", today=LATER)
    text = "\n".join(p.text for p in paragraphs(path))
    assert set(re.findall(r"截至(\d{4}年\d{1,2}月\d{1,2}日)", text)) == {"2021年7月2日"}
    assert paragraphs(path)[-1].text != "" and "2021年7月2日" in [p.text for p in paragraphs(path)]


def test_recipient_annex_note_and_signature_layout(demo, tmp_path):
    campaigns.save(2021, recipient="市安委办", signer="城南区安全生产委员会")
    path = word_report.write_report(campaigns.get(2021), tmp_path / "r.docx", today=LATER,
                                    chart_renderer=lambda spec: _png())
    paras = paragraphs(path)
    # 主送: right under the title, flush left, ending with a full-width colon
    assert paras[1].text == "市安委办：" and paras[1].style.name == "主送"
    assert paras[1].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert paras[1].style.paragraph_format.first_line_indent == 0
    # 附件说明: one blank line below the body, 附件：1.… then 2.… aligned under the first item's number
    notes = [p for p in paras if p.style.name == "附件说明"]
    assert [p.text for p in notes] == ["附件：1.城南区2021年“安全生产月”活动统计表", "2.城南区2021年“安全生产月”活动统计图"]
    before = paras[paras.index(notes[0]) - 1]
    assert before.text == ""
    first, second = (p.paragraph_format for p in notes)
    assert round(first.left_indent.pt / CHAR) == 6 and round(first.first_line_indent.pt / CHAR) == -4
    assert round((first.left_indent.pt + first.first_line_indent.pt) / CHAR) == 2  # 左空二字
    assert round((second.left_indent.pt + second.first_line_indent.pt) / CHAR) == 2 + 3  # under "1."
    # 落款: the date 右空二字, the organ's name centred over it, both right-aligned
    name, date = [p for p in paras if p.style.name == "落款"]
    assert (name.text, date.text) == ("城南区安全生产委员会", "2021年7月10日")
    for p in (name, date):
        assert p.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert abs(date.paragraph_format.right_indent.pt - 2 * CHAR) < 0.1
    name_centre = name.paragraph_format.right_indent.pt + text_width(name.text) * CHAR / 2
    date_centre = date.paragraph_format.right_indent.pt + text_width(date.text) * CHAR / 2
    assert abs(name_centre - date_centre) < 0.1
    assert paras.index(date) < paras.index(next(p for p in paras if p.text == "附件1"))
    # each annex: a new page, 附件N on line 1 (黑体, flush left), a blank line, the title on line 3
    for label in ("附件1", "附件2"):
        i = next(n for n, p in enumerate(paras) if p.text == label)
        assert paras[i].paragraph_format.page_break_before and paras[i].style.name == "附件标注"
        assert paras[i].style.font.name == L.H1_FONT
        assert paras[i + 1].text == "" and paras[i + 2].style.name == "公文标题"


def test_one_annex_is_not_numbered(demo, tmp_path):
    path = word_report.write_report(demo, tmp_path / "r.docx", today=LATER)  # no charts: the table only
    notes = [p for p in paragraphs(path) if p.style.name == "附件说明"]
    assert [p.text for p in notes] == ["附件：城南区2021年“安全生产月”活动统计表"]
    assert round((notes[0].paragraph_format.left_indent.pt + notes[0].paragraph_format.first_line_indent.pt) / CHAR) == 2


def test_28_characters_a_line():
    doc = Document(str(word_report.default_template()))
    width = doc.sections[0].page_width - doc.sections[0].left_margin - doc.sections[0].right_margin
    spacing = doc.styles["Normal"].element.rPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}spacing")
    pitch = Pt(16).pt + int(spacing.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")) / 20
    assert 28 * pitch <= Pt(width / 12700).pt < 29 * pitch


def _png() -> bytes:
    import base64

    return base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


# ---------------------------------------------------------------------------------------------- readiness

def test_readiness_lists_what_the_summary_will_lack(db):
    campaigns.save(2021)
    campaign = campaigns.get(2021)
    rules = {item.rule for item in readiness.gaps(campaign, today=LATER)}
    assert {"empty_year", "no_region", "no_signer", "no_next_steps", "report_date_default"} <= rules
    assert "empty_section" not in rules  # an empty year is said once
    assert rules <= {i.rule for i in overview.checklist(campaign, today=LATER)}  # the same list in the overview
    campaigns.save(2021, region="城南区", organizer="区政府安委会", next_steps="继续。", report_date="2021-07-08")
    rules = {item.rule for item in readiness.gaps(campaigns.get(2021), today=LATER)}
    assert rules == {"empty_year"}


def test_report_refuses_an_empty_year_unless_draft(tmp_path):
    db = tmp_path / "x.sqlite"
    assert run("--db", db, "campaign", "--year", "2021", "--region", "城南区").returncode == 0
    refused = run("--db", db, "report", "--year", "2021", "-o", tmp_path / "r.docx")
    assert refused.returncode == 1 and "还没有任何记录" in refused.stderr and "--draft" in refused.stderr
    assert not (tmp_path / "r.docx").exists()
    draft = run("--db", db, "report", "--year", "2021", "-o", tmp_path / "r.docx", "--draft")
    assert draft.returncode == 0, draft.stderr
    assert "提示:未填写主办单位或落款机关" in draft.stderr and "提示:未填写下一步工作" in draft.stderr
    assert "7月10日" in draft.stderr  # a past year without 成文日期 says which date it used
    text = [p.text for p in paragraphs(tmp_path / "r.docx") if p.text]
    assert text == ["城南区2021年“安全生产月”活动总结",
                    "今年6月是全国第20个“安全生产月”，活动主题为“落实安全责任，推动安全发展”。", "2021年7月10日"]
