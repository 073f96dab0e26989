"""Deadlines and 催报: who reported on time, late or not yet, and the reminder list the
clerk copies into an e-mail, OA notice or chat, or saves as text or Excel — each one
logged (store/reminders.py). Words in forms/reporting.toml."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lianzheng_desktop.domain.deadlines import (
    LATE,
    NO_DEADLINE,
    NOT_YET,
    ON_TIME,
    OVERDUE,
    days_late,
    deadline_line,
    reporting_texts,
    timeliness,
    word,
)
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.exchange.formfile import write_bytes_atomic
from lianzheng_desktop.operations.committee import UnitReport, report
from lianzheng_desktop.operations.reporting import deadline
from lianzheng_desktop.store import FormStore
from lianzheng_desktop.store.checks import unit_heads
from lianzheng_desktop.store.reminders import (
    Reminder,
    first_received,
    record_reminder,
    reminded,
    reminders,
    unit_contacts,
)

COPIED, TEXT, EXCEL = "copied", "text", "excel"  # how a reminder went out


@dataclass
class Standing:
    """A unit's line in 报送情况 with the deadline: the report, on time or not, reminders."""

    report: UnitReport
    timeliness: str  # domain/deadlines: ON_TIME, LATE, NOT_YET, OVERDUE, NO_DEADLINE
    first_received: str | None  # when the committee imported the unit's first package
    days_late: int
    reminded: int = 0  # reminders that named the unit this year
    last_reminded: str | None = None
    contact: str = ""  # whom to reach, if known (the unit list's contact, else the unit form's head)

    @property
    def unit(self) -> str:
        return self.report.unit

    def __getattr__(self, name: str):
        """The rest reads as the unit's report (forms, points, packages, incomplete …)."""
        if name == "report":  # not yet set (copying, unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.report, name)

    @property
    def word(self) -> str:
        text = word(self.timeliness)
        if self.timeliness in (LATE, OVERDUE) and self.days_late:
            text += f" {self.days_late} 天"
        return text

    @property
    def needs_reminder(self) -> bool:
        """Not reported (and on the list), or reported with content that breaks the rules."""
        return (self.report.packages == 0 and self.report.expected) or self.report.incomplete


@dataclass
class Standings:
    year: int
    deadline: str | None
    today: dt.date
    rows: list[Standing]
    line: str  # the report's line (reported, updated, missing)
    deadline_line: str  # the deadline, days left or past, on time / late / not yet

    def counts(self) -> Counter:
        return Counter(r.timeliness for r in self.rows if r.report.expected or r.report.packages)


def contacts(store: FormStore, year: int, units: list[str]) -> dict[str, str]:
    """Unit → whom to reach: the contact on the year's unit list, else the 主要负责人 of its
    latest unit form in any year (absent: not known)."""
    listed = unit_contacts(store, year)
    heads = unit_heads(store)
    role = definitions().field("head").label
    found = {unit: f"{heads[unit]}（{role}）" for unit in units if unit in heads}
    found.update({unit: listed[unit] for unit in units if unit in listed})
    return found


def standings(store: FormStore, year: int, today: dt.date | None = None) -> Standings:
    """报送情况 against the year's deadline (judged by when the committee received each
    unit's first package, never the sender's clock)."""
    today = today or dt.date.today()
    due = deadline(store, year)
    rows, line = report(store, year)
    received = first_received(store, year)
    log = reminded(store, year)
    known = contacts(store, year, [r.unit for r in rows])
    out = []
    for r in rows:
        first = received.get(r.unit) if r.packages else None
        count, last = log.get(r.unit, (0, None))
        out.append(Standing(r, timeliness(first, due, today), first, days_late(first, due, today), count, last,
                            known.get(r.unit, "")))
    result = Standings(year, due, today, out, line, "")
    result.deadline_line = deadline_line(due, today, dict(result.counts()))
    return result


@dataclass
class ReminderEntry:
    unit: str
    situation: str  # 未报送 / 逾期未报送 / 内容不完整
    missing: list[str] = field(default_factory=list)  # what an incomplete package lacks
    contact: str = ""
    reminded: int = 0
    last_reminded: str | None = None


@dataclass
class ReminderList:
    """The 催报 list of a year as of a day: the units and the text to send."""

    year: int
    deadline: str | None
    today: dt.date
    entries: list[ReminderEntry]

    @property
    def empty(self) -> bool:
        return not self.entries

    def missing_text(self, entry: ReminderEntry) -> str:
        texts = reporting_texts()["reminder"]
        shown = entry.missing[:texts["problems_shown"]]
        more = len(entry.missing) - len(shown)
        return "；".join(shown) + (texts["more"].format(count=len(entry.missing)) if more > 0 else "")

    @property
    def title(self) -> str:
        return reporting_texts()["reminder"]["title"].format(year=self.year)

    def text(self) -> str:
        """The notice as it is pasted into an e-mail, OA or a chat: plain text, numbered."""
        texts = reporting_texts()["reminder"]
        today = _chinese_date(self.today)
        if self.empty:
            return texts["nobody"].format(year=self.year)
        head = (texts["head"].format(year=self.year, deadline=_chinese_date(dt.date.fromisoformat(self.deadline)),
                                     today=today)
                if self.deadline else texts["head_no_deadline"].format(year=self.year, today=today))
        lines = [self.title, "", head, ""]
        for n, e in enumerate(self.entries, 1):
            missing = self.missing_text(e)
            line = (texts["line_missing"].format(n=n, unit=e.unit, situation=e.situation, missing=missing) if missing
                    else texts["line"].format(n=n, unit=e.unit, situation=e.situation))
            lines.append(line)
        lines += ["", texts["tail"], "", texts["signature"].format(today=today)]
        return "\n".join(lines)

    def rows(self) -> list[list]:
        """The Excel sheet's rows (header first)."""
        c = reporting_texts()["reminder"]["columns"]
        head = [c["number"], c["unit"], c["situation"], c["missing"], c["contact"], c["reminded"], c["last"]]
        body = [[n, e.unit, e.situation, self.missing_text(e), e.contact, e.reminded,
                 (e.last_reminded or "")[:16].replace("T", " ")] for n, e in enumerate(self.entries, 1)]
        return [head, *body]


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def reminder_list(store: FormStore, year: int, today: dt.date | None = None) -> ReminderList:
    """Units not yet reported (on the year's list) or whose package is incomplete."""
    s = standings(store, year, today)
    texts = reporting_texts()["reminder"]
    entries = []
    for row in s.rows:
        if not row.needs_reminder:
            continue
        if row.report.packages == 0:
            situation = texts["overdue" if row.timeliness == OVERDUE else "not_yet"]
            missing: list[str] = []
        else:
            situation = texts["incomplete"]
            missing = [p.message for p in row.report.problems if p.is_error]
        entries.append(ReminderEntry(row.unit, situation, missing, row.contact, row.reminded, row.last_reminded))
    return ReminderList(year, s.deadline, s.today, entries)


@dataclass
class ReminderSent:
    id: int | None  # None: not logged (read-only database)
    how: str
    units: int
    path: Path | None

    @property
    def message(self) -> str:
        how = reporting_texts()["reminder"]["how"][self.how]
        where = f"：{self.path}" if self.path else ""
        logged = "，已记入催报记录" if self.id is not None else "（只读数据库：没有记入催报记录）"
        return f"催报名单已{how}（{self.units} 个单位）{where}{logged}"


def log_reminder(store: FormStore, reminders_list: ReminderList, how: str, path: Path | None = None) -> ReminderSent:
    """Record that the list went out (copied, or saved to ``path``)."""
    rid = record_reminder(store, reminders_list.year, how, reminders_list.deadline, reminders_list.text(),
                          [(e.unit, e.situation) for e in reminders_list.entries], str(path) if path else None)
    return ReminderSent(rid, how, len(reminders_list.entries), path)


def save_reminder_text(store: FormStore, reminders_list: ReminderList, path: Path, *, log: bool = True
                       ) -> ReminderSent:
    """The notice as a UTF-8 text file (with a byte-order mark, so Notepad opens it right);
    ``log=False`` (a read-only database): written, not logged."""
    write_bytes_atomic(Path(path), ("\ufeff" + reminders_list.text().replace("\n", "\r\n")).encode("utf-8"))
    if not log:
        return ReminderSent(None, TEXT, len(reminders_list.entries), Path(path))
    return log_reminder(store, reminders_list, TEXT, Path(path))


def reminder_workbook(reminders_list: ReminderList) -> bytes:
    """One sheet: the notice's head above a table of the units (for OA attachments)."""
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("催报名单")
    bold = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    number = book.add_format({"valign": "top", "align": "center", "border": 1})
    sheet.write_string(0, 0, reminders_list.title, bold)
    due = reminders_list.deadline or "未设"
    sheet.write_string(1, 0, f"截止日期：{due}　　统计日期：{reminders_list.today.isoformat()}")
    rows = reminders_list.rows()
    sheet.write_row(3, 0, rows[0], head)
    for i, values in enumerate(rows[1:], 4):
        for j, value in enumerate(values):
            if isinstance(value, int):
                sheet.write_number(i, j, value, number)
            else:
                sheet.write_string(i, j, value, wrap)
    for column, width in enumerate((6, 22, 12, 60, 14, 10, 17)):
        sheet.set_column(column, column, width)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(3)
    book.close()
    return buffer.getvalue()


def save_reminder_excel(store: FormStore, reminders_list: ReminderList, path: Path, *, log: bool = True
                        ) -> ReminderSent:
    write_bytes_atomic(Path(path), reminder_workbook(reminders_list))
    if not log:
        return ReminderSent(None, EXCEL, len(reminders_list.entries), Path(path))
    return log_reminder(store, reminders_list, EXCEL, Path(path))


def reminder_log(store: FormStore, year: int) -> list[Reminder]:
    return reminders(store, year)


__all__ = ["COPIED", "EXCEL", "LATE", "NOT_YET", "NO_DEADLINE", "ON_TIME", "OVERDUE", "TEXT", "ReminderList",
           "Standing", "Standings", "log_reminder", "reminder_list", "reminder_log", "save_reminder_excel",
           "save_reminder_text", "standings"]
