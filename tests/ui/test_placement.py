"""The main window fits the screen: the default size is clamped to the available area (1280×720 logical on a
1920×1080 laptop at 150 %) and centred; a remembered place is used only while it lies on a present screen."""

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QRect, QSize

from safetymonth_desktop.ui import placement, settings

SCREEN_720 = QRect(0, 0, 1280, 720)


def test_the_default_is_clamped_to_a_small_screen_and_centred():
    rect = placement.default_rect(QSize(1300, 680), SCREEN_720)
    framed = rect.marginsAdded(placement.FRAME)
    assert SCREEN_720.contains(framed)
    assert rect.width() == 1280 - 16 and rect.height() == 680
    assert abs(framed.center().x() - SCREEN_720.center().x()) <= 1
    big = QRect(0, 0, 1920, 1040)
    assert placement.default_rect(QSize(1300, 680), big).size() == QSize(1300, 680)


def test_a_remembered_place_counts_only_on_a_present_screen():
    two = [QRect(0, 0, 1920, 1040), QRect(1920, 0, 1920, 1040)]
    on_second = QRect(2100, 100, 1200, 700)
    assert placement.area_holding(on_second, two) == two[1]
    assert placement.area_holding(on_second, two[:1]) is None  # that monitor is unplugged
    assert placement.area_holding(QRect(100, -500, 1200, 700), two) is None  # title bar above the screen
    assert placement.area_holding(QRect(1900, 100, 1200, 700), two[:1]) is None  # only a sliver shows
    fitted = placement.fitted(QRect(600, 300, 1600, 900), SCREEN_720)
    assert SCREEN_720.contains(fitted.marginsAdded(placement.FRAME))


def test_a_window_remembered_on_an_absent_screen_opens_centred_on_this_one(db, make_window):
    window = make_window()
    window.close()
    settings.remember_window_rect(QRect(3000, 200, 700, 500))  # on a second monitor, gone since
    again = make_window()
    area = again.screen().availableGeometry()
    assert area.contains(again.geometry())
    assert abs(again.geometry().center().x() - area.center().x()) <= placement.FRAME.left() + 1


def test_a_window_remembered_on_this_screen_keeps_its_place(db, make_window):
    window = make_window()
    window.setGeometry(QRect(40, 60, 700, 450))
    window.close()
    again = make_window()
    assert again.geometry() == QRect(40, 60, 700, 450)


CHECK = """
import os, sys
from safetymonth_desktop.db.connection import open_database
open_database(sys.argv[1])
from PySide6.QtCore import QSettings
QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, sys.argv[2])
from safetymonth_desktop.ui.app import make_app
app = make_app()
from safetymonth_desktop.ui.main_window import MainWindow
w = MainWindow(); w.show(); app.processEvents()
area = w.screen().availableGeometry()
frame = w.frameGeometry()
print(area.width(), area.height(), frame.x(), frame.y(), frame.width(), frame.height(), w.width(), w.height())
sys.exit(0 if area.contains(frame) else 1)
"""


@pytest.mark.parametrize("width, height, scale", [(1280, 720, "1"), (1920, 1080, "1.5"), (1366, 768, "1")])
def test_the_window_fits_the_screen_at_start(tmp_path, width, height, scale):
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"windowFrameMargins": True, "screens": [
        {"name": "S", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96, "logicalBaseDpi": 96,
         "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "QT_SCALE_FACTOR": scale,
           "SAFETYMONTH_HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, "-c", CHECK, str(tmp_path / "x.sqlite"), str(tmp_path / "qs")],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    area_w, area_h, x, y, fw, fh, w, h = map(int, result.stdout.split()[-8:])
    assert (area_w, area_h) == (round(width / float(scale)), round(height / float(scale)))
    assert w <= area_w and h <= area_h
