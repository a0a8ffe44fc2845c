"""报送进度: one row per unit on the year's roster with its status (coloured), what it has reported, the last file
received and the last template issued; a status filter with the counts and a name filter; the 催报清单 copied to the
clipboard or saved as .xlsx; for the selected unit, 重新下发模板… and 导入记录…; the roster edited (添加到名单…,
移出名单, undoable). Every query is `services.progress`; the page reads it again when the year or the data change
and whenever it is shown (files received by an import change it without changing any record)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.services import history, numbers, progress as progress_service, roster, units
from safetymonth_desktop.ui import columns, prompts, tasks
from safetymonth_desktop.ui.lazy_tab import LazyTab
from safetymonth_desktop.ui.qt_compat import emit
from safetymonth_desktop.ui.actions.common import offer_open, on_failure

COLUMNS = ("单位名称", "单位类型", "状态", "已报送内容(条)", "最后收到的文件", "结果", "收到时间", "模板下发")
STATUS_COLUMN, NAME_COLUMN = 2, 0
STATUS_COLOURS = {
    progress_service.REPORTED: "#2e7d32",
    progress_service.MISSING: "#6b7785",
    progress_service.OVERDUE: "#d35400",
    progress_service.REFUSED_BACK: "#c0392b",
}
# How each column is sized (ui.columns): what has been reported is the free text, names shrink next.
KINDS = (columns.NAME, columns.FIXED, columns.FIXED, columns.TEXT, columns.NAME, columns.FIXED, columns.FIXED,
         columns.FIXED)
XLSX_SAVE_FILTER = "Excel 工作簿 (*.xlsx)"


def _item(text: str, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if tip or text:
        item.setToolTip(tip or text)
    return item


class ProgressTab(LazyTab):
    """The page; its widgets are built when it is first shown or reached (`window.progress`, ui/lazy_tab)."""

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window = window
        self.report: progress_service.Progress | None = None
        self.status_filter = progress_service.ALL
        self._dirty = True
        window.campaign_changed.connect(self.mark_dirty)
        window.data_changed.connect(self.mark_dirty)

    def build(self) -> None:
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 13pt; font-weight: bold; color: #1d2b3a;")
        self.subheading = QLabel()
        self.subheading.setStyleSheet("color: #555;")
        self.subheading.setWordWrap(True)

        # The status filter: one checkable button per status, with its count.
        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        self.filter_buttons: dict[str, QPushButton] = {}
        filters = QHBoxLayout()
        filters.setSpacing(4)
        filters.addWidget(QLabel("显示:"))
        for status in progress_service.FILTERS:
            button = QPushButton(status)
            button.setCheckable(True)
            button.setCursor(Qt.PointingHandCursor)
            colour = STATUS_COLOURS.get(status, "#1d2b3a")
            button.setStyleSheet(f"QPushButton {{ color: {colour}; padding: 3px 10px; }}"
                                 f" QPushButton:checked {{ background: #dde8f5; border: 1px solid #7a9cc6;"
                                 f" font-weight: bold; }}")
            button.clicked.connect(lambda _checked=False, s=status: self.set_filter(s))
            self.filter_group.addButton(button)
            self.filter_buttons[status] = button
            filters.addWidget(button)
        self.filter_buttons[progress_service.ALL].setChecked(True)
        filters.addStretch(1)
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("按单位名称筛选")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(200)
        self.search_box.textChanged.connect(lambda _text: self._apply_filter())
        filters.addWidget(self.search_box)

        # The actions.
        self.buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        actions.setSpacing(4)
        for key, text, tip, slot in (
                ("copy", "复制催报清单", "把未报送、逾期和有误退回的单位写成一段通知,复制到剪贴板(可粘贴到微信、OA)",
                 self.copy_reminder),
                ("save", "保存催报清单…", "保存为 Excel 表格(含联系人和退回原因,另附全部单位的报送进度)",
                 self.save_reminder),
                (None, None, None, None),
                ("reissue", "重新下发模板…", "为选中的单位重新生成填报模板(单位名称已预填)", self.reissue_template),
                ("history", "导入记录…", "选中单位的模板下发和文件收到记录,退回文件的错误(也可双击一行)",
                 self.show_history),
                (None, None, None, None),
                ("add", "添加到名单…", "把单位名录中的单位加入本年度报送单位名单", self.add_to_roster),
                ("remove", "移出名单", "把选中的单位移出本年度报送单位名单(单位本身和其他年度不受影响)",
                 self.remove_from_roster)):
            if key is None:
                actions.addSpacing(14)
                continue
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            actions.addWidget(button)
            self.buttons[key] = button
        actions.addStretch(1)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.AscendingOrder)  # roster order until a header is clicked
        self.columns = columns.fit_columns(self.table, "progress", KINDS)
        self.table.doubleClicked.connect(lambda _index: self.show_history())
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.empty_label = QLabel()
        self.empty_label.setStyleSheet("color: #888; padding: 4px;")
        self.empty_label.hide()

        self.unlisted_box = QGroupBox()
        self.unlisted_label = QLabel()
        self.unlisted_label.setWordWrap(True)
        self.unlisted_button = QPushButton("查看这些文件…")
        self.unlisted_button.clicked.connect(lambda: self.show_unlisted())
        box_layout = QHBoxLayout(self.unlisted_box)
        box_layout.addWidget(self.unlisted_label, 1)
        box_layout.addWidget(self.unlisted_button)
        self.unlisted_box.hide()

        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.unlisted_box)
        self._update_buttons()

    # ---- refreshing

    def mark_dirty(self, *args) -> None:
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()  # an import that refused every file changes this page and nothing else

    def refresh(self) -> None:
        self._dirty = False
        campaign = self.window.campaign
        selected = self.selected_unit_id()
        if campaign is None:
            self.report = None
            self.heading.setText("还没有活动年度")
            self.subheading.setText("请点击工具栏上的“新建年度…”。")
        else:
            self.report = progress_service.progress(campaign)
            self.heading.setText(f"{campaign.year}年“安全生产月”报送进度")
            self.subheading.setText(self._summary(self.report))
        self._fill()
        self._fill_unlisted()
        if selected is not None:
            self.select_unit(selected)
        self._update_buttons()

    @staticmethod
    def _summary(report: progress_service.Progress) -> str:
        if report.deadline is None:
            due = "未设报送截止日期(可在“年度设置”中填写)"
        else:
            days = (report.deadline - report.as_of).days
            when = ("已过" if days < 0 else "今天截止" if days == 0 else f"还有 {days} 天")
            due = f"报送截止日期 {numbers.date_phrase(report.deadline)}({when})"
        return (f"截至 {numbers.date_phrase(report.as_of)} · {due} · 名单 {report.total} 个单位,"
                f"本年度有记录的 {report.reported} 个")

    def _fill(self) -> None:
        report = self.report
        counts = report.counts if report else {}
        for status, button in self.filter_buttons.items():
            n = report.total if report and status == progress_service.ALL else counts.get(status, 0)
            button.setText(f"{status} {n}")
        units_shown = report.units if report else []
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(units_shown))
        bold = QFont(self.font())
        bold.setBold(True)
        for r, unit in enumerate(units_shown):
            last, issue = unit.last_file, unit.last_issue
            name = _item(unit.unit, "\n".join(p for p in (unit.unit, f"联系人:{unit.contact}" if unit.contact else "",
                                                          f"电话:{unit.phone}" if unit.phone else "") if p))
            name.setData(Qt.UserRole, unit.unit_id)
            status = _item(unit.status)
            status.setForeground(QColor(STATUS_COLOURS[unit.status]))
            status.setFont(bold)
            if unit.status == progress_service.REFUSED_BACK and last is not None:
                reason = last.message or (last.errors[0] if last.errors else "")
                status.setToolTip(f"最后收到的文件“{last.name}”未导入:{reason}" if reason else "最后收到的文件未导入")
            elif unit.late:
                status.setToolTip("报送截止日期已过,尚未报送")
            file_tip = "" if last is None else f"{last.file_name}\n{last.outcome_label}" + (
                f":{last.message}" if last.message else "")
            file_item = _item(last.name if last else "—", file_tip)
            outcome = _item(last.outcome_label if last else "—", file_tip)
            if last is not None and last.refused:
                outcome.setForeground(QColor(STATUS_COLOURS[progress_service.REFUSED_BACK]))
            cells = (name, _item(unit.kind), status, _item(unit.sections_text or "—"), file_item, outcome,
                     _item(progress_service.when_text(last.when) if last else "—"),
                     _item(progress_service.when_text(issue.when) if issue else "—",
                           f"共下发 {len(unit.issued)} 次,最近:{issue.file_name}" if issue else "本年度未下发模板"))
            for c, item in enumerate(cells):
                self.table.setItem(r, c, item)
        self.table.setSortingEnabled(True)
        self._apply_filter()

    def _fill_unlisted(self) -> None:
        unlisted = self.report.unlisted if self.report else []
        self.unlisted_box.setVisible(bool(unlisted))
        if unlisted:
            refused = sum(1 for r in unlisted if r.refused)
            self.unlisted_label.setText(
                f"另有 {len(unlisted)} 个文件未能对应到名单中的单位" + (f"(其中 {refused} 个未导入)" if refused else "")
                + ":" + "、".join(r.name for r in unlisted[:5]) + ("等" if len(unlisted) > 5 else ""))

    def set_filter(self, status: str) -> None:
        """Show only the units of `status` (progress.ALL: every unit)."""
        self.status_filter = status
        self.filter_buttons[status].setChecked(True)
        self._apply_filter()

    def _apply_filter(self) -> None:
        key = units.name_key(self.search_box.text())
        shown = 0
        for r in range(self.table.rowCount()):
            status = self.table.item(r, STATUS_COLUMN).text()
            name = self.table.item(r, NAME_COLUMN).text()
            hide = ((self.status_filter != progress_service.ALL and status != self.status_filter)
                    or (bool(key) and key not in units.name_key(name)))
            self.table.setRowHidden(r, hide)
            shown += not hide
        if self.report is None:
            message = ""
        elif not self.report.units:
            message = "本年度报送单位名单中还没有单位。点击“添加到名单…”从单位名录中选择。"
        elif not shown:
            message = f"没有状态为“{self.status_filter}”的单位。" if not key else "没有符合筛选条件的单位。"
        else:
            message = ""
        self.empty_label.setText(message)
        self.empty_label.setVisible(bool(message))
        self._update_buttons()

    def visible_units(self) -> list[str]:
        """The names of the rows shown, top to bottom (tests)."""
        return [self.table.item(r, NAME_COLUMN).text() for r in range(self.table.rowCount())
                if not self.table.isRowHidden(r)]

    # ---- the selection

    def selected_unit_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or self.table.isRowHidden(rows[0].row()):
            return None
        return self.table.item(rows[0].row(), NAME_COLUMN).data(Qt.UserRole)

    def selected_unit(self) -> progress_service.UnitProgress | None:
        unit_id = self.selected_unit_id()
        return self.report.unit(unit_id) if self.report and unit_id is not None else None

    def select_unit(self, unit_id: int) -> bool:
        for r in range(self.table.rowCount()):
            if self.table.item(r, NAME_COLUMN).data(Qt.UserRole) == unit_id and not self.table.isRowHidden(r):
                self.table.selectRow(r)
                self.table.scrollToItem(self.table.item(r, NAME_COLUMN))
                return True
        return False

    def _need_unit(self) -> progress_service.UnitProgress | None:
        unit = self.selected_unit()
        if unit is None:
            prompts.info(self, "请先在列表中选中一个单位。")
        return unit

    def _update_buttons(self) -> None:
        has_year = self.window.campaign is not None
        chosen = self.selected_unit_id() is not None
        for key in ("copy", "save", "add"):
            self.buttons[key].setEnabled(has_year)
        for key in ("reissue", "history", "remove"):
            self.buttons[key].setEnabled(has_year and chosen)

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 10000)

    # ---- the 催报清单

    def copy_reminder(self) -> str | None:
        """复制催报清单: the notice as plain text on the clipboard; returns it."""
        if self.report is None:
            return None
        self.refresh()  # the as-of day is today, and files may have come in since the page was drawn
        chase = progress_service.reminder_units(self.report)
        if not chase:
            prompts.info(self, "名单中的单位都已报送,没有需要催报的单位。", "复制催报清单")
            return None
        text = progress_service.reminder_text(self.report)
        QGuiApplication.clipboard().setText(text)
        self._status(f"已复制催报清单({len(chase)} 个单位),可直接粘贴到微信或 OA。")
        return text

    def save_reminder(self, target=None) -> Path | None:
        """保存催报清单…: the 催报清单 workbook (and every unit's progress) where the clerk says."""
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.ui.dialogs.receipts import xlsx_path

        campaign = self.window.campaign
        if campaign is None:
            return None
        self.refresh()
        if target is None:
            target = prompts.save_file(self, "保存催报清单", f"{campaign.year}年安全生产月催报清单.xlsx", XLSX_SAVE_FILTER,
                                       kind="reminder")
        if not target:
            return None
        target = xlsx_path(target)
        report = self.report
        try:
            # lazy: start-up (loaded when first used, not when the window opens)
            from safetymonth_desktop.exchange import progress_export

            path = progress_export.write_reminder(report, target)
        except (AppError, OSError) as exc:
            prompts.error(self, tasks.explain(exc))
            return None
        chase = len(progress_service.reminder_units(report))
        offer_open(self, path, f"催报清单已保存({chase} 个单位需催报):\n{path}", "保存催报清单")
        return path

    # ---- the selected unit

    def reissue_template(self, target=None) -> None:
        """重新下发模板…: a new 填报模板 for the selected unit, then remembered as issued."""
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.ui.dialogs.receipts import xlsx_path

        unit = self._need_unit()
        campaign = self.window.campaign
        if unit is None or campaign is None:
            return
        if target is None:
            safe = "".join("_" if ch in '\\/:*?"<>|' else ch for ch in unit.unit)
            target = prompts.save_file(self, f"为“{unit.unit}”生成填报模板", f"{campaign.year}年安全生产月填报模板-{safe}.xlsx",
                                       XLSX_SAVE_FILTER, kind="templates")
        if not target:
            return
        target = xlsx_path(target)
        unit_id, name = unit.unit_id, unit.unit

        def work(progress, cancelled):
            # lazy: start-up (loaded when first used, not when the window opens)
            from safetymonth_desktop.exchange import xlsx_template

            return xlsx_template.write_template(campaign, target, unit_name=name, progress=progress,
                                                cancelled=cancelled)

        def done(path):  # write_template recorded the issue (with its stamp)
            self.refresh()
            offer_open(self, path, f"已为“{name}”生成填报模板:\n{path}\n\n请发给该单位填写,收回后用“导入 → 导入单位填报表”导入。",
                       "重新下发模板")

        tasks.run_task(self.window, work, title=f"正在为“{name}”生成填报模板…", on_done=done,
                       on_error=on_failure(self, "已取消,没有生成填报模板。"))

    def show_history(self):
        """导入记录…: the selected unit's templates issued and files received; returns the dialog."""
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.ui.dialogs.receipts import unit_dialog

        unit = self._need_unit()
        if unit is None or self.window.campaign is None:
            return None
        dialog = unit_dialog(self.window.campaign, unit, self)
        dialog.open()
        return dialog

    def show_unlisted(self):
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.ui.dialogs.receipts import unlisted_dialog

        if self.report is None or not self.report.unlisted:
            return None
        dialog = unlisted_dialog(self.window.campaign, self.report.unlisted, self)
        dialog.open()
        return dialog

    # ---- the roster

    def add_to_roster(self, choice: int | None = None) -> int | None:
        """添加到名单…: pick a unit of the directory that is not on the year's roster; returns its id."""
        campaign = self.window.campaign
        if campaign is None:
            return None
        candidates = progress_service.units_off_roster(campaign)
        if not candidates:
            prompts.info(self, "单位名录中的单位都已在本年度名单中。新单位请在“数据 → 单位管理”中新增"
                               "(新增的单位自动加入本年度名单)。", "添加到名单")
            return None
        if choice is None:
            choice = prompts.choose(self, f"把哪个单位加入{campaign.year}年度报送单位名单?", "添加到名单",
                                    [f"{u.name}({u.kind})" for u in candidates])
        if choice is None:
            return None
        unit = candidates[choice]
        try:
            with history.change_group() as group:
                roster.add(campaign, unit.id)
        except AppError as exc:
            prompts.error(self, getattr(exc, "message", str(exc)))
            return None
        self.window.undo_stack.push(group, f"添加“{unit.name}”到报送名单")
        emit(self.window.data_changed)  # units.total changed: the overview reads it again
        self.refresh()
        self.set_filter(progress_service.ALL)
        self.select_unit(unit.id)
        self._status(f"已把“{unit.name}”加入 {campaign.year} 年度报送单位名单。")
        return unit.id

    def remove_from_roster(self) -> bool:
        """移出名单: take the selected unit off the year's roster; refused (and said why) while it has records."""
        campaign = self.window.campaign
        unit = self._need_unit()
        if unit is None or campaign is None:
            return False
        if not prompts.confirm(self, f"把“{unit.unit}”移出 {campaign.year} 年度报送单位名单吗?\n"
                                     "单位本身、它在其他年度的名单和记录都不受影响;可以撤销。", "移出名单", ok="移出"):
            return False
        try:
            with history.change_group() as group:
                roster.remove(campaign, unit.unit_id)
        except AppError as exc:
            prompts.error(self, getattr(exc, "message", str(exc)), "移出名单")
            return False
        self.window.undo_stack.push(group, f"把“{unit.unit}”移出报送名单")
        emit(self.window.data_changed)
        self.refresh()
        self._status(f"已把“{unit.unit}”移出 {campaign.year} 年度报送单位名单。")
        return True
