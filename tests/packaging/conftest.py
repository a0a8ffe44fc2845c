"""The PyInstaller bundle, built once per test session and shared by the tests that need it (test_bundle.py
smoke-tests it, test_deb.py packages and installs it), so CI builds it once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_BUNDLE = os.environ.get("SAFETYMONTH_BUILD_BUNDLE") == "1"
needs_bundle = [
    pytest.mark.slow,
    pytest.mark.timeout(2400),  # the build itself may take up to 1800 s
    pytest.mark.skipif(not BUILD_BUNDLE, reason="set SAFETYMONTH_BUILD_BUNDLE=1 to build and test the bundle"),
    pytest.mark.skipif(sys.platform != "linux" or shutil.which("bash") is None, reason="build.sh is for Linux"),
]


@pytest.fixture(scope="session")
def built_bundle() -> subprocess.CompletedProcess:
    """`packaging/build.sh --python <this interpreter>` (build + smoke test) run once; the bundle is
    dist/safetymonth/. Returns the finished process (stdout/stderr as text) for the tests to judge."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(["bash", str(ROOT / "packaging" / "build.sh"), "--python", sys.executable],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
