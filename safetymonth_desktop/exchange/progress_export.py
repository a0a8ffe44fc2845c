"""报送进度 as workbooks: the 催报清单 (.xlsx to send round or print) and a refused file's stored error list.

`write_reminder(report, path)`: sheet 催报清单 — a title, the plain-text notice of `services.progress.reminder_text`,
then one row per unit to chase (有误退回 first, then 逾期 and 未报送) with its contact, the last file and why it was
refused; sheet 报送进度 — every roster unit with its status, records by sheet, last file and templates issued.
`write_error_list(receipts, path)`: the errors kept with refused files (FileReceipt.errors, stored as text) as a
文件 / 工作表 / 行 / 列 / 值 / 原因 table, the same columns as the import's own error list, for the clerk to send back.
Both are written with openpyxl to a temporary file that replaces the target only when complete.
"""

from __future__ import annotations

from pathlib import Path

from safetymonth_desktop.exchange import xlsx_layout as layout
from safetymonth_desktop.exchange import xlsx_safety
from safetymonth_desktop.services import numbers, progress as progress_service

REMINDER_HEADERS = ("序号", "单位名称", "单位类型", "状态", "联系人", "联系电话", "最后收到的文件", "收到时间", "退回原因")
PROGRESS_HEADERS = ("序号", "单位名称", "单位类型", "状态", "已报送内容(条)", "记录合计", "收到文件数", "最后收到的文件",
                    "收到时间", "结果", "模板下发时间")
ERROR_HEADERS = ("文件", "工作表", "行", "列", "值", "原因")
TITLE_FILL = "DDEBF7"


def _header(ws, row: int, headers, widths) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="999999")
    for col, (text, width) in enumerate(zip(headers, widths), start=1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=TITLE_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        ws.column_dimensions[cell.column_letter].width = width


def _row(ws, row: int, values) -> None:
    from openpyxl.styles import Alignment

    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col)
        layout.set_text_safely(cell, value)
        cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str) and ("\n" in value or len(value) > 12))


REASONS_SHOWN = 3  # errors of a refused file written into the 催报清单 (the error list has them all)


def _refusal(unit) -> str:
    """Why the unit's last file was refused: its message and first errors ('培训 第2行 参训人次“很多”:不是数字'),
    or ''."""
    last = unit.last_file
    if last is None or not last.refused:
        return ""
    parts = [last.message] if last.message else []
    for _file, sheet, row, column, value, reason in error_rows(last)[:REASONS_SHOWN]:
        where = " ".join(p for p in (sheet, row, column) if p)
        shown = f"“{value}”" if value else ""
        parts.append(f"{where}{shown}:{reason}" if where or shown else reason)
    more = len(last.errors) - REASONS_SHOWN
    if more > 0:
        parts.append(f"……另有 {more} 处错误")
    return "\n".join(dict.fromkeys(parts))  # a message that is the only error is said once


def write_reminder(report, path) -> Path:
    """The 催报清单 and the whole 报送进度 of `report` (services.progress.Progress) as an .xlsx at `path`."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    path = xlsx_safety.check_output_path(path)
    chase = progress_service.reminder_units(report)
    notice = progress_service.reminder_text(report)
    as_of = numbers.date_phrase(report.as_of)

    def writer(tmp):
        wb = Workbook()
        ws = wb.active
        ws.title = "催报清单"
        last_col = len(REMINDER_HEADERS)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
        title = ws.cell(row=1, column=1, value=f"{report.year}年安全生产月材料催报清单(截至{as_of})")
        title.font = Font(bold=True, size=14)
        title.alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[1].height = 28
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_col)
        text = ws.cell(row=2, column=1)
        layout.set_text_safely(text, notice)
        text.alignment = Alignment(wrap_text=True, vertical="top")
        # Enough height for the notice: about 90 characters a line across the merged columns.
        lines = sum(max(1, -(-len(line) // 90)) for line in notice.split("\n"))
        ws.row_dimensions[2].height = 16 * lines + 6
        _header(ws, 4, REMINDER_HEADERS, (6, 22, 11, 9, 9, 14, 24, 16, 46))
        for number, unit in enumerate(chase, start=1):
            last = unit.last_file
            reason = _refusal(unit)
            _row(ws, 4 + number, (number, unit.unit, unit.kind, unit.status, unit.contact, unit.phone,
                                  last.name if last else "", progress_service.when_text(last.when) if last else "",
                                  reason))
            lines = sum(max(1, -(-len(line) // 24)) for line in reason.split("\n")) if reason else 1
            if lines > 1:  # Excel and WPS do not grow a row for wrapped text written by openpyxl
                ws.row_dimensions[4 + number].height = 15 * lines + 3
        if not chase:
            _row(ws, 5, ("", "(没有需要催报的单位)"))
        ws.freeze_panes = "A5"
        ws.print_title_rows = "4:4"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True

        full = wb.create_sheet("报送进度")
        _header(full, 1, PROGRESS_HEADERS, (6, 26, 12, 10, 40, 10, 10, 30, 17, 16, 17))
        for number, unit in enumerate(report.units, start=1):
            last, issue = unit.last_file, unit.last_issue
            _row(full, 1 + number, (number, unit.unit, unit.kind, unit.status, unit.sections_text, unit.records,
                                    len(unit.received), last.name if last else "",
                                    progress_service.when_text(last.when) if last else "",
                                    last.outcome_label if last else "",
                                    progress_service.when_text(issue.when) if issue else ""))
        full.freeze_panes = "C2"
        full.auto_filter.ref = f"A1:{full.cell(row=1, column=len(PROGRESS_HEADERS)).column_letter}{max(len(report.units) + 1, 2)}"
        wb.save(tmp)

    return xlsx_safety.write_atomically(path, writer)


def error_rows(receipt) -> list[tuple]:
    """The stored errors of a refused file as (文件, 工作表, 行, 列, 值, 原因) rows. An error is kept as the text
    '文件 / 工作表 / 第N行 / 列 / 值 / 原因' ('—' for a blank part); text of another shape goes whole into 原因."""
    rows = []
    for text in receipt.errors:
        parts = text.split(" / ")
        if len(parts) >= 6:
            file, sheet, row, column = parts[:4]
            value, reason = " / ".join(parts[4:-1]), parts[-1]
            rows.append(tuple("" if p == "—" else p for p in (file, sheet, row, column, value, reason)))
        else:
            rows.append((receipt.name, "", "", "", "", text))
    if not rows and receipt.message:
        rows.append((receipt.name, "", "", "", "", receipt.message))
    return rows


def write_error_list(receipts, path) -> Path:
    """The kept errors of `receipts` (services.progress.Receipt) as an .xlsx error list at `path`."""
    from openpyxl import Workbook

    path = xlsx_safety.check_output_path(path)
    rows = [row for receipt in receipts for row in error_rows(receipt)]

    def writer(tmp):
        wb = Workbook()
        ws = wb.active
        ws.title = "导入错误"
        _header(ws, 1, ERROR_HEADERS, (24, 12, 8, 16, 24, 60))
        for number, row in enumerate(rows, start=2):
            _row(ws, number, row)
        ws.freeze_panes = "A2"
        wb.save(tmp)

    return xlsx_safety.write_atomically(path, writer)
