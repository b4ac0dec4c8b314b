"""Showing a finished PDF inside the application and printing it through the system's dialog.

Pages are rendered with PDFium (``pypdfium2``), which ships wheels for every platform; Qt's own
PDF module is not part of the essential Qt package.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import QScrollArea, QWidget

from caseworker.ui.common import plain_label


def render_pages(data: bytes, scale: float = 1.4) -> list[QImage]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        images = []
        for index in range(len(document)):
            bitmap = document[index].render(scale=scale)
            pil = bitmap.to_pil().convert("RGB")
            image = QImage(pil.tobytes(), pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888).copy()
            images.append(image)
        return images
    finally:
        document.close()


class PdfPreview(QScrollArea):
    """The pages one under the other, as they will print."""

    GAP = 12

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.images: list[QImage] = []
        self._label = plain_label()
        self._label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setWidget(self._label)

    def show_pdf(self, data: bytes) -> None:
        self.images = render_pages(data)
        width = min(820, max((image.width() for image in self.images), default=1))
        pages = [image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation) for image in self.images]
        sheet = QPixmap(width, sum(page.height() for page in pages) + self.GAP * max(0, len(pages) - 1) or 1)
        sheet.fill(Qt.GlobalColor.lightGray)
        painter = QPainter(sheet)
        top = 0
        for page in pages:
            painter.drawImage(0, top, page)
            top += page.height() + self.GAP
        painter.end()
        self._label.setPixmap(sheet)


def print_images(images: list[QImage], printer) -> None:
    """Paint each page image on its own printer page, scaled to fit."""
    painter = QPainter(printer)
    try:
        for number, image in enumerate(images):
            if number:
                printer.newPage()
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(QRect(area.x(), area.y(), size.width(), size.height()))
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(area)
    finally:
        painter.end()
