"""What the window's start-up imports, and in which order (start-up time: benchmarks/bench_gui_startup.py)."""

from __future__ import annotations

import os
import subprocess
import sys

# Run in a fresh interpreter: ui/app.py as the program imports it, then the window opened on a database
# that has a backup.
# A meta-path finder that finds nothing records the order in which modules are first imported.
CODE = """
import os, sys
os.environ['QT_QPA_PLATFORM'] = 'offscreen'
order = []
class Record:
    @staticmethod
    def find_spec(name, path=None, target=None):
        order.append(name)
        return None
sys.meta_path.insert(0, Record)
import safetymonth_desktop.ui.app as app
from safetymonth_desktop.db.connection import close_database
from safetymonth_desktop.services import safety
safety.start({db!r})  # a new database and its first backup
close_database()
qt = app.make_app()
safety.start({db!r})  # opened again, as on the next day's start: its backups are listed
from safetymonth_desktop.ui.main_window import MainWindow
window = MainWindow(); window.show(); qt.processEvents()
first_qt = order.index('PySide6')
late = [m for m in {early} if m not in order[:first_qt]]
loaded = [m for m in {never} if m in sys.modules]
print('loaded after Qt:', late, 'loaded at all:', loaded)
sys.exit(1 if late or loaded else 0)
"""

# Imported before PySide6: once it is loaded, its import hook reads the source of every module imported after it.
EARLY = ("peewee", "safetymonth_desktop.db.models", "safetymonth_desktop.db.migrations",
         "safetymonth_desktop.services.safety", "safetymonth_desktop.services.campaigns",
         "safetymonth_desktop.services.overview", "safetymonth_desktop.services.first_steps")
# Not needed to show the window: playhouse.sqlite_ext (db/fields.AutoIncrementField), _strptime (backup names),
# ctypes (only a PySide6 with the emit defect, ui/qt_compat.py).
NEVER = ("playhouse.sqlite_ext", "_strptime", "ctypes")


def test_the_window_loads_the_layers_below_it_before_qt_and_nothing_it_does_not_need(tmp_path):
    code = CODE.format(db=str(tmp_path / "x.sqlite"), early=EARLY, never=NEVER)
    env = dict(os.environ, HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
               SAFETYMONTH_HOME=str(tmp_path / "data"))  # the window's settings stay in the test's folder
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
