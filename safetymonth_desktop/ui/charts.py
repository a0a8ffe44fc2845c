"""The one chart implementation: a `services.chart_data.ChartSpec` becomes a QtCharts chart on the screen
(`chart_view`, bars clickable) and the same chart rendered offscreen to a PNG for the Word report
(`render_png`, `renderer`). QtCharts is imported inside the functions, so importing this module costs nothing.

Fonts: QtCharts draws with the fonts it is given, so every text item gets a font whose family list starts
with the CJK fonts of the platform (微软雅黑/黑体 on Windows, WenQuanYi/Noto on Linux), or Chinese renders
as boxes in the report.
"""

from __future__ import annotations

import math
import sys

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMargins, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter

BAR_COLOURS = ("#3b6fb6", "#5aa469", "#9b7cc4", "#d9a23b")
CJK_FAMILIES = ("Microsoft YaHei", "微软雅黑", "Microsoft YaHei UI", "SimHei", "黑体", "DengXian", "等线",
                "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "SimSun")
REPORT_SIZE = (700, 400)   # logical pixels of a report chart (15 cm wide in the document)
REPORT_SCALE = 2           # rendered at twice the size so the printed chart is sharp
REPORT_FONT_SCALE = 1.1    # a little larger than on screen: the picture is printed smaller than it is shown
MIN_WIDTH = 380            # logical pixels: a chart on screen narrower than this cuts its axis labels
ROW_HEIGHT = 26            # logical pixels per category of a horizontal chart (less and Qt hides the labels)
BAR_ROW_HEIGHT = 17        # logical pixels per bar when a category holds several (their figures one above another)
LABEL_WRAP = 6             # characters per line of a category label under a vertical bar

_app = None  # the QApplication `renderer()` had to create (kept alive while rendering)


def families() -> list[str]:
    """CJK font families installed here, preferred first, then the default family as the last resort."""
    installed = set(QFontDatabase.families())
    found = [f for f in CJK_FAMILIES if f in installed]
    return found or [QFont().defaultFamily()]


def chart_font(point_size: float, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(families())
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def wrap(label: str, width: int = LABEL_WRAP) -> str:
    """A long category label on lines of at most `width` characters, split at a '/' when there is one,
    otherwise into lines of even length ('危险化学品' → '危险化<br>学品', not a lone last character)."""
    if len(label) <= width:
        return label
    if "/" in label:
        head, _, tail = label.partition("/")
        if len(head) < width:
            return head + "/<br>" + wrap(tail, width)
    lines = -(-len(label) // width)
    size = -(-len(label) // lines)
    return "<br>".join(label[i:i + size] for i in range(0, len(label), size))


def _nice_max(value: float) -> float:
    """An axis maximum a little above `value`, on a round number, so the labels above bars fit."""
    value = max(float(value or 0) * 1.18, 1.0)
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _tick_count(maximum: float) -> int:
    """How many ticks put the value axis on round steps (0, 200, 400 … rather than 0, 160, 320 …)."""
    for count in (6, 5, 7, 9, 11, 4):
        step = maximum / (count - 1)
        magnitude = 10 ** math.floor(math.log10(step)) if step > 0 else 1
        if any(math.isclose(step, m * magnitude) for m in (1, 2, 2.5, 5, 10)):
            return count
    return 6


def build_chart(spec, *, font_scale: float = 1.0, titled: bool = True):
    """A QChart of `spec`. Horizontal charts list the first category at the top. `titled=False` leaves the
    title out (the report writes it as the caption under the picture)."""
    from PySide6.QtCharts import (QBarCategoryAxis, QBarSeries, QBarSet, QChart, QHorizontalBarSeries,
                                  QValueAxis, QAbstractBarSeries)

    chart = QChart()
    chart.setTheme(QChart.ChartThemeLight)
    chart.setBackgroundRoundness(0)
    chart.setAnimationOptions(QChart.NoAnimation)
    if titled:
        chart.setTitle(spec.title + (f"<br><span style='font-size:small;color:#666'>{spec.note}</span>"
                                     if spec.note else ""))
    chart.setTitleFont(chart_font(11 * font_scale, bold=True))
    chart.legend().setFont(chart_font(9 * font_scale))
    chart.legend().setAlignment(Qt.AlignBottom)
    chart.legend().setVisible(len(spec.bars) > 1)

    order = list(range(len(spec.categories)))
    if spec.horizontal:
        order.reverse()  # Qt draws the first category at the bottom
    width = LABEL_WRAP if len(order) <= 6 else 3  # nine industries: "建筑<br>施工"
    categories = [spec.categories[i] if spec.horizontal else wrap(spec.categories[i], width) for i in order]

    series = QHorizontalBarSeries() if spec.horizontal else QBarSeries()
    series.setLabelsVisible(True)
    series.setLabelsPosition(QAbstractBarSeries.LabelsOutsideEnd)
    series.setLabelsFormat("@value")
    series.setLabelsPrecision(12 if not spec.decimals else 6)
    top = 0.0
    for n, s in enumerate(spec.bars):
        bar_set = QBarSet(s.name)
        bar_set.setColor(QColor(BAR_COLOURS[n % len(BAR_COLOURS)]))
        bar_set.setBorderColor(QColor(BAR_COLOURS[n % len(BAR_COLOURS)]))
        bar_set.setLabelFont(chart_font((8 if len(spec.bars) == 1 else 7) * font_scale))
        bar_set.setLabelColor(QColor("#222"))
        for i in order:
            bar_set.append(float(s.values[i] or 0))
            top = max(top, float(s.values[i] or 0))
        series.append(bar_set)
    if len(spec.bars) == 1:
        series.setBarWidth(0.6)
    chart.addSeries(series)

    category_axis = QBarCategoryAxis()
    category_axis.append(categories)
    category_axis.setLabelsFont(chart_font(8.5 * font_scale))
    value_axis = QValueAxis()
    # Headroom past the longest bar for its figure (above a bar, or at its end across).
    maximum = _nice_max(top) if spec.decimals or top >= 4 else 5.0  # counts: whole steps, never 0.5 apart
    value_axis.setRange(0, maximum)
    value_axis.setLabelFormat("%d" if not spec.decimals or top >= 10 else "%.1f")
    value_axis.setTickCount(_tick_count(maximum))
    value_axis.setTitleText(spec.value_title)
    value_axis.setTitleFont(chart_font(8.5 * font_scale))
    value_axis.setLabelsFont(chart_font(8 * font_scale))
    if spec.horizontal:
        chart.addAxis(category_axis, Qt.AlignLeft)
        chart.addAxis(value_axis, Qt.AlignBottom)
    else:
        chart.addAxis(category_axis, Qt.AlignBottom)
        chart.addAxis(value_axis, Qt.AlignLeft)
    series.attachAxis(category_axis)
    series.attachAxis(value_axis)

    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.series_order = order  # display position → index of the spec's category
    return chart


def chart_view(spec, on_click=None):
    """A QChartView of `spec`; a click on a bar calls `on_click(spec, category_index)`."""
    from PySide6.QtCharts import QChartView
    from PySide6.QtWidgets import QSizePolicy

    chart = build_chart(spec)
    view = QChartView(chart)
    view.setRenderHint(QPainter.Antialiasing)
    view.setMinimumHeight(height_for(spec, 320))
    # The width is the layout's to give (the overview splits its row evenly), not the labels' to ask for: a chart
    # of long unit names would otherwise take most of a row and leave its neighbour too narrow for its axis.
    view.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Minimum)
    view.setMinimumWidth(MIN_WIDTH)
    view.spec = spec
    if on_click is not None:
        order = chart.series_order
        bars = chart.series()[0]
        bars.clicked.connect(lambda index, _set: on_click(spec, order[index]) if 0 <= index < len(order) else None)
        for bar_set in bars.barSets():
            bar_set.hovered.connect(lambda state, index, v=view: v.setCursor(Qt.PointingHandCursor if state
                                                                                else Qt.ArrowCursor))
        view.setToolTip("点击柱形可打开对应的数据表格")
    return view


def height_for(spec, least: int) -> int:
    """A chart's height: a horizontal chart needs room for every category's label, and for each bar's figure
    (with two series a category holds two bars, each with its label)."""
    if not spec.horizontal:
        return least
    row = ROW_HEIGHT if len(spec.bars) == 1 else BAR_ROW_HEIGHT * len(spec.bars)
    return max(least, 70 + (40 if len(spec.bars) > 1 else 0) + row * len(spec.categories))


def render_image(spec, size=REPORT_SIZE, scale: int = REPORT_SCALE, *, titled: bool = False) -> QImage:
    """`spec` drawn offscreen on white at `size` logical pixels × `scale` (untitled: the report captions it)."""
    from PySide6.QtWidgets import QGraphicsScene

    width, height = size[0], height_for(spec, size[1])
    chart = build_chart(spec, titled=titled, font_scale=REPORT_FONT_SCALE)
    scene = QGraphicsScene()
    scene.addItem(chart)
    chart.setGeometry(QRectF(0, 0, width, height))
    scene.setSceneRect(QRectF(0, 0, width, height))
    image = QImage(width * scale, height * scale, QImage.Format_RGB32)
    image.fill(QColor("white"))
    dots = int(width * scale / 0.15)  # dots per metre at 15 cm wide
    image.setDotsPerMeterX(dots)
    image.setDotsPerMeterY(dots)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing | QPainter.SmoothPixmapTransform)
    scene.render(painter, QRectF(0, 0, width * scale, height * scale), QRectF(0, 0, width, height))
    painter.end()
    scene.removeItem(chart)
    chart.deleteLater()
    return image


def render_png(spec, size=REPORT_SIZE, scale: int = REPORT_SCALE, *, titled: bool = False) -> bytes:
    """`spec` as PNG bytes (for the report's appendix, where the caption under the picture is the title)."""
    image = render_image(spec, size, scale, titled=titled)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def renderer():
    """A callable spec → PNG bytes for `exchange.word_report.write_report(chart_renderer=…)`, creating the
    QApplication when there is none (the command line). Call it on the thread that owns the QApplication."""
    global _app
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        _app = QApplication([sys.argv[0] if sys.argv else "safetymonth"])
    return render_png
