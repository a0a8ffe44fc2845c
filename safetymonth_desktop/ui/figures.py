"""The year's figures for every view of the window, never computed on the UI thread.

`feed().values(campaign_id)` returns the indicator catalogue's values when they are known for the data as it
is now (the figure cache in the database, or what this feed computed since the last write) and otherwise None,
after asking a worker (ui/tasks.run_quietly, its own read connection) to compute them; `ready(campaign_id)` is
emitted on the UI thread when they arrive, and the views that showed "计算中" ask again. The values are then
stored in the cache by the UI thread, the database's one writer.
"""

from __future__ import annotations

import datetime as dt
import itertools

from PySide6.QtCore import QObject, Signal

from safetymonth_desktop.db.connection import database
from safetymonth_desktop.services import figure_cache, indicators
from safetymonth_desktop.ui import tasks
from safetymonth_desktop.ui.qt_compat import emit


class FigureFeed(QObject):
    ready = Signal(int)  # a campaign id whose figures have just been computed

    def __init__(self, parent=None):
        super().__init__(parent)
        # computed here, for a file this process may not write: (campaign, date) → ((opening, stamp), values)
        self._known: dict[tuple[int, dt.date], tuple[tuple, dict]] = {}
        self._asked: set[tuple] = set()

    def values(self, campaign_id: int, *, today: dt.date | None = None) -> dict | None:
        """The figures of the data as it is now, or None while a worker computes them. Dated like every figure
        (indicators.as_of: the year's 成文日期), so the overdue count under the ledger is the one the overview's
        check and the summary give."""
        as_of = indicators.as_of(campaign_id, today)
        found = self._current(campaign_id, as_of)
        if found is not None:
            return found
        self._ask(campaign_id, as_of)
        return self._current(campaign_id, as_of)  # an inline runner (tests) has them already

    def _current(self, campaign_id: int, as_of: dt.date) -> dict | None:
        now = figure_cache.stamp()
        cached = indicators.cached_all(campaign_id, today=as_of)
        if cached is not None:
            return cached
        known = self._known.get((campaign_id, as_of))
        return known[1] if known is not None and known[0] == (_opened(), now) else None

    def _ask(self, campaign_id: int, as_of: dt.date) -> None:
        ticket = (campaign_id, as_of, _opened(), repr(figure_cache.stamp()))
        if ticket in self._asked:
            return  # already on its way
        self._asked.add(ticket)

        def work(progress, cancelled):
            return indicators.snapshot(campaign_id, today=as_of)

        def done(result):
            self._asked.discard(ticket)
            if _opened() != ticket[2]:
                return  # another file (or a restored one) was opened meanwhile: these figures are not its
            under, values, cached = result
            if not cached:
                indicators.keep(campaign_id, under, values, today=as_of)
            self._known[(campaign_id, as_of)] = ((ticket[2], under), values)
            emit(self.ready, campaign_id)

        def failed(exc):
            self._asked.discard(ticket)
            tasks.record_failure(exc)

        tasks.run_quietly(self, work, on_done=done, on_error=failed)

    def forget(self) -> None:
        """Another database was opened: nothing computed for the previous one applies."""
        self._known.clear()
        self._asked.clear()


_openings = itertools.count(1)


def _opened() -> int:
    """Which opening of a database this is: a restore or another file makes a new connection object, which gets a
    number of its own (an id() could be a closed one's again)."""
    db = database.obj
    token = getattr(db, "_figure_feed_opening", None)
    if token is None:
        token = next(_openings)
        try:
            db._figure_feed_opening = token
        except AttributeError:  # no database open
            return 0
    return token


_feed: FigureFeed | None = None


def feed() -> FigureFeed:
    global _feed
    if _feed is None:
        _feed = FigureFeed()
    return _feed
