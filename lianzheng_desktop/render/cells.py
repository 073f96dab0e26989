"""What goes inside a table cell: wrapped text, or an opinion with signature lines.

Each content knows its lines for a given width, its height, and how to draw itself into
a box. A row that continues on the next page is cut between lines: ``part`` gives the
content holding some of the lines (already broken, so a huge cell is broken only once).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lianzheng_desktop.render.fonts import printable
from lianzheng_desktop.render.layout import Style, layout
from lianzheng_desktop.render.linebreak import Line, wrap
from lianzheng_desktop.render.typeset import draw_line, first_baseline, width_of


@dataclass(eq=False)
class Text:
    """Wrapped text; ``lines`` may be given to keep a label's official line breaks.

    ``align`` left text is justified (两端对齐) except for each paragraph's last line.
    """

    text: str
    style_name: str = "cell"
    align: str = "left"  # left | center | right
    valign: str = "middle"  # top | middle
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def style(self) -> Style:
        return layout().styles[self.style_name]

    def lines(self, width: float) -> list[Line]:
        if width not in self._cache:
            text = printable(self.text)
            self._cache[width] = wrap(text, width, width_of(self.style)) if text else []
        return self._cache[width]

    def height(self, width: float) -> float:
        return len(self.lines(width)) * self.style.leading

    def part(self, width: float, start: int, stop: int | None = None, marker: str | None = None) -> Lines:
        """Lines ``start:stop`` as their own content, ``marker`` on a line of its own above."""
        lines = self.lines(width)[start:stop]
        if marker:
            lines = [Line(marker, True), *lines]
        return Lines(lines, self.style_name, self.align, "top")

    def draw(self, canv, x: float, top: float, width: float, height: float) -> None:
        draw_lines(canv, self.lines(width), self.style, self.align, self.valign, x, top, width, height)


class Lines(Text):
    """Lines already broken (the part of a cell that falls on one page)."""

    def __init__(self, lines: list[Line], style_name: str = "cell", align: str = "left", valign: str = "top"):
        super().__init__("", style_name, align, valign)
        self._lines = lines

    def lines(self, width: float) -> list[Line]:
        return self._lines


def draw_lines(canv, lines: list[Line], style: Style, align: str, valign: str,
               x: float, top: float, width: float, height: float) -> None:
    if valign == "middle":
        top -= max(0.0, (height - len(lines) * style.leading) / 2)
    measure = width_of(style)
    baseline = first_baseline(top, style)
    for line in lines:
        if align == "left":
            draw_line(canv, x, baseline, line.text, style, None if line.end else width)
        else:
            free = width - measure(line.text)
            draw_line(canv, x + (free / 2 if align == "center" else free), baseline, line.text, style)
        baseline -= style.leading


@dataclass(eq=False)
class SignedOpinion:
    """An opinion cell: the text at the top, the signature, seal and date lines at the
    lower right, with room for a handwritten name and a round seal stamped over them."""

    body: Text
    sign_lines: list[str]  # e.g. ["单位负责人签字：", "（盖章）", "年|月|日"]

    @property
    def style(self) -> Style:
        return self.body.style

    def lines(self, width: float) -> list[Line]:
        return self.body.lines(width)

    def _rendered_lines(self) -> list[str]:
        sign = layout().section("table")["sign"]
        out = []
        for line in self.sign_lines:
            if "|" in line:  # the date: room before 年 and between the parts for the pen
                line = sign["date_lead"] + sign["date_gap"].join(line.split("|"))
            out.append(line)
        return out

    def block_height(self) -> float:
        """The signature lines below the text: one empty line before them and one between
        each two (room for the handwritten name and date), and the inset at the bottom."""
        return (2 * len(self.sign_lines)) * self.style.leading + layout().mm("table", "sign", "bottom_inset_mm")

    def height(self, width: float) -> float:
        return self.body.height(width) + self.block_height()

    def part(self, width: float, start: int, marker: str | None = None) -> SignedOpinion:
        """The opinion from line ``start`` on, still with its signature block."""
        return SignedOpinion(self.body.part(width, start, None, marker), self.sign_lines)

    def draw(self, canv, x: float, top: float, width: float, height: float) -> None:
        style = self.style
        self.body.draw(canv, x, top, width, height)
        lines = self._rendered_lines()
        measure = width_of(style)
        signature_room = layout().mm("table", "sign", "signature_room_mm")
        block = max(measure(lines[0]) + signature_room, *(measure(line) for line in lines))
        left = x + width - layout().mm("table", "sign", "right_inset_mm") - block
        bottom = top - height + layout().mm("table", "sign", "bottom_inset_mm")
        baseline = first_baseline(bottom + (2 * len(lines) - 1) * style.leading, style)
        for i, line in enumerate(lines):
            if i == 0:
                offset = 0.0
            elif i == len(lines) - 1:
                offset = block - measure(line)
            else:
                offset = (block - measure(line)) / 2
            draw_line(canv, left + offset, baseline, line, style)
            baseline -= 2 * style.leading


CellContent = Text | SignedOpinion  # what a table cell holds (Lines is a Text)
