"""A problem found in a form: an error (the file can't be accepted) or a warning."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    severity: str
    message: str
    # Where in the form: ("unit",), ("risks", 2, "self_level") — lets the editor jump there.
    path: tuple = ()
    form_id: str = ""  # which form, when problems of several forms are listed together

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def prefixed(self, prefix: str, form_id: str = "") -> Problem:
        return Problem(self.severity, f"{prefix}：{self.message}" if prefix else self.message, self.path,
                       form_id or self.form_id)


def error(message: str, path: tuple = (), form_id: str = "") -> Problem:
    return Problem(ERROR, message, path, form_id)


def warning(message: str, path: tuple = (), form_id: str = "") -> Problem:
    return Problem(WARNING, message, path, form_id)
