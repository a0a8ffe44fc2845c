"""Column widths of every table on screen: fitted to the content and to the viewport, fitted again when the
viewport or the content changes, and — once the clerk drags a column — the clerk's own widths, remembered per
table (QSettings via ui/settings.py) until the clerk picks 自动调整列宽 in the header's context menu.

Each column is of one kind:
  FIXED  figures, dates, short choices: always as wide as the header or the widest cell sampled;
  NAME   names and short texts (units, titles): their content width while there is room, shrunk second;
  TEXT   free text: shares what is left, shrunk first (the whole text is in the tooltip and in the form).
When everything fits, the spare width goes to the TEXT columns (else the NAME columns, else the last one) in
proportion to their content, so the columns fill the viewport and no horizontal scroll bar shows. When it does
not fit, TEXT columns give up width widest first down to TEXT_LEAST characters, then NAME columns down to
their header; FIXED columns never. Only past that does the table scroll sideways. The arithmetic is `allot`,
free of Qt; `ColumnFitter` measures a view and applies it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QTimer, Qt
from PySide6.QtWidgets import QHeaderView, QMenu, QStyle, QTableView, QToolTip
from shiboken6 import isValid

from safetymonth_desktop.ui import settings

FIXED, NAME, TEXT = "fixed", "name", "text"
TEXT_LEAST = 8   # characters a free-text column keeps when the table is short of room
SAMPLE_ROWS = 150  # rows measured for a column's content width (the visible ones first, then around them): less
                  # than a page of the lazy table model, so measuring reads no rows the view would not show


@dataclass(frozen=True)
class Column:
    want: int    # the content's width (header or widest cell)
    least: int   # never narrower than this while shrinking
    kind: str = FIXED


def _shrink(widths: list[int], columns: list[Column], group: list[int], deficit: int) -> int:
    """Take up to `deficit` pixels from the columns `group`, widest first (a water line); returns what is
    still missing."""
    room = sum(max(0, widths[i] - columns[i].least) for i in group)
    if room <= 0 or deficit <= 0:
        return deficit
    if room <= deficit:
        for i in group:
            widths[i] = min(widths[i], columns[i].least)
        return deficit - room
    target = sum(widths[i] for i in group) - deficit
    # The water line L: sum(max(least, min(width, L))) == target, found by bisection on integers.
    low, high = 0, max(widths[i] for i in group)
    while low < high:
        mid = (low + high + 1) // 2
        if sum(max(columns[i].least, min(widths[i], mid)) for i in group) <= target:
            low = mid
        else:
            high = mid - 1
    for i in group:
        widths[i] = max(columns[i].least, min(widths[i], low))
    left = sum(widths[i] for i in group) - target  # rounding: a few pixels from the widest
    for i in sorted(group, key=lambda i: -widths[i]):
        if left <= 0:
            break
        if widths[i] > columns[i].least:
            widths[i] -= 1
            left -= 1
    return max(0, left)


def allot(available: int, columns: list[Column]) -> list[int]:
    """The widths of `columns` in a viewport `available` pixels wide (see the module's docstring)."""
    widths = [c.want for c in columns]
    if not columns:
        return widths
    spare = available - sum(widths)
    if spare >= 0:
        takers = ([i for i, c in enumerate(columns) if c.kind == TEXT] or [i for i, c in enumerate(columns)
                                                                          if c.kind == NAME] or [len(columns) - 1])
        weight = sum(max(1, widths[i]) for i in takers)
        given = 0
        for i in takers:
            share = spare * max(1, widths[i]) // weight
            widths[i] += share
            given += share
        widths[takers[-1]] += spare - given
        return widths
    deficit = -spare
    for kind in (TEXT, NAME):
        deficit = _shrink(widths, columns, [i for i, c in enumerate(columns) if c.kind == kind], deficit)
        if deficit <= 0:
            break
    return widths


def _settings():
    return settings.store()


class _Watcher(QObject):
    """Passes a viewport's resize, show and hide events on; a child of the viewport, so it goes with it."""

    def __init__(self, viewport, callback):
        super().__init__(viewport)
        self.callback = callback
        viewport.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind == QEvent.Resize or kind == QEvent.Show or kind == QEvent.Hide:
            self.callback(kind)
        elif kind == QEvent.ToolTip:
            return self.callback(kind, event)
        return False


class ColumnFitter:
    """Keeps the columns of `view` fitted; `kinds` gives each column's kind (a list, or a function of the
    column index). `key` names the table in the settings, where the clerk's own widths are kept.

    A plain object, not a QObject, kept alive by the view (`view.column_fitter`) and by the connections of
    the view's model: a table being destroyed still signals its model, and a Python QObject receiver may be
    half gone by then."""

    def __init__(self, view: QTableView, key: str, kinds, *, sample_rows: int = SAMPLE_ROWS):
        self.view, self.key = view, key
        self.sample_rows = sample_rows
        self._after: list = []
        self._measured: list[Column] | None = None
        self._kinds = kinds
        self._fitting = False
        self._dirty = True
        self.user_widths = False  # the clerk sized the columns: keep them
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(24)
        header.setResizeContentsPrecision(sample_rows)  # the horizontal header's: rows read per column
        view.setTextElideMode(Qt.ElideRight)
        header.sectionResized.connect(self._resized)
        header.setContextMenuPolicy(Qt.CustomContextMenu)
        header.customContextMenuRequested.connect(self._menu)
        self._timer = QTimer(view)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        self._save_timer = QTimer(view)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(400)
        self._save_timer.timeout.connect(self.save)
        self._watcher = _Watcher(view.viewport(), self._viewport_event)
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged,
                       model.dataChanged, model.headerDataChanged):
            signal.connect(self.schedule)
        self._restore()

    # ---- the kinds and the measures

    def kind(self, column: int) -> str:
        kinds = self._kinds
        if callable(kinds):
            return kinds(column)
        return kinds[column] if column < len(kinds) else NAME

    def headers(self) -> list[str]:
        model = self.view.model()
        return [str(model.headerData(c, Qt.Horizontal) or "") for c in range(model.columnCount())]

    def wanted(self, column: int) -> int:
        """The width showing column `column` whole: its header, or its widest cell sampled (Qt's own measure)."""
        return max(self.view.sizeHintForColumn(column), self.view.horizontalHeader().sectionSizeHint(column))

    def _text_widths(self) -> list[int] | None:
        """For a model of plain text rows (`row_values`, the record tables): each column's widest cell measured
        with the font alone — a tenth of the time of asking the delegate for every cell, which matters as a
        search refits at every keystroke. The delegate's margins are measured on the first row shown (Qt's
        measure of one row) and added. None for other models."""
        model, view = self.view.model(), self.view
        if not hasattr(model, "row_values") or model.rowCount() == 0:
            return None
        first = max(0, view.rowAt(0))
        rows = range(first, min(model.rowCount(), first + self.sample_rows))
        metrics = view.fontMetrics()
        columns = model.columnCount()
        widest = [0] * columns
        for r in rows:
            for c, text in enumerate(model.row_values(r)[:columns]):
                if text:
                    width = metrics.horizontalAdvance(text.replace("\n", " "))
                    if width > widest[c]:
                        widest[c] = width
        header = view.horizontalHeader()
        precision = header.resizeContentsPrecision()
        header.setResizeContentsPrecision(1)  # Qt's measure of the first row shown: its margins
        try:
            texts = model.row_values(first)
            margins = [view.sizeHintForColumn(c) - metrics.horizontalAdvance((texts[c] or "").replace("\n", " "))
                       for c in range(columns)]
        finally:
            header.setResizeContentsPrecision(precision)
        # +2: the delegate lays text out with fractional advances rounded up, the font alone rounds each string
        return [max(header.sectionSizeHint(c), widest[c] + margins[c] + 2) for c in range(columns)]

    def columns(self) -> list[Column]:
        header = self.view.horizontalHeader()
        text_least = self.view.fontMetrics().horizontalAdvance("中" * TEXT_LEAST) + 16
        fast = self._text_widths()
        out = []
        for c in range(header.count()):
            if header.isSectionHidden(c):
                out.append(Column(0, 0, FIXED))
                continue
            kind = self.kind(c)
            want = fast[c] if fast is not None else self.wanted(c)
            least = header.sectionSizeHint(c)
            if kind == TEXT:
                least = max(least, min(want, text_least))
            out.append(Column(want, min(least, want), kind))
        return out

    # ---- fitting

    def schedule(self, *args) -> None:
        """Fit again once the current change is over (many signals of one fill make one fit)."""
        self._dirty = True
        self._measured = None
        # Not while the table is being destroyed (it still signals its model); a hidden table fits at its showing
        # (its viewport's Show comes before the table counts as visible: the timer runs after that).
        if isValid(self.view) and not self.user_widths and (self.view.isVisible() or self.view.isVisibleTo(
                self.view.window())):
            self._timer.start()

    def fit(self) -> None:
        """Set the widths for the content and the viewport now (unless the clerk set them)."""
        if self.user_widths or not isValid(self.view):
            return
        if not self.view.isVisible():
            self._dirty = True  # measured once shown: the viewport's width is not known before
            return
        self._dirty = False
        if self._measured is None:  # measured again after the content changed, not at every step of a resize
            self._measured = self.columns()
        widths = allot(self.view.viewport().width(), self._measured)
        header = self.view.horizontalHeader()
        self._fitting = True
        try:
            for c, width in enumerate(widths):
                if not header.isSectionHidden(c) and header.sectionSize(c) != width:
                    header.resizeSection(c, width)
        finally:
            self._fitting = False
        for callback in self._after:
            callback()

    def after_fit(self, callback) -> None:
        """Call `callback()` after each fit (a table with wrapped text sizes its rows again then)."""
        self._after.append(callback)

    def _viewport_event(self, kind, event=None) -> bool:
        if not isValid(self.view):
            return False
        if kind == QEvent.ToolTip:
            return self._tooltip(event)
        if kind == QEvent.Resize and not self.user_widths:
            self.fit()
            self._timer.start()  # and once the layout has settled (the row numbers' width comes later)
        elif kind == QEvent.Show and self._dirty:
            self.schedule()
        elif kind == QEvent.Hide and self._save_timer.isActive():  # closed right after a drag: save now
            self._save_timer.stop()
            self.save()
        return False

    def _tooltip(self, event) -> bool:
        """A record table's cell shows its whole text as a tooltip when the column cuts it short (and only then);
        tables of items keep the tooltips their items carry."""
        model = self.view.model()
        if not hasattr(model, "row_values"):
            return False
        index = self.view.indexAt(event.pos())
        text = str(model.data(index) or "") if index.isValid() else ""
        rect = self.view.visualRect(index)
        margins = 2 * (self.view.style().pixelMetric(QStyle.PM_FocusFrameHMargin) + 1) + 2
        if text and self.view.fontMetrics().horizontalAdvance(text) + margins > rect.width():
            QToolTip.showText(event.globalPos(), model.row_values(index.row())[index.column()], self.view.viewport(),
                              rect)
        else:
            QToolTip.hideText()
            event.ignore()
        return True

    # ---- the clerk's own widths

    def _resized(self, column: int, old: int, new: int) -> None:
        if self._fitting or not isValid(self.view) or not self.view.isVisible():
            return
        self.user_widths = True
        self._timer.stop()
        self._save_timer.start()  # once the drag is over, not at every pixel of it

    def save(self) -> None:
        """Remember the widths on screen as the clerk's for this table."""
        if not isValid(self.view):
            return
        header = self.view.horizontalHeader()
        state = {"headers": self.headers(), "widths": [header.sectionSize(c) for c in range(header.count())]}
        _settings().setValue(f"columns/{self.key}", json.dumps(state, ensure_ascii=False))

    def _restore(self) -> None:
        raw = _settings().value(f"columns/{self.key}")
        if not raw:
            return
        try:
            state = json.loads(str(raw))
            headers, widths = state["headers"], [int(w) for w in state["widths"]]
        except (ValueError, KeyError, TypeError):
            return
        if headers != self.headers() or len(widths) != len(headers):
            return  # the columns changed since: fit them afresh
        self._fitting = True
        try:
            for c, width in enumerate(widths):
                self.view.setColumnWidth(c, max(24, width))
        finally:
            self._fitting = False
        self.user_widths = True

    def reset(self) -> None:
        """Forget the clerk's widths and fit to the content and the window again."""
        _settings().remove(f"columns/{self.key}")
        self.user_widths = False
        self._measured = None
        self.fit()

    def _menu(self, pos) -> None:
        menu = QMenu(self.view)
        action = menu.addAction("自动调整列宽(按内容和窗口宽度)", self.reset)
        action.setEnabled(self.user_widths)
        menu.exec(self.view.horizontalHeader().mapToGlobal(pos))


def fit_columns(view: QTableView, key: str, kinds, **options) -> ColumnFitter:
    """Attach a ColumnFitter to `view` (its model set) and return it."""
    fitter = ColumnFitter(view, key, kinds, **options)
    view.column_fitter = fitter
    return fitter
