"""The ``lianzheng`` command. Run bare, it starts the desktop program.

Messages go to stderr, data to files. Heavy modules (Qt, reportlab) are imported only by
the subcommands that need them, so ``check`` and ``--help`` start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
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


LOCK_WAIT = 10.0  # another command finishes in seconds; the desktop program holds on for hours


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _year(text: str) -> int:
    """A --year value: an integer in the contract's range (checked before any work)."""
    from lianzheng_desktop.domain.definitions import definitions

    d = definitions()
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"年度“{text[:20]}”不是整数（应在 {d.year_min} 到 {d.year_max} 之间）") from None
    if not d.year_min <= value <= d.year_max:
        raise argparse.ArgumentTypeError(f"年度 {text[:24]} 超出范围：应在 {d.year_min} 到 {d.year_max} 之间")
    return value


def _output_problem(text: str, *, folder_ok: bool) -> str | None:
    """Why an -o value can't be written, before any work: a folder that does not exist is
    named (never written as a file of that name)."""
    path = Path(text)
    if text.endswith(("/", os.sep)) and not path.is_dir():
        return f"错误：文件夹 {text} 不存在，没有写入（请先建好这个文件夹，或给出文件名）"
    if path.is_dir():
        return None if folder_ok else f"错误：{text} 是一个文件夹，请给出要写入的文件名"
    if not path.parent.is_dir():
        return f"错误：文件夹 {path.parent} 不存在，没有写入 {path.name}"
    return None


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


def _cannot_write(exc: OSError, target: object = None) -> int:
    """Say why an output could not be written; the exit code 2."""
    where = f" {target}" if target else ""
    _say(f"错误：无法写入{where}：{exc.strerror or exc}")
    return 2


def _write(out: Path, data: bytes) -> int:
    """Write a whole output file (never half of one); 0, or 2 with the reason said."""
    from lianzheng_desktop.exchange.formfile import write_bytes_atomic

    try:
        write_bytes_atomic(out, data)
    except OSError as exc:
        return _cannot_write(exc, out)
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


class _NoStore(Exception):
    """The database could not be opened (the reason has been said); exit code 2."""


@contextmanager
def _store(args, *, write: bool):
    """The database for a command: one that changes data takes the desktop program's
    writer lock first, and refuses (naming who holds it) while the program has it open."""
    from lianzheng_desktop.store import StoreError, open_session
    from lianzheng_desktop.store.errors import DatabaseInUse

    try:
        session = open_session(_db_path(args), read_only=not write, wait=args.wait)
    except DatabaseInUse as exc:
        _say(f"错误：{exc}请先关闭使用它的桌面程序，再运行这个命令。")
        raise _NoStore from None
    except StoreError as exc:
        _say(f"错误：{exc}")
        raise _NoStore from None
    with session:
        yield session.store


def _confirmed(question: str, flag: bool, flag_name: str) -> bool:
    """A decision the command line takes from its flag, or asks at a terminal."""
    if flag:
        return True
    _say(question)
    if sys.stdin.isatty():
        print("确认吗？输入 y 确认，其他任意键取消：", end="", file=sys.stderr, flush=True)
        return sys.stdin.readline().strip().lower() in ("y", "yes", "是")
    _say(f"（需要确认：核对无误后，加上 {flag_name} 再运行这个命令）")
    return False


def _import_package(store, path: Path, name: str, args) -> bool:
    from lianzheng_desktop.operations.committee import apply_package, declined, plan_package

    planned = plan_package(store, path)
    if planned.needs_key_decision:
        if not _confirmed(f"{name}：{planned.key_question()}", args.accept_new_key, "--accept-new-key"):
            _say(f"{name}：未导入（签名密钥变了，没有确认接受新密钥）")
            return False
        planned.accept_new_key()
    if planned.needs_confirmation and not _confirmed(f"{name}：{planned.question()}", args.yes, "--yes"):
        _say(declined(planned).message.replace(path.name, name, 1))
        return False
    done = apply_package(store, planned)
    _say(done.message.replace(path.name, name, 1))
    if done.ok and done.status == "supersedes":
        _say("变化：")
        for line in done.diff_lines or ["（表格内容没有变化）"]:
            _say(f"  {line}")
    return done.ok


def _is_word(path: Path) -> bool:
    from lianzheng_desktop.operations.word import DOCX, OLD_FORMATS

    return path.is_dir() or path.suffix.lower() in (DOCX, *OLD_FORMATS)


def _import_word(store, paths: list[Path], args) -> int:
    """Word files (folders searched through): each file's report, then its forms into the
    year (a unit's database) or entered for the unit (the committee's). Returns how many
    files were not imported."""
    from lianzheng_desktop.operations import word
    from lianzheng_desktop.store import StoreError

    files = word.read_word_files(paths, year=args.year)
    if not files:
        _say("、".join(str(p) for p in paths) + "：没有找到 Word 文件（.docx）")
        return 1
    refused = 0
    for wf in files:
        for line in wf.report():
            _say(line)
        if not wf.ok:
            refused += 1
        elif wf.unplaced and args.accept_unplaced:
            _say(f"{wf.name}：已舍弃 {wf.discard_rest()} 处没有放入表格的文字（--accept-unplaced）")
    for batch in word.batches(store, files, unit=args.unit, committee=args.committee or None):
        left = [wf for wf in batch.files if wf.unplaced]
        batch.drop(left, "")
        for wf in left:
            _say(f"{wf.name}：未导入：有 {len(wf.unplaced)} 处文字没有放入表格。请在桌面程序中用“导入Word”逐条放入或"
                 "舍弃，或核对上面列出的文字后加上 --accept-unplaced 舍弃它们再导入")
        refused += len(left)
        if not batch.files:
            continue
        if batch.refusal:
            refused += len(batch.files)
            _say("、".join(wf.name for wf in batch.files) + f"：未导入：{batch.refusal}")
            continue
        others = batch.other_unit_files()
        if others and not _confirmed(batch.other_unit_question(), args.yes, "--yes"):
            batch.drop(others, "")
            refused += len(others)
            _say("、".join(wf.name for wf in others) + "：未导入（单位名称不同）")
            if not batch.files:
                continue
        batch.plan(store)
        replaced = batch.replacements()
        if replaced and not _confirmed(f"{batch.year} 年度已有这些表格，导入将替换它们：\n  " + "\n  ".join(replaced),
                                       args.yes, "--yes"):
            batch.skip_replacements()
        try:
            result = batch.save(store)
        except StoreError as exc:
            refused += len(batch.files)
            _say("、".join(wf.name for wf in batch.files) + f"：未导入：{exc}")
            continue
        for line in result.lines:
            _say(line)
        _say(result.message)
        refused += result.skipped
    return refused


def cmd_import(args) -> int:
    from lianzheng_desktop.exchange.package import SUFFIX
    from lianzheng_desktop.operations.files import import_form_file

    refused = 0
    with _store(args, write=True) as store:
        words = [Path(name) for name in args.files if _is_word(Path(name))]
        for name in args.files:
            path = Path(name)
            if _is_word(path):
                continue
            if path.suffix.lower() == SUFFIX:
                refused += not _import_package(store, path, name, args)
                continue
            imported = import_form_file(store, path)
            _report_problems(name, [p for p in imported.problems or [] if p.is_error])
            _say(imported.message.replace(path.name, name, 1))
            refused += not imported.ok
        if words:
            refused += _import_word(store, words, args)
    return 1 if refused else 0


def cmd_undo_supersede(args) -> int:
    from lianzheng_desktop.operations.committee import plan_undo, undo_last_supersede, undo_question
    from lianzheng_desktop.store import StoreError

    with _store(args, write=True) as store:
        try:
            undo = plan_undo(store, args.unit, args.year)
            if not _confirmed(undo_question(undo), args.yes, "--yes"):
                _say("没有撤销")
                return 1
            _say(undo_last_supersede(store, args.unit, args.year).message)
        except StoreError as exc:
            _say(f"错误：{exc}")
            return 1
    return 0


def cmd_export(args) -> int:
    from lianzheng_desktop.exchange.package import SUFFIX
    from lianzheng_desktop.operations.files import export_forms_file

    out = Path(args.output)
    if out.suffix.lower() == SUFFIX or out.is_dir():
        return _export_package(args, out)
    with _store(args, write=False) as store:
        try:
            count = export_forms_file(store, out, year=args.year, unit=args.unit)
        except OSError as exc:
            return _cannot_write(exc, out)
    _say(f"已导出 {count} 张表格到 {args.output}")
    return 0


def _export_package(args, out: Path) -> int:
    """One unit and year as a data package, after the cross-form check."""
    from lianzheng_desktop.operations.sending import check_export, export_package

    with _store(args, write=True) as store:
        check = check_export(store, args.year, args.unit)
        if not check.forms:
            _say("没有符合条件的表格，没有导出")
            return 1
        for p in check.problems:
            _say(("错误：" if p.is_error else "提醒：") + p.message)
        if not check.allowed:
            _say("有错误，没有导出数据包（一个数据包只含一个单位、一个年度：请用 --unit 和 --year 选择；"
                 "数据包加密给校纪委，须先用 lianzheng settings import 导入校纪委的报送设置）")
            return 1
        try:
            exported = export_package(store, check, out, with_pdf=args.with_pdf, archive_copy=args.archive_copy)
        except OSError as exc:
            return _cannot_write(exc, out)
    _say(exported.message)
    return 0


def cmd_summary(args) -> int:
    from lianzheng_desktop.operations.committee import export_summary

    with _store(args, write=False) as store:
        try:
            written = export_summary(store, Path(args.output), args.year)
        except OSError as exc:
            return _cannot_write(exc, args.output)
    _say(written.message)
    return 0


def cmd_remind(args) -> int:
    """The 催报 list (printed; with -o saved as .txt or .xlsx and logged), or --status."""
    from lianzheng_desktop.operations import reminding
    from lianzheng_desktop.operations.reporting import set_deadline
    from lianzheng_desktop.store import StoreError

    with _store(args, write=bool(args.output or args.set_deadline)) as store:
        if args.set_deadline:
            try:
                set_deadline(store, args.year, None if args.set_deadline == "none" else args.set_deadline)
            except StoreError as exc:
                _say(f"错误：{exc}")
                return 1
            _say(f"{args.year} 年度截止日期：{args.set_deadline if args.set_deadline != 'none' else '已清除'}")
        if args.status:
            s = reminding.standings(store, args.year)
            _say(s.line)
            _say(s.deadline_line)
            for row in s.rows:
                _say(f"{row.unit}\t{row.word}\t表格 {row.report.forms}\t风险点 {row.report.points}\t"
                     + ("不完整" if row.report.incomplete else "完整" if row.report.packages else "")
                     + (f"\t已催报 {row.reminded} 次" if row.reminded else ""))
            return 0
        found = reminding.reminder_list(store, args.year)
        if not args.output:
            print(found.text())
            return 0
        out = Path(args.output)
        try:
            save = reminding.save_reminder_excel if out.suffix.lower() == ".xlsx" else reminding.save_reminder_text
            sent = save(store, found, out)
        except StoreError as exc:
            _say(str(exc))
            return 1
        except OSError as exc:
            return _cannot_write(exc, out)
    _say(sent.message)
    return 0


def cmd_assess(args) -> int:
    from lianzheng_desktop.operations.assessment import print_assessment

    with _store(args, write=False) as store:
        try:
            done = print_assessment(store, args.year, Path(args.output), args.unit or None)
        except ValueError as exc:
            _say(f"错误：{exc}")
            return 1
        except OSError as exc:
            return _cannot_write(exc, args.output)
    _say(done.message)
    return 0


def cmd_quality(args) -> int:
    from lianzheng_desktop.operations.quality import export_quality

    with _store(args, write=False) as store:
        years = store.years()
        year = args.year or (years[-1] if years else None)
        if year is None:
            _say("错误：数据库中还没有表格")
            return 2
        try:
            written = export_quality(store, Path(args.output), year)
        except OSError as exc:
            return _cannot_write(exc, args.output)
    _say(written.message)
    return 0


def cmd_compare(args) -> int:
    from lianzheng_desktop.operations.comparing import UnknownUnit, compare_units, report_lines

    previous = args.previous if args.previous is not None else args.year - 1
    if previous == args.year:
        _say(f"错误：--with 应当是另一个年度（现在两个都是 {args.year}）")
        return 2
    with _store(args, write=False) as store:
        try:
            comparisons = compare_units(store, args.year, previous, args.unit)
        except UnknownUnit as exc:
            _say(f"错误：{exc}")
            return 1
    print("\n".join(report_lines(comparisons, args.year, previous)))
    return 0


def cmd_receipt(args) -> int:
    from lianzheng_desktop.operations.committee import write_receipt
    from lianzheng_desktop.operations.keys import KeyRefused
    from lianzheng_desktop.store import StoreError

    with _store(args, write=False) as store:
        try:
            path = write_receipt(store, args.unit, args.year, Path(args.output))
        except (StoreError, KeyRefused) as exc:
            _say(str(exc))
            return 1
        except OSError as exc:
            return _cannot_write(exc, args.output)
    _say(f"已生成回执 {path}")
    return 0


def cmd_confirm(args) -> int:
    from lianzheng_desktop.exchange.receipt import ReceiptRejected
    from lianzheng_desktop.operations.sending import confirm_receipt
    from lianzheng_desktop.store import StoreError

    with _store(args, write=True) as store:
        try:
            confirmed = confirm_receipt(store, Path(args.file))
        except (ReceiptRejected, StoreError) as exc:
            _say(f"{args.file}：{exc}")
            return 1
    _say(confirmed.message)
    return 0


def cmd_verify(args) -> int:
    from lianzheng_desktop.operations.verifying import INVALID, verify_code

    with _store(args, write=False) as store:
        verdict = verify_code(store, args.code)
    _say(verdict.message)
    return 0 if verdict.ok else 2 if verdict.outcome == INVALID else 1


def cmd_render(args) -> int:
    results = [_read(name) for name in args.files]
    if None in results:
        _say("有文件不符合格式，没有生成 PDF")
        return 1
    forms = [form for result in results for form in result.forms]
    if not forms:
        _say("文件里没有表格，没有生成 PDF")
        return 1
    if not args.book:
        from lianzheng_desktop.render import render_forms

        if (code := _write(Path(args.output), render_forms(forms))) == 0:
            _say(f"已生成 {args.output}（{len(forms)} 张表格）")
        return code
    order = None
    if args.units:
        from lianzheng_desktop.exchange.unitlist import UnitListRejected, read_unit_list

        try:
            order = read_unit_list(Path(args.units))
        except UnitListRejected as exc:
            _say(f"{args.units}：{exc}")
            return 1
    from lianzheng_desktop.render import render_book

    if (code := _write(Path(args.output), render_book(forms, duplex=args.duplex, unit_order=order))) == 0:
        _say(f"已生成汇编 {args.output}（{len(forms)} 张表格）")
    return code


def cmd_blank(args) -> int:
    from lianzheng_desktop.render import render_blank

    if (code := _write(Path(args.output), render_blank(args.kind))) == 0:
        _say(f"已生成空白表 {args.output}")
    return code


def cmd_docx(args) -> int:
    """Forms from data files written as Word documents, one per form."""
    from lianzheng_desktop.operations.word import DOCX, export_word, word_paths

    results = [_read(name) for name in args.files]
    if None in results:
        _say("有文件不符合格式，没有生成 Word 文件")
        return 1
    forms = [form for result in results for form in result.forms]
    if not forms:
        _say("文件里没有表格，没有生成 Word 文件")
        return 1
    out = Path(args.output)
    if out.suffix.lower() == DOCX and not out.is_dir():
        if len(forms) > 1:
            _say(f"错误：有 {len(forms)} 张表格，每张一个 Word 文件：请用 -o 给出一个文件夹")
            return 2
        paths = [out]
    elif out.is_dir():
        paths = word_paths(forms, out)
    else:
        _say(f"错误：文件夹 {out} 不存在，没有写入（请先建好这个文件夹）")
        return 2
    try:
        written = export_word(forms, paths)
    except OSError as exc:
        return _cannot_write(exc)
    for path in written:
        _say(f"已生成 {path}")
    _say(f"共 {len(written)} 个 Word 文件")
    return 0


def cmd_demo(args) -> int:
    from lianzheng_desktop.operations.demo import DemoRefused, write_demo

    with _store(args, write=True) as store:
        try:
            written = write_demo(store, args.unit, args.year, args.posts)
        except DemoRefused as exc:
            _say(f"错误：{exc}")
            return 1
    _say(written.message.replace(str(written.path), str(_db_path(args)), 1))
    return 0


def _passphrase(args, *, twice: bool) -> str | None:
    """The key file's passphrase: from LIANZHENG_PASSPHRASE (scripts), or typed at a
    terminal (twice when a file is being made); None after saying why not."""
    import getpass

    if os.environ.get("LIANZHENG_PASSPHRASE"):
        return os.environ["LIANZHENG_PASSPHRASE"]
    if not sys.stdin.isatty():
        _say("错误：需要口令：请在终端里运行（会提示输入口令），或用环境变量 LIANZHENG_PASSPHRASE 给出")
        return None
    first = getpass.getpass("口令：")
    if twice and getpass.getpass("再输入一次口令：") != first:
        _say("错误：两次输入的口令不一致")
        return None
    return first


def cmd_keys(args) -> int:
    from lianzheng_desktop.exchange.keyfile import KeyFileRejected
    from lianzheng_desktop.operations import keys
    from lianzheng_desktop.store import StoreError

    action = args.action
    with _store(args, write=action != "show") as store:
        try:
            if action == "show":
                for line in keys.key_state(store).lines:
                    _say(line)
            elif action == "create-committee":
                _say(keys.create_committee_key(store).message)
            elif action == "backup":
                passphrase = _passphrase(args, twice=True)
                if passphrase is None:
                    return 2
                path = keys.save_committee_key(store, Path(args.output), passphrase)
                _say(f"已把校纪委密钥（指纹 {keys.key_state(store).committee}）保存到 {path}。请把它和口令分开妥善保管")
            else:  # restore
                passphrase = _passphrase(args, twice=False)
                if passphrase is None:
                    return 2
                _say(keys.restore_committee_key(store, Path(args.file), passphrase).message)
        except (keys.KeyRefused, KeyFileRejected, StoreError) as exc:
            _say(f"错误：{exc}")
            return 1
        except OSError as exc:
            return _cannot_write(exc)
    return 0


def cmd_settings(args) -> int:
    from lianzheng_desktop.exchange.settingsfile import SettingsRejected, default_name
    from lianzheng_desktop.operations import reporting
    from lianzheng_desktop.operations.keys import KeyRefused
    from lianzheng_desktop.store import StoreError

    with _store(args, write=True) as store:
        try:
            if args.action == "export":
                out = Path(args.output)
                written = reporting.export_settings(store, args.year, out / default_name(args.year)
                                                    if out.is_dir() else out, day=args.deadline)
                _say(written.message)
            else:
                plan = reporting.plan_settings(store, Path(args.file))
                accept = plan.key_changed and _confirmed(plan.question(), args.accept_new_key, "--accept-new-key")
                _say(reporting.import_settings(store, plan, accept_new_key=accept).message)
        except (SettingsRejected, KeyRefused, StoreError) as exc:
            _say(f"错误：{exc}")
            return 1
        except OSError as exc:
            return _cannot_write(exc)
    return 0


def _point_id(form, text: str) -> str | None:
    """A point named by its 风险点编号 (as `review show` lists them) or its id."""
    from lianzheng_desktop.domain.naming import point_numbers

    numbers = point_numbers(form)
    return next((pid for pid, number in numbers.items() if text in (pid, number)), None)


def cmd_review(args) -> int:
    from lianzheng_desktop.exchange.review import ReviewRejected
    from lianzheng_desktop.operations import review as ops
    from lianzheng_desktop.store import StoreError

    reviewer = getattr(args, "reviewer", None) or ops.default_reviewer()
    with _store(args, write=args.action != "show") as store:
        try:
            if args.action == "apply":
                plan = ops.plan_review(store, Path(args.file))
                if plan.needs_confirmation:
                    if not _confirmed(plan.question(), args.older, "--older"):
                        _say("没有应用这份审核意见")
                        return 1
                    plan.accept_older = True
                done = ops.apply_review(store, plan)
                _say(done.message)
                for problem in ops.review_problems(store, plan.file.year):
                    _say(f"  · {problem.message}")
            elif args.action == "export":
                _say(ops.export_review(store, args.unit, args.year, Path(args.output), reviewer).message)
            elif args.action == "close":
                _say(ops.close_review(store, args.unit, args.year, reviewer))
            elif args.action == "set":
                return _review_set(store, args, reviewer)
            else:
                _review_show(store, args)
        except (ReviewRejected, StoreError) as exc:
            _say(f"错误：{exc}")
            return 1
        except OSError as exc:
            return _cannot_write(exc)
    return 0


def _form_hint() -> str:
    """How `review set --form` names a form (the labels from forms/)."""
    from lianzheng_desktop.domain.definitions import definitions

    d = definitions()
    return f"{d.field('id').label}、表格名称（如 {d.kinds[0].short_name}）或{d.field('person').label}"


def _review_set(store, args, reviewer: str) -> int:
    from lianzheng_desktop.domain.naming import MESSAGE, form_name
    from lianzheng_desktop.operations import review as ops

    view = ops.review_view(store, args.unit, args.year)
    form = next((f for f in view.forms if args.form in (f.id, form_name(f, MESSAGE), getattr(f, "person", None))),
                None)
    if form is None:
        _say(f"错误：审核的版本中没有“{args.form}”这张表格（可写{_form_hint()}）")
        return 1
    changes: list[tuple[str, str, object]] = []
    if args.point:
        point = _point_id(form, args.point)
        if point is None:
            _say(f"错误：{form_name(form, MESSAGE)}中没有风险点“{args.point}”（写风险点编号，见 review show）")
            return 1
        if args.level is not None:
            changes.append((point, "approved_level", None if args.level == 0 else args.level))
        if args.comment is not None:
            changes.append((point, "comment", args.comment))
    for key in ("decision", "reason", "opinion"):
        if getattr(args, key) is not None:
            changes.append(("", key, getattr(args, key) or None if key == "decision" else getattr(args, key)))
    if not changes:
        _say("错误：没有要记录的审核意见（--level、--comment、--decision、--reason 或 --opinion）")
        return 1
    ops.set_reviews(store, args.unit, args.year, form.id, changes, reviewer)
    _say(f"已记录 {len(changes)} 项审核意见（{form_name(form, MESSAGE)}，审核人 {reviewer}）")
    return 0


def _review_show(store, args) -> None:
    from lianzheng_desktop.domain.definitions import definitions
    from lianzheng_desktop.domain.naming import MESSAGE, form_name, point_numbers
    from lianzheng_desktop.domain.review import decision_name
    from lianzheng_desktop.operations import review as ops

    d = definitions()
    view = ops.review_view(store, args.unit, args.year)
    _say(f"{args.unit} {args.year} 年度：{view.status}")
    for form in view.forms:
        review = view.review(form.id)
        reason = f"（{review.reason}）" if review.reason else ""
        opinion = f"；意见：{review.opinion}" if review.opinion else ""
        _say(f"\n{form_name(form, MESSAGE)}：{decision_name(review.decision)}{reason}{opinion}")
        numbers = point_numbers(form)
        for category in d.category_keys:
            for risk in form.risks_in(category):
                level = review.levels.get(risk.id)
                mark = f"  审定 {d.level_name(level)}（校纪委）" if level else ""
                comment = f"  意见：{review.comments[risk.id]}" if risk.id in review.comments else ""
                _say(f"  {numbers[risk.id]}  自评 {d.level_name(risk.self_level)}{mark}{comment}  {risk.point[:30]}")
    if view.changes:
        _say("\n单位重新报送后与审核时相比的变化：")
        for change in view.changes:
            _say(f"  {change.line}")


def cmd_gui(args) -> int:
    from lianzheng_desktop.ui.app import run

    if args.committee and not args.db and not os.environ.get("LIANZHENG_DB"):
        from lianzheng_desktop.paths import committee_db_path

        return run(committee_db_path(), committee=True)
    return run(_db_path(args), committee=args.committee)


def _database_options(p: argparse.ArgumentParser) -> None:
    """--db and --wait are accepted after the subcommand too, as users tend to write them there."""
    p.add_argument("--db", metavar="数据库", default=argparse.SUPPRESS, help="数据库文件（同上）")
    p.add_argument("--wait", type=float, metavar="秒数", default=argparse.SUPPRESS,
                   help="数据库正被使用时最多等待的秒数（同上）")


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
    parser.add_argument("--committee", action="store_true",
                        help="打开校纪委汇总工作台（默认使用单独的数据库 committee.db）")
    parser.add_argument("--wait", type=float, default=LOCK_WAIT, metavar="秒数",
                        help=f"数据库正被另一个命令或桌面程序使用时，最多等待的秒数（默认 {LOCK_WAIT:g}）")
    sub = parser.add_subparsers(dest="command", title="子命令", metavar="子命令",
                               help="“lianzheng 子命令 --help”显示该子命令的用法")

    def add(name: str, help: str, func, *, folder_ok: bool = False) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func, output_folder_ok=folder_ok)
        if name not in ("check", "render", "blank", "docx"):
            _database_options(p)
        return p

    p = add("check", "检查登记表数据文件（.json）是否符合格式规范", cmd_check)
    p.add_argument("files", nargs="+", metavar="文件", help="要检查的数据文件")
    p.add_argument("-w", "--warnings", action="store_true", help="同时列出提醒（草稿中尚未填完的地方）")

    p = add("import", "把数据文件（.json）、数据包（.lzfk）或 Word 登记表（.docx）存入数据库（每个文件要么整体导入，"
            "要么完全不导入）。（校纪委）数据包先核对签名、按序号判断新旧；取代已导入的数据包前先列出变化并询问。"
            "Word 文件先列出读到的内容、没能放入表格的每一处文字和说明；有没放入的文字时不导入，"
            "除非加上 --accept-unplaced。在校纪委的数据库中，Word 文件作为该单位的代录入，报送情况记为“已报送（Word）”",
            cmd_import)
    p.add_argument("files", nargs="+", metavar="文件",
                   help="要导入的数据文件、数据包、Word 文件或装有 Word 文件的文件夹")
    p.add_argument("--yes", action="store_true", help="新数据包取代已导入的数据包、Word 文件替换已有的表格、"
                   "Word 文件上的单位名称与本单位不同时，不再询问（请先看过列出的内容）")
    p.add_argument("--year", type=_year, metavar="年度",
                   help="（Word 文件）存入这一年度；不给出时按文件中的年度（标题、填写日期或文件名）")
    p.add_argument("--unit", metavar="单位", help="（校纪委代录入 Word 文件）存入这个单位名下；不给出时按文件上的单位")
    p.add_argument("--accept-unplaced", action="store_true",
                   help="（Word 文件）舍弃没能放入表格的文字后导入（先核对列出的每一处文字）")
    p.add_argument("--accept-new-key", action="store_true",
                   help="单位的签名密钥变了时接受新密钥（先打电话与单位核对指纹！）")

    p = add("undo-supersede", "（校纪委）撤销某单位某年度最近一次数据包取代：恢复被取代的数据包为当前数据",
            cmd_undo_supersede)
    p.add_argument("--unit", required=True, metavar="单位")
    p.add_argument("--year", required=True, type=_year, metavar="年度")
    p.add_argument("--yes", action="store_true", help="不再询问")

    p = add("export", "把数据库中的表格导出为 JSON 数据文件，或报送校纪委的数据包（.lzfk）", cmd_export,
            folder_ok=True)
    p.add_argument("--year", type=_year, metavar="年度", help="只导出这一年度")
    p.add_argument("--unit", metavar="单位", help="只导出这个单位")
    p.add_argument("-o", "--output", required=True, metavar="输出文件",
                   help="写入的 .json 文件或 .lzfk 数据包；给出文件夹则按“年度_单位_廉政风险防控.lzfk”命名")
    p.add_argument("--with-pdf", action="store_true", help="数据包中附上每张表格的 PDF")
    p.add_argument("--archive-copy", action="store_true",
                   help="另存一份未加密的存档副本（…_存档副本（未加密）.lzfk），供本单位留存，不要发送")

    p = add("summary", "（校纪委）把数据库中的全部风险点汇总为 Excel 工作簿", cmd_summary)
    p.add_argument("--year", type=_year, metavar="年度", help="只汇总这一年度")
    p.add_argument("-o", "--output", required=True, metavar="输出文件", help="写入的 .xlsx 文件")

    p = add("remind", "（校纪委）催报名单：尚未报送或内容不完整的单位；"
            "-o 存为文本（.txt）或 Excel（.xlsx）并记入催报记录", cmd_remind)
    p.add_argument("--year", required=True, type=_year, metavar="年度")
    p.add_argument("-o", "--output", metavar="输出文件", help="写入的 .txt 或 .xlsx（不给则显示在屏幕上，不记录）")
    p.add_argument("--status", action="store_true", help="改为列出各单位的报送情况（按时、逾期、未报送）")
    p.add_argument("--set-deadline", metavar="截止日期", help="先设定这一年度的截止日期，如 2026-11-30（none：清除）")

    p = add("assess", "（校纪委）生成考核表 PDF（每个单位一页，评分项目和分值见 forms/assessment.toml）", cmd_assess)
    p.add_argument("--year", required=True, type=_year, metavar="年度")
    p.add_argument("--unit", action="append", metavar="单位", help="只打印这个单位（可重复）；不给则打印全部单位")
    p.add_argument("-o", "--output", required=True, metavar="输出文件", help="写入的 .pdf 文件")

    p = add("quality", "（校纪委）检查全部单位的内容质量（雷同、措施笼统、阶段单一等），写成 Excel 工作簿", cmd_quality)
    p.add_argument("--year", type=_year, metavar="年度", help="检查这一年度（缺省为最近的年度）")
    p.add_argument("-o", "--output", required=True, metavar="输出文件", help="写入的 .xlsx 文件")

    p = add("compare", "把一个年度与另一个年度对照：每个单位新增、删去、调整等级、改写的风险点，"
            "各类别各等级的数量，以及照抄去年没有改动的单位", cmd_compare)
    p.add_argument("--year", required=True, type=_year, metavar="年度", help="本年度")
    p.add_argument("--with", dest="previous", type=_year, metavar="年度", help="与哪个年度对照（默认上一年度）")
    p.add_argument("--unit", action="append", metavar="单位", help="只对照这个单位（可以写多次）")

    p = add("receipt", "（校纪委）为已导入的数据包生成回执，交给报送单位", cmd_receipt, folder_ok=True)
    p.add_argument("--unit", required=True, metavar="单位")
    p.add_argument("--year", required=True, type=_year, metavar="年度")
    p.add_argument("-o", "--output", required=True, metavar="输出文件", help="写入的回执（.lzhz）或文件夹")

    p = add("confirm", "（单位）打开校纪委的回执，确认报送的数据包已被接收", cmd_confirm)
    p.add_argument("file", metavar="回执文件")

    p = add("keys", "报送密钥：查看本数据库的密钥；（校纪委）生成校纪委密钥、保存为口令保护的备份文件、从备份恢复",
            cmd_keys)
    actions = p.add_subparsers(dest="action", title="操作", metavar="操作", required=True)
    _database_options(actions.add_parser("show", help="列出本数据库的密钥及其指纹",
                                         description="列出本数据库的密钥及其指纹"))
    _database_options(actions.add_parser("create-committee", help="（校纪委）生成校纪委密钥（每个校纪委只需一次）",
                                         description="（校纪委）生成校纪委密钥（每个校纪委只需一次），随后务必保存备份"))
    q = actions.add_parser("backup", help="（校纪委）把校纪委密钥保存为口令保护的文件（.lzkey）",
                           description="把校纪委密钥保存为口令保护的文件；口令在终端输入，或由环境变量 "
                                       "LIANZHENG_PASSPHRASE 给出")
    q.add_argument("-o", "--output", required=True, metavar="输出文件", help="写入的 .lzkey 文件")
    q.set_defaults(output_folder_ok=False)
    _database_options(q)
    q = actions.add_parser("restore", help="（校纪委）从口令保护的备份文件恢复校纪委密钥",
                           description="从口令保护的备份文件恢复校纪委密钥（换电脑、数据库丢失之后）")
    q.add_argument("file", metavar="备份文件")
    _database_options(q)

    p = add("settings", "报送设置：（校纪委）生成给各单位的报送设置文件（密钥、年度、截止日期、单位名单）；"
            "（单位）导入它", cmd_settings)
    actions = p.add_subparsers(dest="action", title="操作", metavar="操作", required=True)
    q = actions.add_parser("export", help="（校纪委）生成报送设置文件（.lzsz）",
                           description="生成报送设置文件：校纪委公钥及指纹、年度、截止日期、该年度的单位名单")
    q.add_argument("--year", required=True, type=_year, metavar="年度")
    q.add_argument("--deadline", metavar="截止日期", help="报送截止日期，如 2026-12-15（记入数据库，以后沿用）")
    q.add_argument("-o", "--output", required=True, metavar="输出文件", help="写入的 .lzsz 文件或文件夹")
    q.set_defaults(output_folder_ok=True)
    _database_options(q)
    q = actions.add_parser("import", help="（单位）导入校纪委的报送设置文件，并显示校纪委密钥指纹以便核对",
                           description="导入校纪委的报送设置文件；以后导出的数据包加密给其中的校纪委密钥")
    q.add_argument("file", metavar="报送设置文件")
    q.add_argument("--accept-new-key", action="store_true",
                   help="校纪委密钥与以前导入的不同时接受新密钥（先与校纪委核对指纹！）")
    _database_options(q)

    p = add("docx", "把数据文件中的每张表格写成可编辑的 Word 文件（.docx，与打印的表格相同的栏目和顺序）",
            cmd_docx, folder_ok=True)
    p.add_argument("files", nargs="+", metavar="文件", help="数据文件（一张表格或表格数组）")
    p.add_argument("-o", "--output", required=True, metavar="输出文件夹",
                   help="写入的文件夹（每张表格一个文件，按“年度_单位_姓名_表名.docx”命名）；"
                        "只有一张表格时也可给出 .docx 文件名")

    p = add("review", "校纪委审核：（校纪委）记录审定和意见、导出审核意见文件（.lzsh）、查看单位重新报送后的变化、"
            "结束一轮审核；（单位）应用审核意见文件", cmd_review)
    actions = p.add_subparsers(dest="action", title="操作", metavar="操作", required=True)
    for name, help in (("show", "（校纪委）列出某单位某年度的审核情况、每个风险点的编号，以及重新报送后的变化"),
                       ("set", "（校纪委）记录一项审核意见：风险点的审定、意见，表格的审核结论、退回原因、审核意见"),
                       ("export", "（校纪委）导出审核意见文件（.lzsh，校纪委密钥签名），发给单位；此后这一轮不能再改"),
                       ("close", "（校纪委）看过单位重新报送的变化后，结束这一轮审核")):
        q = actions.add_parser(name, help=help, description=help)
        q.add_argument("--unit", required=True, metavar="单位")
        q.add_argument("--year", required=True, type=_year, metavar="年度")
        if name != "show":
            q.add_argument("--reviewer", metavar="审核人", help="记录的审核人（默认：当前系统用户名）")
        if name == "set":
            q.add_argument("--form", required=True, metavar="表格", help=_form_hint())
            q.add_argument("--point", metavar="风险点编号", help="风险点编号（见 review show）或风险点标识")
            q.add_argument("--level", type=int, choices=[0, 1, 2, 3], metavar="审定",
                           help="审定等级：1 = 一级，2 = 二级，3 = 三级，0 = 取消审定")
            q.add_argument("--comment", metavar="意见", help="对这个风险点的意见（空字符串取消）")
            q.add_argument("--decision", choices=["pass", "return", ""], metavar="结论",
                           help="pass = 通过，return = 退回修改")
            q.add_argument("--reason", metavar="原因", help="退回修改的原因")
            q.add_argument("--opinion", metavar="意见", help="对整张表格的审核意见")
        if name == "export":
            q.add_argument("-o", "--output", required=True, metavar="输出文件", help="写入的 .lzsh 文件或文件夹")
            q.set_defaults(output_folder_ok=True)
        _database_options(q)
    q = actions.add_parser("apply", help="（单位）应用校纪委的审核意见文件：审定填入表格，退回的表格和意见列入检查",
                           description="应用校纪委的审核意见文件（先核对校纪委的签名）")
    q.add_argument("file", metavar="审核意见文件")
    q.add_argument("--older", action="store_true", help="审核针对的是本机表格的旧版本时仍然应用（请先看过提示）")
    _database_options(q)

    p = add("demo", "在数据库中写入一个虚构的示例单位（单位登记表和十几张岗位登记表），供试用和培训", cmd_demo)
    p.add_argument("--unit", default="图书馆", metavar="单位", help="示例单位的名称（默认：图书馆）")
    p.add_argument("--year", type=_year, default=2026, metavar="年度")
    p.add_argument("--posts", type=int, default=12, metavar="岗位数", help="岗位登记表的张数（默认 12）")

    p = add("verify", "核对纸面上的校验码与数据库中的表格是否一致", cmd_verify)
    p.add_argument("code", metavar="校验码", help="打印在每页页脚的校验码，如 3F9A-C21E")
    p = add("render", "把数据文件中的表格排成可打印的 PDF（每张表格从新的一页开始）", cmd_render)
    p.add_argument("files", nargs="+", metavar="文件", help="数据文件（一张表格或表格数组）")
    p.add_argument("-o", "--output", required=True, metavar="输出文件", help="写入的 .pdf 文件")
    p.add_argument("--book", action="store_true",
                   help="排成一册汇编：封面、目录、书签，汇编页码印在页眉（每张表格的内容和校验码不变）")
    p.add_argument("--duplex", action="store_true", help="（汇编）双面打印：每张表格从奇数页开始")
    p.add_argument("--units", metavar="单位名单",
                   help="（汇编）按这份单位名单（.txt/.csv/.xlsx）的顺序排列各单位")

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
    if getattr(args, "output", None) is not None:
        problem = _output_problem(args.output, folder_ok=args.output_folder_ok)
        if problem:
            _say(problem)
            return 2
    try:
        return args.func(args)
    except _NoStore:
        return 2
