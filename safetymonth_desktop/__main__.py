"""`python -m safetymonth_desktop` runs the command line (and, with no command, the GUI)."""

import sys

from safetymonth_desktop.cli import main

sys.exit(main())
