"""督查: inspections of units."""

from safetymonth_desktop.db import models as m
from safetymonth_desktop.ui.record_tab import Page, TabSpec

SPEC = TabSpec("督查", (
    Page(m.Inspection, totals=("supervision.count", "supervision.targets", "supervision.problems",
                               "supervision.rectified")),
))
