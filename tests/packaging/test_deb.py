"""The 信创 Linux package: packaging/build_deb.sh turns the bundle into dist/safetymonth_<version>_<arch>.deb, which
installs for real with dpkg, runs as an ordinary user with the data in ~/.local/share/safetymonth, and leaves
those data alone on reinstall (the upgrade path), `dpkg -r` and `dpkg --purge`.

Opt-in like test_bundle.py (SAFETYMONTH_BUILD_BUNDLE=1) and reuses the bundle it built. Installing needs root;
CI runs as root on a fresh Debian with the package's Depends installed by .ci/run. Adds ~1-2 min."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import tarfile
import tempfile
import zipfile
from pathlib import Path

import pytest

from safetymonth_desktop import APP_NAME, __version__
from tests.packaging.conftest import ROOT, needs_bundle

PACKAGE = "safetymonth"
NOBODY = 65534  # uid and gid of nobody/nogroup on Debian: an ordinary user who owns nothing of the package

pytestmark = [
    *needs_bundle,
    pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb not found: not a Debian-family system"),
    pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0,
                       reason="dpkg -i / dpkg -r need root (CI runs as root and runs this test)"),
]


def run(argv, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("timeout", 600)
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, **kw)


def installed() -> bool:
    status = run(["dpkg-query", "-W", "-f=${Status}", PACKAGE])
    return status.returncode == 0 and status.stdout.strip().endswith(" installed")


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def clerk_home():
    """A home folder owned by nobody, outside pytest's root-only tmp folders (nobody must reach it)."""
    home = Path(tempfile.mkdtemp(prefix="safetymonth-deb-home-", dir="/tmp"))
    os.chown(home, NOBODY, NOBODY)
    home.chmod(0o700)
    yield home
    shutil.rmtree(home, ignore_errors=True)


def as_clerk(home: Path, *argv, **kw) -> subprocess.CompletedProcess:
    """Run through the installed launcher as the ordinary user nobody, with a login-like minimal environment."""
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to run the program as an ordinary user"
    env = {"HOME": str(home), "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "USER": "nobody",
           "QT_QPA_PLATFORM": "offscreen"}
    return run([setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *argv], env=env,
               cwd=home, **kw)


def test_deb_installs_runs_as_the_user_and_keeps_the_data(built_bundle, clerk_home):
    if installed():
        pytest.skip(f"package {PACKAGE} is installed on this machine; this test would replace and remove it")
    assert built_bundle.returncode == 0, "the bundle did not build (see test_bundle.py)"

    # --- build: the documented command, on the bundle test_bundle.py built
    built = run(["bash", ROOT / "packaging" / "build_deb.sh", "--bundle", ROOT / "dist" / "safetymonth"], cwd=ROOT,
                timeout=1200)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    arch = run(["dpkg", "--print-architecture"]).stdout.strip()
    deb = ROOT / "dist" / f"{PACKAGE}_{__version__}_{arch}.deb"
    assert deb.is_file(), built.stdout
    print(built.stdout.strip())

    # --- what the package says and holds
    field = lambda name: run(["dpkg-deb", "-f", deb, name]).stdout.strip()  # noqa: E731
    assert (field("Package"), field("Version"), field("Architecture")) == (PACKAGE, __version__, arch)
    depends = [group.strip() for group in field("Depends").split(",")]
    for library in ("libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0", "libxcb-render-util0", "libxcb-xkb1",
                    "libxkbcommon-x11-0", "libxcb-cursor0", "libegl1", "libfontconfig1"):
        assert library in depends, f"{library} missing from Depends: {depends}"
    assert any("fonts-wqy-microhei" in group for group in depends)  # or Chinese is boxes
    assert any(group.startswith("libc6 (>= 2.") for group in depends)  # the bundle's newest glibc symbol
    control_tar = subprocess.run(["dpkg-deb", "--ctrl-tarfile", str(deb)], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(control_tar)) as tar:
        listing = tar.getnames()
    scripts = [name for name in listing if Path(name).name in ("preinst", "postinst", "prerm", "postrm")]
    assert not scripts, f"maintainer scripts could touch user data on upgrade/remove: {scripts}"

    try:
        # --- install
        result = run(["dpkg", "-i", deb])
        assert result.returncode == 0, result.stdout + result.stderr  # a missing Depends shows here
        assert Path("/opt/safetymonth/safetymonth").is_file()
        launcher = Path("/usr/bin/safetymonth")
        assert launcher.is_file() and os.access(launcher, os.X_OK)
        desktop = Path("/usr/share/applications/safetymonth.desktop").read_text(encoding="utf-8")
        entries = dict(line.split("=", 1) for line in desktop.splitlines() if "=" in line)
        assert entries["Name[zh_CN]"] == APP_NAME and "安全生产月" in entries["Comment[zh_CN]"]
        assert entries["Exec"] == PACKAGE and entries["Terminal"] == "false"
        assert "Office" in entries["Categories"].split(";")
        assert Path(f"/usr/share/icons/hicolor/256x256/apps/{entries['Icon']}.png").is_file()
        if shutil.which("desktop-file-validate"):
            check = run(["desktop-file-validate", "/usr/share/applications/safetymonth.desktop"])
            assert check.returncode == 0, check.stdout + check.stderr
        # the xcb platform plugin finds every library it links to (bundled or from a Depends package)
        xcb = next(Path("/opt/safetymonth/_internal").rglob("platforms/libqxcb.so"))
        assert "not found" not in run(["ldd", xcb]).stdout

        # --- the clerk: an ordinary user, data in ~/.local/share/safetymonth
        demo = as_clerk(clerk_home, "safetymonth", "demo", "--year", "2021")
        assert demo.returncode == 0, demo.stdout + demo.stderr
        data = clerk_home / ".local" / "share" / "safetymonth"
        database = data / "safetymonth.sqlite"
        assert str(database) in demo.stdout, demo.stdout
        assert database.stat().st_uid == NOBODY
        report = as_clerk(clerk_home, "safetymonth", "report", "--year", "2021", "-o", clerk_home / "总结.docx")
        assert report.returncode == 0, report.stdout + report.stderr
        with zipfile.ZipFile(clerk_home / "总结.docx") as docx:
            assert "安全生产月" in docx.read("word/document.xml").decode("utf-8")
        try:  # the GUI, offscreen, on that database: still running after 8 s
            gui = as_clerk(clerk_home, "safetymonth", timeout=8)
            pytest.fail(f"the GUI exited with status {gui.returncode}: {gui.stderr[-3000:]}")
        except subprocess.TimeoutExpired as expired:
            assert b"Traceback" not in (expired.stderr or b"")
        kept = fingerprint(data)
        assert "safetymonth.sqlite" in kept

        # --- upgrade path (dpkg unpacks over the installed version), then remove and purge
        result = run(["dpkg", "-i", deb])
        assert result.returncode == 0, result.stdout + result.stderr
        assert fingerprint(data) == kept
        result = run(["dpkg", "-r", PACKAGE])
        assert result.returncode == 0, result.stdout + result.stderr
        assert not Path("/opt/safetymonth").exists() and not launcher.exists()
        assert fingerprint(data) == kept
        result = run(["dpkg", "--purge", PACKAGE])
        assert result.returncode == 0, result.stdout + result.stderr
        assert fingerprint(data) == kept
    finally:
        if installed():
            run(["dpkg", "--purge", PACKAGE])
