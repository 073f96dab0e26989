"""What goes inside a table cell: wrapped text, or an opinion with signature lines.

Each content knows its height for a given width, draws itself into a box, and (text
only) splits by lines when a single row is taller than a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lianzheng_desktop.render.fonts import printable, runs, text_width
from lianzheng_desktop.render.layout import Style, layout
from lianzheng_desktop.render.linebreak import break_lines

ASCENT = 0.86  # of the em, for the CJK faces used; places the baseline in its line box


def draw_line(canv, x: float, baseline: float, text: str, style: Style) -> None:
    """One line in the style's font, switching to fallback fonts character by character."""
    t = canv.beginText(x, baseline)
    # Always set it: PDF character spacing (Tc) outlives BT/ET, so the title's spacing
    # would otherwise widen every later line on the page beyond what was measured.
    t.setCharSpace(style.letter_spacing)
    for name, part in runs(text, style.font):
        t.setFont(name, style.size, style.leading)
        t.textOut(part)
    canv.drawText(t)


def width_of(style: Style):
    return lambda s: text_width(s, style.font, style.size, style.letter_spacing)


def first_baseline(top: float, style: Style) -> float:
    return top - (style.leading - style.size) / 2 - style.size * ASCENT


@dataclass
class Text:
    """Wrapped text; ``lines`` may be given to keep a label's official line breaks."""

    text: str
    style_name: str = "cell"
    align: str = "left"  # left | center | right
    valign: str = "middle"  # top | middle
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def style(self) -> Style:
        return layout().styles[self.style_name]

    def lines(self, width: float) -> list[str]:
        if width not in self._cache:
            text = printable(self.text)
            self._cache[width] = break_lines(text, width, width_of(self.style)) if text else []
        return self._cache[width]

    def height(self, width: float) -> float:
        return len(self.lines(width)) * self.style.leading

    def draw(self, canv, x: float, top: float, width: float, height: float) -> None:
        lines = self.lines(width)
        style = self.style
        if self.valign == "middle":
            top -= max(0.0, (height - len(lines) * style.leading) / 2)
        measure = width_of(style)
        baseline = first_baseline(top, style)
        for line in lines:
            offset = {"left": 0.0, "center": (width - measure(line)) / 2,
                      "right": width - measure(line)}[self.align]
            draw_line(canv, x + offset, baseline, line, style)
            baseline -= style.leading

    def split(self, width: float, avail: float) -> tuple[Text, Text] | None:
        lines = self.lines(width)
        fit = int(avail // self.style.leading)
        if fit <= 0 or fit >= len(lines):
            return None
        first = Text("\n".join(lines[:fit]), self.style_name, self.align, "top")
        rest = Text("\n".join(lines[fit:]), self.style_name, self.align, "top")
        return first, rest


@dataclass
class SignedOpinion:
    """An opinion cell: the text at the top, the signature, seal and date lines at the
    lower right, with room for a handwritten name and a round seal stamped over them."""

    text: str
    sign_lines: list[str]  # e.g. ["单位负责人签字：", "（盖章）", "年|月|日"]
    style_name: str = "sign"

    @property
    def style(self) -> Style:
        return layout().styles[self.style_name]

    def _rendered_lines(self) -> list[str]:
        sign = layout().section("table")["sign"]
        out = []
        for line in self.sign_lines:
            if "|" in line:  # the date: room before 年 and between the parts for the pen
                line = sign["date_lead"] + sign["date_gap"].join(line.split("|"))
            out.append(line)
        return out

    def _block_height(self) -> float:
        # one empty line between signature lines: room for the handwritten name and date
        return (2 * len(self.sign_lines) - 1) * self.style.leading

    def height(self, width: float) -> float:
        body = Text(self.text, self.style_name, valign="top").height(width)
        return body + self.style.leading + self._block_height() + layout().mm("table", "sign", "bottom_inset_mm")

    def draw(self, canv, x: float, top: float, width: float, height: float) -> None:
        style = self.style
        Text(self.text, self.style_name, valign="top").draw(canv, x, top, width, height)
        lines = self._rendered_lines()
        measure = width_of(style)
        signature_room = layout().mm("table", "sign", "signature_room_mm")
        block = max(measure(lines[0]) + signature_room, *(measure(line) for line in lines))
        left = x + width - layout().mm("table", "sign", "right_inset_mm") - block
        bottom = top - height + layout().mm("table", "sign", "bottom_inset_mm")
        baseline = first_baseline(bottom + self._block_height(), style)
        for i, line in enumerate(lines):
            if i == 0:
                offset = 0.0
            elif i == len(lines) - 1:
                offset = block - measure(line)
            else:
                offset = (block - measure(line)) / 2
            draw_line(canv, left + offset, baseline, line, style)
            baseline -= 2 * style.leading

    def split(self, width: float, avail: float) -> tuple[Text, SignedOpinion] | None:
        """Only an opinion longer than a page is split: its first lines go on, and the rest
        of the text stays together with the signature, seal and date."""
        if self.height(width) <= avail:
            return None
        lines = Text(self.text, self.style_name, valign="top").lines(width)
        # at least one line goes on with the signature block, even when the text alone fits
        fit = min(int(avail // self.style.leading), len(lines) - 1)
        if fit <= 0:
            return None
        return (Text("\n".join(lines[:fit]), self.style_name, valign="top"),
                SignedOpinion("\n".join(lines[fit:]), self.sign_lines, self.style_name))

