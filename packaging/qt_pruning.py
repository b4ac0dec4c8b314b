"""Leave out of the frozen build the parts of Qt that Caseworker does not use.

The spec excludes the unused Qt Python modules listed here; PyInstaller's Qt hooks still collect every
plugin of the modules that remain, with the native libraries those plugins link. This module
names the plugins a desktop widgets application has no use for, drops them, then drops the
libraries that only they needed, and keeps Qt's own translations in Turkish and English only.

Kept on purpose: the windowing plugins of each platform (xcb, wayland, windows, cocoa) and the
offscreen one (for ``--self-test`` and headless runs), printing, input methods (compose, ibus:
typing ç ğ ş on any keyboard), the xdg-desktop-portal theme (native file dialogs on Linux),
and the ICO and SVG image formats (window icons and icon themes).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable

# Qt's Python modules that Caseworker does not import: it needs QtCore, QtGui, QtWidgets and
# QtPrintSupport only (a test checks the source against this list).
UNUSED_QT_MODULES: tuple[str, ...] = (
    "QtConcurrent", "QtDBus", "QtDesigner", "QtHelp", "QtLabsStyleKit", "QtNetwork", "QtOpenGL",
    "QtOpenGLWidgets", "QtQml", "QtQmlFeatures", "QtQuick", "QtQuickControls2", "QtQuickTest",
    "QtQuickWidgets", "QtSql", "QtSvg", "QtSvgWidgets", "QtTest", "QtUiTools", "QtXml",
    "QtMultimedia", "QtMultimediaWidgets", "QtWebEngineCore", "QtWebEngineWidgets", "QtPdf",
    "QtPdfWidgets", "QtCharts", "QtDataVisualization", "Qt3DCore", "QtBluetooth", "QtPositioning",
)

# (plugin folder, plugin name without "lib" prefix or extension); "*" is the whole folder.
UNUSED_QT_PLUGINS: tuple[tuple[str, str], ...] = (
    ("platforms", "qeglfs"), ("platforms", "qlinuxfb"), ("platforms", "qminimalegl"),
    ("platforms", "qvkkhrdisplay"), ("platforms", "qvnc"), ("platforms", "qdirect2d"),
    ("egldeviceintegrations", "*"),  # only for the eglfs platform of embedded devices
    ("generic", "*"),  # evdev and TUIO input for embedded devices and touch tables
    ("platformthemes", "qgtk3"),  # would need a bundled GTK; the portal theme does the job
    ("imageformats", "qgif"), ("imageformats", "qicns"), ("imageformats", "qjpeg"),
    ("imageformats", "qtga"), ("imageformats", "qtiff"), ("imageformats", "qwbmp"),
    ("imageformats", "qwebp"), ("imageformats", "qpdf"),
    ("wayland-shell-integration", "fullscreen-shell-v1"), ("wayland-shell-integration", "ivi-shell"),
    ("wayland-shell-integration", "wl-shell-plugin"), ("wayland-shell-integration", "qt-shell"),
    ("wayland-graphics-integration-client", "dmabuf-server"),
    ("wayland-graphics-integration-client", "drm-egl-server"),
    ("wayland-graphics-integration-client", "shm-emulation-server"),
    ("wayland-graphics-integration-client", "vulkan-server"),
    ("networkinformation", "*"), ("tls", "*"), ("sqldrivers", "*"), ("qmltooling", "*"),
    ("designer", "*"), ("vectorimageformats", "*"),
)
QT_LANGUAGES = ("tr", "en")

_PLUGIN = re.compile(r"(?:^|/)Qt\d?/plugins/(?P<folder>[^/]+)/(?:lib)?(?P<name>[^/.]+)[^/]*$")
_TRANSLATION = re.compile(r"(?:^|/)Qt\d?/translations/[^/]+_(?P<language>[a-z]{2})(?:_[A-Za-z]+)?\.qm$")


def is_unused_plugin(destination: str) -> bool:
    match = _PLUGIN.search(destination.replace("\\", "/"))
    if match is None:
        return False
    return any(folder == match["folder"] and name in ("*", match["name"]) for folder, name in UNUSED_QT_PLUGINS)


def is_unused_translation(destination: str) -> bool:
    match = _TRANSLATION.search(destination.replace("\\", "/"))
    return match is not None and match["language"] not in QT_LANGUAGES


def prune_binaries(binaries: list[tuple], imports_of: Callable[[str], Iterable[str | None]]) -> tuple[list[tuple], list[str]]:
    """``binaries`` without the unused plugins and without the libraries only they link.

    ``imports_of(source_path)`` gives the resolved paths of the libraries a binary links (None
    where unresolved). Returns the kept entries and the destination names left out.
    """
    def key(entry: tuple) -> str:
        return os.path.realpath(entry[1])

    by_source = {key(entry): entry for entry in binaries}
    links: dict[str, set[str]] = {}

    def linked(source: str) -> set[str]:
        if source not in links:
            links[source] = {os.path.realpath(path) for path in imports_of(source) if path} & by_source.keys()
        return links[source]

    dropped = {key(entry) for entry in binaries if is_unused_plugin(entry[0])}
    candidates: set[str] = set()
    pending = list(dropped)
    while pending:
        for library in linked(pending.pop()):
            if library not in candidates and library not in dropped:
                candidates.add(library)
                pending.append(library)
    # A candidate stays if anything that stays links it, directly or through another candidate.
    pending = [source for source in by_source if source not in dropped and source not in candidates]
    needed: set[str] = set()
    while pending:
        for library in linked(pending.pop()):
            if library in candidates and library not in needed:
                needed.add(library)
                pending.append(library)
    removed = dropped | (candidates - needed)
    kept = [entry for entry in binaries if key(entry) not in removed]
    return kept, sorted(entry[0] for entry in binaries if key(entry) in removed)


def prune_datas(datas: list[tuple]) -> tuple[list[tuple], list[str]]:
    """``datas`` without Qt's translations into languages Caseworker does not speak."""
    kept = [entry for entry in datas if not is_unused_translation(entry[0])]
    return kept, sorted(entry[0] for entry in datas if is_unused_translation(entry[0]))
