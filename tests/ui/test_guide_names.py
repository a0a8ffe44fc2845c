"""The user guide's menu, button, tab and dialog names are a checked fact (issue 15, item 11).

Convention of docs/使用说明.md: a name the clerk sees on screen — a menu and its item, a toolbar button, a tab, a
button, a dialog's title or field — is written in 「…」; a path through menus as 「导出 → 导出活动总结…」. This test
reads every 「…」 of the guide and finds each part in the real window: its menus, toolbar, tabs and buttons, every
dialog those open, and the buttons of the questions the program asks on the way (driven through real flows)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "使用说明.md"
QUOTED = re.compile(r"「([^」]+)」")


def guide_names() -> list[str]:
    return QUOTED.findall(GUIDE.read_text(encoding="utf-8"))


def normal(text: str) -> str:
    text = re.sub(r"<[^>]+>", "", str(text))
    text = re.sub(r"\(&\w\)", "", text).replace("&", "")
    return text.strip().rstrip("*").strip().rstrip(":：").strip()


def widget_texts(root) -> set[str]:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QLineEdit, QTabWidget, QWidget

    found = set()
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if widget.isWindow() and widget.windowTitle():
            found.add(widget.windowTitle())
        if isinstance(widget, (QAbstractButton, QLabel)):
            found.add(widget.text())
        if isinstance(widget, QGroupBox):
            found.add(widget.title())
        if isinstance(widget, QLineEdit):
            found.add(widget.placeholderText())
        if isinstance(widget, QTabWidget):
            found.update(widget.tabText(i) for i in range(widget.count()))
    for action in root.findChildren(QAction):
        found.add(action.text())
        found.add(action.iconText())
    return {normal(t) for t in found if t}


class RecordingPrompts:
    """Answers as the clerk would and keeps the label of every button the questions offered."""

    def __init__(self, fake):
        self.fake = fake
        self.labels: set[str] = set()

    def __getattr__(self, name):
        return getattr(self.fake, name)

    def confirm(self, parent, text, title="请确认", *, ok="确定"):
        self.labels.update({ok, "取消", title})  # QtPrompts.confirm: the ok label and 取消
        return self.fake.confirm(parent, text, title, ok=ok)

    def buttons(self, parent, text, title, labels, icon="question"):
        self.labels.update([*labels, title])
        return self.fake.buttons(parent, text, title, labels, icon)

    def info(self, parent, text, title="提示"):
        self.labels.add(title)
        return self.fake.info(parent, text, title)

    def table(self, parent, text, title, headers, rows):
        self.labels.add(title)
        return self.fake.table(parent, text, title, headers, rows)

    def choose(self, parent, label, title, items):
        self.labels.add(title)
        return self.fake.choose(parent, label, title, items)


@pytest.fixture
def screen_texts(demo, make_window, fake_prompts, tmp_path):
    """Every text of the window and of the dialogs and questions a clerk meets in the guide's steps."""
    from safetymonth_desktop.db import models as m
    from safetymonth_desktop.services import campaigns
    from safetymonth_desktop.ui import prompts
    from safetymonth_desktop.ui.actions import data_safety, excel, help
    from tests.ui.helpers import select_row
    from tests.ui.test_actions_excel import filled_template, training_rows

    recording = RecordingPrompts(fake_prompts)
    prompts.use(recording)
    window = make_window()
    texts = widget_texts(window)
    for menu in window.menus.values():
        texts.add(normal(menu.title()))

    def grab(dialog):
        texts.update(widget_texts(dialog))
        if hasattr(dialog, "pages"):
            for i in range(dialog.pages.count()):
                dialog.pages.setCurrentIndex(i)
                texts.update(widget_texts(dialog))
        dialog.reject()

    grab(window.new_year())
    grab(window.campaign_settings())
    grab(window.manage_units())
    grab(data_safety.show_backups(window))
    grab(help.show_about(window))
    table = window.show_records(m.Hazard)
    select_row(table, 0)
    grab(data_safety.show_history(window))
    grab(data_safety.show_deleted(window))
    form = table.add()
    grab(form)
    window.tabs.setCurrentWidget(window.progress)
    window.progress.select_unit(window.progress.report.units[0].unit_id)
    grab(window.progress.show_history())

    # the questions of an import: a unit not in the directory, then a changed file of the same unit
    book = filled_template(demo, tmp_path / "新建社区.xlsx", "新建社区", training_rows(2))
    flow = excel.import_workbooks(window, [book])
    texts.update(widget_texts(flow.dialog))
    flow.confirm_and_import()
    flow.dialog.reject()
    book = filled_template(demo, tmp_path / "新建社区.xlsx", "新建社区", training_rows(3))
    flow = excel.import_workbooks(window, [book])
    flow.confirm_and_import()
    flow.dialog.reject()
    # templates, the statistics workbook and an empty year's summary (a draft is offered)
    fake_prompts.choose_answers.append(0)
    fake_prompts.file_answers.append(str(tmp_path))
    excel.write_templates(window)
    fake_prompts.file_answers.append(str(tmp_path / "统计.xlsx"))
    excel.export_stats(window)
    campaigns.save(2022)
    window.reload_years(2022)
    window.tabs.setCurrentWidget(window.overview)  # a new year's overview: the five steps
    texts.update(widget_texts(window))
    window.report_actions.export_summary()
    texts.update(normal(t) for t in recording.labels)
    return {t for t in texts if t}


def test_the_guide_uses_the_convention():
    names = guide_names()
    assert len(names) >= 40, "the guide quotes the names of menus and buttons in 「…」"
    text = GUIDE.read_text(encoding="utf-8")
    # the names the issue found wrong are gone
    for wrong in ("“单位”页", "选“否”", "选“是”", "“导出总结”", "“按上级表格填写”", "safetymonth-cli demo"):
        assert wrong not in text, wrong


def test_every_quoted_name_is_on_screen(screen_texts):
    missing = []
    for name in guide_names():
        for part in (p.strip() for p in name.split("→")):
            candidates = {part, part + "…", part.removesuffix("…")}
            if not candidates & screen_texts:
                missing.append(f"{part}(在「{name}」中)")
    assert not missing, "使用说明中这些名称在界面上找不到:\n" + "\n".join(sorted(set(missing)))
