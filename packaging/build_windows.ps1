<#
.SYNOPSIS
  Builds the safetymonth bundle (PyInstaller, one folder) and its installer (Inno Setup 6) on Windows.

.DESCRIPTION
  1. Creates build\venv-win with 64-bit Python 3.11 and installs the exact versions of
     packaging\requirements-windows.txt - from the internet, or offline from a wheelhouse folder.
  2. Builds dist\safetymonth\ from packaging\safetymonth.spec:
     safetymonth.exe (the GUI, windowed) and safetymonth-cli.exe (console, for IT and scripts).
  3. Smoke-tests the bundle: --version, demo, figures --json, every command's --help, and report / stats /
     template when the checkout has those commands; the GUI for 8 seconds when the checkout has it.
  4. Compiles packaging\installer.iss into dist\installer\safetymonth-setup-<version>.exe.

  Needs: Windows 10/11 x64, Python 3.11 x64 (python.org installer, "py" launcher), Inno Setup 6.3 or later
  (only for step 4). No administrator rights are needed.

  A build machine without internet - prepare a wheelhouse on any machine that has internet (Windows, Linux
  or macOS, with pip 23 or later), copy the folder over, then pass -Wheelhouse:

    python -m pip download -r packaging\requirements-windows.txt --only-binary=:all: `
        --platform win_amd64 --python-version 3.11 --implementation cp -d wheelhouse

  and, on the build machine, also copy the installers of Python 3.11 (x64) and Inno Setup 6.

  The script is ASCII only on purpose: Windows PowerShell 5.1 reads a .ps1 without a byte-order mark in the
  ANSI code page.

.PARAMETER Python
  python.exe to create the build venv with. Default: "py -3.11" (the Python launcher), else "python".
.PARAMETER Wheelhouse
  Install the pinned packages offline from this folder (pip --no-index --find-links).
.PARAMETER InnoSetup
  Path to ISCC.exe. Default: searched in the usual Inno Setup 6 folders and on PATH.
.PARAMETER SkipInstaller
  Build and smoke-test the bundle only.
.PARAMETER SkipSmoke
  Do not run the smoke test.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1
.EXAMPLE
  powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1 -Wheelhouse D:\wheelhouse
#>
[CmdletBinding()]
param(
    [string]$Python = "",
    [string]$Wheelhouse = "",
    [string]$InnoSetup = "",
    [switch]$SkipInstaller,
    [switch]$SkipSmoke
)

Set-StrictMode -Version Latest
$ErrorActionPreference = "Stop"
# The executables print UTF-8 (cli.py); decode their output as such. (Fails harmlessly without a console.)
try { [Console]::OutputEncoding = [System.Text.Encoding]::UTF8 } catch { }

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

function Get-FolderSizeMB {
    param([string]$Path)
    $bytes = (Get-ChildItem -LiteralPath $Path -Recurse -File | Measure-Object -Property Length -Sum).Sum
    return [math]::Round($bytes / 1MB, 1)
}

# --- 1. Python and the pinned packages
if (-not $Python) {
    if (Get-Command py -ErrorAction SilentlyContinue) {
        $Python = Get-Output "py" @("-3.11", "-c", "import sys; print(sys.executable)")
    } else {
        $Python = "python"
    }
}
$pyVersion = Get-Output $Python @("-c", "import sys, struct; print('%d.%d-%dbit' % (sys.version_info[0], sys.version_info[1], struct.calcsize('P') * 8))")
if ($pyVersion -ne "3.11-64bit") {
    throw "Python 3.11 64-bit is required (the pinned wheels are built for it); $Python is $pyVersion. Pass -Python C:\path\to\python.exe"
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

$versions = (Get-Output $VenvPython @("packaging\version_info.py", "--numbers")) -split " "
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

# --- 4. The installer
if ($SkipInstaller) { return }
if (-not $InnoSetup) {
    $candidates = @(
        (Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"),
        (Join-Path $env:ProgramFiles "Inno Setup 6\ISCC.exe"),
        (Join-Path $env:LOCALAPPDATA "Programs\Inno Setup 6\ISCC.exe")
    )
    $InnoSetup = $candidates | Where-Object { $_ -and (Test-Path -LiteralPath $_) } | Select-Object -First 1
    if (-not $InnoSetup) {
        $onPath = Get-Command ISCC.exe -ErrorAction SilentlyContinue
        if ($onPath) { $InnoSetup = $onPath.Source }
    }
    if (-not $InnoSetup) {
        throw "ISCC.exe (Inno Setup 6) not found. Install Inno Setup 6.3+ or pass -InnoSetup C:\path\ISCC.exe; -SkipInstaller builds the bundle only."
    }
}
$chinese = @((Join-Path $Root "packaging\ChineseSimplified.isl"),
             (Join-Path (Split-Path -Parent $InnoSetup) "Languages\ChineseSimplified.isl")) |
           Where-Object { Test-Path -LiteralPath $_ }
if (-not $chinese) {
    Write-Warning ("ChineseSimplified.isl not found: the installer uses its built-in Chinese texts for the pages it " +
                   "shows; rare system messages stay English. See packaging\README.md to add the full translation.")
}
Invoke-Native $InnoSetup @("/Qp", "/DAppVersion=$Version", "/DAppVersionNumeric=$VersionNumeric",
    "/DBundleDir=$Bundle", "/DOutputDir=$InstallerDir", (Join-Path $Root "packaging\installer.iss"))
$setup = Join-Path $InstallerDir "safetymonth-setup-$Version.exe"
Write-Host ("== Installer: $setup, " + [math]::Round((Get-Item -LiteralPath $setup).Length / 1MB, 1) + " MB")
