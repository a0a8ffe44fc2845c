"""The Inno Setup script agrees with where the program keeps its data, and the uninstaller leaves that alone.

Inno Setup cannot run here; these checks read the script the way ISCC would for the facts that matter."""

import re
from pathlib import Path, PureWindowsPath

import pytest

from safetymonth_desktop.base import paths

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "packaging" / "installer.iss"
LOCAL_APPDATA = r"C:\Users\clerk\AppData\Local"


@pytest.fixture(scope="module")
def script() -> str:
    return ISS.read_text(encoding="utf-8-sig")


def _sections(script: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for line in script.splitlines():
        line = line.strip()
        if not line or line.startswith(";") or line.startswith("#"):
            continue
        match = re.fullmatch(r"\[(\w+)\]", line)
        if match:
            current = match.group(1)
            sections.setdefault(current, [])
        elif current:
            sections[current].append(line)
    return sections


def _setup(script: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in _sections(script)["Setup"])


def _define(script: str, name: str) -> str:
    return re.search(rf'^#define {name} "([^"]*)"', script, re.M).group(1)


def _expand(value: str, script: str) -> str:
    value = re.sub(r"\{#(\w+)\}", lambda m: _define(script, m.group(1)), value)
    return value.replace("{localappdata}", LOCAL_APPDATA)


def test_saved_as_utf8_with_bom():
    assert ISS.read_bytes()[:3] == b"\xef\xbb\xbf"  # ISCC reads a script without BOM in the ANSI code page


def test_per_user_install_without_admin(script):
    setup = _setup(script)
    assert setup["PrivilegesRequired"] == "lowest"
    assert "PrivilegesRequiredOverridesAllowed" not in setup  # no "install for all users" question
    assert _expand(setup["DefaultDirName"], script) == LOCAL_APPDATA + r"\Programs\safetymonth"


def _windows_data_dir(monkeypatch) -> PureWindowsPath:
    """paths.data_dir() as it resolves on Windows (platformdirs' Windows rules, the user's local AppData)."""
    import platformdirs
    import platformdirs.windows

    monkeypatch.delenv("SAFETYMONTH_HOME", raising=False)
    monkeypatch.setattr(platformdirs.windows, "get_win_folder",
                        lambda csidl: LOCAL_APPDATA if csidl == "CSIDL_LOCAL_APPDATA" else r"C:\Elsewhere")
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *args, **kwargs:
                        platformdirs.windows.Windows(*args, **kwargs).user_data_dir)
    return PureWindowsPath(str(paths.data_dir()))


def test_data_folder_is_outside_the_program_folder(script, monkeypatch):
    data_dir = _windows_data_dir(monkeypatch)
    assert data_dir == PureWindowsPath(LOCAL_APPDATA) / paths.APP_DIR_NAME
    assert _define(script, "DataDirName") == paths.APP_DIR_NAME
    install_dir = PureWindowsPath(_expand(_setup(script)["DefaultDirName"], script))
    assert data_dir not in (install_dir, *install_dir.parents)
    assert install_dir not in (data_dir, *data_dir.parents)


def test_nothing_deletes_the_data_folder(script, monkeypatch):
    data_dir = _windows_data_dir(monkeypatch)
    sections = _sections(script)
    for section in ("InstallDelete", "UninstallDelete"):
        for entry in sections.get(section, []):
            name = _expand(re.search(r'Name: "([^"]+)"', entry).group(1), script)
            assert name.startswith("{app}"), f"[{section}] touches something outside the program folder: {entry}"
    assert "DelTree" not in script and "DeleteFile" not in script
    # The post-uninstall message names the data folder it leaves in place.
    assert "{localappdata}\\{#DataDirName}" in script and data_dir.name == paths.APP_DIR_NAME


def test_shortcuts_point_at_bundled_files(script):
    icons = _sections(script)["Icons"]
    spec = (ROOT / "packaging" / "safetymonth.spec").read_text(encoding="utf-8")
    assert any(r'{app}\{#AppExe}' in line and "{group}" in line for line in icons)
    assert any("{autodesktop}" in line and "Tasks: desktopicon" in line for line in icons)
    guide = next(line for line in icons if "UserGuide" in line)
    # PyInstaller puts data files under _internal\; the spec bundles the guide into docs/.
    assert r"{app}\_internal\docs\使用说明.html" in guide
    assert '"使用说明.html"), "docs")' in spec
    assert (ROOT / "docs" / "使用说明.html").is_file()
    assert _define(script, "AppExe") == "safetymonth.exe"


def test_files_it_names_exist(script):
    setup = _setup(script)
    assert (ISS.parent / setup["SetupIconFile"].replace("\\", "/")).is_file()


def test_chinese_messages_fallback_is_complete(script):
    """Without ChineseSimplified.isl the pages the wizard shows still speak Chinese."""
    block = script.split("#ifndef ChineseMessages\n[Messages]", 1)[1].split("#endif", 1)[0]
    messages = dict(line.split("=", 1) for line in block.strip().splitlines())
    for key in ("ButtonNext", "ButtonBack", "ButtonInstall", "ButtonCancel", "ButtonFinish", "WelcomeLabel1",
                "WelcomeLabel2", "SelectDirLabel3", "SelectTasksLabel2", "ReadyLabel1", "FinishedLabel",
                "ConfirmUninstall", "UninstalledAll", "ExitSetupMessage"):
        assert re.search(r"[\u4e00-\u9fff]", messages[key]), key
    assert "数据库和备份会保留" in messages["ConfirmUninstall"]
