"""Delete, undo/redo, paste from Excel, search, sort and lazy loading on a real record table."""

import datetime as dt

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import records, units
from tests.ui.helpers import select_row


def test_delete_asks_first_and_removes_the_record(demo, make_window, fake_prompts):
    window = make_window()
    table = window.show_records(m.Media)
    before = m.Media.select().count()
    select_row(table, 0)
    victim = table.selected_ids()[0]

    fake_prompts.confirm_answers = [False]
    assert not table.delete()
    assert m.Media.select().count() == before

    assert table.delete()
    assert "删除" in fake_prompts.of_kind("confirm")[-1][1]
    assert m.Media.get_or_none(m.Media.id == victim) is None
    assert table.table_model.total == before - 1


def test_delete_key_in_table_deletes(demo, make_window, qtbot):
    window = make_window()
    table = window.show_records(m.Document)
    select_row(table, 0)
    table.view.setFocus()
    before = m.Document.select().count()
    qtbot.keyClick(table.view, Qt.Key_Delete)
    assert m.Document.select().count() == before - 1


def test_undo_and_redo_of_add_edit_delete(campaign, make_window):
    unit = units.create_unit("区教育局")
    window = make_window()
    table = window.show_records(m.Media)

    form = table.add()
    e = form.form.editors
    e["unit"].widget.setEditText("区教育局")
    e["channel"].widget.setCurrentIndex(e["channel"].widget.findText("微信"))
    e["items"].widget.setText("12")
    assert form.save()
    record_id = m.Media.get().id

    select_row(table, 0)
    form = table.edit()
    form.form.editors["items"].widget.setText("30")
    assert form.save()
    assert m.Media.get_by_id(record_id).items == 30

    select_row(table, 0)
    assert table.delete()
    assert m.Media.select().count() == 0

    window.actions["undo"].trigger()      # the delete
    assert m.Media.get_by_id(record_id).items == 30
    assert table.table_model.total == 1
    window.undo()                          # the edit
    assert m.Media.get_by_id(record_id).items == 12
    assert "12 条(篇/次)" in table.totals_text()
    window.undo()                          # the add
    assert m.Media.select().count() == 0
    assert not window.actions["undo"].isEnabled()

    window.actions["redo"].trigger()      # add again
    assert m.Media.get_by_id(record_id).unit_id == unit.id
    window.redo()                          # edit again
    assert m.Media.get_by_id(record_id).items == 30
    assert table.table_model.total == 1


def _hazard_tsv(rows):
    header = "填报单位\t被查单位\t行业领域\t发现日期\t隐患描述\t整改资金(元)\t不认识的列"
    return "\n".join([header] + ["\t".join(r) for r in rows]) + "\n"


def test_paste_with_one_bad_row_adds_the_others_and_lists_the_refused(campaign, make_window, fake_prompts):
    units.create_unit("东湖街道")
    window = make_window()
    table = window.show_records(m.Hazard)
    text = _hazard_tsv([
        ("东湖街道", "甲公司", "燃气", "2021/6/3", "燃气管道老化", "1,200", "x"),
        ("东湖街道", "乙公司", "建筑施工", "2021年6月40日", "脚手架不稳", "", ""),
        ("东湖 街道", "丙公司", "建筑施工", "2021.6.5", "临边防护缺失", "0.5万", ""),
    ])
    table.paste_text(text)

    rows = list(m.Hazard.select().order_by(m.Hazard.id))
    assert [(h.enterprise, h.found_date, str(h.funding)) for h in rows] == [
        ("甲公司", dt.date(2021, 6, 3), "1200.00"), ("丙公司", dt.date(2021, 6, 5), "5000.00")]
    refused = fake_prompts.of_kind("table")[-1]
    assert "已添加 2 行" in refused[1] and "不认识的列" in refused[1]
    assert refused[2] == [(3, "发现日期", "2021年6月40日", "日期不存在(请检查月、日)")]
    assert table.table_model.total == 2

    window.undo()  # one undo takes the whole paste back
    assert m.Hazard.select().count() == 0


def test_paste_without_header_follows_the_visible_columns(campaign, make_window, fake_prompts):
    units.create_unit("区总工会")
    window = make_window()
    table = window.show_records(m.Media)
    table.paste_text("区总工会\t微信\t工会公众号\t15\t3000\t推送安全知识\n区总工会\t抖音\t\t3\t\t\n")
    media = m.Media.get()
    assert (media.channel, media.outlet, media.items, media.reach, media.description) == \
        ("微信", "工会公众号", 15, 3000, "推送安全知识")
    [(line, column, value, reason)] = fake_prompts.of_kind("table")[-1][2]
    assert (line, column, value) == (2, "渠道", "抖音") and reason.startswith("不在可选项中")


def test_search_and_sort_are_done_by_the_database(demo, make_window, qtbot):
    window = make_window()
    table = window.show_records(m.Hazard)
    table.search_box.setText("燃气")
    expected = (m.Hazard.select().where((m.Hazard.campaign == demo) & (
        m.Hazard.industry.contains("燃气") | m.Hazard.description.contains("燃气") | m.Hazard.enterprise.contains("燃气")
        | m.Hazard.measures.contains("燃气") | m.Hazard.notes.contains("燃气"))).count())
    assert 0 < table.table_model.total == expected < m.Hazard.select().count()
    assert all("燃气" in "".join(table.table_model.row_values(r)) for r in range(table.table_model.rowCount()))
    assert "共 %d 条" % expected in table.count_label.text()

    table.search_box.clear()
    column = [f.name for f in table.table_model.fields].index("funding")
    table.view.sortByColumn(column, Qt.DescendingOrder)
    top = m.Hazard.select().where(m.Hazard.funding.is_null(False)).order_by(m.Hazard.funding.desc()).first()
    assert table.table_model.row_values(0)[column] == f"{top.funding:,.2f}"
    table.view.sortByColumn(column, Qt.AscendingOrder)
    low = m.Hazard.select().where(m.Hazard.funding.is_null(False)).order_by(m.Hazard.funding).first()
    assert table.table_model.row_values(0)[column] == f"{low.funding:,.2f}"
    # Sorting by the unit column sorts by the unit's name.
    table.view.sortByColumn(0, Qt.AscendingOrder)
    names = [table.table_model.row_values(r)[0] for r in range(table.table_model.rowCount())]
    assert names == sorted(names)


def test_a_big_table_loads_only_a_page(campaign, make_window):
    unit = units.create_unit("城关街道")
    rows = [{"campaign": campaign.id, "unit": unit.id, "enterprise": f"企业{i}", "industry": "燃气",
             "found_date": dt.date(2021, 6, 1), "description": "隐患", "level": "一般", "status": "待整改"}
            for i in range(5000)]
    with m.Hazard._meta.database.atomic():
        for start in range(0, len(rows), 500):
            m.Hazard.insert_many(rows[start:start + 500]).execute()
    window = make_window()
    table = window.show_records(m.Hazard)
    model = table.table_model
    assert model.total == 5000
    assert model.rowCount() == 5000  # every row is addressable …
    assert model.loaded <= 400  # … but only what is shown has been read
    table.view.scrollToBottom()
    QApplication.processEvents()
    enterprise = [f.name for f in model.fields].index("enterprise")
    last = model.index(4999, enterprise)
    assert model.data(last) == "企业4999"
    assert model.loaded <= 3 * model.page_size
    model.max_pages = 5
    for row in range(0, 5000, 97):  # reading everything keeps at most max_pages pages
        assert model.row_values(row)[enterprise] == f"企业{row}"
    assert model.loaded == 5 * model.page_size
    assert "5,000 处" in table.totals_text()
    # Any record can be selected, wherever it is; sorted, the ids are held in their order.
    last_id = m.Hazard.select(m.Hazard.id).order_by(m.Hazard.id.desc()).scalar()
    assert table.select_record(last_id) and table.selected_ids() == [last_id]
    table.view.sortByColumn([f.name for f in model.fields].index("enterprise"), Qt.DescendingOrder)
    names = sorted((f"企业{i}" for i in range(5000)), reverse=True)
    assert model.row_values(0)[enterprise] == names[0] == "企业999"
    assert model.row_of(last_id) == names.index("企业4999")
    assert model.row_values(model.row_of(last_id))[enterprise] == "企业4999"


def test_paste_reports_progress_and_a_cancel_writes_nothing(campaign, make_window, fake_prompts, inline_tasks):
    from safetymonth_desktop.services import paste

    units.create_unit("区总工会")
    text = "".join(f"区总工会\t微信\t号{i}\t{i + 1}\n" for i in range(450))
    window = make_window()
    table = window.show_records(m.Media)
    table.paste_text(text)
    assert m.Media.select().count() == 450
    assert inline_tasks.progress_calls[:3] == [(0, 450), (200, 450), (400, 450)]

    with pytest.raises(paste.PasteCancelled, match="没有添加"):
        paste.paste(m.Media, campaign, text, cancelled=lambda: True)
    assert m.Media.select().count() == 450
