"""修改记录: one record's history (time, 操作, each changed field with 原值 → 新值, and 恢复此旧值), and the
已删除的记录 of a record type with 恢复. Each restore is a new change through `services.history`, pushed on
the window's undo stack; `changed` tells the window to refresh its views."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QLabel,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.services import history, history_view
from safetymonth_desktop.ui import columns, prompts
from safetymonth_desktop.ui.qt_compat import emit
from safetymonth_desktop.ui.dialog_keys import enter_keys


def _table(headers, key: str, kinds) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(True)
    table.verticalHeader().hide()
    fitter = columns.fit_columns(table, key, kinds)
    fitter.after_fit(table.resizeRowsToContents)  # the wrapped values take the lines their width needs
    return table


def _item(text) -> QTableWidgetItem:
    item = QTableWidgetItem(str(text))
    item.setToolTip(str(text))
    return item


def describe_record(model, record_id: int) -> str:
    """'培训:城关街道;特种作业人员培训;…' — the first filled values of a record (as it is now)."""
    values = history_view.labelled(model, history.snapshot(model, record_id))
    shown = [v for v in values.values() if v != history_view.EMPTY][:4]
    return f"{model._meta.title}:" + ";".join(shown) if shown else model._meta.title


class RecordHistoryDialog(QDialog):
    """The history of one record, newest first, one line per changed field."""

    changed = Signal(str, str)  # change group, label (for the undo stack)

    def __init__(self, model, record_id: int, parent=None):
        super().__init__(parent)
        self.model, self.record_id = model, record_id
        self.setWindowTitle(f"修改记录 — {model._meta.title}")
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        F, T = columns.FIXED, columns.TEXT
        self.table = _table(("时间", "操作", "项目", "原值", "新值", ""), "history/changes", (F, F, F, T, T, F))
        note = QLabel("“恢复此旧值”把该项改回修改前的值,作为一次新的修改,可以撤销(Ctrl+Z)。")
        note.setStyleSheet("color: #666;")
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(note, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        enter_keys(self, None)  # Enter presses a focused button only; Esc closes
        self.resize(980, 480)
        self.reload()

    def reload(self) -> None:
        self.rows = history_view.record_history(self.model, self.record_id)
        self.heading.setText(describe_record(self.model, self.record_id) +
                             (f"\n共 {len(self.rows)} 次修改,最新的在最上面。" if self.rows else "\n这条记录没有修改记录。"))
        lines = []  # (HistoryRow, FieldChange or None)
        for row in self.rows:
            lines.extend([(row, change) for change in row.changes] or [(row, None)])
        self.lines = lines
        self.table.setRowCount(len(lines))
        self.buttons = {}
        for r, (row, change) in enumerate(lines):
            self.table.setItem(r, 0, _item(row.time_text))
            self.table.setItem(r, 1, _item(row.action_label))
            if change is not None:
                self.table.setItem(r, 2, _item(change.label))
                self.table.setItem(r, 3, _item(change.before or "—"))
                self.table.setItem(r, 4, _item(change.after or "—"))
            if row.action == "update" and change is not None:
                button = QPushButton("恢复此旧值")
                button.setToolTip(f"把“{change.label}”改回“{change.before}”")
                button.clicked.connect(lambda _=False, h=row, c=change: self.restore_value(h, c))
                self.table.setCellWidget(r, 5, button)
                self.buttons[(row.change_id, change.name)] = button
        self.table.resizeRowsToContents()

    def restore_value(self, row, change) -> bool:
        try:
            with history.change_group() as group:
                history_view.restore_value(self.model, self.record_id, row.change_id, change.name)
        except AppError as exc:
            prompts.error(self, f"未能恢复旧值:{exc}")
            return False
        emit(self.changed, group, f"恢复旧值({change.label})")
        self.reload()
        return True


class DeletedRecordsDialog(QDialog):
    """已删除的记录 of one record type in the year on screen, newest first, each with 恢复."""

    changed = Signal(str, str)

    def __init__(self, models, campaign, parent=None, model=None):
        super().__init__(parent)
        self.models, self.campaign = list(models), campaign
        self.setWindowTitle("已删除的记录")
        self.kind = QComboBox()
        for m in self.models:
            self.kind.addItem(m._meta.title, m)
        if model in self.models:
            self.kind.setCurrentIndex(self.models.index(model))
        self.kind.currentIndexChanged.connect(lambda _i: self.reload())
        self.info = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("记录类型:"))
        top.addWidget(self.kind)
        top.addWidget(self.info, 1)
        self.table = _table(("删除时间", "内容", ""), "history/deleted", (columns.FIXED, columns.TEXT, columns.FIXED))
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        note = QLabel("“恢复”把记录原样找回,作为一次新的修改,可以撤销(Ctrl+Z)。")
        note.setStyleSheet("color: #666;")
        bottom.addWidget(note, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        enter_keys(self, None)
        self.resize(980, 480)
        self.reload()

    @property
    def model(self):
        return self.kind.currentData()

    def reload(self) -> None:
        self.deleted = history_view.deleted_records(self.model, campaign=self.campaign)
        year = f"{self.campaign.year}年度" if self.campaign is not None else ""
        self.info.setText(f"  {year}已删除、尚未恢复的{self.model._meta.title}记录:{len(self.deleted)} 条")
        self.table.setRowCount(len(self.deleted))
        self.buttons = []
        for r, record in enumerate(self.deleted):
            self.table.setItem(r, 0, _item(f"{record.at:%Y-%m-%d %H:%M:%S}" if hasattr(record.at, "strftime")
                                           else record.at))
            full = ";".join(f"{k}:{v}" for k, v in record.values.items() if v != history_view.EMPTY)
            item = _item(record.summary(6))
            item.setToolTip(full)
            self.table.setItem(r, 1, item)
            button = QPushButton("恢复")
            button.clicked.connect(lambda _=False, rec=record: self.restore(rec))
            self.table.setCellWidget(r, 2, button)
            self.buttons.append(button)

    def restore(self, record) -> bool:
        try:
            group = history.restore_record(self.model, record.record_id)
        except AppError as exc:
            prompts.error(self, f"未能恢复:{exc}")
            return False
        emit(self.changed, group, f"恢复已删除的{self.model._meta.title}")
        self.reload()
        return True

