"""Render resources/icons/lianzheng.svg to the .ico (Windows executable) and .png files.

    python scripts/make_icons.py      (needs Pillow, from the test extra)
"""

import io
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def render(size: int) -> Image.Image:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(ICONS / "lianzheng.svg")).render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data())))


def main() -> None:
    QGuiApplication([])
    big = render(256)
    big.save(ICONS / "lianzheng.png")
    big.save(ICONS / "lianzheng.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    print("written", ICONS / "lianzheng.ico", ICONS / "lianzheng.png")


if __name__ == "__main__":
    main()
