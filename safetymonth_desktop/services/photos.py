"""活动图片: photos attached to events (宣传活动, the consultation day among them), meetings, trainings and inspections.

A photo belongs to exactly one record, and through it to that record's year; nothing here reaches another year.
Files are read by `exchange.photo_reading` (bounded, rotated, downscaled to print size; `exchange.photo_files` reads
and attaches), never inside a transaction; the JPEG goes into `photo_image` (by content: the same picture added twice
is stored once) and a `photo` row says which record, which caption, whether it goes into the summary (选入总结) and
in which order. Every change to a photo row is logged in the change history like a record's, so undo works; deleting
a record deletes its photos and undoing that brings them back (services/history.log_dependents). For that, an image
is never removed from the file once stored (about 0.3 MB a photo): the history may still bring its photo back.

A photo's caption is the clerk's text; left blank, the summary builds one from the record
(exchange/report_sections/photos.py).
"""

from __future__ import annotations

import datetime as dt

from safetymonth_desktop.db.connection import database
from safetymonth_desktop.db.models import Campaign, PHOTO_OWNERS, Photo, PhotoImage, Training
from safetymonth_desktop.services import history
from safetymonth_desktop.base.errors import AppError, NotFoundError, ValidationError

MAX_CAPTION = 120
MAX_PHOTOS_PER_RECORD = 50


def owners() -> tuple[type, ...]:
    """The record types that can carry photos."""
    return tuple(PHOTO_OWNERS)


def can_have_photos(model) -> bool:
    return model in PHOTO_OWNERS


def _owner_column(model) -> str:
    column = PHOTO_OWNERS.get(model)
    if column is None:
        raise AppError(f"“{model._meta.title}”记录不能添加活动图片。")
    return column


def record_of(model, record_id: int):
    """The record `record_id` of `model` (a type that can carry photos); NotFoundError when it is gone."""
    _owner_column(model)
    record = model.get_or_none(model.id == record_id)
    if record is None:
        raise NotFoundError(f"{model._meta.title}记录(编号 {record_id})不存在,可能已被删除。")
    return record


def photos_of(model, record_id: int) -> list[Photo]:
    """The photos of one record, in their order."""
    column = _owner_column(model)
    return list(Photo.select().where(getattr(Photo, column) == record_id).order_by(Photo.order, Photo.id))


def counts(model, campaign) -> dict[int, int]:
    """Record id → number of photos, for the records of `model` in `campaign` that have any."""
    column = _owner_column(model)
    campaign_id = campaign.id if isinstance(campaign, Campaign) else campaign
    rows = database.execute_sql(
        f'SELECT p."{column}_id", count(*) FROM photo p JOIN "{model._meta.table_name}" r ON r.id = p."{column}_id" '
        f'WHERE r.campaign_id = ? GROUP BY p."{column}_id"', (campaign_id,)).fetchall()
    return {record_id: n for record_id, n in rows}


def count_in_batches(batch_ids) -> int:
    """How many photos the records of these import batches carry (replacing the batches deletes them)."""
    ids = [int(b) for b in batch_ids]
    if not ids:
        return 0
    marks = ", ".join("?" for _ in ids)
    return sum(database.execute_sql(
        f'SELECT count(*) FROM photo p JOIN "{model._meta.table_name}" r ON r.id = p."{column}_id" '
        f'WHERE r.import_batch_id IN ({marks})', tuple(ids)).fetchone()[0] for model, column in PHOTO_OWNERS.items())


def image_bytes(photo: Photo) -> bytes:
    return bytes(PhotoImage.get_by_id(photo.image_id).data)


def image_size(photo: Photo) -> tuple[int, int]:
    image = PhotoImage.select(PhotoImage.width, PhotoImage.height).where(PhotoImage.id == photo.image_id).get()
    return image.width, image.height


def owner_of(photo: Photo):
    """(model, record) the photo belongs to."""
    for model, column in PHOTO_OWNERS.items():
        record_id = getattr(photo, f"{column}_id")
        if record_id is not None:
            return model, model.get_by_id(record_id)
    raise AppError("该图片不属于任何记录。")


# ---------------------------------------------------------------------------------------------- adding

def attach(model, record_id: int, pictures) -> list[Photo]:
    """Attach print-size pictures (each with .data JPEG bytes, .width, .height, .sha256, .file_name — what
    exchange.photo_reading returns) to one record, after its existing photos, as one change group."""
    pictures = list(pictures)
    if not pictures:
        return []
    with history.change_group(), database.atomic():
        return [_attach(model, record_id, picture) for picture in pictures]


def _attach(model, record_id: int, photo) -> Photo:
    column = _owner_column(model)
    record_of(model, record_id)
    existing = Photo.select().where(getattr(Photo, column) == record_id)
    if existing.count() >= MAX_PHOTOS_PER_RECORD:
        raise AppError(f"每条记录最多 {MAX_PHOTOS_PER_RECORD} 张图片。请删除不用的图片后再添加。")
    image = PhotoImage.get_or_none(PhotoImage.sha256 == photo.sha256)
    if image is None:
        image = PhotoImage.create(sha256=photo.sha256, data=photo.data, width=photo.width, height=photo.height)
    last = max((p.order for p in existing), default=0)
    created = Photo.create(**{column: record_id}, image=image, order=last + 1, file_name=photo.file_name[:255])
    history.log_create(Photo, created.id)
    return created


# ---------------------------------------------------------------------------------------------- editing

def get_photo(photo_id: int) -> Photo:
    photo = Photo.get_or_none(Photo.id == photo_id)
    if photo is None:
        raise NotFoundError(f"图片(编号 {photo_id})不存在,可能已被删除。")
    return photo


def update_photo(photo_id: int, *, caption: str | None = None, include: bool | None = None) -> Photo:
    """Change a photo's caption (blank: built from the record) or whether it goes into the summary."""
    with database.atomic():
        photo = get_photo(photo_id)
        before = history.snapshot(Photo, photo_id)
        if caption is not None:
            caption = " ".join(caption.split())
            if len(caption) > MAX_CAPTION:
                raise ValidationError("caption", f"内容过长(最多{MAX_CAPTION}个字)", label="图片说明")
            photo.caption = caption
        if include is not None:
            photo.include = bool(include)
        photo.save()
        history.log_update(Photo, photo_id, before)
    return photo


def move_photo(photo_id: int, step: int) -> None:
    """Move a photo `step` places earlier (<0) or later (>0) among its record's photos (their order in the summary)."""
    with history.change_group(), database.atomic():
        photo = get_photo(photo_id)
        model, record = owner_of(photo)
        siblings = photos_of(model, record.id)
        index = next(i for i, p in enumerate(siblings) if p.id == photo_id)
        target = max(0, min(len(siblings) - 1, index + step))
        if target == index:
            return
        siblings.insert(target, siblings.pop(index))
        for n, item in enumerate(siblings, start=1):
            if item.order != n:
                before = history.snapshot(Photo, item.id)
                Photo.update(order=n).where(Photo.id == item.id).execute()
                history.log_update(Photo, item.id, before)


def delete_photo(photo_id: int) -> None:
    """Remove a photo from its record (undoable: its image stays in the file for the history)."""
    with database.atomic():
        get_photo(photo_id)
        before = history.snapshot(Photo, photo_id)
        Photo.delete().where(Photo.id == photo_id).execute()
        history.log_delete(Photo, photo_id, before)


# ---------------------------------------------------------------------------------------------- the summary

def _record_date(model, record) -> dt.date | None:
    return record.start_date if model is Training else record.date


def chosen(campaign) -> list[tuple[Photo, type, object]]:
    """(photo, record model, record) of the photos chosen for the summary (选入总结) among `campaign`'s records, in
    the order of their records' dates (records without a date last), then each record's own order."""
    campaign_id = campaign.id if isinstance(campaign, Campaign) else campaign
    rank = {model: n for n, model in enumerate(PHOTO_OWNERS)}
    found = []
    for model, column in PHOTO_OWNERS.items():
        query = (Photo.select(Photo, model).join(model, on=(getattr(Photo, column) == model.id))
                 .where((model.campaign == campaign_id) & (Photo.include == True)))  # noqa: E712 - peewee
        for photo in query:
            record = getattr(photo, column)
            date = _record_date(model, record)
            found.append(((date is None, date or dt.date.min, rank[model], record.id, photo.order, photo.id),
                          photo, model, record))
    found.sort(key=lambda item: item[0])
    return [(photo, model, record) for _, photo, model, record in found]
