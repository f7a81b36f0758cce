"""Lays an A4Document out on a page with QPainter: on a QPdfWriter or on a QPrinter (CUPS).

Sizes are in millimetres and points, so the sheet looks the same at any resolution. Text wraps
within its cell; a table that reaches the foot of the page goes on over the page with its header
again. The QR code is drawn module by module from the qrcode library's matrix: no image is
scaled, so it stays sharp on paper and in the PDF.
"""

from __future__ import annotations

import qrcode
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPagedPaintDevice, QPainter, QPen

from kiosk.domain.a4 import A4Document, A4Table
from kiosk.domain.errors import PrinterFault

_WRAP = int(Qt.TextFlag.TextWordWrap)
_LEFT = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.AlignmentFlag.AlignTop)
_CENTRE = int(Qt.AlignmentFlag.AlignHCenter) | int(Qt.AlignmentFlag.AlignTop)
QR_MM = 32.0


class _Page:
    def __init__(self, painter: QPainter, device: QPagedPaintDevice, family: str) -> None:
        self.painter = painter
        self.device = device
        self.family = family
        self.dot_per_mm = device.logicalDpiX() / 25.4
        self.width = float(device.width())
        self.height = float(device.height())
        self.y = 0.0
        self.page = 1

    def mm(self, value: float) -> float:
        return value * self.dot_per_mm

    def font(self, points: float, *, bold: bool = False) -> QFont:
        font = QFont(self.family)
        font.setPointSizeF(points)
        font.setBold(bold)
        # Contextual alternates would give digits after a letter (the code K7Q2) glyphs the
        # PDF's text layer cannot map back: the code could not be searched or copied, and
        # screen readers would skip its digits. CJK and Latin text need no shaping.
        font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
        return font

    def text(
        self, text: str, points: float, *, bold: bool = False, flags: int = _LEFT, width: float = 0
    ) -> float:
        """Draws wrapped text at the cursor; returns its height."""
        self.painter.setFont(self.font(points, bold=bold))
        rect = QRectF(0, self.y, width or self.width, self.height)
        bounds = self.painter.boundingRect(rect, flags | _WRAP, text)
        self.painter.drawText(rect, flags | _WRAP, text)
        return bounds.height()

    def new_page(self, footer: str) -> None:
        self.footer(footer)
        if not self.device.newPage():
            raise PrinterFault("the printer refused a new page")
        self.page += 1
        self.y = 0.0

    def footer(self, footer: str) -> None:
        self.painter.setFont(self.font(8))
        rect = QRectF(0, self.height - self.mm(6), self.width, self.mm(6))
        self.painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft), footer)
        self.painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight), f"第 {self.page} 页")

    def room(self, needed: float) -> bool:
        return self.y + needed <= self.height - self.mm(10)


def _qr(painter: QPainter, payload: str, left: float, top: float, size: float) -> None:
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    cell = size / len(matrix)
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    for row, line in enumerate(matrix):
        for column, dark in enumerate(line):
            if dark:
                # A hair over the cell, so neighbouring modules meet without a seam.
                painter.drawRect(
                    QRectF(left + column * cell, top + row * cell, cell * 1.02, cell * 1.02)
                )
    painter.restore()


def _table(page: _Page, table: A4Table, footer: str) -> None:
    painter = page.painter
    columns = len(table.header)
    # The first column (the insurance, the date) is a little wider than the figures.
    weights = [1.4, *([1.0] * (columns - 1))]
    total = sum(weights)
    widths = [page.width * w / total for w in weights]
    pad = page.mm(1.5)
    page.y += page.mm(3)
    page.y += page.text(table.title, 11, bold=True) + page.mm(1.5)

    def row_height(cells: tuple[str, ...], points: float, bold: bool) -> float:
        painter.setFont(page.font(points, bold=bold))
        tallest = 0.0
        for text, width in zip(cells, widths, strict=True):
            rect = QRectF(0, 0, width - 2 * pad, page.height)
            tallest = max(tallest, painter.boundingRect(rect, _LEFT | _WRAP, text).height())
        return tallest + 2 * pad

    def draw_row(cells: tuple[str, ...], points: float, *, bold: bool, shade: bool) -> None:
        height = row_height(cells, points, bold)
        if not page.room(height):
            page.new_page(footer)
            draw_row(table.header, 9.5, bold=True, shade=True)
            height = row_height(cells, points, bold)
        x = 0.0
        painter.setFont(page.font(points, bold=bold))
        for text, width in zip(cells, widths, strict=True):
            cell = QRectF(x, page.y, width, height)
            if shade:
                painter.fillRect(cell, QColor("#e6e6e6"))
            painter.setPen(QPen(QColor("black"), page.mm(0.2)))
            painter.drawRect(cell)
            painter.drawText(cell.adjusted(pad, pad, -pad, -pad), _LEFT | _WRAP, text)
            x += width
        page.y += height

    draw_row(table.header, 9.5, bold=True, shade=True)
    if not table.rows:
        draw_row(("无记录", *([""] * (columns - 1))), 9.5, bold=False, shade=False)
    for cells in table.rows:
        draw_row(cells, 9.5, bold=False, shade=False)


def paint(document: A4Document, device: QPagedPaintDevice, font_family: str) -> None:
    """The whole document on `device`, page after page. Raises PrinterFault if the device
    refuses to be painted on (a queue that cannot take the job, a file that cannot be written)."""
    painter = QPainter()
    if not painter.begin(device):
        raise PrinterFault("the A4 printer could not start the document")
    try:
        page = _Page(painter, device, font_family)
        footer = (
            f"打印时间 {document.issued:%Y-%m-%d %H:%M}　终端 {document.kiosk_id}"
            f"　核验码 {document.code}"
        )
        painter.setPen(QColor("black"))
        page.y += page.text(document.issuer, 10, flags=_CENTRE) + page.mm(2)
        page.y += page.text(document.title, 20, bold=True, flags=_CENTRE) + page.mm(6)
        if document.sample:
            painter.save()
            painter.setPen(QColor(200, 0, 0))
            page.text("样本（演示数据，非真实证明）SAMPLE", 12, bold=True, flags=_CENTRE)
            painter.restore()
            page.y += page.mm(7)
        # The holder on the left, the QR code and its code on the right.
        qr_size = page.mm(QR_MM)
        top = page.y
        left_width = page.width - qr_size - page.mm(8)
        for label, value in document.holder:
            page.y += page.text(f"{label}：{value}", 11, width=left_width) + page.mm(1.5)
        _qr(painter, document.verify_url, page.width - qr_size, top, qr_size)
        painter.setFont(page.font(9))
        painter.drawText(
            QRectF(
                page.width - qr_size - page.mm(10),
                top + qr_size + page.mm(1),
                qr_size + page.mm(10),
                page.mm(10),
            ),
            int(Qt.AlignmentFlag.AlignHCenter),
            f"核验码 {document.code}",
        )
        page.y = max(page.y, top + qr_size + page.mm(8))
        for table in document.tables:
            _table(page, table, footer)
        page.y += page.mm(5)
        for note in document.notes:
            height = page.text(note, 10)
            if not page.room(height):
                page.new_page(footer)
                height = page.text(note, 10)
            page.y += height + page.mm(1.5)
        page.y += page.mm(6)
        if not page.room(page.mm(12)):
            page.new_page(footer)
        page.text(
            f"出具单位：{document.issuer}\n{document.issued:%Y年%m月%d日}",
            11,
            flags=int(Qt.AlignmentFlag.AlignRight) | int(Qt.AlignmentFlag.AlignTop),
        )
        page.footer(footer)
    finally:
        if not painter.end():
            raise PrinterFault("the A4 printer could not finish the document")
