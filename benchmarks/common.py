"""What every benchmark shares: timing (median of repeats), a scratch database, and the result record."""

from __future__ import annotations

import contextlib
import statistics
import tempfile
import time
from pathlib import Path


def median_seconds(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@contextlib.contextmanager
def scratch_database():
    """A fresh database in a temporary folder, open for the duration; yields the folder."""
    from safetymonth_desktop.db.connection import close_database, open_database

    with tempfile.TemporaryDirectory() as tmp:
        open_database(Path(tmp) / "bench.sqlite")
        try:
            yield Path(tmp)
        finally:
            close_database()


def result(name: str, what: str, floor: float, ours: float, *, max_ratio: float | None, max_seconds: float | None = None,
           **extra) -> dict:
    """The record run.py prints and writes: ratio against the floor and whether the target holds."""
    ratio = ours / floor if floor else float("inf")
    targets = []
    ok = True
    if max_ratio is not None:
        targets.append(f"≤ {max_ratio:g}×")
        ok = ok and ratio <= max_ratio
    if max_seconds is not None:
        targets.append(f"< {max_seconds:g} s")
        ok = ok and ours < max_seconds
    return {"name": name, "what": what, "floor_s": round(floor, 4), "ours_s": round(ours, 4),
            "ratio": round(ratio, 2), "target": " and ".join(targets), "ok": ok, **extra}
