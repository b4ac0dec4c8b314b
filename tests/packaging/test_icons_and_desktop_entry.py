"""The application icon in every format the platforms need, and the Linux desktop entry."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage, QImageReader

import make_icons

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "src" / "caseworker" / "resources" / "icons"


def _difference(first: QImage, second: QImage) -> float:
    """Mean difference per channel (0..255) between two images of the same size."""
    first = first.convertToFormat(QImage.Format.Format_ARGB32)
    second = second.convertToFormat(QImage.Format.Format_ARGB32)
    total = 0
    for y in range(first.height()):
        for x in range(first.width()):
            a, b = first.pixel(x, y), second.pixel(x, y)
            total += sum(abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF)) for shift in (0, 8, 16, 24))
    return total / (first.width() * first.height() * 4)


def test_every_png_size_is_there_and_is_the_rendering_of_the_svg(qapp):
    renderer = make_icons.QSvgRenderer(str(ICONS / "caseworker.svg"))
    assert renderer.isValid()
    for size in make_icons.PNG_SIZES:
        shipped = QImage(str(ICONS / f"caseworker-{size}.png"))
        assert (shipped.width(), shipped.height()) == (size, size)
        fresh = QImage.fromData(make_icons.render_png(renderer, size), "PNG")
        assert _difference(shipped, fresh) < 2.0, f"caseworker-{size}.png is out of date: run packaging/make_icons.py"


def test_the_windows_icon_holds_every_size_up_to_256(qapp):
    data = QByteArray((ROOT / "packaging" / "icons" / "caseworker.ico").read_bytes())
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, b"ico")
    sizes = []
    for index in range(reader.imageCount()):
        reader.jumpToImage(index)
        sizes.append(reader.read().width())
    assert sorted(sizes) == list(make_icons.ICO_SIZES)


def test_the_macos_icon_is_a_well_formed_icns_of_png_images():
    data = (ROOT / "packaging" / "icons" / "caseworker.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    offset, kinds = 8, []
    while offset < len(data):
        kind, length = data[offset:offset + 4], struct.unpack(">I", data[offset + 4:offset + 8])[0]
        image = QImage.fromData(data[offset + 8:offset + length], "PNG")
        assert not image.isNull()
        kinds.append((kind, image.width()))
        offset += length
    assert offset == len(data)
    assert kinds == [(kind, size) for kind, size in make_icons.ICNS_TYPES]


def test_the_desktop_entry_is_valid_and_names_the_icon():
    entry = ROOT / "packaging" / "linux" / "caseworker.desktop"
    text = entry.read_text(encoding="utf-8")
    assert "Icon=caseworker\n" in text and "Comment[tr]=" in text
    validator = shutil.which("desktop-file-validate")
    assert validator, "desktop-file-validate is not installed: scripts/setup.sh installs it (Debian: desktop-file-utils)"
    result = subprocess.run([validator, str(entry)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "", result.stdout + result.stderr
