"""A small city built in this process for the roll-up tests of services and GUI: two counties (甲县, 乙县), each with
its own 城关街道 (same name, different sub-regions), a training, its 组织机构 and a 补充说明, hand up their 上报数据包;
the city (某市, level 市) has one unit of its own and imports both packages. `city` leaves the city's database open."""

from __future__ import annotations

import datetime as dt

import pytest

YEAR = 2024
COUNTIES = ("甲县", "乙县")


def _county(path, tmp_path, name: str, participants: int):
    from safetymonth_desktop.db import models as m
    from safetymonth_desktop.db.connection import close_database, open_database
    from safetymonth_desktop.exchange import package_write
    from safetymonth_desktop.services import campaigns, records, units

    open_database(path)
    try:
        c = campaigns.save(YEAR, region=name, organizer="县政府安委会")[0]
        street = units.create_unit("城关街道", kind="街道/乡镇", campaign=c)
        records.create(m.Training, c, {"unit": street.id, "category": "以会代训", "participants": participants,
                                       "start_date": dt.date(YEAR, 6, 5)})
        records.create(m.Meeting, c, {"date": dt.date(YEAR, 6, 2), "kind": "部署会", "title": f"{name}安全生产月部署会"})
        records.create(m.Body, c, {"name": f"{name}安全生产月活动组委会", "lead": "副县长", "office": "县应急管理局"})
        records.create(m.Note, c, {"section": "开头", "order": 1, "text": f"{name}高度重视安全生产月活动。"})
        out = tmp_path / f"{name}上报数据包.xlsx"
        package_write.write_package(c, out, today=dt.date(YEAR, 7, 1))
        return out
    finally:
        close_database()


def build_city(tmp_path, city_path):
    """The packages of the counties, and the city's database (closed) with both imported."""
    from safetymonth_desktop.db.connection import close_database, open_database
    from safetymonth_desktop.exchange import package_import
    from safetymonth_desktop.services import campaigns, units

    packages = {name: _county(tmp_path / f"{name}.sqlite", tmp_path, name, 10 * (i + 1))
                for i, name in enumerate(COUNTIES)}
    open_database(city_path)
    try:
        c = campaigns.save(YEAR, region="某市", organizer="市政府安委会", level="市")[0]
        units.create_unit("市应急管理局", kind="区级部门", campaign=c)
        for path in packages.values():
            result = package_import.import_package(path, c)
            assert result.status == "imported", result.message
    finally:
        close_database()
    return packages


@pytest.fixture
def city(db_path, tmp_path):
    """The city's database, open; yields the packages by county."""
    from safetymonth_desktop.db.connection import close_database, open_database

    packages = build_city(tmp_path, db_path)
    open_database(db_path)
    yield packages
    close_database()
