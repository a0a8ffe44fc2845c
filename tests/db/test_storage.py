"""A database on a network share: detected from injected facts, warned about, journal mode DELETE."""

import pytest

from safetymonth_desktop.db import storage
from safetymonth_desktop.db.connection import close_database, open_database, open_warnings
from safetymonth_desktop.db.storage import DRIVE_REMOTE, LocationFacts, is_network_location

MOUNTS = storage.parse_proc_mounts(
    "/dev/sda1 / ext4 rw 0 0\n"
    "server:/export /mnt/nfs nfs4 rw 0 0\n"
    "//srv/share /home/clerk/共享\\040盘 cifs rw 0 0\n"
    "tmpfs /tmp tmpfs rw 0 0\n"
)


@pytest.mark.parametrize("facts, network", [
    (LocationFacts(r"\\server\share\safety.sqlite", "win32"), True),
    (LocationFacts(r"\\?\UNC\server\share\safety.sqlite", "win32"), True),
    (LocationFacts(r"Z:\安全月\safety.sqlite", "win32", drive_type=DRIVE_REMOTE), True),
    (LocationFacts(r"C:\Users\clerk\safety.sqlite", "win32", drive_type=3), False),  # DRIVE_FIXED
    (LocationFacts(r"E:\safety.sqlite", "win32", drive_type=2), False),  # USB stick: removable, local
    (LocationFacts(r"\\?\C:\data\safety.sqlite", "win32", drive_type=3), False),
    (LocationFacts("/mnt/nfs/x/safety.sqlite", "linux", mounts=MOUNTS), True),
    (LocationFacts("/home/clerk/共享 盘/safety.sqlite", "linux", mounts=MOUNTS), True),
    (LocationFacts("/home/clerk/safety.sqlite", "linux", mounts=MOUNTS), False),
    (LocationFacts("/mnt/nfsother/safety.sqlite", "linux", mounts=MOUNTS), False),  # prefix, not the mount
    (LocationFacts("/tmp/safety.sqlite", "linux", mounts=MOUNTS), False),
])
def test_network_detection(facts, network):
    assert is_network_location(facts) is network


def test_network_database_gets_a_warning_and_rollback_journal(tmp_path, monkeypatch):
    monkeypatch.setattr(storage, "on_network", lambda path: True)
    db = open_database(tmp_path / "share.sqlite")
    try:
        assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert any("网络共享文件夹" in w for w in open_warnings())
    finally:
        close_database()


def test_local_database_uses_wal_without_warning(tmp_path):
    db = open_database(tmp_path / "local.sqlite")
    try:
        assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert open_warnings() == []
    finally:
        close_database()
