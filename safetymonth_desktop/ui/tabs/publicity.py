"""宣传: materials, media, events (incl. the 6·16 consultation day and drills)."""

from safetymonth_desktop.db import models as m
from safetymonth_desktop.ui.record_tab import Page, TabSpec

SPEC = TabSpec("宣传", (
    Page(m.Material, totals=("materials.total", "materials.cost")),
    Page(m.Media, totals=("media.items",)),
    Page(m.Event, totals=("events.count", "events.participants", "consult_day.desks", "consult_day.boards",
                          "consult_day.materials", "consult_day.participants", "drills.count", "drills.participants")),
))
