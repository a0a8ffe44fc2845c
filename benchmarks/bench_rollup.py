"""Benchmark: a city of 15 districts × 70 000 records (issue 17, item 5) — each district's 上报数据包 imported (read,
checked, written, its figures verified against its 汇总), then the city's year of 1 050 000 records opened.

Measured against the targets of the scale issue (16), each floor in the same run:
- each package's import ≤ 2× python-calamine merely reading every sheet of that package (bench_import's floor);
  the worst package and the sum over all are reported;
- the city's figures, first computed after the imports (the whole catalogue), < 1 s; 分地区汇总 and 报送进度 timed;
- start-up to the shown main window over the city's database ≤ 2× the bare window (median of 3, interleaved);
- the hazard tab over the city's ledger opens and jumps to its last row < 0.3 s.

    python benchmarks/bench_rollup.py [--districts 15] [--records 70000] [--packages DIR] [--json FILE] [--no-gui]

`--packages DIR` keeps the district packages (written once, reused by the next run: writing 15 × 70 000 records
takes longer than importing them). `run()` is the same measurement for `python -m benchmarks.run`; there the
folder is given by the environment variable SAFETYMONTH_BENCH_PACKAGES.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

YEAR = 2024


def make_packages(folder: Path, districts: int, records: int) -> list[Path]:
    """One synthetic district year (benchmarks/datagen.py), handed up under `districts` region names; packages
    already in `folder` for the same size are reused."""
    from benchmarks.datagen import fill_year
    from safetymonth_desktop.db.connection import close_database, open_database
    from safetymonth_desktop.exchange import package_write
    from safetymonth_desktop.services import campaigns

    paths = [folder / f"district{n + 1:02d}.xlsx" for n in range(districts)]
    marker = folder / "records.txt"
    if all(p.exists() for p in paths) and marker.exists() and marker.read_text() == str(records):
        return paths
    district = folder / "district.sqlite"
    district.unlink(missing_ok=True)
    open_database(district)
    try:
        fill_year(YEAR, records)
        for n, path in enumerate(paths):
            campaign, _ = campaigns.save(YEAR, region=f"第{n + 1:02d}区", organizer="区政府安委会", level="区县")
            package_write.write_package(campaign, path)
    finally:
        close_database()
    marker.write_text(str(records))
    return paths


def calamine_floor(paths: list[Path]) -> float:
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    for path in paths:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return time.perf_counter() - start


def import_city(folder: Path, packages: list[Path]) -> tuple[list[tuple[float, float]], dict]:
    """Import every package into a new city database: (floor, import) seconds per package, then the figures."""
    from safetymonth_desktop.db.connection import close_database, open_database
    from safetymonth_desktop.db.models import SHEET_MODELS
    from safetymonth_desktop.exchange import xlsx_import
    from safetymonth_desktop.services import campaigns, indicators, progress, region_summary

    path = folder / "city.sqlite"
    for old in folder.glob("city.sqlite*"):
        old.unlink()
    open_database(path)
    try:
        campaigns.save(YEAR, region="基准市", organizer="市政府安委会", level="市")
        pairs = []
        for package in packages:  # the floor just before each import: a busy moment hits both
            floor = calamine_floor([package])
            start = time.perf_counter()
            [result] = xlsx_import.import_files([package], YEAR, backup=False)
            pairs.append((floor, time.perf_counter() - start))
            if result.status != xlsx_import.IMPORTED:
                raise RuntimeError(f"{package.name}: {result.message}")
    finally:
        close_database()
    open_database(path)
    try:
        campaign = campaigns.get(YEAR)
        start = time.perf_counter()
        figures = indicators.compute_all(campaign)
        first = time.perf_counter() - start
        start = time.perf_counter()
        rows = region_summary.table(campaign)
        report = progress.progress(campaign)
        regions = time.perf_counter() - start
        facts = {"records": sum(model.select().count() for model in SHEET_MODELS),
                 "hazards.found": figures["hazards.found"], "regions": len(rows) - 2, "reported": report.reported,
                 "figures_first_s": round(first, 3), "regions_and_progress_s": round(regions, 3)}
    finally:
        close_database()
    return pairs, facts


def open_city(folder: Path, repeat: int = 3) -> dict:
    """Start-up over the city's database against the bare window, and its hazard tab (benchmarks/gui_probe.py)."""
    from benchmarks.bench_gui_startup import _environment, start_once
    from benchmarks.bench_gui_table import probe

    db = folder / "city.sqlite"
    env = _environment(folder / "home")
    start_once(["app", str(db)], env)  # the day's automatic backup, the OS file cache, .pyc files
    start_once(["bare"], env)
    bare, ours = [], []
    for _ in range(repeat):
        bare.append(start_once(["bare"], env)[0])
        ours.append(start_once(["app", str(db)], env)[0])
    probe(db, env)
    tables = sorted((probe(db, env) for _ in range(repeat)), key=lambda r: r["open_s"] + r["jump_s"])
    table = tables[len(tables) // 2]
    return {"startup_bare_s": round(statistics.median(bare), 3), "startup_s": round(statistics.median(ours), 3),
            "startup_ratio": round(statistics.median(ours) / statistics.median(bare), 2),
            "hazard_tab_s": round(table["open_s"] + table["jump_s"], 3), "hazard_rows": table["total"]}


def measure(districts: int = 15, records: int = 70_000, packages_dir: str | None = None, gui: bool = True) -> dict:
    from benchmarks.common import result

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        keep = Path(packages_dir) if packages_dir else folder
        keep.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        packages = make_packages(keep, districts, records)
        made = time.perf_counter() - start
        pairs, facts = import_city(folder, packages)
        opened = open_city(folder) if gui else {}
    floor, ours = sum(f for f, _ in pairs), sum(i for _, i in pairs)
    worst = max(i / f for f, i in pairs)
    ok_open = facts["figures_first_s"] < 1 and (not gui or (opened["startup_ratio"] <= 2 and opened["hazard_tab_s"] < 0.3))
    out = result("rollup", f"import {districts} district packages × {records} records into a city (each vs python-calamine "
                 "reading it), then open the city's year", floor, ours, max_ratio=2,
                 worst_package_ratio=round(worst, 2), per_package=[[round(f, 3), round(i, 3)] for f, i in pairs],
                 packages_made_s=round(made, 1), **facts, **opened, open_ok=ok_open,
                 note=(f"worst package {worst:.2f}× its floor; figures first computed in {facts['figures_first_s']} s"
                       + (f"; start-up {opened['startup_ratio']}× the bare window; hazard tab "
                          f"({opened['hazard_rows']} rows) open + jump {opened['hazard_tab_s']} s" if gui else "")))
    out["ok"] = bool(out["ok"] and worst <= 2 and ok_open)
    return out


def run() -> dict:
    """For `python -m benchmarks.run`: SAFETYMONTH_BENCH_PACKAGES names a folder keeping the packages between runs."""
    return measure(packages_dir=os.environ.get("SAFETYMONTH_BENCH_PACKAGES") or None)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--districts", type=int, default=15)
    parser.add_argument("--records", type=int, default=70_000)
    parser.add_argument("--packages", help="folder keeping the district packages between runs")
    parser.add_argument("--no-gui", action="store_true", help="skip start-up and the hazard tab")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    out = measure(args.districts, args.records, args.packages, gui=not args.no_gui)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
