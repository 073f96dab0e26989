"""A TrueType face for reportlab that reads the big tables lazily.

reportlab's ``TTFontFace`` decodes the whole character map, the metrics and the glyph
locations of a font into Python dicts and lists when it is opened: ~0.1–0.2 s for each
of our CJK fonts, paid by every ``lianzheng render`` process. This face maps the file
and answers the same questions (glyph of a character, its width, where its outline is)
by looking into the tables when asked, so opening a font costs about a millisecond and a
form touches only the few hundred characters it prints. The attribute names and
meanings are reportlab's, so its subsetting and embedding work unchanged.
"""

from __future__ import annotations

import mmap
import sys
from array import array
from bisect import bisect_right
from collections.abc import Mapping, MutableMapping
from struct import unpack_from

from reportlab.pdfbase.ttfonts import TTFError, TTFontFace


def _table(data, offset: int, count: int, code: str) -> array:
    """``count`` big-endian integers of type ``code`` ("H" or "I") at ``offset``."""
    values = array(code)
    values.frombytes(data[offset:offset + count * values.itemsize])
    if len(values) != count:
        raise TTFError("truncated font table")
    if sys.byteorder == "little":
        values.byteswap()
    return values


class _Cmap(MutableMapping):
    """Character → glyph, from a format 4 or 12 cmap subtable, looked up by bisection."""

    def __init__(self, data, offset: int):
        fmt = unpack_from(">H", data, offset)[0]
        if fmt == 12:
            count = unpack_from(">L", data, offset + 12)[0]
            groups = _table(data, offset + 16, 3 * count, "I")
            self._starts, self._ends, self._glyphs = groups[0::3], groups[1::3], groups[2::3]
            self._lookup = self._lookup12
        elif fmt == 4:
            length = unpack_from(">H", data, offset + 2)[0]
            segments = unpack_from(">H", data, offset + 6)[0] // 2
            self._ends = _table(data, offset + 14, segments, "H")
            self._starts = _table(data, offset + 16 + 2 * segments, segments, "H")
            self._deltas = _table(data, offset + 16 + 4 * segments, segments, "H")
            self._range_offsets = _table(data, offset + 16 + 6 * segments, segments, "H")
            # idRangeOffset counts from its own position into the glyph array after it
            tail = (length - 16 - 6 * segments) // 2
            self._ids = _table(data, offset + 16 + 6 * segments, tail, "H")
            self._lookup = self._lookup4
        else:
            raise TTFError(f"cmap format {fmt} is read by reportlab itself")
        self._extra: dict[int, int] = {}  # reportlab's own additions (NBSP as space)

    def _segment(self, code: int) -> int:
        i = bisect_right(self._starts, code) - 1
        return i if i >= 0 and code <= self._ends[i] else -1

    def _lookup12(self, code: int) -> int | None:
        i = self._segment(code)
        return None if i < 0 else self._glyphs[i] + code - self._starts[i]

    def _lookup4(self, code: int) -> int | None:
        i = self._segment(code)
        if i < 0:
            return None
        delta, ro = self._deltas[i], self._range_offsets[i]
        if ro == 0:
            return (code + delta) & 0xFFFF
        index = i + ro // 2 + code - self._starts[i]
        glyph = self._ids[index] if index < len(self._ids) else 0  # broken fonts: as reportlab
        return (glyph + delta) & 0xFFFF if glyph else 0

    def __getitem__(self, code: int) -> int:
        if code in self._extra:
            return self._extra[code]
        glyph = self._lookup(code)
        if glyph is None:
            raise KeyError(code)
        return glyph

    def __contains__(self, code) -> bool:
        return code in self._extra or (isinstance(code, int) and self._lookup(code) is not None)

    def __setitem__(self, code: int, glyph: int) -> None:
        self._extra[code] = glyph

    def __delitem__(self, code: int) -> None:
        raise TypeError("a font's character map is read-only")

    def __iter__(self):
        seen = set(self._extra)
        yield from self._extra
        for start, end in zip(self._starts, self._ends):
            for code in range(start, end + 1):
                if code not in seen:
                    yield code

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __bool__(self) -> bool:  # not via __len__, which counts every character
        return True


class _Widths(Mapping):
    """Character → advance width in 1/1000 em (reportlab's ``charWidths``)."""

    def __init__(self, face: LazyFace):
        self._face = face
        self._extra: dict[int, float] = {}

    def __getitem__(self, code: int) -> float:
        if code in self._extra:
            return self._extra[code]
        return self._face.glyph_width(self._face.charToGlyph[code])

    def __setitem__(self, code: int, width: float) -> None:
        self._extra[code] = width

    def __iter__(self):
        return iter(self._face.charToGlyph)

    def __len__(self) -> int:
        return len(self._face.charToGlyph)

    def __bool__(self) -> bool:
        return True


class _Metrics:
    """Glyph → (advance, left side bearing) in font units (reportlab's ``hmetrics``)."""

    def __init__(self, advances: array, bearings: array, count: int):
        self._advances, self._bearings, self._count = advances, bearings, count

    def __getitem__(self, glyph: int) -> tuple[int, int]:
        if not 0 <= glyph < self._count:
            raise IndexError(glyph)
        advance = self._advances[min(glyph, len(self._advances) - 1)]
        return advance, self._bearings[glyph]

    def __len__(self) -> int:
        return self._count


class _Locations:
    """Glyph → offset of its outline in 'glyf' (reportlab's ``glyphPos``)."""

    def __init__(self, offsets: array, shift: int):
        self._offsets, self._shift = offsets, shift

    def __getitem__(self, glyph: int) -> int:
        return self._offsets[glyph] << self._shift

    def __len__(self) -> int:
        return len(self._offsets)


class _TableView:
    """A table of the mapped file that copies only the slices taken from it (reportlab's
    subsetting takes a few glyphs out of a 'glyf' table of 15 MB)."""

    def __init__(self, data, start: int, length: int):
        self._data, self._start, self._length = data, start, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: slice) -> bytes:
        start, stop, _ = index.indices(self._length)
        return self._data[self._start + start:self._start + stop]


class LazyFace(TTFontFace):
    """``TTFontFace`` with the character map, metrics and locations read on demand."""

    def readFile(self, f):
        if not hasattr(self, "_ttf_data"):
            self.filename = str(f)
            with open(f, "rb") as file:
                self._ttf_data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        self._pos = 0

    def extractInfo(self, charInfo=1):
        super().extractInfo(0)  # names, head, OS/2, post, hhea, maxp: small and quick
        if not charInfo:
            return
        data = self._ttf_data
        head = self.get_table_pos("head")[0]
        loca_format, glyph_format = unpack_from(">hh", data, head + 50)
        if glyph_format != 0:
            raise TTFError(f"Unknown glyph data format ({glyph_format})")
        try:
            self.charToGlyph = _Cmap(data, self._cmap_offset())
        except TTFError:  # an unusual cmap: let reportlab decode it the slow way
            return super().extractInfo(charInfo)
        glyphs = self.numGlyphs
        full = unpack_from(">H", data, self.get_table_pos("hhea")[0] + 34)[0]
        hmtx = self.get_table_pos("hmtx")[0]
        pairs = _table(data, hmtx, 2 * full, "H")
        bearings = array("H", pairs[1::2])
        bearings.extend(_table(data, hmtx + 4 * full, glyphs - full, "H"))
        self.hmetrics = _Metrics(pairs[0::2], bearings, glyphs)
        self.defaultWidth = self.glyph_width(0)
        self.charWidths = _Widths(self)
        if "loca" not in self.table:
            raise TTFError("missing location table")
        loca = self.get_table_pos("loca")[0]
        if loca_format == 0:
            self.glyphPos = _Locations(_table(data, loca, glyphs + 1, "H"), 1)
        elif loca_format == 1:
            self.glyphPos = _Locations(_table(data, loca, glyphs + 1, "I"), 0)
        else:
            raise TTFError(f"Unknown location table format ({loca_format})")
        # as reportlab does: a no-break space is drawn and measured as a space
        cmap, widths = self.charToGlyph, self.charWidths
        if 0x20 in cmap:
            cmap[0xA0] = cmap[0x20]
            widths[0xA0] = widths[0x20]
        elif 0xA0 in cmap:
            cmap[0x20] = cmap[0xA0]
            widths[0x20] = widths[0xA0]

    def _cmap_offset(self) -> int:
        """The subtable reportlab would choose (the same rules, in the same order)."""
        data = self._ttf_data
        base = self.get_table_pos("cmap")[0]
        version, count = unpack_from(">HH", data, base)
        if count == 0 and version != 0:
            count = version
        chosen, kind = None, 0
        for i in range(count):
            platform, encoding, offset = unpack_from(">HHL", data, base + 4 + 8 * i)
            if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
                kind, chosen = 1, offset
            elif platform == 1 and encoding == 0 and kind != 1:
                kind, chosen = 2, offset
        if chosen is None:
            raise TTFError("could not find a suitable cmap encoding")
        return base + chosen

    def get_table(self, tag):
        if tag == "glyf" and isinstance(self._ttf_data, mmap.mmap):
            return _TableView(self._ttf_data, *self.get_table_pos(tag))
        return super().get_table(tag)

    def glyph_width(self, glyph: int) -> float:
        """Advance width of a glyph in 1/1000 em."""
        advance = self.hmetrics[glyph][0]
        return advance if self.unitsPerEm == 1000 else advance * (1000 / self.unitsPerEm)

    def has_outline(self, glyph: int) -> bool:
        return self.glyphPos[glyph + 1] > self.glyphPos[glyph]

    def ink_extent(self, glyph: int) -> tuple[float, float] | None:
        """Left and right edge of the glyph's outline in 1/1000 em (None: no outline)."""
        if not self.has_outline(glyph):
            return None
        at = self.get_table_pos("glyf")[0] + self.glyphPos[glyph]
        x_min, _, x_max = unpack_from(">hhh", self._ttf_data, at + 2)
        scale = 1000 / self.unitsPerEm
        return x_min * scale, x_max * scale
