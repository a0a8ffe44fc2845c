"""The non-Qt services behind the GUI: services.listing (SQL paging/search/sort) and services.paste."""

import pytest

from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.db import models as m
from safetymonth_desktop.services import campaigns, records, units
from safetymonth_desktop.services.listing import Listing, unit_rows
from safetymonth_desktop.services.paste import paste, split_tsv


def test_split_tsv_handles_excel_quoting_and_blank_lines():
    text = 'a\tb\r\n"x\ty"\t"he said ""hi"""\n\n"two\nlines"\tz\n'
    assert split_tsv(text) == [["a", "b"], ["x\ty", 'he said "hi"'], ["two\nlines", "z"]]


def test_listing_search_escapes_wildcards_and_matches_unit_names(campaign):
    unit = units.create_unit("城关街道")
    for outlet in ("100%安全", "安全_号", "其他"):
        records.create(m.Media, campaign, {"unit": unit, "channel": "微信", "outlet": outlet, "items": 1})
    listing = Listing(m.Media, campaign.id)
    listing.search = "%"
    assert [r[3] for r in listing.page(0)] == ["100%安全"]
    listing.search = "_"
    assert [r[3] for r in listing.page(0)] == ["安全_号"]
    listing.search = "城关 安全"  # every word must match some column
    assert listing.count() == 2


def test_a_page_in_the_second_half_is_read_backwards_to_the_same_rows(campaign):
    """The end of a long ledger is read from its last row (no OFFSET walk over the rows before it): every page,
    short last pages included, in either direction, the same rows as reading forwards; another year's rows and a
    search are never mixed in."""
    unit = units.create_unit("东湖街道")
    for i in range(23):
        records.create(m.Media, campaign, {"unit": unit, "channel": "微信", "outlet": f"号{i}", "items": i + 1})
    other = records.create(m.Media, campaign, {"unit": unit, "channel": "微信", "outlet": "别的", "items": 1})
    later = campaigns.save(campaign.year + 1, region="城南区")[0]
    m.Media.update(campaign=later.id).where(m.Media.id == other.id).execute()  # a row of another year
    listing = Listing(m.Media, campaign.id)
    total = listing.count()
    assert total == 23
    for descending in (False, True):
        listing.descending = descending
        every = listing.page_ids(0, 100)
        for limit in (1, 4, 5, 23):
            for offset in range(0, total + 2):
                assert listing.page_ids(offset, limit, total=total) == every[offset:offset + limit], (offset, limit)
    listing.search = "号1"  # not entry order: forwards only, still right
    assert listing.page_ids(5, 5, total=listing.count()) == listing.page_ids(5, 5)


def test_listing_sorts_blanks_last_and_pages_stably(campaign):
    unit = units.create_unit("东湖街道")
    for i, reach in enumerate([None, 5, 3, None, 9]):
        records.create(m.Media, campaign, {"unit": unit, "channel": "微信", "items": i + 1, "reach": reach})
    listing = Listing(m.Media, campaign.id)
    listing.sort_index = [f.name for f in listing.fields].index("reach")
    assert [r[5] for r in listing.page(0)] == ["3", "5", "9", "", ""]
    listing.descending = True
    assert [r[5] for r in listing.page(0)] == ["9", "5", "3", "", ""]
    assert [r[0] for r in listing.page(0, 2)] + [r[0] for r in listing.page(2, 3)] == [r[0] for r in listing.page(0)]


def test_listing_without_a_year_is_empty(campaign):
    assert Listing(m.Media, None).count() == 0


def test_unit_rows_count_records_of_every_kind(demo):
    rows = {r["name"]: r for r in unit_rows()}
    unit = units.find_unit("区应急管理局")
    expected = sum(model.select().where(model.unit == unit).count() for model in m.UNIT_RECORD_MODELS)
    expected += m.Inspection.select().where(m.Inspection.target == unit).count()
    assert rows["区应急管理局"]["records"] == expected > 0


def test_paste_of_nothing_is_explained(campaign):
    with pytest.raises(AppError, match="没有可粘贴"):
        paste(m.Media, campaign, "\n\t\n")


def test_paste_surplus_cells_without_header_refuse_the_row(campaign):
    units.create_unit("区总工会")
    # 填报单位 (blank: 本级) first, then 日期 … 讲话/批示要点, 备注, and one cell too many.
    result = paste(m.Instruction, campaign, "\t2021-6-2\t李明远\t区委书记\t常委会\t强调宣传\t\t多余\n")
    assert result.added == 0
    [refusal] = result.refused
    assert (refusal.row, refusal.column, refusal.value) == (1, "", "多余")


def test_paste_header_with_full_width_brackets_and_spaces(campaign):
    units.create_unit("区总工会")
    text = "填报单位\t 渠道 \t条（篇／次）数\n区总工会\t微博\t7\n"
    result = paste(m.Media, campaign, text)
    assert (result.added, result.refused) == (1, [])
    assert m.Media.get().items == 7
    assert m.Media.get().campaign_id == campaign.id
