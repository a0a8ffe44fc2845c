"""The 导入 / 导出 menu actions: import preview and import (bad file, good file, unknown units, replace,
cancel, undo), templates for every unit, the statistics workbook, a superior's form. Asserted on the
database and on the files written."""

from __future__ import annotations

import datetime as dt

import pytest

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import xlsx_import, xlsx_template
from safetymonth_desktop.services import indicators, units
from safetymonth_desktop.ui.actions import excel
from safetymonth_desktop.ui.dialogs.import_preview import REFUSED_TEXT

TODAY = dt.date(2021, 7, 15)


def filled_template(demo, path, unit_name: str, rows: list[dict], sheet: str = "培训"):
    """A unit's template as the program writes it, filled in with openpyxl as a unit would (by header name)."""
    from openpyxl import load_workbook

    xlsx_template.write_template(demo, path, unit_name=unit_name)
    wb = load_workbook(path)
    ws = wb[sheet]
    headers = {cell.value: cell.column for cell in ws[1] if cell.value}
    for r, values in enumerate(rows, start=2):
        for header, value in values.items():
            ws.cell(row=r, column=headers[header], value=value)
    wb.save(path)
    return path


def training_rows(n: int, participants: int = 30, category: str = "以会代训"):
    return [{"培训类别": category, "培训名称": f"班组安全培训{i}", "开始日期": dt.date(2021, 6, 10), "期(场)数": 1,
             "参训人次": participants} for i in range(n)]


def state():
    return {model.__name__: model.select().count() for model in (*m.RECORD_MODELS, m.ImportBatch, m.Unit)}


def data_changes(window):
    seen = []
    window.data_changed.connect(lambda: seen.append(1))
    return seen


def test_bad_file_is_previewed_with_its_errors_and_nothing_is_written(demo, make_window, fake_prompts, tmp_path):
    from openpyxl import load_workbook

    bad = filled_template(demo, tmp_path / "城关街道.xlsx", "城关街道",
                          training_rows(1) + [{"培训类别": "不存在的类别", "参训人次": "很多"}])
    window = make_window()
    before = state()
    flow = excel.import_workbooks(window, [bad])
    dialog = flow.dialog
    assert dialog.isVisible()
    assert dialog.files.item(0, 1).text() == REFUSED_TEXT
    assert not dialog.import_button.isEnabled()
    errors = [tuple(dialog.error_table.item(r, c).text() for c in range(6)) for r in range(dialog.error_table.rowCount())]
    assert ("城关街道.xlsx", "培训", "第3行", "培训类别", "不存在的类别") == errors[0][:5]
    assert ("培训", "第3行", "参训人次", "很多") == errors[1][1:5]
    assert state() == before

    # 保存错误清单… writes the table for the unit to correct.
    target = tmp_path / "错误清单"
    fake_prompts.file_answers.append(str(target))
    dialog.save_button.click()
    ws = load_workbook(tmp_path / "错误清单.xlsx").active
    assert [c.value for c in ws[1]] == ["文件", "工作表", "行", "列", "值", "原因"]
    assert [c.value for c in ws[2]][:5] == ["城关街道.xlsx", "培训", 3, "培训类别", "不存在的类别"]
    assert fake_prompts.of_kind("buttons")[-1][2] == ["打开文件", "打开所在文件夹", "关闭"]
    assert state() == before


def test_good_file_is_imported_views_refreshed_and_undoable(demo, make_window, fake_prompts, tmp_path):
    from safetymonth_desktop.db.backup_folder import backup_dir

    good = filled_template(demo, tmp_path / "东城.xlsx", "城关街道", training_rows(3, participants=40))
    window = make_window()
    table = window.show_records(m.Training)
    shown_before = table.table_model.total
    participants = indicators.compute_all(demo, today=TODAY)["training.participants"]
    changes = data_changes(window)

    flow = excel.import_workbooks(window, [str(good)])
    assert flow.dialog.files.item(0, 1).text() == "可以导入"
    assert flow.dialog.files.item(0, 2).text() == "培训 3 行"
    assert m.ImportBatch.select().count() == 0  # the preview wrote nothing
    flow.dialog.import_button.click()

    assert [r.status for r in flow.results] == [xlsx_import.IMPORTED]
    assert m.ImportBatch.select().count() == 1
    assert indicators.compute_all(demo, today=TODAY)["training.participants"] == participants + 120
    assert table.table_model.total == shown_before + 3  # the table on screen was read again
    assert changes
    [(kind, text, rows)] = fake_prompts.of_kind("table")
    assert text.startswith("已导入 1 个文件,共 3 行") and rows == [("东城.xlsx", "已导入", "培训 3 行")]
    assert any(p.name.endswith("-import.sqlite") for p in backup_dir(window.db_path).iterdir())

    window.undo()  # the whole import is one undo step
    assert m.ImportBatch.select().count() == 0
    assert indicators.compute_all(demo, today=TODAY)["training.participants"] == participants
    assert table.table_model.total == shown_before


@pytest.mark.parametrize("accept", [True, False])
def test_unknown_units_are_created_only_when_the_clerk_agrees(demo, make_window, fake_prompts, tmp_path, accept):
    book = filled_template(demo, tmp_path / "新单位.xlsx", "幸福里社区", training_rows(2))
    window = make_window()
    flow = excel.import_workbooks(window, [book])
    assert "需新建单位 1 个" in flow.dialog.files.item(0, 1).text()
    assert "幸福里社区" in flow.dialog.files.item(0, 3).text()
    assert units.find_unit("幸福里社区") is None
    fake_prompts.confirm_answers.append(accept)
    flow.dialog.import_button.click()

    question = fake_prompts.of_kind("confirm")[0][1]
    assert "以下单位不在单位名录中" in question and "幸福里社区" in question
    created = units.find_unit("幸福里社区")
    if accept:
        assert created is not None
        assert m.Training.select().where(m.Training.unit == created).count() == 2
    else:
        assert created is None and m.ImportBatch.select().count() == 0
        [(_, text, rows)] = fake_prompts.of_kind("table")
        assert rows[0][1] == REFUSED_TEXT and "不在单位名录中" in rows[0][2]


def test_a_changed_file_replaces_the_units_earlier_import_after_confirmation(demo, make_window, fake_prompts, tmp_path):
    first = filled_template(demo, tmp_path / "v1.xlsx", "城关街道", training_rows(2, participants=10))
    window = make_window()
    excel.import_workbooks(window, [first]).dialog.import_button.click()
    assert m.ImportBatch.select().count() == 1

    second = filled_template(demo, tmp_path / "v2.xlsx", "城关街道", training_rows(3, participants=50))
    flow = excel.import_workbooks(window, [second])
    assert "将替换以前导入的 2 行" in flow.dialog.files.item(0, 1).text()
    fake_prompts.confirm_answers.append(False)  # not now: nothing changes
    flow.dialog.import_button.click()
    assert m.ImportBatch.select().get().file_name == "v1.xlsx"

    flow = excel.import_workbooks(window, [second])
    fake_prompts.confirm_answers.append(True)
    flow.dialog.import_button.click()
    [batch] = m.ImportBatch.select()
    assert batch.file_name == "v2.xlsx" and batch.rows == 3
    assert [r.replaced for r in flow.results] == [2]


def test_cancel_in_the_middle_writes_nothing_even_for_files_already_done(demo, make_window, fake_prompts, tmp_path,
                                                                        inline_tasks, monkeypatch):
    a = filled_template(demo, tmp_path / "a.xlsx", "城关街道", training_rows(2))
    b = filled_template(demo, tmp_path / "b.xlsx", "东湖街道", training_rows(2))
    window = make_window()
    flow = excel.import_workbooks(window, [a, b])
    before = state()

    progress = []

    def run(parent, fn, *, title, on_done, on_error, cancellable):
        # cancel as soon as the first file is written
        try:
            result = fn(lambda d, t: progress.append((d, t)), lambda: any(d >= t // 2 for d, t in progress))
        except BaseException as exc:  # noqa: BLE001
            on_error(exc)
        else:
            on_done(result)

    monkeypatch.setattr(inline_tasks, "run", run)
    flow.dialog.import_button.click()
    assert (1000, 2000) in progress  # the first file had been written when the cancel came
    assert state() == before
    assert fake_prompts.of_kind("info")[-1][1] == "已取消导入,数据库未作任何修改。"


def test_templates_for_every_unit_are_written_to_a_folder(demo, make_window, fake_prompts, tmp_path):
    from openpyxl import load_workbook

    folder = tmp_path / "templates"
    folder.mkdir()
    window = make_window()
    fake_prompts.choose_answers.append(0)
    fake_prompts.file_answers.append(str(folder))
    fake_prompts.button_answers.append(0)
    excel.write_templates(window)

    names = [u.name for u in units.list_units()]
    written = sorted(p.name for p in folder.iterdir())
    assert written == sorted(f"2021年安全生产月填报模板-{n}.xlsx" for n in names)
    assert fake_prompts.of_kind("choose")[0][2][0].startswith(f"名单中全部单位(共 {len(names)} 个")
    wb = load_workbook(folder / f"2021年安全生产月填报模板-{names[0]}.xlsx")
    assert wb["培训"]["A2"].value == names[0]
    assert fake_prompts.opened == [str(folder)]
    from safetymonth_desktop.services import submissions
    assert sorted(i.unit.name for i in submissions.issues(demo)) == sorted(names)  # each recorded as issued


def test_one_unit_and_blank_templates(demo, make_window, fake_prompts, tmp_path):
    window = make_window()
    names = [u.name for u in units.list_units()]
    excel.write_templates(window, choice=3, folder=tmp_path)  # 0 all, 1 blank, 2.. the units
    excel.write_templates(window, choice=1, folder=tmp_path)
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == sorted(
        [f"2021年安全生产月填报模板-{names[1]}.xlsx", "2021年安全生产月填报模板.xlsx"])


def test_stats_export_writes_the_workbook_and_offers_to_open_it(demo, make_window, fake_prompts, tmp_path):
    from openpyxl import load_workbook

    window = make_window()
    fake_prompts.file_answers.append(str(tmp_path / "统计"))
    fake_prompts.button_answers.append(1)
    excel.export_stats(window)
    path = tmp_path / "统计.xlsx"
    wb = load_workbook(path)
    assert wb.sheetnames[:3] == ["统计表", "分单位汇总", "分行业隐患"]
    rows = {row[1]: row[3] for row in wb["统计表"].iter_rows(min_row=3, values_only=True)}
    assert rows["培训人次"] == indicators.compute_all(demo)["training.participants"]
    assert fake_prompts.opened == [str(tmp_path)]


def write_form(path, cells: dict):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "上报表"
    ws["A1"] = "某市安全生产月统计表"
    for coordinate, value in cells.items():
        ws[coordinate] = value
    wb.save(path)
    return path


def test_form_is_filled_and_the_form_kept(demo, make_window, fake_prompts, tmp_path):
    from openpyxl import load_workbook

    form = write_form(tmp_path / "表样.xlsx", {"B3": "{{ training.participants }}", "B4": "{{hazards.found}}"})
    window = make_window()
    excel.fill_form(window, form, tmp_path / "已填.xlsx")
    values = indicators.compute_all(demo)
    ws = load_workbook(tmp_path / "已填.xlsx")["上报表"]
    assert (ws["A1"].value, ws["B3"].value, ws["B4"].value) == ("某市安全生产月统计表", values["training.participants"],
                                                               values["hazards.found"])
    assert load_workbook(form)["上报表"]["B3"].value == "{{ training.participants }}"
    assert "已填写 2 个单元格" in fake_prompts.of_kind("buttons")[0][1]


def test_unknown_form_keys_are_listed_with_sheet_and_cell(demo, make_window, fake_prompts, tmp_path):
    form = write_form(tmp_path / "表样.xlsx", {"B3": "{{ training.participants }}", "C7": "{{ 培训人数 }}"})
    window = make_window()
    fake_prompts.file_answers.extend([str(form), str(tmp_path / "out.xlsx")])
    excel.fill_form(window)
    [(_, text, rows)] = fake_prompts.of_kind("table")
    assert "1 个无法识别的占位符" in text
    assert rows[0][:2] == ("上报表", "C7") and "不是已知的指标代码" in rows[0][2]
    assert not (tmp_path / "out.xlsx").exists()
    # a GUI message names GUI things: the menu item and the sheet's column, not the command line's "figures"
    assert "figures" not in text + rows[0][2] and "导出 → 导出统计表和台账…" in text and "指标代码" in text


def test_actions_need_a_year(db, make_window, fake_prompts, tmp_path):
    window = make_window()
    assert excel.import_workbooks(window, [tmp_path / "x.xlsx"]) is None
    excel.export_stats(window, tmp_path / "x.xlsx")
    assert [c[0] for c in fake_prompts.calls] == ["info", "info"]
    assert not list(tmp_path.glob("*.xlsx"))


def test_cancelled_stats_export_writes_no_file_and_says_so(demo, make_window, fake_prompts, tmp_path, inline_tasks,
                                                           monkeypatch):
    def run(parent, fn, *, title, on_done, on_error, cancellable):
        try:
            result = fn(lambda d, t: None, lambda: True)
        except BaseException as exc:  # noqa: BLE001
            on_error(exc)
        else:
            on_done(result)

    monkeypatch.setattr(inline_tasks, "run", run)
    window = make_window()
    excel.export_stats(window, tmp_path / "统计.xlsx")
    assert not list(tmp_path.glob("*.xlsx"))
    assert fake_prompts.calls == [("info", "已取消导出,未生成文件“统计.xlsx”(原有的同名文件保持不变)。")]


@pytest.mark.parametrize("accept", [True, False])
def test_rows_of_another_unit_are_listed_and_imported_only_when_the_clerk_agrees(demo, make_window, fake_prompts,
                                                                                  tmp_path, accept):
    rows = training_rows(1) + [dict(row, 填报单位="东湖街道") for row in training_rows(2, participants=7)]
    book = filled_template(demo, tmp_path / "城关代报.xlsx", "城关街道", rows)
    window = make_window()
    before = state()
    flow = excel.import_workbooks(window, [book])
    assert "含其他单位的数据 2 行,导入前需确认" in flow.dialog.files.item(0, 1).text()
    assert "其他单位的数据(东湖街道 2 行)" in flow.dialog.files.item(0, 3).text()
    assert state() == before
    fake_prompts.confirm_answers.append(accept)
    flow.dialog.import_button.click()

    [question] = [text for _, text in fake_prompts.of_kind("confirm")[:1]]
    assert "城关代报.xlsx(“城关街道”的模板):东湖街道 2 行" in question
    if accept:
        assert [r.status for r in flow.results] == [xlsx_import.IMPORTED]
        dh = units.find_unit("东湖街道")
        assert m.Training.select().where((m.Training.unit == dh) & (m.Training.participants == 7)).count() == 2
    else:
        assert state() == before
        [(_, text, result_rows)] = fake_prompts.of_kind("table")
        assert result_rows[0][1] == REFUSED_TEXT and "第3行 填报单位" in result_rows[0][2]


def test_the_preview_says_how_a_file_was_read_and_refuses_another_years_template(demo, make_window, fake_prompts,
                                                                               tmp_path):
    from openpyxl import Workbook

    from safetymonth_desktop.services import campaigns

    wb = Workbook()
    ws = wb.active
    ws.title = "培训"
    ws.append(["东湖街道培训情况统计表"])
    ws.merge_cells("A1:C1")
    ws.append(["填报单位", "培训类别", "参训人次"])
    ws.append(["东湖街道", "以会代训", 12])
    ws.append([None, "以会代训", 13])
    ws.merge_cells("A3:A4")
    hand_made = tmp_path / "东湖自制.xlsx"
    wb.save(hand_made)
    window = make_window()
    assert window.campaign.year == 2021
    campaigns.save(2022, region=demo.region)
    old = filled_template(campaigns.get(2022), tmp_path / "2022模板.xlsx", "城关街道", training_rows(1))

    flow = excel.import_workbooks(window, [hand_made, old])
    files = flow.dialog.files
    assert files.item(0, 1).text() == "可以导入" and files.item(0, 2).text() == "培训 2 行"
    notes = files.item(0, 3).text()
    assert "说明:本文件没有模板标识" in notes
    assert "说明:工作表“培训”的表头在第2行,第1行(标题等)未导入。" in notes
    assert "说明:工作表“培训”第3—4行的“填报单位”为合并单元格,已按每行填写处理。" in notes
    assert files.item(1, 1).text() == REFUSED_TEXT
    assert f"该文件是 2022 年度({demo.region})的填报模板,当前导入的是 2021 年度({demo.region})" in files.item(1, 3).text()


def test_a_refused_file_is_received_and_stays_in_the_results(demo, make_window, fake_prompts, tmp_path):
    """A file the preview refuses is recorded as received (报送进度: 有误退回) and is listed with the imported ones."""
    from safetymonth_desktop.services import progress, submissions

    good = filled_template(demo, tmp_path / "城关.xlsx", "城关街道", training_rows(2))
    bad = filled_template(demo, tmp_path / "东湖.xlsx", "东湖街道", [{"培训类别": "以会代训", "参训人次": "很多"}])
    window = make_window()
    flow = excel.import_workbooks(window, [good, bad])
    [received] = submissions.receipts(demo)  # the refused one, at once: the clerk may close the preview now
    assert (received.file_name, received.outcome) == ("东湖.xlsx", "refused")
    fake_prompts.confirm_answers.append(False)  # no error list now
    flow.dialog.import_button.click()
    assert [(r.file, r.status) for r in flow.results] == [("城关.xlsx", xlsx_import.IMPORTED),
                                                          ("东湖.xlsx", xlsx_import.REFUSED)]
    [(_, text, rows)] = fake_prompts.of_kind("table")
    assert [row[0] for row in rows] == ["城关.xlsx", "东湖.xlsx"] and "1 个文件" in text
    assert [r.outcome for r in submissions.receipts(demo)] == ["refused", "imported"]
    status = {u.unit: u.status for u in progress.progress(demo, as_of=TODAY).units}
    assert (status["城关街道"], status["东湖街道"]) == ("已报送", "有误退回")
