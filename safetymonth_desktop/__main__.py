"""`python -m safetymonth_desktop`: the same entry as the `safetymonth` command (cli.main)."""

import sys

from safetymonth_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
