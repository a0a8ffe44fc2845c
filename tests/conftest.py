"""Shared fixtures: every test gets its own fresh database file; Qt runs offscreen."""

import os

# Must be set before anything imports Qt, or pytest aborts on a machine without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    """Path of a fresh database; the per-user data folder points into tmp_path too."""
    monkeypatch.setenv("SAFETYMONTH_HOME", str(tmp_path / "home"))
    return tmp_path / "test.sqlite"


@pytest.fixture
def db(db_path):
    """An open, empty database bound to the models."""
    from safetymonth_desktop.db.connection import close_database, open_database

    database = open_database(db_path)
    yield database
    close_database()


@pytest.fixture
def campaign(db):
    from safetymonth_desktop.services import campaigns

    return campaigns.save(2021, region="测试区", organizer="区政府安委会")[0]


@pytest.fixture
def demo(db):
    """The demo campaign of 2021."""
    from safetymonth_desktop.services.demo import create_demo

    return create_demo(2021)


@pytest.fixture
def today():
    return dt.date(2021, 7, 15)
