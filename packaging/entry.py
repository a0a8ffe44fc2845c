"""Entry script of the PyInstaller bundle: both executables (safetymonth, safetymonth-cli) run the same
command line, which opens the GUI when no command is given. `--calamine-probe FILE LIMIT ANSWER` is the child
process that reads an untrusted workbook under a memory limit (exchange/calamine_probe.py)."""

import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["--calamine-probe"]:
        from safetymonth_desktop.exchange.calamine_probe import main as probe_main

        sys.exit(probe_main(sys.argv[2:]))
    from safetymonth_desktop.cli import main

    sys.exit(main())
