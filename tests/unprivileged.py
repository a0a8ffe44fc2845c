"""Running a command without the power to ignore file permissions, so that permission tests also run as root
(which CI is): as root, the command is started through `setpriv` with CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
and CAP_FOWNER dropped from its bounding set — it stays root and owns the test's files, but a folder chmod 555
and a file chmod 444 now stop it exactly as they stop a clerk. As any other user, the command runs as it is."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.db.util import ROOT, env

DROPPED = "-dac_override,-dac_read_search,-fowner"


def wrap(argv: list[str]) -> list[str]:
    """`argv` to be run without permission-overriding privileges (see the module docstring)."""
    if os.name != "posix":
        pytest.skip("file permissions as tested here are POSIX")
    if os.geteuid() != 0:
        return list(argv)
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.fail("running as root needs setpriv (util-linux) to drop privileges for the permission tests")
    return [setpriv, f"--bounding-set={DROPPED}", "--", *argv]


def run_cli(*args, **kw) -> subprocess.CompletedProcess:
    """`python -m safetymonth_desktop ARGS` without permission-overriding privileges."""
    return subprocess.run(wrap([sys.executable, "-m", "safetymonth_desktop", *map(str, args)]), capture_output=True,
                          text=True, encoding="utf-8", env=kw.pop("env", None) or env(), cwd=ROOT, **kw)


def run_python(code: str, *args, **kw) -> subprocess.CompletedProcess:
    """A Python snippet (argv[1:] = args) without permission-overriding privileges."""
    return subprocess.run(wrap([sys.executable, "-c", code, *map(str, args)]), capture_output=True, text=True,
                          encoding="utf-8", env=kw.pop("env", None) or env(), cwd=ROOT, **kw)


def check_it_works(tmp_path) -> None:
    """Fail loudly (never skip) when the dropped privileges would not stop a write into a read-only folder."""
    folder = tmp_path / "probe-read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = run_python("import sys, pathlib; pathlib.Path(sys.argv[1], 'x').write_text('x')", folder)
    finally:
        folder.chmod(0o755)
    assert result.returncode != 0 and "PermissionError" in result.stderr, \
        f"could not drop the privileges that ignore file permissions: {result.stderr}"
