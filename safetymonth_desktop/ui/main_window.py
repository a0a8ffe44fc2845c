"""The main window: year selector, the record tabs in report order, menus, undo/redo, remembered layout.

Other parts of the application extend it without editing it:
- `window.tabs.insertTab(0, widget, "概览")` puts an overview first (index 0 is left free for it);
- `window.menu("import")` (also "export", "backup", "help") returns that menu, created on first use in its
  fixed place in the menu bar, so menus exist only when something is in them;
- `campaign_changed(campaign)` and `data_changed()` tell other views to refresh.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QMainWindow, QMenu, QTabWidget, QToolBar, QWidget

from safetymonth_desktop import APP_NAME, __version__
from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.db.connection import current_path
from safetymonth_desktop.services import campaigns, units
from safetymonth_desktop.ui import placement, prompts, settings, toolbar
from safetymonth_desktop.ui.actions import install_all as install_menu_actions, report as report_actions
from safetymonth_desktop.ui.qt_compat import emit
from safetymonth_desktop.ui.record_tab import RecordTab
from safetymonth_desktop.ui.lazy_tab import LazyPage
from safetymonth_desktop.ui.tabs import TAB_SPECS, overview as overview_tab
from safetymonth_desktop.ui.undo import UndoStack

if TYPE_CHECKING:
    from safetymonth_desktop.ui.dialogs.campaign import CampaignDialog, NewYearDialog
    from safetymonth_desktop.ui.dialogs.units import UnitsDialog

# The menu bar, left to right. Menus after 数据 are created by the features that fill them.
MENU_ORDER = (("file", "文件(&F)"), ("edit", "编辑(&E)"), ("data", "数据(&D)"), ("import", "导入(&I)"),
              ("export", "导出(&X)"), ("backup", "备份(&B)"), ("help", "帮助(&H)"))
PROGRESS_TITLE = "报送进度"
DEFAULT_SIZE = (1300, 680)  # fits a 1366×768 screen with the taskbar; clamped to smaller screens (ui/placement)


class MainWindow(QMainWindow):
    campaign_changed = Signal(object)  # the Campaign now shown, or None
    data_changed = Signal()            # records changed (add, edit, delete, paste, undo, units)

    def __init__(self, db_path: Path | None = None, parent=None):
        super().__init__(parent)
        self.db_path = Path(db_path) if db_path else current_path()
        self.setWindowTitle(f"{APP_NAME} — {self.db_path.name if self.db_path else ''}")
        self.campaign = None
        self.undo_stack = UndoStack(self)
        self.menus: dict[str, QMenu] = {}
        self.actions: dict[str, QAction] = {}

        self._build_year_bar()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("main_tabs")
        self.record_tabs: list[RecordTab] = []  # built the first time they are shown or reached (ui/lazy_tab)
        self.lazy_pages: dict = {}  # other pages built on first use, by key ("progress")
        for spec in TAB_SPECS:
            tab = RecordTab(spec, self.undo_stack)
            tab.changed.connect(self.data_changed)
            tab.status.connect(lambda text: self.statusBar().showMessage(text, 8000))
            self.tabs.addTab(tab, spec.title)
            self.record_tabs.append(tab)
        self.setCentralWidget(self.tabs)
        self._build_menus()
        install_menu_actions(self)  # 导入 / 导出 / 备份 / 帮助 (ui/actions)
        self.db_label = QLabel(str(self.db_path or ""))
        self.db_label.setStyleSheet("color: #666;")
        self.statusBar().addPermanentWidget(self.db_label)

        self.undo_stack.changed.connect(self._update_undo_actions)
        self.undo_stack.reverted.connect(self.refresh)
        self._update_undo_actions()
        self.reload_years(settings.last_year())
        self._restore_layout()
        overview_tab.install(self)  # 概览, the first tab
        self._install_progress()  # 报送进度, after the record tabs
        report_actions.install(self)  # 导出 → 活动总结 and its template
        toolbar.install(self)  # the daily actions with icons, the window icon (ui/toolbar.py)

    # ---- building

    def _install_progress(self) -> None:
        """报送进度 after the record tabs; its module (ui/tabs/progress.py) loads when the page is first shown
        or reached (`window.progress`, ui/lazy_tab.LazyPage)."""
        def make():
            from safetymonth_desktop.ui.tabs import progress as progress_tab  # lazy: start-up

            return progress_tab.ProgressTab(self)

        page = LazyPage(make, self)
        self.lazy_pages["progress"] = page
        self.tabs.addTab(page, PROGRESS_TITLE)

    def _build_year_bar(self) -> None:
        bar = QToolBar("年度")
        bar.setObjectName("year_bar")
        bar.setMovable(False)
        bar.addWidget(QLabel(" 活动年度: "))
        self.year_combo = QComboBox()
        self.year_combo.setMinimumWidth(200)
        self.year_combo.setToolTip("选择要填报的活动年度")
        self.year_combo.currentIndexChanged.connect(self._year_chosen)
        bar.addWidget(self.year_combo)
        bar.addSeparator()
        self.theme_label = QLabel()
        self.theme_label.setStyleSheet("color: #34495e; padding: 0 8px;")
        bar.addWidget(self.theme_label)
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().horizontalPolicy().Expanding, spacer.sizePolicy().verticalPolicy())
        bar.addWidget(spacer)
        self.year_bar = bar
        self.addToolBar(Qt.TopToolBarArea, bar)

    def _action(self, key, text, slot, shortcut=None, tip=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.actions[key] = action
        return action

    def menu(self, key: str) -> QMenu:
        """The menu `key` of MENU_ORDER, created on first use in its place in the menu bar."""
        if key in self.menus:
            return self.menus[key]
        order = [k for k, _ in MENU_ORDER]
        title = dict(MENU_ORDER)[key]
        menu = QMenu(title, self)
        later = [self.menus[k] for k in order[order.index(key) + 1:] if k in self.menus]
        if later:
            self.menuBar().insertMenu(later[0].menuAction(), menu)
        else:
            self.menuBar().addMenu(menu)
        self.menus[key] = menu
        return menu

    def _build_menus(self) -> None:
        file = self.menu("file")
        file.addAction(self._action("new_year", "新建年度…", self.new_year, tip="新建一个活动年度"))
        file.addAction(self._action("db_info", "数据库信息…", self.database_info))
        file.addSeparator()
        file.addAction(self._action("quit", "退出", self.close, QKeySequence.Quit))

        edit = self.menu("edit")
        edit.addAction(self._action("undo", "撤销", self.undo, "Ctrl+Z"))
        edit.addAction(self._action("redo", "重做", self.redo, "Ctrl+Y"))
        edit.addSeparator()
        edit.addAction(self._action("add", "新增记录…", self.add_record, "Ctrl+N"))
        edit.addAction(self._action("edit", "修改记录…", self.edit_record))
        edit.addAction(self._action("delete", "删除记录", self.delete_records, "Del"))
        edit.addAction(self._action("paste", "从 Excel 粘贴", self.paste_records, "Ctrl+V"))
        edit.addSeparator()
        edit.addAction(self._action("find", "查找", self.find, "Ctrl+F"))

        data = self.menu("data")
        data.addAction(self._action("units", "单位管理…", self.manage_units))
        data.addAction(self._action("settings", "年度设置…", self.campaign_settings))

    # ---- campaign years

    def reload_years(self, select: int | None = None) -> None:
        labelled = campaigns.list_years_with_ordinals()
        years = [year for year, _ in labelled]
        current = select if select in years else (self.campaign.year if self.campaign and self.campaign.year in years
                                                  else (years[-1] if years else None))
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year, ordinal in labelled:
            self.year_combo.addItem(_year_label(year, ordinal), year)
        if current is not None:
            self.year_combo.setCurrentIndex(self.year_combo.findData(current))
        self.year_combo.blockSignals(False)
        self.set_year(current)

    def _year_chosen(self, index: int) -> None:
        self.set_year(self.year_combo.itemData(index) if index >= 0 else None)

    def set_year(self, year: int | None) -> None:
        """Show the records of `year` (None: no year yet) in every tab."""
        previous = self.campaign.year if self.campaign is not None else None
        self.campaign = campaigns.find(year) if year is not None else None
        if self.campaign is not None:
            index = self.year_combo.findData(self.campaign.year)
            if index != self.year_combo.currentIndex():
                self.year_combo.blockSignals(True)
                self.year_combo.setCurrentIndex(index)
                self.year_combo.blockSignals(False)
            self.year_combo.setItemText(index, _year_label(self.campaign.year, self.campaign.ordinal))
            settings.remember_year(self.campaign.year)
            theme = self.campaign.theme or "(未填写主题)"
            where = self.campaign.region or "(未填写地区,请在“年度设置”中填写)"
            self.theme_label.setText(f"{where} · 主题:{theme}")
        else:
            self.theme_label.setText("数据库中还没有活动年度,请点击“新建年度…”。")
        for tab in self.record_tabs:
            tab.set_campaign(self.campaign)
        self.actions["settings"].setEnabled(self.campaign is not None)
        if previous != (self.campaign.year if self.campaign else None):
            self.undo_stack.clear()  # an undo must not silently change a year that is not on screen
        emit(self.campaign_changed, self.campaign)

    def new_year(self) -> NewYearDialog:
        from safetymonth_desktop.ui.dialogs.campaign import NewYearDialog  # lazy: dialogs load when first opened

        dialog = NewYearDialog(self)
        dialog.created.connect(self._year_created)
        dialog.open()
        return dialog

    def _year_created(self, year: int) -> None:
        self.reload_years(year)
        self.statusBar().showMessage(f"已新建 {year} 年度。", 8000)

    def campaign_settings(self) -> CampaignDialog | None:
        if self.campaign is None:
            prompts.info(self, "请先新建一个活动年度。")
            return None
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.ui.dialogs.campaign import CampaignDialog

        dialog = CampaignDialog(self.campaign, self.undo_stack, self)
        dialog.saved.connect(lambda year: self.set_year(year))
        dialog.notes.changed.connect(self.data_changed)
        dialog.open()
        return dialog

    def manage_units(self) -> UnitsDialog:
        # lazy: start-up (loaded when first used, not when the window opens)
        from safetymonth_desktop.ui.dialogs.units import UnitsDialog

        dialog = UnitsDialog(self, campaign=self.campaign)
        dialog.changed.connect(self._units_changed)
        dialog.open()
        return dialog

    def _units_changed(self, structural: bool) -> None:
        if structural:  # merged or deleted units: older undo steps could point at a unit that is gone
            self.undo_stack.clear()
        self.refresh()

    def database_info(self) -> None:
        path = current_path()
        size = path.stat().st_size if path and path.exists() else 0
        years = campaigns.list_years()
        prompts.info(self, f"数据库文件:{path}\n文件大小:{size / 1024:.0f} KB\n"
                           f"活动年度:{'、'.join(map(str, years)) or '无'}\n单位:{len(units.list_units())} 个\n"
                           f"软件版本:{__version__}", "数据库信息")

    # ---- the current table and the edit actions

    def current_table(self):
        widget = self.tabs.currentWidget()
        return widget.current_table() if isinstance(widget, RecordTab) else None

    def record_tab(self, title: str) -> RecordTab | None:
        """The record tab called `title`, its tables built (`LazyTab.built`)."""
        tab = next((t for t in self.record_tabs if t.spec.title == title), None)
        return tab.built() if tab is not None else None

    @property
    def progress(self):
        """The 报送进度 page, built (None in a window without it)."""
        page = self.lazy_pages.get("progress")
        return page.built() if page is not None else None

    def show_records(self, model):
        """Bring the table of `model` to the front (its tab built if needed); returns it."""
        tab = next((t for t in self.record_tabs if t.holds(model)), None)
        if tab is None:
            return None
        table = tab.show_table(model)
        self.tabs.setCurrentWidget(tab)
        return table

    def _with_table(self, method: str):
        table = self.current_table()
        if table is None:
            self.statusBar().showMessage("请先切换到一个数据表格。", 5000)
            return None
        return getattr(table, method)()

    def add_record(self):
        return self._with_table("add")

    def edit_record(self):
        return self._with_table("edit")

    def delete_records(self):
        return self._with_table("delete")

    def paste_records(self):
        return self._with_table("paste")

    def find(self):
        return self._with_table("focus_search")

    def undo(self) -> None:
        self._undo_redo(self.undo_stack.undo, "撤销")

    def redo(self) -> None:
        self._undo_redo(self.undo_stack.redo, "重做")

    def _undo_redo(self, step, verb: str) -> None:
        try:
            label = step()
        except AppError as exc:
            prompts.error(self, f"{verb}失败:{exc}")
            return
        if label:
            self.statusBar().showMessage(f"已{verb}:{label}", 8000)

    def _update_undo_actions(self) -> None:
        self.actions["undo"].setEnabled(self.undo_stack.can_undo())
        self.actions["redo"].setEnabled(self.undo_stack.can_redo())
        self.actions["undo"].setText(f"撤销 {self.undo_stack.undo_label()}".strip())
        self.actions["redo"].setText(f"重做 {self.undo_stack.redo_label()}".strip())

    def refresh(self) -> None:
        """Read every table and total again (after undo/redo or unit changes); tabs not built yet read
        everything when they are."""
        if self.campaign is not None:
            self.campaign = campaigns.find(self.campaign.year)
        for tab in self.record_tabs:
            tab.refresh()
        emit(self.data_changed)

    # ---- remembered layout

    def _restore_layout(self) -> None:
        """Size, place and toolbars as the window was closed. Not the tab: the window always opens on 概览, whose
        checklist is what the clerk should see first (tests/ui/test_window.py)."""
        store = settings.store()
        geometry = store.value("window/geometry")
        restored = isinstance(geometry, QByteArray) and not geometry.isEmpty() and self.restoreGeometry(geometry)
        rect = settings.window_rect() or (self.normalGeometry() if restored else None)
        areas = placement.screen_areas()
        area = placement.area_holding(rect, areas) if restored and rect is not None and areas else None
        if area is not None:
            if not (self.isMaximized() or self.isFullScreen()):
                self.setGeometry(placement.fitted(self.geometry(), area))
            state = store.value("window/state")
            if isinstance(state, QByteArray):
                self.restoreState(state)
        else:  # first start, or the remembered place is on a screen no longer present: the default, centred
            self.setWindowState(Qt.WindowNoState)
            if areas:
                self.setGeometry(placement.default_rect(QSize(*DEFAULT_SIZE), areas[0]))
            else:
                self.resize(*DEFAULT_SIZE)

    def save_layout(self) -> None:
        store = settings.store()
        store.setValue("window/geometry", self.saveGeometry())
        settings.remember_window_rect(self.normalGeometry() if self.normalGeometry().isValid() else self.geometry())
        store.setValue("window/state", self.saveState())
        store.sync()

    def closeEvent(self, event) -> None:
        self.save_layout()
        super().closeEvent(event)


def _year_label(year: int, ordinal: int) -> str:
    return f"{year}年(第{ordinal}个安全生产月)"
