"""Writing a year's 上报数据包 (`safetymonth submit`, GUI 导出 → 生成上报数据包) for the level above.

One workbook (layout: exchange/package_format.py): every record of the year in the exchange sheets with 填报单位
filled and each row's 所属下级地区 (a sub-region's records under their sub-region, so packages nest), the 汇总 of
the whole indicator catalogue (exact values) for the region and for every sub-region it carries, the sub-regions'
levels, the units named, and the stamp with a digest of the records. Readable in WPS; not meant to be edited —
the level above refuses a package whose records no longer give its 汇总 or its digest.

Values are written as import will clean them (services.records.clean_value), so the digest computed here from the
written values is the one the importer computes from what it reads. Written with openpyxl's write-only mode to a
temporary file that replaces the target only when complete; never over the database or its backups.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from safetymonth_desktop.exchange import package_format as fmt, xlsx_layout as layout, xlsx_limits, xlsx_safety
from safetymonth_desktop.base.errors import AppError, Cancelled, ValidationError
from safetymonth_desktop.db.models import RosterEntry, SubRegionPackage, Unit
from safetymonth_desktop.exchange.workbook_rows import _FieldCleaner
from safetymonth_desktop.db import migrations
from safetymonth_desktop.db.connection import database
from safetymonth_desktop.exchange.xlsx_export import _Sheet, append_rows
from safetymonth_desktop.services import indicators, region_figures


@dataclass
class Written:
    path: Path
    counts: dict = field(default_factory=dict)  # sheet → rows
    digest: str = ""
    regions: list[str] = field(default_factory=list)  # the sub-regions carried, by path

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class UnitPaths:
    """Unit id → (name, path of the sub-regions it belongs to, kind), from the unit tree (services/rollup.py)."""
    def __init__(self):
        self.rows = {uid: (name, parent, kind) for uid, name, parent, kind in
                     Unit.select(Unit.id, Unit.name, Unit.parent, Unit.kind).tuples()}
        self._paths: dict[int, str] = {}

    def name(self, uid: int) -> str:
        return self.rows[uid][0]

    def kind(self, uid: int) -> str:
        return self.rows[uid][2]

    def path(self, uid: int) -> str:
        """'' for the region's own units; 'Ａ区' for a unit of sub-region Ａ区; 'Ｂ市/Ａ区' one level further down."""
        if uid not in self._paths:
            parent = self.rows[uid][1]
            self._paths[uid] = "" if parent is None else fmt.join_path((*fmt.split_path(self.path(parent)),
                                                                        self.name(parent)))
        return self._paths[uid]

    def full(self, uid: int) -> str:
        """The path naming the unit itself ('Ｂ市/Ａ区' for sub-region Ａ区 of Ｂ市)."""
        return fmt.join_path((*fmt.split_path(self.path(uid)), self.name(uid)))


def _cleaner(column):
    clean = _FieldCleaner(column.field)

    def run(value):
        try:
            return clean(value)
        except ValidationError:
            return value  # written as stored: the importer will name the row (never silently changed here)

    return run


def _sheet_rows(spec, rows, lines: list):
    """`rows` ((path, values) from record_rows) as the sheet's rows, each also added to `lines` for the digest."""
    for row_path, values in rows:
        lines.append(fmt.line(spec.name, row_path, values))
        yield [row_path or None, *values]


def record_rows(spec, campaign, paths: UnitPaths, region: str):
    """(path, [values in the sheet's column order]) of one record type, as the package writes and digests them.
    A record type without 填报单位 (组织机构, 补充说明) is the region's own, or, when a sub-region's package brought
    it (its `sub_region`, schema step 8), under that sub-region's path — a nested one's too, so packages nest."""
    model = spec.model
    fields = [c.field for c in spec.columns]
    by_region = "sub_region" in model._meta.fields
    if by_region:
        fields.append(model.sub_region)
    unit_cols = [i for i, c in enumerate(spec.columns) if c.kind == layout.UNIT]
    cleaners = [None if c.kind == layout.UNIT else _cleaner(c) for c in spec.columns]
    first = unit_cols[0] if unit_cols else None
    query = model.select(*fields).where(model.campaign == campaign.id).order_by(model.id).tuples()
    for values in query.iterator():
        values = list(values)
        path = ""
        if by_region:
            uid = values.pop()
            path = "" if uid is None else paths.full(uid)
        for i, clean in enumerate(cleaners):
            if clean is not None:
                values[i] = clean(values[i])
        for i in unit_cols:
            uid = values[i]
            if uid is None:  # 组织领导 of the region itself: under the region's name
                values[i] = region
            else:
                values[i] = paths.name(uid)
                if i == first:
                    path = paths.path(uid)
        yield path, [None if v == "" else v for v in values]


def write_package(campaign, path, *, today: dt.date | None = None, progress=None, cancelled=None,
                  now: dt.datetime | None = None) -> Written:
    """Write the 上报数据包 of `campaign` to `path` (atomically)."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import Font


    region = (campaign.region or "").strip()
    if not region:
        raise AppError(f"{campaign.year} 年度没有填写地区名称,上级无法识别数据包来自哪个地区。"
                       "请先在“年度设置”中填写地区名称(命令行:campaign --year 年度 --region 地区名称)。")
    path = xlsx_safety.check_output_path(path)
    progress = progress or (lambda done, total: None)
    cancelled = cancelled or (lambda: False)
    today = today or campaign.report_date or dt.date.today()
    now = (now or dt.datetime.now()).replace(microsecond=0)
    paths = UnitPaths()
    packages = list(SubRegionPackage.select().where(SubRegionPackage.campaign == campaign.id))
    carried = sorted(((paths.full(p.unit_id), p) for p in packages), key=lambda item: item[0])
    summary_columns = [("", region_figures.exact(campaign, today=today))]
    summary_columns += [(full, region_figures.exact(campaign, today=today, scope=p.unit_id)) for full, p in carried]
    counts = {spec.name: spec.model.select().where(spec.model.campaign == campaign.id).count()
              for spec in fmt.CARRIED_SHEETS}
    over = {name: n for name, n in counts.items() if n > xlsx_limits.PACKAGE_MAX_ROWS}
    if over:
        shown = "、".join(f"{name} {n} 条" for name, n in over.items())
        raise AppError(f"{campaign.year} 年度的记录太多,无法写成一个上报数据包:{shown},超出 Excel/WPS 一个工作表最多容纳的 "
                       f"{xlsx_limits.PACKAGE_MAX_ROWS} 行(上级也无法导入)。一个上报数据包每类记录最多 "
                       f"{xlsx_limits.PACKAGE_MAX_ROWS} 条,约容得下 20 个区县、每区县 7 万条记录的一个市;"
                       "一个省的全部记录通常超过这个上限,请改用统计表和活动总结向上报送。")
    total = sum(counts.values()) + 1
    listed = {uid for (uid,) in RosterEntry.select(RosterEntry.unit).where(RosterEntry.campaign == campaign.id).tuples()}
    written = Written(path=path, counts=dict(counts), regions=[full for full, _ in carried])
    lines: list[str] = []

    def writer(tmp):
        wb = Workbook(write_only=True)
        try:
            fill(wb)
        except BaseException:
            for ws in wb.worksheets:
                try:
                    ws.close()
                except Exception:  # noqa: BLE001 - closing a half-written stream
                    pass
            raise
        wb.save(tmp)

    def fill(wb):
        info = wb.create_sheet(fmt.INFO_SHEET)
        info.column_dimensions["A"].width = 100
        title = layout.write_only_value(info, f"{region}{campaign.year}年“安全生产月”上报数据包")
        for text in (title, "",
                     f"本文件由“安全生产月数据填报与总结”软件生成,供{region}向上级报送 {campaign.year} 年度全部记录和汇总数据。",
                     "上级用同一软件“导入”本文件即可汇总,无需重新录入;导入时会核对“汇总”表和数据摘要,"
                     "文件中任何一个数字或文字被修改,上级都会拒绝导入。",
                     "可以打开查看、打印;请不要修改、增删行或另存为其他格式后再报送。",
                     f"地区:{region}    层级:{campaign.level}    主办单位:{campaign.organizer or '—'}",
                     f"生成时间:{now:%Y-%m-%d %H:%M}    统计截至:{today.isoformat()}    记录 {sum(counts.values())} 条",
                     "各工作表:汇总(全部指标,精确值)、下级地区、报送单位名单,领导重视……督查各类记录,以及组织机构、补充说明"
                     "(首列均为所属下级地区)。"):
            info.append([text])
        # 汇总
        headers = (*fmt.SUMMARY_HEADERS, fmt.TOTAL_HEADER, *(full for full, _ in carried))
        summary = _Sheet(wb, fmt.SUMMARY_SHEET, headers, [28, 26, 12] + [14] * (len(headers) - 3))
        keys = list(summary_columns[0][1])
        for _full, values in summary_columns[1:]:
            keys += [k for k in values if k not in summary_columns[0][1] and k not in keys]
        for key in keys:
            base = indicators.REGISTRY[key.split(":")[0]]
            measure = base.measure if base.kind != indicators.MONEY else "元"
            summary.append([key, region_figures.label(key), measure,
                            *(values.get(key, 0 if isinstance(summary_columns[0][1].get(key), int) else "")
                              for _f, values in summary_columns)])
        # 下级地区
        regions = _Sheet(wb, fmt.REGIONS_SHEET, fmt.REGION_HEADERS, (30, 8, 24, 20, 12))
        for full, p in carried:
            regions.append([full, p.level, p.organizer or None, p.issued_at or None,
                            p.as_of.isoformat() if p.as_of else None])
        # 报送单位名单: every unit the records name, and the roster
        named = set(listed)
        for spec in layout.RECORD_SHEETS:
            for column in spec.columns:
                if column.kind == layout.UNIT:
                    col = spec.model._meta.fields[column.name]
                    named.update(uid for (uid,) in database.execute_sql(
                        f'SELECT DISTINCT "{col.column_name}" FROM "{spec.model._meta.table_name}" '
                        f'WHERE campaign_id = ? AND "{col.column_name}" IS NOT NULL', (campaign.id,)).fetchall())
        roster = _Sheet(wb, fmt.ROSTER_SHEET, fmt.ROSTER_HEADERS, (24, 30, 12, 10))
        for uid in sorted(named, key=lambda u: (paths.path(u), paths.kind(u), paths.name(u))):
            roster.append([paths.path(uid) or None, paths.name(uid), paths.kind(uid), "是" if uid in listed else "否"])
        done = 1
        progress(done, total)
        for spec in fmt.CARRIED_SHEETS:
            formats = {i + 1: layout.NUMBER_FORMATS[c.kind] for i, c in enumerate(spec.columns)
                       if c.kind in layout.NUMBER_FORMATS}
            sheet = _Sheet(wb, spec.name, [fmt.PATH_HEADER, *(c.header for c in spec.columns)],
                           [16, *(c.width for c in spec.columns)], formats)
            append_rows(sheet, _sheet_rows(spec, record_rows(spec, campaign, paths, region), lines), done=done,
                        total=total, progress=progress, cancelled=cancelled)
            done += counts[spec.name]
            progress(done, total)
        written.digest = fmt.digest(lines)
        stamp = {"kind": fmt.KIND, "format": str(fmt.FORMAT_VERSION), "schema": str(migrations.latest_version()),
                 "year": str(campaign.year), "region": region, "level": campaign.level or "",
                 "organizer": campaign.organizer or "", "issued_at": now.isoformat(), "as_of": today.isoformat(),
                 "counts": json.dumps(counts, ensure_ascii=False), "digest": written.digest, "token": uuid.uuid4().hex}
        ws = wb.create_sheet(fmt.STAMP_SHEET)
        ws.sheet_state = "hidden"
        ws.protection.sheet = True
        ws.column_dimensions["A"].width = 16
        ws.column_dimensions["B"].width = 70
        from openpyxl.cell import WriteOnlyCell

        head = WriteOnlyCell(ws, value=fmt.MARK)
        head.font = Font(bold=True)
        ws.append([head, fmt.NOTICE])
        for name, label in fmt.LABELS:
            ws.append([label, layout.write_only_value(ws, stamp[name])])
            wb.custom_doc_props.append(StringProperty(name=fmt.PROPERTY_PREFIX + name,
                                                      value=layout.xml_text(stamp[name])[:250] or "-"))
        if cancelled():
            raise Cancelled("已取消,没有生成文件。")

    xlsx_safety.write_atomically(path, writer)
    progress(total, total)
    return written
