"""The build scripts parse and say what they must (they cannot all run here: Windows and a full build)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("script", ["build.sh", "smoke.sh", "build_deb.sh"])
def test_shell_scripts_parse(script):
    result = subprocess.run(["bash", "-n", str(PACKAGING / script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_powershell_script_is_ascii():
    # Windows PowerShell 5.1 reads a .ps1 without BOM in the ANSI code page: any non-ASCII byte would be garbled.
    data = (PACKAGING / "build_windows.ps1").read_bytes()
    bad = [(n + 1, line) for n, line in enumerate(data.splitlines()) if re.search(rb"[^\x00-\x7f]", line)]
    assert not bad, bad


def test_powershell_script_installs_pins_online_and_offline():
    text = (PACKAGING / "build_windows.ps1").read_text(encoding="ascii")
    assert "packaging\\requirements-windows.txt" in text
    assert '"--no-index", "--find-links", $Wheelhouse, "-r", $Requirements' in text
    assert "pip download -r packaging\\requirements-windows.txt --only-binary=:all:" in text
    assert "--platform win_amd64 --python-version 3.13" in text
    assert "safetymonth.spec" in text and "installer.iss" in text
    # every native call goes through the helpers that check the exit status
    calls = re.findall(r"& \$(\w+)", text)
    assert calls == ["Exe", "Exe"], "call programs through Invoke-Native / Get-Output, which check $LASTEXITCODE"


def test_spec_names_both_executables():
    spec = (PACKAGING / "safetymonth.spec").read_text(encoding="utf-8")
    assert '_exe("safetymonth", console=not IS_WIN)' in spec
    assert '_exe("safetymonth-cli", console=True)' in spec
    assert 'collect_submodules("safetymonth_desktop")' in spec  # commands are imported by name


def _ps1() -> str:
    return (PACKAGING / "build_windows.ps1").read_text(encoding="ascii")


def test_powershell_script_builds_on_a_python_with_binary_security_releases():
    """3.11 has had no python.org binaries since 3.11.9 (libexpat fixes came later): bundle on 3.13 or 3.12;
    source installs keep 3.11 as their floor."""
    text = _ps1()
    assert '$SupportedPythons = @("3.13", "3.12")' in text
    assert "-3.11" not in text
    assert "--python-version 3.11" not in (PACKAGING / "README.md").read_text(encoding="utf-8")
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"].replace(" ", "") == ">=3.11"


def test_powershell_script_reads_python_answers_as_utf8_files():
    """A Python under C:\\Users\\<Chinese name> must not come back garbled through the console code page: values
    from Python travel through a UTF-8 file, never through captured console output."""
    text = _ps1()
    assert "[System.IO.File]::ReadAllText($answer, $Utf8)" in text
    assert "open(sys.argv[-1], 'w', encoding='utf-8')" in text
    assert 'Get-PythonText "py" @("-$candidate") ($WriteAnswer + "sys.executable)")' in text
    assert '$pyVersion = Get-PythonText $Python' in text
    # no path is read from a captured print any more
    assert "print(sys.executable)" not in text


def test_powershell_script_finds_inno_setup_6_and_7():
    text = _ps1()
    assert 'foreach ($major in @("7", "6"))' in text  # 7 first: it ships the official ChineseSimplified.isl
    for folder in ("$env:ProgramFiles", "${env:ProgramFiles(x86)}", '$env:LOCALAPPDATA "Programs\\Inno Setup $major'):
        assert folder in text
    assert "Inno Setup ${major}_is1" in text  # the uninstall registry entries' InstallLocation
    assert "Get-Command ISCC.exe" in text  # then PATH


def test_powershell_smoke_test_checks_the_msvc_runtime_and_the_note():
    text = _ps1()
    assert '@("vcruntime140.dll", "vcruntime140_1.dll", "msvcp140.dll")' in text
    assert 'packaging\\portable' in text
    notes = sorted((PACKAGING / "portable").glob("*.txt"))
    assert notes
    for note in notes:
        data = note.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # Notepad of any Windows shows it right
        body = data.decode("utf-8-sig")
        assert "1809" in body and "Windows 11" in body and "64 位" in body and "winver" in body
    spec = (PACKAGING / "safetymonth.spec").read_text(encoding="utf-8")
    assert 'glob("*.txt")' in spec and 'Path(DISTPATH) / "safetymonth" / note.name' in spec


def test_powershell_script_signs_the_exes_before_iscc():
    text = _ps1()
    signing = text.index("# --- 4. Signing the executables")
    iscc = text.index("Invoke-Native $InnoSetup")
    assert signing < iscc
    assert 'foreach ($exe in @("safetymonth.exe", "safetymonth-cli.exe"))' in text[signing:iscc]
    assert '"/DSignToolName=safetymonthsign"' in text and "`$q$SignTool`$q $SignArguments `$f" in text


def _ci_packages() -> set[str]:
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    block = re.search(r"packages=\((.*?)\)", text, re.S).group(1)
    return set(block.split())


def test_ci_installs_what_the_deb_depends_on():
    """dpkg -i in tests/packaging/test_deb.py refuses the package if a Depends is missing on the CI machine."""
    text = (PACKAGING / "build_deb.sh").read_text(encoding="utf-8")
    block = re.search(r"^DEPENDS=\((.*?)^\)", text, re.S | re.M).group(1)
    groups = re.findall(r'"([^"]+)"', block)
    assert groups
    packages = _ci_packages()
    for group in groups:
        if group.startswith("libc6"):
            continue  # essential
        names = {alternative.split()[0] for alternative in group.split("|")}
        assert names & packages, f"none of {group} is in .ci/run's packages"


def test_powershell_script_has_no_drive_qualified_variable_slips():
    """In PowerShell "$name:" inside a string is parsed as a drive-qualified variable ($name:...), a parse error
    that stops the whole script; write "${name}:" instead. Only $env: is meant that way here."""
    slips = [(n + 1, line) for n, line in enumerate(_ps1().splitlines())
             if re.search(r"\$(?!env:)[A-Za-z_]\w*:(?!:)", line)]
    assert not slips, slips
