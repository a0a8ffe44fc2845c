"""The annex 活动图片: the photos the clerk chose (选入总结), in the order of their records' dates, each captioned with
the clerk's text or a caption built from its record ("6月16日，县应急管理局在县城广场举办安全宣传咨询日", a unit by its
简称 when it has one), two to a page.

`photo_items(campaign)` is the plain data the context carries (no pixels); `photo_images(campaign)` gives the JPEG
bytes and sizes by item key for the renderer, which places each picture as large as the type area allows for two
pictures and their captions on one page (`picture_size`).
"""

from __future__ import annotations

import datetime as dt

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import report_prose as P
from safetymonth_desktop.services import photos, report_settings

PER_PAGE = 2
TYPE_WIDTH_MM = 150         # the type area is 156 mm wide (GB/T 9704); a little air on both sides
SLOT_HEIGHT_MM = 90         # a picture's height on a page of two (225 mm type area, captions and spacing between)
FIRST_PAGE_HEIGHT_MM = 68   # on the annex's first page, under 附件N, a blank line and the title


def _unit_name(unit) -> str:
    if unit is None:
        return ""
    return (unit.short_name or "").strip() or unit.name


def _day(date: dt.date | None) -> str:
    return f"{date.month}月{date.day}日，" if date else ""


def _own_name(campaign) -> str:
    """The region's own organ, for a record without a 填报单位 (本级)."""
    return report_settings.signer(campaign) or campaign.region.strip()


def default_caption(model, record) -> str:
    """A caption built from the record: when, who, where, what."""
    if model is m.Event:
        where = f"在{record.venue.strip()}" if record.venue.strip() else ""
        what = P.without_owner(record.title.strip(), record.unit.name) or record.kind
        verb = "" if what.startswith(("举办", "开展", "组织", "召开", "举行")) else "举办"
        text = f"{_day(record.date)}{_unit_name(record.unit)}{where}{verb}{what}"
    elif model is m.Meeting:
        who = _unit_name(record.unit) or record.host.strip() or _own_name(record.campaign)
        what = record.title.strip() or record.kind
        verb = "" if what.startswith(("召开", "举行", "举办")) else "召开"
        text = f"{_day(record.date)}{who}{verb}{what}"
    elif model is m.Training:
        where = f"在{record.venue.strip()}" if record.venue.strip() else ""
        what = P.without_owner(record.title.strip(), record.unit.name) or record.category
        verb = "" if what.startswith(("举办", "开展", "组织")) else "举办"
        text = f"{_day(record.start_date)}{_unit_name(record.unit)}{where}{verb}{what}"
    elif model is m.Inspection:
        team = record.team.strip() or "督查组"
        led = f"由{record.leader.strip()}带队" if record.leader.strip() else ""
        text = f"{_day(record.date)}{team}{led}赴{_unit_name(record.target)}开展{record.kind}"
    else:
        return ""
    return P.punctuate(text)


def caption(photo, model, record) -> str:
    """The caption the summary prints under a photo."""
    own = " ".join((photo.caption or "").split())
    return P.punctuate(own) if own else default_caption(model, record)


def photo_items(campaign) -> list[dict]:
    """The chosen photos as template data: `key`, `number` ('图1'), `caption`, `new_page` (the first of a page after
    the annex's first), `image` ('' until the renderer attaches the picture)."""
    items = []
    for n, (photo, model, record) in enumerate(photos.chosen(campaign)):
        items.append({"key": str(photo.id), "number": f"图{n + 1}", "caption": caption(photo, model, record),
                      "new_page": n >= PER_PAGE and n % PER_PAGE == 0, "image": ""})
    return items


def photo_images(campaign) -> dict[str, tuple[bytes, int, int]]:
    """Item key → (JPEG bytes, width px, height px) of the chosen photos."""
    out = {}
    for photo, _, _ in photos.chosen(campaign):
        out[str(photo.id)] = (photos.image_bytes(photo), *photos.image_size(photo))
    return out


def picture_size(width: int, height: int, *, first_page: bool) -> tuple[float, float]:
    """(width, height) in mm of a picture placed whole in its slot: as wide as the type area allows, never taller
    than two pictures and their captions on one page allow."""
    limit = FIRST_PAGE_HEIGHT_MM if first_page else SLOT_HEIGHT_MM
    w = float(TYPE_WIDTH_MM)
    h = w * height / width
    if h > limit:
        h = float(limit)
        w = h * width / height
    return round(w, 1), round(h, 1)
