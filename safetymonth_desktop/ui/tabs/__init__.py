"""The five data-entry tabs, in the order of the report. Each module declares only a `SPEC`."""

from safetymonth_desktop.ui.tabs import hazards, organization, publicity, supervision, training

TAB_SPECS = (organization.SPEC, training.SPEC, publicity.SPEC, hazards.SPEC, supervision.SPEC)
