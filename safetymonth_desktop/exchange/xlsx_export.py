"""The statistics workbook (`safetymonth stats`): figures for the superior and the ledgers behind them.

Sheets: 统计表 (a title row, then 类别 / 指标 / 计量单位 / 数值 / 指标代码, every indicator of the registry, breakdowns
one row per item; the code is what a superior's form may carry as {{ 指标代码 }}), 分单位汇总 (services.unit_summary,
with a 合计 row), 分行业隐患 (hazards.by_industry with the rate and a 合计 row), 单位名录 (every unit with
its type and aliases), then one ledger sheet per record type in the template's layout (xlsx_layout), plus
组织机构. An exported workbook therefore imports into another database unchanged (with units created).
Written with openpyxl's write-only mode (constant memory for 100 000-row ledgers) to a temporary file that
replaces the target only when complete.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from safetymonth_desktop.base.errors import Cancelled
from safetymonth_desktop.db.models import Inspection, RosterEntry, Unit, UnitAlias
from safetymonth_desktop.exchange import xlsx_layout as layout, xlsx_safety
from safetymonth_desktop.services import indicators, numbers, region_summary, unit_summary

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


def _ledger_rows(spec: layout.SheetSpec, campaign_id: int, unit_names: dict):
    """The rows of one record type as Excel values in the sheet's column order (units by name, blanks as None)."""
    model = spec.model
    fields = [c.field for c in spec.columns]
    query = model.select(*fields).where(model.campaign == campaign_id).order_by(model.id).tuples()
    unit_cols = [i for i, c in enumerate(spec.columns) if c.kind == layout.UNIT]
    for values in query.iterator():
        values = list(values)
        for i in unit_cols:
            values[i] = unit_names.get(values[i])
        yield [None if v == "" else v for v in values]


def _count(spec, campaign_id: int) -> int:
    return spec.model.select().where(spec.model.campaign == campaign_id).count()


def write_stats(campaign, path, *, today: dt.date | None = None, progress=None, cancelled=None) -> Path:
    """Write the statistics workbook of `campaign` to `path` (atomically); returns the path."""
    from openpyxl import Workbook

    path = xlsx_safety.check_output_path(path)
    progress = progress or (lambda done, total: None)
    cancelled = cancelled or (lambda: False)
    counts = {spec.name: _count(spec, campaign.id) for spec in layout.EXPORT_SHEETS}
    total = sum(counts.values()) + 1

    def writer(tmp):
        wb = Workbook(write_only=True)
        try:
            fill(wb)
        except BaseException:
            for ws in wb.worksheets:  # finish the half-written sheets' streams so nothing dangles
                try:
                    ws.close()
                except Exception:
                    pass
            raise
        wb.save(tmp)

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
        unit_names = dict(Unit.select(Unit.id, Unit.name).tuples())  # for the ledgers' 填报单位 / 被督查单位
        # The year's units: its roster, and the units its 督查 visited (not every unit the database has known).
        year_units = Unit.id.in_(RosterEntry.select(RosterEntry.unit).where(RosterEntry.campaign == campaign)) | \
            Unit.id.in_(Inspection.select(Inspection.target).where(Inspection.campaign == campaign))
        for unit in Unit.select().where(year_units).order_by(Unit.kind, Unit.name):
            unit_sheet.append((unit.name, unit.kind, unit.contact or None, unit.phone or None,
                               "、".join(aliases.get(unit.id, [])) or None, unit.notes or None))
        done = 1
        progress(done, total)
        for spec in layout.EXPORT_SHEETS:
            formats = {i: layout.NUMBER_FORMATS[c.kind] for i, c in enumerate(spec.columns) if c.kind in layout.NUMBER_FORMATS}
            sheet = _Sheet(wb, spec.name, [c.header for c in spec.columns], [c.width for c in spec.columns], formats)
            append_rows(sheet, _ledger_rows(spec, campaign.id, unit_names), done=done, total=total,
                        progress=progress, cancelled=cancelled)
            done += counts[spec.name]
            progress(done, total)
        if cancelled():
            raise Cancelled("已取消,没有生成文件。")

    xlsx_safety.write_atomically(path, writer)
    progress(total, total)
    return path
