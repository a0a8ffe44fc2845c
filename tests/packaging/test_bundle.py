"""Builds the PyInstaller bundle with packaging/build.sh and runs its smoke test (packaging/smoke.sh).

Opt-in: set SAFETYMONTH_BUILD_BUNDLE=1. It needs PyInstaller (pip-installed into the running interpreter by
build.sh when missing, so it also needs network or a local index), takes ~15 s of build time plus the smoke
run on a 2-core machine and writes ~190 MB into build/ and dist/ of the checkout."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(2400),  # the build itself may take up to 1800 s
    pytest.mark.skipif(os.environ.get("SAFETYMONTH_BUILD_BUNDLE") != "1",
                       reason="set SAFETYMONTH_BUILD_BUNDLE=1 to build and smoke-test the bundle"),
    pytest.mark.skipif(sys.platform != "linux" or shutil.which("bash") is None, reason="build.sh is for Linux"),
]


def test_bundle_builds_and_passes_the_smoke_test():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(["bash", str(ROOT / "packaging" / "build.sh"), "--python", sys.executable],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "== SMOKE OK" in result.stdout
    assert "FAIL" not in result.stdout
    bundle = ROOT / "dist" / "safetymonth"
    assert (bundle / "safetymonth").is_file() and (bundle / "safetymonth-cli").is_file()
    assert (bundle / "_internal" / "docs" / "使用说明.html").is_file()
    build_time = re.search(r"== build time: ([\d.]+) s", result.stdout).group(1)
    size = re.search(r"== bundle: .*?, (\S+) \(", result.stdout).group(1)
    print(f"build time {build_time} s, bundle {size}")
