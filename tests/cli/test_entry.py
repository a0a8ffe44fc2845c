"""The program's entry (__main__.py) is the one module above both the command line and the GUI: it hands
cli.main the window's launcher and the report's chart drawing; the command line alone never opens Qt."""

import subprocess
import sys

import pytest

from safetymonth_desktop import __main__ as entry
from safetymonth_desktop import cli


def test_no_command_opens_the_window_through_the_entry(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(entry, "open_gui", lambda database: opened.append(database) or 0)
    assert entry.main(["--db", str(tmp_path / "a.sqlite")]) == 0
    assert [p.name for p in opened] == ["a.sqlite"]
    assert entry.main([]) == 0 and opened[-1] is None  # the default per-user database


def test_the_command_line_alone_asks_for_a_command(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:  # a usage error, like any other
        cli.main(["--db", str(tmp_path / "a.sqlite")])
    assert exit_.value.code == 2
    assert "请指定一个命令" in capsys.readouterr().err
    assert not (tmp_path / "a.sqlite").exists()


def test_a_command_through_the_entry_loads_no_qt(tmp_path):
    code = ("import sys\nfrom safetymonth_desktop.__main__ import main\nstatus = main(sys.argv[1:])\n"
            "sys.exit(status or any(m.startswith('PySide6') for m in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", code, "--db", str(tmp_path / "a.sqlite"), "campaign",
                             "--year", "2021"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
