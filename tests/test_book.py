"""The bound volume (汇编): cover, 目录, bookmarks, odd-page starts, the forms' own pages."""

import io
import re
from itertools import pairwise

from pdfcheck import page_texts, squash
from pypdf import PdfReader

from lianzheng_desktop.cli import main
from lianzheng_desktop.domain.codec import dumps_forms
from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.domain.verification import verification_code
from lianzheng_desktop.render import render_book, render_form

FOLIO = re.compile(r"—(\d+)—")


def _outline(data: bytes) -> list[tuple[int, str, int]]:
    reader = PdfReader(io.BytesIO(data))
    out = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return out


def _without_running_head(text: str, title: str = "图书馆2026年度廉政风险防控登记表汇编") -> str:
    return FOLIO.sub("", squash(text).replace(title, ""), count=1)


def test_a_units_volume_has_cover_contents_bookmarks_and_the_forms_own_pages():
    forms = demo_forms(posts=4)
    data = render_book(forms)
    pages = page_texts(data)
    cover = squash(pages[0])
    assert "图书馆" in cover and "2026年度" in cover and "廉政风险防控登记表汇编" in cover
    assert "单位登记表1张" in cover and "岗位登记表4张" in cover and f"共{len(pages)}页" in cover
    contents = squash(pages[1])
    assert contents.count("岗位廉政风险防控登记表") == 4
    outline = _outline(data)
    assert [t for _, t, _ in outline][:2] == ["封面", "目录"]
    starts = [page for _, _, page in outline[2:]]
    assert len(starts) == 5
    for form, start, entry in zip(forms, starts, outline[2:]):
        # 目录 names the page the bookmark points at, and the form starts there
        assert re.search(re.escape(squash(entry[1])) + r"·*" + str(start), contents)
        single = page_texts(render_form(form))
        for offset, text in enumerate(single):
            printed = pages[start - 1 + offset]
            assert _without_running_head(printed) == squash(text)  # the very same page
            assert f"—{start + offset}—" in squash(printed)  # the volume's own number, apart
        assert verification_code(form) in squash(pages[start - 1])
        if form.kind == "post":
            assert form.person in squash(pages[start - 1])


def test_double_sided_volumes_start_every_form_on_an_odd_page():
    forms = demo_forms(posts=5)
    data = render_book(forms, duplex=True)
    pages = page_texts(data)
    starts = [page for _, _, page in _outline(data)[2:]]
    assert all(p % 2 == 1 for p in starts), starts
    assert squash(pages[1]) == ""  # the back of the cover
    assert len(pages) % 2 == 0 or len(pages) == starts[-1] + len(page_texts(render_form(forms[-1]))) - 1
    for start, following in pairwise(starts):
        if following - start > len(page_texts(render_form(forms[starts.index(start)]))):
            assert squash(pages[following - 2]) == ""  # a blank back, not a form page


def test_the_committees_volume_follows_the_unit_list():
    forms = demo_forms("图书馆", posts=1) + demo_forms("财务处", posts=2) + demo_forms("教务处", posts=1)
    data = render_book(forms, unit_order=["教务处", "财务处", "图书馆"])
    outline = _outline(data)
    units = [t for depth, t, _ in outline if depth == 0][2:]
    assert units == ["教务处", "财务处", "图书馆"]
    assert [t for depth, t, _ in outline if depth == 1][0] == "单位廉政风险防控登记表"
    assert "全校各单位（3个）" in squash(page_texts(data)[0])


def test_cli_renders_a_volume(tmp_path, capsys):
    source = tmp_path / "forms.json"
    source.write_text(dumps_forms(demo_forms("财务处", posts=2) + demo_forms(posts=1)), encoding="utf-8")
    units = tmp_path / "units.txt"
    units.write_text("单位名称\n图书馆\n财务处\n", encoding="utf-8")
    out = tmp_path / "book.pdf"
    assert main(["render", "--book", "--duplex", "--units", str(units), str(source), "-o", str(out)]) == 0
    assert "已生成汇编" in capsys.readouterr().err
    outline = _outline(out.read_bytes())
    assert [t for depth, t, _ in outline if depth == 0][2:] == ["图书馆", "财务处"]
    assert all(page % 2 == 1 for _, _, page in outline[2:])
