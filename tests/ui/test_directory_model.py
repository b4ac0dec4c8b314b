"""The Directory page's result list: the first page of hits at once, the next ones as the list is
scrolled, on a real store and real widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QListView, QWidget

from caseworker.app import directory as directory_uc
from caseworker.domain.directory import Directory, Organization, Phone, Service
from caseworker.storage import directory as directory_repo
from caseworker.ui.application import application
from caseworker.ui.directory_model import ID_ROLE, SearchResults
from caseworker.ui.pages.directory_page import DirectoryPage

COUNT = 120


@pytest.fixture
def app(qapp):
    return application()


@pytest.fixture
def filled(centre):
    """A directory of 120 counselling points in İzmir's districts."""
    organization = Organization(directory_uc.new_id(), "İzmir Kadın Dayanışma Derneği")
    services = tuple(
        Service(directory_uc.new_id(), organization.id, f"Danışma Noktası {number:03d}", district="Karşıyaka" if number % 2 else "Çiğli",
                phones=(Phone(directory_uc.new_id(), f"0 232 000 {number:04d}"),))
        for number in range(COUNT)
    )
    with centre.session.transaction() as conn:
        directory_repo.save(conn, Directory((organization,), services), "2026-01-01T00:00:00+00:00")
    return centre.session


def test_the_model_shows_a_page_and_reads_the_next_ones_up_to_the_end(filled):
    asked = []

    def fetch(offset, limit):
        asked.append((offset, limit))
        return directory_uc.search(filled, "danisma", limit=limit, offset=offset)

    model = SearchResults(page=50)
    model.show(fetch)
    assert model.rowCount() == 50 and model.canFetchMore(QModelIndex()) and not model.complete()
    assert asked == [(0, 50)]
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert asked == [(0, 50), (50, 50), (100, 50)]
    assert model.rowCount() == COUNT and model.complete()
    every = directory_uc.search(filled, "danisma")
    assert [model.index(row).data(ID_ROLE) for row in range(COUNT)] == [hit.id for hit in every]
    first = model.index(0).data(Qt.ItemDataRole.DisplayRole)
    assert every[0].name in first and "İzmir Kadın Dayanışma Derneği" in first and every[0].district in first


def test_a_failed_search_leaves_the_list_as_it_was(filled):
    model = SearchResults(page=10)
    model.show(lambda offset, limit: directory_uc.search(filled, "", limit=limit, offset=offset))

    def failing(_offset, _limit):
        raise directory_uc.InvalidInput("no")

    with pytest.raises(directory_uc.InvalidInput):
        model.show(failing)
    assert model.rowCount() == 10


def test_scrolling_the_list_to_its_end_reads_the_next_page(qtbot, app, filled):
    model = SearchResults(page=50)
    view = QListView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(320, 400)
    view.show()
    model.show(lambda offset, limit: directory_uc.search(filled, "", limit=limit, offset=offset))
    assert model.rowCount() == 50
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 100, timeout=3000)


def test_the_directory_page_lists_a_page_says_so_and_selects_in_list_order(qtbot, app, filled, english):
    page = DirectoryPage(filled, QWidget())
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.show()
    page.query.setText("karsiyaka")
    qtbot.waitUntil(lambda: page.model.rowCount() and all("Karşıyaka" in page.model.index(row).data() for row in range(page.model.rowCount())), timeout=3000)
    assert page.model.rowCount() == 50
    assert page.count.text() == "First 50 services found; scroll for more"
    qtbot.waitUntil(lambda: page.model.hit(0).name in page.detail.toPlainText(), timeout=3000)  # the first hit is shown
    page.results.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == COUNT // 2, timeout=3000)
    assert page.count.text() == f"{COUNT // 2} services found"
    assert page.selected_ids() == [page.model.hit(0).id]  # the current entry
    page.results.clearSelection()
    page.select_rows([3, 1])
    assert page.selected_ids() == [page.model.hit(1).id, page.model.hit(3).id]
