"""The build scripts parse and say what they must (they cannot all run here: Windows and a full build)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("script", ["build.sh", "smoke.sh"])
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
    assert "--platform win_amd64 --python-version 3.11" in text
    assert "safetymonth.spec" in text and "installer.iss" in text
    # every native call goes through the helpers that check the exit status
    calls = re.findall(r"& \$(\w+)", text)
    assert calls == ["Exe", "Exe"], "call programs through Invoke-Native / Get-Output, which check $LASTEXITCODE"


def test_spec_names_both_executables():
    spec = (PACKAGING / "safetymonth.spec").read_text(encoding="utf-8")
    assert '_exe("safetymonth", console=not IS_WIN)' in spec
    assert '_exe("safetymonth-cli", console=True)' in spec
    assert 'collect_submodules("safetymonth_desktop")' in spec  # commands are imported by name
