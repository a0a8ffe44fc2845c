"""Plain-text tables for the command line that line up in a terminal with Chinese text: a CJK character (and a
full-width punctuation mark) takes two columns on screen, so widths are counted in display columns
(unicodedata.east_asian_width), not in characters."""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """How many terminal columns `text` takes: 2 for wide and full-width characters, 0 for combining marks."""
    width = 0
    for ch in str(text):
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pad(text: str, width: int, *, right: bool = False) -> str:
    """`text` padded with spaces to `width` display columns (aligned right with `right`)."""
    text = str(text)
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def table(rows: list[tuple], *, right: tuple[int, ...] = (), gap: str = "  ") -> list[str]:
    """`rows` (the first may be a header) as lines whose columns line up; columns in `right` are aligned right.
    The last column is not padded (a long path needs no trailing spaces)."""
    if not rows:
        return []
    count = max(len(r) for r in rows)
    widths = [max(display_width(r[i]) if i < len(r) else 0 for r in rows) for i in range(count)]
    lines = []
    for row in rows:
        cells = [pad(row[i] if i < len(row) else "", widths[i], right=i in right) if i < count - 1
                 else str(row[i] if i < len(row) else "") for i in range(count)]
        lines.append(gap.join(cells).rstrip())
    return lines
