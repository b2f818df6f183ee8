"""The one error type that bad input raises, and how it reads on one line."""

from __future__ import annotations

import re
from collections.abc import Sequence

PathPart = str | int

_MAX_SHOWN = 60
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# C0/C1 controls (ESC starts terminal sequences) and bidirectional overrides.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


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

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with every field, so errors raised in worker processes arrive intact."""
        return (
            _rebuild,
            (type(self), self.expected, self.given, self.path, self.file, self.line),
            self.__dict__,
        )

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


def _rebuild(
    cls: type[InputError],
    expected: str,
    given: str,
    path: tuple[PathPart, ...],
    file: str | None,
    line: int | None,
) -> InputError:
    error = cls.__new__(cls)
    InputError.__init__(error, expected, given, path=path, file=file, line=line)
    return error


def safe_text(value: object, limit: int | None = None) -> str:
    """Untrusted text made safe for a terminal: control and bidi characters escaped."""
    text = str(value)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
