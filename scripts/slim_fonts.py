"""How resources/fonts/uming-cn.ttf and wqy-zenhei.ttf were made from Debian's fonts.

    pip install fonttools && python scripts/slim_fonts.py UMING.ttc WQY-ZENHEI.ttc

From each TrueType collection only the face the program uses is kept (AR PL UMing CN,
WenQuanYi Zen Hei), without its embedded bitmap strikes (EBDT/EBLC: screen bitmaps for
small sizes, never used in a PDF) and without glyph names (post format 3). The outlines,
metrics and character maps are unchanged. This keeps the bundle under 200 MB.
"""

import sys
from pathlib import Path

from fontTools.ttLib import TTCollection

FONTS = Path(__file__).resolve().parent.parent / "resources" / "fonts"


def slim(collection: str, out: str) -> None:
    font = TTCollection(collection).fonts[0]
    for table in ("EBDT", "EBLC", "EBSC", "BDF "):
        if table in font:
            del font[table]
    font["post"].formatType = 3.0
    font.save(FONTS / out)
    print(FONTS / out)


if __name__ == "__main__":
    slim(sys.argv[1], "uming-cn.ttf")
    slim(sys.argv[2], "wqy-zenhei.ttf")
