"""The window is shown and usable before any figure is computed: with a stale figure cache the overview and the
tables' totals say "计算中", the UI thread runs no indicator query, and the worker's results fill them in — the
same values SQL gives. With a current cache the figures are there at once and no worker is needed for them."""

from __future__ import annotations

import threading

from safetymonth_desktop.services import figure_cache, indicators, report_settings
from safetymonth_desktop.ui import tasks
from tests.ui.test_overview import card, two_years  # noqa: F401  (fixture)


class DeferredRunner:
    """Keeps every task until `run_all()`: what a busy worker looks like to the window meanwhile."""

    def __init__(self):
        self.jobs = []

    def run(self, parent, fn, *, title, on_done, on_error, cancellable):
        self.jobs.append((fn, on_done, on_error))

    def run_all(self):
        while self.jobs:
            fn, on_done, on_error = self.jobs.pop(0)
            try:
                result = fn(lambda d, t: None, lambda: False)
            except BaseException as exc:  # noqa: BLE001
                on_error(exc)
            else:
                on_done(result)


def test_window_shows_with_a_stale_cache_and_fills_in(two_years, make_window, monkeypatch):
    y20, y21, a, b = two_years
    figure_cache.clear()
    main = threading.current_thread()
    on_ui_thread = []
    real = indicators.Indicator.compute

    def watched(self, *args, **kwargs):
        if threading.current_thread() is main and kwargs.get("execute") is None:
            on_ui_thread.append(self.key)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(indicators.Indicator, "compute", watched)
    runner = DeferredRunner()
    previous = tasks.use(runner)
    try:
        window = make_window()
        assert window.campaign.year == 2021
        assert window.overview.cards == [] and runner.jobs  # figures asked of a worker, not computed here
        hazards = window.record_tab("隐患整治").tables[0]
        assert "正在计算" in hazards.totals_text()
        assert on_ui_thread == []
        monkeypatch.setattr(indicators.Indicator, "compute", real)
        runner.run_all()
    finally:
        tasks.use(previous)
    fresh = indicators.fresh_all(y21)
    assert card(window, "training.participants").figure.value == fresh["training.participants"] == 300
    assert card(window, "training.participants").figure.previous == 200
    assert "正在计算" not in hazards.totals_text() and "已整改隐患" in hazards.totals_text()
    assert window.overview.check_rows or window.overview.checks == []
    # kept for the next start, dated as the window dates them: like the year's summary (a past year: 7月10日)
    assert indicators.cached_all(y21, today=report_settings.report_date(y21).date) == fresh


def test_with_a_current_cache_the_figures_are_there_at_once(two_years, make_window):
    y20, y21, a, b = two_years
    for year in (y21, y20):  # as an earlier session left them: dated like each year's summary
        indicators.compute_all(year, today=report_settings.report_date(year).date)
    runner = DeferredRunner()
    previous = tasks.use(runner)
    try:
        window = make_window()
        assert card(window, "training.participants").figure.value == 300
        hazards = window.record_tab("隐患整治").tables[0]
        assert "已整改隐患" in hazards.totals_text()
        # Only the checklist and the charts, and the first-day steps (which run the checks too), went to the worker.
        assert sorted(job[1].__qualname__.split(".")[0] for job in runner.jobs) == ["FirstDayPanel", "OverviewTab"]
        runner.run_all()
    finally:
        tasks.use(previous)
    assert window.overview.chart_views or window.overview.specs


def test_a_failing_background_task_says_so_in_the_status_bar(two_years, make_window):
    window = make_window()

    def broken(progress, cancelled):
        raise OSError(28, "No space left on device")

    tasks.run_quietly(window.overview, broken, on_done=lambda result: None)
    assert "文件操作失败" in window.statusBar().currentMessage() or "磁盘" in window.statusBar().currentMessage()
