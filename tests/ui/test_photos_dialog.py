"""The 活动图片 dialog on real widgets: opened from a record table's button or context menu hook, files added by
选择图片… and by dropping them (a bad one named), caption / 选入总结 / order / delete written to the database, each an
undoable step of the main window; the units' 简称 edited in the unit dialog."""

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QUrl, Qt
from PySide6.QtGui import QDropEvent

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import photos, units
from safetymonth_desktop.ui.dialogs import photos as photo_dialog
from tests.ui.helpers import select_row


@pytest.fixture
def pictures(tmp_path):
    def make(*names):
        out = []
        for n, name in enumerate(names):
            path = tmp_path / name
            Image.new("RGB", (2000, 1500), (50 * n % 255, 120, 200)).save(path, quality=85)
            out.append(path)
        return out
    return make


def open_dialog(window, model, row=0):
    table = window.show_records(model)
    select_row(table, row)
    assert table.photos_button is not None and table.photos_button.isEnabled()
    table.photos_button.click()
    dialog = table.findChild(photo_dialog.PhotoDialog)
    assert dialog is not None and dialog.isVisible()
    return table, dialog


def test_tables_of_records_with_photos_have_the_button(demo, make_window):
    window = make_window()
    for model in (m.Event, m.Meeting, m.Training, m.Inspection):
        assert window.show_records(model).photos_button is not None
    for model in (m.Hazard, m.Material, m.Media):
        assert window.show_records(model).photos_button is None


def test_add_by_choosing_caption_include_order_delete_and_undo(demo, make_window, fake_prompts, pictures, tmp_path):
    window = make_window()
    table, dialog = open_dialog(window, m.Event)
    record_id = table.selected_ids()[0]
    assert dialog.empty_label.isVisibleTo(dialog) and not dialog.list.isVisibleTo(dialog)
    bad = tmp_path / "通知.pdf"
    bad.write_bytes(b"%PDF-1.4 not a picture")
    fake_prompts.file_answers = [[str(p) for p in pictures("一.jpg", "二.jpg")] + [str(bad)]]
    dialog.add_button.click()
    assert dialog.list.count() == 2
    assert [p.file_name for p in photos.photos_of(m.Event, record_id)] == ["一.jpg", "二.jpg"]
    warning = fake_prompts.of_kind("warning")[-1][1]
    assert "已添加 2 张图片" in warning and "“通知.pdf”不是可以识别的图片" in warning
    assert dialog.caption_box.placeholderText() == dialog.auto_caption and dialog.auto_caption

    dialog.list.setCurrentRow(1)
    dialog.caption_box.setText("区长宣布活动启动")
    dialog.caption_box.editingFinished.emit()
    second = photos.photos_of(m.Event, record_id)[1]
    assert second.caption == "区长宣布活动启动"
    dialog.include_box.setChecked(False)
    assert not photos.get_photo(second.id).include
    dialog.earlier_button.click()
    assert [p.id for p in photos.photos_of(m.Event, record_id)][0] == second.id
    assert dialog.current_id() == second.id and not dialog.earlier_button.isEnabled()

    assert dialog.delete()
    assert [p.file_name for p in photos.photos_of(m.Event, record_id)] == ["一.jpg"]
    window.undo()  # the deletion
    assert [p.file_name for p in photos.photos_of(m.Event, record_id)] == ["二.jpg", "一.jpg"]
    window.undo()  # the move
    assert [p.file_name for p in photos.photos_of(m.Event, record_id)] == ["一.jpg", "二.jpg"]
    dialog.accept()


def test_dropping_files_and_a_folder_adds_them(demo, make_window, pictures, tmp_path, qtbot):
    window = make_window()
    table, dialog = open_dialog(window, m.Training)
    record_id = table.selected_ids()[0]
    [single] = pictures("单张.jpg")
    folder = tmp_path / "照片"
    folder.mkdir()
    for p in pictures("b.jpg", "a.png"):
        p.rename(folder / p.name)
    (folder / "说明.txt").write_text("不是图片", encoding="utf-8")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(single)), QUrl.fromLocalFile(str(folder))])
    event = QDropEvent(QPoint(10, 10), Qt.CopyAction, data, Qt.LeftButton, Qt.NoModifier)
    dialog.dropEvent(event)
    assert [p.file_name for p in photos.photos_of(m.Training, record_id)] == ["单张.jpg", "a.png", "b.jpg"]
    assert dialog.list.count() == 3


def test_a_deleted_records_photos_go_and_come_back_with_undo(demo, make_window, pictures, fake_prompts):
    window = make_window()
    table, dialog = open_dialog(window, m.Inspection)
    record_id = table.selected_ids()[0]
    fake_prompts.file_answers = [[str(p) for p in pictures("x.jpg")]]
    dialog.choose_files()
    dialog.accept()
    assert table.delete()
    assert m.Photo.select().count() == 0
    window.undo()
    assert [p.file_name for p in photos.photos_of(m.Inspection, record_id)] == ["x.jpg"]


def test_unit_short_name_in_the_unit_dialog(demo, make_window, qtbot):
    from safetymonth_desktop.ui.dialogs.units import UnitForm, UnitsDialog

    unit = m.Unit.get(m.Unit.name == "区应急管理局")
    form = UnitForm(unit.id)
    qtbot.addWidget(form)
    form.form.editors["short_name"].widget.setText("区应急局")
    assert form.save()
    assert units.get_unit(unit.id).short_name == "区应急局"
    dialog = UnitsDialog()
    qtbot.addWidget(dialog)
    row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == "区应急管理局")
    assert dialog.table.horizontalHeaderItem(1).text() == "简称" and dialog.table.item(row, 1).text() == "区应急局"
