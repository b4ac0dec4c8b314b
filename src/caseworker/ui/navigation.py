"""The sidebar: one entry per page with its icon, in two groups (daily work; administration).

It is one list, so the arrow keys move through every page; the group titles are rows that
cannot be chosen. Rows are counted in pages, not in list rows: ``item(i)``, ``count()``,
``setCurrentRow(i)`` and ``currentRow()`` speak of the i-th page, and ``pageChanged`` gives its
index, whatever titles lie in between.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication, QIcon, QImageReader, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from caseworker.paths import resource
from caseworker.ui import design

ICON_SIZE = 22


_icons: dict[tuple[str, str, float], QIcon] = {}


def nav_icon(name: str) -> QIcon:
    """The icon ``resources/icons/nav/<name>.svg`` (``page.svg`` if there is none) in the text
    colour, and in the current entry's colour when selected; drawn once per palette and screen."""
    palette = design.active_palette()
    screen = QGuiApplication.primaryScreen()
    scale = screen.devicePixelRatio() if screen is not None else 1.0
    key = (name, palette.text, scale)
    if key in _icons:
        return _icons[key]
    found = resource("icons", "nav", f"{name}.svg")
    if not found.is_file():
        found = resource("icons", "nav", "page.svg")
    svg = found.read_text(encoding="utf-8")
    icon = QIcon()
    side = round(ICON_SIZE * scale)
    for mode, colour in ((QIcon.Mode.Normal, palette.text), (QIcon.Mode.Selected, palette.on_accent_soft)):
        # Qt's SVG image-format plugin draws it (the frozen build keeps that plugin, not QtSvg).
        data = QBuffer()
        data.setData(QByteArray(svg.replace("#000000", colour).encode("utf-8")))
        reader = QImageReader(data, b"svg")
        reader.setScaledSize(QSize(side, side))
        pixmap = QPixmap.fromImage(reader.read())
        pixmap.setDevicePixelRatio(scale)
        icon.addPixmap(pixmap, mode)
    _icons[key] = icon
    return icon


class Navigation(QListWidget):
    pageChanged = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("navigation")
        self.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._pages: list[QListWidgetItem] = []
        self._titles: list[tuple[QListWidgetItem, object]] = []
        super().currentRowChanged.connect(self._row_changed)

    def add_group(self, title) -> None:
        """A group title (``title`` is called for the text, again on every language switch)."""
        item = QListWidgetItem(title())
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        self.addItem(item)
        self._titles.append((item, title))

    def add_page(self, text: str, icon: str) -> None:
        item = QListWidgetItem(nav_icon(icon), text)
        item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, text)
        self.addItem(item)
        self._pages.append(item)
        self._fit()

    def retitle(self) -> None:
        for item, title in self._titles:
            item.setText(title())
        self._fit()

    def _fit(self) -> None:
        """As wide as the longest entry in the language shown, so that no name is cut."""
        self.setFixedWidth(min(max(self.sizeHintForColumn(0) + 2 * design.SPACE["l"], 170), 300))

    def clear(self) -> None:
        self._pages.clear()
        self._titles.clear()
        super().clear()

    def item(self, page: int) -> QListWidgetItem:  # type: ignore[override]
        return self._pages[page]

    def count(self) -> int:  # type: ignore[override]
        return len(self._pages)

    def setCurrentRow(self, page: int) -> None:  # type: ignore[override]  # noqa: N802 (Qt's name)
        super().setCurrentRow(self.row(self._pages[page]))

    def currentRow(self) -> int:  # type: ignore[override]  # noqa: N802
        rows = [self.row(item) for item in self._pages]
        current = super().currentRow()
        return rows.index(current) if current in rows else -1

    def _row_changed(self, _row: int) -> None:
        page = self.currentRow()
        if page >= 0:
            self.pageChanged.emit(page)
