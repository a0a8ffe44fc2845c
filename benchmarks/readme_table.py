"""Regenerate README.md's table of benchmark results from benchmarks/results.json:
`python -m benchmarks.readme_table` (after `python -m benchmarks.run`), so the published figures are never
older than the measurement. The table sits between the markers `<!-- benchmarks:start -->` and
`<!-- benchmarks:end -->`; the prose around it (what the profiles showed) is written by hand."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- benchmarks:start -->", "<!-- benchmarks:end -->"


def _seconds(value) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def table(results: dict) -> str:
    machine = results["machine"]
    busy = machine.get("load_average_1min")
    shared = " (the machine was shared)" if busy and max(busy) > machine["cpus"] else ""
    load = f"; load average {min(busy)}–{max(busy)}{shared}" if busy else ""
    lines = [f"Measured {machine['measured']} on {machine['platform']}, {machine['cpus']} cores, Python "
             f"{machine['python']}{load} (`benchmarks/results.json`):", "",
             "| benchmark | what | floor s | ours s | ratio | target | holds |", "|---|---|---|---|---|---|---|"]
    for r in results["results"]:
        ratio = "—" if r.get("ratio") is None or r.get("floor_s") is None else f"{r['ratio']:g}×"
        what = r["what"] + (f" ({r['note']})" if r.get("note") else "")
        lines.append(f"| {r['name']} | {what} | {_seconds(r.get('floor_s'))} | {_seconds(r.get('ours_s'))} | {ratio} "
                     f"| {r['target']} | {'yes' if r['ok'] else 'no'} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    results = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"README.md has no {START} … {END} markers", file=sys.stderr)
        return 1
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{table(results)}\n{END}{tail}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
