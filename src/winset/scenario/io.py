"""Reading and writing scenario files in any supported format, safely.

Reading checks size, binary content and encoding before parsing; writing goes to a
temporary file in the target folder and is renamed into place, so an interrupted or failed
conversion never leaves a half-written file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from winset.errors import InputError, PathPart, show_value
from winset.scenario import decide, ktab
from winset.scenario.model import Scenario
from winset.scenario.yaml_format import dump_yaml, line_of, load_yaml_text, parse_yaml

Format = Literal["yaml", "ktab", "decide"]
FORMATS: tuple[Format, ...] = ("yaml", "ktab", "decide")

MAX_INPUT_BYTES = 16 * 1024 * 1024
"""Largest scenario file read (16 MiB); override with WINSET_MAX_INPUT_BYTES."""

_READERS: dict[Format, Callable[[str, str], Scenario]] = {
    "yaml": load_yaml_text,
    "ktab": ktab.loads,
    "decide": decide.loads,
}
_WRITERS: dict[Format, Callable[[Scenario], str]] = {
    "yaml": dump_yaml,
    "ktab": ktab.dumps,
    "decide": decide.dumps,
}


def max_input_bytes() -> int:
    """The size limit in force (environment variable WINSET_MAX_INPUT_BYTES, else 16 MiB)."""
    raw = os.environ.get("WINSET_MAX_INPUT_BYTES")
    if raw is None:
        return MAX_INPUT_BYTES
    try:
        return int(raw)
    except ValueError:
        raise InputError(
            "a whole number of bytes", show_value(raw), path=("WINSET_MAX_INPUT_BYTES",)
        ) from None


def read_bytes(path: str | Path, limit: int) -> bytes:
    """Up to ``limit + 1`` bytes of a file (one more than allowed shows it is too large)."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            return handle.read(limit + 1)
    except FileNotFoundError:
        raise InputError("an existing file", "no such file", file=name) from None
    except IsADirectoryError:
        raise InputError("a file", "a directory", file=name) from None
    except OSError as exc:
        raise InputError("a readable file", exc.strerror or "an OS error", file=name) from None


def read_text(path: str | Path, *, max_bytes: int | None = None, what: str = "a scenario") -> str:
    """A file's text, refusing missing, oversized, empty, binary or non-UTF-8 files.

    ``what`` names what the file should hold, for the message about an empty one.
    """
    name = str(path)
    limit = max_input_bytes() if max_bytes is None else max_bytes
    raw = read_bytes(path, limit)
    if len(raw) > limit:
        raise InputError(f"a file of at most {limit:,} bytes", "a larger file", file=name)
    if not raw.strip():
        raise InputError(what, "an empty file", file=name)
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        raise InputError(
            "UTF-8 text",
            f"binary data (NUL byte at offset {offset})",
            file=name,
            line=raw.count(b"\n", 0, offset) + 1,
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            "UTF-8 text",
            f"an invalid byte at offset {exc.start}",
            file=name,
            line=raw.count(b"\n", 0, exc.start) + 1,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def detect_format(path: str | Path, text: str) -> Format:
    """Guess the format from the extension, then from the first record."""
    suffix = Path(path).suffix.lower()
    if suffix in (".yaml", ".yml", ".json"):
        return "yaml"
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if first.startswith(("#", "'#")):
        return "decide"
    if suffix in (".csv", ".txt"):
        return "ktab"
    return "yaml"


def format_for_output(path: str | Path) -> Format:
    """The format implied by an output file name."""
    suffix = Path(path).suffix.lower()
    if suffix in (".yaml", ".yml", ".json"):
        return "yaml"
    if suffix == ".csv":
        return "ktab"
    if suffix in (".txt", ".dat", ".decide"):
        return "decide"
    raise InputError(
        "an output name ending in .yaml, .yml, .csv (KTAB) or .txt (Decide), or --output-format",
        show_value(Path(path).name),
        file=str(path),
    )


def load(
    path: str | Path, *, format: Format | None = None, max_bytes: int | None = None
) -> Scenario:
    """Read a scenario file (YAML, KTAB CSV or Decide), detecting the format if not given."""
    text = read_text(path, max_bytes=max_bytes)
    chosen = format or detect_format(path, text)
    return _READERS[chosen](text, str(path))


def line_of_field(path: str | Path, field: tuple[PathPart, ...]) -> int | None:
    """The line of a field in a YAML scenario file (None for other formats)."""
    text = read_text(path)
    if detect_format(path, text) != "yaml":
        return None
    return line_of(field, parse_yaml(text, str(path))[1])


def dumps(scenario: Scenario, format: Format) -> str:
    """The scenario as text in ``format``."""
    return _WRITERS[format](scenario)


def save(scenario: Scenario, path: str | Path, *, format: Format | None = None) -> None:
    """Write a scenario atomically: all of it, or nothing (the old file stays)."""
    chosen = format or format_for_output(path)
    text = dumps(scenario, chosen)  # fails before any file is touched
    write_atomically(path, text)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomically(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, rename it into place."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("an existing output folder", "no such folder", file=str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        # mkstemp makes the file private (0600); give it the usual mode, or the old file's.
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
