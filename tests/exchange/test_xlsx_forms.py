"""Filling a superior's own form: placeholders replaced by numbers, everything else kept, unknown keys refused."""

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.exchange import xlsx_forms
from safetymonth_desktop.services import indicators


def superior_form(path, extra=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "上报表"
    ws["A1"] = "某市安全生产月活动情况统计表"
    ws.merge_cells("A1:D1")
    ws["A1"].font = Font(bold=True, size=16)
    ws["A2"], ws["B2"] = "填报地区", "{{campaign.region}}"
    ws["A3"], ws["B3"] = "排查隐患(处)", "{{ hazards.found }}"
    ws["A4"], ws["B4"] = "已整改(处)", "{{hazards.rectified}}"
    ws["A5"], ws["B5"] = "整改率(%)", " {{  hazards.rate  }} "
    ws["A6"], ws["B6"] = "宣传经费(万元)", "{{ materials.cost }}"
    ws["A7"], ws["B7"] = "宣传挂图(套)", "{{ materials.by_kind.宣传挂图 }}"
    ws["A8"], ws["B8"] = "建筑施工隐患", "{{ hazards.by_industry.建筑施工.found }}"
    ws["A9"], ws["B9"] = "未整改", "=B3-B4"
    ws["C3"] = "说明:共{{ hazards.found }}处"  # not a whole-cell placeholder: left alone
    ws["B3"].fill = PatternFill("solid", fgColor="FFFF00")
    ws.column_dimensions["A"].width = 30
    other = wb.create_sheet("填表说明")
    other["A1"] = "请于7月5日前报送"
    for cell, value in (extra or {}).items():
        ws[cell] = value
    wb.save(path)
    return path


def test_form_is_filled_and_everything_else_kept(demo, tmp_path, today):
    form = superior_form(tmp_path / "表样.xlsx")
    out = tmp_path / "填好.xlsx"
    result = xlsx_forms.fill_form(demo, form, out, today=today)
    assert result.filled == 7
    assert any("C3" in w for w in result.warnings)
    values = indicators.compute_all(demo, today=today)
    wb = openpyxl.load_workbook(out)
    ws = wb["上报表"]
    assert ws["B2"].value == "城南区"
    assert ws["B3"].value == values["hazards.found"] and ws["B4"].value == values["hazards.rectified"]
    assert ws["B5"].value == pytest.approx(values["hazards.rate"])
    assert ws["B6"].value == pytest.approx(float(values["materials.cost"]))
    assert ws["B7"].value == values["materials.by_kind"]["宣传挂图"]
    assert ws["B8"].value == values["hazards.by_industry"]["建筑施工"]["found"]
    assert ws["B9"].value == "=B3-B4"  # formula kept
    assert ws["C3"].value == "说明:共{{ hazards.found }}处"
    assert "A1:D1" in [str(r) for r in ws.merged_cells.ranges]
    assert ws["A1"].font.bold and ws["A1"].font.size == 16
    assert ws["B3"].fill.fgColor.rgb.endswith("FFFF00")
    assert ws.column_dimensions["A"].width == 30
    assert wb["填表说明"]["A1"].value == "请于7月5日前报送"
    assert wb.calculation.fullCalcOnLoad
    assert openpyxl.load_workbook(form)["上报表"]["B3"].value == "{{ hazards.found }}"  # the form itself unchanged


@pytest.mark.parametrize("bad", ["{{ hazards.foo }}", "{{ materials.by_kind }}", "{{ materials.by_kind.飞机 }}",
                                 "{{hazards.by_industry.建筑施工}}"])
def test_unknown_keys_name_the_cell_and_write_nothing(demo, tmp_path, bad):
    form = superior_form(tmp_path / "表样.xlsx", {"D7": bad})
    out = tmp_path / "填好.xlsx"
    with pytest.raises(AppError) as err:
        xlsx_forms.fill_form(demo, form, out)
    assert "工作表“上报表”单元格 D7" in str(err.value)
    assert not out.exists()


def test_output_must_differ_from_the_form(demo, tmp_path):
    form = superior_form(tmp_path / "表样.xlsx")
    with pytest.raises(AppError, match="不能与表样文件相同"):
        xlsx_forms.fill_form(demo, form, form)


def test_an_xls_form_asks_for_xlsx(demo, tmp_path):
    """Import reads .xls now; a form is filled in place, which only an .xlsx allows: said plainly."""
    from pathlib import Path

    form = tmp_path / "上级表样.xls"
    form.write_bytes((Path(__file__).parent / "files" / "手工表格.xls").read_bytes())
    with pytest.raises(AppError, match=r"是 \.xls 格式,只能填写 \.xlsx 表样"):
        xlsx_forms.fill_form(demo, form, tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()
