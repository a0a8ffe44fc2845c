"""The child process of the GUI benchmarks (each run is a fresh interpreter, offscreen). Prints one JSON line.

    python benchmarks/gui_probe.py bare                 a bare QMainWindow with five empty tabs (the floor)
    python benchmarks/gui_probe.py app DB               the application itself: cli.main(["--db", DB])
    python benchmarks/gui_probe.py table DB             open the hazard tab over DB and jump to its last row

`bare` and `app` start the same way and report the wall-clock time (time.time(), comparable with the
parent's) at which the main window has been shown and its first events processed; then they quit.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def rss_mb() -> float:
    """Resident memory now (Linux /proc; the benchmark machine)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def quit_when_shown(extra=None) -> None:
    """Make QApplication.exec() report the moment the first top-level window is shown, then quit."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    original = QApplication.exec  # static in PySide6

    def exec_(*_):
        app = QApplication.instance()

        def shown():
            app.processEvents()  # the show, layout and first paint of what is already on screen
            windows = [w for w in app.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
            print(json.dumps({"shown": time.time(), "windows": len(windows),
                              **(extra(windows[0]) if extra and windows else {})}, ensure_ascii=False), flush=True)
            app.quit()

        QTimer.singleShot(0, shown)
        return original()

    QApplication.exec = exec_


def bare() -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget, QWidget

    quit_when_shown()
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    tabs = QTabWidget()
    for title in ("组织领导", "培训", "宣传", "隐患整治", "督查"):
        tabs.addTab(QWidget(), title)
    window.setCentralWidget(tabs)
    window.resize(1300, 680)
    window.show()
    return app.exec()


def app(db: str) -> int:
    from safetymonth_desktop.cli import main
    # The GUI's module before the probe's own Qt imports, in the program's order (`safetymonth` with no command
    # imports ui/app.py, which loads the database layer and the services before Qt).
    import safetymonth_desktop.ui.app  # noqa: F401

    def seen(window):
        from PySide6.QtWidgets import QTabWidget

        tabs = window.findChild(QTabWidget, "main_tabs")
        return {"title": window.windowTitle(), "tabs": [tabs.tabText(i) for i in range(tabs.count())] if tabs else []}

    quit_when_shown(seen)
    return main(["--db", db])


def table(db: str) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from safetymonth_desktop.db import models as m
    from safetymonth_desktop.db.connection import open_database
    from safetymonth_desktop.ui.app import make_app
    from safetymonth_desktop.ui.main_window import MainWindow

    app_ = make_app()
    open_database(Path(db))
    import safetymonth_desktop.ui.main_window  # noqa: F401  (imports are not part of opening a tab)
    import safetymonth_desktop.ui.record_table  # noqa: F401  (the record tables load with the first tab shown)

    before = rss_mb()
    c0 = time.process_time()  # CPU time too (all threads): steadier than the wall clock on a shared machine
    t0 = time.perf_counter()
    window = MainWindow(Path(db))
    window.show()
    tab = window.show_records(m.Hazard)
    QApplication.processEvents()
    opened = time.perf_counter() - t0
    opened_cpu = time.process_time() - c0
    model = tab.table_model
    c1 = time.process_time()
    t1 = time.perf_counter()
    tab.view.setFocus()
    tab.view.scrollToBottom()
    last = model.rowCount() - 1
    tab.view.setCurrentIndex(model.index(last, 0))
    QApplication.processEvents()
    last_text = model.data(model.index(last, 1), Qt.DisplayRole)
    jumped = time.perf_counter() - t1
    jumped_cpu = time.process_time() - c1
    after = rss_mb()
    # Back to the top and down again: what is held stays bounded.
    tab.view.scrollToTop()
    QApplication.processEvents()
    tab.view.scrollToBottom()
    QApplication.processEvents()
    again = rss_mb()
    print(json.dumps({"open_s": opened, "jump_s": jumped, "open_cpu_s": opened_cpu, "jump_cpu_s": jumped_cpu, "rss_before_mb": before, "rss_after_mb": after,
                      "rss_after_more_scrolling_mb": again, "rows": model.rowCount(), "total": model.total,
                      "last_row": last, "last_text": last_text}, ensure_ascii=False), flush=True)
    window.close()
    app_.quit()
    return 0


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "bare":
        sys.exit(bare())
    if mode == "app":
        sys.exit(app(sys.argv[2]))
    sys.exit(table(sys.argv[2]))
