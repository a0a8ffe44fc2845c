"""The statistics workbook with every ledger for a year of 100 000 records against openpyxl's write-only
mode writing the same number of plain cells (no styles, no database) and saving them: the floor of any
openpyxl export. Target: ≤ 2× (our work on top: SQL, unit names, number formats, formula-safe text). The ledgers'
rows are streamed as sheet XML (exchange/xlsx_stream), so ours can be under the floor.

`stats_scale` times the same export on 100 000 and on 1 000 000 records (benchmarks/scale.py): ≤ 10× is linear."""

from __future__ import annotations

import datetime as dt

from benchmarks.common import median_seconds, result, scratch_database
from benchmarks.datagen import fill_year


def cells_of(path) -> list[tuple[str, int, int]]:
    """(sheet, rows, columns) of every sheet of the written workbook."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    out = []
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        out.append((name, len(rows), max((len(r) for r in rows), default=0)))
    return out


def plain_write(path, shape: list[tuple[str, int, int]]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    values = ("某某企业", 12, dt.date(2021, 6, 1), 1234.5, None, "已整改")
    for name, rows, columns in shape:
        ws = wb.create_sheet(name)
        row = [values[i % len(values)] for i in range(columns)]
        for _ in range(rows):
            ws.append(row)
    wb.save(path)


def run(records: int = 100_000, repeat: int = 3) -> dict:
    from safetymonth_desktop.exchange.xlsx_export import write_stats

    with scratch_database() as tmp:
        full = fill_year(2021, records)
        today = dt.date(2021, 7, 15)
        write_stats(full, tmp / "warm.xlsx", today=today)
        shape = cells_of(tmp / "warm.xlsx")
        cells = sum(r * c for _, r, c in shape)
        floor = median_seconds(lambda: plain_write(tmp / "plain.xlsx", shape), repeat)
        ours = median_seconds(lambda: write_stats(full, tmp / "stats.xlsx", today=today), repeat)
    return result("stats", f"statistics workbook + ledgers, {records} records vs {cells} plain write-only cells",
                  floor, ours, max_ratio=2, cells=cells)


def run_growth() -> dict:
    from benchmarks.scale import growth
    from safetymonth_desktop.exchange.xlsx_export import write_stats

    return growth("stats_scale", "statistics workbook + ledgers",
                  lambda campaign, tmp: write_stats(campaign, tmp / "stats.xlsx", today=dt.date(2021, 7, 15)))


def run_all() -> list[dict]:
    return [run(), run_growth()]


if __name__ == "__main__":
    print(run_all())
