"""The Inno Setup script agrees with where the program keeps its data, and the uninstaller leaves that alone.

Inno Setup cannot run here; these checks read the script the way ISCC would for the facts that matter."""

import re
from pathlib import Path, PureWindowsPath

import pytest

from safetymonth_desktop.base import app_mutex
from safetymonth_desktop.base import paths

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "packaging" / "installer.iss"
LOCAL_APPDATA = r"C:\Users\clerk\AppData\Local"
PROGRAM_FILES = r"C:\Program Files"
CJK = re.compile(r"[\u4e00-\u9fff]")

# The names of the non-empty [Messages] of Inno Setup's Default.isl (jrsoftware/issrc Files/Default.isl, tags
# is-6_3_0 and is-7_0_1): the set every version shares, the ones 6.5 added and the three it dropped.
DEFAULT_ISL_COMMON = frozenset("""
    SetupAppTitle SetupWindowTitle UninstallAppTitle UninstallAppFullTitle InformationTitle ConfirmTitle
    ErrorTitle SetupLdrStartupMessage LdrCannotCreateTemp LdrCannotExecTemp LastErrorMessage SetupFileMissing
    SetupFileCorrupt SetupFileCorruptOrWrongVer InvalidParameter SetupAlreadyRunning WindowsVersionNotSupported
    WindowsServicePackRequired NotOnThisPlatform OnlyOnThisPlatform OnlyOnTheseArchitectures
    WinVersionTooLowError WinVersionTooHighError AdminPrivilegesRequired PowerUserPrivilegesRequired
    SetupAppRunningError UninstallAppRunningError PrivilegesRequiredOverrideTitle
    PrivilegesRequiredOverrideInstruction PrivilegesRequiredOverrideText1 PrivilegesRequiredOverrideText2
    PrivilegesRequiredOverrideAllUsers PrivilegesRequiredOverrideAllUsersRecommended
    PrivilegesRequiredOverrideCurrentUser PrivilegesRequiredOverrideCurrentUserRecommended ErrorCreatingDir
    ErrorTooManyFilesInDir ExitSetupTitle ExitSetupMessage AboutSetupMenuItem AboutSetupTitle AboutSetupMessage
    ButtonBack ButtonNext ButtonInstall ButtonOK ButtonCancel ButtonYes ButtonYesToAll ButtonNo ButtonNoToAll
    ButtonFinish ButtonBrowse ButtonWizardBrowse ButtonNewFolder SelectLanguageTitle SelectLanguageLabel
    ClickNext BrowseDialogTitle BrowseDialogLabel NewFolderName WelcomeLabel1 WelcomeLabel2 WizardPassword
    PasswordLabel1 PasswordLabel3 PasswordEditLabel IncorrectPassword WizardLicense LicenseLabel LicenseLabel3
    LicenseAccepted LicenseNotAccepted WizardInfoBefore InfoBeforeLabel InfoBeforeClickLabel WizardInfoAfter
    InfoAfterLabel InfoAfterClickLabel WizardUserInfo UserInfoDesc UserInfoName UserInfoOrg UserInfoSerial
    UserInfoNameRequired WizardSelectDir SelectDirDesc SelectDirLabel3 SelectDirBrowseLabel DiskSpaceGBLabel
    DiskSpaceMBLabel CannotInstallToNetworkDrive CannotInstallToUNCPath InvalidPath InvalidDrive
    DiskSpaceWarningTitle DiskSpaceWarning DirNameTooLong InvalidDirName BadDirName32 DirExistsTitle DirExists
    DirDoesntExistTitle DirDoesntExist WizardSelectComponents SelectComponentsDesc SelectComponentsLabel2
    FullInstallation CompactInstallation CustomInstallation NoUninstallWarningTitle NoUninstallWarning
    ComponentSize1 ComponentSize2 ComponentsDiskSpaceGBLabel ComponentsDiskSpaceMBLabel WizardSelectTasks
    SelectTasksDesc SelectTasksLabel2 WizardSelectProgramGroup SelectStartMenuFolderDesc
    SelectStartMenuFolderLabel3 SelectStartMenuFolderBrowseLabel MustEnterGroupName GroupNameTooLong
    InvalidGroupName BadGroupName NoProgramGroupCheck2 WizardReady ReadyLabel1 ReadyLabel2a ReadyLabel2b
    ReadyMemoUserInfo ReadyMemoDir ReadyMemoType ReadyMemoComponents ReadyMemoGroup ReadyMemoTasks
    ButtonStopDownload StopDownload ErrorDownloadAborted ErrorDownloadFailed ErrorDownloadSizeFailed
    ErrorProgress ErrorFileSize WizardPreparing PreparingDesc PreviousInstallNotCompleted CannotContinue
    ApplicationsFound ApplicationsFound2 CloseApplications DontCloseApplications ErrorCloseApplications
    PrepareToInstallNeedsRestart WizardInstalling InstallingLabel FinishedHeadingLabel FinishedLabelNoIcons
    FinishedLabel ClickFinish FinishedRestartLabel FinishedRestartMessage ShowReadmeCheck YesRadio NoRadio
    RunEntryExec RunEntryShellExec ChangeDiskTitle SelectDiskLabel2 PathLabel FileNotInDir2 SelectDirectoryLabel
    SetupAborted AbortRetryIgnoreSelectAction AbortRetryIgnoreRetry AbortRetryIgnoreIgnore
    AbortRetryIgnoreCancel StatusClosingApplications StatusCreateDirs StatusExtractFiles StatusCreateIcons
    StatusCreateIniEntries StatusCreateRegistryEntries StatusRegisterFiles StatusSavingUninstall
    StatusRunProgram StatusRestartingApplications StatusRollback ErrorInternal2 ErrorFunctionFailedNoCode
    ErrorFunctionFailed ErrorFunctionFailedWithMessage ErrorExecutingProgram ErrorRegOpenKey ErrorRegCreateKey
    ErrorRegWriteKey ErrorIniEntry FileAbortRetryIgnoreSkipNotRecommended
    FileAbortRetryIgnoreIgnoreNotRecommended SourceIsCorrupted SourceDoesntExist ExistingFileReadOnly2
    ExistingFileReadOnlyRetry ExistingFileReadOnlyKeepExisting ErrorReadingExistingDest FileExistsSelectAction
    FileExists2 FileExistsOverwriteExisting FileExistsKeepExisting FileExistsOverwriteOrKeepAll
    ExistingFileNewerSelectAction ExistingFileNewer2 ExistingFileNewerOverwriteExisting
    ExistingFileNewerKeepExisting ExistingFileNewerOverwriteOrKeepAll ErrorChangingAttr ErrorCreatingTemp
    ErrorReadingSource ErrorCopying ErrorReplacingExistingFile ErrorRestartReplace ErrorRenamingTemp
    ErrorRegisterServer ErrorRegSvr32Failed ErrorRegisterTypeLib UninstallDisplayNameMark
    UninstallDisplayNameMarks UninstallDisplayNameMark32Bit UninstallDisplayNameMark64Bit
    UninstallDisplayNameMarkAllUsers UninstallDisplayNameMarkCurrentUser ErrorOpeningReadme
    ErrorRestartingComputer UninstallNotFound UninstallOpenError UninstallUnsupportedVer UninstallUnknownEntry
    ConfirmUninstall UninstallOnlyOnWin64 OnlyAdminCanUninstall UninstallStatusLabel UninstalledAll
    UninstalledMost UninstalledAndNeedsRestart UninstallDataCorrupted ConfirmDeleteSharedFileTitle
    ConfirmDeleteSharedFile2 SharedFileNameLabel SharedFileLocationLabel WizardUninstalling StatusUninstalling
    ShutdownBlockReasonInstallingApp ShutdownBlockReasonUninstallingApp
""".split())

DEFAULT_ISL_FROM_6_5 = frozenset("""
    DownloadingLabel2 ExtractingLabel ButtonStopExtraction StopExtraction ErrorExtractionAborted
    ErrorExtractionFailed ArchiveIncorrectPassword ArchiveIsCorrupted ArchiveUnsupportedFormat
    RetryCancelSelectAction RetryCancelRetry RetryCancelCancel StatusDownloadFiles SourceVerificationFailed
    VerificationSignatureDoesntExist VerificationSignatureInvalid VerificationKeyNotFound
    VerificationFileNameIncorrect VerificationFileTagIncorrect VerificationFileSizeIncorrect
    VerificationFileHashIncorrect ErrorDownloading ErrorExtracting
""".split())

DEFAULT_ISL_BEFORE_6_5 = frozenset("""
    DownloadingLabel ErrorFileHash1 ErrorFileHash2
""".split())


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


def _expand(value: str, script: str, admin: bool = False) -> str:
    """Constants as Setup resolves them; {autopf} is {userpf} in non-administrative install mode (the default,
    PrivilegesRequired=lowest) and {commonpf} with /ALLUSERS (https://jrsoftware.org/ishelp/topic_consts.htm)."""
    value = re.sub(r"\{#(\w+)\}", lambda m: _define(script, m.group(1)), value)
    value = value.replace("{autopf}", PROGRAM_FILES if admin else LOCAL_APPDATA + r"\Programs")
    return value.replace("{localappdata}", LOCAL_APPDATA)


def test_saved_as_utf8_with_bom():
    assert ISS.read_bytes()[:3] == b"\xef\xbb\xbf"  # ISCC reads a script without BOM in the ANSI code page


def test_per_user_install_without_admin(script):
    setup = _setup(script)
    assert setup["PrivilegesRequired"] == "lowest"
    assert _expand(setup["DefaultDirName"], script) == LOCAL_APPDATA + r"\Programs\safetymonth"


def test_all_users_install_is_for_it_on_the_command_line(script):
    """AppLocker's default rules block %LOCALAPPDATA%: IT runs `setup.exe /ALLUSERS` into Program Files. The clerk's
    double-click is not asked about install modes (that would be the `dialog` override)."""
    setup = _setup(script)
    assert setup["PrivilegesRequiredOverridesAllowed"] == "commandline"
    assert _expand(setup["DefaultDirName"], script, admin=True) == PROGRAM_FILES + r"\safetymonth"
    # shortcuts follow the mode (auto constants); the data folder stays per user either way
    icons = _sections(script)["Icons"]
    assert not any("{userdesktop}" in line or "{commondesktop}" in line for line in icons)
    assert "IsAdminInstallMode" in script and "DataKeptAllUsers" in script


def test_refuses_old_and_32_bit_windows(script):
    """Qt 6.11 runs on Windows 10 1809 (build 17763) or later and Windows 11, x86-64 only."""
    setup = _setup(script)
    assert setup["MinVersion"] == "10.0.17763"
    assert setup["ArchitecturesAllowed"] == "x64compatible"
    assert setup["ArchitecturesInstallIn64BitMode"] == "x64compatible"


def test_app_mutex_is_the_one_the_program_creates(script):
    setup = _setup(script)
    names = [_expand(name, script) for name in setup["AppMutex"].split(",")]
    assert tuple(names) == app_mutex.MUTEX_NAMES
    assert app_mutex.MUTEX_NAME == _define(script, "AppMutexName")
    assert names[1] == "Global\\" + names[0]  # seen from other sessions (an administrator's /ALLUSERS upgrade)
    # the GUI holds it from start-up
    app = (ROOT / "safetymonth_desktop" / "ui" / "app.py").read_text(encoding="utf-8")
    assert "app_mutex.hold()" in app.split("def run_gui", 1)[1]


def test_app_mutex_is_a_no_op_off_windows():
    import sys

    if sys.platform == "win32":
        pytest.skip("on Windows it creates the mutexes")
    assert app_mutex.hold() == 0


def test_signing_is_wired_for_setup_and_uninstaller(script):
    block = script.split("#ifdef SignToolName", 1)[1].split("#endif", 1)[0]
    assert "SignTool={#SignToolName}" in block and "SignedUninstaller=yes" in block


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


@pytest.mark.parametrize("admin", [False, True], ids=["per-user", "all-users"])
def test_data_folder_is_outside_the_program_folder(script, monkeypatch, admin):
    data_dir = _windows_data_dir(monkeypatch)
    assert data_dir == PureWindowsPath(LOCAL_APPDATA) / paths.APP_DIR_NAME
    assert _define(script, "DataDirName") == paths.APP_DIR_NAME
    install_dir = PureWindowsPath(_expand(_setup(script)["DefaultDirName"], script, admin=admin))
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


def _messages(script: str) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """([Messages] always in force, fallback for every version, fallback for 6.5+, fallback before 6.5)."""
    section = script.split("\n[Messages]\n", 1)[1].split("\n[CustomMessages]\n", 1)[0]
    always, fallback = section.split("#ifndef ChineseMessages\n", 1)
    fallback = fallback.rsplit("#endif", 1)[0]
    common, versioned = fallback.split("#if PREPROCVER >= EncodeVer(6,5,0)\n", 1)
    new, old = versioned.split("#else\n", 1)
    old = old.split("#endif", 1)[0]

    def parse(block: str) -> dict[str, str]:
        pairs = [line.split("=", 1) for line in block.splitlines() if line and line[0] not in ";#"]
        result = dict(pairs)
        assert len(result) == len(pairs), "a message is defined twice"
        return result

    return parse(always), parse(common), parse(new), parse(old)


def test_refusals_and_conflicts_are_always_ours(script):
    """Whatever messages file is used, these come from the script: old/32-bit Windows, a running program,
    a file that cannot be replaced, and the uninstall question that promises the data stay."""
    always = _messages(script)[0]
    for key in ("WinVersionTooLowError", "WindowsVersionNotSupported", "OnlyOnTheseArchitectures",
                "SetupAppRunningError", "UninstallAppRunningError", "ErrorReplacingExistingFile", "ConfirmUninstall"):
        assert CJK.search(always[key]), key
    for key in ("WinVersionTooLowError", "WindowsVersionNotSupported", "OnlyOnTheseArchitectures"):
        assert "Windows 10(1809 版或更高版本)" in always[key] or "Windows 10 1809" in always[key], key
        assert "Windows 11" in always[key] and "64 位" in always[key], key
    assert "%1" in always["WinVersionTooLowError"] and "%2" in always["WinVersionTooLowError"]
    assert "%1" in always["OnlyOnTheseArchitectures"] and "%1" in always["SetupAppRunningError"]
    assert always["ErrorReplacingExistingFile"].endswith(":")  # Setup appends the file name and the error
    assert "数据库和备份会保留" in always["ConfirmUninstall"]


def test_chinese_fallback_covers_every_message_of_default_isl(script):
    """Without a ChineseSimplified.isl, Default.isl's English is replaced message by message: none is left out
    (for Inno Setup 6.3/6.4 and for 6.5+/7), none is misspelt, and every one is Chinese."""
    always, common, new, old = _messages(script)
    assert not set(always) & (set(common) | set(new) | set(old))
    assert set(always) | set(common) == DEFAULT_ISL_COMMON
    assert set(new) == DEFAULT_ISL_FROM_6_5
    assert set(old) == DEFAULT_ISL_BEFORE_6_5
    for key, value in {**always, **common, **new, **old}.items():
        words = re.sub(r"%.|\[[^\]]*\]|\b[KMG]B\b|DLL|OCX|INI|UNC|RegSvr32|Windows|Service Pack|Power Users",
                       "", value)
        assert CJK.search(value) or not re.search("[A-Za-z]", words), f"{key} is not Chinese: {value}"
        assert set(re.findall(r"%(.)", value.replace("%%", ""))) <= set("123456789n"), key
        assert set(re.findall(r"\[([^\]]*)\]", value)) <= {"name", "name/ver", "gb", "mb"}, key
    assert "数据库和备份会保留" in always["ConfirmUninstall"]
    for key in ("ButtonNext", "ButtonInstall", "ButtonFinish", "WelcomeLabel1", "FinishedLabel", "UninstalledAll"):
        assert key in common


def test_app_mutex_calls_create_mutex_with_the_installer_names(monkeypatch):
    """On Windows hold() asks kernel32.CreateMutexW for each name (no initial owner) and keeps the handles open.
    kernel32 is stood in for here, so what is checked is the call the module makes."""
    import ctypes
    import sys

    calls = []

    class CreateMutexW:
        argtypes = restype = None

        def __call__(self, attributes, initial_owner, name):
            calls.append((attributes, initial_owner, name))
            return 100 + len(calls)

    class Kernel32:
        def __init__(self, name, use_last_error=False):
            assert name == "kernel32" and use_last_error
            self.CreateMutexW = CreateMutexW()

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(ctypes, "WinDLL", Kernel32, raising=False)
    monkeypatch.setattr(app_mutex, "_handles", [])
    assert app_mutex.hold() == 2
    assert calls == [(None, False, name) for name in app_mutex.MUTEX_NAMES]
    assert app_mutex._handles == [101, 102]  # kept for the life of the process
    assert app_mutex.hold() == 2 and len(calls) == 2  # created once per process
