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


@pytest.mark.parametrize("argv", [[], ["--db", "年度 数据.sqlite"], ["--db=a.sqlite"], ["--db=x=y.sqlite"]])
def test_opening_the_window_reads_argv_as_the_full_parser_does(argv):
    fast = command_line.window_arguments(argv)
    full = command_line.build_parser().parse_args(argv)
    assert fast is not None and (fast.db, fast.command) == (full.db, full.command)


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["--d", "a.sqlite"], ["--db"], ["--db", "-x"],
                                  ["--db", ""], ["--db="], ["--db", "a", "--db", "b"], ["--db", "a", "figures"],
                                  ["figures"], ["--bogus"]])
def test_anything_else_goes_to_the_full_parser(argv):
    assert command_line.window_arguments(argv) is None


def test_opening_the_window_builds_no_command_parser(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(cli, "open_gui", lambda database: opened.append(database) or 0)
    monkeypatch.setattr(command_line, "build_parser", lambda: pytest.fail("the parser of every command was built"))
    assert cli.main(["--db", str(tmp_path / "a.sqlite")]) == 0
    assert [p.name for p in opened] == ["a.sqlite"]


def test_help_and_usage_errors_are_unchanged(capsys):
    for argv, status in ((["--help"], 0), (["--db"], 2), (["--db", "a", "nosuch"], 2)):
        with pytest.raises(SystemExit) as exit_:
            cli.main(argv)
        assert exit_.value.code == status
    out = capsys.readouterr()
    assert "用法:" in out.out and "命令" in out.out
    assert "错误:" in out.err and "没有“nosuch”这个命令" in out.err
