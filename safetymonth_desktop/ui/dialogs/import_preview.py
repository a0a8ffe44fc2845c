"""The import preview: what each checked workbook would bring in (per-sheet row counts), why a file is
refused (its row errors as a table that can be saved as .xlsx for the unit to correct), the warnings and
notes (no template stamp, header row below a title, merged cells, rows of units other than the template's),
and the button that imports the files that passed. Only shows results; the import itself is `actions.excel`."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QLabel,
                               QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from safetymonth_desktop.services import numbers
from safetymonth_desktop.ui import columns
from safetymonth_desktop.ui.qt_compat import emit
from safetymonth_desktop.ui.dialog_keys import enter_keys

ERROR_HEADERS = ("文件", "工作表", "行", "列", "值", "原因")
REFUSED_TEXT = "未导入(未写入任何数据)"
ERRORS_SHOWN = 2000  # rows in the table; the saved list has them all


def status_text(result) -> str:
    """A file's state in words; refused files always say that nothing was written."""
    # lazy: start-up (loaded when first used, not when the window opens)
    from safetymonth_desktop.exchange import xlsx_import as xi

    if result.status == xi.READY:
        extra = []
        if result.units_created:
            extra.append(f"需新建单位 {len(result.units_created)} 个")
        if result.replaced:
            extra.append(f"将替换以前导入的 {result.replaced} 行")
        if result.other_units:
            extra.append(f"含其他单位的数据 {sum(result.other_units.values())} 行,导入前需确认")
        return "可以导入" + (f"({';'.join(extra)})" if extra else "")
    if result.status == xi.IMPORTED:
        return "已导入"
    if result.status == xi.UNCHANGED:
        return "以前已导入(内容相同,不重复导入)"
    if result.status == xi.CANCELLED:
        return "已取消(未写入任何数据)"
    return REFUSED_TEXT


def counts_text(result) -> str:
    return "、".join(f"{sheet} {numbers.figure_text(n)} 行" for sheet, n in result.counts.items()) or "—"


def _item(text, tip: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(str(text))
    item.setToolTip(tip if tip is not None else str(text))
    return item


class ErrorsTable(QTableWidget):
    """Row errors as 文件 / 工作表 / 行 / 列 / 值 / 原因."""

    def __init__(self, errors, parent=None):
        shown = list(errors)[:ERRORS_SHOWN]
        super().__init__(len(shown), len(ERROR_HEADERS), parent)
        self.setHorizontalHeaderLabels(ERROR_HEADERS)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.setWordWrap(True)
        for r, error in enumerate(shown):
            for c, value in enumerate(error.cells()):
                self.setItem(r, c, _item(value))
        F, N, T = columns.FIXED, columns.NAME, columns.TEXT
        fitter = columns.fit_columns(self, "import/errors", (N, F, F, F, N, T))
        fitter.after_fit(self.resizeRowsToContents)
        self.resizeRowsToContents()


class ImportPreviewDialog(QDialog):
    """Shows dry-run results; `import_requested` when the clerk clicks 导入."""

    import_requested = Signal()
    save_errors_requested = Signal()

    def __init__(self, results, year: int, parent=None):
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.exchange import xlsx_import as xi

        super().__init__(parent)
        self.results = list(results)
        self.setWindowTitle(f"导入预览 — {year}年度")
        ready = [r for r in self.results if r.status == xi.READY]
        refused = [r for r in self.results if r.status not in (xi.READY, xi.UNCHANGED)]
        unchanged = [r for r in self.results if r.status == xi.UNCHANGED]
        self.errors = [e for r in self.results for e in r.errors]

        parts = [f"已检查 {len(self.results)} 个文件:{len(ready)} 个可以导入"]
        if refused:
            parts.append(f"{len(refused)} 个有错误,{REFUSED_TEXT}")
        if unchanged:
            parts.append(f"{len(unchanged)} 个以前已导入过")
        summary = ",".join(parts) + "。到目前为止数据库没有任何改动。"
        if refused:
            summary += "\n有错误的文件请按下表改正(或把错误清单发给填报单位)后重新导入;其他文件可以先导入。"
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)

        self.files = QTableWidget(len(self.results), 4)
        self.files.setHorizontalHeaderLabels(("文件", "状态", "各表行数", "说明"))
        self.files.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.files.verticalHeader().hide()
        self.files.setWordWrap(True)
        for r, result in enumerate(self.results):
            status = _item(status_text(result))
            if result.status not in (xi.READY, xi.UNCHANGED, xi.IMPORTED):
                status.setForeground(Qt.darkRed)
            notes = [result.message] + [f"提示:{w}" for w in result.warnings] + [f"说明:{n}" for n in result.notes]
            if result.units_created:
                notes.append("不在单位名录中的单位:" + "、".join(result.units_created))
            self.files.setItem(r, 0, _item(result.file, str(result.path)))
            self.files.setItem(r, 1, status)
            self.files.setItem(r, 2, _item(counts_text(result)))
            self.files.setItem(r, 3, _item("\n".join(n for n in notes if n)))
        fitter = columns.fit_columns(self.files, "import/files", (columns.NAME, columns.FIXED, columns.TEXT,
                                                                  columns.TEXT))
        fitter.after_fit(self.files.resizeRowsToContents)
        self.files.resizeRowsToContents()

        self.error_table = ErrorsTable(self.errors)
        more = f"(表中列出前 {ERRORS_SHOWN} 处,保存的清单包含全部)" if len(self.errors) > ERRORS_SHOWN else ""
        self.errors_label = QLabel(f"错误清单:共 {len(self.errors)} 处{more}" if self.errors else "没有发现错误。")
        self.save_button = QPushButton("保存错误清单…")
        self.save_button.setEnabled(bool(self.errors))
        self.save_button.clicked.connect(lambda: emit(self.save_errors_requested))
        error_bar = QHBoxLayout()
        error_bar.addWidget(self.errors_label, 1)
        error_bar.addWidget(self.save_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(error_bar)
        lower_layout.addWidget(self.error_table)
        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(self.files)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(f"导入 {len(ready)} 个文件" if ready else "没有可导入的文件",
                                                    QDialogButtonBox.AcceptRole)
        self.import_button.setEnabled(bool(ready))
        close = self.buttons.addButton("关闭", QDialogButtonBox.RejectRole)
        enter_keys(self, self.import_button if ready else close)
        self.buttons.accepted.connect(self._import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        self.resize(1000, 600)  # fits 1366×768 with the taskbar

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.fit_rows)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_rows()

    def fit_rows(self) -> None:
        """Row heights for the wrapped text at the columns' real widths (known only once laid out)."""
        self.files.resizeRowsToContents()
        self.error_table.resizeRowsToContents()

    def ready(self) -> list:
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.exchange import xlsx_import as xi

        return [r for r in self.results if r.status == xi.READY]

    def _import(self) -> None:
        self.accept()
        emit(self.import_requested)
