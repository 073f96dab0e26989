"""Builds the Word fixtures in this folder: filled 附件2 / 附件3 templates as people make them.

Run from the repository root:  python tests/data/docx/make_fixtures.py

Written as raw WordprocessingML, independently of the program's writer, with the shapes
real files have: text cut into many runs (Word splits at every edit), proofing marks and
bookmarks between runs, vertically merged category cells, label cells with line breaks,
irregular column grids from dragged borders, content controls, symbol-font ticks, a table
split across a page break. The expected reading of each file (NAME.expected.json) is
written by hand below, not computed by the reader. lo-roundtrip.docx is different: the
program's own writer, re-saved by LibreOffice (needs `libreoffice` on PATH).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).parent
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DEFAULT_REMARK = "根据填写内容，表格可以自行调整；如有需要，可增页填写。"

# -- WordprocessingML, the way Word writes it ----------------------------------------------


def runs(text: str, font: str | None = None) -> str:
    """Text as Word stores it after some editing: runs of a few characters, with proofing
    marks and a bookmark in between; "\n" is a line break (Shift+Enter)."""
    rpr = f'<w:rPr><w:rFonts w:hint="eastAsia" w:ascii="{font}" w:hAnsi="{font}"/></w:rPr>' if font else \
        '<w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>'
    out = []
    for n, line in enumerate(text.split("\n")):
        if n:
            out.append(f"<w:r>{rpr}<w:br/></w:r>")
        for i in range(0, len(line), 5):
            piece = line[i:i + 5]
            if i == 5:
                out.append('<w:proofErr w:type="spellStart"/>')
            if i == 10:
                out.append(f'<w:bookmarkStart w:id="{i}" w:name="_GoBack"/><w:bookmarkEnd w:id="{i}"/>')
            out.append(f'<w:r w:rsidR="00A1{i:04d}">{rpr}<w:t xml:space="preserve">{escape(piece)}</w:t></w:r>')
    return "".join(out)


def p(text: str = "", *, jc: str | None = None, font: str | None = None, extra: str = "") -> str:
    ppr = f'<w:pPr><w:jc w:val="{jc}"/></w:pPr>' if jc else ""
    return f"<w:p>{ppr}{runs(text, font)}{extra}</w:p>"


def sym(font: str, char: str) -> str:
    return f'<w:r><w:sym w:font="{font}" w:char="{char}"/></w:r>'


def cell(content, width: int, *, span: int = 1, vmerge: str | None = None, sdt: bool = False,
         height_text: str = "") -> str:
    """content: a string (one paragraph per item of "\\n\\n"-free list) or a list of paragraphs."""
    paras = content if isinstance(content, list) else [content]
    body = "".join(x if x.startswith("<w:p>") or x.startswith("<w:p ") else p(x) for x in paras) or "<w:p/>"
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    props += '<w:vAlign w:val="center"/>'
    tc = f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>"
    if sdt:  # a content control around the cell, as form templates and WPS write
        tc = f'<w:sdt><w:sdtPr><w:id w:val="-1"/></w:sdtPr><w:sdtContent>{tc}</w:sdtContent></w:sdt>'
    return tc


def row(*cells: str, height: int | None = None, exact: bool = False) -> str:
    trpr = ""
    if height:
        rule = ' w:hRule="exact"' if exact else ""
        trpr = f'<w:trPr><w:trHeight w:val="{height}"{rule}/></w:trPr>'
    return f'<w:tr w:rsidR="00B2C3D4">{trpr}{"".join(cells)}</w:tr>'


def table(grid: list[int], *rows: str) -> str:
    cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in grid)
    borders = "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
                      for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    return (f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{borders}</w:tblBorders>'
            f'<w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>{cols}</w:tblGrid>{"".join(rows)}</w:tbl>')


PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def docx(body: str) -> bytes:
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<w:document xmlns:w="{W_NS}" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                f'<w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
                '<w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800" w:header="851" '
                'w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>')
    styles = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W_NS}">'
              '<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>'
              "</w:styles>")
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/>'
            '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.styles+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
        "word/_rels/document.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/styles" Target="styles.xml"/></Relationships>'),
        "word/document.xml": document,
        "word/styles.xml": styles,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(zipfile.ZipInfo(name, (2025, 11, 3, 9, 0, 0)), text.encode("utf-8"),
                       compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def risk(category: str, point: str, self_level=None, approved_level=None, measures: str = "") -> dict:
    return {"category": category, "point": point, "self_level": self_level,
            "approved_level": approved_level, "measures": measures}


# -- the fixtures ------------------------------------------------------------------------------

U5 = [1300, 3300, 700, 700, 3600]  # the template's five columns: A label/category · B · C · D · E


def risk_header(grid_spans=(1, 1, 2, 1), widths=U5, level_cols=(1, 1)) -> list[str]:
    a, b, c, e = grid_spans
    return [
        row(cell("风险类别", widths[0], span=a, vmerge="restart"), cell("具体风险点", widths[1], span=b, vmerge="restart"),
            cell("风险等级", widths[2] * 2, span=c), cell("防控措施", widths[-1], span=e, vmerge="restart")),
        row(cell("", widths[0], span=a, vmerge="continue"), cell("", widths[1], span=b, vmerge="continue"),
            cell("自评", widths[2], span=level_cols[0]), cell("审定", widths[3], span=level_cols[1]),
            cell("", widths[-1], span=e, vmerge="continue")),
    ]


def category_rows(name, rows, widths=U5, cat_span=1, name_paras=None):
    out = []
    for i, (point, s, a, m) in enumerate(rows):
        first = cell(name_paras or name, widths[0], span=cat_span, vmerge="restart") if i == 0 else \
            cell("", widths[0], span=cat_span, vmerge="continue")
        out.append(row(first, cell(point, widths[1]), cell(s, widths[2]), cell(a, widths[3]), cell(m, widths[4])))
    return out


def unit_filled():
    """附件2 as a secretary fills the official template in Word."""
    body = [p("附件2", font="黑体"), p("单位廉政风险防控登记表", jc="center"),
            p("单位：图书馆                   填表日期：2025年11月3日"),
            table(U5,
                  row(cell("主要负责人", 1300), cell("周文渊", 8300, span=4)),
                  row(cell("单位职责", 1300), cell(["负责全校文献信息资源建设。", "承担读者服务工作。"], 8300, span=4)),
                  row(cell("廉政职责", 1300), cell("落实党风廉政建设主体责任，\n对本单位廉政风险进行排查和防控。", 8300, span=4)),
                  *risk_header(),
                  *category_rows("思想道德风险", [
                      ("1.个别人员廉洁自律意识不强。", "一级", "二级", "每学期组织一次廉政教育。"),
                      ("2、对文献采购中的利益诱惑警惕不足。", "2", "", "签订廉洁承诺书。"),
                      ("3.", "", "", "")]),
                  *category_rows("岗位职责风险", [
                      ("（一）图书验收把关不严。", "Ⅲ", "Ⅲ", "验收由不少于3人的小组进行。"),
                      ("（二）合同约定的品种、折扣核对不细。", "二级风险", "二级", "逐项核对。"),
                      ("3.  ", "", "", ""),
                      ("4.", "", "", "")]),
                  *category_rows("工作流程风险", [
                      ("1.数据库续订未经集体论证。", "二级", "",
                       [p("续订前开展使用率统计和价格比较。"), p("经馆务会集体研究决定。")]),
                      ("2.", "", "", ""), ("3.", "", "", "")]),
                  *category_rows("制度机制风险", [
                      ("1.赠书、剔旧处置缺少书面制度。", "三级", "三级", "制定剔旧处置办法。"),
                      ("2.图书剔旧标准不明确。", "很高", "", "制定剔旧标准。"),
                      ("3.", "", "", "")]),
                  *category_rows("外部环境风险", [
                      ("1.供应商以赞助、宴请等方式进行“围猎”。", "二级", "", "严禁接受供应商宴请和礼品。"),
                      ("2.", "", "", ""), ("3.", "", "", "")]),
                  row(cell(["单位审", "核意见"], 1300),
                      cell(["同意。", "", "          单位负责人签字：", "（盖章）", "                           年   月   日"],
                           8300, span=4), height=2400),
                  row(cell(["分管校领导", "意见"], 1300),
                      cell(["              签字：", "                          年   月   日"], 8300, span=4)),
                  row(cell("备注", 1300), cell(DEFAULT_REMARK, 8300, span=4))),
            p()]
    expected = {
        "kind": "unit", "year": 2025, "unit": "图书馆", "filled_on": "2025-11-03", "head": "周文渊",
        "unit_duties": "负责全校文献信息资源建设。\n承担读者服务工作。",
        "integrity_duties": "落实党风廉政建设主体责任，\n对本单位廉政风险进行排查和防控。",
        "risks": [
            risk("thought", "个别人员廉洁自律意识不强。", 1, 2, "每学期组织一次廉政教育。"),
            risk("thought", "对文献采购中的利益诱惑警惕不足。", 2, None, "签订廉洁承诺书。"),
            risk("duty", "图书验收把关不严。", 3, 3, "验收由不少于3人的小组进行。"),
            risk("duty", "合同约定的品种、折扣核对不细。", 2, 2, "逐项核对。"),
            risk("process", "数据库续订未经集体论证。", 2, None, "续订前开展使用率统计和价格比较。\n经馆务会集体研究决定。"),
            risk("system", "赠书、剔旧处置缺少书面制度。", 3, 3, "制定剔旧处置办法。"),
            risk("system", "图书剔旧标准不明确。", None, None, "制定剔旧标准。"),
            risk("external", "供应商以赞助、宴请等方式进行“围猎”。", 2, None, "严禁接受供应商宴请和礼品。"),
        ],
        "review_opinion": "同意。", "leader_opinion": "", "remarks": "",
    }
    unplaced = ["很高"]
    notes = ["第 1 个表格第 17 行的自评“很高”不是一级、二级或三级，已留空", "年度取自填表日期：2025"]
    return "unit-filled.docx", docx("".join(body)), expected, unplaced, notes


P6 = [700, 700, 3300, 700, 700, 3500]  # the printed layout's six grid columns


def post_split():
    """附件3 with Attachment 1's category names, the table split across a page break."""
    head = [row(cell(["责任人", "姓名"], 1400, span=2), cell("张𠮷", 3300), cell(["岗位", "职务"], 1400, span=2),
                cell("网络安全管理员", 3500)),
            row(cell(["一", "岗双责"], 700, vmerge="restart"), cell(["岗位", "职责"], 700),
                cell("负责校园网安全运维。\n负责机房管理。", 8200, span=4)),
            row(cell("", 700, vmerge="continue"), cell(["廉政", "职责"], 700), cell("落实“一岗双责”。", 8200, span=4))]
    widths = [1400, 3300, 700, 700, 3500]
    header = risk_header(grid_spans=(2, 1, 2, 1), widths=widths)
    part1 = table(P6, *head, *header,
                  *category_rows("思想意识风险", [
                      ("1.对网络安全责任认识不足。", "一级", "一级", "定期学习网络安全法规。"),
                      ("2.存在接受供应商礼品的隐患。", "二级", "", "拒收礼品并登记。")],
                      widths=widths, cat_span=2, name_paras=["思想意识", "风险"]),
                  *category_rows("职责履行风险", [
                      ("1.设备采购参数设置倾向特定品牌。", "1", "2", "参数由专家论证。")],
                      widths=widths, cat_span=2))
    part2 = table(P6, *header,
                  row(cell("", 1400, span=2, vmerge="restart"), cell("2.运维外包验收不严。", 3300), cell("三级", 700),
                      cell("三级", 700), cell("验收双人签字。", 3500)),
                  *category_rows("工作流程风险", [
                      ("1.账号开通流程不透明。", "Ⅱ", "Ⅱ", "开通流程公开。"), ("2.", "", "", ""), ("3.", "", "", "")],
                      widths=widths, cat_span=2),
                  *category_rows("制度机制风险", [
                      ("1.机房出入制度不健全。", "三级", "", "完善机房管理制度。"), ("2.", "", "", "")],
                      widths=widths, cat_span=2),
                  *category_rows("外部环境风险", [
                      ("1.厂商“围猎”。", "二级", "", "签订廉洁协议。"), ("2.", "", "", ""), ("3.", "", "", "")],
                      widths=widths, cat_span=2),
                  row(cell(["单位审", "核意见"], 1400, span=2),
                      cell(["          单位负责人签字：", "（盖章）", "     年   月   日"], 8200, span=4)),
                  row(cell("备注", 1400, span=2), cell(DEFAULT_REMARK, 8200, span=4)))
    body = [p("附件3", font="黑体"), p(""), p("岗位廉政风险防控登记表", jc="center"),
            "<w:p>" + runs("单位：信息化建设与管理中心") + "<w:r><w:tab/><w:tab/></w:r>" + runs("填表日期：2025.11.3") + "</w:p>",
            part1, PAGE_BREAK, part2, p("                                  责任人签字：")]
    expected = {
        "kind": "post", "year": 2025, "unit": "信息化建设与管理中心", "filled_on": "2025-11-03",
        "person": "张𠮷", "post": "网络安全管理员", "post_duties": "负责校园网安全运维。\n负责机房管理。",
        "integrity_duties": "落实“一岗双责”。",
        "risks": [
            risk("thought", "对网络安全责任认识不足。", 1, 1, "定期学习网络安全法规。"),
            risk("thought", "存在接受供应商礼品的隐患。", 2, None, "拒收礼品并登记。"),
            risk("duty", "设备采购参数设置倾向特定品牌。", 1, 2, "参数由专家论证。"),
            risk("duty", "运维外包验收不严。", 3, 3, "验收双人签字。"),
            risk("process", "账号开通流程不透明。", 2, 2, "开通流程公开。"),
            risk("system", "机房出入制度不健全。", 3, None, "完善机房管理制度。"),
            risk("external", "厂商“围猎”。", 2, None, "签订廉洁协议。"),
        ],
        "review_opinion": "", "remarks": "",
    }
    notes = ["风险类别“思想意识风险”是附件1的名称，读作“思想道德风险”",
             "风险类别“职责履行风险”是附件1的名称，读作“岗位职责风险”",
             "填表日期“2025.11.3”读作 2025-11-03", "年度取自填表日期：2025"]
    return "post-split.docx", docx("".join(body)), expected, [], notes


def blank_template():
    """The empty 附件2 exactly as issued (the seed notice)."""
    rows = [row(cell("主要负责人", 1300), cell("", 8300, span=4)),
            row(cell("单位职责", 1300), cell("", 8300, span=4)),
            row(cell("廉政职责", 1300), cell("", 8300, span=4)), *risk_header()]
    for name in ("思想道德风险", "岗位职责风险", "工作流程风险", "制度机制风险", "外部环境风险"):
        rows += category_rows(name, [("1.", "", "", ""), ("2.", "", "", ""), ("3.", "", "", "")])
    rows += [row(cell(["单位审", "核意见"], 1300),
                 cell(["          单位负责人签字：", "（盖章）", "                           年   月   日"], 8300, span=4)),
             row(cell(["分管校领导", "意见"], 1300),
                 cell(["              签字：", "                          年   月   日"], 8300, span=4)),
             row(cell("备注", 1300), cell(DEFAULT_REMARK, 8300, span=4))]
    body = [p("附件2"), p("单位廉政风险防控登记表", jc="center"),
            p(" 单位：                   填表日期：     年   月   日"), table(U5, *rows), p()]
    expected = {"kind": "unit", "year": 2025, "unit": "", "filled_on": None, "head": "", "unit_duties": "",
                "integrity_duties": "", "risks": [], "review_opinion": "", "leader_opinion": "", "remarks": ""}
    return "2025-blank-unit.docx", docx("".join(body)), expected, [], ["年度取自文件名：2025"]


T9 = [1200, 3000, 420, 420, 420, 420, 420, 420, 2980]  # 自评 and 审定 each split into 一级/二级/三级


def post_ticks():
    """附件3 where levels are ticked in 一级/二级/三级 sub-columns; one category left blank;
    the date left blank; names signed on the paper lines; a note added under the table."""
    def tick_row(point, self_tick, approved_tick, measures, first=None):
        cat = cell(first, 1200, vmerge="restart") if first else cell("", 1200, vmerge="continue")
        cells = [cat, cell(point, 3000)]
        for ticked in (self_tick, approved_tick):
            for level in (1, 2, 3):
                mark = ticked.get(level, "") if isinstance(ticked, dict) else ""
                cells.append(cell([f"<w:p>{mark}</w:p>"] if mark.startswith("<w:r") else mark, 420))
        cells.append(cell(measures, 2980))
        return row(*cells)

    def cat(name, rows):
        return [tick_row(*r, first=name if i == 0 else None) for i, r in enumerate(rows)]

    wing_check = sym("Wingdings 2", "F052")  # ☑ as Word's Insert Symbol writes it
    rows = [
        row(cell("责任人姓名", 1200), cell("王𠮷", 3000), cell("岗位职务", 1260, span=3),
            cell("基建处副处长", 4660, span=4, sdt=True)),
        row(cell("一岗双责", 1200, vmerge="restart"), cell("岗位职责", 3000), cell("负责工程项目管理。", 5920, span=7)),
        row(cell("", 1200, vmerge="continue"), cell("廉政职责", 3000), cell("对分管工程的廉洁风险负直接责任。", 5920, span=7)),
        row(cell("风险类别", 1200, vmerge="restart"), cell("具体风险点", 3000, vmerge="restart"),
            cell("风险等级", 2520, span=6), cell("防控措施", 2980, vmerge="restart")),
        row(cell("", 1200, vmerge="continue"), cell("", 3000, vmerge="continue"), cell("自评", 1260, span=3),
            cell("审定", 1260, span=3), cell("", 2980, vmerge="continue")),
        row(cell("", 1200, vmerge="continue"), cell("", 3000, vmerge="continue"),
            *(cell(name, 420) for name in ("一级", "二级", "三级") * 2), cell("", 2980, vmerge="continue")),
        *cat("思想道德风险", [("1.工程变更审批把关不严。", {1: "√"}, {2: wing_check}, "变更集体决策。"),
                          ("2.隐蔽工程验收走过场。", {2: "☑"}, {}, "旁站监理。"),
                          ("3.", {}, {}, "")]),
        *cat("岗位职责风险", [("1.招标文件量身定制。", {1: "√", 3: "√"}, {}, "招标文件专家审核。"),
                          ("2.", {}, {}, ""), ("3.", {}, {}, "")]),
        *cat("工作流程风险", [("1.进度款支付未按节点。", {3: "✓"}, {1: "很高"}, "按节点审核支付。"),
                          ("2.", {}, {}, ""), ("3.", {}, {}, "")]),
        *cat("制度机制风险", [("1.", {}, {}, ""), ("2.", {}, {}, ""), ("3.", {}, {}, "")]),
        *cat("外部环境风险", [("1.施工单位请托。", {3: "✓"}, {3: "✓"}, "拒绝请托并报告。"),
                          ("2.", {}, {}, ""), ("3.", {}, {}, "")]),
        row(cell("单位审核意见", 1200),
            cell(["同意。", "请进一步细化措施。", "", "          单位负责人签字：李四", "（盖章）", "        2025年11月20日"],
                 8900, span=8)),
        row(cell("备注", 1200), cell([DEFAULT_REMARK, "另附工程项目清单一份。"], 8900, span=8)),
    ]
    body = [p("附件3"), p("2025年度岗位廉政风险防控登记表", jc="center"), p("单位：基建处"),
            p("填表日期：    年   月   日", jc="right"), table(T9, *rows),
            p("                     责任人签字：王𠮷"), p("附：本表一式两份。")]
    expected = {
        "kind": "post", "year": 2025, "unit": "基建处", "filled_on": None, "person": "王𠮷", "post": "基建处副处长",
        "post_duties": "负责工程项目管理。", "integrity_duties": "对分管工程的廉洁风险负直接责任。",
        "risks": [
            risk("thought", "工程变更审批把关不严。", 1, 2, "变更集体决策。"),
            risk("thought", "隐蔽工程验收走过场。", 2, None, "旁站监理。"),
            risk("duty", "招标文件量身定制。", None, None, "招标文件专家审核。"),
            risk("process", "进度款支付未按节点。", 3, None, "按节点审核支付。"),
            risk("external", "施工单位请托。", 3, 3, "拒绝请托并报告。"),
        ],
        "review_opinion": "同意。\n请进一步细化措施。", "remarks": "另附工程项目清单一份。",
    }
    unplaced = ["一级、三级", "很高", "李四", "2025年11月20日", "王𠮷", "附：本表一式两份。"]
    notes = ["第 1 个表格第 10 行的自评“一级、三级”勾选了不止一个等级，已留空", "年度取自标题：2025"]
    return "post-ticks.docx", docx("".join(body)), expected, unplaced, notes


S8 = [900, 400, 500, 2900, 700, 700, 1800, 1700]  # borders dragged: eight grid columns


def unit_stretched():
    """附件2 whose columns were dragged (an irregular grid), rows stretched, a 序号 column
    added, levels as choice lists, labels spaced out, a date in Chinese numerals, and a
    row added under 备注."""
    def risk_row(first, number, point, s, a, m):
        c0 = cell(first, 900, vmerge="restart") if first else cell("", 900, vmerge="continue")
        return row(c0, cell(number, 400), cell(point, 3400, span=2), cell(s, 700), cell(a, 700),
                   cell(m, 3500, span=2), height=1200)

    rows = [
        row(cell("主 要 负 责 人", 1300, span=2), cell("李明", 8300, span=6), height=900, exact=True),
        row(cell("单位职责", 1300, span=2), cell("负责学校财务管理。", 8300, span=6)),
        row(cell("廉政职责", 1300, span=2), cell("落实财务廉政建设责任。", 8300, span=6)),
        row(cell("风险类别", 900, vmerge="restart"), cell("序号", 400, vmerge="restart"),
            cell("具体风险点", 3400, span=2, vmerge="restart"), cell("风险等级", 1400, span=2),
            cell("防控措施", 3500, span=2, vmerge="restart")),
        row(cell("", 900, vmerge="continue"), cell("", 400, vmerge="continue"), cell("", 3400, span=2, vmerge="continue"),
            cell("自评", 700), cell("审定", 700), cell("", 3500, span=2, vmerge="continue")),
        risk_row("思想道德风险", "1", "报销审核中“人情票”。", "☑一级 □二级 □三级", "□一级 ☑二级 □三级", "实行双人复核。"),
        risk_row(None, "2", "", "", "", ""),
        risk_row("岗位职责风险", "1", "大额资金支付审批不严。", "一级☑ 二级□ 三级□", "", "大额支付集体审批。"),
        risk_row(None, "2", "票据保管不规范。", "□一级 □二级 □三级", "", "票据专人保管。"),
        risk_row("工作流程风险", "1", "", "", "", ""),
        risk_row("制度机制风险", "1", "内控制度更新不及时。", "3", "3", "每年修订内控制度。"),
        risk_row("外部环境风险", "一", "银行等合作单位的利益输送。", "二", "", "合作银行公开比选。"),
        row(cell("单位审核意见", 1300, span=2), cell("", 8300, span=6), height=2400),
        row(cell("分管校领导意见", 1300, span=2), cell("", 8300, span=6)),
        row(cell("备　注", 1300, span=2), cell("", 8300, span=6)),
        row(cell("附件", 1300, span=2), cell("财务内控制度清单", 8300, span=6)),
    ]
    body = [p("附件2"), p("单位廉政风险防控登记表", jc="center"),
            p("单位:财务处      填表日期：二〇二五年十一月三日"), table(S8, *rows), p()]
    expected = {
        "kind": "unit", "year": 2025, "unit": "财务处", "filled_on": "2025-11-03", "head": "李明",
        "unit_duties": "负责学校财务管理。", "integrity_duties": "落实财务廉政建设责任。",
        "risks": [
            risk("thought", "报销审核中“人情票”。", 1, 2, "实行双人复核。"),
            risk("duty", "大额资金支付审批不严。", 1, None, "大额支付集体审批。"),
            risk("duty", "票据保管不规范。", None, None, "票据专人保管。"),
            risk("system", "内控制度更新不及时。", 3, 3, "每年修订内控制度。"),
            risk("external", "银行等合作单位的利益输送。", 2, None, "合作银行公开比选。"),
        ],
        "review_opinion": "", "leader_opinion": "", "remarks": "",
    }
    unplaced = ["附件", "财务内控制度清单"]
    notes = ["填表日期“二〇二五年十一月三日”读作 2025-11-03", "年度取自填表日期：2025"]
    return "unit-stretched.docx", docx("".join(body)), expected, unplaced, notes


FIXTURES = [unit_filled, post_split, blank_template, post_ticks, unit_stretched]


def write(name: str, data: bytes, expected: dict, unplaced: list[str], notes: list[str]) -> None:
    (HERE / name).write_bytes(data)
    record = {"form": expected, "unplaced": unplaced, "notes": notes}
    (HERE / name.replace(".docx", ".expected.json")).write_text(
        json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def libreoffice_fixture() -> None:
    """The program's own .docx of an example form, opened and re-saved by LibreOffice."""
    sys.path.insert(0, str(HERE.parents[2]))
    from lianzheng_desktop.domain.codec import form_from_json, form_to_json
    from lianzheng_desktop.exchange.docx import write_docx

    example = json.loads((HERE.parent / "examples" / "post-library-acquisitions.json").read_text(encoding="utf-8"))
    # what Word must keep exactly: an opinion whose own text has a line like the seal line,
    # a point that is itself numbered, tabs, edge spaces, a rare character, 备注
    example["review_opinion"] = "同意。\n（盖章）"
    example["remarks"] = "另附采购清单。"
    example["person"] = "林𠮷"
    example["risks"][0]["point"] = "2、 选书时倾向熟悉的供应商"
    example["risks"][0]["measures"] = "\t书商公开招标。 "
    form, _ = form_from_json(example)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in" / "lo-roundtrip.docx"
        source.parent.mkdir()
        source.write_bytes(write_docx(form))
        subprocess.run(["libreoffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                        "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(source)],
                       check=True, capture_output=True, timeout=300)
        data = (Path(tmp) / "lo-roundtrip.docx").read_bytes()
    expected = form_to_json(form)
    write("lo-roundtrip.docx", data, expected, [], ["这是本程序导出的 Word 文件，沿用其中记录的表格编号"])


if __name__ == "__main__":
    for make in FIXTURES:
        write(*make())
    if "--no-libreoffice" not in sys.argv:
        libreoffice_fixture()
    print("written:", ", ".join(sorted(x.name for x in HERE.glob("*.docx"))))
