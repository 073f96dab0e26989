"""The printed forms still look like the reviewed reference pictures in tests/golden/."""

import pytest
from golden import CASES, DPI, MAX_CHANGED, changed_share, golden_paths
from pdfcheck import render_pages
from PIL import Image


@pytest.mark.parametrize("name", list(CASES))
def test_pages_match_the_goldens(name):
    expected = golden_paths(name)
    assert expected, f"no golden for {name}: run python tests/golden.py --update"
    pages = render_pages(CASES[name](), DPI)
    assert len(pages) == len(expected), f"{name}: {len(pages)} pages, golden has {len(expected)}"
    for path, page in zip(expected, pages):
        share = changed_share(Image.open(path).convert("L"), page)
        assert share <= MAX_CHANGED, f"{path.name}: {share:.2%} of the pixels differ"


def test_a_changed_form_is_caught():
    """The comparison is sensitive enough to see one changed word."""
    from lianzheng_desktop.domain.model import Form
    from lianzheng_desktop.render import render_form

    page = render_pages(render_form(Form(kind="unit", year=2026, unit="图书馆", head="周文渊")), DPI)[0]
    other = render_pages(render_form(Form(kind="unit", year=2026, unit="图书馆", head="周文")), DPI)[0]
    assert changed_share(page, other) > MAX_CHANGED
    assert changed_share(page, page) == 0
