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


# ---------------------------------------------------------------------------------------------- the machine

@pytest.fixture
def unprivileged():
    """A command prefix that runs a program without the power to ignore file permissions, so that a `chmod 444`
    file is read-only to it even when the tests run as root (as CI does). As root: `setpriv` dropping the
    capabilities that override permissions (same uid, so the interpreter and the checkout stay readable);
    as an ordinary user: nothing. Skips when root and setpriv cannot do it."""
    import shutil
    import subprocess

    if os.name != "posix" or os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    caps = "-dac_override,-dac_read_search,-fowner,-linux_immutable"
    prefix = [setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}"] if setpriv else []
    if not prefix or subprocess.run([*prefix, "true"], capture_output=True).returncode != 0:
        pytest.skip("running as root without a working setpriv: permissions cannot be made to bite")
    return prefix


@pytest.fixture
def small_disk(tmp_path):
    """`small_disk(kib)` mounts a tmpfs of that size (a disk that fills up for real) and returns its folder;
    unmounted afterwards. Skips where mounting is not allowed (not root, no tmpfs, a container without it)."""
    import subprocess

    mounted = []

    def mount(kib: int):
        if os.name != "posix" or os.geteuid() != 0:
            pytest.skip("mounting a small tmpfs needs root")
        folder = tmp_path / f"disk{len(mounted)}"
        folder.mkdir()
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kib}k,mode=0755", "tmpfs", str(folder)],
                                capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
        mounted.append(folder)
        return folder

    yield mount
    for folder in mounted:
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)
