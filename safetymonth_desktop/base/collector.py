"""Pausing Python's cycle collector around bulk work: an import, a package, a report. Such work makes hundreds of
thousands of lists, tuples and dicts at once, none of them in a reference cycle, and the collector's passes would
walk them again and again (0.3 s of processor time in a 100 000-row import, about 1 s of a 1 000 000-record
report). Reference counting still frees everything as usual."""

from __future__ import annotations

import contextlib
import gc
import threading

_collector = {"holders": 0, "was_enabled": False}
_collector_lock = threading.Lock()


@contextlib.contextmanager
def cycle_collection_paused():
    """The collector off for the duration; switched back on (if it was on before the first of them) when the last
    of overlapping pauses in the process ends, whatever way it ends."""
    with _collector_lock:
        if _collector["holders"] == 0:
            _collector["was_enabled"] = gc.isenabled()
            gc.disable()
        _collector["holders"] += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector["holders"] -= 1
            if _collector["holders"] == 0 and _collector["was_enabled"]:
                gc.enable()
