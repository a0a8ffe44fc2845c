"""活动图片…: the photos of one record (an event, a meeting, a training or an inspection). Files are dropped on the
dialog or chosen with 选择图片…; they are read in the background (exchange/photo_files.py: bounded, rotated,
downscaled) and every file that cannot be used is named with what to do. Each photo shows as a thumbnail; the selected
one's caption (blank: built from the record, shown greyed), 选入总结 and order are edited beside it, and it can be
deleted. Every change is one undoable step of the main window's undo stack. A thin face over services/photos.py.

`button_for(table)` gives a record table its 活动图片… button (None for record types without photos).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget)

from safetymonth_desktop.exchange.photo_reading import SUFFIXES
from safetymonth_desktop.exchange.report_sections.photos import default_caption
from safetymonth_desktop.services import history, photos
from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.ui import prompts, tasks
from safetymonth_desktop.ui.qt_compat import emit

THUMB = 150
FILTER = "图片 (" + " ".join(f"*{s}" for s in SUFFIXES) + ");;所有文件 (*)"


class PhotoDialog(QDialog):
    """The photos of record `record_id` of `model`. Emits `changed` after every change to them."""

    changed = Signal()

    def __init__(self, model, record_id: int, undo_stack=None, parent=None):
        super().__init__(parent)
        self.model, self.record_id, self.undo = model, record_id, undo_stack
        record = photos.record_of(model, record_id)
        self.auto_caption = default_caption(model, record)
        self.setWindowTitle(f"活动图片 — {model._meta.title}")
        self.setAcceptDrops(True)

        about = QLabel(f"记录:{self.auto_caption}")
        about.setWordWrap(True)
        hint = QLabel("把照片文件拖到此处,或点“选择图片…”。照片按打印尺寸缩小后保存在数据库中(JPG、PNG、HEIC 均可);"
                      "勾选“选入总结”的照片按记录日期排在总结的附件“活动图片”中,每页两张。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")

        self.list = QListWidget()
        self.list.setViewMode(QListWidget.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setGridSize(QSize(THUMB + 24, THUMB + 44))
        self.list.setResizeMode(QListWidget.Adjust)
        self.list.setMovement(QListWidget.Static)
        self.list.setSelectionMode(QAbstractItemView.SingleSelection)
        self.list.setWordWrap(True)
        self.list.setMinimumWidth(3 * (THUMB + 24) + 24)
        self.list.currentItemChanged.connect(lambda *a: self._show_current())
        self.empty_label = QLabel("还没有图片。把照片文件拖到这里,或点“选择图片…”。")
        self.empty_label.setAlignment(Qt.AlignCenter)
        self.empty_label.setStyleSheet("color: #888; border: 2px dashed #bbb; padding: 40px;")

        self.caption_box = QLineEdit()
        self.caption_box.setMaxLength(photos.MAX_CAPTION)
        self.caption_box.setPlaceholderText(self.auto_caption)
        self.caption_box.setToolTip("不填则使用按记录生成的说明(灰色显示)")
        self.caption_box.editingFinished.connect(self._save_caption)
        self.include_box = QCheckBox("选入总结")
        self.include_box.setToolTip("勾选后,这张照片出现在活动总结的附件“活动图片”中")
        self.include_box.toggled.connect(self._save_include)
        self.earlier_button = QPushButton("前移")
        self.later_button = QPushButton("后移")
        self.delete_button = QPushButton("删除图片")
        self.earlier_button.clicked.connect(lambda: self.move(-1))
        self.later_button.clicked.connect(lambda: self.move(1))
        self.delete_button.clicked.connect(self.delete)
        self.file_label = QLabel()
        self.file_label.setStyleSheet("color: #666;")
        self.file_label.setWordWrap(True)
        details = QFormLayout()
        details.addRow("图片说明", self.caption_box)
        row = QHBoxLayout()
        for w in (self.include_box, self.earlier_button, self.later_button, self.delete_button):
            row.addWidget(w)
        row.addStretch(1)
        details.addRow("", row)
        details.addRow("原文件", self.file_label)
        self.details = QWidget()
        self.details.setLayout(details)

        self.add_button = QPushButton("选择图片…")
        self.add_button.clicked.connect(self.choose_files)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.add_button)
        bottom.addStretch(1)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(hint)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.details)
        layout.addLayout(bottom)
        self.resize(760, 600)
        self.reload()

    # ---- the list

    def reload(self, select_id: int | None = None) -> None:
        current = select_id if select_id is not None else self.current_id()
        self.list.blockSignals(True)
        self.list.clear()
        for photo in photos.photos_of(self.model, self.record_id):
            pixmap = QPixmap()
            pixmap.loadFromData(photos.image_bytes(photo), "JPEG")
            icon = QIcon(pixmap.scaled(THUMB, THUMB, Qt.KeepAspectRatio, Qt.SmoothTransformation))
            label = ("✔ " if photo.include else "") + (photo.caption or photo.file_name or "图片")
            item = QListWidgetItem(icon, label)
            item.setData(Qt.UserRole, photo.id)
            item.setToolTip(photo.caption or self.auto_caption)
            self.list.addItem(item)
            if photo.id == current:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self.list.blockSignals(False)
        has = self.list.count() > 0
        self.list.setVisible(has)
        self.empty_label.setVisible(not has)
        self._show_current()

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.UserRole) if item is not None else None

    def _show_current(self) -> None:
        photo_id = self.current_id()
        self.details.setEnabled(photo_id is not None)
        photo = photos.get_photo(photo_id) if photo_id is not None else None
        self.caption_box.blockSignals(True)  # showing a photo is not editing it
        self.include_box.blockSignals(True)
        self.caption_box.setText(photo.caption if photo else "")
        self.include_box.setChecked(bool(photo and photo.include))
        self.file_label.setText(photo.file_name if photo else "")
        self.caption_box.blockSignals(False)
        self.include_box.blockSignals(False)
        row = self.list.currentRow()
        self.earlier_button.setEnabled(photo is not None and row > 0)
        self.later_button.setEnabled(photo is not None and row < self.list.count() - 1)

    # ---- changes

    def _changed(self, group: str | None, label: str, select_id: int | None = None) -> None:
        if self.undo is not None:
            self.undo.push(group, label)
        self.reload(select_id)
        emit(self.changed)

    def _do(self, label: str, action, select_id: int | None = None) -> bool:
        try:
            with history.change_group() as group:
                action()
        except AppError as exc:
            prompts.error(self, str(exc))
            self.reload()
            return False
        self._changed(group, label, select_id)
        return True

    def _save_caption(self) -> None:
        photo_id = self.current_id()
        if photo_id is None or self.caption_box.text().strip() == photos.get_photo(photo_id).caption:
            return
        self._do("修改图片说明", lambda: photos.update_photo(photo_id, caption=self.caption_box.text()), photo_id)

    def _save_include(self, checked: bool) -> None:
        photo_id = self.current_id()
        if photo_id is not None:
            self._do("选入总结" if checked else "不选入总结", lambda: photos.update_photo(photo_id, include=checked),
                     photo_id)

    def move(self, step: int) -> None:
        photo_id = self.current_id()
        if photo_id is not None:
            self._do("调整图片顺序", lambda: photos.move_photo(photo_id, step), photo_id)

    def delete(self) -> bool:
        photo_id = self.current_id()
        if photo_id is None:
            return False
        if not prompts.confirm(self, "确定删除选中的图片吗?\n删除后可用“撤销”(Ctrl+Z)恢复。", "删除图片", ok="删除"):
            return False
        return self._do("删除活动图片", lambda: photos.delete_photo(photo_id))

    # ---- adding files

    def choose_files(self) -> None:
        paths = prompts.open_files(self, "选择图片", filter=FILTER)
        if paths:
            self.add_files(paths)

    def add_files(self, paths) -> None:
        """Read and attach `paths` in the background; then say what was added and what was not, and why."""
        # lazy: start-up (Pillow is loaded when the clerk first adds a picture)
        from safetymonth_desktop.exchange import photo_files

        paths = [Path(p) for p in paths]
        model, record_id = self.model, self.record_id

        def work(progress, cancelled):
            with history.change_group() as group:
                result = photo_files.add_files(model, record_id, paths, progress=progress, cancelled=cancelled)
            return group, result

        def done(outcome):
            group, result = outcome
            self._changed(group, "添加活动图片", result.added[-1].id if result.added else None)
            if result.problems or result.cancelled:
                prompts.warning(self, result.message(), "部分图片未添加" if result.added else "图片未添加")

        tasks.run_task(self, work, title=f"正在读取 {len(paths)} 张图片…", on_done=done)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        folders = [p for p in paths if Path(p).is_dir()]
        files = [p for p in paths if not Path(p).is_dir()]
        for folder in folders:  # a dropped folder: its pictures, by name
            files += sorted(str(p) for p in Path(folder).iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
        if files:
            event.acceptProposedAction()
            self.add_files(files)


# ---------------------------------------------------------------------------------------------- the table's hook

def button_for(table) -> QPushButton | None:
    """A 活动图片… button for a record table whose records can carry photos (None otherwise)."""
    if not photos.can_have_photos(table.model):
        return None
    button = QPushButton("活动图片…")
    button.setToolTip("为选中的记录添加、查看照片;选入总结的照片排在总结附件中")
    button.setMinimumWidth(button.fontMetrics().horizontalAdvance("图片"))  # a narrow window may squeeze it
    button.clicked.connect(lambda: open_for(table))
    return button


def open_for(table) -> PhotoDialog | None:
    """The photo dialog of the table's current record (a message when none is selected)."""
    if table.campaign is None:
        prompts.info(table, "请先选择或新建一个活动年度。")
        return None
    ids = table.selected_ids()
    if not ids:
        prompts.info(table, "请先在表格中选中一条记录,再点“活动图片…”。")
        return None
    try:
        dialog = PhotoDialog(table.model, ids[0], table.undo, table)
    except AppError as exc:
        prompts.error(table, str(exc))
        return None
    dialog.changed.connect(lambda: emit(table.changed))
    dialog.open()
    return dialog
