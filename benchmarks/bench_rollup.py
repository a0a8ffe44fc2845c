"""Benchmark: a city of 15 districts × 70 000 records — each district's 上报数据包 imported (read, checked, written,
its figures verified against its 汇总), then the city's year opened (the whole catalogue, 分地区汇总, 报送进度).

The floor, measured in the same run: python-calamine merely reading every sheet of the same packages (the least any
import of them must do). Target: importing ≤ 3× the floor (the import target of QUALITY.md), and the city's year
opens (catalogue + 分地区汇总 + 报送进度 over 1 050 000 records) in under 5 s.

    python benchmarks/bench_rollup.py [--districts 15] [--records 70000] [--json FILE]

`run()` is the same measurement for `python -m benchmarks.run`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

YEAR = 2024


def make_packages(folder: Path, districts: int, records: int) -> list[Path]:
    """One synthetic district year (benchmarks/datagen.py), handed up under `districts` region names."""
    from benchmarks.datagen import fill_year
    from safetymonth_desktop.db.connection import close_database, open_database
    from safetymonth_desktop.exchange import package_write
    from safetymonth_desktop.services import campaigns

    open_database(folder / "district.sqlite")
    try:
        fill_year(YEAR, records)
        packages = []
        for n in range(districts):
            campaign, _ = campaigns.save(YEAR, region=f"第{n + 1:02d}区", organizer="区政府安委会", level="区县")
            packages.append(package_write.write_package(campaign, folder / f"district{n + 1:02d}.xlsx").path)
        return packages
    finally:
        close_database()


def calamine_floor(paths: list[Path]) -> float:
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    for path in paths:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return time.perf_counter() - start


def import_city(folder: Path, packages: list[Path]) -> tuple[float, float, dict]:
    from safetymonth_desktop.db.connection import close_database, open_database
    from safetymonth_desktop.exchange import xlsx_import
    from safetymonth_desktop.services import campaigns, indicators, progress, region_summary

    path = folder / "city.sqlite"
    open_database(path)
    try:
        campaigns.save(YEAR, region="基准市", organizer="市政府安委会", level="市")
        start = time.perf_counter()
        for package in packages:
            [result] = xlsx_import.import_files([package], YEAR, backup=False)
            if result.status != xlsx_import.IMPORTED:
                raise RuntimeError(f"{package.name}: {result.message}")
        imported = time.perf_counter() - start
    finally:
        close_database()
    start = time.perf_counter()
    open_database(path)
    try:
        campaign = campaigns.get(YEAR)
        figures = indicators.compute_all(campaign)
        rows = region_summary.table(campaign)
        report = progress.progress(campaign)
        opened = time.perf_counter() - start
        facts = {"records": sum(indicators.compute(k, campaign) for k in ("org.instructions", "org.meetings",
                                                                          "org.documents", "events.count")),
                 "hazards.found": figures["hazards.found"], "regions": len(rows) - 2, "reported": report.reported}
    finally:
        close_database()
    return imported, opened, facts


def measure(districts: int = 15, records: int = 70_000) -> dict:
    from benchmarks.common import result

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        packages = make_packages(folder, districts, records)
        submit = (time.perf_counter() - start) / districts
        floor = calamine_floor(packages)
        imported, opened, facts = import_city(folder, packages)
    return result("rollup", f"import {districts} district packages × {records} records into a city, then open its year",
                  floor, imported, max_ratio=3, opened_s=round(opened, 2), opened_ok=opened < 5,
                  submit_s_per_district=round(submit, 2),
                  note=f"open the city's year (catalogue, 分地区汇总, 报送进度): {opened:.2f} s; {facts}")


def run() -> dict:
    return measure()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--districts", type=int, default=15)
    parser.add_argument("--records", type=int, default=70_000)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    out = measure(args.districts, args.records)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
