"""The one error type that bad input raises, and how it reads on one line."""

from __future__ import annotations

import re
from collections.abc import Sequence

PathPart = str | int

_MAX_SHOWN = 60
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def show_value(value: object) -> str:
    """Render an untrusted value for an error line: escaped, quoted, shortened."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > _MAX_SHOWN:
        text = text[: _MAX_SHOWN - 1] + "…"
    # repr() escapes control characters and newlines, so the message stays on one line.
    return repr(text) if isinstance(value, str) else text.encode("unicode_escape").decode("ascii")


def format_path(path: Sequence[PathPart]) -> str:
    """Render a field path such as ``actors[3].stances.territory.position``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


class InputError(Exception):
    """Bad input: says where (file, line, field), what was expected and what was given.

    It is not a ``ValueError`` on purpose: pydantic re-wraps ``ValueError`` raised inside
    validators and would lose the field path; this type passes through untouched.
    """

    def __init__(
        self,
        expected: str,
        given: str,
        *,
        path: Sequence[PathPart] = (),
        file: str | None = None,
        line: int | None = None,
    ) -> None:
        self.expected = expected
        self.given = given
        self.path = tuple(path)
        self.file = file
        self.line = line
        super().__init__(self.message)

    def located(self, *, file: str | None = None, line: int | None = None) -> InputError:
        """Return a copy that also names the file and line (kept if already set)."""
        return InputError(
            self.expected,
            self.given,
            path=self.path,
            file=self.file or file,
            line=self.line or line,
        )

    @property
    def message(self) -> str:
        """The one-line message: ``file:line: field: expected X, got Y``."""
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        elif self.line:
            where = f"line {self.line}: "
        field = format_path(self.path)
        field = f"{field}: " if field else ""
        line = f"{where}{field}expected {self.expected}, got {self.given}"
        # File names and fields come from outside too: keep the message on one safe line.
        return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", line)

    def __str__(self) -> str:
        return self.message
