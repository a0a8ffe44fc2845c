"""Campaign years (活动年度): creating one with the national theme and ordinal filled in, changing its
settings, finding a year."""

from __future__ import annotations

import datetime as dt

from safetymonth_desktop.base import vocab
from safetymonth_desktop.base.errors import NotFoundError, ValidationError
from safetymonth_desktop.db.connection import database
from safetymonth_desktop.db.models import Campaign
from safetymonth_desktop.services import history, records, report_settings, roster

MIN_YEAR, MAX_YEAR = vocab.FIRST_YEAR, 2099


def check_year(year) -> int:
    """The campaign year as an int. Text must be exactly four digits (ASCII or full-width, as a Chinese input
    method types them) after trimming spaces: not '2_021', '٢٠٢١', '2021.0' or '1e308', which int() would take
    or choke on. A refused value is echoed shortened and without control characters."""
    if isinstance(year, int) and not isinstance(year, bool):
        text = str(year) if -10**20 < year < 10**20 else "…"  # str() of a huge int is slow or refused
    elif isinstance(year, str):
        text = year.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    else:
        text = ""
    if not (len(text) == 4 and text.isascii() and text.isdigit()):
        shown = "".join(ch if ch.isprintable() else "?" for ch in (text if isinstance(year, int) else str(year).strip()))
        shown = shown if len(shown) <= 20 else shown[:19] + "…"  # never echo a 309-digit "year"
        raise ValidationError("year", f"“{shown}”不是有效的年份,请写成四位数字,如 2021", label="年度")
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError("year", f"{year} 不在 {MIN_YEAR}—{MAX_YEAR} 之间(全国安全生产月始于2002年)", label="年度")
    return year


def defaults_for(year: int) -> dict:
    """The settings a new campaign of `year` starts with."""
    return {
        "ordinal": vocab.ordinal_for_year(year),
        "theme": vocab.theme_for_year(year),
        "start_date": dt.date(year, 6, 1),
        "end_date": dt.date(year, 6, 30),
        "consult_day": dt.date(year, 6, 16),
    }


def find(year) -> Campaign | None:
    return Campaign.get_or_none(Campaign.year == check_year(year))


def get(year) -> Campaign:
    """The campaign of `year`; NotFoundError with advice when there is none."""
    campaign = find(year)
    if campaign is None:
        raise NotFoundError(f"数据库中没有 {check_year(year)} 年度的活动。请先新建该年度(命令:campaign --year {check_year(year)})。")
    return campaign


def list_years() -> list[int]:
    return [c.year for c in Campaign.select(Campaign.year).order_by(Campaign.year)]


SETTINGS = ("ordinal", "theme", "region", "organizer", "start_date", "end_date", "consult_day", "deadline", "report_date",
            "recipient", "signer", "level", "next_steps", "notes")


def _clean(year: int, values: dict, base: dict) -> dict:
    """The settings after applying `values` to `base`, checked by the field declarations and rules like any
    record. A key present with None clears that setting (refused with 必须填写 where it is required)."""
    unknown = set(values) - set(SETTINGS)
    if unknown:
        raise TypeError(f"unknown campaign settings: {sorted(unknown)}")
    cleaned = records.clean(Campaign, {**base, **values, "year": year}, year=year)
    cleaned.pop("year")
    return cleaned


def starts_from(year: int) -> Campaign | None:
    """The year a new `year` starts from (its roster, region and organizer): the latest one before it, or for a
    year earlier than all others, the next one; None in an empty database."""
    return (Campaign.select().where(Campaign.year < year).order_by(Campaign.year.desc()).first()
            or Campaign.select().where(Campaign.year > year).order_by(Campaign.year).first())


def save(year, *, copy_roster: bool = True, **values) -> tuple[Campaign, bool]:
    """Create the campaign of `year` (settings not given take the year's defaults), or change the settings
    given; a setting given as None is cleared. Returns (campaign, created). A new year starts from the year before
    it (or, for a year earlier than all others, the next one): its roster, region, organizer, 主送机关 and 落款机关,
    unless `copy_roster` is off (the demo); its 层级 follows the region's name unless given."""
    year = check_year(year)
    with database.atomic():
        campaign = Campaign.get_or_none(Campaign.year == year)
        if campaign is None:
            source = starts_from(year)
            base = defaults_for(year)
            if source is not None and copy_roster:  # the same office: its region and organizer carry over
                base.update(region=source.region, organizer=source.organizer, recipient=source.recipient,
                            signer=source.signer)
            if "level" not in values:  # what the office is, from its region's name (…市 → 市)
                region = values.get("region") if values.get("region") is not None else base.get("region", "")
                base["level"] = report_settings.level_for_region(region)
            cleaned = _clean(year, values, base)
            campaign = Campaign.create(year=year, **cleaned)
            history.log_create(Campaign, campaign.id)
            if copy_roster and source is not None:
                roster.copy_from(campaign, source)
            return campaign, True
        before = history.snapshot(Campaign, campaign.id)
        base = {name: getattr(campaign, name) for name in SETTINGS}
        for name, value in _clean(year, values, base).items():
            setattr(campaign, name, value)
        campaign.save()
        history.log_update(Campaign, campaign.id, before)
        return campaign, False


def delete(year) -> None:
    """Delete a campaign year and all of its records (one change group: undo brings everything back)."""
    with history.change_group(), database.atomic():
        campaign = get(year)
        before = history.snapshot(Campaign, campaign.id)
        history.log_cascade_delete(campaign.id)  # its records go too (ON DELETE CASCADE): keep them undoable
        campaign.delete_instance()
        history.log_delete(Campaign, campaign.id, before)


def previous(campaign: Campaign) -> Campaign | None:
    """The latest campaign before this one in the same database (for year-on-year comparison)."""
    return (Campaign.select().where(Campaign.year < campaign.year).order_by(Campaign.year.desc()).first())


def list_years_with_ordinals() -> list[tuple[int, int]]:
    """(year, 第N个 as stored) of every campaign year, oldest first (the clerk may have corrected the ordinal)."""
    return [(year, ordinal) for year, ordinal in
            Campaign.select(Campaign.year, Campaign.ordinal).order_by(Campaign.year).tuples()]
