"""Rows pasted from Excel (tab-separated text) into a record table, checked like an import.

The first line is taken as a header row when its cells are the Chinese labels of the record's fields
(full-width brackets and stray spaces tolerated); columns are then mapped by header and unknown headers
are ignored. Otherwise the cells are mapped to the columns in the order the table shows them.

Decision: a bad row refuses only itself. Every problem of every refused row is reported (row number as the
clerk sees it in the pasted block, column, value, reason; a row with two problems has two lines); the accepted rows are written together in one transaction
and one change group, so one Undo takes the whole paste back.
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field

import peewee as pw

from safetymonth_desktop.base.errors import AppError, Cancelled, ValidationError
from safetymonth_desktop.base.text import match_key
from safetymonth_desktop.db.models import user_fields
from safetymonth_desktop.services import records

MAX_ROWS = 100_000


class PasteCancelled(Cancelled):
    """A paste stopped by 取消 (nothing added)."""


@dataclass
class Refusal:
    row: int       # 1-based line number within the pasted block (the header row counts)
    column: str    # Chinese label, '' when the row as a whole is at fault
    value: str
    reason: str


@dataclass
class PasteResult:
    added: int = 0
    group: str | None = None
    refused: list[Refusal] = dc_field(default_factory=list)
    ignored_columns: list[str] = dc_field(default_factory=list)


def split_tsv(text: str) -> list[list[str]]:
    """Excel's clipboard text as rows of cells. Quoted cells (with tabs, newlines or quotes inside) are
    unquoted the way Excel writes them; blank lines are dropped."""
    rows, row, cell = [], [], []
    i, n = 0, len(text)
    at_cell_start = True
    while i < n:
        ch = text[i]
        if at_cell_start and ch == '"':
            # A quoted cell: runs to the closing quote; "" is a literal quote.
            i += 1
            while i < n:
                if text[i] == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        cell.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                cell.append(text[i])
                i += 1
            at_cell_start = False
            continue
        if ch == "\t":
            row.append("".join(cell))
            cell, at_cell_start = [], True
        elif ch in "\r\n":
            if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            row.append("".join(cell))
            rows.append(row)
            row, cell, at_cell_start = [], [], True
        else:
            cell.append(ch)
            at_cell_start = False
        i += 1
    if cell or row:
        row.append("".join(cell))
        rows.append(row)
    return [r for r in rows if any(c.strip() for c in r)]


def _header_map(model, cells: list[str]) -> tuple[dict[int, pw.Field], list[str]] | None:
    """Column index → field when `cells` is a header row (at least one known label), else None."""
    by_label = {match_key(f.verbose_name or f.name): f for f in user_fields(model)}
    mapping, unknown, taken = {}, [], set()
    for index, cell in enumerate(cells):
        f = by_label.get(match_key(cell))
        if f is not None and f.name not in taken:  # (peewee fields overload ==, so compare names)
            mapping[index] = f
            taken.add(f.name)
        elif cell.strip():
            unknown.append(cell.strip())
    return (mapping, unknown) if mapping else None


def parse(model, text: str, columns: list[pw.Field] | None = None):
    """(rows as (line number, {field name: raw text}, surplus cells), header cells that were ignored)."""
    table = split_tsv(text)
    if not table:
        raise AppError("剪贴板中没有可粘贴的表格内容。请在 Excel 中选中数据区域后复制,再粘贴。")
    if len(table) > MAX_ROWS:
        raise AppError(f"一次最多粘贴 {MAX_ROWS} 行,当前为 {len(table)} 行。请分批粘贴,或使用“导入”。")
    columns = columns if columns is not None else user_fields(model)
    header = _header_map(model, table[0])
    if header is not None:
        mapping, ignored = header
        body, first_line = table[1:], 2
    else:
        mapping, ignored = dict(enumerate(columns)), []
        body, first_line = table, 1
    rows = []
    for offset, cells in enumerate(body):
        values = {f.name: cells[i] for i, f in mapping.items() if i < len(cells)}
        # Without a header row, cells beyond the table's columns are an error; with one they are ignored.
        extra = [] if header is not None else [c for i, c in enumerate(cells) if i not in mapping and c.strip()]
        rows.append((first_line + offset, values, extra))
    return rows, ignored


def paste(model, campaign, text: str, columns: list[pw.Field] | None = None, *,
          progress=None, cancelled=None) -> PasteResult:
    """Check every pasted row with `records.clean`; add the good ones in one transaction.
    `progress(done, total)` is called while checking; `cancelled()` true stops before anything is written."""
    rows, ignored = parse(model, text, columns)
    result = PasteResult(ignored_columns=ignored)
    labels = {f.name: f.verbose_name or f.name for f in user_fields(model)}
    good = []
    year = records.campaign_year(campaign)
    for done, (line, values, extra) in enumerate(rows):
        if done % 200 == 0:
            if cancelled is not None and cancelled():
                raise PasteCancelled("粘贴已取消,没有添加任何记录。")
            if progress is not None:
                progress(done, len(rows))
        if extra:
            result.refused.append(Refusal(line, "", "\t".join(extra), f"多出 {len(extra)} 列,超出表格的列数"))
            continue
        try:
            good.append(records.clean(model, values, year=year))
        except ValidationError as exc:
            for problem in exc.errors:  # every problem of the row, one line each
                label = labels.get(problem.field, problem.label)
                result.refused.append(Refusal(line, label, str(values.get(problem.field, "") or ""), problem.message))
    if good:
        result.group = records.insert_cleaned(model, campaign, good)
        result.added = len(good)
    return result

