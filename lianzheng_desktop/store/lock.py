"""One writer per database: a lock held by the desktop program while it has the file open.

The operating system's file lock (fcntl on Linux/macOS, msvcrt on Windows) is released
when the process ends, even by a crash, so a stale lock never blocks anyone. Beside it,
a small info file says who holds it, so the second copy can tell the user which
computer and user have the database open. (SQLite's own locking still protects the
file; this lock prevents two people from editing the same forms at once.)
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
import time
from pathlib import Path

from lianzheng_desktop.store.errors import DatabaseInUse, translate

__all__ = ["DatabaseInUse", "WriterLock"]


def _lock_file(fd: int) -> bool:
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class WriterLock:
    def __init__(self, db_path: Path):
        db_path = Path(db_path)
        self.path = db_path.with_name(db_path.name + ".lock")
        self.info_path = db_path.with_name(db_path.name + ".lock-info")
        self.fd: int | None = None

    def holder(self) -> dict:
        try:
            return json.loads(self.info_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def acquire(self, wait: float = 0.0) -> None:
        """Take the lock, waiting up to ``wait`` seconds for its holder to let go (a command
        run beside another finishes in moments); or raise DatabaseInUse saying who has it."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise translate(exc, self.path.parent) from exc
        deadline = time.monotonic() + wait
        while not _lock_file(fd):
            if time.monotonic() >= deadline:
                os.close(fd)
                holder = self.holder()
                who = f"{holder.get('user', '?')}（计算机 {holder.get('host', '?')}）" if holder else "另一个程序"
                since = f"，自 {holder['since'].replace('T', ' ')[:16]} 起" if holder.get("since") else ""
                waited = f"（等待 {wait:g} 秒后仍未释放）" if wait else ""
                raise DatabaseInUse(f"这个数据库正被 {who} 使用{since}{waited}。", holder)
            time.sleep(0.05)
        self.fd = fd
        info = {"user": getpass.getuser(), "host": socket.gethostname(), "pid": os.getpid(),
                "since": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
        try:
            self.info_path.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass  # the info is a courtesy; the lock itself is what counts

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            self.info_path.unlink(missing_ok=True)
        except OSError:
            pass
        os.close(self.fd)  # closing releases the OS lock
        self.fd = None
