"""The statistics workbook: 统计表 from the registry, per-unit and per-industry sheets, ledgers that import back
into another database with identical figures, formula-looking text kept as text, atomic writing."""

import datetime as dt
import os

import openpyxl
import pytest

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.db import models as m
from safetymonth_desktop.db.connection import close_database, open_database
from safetymonth_desktop.exchange import xlsx_export, xlsx_import, xlsx_layout
from safetymonth_desktop.services import campaigns, indicators, records


def test_round_trip_keeps_every_figure(demo, tmp_path, today):
    records.create(m.Training, demo, {"unit": "城关街道", "category": "其他", "participants": 5,
                                      "title": "=SUM(A1:A9)", "notes": "@点名 -减 +加\n第二行"})
    expected = indicators.to_json(indicators.compute_all(demo, today=today))
    ledgers = {spec.name: spec.model.select().where(spec.model.campaign == demo).count() for spec in xlsx_layout.EXPORT_SHEETS}
    path = xlsx_export.write_stats(demo, tmp_path / "统计.xlsx", today=today)
    close_database()
    open_database(tmp_path / "other.sqlite")
    campaigns.save(2021)
    [result] = xlsx_import.import_files([path], 2021, create_units=True)
    assert result.status == xlsx_import.IMPORTED, [str(e) for e in result.errors][:5]
    assert result.warnings == []
    assert result.counts == {k: v for k, v in ledgers.items() if v}
    assert indicators.to_json(indicators.compute_all(campaigns.get(2021), today=today)) == expected
    odd = m.Training.get(m.Training.title == "=SUM(A1:A9)")
    assert odd.notes == "@点名 -减 +加\n第二行"
    kinds = {u.name: u.kind for u in m.Unit.select()}
    assert kinds["城关街道"] == "街道/乡镇" and kinds["城南燃气有限公司"] == "企业"


def test_sheets_of_the_statistics_workbook(demo, tmp_path, today):
    path = xlsx_export.write_stats(demo, tmp_path / "s.xlsx", today=today)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:4] == ["统计表", "分单位汇总", "分行业隐患", "单位名录"]
    assert wb.sheetnames[4:] == [s.name for s in xlsx_layout.EXPORT_SHEETS]
    ws = wb["统计表"]
    assert ws["A1"].value == "城南区2021年“安全生产月”活动统计表" and ws["A1"].font.b and ws.freeze_panes == "A3"
    assert [c.value for c in ws[2]] == ["类别", "指标", "计量单位", "数值", "指标代码"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    values = indicators.compute_all(demo, today=today)
    assert rows["排查隐患"][3] == values["hazards.found"]
    assert rows["隐患整改率"][2:] == ("%", values["hazards.rate"], "hazards.rate")
    assert rows["宣传经费"][2:] == ("万元", float(values["materials.cost"]), "materials.cost")
    for kind, qty in values["materials.by_kind"].items():
        assert sum(r[3] for k, r in rows.items() if k.startswith(f"宣传品分类别数量:{kind}")) == qty
    assert rows["媒体宣传分渠道:微信"][3] == values["media.by_channel"]["微信"]
    assert rows["排查隐患:建筑施工"][3] == values["hazards.by_industry"]["建筑施工"]["found"]
    ws = wb["分单位汇总"]
    header = [c.value for c in ws[1]]
    *body, total = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(body) == m.Unit.select().count()
    assert total[:3] == ("合计", None, f"{len(body)}/{len(body)} 已报送")
    for col in range(3, len(header)):  # every number column sums to its 合计
        assert total[col] == pytest.approx(sum(r[col] for r in body)), header[col]
    assert total[header.index("宣传经费(万元)")] == float(values["materials.cost"])
    col = header.index("台账隐患(处)")
    assert sum(r[col] for r in body) == m.Hazard.select().count()
    col = header.index("培训人次")
    assert sum(r[col] for r in body) == values["training.participants"]
    ws = wb["分行业隐患"]
    total = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "合计"][0]
    assert total[1:] == (values["hazards.found"], values["hazards.rectified"], values["hazards.rate"])
    ledger = wb["隐患台账"]
    assert [c.value for c in ledger[1]][0] == "填报单位" and ledger.freeze_panes == "A2"
    assert ledger.max_row == m.Hazard.select().count() + 1
    assert isinstance(ledger["D2"].value, dt.datetime) and ledger["D2"].number_format == "yyyy-mm-dd"


def test_formula_looking_text_is_written_as_text(campaign, tmp_path):
    records.create(m.Instruction, campaign, {"leader": "=cmd|' /C calc'!A0", "content": "+1+1", "title": "-2", "occasion": "@SUM(1)"})
    path = xlsx_export.write_stats(campaign, tmp_path / "s.xlsx")
    ws = openpyxl.load_workbook(path)["领导重视"]
    for cell in ws[2]:
        if cell.value is not None and str(cell.value)[:1] in "=+-@":
            assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    assert ws["C2"].value == "=cmd|' /C calc'!A0"  # after 填报单位 (blank: 本级) and 日期


def test_locked_target_keeps_the_old_file(campaign, tmp_path, monkeypatch):
    target = tmp_path / "s.xlsx"
    target.write_bytes(b"old")

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(AppError, match="正被其他程序打开.*原文件未被改动"):
        xlsx_export.write_stats(campaign, target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("test.sqlite")] == ["s.xlsx"]  # no temp file left


def test_cancel_leaves_no_file(demo, tmp_path):
    from safetymonth_desktop.base.errors import Cancelled

    with pytest.raises(Cancelled):
        xlsx_export.write_stats(demo, tmp_path / "s.xlsx", cancelled=lambda: True)
    assert list(tmp_path.glob("*.xlsx")) == []


def test_every_code_of_the_statistics_table_fills_a_form_with_its_value(demo, tmp_path, today):
    """The 指标代码 column lists what a superior's form may carry: each fills in the value beside it."""
    from safetymonth_desktop.exchange import xlsx_forms

    wb = openpyxl.load_workbook(xlsx_export.write_stats(demo, tmp_path / "s.xlsx", today=today))
    rows = [r for r in wb["统计表"].iter_rows(min_row=3, values_only=True)]
    form = openpyxl.Workbook()
    ws = form.active
    for number, row in enumerate(rows, start=1):
        ws.cell(row=number, column=1, value="{{ " + row[4] + " }}")
    form.save(tmp_path / "表样.xlsx")
    xlsx_forms.fill_form(demo, tmp_path / "表样.xlsx", tmp_path / "填好.xlsx", today=today)
    filled = openpyxl.load_workbook(tmp_path / "填好.xlsx").active
    for number, row in enumerate(rows, start=1):
        value = filled.cell(row=number, column=1).value
        expected = row[3]
        if row[4].startswith("materials.by_kind."):  # a kind counted in two measures: the form gets its total
            expected = sum(r[3] for r in rows if r[4] == row[4])
        assert value == pytest.approx(expected) if expected != "—" else value in (None, "", "—"), row
