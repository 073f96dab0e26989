"""The lazily read font answers exactly what reportlab's full parse of the file answers."""

import pytest
from reportlab.pdfbase.ttfonts import TTFontFace

from lianzheng_desktop.paths import resources_dir
from lianzheng_desktop.render.fontfile import LazyFace
from lianzheng_desktop.render.layout import layout


@pytest.mark.parametrize("role", ["body", "hei", "extb"])
def test_lazy_face_matches_reportlabs_parse(role):
    path = str(resources_dir() / "fonts" / layout().raw["fonts"][role]["file"])
    full, lazy = TTFontFace(path), LazyFace(path)
    assert dict(lazy.charToGlyph) == full.charToGlyph
    assert all(lazy.charWidths[c] == w for c, w in full.charWidths.items())
    assert lazy.defaultWidth == full.defaultWidth
    assert [lazy.glyphPos[g] for g in range(len(full.glyphPos))] == full.glyphPos
    # reportlab stores the *scaled* advance for glyphs after the last full metric (its
    # own slip, harmless as PDF viewers take widths from the /W array); compare the rest
    full_metrics = [lazy.hmetrics[g] for g in range(lazy.numGlyphs)]
    assert [b for _, b in full_metrics] == [b for _, b in full.hmetrics]
    assert lazy.name == full.name and lazy.bbox == full.bbox and lazy.ascent == full.ascent
    assert max(full.charToGlyph) in lazy.charToGlyph and 0x10FFFF not in lazy.charToGlyph
