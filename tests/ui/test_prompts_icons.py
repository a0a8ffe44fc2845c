"""导出完成 and the like are news, not questions: their box shows the information icon (issue 15, item 10)."""

from __future__ import annotations


def test_offer_open_asks_for_the_information_icon(fake_prompts, tmp_path):
    from safetymonth_desktop.ui.actions.common import offer_open

    target = tmp_path / "统计.xlsx"
    target.write_bytes(b"x")
    offer_open(None, target, "已导出")
    assert fake_prompts.button_icons == ["information"]


def test_qt_backend_draws_the_icon_asked_for(qapp, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from safetymonth_desktop.ui import prompts

    seen = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: seen.append(box.icon()) or 0)
    backend = prompts.QtPrompts()
    backend.buttons(None, "已导出", "导出完成", ["打开文件", "关闭"], "information")
    backend.buttons(None, "覆盖吗?", "请确认", ["覆盖", "取消"])
    assert seen == [QMessageBox.Information, QMessageBox.Question]
