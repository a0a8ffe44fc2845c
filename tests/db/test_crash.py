"""Real processes killed with SIGKILL in the middle of a large write, a restore and a backup: afterwards the
database passes `check` and holds all or none of that write; a backup file is complete or absent."""

import shutil
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from safetymonth_desktop.db import backup_folder, integrity
from safetymonth_desktop.db.lock import lock_path
from safetymonth_desktop.db.migrations import latest_version
from tests.db.util import cli, spawn, wait_for

# A generous limit: each test starts and kills several processes over a 200 000-row write.
pytestmark = [pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"), pytest.mark.timeout(900)]

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / f"schema_v{latest_version()}.sqlite"
ROWS = 200_000
CHUNKS = 10

# The bulk path of an import: one transaction, sqlite3 executemany, the change log in one statement.
WRITER = f"""
import sys
from safetymonth_desktop.db import models as m
from safetymonth_desktop.db.connection import database, open_database, close_database
from safetymonth_desktop.services import history
open_database(sys.argv[1], lock=True, program="命令 safetymonth import")
campaign = m.Campaign.get(m.Campaign.year == 2021)
unit = m.Unit.select().first()
sql = ('INSERT INTO hazard (campaign_id, unit_id, enterprise, industry, found_date, description, level, measures,'
       ' responsible, status, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
with history.change_group(), database.atomic():
    print("begin", flush=True)
    first = database.execute_sql("SELECT coalesce(max(id), 0) + 1 FROM hazard").fetchone()[0]
    cursor = database.cursor()
    per = {ROWS} // {CHUNKS}
    for chunk in range({CHUNKS}):
        rows = [(campaign.id, unit.id, f"企业{{chunk}}-{{i}}", "建筑施工", "2021-06-10", "脚手架未设防护栏杆", "一般",
                 "", "", "待整改", "") for i in range(per)]
        cursor.executemany(sql, rows)
        print(f"chunk {{chunk}}", flush=True)
    history.log_bulk_create(m.Hazard, first, first + {ROWS} - 1)
    print("committing", flush=True)
print("committed", flush=True)
close_database()
print("closed", flush=True)
"""


def hazard_counts(path):
    con = sqlite3.connect(path)  # read-write, as the application opens it: replays a hot journal / WAL
    try:
        return (con.execute("SELECT count(*) FROM hazard").fetchone()[0],
                con.execute("SELECT count(*) FROM change_log WHERE \"table\" = 'hazard' AND action = 'create'"
                            " AND after IS NULL").fetchone()[0])
    finally:
        con.close()


@pytest.mark.parametrize("marker, delay", [
    ("begin", 0.0), ("chunk 2", 0.0), ("chunk 9", 0.0), ("committing", 0.0), ("committing", 0.05),
    ("committed", 0.0),
])
def test_killed_bulk_write_leaves_all_or_nothing(tmp_path, marker, delay):
    path = tmp_path / "safetymonth.sqlite"
    shutil.copyfile(FIXTURE, path)
    base, base_logged = hazard_counts(path)
    writer = spawn(WRITER, path)
    wait_for(writer, marker)
    if delay:
        time.sleep(delay)
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    assert lock_path(path).exists()  # killed: the lock is left behind ...

    result = cli("--db", path, "check")
    assert result.returncode == 0, result.stderr
    count, logged = hazard_counts(path)
    assert (count, logged) in {(base, base_logged), (base + ROWS, base_logged + ROWS)}, (marker, count, logged)
    if marker == "committed":
        assert count == base + ROWS
    if marker in ("begin", "chunk 2", "chunk 9"):
        assert count == base
    # ... and the next writer takes it over and works.
    result = cli("--db", path, "campaign", "--year", 2023)
    assert result.returncode == 0, result.stderr
    assert cli("--db", path, "check").returncode == 0


RESTORER = """
import sys
from safetymonth_desktop.db import restore
from safetymonth_desktop.services import safety
real_copy = restore._copy_into_live
def copy(*args):
    print("copying", flush=True)  # the pre-restore backup is done; the live file is being overwritten
    real_copy(*args)
restore._copy_into_live = copy
print("start", flush=True)
safety.restore(sys.argv[2], sys.argv[1], program="命令 safetymonth restore")
print("done", flush=True)
"""


@pytest.fixture(scope="module")
def big_candidate(tmp_path_factory):
    """The fixture database plus 200 000 hazard rows."""
    path = tmp_path_factory.mktemp("big") / "big.sqlite"
    shutil.copyfile(FIXTURE, path)
    writer = spawn(WRITER, path)
    wait_for(writer, "closed")
    writer.wait()
    return path


@pytest.mark.parametrize("marker, delay", [("start", 0.0), ("start", 0.05), ("copying", 0.0), ("copying", 0.03),
                                           ("copying", 0.08), ("copying", 0.15), ("done", 0.0)])
def test_killed_restore_leaves_old_or_new_database(tmp_path, big_candidate, marker, delay):
    path = tmp_path / "safetymonth.sqlite"
    shutil.copyfile(FIXTURE, path)
    old = hazard_counts(path)
    new = hazard_counts(big_candidate)
    proc = spawn(RESTORER, path, big_candidate)
    wait_for(proc, marker)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    result = cli("--db", path, "check")
    assert result.returncode == 0, result.stderr
    assert hazard_counts(path) in (old, new)
    if marker == "done":
        assert hazard_counts(path) == new
    # whatever state it is in, restoring again completes
    assert cli("--db", path, "restore", big_candidate).returncode == 0
    assert hazard_counts(path) == new


BACKUPER = """
import sys
from safetymonth_desktop.db import backup, backup_folder
print("start", flush=True)
backup.make_backup(sys.argv[1], "manual")
print("done", flush=True)
"""


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.2, 0.5])
def test_killed_backup_leaves_no_half_written_backup(big_candidate, tmp_path, delay):
    path = tmp_path / "safetymonth.sqlite"
    shutil.copyfile(big_candidate, path)
    proc = spawn(BACKUPER, path)
    wait_for(proc, "start")
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for found in backup_folder.list_backups(backup_folder.backup_dir(path)):
        assert integrity.examine(found).ok
        assert hazard_counts(found) == hazard_counts(path)
    assert integrity.examine(path).ok
