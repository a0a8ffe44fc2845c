"""The pinned build requirements satisfy the ranges pyproject.toml declares, one exact version per package."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
tomllib = pytest.importorskip("tomllib")
requirements = pytest.importorskip("packaging.requirements")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "packaging" / "requirements-windows.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req = requirements.Requirement(line)
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"not an exact pin: {line}"
        name = _canonical(req.name)
        assert name not in pins, f"pinned twice: {req.name}"
        pins[name] = specs[0].version
    return pins


def test_every_dependency_is_pinned_inside_its_range():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = _pins()
    for dependency in project["dependencies"]:
        req = requirements.Requirement(dependency)
        name = _canonical(req.name)
        assert name in pins, f"{req.name} is a dependency but has no pin"
        assert req.specifier.contains(pins[name]), f"{req.name}=={pins[name]} is outside {req.specifier}"


def test_the_bundler_and_its_windows_dependencies_are_pinned():
    pins = _pins()
    for name in ("pyinstaller", "pyinstaller-hooks-contrib", "pefile", "pywin32-ctypes", "shiboken6"):
        assert name in pins


def test_qt_packages_share_one_version():
    pins = _pins()
    assert pins["pyside6-essentials"] == pins["pyside6-addons"] == pins["shiboken6"]
