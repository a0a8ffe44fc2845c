"""隐患整治: the hazard ledger and the campaign actions reported as counts."""

from safetymonth_desktop.db import models as m
from safetymonth_desktop.ui.record_tab import Page, TabSpec

SPEC = TabSpec("隐患整治", (
    Page(m.Hazard, totals=("hazards.found", "hazards.major", "hazards.rectified", "hazards.rate", "hazards.overdue",
                           "hazards.funding")),
    Page(m.CampaignAction, totals=("enforcement.inspected", "enforcement.personnel", "enforcement.penalties",
                                   "enforcement.fines", "enforcement.shutdowns")),
))
