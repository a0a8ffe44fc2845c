"""Ledger rows streamed straight into a workbook's sheet parts as XML (the statistics workbook's ledgers).

openpyxl writes the workbook around the ledgers — styles, header rows, frozen panes, widths, print setup — with
each ledger sheet holding only its header; `splice` then copies that workbook into the target file and, for each
ledger sheet, writes its data rows into the sheet's XML just before `</sheetData>`, straight from the SQL cursor.
The cells are what openpyxl's write-only mode writes (inline strings, dates as serial numbers with the column's
number format, text that looks like a formula quote-prefixed: the xlsx_layout guard), at a fraction of its cost
per cell (openpyxl builds a cell object and an XML element per value: 2/3 of the time of an export of 100 000
records, profiled).

Also here: how many rows one sheet holds (Excel's 1 048 576) and the names and notes of the 续 sheets a ledger
longer than that continues on.
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile

from safetymonth_desktop.exchange import xlsx_layout as layout

MAX_ROWS = 1_048_576  # rows of one Excel worksheet (Excel 2007 and later, WPS, LibreOffice)
CHUNK_ROWS = 2000  # rows encoded and written to the zip at a time (and between progress ticks)


def continuation_name(name: str, number: int) -> str:
    """The `number`-th 续 sheet of the ledger sheet `name`."""
    return f"{name}(续{number})"


def continuation_note(name: str, first: int, last: int) -> str:
    """The note above a 续 sheet's header: whose rows it holds and why."""
    return (f"续表:接工作表“{name}”,第 {first} 至 {last} 条记录"
            f"(Excel 每个工作表最多 {MAX_ROWS} 行,超出部分依次放在续表中)")


def sheet_sizes(count: int) -> list[int]:
    """Data rows on the ledger sheet and on each of its 续 sheets for `count` records: the first sheet has one
    header row, a 续 sheet a note row and the header row. At least one sheet (a ledger with no rows keeps its
    header)."""
    sizes = [min(count, MAX_ROWS - 1)]
    left = count - sizes[0]
    while left > 0:
        sizes.append(min(left, MAX_ROWS - 2))
        left -= sizes[-1]
    return sizes


def register_styles(ws) -> dict[str, int]:
    """The cell-format ids (openpyxl's cellXfs, written into styles.xml on save) of the ledgers' number formats
    by column kind, and of quote-prefixed text under "quote"."""
    from openpyxl.cell import WriteOnlyCell

    ids = {}
    for kind, fmt in layout.NUMBER_FORMATS.items():
        cell = WriteOnlyCell(ws)
        cell.number_format = fmt
        ids[kind] = cell.style_id
    cell = WriteOnlyCell(ws)
    cell.quotePrefix = True
    ids["quote"] = cell.style_id
    return ids


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


_SPECIAL = ("&", "<", ">", "\r")
_WHITESPACE = (" ", "\t", "\n", "\r")


def _text_tail(value: str, quote: int) -> str:
    """What follows `<c r="A1"` in an inline-string cell holding `value` through the one text guard
    (xlsx_layout.excel_text, and the quote prefix for text Excel would take for a formula); "" for no cell."""
    if not value.isprintable() or "_x" in value or len(value) > layout.MAX_CELL_CHARS:
        value = layout.excel_text(value)  # printable text without "_x" is what the guard leaves as it is
        if not value:
            return ""
    style = f' s="{quote}"' if value[0] in layout.FORMULA_START else ""
    for ch in _SPECIAL:
        if ch in value:
            value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
            break
    space = ' xml:space="preserve"' if value[0] in _WHITESPACE or value[-1] in _WHITESPACE else ""
    return f'{style} t="inlineStr"><is><t{space}>{value}</t></is></c>'


class RowEncoder:
    """Turns raw SQL rows of one ledger (values as SQLite holds them, in the sheet's column order) into the XML of
    sheet rows: units by name, dates as Excel serials, money from 分 to 元, text through the guard."""

    def __init__(self, columns, styles: dict[str, int], unit_names: dict):
        self.kinds = [c.kind for c in columns]
        self.letters = [_column_letter(i) for i in range(len(columns))]
        self.styles = styles
        self.unit_names = unit_names
        self._serials: dict[str, object] = {}
        # Choices and unit names repeat row after row: their cells' XML is made once per value.
        self._tails = [{} if kind in (layout.CHOICE, layout.UNIT) else None for kind in self.kinds]

    def _serial(self, text: str):
        """Excel's serial number of an ISO date as SQLite holds it (None: not a date, written as the text)."""
        if text in self._serials:
            return self._serials[text]
        from openpyxl.utils.datetime import to_excel

        try:
            serial = to_excel(dt.date.fromisoformat(text[:10]))
        except ValueError:
            serial = None
        self._serials[text] = serial
        return serial

    def rows(self, rows, first_row: int) -> str:
        """The XML of `rows` numbered from `first_row`."""
        out = []
        append = out.append
        unit_names, serials, serial_of = self.unit_names, self._serials, self._serial
        date_style, money_style = self.styles[layout.DATE], self.styles[layout.MONEY]
        quote = self.styles["quote"]
        columns = list(zip(self.kinds, self.letters, self._tails))
        date, money, unit = layout.DATE, layout.MONEY, layout.UNIT  # locals: the loop runs once per cell
        number = first_row
        for values in rows:
            r = str(number)
            append(f'<row r="{r}">')
            for (kind, letter, tails), value in zip(columns, values):
                if value is None:
                    continue
                if value.__class__ is str:
                    if kind == date:
                        serial = serials.get(value)
                        if serial is None:
                            serial = serial_of(value)
                        if serial is not None:
                            append(f'<c r="{letter}{r}" s="{date_style}"><v>{serial}</v></c>')
                            continue
                    if not value:
                        continue
                    if tails is None:
                        tail = _text_tail(value, quote)
                    else:
                        tail = tails.get(value)
                        if tail is None:
                            tail = tails[value] = _text_tail(value, quote)
                    if tail:
                        append(f'<c r="{letter}{r}"{tail}')
                elif kind == unit:
                    tail = tails.get(value)
                    if tail is None:
                        name = unit_names.get(value)
                        tail = tails[value] = _text_tail(name, quote) if name else ""
                    if tail:
                        append(f'<c r="{letter}{r}"{tail}')
                elif kind == money and value.__class__ is int:
                    sign, (yuan, fen) = ("-" if value < 0 else ""), divmod(abs(value), 100)
                    append(f'<c r="{letter}{r}" s="{money_style}"><v>{sign}{yuan}.{fen:02d}</v></c>')
                else:
                    append(self._other(letter + r, kind, value))
            append("</row>")
            number += 1
        return "".join(out)

    def _other(self, ref: str, kind: str, value) -> str:
        """A cell of a value other than text, a unit id or whole 分: a count, a float, or an oddity SQLite let in
        (bytes, a number in a text column): numbers as numbers, anything else shown as text, never dropped."""
        if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
            style = self.styles.get(kind) if kind in (layout.COUNT, layout.MONEY) else None
            attr = f' s="{style}"' if style is not None else ""
            return f'<c r="{ref}"{attr}><v>{value!r}</v></c>'
        tail = _text_tail(str(value), self.styles["quote"])
        return f'<c r="{ref}"{tail}' if tail else ""


SHEET_DATA_END = b"</sheetData>"


def splice(source: bytes, target, parts: dict[str, object]) -> None:
    """Write the workbook `source` (openpyxl's .xlsx bytes) to `target`, with each sheet part named in `parts`
    (e.g. "xl/worksheets/sheet9.xml") given extra rows: `parts[name](write)` is called with a function taking
    XML text, whose output goes between the part's existing rows and `</sheetData>`.

    A filled part is written to a scratch file in the temporary folder first and then added whole, as openpyxl
    adds its write-only sheets (same place, same size): the zip then knows the part's size and uses the Zip64
    extension only for a part over 2 GiB (Excel refuses some Zip64 entries that were not needed)."""
    import io
    import tempfile
    from pathlib import Path

    with zipfile.ZipFile(io.BytesIO(source)) as book, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=1) as out, \
            tempfile.TemporaryDirectory(prefix="safetymonth-ledger-") as scratch:
        for info in book.infolist():
            data = book.read(info.filename)
            fill = parts.get(info.filename)
            if fill is None:
                out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            at = data.rfind(SHEET_DATA_END)
            if at < 0:
                raise ValueError(f"{info.filename}: no </sheetData>")
            part = Path(scratch) / "part.xml"
            with open(part, "wb") as stream:
                stream.write(data[:at])
                fill(lambda text: stream.write(text.encode("utf-8")))
                stream.write(data[at:])
            out.write(part, info.filename)
            part.unlink()
