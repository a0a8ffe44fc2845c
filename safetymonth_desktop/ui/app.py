"""Starting the GUI: the Qt application, the Chinese translation of Qt's own dialogs, the database, the
main window. Only Qt and the services are imported here, so the window opens fast."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from safetymonth_desktop import APP_NAME
from safetymonth_desktop.ui import settings


def install_translator(app: QApplication) -> bool:
    """Qt's standard dialogs and buttons in Chinese (qtbase_zh_CN ships with PySide6)."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.TranslationsPath)
    if translator.load("qtbase_zh_CN", folder):
        app.installTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China))
        return True
    return False


def make_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(settings.ORGANIZATION)
    app.setApplicationName(settings.APPLICATION)
    app.setApplicationDisplayName(APP_NAME)
    install_translator(app)
    return app


def run_gui(db_path: Path | None) -> int:
    """Open the main window on `db_path` (None: the default per-user database); returns the exit status."""
    from safetymonth_desktop import paths
    from safetymonth_desktop.db.connection import open_database
    from safetymonth_desktop.services.errors import AppError
    from safetymonth_desktop.ui import prompts

    app = make_app()
    path = Path(db_path) if db_path else paths.default_database()
    try:
        open_database(path)
    except AppError as exc:
        prompts.error(None, str(exc), "无法打开数据库")
        return 1
    from safetymonth_desktop.ui.main_window import MainWindow

    window = MainWindow(path)
    window.show()
    if window.campaign is None:  # a new database: start by creating the year
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, window.new_year)
    return app.exec()
