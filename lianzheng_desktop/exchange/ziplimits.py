"""Limits of a ZIP archive (a data package, an .xlsx) checked before it is parsed or inflated.

``zipfile`` trusts what an archive says about itself: it reads as many index entries as
the index's stated size holds (not the count the end record gives) and inflates what a
member asks. These checks read the end record and the index's declared sizes first.
"""

from __future__ import annotations

import zipfile

END_SIGNATURE = b"PK\x05\x06"
ENTRY_SIGNATURE = b"PK\x01\x02"
ZIP64_LOCATOR = b"PK\x06\x07"
END_SIZE = 22
MAX_COMMENT = 0xFFFF


class ZipRefused(Exception):
    """The archive breaks a limit; the message is a Chinese clause ("里的文件太多（…）")."""


def _end_record(data: bytes) -> int | None:
    """Where the end-of-central-directory record starts (as zipfile finds it), or None."""
    start = len(data) - END_SIZE
    if start >= 0 and data[start:start + 4] == END_SIGNATURE and data[-2:] == b"\x00\x00":
        return start
    found = data.rfind(END_SIGNATURE, max(0, len(data) - END_SIZE - MAX_COMMENT))
    return found if found >= 0 and len(data) >= found + END_SIZE else None


def check_end_record(data: bytes, max_members: int, max_index_bytes: int) -> None:
    """Refuse an archive whose index is larger than ``max_index_bytes`` or lists more than
    ``max_members`` entries, or that is ZIP64 (which this program never writes). An archive
    without an end record is left to zipfile, which calls it damaged."""
    end = _end_record(data)
    if end is None:
        return
    entries = int.from_bytes(data[end + 10:end + 12], "little")
    index_size = int.from_bytes(data[end + 12:end + 16], "little")
    index_offset = int.from_bytes(data[end + 16:end + 20], "little")
    if entries == 0xFFFF or index_size == 0xFFFFFFFF or index_offset == 0xFFFFFFFF or (
            end >= 20 and data[end - 20:end - 16] == ZIP64_LOCATOR):
        raise ZipRefused("的格式（ZIP64）不是本程序会写的格式")
    if index_size > max_index_bytes:
        raise ZipRefused(f"的文件目录异常大（{index_size // 1024} KB，最多 {max_index_bytes // 1024} KB）")
    if index_offset + index_size > end:
        raise ZipRefused("的文件目录位置不对，文件已损坏")
    # the entries the index really holds (an upper bound: a name may contain the signature)
    listed = data.count(ENTRY_SIGNATURE, index_offset, index_offset + index_size)
    if max(entries, listed) > max_members:
        raise ZipRefused(f"里的文件太多（文件目录里有 {max(entries, listed)} 个，最多 {max_members} 个）")


def check_inflated_sizes(infos: list[zipfile.ZipInfo], max_total: int, max_ratio: int,
                         *, small: int = 1024 * 1024) -> None:
    """Refuse before inflating: members that say they inflate past ``max_total`` together,
    or (beyond ``small`` bytes) more than ``max_ratio`` times their compressed size.
    zipfile stops reading a member at its stated size, so the stated sizes bound the work."""
    total = 0
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ZipRefused(f"里的 {info.filename} 使用了不常见的压缩方式")
        if info.file_size > small and info.file_size > max_ratio * max(info.compress_size, 1):
            raise ZipRefused(f"里的 {info.filename} 压缩比异常（{info.file_size // max(info.compress_size, 1)}:1），"
                             "可能是恶意构造的“压缩炸弹”")
        total += info.file_size
    if total > max_total:
        raise ZipRefused(f"解压后有 {total // 1024 // 1024} MB，超过 {max_total // 1024 // 1024} MB 的上限")
