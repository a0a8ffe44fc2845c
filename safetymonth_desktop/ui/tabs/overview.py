"""概览: the year at a glance, the first tab. Key figures with last year's value and the change, a checklist
of what is missing or suspicious (each item leads to where it is fixed), and the charts (a click on a bar
opens the matching records, filtered). Figures and checklist come from `services.overview`, charts from
`services.chart_data` drawn by `ui/charts.py`. The tab refreshes when the year or the data change, and only
when it is on screen (otherwise at its next showing). Nothing heavy runs on the UI thread: the figures come from
the figure cache (ui/figures.py computes them on a worker when a write made it stale), and the checklist and the
charts' data are gathered on a worker and fill in when ready."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import campaigns, figure_cache, overview
from safetymonth_desktop.ui.figure_cards import FLAT, UP, FigureCard, FigureCards  # noqa: F401 (FLAT: tests)
from safetymonth_desktop.ui.first_day import FirstDayPanel
from safetymonth_desktop.ui import figures, tasks

if TYPE_CHECKING:
    from safetymonth_desktop.services import chart_data

TITLE = "概览"
FIGURE_COLUMNS = 5
CHART_COLUMNS = 2
SEVERITY_STYLE = {"注意": "background:#fdecea; color:#b3261e;", "提示": "background:#e8f0fb; color:#1f5fa8;"}


# How many checklist items of one rule are shown before "全部显示".
CHECKS_PER_RULE = 5


class CheckRow(QWidget):
    """A checklist line: severity, text, and a button that goes where it can be fixed."""

    def __init__(self, item: overview.CheckItem, follow, parent=None):
        super().__init__(parent)
        self.item = item
        tag = QLabel(item.severity)
        tag.setStyleSheet(SEVERITY_STYLE.get(item.severity, "") + "padding: 1px 6px; border-radius: 3px;")
        tag.setAlignment(Qt.AlignCenter)
        self.text_label = QLabel(item.text)
        self.text_label.setWordWrap(True)
        self.button = QPushButton(destination(item))
        self.button.setCursor(Qt.PointingHandCursor)
        self.button.setStyleSheet("QPushButton { color: #1f5fa8; border: none; text-decoration: underline; }")
        self.button.clicked.connect(lambda: follow(item))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 1, 2, 1)
        layout.addWidget(tag)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.button)


def destination(item: overview.CheckItem) -> str:
    """The button text of a checklist item: where it leads."""
    if item.model is m.Campaign:
        return "打开年度设置"
    if item.model is None:
        return "打开单位管理"
    return f"查看{item.model._meta.title}"


class OverviewTab(QWidget):
    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window = window
        self.figures: list[overview.Figure] = []
        self.checks: list[overview.CheckItem] = []
        self.specs: list[chart_data.ChartSpec] = []
        self.cards: list[FigureCard] = []
        self.check_rows: list[CheckRow] = []
        self.more_buttons: dict[str, QPushButton] = {}  # rule → its 全部显示 button
        self.chart_views: list = []
        self._dirty = True
        self.previous_year: int | None = None
        self._ticket = 0  # which refresh the worker's checklist and charts belong to
        self._figures_pending = False
        self._prior = None

        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 13pt; font-weight: bold; color: #1d2b3a;")
        self.subheading = QLabel()
        self.subheading.setStyleSheet("color: #666;")
        self.subheading.setWordWrap(True)

        self.figure_box = QGroupBox("主要数字")
        self.figure_cards = FigureCards(FIGURE_COLUMNS)  # all the cards, painted by one widget (ui/figure_cards)
        self.figure_waiting = QLabel("正在计算本年度的数字…")
        self.figure_waiting.setStyleSheet("color: #888;")
        figure_layout = QVBoxLayout(self.figure_box)
        figure_layout.addWidget(self.figure_waiting)
        figure_layout.addWidget(self.figure_cards)
        self.figure_waiting.hide()
        self.check_box = QGroupBox("导出前请检查")
        self.check_layout = QVBoxLayout(self.check_box)
        self.check_layout.setSpacing(2)
        self.chart_box = QGroupBox("统计图(点击柱形可查看对应的记录)")
        self.chart_grid = QGridLayout(self.chart_box)
        for column in range(CHART_COLUMNS):  # equal halves, whatever a chart's labels would like (ui.charts)
            self.chart_grid.setColumnStretch(column, 1)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        self.first_day = FirstDayPanel(window)  # the year's five steps while it is new (ui/first_day.py)
        layout.addWidget(self.first_day)
        layout.addWidget(self.check_box)
        layout.addWidget(self.figure_box)
        layout.addWidget(self.chart_box)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setFocusPolicy(Qt.NoFocus)  # no Tab stop on the (invisible) scroll area itself
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.scroll = scroll

        window.campaign_changed.connect(self.mark_dirty)
        window.data_changed.connect(self.mark_dirty)
        figures.feed().ready.connect(self._figures_ready)

    # ---- refreshing

    def mark_dirty(self, *args) -> None:
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def refresh(self) -> None:
        self._dirty = False
        self._ticket += 1
        campaign = self.window.campaign
        if campaign is None:
            self.heading.setText("还没有活动年度")
            self.subheading.setText("请点击工具栏上的“新建年度…”。")
            self.figures, self.checks, self.specs, self.previous_year = [], [], [], None
            self._prior = None
            self._fill_figures()
            self._fill_checklist()
            self._fill_charts()
        else:
            prior = campaigns.previous(campaign)
            self._prior = prior
            self.previous_year = prior.year if prior else None
            self.heading.setText(f"{campaign.year}年“安全生产月”概览(第{campaign.ordinal}个)")
            self.subheading.setText(f"同比:与数据库中的 {prior.year} 年度比较。" if prior else
                                    "数据库中没有更早的年度,不显示同比变化。")
            self._show_figures()
            self._gather_details(campaign)
        for box in (self.figure_box, self.check_box, self.chart_box):
            box.setVisible(campaign is not None)

    def _show_figures(self) -> None:
        """The key figures from the figure cache, or "计算中" until the worker has them (`_figures_ready`)."""
        campaign, prior = self.window.campaign, self._prior
        feed = figures.feed()
        current = feed.values(campaign.id)
        before = feed.values(prior.id) if prior is not None else None
        if current is None or (prior is not None and before is None):
            self._figures_pending = True
            if not self.cards:
                self.figure_waiting.show()
            return
        self._figures_pending = False
        self.figures = overview.figures_from(current, before)
        self._fill_figures()

    def _figures_ready(self, campaign_id: int) -> None:
        if self._figures_pending and self.window.campaign is not None:
            self._show_figures()

    def _gather_details(self, campaign) -> None:
        """The checklist and the charts' data on a worker (its own read connection); drawn when they arrive."""
        ticket = self._ticket
        if not self.check_rows:
            self._placeholder(self.check_layout, "正在检查本年度的数据…")
        if not self.chart_views:
            self._placeholder(self.chart_grid, "正在准备统计图…")

        def work(progress, cancelled):
            # lazy: start-up (the charts' data are gathered on a worker once the window is shown)
            from safetymonth_desktop.services import chart_data

            return overview.checklist(campaign), chart_data.all_charts(campaign)

        def done(result):
            figure_cache.keep_handed_over()  # the year's row counts the checklist made: the next start reads them
            if ticket != self._ticket:
                return  # the year or the data changed since: a newer refresh brings its own
            self.checks, self.specs = result
            self._fill_checklist()
            self._fill_charts()

        tasks.run_quietly(self, work, on_done=done)

    def _placeholder(self, layout, text: str) -> None:
        self._clear(layout)
        waiting = QLabel(text)
        waiting.setStyleSheet("color: #888;")
        layout.addWidget(waiting)

    @staticmethod
    def _clear(layout) -> None:
        while layout.count():
            item = layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()  # gone from the screen now, not when the event loop gets to the deletion
                widget.setParent(None)
                widget.deleteLater()

    def _fill_figures(self) -> None:
        self.cards = [FigureCard(figure, self.previous_year) for figure in self.figures]
        self.figure_waiting.setVisible(False)
        self.figure_cards.set_cards(self.cards)

    def _fill_checklist(self) -> None:
        self._clear(self.check_layout)
        self.check_rows = []
        self.more_buttons = {}
        if not self.checks:
            done = QLabel("✓ 未发现缺漏或可疑之处,可以导出总结和统计表。")
            done.setStyleSheet(f"color: {UP};")
            self.check_layout.addWidget(done)
            return
        # A long run of one rule (a unit list of 60, say) would bury the rest and cost seconds of layout:
        # show the first few of each rule and build the others on demand.
        by_rule: dict[str, list] = {}
        for item in self.checks:
            by_rule.setdefault(item.rule, []).append(item)
        for rule, items in by_rule.items():
            for item in items[:CHECKS_PER_RULE]:
                self._add_check_row(item)
            if len(items) > CHECKS_PER_RULE:
                self.check_layout.addWidget(self._more_row(rule, items[CHECKS_PER_RULE:]))

    def _add_check_row(self, item, index: int | None = None) -> None:
        row = CheckRow(item, self.follow)
        if index is None:
            self.check_layout.addWidget(row)
        else:
            self.check_layout.insertWidget(index, row)
        self.check_rows.append(row)

    def _more_row(self, rule: str, rest) -> QWidget:
        """'另有 N 项同类提示' with a button that replaces it by the hidden rows."""
        holder = QWidget()
        layout = QHBoxLayout(holder)
        layout.setContentsMargins(2, 1, 2, 1)
        layout.addWidget(QLabel(f"……另有 {len(rest)} 项同类提示"), 1)
        button = QPushButton("全部显示")
        button.setCursor(Qt.PointingHandCursor)
        button.setStyleSheet("QPushButton { color: #1f5fa8; border: none; text-decoration: underline; }")
        layout.addWidget(button)

        def expand():
            index = self.check_layout.indexOf(holder)
            holder.hide()
            self.check_layout.removeWidget(holder)
            holder.deleteLater()
            for offset, item in enumerate(rest):
                self._add_check_row(item, index + offset)

        button.clicked.connect(expand)
        self.more_buttons[rule] = button
        return holder

    def _fill_charts(self) -> None:
        from safetymonth_desktop.ui import charts  # lazy: QtCharts is loaded when the first chart is drawn

        self._clear(self.chart_grid)
        self.chart_views = []
        for i, spec in enumerate(self.specs):
            if spec.empty:
                widget = QLabel(f"{spec.title}\n\n{spec.empty_text}")
                widget.setAlignment(Qt.AlignCenter)
                widget.setMinimumHeight(120)
                widget.setStyleSheet("color: #888; border: 1px dashed #ccd;")
            else:
                widget = charts.chart_view(spec, self.open_link)
                self.chart_views.append(widget)
            self.chart_grid.addWidget(widget, i // CHART_COLUMNS, i % CHART_COLUMNS)

    # ---- where things lead

    def open_link(self, spec: chart_data.ChartSpec, index: int):
        """A click on category `index` of `spec`: the matching records, filtered. Returns the table shown."""
        link = spec.link(index)
        if link is None:
            return None
        return self.open_records(link.model, link.filters)

    def open_records(self, model, filters: dict):
        """The table of `model` filtered by `filters`; `model` None: the unit's records in every table."""
        window = self.window
        if model is None:
            # lazy: start-up (the charts' data are gathered on a worker once the window is shown)
            from safetymonth_desktop.services import chart_data

            unit_id = filters.get("unit_id")
            models = chart_data.unit_record_models(unit_id, window.campaign) if window.campaign else []
            if not models:
                window.statusBar().showMessage("该单位本年度没有记录。", 8000)
                return None
            tables = []
            for each in reversed(models):  # the first one ends up in front
                table = window.show_records(each)
                table.set_filter(filters)
                tables.append(table)
            shown = "、".join(f"{t.page.label} {t.table_model.total} 条" for t in reversed(tables))
            window.statusBar().showMessage(f"已筛选出该单位的记录:{shown}。在表格上方点“清除筛选”可恢复。", 15000)
            return tables[-1]
        table = window.show_records(model)
        if table is not None:
            table.set_filter(filters)
        return table

    def follow(self, item: overview.CheckItem):
        """Go where a checklist item can be fixed; returns the table or dialog opened."""
        window = self.window
        if item.model is m.Campaign:
            return window.campaign_settings()
        if item.model is None:
            dialog = window.manage_units()
            if "unit_id" in item.filter:
                dialog.select(item.filter["unit_id"])
            return dialog
        return self.open_records(item.model, item.filter)


def install(window) -> OverviewTab:
    """Put the overview first in the main window and show it."""
    tab = OverviewTab(window)
    window.overview = tab
    window.tabs.insertTab(0, tab, TITLE)
    window.tabs.setCurrentIndex(0)
    return tab
