"""Reading form files (*.json) that come from anywhere, and writing them safely.

A reader never trusts the bytes: size, encoding, JSON syntax, nesting depth, duplicate
keys and the contract are all checked, and every problem becomes a Chinese sentence.
Nothing here writes to the database.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lianzheng_desktop.domain.codec import dumps_forms
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import Form
from lianzheng_desktop.domain.problems import Problem, error
from lianzheng_desktop.domain.validation import check_form_json

MAX_FILE_BYTES = 50 * 1024 * 1024  # a year of a large unit is well under 1 MB
MAX_DEPTH = 64  # a form is 4 levels deep; anything far deeper is not a form file


class FileRejected(Exception):
    """The content is not a readable form file at all; the message says why in Chinese."""


@dataclass
class FormFileResult:
    forms: list[Form] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def _msg(name: str, **values) -> str:
    return definitions().message("file", name, **values)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} 字节"


def decode_text(data: bytes) -> str:
    """UTF-8 (a BOM is accepted) or a clear refusal naming the encoding problem."""
    if not data.strip():
        raise FileRejected(_msg("empty"))
    if b"\x00" in data:
        raise FileRejected(_msg("binary"))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            raise FileRejected(_msg("not_utf8", offset=exc.start + 1)) from None
        raise FileRejected(_msg("gbk")) from None


def _no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise FileRejected(_msg("duplicate_key", key=key))
        seen[key] = value
    return seen


def _bad_constant(value: str):
    raise FileRejected(_msg("bad_constant", value=value))


def _scan(text: str) -> tuple[bool, bool]:
    """(too deep, ends open) without recursion, so a hostile file can't exhaust the stack.

    "Ends open" (a string or bracket still open at the end) means the file was cut off.
    """
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True, False
        elif ch in "]}":
            depth -= 1
    return False, in_string or depth > 0


def parse_json_text(text: str):
    """JSON with the contract's extra rules: no duplicate keys, no NaN, bounded depth."""
    too_deep, cut_off = _scan(text)
    if too_deep:
        raise FileRejected(_msg("too_deep"))
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_bad_constant)
    except RecursionError:
        raise FileRejected(_msg("too_deep")) from None
    except json.JSONDecodeError as exc:
        if cut_off or not text[exc.pos:].strip():
            raise FileRejected(_msg("truncated", line=text.count("\n") + 1)) from None
        raise FileRejected(_msg("json_syntax", line=exc.lineno, column=exc.colno,
                                detail=_json_detail(exc.msg))) from None
    except ValueError:  # e.g. an integer of thousands of digits (Python's conversion limit)
        raise FileRejected(_msg("bad_constant", value="超长数字")) from None


def _json_detail(msg: str) -> str:
    details = {
        "Expecting value": "此处缺少值",
        "Expecting ',' delimiter": "此处缺少逗号",
        "Expecting ':' delimiter": "此处缺少冒号",
        "Expecting property name enclosed in double quotes": "字段名必须用英文双引号括起来",
        "Unterminated string starting at": "引号没有配对",
        "Invalid control character at": "文字中含有不允许的控制字符",
        "Invalid \\escape": "无效的转义符",
        "Extra data": "表格结束后还有多余的内容",
    }
    return details.get(msg, msg)


def read_forms_bytes(data: bytes) -> FormFileResult:
    """Parse a file's bytes into forms. Raises FileRejected when it is no form file at all."""
    if len(data) > MAX_FILE_BYTES:
        raise FileRejected(_msg("too_large", size=_size(len(data)), limit=_size(MAX_FILE_BYTES)))
    value = parse_json_text(decode_text(data))
    return read_forms_value(value)


def read_forms_value(value) -> FormFileResult:
    d = definitions()
    result = FormFileResult()
    if isinstance(value, dict):
        items, prefixes = [value], [""]
    elif isinstance(value, list):
        items = value
        prefixes = [_msg("where_array_item", index=i + 1) for i in range(len(value))]
    else:
        from lianzheng_desktop.domain.codec import type_name

        raise FileRejected(d.message("error", "not_form_or_array", actual=type_name(value)))
    for item, prefix in zip(items, prefixes):
        form, problems = check_form_json(item)
        result.problems += [p.prefixed(prefix) for p in problems]
        if form is not None:
            result.forms.append(form)
    counts = Counter(f.id for f in result.forms)
    for dup in sorted(i for i, n in counts.items() if n > 1):
        result.problems.append(error(_msg("duplicate_id", id=dup)))
    return result


def read_forms_file(path: Path) -> FormFileResult:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FileRejected(_msg("too_large", size=_size(size), limit=_size(MAX_FILE_BYTES)))
        data = path.read_bytes()
    except OSError as exc:
        raise FileRejected(_msg("unreadable", reason=exc.strerror or exc)) from None
    return read_forms_bytes(data)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: never half a file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_forms_file(path: Path, forms: list[Form]) -> None:
    write_text_atomic(path, dumps_forms(forms))
