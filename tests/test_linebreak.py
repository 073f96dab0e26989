"""Chinese line breaking: 禁则 and unbroken Latin words, as a typesetter expects."""

from hypothesis import given, settings
from hypothesis import strategies as st

from lianzheng_desktop.render.linebreak import CANNOT_END, CANNOT_START, break_lines


def width(text):  # full-width characters are two units, others one
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def test_closing_punctuation_never_starts_a_line():
    lines = break_lines("一二三四五六七八九，十一二三四五六七八九。", 18, width)
    assert all(line[0] not in CANNOT_START for line in lines if line)
    assert "".join(lines) == "一二三四五六七八九，十一二三四五六七八九。"


def test_opening_punctuation_never_ends_a_line():
    lines = break_lines("一二三四五六七八“围猎”九十", 18, width)
    assert all(line[-1] not in CANNOT_END for line in lines if line)


def test_latin_words_and_numbers_stay_whole():
    lines = break_lines("验收由不少于3人的小组于2026-11-20按ISO9001核对", 20, width)
    assert any("2026-11-20" in line for line in lines)
    assert any("ISO9001" in line for line in lines)


def test_line_breaks_in_the_text_are_kept():
    assert break_lines("第一行\n\n第三行", 100, width) == ["第一行", "", "第三行"]


def test_a_word_longer_than_the_line_is_split_as_a_last_resort():
    lines = break_lines("x" * 50, 20, width)
    assert all(width(line) <= 20 for line in lines) and "".join(lines) == "x" * 50


HAN = st.sampled_from(list("廉政风险防控登记表思想道德岗位职责工作流程"))
# Sentences as people write them: a closing mark after a character, an opening mark
# before one, Latin words and numbers between.
TOKEN = st.one_of(
    HAN,
    st.tuples(HAN, st.sampled_from(list("，。、；：？！）」』】》”"))).map("".join),
    st.tuples(st.sampled_from(list("（「『【《“")), HAN).map("".join),
    st.sampled_from(["ISO", "2026", "A&B", "3.5%"]),
)


@settings(max_examples=300)
@given(st.lists(TOKEN, max_size=60).map("".join), st.integers(8, 40))
def test_rules_hold_for_any_sentence(text, max_width):
    lines = break_lines(text, max_width, width)
    assert "".join(lines) == text
    assert all(width(line) <= max_width for line in lines)
    assert all(line[0] not in CANNOT_START for line in lines[1:] if line)
    assert all(line[-1] not in CANNOT_END for line in lines[:-1] if line)
