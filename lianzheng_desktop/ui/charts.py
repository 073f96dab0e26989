"""Bar charts drawn with QPainter (QtCharts is not part of PySide6-Essentials)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from lianzheng_desktop.domain.definitions import definitions


def level_colour(value: int | None) -> QColor:
    """A level's colour as forms/levels.toml declares it (None: not yet rated)."""
    return QColor(definitions().level_colour(value))


def round_ticks(peak: int, most: int = 6) -> list[int]:
    """Axis ticks for counts from 0 past ``peak``: steps of 1, 2 or 5 × 10^n, at most
    ``most`` ticks, the last at or above the peak (0, 2, 4, 6, 8 for 7; never 0, 1, 3, 4)."""
    peak = max(int(peak), 1)
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if -(-peak // step) + 1 <= most:
                return list(range(0, -(-peak // step) * step + 1, step))
        magnitude *= 10


def _start(widget: QWidget, title: str) -> tuple[QPainter, QFontMetrics, int]:
    """A painter on a blank chart with its title drawn; and the font's line height."""
    painter = QPainter(widget)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(widget.rect(), widget.palette().base())
    metrics = QFontMetrics(widget.font())
    line = metrics.height()
    painter.drawText(QRectF(0, 4, widget.width(), line + 4), Qt.AlignmentFlag.AlignHCenter, title)
    return painter, metrics, line


class StackedBarChart(QWidget):
    """Vertical stacked bars: one bar per category, one segment per series."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.title = title
        self.categories: list[str] = []
        self.series: list[tuple[str, QColor, list[int]]] = []
        self.ticks: list[int] = []  # the value axis as last drawn
        self.setMinimumSize(360, 260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, categories: list[str], series: list[tuple[str, QColor, list[int]]]) -> None:
        self.categories, self.series = categories, series
        self.update()

    def totals(self) -> list[int]:
        return [sum(values[i] for _, _, values in self.series) for i in range(len(self.categories))]

    def paintEvent(self, event):
        painter, metrics, line = _start(self, self.title)
        # legend
        x = 12
        for name, colour, _ in self.series:
            painter.fillRect(QRectF(x, line + 12, 12, 12), colour)
            painter.drawText(int(x + 16), int(line + 22), name)
            x += 16 + metrics.horizontalAdvance(name) + 16
        top, bottom, left, right = 2 * line + 24, self.height() - 2 * line - 8, 40, self.width() - 12
        totals = self.totals() or [0]
        self.ticks = round_ticks(max(totals))
        peak = self.ticks[-1]
        painter.setPen(QPen(QColor("#888888")))
        painter.drawLine(left, bottom, right, bottom)
        for value in self.ticks:
            y = bottom - (bottom - top) * value / peak
            painter.drawText(QRectF(0, y - line / 2, left - 6, line), Qt.AlignmentFlag.AlignRight, str(value))
            painter.drawLine(left - 3, int(y), left, int(y))
            if value:  # a faint line across: the bars' heights read against it
                painter.save()
                painter.setPen(QPen(QColor("#e4e4e4")))
                painter.drawLine(left, int(y), right, int(y))
                painter.restore()
        if not self.categories:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "没有数据")
            painter.end()
            return
        slot = (right - left) / len(self.categories)
        width = slot * 0.6
        for i, category in enumerate(self.categories):
            x = left + slot * i + (slot - width) / 2
            y = bottom
            for _, colour, values in self.series:
                h = (bottom - top) * values[i] / peak
                painter.fillRect(QRectF(x, y - h, width, h), colour)
                y -= h
            painter.setPen(QPen(self.palette().text().color()))
            painter.drawText(QRectF(x - 10, y - line - 2, width + 20, line), Qt.AlignmentFlag.AlignHCenter,
                             str(totals[i]))
            label = metrics.elidedText(category, Qt.TextElideMode.ElideRight, int(slot))
            painter.drawText(QRectF(left + slot * i, bottom + 4, slot, 2 * line), Qt.AlignmentFlag.AlignHCenter, label)
        painter.end()


class HorizontalBarChart(QWidget):
    """One horizontal bar per label, longest first (e.g. 一级 risks by unit)."""

    def __init__(self, title: str, colour: QColor, parent=None):
        super().__init__(parent)
        self.title, self.colour = title, colour
        self.rows: list[tuple[str, int]] = []
        self.setMinimumSize(360, 260)

    def set_data(self, rows: list[tuple[str, int]]) -> None:
        self.rows = sorted(rows, key=lambda r: (-r[1], r[0]))
        self.update()

    def paintEvent(self, event):
        painter, metrics, line = _start(self, self.title)
        if not self.rows:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "没有数据")
            painter.end()
            return
        label_width = min(max(metrics.horizontalAdvance(r[0]) for r in self.rows) + 12, self.width() // 3)
        top = line + 16
        bar = max(8.0, min(2.0 * line, (self.height() - top - 8) / len(self.rows)))
        peak = max(max(v for _, v in self.rows), 1)
        span = self.width() - label_width - 60
        for i, (label, value) in enumerate(self.rows):
            y = top + i * bar
            if y + bar > self.height():
                break
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width - 8)
            painter.drawText(QRectF(0, y, label_width - 8, bar),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
            width = span * value / peak
            painter.fillRect(QRectF(label_width, y + bar * 0.15, width, bar * 0.7), self.colour)
            painter.drawText(QRectF(label_width + width + 4, y, 50, bar), Qt.AlignmentFlag.AlignVCenter, str(value))
        painter.end()
