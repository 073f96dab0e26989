"""styles.xml and fontTable.xml: the fonts and paragraph styles of the written form.

Fonts are named the way Chinese Word and WPS know them: 宋体 for Chinese text (Latin text
in Times New Roman), 黑体 for “附件N”; the font table gives their English names, GB2312
character set and PANOSE numbers so that a PC without one of them substitutes a face of
the same kind. Sizes and leading come from forms/layout.toml (the title's from docx.toml).
"""

from __future__ import annotations

from lianzheng_desktop.exchange.docx.words import docx_words
from lianzheng_desktop.exchange.docx.xml import W_NS, el, twips, val
from lianzheng_desktop.render.layout import layout

# Paragraph style ids (ASCII, stable); their visible names are in forms/docx.toml.
STYLE = {"attachment": "LzAttachment", "title": "LzTitle", "header_line": "LzHeaderLine",
         "label": "LzLabel", "cell": "LzCell", "cell_compact": "LzCellCompact", "level": "LzLevel",
         "sign": "LzSign", "below": "LzBelow"}
_NAME_KEY = {"attachment": "style_attachment", "title": "style_title", "header_line": "style_header_line",
             "label": "style_label", "cell": "style_cell", "cell_compact": "style_cell_compact",
             "level": "style_level", "sign": "style_sign", "below": "style_below"}

# name: (English name, PANOSE, family, pitch)
_FONTS = {
    "宋体": ("SimSun", "02010600030101010101", "auto", "variable"),
    "黑体": ("SimHei", "02010609060101010101", "modern", "fixed"),
}


def _fonts(east_asia: str, latin: str | None = None) -> str:
    latin = latin or docx_words()["write"]["body_font_latin"]
    return el("w:rFonts", {"w:ascii": latin, "w:hAnsi": latin, "w:eastAsia": east_asia, "w:cs": latin})


def _size(pt: float) -> str:
    return val("w:sz", round(pt * 2)) + val("w:szCs", round(pt * 2))


def _style(role: str, ppr: str, rpr: str) -> str:
    w = docx_words()["write"]
    return el("w:style", {"w:type": "paragraph", "w:customStyle": 1, "w:styleId": STYLE[role]},
              val("w:name", w[_NAME_KEY[role]]), val("w:basedOn", "Normal"), val("w:next", STYLE[role]),
              "<w:qFormat/>", el("w:pPr", None, ppr) if ppr else "", el("w:rPr", None, rpr) if rpr else "")


def _leading(role: str) -> str:
    """At least the PDF's leading (so CJK lines are as tall as printed, never clipped)."""
    return el("w:spacing", {"w:before": 0, "w:after": 0, "w:line": round(layout().styles[role].leading * 20),
                            "w:lineRule": "atLeast"})


def styles_xml() -> str:
    w = docx_words()["write"]
    s = layout().styles
    body, hei = w["body_font"], w["hei_font"]
    defaults = el("w:docDefaults", None,
                  el("w:rPrDefault", None, el("w:rPr", None, _fonts(body), _size(s["cell"].size),
                                              el("w:lang", {"w:val": "en-US", "w:eastAsia": "zh-CN",
                                                            "w:bidi": "ar-SA"}))),
                  el("w:pPrDefault", None, el("w:pPr", None, el("w:spacing", {"w:after": 0, "w:line": 240,
                                                                               "w:lineRule": "auto"}))))
    normal = el("w:style", {"w:type": "paragraph", "w:default": 1, "w:styleId": "Normal"},
                val("w:name", "Normal"), "<w:qFormat/>",
                # no automatic extra space between Chinese and Latin text or digits: the PDF
                # prints 2026年11月18日 and 附件2 tight, as typeset official forms do (Word
                # and WPS honour this; LibreOffice ignores w:autoSpaceDE/DN on import and
                # shows "附件 2" — seen when its PDF was compared with ours)
                el("w:pPr", None, "<w:widowControl w:val=\"0\"/>", val("w:autoSpaceDE", 0),
                   val("w:autoSpaceDN", 0), val("w:jc", "both")))
    table_normal = el("w:style", {"w:type": "table", "w:default": 1, "w:styleId": "TableNormal"},
                      val("w:name", "Normal Table"), "<w:semiHidden/>",
                      el("w:tblPr", None, el("w:tblInd", {"w:w": 0, "w:type": "dxa"}),
                         el("w:tblCellMar", None, el("w:top", {"w:w": 0, "w:type": "dxa"}),
                            el("w:left", {"w:w": 108, "w:type": "dxa"}), el("w:bottom", {"w:w": 0, "w:type": "dxa"}),
                            el("w:right", {"w:w": 108, "w:type": "dxa"}))))
    below = layout().raw["below_table"]
    title_pt = w["title_size_pt"]
    styles = [
        _style("attachment", el("w:spacing", {"w:before": 0, "w:after": 0,
                                              "w:line": round(s["attachment"].leading * 20),
                                              "w:lineRule": "atLeast"}) + val("w:jc", "left"),
               _fonts(hei, hei) + _size(w["attachment_size_pt"])),
        _style("title", _leading("title") + val("w:jc", "center"),
               _fonts(body) + ("<w:b/><w:bCs/>" if w["title_bold"] else "")
               + val("w:spacing", round(s["title"].letter_spacing * 20)) + _size(title_pt)),
        _style("header_line", _leading("header_line") + val("w:jc", "left"), _size(s["header_line"].size)),
        _style("label", _leading("label") + val("w:jc", "center"), _size(s["label"].size)),
        _style("cell", _leading("cell") + val("w:jc", "left"), _size(s["cell"].size)),
        # risk points and measures in 小五 when that brings the printed form onto one page
        _style("cell_compact", _leading("cell_compact") + val("w:jc", "left"), _size(s["cell_compact"].size)),
        _style("level", _leading("level") + val("w:jc", "center"), _size(s["level"].size)),
        _style("sign", _leading("sign"), _size(s["sign"].size)),
        _style("below", _leading("below_table") + el("w:ind", {"w:right": twips(below["right_inset_mm"])})
               + val("w:jc", "right"), _size(s["below_table"].size)),
    ]
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            + el("w:styles", {"xmlns:w": W_NS}, defaults, normal, table_normal, *styles))


def font_table_xml() -> str:
    fonts = []
    for name, (english, panose, family, pitch) in _FONTS.items():
        fonts.append(el("w:font", {"w:name": name}, val("w:altName", english), val("w:panose1", panose),
                        val("w:charset", "86"), val("w:family", family), val("w:pitch", pitch)))
    latin = docx_words()["write"]["body_font_latin"]
    fonts.append(el("w:font", {"w:name": latin}, val("w:panose1", "02020603050405020304"), val("w:charset", "00"),
                    val("w:family", "roman"), val("w:pitch", "variable")))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            + el("w:fonts", {"xmlns:w": W_NS}, *fonts))
