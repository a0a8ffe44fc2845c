"""How the cost of an export grows with the year: the same work on 100 000 and on 1 000 000 records, one database
each; the ratio of the two times is the growth factor (10× is linear). Used by bench_report and bench_stats."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

SMALL, LARGE = 100_000, 1_000_000


def growth(name: str, what: str, work, *, small: int = SMALL, large: int = LARGE) -> dict:
    """`work(campaign, folder)` timed on a year of `small` records (its second call: imports and template warm) and
    of `large` records (once: the rows just written are in the OS file cache); target: grows no worse than
    linearly (ratio ≤ large / small)."""
    from benchmarks.common import result
    from benchmarks.datagen import fill_year
    from safetymonth_desktop.db.connection import close_database, open_database
    from safetymonth_desktop.services import indicators

    seconds, cpu = {}, {}
    for records in (small, large):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            open_database(tmp / "scale.sqlite")
            try:
                campaign = fill_year(2021, records)
                indicators.compute_all(campaign)  # as a session leaves it: the figures in the cache
                if records == small:
                    work(campaign, tmp)  # imports, template, page cache
                t0, cpu0 = time.perf_counter(), time.process_time()
                work(campaign, tmp)
                seconds[records] = time.perf_counter() - t0
                cpu[records] = time.process_time() - cpu0  # processor time: what a loaded machine does not blur
            finally:
                close_database()
    factor = seconds[large] / seconds[small]
    cpu_factor = cpu[large] / cpu[small] if cpu[small] else float("inf")
    return result(name, f"{what}: {large} records vs {small} (growth factor {factor:.1f}×, of processor time "
                  f"{cpu_factor:.1f}×; linear is {large // small}×)", seconds[small], seconds[large],
                  max_ratio=large / small, cpu_s=[round(cpu[small], 3), round(cpu[large], 3)])
