"""Entry script of the PyInstaller bundle: both executables (safetymonth, safetymonth-cli) run the same
command line, which opens the GUI when no command is given.

`freeze_support()` comes first: a custom Word template is checked and rendered in a worker process
(exchange/template_worker.py, multiprocessing's 'spawn'), which starts this executable again with
multiprocessing's arguments; without it the worker would start a second copy of the program."""

import multiprocessing
import sys

from safetymonth_desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
