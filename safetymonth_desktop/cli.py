"""The program's entry — the `safetymonth` command, `python -m safetymonth_desktop` and the bundled
executables (packaging/entry.py): with a command it runs the command line (command_line.py); with none it
opens the window (ui/app.py); `report` draws its charts with the GUI's chart code (ui/charts.py). The top of
the layers: the only module that reaches both the command line and the GUI, so it hands the Qt pieces down."""

from __future__ import annotations

from pathlib import Path

from safetymonth_desktop import command_line


def main(argv: list[str] | None = None) -> int:
    return command_line.main(argv, open_gui=open_gui, make_chart_renderer=make_chart_renderer)


def open_gui(database: Path | None) -> int:
    from safetymonth_desktop.ui.app import run_gui  # lazy: start-up (a command never loads Qt)

    return run_gui(database)


def make_chart_renderer():
    """The report's chart drawing (Qt, offscreen: ui/charts.py), for `safetymonth report`."""
    from safetymonth_desktop.ui import charts  # lazy: start-up (Qt only when a report draws its charts)

    return charts.renderer()

