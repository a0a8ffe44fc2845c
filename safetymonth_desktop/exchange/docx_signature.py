"""The 落款 of a rendered summary laid out as GB/T 9704 7.3.5 has it: the 成文日期 右空二字 (two characters in from
the right margin) and the signing organ's name centred over the date. How far each line sits from the margin
depends on the rendered text, so this runs on the rendered
document: `place_signature(document)` finds the paragraphs in the 落款 style (id `Signature`) — the last is the
date, the one before it the organ — and sets their right indents in characters of the grid."""

from __future__ import annotations

import unicodedata

from docx.enum.text import WD_ALIGN_PARAGRAPH

from safetymonth_desktop.exchange.docx_layout import indent_chars

STYLE_ID = "Signature"
MARGIN_CHARS = 2  # 右空二字


def text_width(text: str) -> float:
    """Width in grid characters: a Chinese (wide) character is one, a digit or Latin letter half of one."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5 for ch in text.strip())


def _style_id(paragraph) -> str | None:
    ppr = paragraph._p.pPr
    return ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else None


def signature_paragraphs(document) -> list:
    """The 落款 paragraphs with text: [organ, date] or [date]."""
    found = [p for p in document.paragraphs if _style_id(p) == STYLE_ID and p.text.strip()]
    return found[-2:]


def right_indents(widths: list[float]) -> list[float]:
    """Right indents (characters) of the 落款 lines of these widths, the date last: the date two characters from the
    margin and the organ's name centred over it — unless the name is so long it would pass the margin, then the
    name ends at the margin and the date moves in to stay centred under it."""
    date = widths[-1]
    centre = max(MARGIN_CHARS + date / 2, max(widths) / 2)  # distance of the common centre from the right margin
    return [centre - w / 2 for w in widths]


def place_signature(document) -> None:
    """Right-align the 落款 lines with the indents of `right_indents`."""
    lines = signature_paragraphs(document)
    if not lines:
        return
    for paragraph, right in zip(lines, right_indents([text_width(p.text) for p in lines])):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        indent_chars(paragraph._p.get_or_add_pPr(), right=right, first=0)
