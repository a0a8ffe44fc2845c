"""The 填报模板: sheets and headers of DATA.md, unit pre-filled, dropdowns from the hidden list sheet, formats,
frozen and protected header, instructions with an example row per sheet; and a filled template imports."""

import openpyxl
import pytest

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import xlsx_import, xlsx_layout, xlsx_template
from safetymonth_desktop.services import units

SHEETS = ["领导重视", "会议部署", "印发文件", "培训", "宣传品", "媒体宣传", "宣传活动", "隐患台账", "专项整治", "督查"]


@pytest.fixture
def template(campaign, tmp_path):
    units.create_unit("城关街道", kind="街道/乡镇")
    units.create_unit("东湖街道", kind="街道/乡镇")
    path = xlsx_template.write_template(campaign, tmp_path / "模板.xlsx", unit_name="城关街道")
    return openpyxl.load_workbook(path), path


def test_sheets_headers_and_prefilled_unit(template):
    wb, _ = template
    assert [n for n in wb.sheetnames if n not in ("说明", "选项")] == SHEETS
    assert wb["选项"].sheet_state == "hidden" and wb["说明"].sheet_state == "visible"
    for spec in xlsx_layout.RECORD_SHEETS:
        ws = wb[spec.name]
        headers = [c.value for c in ws[1]]
        assert headers == [f.verbose_name for f in m.user_fields(spec.model)]
        assert ws.freeze_panes == "A2"
        assert ws.protection.sheet and not ws.protection.insertRows and not ws.protection.sort
        assert ws["A1"].protection.locked and not ws.column_dimensions["A"].protection.locked
        if spec.has_unit:
            assert headers[0] == "填报单位"
            assert ws["A2"].value == "城关街道" and ws[f"A{xlsx_template.PREFILL_ROWS + 1}"].value == "城关街道"
    assert [c.value for c in wb["督查"][1]].count("被督查单位") == 1


def _list_values(wb, formula):
    sheet, ref = formula.lstrip("=").split("!")
    ws = wb[sheet.strip("'")]
    return [c.value for row in ws[ref.replace("$", "")] for c in row]


def test_every_choice_and_unit_column_has_a_dropdown(template):
    wb, _ = template
    for spec in xlsx_layout.RECORD_SHEETS:
        ws = wb[spec.name]
        by_column = {}
        for dv in ws.data_validations.dataValidation:
            for rng in dv.sqref.ranges:
                by_column[rng.min_col] = dv
        for number, column in enumerate(spec.columns, start=1):
            if column.kind in (xlsx_layout.CHOICE, xlsx_layout.UNIT):
                dv = by_column[number]
                assert dv.type == "list" and "选项" in dv.formula1
                values = _list_values(wb, dv.formula1)
                if column.kind == xlsx_layout.CHOICE:
                    assert values == list(column.choices)
                else:
                    assert values[0] == "城关街道" and "东湖街道" in values
            else:
                assert number not in by_column


def test_formats_widths_and_instructions(template):
    wb, _ = template
    ws = wb["隐患台账"]
    assert ws.column_dimensions["D"].number_format == "yyyy-mm-dd"  # 发现日期
    assert ws.column_dimensions["K"].number_format == "#,##0.00"  # 整改资金(元)
    assert ws.column_dimensions["F"].width >= 30
    texts = [c.value for row in wb["说明"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("城关街道" in t for t in texts) and any("下拉" in t for t in texts)
    for name in SHEETS:
        assert f"【{name}】" in texts
    assert "脚手架连墙件缺失" in texts  # the 隐患台账 example row


def test_filled_template_imports(template, tmp_path):
    wb, _ = template
    ws = wb["隐患台账"]
    ws["B2"], ws["C2"], ws["D2"], ws["F2"] = "某厂", "燃气", "2021-6-3", "阀门锈蚀"
    ws = wb["培训"]
    ws["B2"], ws["G2"] = "以会代训", 40
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.IMPORTED, [str(e) for e in result.errors]
    assert result.counts == {"培训": 1, "隐患台账": 1}  # the 499 rows holding only the unit are skipped
    assert result.warnings == []
    assert m.ImportBatch.get().unit.name == "城关街道"


def test_unknown_year_is_refused(db, tmp_path):
    from safetymonth_desktop.services import campaigns

    with pytest.raises(AppError, match="没有 2030 年度"):
        campaigns.get(2030)


def test_templates_for_every_unit(template, campaign, tmp_path):
    paths = xlsx_template.write_templates(campaign, tmp_path, units.list_units())
    assert sorted(p.name for p in paths) == ["2021年安全生产月填报模板-东湖街道.xlsx", "2021年安全生产月填报模板-城关街道.xlsx"]
    assert openpyxl.load_workbook(paths[0])["培训"]["A2"].value in ("东湖街道", "城关街道")


def test_examples_follow_the_template_year(db, tmp_path):
    """A 2024 template's 说明 sheet and header notes speak of 2024, never of the year the examples were written for."""
    import datetime as dt

    from safetymonth_desktop.services import campaigns

    campaign = campaigns.save(2024, region="城南区")[0]
    wb = openpyxl.load_workbook(xlsx_template.write_template(campaign, tmp_path / "2024.xlsx"))
    texts, dates = [], []
    for ws in wb.worksheets:
        if ws.title == "选项":
            continue
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                elif isinstance(cell.value, dt.datetime):
                    dates.append(cell.value)
                if cell.comment is not None:
                    texts.append(cell.comment.text)
    assert dates and {d.year for d in dates} == {2024}
    assert not [t for t in texts if "2021" in t]
    assert any("安委办〔2024〕5号" in t for t in texts)
    assert any("2024-6-16" in t for t in texts)
