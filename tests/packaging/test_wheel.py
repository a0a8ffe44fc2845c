"""The wheel that `pip install .` builds carries every package, the templates and the user guide, so the
README's install-and-run command works outside a checkout."""

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_folder_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "safetymonth_desktop").rglob("__init__.py")}
    assert on_disk <= listed, f"add to [tool.setuptools] packages: {sorted(on_disk - listed)}"


@pytest.mark.slow
def test_wheel_contents(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                             "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True)
    if result.returncode != 0 and "setuptools" in result.stderr:
        pytest.skip("setuptools>=77 not available without build isolation: " + result.stderr[-300:])
    assert result.returncode == 0, result.stderr[-2000:]
    names = zipfile.ZipFile(next(tmp_path.glob("*.whl"))).namelist()
    for needed in ("safetymonth_desktop/resources/templates/default_summary.docx",
                   "safetymonth_desktop/resources/templates/变量说明.md",
                   "safetymonth_desktop/resources/icons/safetymonth.ico",
                   "safetymonth_desktop/docs/使用说明.html",
                   "safetymonth_desktop/commands/report.py",
                   "safetymonth_desktop/ui/main_window.py"):
        assert needed in names
