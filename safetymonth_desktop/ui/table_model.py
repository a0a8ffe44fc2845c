"""A Qt table model over one record type of one year that reads rows from SQL only as they are shown.

The model reports every matching row (`rowCount` is the SQL count) but holds only the pages of display
rows the view has asked for, at most MAX_PAGES of them (the least recently used are dropped), so a table
over 1 000 000 hazard rows opens and jumps to its last row at once and its memory stays bounded.
In entry order a page is found by counting in the (campaign_id, id) index; once the clerk sorts or
searches, the ids of the matching rows are read once in their order (8 bytes a row) and pages are read
by id. Sorting and searching are SQL (services.listing).
"""

from __future__ import annotations

from collections import OrderedDict

import peewee as pw
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from safetymonth_desktop.services.listing import PAGE_SIZE, Listing

MAX_PAGES = 50  # display rows held: 50 pages of 200

# Qt's enums are Python enums in PySide6 6.x: comparing against them costs far more than against ints,
# and data()/headerData() are called thousands of times as a table paints (a third of the start-up
# time of the main window before this, profiled).
DISPLAY, TOOLTIP, ALIGNMENT = int(Qt.DisplayRole), int(Qt.ToolTipRole), int(Qt.TextAlignmentRole)
HORIZONTAL, VERTICAL = Qt.Horizontal, Qt.Vertical
RIGHT = int(Qt.AlignRight | Qt.AlignVCenter)


def header_text(field) -> str:
    """A column header; the unit in brackets goes on a second line so number columns stay narrow."""
    label = field.verbose_name or field.name
    head, bracket, rest = label.partition("(")
    return f"{head}\n({rest}" if bracket and head and label.endswith(")") else label


class RecordTableModel(QAbstractTableModel):
    def __init__(self, model, fields=None, parent=None, *, page_size: int = PAGE_SIZE, max_pages: int = MAX_PAGES):
        super().__init__(parent)
        self.listing = Listing(model, None, fields=fields)
        self.page_size = page_size
        self.max_pages = max(2, max_pages)
        self._pages: OrderedDict[int, list[tuple]] = OrderedDict()
        self._ids = None  # every matching id in display order, once sorted or searched
        self._total = 0
        self._numeric = [isinstance(f, pw.IntegerField) and not isinstance(f, pw.ForeignKeyField)
                         for f in self.listing.fields]
        self._headers = [header_text(f) for f in self.listing.fields]
        self._tips = [f.help_text or None for f in self.listing.fields]

    # ---- what is shown

    @property
    def fields(self):
        return self.listing.fields

    @property
    def total(self) -> int:
        """Rows matching the search (all of them are addressable; see `loaded`)."""
        return self._total

    @property
    def loaded(self) -> int:
        """Display rows held in memory now."""
        return sum(len(rows) for rows in self._pages.values())

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
        """Count again and forget the pages held (they are read again as they are shown). `keep_loaded`
        is accepted for callers that refresh after an edit: rows are addressed by position, so the view
        keeps its place either way."""
        self.beginResetModel()
        self._pages.clear()
        if self.listing.campaign_id is None:
            self._ids, self._total = None, 0
        elif self.listing.entry_order:
            self._ids, self._total = None, self.listing.count()
        else:
            self._ids = self.listing.ids()
            self._total = len(self._ids)
        self.endResetModel()

    # ---- pages

    def _page(self, number: int) -> list[tuple]:
        rows = self._pages.get(number)
        if rows is not None:
            self._pages.move_to_end(number)
            return rows
        start = number * self.page_size
        if self._ids is not None:
            rows = self.listing.rows(self._ids[start:start + self.page_size])
        else:
            rows = self.listing.page(start, self.page_size, total=self._total)
        self._pages[number] = rows
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        return rows

    def _row(self, row: int) -> tuple:
        rows = self._page(row // self.page_size)
        offset = row % self.page_size
        if offset < len(rows):
            return rows[offset]
        return (None, *("" for _ in self.fields))  # deleted meanwhile: blank until the next reload

    # ---- QAbstractTableModel

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.fields)

    def data(self, index, role=DISPLAY):
        if not index.isValid():
            return None
        role = int(role)
        if role == DISPLAY:
            text = self._row(index.row())[index.column() + 1]
            return text.replace("\n", " ") if "\n" in text else text
        if role == TOOLTIP:
            text = self._row(index.row())[index.column() + 1]
            return text if len(text) > 12 else None
        if role == ALIGNMENT and self._numeric[index.column()]:
            return RIGHT
        return None

    def headerData(self, section, orientation, role=DISPLAY):
        role = int(role)
        if role != DISPLAY and role != TOOLTIP:
            return None
        if orientation == HORIZONTAL:
            if 0 <= section < len(self._headers):
                return self._headers[section] if role == DISPLAY else self._tips[section]
            return None
        return str(section + 1) if role == DISPLAY else None

    def record_id(self, row: int) -> int:
        if self._ids is not None:
            return self._ids[row]
        return self._row(row)[0]

    def row_of(self, record_id: int) -> int | None:
        """The row showing record `record_id`, or None when it is not listed."""
        if self._ids is not None:
            try:
                return self._ids.index(record_id)
            except ValueError:
                return None
        if self.listing.campaign_id is None:
            return None
        row = self.listing.position(record_id)
        return row if row is not None and row < self._total else None

    def row_values(self, row: int) -> tuple:
        return self._row(row)[1:]
