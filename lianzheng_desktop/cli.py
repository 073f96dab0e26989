"""The ``lianzheng`` command. Run bare, it starts the desktop program.

Messages go to stderr, data to files. Heavy modules (Qt, reportlab) are imported only by
the subcommands that need them, so ``check`` and ``--help`` start fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lianzheng_desktop import __version__

# argparse words its own messages in English through gettext; these are the ones a
# user of this command can meet, in Chinese.
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个值",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
}
argparse._ = lambda text: _ARGPARSE_ZH.get(text, text)  # type: ignore[attr-defined]


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _db_path(args) -> Path:
    from lianzheng_desktop.paths import default_db_path

    return Path(args.db) if args.db else default_db_path()


def _report_problems(name: str, problems) -> None:
    for p in problems:
        tag = "错误" if p.is_error else "提醒"
        _say(f"{name}：{tag}：{p.message}")


def _read(name: str, *, refusal: str = "错误", warnings: bool = False):
    """One form file, its problems reported; None when it can't be accepted."""
    from lianzheng_desktop.exchange.formfile import FileRejected, read_forms_file

    try:
        result = read_forms_file(Path(name))
    except FileRejected as exc:
        _say(f"{name}：{refusal}：{exc}")
        return None
    _report_problems(name, [p for p in result.problems if p.is_error or warnings])
    return result if result.ok else None


def _write(out: Path, data: bytes) -> int:
    """Write a whole output file (never half of one); 0, or 2 with the reason said."""
    from lianzheng_desktop.exchange.formfile import write_bytes_atomic

    try:
        write_bytes_atomic(out, data)
    except OSError as exc:
        _say(f"错误：无法写入 {out}：{exc.strerror or exc}")
        return 2
    return 0


def cmd_check(args) -> int:
    bad = 0
    for name in args.files:
        result = _read(name, warnings=args.warnings)
        if result is None:
            bad += 1
        else:
            _say(f"{name}：通过（{len(result.forms)} 张表格）")
    return 1 if bad else 0


def cmd_import(args) -> int:
    from lianzheng_desktop.store import FormStore, StoreError

    try:
        store = FormStore.open(_db_path(args))
    except StoreError as exc:
        _say(f"错误：{exc}")
        return 2
    refused = 0
    try:
        for name in args.files:
            result = _read(name, refusal="未导入")
            if result is None:
                _say(f"{name}：未导入（整个文件都没有写入）")
                refused += 1
                continue
            try:
                saved = store.save_all(result.forms, note=f"导入 {Path(name).name}")
            except StoreError as exc:
                _say(f"{name}：未导入：{exc}")
                refused += 1
                continue
            new = sum(r.created for r in saved)
            changed = sum(r.changed and not r.created for r in saved)
            same = len(saved) - new - changed
            _say(f"{name}：已导入 {len(saved)} 张表格（新增 {new}，更新 {changed}，未变 {same}）")
    finally:
        store.close()
    return 1 if refused else 0


def cmd_export(args) -> int:
    from lianzheng_desktop.domain.codec import dumps_forms
    from lianzheng_desktop.store import FormStore, StoreError

    try:
        store = FormStore.open(_db_path(args))
        forms = store.forms(year=args.year, unit=args.unit)
        store.close()
    except StoreError as exc:
        _say(f"错误：{exc}")
        return 2
    if (code := _write(Path(args.output), dumps_forms(forms).encode("utf-8"))) == 0:
        _say(f"已导出 {len(forms)} 张表格到 {args.output}")
    return code


def cmd_render(args) -> int:
    results = [_read(name) for name in args.files]
    if None in results:
        _say("有文件不符合格式，没有生成 PDF")
        return 1
    forms = [form for result in results for form in result.forms]
    if not forms:
        _say("文件里没有表格，没有生成 PDF")
        return 1
    from lianzheng_desktop.render import render_forms

    if (code := _write(Path(args.output), render_forms(forms))) == 0:
        _say(f"已生成 {args.output}（{len(forms)} 张表格）")
    return code


def cmd_blank(args) -> int:
    from lianzheng_desktop.render import render_blank

    if (code := _write(Path(args.output), render_blank(args.kind))) == 0:
        _say(f"已生成空白表 {args.output}")
    return code


def cmd_gui(args) -> int:
    from lianzheng_desktop.ui.app import run

    return run(_db_path(args))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lianzheng",
        description="廉政风险防控登记：填写、打印和报送两种廉政风险防控登记表（附件2、附件3）。"
                    "不带参数运行时启动桌面程序。",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help="显示版本号并退出")
    parser.add_argument("--db", metavar="数据库", help="数据库文件（默认：环境变量 LIANZHENG_DB，"
                        "否则为用户数据文件夹中的 lianzheng.db）")
    sub = parser.add_subparsers(dest="command", title="子命令", metavar="子命令",
                               help="“lianzheng 子命令 --help”显示该子命令的用法")

    def add(name: str, help: str, func) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        # --db is accepted after the subcommand too, as users tend to write it there.
        if name not in ("check", "render", "blank"):
            p.add_argument("--db", metavar="数据库", default=argparse.SUPPRESS,
                           help="数据库文件（同上）")
        return p

    p = add("check", "检查登记表数据文件（.json）是否符合格式规范", cmd_check)
    p.add_argument("files", nargs="+", metavar="文件", help="要检查的数据文件")
    p.add_argument("-w", "--warnings", action="store_true", help="同时列出提醒（草稿中尚未填完的地方）")

    p = add("import", "把数据文件中的表格存入数据库（每个文件要么整体导入，要么完全不导入）", cmd_import)
    p.add_argument("files", nargs="+", metavar="文件", help="要导入的数据文件")

    p = add("export", "把数据库中的表格导出为 JSON 数据文件", cmd_export)
    p.add_argument("--year", type=int, metavar="年度", help="只导出这一年度")
    p.add_argument("--unit", metavar="单位", help="只导出这个单位")
    p.add_argument("-o", "--output", required=True, metavar="输出文件", help="写入的 .json 文件")
    p = add("render", "把数据文件中的表格排成可打印的 PDF（每张表格从新的一页开始）", cmd_render)
    p.add_argument("files", nargs="+", metavar="文件", help="数据文件（一张表格或表格数组）")
    p.add_argument("-o", "--output", required=True, metavar="输出文件", help="写入的 .pdf 文件")

    p = add("blank", "生成空白的官方登记表 PDF，供手工填写", cmd_blank)
    p.add_argument("kind", choices=["unit", "post"], metavar="种类",
                   help="unit = 附件2 单位登记表，post = 附件3 岗位登记表")
    p.add_argument("-o", "--output", required=True, metavar="输出文件", help="写入的 .pdf 文件")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not hasattr(args, "db"):
        args.db = None
    if args.command is None:
        return cmd_gui(args)
    return args.func(args)
