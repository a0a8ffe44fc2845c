"""Column widths (ui.columns): every table on screen shows each column whole when the window has room, fills the
viewport without a horizontal scroll bar, fits again when the window is resized, and keeps the clerk's own widths
once a column was dragged — at 1366×768 and 1920×1080 on the demo year."""

import pytest
from PySide6.QtCore import Qt

from safetymonth_desktop.db import models as m
from safetymonth_desktop.ui import charts
from safetymonth_desktop.ui.columns import Column, FIXED, NAME, TEXT, allot

# 1280×720 logical pixels is a 1920×1080 screen at 150 %: Qt scales fonts and widgets alike, so the layout is the
# same as with QT_SCALE_FACTOR=1.5 (which a running QApplication cannot change).
SIZES = [(1366, 768), (1920, 1080), (1280, 720)]


# ---------------------------------------------------------------------------------------------- the arithmetic

def test_room_to_spare_goes_to_the_free_text_and_fills_the_viewport():
    cols = [Column(100, 60, FIXED), Column(120, 60, NAME), Column(300, 120, TEXT), Column(100, 100, TEXT)]
    widths = allot(1000, cols)
    assert sum(widths) == 1000
    assert widths[:2] == [100, 120]  # figures and names at their content width
    assert all(w >= c.want for w, c in zip(widths, cols))
    assert widths[2] - 300 > widths[3] - 100  # the longer text gets the larger share


def test_without_free_text_the_names_or_the_last_column_take_the_spare():
    assert allot(500, [Column(100, 50, FIXED), Column(100, 50, NAME)]) == [100, 400]
    assert allot(500, [Column(100, 50, FIXED), Column(100, 50, FIXED)]) == [100, 400]


def test_short_of_room_the_widest_text_gives_first_and_figures_never():
    cols = [Column(90, 90, FIXED), Column(150, 80, NAME), Column(600, 120, TEXT), Column(200, 120, TEXT)]
    # A water line: the widest text gives first; the shorter one keeps its whole width.
    assert allot(800, cols) == [90, 150, 360, 200]
    assert allot(600, cols) == [90, 150, 180, 180]
    # Texts at their least, then the name down to its least; past that the table scrolls, figures whole.
    assert allot(450, cols) == [90, 120, 120, 120]
    assert allot(300, cols) == [90, 80, 120, 120]


# ---------------------------------------------------------------------------------------------- the real window

def _settle(qtbot):
    for _ in range(5):  # fits are queued after a change (one fit for all the signals of one fill), and the
        qtbot.wait(20)  # view lays out its scroll bars after the sections changed: a few rounds of events


def _measure(view):
    header = view.horizontalHeader()
    out = []
    for c in range(header.count()):
        if header.isSectionHidden(c):  # e.g. 所属下级地区 in a district's year: not on screen
            continue
        want = max(view.sizeHintForColumn(c), header.sectionSizeHint(c))
        out.append((str(view.model().headerData(c, Qt.Horizontal)), view.columnWidth(c), want,
                    view.column_fitter.kind(c)))
    return out


def assert_fitted(view, where: str) -> None:
    """Whole columns when they fit (filling the viewport, no horizontal scroll bar); else figures whole and
    the free text shrunk, still without a scroll bar as long as every column's least width fits."""
    cols = _measure(view)
    available = view.viewport().width()
    used = sum(width for _, width, _, _ in cols)
    fitter = view.column_fitter
    if sum(want for _, _, want, _ in cols) <= available:
        cut = [(name, width, want) for name, width, want, _ in cols if width < want]
        assert not cut, f"{where}: columns cut although the table has room: {cut}"
    else:
        cut = [(name, width, want) for name, width, want, kind in cols if kind == FIXED and width < want]
        assert not cut, f"{where}: figures or dates cut: {cut}"
    if sum(c.least for c in fitter.columns()) <= available:
        assert used == available, f"{where}: columns use {used} of {available} px"
        assert not view.horizontalScrollBar().isVisible(), where


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_record_table_and_the_progress_page_fit_the_window(demo, make_window, qtbot, size):
    window = make_window()
    window.resize(*size)
    checked = 0
    for tab in window.record_tabs:
        window.tabs.setCurrentWidget(tab)
        for table in tab.tables:
            if tab.inner is not None:
                tab.inner.setCurrentWidget(table)
            _settle(qtbot)
            assert table.table_model.total > 0, table.page.label  # the demo fills every table
            assert_fitted(table.view, f"{tab.spec.title}/{table.page.label} at {size}")
            checked += 1
    assert checked == 11
    window.tabs.setCurrentWidget(window.progress)
    _settle(qtbot)
    assert_fitted(window.progress.table, f"报送进度 at {size}")


def test_long_free_text_shrinks_without_pushing_columns_off_screen(demo, make_window, qtbot):
    """The issue's case: at 1366 px the 隐患台账's long descriptions must not push 备注 off the right edge."""
    from safetymonth_desktop.services import records

    hazard = m.Hazard.select().where(m.Hazard.campaign == demo).first()
    records.update(m.Hazard, hazard.id, {"description": "配电箱内电线老化破损、私拉乱接," * 8,
                                         "measures": "更换全部老化电线并加装漏电保护器,每周复查一次," * 5})
    window = make_window()
    window.resize(1366, 768)
    table = window.show_records(m.Hazard)
    table.refresh()
    _settle(qtbot)
    view = table.view
    assert_fitted(view, "隐患台账 with long texts")
    notes = [f.name for f in table.table_model.fields].index("notes")
    right = view.columnViewportPosition(notes) + view.columnWidth(notes)
    assert 0 < right <= view.viewport().width()  # 备注 is on screen
    description = [f.name for f in table.table_model.fields].index("description")
    assert view.columnWidth(description) < view.sizeHintForColumn(description)  # elided; whole in the tooltip


def test_columns_fit_again_when_the_window_grows(demo, make_window, qtbot):
    window = make_window()
    window.resize(1300, 680)
    table = window.show_records(m.Instruction)
    _settle(qtbot)
    before = table.view.viewport().width()
    window.resize(1920, 1080)
    _settle(qtbot)
    assert table.view.viewport().width() > before + 500
    assert_fitted(table.view, "领导重视 after maximising")


def test_the_clerks_widths_are_kept_and_remembered_until_reset(demo, make_window, qtbot):
    window = make_window()
    window.resize(1366, 768)
    table = window.show_records(m.Training)
    _settle(qtbot)
    header = table.view.horizontalHeader()
    header.resizeSection(1, 333)  # what a drag of the divider does
    assert table.columns.user_widths
    window.resize(1920, 1080)
    _settle(qtbot)
    assert table.view.columnWidth(1) == 333  # no refit over the clerk's widths
    widths = [table.view.columnWidth(c) for c in range(header.count())]
    window.close()

    again = make_window()
    again.resize(1366, 768)
    table = again.show_records(m.Training)
    _settle(qtbot)
    assert [table.view.columnWidth(c) for c in range(header.count())] == widths
    other = again.show_records(m.Event)  # remembered per table: the others still fit themselves
    _settle(qtbot)
    assert not other.columns.user_widths
    table = again.show_records(m.Training)
    table.columns.reset()  # 自动调整列宽 in the header's menu
    _settle(qtbot)
    assert not table.columns.user_widths and table.view.columnWidth(1) != 333
    assert_fitted(table.view, "培训 after 自动调整列宽")


def test_widths_saved_for_other_columns_are_not_applied(demo, make_window, qtbot):
    from safetymonth_desktop.ui import settings

    settings.store().setValue("columns/records/Training", '{"headers": ["甲", "乙"], "widths": [500, 500]}')
    window = make_window()
    window.resize(1366, 768)
    table = window.show_records(m.Training)
    _settle(qtbot)
    assert not table.columns.user_widths
    assert_fitted(table.view, "培训 with stale saved widths")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_dialog_tables_fit(demo, make_window, qtbot, size):
    from safetymonth_desktop.services import history, records, safety
    from safetymonth_desktop.ui.dialogs.backups import BackupsDialog
    from safetymonth_desktop.ui.dialogs.history import DeletedRecordsDialog, RecordHistoryDialog

    window = make_window()
    window.resize(*size)
    hazard = m.Hazard.select().where(m.Hazard.campaign == demo).first()
    with history.change_group():
        records.update(m.Hazard, hazard.id, {"status": "已整改", "measures": "已更换老化电线并加装漏电保护器"})
    with history.change_group():
        records.delete(m.Hazard, m.Hazard.select().where(m.Hazard.campaign == demo).order_by(m.Hazard.id.desc())
                       .first().id)
    safety.backup_now()
    dialogs = [window.manage_units(), RecordHistoryDialog(m.Hazard, hazard.id, window),
               DeletedRecordsDialog([m.Hazard], demo, window, m.Hazard), BackupsDialog(window)]
    for dialog in dialogs:
        dialog.show()
        qtbot.waitExposed(dialog)
        _settle(qtbot)
        assert_fitted(dialog.table, f"{dialog.windowTitle()} at {size}")
        dialog.reject()


def test_chart_columns_share_the_overview_evenly(demo, make_window, qtbot):
    window = make_window()
    window.resize(1920, 1080)
    window.tabs.setCurrentWidget(window.overview)
    _settle(qtbot)
    views = window.overview.chart_views
    assert len(views) >= 2
    grid = window.overview.chart_grid
    for row in range(grid.rowCount()):
        cells = [grid.itemAtPosition(row, c) for c in range(2)]
        widths = [cell.widget().width() for cell in cells if cell is not None]
        if len(widths) == 2:
            assert abs(widths[0] - widths[1]) <= 2, widths
            assert min(widths) >= charts.MIN_WIDTH


def test_a_cut_cell_shows_its_whole_text_as_a_tooltip_and_a_whole_one_none(demo, make_window, qtbot):
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    from safetymonth_desktop.services import records

    long_text = "配电箱内电线老化破损、私拉乱接," * 8
    hazard = m.Hazard.select().where(m.Hazard.campaign == demo).first()
    records.update(m.Hazard, hazard.id, {"description": long_text, "enterprise": "城南区宏达建筑工程有限公司第一分公司"})
    window = make_window()
    window.resize(1366, 768)
    table = window.show_records(m.Hazard)
    table.refresh()
    _settle(qtbot)
    view = table.view
    row = table.table_model.row_of(hazard.id)

    def hover(name):
        column = [f.name for f in table.table_model.fields].index(name)
        rect = view.visualRect(table.table_model.index(row, column))
        at = rect.center()
        QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.ToolTip, at, view.viewport().mapToGlobal(at)))
        return QToolTip.text() if QToolTip.isVisible() else ""

    assert hover("description") == long_text.strip()  # cut short on screen: the whole text on hovering
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())  # a tooltip fades out
    assert hover("found_date") == ""  # shown whole: no tooltip
    enterprise = [f.name for f in table.table_model.fields].index("enterprise")
    assert view.columnWidth(enterprise) >= view.sizeHintForColumn(enterprise)
    assert hover("enterprise") == ""  # a long name shown whole needs none either


def test_a_districts_organization_table_hides_the_sub_region_column(demo, make_window):
    """所属下级地区 says whose a 组织机构 is only where sub-regions hand up (a city, a province), not in a district."""
    window = make_window()
    table = window.show_records(m.Body)
    assert table.table_model.fields[0].name == "sub_region" and table.view.isColumnHidden(0)
    assert not table.view.isColumnHidden(1)
