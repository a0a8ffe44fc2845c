"""The facts the About dialog shows, and where 帮助 → 使用说明 finds the guide."""

import subprocess
import sys
from pathlib import Path

from safetymonth_desktop import __version__
from safetymonth_desktop.services import about

ROOT = Path(__file__).resolve().parents[2]


def test_about_names_the_open_database_and_its_backups(db, db_path):
    info = about.about_info()
    assert info.database == db_path.resolve()
    assert info.backup_dir == db_path.resolve().parent / "backups" / db_path.stem  # each database its own
    assert info.version == __version__
    rows = dict(about.about_rows(info))
    assert rows["版本"] == __version__ and rows["数据库文件"] == str(db_path.resolve())
    assert about.about_text(info).splitlines()[0] == "安全生产月数据填报与总结"


def test_about_without_open_database_uses_the_default(tmp_path, monkeypatch):
    monkeypatch.setenv("SAFETYMONTH_HOME", str(tmp_path))
    info = about.about_info()
    assert info.database == (tmp_path / "safetymonth.sqlite").resolve()
    assert info.data_dir == tmp_path


def test_guide_from_the_checkout():
    assert about.guide_path() == ROOT / "docs" / "使用说明.html"


def test_guide_inside_the_bundle_wins(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "使用说明.html").write_text("<html></html>", encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert about.guide_path() == tmp_path / "docs" / "使用说明.html"


def test_about_does_not_import_qt(tmp_path):
    code = ("import sys; from safetymonth_desktop.services import about; about.about_info(); "
            "sys.exit(any(m.startswith('PySide6') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={"SAFETYMONTH_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
