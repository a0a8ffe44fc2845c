"""The ledgers' rows are streamed from raw SQL values into the sheets' XML (xlsx_stream): every value still lands in
its own cell, equal to what peewee reads for it (units by name, dates, money in 元), with its column's number format,
and formula-looking text stays text."""

import openpyxl

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import xlsx_export, xlsx_layout
from safetymonth_desktop.services import records


def expected_rows(spec, campaign_id: int, unit_names: dict):
    """The reference: a record type's rows as peewee reads them, units by name, blanks as None."""
    model = spec.model
    query = model.select(*(c.field for c in spec.columns)).where(model.campaign == campaign_id).order_by(model.id)
    unit_cols = [i for i, c in enumerate(spec.columns) if c.kind == xlsx_layout.UNIT]
    for values in query.tuples():
        values = list(values)
        for i in unit_cols:
            values[i] = unit_names.get(values[i])
        yield [None if v == "" else v for v in values]


def test_every_ledger_cell_has_its_value_and_format(demo, tmp_path, today):
    records.create(m.Hazard, demo, {"unit": "城关街道", "enterprise": "=HYPERLINK(1)", "industry": "燃气",
                                    "found_date": "2021-6-3", "description": "x", "funding": "12.5"})
    path = xlsx_export.write_stats(demo, tmp_path / "s.xlsx", today=today)
    wb = openpyxl.load_workbook(path)
    checked = 0
    for spec in xlsx_layout.EXPORT_SHEETS:
        ws = wb[spec.name]
        rows = list(ws.iter_rows(min_row=2))
        expected = list(expected_rows(spec, demo.id, {u.id: u.name for u in m.Unit.select()}))
        assert len(rows) == len(expected), spec.name
        for cells, values in zip(rows, expected):
            for column, cell, value in zip(spec.columns, cells, values):
                fmt = xlsx_layout.NUMBER_FORMATS.get(column.kind)
                if value is None:
                    assert cell.value is None
                    continue
                if fmt and not isinstance(value, str):
                    assert cell.number_format == fmt, (spec.name, cell.coordinate)
                    checked += 1
                got = cell.value.date() if hasattr(cell.value, "date") and not hasattr(value, "hour") else cell.value
                assert got == (float(value) if column.kind == xlsx_layout.MONEY else value), (spec.name, cell.coordinate)
    assert checked > 100
    hazard = wb["隐患台账"]
    odd = [row for row in hazard.iter_rows(min_row=2, values_only=True) if row[1] == "=HYPERLINK(1)"]
    assert len(odd) == 1 and odd[0][10] == 12.5
