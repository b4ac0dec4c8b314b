"""What the frozen build leaves out of Qt: never a module or plugin Caseworker uses."""

from __future__ import annotations

import re
from pathlib import Path

from qt_pruning import UNUSED_QT_MODULES, is_unused_plugin, is_unused_translation, prune_binaries, prune_datas

SOURCE = Path(__file__).resolve().parents[2] / "src" / "caseworker"


def test_the_source_imports_no_qt_module_that_the_build_leaves_out():
    used = set()
    for path in SOURCE.rglob("*.py"):
        used |= set(re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    assert used == {"QtCore", "QtGui", "QtWidgets", "QtPrintSupport"}
    assert not used & set(UNUSED_QT_MODULES)


def test_windowing_printing_and_input_plugins_of_every_platform_are_kept():
    kept = [
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6\\Qt\\plugins\\platforms\\qwindows.dll",
        "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
        "PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so",
        "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
        "PySide6/Qt/plugins/imageformats/libqico.so",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
        "PySide6/Qt/lib/libQt6Core.so.6",
    ]
    assert [name for name in kept if is_unused_plugin(name)] == []
    dropped = [
        "PySide6/Qt/plugins/platforms/libqvnc.so",
        "PySide6/Qt/plugins/generic/libqevdevmouseplugin.so",
        "PySide6/Qt/plugins/imageformats/qjpeg.dll",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    ]
    assert all(is_unused_plugin(name) for name in dropped)


def test_qt_translations_are_kept_in_turkish_and_english_only():
    datas = [(f"PySide6/Qt/translations/{name}", f"/src/{name}", "DATA")
             for name in ("qtbase_tr.qm", "qtbase_en.qm", "qtbase_de.qm", "qt_pt_BR.qm", "qt_tr.qm")]
    datas.append(("caseworker/resources/i18n/core.json", "/src/core.json", "DATA"))
    kept, dropped = prune_datas(datas)
    assert [entry[0].rsplit("/", 1)[1] for entry in kept] == ["qtbase_tr.qm", "qtbase_en.qm", "qt_tr.qm", "core.json"]
    assert len(dropped) == 2
    assert not is_unused_translation("caseworker/resources/i18n/tr.json")


def test_a_library_goes_only_when_nothing_kept_links_it():
    plugins = "PySide6/Qt/plugins"
    binaries = [
        (f"{plugins}/platforms/libqvnc.so", "/qt/vnc.so", "BINARY"),  # dropped
        (f"{plugins}/platforms/libqxcb.so", "/qt/xcb.so", "BINARY"),  # kept
        ("libQt6Network.so.6", "/qt/network.so", "BINARY"),  # only vnc links it
        ("libshared.so", "/qt/shared.so", "BINARY"),  # vnc and xcb link it
        ("libdeep.so", "/qt/deep.so", "BINARY"),  # only network links it
        ("libviashared.so", "/qt/viashared.so", "BINARY"),  # linked by network and by shared
    ]
    links = {
        "/qt/vnc.so": ["/qt/network.so", "/qt/shared.so", None],
        "/qt/network.so": ["/qt/deep.so", "/qt/viashared.so", "/usr/lib/libc.so.6"],
        "/qt/xcb.so": ["/qt/shared.so"],
        "/qt/shared.so": ["/qt/viashared.so"],
    }
    kept, dropped = prune_binaries(binaries, lambda source: links.get(source, []))
    assert [entry[0] for entry in kept] == [f"{plugins}/platforms/libqxcb.so", "libshared.so", "libviashared.so"]
    assert dropped == sorted(["libQt6Network.so.6", "libdeep.so", f"{plugins}/platforms/libqvnc.so"])
