"""The first-day path on the overview: 名单 → 下发模板 → 收回导入 → 检查 → 导出, one card per step with its state
(from `services.first_steps`) and buttons that run the real actions (单位管理, 生成填报模板, 导入单位填报表, 年度设置,
导出活动总结 …). Shown while the year still lacks records or has something serious left to fix, unless the clerk
hides it for that year. It refreshes itself on the window's campaign_changed / data_changed, when on screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from safetymonth_desktop.services import figure_cache, first_steps
from safetymonth_desktop.ui import settings, tasks

STATE_STYLE = {
    first_steps.DONE: "background:#e6f4ea; color:#1e7e34;",
    first_steps.READY: "background:#e6f4ea; color:#1e7e34;",
    first_steps.NEXT: "background:#1f5fa8; color:white;",
    first_steps.LATER: "background:#eceff1; color:#607d8b;",
}
STATE_TEXT = {first_steps.DONE: "✓ 已完成", first_steps.READY: "✓ 可以导出", first_steps.NEXT: "下一步",
              first_steps.LATER: "未开始"}


def _buttons(window) -> dict[str, list[tuple[str, object]]]:
    """Each step's buttons: (text, what a click does). The texts are the menus' own."""
    def trigger(key):
        return lambda: window.actions[key].trigger()

    def progress():
        page = getattr(window, "progress", None)
        if page is not None:
            window.tabs.setCurrentWidget(page)

    return {
        "roster": [("单位管理…", window.manage_units)],
        "templates": [("生成填报模板…", trigger("write_templates"))],
        "import": [("导入单位填报表…", trigger("import_xlsx")), ("报送进度", progress)],
        "check": [("年度设置…", window.campaign_settings)],
        "export": [("导出活动总结…", lambda: window.report_actions.export_summary()),
                   ("导出统计表和台账…", trigger("export_stats"))],
    }


class StepCard(QFrame):
    """One step: number and title, its state, one sentence, its buttons."""

    def __init__(self, number: int, step: first_steps.Step, buttons, parent=None):
        super().__init__(parent)
        self.step = step
        self.setObjectName("step")
        edge = "#1f5fa8" if step.state == first_steps.NEXT else "#dde3ec"
        self.setStyleSheet(f"#step {{ background: #f7f9fc; border: 1px solid {edge}; border-radius: 4px; }}")
        title = QLabel(f"{number}. {step.title}")
        title.setStyleSheet("font-size: 11pt; font-weight: bold; color: #1d2b3a;")
        self.state_label = QLabel(STATE_TEXT[step.state])
        self.state_label.setStyleSheet(STATE_STYLE[step.state] + "padding: 1px 6px; border-radius: 3px;")
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.state_label)
        self.detail_label = QLabel(step.detail)
        self.detail_label.setWordWrap(True)
        self.detail_label.setStyleSheet("color: #444;")
        self.detail_label.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(self.detail_label, 1)
        self.buttons: list[QPushButton] = []
        for text, slot in buttons:
            button = QPushButton(text)
            button.clicked.connect(lambda checked=False, slot=slot: slot())
            if step.state == first_steps.NEXT and not self.buttons:
                button.setStyleSheet("font-weight: bold;")
            layout.addWidget(button)
            self.buttons.append(button)


class FirstDayPanel(QGroupBox):
    """The five steps of the year on screen; hidden when the year is under way and clean, or hidden by the clerk."""

    def __init__(self, window, parent=None):
        super().__init__("本年度工作步骤:名单 → 下发模板 → 收回导入 → 检查 → 导出", parent)
        self.window = window
        self.steps: list[first_steps.Step] = []
        self.cards: list[StepCard] = []
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(6)
        self.hide_button = QPushButton("不再显示")
        self.hide_button.setToolTip("本年度不再显示这些步骤(可在“帮助 → 显示工作步骤”中重新显示)")
        self.hide_button.setStyleSheet("QPushButton { color: #1f5fa8; border: none; text-decoration: underline; }")
        self.hide_button.setCursor(Qt.PointingHandCursor)
        self.hide_button.clicked.connect(self.dismiss)
        foot = QHBoxLayout()
        foot.addWidget(QLabel("每一步的按钮与菜单中的同名命令相同。"), 1)
        foot.addWidget(self.hide_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.grid)
        layout.addLayout(foot)
        self._dirty = True
        self._ticket = 0  # which refresh the worker's steps belong to
        self.setVisible(False)  # until the steps say the year needs them
        window.campaign_changed.connect(self.mark_dirty)
        window.data_changed.connect(self.mark_dirty)
        window.tabs.currentChanged.connect(self._tab_changed)

    def _on_screen(self) -> bool:
        """Whether the tab holding the panel is the one shown (the panel itself may be hidden)."""
        tab = self.window.tabs.currentWidget()
        return tab is not None and tab.isAncestorOf(self)

    def mark_dirty(self, *args) -> None:
        self._dirty = True
        if self._on_screen():
            self.refresh()

    def showEvent(self, event) -> None:  # the first showing (not hidden yet)
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def _tab_changed(self, index: int) -> None:
        if self._dirty and self._on_screen():
            self.refresh()

    def refresh(self, *, again: bool = False) -> None:
        """Read the steps again. They count the year's records and run the readiness checks, which over a big
        year takes a while: on a worker with its own read connection (ui/tasks), the panel filled when they
        arrive. `again`: shown even if the clerk hid it (帮助 → 显示工作步骤)."""
        self._dirty = False
        self._ticket += 1
        ticket, campaign = self._ticket, self.window.campaign
        if campaign is None:
            self._show([], None, again)
            return

        def done(steps):
            figure_cache.keep_handed_over()  # the year's row counts the steps made: the next start reads them
            if ticket == self._ticket:  # else the year or the data changed since: a newer refresh brings its own
                self._show(steps, campaign, again)

        tasks.run_quietly(self, lambda progress, cancelled: first_steps.steps(campaign), on_done=done)

    def _show(self, steps, campaign, again: bool) -> None:
        self.steps = steps
        if again and campaign is not None:
            settings.store().remove(f"first_day/hidden_{campaign.year}")
        wanted = bool(steps) and (again or (not self._finished() and not _dismissed(campaign.year)))
        if wanted or self.cards:  # the cards are built only for a panel that shows them
            self._fill(steps if wanted else [])
        self.setVisible(wanted)

    def _finished(self) -> bool:
        """The year has records and nothing serious left: the overview's figures and checklist say the rest."""
        return all(step.done for step in self.steps if step.key in ("import", "check"))

    def _fill(self, steps) -> None:
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.cards = []
        buttons = _buttons(self.window)
        for i, step in enumerate(steps):
            card = StepCard(i + 1, step, buttons[step.key])
            self.grid.addWidget(card, 0, 2 * i)
            self.grid.setColumnStretch(2 * i, 1)
            self.cards.append(card)
            if i < len(steps) - 1:
                arrow = QLabel("→")
                arrow.setStyleSheet("color: #90a4ae; font-size: 14pt;")
                self.grid.addWidget(arrow, 0, 2 * i + 1)

    def card(self, key: str) -> StepCard | None:
        return next((c for c in self.cards if c.step.key == key), None)

    def dismiss(self) -> None:
        if self.window.campaign is not None:
            settings.store().setValue(f"first_day/hidden_{self.window.campaign.year}", True)
        self.setVisible(False)

    def show_again(self) -> None:
        self.refresh(again=True)


def _dismissed(year: int) -> bool:
    return str(settings.store().value(f"first_day/hidden_{year}", "")).lower() in ("true", "1")
