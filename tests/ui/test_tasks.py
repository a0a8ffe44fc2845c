"""Background tasks (ui/tasks.py): what a worker thread leaves behind."""


def test_a_worker_thread_closes_its_database_connection(db, qtbot):
    """peewee opens one connection per thread; a pooled worker must not keep its own open after the task."""
    import sqlite3
    import threading

    from safetymonth_desktop.db.connection import database
    from safetymonth_desktop.db.models import Campaign
    from safetymonth_desktop.ui import tasks

    seen = {}

    def work(progress, cancelled):
        Campaign.select().count()  # opens this worker thread's own connection
        seen["thread"] = threading.current_thread()
        seen["connection"] = database.connection()
        return "ok"

    results = []
    tasks.ThreadRunner().run(None, work, title="测试", on_done=results.append, on_error=results.append,
                             cancellable=False)
    qtbot.waitUntil(lambda: results == ["ok"], timeout=5000)
    qtbot.waitUntil(lambda: _closed(seen["connection"], sqlite3), timeout=5000)
    assert seen["thread"] is not threading.main_thread()
    assert Campaign.select().count() == 0  # the main thread's own connection is untouched


def _closed(connection, sqlite3) -> bool:
    try:
        connection.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return True
    return False


class _ShowWatcher:
    """Counts every QProgressDialog that is shown (an application-wide event filter)."""

    def __init__(self, qapp):
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QProgressDialog

        watcher = self

        class Filter(QObject):
            def eventFilter(self, obj, event):
                if event.type() == QEvent.Show and isinstance(obj, QProgressDialog):
                    watcher.shown += 1
                return False

        self.shown = 0
        self.filter = Filter()
        qapp.installEventFilter(self.filter)
        self.qapp = qapp

    def remove(self):
        self.qapp.removeEventFilter(self.filter)


def _visible_progress_dialogs():
    from PySide6.QtWidgets import QApplication, QProgressDialog

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


def test_a_quick_task_never_shows_the_progress_dialog(qapp, qtbot):
    """A task reporting progress and done in 50 ms finishes before SHOW_AFTER_MS: nothing flashes on screen."""
    import time

    from safetymonth_desktop.ui import tasks

    def work(progress, cancelled):
        progress(0, 10)
        time.sleep(0.05)
        progress(10, 10)
        return "ok"

    watcher = _ShowWatcher(qapp)
    try:
        results = []
        tasks.ThreadRunner().run(None, work, title="测试", on_done=results.append, on_error=results.append,
                                 cancellable=True)
        qtbot.waitUntil(lambda: results == ["ok"], timeout=5000)
        qtbot.wait(tasks.SHOW_AFTER_MS + 300)  # long past the moment the dialog would have appeared
        assert watcher.shown == 0
        assert _visible_progress_dialogs() == []
    finally:
        watcher.remove()


def test_a_long_task_shows_the_progress_dialog_and_hides_it_when_done(qapp, qtbot):
    import threading

    from safetymonth_desktop.ui import tasks

    release = threading.Event()

    def work(progress, cancelled):
        progress(0, 0)  # busy mode, reported again and again
        for _ in range(100):
            if release.wait(0.01):
                break
            progress(0, 0)
        release.wait(5)
        return "ok"

    watcher = _ShowWatcher(qapp)
    try:
        results = []
        tasks.ThreadRunner().run(None, work, title="测试", on_done=results.append, on_error=results.append,
                                 cancellable=True)
        qtbot.waitUntil(lambda: len(_visible_progress_dialogs()) == 1, timeout=5000)
        assert _visible_progress_dialogs()[0].labelText() == "测试"
        release.set()
        qtbot.waitUntil(lambda: results == ["ok"], timeout=5000)
        assert _visible_progress_dialogs() == []
        assert watcher.shown >= 1
    finally:
        release.set()
        watcher.remove()


def test_quiet_work_asked_for_while_the_window_is_first_shown_starts_after_its_first_paint(qapp, qtbot):
    """The overview's checklist, the first-day steps … wait for the window's first paint instead of taking turns
    with the UI thread while it is built; work the clerk waits for (run_task) is never held."""
    from PySide6.QtWidgets import QLabel, QMainWindow

    from safetymonth_desktop.ui import tasks

    window = QMainWindow()
    window.setCentralWidget(QLabel("概览"))
    qtbot.addWidget(window)
    ran, quiet, asked = [], [], []
    tasks.hold_quiet_work_until_painted(window)
    try:
        tasks.ThreadRunner().run_quiet(window, lambda progress, cancelled: ran.append("quiet") or 1,
                                       on_done=quiet.append, on_error=quiet.append)
        tasks.ThreadRunner().run(window, lambda progress, cancelled: 2, title="测试", on_done=asked.append,
                                 on_error=asked.append, cancellable=False)
        qtbot.waitUntil(lambda: asked == [2])
        assert ran == [] and quiet == []  # not started: the window has not painted yet
        window.show()
        qtbot.waitUntil(lambda: quiet == [1])
        assert ran == ["quiet"]
        tasks.ThreadRunner().run_quiet(window, lambda progress, cancelled: 3, on_done=quiet.append,
                                       on_error=quiet.append)
        qtbot.waitUntil(lambda: quiet == [1, 3])  # once released, nothing is held any more
    finally:
        tasks.release_quiet_work()
