"""Photos on records: stored downscaled in the database, in order, on one record of one year; deleting the record
deletes its photos, and undo, redo and 恢复 of that deletion (of the record, of an import, of the whole year) keep
record and photos together; work on one year never touches another's."""

from pathlib import Path

import pytest
from PIL import Image

from safetymonth_desktop.db import models as m
from safetymonth_desktop.exchange import photo_files
from safetymonth_desktop.services import campaigns, history, photos, records
from safetymonth_desktop.base.errors import AppError


@pytest.fixture
def pictures(tmp_path):
    def make(*names, size=(2400, 1800)):
        paths = []
        for n, name in enumerate(names):
            path = tmp_path / name
            Image.new("RGB", size, (30 * n % 255, 90, 160)).save(path, quality=85)
            paths.append(path)
        return paths
    return make


def state():
    """Every photo row as (owner column values, image, caption, include, order), and every record id."""
    rows = sorted((p.event_id, p.meeting_id, p.training_id, p.inspection_id, p.image_id, p.caption, p.include, p.order)
                  for p in m.Photo.select())
    return rows, {model.__name__: sorted(r.id for r in model.select()) for model in photos.owners()}


def event_of(campaign, title="咨询日"):
    unit = m.Unit.get_or_none(m.Unit.name == "区应急管理局") or __import__(
        "safetymonth_desktop.services.units", fromlist=["x"]).create_unit("区应急管理局", kind="区级部门")
    return records.create(m.Event, campaign, {"unit": unit, "kind": "安全宣传咨询日", "title": title,
                                              "date": f"{campaign.year}-06-16", "venue": "县城广场"})


def test_photos_are_stored_downscaled_in_order(campaign, pictures):
    event = event_of(campaign)
    result = photo_files.add_files(m.Event, event.id, pictures("1.jpg", "2.jpg"))
    assert not result.problems and len(result.added) == 2
    stored = photos.photos_of(m.Event, event.id)
    assert [p.file_name for p in stored] == ["1.jpg", "2.jpg"] and [p.order for p in stored] == [1, 2]
    assert photos.image_size(stored[0]) == (1600, 1200) and photos.image_bytes(stored[0])[:2] == b"\xff\xd8"
    assert all(p.include for p in stored)
    photos.move_photo(stored[1].id, -1)
    assert [p.file_name for p in photos.photos_of(m.Event, event.id)] == ["2.jpg", "1.jpg"]
    photos.update_photo(stored[0].id, caption="  县长  致辞 ", include=False)
    again = photos.get_photo(stored[0].id)
    assert (again.caption, again.include) == ("县长 致辞", False)
    photos.delete_photo(stored[1].id)
    assert [p.file_name for p in photos.photos_of(m.Event, event.id)] == ["1.jpg"]


def test_the_same_picture_twice_is_stored_once(campaign, pictures):
    event = event_of(campaign)
    [path] = pictures("same.jpg")
    photo_files.add_files(m.Event, event.id, [path, path])
    assert m.Photo.select().count() == 2 and m.PhotoImage.select().count() == 1


def test_bad_files_are_named_and_the_good_ones_added(campaign, pictures, tmp_path):
    event = event_of(campaign)
    bad = tmp_path / "会议纪要.docx"
    bad.write_bytes(b"PK\x03\x04")
    result = photo_files.add_files(m.Event, event.id, [*pictures("ok.jpg"), bad])
    assert len(result.added) == 1 and len(result.problems) == 1 and "“会议纪要.docx”" in result.problems[0]
    assert "已添加 1 张图片" in result.message() and "会议纪要.docx" in result.message()


def test_only_events_meetings_trainings_and_inspections_carry_photos(campaign, pictures):
    material = records.create(m.Material, campaign, {"unit": event_of(campaign).unit, "kind": "展板", "quantity": 3})
    with pytest.raises(AppError, match="不能添加活动图片"):
        photo_files.add_files(m.Material, material.id, pictures("x.jpg"))
    with pytest.raises(AppError, match="不存在"):
        photo_files.add_files(m.Event, 9999, pictures("y.jpg"))


def test_deleting_a_record_deletes_its_photos_and_undo_redo_keep_them_together(campaign, pictures):
    event = event_of(campaign)
    other = event_of(campaign, "另一场")
    photo_files.add_files(m.Event, event.id, pictures("a.jpg", "b.jpg"))
    photo_files.add_files(m.Event, other.id, pictures("c.jpg"))
    photos.update_photo(photos.photos_of(m.Event, event.id)[0].id, caption="领导致辞", include=False)
    before = state()
    with history.change_group() as group:
        records.delete(m.Event, event.id)
    assert m.Photo.select().count() == 1  # the other event's photo stays
    undo = history.revert_group(group)
    assert state() == before
    history.revert_group(undo)  # redo
    assert m.Photo.select().count() == 1 and not m.Event.select().where(m.Event.id == event.id).exists()
    history.restore_record(m.Event, event.id)  # 恢复 from the deleted records list
    assert state() == before


def test_undoing_a_records_creation_after_photos_were_added_keeps_them_for_redo(campaign, pictures):
    with history.change_group() as group:
        event = event_of(campaign)
    photo_files.add_files(m.Event, event.id, pictures("a.jpg"))
    before = state()
    undo = history.revert_group(group)
    assert m.Photo.select().count() == 0
    history.revert_group(undo)
    assert state() == before


def test_deleting_a_year_and_undoing_it_brings_its_photos_back_and_leaves_other_years(db, pictures):
    y21 = campaigns.save(2021, region="测试区")[0]
    y22 = campaigns.save(2022, region="测试区")[0]
    e21, e22 = event_of(y21), event_of(y22)
    photo_files.add_files(m.Event, e21.id, pictures("21.jpg"))
    photo_files.add_files(m.Event, e22.id, pictures("22.jpg"))
    before = state()
    assert [p.file_name for p, _, _ in photos.chosen(y21)] == ["21.jpg"]
    assert [p.file_name for p, _, _ in photos.chosen(y22)] == ["22.jpg"]
    with history.change_group() as group:
        campaigns.delete(2021)
    assert [p.file_name for p in m.Photo.select()] == ["22.jpg"]
    history.revert_group(group)
    assert state() == before
    with history.change_group():
        campaigns.delete(2021)
    history.restore_record(m.Campaign, y21.id)
    assert state() == before
    assert photos.counts(m.Event, campaigns.get(2022)) == {e22.id: 1}


def test_replacing_an_import_says_its_photos_go_and_undo_brings_them_back(campaign, pictures, tmp_path):
    from safetymonth_desktop.exchange import xlsx_import
    from tests.exchange.test_xlsx_import import write_book
    from safetymonth_desktop.services import units

    units.create_unit("城关街道", kind="街道/乡镇")
    rows = [["填报单位", "培训类别", "参训人次"], ["城关街道", "以会代训", 30]]
    path = write_book(tmp_path / "城关.xlsx", {"培训": rows})
    xlsx_import.import_files([path], 2021)
    training = m.Training.get()
    photo_files.add_files(m.Training, training.id, pictures("t1.jpg", "t2.jpg"))
    before = state()
    rows[1][2] = 35
    write_book(path, {"培训": rows})
    [preview] = xlsx_import.import_files([path], 2021, replace=True, dry_run=True)
    assert "带有 2 张活动图片,将一并删除" in preview.message
    xlsx_import.import_files([path], 2021, replace=True)
    assert m.Photo.select().count() == 0
    history.revert_group(history.last_group())
    assert state() == before
