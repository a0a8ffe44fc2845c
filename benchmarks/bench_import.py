"""Benchmark: importing a 100 000-row 隐患台账 workbook against python-calamine merely reading it (the floor).

Both are measured in the same run (absolute times vary between machines; QUALITY.md's target is the ratio,
≤ 3×). The workbook is generated with openpyxl's write-only mode, with the mix of values a real ledger has
(text, dates as date cells and as text, choices, money, blanks). Prints the numbers and writes them as JSON.

    python benchmarks/bench_import.py [--rows 100000] [--json benchmarks/bench_import.json] [--profile]

`run()` is the same measurement for `python -m benchmarks.run` (the table of every benchmark).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

UNITS = ["城关街道", "东湖街道", "西山街道", "南苑街道", "北城街道", "青石镇", "区住房和城乡建设局", "区市场监督管理局"]


def make_workbook(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    from safetymonth_desktop.exchange.xlsx_layout import spec_for_sheet
    from safetymonth_desktop.base import vocab

    spec = spec_for_sheet("隐患台账")
    rnd = random.Random(7)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("隐患台账")
    ws.append([c.header for c in spec.columns])
    start = dt.date(2021, 6, 1)
    for i in range(rows):
        found = start + dt.timedelta(days=rnd.randrange(25))
        rectified = rnd.random() < 0.8
        ws.append([
            UNITS[i % len(UNITS)] if i % 50 else " 城关街道 ",
            f"某某企业{i % 5000}号",
            rnd.choice(vocab.INDUSTRIES),
            found if i % 3 else f"{found.year}年{found.month}月{found.day}日",
            rnd.choice(vocab.HAZARD_SOURCES),
            f"隐患描述{i}:消防通道堵塞、灭火器过期",
            "一般",
            "限期整改" if rnd.random() < 0.5 else None,
            "张某" if rnd.random() < 0.5 else None,
            found + dt.timedelta(days=10),
            rnd.choice([None, 500, 1200.5, "3000"]),
            "已整改" if rectified else "整改中",
            found + dt.timedelta(days=3) if rectified else None,
            None,
        ])
    wb.save(path)


def floor_read(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name("隐患台账").to_python(skip_empty_area=False)
    return len(rows) - 1


def full_import(path: Path, db_path: Path) -> int:
    from safetymonth_desktop.db.connection import close_database, open_database
    from safetymonth_desktop.exchange import xlsx_import
    from safetymonth_desktop.services import campaigns

    open_database(db_path)
    try:
        campaigns.save(2021)
        result = xlsx_import.import_files([path], 2021, create_units=True)[0]
        if result.status != xlsx_import.IMPORTED:
            raise SystemExit(f"import failed: {result.message} {result.errors[:5]}")
        return result.total
    finally:
        close_database()


def warm_imports(tmp: Path) -> None:
    """Import a 10-row ledger once, untimed: our modules are loaded (and compiled, on a machine that writes no
    bytecode) before the timed import, as calamine's are before the timed read; a clerk's session has them too."""
    small = tmp / "warm.xlsx"
    make_workbook(small, 10)
    full_import(small, tmp / "warm.sqlite")


def run(rows: int = 100_000) -> dict:
    """The import benchmark as a row of benchmarks/run.py's table."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        book = tmp / "hazards.xlsx"
        make_workbook(book, rows)
        floor_read(book)  # warm the file cache and the imports
        warm_imports(tmp)
        t0 = time.perf_counter()
        n_read = floor_read(book)
        floor = time.perf_counter() - t0
        t0 = time.perf_counter()
        n_imported = full_import(book, tmp / "bench.sqlite")
        full = time.perf_counter() - t0
    if n_read != rows or n_imported != rows:
        raise SystemExit(f"import benchmark: read {n_read}, imported {n_imported} of {rows} rows")
    ratio = full / floor
    return {"name": "import", "what": f"import {rows} ledger rows (.xlsx) vs python-calamine only reading it",
            "floor_s": round(floor, 4), "ours_s": round(full, 4), "ratio": round(ratio, 2), "target": "≤ 2×",
            "ok": ratio <= 2}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--json", default=str(Path(__file__).with_suffix(".json")))
    parser.add_argument("--profile", action="store_true", help="profile the import and print the top functions")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        book = tmp / "hazards.xlsx"
        t0 = time.perf_counter()
        make_workbook(book, args.rows)
        generate = time.perf_counter() - t0
        file_mb = round(book.stat().st_size / 1048576, 2)
        floor_read(book)  # warm the file cache and the imports
        warm_imports(tmp)
        t0 = time.perf_counter()
        n_read = floor_read(book)
        floor = time.perf_counter() - t0
        t0 = time.perf_counter()
        if args.profile:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.enable()
            n_imported = full_import(book, tmp / "bench.sqlite")
            prof.disable()
            pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        else:
            n_imported = full_import(book, tmp / "bench.sqlite")
        full = time.perf_counter() - t0
    result = {
        "rows": args.rows, "rows_read": n_read, "rows_imported": n_imported,
        "file_mb": file_mb,
        "generate_s": round(generate, 3), "calamine_read_s": round(floor, 3), "full_import_s": round(full, 3),
        "ratio": round(full / floor, 2), "target_ratio": 3.0,
    }
    print(f"{args.rows} 行隐患台账:calamine 仅读取 {floor:.2f} s;完整导入(检查+校验+写库+备份+修改记录){full:.2f} s;"
          f"比值 {full / floor:.2f}×(目标 ≤ 3×)")
    Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
