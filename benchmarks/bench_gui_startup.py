"""Start-up to a shown main window holding a year of 10 000, 100 000 and 1 000 000 records against a bare PySide6
QMainWindow with five empty tabs, both started the same way (a fresh interpreter running benchmarks/gui_probe.py,
offscreen); the median of several runs each, interleaved. The database is as a clerk's earlier session left it
(its figures in the figure cache). Targets: ≤ 1.5× (10 000 and 100 000 records), ≤ 2× (1 000 000)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROBE = Path(__file__).with_name("gui_probe.py")


def _environment(home: Path) -> dict:
    # Compiled modules cached as an installed program has them (this machine sets PYTHONDONTWRITEBYTECODE,
    # which would recompile every module of ours at each start); the cache is kept out of the checkout.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SAFETYMONTH_HOME=str(home / "data"),
               HOME=str(home), XDG_CONFIG_HOME=str(home / "config"), PYTHONPYCACHEPREFIX=str(home / "pycache"))
    for name in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    return env


def start_once(args: list[str], env: dict) -> tuple[float, dict]:
    started = time.time()
    done = subprocess.run([sys.executable, str(PROBE), *args], env=env, capture_output=True, text=True, timeout=120)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"gui probe {args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    seen = json.loads(lines[-1])
    return seen["shown"] - started, seen


def make_database(path: Path, records: int) -> None:
    from benchmarks.datagen import fill_year
    from safetymonth_desktop.db.connection import close_database, open_database

    from safetymonth_desktop.services import indicators

    open_database(path)
    try:
        indicators.compute_all(fill_year(2021, records))  # the figures an earlier session left in the cache
    finally:
        close_database()


# (records, result name, target ratio)
SIZES = ((10_000, "gui_startup", 1.5), (100_000, "gui_startup_100k", 1.5), (1_000_000, "gui_startup_1m", 2.0))


def run() -> list[dict]:
    return [run_one(records, name=name, max_ratio=ratio) for records, name, ratio in SIZES]


def run_one(records: int = 10_000, repeat: int = 7, *, name: str = "gui_startup", max_ratio: float = 1.5) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db = tmp / "bench.sqlite"
        make_database(db, records)
        env = _environment(tmp)
        start_once(["app", str(db)], env)  # the day's automatic backup, the OS file cache, .pyc files
        start_once(["bare"], env)
        bare, ours = [], []
        for _ in range(repeat):  # interleaved, so a busy moment of the shared machine hits both sides
            bare.append(start_once(["bare"], env)[0])
            seconds, seen = start_once(["app", str(db)], env)
            ours.append(seconds)
        if "隐患整治" not in seen.get("tabs", []):
            raise RuntimeError(f"the application did not show its main window: {seen}")
    floor, mine = statistics.median(bare), statistics.median(ours)
    from benchmarks.common import result

    return result(name, f"start-up to the shown main window, a year of {records} records vs a bare "
                  f"QMainWindow with five tabs (median of {repeat} fresh processes)", floor, mine, max_ratio=max_ratio,
                  runs_floor_s=[round(x, 3) for x in bare], runs_ours_s=[round(x, 3) for x in ours])


if __name__ == "__main__":
    print(run_one())
