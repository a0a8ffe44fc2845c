"""The generic record table: one record type of the chosen year as a lazily read table, with its search,
add/edit/delete/paste, copy, the overview's filter bar and the tab's key totals; everything generated from the
field declarations. The tab holding one or more of these is `ui/record_tab.RecordTab`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import peewee as pw
from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QLineEdit, QMenu, QPushButton, QTableView,
                               QVBoxLayout, QWidget)

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.db.models import user_fields
from safetymonth_desktop.services import history, indicators, numbers, paste, records
from safetymonth_desktop.ui import columns, figures, prompts, tasks
from safetymonth_desktop.ui.dialogs import photos as photo_dialog
from safetymonth_desktop.ui.table_model import RecordTableModel
from safetymonth_desktop.ui.qt_compat import emit

if TYPE_CHECKING:
    from safetymonth_desktop.ui.form import RecordForm


REFUSALS_SHOWN = 500  # refused paste rows listed in the dialog


def column_kind(field: pw.Field) -> str:
    """How a field's column is sized (ui.columns): free text shares the room, names and titles shrink next,
    figures, dates and choices keep their content width."""
    if isinstance(field, pw.TextField):
        return columns.TEXT
    if isinstance(field, pw.ForeignKeyField) or (isinstance(field, pw.CharField) and not field.choices):
        return columns.NAME
    return columns.FIXED


def search_hint(fields) -> str:
    """What the search box looks in, as its placeholder says: '搜索文字、单位或日期'."""
    kinds = ["文字"]
    if any(isinstance(f, pw.ForeignKeyField) for f in fields):
        kinds.append("单位")
    if any(isinstance(f, pw.DateField) for f in fields):
        kinds.append("日期")
    return "搜索" + ("、".join(kinds[:-1]) + "或" + kinds[-1] if len(kinds) > 1 else kinds[0])


class RecordTable(QWidget):
    """Table of one record type of the chosen year, with its form, search, paste and totals."""

    changed = Signal()       # the database changed through this table
    status = Signal(str)     # a short message for the status bar

    def __init__(self, page, undo_stack, parent=None):  # page: a ui.record_tab.Page
        super().__init__(parent)
        self.page, self.undo = page, undo_stack
        self.model = page.model
        self.campaign = None
        self.table_model = RecordTableModel(page.model, page.fields(), self)

        self.add_button = QPushButton("新增")
        self.add_button.setToolTip("新增一条记录(Ctrl+N)")
        self.edit_button = QPushButton("修改")
        self.edit_button.setToolTip("修改选中的记录(Enter 或双击)")
        self.delete_button = QPushButton("删除")
        self.delete_button.setToolTip("删除选中的记录(Del)")
        self.paste_button = QPushButton("粘贴")
        self.paste_button.setToolTip("粘贴从 Excel 复制的多行数据(Ctrl+V);第一行可以是表头")
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(search_hint(self.table_model.fields) + "(Ctrl+F)")
        self.search_box.setToolTip("用空格分开的几个词须同时出现。" + (
            "\n日期可写 2021-06-16、2021/6/16、2021年6月16日、6月16日,或整月:6月"
            if any(isinstance(f, pw.DateField) for f in self.table_model.fields) else ""))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(max(240, self.search_box.fontMetrics().horizontalAdvance(
            self.search_box.placeholderText()) + 48))  # the whole hint shows, with room for the clear button
        self.count_label = QLabel()
        bar = QHBoxLayout()
        self.photos_button = photo_dialog.button_for(self)  # 活动图片… (None for records without photos)
        for b in (self.add_button, self.edit_button, self.delete_button, self.paste_button, self.photos_button):
            if b is not None:
                bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        bar.addSpacing(12)
        bar.addWidget(self.search_box)

        self.view = QTableView()
        self.view.setModel(self.table_model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.view.verticalHeader().setMinimumWidth(36)
        header = self.view.horizontalHeader()
        header.setSortIndicator(-1, Qt.AscendingOrder)  # entry order until the clerk clicks a header
        header.setSectionsMovable(False)
        header.setHighlightSections(False)
        self.view.setSortingEnabled(True)
        self.columns = columns.fit_columns(self.view, f"records/{page.model.__name__}",
                                           [column_kind(f) for f in self.table_model.fields])
        self.view.setContextMenuPolicy(Qt.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)

        # Shown while the overview's filter (a clicked bar or checklist item) narrows the table.
        self.filter_label = QLabel()
        self.filter_label.setObjectName("filter")
        self.filter_label.setStyleSheet("#filter { color: #8a4b00; }")
        self.clear_filter_button = QPushButton("清除筛选")
        self.clear_filter_button.setToolTip("显示本年度的全部记录")
        self.clear_filter_button.clicked.connect(self.clear_filter)
        filter_bar = QHBoxLayout()
        filter_bar.addWidget(self.filter_label)
        filter_bar.addWidget(self.clear_filter_button)
        filter_bar.addStretch(1)
        self.filter_bar = QWidget()
        self.filter_bar.setLayout(filter_bar)
        filter_bar.setContentsMargins(0, 0, 0, 0)
        self.filter_bar.setVisible(False)

        self.totals_label = QLabel()
        self.totals_label.setTextFormat(Qt.RichText)
        self.totals_label.setWordWrap(True)
        self.totals_label.setObjectName("totals")
        self.totals_label.setStyleSheet("#totals { background: #f3f6fa; border: 1px solid #d7dee8; padding: 6px 8px; }")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.totals_label)
        self.totals_label.setVisible(bool(page.totals))

        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        self.paste_button.clicked.connect(self.paste)
        self.search_box.textChanged.connect(self._search)
        self.view.doubleClicked.connect(lambda index: self.edit())
        for key in (Qt.Key_Return, Qt.Key_Enter):
            QShortcut(QKeySequence(key), self.view, self.edit, context=Qt.WidgetShortcut)
        QShortcut(QKeySequence.Copy, self.view, self.copy_selection, context=Qt.WidgetShortcut)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()
        figures.feed().ready.connect(self._figures_ready)

    # ---- state

    def set_campaign(self, campaign) -> None:
        self.campaign = campaign
        self.table_model.set_campaign(campaign.id if campaign else None)
        self._show_sub_regions(campaign)
        self._after_reload()

    def _show_sub_regions(self, campaign) -> None:
        """The 所属下级地区 column (Page.fields) only in a city's or province's year: a district's are all its own."""
        for column, field in enumerate(self.table_model.fields):
            if field.name == "sub_region":
                self.view.setColumnHidden(column, not (campaign is not None and campaign.level in ("市", "省")))

    def refresh(self, select_id: int | None = None) -> None:
        """Read the rows and totals again (after any change), keeping the place in the table."""
        self.table_model.reload(keep_loaded=True)
        self._after_reload()
        if select_id is not None:
            self.select_record(select_id)

    def set_filter(self, filters: dict) -> None:
        """Show only the rows matching `filters` (see services.listing), with a bar saying so."""
        self.table_model.set_filters(filters)
        text = self.table_model.listing.filter_text()
        self.filter_label.setText(f"筛选条件:{text}" if text else "")
        self.filter_bar.setVisible(bool(filters))
        self._after_reload()

    def clear_filter(self) -> None:
        self.set_filter({})

    @property
    def filters(self) -> dict:
        return dict(self.table_model.listing.filters)

    def _after_reload(self) -> None:
        total = self.table_model.total
        listing = self.table_model.listing
        self.count_label.setText(f"共 {numbers.figure_text(total)} 条" + (" (已筛选)" if listing.search or listing.filters else ""))
        self._update_totals()
        self._update_buttons()

    def _update_totals(self) -> None:
        if not self.page.totals:
            return
        if self.campaign is None:
            self.totals_label.setText("")
            return
        values = figures.feed().values(self.campaign.id)  # the cached catalogue; None while a worker computes it
        if values is None:
            self.totals_label.setText("本年度合计 — 正在计算…")
            return
        parts = []
        for key in self.page.totals:
            ind = indicators.REGISTRY[key]
            parts.append(f"{ind.label}:<b>{indicators.display(key, values[key])}</b>")
        self.totals_label.setText("本年度合计 — " + "  ·  ".join(parts))

    def _figures_ready(self, campaign_id: int) -> None:
        if self.page.totals and self.campaign is not None and self.campaign.id == campaign_id:
            self._update_totals()

    def totals_text(self) -> str:
        return self.totals_label.text()

    def _update_buttons(self, *args) -> None:
        has_year = self.campaign is not None
        selected = bool(self.selected_ids())
        self.add_button.setEnabled(has_year)
        self.paste_button.setEnabled(has_year)
        self.edit_button.setEnabled(has_year and selected)
        self.delete_button.setEnabled(has_year and selected)
        if self.photos_button is not None:
            self.photos_button.setEnabled(has_year and selected)

    def _search(self, text: str) -> None:
        self.table_model.set_search(text)
        self._after_reload()

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.table_model.record_id(r) for r in rows]

    def select_record(self, record_id: int) -> bool:
        row = self.table_model.row_of(record_id)  # any row of the table, not only those read so far
        if row is None:
            return False
        self.view.selectionModel().select(self.table_model.index(row, 0),
                                          QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
        self.view.selectionModel().setCurrentIndex(self.table_model.index(row, 0), QItemSelectionModel.NoUpdate)
        self.view.scrollTo(self.table_model.index(row, 0))
        return True

    # ---- actions

    def _need_year(self) -> bool:
        if self.campaign is None:
            prompts.info(self, "请先选择或新建一个活动年度。")
            return False
        return True

    def add(self) -> RecordForm | None:
        if not self._need_year():
            return None
        return self._open_form(None)

    def edit(self) -> RecordForm | None:
        if not self._need_year():
            return None
        index = self.view.currentIndex()
        ids = self.selected_ids()
        if index.isValid() and self.view.selectionModel().isRowSelected(index.row()):
            record_id = self.table_model.record_id(index.row())
        elif ids:
            record_id = ids[0]
        else:
            prompts.info(self, "请先在表格中选中要修改的记录。")
            return None
        if self._packaged([record_id]):
            return None
        return self._open_form(record_id)

    def _packaged(self, ids) -> bool:
        """Whether a sub-region's 上报数据包 brought one of the records `ids` (read-only here); says why if so."""
        packaged = records.from_packages(self.model, ids)
        if packaged:
            prompts.info(self, records.read_only_reason(self.model, next(iter(packaged.values()))))
        return bool(packaged)

    def _open_form(self, record_id):
        try:
            from safetymonth_desktop.ui.form import RecordForm  # lazy: loads with the first form opened

            form = RecordForm(self.model, self.campaign, record_id, self, fields=user_fields(self.model))
        except AppError as exc:
            prompts.error(self, str(exc))
            self.refresh()
            return None
        verb = "修改" if record_id else "新增"
        form.saved.connect(lambda rid, group: self._saved(rid, group, verb))
        form.open()
        return form

    def _saved(self, record_id: int, group: str, verb: str) -> None:
        self.undo.push(group, f"{verb}{self.page.label}")
        self.refresh(select_id=record_id)
        emit(self.status, f"已{verb}{self.page.label}记录。")
        emit(self.changed)

    def delete(self) -> bool:
        if not self._need_year():
            return False
        ids = self.selected_ids()
        if not ids:
            prompts.info(self, "请先在表格中选中要删除的记录(可按住 Ctrl 或 Shift 多选)。")
            return False
        if self._packaged(ids):
            return False
        if not prompts.confirm(self, f"确定删除选中的 {len(ids)} 条“{self.page.label}”记录吗?\n删除后可用“撤销”(Ctrl+Z)恢复。",
                               "删除记录", ok="删除"):
            return False
        try:
            with history.change_group() as group:
                records.delete_many(self.model, ids)
        except AppError as exc:
            prompts.error(self, str(exc))
            self.refresh()
            return False
        self.undo.push(group, f"删除{self.page.label}")
        self.refresh()
        emit(self.status, f"已删除 {len(ids)} 条{self.page.label}记录。")
        emit(self.changed)
        return True

    def paste(self) -> None:
        self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> None:
        """Add the rows of a block copied from Excel; refused rows are listed with their reasons."""
        if not self._need_year():
            return
        model, campaign = self.model, self.campaign
        fields = [f for f in self.table_model.fields if f.name != "sub_region"]  # set only by the roll-up
        tasks.run_task(self, lambda progress, cancelled: paste.paste(model, campaign, text, fields, progress=progress,
                                                                     cancelled=cancelled),
                       title=f"正在检查并添加粘贴的{self.page.label}…", on_done=self._pasted)

    def _pasted(self, result: paste.PasteResult) -> None:
        if result.added:
            self.undo.push(result.group, f"粘贴{result.added}条{self.page.label}")
            self.refresh()
            emit(self.changed)
        message = f"已添加 {result.added} 行{self.page.label}记录。"
        if result.ignored_columns:
            message += "\n已忽略不认识的列:" + "、".join(result.ignored_columns) + "。"
        if result.refused:
            shown = result.refused[:REFUSALS_SHOWN]
            more = f"(仅列出前 {REFUSALS_SHOWN} 处)" if len(result.refused) > REFUSALS_SHOWN else ""
            rows = len({r.row for r in result.refused})  # a row with several problems is listed once per problem
            prompts.table(self, message + f"\n以下 {rows} 行未添加{more},请修改后重新粘贴这些行:",
                          "粘贴结果", ["行号", "列", "内容", "原因"],
                          [(r.row, r.column or "(整行)", r.value, r.reason) for r in shown])
        elif result.ignored_columns:
            prompts.info(self, message, "粘贴结果")
        emit(self.status, message.replace("\n", " "))

    def copy_selection(self) -> None:
        """Selected rows as tab-separated text with a header row (pastes into Excel)."""
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        if not rows:
            return
        lines = ["\t".join(f.verbose_name for f in self.table_model.fields)]
        for r in rows:
            lines.append("\t".join(v.replace("\t", " ").replace("\n", " ") for v in self.table_model.row_values(r)))
        QGuiApplication.clipboard().setText("\n".join(lines) + "\n")
        emit(self.status, f"已复制 {len(rows)} 行,可粘贴到 Excel。")

    def _context_menu(self, pos) -> None:
        menu = QMenu(self)
        menu.addAction("新增…", self.add)
        menu.addAction("修改…", self.edit)
        menu.addAction("复制", self.copy_selection)
        menu.addAction("粘贴", self.paste)
        if self.photos_button is not None:
            menu.addAction("活动图片…", lambda: photo_dialog.open_for(self))
        menu.addSeparator()
        menu.addAction("删除", self.delete)
        menu.exec(self.view.viewport().mapToGlobal(pos))
