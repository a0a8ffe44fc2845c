"""Reading a record sheet the way units really fill it in (DATA.md, "Exchange workbook"), before any value is checked.

- `open_book(path)`: the workbook with python-calamine, recognised by its content (a unit's .xls renamed .xlsx
  still opens), whatever the format: .xlsx/.xlsm, .xlsb, .xls, .ods.
- `merged_ranges(...)`: the merged cells of a sheet. calamine 0.9 reports them for .xlsx and .xls (0-based,
  inclusive, absolute rows and columns) but not for .ods (None): `ods_merged_ranges` reads them from the .ods
  content.xml (streamed, through defusedxml).
- `find_header(...)`: the header row among the first `HEADER_SCAN_ROWS` rows (units put a title above the table):
  the row matching the most known headers of the sheet. A header cell merged down from above counts in its
  column; one merged across columns counts once.
- `fill_merged(...)`: a merged cell's value given to every data row and column it covers (填报单位 over A2:A9),
  and `merge_notes(...)` saying so in the clerk's words.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.base.text import match_key

HEADER_SCAN_ROWS = 10
MAX_MERGE_NOTES = 5  # per sheet; the rest are counted


@dataclass(frozen=True)
class Merge:
    """A merged range, 0-based and inclusive: rows first_row..last_row, columns first_col..last_col."""
    first_row: int
    first_col: int
    last_row: int
    last_col: int

    def covers(self, row: int, col: int) -> bool:
        return self.first_row <= row <= self.last_row and self.first_col <= col <= self.last_col


def open_book(path: Path):
    """The calamine workbook of `path`, chosen by content rather than by the file's extension."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        with open(path, "rb") as fh:
            return CalamineWorkbook.from_filelike(fh)
    except PasswordError:
        raise AppError(f"文件“{path.name}”设置了密码,无法读取。请取消密码后另存为 .xlsx 再导入。")
    except (CalamineError, OSError, ValueError) as exc:
        raise AppError(f"文件“{path.name}”已损坏或格式不正确,无法读取({exc})。请在 Excel/WPS 中打开后另存为 .xlsx 再试。")


class MergeSource:
    """Merged ranges of the sheets of one file; the .ods content is parsed once, on first need."""

    def __init__(self, path: Path):
        self.path = path
        self._ods: dict[str, list[Merge]] | None = None

    def ranges(self, sheet, name: str) -> list[Merge]:
        found = sheet.merged_cell_ranges
        if found is not None:
            return [Merge(a[0], a[1], b[0], b[1]) for a, b in found]
        if self._ods is None:
            self._ods = ods_merged_ranges(self.path)
        return self._ods.get(name, [])


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def ods_merged_ranges(path: Path) -> dict[str, list[Merge]]:
    """Sheet name → merged ranges of an .ods file ({} for anything else). Cells repeated many times (an
    .ods stores 16 384 empty cells as one) are counted, not expanded."""
    from defusedxml.ElementTree import iterparse

    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return {}
    out: dict[str, list[Merge]] = {}
    with zf:
        if "content.xml" not in zf.namelist():
            return {}
        with zf.open("content.xml") as content:
            stack = []
            tables = 0
            name, row, col, rows_repeat = "", 0, 0, 1
            try:
                for event, element in iterparse(content, events=("start", "end")):
                    tag = element.tag
                    if event == "start":
                        stack.append(element)
                        if tag == _TABLE + "table":
                            tables += 1
                            if tables == 1:
                                name, row = element.get(_TABLE + "name", ""), 0
                        elif tables == 1 and tag == _TABLE + "table-row":
                            col, rows_repeat = 0, _count(element, "number-rows-repeated")
                        elif tables == 1 and tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
                            rows_span = _count(element, "number-rows-spanned")
                            cols_span = _count(element, "number-columns-spanned")
                            if rows_span > 1 or cols_span > 1:
                                out.setdefault(name, []).append(Merge(row, col, row + rows_span - 1, col + cols_span - 1))
                        continue
                    stack.pop()
                    if tag == _TABLE + "table":
                        tables -= 1
                    elif tables != 1:
                        continue
                    elif tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
                        col += _count(element, "number-columns-repeated")
                    elif tag == _TABLE + "table-row":
                        row += rows_repeat
                        element.clear()
                        if stack:
                            stack[-1].remove(element)  # keep memory flat on long sheets
            except Exception:  # noqa: BLE001 - calamine read the cells; without merges we read them as they are
                return out
    return out


def _count(element, attribute: str) -> int:
    try:
        return max(int(element.get(_TABLE + attribute, "1")), 1)
    except ValueError:
        return 1


def _blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def header_cells(rows: list, merges: list[Merge], index: int) -> list:
    """Row `index` as a header: a blank cell covered by a merge from above takes that merge's label
    (a two-row header's 填报单位 merged over A2:A3), a cell covered from its left stays blank (one label)."""
    cells = list(rows[index])
    for merge in merges:
        col = merge.first_col
        if merge.first_row < index <= merge.last_row and col < len(cells) and _blank(cells[col]) \
                and col < len(rows[merge.first_row]):
            cells[col] = rows[merge.first_row][col]
    return cells


def find_header(rows: list, merges: list[Merge], keys: dict) -> int | None:
    """The index of the row among the first HEADER_SCAN_ROWS that holds the most labels found in `keys` (match
    keys → column), the first such row on a tie; None when no row holds any."""
    best, best_score = None, 0
    for index in range(min(HEADER_SCAN_ROWS, len(rows))):
        seen = set()
        for cell in header_cells(rows, merges, index):
            if isinstance(cell, str) and cell.strip():
                column = keys.get(match_key(cell))
                if column is not None:
                    seen.add(column.name)
        if len(seen) > best_score:
            best, best_score = index, len(seen)
    return best


def fill_merged(rows: list, merges: list[Merge], header_index: int) -> list[Merge]:
    """Copy each merged range's value into every cell it covers below the header row (in place); returns the
    merges that reached data rows, clipped to them. Ranges starting at or above the header (titles, headers)
    are left alone."""
    applied = []
    for merge in merges:
        if merge.first_row <= header_index or merge.first_row >= len(rows):
            continue
        anchor_row = rows[merge.first_row]
        if merge.first_col >= len(anchor_row):
            continue
        value = anchor_row[merge.first_col]
        last_row = min(merge.last_row, len(rows) - 1)
        for r in range(merge.first_row, last_row + 1):
            row = rows[r]
            for c in range(merge.first_col, min(merge.last_col, len(row) - 1) + 1):
                if (r, c) != (merge.first_row, merge.first_col):
                    row[c] = value
        if not _blank(value):
            applied.append(Merge(merge.first_row, merge.first_col, last_row, merge.last_col))
    return applied


def merge_notes(sheet_name: str, applied: list[Merge], headers: dict[int, str]) -> list[str]:
    """The clerk's words for the merges `fill_merged` applied; `headers` maps a column index to its header."""
    notes = []
    for merge in applied:
        named = [headers[c] for c in range(merge.first_col, merge.last_col + 1) if c in headers]
        if not named:
            continue
        rows = (f"第{merge.first_row + 1}行" if merge.first_row == merge.last_row
                else f"第{merge.first_row + 1}—{merge.last_row + 1}行")
        how = "已按每行填写处理" if merge.first_col == merge.last_col else "已按所覆盖的每行每列填写处理"
        notes.append(f"工作表“{sheet_name}”{rows}的“{'、'.join(named)}”为合并单元格,{how}。")
    if len(notes) > MAX_MERGE_NOTES:
        notes = notes[:MAX_MERGE_NOTES] + [f"工作表“{sheet_name}”另有 {len(notes) - MAX_MERGE_NOTES} 处合并单元格,也已按每行填写处理。"]
    return notes


def header_note(sheet_name: str, header_index: int) -> str | None:
    if header_index == 0:
        return None
    above = "第1行" if header_index == 1 else f"第1—{header_index}行"
    return f"工作表“{sheet_name}”的表头在第{header_index + 1}行,{above}(标题等)未导入。"
