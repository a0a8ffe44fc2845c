"""The program's entry, `safetymonth_desktop.cli.main` (the `safetymonth` command, `python -m safetymonth_desktop`,
the bundled executables), is the one module above both the command line and the GUI: with no command it opens
the window, and it hands the report its chart drawing; the command line below it (command_line.py) never
imports Qt, and a command run through the entry loads none."""

import subprocess
import sys

import pytest

from safetymonth_desktop import cli, command_line


def test_no_command_opens_the_window(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(cli, "open_gui", lambda database: opened.append(database) or 0)
    assert cli.main(["--db", str(tmp_path / "a.sqlite")]) == 0
    assert [p.name for p in opened] == ["a.sqlite"]
    assert cli.main([]) == 0 and opened[-1] is None  # the default per-user database


def test_the_command_line_alone_asks_for_a_command(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:  # a usage error, like any other
        command_line.main(["--db", str(tmp_path / "a.sqlite")])
    assert exit_.value.code == 2
    assert "请指定一个命令" in capsys.readouterr().err
    assert not (tmp_path / "a.sqlite").exists()


@pytest.mark.parametrize("entry", ["from safetymonth_desktop.cli import main",
                                   "from safetymonth_desktop.__main__ import main"])
def test_a_command_through_the_entry_loads_no_qt(tmp_path, entry):
    code = (f"import sys\n{entry}\nstatus = main(sys.argv[1:])\n"
            "sys.exit(status or any(m.startswith('PySide6') for m in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", code, "--db", str(tmp_path / "a.sqlite"), "campaign",
                             "--year", "2021"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
