"""The 填报模板 a unit fills in (DATA.md, "Exchange workbook"; built from `xlsx_layout`).

One sheet per record type with the Chinese headers in row 1 (required ones in red, each with a note),
the header row locked and frozen, data rows open for editing (sheet protection without a password that
still allows inserting/deleting rows, sorting, filtering and widening columns), date and number formats,
column widths, dropdowns on every choice and unit column fed from the hidden 选项 sheet, and a 说明
sheet with the instructions and an example row per sheet. With a unit, its name is pre-filled in the
填报单位 column of the first `PREFILL_ROWS` rows (a row holding nothing else is skipped on import), so
the unit only types its figures. Every template carries a stamp (year, region, unit: `exchange.stamp`) in the
hidden, protected list sheet and in the document properties, which import compares with the year in hand.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from safetymonth_desktop.base import vocab
from safetymonth_desktop.base.errors import Cancelled
from safetymonth_desktop.base.text import normalise
from safetymonth_desktop.exchange import stamp as stamps, xlsx_export, xlsx_layout as layout, xlsx_safety
from safetymonth_desktop.services import submissions, units

PREFILL_ROWS = 500
VALIDATION_ROWS = 5000  # data rows covered by the dropdowns

HEADER_FILL = "DDEBF7"
REQUIRED_COLOR = "C00000"

# One plausible row per sheet for the 说明 sheet (by field name; money in 元), written for EXAMPLE_YEAR and
# shown in the template's own year (`for_year`): a 2024 template shows 2024 dates and 安委办〔2024〕5号.
EXAMPLE_YEAR = 2021
EXAMPLES = {
    "领导重视": {"date": dt.date(2021, 6, 2), "leader": "李明远", "title": "区委书记", "occasion": "区委常委会议",
             "content": "加强安全生产宣传教育,强化全民安全意识"},
    "会议部署": {"date": dt.date(2021, 5, 26), "kind": "部署会", "title": "安全生产月活动部署会", "host": "区政府安委会",
             "attendees": 80, "content": "部署主要活动安排"},
    "印发文件": {"doc_no": "安委办〔2021〕5号", "title": "关于印发2021年“安全生产月”活动方案的通知",
             "date": dt.date(2021, 5, 20), "issuer": "区政府安委会"},
    "组织机构": {"name": "2021年“安全生产月”活动组委会", "lead": "副区长", "office": "区应急管理局",
             "duties": "负责活动的组织、指导和协调"},
    "培训": {"category": "特种作业人员培训", "title": "特种作业人员复训", "start_date": dt.date(2021, 6, 8),
           "end_date": dt.date(2021, 6, 10), "sessions": 2, "participants": 120, "venue": "区应急管理局培训室"},
    "宣传品": {"kind": "宣传挂图", "name": "安全生产月宣传挂图(8张/套)", "quantity": 500, "measure": "套",
            "cost": Decimal("12500.00")},
    "媒体宣传": {"channel": "微信", "outlet": "平安城南公众号", "items": 12, "reach": 30000, "description": "推送安全知识"},
    "宣传活动": {"kind": "安全宣传咨询日", "date": dt.date(2021, 6, 16), "title": "安全宣传咨询日活动", "venue": "中心广场",
             "participants": 3000, "leaders": "副区长", "desks": 20, "boards": 60, "materials": 8000},
    "隐患台账": {"enterprise": "某某建筑工程有限公司", "industry": "建筑施工", "found_date": dt.date(2021, 6, 5),
             "source": "专项检查", "description": "脚手架连墙件缺失", "level": "一般", "measures": "补设连墙件",
             "responsible": "张某", "deadline": dt.date(2021, 6, 15), "funding": Decimal("3000.00"), "status": "已整改",
             "rectified_date": dt.date(2021, 6, 12)},
    "专项整治": {"action": "打非治违专项行动", "industry": "危险化学品", "teams": 5, "personnel": 60, "inspected": 120,
             "hazards_found": 85, "hazards_rectified": 80, "penalties": 3, "fines": Decimal("45000.00"), "shutdowns": 1},
    "督查": {"date": dt.date(2021, 6, 20), "team": "第一督查组", "leader": "区应急管理局局长", "kind": "综合督查",
           "focus": "活动开展情况", "problems_found": 6, "problems": "宣传氛围不浓", "requests": "限期整改",
           "problems_rectified": 5},
}

INSTRUCTIONS = (
    "1. 每类工作一个工作表(见下方工作表底部标签),只填与本单位有关的表,其他表可以空着。",
    "2. 第1行是表头,请勿修改、删除或调换(表头已锁定);红色表头为必填项,鼠标指向表头可看说明。",
    "3. 从第2行起每行填一条记录;可以插入、删除行,可以从其他表格粘贴(粘贴时请选择“只粘贴数值”)。",
    "4. 带下拉箭头的列请从下拉列表中选择;日期写成 2021-6-16、2021/6/16 或 2021年6月16日 均可。",
    "5. 数量、人次只填数字(可写 1,200、3000余、1.2万);经费、罚款、资金单位为元。",
    "6. “填报单位”已预先填好,请勿改动;如需新增行,复制上一行的单位名称即可。",
    "7. 隐患台账:状态为“已整改”须填整改完成日期;重大隐患须填整改措施和责任人。",
    "8. 表格上方可以加标题行,单元格可以合并(合并的“填报单位”“行业领域”按所覆盖的每一行计)。",
    "9. 填好后直接保存发回即可(.xlsx 最好;另存为 .xls 或 .ods 也能导入)。请勿设置打开密码,不要删除或修改隐藏的“选项”工作表。",
)


def for_year(value, year: int):
    """An example or a help text of EXAMPLE_YEAR moved to `year` (dates, and the year in texts)."""
    if isinstance(value, dt.date):
        return value.replace(year=year)
    if isinstance(value, str):
        return value.replace(str(EXAMPLE_YEAR), str(year))
    return value


def _cell_value(column: layout.Column, value):
    return float(value) if isinstance(value, Decimal) else value


def build_template(campaign, *, unit_name: str = "", unit_names=(), target_names=(),
                   stamp=None) -> "openpyxl.Workbook":  # noqa: F821
    """The template workbook for `campaign`, pre-filled for `unit_name` ('' for none), stamped with `stamp`
    (by default a new one for `campaign` and `unit_name`)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    info = wb.active
    info.title = layout.INFO_SHEET
    lists = wb.create_sheet(layout.LIST_SHEET)
    lists.sheet_state = "hidden"

    # The hidden list sheet: one column per vocabulary (first row: what it is), the units last.
    list_refs = {}
    list_col = 0

    def add_list(title: str, values) -> str:
        nonlocal list_col
        list_col += 1
        letter = get_column_letter(list_col)
        layout.set_text_safely(lists.cell(row=1, column=list_col), title)
        for row, value in enumerate(values, start=2):
            layout.set_text_safely(lists.cell(row=row, column=list_col), value)
        last = max(len(values) + 1, 2)
        return f"{quote_sheetname(layout.LIST_SHEET)}!${letter}$2:${letter}${last}"

    unit_list = list(dict.fromkeys([*([unit_name] if unit_name else []), *unit_names]))
    units_ref = add_list("单位", unit_list)
    # 被督查单位 may also be a sub-region (a city inspecting a county), which never reports as 填报单位
    extra_targets = [name for name in dict.fromkeys(target_names) if name not in set(unit_list)]
    targets_ref = add_list("被督查单位", unit_list + extra_targets) if extra_targets else units_ref
    thin = Side(style="thin", color="9BA7B4")
    header_font = Font(bold=True)
    required_font = Font(bold=True, color=REQUIRED_COLOR)
    open_cell = Protection(locked=False)

    specs = layout.RECORD_SHEETS
    for spec in specs:
        ws = wb.create_sheet(spec.name)
        ws.freeze_panes = "A2"
        ws.row_dimensions[1].height = 30
        for number, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(number)
            cell = ws.cell(row=1, column=number)
            layout.set_text_safely(cell, column.header)
            cell.font = required_font if column.required else header_font
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.protection = Protection(locked=True)
            note = ("必填。" if column.required else "选填。") + for_year(column.help or "", campaign.year)
            if column.kind == layout.CHOICE:
                note += "请从下拉列表选择。"
            elif column.kind == layout.DATE:
                note += for_year("日期,如 2021-6-16。", campaign.year)
            elif column.kind == layout.MONEY:
                note += "单位:元。"
            cell.comment = Comment(note, "填报模板", width=220, height=80)
            dim = ws.column_dimensions[letter]
            dim.width = column.width
            dim.protection = open_cell  # every cell below the header stays editable
            if column.kind in layout.NUMBER_FORMATS:
                dim.number_format = layout.NUMBER_FORMATS[column.kind]
            if column.kind == layout.CHOICE:
                key = f"{spec.name}:{column.header}"
                if key not in list_refs:
                    list_refs[key] = add_list(key, column.choices)
                dv = DataValidation(type="list", formula1=f"={list_refs[key]}", allow_blank=True,
                                    showErrorMessage=True, errorStyle="stop", errorTitle="不在可选项中",
                                    error="请从下拉列表中选择。")
            elif column.kind == layout.UNIT:
                # A unit not yet on the list is allowed (the clerk may add it): warn, do not stop.
                ref = targets_ref if column.name == "target" else units_ref
                dv = DataValidation(type="list", formula1=f"={ref}", allow_blank=True,
                                    showErrorMessage=True, errorStyle="warning", errorTitle="单位不在名录中",
                                    error="该单位不在单位名录中,确定要填写吗?")
            else:
                dv = None
            if dv is not None:
                dv.add(f"{letter}2:{letter}{VALIDATION_ROWS + 1}")
                ws.add_data_validation(dv)
        if unit_name and spec.has_unit:
            for row in range(2, PREFILL_ROWS + 2):
                cell = ws.cell(row=row, column=1)
                layout.set_text_safely(cell, unit_name)
                cell.protection = open_cell
        _protect(ws)
        xlsx_export._print_setup(ws, landscape=len(spec.columns) > 6)

    stamps.write_stamp(wb, lists, stamp or stamps.new_stamp(campaign, unit_name), column=list_col + 2)
    _protect(lists)
    _write_info(info, campaign, unit_name, specs)
    _protect(info)
    xlsx_export._print_setup(info, landscape=False)
    wb.active = 0
    wb.properties.title = f"{campaign.year}年安全生产月填报模板"
    wb.properties.creator = "安全生产月数据填报与总结"
    return wb


def _protect(ws) -> None:
    """Protect locked cells (the header) but let the unit insert/delete rows, sort, filter and resize."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.formatCells = False
    p.insertRows = False
    p.deleteRows = False
    p.sort = False
    p.autoFilter = False
    p.selectLockedCells = False
    p.selectUnlockedCells = False


def _write_info(ws, campaign, unit_name: str, specs) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    def put(row: int, column: int, value):
        cell = ws.cell(row=row, column=column)
        layout.set_text_safely(cell, value)  # the region or theme may look like a formula
        return cell

    title = f"{campaign.region or ''}{campaign.year}年“安全生产月”活动情况填报模板"
    put(1, 1, title).font = Font(bold=True, size=16)
    put(2, 1, f"填报单位:{unit_name}" if unit_name else "填报单位:(请在各表“填报单位”列填写本单位全称)").font = \
        Font(bold=True, size=12)
    if campaign.theme:
        put(3, 1, f"活动主题:{campaign.theme}")
    row = 5
    put(row, 1, "填写说明").font = Font(bold=True, size=12)
    for line in INSTRUCTIONS:
        row += 1
        put(row, 1, for_year(line, campaign.year))
    row += 2
    put(row, 1, "各表示例(仅供参考,请在对应工作表中填写;本页内容不会被导入)").font = Font(bold=True, size=12)
    for spec in specs:
        row += 2
        put(row, 1, f"【{spec.name}】").font = Font(bold=True, color="1F4E79")
        row += 1
        example = {name: for_year(value, campaign.year) for name, value in EXAMPLES.get(spec.name, {}).items()}
        if spec.has_unit:
            example.setdefault("unit", unit_name or "城关街道")
        if spec.name == "督查":
            example.setdefault("target", "城关街道")
        for number, column in enumerate(spec.columns, start=1):
            head = put(row, number, column.header)
            head.font = Font(bold=True, color=REQUIRED_COLOR if column.required else "000000")
            head.fill = PatternFill("solid", fgColor=HEADER_FILL)
            head.alignment = Alignment(wrap_text=True, vertical="center")
            value = _cell_value(column, example.get(column.name))
            cell = put(row + 1, number, value)
            if column.kind in layout.NUMBER_FORMATS:
                cell.number_format = layout.NUMBER_FORMATS[column.kind]
        row += 1
    ws.column_dimensions["A"].width = 18
    for letter in "BCDEFGHIJKLMN":
        ws.column_dimensions[letter].width = 16


def write_template(campaign, path, *, unit_name: str = "", stamp=None, progress=None, cancelled=None) -> Path:
    """Write the template of `campaign` (for `unit_name`, or blank) to `path`, atomically; `stamp` (an
    `exchange.stamp.Stamp`, e.g. to record what was issued) defaults to a new one."""
    path = xlsx_safety.check_output_path(path)
    # 填报单位 offers the units that report here: a city's counties (下级地区) hand up 上报数据包 instead
    listed = units.list_units()
    unit_names = [u.name for u in listed if u.kind != vocab.SUB_REGION]
    if progress:
        progress(0, 2)
    stamp = stamp or stamps.new_stamp(campaign, unit_name)
    wb = build_template(campaign, unit_name=unit_name, unit_names=unit_names,
                        target_names=[u.name for u in listed], stamp=stamp)
    if cancelled and cancelled():
        raise Cancelled("已取消,没有生成文件。")
    xlsx_safety.write_atomically(path, wb.save)
    unit = units.find_unit(unit_name) if unit_name else None
    submissions.record_issue(campaign, unit.id if unit else None, str(path), stamp.token)  # 报送进度: issued
    if progress:
        progress(2, 2)
    return path


def _file_name_part(name: str) -> str:
    """A unit name as part of a file name on any system: no invisible or control characters, none of \\/:*?"<>|,
    no trailing dots or spaces, at most 80 characters."""
    safe = "".join("_" if ch in '\\/:*?"<>|' else ch for ch in normalise(name))
    return safe[:80].rstrip(". ")


def write_templates(campaign, folder, unit_list, *, progress=None, cancelled=None) -> list[Path]:
    """One template per unit into `folder` (the GUI's "为各单位生成模板"): 2021年安全生产月填报模板-<单位>.xlsx."""
    folder = Path(folder)
    out = []
    used: set[str] = set()
    for number, unit in enumerate(unit_list):
        if cancelled and cancelled():
            break
        safe = _file_name_part(unit.name) or f"单位{unit.id}"
        if safe.casefold() in used:  # two names that differ only in characters a file name cannot hold
            safe = f"{safe}-{unit.id}"
        used.add(safe.casefold())
        out.append(write_template(campaign, folder / f"{campaign.year}年安全生产月填报模板-{safe}.xlsx", unit_name=unit.name))
        if progress:
            progress(number + 1, len(unit_list))
    return out
