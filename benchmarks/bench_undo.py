"""Undo of a 100 000-row ledger import (the whole import as one change group, as 撤销 does it) and its redo,
through `history.revert_group`, on the real import of benchmarks/bench_import.py's workbook. No floor: the
target is absolute (< 3 s for the undo)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

MAX_SECONDS = 3.0


def run(rows: int = 100_000) -> dict:
    from benchmarks.bench_import import make_workbook
    from safetymonth_desktop.db import models as m
    from safetymonth_desktop.db.connection import close_database, open_database
    from safetymonth_desktop.exchange import xlsx_import
    from safetymonth_desktop.services import campaigns, history

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        book = tmp / "hazards.xlsx"
        make_workbook(book, rows)
        open_database(tmp / "bench.sqlite")
        try:
            campaigns.save(2021)
            [result] = xlsx_import.import_files([book], 2021, create_units=True, backup=False)
            if result.status != xlsx_import.IMPORTED:
                raise SystemExit(f"import failed: {result.message}")
            group = history.last_group()
            t0 = time.perf_counter()
            undo = history.revert_group(group)
            undone = time.perf_counter() - t0
            left = m.Hazard.select().count()
            t0 = time.perf_counter()
            history.revert_group(undo)
            redone = time.perf_counter() - t0
            back = m.Hazard.select().count()
        finally:
            close_database()
    if left != 0 or back != rows:
        raise SystemExit(f"undo benchmark: {left} rows left after undo, {back} after redo (of {rows})")
    return {"name": "undo", "what": f"undo of a {rows}-row ledger import (redo {redone:.2f} s)", "floor_s": None,
            "ours_s": round(undone, 4), "ratio": None, "target": f"< {MAX_SECONDS:g} s", "ok": undone < MAX_SECONDS,
            "redo_s": round(redone, 4)}


if __name__ == "__main__":
    print(run())
