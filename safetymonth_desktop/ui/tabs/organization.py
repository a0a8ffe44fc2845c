"""组织领导: leaders' instructions, meetings, documents, organizing bodies (the campaign's own records)."""

from safetymonth_desktop.db import models as m
from safetymonth_desktop.ui.record_tab import Page, TabSpec

SPEC = TabSpec("组织领导", (
    Page(m.Instruction, totals=("org.instructions",)),
    Page(m.Meeting, totals=("org.meetings",)),
    Page(m.Document, totals=("org.documents",)),
    Page(m.Body),
))
