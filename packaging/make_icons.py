"""Render Caseworker's icon from its SVG into every raster the platforms need.

    python packaging/make_icons.py

Reads ``src/caseworker/resources/icons/caseworker.svg`` and writes, next to it, the PNG sizes
the window and the Linux desktop use (``caseworker-16.png`` … ``caseworker-512.png``), and into
``packaging/icons/`` the Windows ``caseworker.ico`` and the macOS ``caseworker.icns``. Both
containers hold PNG images, which Windows (Vista and later) and macOS (10.7 and later) read.
Run it after changing the SVG and commit what it writes; building the application does not
need it.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "src" / "caseworker" / "resources" / "icons" / "caseworker.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# The ICNS element types that hold PNG data, with the pixel size of each.
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256), (b"ic09", 512),
    (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512),
)


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def ico_file(images: dict[int, bytes]) -> bytes:
    """An ICO container: a header, one directory entry per image, then the PNG images."""
    header = struct.pack("<HHH", 0, 1, len(images))
    entries, payload = b"", b""
    offset = len(header) + 16 * len(images)
    for size, png in sorted(images.items()):
        side = 0 if size >= 256 else size  # 0 stands for 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(payload))
        payload += png
    return header + entries + payload


def icns_file(images: dict[int, bytes]) -> bytes:
    """An ICNS container: the ``icns`` magic and total length, then typed, length-prefixed PNGs."""
    body = b"".join(kind + struct.pack(">I", 8 + len(images[size])) + images[size] for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    app = QGuiApplication([sys.argv[0], "-platform", "offscreen"])  # noqa: F841 (Qt needs it alive)
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"cannot read {SVG}", file=sys.stderr)
        return 1
    sizes = sorted(set(PNG_SIZES) | set(ICO_SIZES) | {size for _, size in ICNS_TYPES})
    images = {size: render_png(renderer, size) for size in sizes}
    for size in PNG_SIZES:
        (SVG.parent / f"caseworker-{size}.png").write_bytes(images[size])
    target = ROOT / "packaging" / "icons"
    target.mkdir(exist_ok=True)
    (target / "caseworker.ico").write_bytes(ico_file({size: images[size] for size in ICO_SIZES}))
    (target / "caseworker.icns").write_bytes(icns_file(images))
    print(f"wrote {len(PNG_SIZES)} PNG files, caseworker.ico and caseworker.icns")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
