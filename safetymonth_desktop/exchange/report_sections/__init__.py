"""The sections of the 活动总结's default wording, one module each: `org` (一、组织领导), `training`, `materials`,
`media` and `events` (二、宣传教育, put together by `publicity`), `hazards` (三、隐患排查整治) and `supervision`
(四、督查). `base` holds what they share: the year being written (`Year`), record queries without a query
per row, and the plain-data form of a record.

Each section module turns records and registry figures into paragraphs following the rules of REPORT.md
("Writing like a person"): the total and the largest items first, small items grouped, joint or repeated
records told once, one purpose and one effect clause per paragraph, sentence frames chosen by the data (so
the same data always gives the same text). Wording helpers live in `exchange/report_prose.py`, figures are
phrased by `services/numbers.py`; `exchange/report_context.py` assembles the sections into the context.
"""
