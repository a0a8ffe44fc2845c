"""Run every benchmark: `python -m benchmarks.run [--only NAME] [--json FILE]`.

Each benchmark measures its floor in the same run (absolute times vary between machines) and reports the
ratio; the table is printed and written as JSON (default benchmarks/results.json)."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import sys
from pathlib import Path

# name → module benchmarks/bench_<name>.py; each has run() -> dict(name, what, floor_s, ours_s, ratio, target, ok)
# (or a list of such rows: one benchmark measuring several sizes)
BENCHMARKS = ("gui_startup", "gui_table", "import", "undo", "figures", "report", "indicators", "stats", "rollup")


def _family(name: str) -> str:
    """The benchmark a result row belongs to ("gui_startup_1m" → "gui_startup")."""
    return max((b for b in BENCHMARKS if name == b or name.startswith(b + "_")), key=len, default=name)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", action="append", choices=BENCHMARKS, help="run only this benchmark (repeatable)")
    parser.add_argument("--json", default=str(Path(__file__).with_name("results.json")))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    results = []
    loads = []
    for name in args.only or BENCHMARKS:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        print(f"… {name}", file=sys.stderr, flush=True)
        try:
            measured = getattr(module, "run_all", module.run)()
        except Exception as exc:  # noqa: BLE001 - one broken benchmark must not lose the others' results
            measured = {"name": name, "what": f"failed: {type(exc).__name__}: {exc}", "floor_s": None, "ours_s": None,
                        "ratio": None, "target": "", "ok": False}
        results.extend(measured if isinstance(measured, list) else [measured])
        if hasattr(os, "getloadavg"):
            loads.append(round(os.getloadavg()[0], 1))
        _write(Path(args.json), results, loads, partial=bool(args.only) or name != (args.only or BENCHMARKS)[-1])
    width = max(len(r["name"]) for r in results)
    print(f"{'benchmark':<{width}}  {'floor s':>9}  {'ours s':>9}  {'ratio':>7}  {'target':<22}  ok")
    for r in results:
        floor = "—" if r["floor_s"] is None else r["floor_s"]
        ratio = "—" if r["ratio"] is None else f"{r['ratio']}×"
        print(f"{r['name']:<{width}}  {floor:>9}  {str(r['ours_s']):>9}  {ratio:>7}  {r['target']:<22}  "
              f"{'yes' if r['ok'] else 'NO'}")
    for r in results:
        print(f"  {r['name']}: {r['what']}" + (f" ({r['note']})" if r.get("note") else ""))
    return 0


def _write(target: Path, results: list, loads: list, *, partial: bool) -> None:
    """results.json after each benchmark (a long run interrupted keeps what it measured); a partial run
    updates its rows and keeps the others."""
    machine = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
               "measured": dt.datetime.now().isoformat(timespec="seconds"),
               "load_average_1min": loads}  # a shared machine: how busy it was after each benchmark
    rows = list(results)
    if partial and target.is_file():
        fresh = {r["name"] for r in rows}
        try:
            kept = [r for r in json.loads(target.read_text(encoding="utf-8"))["results"] if r["name"] not in fresh]
        except (ValueError, KeyError):
            kept = []
        order = {name: i for i, name in enumerate(BENCHMARKS)}
        rows = sorted(kept + rows, key=lambda r: order.get(_family(r["name"]), len(order)))
    target.write_text(json.dumps({"machine": machine, "results": rows}, ensure_ascii=False, indent=2) + "\n",
                      encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
