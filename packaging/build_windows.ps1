<#
.SYNOPSIS
  Builds the safetymonth bundle (PyInstaller, one folder) and its installer (Inno Setup 6 or 7) on Windows.

.DESCRIPTION
  1. Creates build\venv-win with 64-bit Python 3.13 (or 3.12) and installs the exact versions of
     packaging\requirements-windows.txt - from the internet, or offline from a wheelhouse folder.
     The bundle carries the build Python's own DLLs (python3x.dll, pyexpat.pyd with its libexpat, _ssl ...),
     so it is built on a Python line that still gets binary security releases: python.org stopped publishing
     installers for 3.11 after 3.11.9, while later 3.11 releases fix libexpat, which parses every untrusted
     .xlsx. (Source installs still work on 3.11 and later: pyproject.toml requires-python.)
  2. Builds dist\safetymonth\ from packaging\safetymonth.spec:
     safetymonth.exe (the GUI, windowed) and safetymonth-cli.exe (console, for IT and scripts), plus the
     note for the portable folder (packaging\portable\) at its top level.
  3. Smoke-tests the bundle: the MSVC runtime DLLs Qt and Python need are inside (a build PC with the Visual
     C++ Redistributable installed would hide a miss), --version, demo, figures --json, every command's
     --help, and report / stats / template when the checkout has those commands; the GUI for 8 seconds.
  4. With -SignArguments: signs safetymonth.exe and safetymonth-cli.exe, then lets Inno Setup sign Setup and
     its uninstaller (SignTool / SignedUninstaller in installer.iss).
  5. Compiles packaging\installer.iss into dist\installer\safetymonth-setup-<version>.exe.

  Needs: Windows 10 (1809+) / 11 x64, Python 3.13 or 3.12 x64 (python.org installer, "py" launcher),
  Inno Setup 6.3+ or 7 (only for step 5). No administrator rights are needed.

  A build machine without internet - prepare a wheelhouse on any machine that has internet (Windows, Linux
  or macOS, with pip 23 or later), copy the folder over, then pass -Wheelhouse:

    python -m pip download -r packaging\requirements-windows.txt --only-binary=:all: `
        --platform win_amd64 --python-version 3.13 --implementation cp -d wheelhouse

  and, on the build machine, also copy the installers of Python 3.13 (x64) and Inno Setup.

  Paths with Chinese characters (C:\Users\<Chinese name>\...) are safe: values the script needs from Python
  are written by Python into a UTF-8 file and read back as UTF-8, never decoded from console output (whose
  code page differs between Python, the console and PowerShell).

  The script is ASCII only on purpose: Windows PowerShell 5.1 reads a .ps1 without a byte-order mark in the
  ANSI code page.

.PARAMETER Python
  python.exe (3.13 or 3.12, 64-bit) to create the build venv with. Default: "py -3.13", then "py -3.12"
  (the Python launcher), else "python".
.PARAMETER Wheelhouse
  Install the pinned packages offline from this folder (pip --no-index --find-links).
.PARAMETER InnoSetup
  Path to ISCC.exe. Default: searched in the Inno Setup 7 and 6 folders (Program Files, Program Files (x86),
  %LOCALAPPDATA%\Programs), in their uninstall registry entries, then on PATH.
.PARAMETER SignArguments
  Sign the executables, Setup and the uninstaller: signtool.exe's arguments without the file name, e.g.
  "sign /fd sha256 /tr http://timestamp.example.cn /td sha256 /a". Off when empty.
.PARAMETER SignTool
  Path to signtool.exe (Windows SDK). Default: on PATH, else the newest Windows Kits\10\bin\*\x64\signtool.exe.
.PARAMETER SkipInstaller
  Build and smoke-test the bundle only.
.PARAMETER SkipSmoke
  Do not run the smoke test.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1
.EXAMPLE
  powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1 -Wheelhouse D:\wheelhouse
.EXAMPLE
  powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1 -SignArguments "sign /fd sha256 /tr http://timestamp.example.cn /td sha256 /a"
#>
[CmdletBinding()]
param(
    [string]$Python = "",
    [string]$Wheelhouse = "",
    [string]$InnoSetup = "",
    [string]$SignArguments = "",
    [string]$SignTool = "",
    [switch]$SkipInstaller,
    [switch]$SkipSmoke
)

Set-StrictMode -Version Latest
$ErrorActionPreference = "Stop"
# The executables print UTF-8 (cli.py); decode their output as such. (Fails harmlessly without a console.)
try { [Console]::OutputEncoding = [System.Text.Encoding]::UTF8 } catch { }
# Python, pip and PyInstaller write UTF-8 too (PEP 540 UTF-8 mode), so their messages match that setting.
$env:PYTHONUTF8 = "1"
$env:PYTHONIOENCODING = "utf-8"
$Utf8 = New-Object System.Text.UTF8Encoding($false)
$SupportedPythons = @("3.13", "3.12")

$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root
$Requirements = Join-Path $Root "packaging\requirements-windows.txt"
$Venv = Join-Path $Root "build\venv-win"
$VenvPython = Join-Path $Venv "Scripts\python.exe"
$Bundle = Join-Path $Root "dist\safetymonth"
$InstallerDir = Join-Path $Root "dist\installer"

function Invoke-Native {
    # Runs a program, lets its output through, and stops the script if it fails. Stderr output alone is not a
    # failure (pip writes warnings there), hence ErrorActionPreference Continue around the call.
    param([string]$Exe, [string[]]$Arguments)
    if (-not (Get-Command $Exe -ErrorAction SilentlyContinue)) { throw "Program not found: $Exe" }
    $saved = $ErrorActionPreference
    $ErrorActionPreference = "Continue"
    try {
        & $Exe @Arguments
        $code = $LASTEXITCODE
    } finally {
        $ErrorActionPreference = $saved
    }
    if ($code -ne 0) {
        throw "Failed (exit code $code): $Exe $($Arguments -join ' ')"
    }
}

function Get-Output {
    # Runs a program and returns its standard output as one trimmed string; stops the script if it fails.
    param([string]$Exe, [string[]]$Arguments)
    if (-not (Get-Command $Exe -ErrorAction SilentlyContinue)) { throw "Program not found: $Exe" }
    $saved = $ErrorActionPreference
    $ErrorActionPreference = "Continue"
    try {
        $out = & $Exe @Arguments
        $code = $LASTEXITCODE
    } finally {
        $ErrorActionPreference = $saved
    }
    if ($code -ne 0) {
        throw "Failed (exit code $code): $Exe $($Arguments -join ' ')"
    }
    return (($out | Out-String).Trim())
}

function Get-PythonText {
    # Runs Python code that writes its answer to the file named by its last argument, as UTF-8; returns that
    # text. Paths (sys.executable under C:\Users\<Chinese name>) survive whatever code page the console uses.
    param([string]$Exe, [string[]]$PreArguments, [string]$Code)
    $answer = [System.IO.Path]::GetTempFileName()
    try {
        Invoke-Native $Exe (@($PreArguments) + @("-c", $Code, $answer))
        return ([System.IO.File]::ReadAllText($answer, $Utf8)).Trim()
    } finally {
        Remove-Item -LiteralPath $answer -Force -ErrorAction SilentlyContinue
    }
}

$WriteAnswer = "import sys; open(sys.argv[-1], 'w', encoding='utf-8').write("

function Get-FolderSizeMB {
    param([string]$Path)
    $bytes = (Get-ChildItem -LiteralPath $Path -Recurse -File | Measure-Object -Property Length -Sum).Sum
    return [math]::Round($bytes / 1MB, 1)
}

# --- 1. Python and the pinned packages
if (-not $Python) {
    if (Get-Command py -ErrorAction SilentlyContinue) {
        foreach ($candidate in $SupportedPythons) {
            try {
                $Python = Get-PythonText "py" @("-$candidate") ($WriteAnswer + "sys.executable)")
                break
            } catch {
                Write-Host "   (py -${candidate}: not installed)"
            }
        }
    }
    if (-not $Python) { $Python = "python" }
}
$pyVersion = Get-PythonText $Python @() ($WriteAnswer + "'%d.%d-%dbit' % (sys.version_info[0], sys.version_info[1], __import__('struct').calcsize('P') * 8))")
$pyLine = $pyVersion.Split("-")[0]
if (-not ($SupportedPythons -contains $pyLine) -or -not $pyVersion.EndsWith("-64bit")) {
    throw ("Python 3.13 or 3.12, 64-bit, is needed to build the bundle (current binary security releases; the " +
           "pinned wheels exist for both); $Python is $pyVersion. Install it from python.org or pass -Python C:\path\to\python.exe")
}
Write-Host "== Python: $Python ($pyVersion)"

if (-not (Test-Path -LiteralPath $VenvPython)) {
    Invoke-Native $Python @("-m", "venv", $Venv)
}
if ($Wheelhouse) {
    if (-not (Test-Path -LiteralPath $Wheelhouse)) { throw "Wheelhouse folder not found: $Wheelhouse" }
    Write-Host "== Installing pinned packages offline from $Wheelhouse"
    Invoke-Native $VenvPython @("-m", "pip", "install", "--no-index", "--find-links", $Wheelhouse, "-r", $Requirements)
} else {
    Write-Host "== Installing pinned packages"
    Invoke-Native $VenvPython @("-m", "pip", "install", "-r", $Requirements)
}

$versions = (Get-Output $VenvPython @("packaging\version_info.py", "--numbers")) -split " "  # ASCII: "0.1.0 0.1.0.0"
$Version = $versions[0]
$VersionNumeric = $versions[1]
Write-Host "== safetymonth_desktop $Version"

# --- 2. The bundle
$started = Get-Date
Invoke-Native $VenvPython @("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
    "--distpath", (Join-Path $Root "dist"), "--workpath", (Join-Path $Root "build\pyinstaller"),
    (Join-Path $Root "packaging\safetymonth.spec"))
$seconds = [math]::Round(((Get-Date) - $started).TotalSeconds, 1)
Write-Host "== Bundle built in $seconds s: $Bundle, $(Get-FolderSizeMB $Bundle) MB"

# --- 3. Smoke test (the console executable; the windowed one prints nothing)
if (-not $SkipSmoke) {
    $Cli = Join-Path $Bundle "safetymonth-cli.exe"
    $Gui = Join-Path $Bundle "safetymonth.exe"
    $Work = Join-Path ([System.IO.Path]::GetTempPath()) ("safetymonth-smoke-" + [guid]::NewGuid().ToString("N"))
    New-Item -ItemType Directory -Path $Work | Out-Null
    $Db = Join-Path $Work "smoke.sqlite"
    try {
        # The Visual C++ runtime: Python's DLLs and Qt6Core.dll import these. They must be inside the bundle;
        # a build PC with the Redistributable installed in System32 would run fine without them, a clerk's not.
        foreach ($dll in @("vcruntime140.dll", "vcruntime140_1.dll", "msvcp140.dll")) {
            $found = Get-ChildItem -LiteralPath $Bundle -Recurse -File -Filter $dll | Select-Object -First 1
            if (-not $found) { throw "MSVC runtime $dll is not in the bundle $Bundle" }
            Write-Host "ok   $dll ($($found.FullName.Substring($Bundle.Length + 1)))"
        }
        $notes = @(Get-ChildItem -LiteralPath (Join-Path $Root "packaging\portable") -File -Filter "*.txt")
        foreach ($note in $notes) {
            if (-not (Test-Path -LiteralPath (Join-Path $Bundle $note.Name))) { throw "note $($note.Name) missing from $Bundle" }
        }
        Write-Host "ok   $($notes.Count) note(s) for the portable folder at its top level"
        $printed = Get-Output $Cli @("--version")
        if ($printed -ne "safetymonth $Version") { throw "--version printed '$printed', expected 'safetymonth $Version'" }
        Write-Host "ok   --version"
        Invoke-Native $Cli @("--db", $Db, "demo", "--year", "2021")
        $figures = (Get-Output $Cli @("--db", $Db, "figures", "--year", "2021", "--json")) | ConvertFrom-Json
        if (-not ($figures.'training.sessions' -gt 0)) { throw "figures --json: training.sessions is not positive" }
        Write-Host "ok   figures --json (training.sessions = $($figures.'training.sessions'))"
        Invoke-Native $Cli @("--db", $Db, "check")

        $commands = (Get-Output $VenvPython @("-c", "from safetymonth_desktop.cli import COMMANDS; print(' '.join(COMMANDS))")) -split " "
        foreach ($command in $commands) {
            Get-Output $Cli @($command, "--help") | Out-Null
            Write-Host "ok   $command --help"
        }
        $outputs = @{
            "report"   = @("report", "--year", "2021", "-o", (Join-Path $Work "report.docx"));
            "stats"    = @("stats", "--year", "2021", "-o", (Join-Path $Work "stats.xlsx"));
            "template" = @("template", "--year", "2021", "-o", (Join-Path $Work "template.xlsx"))
        }
        foreach ($command in $outputs.Keys) {
            if ($commands -contains $command) {
                $arguments = $outputs[$command]
                Invoke-Native $Cli (@("--db", $Db) + $arguments)
                $file = $arguments[-1]
                if (-not (Test-Path -LiteralPath $file) -or (Get-Item -LiteralPath $file).Length -eq 0) {
                    throw "$command wrote no file $file"
                }
                Write-Host "ok   $command -> $file"
            } else {
                Write-Host "skip $command (not in this checkout)"
            }
        }

        if (Test-Path -LiteralPath (Join-Path $Root "safetymonth_desktop\ui\app.py")) {
            $process = Start-Process -FilePath $Gui -ArgumentList @("--db", "`"$Db`"") -PassThru
            Start-Sleep -Seconds 8
            if ($process.HasExited) {
                throw "The GUI exited within 8 seconds (exit code $($process.ExitCode))"
            }
            Stop-Process -Id $process.Id -Force
            Write-Host "ok   GUI still running after 8 s (closed again)"
        } else {
            Write-Host "skip GUI (not in this checkout)"
        }
        Write-Host "== SMOKE OK"
    } finally {
        Start-Sleep -Milliseconds 500
        Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
    }
}

# --- 4. Signing the executables (before ISCC packs them; Inno Setup signs Setup and the uninstaller itself)
$isccSign = @()
if ($SignArguments) {
    if (-not $SignTool) {
        $onPath = Get-Command signtool.exe -ErrorAction SilentlyContinue
        if ($onPath) {
            $SignTool = $onPath.Source
        } else {
            $kits = Join-Path ${env:ProgramFiles(x86)} "Windows Kits\10\bin"
            $SignTool = Get-ChildItem -LiteralPath $kits -Recurse -File -Filter signtool.exe -ErrorAction SilentlyContinue |
                Where-Object { $_.DirectoryName -like "*\x64" } | Sort-Object FullName -Descending |
                Select-Object -First 1 -ExpandProperty FullName
        }
        if (-not $SignTool) { throw "signtool.exe not found (Windows SDK). Pass -SignTool C:\path\signtool.exe" }
    }
    $signArgs = $SignArguments -split "\s+" | Where-Object { $_ }
    foreach ($exe in @("safetymonth.exe", "safetymonth-cli.exe")) {
        Invoke-Native $SignTool (@($signArgs) + @((Join-Path $Bundle $exe)))
        Write-Host "ok   signed $exe"
    }
    # Inno Setup's sign tool: $q is a quote, $f the file ISCC signs (https://jrsoftware.org/ishelp/topic_setup_signtool.htm)
    $isccSign = @("/Ssafetymonthsign=`$q$SignTool`$q $SignArguments `$f", "/DSignToolName=safetymonthsign")
}

# --- 5. The installer
if ($SkipInstaller) { return }
if (-not $InnoSetup) {
    # Inno Setup 7 (official Chinese messages from 7.0.2) first, then 6; per-machine (64- or 32-bit) or per-user installs.
    $candidates = @()
    foreach ($major in @("7", "6")) {
        $candidates += @(
            (Join-Path $env:ProgramFiles "Inno Setup $major\ISCC.exe"),
            (Join-Path ${env:ProgramFiles(x86)} "Inno Setup $major\ISCC.exe"),
            (Join-Path $env:LOCALAPPDATA "Programs\Inno Setup $major\ISCC.exe")
        )
        foreach ($key in @("HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\Inno Setup ${major}_is1",
                           "HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\Inno Setup ${major}_is1",
                           "HKCU:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\Inno Setup ${major}_is1")) {
            $entry = Get-ItemProperty -LiteralPath $key -ErrorAction SilentlyContinue
            if ($entry -and ($entry.PSObject.Properties.Name -contains "InstallLocation") -and $entry.InstallLocation) {
                $candidates += (Join-Path $entry.InstallLocation "ISCC.exe")
            }
        }
    }
    $InnoSetup = $candidates | Where-Object { $_ -and (Test-Path -LiteralPath $_) } | Select-Object -First 1
    if (-not $InnoSetup) {
        $onPath = Get-Command ISCC.exe -ErrorAction SilentlyContinue
        if ($onPath) { $InnoSetup = $onPath.Source }
    }
    if (-not $InnoSetup) {
        throw "ISCC.exe (Inno Setup 7 or 6) not found. Install Inno Setup 7 (or 6.3+) or pass -InnoSetup C:\path\ISCC.exe; -SkipInstaller builds the bundle only."
    }
}
Write-Host "== Inno Setup: $InnoSetup"
$chinese = @((Join-Path $Root "packaging\ChineseSimplified.isl"),
             (Join-Path (Split-Path -Parent $InnoSetup) "Languages\ChineseSimplified.isl")) |
           Where-Object { Test-Path -LiteralPath $_ }
if (-not $chinese) {
    Write-Host ("   ChineseSimplified.isl not found (Inno Setup 6 has none of its own): installer.iss translates every " +
                "message of Default.isl itself, so the installer is Chinese throughout all the same.")
}
Invoke-Native $InnoSetup (@("/Qp", "/DAppVersion=$Version", "/DAppVersionNumeric=$VersionNumeric",
    "/DBundleDir=$Bundle", "/DOutputDir=$InstallerDir") + $isccSign + @((Join-Path $Root "packaging\installer.iss")))
$setup = Join-Path $InstallerDir "safetymonth-setup-$Version.exe"
Write-Host ("== Installer: $setup, " + [math]::Round((Get-Item -LiteralPath $setup).Length / 1MB, 1) + " MB")
