"""The committee's side: importing the units' data packages (sealed, signed, ordered by
lineage; a supersede asked first and undoable), the list of units expected to report,
signed receipts for the units, and the Excel summary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.problems import Problem
from lianzheng_desktop.domain.submission import content_counts, package_problems
from lianzheng_desktop.domain.texts import short_time
from lianzheng_desktop.exchange.formfile import write_bytes_atomic
from lianzheng_desktop.exchange.package import SUFFIX, PackageRejected, read_package_file
from lianzheng_desktop.exchange.receipt import dumps_receipt, make_receipt, receipt_name
from lianzheng_desktop.exchange.summary import write_store_summary
from lianzheng_desktop.exchange.unitlist import parse_unit_contacts, parse_unit_lines, read_unit_list_contacts
from lianzheng_desktop.operations.comparing import compare_years
from lianzheng_desktop.operations.keys import KeyRefused, committee_key, committee_keys
from lianzheng_desktop.operations.progress import Progress, step
from lianzheng_desktop.store import FormStore, StoreError, checks
from lianzheng_desktop.store.packages import (
    MISSING,
    NEW,
    REPORTED,
    SAME,
    SUPERSEDES,
    UPDATED,
    WORD,
    ImportPlan,
    SupersedeUndone,
    apply_import,
    current_package,
    describe,
    expected_units,
    package_pdfs,
    plan_import,
    plan_undo_supersede,
    reporting_status,
    set_expected_units,
    undo_supersede,
)
from lianzheng_desktop.store.reminders import set_unit_contacts, unit_contacts


def package_files(paths: list[Path]) -> list[Path]:
    """The packages named, and those inside named folders (searched through)."""
    files: list[Path] = []
    for path in paths:
        files += sorted(path.rglob(f"*{SUFFIX}")) if path.is_dir() else [path]
    return files


@dataclass
class PlannedImport:
    """A package read and checked, and what importing it would do (nothing written yet)."""

    path: Path
    plan: ImportPlan | None
    refusal: str = ""  # why it can't be imported

    @property
    def needs_confirmation(self) -> bool:
        """A newer package from the unit replaces the data imported before: ask first."""
        return self.plan is not None and self.plan.status == SUPERSEDES

    @property
    def needs_key_decision(self) -> bool:
        """The unit's signing key is not the one pinned: the clerk decides."""
        return self.plan is not None and self.plan.needs_key_decision

    def accept_new_key(self) -> None:
        assert self.plan is not None
        self.plan.accept_new_key = True

    def key_question(self) -> str:
        plan = self.plan
        assert plan is not None
        unit = plan.package.unit
        return (f"{unit}这个数据包的签名密钥与以前的不同：\n\n以前：{plan.previous_signer}\n"
                f"这个数据包：{plan.package.signer}"
                f"\n\n可能是单位换了电脑、重装了程序，也可能是别人冒充{unit}。请先打电话给{unit}，请对方在"
                "程序的“文件 → 报送密钥与设置”中念出本机签名密钥的指纹，与上面“这个数据包”的指纹核对。\n\n"
                "核对一致，才接受新密钥（以后只认新密钥）；不一致，请不要接受。")

    ASK = "用新数据包取代旧的吗？（旧数据保留为历史版本，以后也可以撤销这次取代）"

    @property
    def head(self) -> str:
        plan = self.plan
        assert plan is not None
        package = plan.package
        notes = "".join(f"\n· {note}" for note in plan.notes)
        return (f"{package.unit} {package.year} 年度已有{_previous(plan)}。新收到的是{describe(package)}"
                f"{_verification(package)}。{notes}\n\n变化如下：")

    @property
    def changes(self) -> list[str]:
        assert self.plan is not None
        return self.plan.diff.lines or ["（表格内容没有变化）"]

    def question(self, limit: int = 40) -> str:
        """The whole question as one text (the command line); the window lists the changes
        in a scrolling list instead."""
        lines = self.changes[:limit]
        more = len(self.changes) - limit
        return (self.head + "\n\n" + "\n".join(lines) + (f"\n……另有 {more} 处变化" if more > 0 else "")
                + "\n\n" + self.ASK)


def _previous(plan: ImportPlan) -> str:
    if plan.previous_source == WORD:
        return f"校纪委用 Word 文件代录入的数据（录入于 {short_time(plan.previous_exported_at)}）"
    if plan.previous_sequence:
        return f"第 {plan.previous_sequence} 号数据包（导出于 {short_time(plan.previous_exported_at)}）"
    return f"导出于 {short_time(plan.previous_exported_at)} 的数据包"


def _verification(package) -> str:
    if package.verified:
        return f"，签名已核对（密钥指纹 {package.signer}）"
    return "，没有签名（旧格式，未验证）"


@dataclass
class ImportDone:
    path: Path
    ok: bool
    status: str | None  # SAME / NEW / SUPERSEDES when imported
    message: str
    year: int | None = None
    diff_lines: list[str] | None = None
    notes: list[str] = field(default_factory=list)


def plan_package(store: FormStore, path: Path, *, accept_new_key: bool = False) -> PlannedImport:
    """Read, open (with the committee's keys), check and plan one package."""
    try:
        package = read_package_file(path, committee_keys(store))
        return PlannedImport(path, plan_import(store, package, accept_new_key=accept_new_key))
    except (PackageRejected, StoreError) as exc:
        return PlannedImport(path, None, str(exc))


def apply_package(store: FormStore, planned: PlannedImport) -> ImportDone:
    name = planned.path.name
    if planned.plan is None:
        return ImportDone(planned.path, False, None, f"{name}：未导入：{planned.refusal}")
    try:
        plan = apply_import(store, planned.plan)
    except StoreError as exc:
        return ImportDone(planned.path, False, None, f"{name}：未导入：{exc}")
    package = plan.package
    if plan.status != SAME:  # 报送情况's figures of the new current package, while its forms are at hand
        try:
            package_content(store, package.year, [package.unit])
        except StoreError:
            pass
    trust = "签名已核对" if package.verified else "未签名，未验证"
    if plan.status == SAME:
        message = f"{name}：这个数据包已经导入过，没有变化"
    elif plan.status == NEW:
        message = (f"{name}：已导入 {package.unit} {package.year} 年度的 {len(package.forms)} 张表格"
                   f"（{describe(package)}，{trust}）")
    else:
        message = (f"{name}：已导入 {package.unit} {package.year} 年度的{describe(package)}（{trust}），取代"
                   f"{_previous(plan)}（旧数据保留为历史版本）")
    if plan.status != SAME and plan.notes:
        message += "".join(f"\n  · {note}" for note in plan.notes)
    return ImportDone(planned.path, True, plan.status, message, package.year, plan.diff.lines, plan.notes)


def declined(planned: PlannedImport) -> ImportDone:
    return ImportDone(planned.path, False, None, f"{planned.path.name}：未导入（保留原来的数据包）")


def import_packages(store: FormStore, paths: list[Path], confirm: Callable[[PlannedImport], bool],
                    progress: Progress | None = None,
                    decide_key: Callable[[PlannedImport], bool] | None = None) -> list[ImportDone]:
    """Packages (folders searched through) one after another, each whole or not at all.
    ``confirm`` is asked before a newer package replaces the one imported before, and
    ``decide_key`` when a unit's signing key is not the one pinned (without it, such a
    package is not imported); when ``progress`` cancels, the packages already imported
    stay and the rest are not read."""
    files = package_files(paths)
    done = []
    for i, path in enumerate(files):
        step(progress, i, len(files), f"正在导入 {path.name}")
        planned = plan_package(store, path)
        if planned.needs_key_decision:
            if decide_key is None or not decide_key(planned):
                done.append(ImportDone(path, False, None, f"{path.name}：未导入（签名密钥变了，没有接受新密钥）"))
                continue
            planned.accept_new_key()
        if planned.needs_confirmation and not confirm(planned):
            done.append(declined(planned))
            continue
        done.append(apply_package(store, planned))
    step(progress, len(files), len(files))
    return done


@dataclass
class UnitReport:
    """A unit's line in 报送情况: its packages, and what the current one holds."""

    unit: str
    expected: bool
    status: str
    imported_at: str | None
    exported_at: str | None
    packages: int
    forms: int
    points: int = 0  # risk points with text
    problems: list[Problem] = field(default_factory=list)  # the content rules it breaks
    verified: bool | None = None  # the current package's signature verified (None: none received)
    sequence: int | None = None
    signer: str | None = None
    source: str | None = None  # WORD: entered from the unit's Word files (代录入)

    @property
    def in_word(self) -> bool:
        """The current data came as Word files the committee entered for the unit."""
        return self.source == WORD

    @property
    def incomplete(self) -> bool:
        """Imported, but empty forms, post forms without points or points without text:
        the same rules that stop a unit's export (domain/submission.py)."""
        return self.packages > 0 and any(p.is_error for p in self.problems)


@dataclass
class Undone:
    undo: SupersedeUndone

    @property
    def message(self) -> str:
        u = self.undo
        return (f"已撤销 {u.unit} {u.year} 年度的取代：{describe(u.restored)}重新成为当前数据；"
                f"{describe(u.withdrawn)}已撤下（它的内容保留在历史版本中，再次发来也不会导入）")


def plan_undo(store: FormStore, unit: str, year: int) -> SupersedeUndone:
    """What undoing the last supersede would do; StoreError when there is none to undo."""
    return plan_undo_supersede(store, unit, year)


def undo_question(undo: SupersedeUndone, limit: int = 40) -> str:
    lines = undo.diff.lines[:limit] or ["（表格内容没有变化）"]
    more = len(undo.diff.lines) - limit
    return (f"撤销 {undo.unit} {undo.year} 年度最近一次取代：撤下{describe(undo.withdrawn)}，"
            f"恢复{describe(undo.restored)}为当前数据。表格将有这些变化：\n\n" + "\n".join(lines)
            + (f"\n……另有 {more} 处变化" if more > 0 else "") + "\n\n撤销吗？")


def undo_last_supersede(store: FormStore, unit: str, year: int) -> Undone:
    return Undone(undo_supersede(store, unit, year))


def attached_pdfs(store: FormStore, form_id: str) -> list[tuple[str, bytes]]:
    """The PDFs the unit attached to its package for this form, as it printed them."""
    return package_pdfs(store, form_id)


def report(store: FormStore, year: int) -> tuple[list[UnitReport], str]:
    """Who has reported, with forms and points per unit and whether each package is
    complete, and the one-line summary above the table."""
    status = reporting_status(store, year)
    content = package_content(store, year, [row.unit for row in status if row.packages])
    rows = []
    for row in status:
        count, points, problems = content.get(row.unit, (0, 0, []))
        rows.append(UnitReport(row.unit, row.expected, row.status, row.imported_at, row.exported_at,
                               row.packages, count, points, problems, row.verified, row.sequence, row.signer,
                               row.source))
    return rows, report_line(year, rows)


def package_content(store: FormStore, year: int, units: list[str]) -> dict[str, tuple[int, int, list[Problem]]]:
    """Unit → (forms, points with text, content problems) of its current package: kept per
    package (store/checks.py), checked only when not yet kept (a package imported by an
    earlier program version) — opening 报送情况 does not decode every form."""
    digests = checks.current_digests(store, year)
    known = checks.cached(store, [digests[u] for u in units if u in digests])
    out, new = {}, {}
    for unit in units:
        digest = digests.get(unit)
        if digest is not None and digest in known:
            out[unit] = known[digest]
            continue
        forms = store.forms(year=year, unit=unit)
        count, points = content_counts(forms)
        out[unit] = (count, points, package_problems(forms) if forms else [])
        if digest is not None:
            new[digest] = out[unit]
    try:
        checks.save(store, new)
    except StoreError:
        pass  # kept next time: the figures shown are right either way
    return out


def report_line(year: int, rows: list[UnitReport]) -> str:
    """The line above 报送情况, counting the rows as the table shows them: a unit that sent
    a newer package has reported (it is one of 已报送, and said so again in brackets)."""
    d = definitions()
    words, note = d.messages["status"], d.messages["status_note"]
    expected = [r for r in rows if r.expected]
    reported = [r for r in rows if r.packages]
    updated = sum(r.status == UPDATED for r in reported)
    missing = sum(not r.packages for r in expected)
    outside = sum(not r.expected for r in reported)
    line = f"{year} 年度：名单内 {len(expected)} 个单位，{words[REPORTED]} {len(reported)}"
    if updated:
        line += "（" + note["updated_count"].format(count=updated) + "）"
    line += f"，{words[MISSING]} {missing}"
    if outside:
        line += "；" + note["outside_count"].format(count=outside)
    in_word = sum(r.in_word for r in rows)
    if in_word:
        line += f"（其中 {in_word} 个单位报送的是 Word 文件，由校纪委代录入）"
    incomplete = sum(r.incomplete for r in rows)
    if incomplete:
        line += f"；其中 {incomplete} 个单位的数据包{note['incomplete']}"
    return line


def load_unit_list(store: FormStore, year: int, path: Path) -> list[str]:
    """The year's list from a file (with the contacts in the columns after the unit's,
    when it has them); raises UnitListRejected with the reason."""
    units, contacts = read_unit_list_contacts(path)
    set_expected_units(store, year, units)
    set_unit_contacts(store, year, contacts)
    return units


def unit_list_text(store: FormStore, year: int) -> str:
    """The year's list as the clerk edits it: one unit a line, its contact after a “，”."""
    contacts = unit_contacts(store, year)
    return "\n".join(unit + (f"，{contacts[unit]}" if unit in contacts else "")
                     for unit in expected_units(store, year))


def set_unit_list(store: FormStore, year: int, text: str) -> list[str]:
    """The year's list as edited (raises UnitListRejected)."""
    units = parse_unit_lines(text)
    listed = set(units)
    set_expected_units(store, year, units)
    set_unit_contacts(store, year, {u: c for u, c in parse_unit_contacts(text).items() if u in listed})
    return units


def write_receipt(store: FormStore, unit: str, year: int, target: Path) -> Path:
    """The receipt for the unit's current package, signed with the committee's key;
    ``target`` may be a folder."""
    row = current_package(store, unit, year)
    if row is None:
        raise StoreError(f"还没有导入 {unit} {year} 年度的数据包")
    if row.get("source") == WORD:
        raise StoreError(f"{unit} {year} 年度的数据是校纪委用单位的 Word 文件代录入的，没有数据包，不需要回执")
    key = committee_key(store)
    if key is None:
        raise KeyRefused("这个数据库还没有校纪委密钥，回执无法签名：请先生成校纪委密钥")
    receipt = make_receipt(row, key)
    path = target / receipt_name(receipt) if target.is_dir() else target
    write_bytes_atomic(path, dumps_receipt(receipt))
    return path


def receipt_file_name(store: FormStore, unit: str, year: int) -> str | None:
    row = current_package(store, unit, year)
    return receipt_name(make_receipt(row)) if row and row.get("source") != WORD else None


@dataclass
class SummaryWritten:
    path: Path
    forms: int
    cut: int  # cells cut at Excel's limit

    @property
    def message(self) -> str:
        text = f"已生成汇总 {self.path}（{self.forms} 张表格）"
        if self.cut:
            text += (f"。注意：有 {self.cut} 个单元格超过 Excel 每格 32767 字的上限，已截断并在单元格末尾注明，"
                     "清单见“说明”工作表")
        return text


def export_summary(store: FormStore, path: Path, year: int | None = None, progress: Progress | None = None, *,
                   assessment=True) -> SummaryWritten:
    """The Excel summary of a year (the latest when none is given), read from the store, with
    the comparison with the year before when the store has it (that part reports to
    ``progress`` unit by unit and may be cancelled: nothing written), and the 考核 sheet:
    ``assessment`` True scores the year first (the quality scan: ~1.4 s at 1,000 units), a
    YearAssessment already scored is used as it is, False leaves it out."""
    from lianzheng_desktop.operations.assessment import assess_year, assessment_sheet  # it reads report()

    years = store.years()
    year = year or (years[-1] if years else dt.date.today().year)
    comparisons = compare_years(store, year, year - 1, progress=progress) if (year - 1) in years else None
    if assessment is True:
        assessment = assess_year(store, year, progress=progress)
    extra = [assessment_sheet(assessment)] if assessment else []
    step(progress, 0, 0, "正在写入 Excel 工作簿")
    forms, cut = write_store_summary(store, path, year, comparisons, extra)
    return SummaryWritten(Path(path), forms, cut)
