"""Look-alike units: a name holding characters that do not show (NUL, controls, zero-width, BOM, soft hyphen,
bidi marks/overrides/isolates) is the same unit as the name without them — in the normalisation, the units
service, the record service, the paste and the import — and free text keeps only what a document can hold."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safetymonth_desktop.base import text
from safetymonth_desktop.base.errors import ValidationError
from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import paste, records, units
from safetymonth_desktop.services.coerce import to_text

INVISIBLE = ["\x00", "\x01", "\x0b", "\x1b", "\x1f", "\x85", "\x7f", "\x9f", "\u200b", "\u200c", "\u200d", "\ufeff",
             "\u00ad", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
             "\u200e", "\u200f", "\u2060", "\u061c", "\u180e", "\u034f", "\ufe0f", "\U000e0041"]


@pytest.mark.parametrize("ch", INVISIBLE, ids=lambda ch: f"U+{ord(ch):04X}")
def test_normalise_drops_the_character_wherever_it_is(ch):
    for spelling in (f"城关{ch}街道", f"{ch}城关街道", f"城关街道{ch}", f"城{ch}{ch}关街道"):
        assert text.normalise(spelling) == "城关街道"
        assert text.match_key(spelling) == text.match_key("城关街道")
        assert text.has_invisible(spelling)
    assert text.normalise(ch) == ""
    assert not text.has_invisible("城关 街道\t(一)")


def test_white_space_controls_still_separate_words():
    assert text.normalise("城关\t街道\n办事处\r") == "城关 街道 办事处"
    assert text.normalise("a\u2028b") == "a b"


def test_every_format_control_and_surrogate_code_point_is_covered():
    """The hard-coded classes cover this Python's Unicode table (a newer table with new Cf characters fails here)."""
    missing = []
    for cp in range(0x110000):
        ch = chr(cp)
        category = unicodedata.category(ch)
        if category in ("Cf", "Cs") or (category == "Cc" and ch not in "\t\n\r"):
            if not text.has_invisible(ch):
                missing.append(f"U+{cp:04X}")
    assert missing == []


def test_what_free_text_drops_is_a_part_of_what_normalise_drops():
    """`needs_cleaning` (the import's fast path for text) asks the one question for both rules."""
    for cp in range(0x110000):
        ch = chr(cp)
        if text.clean_text(ch) != ch:
            assert text.needs_cleaning(f"甲{ch}乙") and text.has_invisible(ch), f"U+{cp:04X}"
    assert not text.needs_cleaning("城关 街道\t(一)\n第二行")


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(), max_size=30))
def test_normalised_text_holds_nothing_invisible(raw):
    out = text.normalise(raw)
    assert not text.has_invisible(out)
    assert all(unicodedata.category(ch) not in ("Cc", "Cf", "Cs") for ch in out)
    assert text.normalise(out) == out  # idempotent


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(), max_size=30))
def test_clean_free_text_keeps_line_breaks_and_drops_what_no_document_can_hold(raw):
    out = text.clean_text(raw)
    for ch in out:
        assert ch in "\t\n\r" or unicodedata.category(ch) not in ("Cc", "Cs"), ascii(ch)
        assert ch not in "\ufffe\uffff"
    assert text.clean_text("第一行\n第二行\t完") == "第一行\n第二行\t完"
    assert text.clean_text("a\x00b\x01c\u200bd") == "abc\u200bd"  # format characters stay in free text


def test_free_text_fields_drop_control_characters():
    assert to_text("  脚手架\x01连墙件\x00缺失\n第二行 ") == "脚手架连墙件缺失\n第二行"
    assert to_text("\x01\u200b") is None  # nothing that shows: blank


@pytest.fixture
def chengguan(db):
    return units.create_unit("城关街道", kind="街道/乡镇")


@pytest.mark.parametrize("ch", INVISIBLE, ids=lambda ch: f"U+{ord(ch):04X}")
def test_units_service_never_makes_a_look_alike(chengguan, ch):
    look_alike = f"城关{ch}街道"
    assert units.find_unit(look_alike).id == chengguan.id
    with pytest.raises(ValidationError, match="已有同名单位"):
        units.create_unit(look_alike)
    with pytest.raises(ValidationError, match="已指向本单位"):
        units.add_alias(chengguan.id, look_alike)
    other = units.create_unit(f"东湖{ch}街道")
    assert other.name == "东湖街道" and other.norm == units.name_key("东湖街道")
    with pytest.raises(ValidationError, match="已有同名单位"):
        units.update_unit(other.id, name=f"{ch}城关街道")
    assert m.Unit.select().count() == 2


@pytest.mark.parametrize("ch", INVISIBLE, ids=lambda ch: f"U+{ord(ch):04X}")
def test_records_and_paste_file_the_look_alike_under_the_unit(campaign, chengguan, ch):
    record = records.create(m.Training, campaign, {"unit": f"城关{ch}街道", "category": f"以会{ch}代训",
                                                    "participants": "30"})
    assert record.unit_id == chengguan.id and record.category == "以会代训"
    result = paste.paste(m.Training, campaign, f"填报单位\t培训类别\t参训人次\n城关{ch}街道\t以会代训\t20\n")
    assert result.added == 1 and result.refused == []
    assert {t.unit_id for t in m.Training.select()} == {chengguan.id}
    assert m.Unit.select().count() == 1


def test_a_unit_cell_of_invisible_characters_only_is_blank(campaign, chengguan):
    with pytest.raises(ValidationError, match="必须填写"):
        records.create(m.Training, campaign, {"unit": "\u200b\u200d", "category": "以会代训", "participants": 3})
