"""The Directory page's result list as a Qt model that reads the search hits a page at a time.

A search shows its first page at once; the view asks for the next one (``canFetchMore`` /
``fetchMore``) only when the list is scrolled to its end, so typing never waits for the hits
nobody looks at. ``fetch(offset, limit)`` gives the hits from ``offset`` on, at most ``limit``:
a call of ``app.directory.search`` (or a slice of a list already read).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from caseworker.app.directory import SearchHit
from caseworker.i18n import t

Fetch = Callable[[int, int], list[SearchHit]]
Index = QModelIndex | QPersistentModelIndex

ID_ROLE = Qt.ItemDataRole.UserRole  # the service id of a row
PAGE = 50


class SearchResults(QAbstractListModel):
    """Search hits, one row each, read ``page`` at a time."""

    def __init__(self, page: int = PAGE) -> None:
        super().__init__()
        self._page = page
        self._fetch: Fetch = lambda _offset, _limit: []
        self._hits: list[SearchHit] = []
        self._more = False

    def show(self, fetch: Fetch) -> None:
        """Show the first page of a new search (the list stays as it was if ``fetch`` fails)."""
        hits = fetch(0, self._page)
        self.beginResetModel()
        self._fetch = fetch
        self._hits = hits
        self._more = len(self._hits) == self._page
        self.endResetModel()

    def complete(self) -> bool:
        """Whether every hit of the search is in the list."""
        return not self._more

    def hit(self, row: int) -> SearchHit:
        return self._hits[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):  # the tooltip: the whole text, when the list cuts it
            marks = (f" [{t('confidential')}]" if hit.confidential else "") + (" ⚠" if hit.needs_review else "")
            return f"{hit.name}{marks}\n{hit.organization} · {hit.district or t('whole country')}"
        if role == ID_ROLE:
            return hit.id
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        more = self._fetch(len(self._hits), self._page)
        self._more = len(more) == self._page
        if more:
            self.beginInsertRows(QModelIndex(), len(self._hits), len(self._hits) + len(more) - 1)
            self._hits += more
            self.endInsertRows()
