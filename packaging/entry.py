"""Entry script of the PyInstaller bundle: both executables (safetymonth, safetymonth-cli) run the same
command line, which opens the GUI when no command is given. `--calamine-probe FILE LIMIT ANSWER` is the child
process that reads an untrusted workbook under a memory limit (exchange/calamine_probe.py).

`freeze_support()` comes first: a custom Word template is checked and rendered in a worker process
(exchange/template_worker.py, multiprocessing's 'spawn'), which starts this executable again with
multiprocessing's arguments; without it the worker would start a second copy of the program."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    if sys.argv[1:2] == ["--calamine-probe"]:
        from safetymonth_desktop.exchange.calamine_probe import main as probe_main

        sys.exit(probe_main(sys.argv[2:]))
    from safetymonth_desktop.cli import main

    sys.exit(main())
