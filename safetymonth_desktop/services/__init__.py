"""Rules and figures: everything the GUI, the command line and the exchange code share. No Qt here.

Imports only base/ and db/. Read top to bottom, each module importing only the ones before it
(tests/test_layering.py): numbers, coerce, rules, report_settings, submissions, history (the change log and
undo), roster, units, records (every write), campaigns, history_view (the 修改记录 panel), breakdowns,
indicators, readiness, overview, chart_data, unit_summary, listing, paste, imports, progress, safety, demo,
crash_log, about.
"""
