"""Starting the GUI: the Qt application, the Chinese translation of Qt's own dialogs, the database, the
main window. Only Qt and the services are imported here, so the window opens fast."""

from __future__ import annotations

import sys
from pathlib import Path

# The layers below the GUI come first, Qt after them: once PySide6 is loaded, its import hook reads the source
# file of every module imported later (looking for "PySide6" in it), and the database layer, peewee and the
# services are a hundred modules. `first_steps` and `overview` are what the main window reads first (they
# bring in the rest of the services it needs); imported here only for that order.
from safetymonth_desktop import APP_NAME
from safetymonth_desktop.base import app_mutex, paths
from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.db.backup import describe
from safetymonth_desktop.db.connection import DatabaseFileError, DatabaseLockedError, close_database
from safetymonth_desktop.services import crash_log, first_steps, overview, safety  # noqa: F401 - see above

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from safetymonth_desktop.ui import prompts, settings, tasks, wording


def install_translator(app: QApplication) -> bool:
    """Qt's standard dialogs and buttons in Chinese: qtbase_zh_CN (ships with PySide6), then our own
    resources/i18n/safetymonth_zh_CN.qm for the file dialog's texts qtbase_zh_CN lacks (installed last, so it
    is asked first)."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.TranslationsPath)
    loaded = translator.load("qtbase_zh_CN", folder)
    if loaded:
        app.installTranslator(translator)
        wording.install(app, translator)  # 撤销, not Qt's 撤消, in the text fields' context menu
    ours = QTranslator(app)
    try:
        own = ours.load("safetymonth_zh_CN", str(paths.resource("i18n")))
    except FileNotFoundError:
        own = False
    if own:
        app.installTranslator(ours)
    if loaded or own:
        QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China))
    return loaded


def install_icon(app: QApplication) -> None:
    """The application's icon (taskbar, every window's title bar): resources/icons/safetymonth.png."""
    from PySide6.QtGui import QIcon

    try:
        icon = QIcon(str(paths.resource("icons", "safetymonth.png")))
    except FileNotFoundError:
        return
    if not icon.isNull():
        app.setWindowIcon(icon)


def make_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(settings.ORGANIZATION)
    app.setApplicationName(settings.APPLICATION)
    app.setApplicationDisplayName(APP_NAME)
    install_translator(app)
    install_icon(app)
    return app


def open_for_gui(path: Path, parent=None, *, defer_page_check: bool = False) -> bool:
    """Open `path` as this window's database (write lock, checks, migration with backup, the day's backup)
    and explain any refusal in Chinese. A damaged file is never changed: when a good backup exists the clerk
    may restore it (the damaged file's bytes are kept in the backups folder) or quit. Warnings (a database on
    a network share …) are shown once. Returns whether the database is open. With `defer_page_check` a big
    file's pages are read after the window is shown (`check_pages_later`)."""
    try:
        warnings = safety.start(path, defer_page_check=defer_page_check)
    except DatabaseLockedError as exc:
        prompts.error(parent, f"{exc}\n\n本窗口将关闭,数据库未被改动。", "数据库正在使用中")
        return False
    except DatabaseFileError as exc:
        if exc.backup is None:
            prompts.error(parent, f"{exc}\n\n没有找到可用于恢复的备份。该文件未被修改;"
                                  "请把它交给技术支持人员检查,或用 --db 打开另一个数据库文件。", "无法打开数据库")
            return False
        try:
            info = describe(exc.backup)
            about = f"{info.time:%Y-%m-%d %H:%M}({info.reason_label};{info.summary()})"
        except (OSError, AppError):
            about = ""
        choice = prompts.buttons(parent, f"{exc}\n\n可以从最近一份完好的备份恢复:{about}\n"
                                         f"备份文件:{exc.backup.name}(在“{exc.backup.parent}”中)\n\n"
                                         "恢复时,出问题的数据库文件会原样另存到备份文件夹中(不会被删除或改动)。",
                                 "无法打开数据库", ["从备份恢复", "退出"])
        if choice != 0:
            return False
        try:
            result = safety.restore(exc.backup, path)
            warnings = safety.start(path)
        except AppError as again:
            prompts.error(parent, f"恢复未成功:{again}", "无法打开数据库")
            return False
        kept = f"\n出问题的原文件已另存为:{result.kept_damaged}" if result.kept_damaged else ""
        prompts.info(parent, f"已从备份恢复数据库({about or exc.backup.name})。{kept}", "已恢复")
    except AppError as exc:
        prompts.error(parent, str(exc), "无法打开数据库")
        return False
    for warning in warnings:
        prompts.warning(parent, warning, "请注意")
    return True


PAGE_CHECK_AFTER_MS = 1000


def check_pages_later(window, path: Path) -> None:
    """The page check of a big file, on a worker with its own read-only connection while the clerk works (WAL:
    edits meanwhile are safe and the check reads one snapshot). Damage is explained as on opening, with the
    newest good backup offered; the file itself is never changed by the check."""
    def done(result):
        state, backup = result
        if state.ok:
            return
        if backup is None:
            prompts.error(window, f"{state.message}\n\n没有找到可用于恢复的备份。请不要继续录入,"
                                  "把该文件交给技术支持人员检查。", "数据库已损坏")
            return
        choice = prompts.buttons(window, f"{state.message}\n\n可以从最近一份完好的备份恢复:{backup.name}"
                                         f"(在“{backup.parent}”中)。恢复时,出问题的数据库文件会原样另存到备份文件夹中。",
                                 "数据库已损坏", ["从备份恢复", "稍后处理"])
        if choice != 0:
            return
        try:
            safety.restore(backup, path)
        except Exception as exc:  # noqa: BLE001 - explained, never a traceback
            prompts.error(window, f"恢复未成功:{tasks.explain(exc)}", "数据库已损坏")
            return
        window.reload_years()
        prompts.info(window, f"已从备份恢复数据库({backup.name})。", "已恢复")

    tasks.run_quietly(window, lambda progress, cancelled: safety.check_pages(path), on_done=done)


def install_excepthook() -> None:
    """Unexpected errors in slots (a bug, a database error no service turned into an AppError) go to
    `sys.excepthook`; in the windowed exe stderr is None, so the clerk would see nothing. Write the traceback
    to errors.log and tell the clerk in one Chinese sentence where it is."""
    previous = sys.excepthook
    busy = []  # re-entered while the message box is open (its event loop runs other slots): only log

    def hook(kind, exc, tb):
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, exc, tb)
            return
        if exc is None:
            exc = kind()
        if exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        log = crash_log.write_named(exc)
        if busy:
            return
        busy.append(True)
        try:
            prompts.error(QApplication.activeWindow(),
                          f"程序内部错误({kind.__name__}: {exc}),刚才的操作可能没有完成。"
                          f"详细信息已写入“{log}”,请将该文件发给技术支持人员。", "程序内部错误")
        except Exception:  # noqa: BLE001 - the hook itself must never raise
            pass
        finally:
            busy.clear()

    sys.excepthook = hook


def run_gui(db_path: Path | None) -> int:
    """Open the main window on `db_path` (None: the default per-user database); returns the exit status."""
    app_mutex.hold()  # Windows: the installer's AppMutex, so setup/uninstall ask to close the program first
    app = make_app()
    install_excepthook()
    path = Path(db_path) if db_path else paths.default_database()
    if not open_for_gui(path, defer_page_check=True):
        return 1
    try:
        # lazy: start-up (the window's modules load only once the database is open)
        from safetymonth_desktop.ui.main_window import MainWindow

        window = MainWindow(path)
        tasks.hold_quiet_work_until_painted(window)  # the window first, then the workers filling in its details
        window.show()
        if safety.page_check_pending() is not None:
            from PySide6.QtCore import QTimer

            # Once the window has painted and settled: the check reads the whole file on the second core.
            QTimer.singleShot(PAGE_CHECK_AFTER_MS, lambda: check_pages_later(window, path))
        if window.campaign is None:  # a new database: start by creating the year
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, window.new_year)
        return app.exec()
    finally:
        tasks.stop_all()  # background figures or checks still running have no window to fill any more
        close_database()  # checkpoint the WAL and release the write lock for the next window or command
