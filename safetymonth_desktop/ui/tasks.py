"""Long work off the UI thread: `run_task(parent, fn, …)`.

`fn(progress, cancelled)` runs on a worker thread; it calls `progress(done, total)` now and then and
stops early when `cancelled()` is true. A progress dialog appears only when the work takes longer than
`SHOW_AFTER_MS`, so quick work shows nothing. The result goes to `on_done(result)` on the UI thread; an
`AppError` comes back as its Chinese message, anything else as a short Chinese explanation naming
errors.log, where its traceback was written — never a traceback on screen. Tests call
`use(InlineRunner())` so the work runs at once on the calling thread.

`run_quietly(parent, fn, …)` is for work the clerk did not ask for and need not wait for (the figures, the
checklist and the charts of the overview, the integrity check of a big file after start-up): no dialog, no
cancel button; the worker thread reads through its own database connection (peewee keeps one per thread) and
the result fills in on the UI thread when it is ready. While the window is first shown (`hold_quiet_work_until_painted`)
such work waits for its first paint: a worker started then would take turns with the UI thread (Python's GIL)
while the window is still being built and painted.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QEvent, QObject, QRunnable, QThreadPool, QTimer, Qt, Signal
from PySide6.QtWidgets import QMainWindow, QProgressDialog, QWidget

from safetymonth_desktop.base import errors, failures
from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.services import crash_log
from safetymonth_desktop.ui import prompts
from safetymonth_desktop.ui.qt_compat import emit
from safetymonth_desktop.db.connection import current_path, database

SHOW_AFTER_MS = 500


# A task that stopped because `cancelled()` was true raises this (any AppError with `is_cancel` counts too).
Cancelled = errors.Cancelled


def explain(exc: BaseException) -> str:
    """The Chinese message shown for a failure."""
    if isinstance(exc, AppError):
        return str(exc)
    refusal = _machine_failure(exc)
    if refusal is not None:  # a full disk, a read-only database …: what to do, not "internal error"
        return str(refusal)
    if isinstance(exc, MemoryError):
        return "内存不足,操作未完成。请关闭其他程序后重试。"
    if isinstance(exc, OSError):
        return f"文件操作失败:{exc.strerror or exc}。请检查文件是否被其他程序占用、磁盘是否已满。"
    log = getattr(exc, "crash_log", None)
    where = f"详细信息已写入“{log}”,请将该文件发给技术支持人员。" if log else "请将此信息告知技术支持。"
    return f"操作未完成:程序内部错误({type(exc).__name__}: {exc})。数据库未被改动一半;{where}"


def record_failure(exc: BaseException) -> None:
    """Write an unexpected failure (not an AppError) to errors.log and remember the log on the exception,
    so `explain` can name it (the windowed exe has no console to print to)."""
    if isinstance(exc, AppError) or _machine_failure(exc) is not None:
        return
    try:
        exc.crash_log = crash_log.write_named(exc)
    except Exception:  # noqa: BLE001 - logging must not hide the failure itself
        pass


def _machine_failure(exc: BaseException):
    """The Chinese refusal for a failure of the machine (base/failures.py), or None."""
    return failures.explain(exc, current_path())


class _Signals(QObject):
    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn, signals: _Signals, cancel: threading.Event):
        super().__init__()
        self.fn, self.signals, self.cancel = fn, signals, cancel
        self.setAutoDelete(True)

    def run(self):
        try:
            result = self.fn(lambda done, total: _tell(self.signals.progress, int(done), int(total)), self.cancel.is_set)
        except BaseException as exc:  # noqa: BLE001 - every failure becomes a message
            if not _stopping.is_set():
                record_failure(exc)
            _tell(self.signals.failed, exc)
        else:
            _tell(self.signals.done, result)
        finally:
            _close_thread_connection()


def _tell(signal, *args) -> None:
    """Emit to the UI thread; a receiver deleted meanwhile (the window closed while the work ran) is nobody to tell."""
    try:
        emit(signal, *args)
    except RuntimeError:
        pass


# The sqlite3 connections of worker threads running a quiet job (thread id → connection): `stop_all`
# interrupts their queries at exit.
_running: dict = {}
_stopping = threading.Event()


def _interruptible(fn):
    """`fn` run with this worker thread's own database connection registered, so that `stop_all` can interrupt
    its queries (a quiet job reads the database; its connection is opened here rather than by its first query)."""
    def job(progress, cancelled):
        key = threading.get_ident()
        try:
            if database.obj is not None:
                _running[key] = database.connection()
        except Exception:  # noqa: BLE001 - no database: the job itself will say so
            pass
        try:
            return fn(progress, cancelled)
        finally:
            _running.pop(key, None)

    return job


def stop_all(timeout_ms: int = 10000) -> bool:
    """Before the application exits: drop queued jobs, interrupt the queries of running ones (their results
    would have nobody to go to) and wait for the threads; returns whether they all ended in time."""
    from PySide6.QtCore import QThreadPool

    _held["jobs"] = None  # held work that never started: nobody to go to either
    _stopping.set()
    pool = QThreadPool.globalInstance()
    pool.clear()
    for connection in list(_running.values()):
        try:
            connection.interrupt()
        except Exception:  # noqa: BLE001 - closed meanwhile
            pass
    ended = pool.waitForDone(timeout_ms)
    _stopping.clear()
    return ended


# Quiet jobs asked for while the window is first shown, started once it has painted (None: start at once).
_held: dict = {"jobs": None}
RELEASE_AT_THE_LATEST_MS = 1000


def hold_quiet_work_until_painted(window: QWidget) -> None:
    """Quiet work asked for from now on (the overview's checklist and charts, the first-day steps, figures to
    compute …) waits until `window` has painted for the first time (or RELEASE_AT_THE_LATEST_MS have passed),
    so the window appears first and its details fill in. Work asked for through `run_task` (the clerk waits for
    it) is never held."""
    if _held["jobs"] is not None:
        return
    _held["jobs"] = []
    watcher = _FirstPaint(window)
    window.installEventFilter(watcher)
    QTimer.singleShot(RELEASE_AT_THE_LATEST_MS, release_quiet_work)  # even if the window is gone meanwhile


def release_quiet_work() -> None:
    """Start the quiet work that was held (at once, in the order it was asked for); from now on none is held."""
    jobs, _held["jobs"] = _held["jobs"], None
    for start in jobs or ():
        start()


class _FirstPaint(QObject):
    """Releases the held quiet work on the next turn of the event loop after the window's first paint."""

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, release_quiet_work)
        return False


def _close_thread_connection() -> None:
    """peewee keeps one connection per thread: close the one this worker thread opened (an idle connection left
    on a pooled thread would hold the file open and keep the WAL from being checkpointed)."""
    if database.obj is not None and not database.is_closed():
        database.close()


class ThreadRunner:
    """Runs tasks on Qt's global thread pool with a delayed progress dialog (`run_quiet`: none)."""
    def run_quiet(self, parent, fn, *, on_done, on_error):
        """The task on the pool without any dialog (`run_quietly`)."""
        signals = _Signals(parent)

        def quiet_done(result):
            signals.deleteLater()
            on_done(result)

        def quiet_failed(exc):
            signals.deleteLater()
            on_error(exc)

        signals.done.connect(quiet_done)
        signals.failed.connect(quiet_failed)
        job = _Job(fn, signals, threading.Event())
        if _held["jobs"] is not None:  # the window is being shown: start once it has painted
            _held["jobs"].append(lambda: QThreadPool.globalInstance().start(job))
        else:
            QThreadPool.globalInstance().start(job)

    def run(self, parent, fn, *, title, on_done, on_error, cancellable):
        signals = _Signals(parent)
        cancel = threading.Event()
        # The dialog is made only when the timer fires: QProgressDialog shows itself as soon as setValue(minimum)
        # is called with a short minimumDuration, and a busy task's repeated progress(0, …) would keep restarting
        # its own timer — so this timer alone decides, and progress until then is only remembered.
        state = {"dialog": None, "progress": (0, 0), "finished": False}
        timer = QTimer(parent)
        timer.setSingleShot(True)

        def apply(dialog, done, total):
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total > 0 else 0)

        def show():
            if state["finished"]:
                return
            dialog = QProgressDialog(title, "取消" if cancellable else None, 0, 0, parent)
            dialog.setWindowTitle("请稍候")
            dialog.setWindowModality(Qt.WindowModal)
            dialog.setMinimumDuration(0)
            dialog.setAutoReset(False)
            dialog.setAutoClose(False)
            dialog.canceled.connect(cancel.set)
            state["dialog"] = dialog
            apply(dialog, *state["progress"])
            dialog.show()

        timer.timeout.connect(show)
        timer.start(SHOW_AFTER_MS)

        def progress(done, total):
            state["progress"] = (done, total)
            if state["dialog"] is not None:
                apply(state["dialog"], done, total)

        def finish():
            state["finished"] = True
            timer.stop()
            timer.deleteLater()
            dialog = state["dialog"]
            if dialog is not None:
                dialog.reset()  # also stops the dialog's own show timer
                dialog.hide()
                dialog.deleteLater()
            signals.deleteLater()

        def done(result):
            finish()
            on_done(result)

        def failed(exc):
            finish()
            on_error(exc)

        signals.progress.connect(progress)
        signals.done.connect(done)
        signals.failed.connect(failed)
        QThreadPool.globalInstance().start(_Job(fn, signals, cancel))


class InlineRunner:
    """Runs the task at once on the calling thread (tests, and work that must not be concurrent)."""
    def __init__(self):
        self.progress_calls: list[tuple[int, int]] = []

    def run_quiet(self, parent, fn, *, on_done, on_error):
        self.run(parent, fn, title="", on_done=on_done, on_error=on_error, cancellable=False)

    def run(self, parent, fn, *, title, on_done, on_error, cancellable):
        try:
            result = fn(lambda d, t: self.progress_calls.append((d, t)), lambda: False)
        except BaseException as exc:  # noqa: BLE001
            record_failure(exc)
            on_error(exc)
        else:
            on_done(result)


_runner = ThreadRunner()


def use(runner):
    """Replace the runner (tests); returns the previous one."""
    global _runner
    previous, _runner = _runner, runner
    return previous


def run_task(parent, fn, *, title: str = "正在处理…", on_done=None, on_error=None, cancellable: bool = True) -> None:
    """Run `fn(progress, cancelled)` in the background; `on_done(result)` / `on_error(exc)` on the UI thread.
    Without `on_error`, the failure is shown as a Chinese message (a cancel shows nothing)."""
    def default_error(exc):
        if not getattr(exc, "is_cancel", False):
            prompts.error(parent, explain(exc))

    _runner.run(parent, fn, title=title, on_done=on_done or (lambda result: None),
                on_error=on_error or default_error, cancellable=cancellable)


def run_quietly(parent, fn, *, on_done, on_error=None) -> None:
    """Run `fn(progress, cancelled)` on a worker without any dialog; `on_done(result)` on the UI thread. A failure
    goes to `on_error(exc)`, or by default to errors.log (when unexpected) and the window's status bar."""
    def default_error(exc):
        window = QWidget.window(parent) if isinstance(parent, QWidget) else None  # (a tab may shadow .window)
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(explain(exc), 15000)

    quiet = getattr(_runner, "run_quiet", None)
    if quiet is not None:
        quiet(parent, _interruptible(fn), on_done=on_done, on_error=on_error or default_error)
    else:  # a runner of a test that knows only run()
        _runner.run(parent, fn, title="", on_done=on_done, on_error=on_error or default_error, cancellable=False)
