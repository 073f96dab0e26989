"""Reading form files (*.json) that come from anywhere, and writing them safely.

A reader never trusts the bytes: size, encoding, JSON syntax, nesting depth, duplicate
keys and the contract are all checked, and every problem becomes a Chinese sentence.
Nothing here writes to the database.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

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


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_text(data: bytes) -> str:
    """UTF-8 (a BOM is accepted) or a clear refusal naming the encoding problem."""
    if not data.strip():
        raise FileRejected(_msg("empty"))
    if data.startswith(UTF16_BOMS):  # Notepad's "Unicode", Excel's "Unicode 文本"
        raise FileRejected(_msg("utf16"))
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


_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)", re.DOTALL)
_MAYBE_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def lone_surrogate(text: str) -> int | None:
    """Where a \\u escape names half of a UTF-16 pair without the other half (valid JSON,
    but no character: SQLite, PDF and the clipboard can't take it), or None.

    Escapes are read left to right, so an escaped backslash is never mistaken for the
    start of one."""
    if not _MAYBE_SURROGATE.search(text):
        return None
    high = None  # the escape of a high half waiting for its low half
    for match in _ESCAPE.finditer(text):
        code = int(match.group(1), 16) if match.group(1) else None
        if high is not None:
            if code is not None and 0xDC00 <= code <= 0xDFFF and match.start() == high.end():
                high = None
                continue
            return high.start()
        if code is not None and 0xD800 <= code <= 0xDBFF:
            high = match
        elif code is not None and 0xDC00 <= code <= 0xDFFF:
            return match.start()
    return high.start() if high is not None else None


def _check_surrogates(text: str) -> None:
    at = lone_surrogate(text)
    if at is not None:
        line = text.count("\n", 0, at) + 1
        column = at - text.rfind("\n", 0, at)
        raise FileRejected(_msg("lone_surrogate", line=line, column=column, escape=text[at:at + 6]))


def parse_json_text(text: str):
    """JSON with the contract's extra rules: no duplicate keys, no NaN, bounded depth, no
    lone surrogates."""
    too_deep, cut_off = _scan(text)
    if too_deep:
        raise FileRejected(_msg("too_deep"))
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_bad_constant)
    except RecursionError:
        raise FileRejected(_msg("too_deep")) from None
    except json.JSONDecodeError as exc:
        if cut_off or not text[exc.pos:].strip():
            raise FileRejected(_msg("truncated", line=text.count("\n") + 1)) from None
        raise FileRejected(_msg("json_syntax", line=exc.lineno, column=exc.colno,
                                detail=_json_detail(exc.msg))) from None
    except ValueError:  # e.g. an integer of thousands of digits (Python's conversion limit)
        raise FileRejected(_msg("bad_constant", value="超长数字")) from None
    _check_surrogates(text)
    return value


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


class FileTooLarge(FileRejected):
    def __init__(self, size: int, limit: int):
        super().__init__(_msg("too_large", size=_size(size), limit=_size(limit)))
        self.size, self.limit = size, limit


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Devices and FIFOs are refused before they are opened (``/dev/zero`` never ends, a
    FIFO's open waits for a writer), and never more than ``limit`` bytes are read, even
    if the file grows meanwhile. Raises FileRejected (FileTooLarge when too large)."""
    path = Path(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise FileRejected(_msg("not_regular", file=path.name or str(path)))
        if info.st_size > limit:
            raise FileTooLarge(info.st_size, limit)
        with open(path, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # swapped after the check
                raise FileRejected(_msg("not_regular", file=path.name))
            data = f.read(limit + 1)
    except OSError as exc:
        raise FileRejected(_msg("unreadable", reason=exc.strerror or exc)) from None
    if len(data) > limit:
        raise FileTooLarge(len(data), limit)
    return data


def read_regular_file_as(path: Path, limit: int, rejected: type[Exception], too_large: str) -> bytes:
    """read_regular_file for a reader with its own refusal: every FileRejected raised as
    ``rejected`` — too large as "文件太大，{too_large}" (e.g. "不是回执"), the rest as said."""
    try:
        return read_regular_file(Path(path), limit)
    except FileTooLarge:
        raise rejected(f"文件太大，{too_large}") from None
    except FileRejected as exc:
        raise rejected(str(exc)) from None


def read_forms_file(path: Path) -> FormFileResult:
    return read_forms_bytes(read_regular_file(path, MAX_FILE_BYTES))


def _new_file_mode(path: Path) -> int:
    """The mode an ordinary new file gets (0644 under the usual umask 022), or the mode of
    the file being replaced: mkstemp's own 0600 would hide a PDF from a shared print folder."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        pass
    return 0o666 & ~_umask()


def _umask() -> int:
    try:  # Linux: read it without changing it (other threads may be creating files)
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: never half a file."""
    write_atomic(path, lambda f: f.write(data))


def write_atomic(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    """``write(file)`` into a temporary file beside the target, then rename: never half a
    file, and a large file streamed without being held in memory."""
    path = Path(path)
    mode = _new_file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            write(f)
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
