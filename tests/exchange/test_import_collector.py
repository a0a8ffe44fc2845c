"""The import pauses Python's cycle collector while it reads, checks and writes a workbook
(`collector.cycle_collection_paused`), and always switches it back on afterwards: after an import, a refused
file, an error inside, and only when the last of overlapping imports ends; a collector that was off stays off."""

from __future__ import annotations

import gc
import threading

import pytest

from safetymonth_desktop.db import models as m
from safetymonth_desktop.base import collector
from safetymonth_desktop.exchange import xlsx_import
from safetymonth_desktop.services import imports
from tests.exchange.test_xlsx_import import HAZARD_HEADERS, units_ready, write_book  # noqa: F401 (fixture)

GOOD = ["城关街道", "某厂", "燃气", "2021-6-3", "管道老化", "待整改", None, 500, "一般", None, None]


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_while_importing_and_on_again_after(units_ready, tmp_path, monkeypatch, collector_on):
    seen = []
    real = imports.write
    monkeypatch.setattr(imports, "write", lambda plan: (seen.append(gc.isenabled()), real(plan))[1])
    path = tmp_path / "good.xlsx"
    write_book(path, {"隐患台账": [HAZARD_HEADERS, GOOD]})
    [result] = xlsx_import.import_files([path], 2021, backup=False)
    assert result.status == xlsx_import.IMPORTED and m.Hazard.select().count() == 1
    assert seen == [False]
    assert gc.isenabled()


def test_on_again_after_a_refused_file_and_after_an_error_inside(units_ready, tmp_path, monkeypatch, collector_on):
    bad = tmp_path / "bad.xlsx"
    write_book(bad, {"隐患台账": [HAZARD_HEADERS, ["城关街道", "某厂", "燃气", "不是日期", *GOOD[4:]]]})
    [result] = xlsx_import.import_files([bad], 2021, backup=False)
    assert result.status == xlsx_import.REFUSED and gc.isenabled()

    def broken(plan):
        assert not gc.isenabled()
        raise RuntimeError("disk gone")

    monkeypatch.setattr(imports, "write", broken)
    good = tmp_path / "good.xlsx"
    write_book(good, {"隐患台账": [HAZARD_HEADERS, GOOD]})
    with pytest.raises(RuntimeError):
        xlsx_import.import_files([good], 2021, backup=False)
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off(units_ready, tmp_path, collector_on):
    path = tmp_path / "good.xlsx"
    write_book(path, {"隐患台账": [HAZARD_HEADERS, GOOD]})
    gc.disable()
    xlsx_import.import_files([path], 2021, backup=False)
    assert not gc.isenabled()


def test_overlapping_imports_switch_it_on_when_the_last_one_ends(collector_on):
    first_in, second_done, first_may_end = threading.Event(), threading.Event(), threading.Event()
    states = {}

    def first():
        with collector.cycle_collection_paused():
            first_in.set()
            first_may_end.wait(10)
        states["after first"] = gc.isenabled()

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(10)
    with collector.cycle_collection_paused():
        states["inside both"] = gc.isenabled()
    states["second ended, first running"] = gc.isenabled()
    second_done.set()
    first_may_end.set()
    thread.join(10)
    assert states == {"inside both": False, "second ended, first running": False, "after first": True}
