"""The whole indicator catalogue on a year of 100 000 records against the same catalogue on an empty year
(the floor: query planning and Python overhead), in one run. Target: ≤ 2×, and < 0.2 s absolute."""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.common import median_seconds
from benchmarks.datagen import fill_year
from safetymonth_desktop.db.connection import close_database, open_database
from safetymonth_desktop.services import campaigns, indicators


def run(records: int = 100_000) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        open_database(Path(tmp) / "bench.sqlite")
        full = fill_year(2021, records)
        empty = campaigns.save(2022)[0]
        indicators.compute_all(full)  # warm the page cache: the clerk's database is on a local disk
        floor = median_seconds(lambda: indicators.compute_all(empty))
        ours = median_seconds(lambda: indicators.compute_all(full))
        close_database()
    return {"name": "indicators", "what": f"whole catalogue, {records} records vs empty year",
            "floor_s": round(floor, 4), "ours_s": round(ours, 4), "ratio": round(ours / floor, 2), "target": "≤ 2× and < 0.2 s",
            "ok": ours / floor <= 2 and ours < 0.2}


if __name__ == "__main__":
    print(run())
