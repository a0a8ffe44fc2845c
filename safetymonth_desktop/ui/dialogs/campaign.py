"""The campaign year dialogs: 新建年度 (theme and ordinal filled from the built-in table, editable) and
年度设置 (region, organizer, dates, consultation day, the summary's 成文日期/主送机关/落款机关/层级, 下一步工作, and the
补充说明 paragraphs)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialogButtonBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from safetymonth_desktop.base import vocab
from safetymonth_desktop.base.errors import AppError, ValidationError
from safetymonth_desktop.db.models import Campaign, Note
from safetymonth_desktop.services import campaigns
from safetymonth_desktop.ui.dialog_keys import FormDialog, keys_hint
from safetymonth_desktop.ui.form import ERROR_STYLE, FieldForm, HINT_STYLE, show_save_error
from safetymonth_desktop.ui.qt_compat import emit
from safetymonth_desktop.ui.record_tab import Page
from safetymonth_desktop.ui.record_table import RecordTable

NEW_FIELDS = ("year", "ordinal", "theme", "region", "organizer")
SETTING_FIELDS = ("ordinal", "theme", "region", "organizer", "start_date", "end_date", "consult_day", "deadline",
                  "report_date", "recipient", "signer", "level", "next_steps", "notes")


def _fields(names):
    return [Campaign._meta.fields[n] for n in names]


def _buttons(dialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    buttons.button(QDialogButtonBox.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.Ok).setDefault(True)
    buttons.button(QDialogButtonBox.Cancel).setText("取消")
    buttons.accepted.connect(dialog.save)
    buttons.rejected.connect(dialog.reject)
    return buttons


def _button_row(dialog: FormDialog, buttons: QDialogButtonBox, ok_text: str) -> QHBoxLayout:
    """The keys hint at the left of the buttons (call after `setup_keys`)."""
    hint = QLabel(keys_hint(ok_text, dialog.has_multiline()))
    hint.setStyleSheet(HINT_STYLE)
    hint.setWordWrap(True)
    row = QHBoxLayout()
    row.addWidget(hint, 1)
    row.addWidget(buttons)
    return row


def _general_error() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


class NewYearDialog(FormDialog):
    """Create a campaign year. Emits `created(year)`."""

    created = Signal(int)

    def __init__(self, parent=None, *, suggest: int | None = None):
        super().__init__(parent)
        self.setWindowTitle("新建活动年度")
        years = campaigns.list_years()
        latest = campaigns.find(years[-1]) if years else None
        year = suggest or (years[-1] + 1 if years else dt.date.today().year)
        self.form = FieldForm(_fields(NEW_FIELDS), columns=1)
        self.form.set_values({"year": year, "region": latest.region if latest else "",
                              "organizer": latest.organizer if latest else ""})
        self._fill_defaults(str(year))
        self.form.editors["year"].widget.textEdited.connect(self._fill_defaults)
        hint = QLabel("活动主题和“第几个”按全国安全生产月自动填写,可以修改。地区名称和主办单位沿用上一年度。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        self.general_error = _general_error()
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(hint)
        layout.addWidget(self.general_error)
        buttons = _buttons(self, "创建")
        self.setup_keys(buttons.button(QDialogButtonBox.Ok), self.form)
        layout.addLayout(_button_row(self, buttons, "创建"))
        self.resize(560, 300)

    def _fill_defaults(self, text: str) -> None:
        try:
            year = campaigns.check_year(text)
        except ValidationError:
            return
        self.form.editors["ordinal"].set_value(vocab.ordinal_for_year(year))
        self.form.editors["theme"].set_value(vocab.theme_for_year(year))

    def save(self) -> bool:
        self.form.clear_errors()
        self.general_error.hide()
        values = self.form.values()
        try:
            year = campaigns.check_year(values.pop("year"))
            if campaigns.find(year) is not None:
                raise ValidationError("year", f"{year} 年度已经存在,可直接在年度列表中选择", label="年度")
            campaigns.save(year, **values)
        except AppError as exc:
            return show_save_error(self, self.form, self.general_error, exc)
        emit(self.created, year)
        self.accept()
        return True


class CampaignDialog(FormDialog):
    """The settings of one campaign year and its 补充说明 paragraphs. Emits `saved(year)`."""

    saved = Signal(int)

    def __init__(self, campaign: Campaign, undo_stack, parent=None):
        super().__init__(parent)
        self.campaign = campaign
        self.setWindowTitle(f"{campaign.year}年度设置")
        self.form = FieldForm(_fields(SETTING_FIELDS), default_date=campaign.start_date, year=campaign.year)
        self.form.set_values({n: getattr(campaign, n) for n in SETTING_FIELDS})
        basics = QWidget()
        basics_layout = QVBoxLayout(basics)
        basics_layout.addWidget(self.form)
        basics_layout.addStretch(1)
        self.notes = RecordTable(Page(Note, columns=("section", "order", "text")), undo_stack)
        self.notes.set_campaign(campaign)
        note_hint = QLabel("补充说明是放在总结相应部分的自由段落(例如某项特色工作);“顺序”小的排在前面。修改立即保存。")
        note_hint.setWordWrap(True)
        note_hint.setStyleSheet("color: #666;")
        notes_page = QWidget()
        notes_layout = QVBoxLayout(notes_page)
        notes_layout.addWidget(note_hint)
        notes_layout.addWidget(self.notes)
        self.pages = QTabWidget()
        self.pages.addTab(basics, "基本信息")
        self.pages.addTab(notes_page, "补充说明")
        self.general_error = _general_error()
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(self.general_error)
        buttons = _buttons(self, "保存")
        self.setup_keys(buttons.button(QDialogButtonBox.Ok), self.form)
        layout.addLayout(_button_row(self, buttons, "保存"))
        self.resize(820, 560)

    def save(self) -> bool:
        self.form.clear_errors()
        self.general_error.hide()
        try:
            campaigns.save(self.campaign.year, **self.form.values())
        except ValidationError as exc:
            self.pages.setCurrentIndex(0)
            return show_save_error(self, self.form, self.general_error, exc)
        except AppError as exc:
            return show_save_error(self, self.form, self.general_error, exc)
        emit(self.saved, self.campaign.year)
        self.accept()
        return True
