"""Rules and figures: everything the GUI, the command line and the exchange code share. No Qt here.

Imports only base/ and db/. Read top to bottom, each module importing only the ones before it
(tests/test_layering.py): numbers, text_columns, coerce, rules, report_settings, submissions, figure_cache (the
indicator catalogue kept per change of the data), history (the change log and undo), photos (活动图片), roster,
units, records (every write), campaigns, history_view (the 修改记录 panel), breakdowns, indicators, readiness,
first_steps, overview, chart_data, unit_summary, listing, paste, imports, region_figures / rollup / region_summary
(上报数据包 from sub-regions), progress, safety, demo, crash_log, about.
"""
