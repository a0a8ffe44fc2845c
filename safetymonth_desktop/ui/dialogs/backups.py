"""备份与恢复: every backup with its time, reason, size and contents; 立即备份, 恢复, 另存备份到…, and how many
backups are kept. A thin face over `services.safety`; the window reloads its data after a restore."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHBoxLayout, QLabel, QPushButton,
                               QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout)

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.services import numbers, safety
from safetymonth_desktop.ui import columns, prompts, tasks
from safetymonth_desktop.ui.qt_compat import emit
from safetymonth_desktop.ui.dialog_keys import enter_keys
from safetymonth_desktop.db.backup_folder import backup_dir
from safetymonth_desktop.db.connection import current_path

HEADERS = ("时间", "类型", "大小", "年度", "单位", "记录", "内容")
KINDS = (columns.FIXED, columns.FIXED, columns.FIXED, columns.NAME, columns.FIXED, columns.FIXED, columns.TEXT)


class BackupsDialog(QDialog):
    restored = Signal()  # the database was replaced by a backup: every view must reload

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("备份与恢复")
        self.infos = []
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.columns = columns.fit_columns(self.table, "backups", KINDS)
        self.columns.after_fit(self.table.resizeRowsToContents)  # a long 内容 wraps instead of being cut
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())

        self.backup_button = QPushButton("立即备份")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton("恢复…")
        self.restore_button.setToolTip("用选中的备份替换当前数据(恢复前会先自动备份当前数据)")
        self.restore_button.clicked.connect(lambda: self.restore_selected())
        self.restore_file_button = QPushButton("从文件恢复…")
        self.restore_file_button.setToolTip("用 U 盘等处的备份文件恢复")
        self.restore_file_button.clicked.connect(lambda: self.restore_from_file())
        self.copy_button = QPushButton("另存备份到…")
        self.copy_button.setToolTip("把当前数据另存一份到 U 盘或其他文件夹")
        self.copy_button.clicked.connect(lambda: self.save_copy())
        self.folder_button = QPushButton("打开备份文件夹")
        self.folder_button.clicked.connect(lambda: prompts.open_path(self, self.folder))
        self.keep = QSpinBox()
        self.keep.setRange(1, 1000)
        self.keep.setSuffix(" 份")
        self.keep.setToolTip("自动删除更早的备份,只保留这么多份(每天至少保留一份最近的)")
        self.keep.setValue(safety.keep_count())
        self.keep.valueChanged.connect(self._keep_changed)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)

        actions = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, self.restore_file_button, self.copy_button,
                       self.folder_button):
            actions.addWidget(button)
        actions.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel("保留备份:"))
        bottom.addWidget(self.keep)
        self.keep_note = QLabel("(打开软件时每天自动备份一次,导入、恢复和升级前也会自动备份)")
        self.keep_note.setStyleSheet("color: #666;")
        bottom.addWidget(self.keep_note)
        bottom.addStretch(1)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        enter_keys(self, None)  # Enter presses a focused button only (never a restore by accident); Esc closes
        self.resize(1000, 520)
        self.reload()

    @property
    def folder(self) -> Path:
        return backup_dir(current_path())

    def reload(self) -> None:
        self.infos = safety.backups()
        self.intro.setText(f"备份文件夹:{self.folder}\n共 {len(self.infos)} 份备份,最新的在最上面。"
                           "选中一份后点“恢复…”可把数据恢复到那时的状态。")
        self.table.setRowCount(len(self.infos))
        for r, info in enumerate(self.infos):
            if info.ok:
                counts = ";".join(f"{k} {numbers.figure_text(v)}" for k, v in info.counts.items() if v) or "没有记录"
                cells = (f"{info.time:%Y-%m-%d %H:%M:%S}", info.reason_label, info.size_text,
                         "、".join(map(str, info.years)) or "无", numbers.figure_text(info.units),
                         numbers.figure_text(info.records), counts)
            else:
                cells = (f"{info.time:%Y-%m-%d %H:%M:%S}", info.reason_label, info.size_text, "", "", "",
                         f"不能使用:{info.problem}")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{info.path}\n{text}" if c == 0 else text)
                if not info.ok:
                    item.setForeground(Qt.darkRed)
                self.table.setItem(r, c, item)
        if self.infos:
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self):
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self.infos[min(rows)] if rows else None

    def _update_buttons(self) -> None:
        info = self.selected()
        self.restore_button.setEnabled(info is not None and info.ok)

    def _keep_changed(self, value: int) -> None:
        try:
            safety.set_keep_count(value)
        except AppError as exc:
            prompts.error(self, str(exc))

    def backup_now(self):
        try:
            info = safety.backup_now()
        except AppError as exc:
            prompts.error(self, f"备份未完成:{exc}")
            return None
        self.reload()
        prompts.info(self, f"已备份:{info.path.name}\n{info.summary()}", "立即备份")
        return info

    def restore_selected(self, info=None) -> bool:
        info = info or self.selected()
        if info is None or not info.ok:
            return False
        return self._restore(info.path, f"{info.time:%Y-%m-%d %H:%M}的备份({info.reason_label};{info.summary()})")

    def restore_from_file(self, path=None) -> bool:
        if path is None:
            path = prompts.open_file(self, "选择备份文件", filter="备份文件 (*.sqlite *.db);;所有文件 (*)", kind="backup")
        if not path:
            return False
        return self._restore(Path(path), f"文件“{path}”")

    def _restore(self, path: Path, what: str) -> bool:
        if not prompts.confirm(self, f"用{what}替换当前的全部数据吗?\n\n恢复前会先把当前数据自动备份一份(类型“恢复前”),"
                                     "如恢复错了,可以再用那份备份恢复回来。", "恢复备份", ok="恢复"):
            return False
        try:
            try:
                result = safety.restore(path)
            except safety.ForeignBackupError as exc:
                if not prompts.confirm(self, f"{exc}\n\n确实要用这份备份替换当前的全部数据吗?",
                                       "这不是本数据库的备份", ok="仍然恢复"):
                    return False
                result = safety.restore(path, force=True)
        except AppError as exc:
            prompts.error(self, f"未恢复,当前数据保持不变:{exc}")
            return False
        emit(self.restored)
        self.reload()
        before = f"\n恢复前的数据已备份为:{result.before_restore.name}" if result.before_restore else ""
        prompts.info(self, f"已恢复到{what}。{before}", "恢复完成")
        return True

    def save_copy(self, folder=None) -> None:
        if folder is None:
            folder = prompts.choose_folder(self, "选择保存备份的文件夹(如 U 盘)", kind="backup")
        if not folder:
            return

        def done(path):
            prompts.info(self, f"已另存备份:{path}\n可用“从文件恢复…”在本机或其他电脑上恢复。", "另存备份")

        tasks.run_task(self, lambda progress, cancelled: safety.save_backup_to(folder), title="正在另存备份…",
                       on_done=done, cancellable=False)
