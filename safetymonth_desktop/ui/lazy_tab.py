"""A page of the main window's tab bar whose widgets are built the first time it is shown or asked for.

At start-up only the visible tab (the overview) is needed; the record tables, the progress page … cost
hundreds of widgets, column fitting and queries the clerk has not asked for yet. A `LazyTab` is an empty
widget in the tab bar until then. `built()` is the one way into its content: it builds the page if
needed and returns it, so code reaching into a tab (an action, a search, undo refreshing the tables)
never meets a page without its widgets. Showing the page builds it too, before it is painted."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyTab(QWidget):
    """Subclasses put their widgets into `self.body` (a plain widget filling the page) in `build()`."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._built = False
        self._building = False
        self.body: QWidget | None = None

    @property
    def is_built(self) -> bool:
        return self._built

    def built(self):
        """This page with its widgets built (built now if it was not yet)."""
        if not self._built and not self._building:
            self._building = True
            try:
                self.body = QWidget(self)
                self.build()
                layout = QVBoxLayout(self)
                layout.setContentsMargins(0, 0, 0, 0)
                layout.addWidget(self.body)
            finally:
                self._building = False
            self._built = True
            if self.isVisible():
                self.body.show()  # a layout shows a widget added to a visible page only at the next event loop
            self.after_build()
        return self

    def build(self) -> None:
        """Make the page's widgets in `self.body`: every kind of page has its own (an abstract hook, so a page
        class that forgot it fails at its first show instead of showing an empty tab)."""
        raise NotImplementedError(f"{type(self).__name__} must define build()")

    def after_build(self) -> None:
        """Called once the page is built (read the data it shows)."""

    def showEvent(self, event) -> None:
        self.built()
        super().showEvent(event)


class LazyPage(LazyTab):
    """A tab whose page comes from a module imported only when the page is first shown or reached (start-up:
    报送进度's module and what it needs cost more than the rest of the window's own code). `make()` imports that
    module and returns the page (itself a `LazyTab`), which is put into this tab and built at once. The tab
    stands for its page: `tabs.currentWidget()` and `window.progress` are this tab, and what the page has
    (its widgets, data and methods) is reached through it, building the page on first use."""

    def __init__(self, make, window, parent=None):
        self.page = None  # before QWidget's __init__: __getattr__ may be asked for anything from then on
        self._make = make
        super().__init__(parent)
        # The main window, as the pages of the tab bar have it: their `window` shadows QWidget.window(), which
        # this tab would otherwise answer before asking the page.
        self.window = window

    def build(self) -> None:
        self.page = self._make()
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.page)
        self.page.built()

    def __getattr__(self, name: str):
        # Only names this tab does not have itself (QWidget's and LazyTab's are found first) reach the page.
        if name.startswith("_") or name in ("page", "body"):
            raise AttributeError(name)
        page = self.built().page
        if page is None:  # asked while the page is being made
            raise AttributeError(name)
        return getattr(page, name)
