"""One word for one thing on screen, also in the parts Qt draws itself: qtbase_zh_CN says 撤消 in the context menu
of every text field, where the application's own menus say 撤销 (the standard form today). A translator installed
after Qt's own asks that one and puts our word in its answer."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

# Qt's word → the application's word.
REPLACEMENTS = {"撤消": "撤销"}


class WordingTranslator(QTranslator):
    """Qt's translation of a text with REPLACEMENTS applied; None (no answer) where nothing changes, so Qt goes on
    asking the translators installed before this one."""

    def __init__(self, base: QTranslator, parent=None):
        super().__init__(parent)
        self.base = base

    def isEmpty(self) -> bool:
        return False

    def translate(self, context, source, disambiguation=None, n=-1):
        text = self.base.translate(context, source, disambiguation, n)
        if not text:
            return None
        changed = text
        for old, new in REPLACEMENTS.items():
            changed = changed.replace(old, new)
        return changed if changed != text else None


def install(app: QCoreApplication, base: QTranslator) -> WordingTranslator:
    """Put the application's words over `base` (the installed qtbase translator)."""
    translator = WordingTranslator(base, app)
    app.installTranslator(translator)
    return translator
