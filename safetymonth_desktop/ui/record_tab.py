"""The record tabs of the main window: a tab module under `ui/tabs/` only declares a `TabSpec` (which record
types, which columns, which totals); `RecordTab` holds its tables (`ui/record_table.RecordTable`, everything
generated from the field declarations), built the first time the tab is shown or reached."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout

from safetymonth_desktop.db.models import user_fields
from safetymonth_desktop.ui.lazy_tab import LazyTab

if TYPE_CHECKING:
    import peewee as pw

    from safetymonth_desktop.ui.record_table import RecordTable


@dataclass(frozen=True)
class Page:
    """One record table: its model, the columns shown (field names; None = all user fields) and the
    indicator keys shown under it."""

    model: type
    totals: tuple[str, ...] = ()
    columns: tuple[str, ...] | None = None
    title: str | None = None

    @property
    def label(self) -> str:
        return self.title or self.model._meta.title

    def fields(self) -> list[pw.Field]:
        """The columns; 组织机构 and 补充说明 first say whose they are (所属下级地区: 本级, or the sub-region whose
        上报数据包 brought them — read-only; RecordTable shows the column only at a level that rolls up)."""
        all_fields = user_fields(self.model)
        region = self.model._meta.fields.get("sub_region")
        lead = [region] if region is not None else []
        if self.columns is None:
            return lead + all_fields
        by_name = {f.name: f for f in all_fields}
        return lead + [by_name[name] for name in self.columns]


@dataclass(frozen=True)
class TabSpec:
    title: str
    pages: tuple[Page, ...]


class RecordTab(LazyTab):
    """One main tab: a single record table, or several as inner tabs (e.g. 组织领导). Its tables are built the
    first time the tab is shown or reached (`tables`, through `LazyTab.built`); until then it only keeps the
    year to show."""

    changed = Signal()
    status = Signal(str)

    def __init__(self, spec: TabSpec, undo_stack, parent=None):
        super().__init__(parent)
        self.spec = spec
        self.undo_stack = undo_stack
        self.campaign = None
        self._tables: list[RecordTable] = []
        self._inner: QTabWidget | None = None

    def build(self) -> None:
        # lazy: start-up (the tables' modules load with the first record tab shown)
        from safetymonth_desktop.ui.record_table import RecordTable

        self._tables = [RecordTable(page, self.undo_stack) for page in self.spec.pages]
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        if len(self._tables) == 1:
            layout.addWidget(self._tables[0])
        else:
            self._inner = QTabWidget()
            self._inner.setDocumentMode(True)
            for table in self._tables:
                self._inner.addTab(table, table.page.label)
            layout.addWidget(self._inner)
        for table in self._tables:
            table.changed.connect(self.changed)
            table.status.connect(self.status)
            table.set_campaign(self.campaign)

    @property
    def tables(self) -> list[RecordTable]:
        return self.built()._tables

    @property
    def inner(self) -> QTabWidget | None:
        """The inner tabs of a tab with several tables (None for one table)."""
        return self.built()._inner

    def holds(self, model) -> bool:
        """Whether one of this tab's tables shows `model` (asked without building the tab)."""
        return any(page.model is model for page in self.spec.pages)

    def current_table(self) -> RecordTable:
        tables = self.tables
        return self.inner.currentWidget() if self.inner is not None else tables[0]

    def table_for(self, model) -> RecordTable | None:
        return next((t for t in self.tables if t.model is model), None) if self.holds(model) else None

    def show_table(self, model) -> RecordTable | None:
        table = self.table_for(model)
        if table is not None and self.inner is not None:
            self.inner.setCurrentWidget(table)
        return table

    def set_campaign(self, campaign) -> None:
        self.campaign = campaign
        if self.is_built:  # else the tables read it when they are built
            for table in self._tables:
                table.set_campaign(campaign)

    def refresh(self) -> None:
        if self.is_built:  # a tab not built yet reads everything when it is
            for table in self._tables:
                table.refresh()
