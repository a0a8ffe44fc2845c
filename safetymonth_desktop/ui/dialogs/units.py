"""单位管理: the reporting units shared by all years — add, rename, kind, contact, aliases, merge two
spellings of one unit into one (moving every record), delete an unused unit."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

from safetymonth_desktop.base import vocab
from safetymonth_desktop.base.errors import AppError
from safetymonth_desktop.base.text import has_invisible
from safetymonth_desktop.db.models import Unit, user_fields
from safetymonth_desktop.services import history, numbers, rollup, units
from safetymonth_desktop.services.listing import unit_rows
from safetymonth_desktop.ui import columns, prompts
from safetymonth_desktop.ui.dialog_keys import FormDialog, enter_keys, keys_hint
from safetymonth_desktop.ui.form import ERROR_STYLE, FieldForm, HINT_STYLE, show_save_error
from safetymonth_desktop.ui.qt_compat import emit

COLUMNS = ("单位名称", "简称", "单位类型", "联系人", "联系电话", "记录数", "别名(导入时也归入本单位)")
KINDS = (columns.NAME, columns.NAME, columns.FIXED, columns.FIXED, columns.FIXED, columns.FIXED, columns.TEXT)


class UnitForm(FormDialog):
    """Add (unit_id None) or change one unit. Emits `saved(unit_id)`."""

    saved = Signal(int)

    def __init__(self, unit_id: int | None = None, parent=None, *, campaign=None):
        super().__init__(parent)
        self.unit_id = unit_id
        self.campaign = campaign  # a new unit joins this year's roster (报送单位名单) only
        self.setWindowTitle("修改单位" if unit_id else "新增单位")
        self.form = FieldForm(user_fields(Unit), columns=1)
        if unit_id is not None:
            unit = units.get_unit(unit_id)
            self.form.set_values({"name": unit.name, "short_name": unit.short_name, "kind": unit.kind,
                                  "contact": unit.contact, "phone": unit.phone, "notes": unit.notes})
        hint = QLabel("改名后,旧名称自动保留为别名,导入旧名称的表格仍归入本单位。" if unit_id else "")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("保存")
        buttons.button(QDialogButtonBox.Save).setDefault(True)
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(hint)
        layout.addWidget(self.general_error)
        self.setup_keys(buttons.button(QDialogButtonBox.Save), self.form)  # once the form is in the dialog
        keys = QLabel(keys_hint("保存", self.has_multiline()))
        keys.setStyleSheet(HINT_STYLE)
        keys.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(keys, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.resize(480, 320)

    def save(self) -> bool:
        self.form.clear_errors()
        self.general_error.hide()
        values = self.form.values()
        values["kind"] = values.get("kind") or "其他"
        try:
            if self.unit_id is None:
                unit = units.create_unit(values.pop("name") or "", campaign=self.campaign, **values)
            else:
                unit = units.update_unit(self.unit_id, **values)
        except AppError as exc:
            return show_save_error(self, self.form, self.general_error, exc)
        self.unit_id = unit.id
        emit(self.saved, unit.id)
        self.accept()
        return True


class UnitsDialog(QDialog):
    """The unit list with its actions. Emits `changed(merged_or_deleted)` after every change."""

    changed = Signal(bool)

    def __init__(self, parent=None, *, campaign=None):
        super().__init__(parent)
        self.campaign = campaign  # the year in hand: new units join its roster; deleting one leaves other years alone
        self.setWindowTitle("单位管理")
        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText("按名称或别名筛选")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self._filter)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.columns = columns.fit_columns(self.table, "units", KINDS)
        self.table.doubleClicked.connect(lambda index: self.edit())
        self.buttons = {}
        side = QVBoxLayout()
        for key, text, slot in (("add", "新增…", self.add), ("edit", "修改…", self.edit),
                                ("merge", "合并到…", self.merge), ("alias", "添加别名…", self.add_alias),
                                ("unalias", "删除别名…", self.remove_alias), ("delete", "删除", self.delete),
                                ("withdraw", "撤回上报数据…", self.withdraw)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            side.addWidget(button)
            self.buttons[key] = button
        side.addStretch(1)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        side.addWidget(close)
        hint = QLabel("同一单位有两种写法时,选中其中一个点“合并到…”,它的全部记录会移到另一个单位,原名称保留为别名。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        left = QVBoxLayout()
        left.addWidget(self.filter_box)
        left.addWidget(self.table, 1)
        left.addWidget(hint)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(side)
        self.rows: list[dict] = []
        self.reload()
        enter_keys(self, None)  # Enter in the filter box or the list must not close the dialog
        self.resize(900, 560)

    # ---- the list

    def reload(self, select_id: int | None = None) -> None:
        rank = {k: i for i, k in enumerate(vocab.UNIT_KINDS)}
        self.rows = sorted(unit_rows(), key=lambda r: (rank.get(r["kind"], 99), r["name"]))
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            values = (row["name"], row["short_name"], row["kind"], row["contact"], row["phone"],
                      numbers.figure_text(row["records"]), "、".join(row["aliases"]))
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 5:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(r, c, item)
        self._filter(self.filter_box.text())
        # 撤回上报数据 only means something where sub-regions hand up packages (a city's or province's database)
        self.buttons["withdraw"].setVisible(any(row["kind"] == vocab.SUB_REGION for row in self.rows))
        if select_id is not None:
            self.select(select_id)

    def _filter(self, text: str) -> None:
        key = units.name_key(text)
        for r, row in enumerate(self.rows):
            names = [row["name"], row["short_name"], *row["aliases"]]
            self.table.setRowHidden(r, bool(key) and not any(key in units.name_key(n) for n in names))

    def select(self, unit_id: int) -> None:
        for r, row in enumerate(self.rows):
            if row["id"] == unit_id:
                self.table.selectRow(r)
                return

    def current(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _need_current(self) -> dict | None:
        row = self.current()
        if row is None:
            prompts.info(self, "请先在列表中选中一个单位。")
        return row

    # ---- actions

    def add(self) -> UnitForm:
        return self._open_form(None)

    def edit(self) -> UnitForm | None:
        row = self._need_current()
        return self._open_form(row["id"]) if row else None

    def _open_form(self, unit_id):
        form = UnitForm(unit_id, self, campaign=self.campaign)
        form.saved.connect(lambda uid: self._done(uid, False))
        form.open()
        return form

    def _done(self, select_id, structural: bool) -> None:
        self.reload(select_id)
        emit(self.changed, structural)

    def merge(self) -> bool:
        drop = self._need_current()
        if drop is None:
            return False
        others = [r for r in self.rows if r["id"] != drop["id"]]
        index = prompts.choose(self, f"把“{drop['name']}”合并到哪个单位?", "合并单位", [r["name"] for r in others])
        if index is None:
            return False
        keep = others[index]
        if not prompts.confirm(self, f"“{drop['name']}”的 {drop['records']} 条记录将移到“{keep['name']}”名下,"
                                     f"“{drop['name']}”作为别名保留。\n合并后不能撤销,确定合并吗?", "合并单位", ok="合并"):
            return False
        try:
            units.merge_units(keep["id"], drop["id"])
        except AppError as exc:
            prompts.error(self, str(exc))
            return False
        self._done(keep["id"], True)
        return True

    def add_alias(self) -> bool:
        row = self._need_current()
        if row is None:
            return False
        text = prompts.ask_text(self, f"“{row['name']}”的另一种写法(导入时归入本单位):", "添加别名")
        if not text:
            return False
        try:
            alias = units.add_alias(row["id"], text)
        except AppError as exc:
            prompts.error(self, str(exc))
            return False
        self._done(row["id"], False)
        if has_invisible(text):
            prompts.info(self, f"已去除不可见字符(如零宽空格、控制字符、文字方向控制符),别名为“{alias.alias}”。")
        return True

    def remove_alias(self) -> bool:
        row = self._need_current()
        if row is None:
            return False
        aliases = list(units.get_unit(row["id"]).aliases)
        if not aliases:
            prompts.info(self, f"“{row['name']}”没有别名。")
            return False
        index = prompts.choose(self, "删除哪个别名?", "删除别名", [a.alias for a in aliases])
        if index is None:
            return False
        units.remove_alias(aliases[index].id)
        self._done(row["id"], False)
        return True

    def delete(self) -> bool:
        row = self._need_current()
        if row is None:
            return False
        if not prompts.confirm(self, f"确定删除单位“{row['name']}”吗?", "删除单位", ok="删除"):
            return False
        try:
            units.delete_unit(row["id"], campaign=self.campaign)
        except AppError as exc:
            prompts.error(self, str(exc))
            return False
        self._done(None, True)
        return True

    def withdraw(self) -> bool:
        """撤回该地区的上报数据 (the year in hand): the selected sub-region's package out, in one undoable step."""
        row = self._need_current()
        if row is None:
            return False
        if self.campaign is None or row["kind"] != vocab.SUB_REGION:
            prompts.info(self, "“撤回上报数据”用于下级地区:请选中一个类型为“下级地区”的单位(如某区、某县)。")
            return False
        if not prompts.confirm(self, f"撤回{row['name']}本年度的上报数据:它的全部记录和汇总将从本年度的数字中去掉,"
                                     f"{row['name']}回到“未报送”。\n可以用“撤销”恢复;以后也可以重新导入它的上报数据包。确定撤回吗?",
                               "撤回上报数据", ok="撤回"):
            return False
        try:
            with history.change_group() as group:
                removed = rollup.withdraw(self.campaign, row["id"])
        except AppError as exc:
            prompts.error(self, str(exc))
            return False
        # One step on the window's undo stack (Ctrl+Z); not "structural": undo runs newest first, so the steps
        # before it stay valid.
        stack = getattr(self.parent(), "undo_stack", None)
        if stack is not None:
            stack.push(group, f"撤回{row['name']}的上报数据")
        self._done(row["id"], False)
        again = "如需恢复,请使用“撤销”(Ctrl+Z)。" if stack is not None else "如需恢复,请重新导入它的上报数据包。"
        prompts.info(self, f"已撤回{row['name']}的上报数据({numbers.figure_text(removed)} 条记录)。" + again)
        return True
