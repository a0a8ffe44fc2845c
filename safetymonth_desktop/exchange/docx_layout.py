"""GB/T 9704-2012 page layout for Word documents built with python-docx: A4 with the official margins,
the paragraph styles of an official document (title, three heading levels, body, table text) with
their fonts declared in the styles for ASCII, hAnsi *and* East Asian text, and page numbers `— 1 —`
(odd pages right, even pages left) in the footer.

Used by `scripts/build_template.py` to produce the default 活动总结 template; nothing here renders data.
"""

from __future__ import annotations

import math

from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from safetymonth_desktop.exchange import docx_fonts

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"

BODY_SIZE = Pt(16)        # 3号
TITLE_SIZE = Pt(22)       # 2号
PAGE_SIZE = Pt(14)        # 4号
TABLE_SIZE = Pt(12)       # 小4号
LINE = Pt(28.9)           # 22 lines in the 225 mm type area
TEXT_WIDTH = Mm(210 - 28 - 26)
CHARS_PER_LINE = 28       # GB/T 9704: 28 characters a line
# 28 3号 characters (16 pt) are 448 pt, the line 442.2 pt: the body is condensed by a quarter point per character
# (w:spacing −5 twips in Normal, inherited by every style), which Word, WPS and LibreOffice all honour — a grid
# with a negative w:charSpace makes LibreOffice give each character two cells.
CHAR_SPACING_TWIPS = math.floor((TEXT_WIDTH.pt / CHARS_PER_LINE - BODY_SIZE.pt) * 20)  # −5 (whole twips)
CHAR_PITCH_PT = BODY_SIZE.pt + CHAR_SPACING_TWIPS / 20  # 15.75 pt

# style id → (display name, font, size, bold, alignment, first-line indent in chars, outline level)
STYLES = {
    "Normal": ("Normal", BODY_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, None),
    "DocTitle": ("公文标题", TITLE_FONT, TITLE_SIZE, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "Heading1Gw": ("一级标题", H1_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, 0),
    "Heading2Gw": ("二级标题", H2_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, 1),
    "Heading3Gw": ("三级标题", BODY_FONT, BODY_SIZE, True, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, 2),
    "AnnexLabel": ("附件标注", H1_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, 0, None),
    "Recipient": ("主送", BODY_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, 0, None),
    "AnnexNote": ("附件说明", BODY_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, 0, None),
    "Signature": ("落款", BODY_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, None),
    "TableText": ("表格文字", BODY_FONT, TABLE_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, 0, None),
    "TableHead": ("表头文字", H1_FONT, TABLE_SIZE, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "PageNumber": ("页码", PAGE_FONT, PAGE_SIZE, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, None),
    "Figure": ("图片", BODY_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "FigureCaption": ("图题", BODY_FONT, TABLE_SIZE, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
}


def set_fonts(rpr, font: str) -> None:
    """Name `font` for every script in an rPr (ascii, hAnsi, eastAsia, cs), dropping theme fonts that win over it."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


def _lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _doc_defaults(document) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, BODY_FONT)
    _lang(rpr)


def _char_spacing(rpr, twips: int) -> None:
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        # w:spacing sits after the font, bold, colour and before size in rPr's sequence; python-docx's insert helper
        # knows the order
        rpr.insert_element_before(spacing, "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u",
                                  "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em",
                                  "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
    spacing.set(qn("w:val"), str(twips))


def _first_line_chars(pf_element, chars: int, size) -> None:
    ppr = pf_element
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(int(size.pt * chars * 20)))


def indent_chars(ppr, *, left: float | None = None, first: float | None = None, right: float | None = None) -> None:
    """Indents in characters of the grid (GB/T 9704 counts in characters): Word/WPS read the *Chars attributes
    (hundredths of a character), other readers the twips beside them. `first` < 0 is a hanging indent; `first=0`
    cancels an inherited first-line indent (Word lets firstLineChars win over firstLine, so both are written)."""
    ind = ppr.get_or_add_ind()  # in its place among the pPr children, as Word's schema wants

    def twips(chars: float) -> str:
        return str(round(chars * CHAR_PITCH_PT * 20))

    if left is not None:
        ind.set(qn("w:leftChars"), str(round(left * 100)))
        ind.set(qn("w:left"), twips(left))
    if right is not None:
        ind.set(qn("w:rightChars"), str(round(right * 100)))
        ind.set(qn("w:right"), twips(right))
    if first is not None:
        for attr in ("w:firstLine", "w:firstLineChars", "w:hanging", "w:hangingChars"):
            ind.attrib.pop(qn(attr), None)
        if first < 0:
            ind.set(qn("w:hangingChars"), str(round(-first * 100)))
            ind.set(qn("w:hanging"), twips(-first))
        else:
            ind.set(qn("w:firstLineChars"), str(round(first * 100)))
            ind.set(qn("w:firstLine"), twips(first))


def _outline(ppr, level: int) -> None:
    el = OxmlElement("w:outlineLvl")
    el.set(qn("w:val"), str(level))
    ppr.append(el)


def define_styles(document) -> None:
    """The paragraph styles of the official layout, fonts set for every script."""
    _doc_defaults(document)
    for style_id, (name, font, size, bold, align, indent, outline) in STYLES.items():
        if style_id == "Normal":
            style = document.styles["Normal"]
        else:
            style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.element.set(qn("w:styleId"), style_id)
            style.base_style = document.styles["Normal"]
            style.quick_style = True
        style.font.name = font
        set_fonts(style.element.get_or_add_rPr(), font)
        style.font.size = size
        style.font.bold = bold
        style.font.color.rgb = None
        if style_id == "Normal":  # 28 characters a line; every other style inherits it
            _char_spacing(style.element.get_or_add_rPr(), CHAR_SPACING_TWIPS)
        pf = style.paragraph_format
        pf.alignment = align
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = LINE if size >= BODY_SIZE else Pt(size.pt + 6)
        pf.widow_control = True
        if style_id in ("Heading1Gw", "Heading2Gw", "Heading3Gw", "AnnexLabel"):
            pf.keep_with_next = True
        ppr = style.element.get_or_add_pPr()
        if indent:
            _first_line_chars(ppr, indent, size)
        else:
            indent_chars(ppr, first=0)  # no first-line indent, whatever Normal's firstLineChars says
        if outline is not None:
            _outline(ppr, outline)
        if style_id in ("TableText", "TableHead"):
            snap = OxmlElement("w:snapToGrid")  # table rows as tall as their text, not one body line each
            snap.set(qn("w:val"), "0")
            ppr.append(snap)
    title = document.styles["公文标题"].paragraph_format
    title.line_spacing = Pt(36)
    title.space_after = LINE  # one blank line between title and text, as GB/T 9704 asks
    figure = document.styles["图片"].paragraph_format
    figure.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact line height would cut an inline picture off
    figure.space_before = Pt(12)
    figure.keep_with_next = True  # the picture stays with its caption
    document.styles["图题"].paragraph_format.space_after = Pt(12)
    # 落款 right-aligned, the date two characters in from the margin (GB/T 9704 7.3.5); a rendered summary then has
    # the organ's name centred over the date (exchange/docx_signature.py).
    indent_chars(document.styles["落款"].element.get_or_add_pPr(), right=2)
    _font_table(document)


def _font_table(document) -> None:
    """The theme and font table naming only the fonts used, with fallbacks for the official fonts a PC lacks,
    and no theme font left in the styles (`docx_fonts`)."""
    docx_fonts.apply(document)


def page_setup(document) -> None:
    """A4 portrait, margins 37/35/28/26 mm, a line grid of 28.9 pt (22 lines; the 28 characters a line come from
    the condensed character spacing of the styles, CHAR_SPACING_TWIPS), odd/even footers."""
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(24)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(int(LINE.pt * 20)))
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph, align) -> None:
    """`— 7 —` with a PAGE field, one character in from the outer edge (GB/T 9704 7.5)."""
    paragraph.style = "页码"
    paragraph.alignment = align
    pf = paragraph.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        pf.right_indent = PAGE_SIZE
    else:
        pf.left_indent = PAGE_SIZE
    paragraph.add_run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    paragraph.add_run(" —")


def fixed_table(table, widths) -> None:
    """Fixed layout and column widths (Word and WPS would otherwise autofit to the content)."""
    table.autofit = False
    tbl = table._tbl
    tblpr = tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(sum(int(w.twips) for w in widths)))
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "center")
    tblpr.append(jc)
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(width.twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def repeat_header(row) -> None:
    """Repeat this row at the top of every page the table runs onto."""
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)
