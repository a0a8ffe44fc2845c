"""The Word 活动总结 in the 导出 menu: export the summary (file dialog, progress, then open the file or its
folder), choose the office's own template (checked first, remembered per database), go back to the built-in
one, and export a copy of the built-in template to customise in Word/WPS. The work is
`exchange.word_report`; the charts of the appendix are drawn here, on the UI thread, by `ui/charts.py`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.ui import prompts, tasks
from safetymonth_desktop.ui.actions.common import need_campaign, offer_open, output_allowed
from safetymonth_desktop.services import readiness

DOCX_FILTER = "Word 文档 (*.docx)"


class ReportActions:
    def __init__(self, window):
        self.window = window
        self.last_written: Path | None = None
        menu = window.menu("export")
        # The summary is the main output: its actions go first, above the Excel exports.
        self._before = menu.actions()[0] if menu.actions() else None
        self.export_action = self._add(menu, "导出活动总结…", self.export_summary, "生成 Word 活动总结(含统计表和统计图)")
        self.choose_action = self._add(menu, "选择总结模板…", self.choose_template, "选用本单位自己的 Word 模板")
        self.reset_action = self._add(menu, "恢复默认模板", self.reset_template, "改回软件内置的公文格式模板")
        self.copy_action = self._add(menu, "导出模板副本…", self.export_template_copy,
                                     "导出内置模板,在 Word/WPS 中修改后再用“选择总结模板…”选用")
        if self._before is not None:
            menu.insertSeparator(self._before)
        menu.aboutToShow.connect(self._update)
        window.campaign_changed.connect(lambda campaign: self._update_enabled())
        # The template's name in 恢复默认模板 is read when the menu opens (exchange.word_report is not loaded
        # at start-up); until then the action is off, as nothing but the menu shows or triggers it.
        self.reset_action.setEnabled(False)
        self._update_enabled()

    def _add(self, menu, text, slot, tip) -> QAction:
        action = QAction(text, self.window)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        if self._before is not None:
            menu.insertAction(self._before, action)
        else:
            menu.addAction(action)
        return action

    def _update_enabled(self) -> None:
        has_year = self.window.campaign is not None
        self.export_action.setEnabled(has_year)
        self.choose_action.setEnabled(has_year)

    def _update(self) -> None:
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.exchange import word_report

        self._update_enabled()
        try:
            chosen = word_report.chosen_template()
        except Exception:  # noqa: BLE001 - no database open yet
            chosen = None
        self.reset_action.setEnabled(chosen is not None)
        self.reset_action.setText(f"恢复默认模板(当前:{chosen.name})" if chosen else "恢复默认模板(当前已是默认模板)")

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 10000)

    # ---- export the summary

    def export_summary(self):
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.exchange import word_report
        from safetymonth_desktop.services import chart_data
        from safetymonth_desktop.ui import charts

        campaign = need_campaign(self.window)
        if campaign is None:
            return None
        if readiness.is_empty(campaign) and not prompts.confirm(
                self.window, readiness.empty_year_message(campaign) + "\n\n仍要生成一份草稿吗?草稿只有标题、开头一句"
                "(第几个安全生产月和主题)和落款,不写任何工作情况。", "年度还没有记录", ok="生成草稿"):
            return None
        template = word_report.chosen_template()
        if template is not None and not template.is_file():
            prompts.warning(self.window, f"选用的模板“{template}”已找不到(可能被移动或删除),本次改用内置模板。"
                                         "可在“导出”菜单中重新选择模板。")
            template = None
        name = f"{campaign.region}{campaign.year}年安全生产月活动总结.docx"
        target = prompts.save_file(self.window, "导出活动总结", name, DOCX_FILTER, kind="report")
        if not target:
            return None
        target = Path(target)
        if target.suffix.lower() != ".docx":
            target = target.with_name(target.name + ".docx")
        if not output_allowed(self.window, target, [(template, "总结模板")], "导出活动总结"):
            return None
        # Qt draws only on the UI thread: the pictures are made here, the document in the background.
        try:
            images = {spec.key: charts.render_png(spec) for spec in chart_data.report_charts(campaign)}
        except Exception as exc:  # noqa: BLE001 - a report without charts is better than none
            images = {}
            self._status(f"统计图未能生成({type(exc).__name__}),总结中不含统计图。")

        def work(progress, cancelled):
            return word_report.write_report(campaign, target, template=template, progress=progress,
                                            chart_renderer=(lambda spec: images[spec.key]) if images else None)

        tasks.run_task(self.window, work, title="正在生成活动总结…", on_done=self._written,
                       cancellable=False)
        return target

    def _written(self, path) -> None:
        path = Path(path)
        self.last_written = path
        self._status(f"已生成活动总结:{path}")
        offer_open(self.window, path, f"已生成活动总结:\n{path}")

    # ---- templates

    def choose_template(self):
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.exchange import word_report

        campaign = need_campaign(self.window)  # a template is checked with the year's data
        if campaign is None:
            return None
        path = prompts.open_file(self.window, "选择总结模板", filter=DOCX_FILTER, kind="word_template")
        if not path:
            return None
        try:
            chosen = word_report.choose_template(Path(path), campaign)
        except AppError as exc:
            prompts.error(self.window, f"{exc}\n\n模板未被选用,仍使用原来的模板。", "模板有问题")
            return None
        self._update()
        prompts.info(self.window, f"已选用模板“{chosen.name}”。以后在本数据库中导出活动总结都使用这个模板。", "选择模板")
        return chosen

    def reset_template(self) -> None:
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.exchange import word_report

        word_report.reset_template()
        self._update()
        self._status("已恢复使用内置的公文格式模板。")

    def export_template_copy(self):
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.exchange import word_report

        target = prompts.save_file(self.window, "导出模板副本", "活动总结模板.docx", DOCX_FILTER, kind="word_template")
        if not target:
            return None
        target = Path(target)
        if target.suffix.lower() != ".docx":
            target = target.with_name(target.name + ".docx")
        chosen = [(word_report.chosen_template(), "正在使用的总结模板")]
        for path in (target, word_report.reference_copy(target)):  # the reference is copied beside it
            if not output_allowed(self.window, path, chosen, "导出模板副本"):
                return None
        try:
            word_report.export_template_copy(target)
        except AppError as exc:
            prompts.error(self.window, str(exc))
            return None
        prompts.info(self.window, f"已导出模板副本:{target}\n旁边的《变量说明》列出了模板可用的全部变量。"
                                  "在 Word/WPS 中修改后,用“导出 → 选择总结模板…”选用它。", "导出模板副本")
        return target


def install(window) -> ReportActions:
    actions = ReportActions(window)
    window.report_actions = actions
    return actions
