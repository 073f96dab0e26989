"""Word files (.docx) in and out: read for a preview, put into a year, entered for a
department by the committee (代录入), and every form written as one.

Reading is the library's (exchange/docx). This module decides what a reading becomes in
a database, the same way for the window and the command line:

- ``read_word_files``: each file read, or refused with the reason (a .doc/.wps file is
  told to be saved as .docx first; a folder is searched through);
- each piece of text the reader could not place stays with its ``WordFile`` until it is
  placed (``place_item``) or discarded (``discard_item`` / ``discard_rest``): nothing is
  saved while a piece is left, and what was discarded is said in the result;
- ``plan_forms``: where each form goes in the year — a new form, or the one it replaces
  (the unit form of the year; the post form of the same person and post; the form this
  program wrote the file from) — with the choices the user has;
- ``save_forms`` (a unit's year: every form under the year's unit name, see
  operations/units.py) and ``enter_for_unit`` (the committee: the forms under the unit the
  clerk names, recorded as received in Word, store/word_entries.py);
- ``word_paths`` / ``export_word``: one .docx per form, named as the PDFs are.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.naming import MESSAGE, file_stem, form_name, name_from
from lianzheng_desktop.domain.validation import validate
from lianzheng_desktop.exchange.docx import (
    CannotPlace,
    DocxReading,
    DocxRefused,
    Unplaced,
    discard,
    place,
    read_docx,
    write_docx,
)
from lianzheng_desktop.exchange.docx.container import MAX_FILE_BYTES
from lianzheng_desktop.exchange.formfile import FileRejected, FileTooLarge, read_regular_file, write_bytes_atomic
from lianzheng_desktop.operations import units, years
from lianzheng_desktop.operations.progress import Progress, step
from lianzheng_desktop.store import FormStore, StoreError, word_entries
from lianzheng_desktop.store.forms import FormSummary
from lianzheng_desktop.store.keys import COMMITTEE, own_key
from lianzheng_desktop.store.packages import WORD, current_row, describe
from lianzheng_desktop.store.word_entries import record_word_entry

DOCX = ".docx"
# what people keep beside their .docx files: read too, so that each is told what to do
OLD_FORMATS = (".doc", ".wps", ".dot", ".wpt", ".rtf")
WORD_FILTER = "Word 文件 (*.docx *.doc *.wps)"

__all__ = ["DOCX", "WORD_FILTER", "CannotPlace", "WordFile", "read_word_files", "word_files"]


# -- reading ----------------------------------------------------------------------------


def word_files(paths: Iterable[Path]) -> list[Path]:
    """The files named, and the Word files inside named folders (searched through; the
    ``~$…`` lock files Word leaves beside an open document are not documents)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += [p for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith("~$")
                      and p.suffix.lower() in (DOCX, *OLD_FORMATS)]
        else:
            found.append(path)
    return list(dict.fromkeys(found))


@dataclass
class WordFile:
    """One Word file: what it gave (or why it was refused), and the text still to place."""

    path: Path
    reading: DocxReading | None = None
    refusal: str = ""
    data: bytes = b""  # the file as read (the committee keeps it with the entry)
    discarded: list[Unplaced] = field(default_factory=list)
    _undo: list[tuple[DocxReading, int]] = field(default_factory=list, repr=False)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def ok(self) -> bool:
        return self.reading is not None

    @property
    def form(self) -> Form:
        assert self.reading is not None
        return self.reading.form

    @property
    def unplaced(self) -> list[Unplaced]:
        return self.reading.unplaced if self.reading else []

    # -- placing and discarding (each step can be taken back) --

    def place_item(self, index: int, target: tuple) -> None:
        """Raises CannotPlace (a Chinese message) when the text can't go there."""
        assert self.reading is not None
        placed = place(self.reading, index, target)
        self._undo.append((self.reading, len(self.discarded)))
        self.reading = placed

    def discard_item(self, index: int) -> None:
        assert self.reading is not None
        self._undo.append((self.reading, len(self.discarded)))
        self.discarded.append(self.reading.unplaced[index])
        self.reading = discard(self.reading, index)

    def discard_rest(self) -> int:
        """Every piece still unplaced discarded, as one step; returns how many."""
        assert self.reading is not None
        count = len(self.reading.unplaced)
        if count:
            self._undo.append((self.reading, len(self.discarded)))
            self.discarded += self.reading.unplaced
            while self.reading.unplaced:
                self.reading = discard(self.reading, 0)
        return count

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> None:
        self.reading, kept = self._undo.pop()
        del self.discarded[kept:]

    # -- words --

    def described(self) -> str:
        """读到岗位登记表（王强 — 科长）：2025 年度，单位“基建处”，填表日期 …，风险点 5 个"""
        if self.reading is None:
            return f"{self.name}：未导入：{self.refusal}"
        d = definitions()
        form = self.form
        parts = [f"{form.year} 年度",
                 f"{d.field('unit').label}“{form.unit}”" if form.unit else f"没有写{d.field('unit').label}"]
        if form.filled_on is not None:
            day = form.filled_on
            parts.append(f"{d.field('filled_on').label} {day.year}年{day.month}月{day.day}日")
        parts.append(f"风险点 {len(form.risks)} 个")
        return f"{self.name}：读到{form_name(form, MESSAGE)}：" + "，".join(parts)

    def report(self) -> list[str]:
        """Everything the user must know about the file: what was read, every piece of text
        not placed (where it was found and why), how things were read."""
        lines = [self.described()]
        if self.reading is None:
            return lines
        if self.unplaced:
            lines.append(f"  没有放入表格的文字 {len(self.unplaced)} 处：")
            lines += [f"    {i}. {unplaced_text(item)}" for i, item in enumerate(self.unplaced, 1)]
        if self.reading.notes:
            lines.append("  说明：")
            lines += [f"    · {note}" for note in self.reading.notes]
        return lines


def unplaced_text(item: Unplaced) -> str:
    """第 1 个表格第 13 行·审定：“很高”（不是一级、二级或三级）"""
    text = " / ".join(line.strip() for line in item.text.splitlines() if line.strip())
    return f"{item.where}：“{text}”" + (f"（{item.reason}）" if item.reason else "")


def read_word_file(path: Path, *, year: int | None = None) -> WordFile:
    """One file read; a refusal (in Chinese) instead of an exception."""
    try:  # a regular file only (a FIFO named *.docx in a folder would wait for ever), read once
        data = read_regular_file(path, MAX_FILE_BYTES)
    except FileTooLarge as exc:
        return WordFile(path, refusal=f"文件太大（{exc.size / 1024 / 1024:.1f} MB），不像是一张登记表")
    except FileRejected as exc:  # also an unreadable file: read_regular_file says why
        return WordFile(path, refusal=str(exc))
    try:
        return WordFile(path, read_docx(data, name=path.name, year=year), data=data)
    except DocxRefused as exc:
        return WordFile(path, refusal=str(exc))


def read_word_files(paths: Iterable[Path], *, year: int | None = None,
                    progress: Progress | None = None) -> list[WordFile]:
    """Every Word file named or inside a named folder, each read or refused. ``year``: the
    registration year chosen (else each file's own, as the reader determines it)."""
    files = word_files(paths)
    read = []
    for i, path in enumerate(files):
        step(progress, i, len(files), f"正在读取 {path.name}")
        read.append(read_word_file(path, year=year))
    step(progress, len(files), len(files))
    return read


# -- placing: the choices a piece of text has -------------------------------------------


@dataclass(frozen=True)
class Spot:
    """A place a piece of text can go: its words and the target ``place`` takes."""

    label: str
    target: tuple


def field_spots(form: Form) -> list[Spot]:
    """The form's own fields (单位, 填表日期, 主要负责人 …, 备注), in the order declared."""
    return [Spot(f.label, (f.key,)) for f in definitions().fields_for(form.kind)
            if f.type in ("text", "multiline", "date")]


def risk_spots(form: Form) -> list[Spot]:
    """Each risk point, named by its category, number and the start of its text."""
    d = definitions()
    spots = []
    numbers: Counter = Counter()
    for i, risk in enumerate(form.risks):
        numbers[risk.category] += 1
        text = " ".join(risk.point.split()) or "（没有风险点文字）"
        short = text if len(text) <= 24 else text[:23] + "…"
        spots.append(Spot(f"{d.category(risk.category).name} {numbers[risk.category]}. {short}", ("risks", i)))
    return spots


def risk_columns() -> list[Spot]:
    """The columns of a risk point text can go into (target tail)."""
    d = definitions()
    common = d.tables["common"]
    return [Spot(common["point_header"], ("point",)), Spot(common["measures_header"], ("measures",)),
            Spot(d.risk_field("self_level").short_label, ("self_level",)),
            Spot(d.risk_field("approved_level").short_label, ("approved_level",))]


def category_spots() -> list[Spot]:
    return [Spot(c.name, (c.key,)) for c in definitions().categories]


def default_target(form: Form, item: Unplaced) -> tuple:
    """Where the text was found beside, as a target: a field; for a category, a new point
    at its end; else 备注 (text outside the table)."""
    near = item.near
    fields = {s.target[0] for s in field_spots(form)}
    if len(near) == 1 and near[0] in fields:
        return near
    if len(near) == 2 and near[0] == "category" and near[1] in definitions().category_keys:
        return ("new_risk", near[1], "point")
    if len(near) >= 2 and near[0] == "risks" and isinstance(near[1], int) and near[1] < len(form.risks):
        return ("risks", near[1], "point")
    return ("remarks",) if "remarks" in fields else (field_spots(form)[-1].target if field_spots(form) else ())


def target_words(form: Form, target: tuple) -> str:
    """A target in words: 备注 / 岗位职责风险 2. … · 防控措施 / 新的风险点（工作流程风险）· 具体风险点"""
    d = definitions()
    columns = {s.target[0]: s.label for s in risk_columns()}
    if target[0] == "new_risk":
        return f"新的风险点（{d.category(target[1]).name}）·{columns[target[2]]}"
    if target[0] == "risks":
        spot = risk_spots(form)[target[1]]
        return f"{spot.label}·{columns[target[2]]}"
    return d.field(target[0]).label


# -- into a year ---------------------------------------------------------------------------

NEW, REPLACE, SKIP = "new", "replace", "skip"
ACTIONS = {NEW: "作为新表格导入", REPLACE: "替换已有的表格", SKIP: "不导入"}


@dataclass
class Destination:
    """Where one file's form goes in the year, and what the user may choose instead."""

    action: str
    choices: tuple[str, ...]
    existing: FormSummary | None = None  # the year's form it replaces (REPLACE)
    note: str = ""  # why this action, in words
    fresh_id: bool = False  # NEW under a new id: the file's id belongs to another form
    same_as: str = ""  # the file of this batch that is the same form (this one is left out)

    def choose(self, action: str) -> None:
        if action not in self.choices:
            raise ValueError(action)
        self.action = action

    def describe(self) -> str:
        if self.action == REPLACE and self.existing is not None:
            return f"替换本年度已有的{form_name(self.existing, MESSAGE)}（原来的内容保留在历史版本中）"
        return ACTIONS[self.action] + (f"：{self.note}" if self.note else "")


def _identity(form: Form | FormSummary) -> str | None:
    """What makes two forms of a year the same form: the kind there is one of per unit,
    or the name a message gives it when every field of that name is filled in."""
    if definitions().kind(form.kind).singleton:
        return form.kind
    name = form_name(form, MESSAGE)
    return f"{form.kind}:{name}" if name != name_from(form.kind, MESSAGE, None) else None


def _content(form: Form) -> int:
    """How much a form holds: of two files that are the same form, the fuller one goes in
    (a folder with an empty template beside the filled form takes the filled one)."""
    return len(form.risks) + sum(bool(v) for v in form.values.values()) + bool(form.filled_on)


def plan_forms(store: FormStore, year: int, unit: str | None, files: list[WordFile],
               chosen: dict[int, str] | None = None) -> list[Destination | None]:
    """Where each read file's form would go in ``year`` (None for a refused file).
    ``unit``: only that unit's forms count (the committee's database); None: the year's.
    ``chosen``: the user's choices so far, by file index (a file set to 不导入 leaves its
    place to another file that is the same form)."""
    chosen = chosen or {}
    existing = store.summaries(year=year, unit=unit)
    by_identity: dict[str, FormSummary] = {}
    for summary in existing:
        key = _identity(summary)
        if key is not None:
            by_identity.setdefault(key, summary)
    by_id = {s.id: s for s in existing}
    taken: dict[str, str] = {}  # identity (or id) → the file that took it in this batch
    plans: dict[int, Destination | None] = {}
    # the files that claim a place: chosen ones first, then the fuller forms
    order = sorted((i for i, wf in enumerate(files) if wf.ok),
                   key=lambda i: (i not in chosen, -_content(files[i].form), i))
    for i, wf in enumerate(files):
        if not wf.ok:
            plans[i] = None
    for i in order:
        wf = files[i]
        form = wf.form
        singleton = definitions().kind(form.kind).singleton
        same = by_id.get(form.id)
        identity = _identity(form)
        if same is None and identity is not None:
            same = by_identity.get(identity)
        key = same.id if same is not None else (identity or form.id)
        state = _id_state(store, form.id, year, unit)
        if key in taken:
            plan = Destination(SKIP, (SKIP,) if singleton else (SKIP, NEW),
                               note=f"与 {taken[key]} 是同一张表格", fresh_id=True, same_as=taken[key])
        elif same is not None:
            plan = Destination(REPLACE, (REPLACE, SKIP) if singleton else (REPLACE, NEW, SKIP), same, fresh_id=True)
        else:
            note = "这张表格曾被删除，导入后恢复" if state == DELETED_HERE else ""
            plan = Destination(NEW, (NEW, SKIP), note=note, fresh_id=state in (ELSEWHERE, HERE))
        if chosen.get(i) in plan.choices:
            plan.action = chosen[i]
        # a form of its own (NEW beside the one it resembles) leaves the place to others
        if plan.action == REPLACE or (plan.action == NEW and key not in taken and same is None):
            taken[key] = wf.name
        plans[i] = plan
    return [plans[i] for i in range(len(files))]


FREE, HERE, DELETED_HERE, ELSEWHERE = "free", "here", "deleted here", "elsewhere"


def _id_state(store: FormStore, form_id: str, year: int, unit: str | None) -> str:
    """Whose the id is. A form written to Word and read into another year (or, at the
    committee, for another unit) must become a form of its own, not move that one."""
    other = store.get(form_id, include_deleted=True)
    if other is None:
        return FREE
    if other.year != year or (unit is not None and other.unit != unit):
        return ELSEWHERE
    return HERE if store.get(form_id) is not None else DELETED_HERE


def is_draft(wf: WordFile, year: int, *, committee: bool) -> bool:
    """A unit reads another year's Word form (last year's, usually) into ``year``: it goes
    in as a draft, as a copied year does (operations/years.py) — without that year's date,
    opinions and approved levels. The committee enters what it received as it is."""
    written = wf.reading.written_year if wf.reading else None
    return not committee and written is not None and written != year


def draft_note(wf: WordFile, year: int) -> str:
    """文件是 2025 年度的表格：作为 2026 年度的草稿导入，不带填表日期、…和审定等级"""
    written = wf.reading.written_year if wf.reading else None
    return (f"文件是 {written} 年度的表格：作为 {year} 年度的草稿导入，不带{years.cleared_words()}"
            "（与“新年度”复制上一年度相同）")


def form_to_save(wf: WordFile, plan: Destination, year: int, unit: str, *, committee: bool = False) -> Form:
    """The file's form as it will be stored: the year and unit it goes into, and the id
    of the form it replaces (or a new one); another year's form as a draft (is_draft)."""
    form = wf.form.copy()
    if is_draft(wf, year, committee=committee):
        years.clear_for_draft(form)
    form.year, form.unit = year, unit
    if plan.action == REPLACE and plan.existing is not None:
        form.id = plan.existing.id
    elif plan.fresh_id:
        form.id = str(uuid.uuid4())
    return form


class WordRefused(StoreError):
    """Nothing was saved; the message says why (in Chinese)."""


@dataclass
class WordSaved:
    """What an import of Word files did."""

    lines: list[str]  # one per file
    saved: list[str] = field(default_factory=list)  # the ids of the forms saved
    new: int = 0
    replaced: int = 0
    skipped: int = 0
    discarded: int = 0  # pieces of text discarded on the user's word

    @property
    def message(self) -> str:
        text = f"已导入 {self.new + self.replaced} 张表格（新增 {self.new}，替换 {self.replaced}）"
        if self.skipped:
            text += f"，{self.skipped} 个文件没有导入"
        if self.discarded:
            text += f"；按你的选择舍弃了 {self.discarded} 处没有放入表格的文字"
        return text


def _check(items: list[tuple[WordFile, Destination | None]], year: int, unit: str, *,
           committee: bool) -> list[tuple[WordFile, Form]]:
    """The forms to save, after refusing the whole import if any piece of text is still
    unplaced or a form would be invalid: nothing is saved then."""
    open_items = [f"{wf.name}：{len(wf.unplaced)} 处" for wf, plan in items
                  if plan is not None and plan.action != SKIP and wf.unplaced]
    if open_items:
        raise WordRefused("还有没有放入表格、也没有舍弃的文字（" + "；".join(open_items) + "），没有导入。"
                          "请逐条放入或舍弃")
    forms = []
    for wf, plan in items:
        if plan is None or plan.action == SKIP:
            continue
        form = form_to_save(wf, plan, year, unit, committee=committee)
        errors = [p.message for p in validate(form) if p.is_error]
        if errors:
            raise WordRefused(f"{wf.name}：读出的表格不符合要求：{'；'.join(errors)}，没有导入")
        forms.append((wf, form))
    return forms


def _save(store: FormStore, items: list[tuple[WordFile, Destination | None]], forms: list[tuple[WordFile, Form]],
          result: WordSaved, *, committee: bool) -> None:
    saved = {id(wf): form for wf, form in forms}
    for wf, plan in items:
        if plan is None:
            result.lines.append(f"{wf.name}：未导入：{wf.refusal}")
            result.skipped += 1
            continue
        if plan.action == SKIP:
            result.lines.append(f"{wf.name}：没有导入（{plan.note or '你选择了不导入'}）")
            result.skipped += 1
            continue
        form = saved[id(wf)]
        dropped = f"，舍弃了 {len(wf.discarded)} 处文字" if wf.discarded else ""
        if is_draft(wf, form.year, committee=committee):
            written = wf.reading.written_year if wf.reading else ""
            dropped += f"，作为草稿（{written} 年度的{years.cleared_words()}没有带过来）"
        store.save(form, note=f"从 Word 文件 {wf.name} 导入{dropped}")
        result.saved.append(form.id)
        result.discarded += len(wf.discarded)
        if plan.action == REPLACE:
            result.replaced += 1
            result.lines.append(f"{wf.name}：已替换{form_name(form, MESSAGE)}（原来的内容保留在历史版本中）{dropped}")
        else:
            result.new += 1
            result.lines.append(f"{wf.name}：已导入为{form_name(form, MESSAGE)}{dropped}")


def save_forms(store: FormStore, year: int, unit: str, files: list[WordFile],
               plans: list[Destination | None]) -> WordSaved:
    """A unit's year: each form saved under the year's unit name, all together or none
    (a StoreError, e.g. a full disk, leaves nothing half-written)."""
    items = list(zip(files, plans, strict=True))
    forms = _check(items, year, unit, committee=False)
    result = WordSaved([])
    with store.writing():
        _save(store, items, forms, result, committee=False)
    return result


# -- the unit a Word file belongs to --------------------------------------------------------


def unit_names(files: list[WordFile]) -> Counter:
    """The unit names the files carry (blank ones left out), most frequent first."""
    return Counter(wf.form.unit for wf in files if wf.ok and wf.form.unit)


def owner_for(store: FormStore, year: int, files: list[WordFile]) -> str | None:
    """The name the forms will carry in a unit's year: the year's unit (or the one from
    another year); for an empty database, the name on the unit form among the files (the
    kind there is one of per unit), else the name most of the files carry."""
    found = units.unit_of(store, year)
    if found:
        return found
    singleton = {k.key for k in definitions().kinds if k.singleton}
    named = [units.clean_name(wf.form.unit) for wf in files if wf.ok and wf.form.kind in singleton and wf.form.unit]
    if named:
        return Counter(named).most_common(1)[0][0]
    names = unit_names(files)
    return units.clean_name(names.most_common(1)[0][0]) if names else None


def other_unit_files(files: list[WordFile], unit: str) -> list[WordFile]:
    """Files that name a unit other than ``unit`` (a question before they go in)."""
    return [wf for wf in files if wf.ok and wf.form.unit and units.clean_name(wf.form.unit) != unit]


def other_unit_question(unit: str, files: list[WordFile], *, committee: bool = False) -> str:
    label = definitions().field("unit").label
    names = "；".join(f"{wf.name}（{wf.form.unit}）" for wf in files)
    whose = f"这是为“{unit}”代录入" if committee else f"本年度的表格都属于“{unit}”"
    return (f"这些 Word 文件上的{label}不是“{unit}”：{names}。\n\n{whose}：按“{unit}”导入它们"
            f"（表格上的{label}改为“{unit}”），还是不导入这些文件？")


# -- the committee: Word files entered for a unit (代录入) --------------------------------------


def committee_database(store: FormStore, year: int) -> bool:
    """The committee's database (a Word file goes in as an entry for a unit, not into the
    unit's own year): it holds the committee's key, a list of units or received data."""
    return own_key(store, COMMITTEE) is not None or units.is_committee(store, year)


def entry_refusal(store: FormStore, unit: str, year: int) -> str | None:
    """Why Word files can't be entered for the unit's year: it has sent a data package."""
    current = current_row(store, unit, year)
    if current is not None and current.get("source") != WORD:
        return (f"{unit} {year} 年度已经报送了数据包（{describe(current)}），不能再用 Word 文件代录入："
                "数据包是单位签名的数据，Word 文件不能取代它。如有更新，请单位重新导出数据包")
    return None


@dataclass
class WordEntered(WordSaved):
    unit: str = ""
    year: int = 0
    recorded: bool = False  # a new entry in 报送情况 (False: the year already held exactly this)

    @property
    def message(self) -> str:
        text = super().message
        if self.recorded:
            return f"已为 {self.unit} 代录入 {self.year} 年度的 Word 文件：" + text + "。报送情况中记为“已报送（Word）”"
        return f"{self.unit} {self.year} 年度：" + text + "（与已代录入的内容相同，报送情况不变）"


def enter_for_unit(store: FormStore, unit: str, year: int, files: list[WordFile],
                   plans: list[Destination | None]) -> WordEntered:
    """The committee enters a department's Word files: the forms saved under ``unit`` and
    the entry recorded (the files as received kept with it), all in one transaction."""
    refusal = entry_refusal(store, unit, year)
    if refusal:
        raise WordRefused(refusal)
    name = units.clean_name(unit)
    if not name:
        raise WordRefused(f"没有给出{definitions().field('unit').label}名称，没有代录入")
    items = list(zip(files, plans, strict=True))
    forms = _check(items, year, name, committee=True)
    result = WordEntered([], unit=name, year=year)
    if not forms:
        raise WordRefused("没有要代录入的表格")
    with store.writing():
        _save(store, items, forms, result, committee=True)
        received = [(wf.name, wf.data) for wf, form in forms]
        result.recorded = record_word_entry(store, name, year, received, store.forms(year=year, unit=name)) is not None
    return result


def received_files(store: FormStore, form_id: str) -> list[tuple[str, bytes]]:
    """The Word files, as received, of the entry the form's unit and year come from."""
    return word_entries.word_files(store, form_id)


def save_received_files(store: FormStore, form_id: str, folder: Path) -> list[Path]:
    """Those files written into ``folder`` under their own names (each whole)."""
    written = []
    for name, data in received_files(store, form_id):
        path = folder / Path(name).name
        write_bytes_atomic(path, data)
        written.append(path)
    return written


# -- a batch: the files that go into one year (and, at the committee, one unit) -------------


@dataclass
class Batch:
    """Files whose forms go into one year under one unit, planned and saved together."""

    year: int
    unit: str | None  # None: no name known (the files have none, nor has the database)
    files: list[WordFile]
    committee: bool  # entered for the unit at the committee (recorded as received in Word)
    plans: list[Destination | None] = field(default_factory=list)
    dropped: list[tuple[WordFile, str]] = field(default_factory=list)  # files left out, and why

    @property
    def refusal(self) -> str | None:
        label = definitions().field("unit").label
        if self.unit is None:
            if self.committee:
                return f"文件上没有写{label}：请指定为哪个单位代录入（命令行用 --unit）"
            return f"文件上没有写{label}，数据库中也还没有本单位的名称：请先在程序中填写{label}"
        return None

    def other_unit_files(self) -> list[WordFile]:
        return other_unit_files(self.files, self.unit or "")

    def other_unit_question(self) -> str:
        return other_unit_question(self.unit or "", self.other_unit_files(), committee=self.committee)

    def drop(self, files: list[WordFile], why: str) -> None:
        ids = {id(wf) for wf in files}
        self.dropped += [(wf, why) for wf in self.files if id(wf) in ids]
        self.files = [wf for wf in self.files if id(wf) not in ids]

    def plan(self, store: FormStore, chosen: dict[int, str] | None = None) -> list[Destination | None]:
        self.plans = plan_forms(store, self.year, self.unit if self.committee else None, self.files, chosen)
        return self.plans

    def replacements(self) -> list[str]:
        """The forms of the year the import would replace, in words (a question first)."""
        return [f"{wf.name} → {plan.describe()}" for wf, plan in zip(self.files, self.plans, strict=True)
                if plan is not None and plan.action == REPLACE]

    def skip_replacements(self) -> None:
        for plan in self.plans:
            if plan is not None and plan.action == REPLACE:
                plan.action = SKIP
                plan.note = "没有确认替换已有的表格"

    def save(self, store: FormStore) -> WordSaved:
        assert self.unit is not None
        if self.committee:
            return enter_for_unit(store, self.unit, self.year, self.files, self.plans)
        return save_forms(store, self.year, self.unit, self.files, self.plans)


def batches(store: FormStore, files: list[WordFile], *, unit: str | None = None,
            committee: bool | None = None) -> list[Batch]:
    """The read files grouped by the year they go into (each file's form carries it) and,
    at the committee, by unit (``unit`` given: all under it; else each file's own).
    ``committee`` None: decided by the database (``committee_database``)."""
    groups: dict[tuple[int, str | None, bool], list[WordFile]] = {}
    for wf in files:
        if not wf.ok:
            continue
        year = wf.form.year
        at_committee = committee_database(store, year) if committee is None else committee
        name = units.clean_name(unit or wf.form.unit) or None if at_committee else None
        groups.setdefault((year, name, at_committee), []).append(wf)
    found = []
    for (year, name, at_committee), group in groups.items():
        if not at_committee:  # the unit's own name; --unit only names a database that has none yet
            name = units.unit_of(store, year) or (units.clean_name(unit) if unit else None) \
                or owner_for(store, year, group)
        found.append(Batch(year, name, group, at_committee))
    return found


# -- out -------------------------------------------------------------------------------------


def word_paths(forms: list[Form], folder: Path) -> list[Path]:
    """One .docx per form in ``folder``, named as the PDFs are (年度_单位_姓名_表名); two
    forms that would have the same name get （2）, （3）…"""
    seen: Counter = Counter()
    paths = []
    for form in forms:
        stem = file_stem(form)
        seen[stem] += 1
        paths.append(folder / (stem + (f"（{seen[stem]}）" if seen[stem] > 1 else "") + DOCX))
    return paths


def write_word(form: Form, path: Path) -> Path:
    """One form as an editable Word document, written whole or not at all."""
    write_bytes_atomic(path, write_docx(form))
    return path


def export_word(forms: list[Form], paths: list[Path], progress: Progress | None = None) -> list[Path]:
    """Each form to its path (``word_paths``); when ``progress`` cancels, the files already
    written stay (each is whole) and the rest are not written."""
    written = []
    for i, (form, path) in enumerate(zip(forms, paths, strict=True)):
        step(progress, i, len(forms), f"正在写入 {path.name}")
        written.append(write_word(form, path))
    step(progress, len(forms), len(forms))
    return written
