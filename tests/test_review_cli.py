"""`lianzheng review …`: the review loop scripted without a window."""

import pytest
from review_loop import UNIT, YEAR, make_loop

from lianzheng_desktop.cli import main
from lianzheng_desktop.domain.naming import point_numbers


@pytest.fixture
def run(capsys):
    def run(*args) -> tuple[int, str]:
        code = main([str(a) for a in args])
        return code, capsys.readouterr().err
    return run


def test_the_review_loop_on_the_command_line(tmp_path, run):
    loop = make_loop(tmp_path)
    c, u = loop.committee_db, loop.unit_db
    where = ("--unit", UNIT, "--year", YEAR, "--db", c, "--reviewer", "王审核")
    code, said = run("review", "show", "--unit", UNIT, "--year", YEAR, "--db", c)
    assert code == 0 and "尚未审核" in said
    store = loop.committee()
    unit_form, first, second = store.forms(year=YEAR)
    unit_numbers, post_numbers = point_numbers(unit_form), point_numbers(second)
    store.close()
    assert f"{UNIT}-{YEAR}-" in said and unit_numbers[unit_form.risks[0].id] in said

    for number, level in ((unit_numbers[unit_form.risks[0].id], 1), (unit_numbers[unit_form.risks[1].id], 2)):
        assert run("review", "set", *where, "--form", "单位登记表", "--point", number, "--level", level)[0] == 0
    assert run("review", "set", *where, "--form", first.person, "--point", first.risks[0].id, "--level", 3)[0] == 0
    code, said = run("review", "set", *where, "--form", second.person, "--point",
                     post_numbers[second.risks[0].id], "--comment", "请写明检查的频次")
    assert code == 0 and "已记录 1 项审核意见" in said
    code, said = run("review", "set", *where, "--form", second.person, "--decision", "return")
    assert code == 0
    code, said = run("review", "export", *where, "-o", loop.post)
    assert code == 1 and "退回修改，但没有写退回原因" in said
    assert run("review", "set", *where, "--form", second.person, "--reason", "措施不具体")[0] == 0
    code, said = run("review", "set", *where, "--form", "单位登记表", "--point", "不存在-01", "--level", 1)
    assert code == 1 and "没有风险点“不存在-01”" in said
    code, said = run("review", "export", *where, "-o", loop.post)
    assert code == 0 and "已写出第 1 轮审核意见" in said
    review = loop.post / f"{YEAR}_{UNIT}_校纪委审核意见_第1轮.lzsh"

    code, said = run("review", "apply", review, "--db", u)
    assert code == 0 and "审定 3 个风险点，意见 1 条" in said and "措施不具体" in said and "请写明检查的频次" in said
    code, said = run("review", "apply", review, "--db", u)
    assert code == 0 and "已经应用过，没有变化" in said
    (tmp_path / "bad.lzsh").write_bytes(review.read_bytes()[:-30])
    code, said = run("review", "apply", tmp_path / "bad.lzsh", "--db", u)
    assert code == 1 and "审核意见文件已损坏" in said

    store = loop.unit()
    form = store.get(second.id)
    form.risks[0].measures = "每季度检查一次"
    store.save(form)
    store.close()
    loop.send("package-2.lzfk")
    code, said = run("review", "show", "--unit", UNIT, "--year", YEAR, "--db", c)
    assert code == 0 and "与审核时相比有 1 处风险点变化" in said
    assert f"{post_numbers[second.risks[0].id]}：修改（防控措施）" in said
    code, said = run("review", "close", *where)
    assert code == 0 and "第 1 轮审核已结束，已查看单位重新报送的 1 处变化" in said
