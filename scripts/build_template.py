"""Build the default 活动总结 template `resources/templates/default_summary.docx` (python-docx + docxtpl
Jinja tags) and its variable reference `resources/templates/变量说明.md`.

Run from the checkout root after changing the wording, the layout or the context:

    python scripts/build_template.py

Both files are committed; a test fails when the variable reference no longer matches the context.
The wording of every paragraph comes from the context (`exchange/report_context.py`); the template
fixes the order, the headings and the layout (`exchange/docx_layout.py`, GB/T 9704).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docx import Document  # noqa: E402
from docx.shared import Mm  # noqa: E402

from safetymonth_desktop.exchange import docx_fonts  # noqa: E402
from safetymonth_desktop.exchange import docx_layout as L  # noqa: E402

TEMPLATE = ROOT / "resources" / "templates" / "default_summary.docx"
REFERENCE = ROOT / "resources" / "templates" / "变量说明.md"


def tag(doc, text: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag ({%p … %}): docxtpl removes it when rendering."""
    doc.add_paragraph(text)


def body(doc, text: str, style: str = "Normal") -> None:
    doc.add_paragraph(text, style=style)


def numbered(doc, items: str, *, lead_if: str = "") -> None:
    """A loop over paragraphs with a bold lead ('一是领导高度重视。') followed by their text."""
    tag(doc, f"{{%p for p in {items} %}}")
    para = doc.add_paragraph()
    if lead_if:
        para.add_run("{% if p.lead %}{{ p.enum }}{{ p.lead }}。{% endif %}").bold = True
    else:
        para.add_run("{{ p.enum }}{{ p.lead }}。").bold = True
    para.add_run("{{ p.text }}")
    tag(doc, "{%p endfor %}")


def annex_note(doc, text: str, *, left: float, first: float) -> None:
    """One line of the 附件说明: left indent and hanging indent in characters (the number and the name aligned)."""
    para = doc.add_paragraph(text, style="附件说明")
    L.indent_chars(para._p.get_or_add_pPr(), left=left, first=first)


def annex_heading(doc, label: str, title: str) -> None:
    """An annex begins a new page: 附件N on line 1 (黑体, flush left), a blank line, its title on line 3 (centred)."""
    para = doc.add_paragraph(label, style="附件标注")
    para.paragraph_format.page_break_before = True
    body(doc, "", "附件标注")
    body(doc, title, "公文标题")


def notes(doc, items: str) -> None:
    tag(doc, f"{{%p for t in {items} %}}")
    body(doc, "{{ t }}")
    tag(doc, "{%p endfor %}")


def build(path: Path = TEMPLATE) -> Path:
    doc = Document()
    L.define_styles(doc)
    L.page_setup(doc)
    doc.paragraphs[0]._p.getparent().remove(doc.paragraphs[0]._p) if doc.paragraphs else None

    body(doc, "{{ title }}", "公文标题")
    tag(doc, "{%p if recipient %}")
    body(doc, "{{ recipient }}：", "主送")  # GB/T 9704 7.3.2: under the title, flush left, a full-width colon
    tag(doc, "{%p endif %}")
    body(doc, "{{ opening.text }}")
    notes(doc, "opening.notes")

    tag(doc, "{%p if has_org %}")
    body(doc, "{{ org.number }}强化组织领导", "一级标题")
    numbered(doc, "org.paragraphs")
    notes(doc, "org.notes")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if has_publicity %}")
    body(doc, "{{ publicity.number }}深入开展宣传教育", "一级标题")
    tag(doc, "{%p for s in publicity.subsections %}")
    body(doc, "{{ s.number }}{{ s.title }}", "二级标题")
    numbered(doc, "s.paragraphs", lead_if="p.lead")
    tag(doc, "{%p endfor %}")
    notes(doc, "publicity.notes")
    tag(doc, "{%p if publicity.closing %}")
    body(doc, "{{ publicity.closing }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if has_hazards %}")
    body(doc, "{{ hazards.number }}扎实推进隐患排查整治", "一级标题")
    tag(doc, "{%p if hazards.intro %}")
    body(doc, "{{ hazards.intro }}")
    tag(doc, "{%p endif %}")
    numbered(doc, "hazards.paragraphs")
    notes(doc, "hazards.notes")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if has_supervision %}")
    body(doc, "{{ supervision.number }}强化督查检查", "一级标题")
    tag(doc, "{%p if supervision.text %}")
    body(doc, "{{ supervision.text }}")
    tag(doc, "{%p endif %}")
    notes(doc, "supervision.notes")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if has_next_steps %}")
    body(doc, "{{ next.number }}下一步工作打算", "一级标题")
    notes(doc, "next.paragraphs")
    notes(doc, "next.notes")
    tag(doc, "{%p endif %}")

    # 附件说明 (GB/T 9704 7.3.4): one line below the body, two characters in, '附件：' then the annexes numbered
    # '1.' '2.', each on its own line with its number under the first one's and a long name wrapping under its text.
    tag(doc, "{%p if annexes %}")
    body(doc, "")
    tag(doc, "{%p for a in annexes %}")
    tag(doc, "{%p if a.first and not a.number %}")
    annex_note(doc, "附件：{{ a.title }}", left=2 + 3, first=-3)
    tag(doc, "{%p elif a.first %}")
    annex_note(doc, "附件：{{ a.number }}{{ a.title }}", left=2 + 3 + 1, first=-4)
    tag(doc, "{%p else %}")
    annex_note(doc, "{{ a.number }}{{ a.title }}", left=2 + 3 + 1, first=-1)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    # 落款 (GB/T 9704 7.3.5): one line below, the organ's name over the 成文日期; word_report centres the name over
    # the date once their text is known.
    body(doc, "")
    tag(doc, "{%p if signer %}")
    body(doc, "{{ signer }}", "落款")
    tag(doc, "{%p endif %}")
    body(doc, "{{ report_date }}", "落款")

    tag(doc, "{%p if has_appendix %}")
    annex_heading(doc, "{{ appendix.label }}", "{{ appendix.title }}")
    widths = [Mm(30), Mm(72), Mm(24), Mm(30)]
    table = doc.add_table(rows=4, cols=4)
    table.style = doc.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, ("类别", "指标", "计量单位", "数值")):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].style = "表头文字"
    table.rows[1].cells[0].paragraphs[0].text = "{%tr for r in appendix.rows %}"
    for cell, text in zip(table.rows[2].cells, ("{{ r.category }}", "{{ r.label }}", "{{ r.measure }}", "{{ r.value }}")):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].style = "表格文字"
    table.rows[3].cells[0].paragraphs[0].text = "{%tr endfor %}"
    for i in (2, 3):
        table.rows[2].cells[i].paragraphs[0].alignment = 1  # centred
    L.fixed_table(table, widths)
    L.repeat_header(table.rows[0])
    tag(doc, "{%p endif %}")

    # The charts: one inline picture (15 cm wide, no floating object) and its caption per chart.
    tag(doc, "{%p if has_charts %}")
    annex_heading(doc, "{{ chart_appendix.label }}", "{{ chart_appendix.title }}")
    tag(doc, "{%p for c in charts %}")
    body(doc, "{{ c.image }}", "图片")
    body(doc, "{{ c.number }}　{{ c.title }}", "图题")
    tag(doc, "{%p if c.note %}")
    body(doc, "（{{ c.note }}）", "图题")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    # 活动图片: the photos the clerk chose, two to a page, each an inline picture (no floating object) with its caption
    # under it; every page after the annex's first starts with its first picture.
    tag(doc, "{%p if has_photos %}")
    annex_heading(doc, "{{ photo_appendix.label }}", "{{ photo_appendix.title }}")
    tag(doc, "{%p for p in photos %}")
    tag(doc, "{%p if p.new_page %}")
    para = doc.add_paragraph("{{ p.image }}", style="图片")
    para.paragraph_format.page_break_before = True
    tag(doc, "{%p else %}")
    body(doc, "{{ p.image }}", "图片")
    tag(doc, "{%p endif %}")
    body(doc, "{{ p.caption }}", "图题")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    docx_fonts.apply(doc)  # the whole document exists now: theme and font table name exactly its fonts
    doc.core_properties.title = "安全生产月活动总结模板"
    doc.core_properties.author = "safetymonth_desktop"
    doc.core_properties.created = doc.core_properties.modified = dt.datetime(2026, 1, 1)
    doc.core_properties.revision = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def main() -> int:
    from safetymonth_desktop.exchange import report_reference

    print(build())
    REFERENCE.write_text(report_reference.markdown(), encoding="utf-8")
    print(REFERENCE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
