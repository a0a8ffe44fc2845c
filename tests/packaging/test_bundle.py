"""Builds the PyInstaller bundle with packaging/build.sh and runs its smoke test (packaging/smoke.sh).

Opt-in: set SAFETYMONTH_BUILD_BUNDLE=1. It needs PyInstaller (pip-installed into the running interpreter by
build.sh when missing, so it also needs network or a local index), takes ~25 s of build time plus the smoke
run on a 2-core machine and writes ~200 MB into build/ and dist/ of the checkout. The build is shared with
test_deb.py (conftest.py's session fixture)."""

import re

from tests.packaging.conftest import ROOT, needs_bundle

pytestmark = needs_bundle


def test_bundle_builds_and_passes_the_smoke_test(built_bundle):
    output = built_bundle.stdout + built_bundle.stderr
    assert built_bundle.returncode == 0, output[-6000:]
    assert "== SMOKE OK" in built_bundle.stdout
    assert "FAIL" not in built_bundle.stdout
    bundle = ROOT / "dist" / "safetymonth"
    assert (bundle / "safetymonth").is_file() and (bundle / "safetymonth-cli").is_file()
    assert (bundle / "_internal" / "docs" / "使用说明.html").is_file()
    # resources/ goes in whole (smoke.sh lists any file missing), including Qt-dialog translations there
    assert "ok   resources/ complete" in built_bundle.stdout
    build_time = re.search(r"== build time: ([\d.]+) s", built_bundle.stdout).group(1)
    size = re.search(r"== bundle: .*?, (\S+) \(", built_bundle.stdout).group(1)
    print(f"build time {build_time} s, bundle {size}")

