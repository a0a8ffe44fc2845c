"""Importing exchange workbooks: messy but valid files give exactly the hand-computed figures; every kind of
bad value is refused with its sheet/row/column and nothing is written; re-import, replace, cancel, undo."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import xlsx_import
from safetymonth_desktop.services import history, indicators, units


def write_book(path, sheets: dict, *, text_cells=()):
    """A workbook with one sheet per entry (first row = headers). `text_cells` lists (sheet, row, col) forced to text."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    cell = ws.cell(row=r, column=c, value=value)
                    if (name, r, c) in text_cells:
                        cell.data_type = "s"
    wb.save(path)
    return path


def counts():
    return {model.__name__: model.select().count() for model in (*m.RECORD_MODELS, m.ImportBatch, m.Unit, m.ChangeLog)}


@pytest.fixture
def units_ready(campaign):
    cg = units.create_unit("城关街道", kind="街道/乡镇")
    units.add_alias(cg.id, "城关办事处")
    units.create_unit("东湖街道", kind="街道/乡镇")
    return campaign


HAZARD_HEADERS = ["填报单位", "被查单位", "行业领域", "发现日期", "隐患描述", "状态", "整改完成日期", "整改资金(元)", "隐患等级",
                  "整改措施", "责任人"]


def messy_book(path):
    training = [
        # shuffled, full-width brackets, stray spaces, an unknown column
        [" 参训人次 ", "培训类别", "期（场）数", "联系人电话", "填报单位", "开始日期"],
        ["1,200余", "以会代训", "２", "13800000000", "城关街道", "2021/6/3"],
        [None, None, None, None, None, None],
        ["0.3万", "特种作业人员培训", 3.0, None, "城关 街道", dt.datetime(2021, 6, 8, 9, 30)],
        [None, None, None, None, "城关街道", None],  # a pre-filled unit and nothing else: skipped
        ["８０", "公开课/讲座", "1", None, "东湖 街道", 44350],
    ]
    hazards = [HAZARD_HEADERS]
    spellings = [dt.date(2021, 6, 1), dt.datetime(2021, 6, 2, 0, 0), 44350, "2021-6-16", "2021/6/16", "2021.6.16",
                 "2021年6月16日", "20210616"]
    for i, found in enumerate(spellings):
        rectified = i < 3
        hazards.append(["城关办事处" if i % 2 else "城关街道", f"企业{i}", "燃 气" if i < 5 else "建筑施工", found,
                        f"隐患{i}", "已整改" if rectified else "整改中", "2021年6月20日" if rectified else None,
                        ["1.5万", "2,500.50", 800, None, "", None, None, None][i], "重大" if i == 7 else "一般",
                        "停用整改" if i == 7 else None, "王某" if i == 7 else None])
        if i == 3:
            hazards.append([None] * len(HAZARD_HEADERS))
    actions = [["填报单位", "行动名称", "行业领域", "发现隐患（处）", "整改隐患(处)", "罚款(元)", "检查单位(家次)"],
               ["东湖街道", "打非治违专项行动", "燃气", "12", "10", "2万", "1,024"]]
    materials = [["填报单位", "类别", "数量", "计量单位", "经费"],  # 经费 for 经费(元): short form accepted
                 ["城关街道", "宣传挂图", "4,900", None, "1.2万元"],
                 ["东湖街道", "展板", "60", "块", "3000"]]
    inspection = [["被督查单位", "类型", "发现问题(个)", "已整改(个)"], ["城关办事处", "暗访", 5, 4], ["东湖街道", "复查", "2", "2"]]
    media = [["填报单位", "渠道", "条(篇/次)数", "覆盖人次"], ["东湖街道", "微信", "12", "3.5万"]]
    return write_book(path, {"说明": [["随便写的说明"]], "培训": training, "隐患台账": hazards, "专项整治": actions,
                             "宣传品": materials, "督查": inspection, " 媒体宣传 ": media, "草稿": [["x"]]})


def test_messy_but_valid_workbook_gives_the_hand_computed_figures(units_ready, tmp_path, today):
    path = messy_book(tmp_path / "城关街道.xlsx")
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.IMPORTED, [str(e) for e in result.errors]
    assert result.counts == {"培训": 3, "隐患台账": 8, "专项整治": 1, "宣传品": 2, "督查": 2, "媒体宣传": 1}
    assert any("联系人电话" in w for w in result.warnings)
    assert any("草稿" in w for w in result.warnings)
    assert not any("说明" in w for w in result.warnings)
    v = indicators.compute_all(units_ready, today=today)
    assert v["training.sessions"] == 2 + 3 + 1
    assert v["training.participants"] == 1200 + 3000 + 80
    assert v["hazards.found"] == 8 + 12
    assert v["hazards.rectified"] == 3 + 10
    assert v["hazards.rate"] == 65.0
    assert v["hazards.major"] == 1
    assert v["hazards.funding"] == Decimal("1.83")  # 15000 + 2500.50 + 800 元
    assert v["hazards.by_industry"] == {"建筑施工": {"found": 3, "rectified": 0}, "燃气": {"found": 17, "rectified": 13}}
    assert v["enforcement.fines"] == Decimal("2.00")
    assert v["enforcement.inspected"] == 1024
    assert v["materials.total"] == 4960
    assert v["materials.cost"] == Decimal("1.50")
    assert v["media.items"] == 12 and v["people.educated"] == 4280 + 35000
    assert v["supervision.count"] == 2 and v["supervision.targets"] == 2 and v["supervision.problems"] == 7
    assert v["units.reported"] == 2 and v["units.total"] == 2
    found = sorted(h.found_date for h in m.Hazard.select())
    assert found == [dt.date(2021, 6, 1), dt.date(2021, 6, 2), dt.date(2021, 6, 3)] + [dt.date(2021, 6, 16)] * 5
    assert m.Material.get(m.Material.kind == "宣传挂图").measure == "套"  # default measure by kind
    assert m.Training.select().where(m.Training.start_date == dt.date(2021, 6, 8)).count() == 1
    # the whole file is one batch, logged as one change group
    batch = m.ImportBatch.get()
    assert batch.rows == 17 and batch.unit is None  # two units report in this file
    assert m.Hazard.select().where(m.Hazard.import_batch == batch).count() == 8


def _good_hazard():
    return ["城关街道", "某厂", "燃气", "2021-6-3", "管道老化", "待整改", None, None, "一般", None, None]


BAD = [
    ("发现日期", "2021-13-45", "日期不存在"),
    ("发现日期", "明天", "无法识别的日期"),
    ("发现日期", "2201-6-1", "日期超出合理范围"),
    ("发现日期", None, "必须填写"),
    ("行业领域", "化工", "不在可选项中"),
    ("被查单位", "  ", "必须填写"),
    ("整改资金(元)", "-5", "不能为负数"),
    ("整改资金(元)", "1.234", "最多保留两位小数"),
    ("整改资金(元)", "很多", "不是数字"),
    ("填报单位", "不存在街道", "不在单位名录中"),
    ("状态", "已整改", "必须填写整改完成日期"),
    ("整改完成日期", "2021-6-5", "状态应为“已整改”"),
    ("隐患等级", "重大", "重大隐患必须填写"),
]


@pytest.mark.parametrize("header, value, reason", BAD)
def test_each_bad_value_refuses_the_file_with_its_place(units_ready, tmp_path, header, value, reason):
    rows = [HAZARD_HEADERS, _good_hazard(), _good_hazard()]
    column = HAZARD_HEADERS.index(header)
    rows[2][column] = value
    path = write_book(tmp_path / "bad.xlsx", {"隐患台账": rows, "培训": [["填报单位", "培训类别", "参训人次"],
                                                                    ["城关街道", "以会代训", 30]]})
    before = counts()
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.REFUSED
    # A 重大 row without 整改措施 and 责任人 is told both at once (one error per column).
    expected_columns = {"状态": ["整改完成日期"], "隐患等级": ["整改措施", "责任人"]}.get(header, [header])
    assert [(e.file, e.sheet, e.row, e.column) for e in result.errors] == \
        [("bad.xlsx", "隐患台账", 3, column) for column in expected_columns]
    assert all(reason in e.reason for e in result.errors)
    assert counts() == before  # nothing written, not even the good sheet


@pytest.mark.parametrize("sheet, rows, column, reason", [
    ("培训", [["填报单位", "培训类别", "参训人次", "期(场)数"], ["城关街道", "以会代训", "很多", 1]], "参训人次", "不是数字"),
    ("培训", [["填报单位", "培训类别", "参训人次", "期(场)数"], ["城关街道", "以会代训", "1.5", 1]], "参训人次", "应为整数"),
    ("培训", [["填报单位", "培训类别", "参训人次", "期(场)数"], ["城关街道", "以会代训", 5, 0]], "期(场)数", "至少为1"),
    ("培训", [["填报单位", "培训类别", "参训人次", "开始日期", "结束日期"], ["城关街道", "以会代训", 5, "2021-6-9", "2021-6-1"]],
     "结束日期", "不能早于开始日期"),
    ("专项整治", [["填报单位", "行动名称", "行业领域", "发现隐患(处)", "整改隐患(处)"], ["城关街道", "打非", "燃气", 3, 5]],
     "整改隐患(处)", "不能大于发现隐患"),
    ("督查", [["被督查单位", "类型"], ["谁也不是", "暗访"]], "被督查单位", "不在单位名录中"),
    ("宣传品", [["填报单位", "类别", "数量"], ["城关街道", "展板", True]], "数量", "不是数字"),
])
def test_bad_values_on_other_sheets(units_ready, tmp_path, sheet, rows, column, reason):
    path = write_book(tmp_path / "b.xlsx", {sheet: rows})
    before = counts()
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.REFUSED
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [(sheet, 2, column)]
    assert reason in result.errors[0].reason
    assert counts() == before


def test_missing_required_column_refuses_the_file(units_ready, tmp_path):
    path = write_book(tmp_path / "m.xlsx", {"培训": [["填报单位", "参训人次"], ["城关街道", 10]],
                                            "宣传品": [["填报单位", "类别", "数量"], ["城关街道", "展板", 3]]})
    before = counts()
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.REFUSED
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("培训", 1, "培训类别")]
    assert "缺少必填列" in result.errors[0].reason
    assert counts() == before


def test_duplicate_column_and_missing_header_are_errors(units_ready, tmp_path):
    path = write_book(tmp_path / "d.xlsx", {"培训": [["填报单位", "培训类别", "参训人次", "参训 人次"], ["城关街道", "以会代训", 1, 2]]})
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.REFUSED and "重复" in result.errors[0].reason


def test_one_good_and_one_bad_file(units_ready, tmp_path):
    good = write_book(tmp_path / "good.xlsx", {"培训": [["填报单位", "培训类别", "参训人次"], ["城关街道", "以会代训", 30]]})
    bad = write_book(tmp_path / "bad.xlsx", {"培训": [["填报单位", "培训类别", "参训人次"], ["东湖街道", "以会代训", "x"]]})
    results = xlsx_import.import_files([good, bad], 2021)
    assert [r.status for r in results] == [xlsx_import.IMPORTED, xlsx_import.REFUSED]
    assert m.Training.select().count() == 1


def test_unknown_units_are_created_only_when_asked(campaign, tmp_path):
    path = write_book(tmp_path / "u.xlsx", {"培训": [["填报单位", "培训类别", "参训人次"], ["新 单位", "以会代训", 30],
                                                    ["新单位", "以会代训", 20]]})
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.REFUSED and m.Unit.select().count() == 0
    [result] = xlsx_import.import_files([path], 2021, create_units=True)
    assert result.status == xlsx_import.IMPORTED and result.units_created == ["新 单位"]
    assert [u.name for u in m.Unit.select()] == ["新 单位"]
    assert m.ImportBatch.get().unit.name == "新 单位"


def test_preview_checks_everything_and_writes_nothing(units_ready, tmp_path):
    path = messy_book(tmp_path / "a.xlsx")
    before = counts()
    [result] = xlsx_import.import_files([path], 2021, dry_run=True)
    assert result.status == xlsx_import.READY and result.total == 17 and "可以导入 17 行" in result.message
    assert counts() == before


def test_reimport_is_a_no_op_and_replace_swaps(units_ready, tmp_path, today):
    rows = [["填报单位", "培训类别", "参训人次"], ["城关街道", "以会代训", 30], ["城关街道", "以会代训", 20]]
    path = write_book(tmp_path / "城关.xlsx", {"培训": rows})
    assert xlsx_import.import_files([path], 2021)[0].status == xlsx_import.IMPORTED
    before = counts()
    [again] = xlsx_import.import_files([path], 2021)
    assert again.status == xlsx_import.UNCHANGED and "导入过" in again.message
    assert counts() == before
    # the unit sends a corrected file
    rows[2][2] = 25
    write_book(path, {"培训": rows})
    [refused] = xlsx_import.import_files([path], 2021)
    assert refused.status == xlsx_import.REFUSED and "--replace" in refused.message
    assert counts() == before
    [replaced] = xlsx_import.import_files([path], 2021, replace=True)
    assert replaced.status == xlsx_import.IMPORTED and replaced.replaced == 2
    assert indicators.compute("training.participants", units_ready) == 55
    assert m.ImportBatch.select().count() == 1
    # the replacement is one change group: undoing it brings the first version back
    history.revert_group(history.last_group())
    assert indicators.compute("training.participants", units_ready) == 50
    assert m.ImportBatch.select().count() == 1


def test_undoing_an_import_allows_importing_the_file_again(units_ready, tmp_path):
    path = write_book(tmp_path / "a.xlsx", {"培训": [["填报单位", "培训类别", "参训人次"], ["城关街道", "以会代训", 30]]})
    xlsx_import.import_files([path], 2021)
    history.revert_group(history.last_group())
    assert m.Training.select().count() == 0 and m.ImportBatch.select().count() == 0
    assert xlsx_import.import_files([path], 2021)[0].status == xlsx_import.IMPORTED


def test_backup_taken_before_writing(units_ready, tmp_path, db_path):
    path = write_book(tmp_path / "a.xlsx", {"培训": [["填报单位", "培训类别", "参训人次"], ["城关街道", "以会代训", 30]]})
    xlsx_import.import_files([path], 2021)
    from safetymonth_desktop.db.backup_folder import backup_dir

    backups = list(backup_dir(db_path).glob("*-import.sqlite"))
    assert len(backups) == 1


def test_cancel_writes_nothing_and_progress_is_reported(units_ready, tmp_path):
    rows = [["填报单位", "培训类别", "参训人次"]] + [["城关街道", "以会代训", i + 1] for i in range(5000)]
    path = write_book(tmp_path / "big.xlsx", {"培训": rows})
    seen = []
    before = counts()
    [result] = xlsx_import.import_files([path], 2021, progress=lambda d, t: seen.append((d, t)),
                                        cancelled=lambda: len(seen) >= 2)
    assert result.status == xlsx_import.CANCELLED and counts() == before
    seen.clear()
    [result] = xlsx_import.import_files([path], 2021, progress=lambda d, t: seen.append((d, t)))
    assert result.status == xlsx_import.IMPORTED and seen[-1][0] == seen[-1][1]
    assert all(0 <= d <= t for d, t in seen)


def test_formula_looking_text_is_kept_as_text(units_ready, tmp_path):
    path = write_book(tmp_path / "f.xlsx", {"培训": [["填报单位", "培训类别", "参训人次", "培训名称"],
                                                    ["城关街道", "以会代训", 3, '=HYPERLINK("http://x","点我")']]},
                      text_cells={("培训", 2, 4)})
    assert xlsx_import.import_files([path], 2021)[0].status == xlsx_import.IMPORTED
    assert m.Training.get().title == '=HYPERLINK("http://x","点我")'


def test_errors_saved_as_xlsx(units_ready, tmp_path):
    import openpyxl

    path = write_book(tmp_path / "b.xlsx", {"培训": [["填报单位", "培训类别", "参训人次"], ["城关街道", "以会代训", "=1+1x"]]},
                      text_cells={("培训", 2, 3)})
    results = xlsx_import.import_files([path], 2021)
    out = xlsx_import.save_errors(results, tmp_path / "errors.xlsx")
    ws = openpyxl.load_workbook(out)["导入错误"]
    assert [c.value for c in ws[1]] == list(xlsx_import.ERROR_HEADERS)
    assert [c.value for c in ws[2]][:4] == ["b.xlsx", "培训", 2, "参训人次"]
    assert ws["E2"].value == "=1+1x" and ws["E2"].data_type == "s"


def test_every_error_of_every_row_is_listed_in_one_import(units_ready, tmp_path):
    rows = [HAZARD_HEADERS, _good_hazard(), _good_hazard(), _good_hazard()]
    rows[1][HAZARD_HEADERS.index("隐患等级")] = "重大"  # without 整改措施 and 责任人
    rows[3][HAZARD_HEADERS.index("隐患等级")] = "重大"
    rows[3][HAZARD_HEADERS.index("整改资金(元)")] = "很多"
    rows[3][HAZARD_HEADERS.index("发现日期")] = "明天"
    rows[3][HAZARD_HEADERS.index("状态")] = "已整改"
    path = write_book(tmp_path / "two.xlsx", {"隐患台账": rows})
    [result] = xlsx_import.import_files([path], 2021)
    assert result.status == xlsx_import.REFUSED
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "整改措施"), (2, "责任人"),
        (4, "发现日期"), (4, "整改资金(元)"), (4, "整改完成日期"), (4, "整改措施"), (4, "责任人")]
    assert m.Hazard.select().count() == 0


@pytest.mark.parametrize("raw", ["a", " b ", "", "  ", 3.0, 3.5, 44350, -1, "1,200余", "３万", True, "2021年6月16日",
                                 dt.date(2021, 6, 1), dt.datetime(2021, 6, 1, 8), "燃 气", "x" * 300, "＝1",
                                 "\u200b", "a\u200bb", "\x01", "x\x01y", "燃\u200d气", "\ufeff已整改", "2021-6-1\u202e"])
def test_field_cleaner_agrees_with_the_record_service(db, raw):
    from safetymonth_desktop.services import records
    from safetymonth_desktop.base.errors import ValidationError

    for field in m.user_fields(m.Hazard):
        if field.name == "unit":
            continue
        cleaner = xlsx_import._FieldCleaner(field)
        for _ in range(2):  # the second call comes from the cache
            try:
                expected = ("ok", records.clean_value(field, raw))
            except ValidationError as exc:
                expected = ("error", exc.message)
            try:
                got = ("ok", cleaner(raw))
            except ValidationError as exc:
                got = ("error", exc.message)
            assert got == expected, (field.name, raw)
        # the column form: the same values, the errors in place and their positions listed
        # (a column of few values repeated is cleaned through a table of them, one of mostly different ones by cell)
        for cells in ([raw], ["甲", raw, "乙", raw], [raw, 1.0, "", "ok", None], [raw, " 甲 "] * 9 + ["乙"],
                      [raw] * 16, [raw] + [f"丙{i}" for i in range(15)]):
            column, bad = xlsx_import._FieldCleaner(field).column(cells)
            expected = []
            for cell in cells:
                try:
                    expected.append(("ok", records.clean_value(field, cell)))
                except ValidationError as exc:
                    expected.append(("error", exc.message))
            got = [("error", v.message) if isinstance(v, ValidationError) else ("ok", v) for v in column]
            assert got == expected, (field.name, cells)
            assert bad == [i for i, (kind, _v) in enumerate(expected) if kind == "error"]


CELL = st.one_of(st.none(), st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12), st.integers(-10, 10**7), st.floats(allow_nan=True, allow_infinity=False),
                 st.dates(dt.date(1990, 1, 1), dt.date(2110, 1, 1)), st.booleans(),
                 st.sampled_from(["燃气", "已整改", "2021-6-1", "1,200余", "３万", "城关街道", "=1+1", "@x", "-3"]))


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.lists(CELL, min_size=len(HAZARD_HEADERS), max_size=len(HAZARD_HEADERS)), min_size=1, max_size=4))
def test_random_cells_never_crash_or_half_write(tmp_path_factory, units_ready, rows):
    path = tmp_path_factory.mktemp("h") / "r.xlsx"
    base = [_good_hazard()]
    write_book(path, {"隐患台账": [HAZARD_HEADERS] + base + rows})
    before = counts()
    [result] = xlsx_import.import_files([path], 2021, backup=False)
    after = counts()
    if result.status == xlsx_import.IMPORTED:
        assert after["Hazard"] == before["Hazard"] + result.total and result.total >= 1
        history.revert_group(history.last_group())
    else:
        assert result.status in (xlsx_import.REFUSED, xlsx_import.UNCHANGED) and result.message
        assert after == before
    assert counts()["Hazard"] == before["Hazard"]


def test_the_gui_import_is_one_transaction_and_one_undo(units_ready, tmp_path):
    first = write_book(tmp_path / "a.xlsx", {"培训": [["填报单位", "培训类别", "参训人次"], ["城关街道", "以会代训", 30]]})
    second = write_book(tmp_path / "b.xlsx", {"培训": [["填报单位", "培训类别", "参训人次"], ["东湖街道", "以会代训", 20]]})
    before = counts()
    calls = []
    with pytest.raises(xlsx_import.Cancelled):  # cancelled while the second file is read: the first goes too
        xlsx_import.import_files_together([first, second], 2021, progress=lambda d, t: calls.append(d),
                                          cancelled=lambda: d_seen(calls))
    assert counts() == before
    results, group = xlsx_import.import_files_together([first, second], 2021)
    assert [r.status for r in results] == [xlsx_import.IMPORTED] * 2 and m.Training.select().count() == 2
    history.revert_group(group)  # undo is itself logged: compare everything but the change log
    assert {k: v for k, v in counts().items() if k != "ChangeLog"} == {k: v for k, v in before.items() if k != "ChangeLog"}


def d_seen(calls) -> bool:
    """Cancel once progress has reached the second file (progress runs 0..2000 over two files)."""
    return any(done >= 1000 for done in calls)
