"""The Windows version resource is generated from the package version and is what PyInstaller can read."""

import importlib.util
import sys
from pathlib import Path

import pytest

from safetymonth_desktop import __version__

ROOT = Path(__file__).resolve().parents[2]


def _load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "packaging" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


version_info = _load("version_info")


@pytest.mark.parametrize("version, numbers", [
    ("0.1.0", (0, 1, 0, 0)),
    ("1.2", (1, 2, 0, 0)),
    ("2.10.3rc1", (2, 10, 3, 0)),
    ("3.0.0.dev4", (3, 0, 0, 0)),
    ("4.5.6.7", (4, 5, 6, 7)),
])
def test_version_numbers(version, numbers):
    assert version_info.version_numbers(version) == numbers


def test_version_numbers_refuses_text():
    with pytest.raises(ValueError):
        version_info.version_numbers("latest")


def _evaluate(text):
    """Evaluate the resource text the way PyInstaller does, with constructors that record their arguments."""
    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
             "VarFileInfo", "VarStruct")
    namespace = {name: (lambda name: lambda *args, **kwargs: (name, args, kwargs))(name) for name in names}
    return eval(text, namespace)  # noqa: S307 (our own generated text)


def test_text_carries_the_package_version():
    text = version_info.version_info_text(__version__, "safetymonth-cli.exe")
    name, _, kwargs = _evaluate(text)
    assert name == "VSVersionInfo"
    ffi = kwargs["ffi"][2]
    assert ffi["filevers"] == ffi["prodvers"] == version_info.version_numbers(__version__)
    table = kwargs["kids"][0][1][0][0]
    strings = {struct[1][0]: struct[1][1] for struct in table[1][1]}
    assert strings["FileVersion"] == strings["ProductVersion"] == __version__
    assert strings["OriginalFilename"] == "safetymonth-cli.exe"
    assert strings["ProductName"] == "安全生产月数据填报与总结"


def test_write_version_info_uses_package_version(tmp_path):
    target = version_info.write_version_info(tmp_path / "vi.txt")
    assert f"FileVersion', '{__version__}'" in target.read_text(encoding="utf-8")


def test_pyinstaller_reads_it(tmp_path, monkeypatch):
    """PyInstaller's own parser accepts the file (its Windows-only imports are stubbed off Windows)."""
    pytest.importorskip("PyInstaller")
    if sys.platform != "win32":
        import types

        import PyInstaller.compat

        monkeypatch.setitem(sys.modules, "pefile", sys.modules.get("pefile") or types.ModuleType("pefile"))
        monkeypatch.setattr(PyInstaller.compat, "win32api", None, raising=False)
        monkeypatch.delitem(sys.modules, "PyInstaller.utils.win32.versioninfo", raising=False)
    from PyInstaller.utils.win32 import versioninfo

    target = version_info.write_version_info(tmp_path / "vi.txt", "2.3.4")
    parsed = versioninfo.load_version_info_from_text_file(str(target))
    assert (parsed.ffi.fileVersionMS, parsed.ffi.fileVersionLS) == ((2 << 16) | 3, 4 << 16)
    assert len(parsed.toRaw()) > 200  # serialises into the binary resource
