"""Field-level parsing and writing shared by the KTAB and Decide formats."""

from __future__ import annotations

import csv
import math
import re

from winset.errors import InputError, show_value

NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
"""A plain decimal number (no 'nan', 'inf' or thousands separators)."""

CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_ID = 100


def parse_number(text: str, what: str, file: str, line: int) -> float:
    """A finite number from a field, or an InputError naming ``what`` and the line."""
    if not NUMBER.fullmatch(text):
        raise InputError(f"a number for {what}", show_value(text), file=file, line=line)
    value = float(text)
    if not math.isfinite(value):
        raise InputError(f"a finite number for {what}", show_value(text), file=file, line=line)
    return value


def check_id(
    text: str, expected: str, file: str, line: int, *, given: str = "an empty field"
) -> str:
    """An id field: not empty, at most 100 printable characters."""
    if not text:
        raise InputError(expected, given, file=file, line=line)
    if len(text) > MAX_ID or CONTROL.search(text):
        raise InputError(
            f"{expected} of at most {MAX_ID} printable characters",
            show_value(text),
            file=file,
            line=line,
        )
    return text


def csv_problem(exc: csv.Error) -> str:
    """What the csv module found wrong, in words that fit an error line."""
    message = str(exc)
    if "NUL" in message:
        return "a NUL character"
    if "field limit" in message:
        return f"a field longer than {csv.field_size_limit():,} characters"
    if "end of data" in message:
        return "a quote that is not closed"
    return "text right after a closing quote"


def number_text(x: float) -> str:
    """Shortest text that reads back as exactly ``x`` (``100`` rather than ``100.0``)."""
    return repr(float(x)).removesuffix(".0")


def one_line(text: str) -> str:
    """Free text on one line: control characters become spaces."""
    return CONTROL.sub(" ", text).strip()


def trimmed(fields: list[str]) -> list[str]:
    """Fields stripped of padding, without the empty ones that trailing separators leave."""
    out = [field.strip() for field in fields]
    while out and not out[-1]:
        out.pop()
    return out
