"""Reference pictures of the printed forms, and the comparison the tests use.

Update the goldens after an intended change of the print layout (then look at them):

    python tests/golden.py --update
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from pdfcheck import render_pages
from PIL import ImageChops

from lianzheng_desktop.domain.codec import form_from_json
from lianzheng_desktop.render import render_blank, render_form

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
DPI = 100
PIXEL_THRESHOLD = 64  # grey levels: anti-aliasing differences between renderers stay below
MAX_CHANGED = 0.00005  # share of a page's pixels that may differ (~48 px; one character is ~100)


def _form(path: Path):
    return form_from_json(json.loads(path.read_text(encoding="utf-8")))[0]


CASES = {
    "blank-unit": lambda: render_blank("unit"),
    "blank-post": lambda: render_blank("post"),
    "unit-library": lambda: render_form(_form(HERE / "data" / "examples" / "unit-library.json")),
    "post-library-acquisitions": lambda: render_form(
        _form(HERE / "data" / "examples" / "post-library-acquisitions.json")),
    "long-unit": lambda: render_form(_form(HERE / "data" / "long-unit.json")),
}


def golden_paths(name: str) -> list[Path]:
    return sorted(GOLDEN.glob(f"{name}-p*.png"))


def changed_share(expected, actual) -> float:
    if expected.size != actual.size:
        return 1.0
    diff = ImageChops.difference(expected, actual).point(lambda v: 255 if v > PIXEL_THRESHOLD else 0)
    return diff.histogram()[255] / (diff.width * diff.height)


def update() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for old in GOLDEN.glob("*.png"):
        old.unlink()
    for name, make in CASES.items():
        for number, image in enumerate(render_pages(make(), DPI), 1):
            path = GOLDEN / f"{name}-p{number}.png"
            image.save(path, optimize=True)
            print(path.relative_to(HERE.parent))


if __name__ == "__main__":
    if "--update" in sys.argv:
        update()
    else:
        print(__doc__)
