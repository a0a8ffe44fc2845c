"""A test that hangs fails instead of hanging the whole run (pytest-timeout, configured in pyproject.toml)."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_test_has_a_time_limit(request):
    assert request.config.pluginmanager.hasplugin("timeout")
    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert 60 <= int(options["timeout"]) <= 900
    assert request.config.getini("timeout") == str(options["timeout"])
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(d.startswith("pytest-timeout") for d in extras["test"])


def test_a_hanging_test_fails(tmp_path):
    """What dropping O_EXCL from the lock did to a GUI test: wait forever. Here a wait that never ends, under a
    limit of 2 s set the way the slow tests set theirs, must fail, and the next test must still run."""
    (tmp_path / "test_hang.py").write_text(
        "import threading\n"
        "import pytest\n"
        "@pytest.mark.timeout(2)\n"
        "def test_waits_forever():\n"
        "    threading.Event().wait()\n"
        "def test_after():\n"
        "    pass\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:qt",
                             str(tmp_path / "test_hang.py")], capture_output=True, text=True, cwd=tmp_path,
                            timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Timeout" in result.stdout and "1 failed, 1 passed" in result.stdout, result.stdout
