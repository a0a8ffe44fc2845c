"""导入记录: the templates issued to a unit in the year and the files received from it (or files of no roster unit),
each with its outcome and rows per sheet; a refused file's kept errors show under the list and can be saved as an
error list to send back (exchange/progress_export.py). Read-only: the data come from services/progress.py."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QGroupBox, QHBoxLayout,
                               QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.services import numbers, progress, submissions
from safetymonth_desktop.ui import columns, prompts, tasks
from safetymonth_desktop.ui.actions.common import offer_open
from safetymonth_desktop.ui.dialog_keys import enter_keys

ISSUE_COLUMNS = ("下发时间", "文件")
RECEIPT_COLUMNS = ("收到时间", "文件名", "结果", "各表行数", "说明")
ERROR_COLUMNS = ("文件", "工作表", "行", "列", "值", "原因")
REFUSED_COLOUR = "#c0392b"
F, N, T = columns.FIXED, columns.NAME, columns.TEXT
ISSUE_KINDS, RECEIPT_KINDS, ERROR_KINDS = (F, T), (F, N, F, T, T), (N, F, F, F, N, T)


def _table(headers, key: str, kinds) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    columns.fit_columns(table, key, kinds)
    return table


def _fill(table: QTableWidget, rows) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(str(value))
            item.setToolTip(str(value))
            table.setItem(r, c, item)


def _fit_height(table: QTableWidget, most: int) -> None:
    """As tall as its rows (at most `most` of them), so a short list leaves no empty box."""
    rows = max(1, min(table.rowCount(), most))
    row_height = table.verticalHeader().defaultSectionSize()
    table.setFixedHeight(table.horizontalHeader().sizeHint().height() + rows * row_height + 2 * table.frameWidth() + 4)


def xlsx_path(path) -> Path:
    """`path` ending in .xlsx (a save dialog may return the name as typed)."""
    path = Path(path)
    return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")


def rows_text(rows: dict) -> str:
    return "、".join(f"{sheet} {numbers.figure_text(n)}" for sheet, n in rows.items()) or "—"


class ReceiptsDialog(QDialog):
    """`issued` None: no 模板下发 part (files of no roster unit)."""

    def __init__(self, title: str, heading: str, receipts: list[progress.Receipt],
                 issued: list[progress.Issue] | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.receipts = receipts
        self.issued = issued
        self.heading = QLabel(heading)
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold; color: #1d2b3a;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)

        self.issue_table = _table(ISSUE_COLUMNS, "receipts/issues", ISSUE_KINDS)
        if issued is not None:
            box = QGroupBox(f"模板下发({len(issued)} 次)")
            inner = QVBoxLayout(box)
            if issued:
                _fill(self.issue_table, [(progress.when_text(i.when), i.file_name) for i in issued])
                _fit_height(self.issue_table, 4)
                inner.addWidget(self.issue_table)
            else:
                inner.addWidget(QLabel("本年度还没有为该单位生成过填报模板。"))
            layout.addWidget(box)

        box = QGroupBox(f"收到的文件({len(receipts)} 个)")
        inner = QVBoxLayout(box)
        self.receipt_table = _table(RECEIPT_COLUMNS, "receipts/files", RECEIPT_KINDS)
        _fill(self.receipt_table, [(progress.when_text(r.when), r.name, r.outcome_label, rows_text(r.rows),
                                    r.message) for r in receipts])
        for r, receipt in enumerate(receipts):
            self.receipt_table.item(r, 1).setToolTip(receipt.file_name)
            if receipt.refused:
                self.receipt_table.item(r, 2).setForeground(QColor(REFUSED_COLOUR))
        self.receipt_table.itemSelectionChanged.connect(self._show_errors)
        if receipts:
            _fit_height(self.receipt_table, 6)
            inner.addWidget(self.receipt_table)
        else:
            inner.addWidget(QLabel("本年度还没有收到(导入过)该单位的文件。"))
        layout.addWidget(box)

        self.error_box = QGroupBox("退回原因")
        inner = QVBoxLayout(self.error_box)
        self.error_note = QLabel()
        self.error_note.setWordWrap(True)
        self.error_table = _table(ERROR_COLUMNS, "receipts/errors", ERROR_KINDS)
        self.save_button = QPushButton("保存错误清单…")
        self.save_button.setToolTip("把这个文件的错误保存为 Excel 表格,发回给单位修改")
        self.save_button.clicked.connect(lambda: self.save_errors())
        bar = QHBoxLayout()
        bar.addWidget(self.error_note, 1)
        bar.addWidget(self.save_button)
        inner.addLayout(bar)
        inner.addWidget(self.error_table)
        layout.addWidget(self.error_box, 1)
        layout.addStretch(0)

        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        enter_keys(self, None)  # Enter presses a focused button only; Esc closes
        self.resize(900, 600)
        if receipts:
            self.receipt_table.selectRow(len(receipts) - 1)  # the last file, the one the status speaks of
        self._show_errors()

    def current(self) -> progress.Receipt | None:
        rows = self.receipt_table.selectionModel().selectedRows()
        return self.receipts[rows[0].row()] if rows else None

    def _show_errors(self) -> None:
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.exchange.progress_export import error_rows

        receipt = self.current()
        rows = error_rows(receipt) if receipt is not None and receipt.refused else []
        self.error_box.setVisible(bool(rows))
        if not rows:
            return
        _fill(self.error_table, rows)
        kept = len(receipt.errors)
        more = f"(只保留了前 {kept} 处)" if kept >= submissions.MAX_KEPT_ERRORS else ""
        self.error_note.setText(f"“{receipt.name}”未导入(没有写入任何数据),共 {len(rows)} 处问题{more}:")
        self.error_note.setStyleSheet(f"color: {REFUSED_COLOUR};")

    def save_errors(self, target=None) -> Path | None:
        """保存错误清单…: the selected refused file's errors as .xlsx."""
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.exchange import progress_export

        receipt = self.current()
        if receipt is None or not receipt.refused:
            prompts.info(self, "请先选中一个未导入(有误退回)的文件。")
            return None
        if target is None:
            target = prompts.save_file(self, "保存错误清单", f"{Path(receipt.name).stem}-错误清单.xlsx",
                                       "Excel 工作簿 (*.xlsx)", kind="errors")
        if not target:
            return None
        target = xlsx_path(target)
        try:
            path = progress_export.write_error_list([receipt], target)
        except (AppError, OSError) as exc:
            prompts.error(self, tasks.explain(exc))
            return None
        offer_open(self, path, f"错误清单已保存:{path}", "保存错误清单")
        return path


def unit_dialog(campaign, unit: progress.UnitProgress, parent=None) -> ReceiptsDialog:
    issued, receipts = progress.unit_history(campaign, unit.unit_id)
    heading = f"{unit.unit}({unit.kind})· {campaign.year}年度 · 状态:{unit.status}"
    if unit.sections_text:
        heading += f" · 已有记录:{unit.sections_text}"
    return ReceiptsDialog(f"导入记录 — {unit.unit}", heading, receipts, issued, parent)


def unlisted_dialog(campaign, receipts: list[progress.Receipt], parent=None) -> ReceiptsDialog:
    heading = (f"{campaign.year}年度收到的这些文件未能对应到报送单位名单中的单位(未识别填报单位,或该单位不在名单中)。"
               "可在“单位管理”中把文件里的单位名称设为已有单位的别名,或把该单位添加到名单。")
    return ReceiptsDialog("未对应到名单单位的文件", heading, receipts, None, parent)

