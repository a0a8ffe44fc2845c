"""The overview's key figures as cards (label, value, last year's value, the change), painted by one widget.

Nineteen cards built from frames and labels with style sheets cost about a hundred widgets at start-up; one
widget painting them looks the same and costs a few text measurements. A card's texts are computed once
(`FigureCard`); `FigureCards` lays them out in rows of `columns` equal columns, gives each card its tooltip and
copies the value under the mouse from its context menu."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QPainter, QPen
from PySide6.QtWidgets import QMenu, QSizePolicy, QToolTip, QWidget

from safetymonth_desktop.services import indicators

UP, DOWN, FLAT = "#2e7d32", "#c0392b", "#546e7a"
# Figures whose rise is neither good nor bad news (more hazards found may mean closer inspection).
NEUTRAL = {"hazards.found", "materials.cost", "hazards.funding", "enforcement.fines", "supervision.problems"}

BACKGROUND, BORDER, RADIUS = "#f7f9fc", "#dde3ec", 4
LABEL_COLOUR, VALUE_COLOUR, PREVIOUS_COLOUR = "#555555", "#1d2b3a", "#777777"
VALUE_POINT_SIZE = 15
PADDING_X, PADDING_Y, LINE_GAP, SPACING = 10, 6, 1, 8
SAMPLE = "2020年:▲ 同比"  # the characters a card's lines are made of, for the line height


def change_colour(figure) -> str:
    change = figure.change
    if not change or figure.key in NEUTRAL:
        return FLAT
    return UP if change > 0 else DOWN


class FigureCard:
    """What one card shows: `label`, `value_text`, `previous_text` and `change_text` ('' when there is no
    previous year) and the change's colour."""

    def __init__(self, figure, previous_year: int | None):
        self.figure = figure
        self.label = figure.label
        self.value_text = figure.text
        if previous_year is None:
            self.previous_text, self.change_text = "", ""
        else:
            shown = indicators.display(figure.key, figure.previous) if figure.previous is not None else "—"
            self.previous_text = f"{previous_year}年:{shown}"
            arrow = "" if not figure.change else ("▲ " if figure.change > 0 else "▼ ")
            self.change_text = f"同比 {arrow}{figure.change_text}" if figure.change_text else "同比 —"
        self.colour = change_colour(figure)

    def lines(self) -> list[tuple[str, str, bool]]:
        """(text, colour, is the value) from top to bottom; the lines of last year only when there is one."""
        shown = [(self.label, LABEL_COLOUR, False), (self.value_text, VALUE_COLOUR, True)]
        if self.previous_text:
            shown += [(self.previous_text, PREVIOUS_COLOUR, False), (self.change_text, self.colour, False)]
        return shown

    def tooltip(self) -> str:
        return "\n".join(text for text, _, _ in self.lines())


class FigureCards(QWidget):
    """The cards in rows of `columns`; its height follows its width (rows × the card's height)."""

    def __init__(self, columns: int, parent=None):
        super().__init__(parent)
        self.columns = columns
        self.cards: list[FigureCard] = []
        self._measured: tuple[int, int, int, int] | None = None  # line heights (plain, value), card width, height
        policy = QSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMouseTracking(False)

    def set_cards(self, cards: list[FigureCard]) -> None:
        self.cards = list(cards)
        self._measured = None
        self.updateGeometry()
        self.update()

    def changeEvent(self, event) -> None:
        if event.type() == event.Type.FontChange:
            self._measured = None
            self.updateGeometry()
        super().changeEvent(event)

    # ---- geometry

    def _value_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSize(VALUE_POINT_SIZE)
        font.setBold(True)
        return font

    @staticmethod
    def _line_height(metrics: QFontMetrics) -> int:
        """A line's height as a QLabel takes it: the box of the text laid out, Chinese glyphs included."""
        laid_out = metrics.boundingRect(0, 0, 10_000, 1_000, int(Qt.AlignLeft | Qt.TextSingleLine), SAMPLE)
        return max(metrics.height(), laid_out.height())

    def _measure(self) -> tuple[int, int, int, int]:
        """Measured once per set of cards and font: the line heights, the narrowest card that shows every text
        whole, the tallest card."""
        if self._measured is None:
            plain, value = self.fontMetrics(), QFontMetrics(self._value_font())
            heights = (self._line_height(plain), self._line_height(value))
            widest = max((value.horizontalAdvance(text) if is_value else plain.horizontalAdvance(text)
                          for card in self.cards for text, _, is_value in card.lines()), default=0)
            tallest = max((sum(heights[is_value] for _, _, is_value in card.lines())
                           + LINE_GAP * (len(card.lines()) - 1) for card in self.cards), default=-2 * (PADDING_Y + 1))
            self._measured = (*heights, widest + 2 * (PADDING_X + 1), tallest + 2 * (PADDING_Y + 1))  # 1 px border
        return self._measured

    def _line_heights(self, card: FigureCard) -> list[int]:
        plain, value, _, _ = self._measure()
        return [value if is_value else plain for _, _, is_value in card.lines()]

    def card_height(self) -> int:
        return self._measure()[3]

    def card_width(self) -> int:
        return self._measure()[2]

    def rows(self) -> int:
        return -(-len(self.cards) // self.columns)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        rows = self.rows()
        return rows * self.card_height() + max(rows - 1, 0) * SPACING

    def sizeHint(self) -> QSize:
        width = self.columns * self.card_width() + (self.columns - 1) * SPACING
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def card_rect(self, index: int) -> QRect:
        width = (self.width() - (self.columns - 1) * SPACING) / self.columns
        row, column = divmod(index, self.columns)
        left = round(column * (width + SPACING))
        right = round(column * (width + SPACING) + width)
        height = self.card_height()
        return QRect(left, row * (height + SPACING), right - left, height)

    def card_at(self, pos) -> FigureCard | None:
        return next((card for i, card in enumerate(self.cards) if self.card_rect(i).contains(pos)), None)

    # ---- painting and the mouse

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        value_font = self._value_font()
        plain = self.font()
        for i, card in enumerate(self.cards):
            rect = self.card_rect(i)
            if not rect.intersects(event.rect()):
                continue
            painter.setPen(QPen(QColor(BORDER), 1))
            painter.setBrush(QColor(BACKGROUND))
            painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), RADIUS, RADIUS)
            y = rect.top() + 1 + PADDING_Y
            inner = rect.width() - 2 * (PADDING_X + 1)
            for (text, colour, is_value), height in zip(card.lines(), self._line_heights(card)):
                font = value_font if is_value else plain
                painter.setFont(font)
                painter.setPen(QColor(colour))
                shown = QFontMetrics(font).elidedText(text, Qt.ElideRight, inner)
                painter.drawText(QRect(rect.left() + 1 + PADDING_X, y, inner, height),
                                 Qt.AlignLeft | Qt.AlignVCenter, shown)
                y += height + LINE_GAP
        painter.end()

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            card = self.card_at(event.pos())
            if card is not None:
                QToolTip.showText(event.globalPos(), card.tooltip(), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def contextMenuEvent(self, event) -> None:
        card = self.card_at(event.pos())
        if card is None:
            return
        menu = QMenu(self)
        menu.addAction(f"复制“{card.label}”", lambda: QGuiApplication.clipboard().setText(card.value_text))
        menu.exec(event.globalPos())
