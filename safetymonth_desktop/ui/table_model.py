"""A Qt table model over one record type of one year that fetches rows lazily from SQL.

Only the row count and the first page are read when the table opens; the view asks for more pages
(`canFetchMore` / `fetchMore`) as the clerk scrolls. Sorting and searching are SQL (services.listing),
so a table over 100 000 hazard rows opens at once.
"""

from __future__ import annotations

import peewee as pw
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from safetymonth_desktop.services.listing import PAGE_SIZE, Listing

# How many already-loaded rows a refresh reloads, so the view keeps its place after an edit.
KEEP_LOADED_MAX = 5000


def header_text(field) -> str:
    """A column header; the unit in brackets goes on a second line so number columns stay narrow."""
    label = field.verbose_name or field.name
    head, bracket, rest = label.partition("(")
    return f"{head}\n({rest}" if bracket and head and label.endswith(")") else label


class RecordTableModel(QAbstractTableModel):
    def __init__(self, model, fields=None, parent=None, *, page_size: int = PAGE_SIZE):
        super().__init__(parent)
        self.listing = Listing(model, None, fields=fields)
        self.page_size = page_size
        self._rows: list[tuple] = []
        self._total = 0
        self._numeric = [isinstance(f, pw.IntegerField) and not isinstance(f, pw.ForeignKeyField)
                         for f in self.listing.fields]

    # ---- what is shown

    @property
    def fields(self):
        return self.listing.fields

    @property
    def total(self) -> int:
        """Rows matching the search (not only those loaded)."""
        return self._total

    @property
    def loaded(self) -> int:
        return len(self._rows)

    def set_campaign(self, campaign_id: int | None) -> None:
        self.listing.campaign_id = campaign_id
        self.reload()

    def set_search(self, text: str) -> None:
        self.listing.search = text.strip()
        self.reload()

    def set_filters(self, filters: dict) -> None:
        """Narrow the rows (services.listing filters: field = value, `overdue`, `outside_year`)."""
        self.listing.filters = dict(filters)
        self.reload()

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        if not 0 <= column < len(self.fields):
            return
        self.listing.sort_index = column
        self.listing.descending = order == Qt.DescendingOrder
        self.reload()

    def reload(self, *, keep_loaded: bool = False) -> None:
        """Read the count and the first page again (or as many rows as were loaded, up to a bound)."""
        want = self.page_size
        if keep_loaded:
            want = max(want, min(len(self._rows), KEEP_LOADED_MAX))
        self.beginResetModel()
        self._total = self.listing.count()
        self._rows = self.listing.page(0, want) if self._total else []
        self.endResetModel()

    # ---- lazy fetching

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid():
            return
        page = self.listing.page(len(self._rows), self.page_size)
        if not page:
            self._total = len(self._rows)  # rows vanished meanwhile
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # ---- QAbstractTableModel

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.fields)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.DisplayRole:
            text = self._rows[index.row()][index.column() + 1]
            return text.replace("\n", " ") if "\n" in text else text
        if role == Qt.ToolTipRole:
            text = self._rows[index.row()][index.column() + 1]
            return text if len(text) > 12 else None
        if role == Qt.TextAlignmentRole and self._numeric[index.column()]:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(self.fields):
            return header_text(self.fields[section])
        if orientation == Qt.Horizontal and role == Qt.ToolTipRole and 0 <= section < len(self.fields):
            return self.fields[section].help_text or None
        if orientation == Qt.Vertical and role == Qt.DisplayRole:
            return str(section + 1)
        return None

    def record_id(self, row: int) -> int:
        return self._rows[row][0]

    def row_of(self, record_id: int) -> int | None:
        for i, row in enumerate(self._rows):
            if row[0] == record_id:
                return i
        return None

    def row_values(self, row: int) -> tuple:
        return self._rows[row][1:]
