"""One number format on screen (services.numbers.figure_text): grouped figures in the tables, the totals, the
overview and the dialogs; what a clerk pastes or types may carry the separators; a date search in any spelling."""

from decimal import Decimal

import pytest

from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import listing, records


def _column(table, name):
    return [f.name for f in table.table_model.fields].index(name)


def test_tables_totals_and_overview_group_thousands(demo, make_window, qtbot):
    hazard = m.Hazard.select().where(m.Hazard.campaign == demo).first()
    records.update(m.Hazard, hazard.id, {"funding": Decimal("244845")})
    training = m.Training.select().where(m.Training.campaign == demo).first()
    records.update(m.Training, training.id, {"participants": 82254})
    window = make_window()

    cards = {card.figure.key: card.value_text for card in window.overview.cards}
    assert "," in cards["training.participants"] and cards["training.participants"].endswith(" 人次")
    assert "," in cards["people.educated"]

    table = window.show_records(m.Hazard)
    row = table.table_model.row_of(hazard.id)
    assert table.table_model.row_values(row)[_column(table, "funding")] == "244,845.00"
    assert table.table_model.data(table.table_model.index(row, _column(table, "funding")), 7) is not None  # right

    table = window.show_records(m.Training)
    row = table.table_model.row_of(training.id)
    assert table.table_model.row_values(row)[_column(table, "participants")] == "82,254"
    total = m.Training.select().where(m.Training.campaign == demo)
    people = sum(t.participants for t in total)
    assert f"{people:,} 人次" in table.totals_text()
    assert table.table_model.row_values(row)[_column(table, "start_date")].count("-") == 2  # dates stay ISO


def test_a_grouped_figure_pasted_or_typed_is_accepted(demo, make_window, qtbot):
    window = make_window()
    table = window.show_records(m.Training)
    before = table.table_model.total
    unit = m.Unit.select().first().name
    table.paste_text(f"填报单位\t培训类别\t培训名称\t开始日期\t期(场)数\t参训人次\n"
                     f"{unit}\t以会代训\t千人大会\t2021-06-16\t1\t1,234\n")
    assert table.table_model.total == before + 1
    added = m.Training.select().where(m.Training.title == "千人大会").get()
    assert added.participants == 1234

    table.select_record(added.id)
    form = table.edit()
    editor = form.form.editors["participants"].widget
    assert editor.text().replace(",", "") == "1234"  # the form edits the plain value
    form.reject()


@pytest.mark.parametrize("term", ["2021-06-16", "2021/6/16", "2021年6月16日", "6月16日", "6-16", "20210616"])
def test_the_search_box_finds_a_day_in_any_spelling(demo, make_window, qtbot, term):
    window = make_window()
    table = window.show_records(m.Event)
    expected = m.Event.select().where((m.Event.campaign == demo) & (m.Event.date == "2021-06-16")).count()
    assert expected > 0
    table.search_box.setText(term)
    assert table.table_model.total == expected
    assert "日期" in table.search_box.placeholderText()


def test_date_pattern_reads_days_and_months():
    assert listing.date_pattern("2021年6月16日") == "2021-06-16"
    assert listing.date_pattern("6月") == "%-06-%"
    assert listing.date_pattern("2021-6") == "2021-06-%"
    assert listing.date_pattern("2021-02-30") is None  # no such day
    assert listing.date_pattern("20000") is None  # a figure, not a date
    assert listing.date_pattern("消防") is None
