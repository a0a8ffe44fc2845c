"""`figures --json` as a process on a year of 100 000 records against the same command on an empty year in an
empty database (the floor: the interpreter, our imports, opening and checking a file), each a fresh process,
interleaved, median of several; the figure cache as the GUI or an import leaves it. Target: ≤ 1.2×.

And the first computation of the whole catalogue after an import of 1 000 000 rows (the cache stale, the rows
just written: what the window's worker does then). Target: < 1 s."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _environment(home: Path) -> dict:
    env = dict(os.environ, SAFETYMONTH_HOME=str(home / "data"), PYTHONPYCACHEPREFIX=str(home / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(ROOT)
    return env


def _figures(db: Path, env: dict) -> float:
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "safetymonth_desktop", "--db", str(db), "figures", "--year", "2021",
                           "--json"], env=env, capture_output=True, text=True, timeout=300)
    seconds = time.perf_counter() - t0
    if done.returncode != 0 or not done.stdout.startswith("{"):
        raise RuntimeError(f"figures failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds


def _make(path: Path, records: int) -> None:
    from benchmarks.datagen import fill_year
    from safetymonth_desktop.db.connection import close_database, open_database
    from safetymonth_desktop.services import campaigns, indicators

    open_database(path)
    try:
        campaign = fill_year(2021, records) if records else campaigns.save(2021)[0]
        indicators.compute_all(campaign)  # what the window (or the import command) left in the cache
    finally:
        close_database()


def run_process(records: int = 100_000, repeat: int = 7) -> dict:
    from benchmarks.common import result

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        full, empty = tmp / "full.sqlite", tmp / "empty.sqlite"
        _make(full, records)
        _make(empty, 0)
        env = _environment(tmp)
        _figures(empty, env), _figures(full, env)  # compiled modules and the OS file cache, as on a second run
        floors, ours = [], []
        for _ in range(repeat):
            floors.append(_figures(empty, env))
            ours.append(_figures(full, env))
    return result("figures", f"`figures --json` as a process, a year of {records} records vs an empty year "
                  f"(median of {repeat} fresh processes each)", statistics.median(floors), statistics.median(ours),
                  max_ratio=1.2, runs_floor_s=[round(x, 3) for x in floors], runs_ours_s=[round(x, 3) for x in ours])


def run_first_computation(records: int = 1_000_000) -> dict:
    from benchmarks.common import result
    from benchmarks.datagen import fill_year
    from safetymonth_desktop.db.connection import close_database, open_database
    from safetymonth_desktop.services import campaigns, indicators

    with tempfile.TemporaryDirectory() as tmp:
        open_database(Path(tmp) / "million.sqlite")
        try:
            empty = campaigns.save(2020)[0]
            full = fill_year(2021, records)  # bumps the generation: the cache is stale, as after an import
            t0 = time.perf_counter()
            indicators.compute_all(empty)
            floor = time.perf_counter() - t0
            t0, cpu0 = time.perf_counter(), time.process_time()
            values = indicators.compute_all(full)
            first, cpu = time.perf_counter() - t0, time.process_time() - cpu0  # processor time: all threads
            t0 = time.perf_counter()
            again = indicators.compute_all(full)
            cached = time.perf_counter() - t0
            if again != values or indicators.fresh_all(full) != values:
                raise RuntimeError("the cached catalogue differs from the computed one")
        finally:
            close_database()
    return result("figures_first", f"first computation of the catalogue after writing {records} records "
                  f"({cpu:.2f} s of processor time; then {cached * 1000:.1f} ms from the cache) vs the empty year",
                  floor, first, max_ratio=None, max_seconds=1.0, cached_s=round(cached, 4), cpu_s=round(cpu, 3))


def run() -> list[dict]:
    return [run_process(), run_first_computation()]


if __name__ == "__main__":
    print(run())
