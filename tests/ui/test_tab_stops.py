"""Tab visits only things a clerk can use: never an invisible scroll area (the overview's, a form's), and the
text fields' context menu speaks the application's words (撤销, not Qt's 撤消)."""

from PySide6.QtCore import Qt, QTranslator
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QPlainTextEdit, QScrollArea

from safetymonth_desktop.db import models as m
from safetymonth_desktop.ui.app import install_translator


def _tab_round(qtbot, start, presses=60):
    seen = []
    widget = start
    widget.setFocus()
    for _ in range(presses):
        qtbot.keyClick(QApplication.focusWidget() or widget, Qt.Key_Tab)
        seen.append(QApplication.focusWidget())
    return seen


def _bare_scroll_areas(widgets):
    return [w for w in widgets if isinstance(w, QScrollArea) and not isinstance(w, QAbstractItemView)]


def test_tab_never_stops_on_a_scroll_area(campaign, make_window, qtbot):
    window = make_window()
    window.tabs.setCurrentIndex(0)  # the overview
    assert not _bare_scroll_areas(_tab_round(qtbot, window.year_combo))
    form = window.show_records(m.Hazard).add()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    seen = _tab_round(qtbot, form.form.editors["unit"].widget)
    assert not _bare_scroll_areas(seen)
    assert form.form.editors["description"].widget in seen  # the multi-line fields are reached too


def test_the_text_fields_context_menu_says_che_xiao_as_the_menus_do(qapp):
    before = set(qapp.findChildren(QTranslator))
    assert install_translator(qapp)
    try:
        for widget in (QLineEdit(), QPlainTextEdit()):
            texts = [a.text() for a in widget.createStandardContextMenu().actions()]
            assert any(t.startswith("撤销") for t in texts), texts
            assert not any("撤消" in t for t in texts)
            assert any(t.startswith("粘贴") for t in texts)  # the rest of Qt's translation still answers
    finally:
        for translator in set(qapp.findChildren(QTranslator)) - before:
            qapp.removeTranslator(translator)
