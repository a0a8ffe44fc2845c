"""The statistics workbook (`safetymonth stats`): figures for the superior and the ledgers behind them.

Sheets: 统计表 (a title row, then 类别 / 指标 / 计量单位 / 数值 / 指标代码, every indicator of the registry, breakdowns
one row per item; the code is what a superior's form may carry as {{ 指标代码 }}), 分单位汇总 (services.unit_summary,
with a 合计 row), 分行业隐患 (hazards.by_industry with the rate and a 合计 row), 单位名录 (every unit with
its type and aliases), then one ledger sheet per record type in the template's layout (xlsx_layout), plus
组织机构. An exported workbook therefore imports into another database unchanged (with units created).
Written with openpyxl's write-only mode, the ledgers' rows streamed into it from one SQL cursor per record type
(xlsx_stream: constant memory, cost linear in the rows; a ledger longer than Excel's 1 048 576 rows continues on
续 sheets), to a temporary file that replaces the target only when complete.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from safetymonth_desktop.base.errors import Cancelled
from safetymonth_desktop.db.models import Inspection, RosterEntry, Unit, UnitAlias
from safetymonth_desktop.exchange import xlsx_layout as layout, xlsx_safety, xlsx_stream
from safetymonth_desktop.services import indicators, numbers, region_summary, rollup, unit_summary, units

STATS_HEADERS = ("类别", "指标", "计量单位", "数值", "指标代码")
TOTAL = "合计"
INDUSTRY_HEADERS = ("行业领域", "发现隐患(处)", "已整改(处)", "整改率(%)")
ROWS_PER_TICK = 2000


def stats_title(campaign) -> str:
    return f"{campaign.region}{campaign.year}年“安全生产月”活动统计表"


def stats_rows(campaign, *, today: dt.date | None = None) -> list[tuple]:
    """(类别, 指标, 计量单位, 数值, 指标代码) for every indicator; breakdowns expanded into one row per item."""
    values = indicators.compute_all(campaign, today=today)
    rows = []
    for ind in indicators.CATALOGUE:
        value = values[ind.key]
        if ind.key == "materials.by_kind":
            for kind, measure, quantity in indicators.material_measures(campaign):
                rows.append((ind.category, f"{ind.label}:{kind}", measure, quantity, f"{ind.key}.{kind}"))
        elif ind.kind == indicators.BREAKDOWN:
            for item, number in value.items():
                rows.append((ind.category, f"{ind.label}:{item}", ind.measure, number, f"{ind.key}.{item}"))
        elif ind.kind == indicators.PAIRS:
            for item, pair in value.items():
                rows.append((ind.category, f"排查隐患:{item}", ind.measure, pair["found"], f"{ind.key}.{item}.found"))
                rows.append((ind.category, f"已整改隐患:{item}", ind.measure, pair["rectified"],
                             f"{ind.key}.{item}.rectified"))
        else:
            rows.append((ind.category, ind.label, ind.measure, "—" if value is None else value, ind.key))
    return rows


def industry_rows(campaign) -> list[tuple]:
    pairs = indicators.compute("hazards.by_industry", campaign)
    rows = [(k, v["found"], v["rectified"], numbers.percent(v["rectified"], v["found"])) for k, v in pairs.items()]
    found = sum(v["found"] for v in pairs.values())
    rectified = sum(v["rectified"] for v in pairs.values())
    rows.append((TOTAL, found, rectified, numbers.percent(rectified, found)))
    return rows


def unit_total_row(rows: list[tuple]) -> tuple:
    """The 合计 row under 分单位汇总: every number column summed (money in 万元 with two decimals)."""
    from decimal import Decimal

    sums = []
    for index, (_, _, kind) in enumerate(unit_summary.COLUMNS, start=3):
        total = sum((Decimal(str(r[index])) for r in rows), Decimal(0))
        sums.append(total if kind == "money" else int(total))
    reported = sum(1 for r in rows if r[2] == "已报送")
    return (TOTAL, None, f"{reported}/{len(rows)} 已报送", *sums)


def _print_setup(ws, *, landscape: bool, header_rows: int = 1) -> None:
    """Print on A4, all columns on one page width, the header row(s) repeated on every page."""
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{header_rows}"


class _Sheet:
    """A write-only sheet with a styled, frozen header and per-column widths and formats."""
    def __init__(self, wb, title: str, headers, widths, formats=None, *, heading: str = ""):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter

        self.ws = wb.create_sheet(title)
        self.ws.freeze_panes = "A3" if heading else "A2"
        _print_setup(self.ws, landscape=len(headers) > 6, header_rows=2 if heading else 1)
        if heading:  # a title row above the header (write-only sheets cannot merge: it spills over the columns)
            cell = WriteOnlyCell(self.ws)
            layout.set_text_safely(cell, heading)
            cell.font = Font(bold=True, size=14)
            self.ws.row_dimensions[1].height = 24
            self.ws.append([cell])
        for number, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(number)].width = width
        head = []
        for text in headers:
            cell = WriteOnlyCell(self.ws)
            layout.set_text_safely(cell, text)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            head.append(cell)
        self.ws.append(head)
        self.WriteOnlyCell = WriteOnlyCell
        self.formats = formats or {}

    @property
    def formats(self) -> dict:
        return self._formats

    @formats.setter
    def formats(self, formats: dict) -> None:
        # One formatted cell per column, reused row after row: a write-only sheet writes a row's cells out
        # during append(), so the cell is free again. Creating a styled cell per value was 1/5 of an export
        # of 100 000 records (profiled).
        self._formats = formats
        self._styled = {}
        for index, fmt in formats.items():
            if fmt:
                cell = self.WriteOnlyCell(self.ws)
                cell.number_format = fmt
                self._styled[index] = (cell, fmt)

    def append(self, values) -> None:
        row = []
        styled = self._styled
        for index, value in enumerate(values):
            if isinstance(value, str):
                value = layout.write_only_value(self.ws, value)  # the one text guard (xlsx_layout)
            elif value is not None and index in styled:
                cell, fmt = styled[index]
                cell.value = value
                if cell.number_format != fmt:  # a date value brings its own format: ours wins, as before
                    cell.number_format = fmt
                value = cell
            row.append(value)
        self.ws.append(row)


def append_rows(sheet: "_Sheet", rows, *, done: int, total: int, progress, cancelled) -> None:
    """Append `rows` to `sheet`, reporting progress (counted on from `done`) every ROWS_PER_TICK rows and stopping
    with Cancelled when asked to (the statistics workbook's ledgers, the 上报数据包's record sheets)."""
    for number, row in enumerate(rows, start=1):
        sheet.append(row)
        if number % ROWS_PER_TICK == 0:
            if cancelled():
                raise Cancelled("已取消,没有生成文件。")
            progress(done + number, total)


def _ledger_extent(spec, campaign_id: int) -> tuple[int, int]:
    """(rows, highest id) of one record type in the year, in one statement: the ledger streams the rows up to that
    id, so a record added meanwhile cannot overfill the sheets laid out for `rows`."""
    from peewee import fn

    model = spec.model
    count, last = model.select(fn.COUNT(model.id), fn.MAX(model.id)).where(model.campaign == campaign_id).scalar(
        as_tuple=True)
    return count, last or 0


def _ledger_cursor(spec, campaign_id: int, last_id: int):
    """One streaming SQL cursor over a record type's rows in the sheet's column order, values as SQLite holds them
    (no model instances: xlsx_stream.RowEncoder turns them into cells)."""
    model = spec.model
    query = (model.select(*(c.field for c in spec.columns))
             .where((model.campaign == campaign_id) & (model.id <= last_id)).order_by(model.id))
    return model._meta.database.execute(query)


def write_stats(campaign, path, *, today: dt.date | None = None, progress=None, cancelled=None) -> Path:
    """Write the statistics workbook of `campaign` to `path` (atomically); returns the path."""
    from openpyxl import Workbook

    path = xlsx_safety.check_output_path(path)
    progress = progress or (lambda done, total: None)
    cancelled = cancelled or (lambda: False)
    sheets = layout.export_sheets(with_sub_regions=bool(rollup.packages(campaign)))
    extents = {spec.name: _ledger_extent(spec, campaign.id) for spec in sheets}
    total = sum(count for count, _ in extents.values()) + 1

    def writer(tmp):
        import io

        wb = Workbook(write_only=True)
        try:
            ledgers, styles, unit_names = fill(wb)
        except BaseException:
            for ws in wb.worksheets:  # finish the half-written sheets' streams so nothing dangles
                try:
                    ws.close()
                except Exception:
                    pass
            raise
        progress(1, total)
        book = io.BytesIO()
        wb.save(book)  # everything but the ledgers' rows: a small workbook
        cursors = {}
        try:
            xlsx_stream.splice(book.getvalue(), tmp, stream(ledgers, styles, unit_names, cursors))
        finally:
            for cursor in cursors.values():  # cancelled or failed half-way: end the statements still open
                cursor.close()
        if cancelled():
            raise Cancelled("已取消,没有生成文件。")

    def fill(wb):
        stats = _Sheet(wb, layout.STATS_SHEET, STATS_HEADERS, (12, 34, 12, 14, 34), heading=stats_title(campaign))
        for category, label, measure, value, code in stats_rows(campaign, today=today):
            fmt = "0.0" if measure == "%" else ("0.00" if measure == "万元" else None)
            stats.formats = {3: fmt} if fmt else {}
            stats.append((category, label, measure, float(value) if measure == "万元" else value, code))
        money_cols = {i for i, (_, _, k) in enumerate(unit_summary.COLUMNS, start=3) if k == "money"}
        summary = _Sheet(wb, layout.UNIT_SUMMARY_SHEET, unit_summary.HEADERS,
                         [24, 10, 8] + [12] * len(unit_summary.COLUMNS), {i: "0.00" for i in money_cols})
        unit_rows = unit_summary.unit_rows(campaign)
        for row in [*unit_rows, unit_total_row(unit_rows)]:
            summary.append([float(v) if i in money_cols else v for i, v in enumerate(row)])
        # roll-up: 分地区汇总 when sub-regions' 上报数据包 were imported (services/region_summary.py)

        region_table = region_summary.table(campaign, today=today)
        if region_table:
            heads = region_summary.headers()
            kinds = [k for _key, _h, k in region_summary.columns()]
            formats = {i: ("0.00" if k == "money" else "0.0" if k == "rate" else None) for i, k in enumerate(kinds, start=3)}
            regions = _Sheet(wb, layout.REGION_SUMMARY_SHEET, heads, [16, 8, 17] + [12] * len(kinds), formats)
            for row in region_table:
                regions.append([float(v) if i >= 3 and kinds[i - 3] == "money" else v for i, v in enumerate(row)])
        industries = _Sheet(wb, layout.INDUSTRY_SHEET, INDUSTRY_HEADERS, (20, 14, 12, 12), {3: "0.0"})
        for row in industry_rows(campaign):
            industries.append(row)
        unit_sheet = _Sheet(wb, layout.UNITS_SHEET, layout.UNIT_COLUMNS, (28, 12, 12, 16, 30, 20))
        aliases: dict[int, list[str]] = {}
        for unit_id, alias in UnitAlias.select(UnitAlias.unit, UnitAlias.alias).order_by(UnitAlias.id).tuples():
            aliases.setdefault(unit_id, []).append(alias)
        # the ledgers' 填报单位 / 被督查单位 as every listing shows them: at a city, each district's 城关街道 with its district
        unit_names = units.display_names()
        # The year's units: its roster, and the units its 督查 visited (not every unit the database has known).
        year_units = Unit.id.in_(RosterEntry.select(RosterEntry.unit).where(RosterEntry.campaign == campaign)) | \
            Unit.id.in_(Inspection.select(Inspection.target).where(Inspection.campaign == campaign))
        for unit in Unit.select().where(year_units).order_by(Unit.kind, Unit.name):
            unit_sheet.append((unit.name, unit.kind, unit.contact or None, unit.phone or None,
                               "、".join(aliases.get(unit.id, [])) or None, unit.notes or None))
        # The ledgers: header-only sheets here (a ledger longer than a sheet continues on 续 sheets); their rows
        # are streamed into the saved workbook by xlsx_stream.splice.
        ledgers = []  # (sheet, spec, rows it takes, its first data row)
        for spec in sheets:
            headers, widths = [c.header for c in spec.columns], [c.width for c in spec.columns]
            first = 1
            for number, size in enumerate(xlsx_stream.sheet_sizes(extents[spec.name][0])):
                if number == 0:
                    sheet, first_row = _Sheet(wb, spec.name, headers, widths), 2
                else:
                    note = xlsx_stream.continuation_note(spec.name, first, first + size - 1)
                    sheet = _Sheet(wb, xlsx_stream.continuation_name(spec.name, number), headers, widths, heading=note)
                    first_row = 3
                ledgers.append((sheet, spec, size, first_row))
                first += size
        return ledgers, xlsx_stream.register_styles(ledgers[0][0].ws), unit_names

    def stream(ledgers, styles, unit_names, cursors):
        """{sheet part: its row writer}: each ledger read by one cursor (kept in `cursors` while open), opened when
        its first sheet is written."""
        done = [1]
        parts = {}

        def rows_of(spec, size, first_row, last):
            def write(out):
                if spec.name not in cursors:
                    cursors[spec.name] = _ledger_cursor(spec, campaign.id, extents[spec.name][1])
                cursor = cursors[spec.name]
                encoder = xlsx_stream.RowEncoder(spec.columns, styles, unit_names)
                row, left = first_row, size
                while left > 0:
                    batch = cursor.fetchmany(min(xlsx_stream.CHUNK_ROWS, left))
                    if not batch:
                        break
                    out(encoder.rows(batch, row))
                    row, left, done[0] = row + len(batch), left - len(batch), done[0] + len(batch)
                    if cancelled():
                        raise Cancelled("已取消,没有生成文件。")
                    progress(done[0], total)
                if last:  # the ledger's last sheet: end the statement (an open one holds the file's read lock)
                    cursors.pop(spec.name).close()
            return write

        for index, (sheet, spec, size, first_row) in enumerate(ledgers):
            last = index + 1 == len(ledgers) or ledgers[index + 1][1] is not spec
            parts[sheet.ws.path.lstrip("/")] = rows_of(spec, size, first_row, last)
        return parts

    xlsx_safety.write_atomically(path, writer)
    progress(total, total)
    return path
