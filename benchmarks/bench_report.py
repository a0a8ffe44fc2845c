"""The Word 活动总结 for a year of 10 000 records against the same built-in template rendered for an empty
year (the floor: opening the template, Jinja, docx packing and the atomic write), in one run. Target: ≤ 3×.
And its growth from 100 000 to 1 000 000 records (benchmarks/scale.py): no worse than linear."""

from __future__ import annotations

from benchmarks.common import median_seconds, result, scratch_database
from benchmarks.datagen import fill_year


def run(records: int = 10_000, repeat: int = 5) -> dict:
    from safetymonth_desktop.exchange.word_report import write_report
    from safetymonth_desktop.services import campaigns

    with scratch_database() as tmp:
        from safetymonth_desktop.services import indicators

        full = fill_year(2021, records)
        empty = campaigns.save(2022, region="基准区", organizer="区政府安委会")[0]
        for year in (full, empty):  # as a session leaves them: the figures in the cache (the report only reads it)
            indicators.compute_all(year)
        write_report(full, tmp / "warm.docx")  # imports, template parse and page cache warm for both sides
        floor = median_seconds(lambda: write_report(empty, tmp / "empty.docx"), repeat)
        ours = median_seconds(lambda: write_report(full, tmp / "full.docx"), repeat)
    return result("report", f"Word report, {records} records vs empty year", floor, ours, max_ratio=3)


def run_growth() -> dict:
    from benchmarks.scale import growth
    from safetymonth_desktop.exchange.word_report import write_report

    return growth("report_scale", "Word report", lambda campaign, tmp: write_report(campaign, tmp / "report.docx"))


def run_all() -> list[dict]:
    return [run(), run_growth()]


if __name__ == "__main__":
    print(run_all())
