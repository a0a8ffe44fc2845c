"""Every indicator's SQL reaches a year's rows through an index (EXPLAIN QUERY PLAN), never by scanning
a whole record table: figures stay fast however many years the database holds."""

import re

import pytest

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import indicators

RECORD_TABLES = {model._meta.table_name for model in m.RECORD_MODELS}


@pytest.mark.parametrize("ind", indicators.CATALOGUE, ids=lambda i: i.key)
def test_indicator_queries_use_indexes(db, ind):
    plan = db.execute_sql("EXPLAIN QUERY PLAN " + ind.sql, {"c": 1, "today": "2021-07-01"}).fetchall()
    details = [row[3] for row in plan]
    full_scans = [d for d in details if (m_ := re.match(r"SCAN (\w+)", d)) and m_.group(1) in RECORD_TABLES]
    assert full_scans == [], details
    assert any("USING" in d and "INDEX" in d for d in details), details
