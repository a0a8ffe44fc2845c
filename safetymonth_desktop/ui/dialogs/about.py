"""关于: version, database file, backup folder, data folder and the guide (`about.about_rows`), with buttons
to open the data folder and to copy the facts (for a call to IT)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from safetymonth_desktop.services import about
from safetymonth_desktop.ui import prompts
from safetymonth_desktop.ui.dialog_keys import enter_keys


class AboutDialog(QDialog):
    def __init__(self, info: about.AboutInfo, parent=None):
        super().__init__(parent)
        self.info = info
        self.setWindowTitle(f"关于 {info.app_name}")
        title = QLabel(f"<b>{info.app_name}</b>")
        title.setStyleSheet("font-size: 15pt;")
        lead = QLabel("安全生产月活动数据的填报、汇总与总结:一次录入,导出 Word 活动总结、Excel 统计表和台账。")
        lead.setWordWrap(True)
        form = QFormLayout()
        self.values = {}
        for label, value in about.about_rows(info):
            shown = QLabel(value)
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextSelectableByMouse)
            shown.setMinimumWidth(460)
            form.addRow(f"{label}:", shown)
            self.values[label] = shown
        self.open_data = QPushButton("打开数据库所在文件夹")
        self.open_data.setToolTip(str(info.database.parent))
        self.open_data.clicked.connect(lambda: self._open(info.database.parent))
        self.open_backups = QPushButton("打开备份文件夹")
        self.open_backups.clicked.connect(lambda: self._open(info.backup_dir))
        self.copy = QPushButton("复制以上信息")
        self.copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(about.about_text(info)))
        close = QPushButton("关闭")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for b in (self.open_data, self.open_backups, self.copy):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(lead)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addLayout(buttons)
        enter_keys(self, close)
        close.setFocus()  # the dialog opens on 关闭, so Enter closes it rather than opening a folder
        self.resize(640, 330)

    def _open(self, folder) -> None:
        if not folder.is_dir():
            prompts.info(self, f"文件夹“{folder}”还不存在(第一次备份时会自动建立)。")
        elif not prompts.open_path(self, folder):
            prompts.warning(self, f"无法自动打开“{folder}”,请在文件管理器中找到它。")
