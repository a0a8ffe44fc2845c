"""Filling a superior's own Excel form (`safetymonth stats --form FORM.xlsx`).

Every cell whose whole text is a placeholder `{{ key }}` (spaces optional) receives the indicator's value
as a number (counts as integers, money in 万元, rates as percentages; a rate with nothing to divide by
leaves the cell empty). Keys are the registry's scalar keys, one item of a breakdown
(`{{ materials.by_kind.宣传挂图 }}`, `{{ media.by_channel.微信 }}`, `{{ hazards.by_industry.燃气.found }}`) or a
campaign setting (`{{ campaign.year }}`, region, organizer, theme, ordinal). Everything else in the workbook
— other cells, styles, merged cells, formulas, other sheets, data validation — is kept as openpyxl keeps it;
formulas are recalculated when the file is opened. An unknown key is an error naming its sheet and cell,
and then nothing is written.

Macros: a .xlsm form is read as data only (macros never run; openpyxl loads it with keep_vba=False) and the
filled form is always written as a macro-free .xlsx. Pictures and charts are not kept by openpyxl: the
result warns when the form had any.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from safetymonth_desktop.base import vocab
from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.exchange import xlsx_layout as layout, xlsx_safety
from safetymonth_desktop.services import indicators

PLACEHOLDER = re.compile(r"^\s*\{\{\s*([^{}\s]+)\s*\}\}\s*$")
CAMPAIGN_KEYS = {"campaign.year": "year", "campaign.region": "region", "campaign.organizer": "organizer",
                 "campaign.theme": "theme", "campaign.ordinal": "ordinal"}


@dataclass
class FormResult:
    path: Path
    filled: int = 0
    warnings: list[str] = field(default_factory=list)


class _Values:
    """Looks up a placeholder key; raises KeyError with a Chinese reason."""

    def __init__(self, campaign, today):
        self.indicators = indicators
        self.campaign = campaign
        self.values = indicators.compute_all(campaign, today=today)

    def __call__(self, key: str):
        ind = self.indicators
        if key in CAMPAIGN_KEYS:
            return getattr(self.campaign, CAMPAIGN_KEYS[key])
        if key in ind.REGISTRY:
            kind = ind.REGISTRY[key].kind
            if kind in (ind.BREAKDOWN, ind.PAIRS):
                example = "宣传挂图" if key == "materials.by_kind" else ("微信" if key == "media.by_channel" else "燃气.found")
                raise KeyError(f"“{key}”是分项指标,请写明哪一项,如 {{{{ {key}.{example} }}}}")
            value = self.values[key]
            return float(value) if kind == ind.MONEY else value
        for base in ("materials.by_kind", "media.by_channel", "hazards.by_industry"):
            if key.startswith(base + "."):
                return self._item(base, key[len(base) + 1:])
        raise KeyError("不是已知的指标代码(可用的代码见导出的统计表中“指标代码”一列)")

    def _item(self, base: str, item: str):
        breakdown = self.values[base]
        if base == "hazards.by_industry":
            industry, _, part = item.rpartition(".")
            if industry not in vocab.INDUSTRIES or part not in ("found", "rectified"):
                raise KeyError("分行业指标应写成 hazards.by_industry.<行业领域>.found 或 .rectified")
            return breakdown.get(industry, {}).get(part, 0)
        allowed = vocab.MATERIAL_KINDS if base == "materials.by_kind" else vocab.MEDIA_CHANNELS
        if item not in allowed:
            raise KeyError("可选项目:" + "、".join(allowed))
        return breakdown.get(item, 0)


def _text(value) -> str | None:
    if isinstance(value, str):
        return value
    if value is not None and type(value).__name__ == "CellRichText":
        return str(value)
    return None


def fill_form(campaign, form_path, out_path, *, today: dt.date | None = None) -> FormResult:
    """Fill the placeholders of `form_path` with `campaign`'s figures and write `out_path` (.xlsx, atomically)."""
    import openpyxl

    info = xlsx_safety.check_workbook(form_path)
    out_path = xlsx_safety.check_output_path(out_path)
    if Path(out_path).resolve() == Path(form_path).resolve():
        raise AppError("输出文件不能与表样文件相同,请另选文件名(表样保持不变,便于下次再用)。")
    result = FormResult(path=out_path)
    name = Path(form_path).name
    if info.format != "xlsx":  # import reads .xls/.xlsb/.ods; a form is filled in place, which needs .xlsx
        raise AppError(f"表样“{name}”是 .{info.format} 格式,只能填写 .xlsx 表样。请在 Excel/WPS 中把表样另存为 .xlsx 后再试。")
    try:
        wb = openpyxl.load_workbook(form_path, keep_vba=False, keep_links=True, rich_text=True)
    except Exception as exc:  # openpyxl/defusedxml raise many kinds for a broken or hostile file
        raise AppError(f"无法读取表样“{name}”({type(exc).__name__}),文件可能已损坏或不是标准的 .xlsx。"
                       "请在 Excel/WPS 中打开后另存为 .xlsx 再试。") from None
    if info.has_macros:
        result.warnings.append("表样含宏:宏不会运行,填好的文件为不含宏的 .xlsx。")
    if info.has_drawings:
        result.warnings.append("表样中的图片、图表不会保留在填好的文件中,如需要请手工补上。")
    lookup = _Values(campaign, today)
    errors, partial, filled = [], [], []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                text = _text(cell.value)
                if text is None or "{{" not in text:
                    continue
                m = PLACEHOLDER.match(text)
                if not m:
                    partial.append(f"工作表“{ws.title}”单元格 {cell.coordinate}")
                    continue
                try:
                    filled.append((cell, lookup(m.group(1))))
                except KeyError as exc:
                    errors.append(f"工作表“{ws.title}”单元格 {cell.coordinate}:{{{{ {m.group(1)} }}}} {exc.args[0]}")
    if errors:
        raise AppError(f"表样“{name}”中有 {len(errors)} 个无法识别的占位符,未生成文件:\n" + "\n".join(errors))
    for cell, value in filled:
        layout.set_text_safely(cell, value)  # a region such as '=HYPERLINK(…)' stays text
    if partial:
        result.warnings.append("以下单元格含“{{”但不是单独的占位符,未填写:" + "、".join(partial[:20]))
    if not filled:
        result.warnings.append("表样中没有找到 {{ 指标代码 }} 形式的占位符,文件内容未变。")
    result.filled = len(filled)
    wb.template = False
    try:
        wb.calculation.fullCalcOnLoad = True  # formulas over the filled cells recompute on open
    except AttributeError:
        pass
    xlsx_safety.write_atomically(out_path, wb.save)
    return result
