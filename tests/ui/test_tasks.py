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
