"""培训: training sessions by unit and category."""

from safetymonth_desktop.db import models as m
from safetymonth_desktop.ui.record_tab import Page, TabSpec

SPEC = TabSpec("培训", (
    Page(m.Training, totals=("training.sessions", "training.participants")),
))
