"""The review loop (issue 14): the committee reviews a unit's forms — 审定 per point where
forms/tables.toml lets it, a comment per point, an opinion and 通过 / 退回修改 per form —
sends the review file (.lzsh) back, sees which points the unit changed in the package
after it, and closes the round. The unit applies the review file: 审定 filled in and
marked as the committee's, comments and decisions kept for the editor and the 检查 pane.
"""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.naming import MESSAGE, form_name, point_numbers, safe_file_part
from lianzheng_desktop.domain.problems import Problem, warning
from lianzheng_desktop.domain.review import (
    RETURN,
    FormReview,
    PointChange,
    changes_since,
    check_action,
    label,
    problems_before_sending,
)
from lianzheng_desktop.domain.texts import short_time
from lianzheng_desktop.domain.verification import verification_code
from lianzheng_desktop.exchange.formfile import read_regular_file_as, write_bytes_atomic
from lianzheng_desktop.exchange.review import (
    MAX_BYTES,
    SUFFIX,
    ReviewFile,
    ReviewRejected,
    make_review_file,
    read_review,
)
from lianzheng_desktop.operations.keys import committee_key
from lianzheng_desktop.store import FormStore, StoreError
from lianzheng_desktop.store import reviews as stored
from lianzheng_desktop.store.forms import now
from lianzheng_desktop.store.keys import trusted_committee
from lianzheng_desktop.store.packages import current_package, exports, package_forms

__all__ = ["ReviewRejected"]


def default_reviewer() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "校纪委"


# -- the committee's side ------------------------------------------------------------


@dataclass
class ReviewView:
    """What the committee's review of a unit's year shows."""

    unit: str
    year: int
    round: stored.Round | None  # the latest round (None: never reviewed)
    forms: list[Form]  # the version under review, or the current one
    reviews: dict[str, FormReview]
    changes: list[PointChange] = field(default_factory=list)  # since the sent review
    new_package: bool = False  # the unit sent a package after the one reviewed

    @property
    def editable(self) -> bool:
        return self.round is None or self.round.closed or not self.round.sent

    def review(self, form_id: str) -> FormReview:
        return self.reviews.get(form_id) or FormReview(form_id)

    def form(self, form_id: str) -> Form:
        return next(f for f in self.forms if f.id == form_id)

    @property
    def status(self) -> str:
        r = self.round
        if r is None:
            return "尚未审核"
        if r.closed:
            return f"第 {r.number} 轮审核已于 {short_time(r.closed_at)} 结束"
        if not r.sent:
            newer = "；注意：单位又发来了更新的数据包，本轮审核的仍是开始审核时的版本" if self.new_package else ""
            return f"第 {r.number} 轮审核中（审核意见尚未发出，可以撤销修改）{newer}"
        if not self.new_package:
            return f"第 {r.number} 轮审核意见已于 {short_time(r.sent_at)} 发出，等待单位重新报送"
        return (f"第 {r.number} 轮审核意见已于 {short_time(r.sent_at)} 发出；单位已重新报送，"
                f"与审核时相比有 {len(self.changes)} 处风险点变化")


def _current_forms(store: FormStore, unit: str, year: int) -> tuple[dict, list[Form]]:
    package = current_package(store, unit, year)
    if package is None:
        raise StoreError(f"还没有导入 {unit} {year} 年度的数据包，无法审核")
    forms = package_forms(store, package["content_digest"]) or store.forms(year=year, unit=unit)
    return package, forms


def review_view(store: FormStore, unit: str, year: int) -> ReviewView:
    package, current = _current_forms(store, unit, year)
    last = stored.latest_round(store, unit, year)
    if last is None or last.closed:
        return ReviewView(unit, year, last, current, {})
    reviewed = stored.reviewed_forms(store, last.id)
    view = ReviewView(unit, year, last, reviewed, stored.review_state(store, last.id))
    view.new_package = package["content_digest"] != last.package_digest
    if last.sent and view.new_package:
        view.changes = changes_since(reviewed, current, view.reviews)
    return view


def _open_round(store: FormStore, unit: str, year: int, reviewer: str) -> stored.Round:
    last = stored.latest_round(store, unit, year)
    if last is not None and not last.closed:
        return last
    package, forms = _current_forms(store, unit, year)
    return stored.open_round(store, unit, year, package, forms, reviewer)


def set_review(store: FormStore, unit: str, year: int, form_id: str, point_id: str, key: str, value: Any,
               reviewer: str) -> Any:
    """One review action (a point's 审定 or comment with ``point_id``; a form's opinion,
    decision or reason without), stored with time and reviewer. Returns the value before,
    for undo. Raises StoreError when it can't be taken — and then nothing is stored, not
    even the round it would have opened (one transaction: a refused first action must not
    start a new round, which would end the counting of the last round's 审定)."""
    with store.writing():
        round_ = _open_round(store, unit, year, reviewer)
        if round_.sent:
            raise StoreError(f"第 {round_.number} 轮审核意见已经发给单位，不能再修改；"
                             "单位重新报送后结束这一轮，再开始新一轮")
        form = next((f for f in stored.reviewed_forms(store, round_.id) if f.id == form_id), None)
        if form is None:
            raise StoreError("审核的版本中没有这张表格")
        if isinstance(value, str):
            value = value.strip()
        problem = check_action(form, point_id, key, value)
        if problem:
            raise StoreError(problem)
        before = stored.review_state(store, round_.id).get(form_id, FormReview(form_id)).get(point_id, key)
        if before != value:
            stored.add_action(store, round_.id, form_id, point_id, key, value, reviewer)
        return before


def set_reviews(store: FormStore, unit: str, year: int, form_id: str, changes: list[tuple[str, str, Any]],
                reviewer: str) -> None:
    """Several review actions on one form, all stored or none (``lianzheng review set`` with
    --level and --comment together: a refused comment must not leave the level stored)."""
    with store.writing():
        for point_id, key, value in changes:
            set_review(store, unit, year, form_id, point_id, key, value, reviewer)


@dataclass
class ReviewSent:
    path: Path
    number: int
    forms: int
    returned: int
    again: bool  # the round had been sent before: the same file written again

    @property
    def message(self) -> str:
        if self.again:
            return f"第 {self.number} 轮审核意见以前已经发出，重新写出了同一份文件：{self.path}"
        returned = f"，其中退回修改 {self.returned} 张" if self.returned else ""
        return (f"已写出第 {self.number} 轮审核意见 {self.path}（{self.forms} 张表格{returned}；已用校纪委密钥签名）。"
                "请把这个文件发给单位；这一轮的审核意见从此不能再改")


def review_file_name(unit: str, year: int, number: int) -> str:
    pattern = definitions().review["file_name"]
    return safe_file_part(pattern.format(unit=unit, year=year, number=number), "审核意见") + SUFFIX


def _review_forms(forms: list[Form], reviews: dict[str, FormReview]) -> list[dict]:
    out = []
    for form in forms:
        review = reviews.get(form.id) or FormReview(form.id)
        numbers = point_numbers(form)
        points = [{"id": r.id, "number": numbers[r.id], "approved_level": review.levels.get(r.id),
                   "comment": review.comments.get(r.id, "")}
                  for r in form.risks if r.id in review.levels or r.id in review.comments]
        out.append({"id": form.id, "kind": form.kind, "code": verification_code(form),
                    "name": form_name(form, MESSAGE), "decision": review.decision, "reason": review.reason,
                    "opinion": review.opinion, "points": points})
    return out


def export_review(store: FormStore, unit: str, year: int, target: Path, reviewer: str) -> ReviewSent:
    """Sign and write the open round's review file (whole or not at all) and freeze the
    round; a round already sent is written again as the very same file."""
    last = stored.latest_round(store, unit, year)
    if last is None or last.closed:
        raise StoreError(f"{unit} {year} 年度没有正在进行的审核")
    path = target / review_file_name(unit, year, last.number) if target.is_dir() else target
    if path.suffix.lower() != SUFFIX:
        path = path.with_name(path.name + SUFFIX)
    forms = stored.reviewed_forms(store, last.id)
    reviews = stored.review_state(store, last.id)
    returned = sum(r.decision == RETURN for r in reviews.values())
    if last.sent:
        data = stored.sent_file(store, last.id)
        assert data is not None
        write_bytes_atomic(path, data)
        return ReviewSent(path, last.number, len(forms), returned, True)
    problems = [p for p in problems_before_sending(forms, reviews) if p.is_error]
    if problems:
        raise StoreError("审核意见还不能发出：" + "；".join(p.message for p in problems))
    key = committee_key(store)
    if key is None:
        raise StoreError("本数据库没有校纪委密钥，不能签发审核意见（见“文件 → 报送密钥与设置”）")
    made = make_review_file(unit=unit, year=year, round_id=last.id, number=last.number,
                            package=last.package_digest, package_sequence=last.package_sequence,
                            forms=_review_forms(forms, reviews), committee=key)
    write_bytes_atomic(path, made.data)
    stored.mark_sent(store, last.id, made.data, made.file_digest, made.manifest["issued_at"], reviewer)
    return ReviewSent(path, last.number, len(forms), returned, False)


def changes_since_review(store: FormStore, unit: str, year: int) -> list[PointChange]:
    """The points the unit added, removed or changed in its current package since the
    version the last sent review was about."""
    return review_view(store, unit, year).changes


def close_review(store: FormStore, unit: str, year: int, by: str) -> str:
    view = review_view(store, unit, year)
    r = view.round
    if r is None or r.closed:
        raise StoreError(f"{unit} {year} 年度没有正在进行的审核")
    if not r.sent:
        raise StoreError(f"第 {r.number} 轮审核意见还没有发出，不能结束这一轮")
    stored.close_round(store, r.id, by)
    seen = f"，已查看单位重新报送的 {len(view.changes)} 处变化" if view.new_package else "（单位没有重新报送）"
    return f"{unit} {year} 年度第 {r.number} 轮审核已结束{seen}"


# -- the unit's side -------------------------------------------------------------------

NEW, SAME = "new", "same"


@dataclass
class ReviewPlan:
    """A review file read and checked, and what applying it does (nothing written yet)."""

    path: Path
    file: ReviewFile
    status: str  # NEW / SAME (applied before: nothing to do)
    older: list[str] = field(default_factory=list)  # forms reviewed in an earlier version than the current
    accept_older: bool = False

    @property
    def needs_confirmation(self) -> bool:
        return self.status == NEW and bool(self.older)

    def question(self) -> str:
        return (f"这份审核意见（第 {self.file.number} 轮，签发于 {short_time(self.file.manifest['issued_at'])}）"
                "审核的是下列表格的旧版本，之后本机又改过：\n\n" + "\n".join(f"· {n}" for n in self.older)
                + "\n\n仍然应用吗？审定将按风险点填入现在的版本，意见标明针对旧版本。")


def plan_review(store: FormStore, path: Path) -> ReviewPlan:
    """Read and check the review file against this database; ReviewRejected says why not."""
    data = read_regular_file_as(path, MAX_BYTES, ReviewRejected, "不像是校纪委的审核意见文件")
    committee = trusted_committee(store)
    file = read_review(data, committee.public if committee else None, committee.fingerprint if committee else None)
    units = [u.strip() for u in store.units(file.year)]
    if not units:
        raise ReviewRejected(f"本机没有 {file.year} 年度的表格，这份审核意见（{file.unit} {file.year} 年度）无处应用")
    if file.unit.strip() not in units:
        raise ReviewRejected(f"这份审核意见是给“{file.unit}”的，本机是“{'、'.join(units)}”的数据：没有应用")
    sent = {row["content_digest"] for row in exports(store, file.year)}
    if file.manifest["package"] not in sent:
        raise ReviewRejected("这份审核意见针对的数据包不是本机导出的（本机从未有过它审核的版本）：没有应用")
    for done in stored.received(store, file.unit, file.year):
        if done["round_id"] == file.round:
            if done["file_digest"] == file.file_digest:
                return ReviewPlan(Path(path), file, SAME)
            raise ReviewRejected(f"第 {file.number} 轮审核意见已经应用过另一份内容不同的文件：没有应用")
        if done["number"] > file.number:
            raise ReviewRejected(f"这是第 {file.number} 轮的旧审核意见，本机已经应用了第 {done['number']} 轮的"
                                 "（重新发来的旧审核意见不会再应用）")
    older = []
    for entry in file.forms:
        form = store.get(entry["id"], include_deleted=True)
        had = [r for r in store.find_revision_by_code(entry["code"]) if r[0] == entry["id"]]
        if form is None or not had:
            raise ReviewRejected(f"审核意见中的{entry['name']}（校验码 {entry['code']}）本机从未有过这个版本：没有应用")
        if verification_code(form) != entry["code"]:
            older.append(entry["name"])
    return ReviewPlan(Path(path), file, NEW, older)


@dataclass
class ReviewApplied:
    number: int
    status: str
    levels: int = 0
    comments: int = 0
    returned: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        if self.status == SAME:
            return f"第 {self.number} 轮审核意见已经应用过，没有变化"
        text = f"已应用校纪委第 {self.number} 轮审核意见：审定 {self.levels} 个风险点，意见 {self.comments} 条"
        if self.returned:
            text += "；退回修改：" + "、".join(self.returned) + "（见左侧列表和“检查”）"
        return text


def apply_review(store: FormStore, plan: ReviewPlan) -> ReviewApplied:
    """Fill in the committee's 审定 (a new revision of each form it changes) and keep the
    review, all in one transaction."""
    file = plan.file
    if plan.status == SAME:
        return ReviewApplied(file.number, SAME)
    if plan.older and not plan.accept_older:
        raise StoreError("审核意见针对的是旧版本，没有确认，没有应用")
    levels = comments = 0
    returned = []
    with store.writing():
        for entry in file.forms:
            form = store.get(entry["id"])
            comments += sum(bool(p["comment"]) for p in entry["points"])
            if entry["decision"] == RETURN:
                returned.append(entry["name"])
            if form is None:
                continue
            changed = False
            for point in entry["points"]:
                risk = form.risk_by_id(point["id"])
                if risk is not None and point["approved_level"] is not None:
                    levels += 1
                    if risk.approved_level != point["approved_level"]:
                        risk.approved_level, changed = point["approved_level"], True
            if changed:
                store._save(form, f"应用校纪委第 {file.number} 轮审核意见（审定）")
        stored.record_received(store, {
            "round_id": file.round, "unit": file.unit, "year": file.year, "number": file.number,
            "file_digest": file.file_digest, "committee": file.manifest["committee"],
            "issued_at": file.manifest["issued_at"], "applied_at": now(), "older": int(bool(plan.older)),
            "review": json_text(file)})
    return ReviewApplied(file.number, NEW, levels, comments, returned)


def json_text(file: ReviewFile) -> str:
    return json.dumps({"manifest": file.manifest, "review": file.review}, ensure_ascii=False)


@dataclass
class FormNote:
    """What the committee's latest review says about one of the unit's forms."""

    form_id: str
    number: int  # the round
    name: str
    code: str  # the 校验码 of the version reviewed
    decision: str | None
    reason: str
    opinion: str
    levels: dict[str, int]  # point id → the committee's 审定
    comments: dict[str, str]  # point id → comment
    changed: bool = False  # the form changed since the version reviewed

    @property
    def returned(self) -> bool:
        return self.decision == RETURN

    @property
    def flag(self) -> str:
        """One line for the navigator ("" when there is nothing to say)."""
        if self.returned:
            return label("returned_fixed" if self.changed else "returned").format(reason=self.reason)
        if self.decision:
            return label("passed")
        return ""


def review_notes(store: FormStore, year: int) -> dict[str, FormNote]:
    """Form id → the latest applied review's word on it."""
    rows = stored.received(store, year=year)
    if not rows:
        return {}
    latest = json.loads(rows[0]["review"])
    out = {}
    for entry in latest["review"]["forms"]:
        form = store.get(entry["id"])
        changed = form is None or verification_code(form) != entry["code"]
        out[entry["id"]] = FormNote(
            entry["id"], rows[0]["number"], entry["name"], entry["code"], entry["decision"], entry["reason"],
            entry["opinion"], {p["id"]: p["approved_level"] for p in entry["points"] if p["approved_level"]},
            {p["id"]: p["comment"] for p in entry["points"] if p["comment"]}, changed)
    return out


def review_problems(store: FormStore, year: int) -> list[Problem]:
    """What the 检查 pane lists: forms returned by the committee, comments to read."""
    out = []
    for note in review_notes(store, year).values():
        if note.returned:
            state = "已修改，请重新导出并报送" if note.changed else "请按意见修改后重新导出并报送"
            out.append(warning(f"{note.name}被校纪委退回修改（第 {note.number} 轮）：{note.reason}。{state}",
                               form_id=note.form_id))
        out += comment_problems(store.get(note.form_id), note)
    return out


def review_form_problems(form: Form, note: FormNote | None) -> list[Problem]:
    """The 检查 pane's review entries for one open form."""
    if note is None:
        return []
    out = []
    if note.returned:
        state = "已修改，请重新导出并报送" if note.changed else "请按意见修改后重新导出并报送"
        out.append(warning(f"校纪委退回修改（第 {note.number} 轮）：{note.reason}。{state}", form_id=form.id))
    if note.opinion:
        out.append(warning(f"校纪委审核意见：{note.opinion}", form_id=form.id))
    return out + comment_problems(form, note)


def comment_problems(form: Form | None, note: FormNote | None) -> list[Problem]:
    """The committee's comments on one form's points, each leading to its row."""
    if form is None or note is None:
        return []
    numbers = point_numbers(form)
    out = []
    for i, risk in enumerate(form.risks):
        if risk.id in note.comments:
            out.append(warning(f"{note.name} {numbers[risk.id]}：校纪委意见“{note.comments[risk.id]}”",
                               ("risks", i, "point"), form_id=form.id))
    return out


def committee_level_question(note: FormNote | None, point_id: str, new: int | None) -> str | None:
    """The question to ask before the unit changes a 审定 the committee set; None: no need."""
    if note is None or point_id not in note.levels or note.levels[point_id] == new:
        return None
    was = definitions().level_name(note.levels[point_id])
    return (f"这个风险点的审定等级（{was}）是校纪委第 {note.number} 轮审核时审定的。确定要改吗？"
            "改动会随下次报送发给校纪委。")
