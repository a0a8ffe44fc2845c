"""Entry script of the PyInstaller bundle: both executables (safetymonth, safetymonth-cli) run the same
command line, which opens the GUI when no command is given."""

import sys

from safetymonth_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
