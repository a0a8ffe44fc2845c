"""`rules.READS` lists every field a rule reads, and `rules.remembering` (the import's way of asking a rule once per
distinct combination of those fields) answers exactly what `rules.problems` answers row by row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from safetymonth_desktop.base import vocab
from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import rules

DATE = st.one_of(st.none(), st.dates(dt.date(2021, 5, 25), dt.date(2021, 7, 5)))
NUMBER = st.one_of(st.none(), st.integers(-2, 12))
TEXT = st.sampled_from([None, "", "限期整改", "张某"])
VALUE = {
    "date": DATE, "number": NUMBER, "text": TEXT,
    "status": st.sampled_from([None, vocab.RECTIFIED, "整改中", "待整改"]),
    "level": st.sampled_from([None, vocab.MAJOR, "一般"]),
    "money": st.one_of(st.none(), st.decimals(0, 10_000, places=2)),
}


def _kind(name: str) -> str:
    if name in ("status", "level"):
        return name
    if name.endswith("_date") or name == "deadline":
        return "date"
    if name in ("funding",):
        return "money"
    if name.endswith(("_found", "_rectified")) or name in ("sessions", "ordinal", "year", "people"):
        return "number"
    return "text"


def _values_of(model):
    names = [f.name for f in model._meta.sorted_fields if f.name != "id"]
    return st.fixed_dictionaries({name: VALUE[_kind(name)] for name in names})


class _Recording(dict):
    """A row of values that notes every field looked at."""

    def __init__(self, *args):
        super().__init__(*args)
        self.read = set()

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(rules.READS, key=lambda model: model.__name__)).flatmap(
    lambda model: st.tuples(st.just(model), _values_of(model))))
def test_each_rule_reads_only_the_fields_listed_and_changes_nothing(case):
    model, values = case
    row = _Recording(values)
    rules.problems(model, row)
    assert row.read <= set(rules.READS[model]), (model.__name__, row.read - set(rules.READS[model]))
    assert dict(row) == values  # a remembered answer must not skip a change the rule would make


def test_the_rule_that_fills_a_default_is_not_remembered():
    assert m.Material in rules.CHECKS and m.Material not in rules.READS


def _answers(found):
    return [(p.field, p.label, p.message) for p in found]


@settings(max_examples=60, deadline=None)
@given(st.lists(_values_of(m.Hazard), min_size=1, max_size=40), st.sets(st.sampled_from(["deadline", "found_date"])))
def test_remembered_answers_are_the_row_by_row_answers(rows, skip):
    ask = rules.remembering(m.Hazard)
    for values in rows + rows:  # each combination seen again
        assert _answers(ask(values)) == _answers(rules.problems(m.Hazard, values))
        assert _answers(ask(values, skip=skip)) == _answers(rules.problems(m.Hazard, values, skip=skip))
    partial = {k: v for k, v in rows[0].items() if k != "status"}  # a field not given reads as None
    assert _answers(ask(partial)) == _answers(rules.problems(m.Hazard, partial))


def test_a_rule_without_a_list_is_asked_row_by_row():
    ask = rules.remembering(m.Material)
    values = {"kind": next(iter(vocab.DEFAULT_MEASURE)), "measure": ""}
    assert ask(values) == [] and values["measure"] == vocab.DEFAULT_MEASURE[values["kind"]]


def test_numbers_alike_give_the_same_answer():
    ask = rules.remembering(m.Inspection)
    first = ask({"problems_found": 2, "problems_rectified": 3})
    again = ask({"problems_found": 2, "problems_rectified": Decimal(3)})
    assert _answers(first) == _answers(again) == _answers(rules.problems(m.Inspection, {"problems_found": 2,
                                                                                        "problems_rectified": 3}))
