"""Reading articles: files, folders and http(s) URLs, refusing bad input with one line.

Every input is read as bytes with a size limit, checked (empty, binary, encoding,
truncated character), and decoded; nothing here parses or stores it.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import socket
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from http.client import HTTPMessage
from pathlib import Path
from typing import IO, Any, Literal

from winset.errors import InputError, show_value
from winset.scenario.io import max_input_bytes, read_bytes

SUFFIXES_TEXT = (".txt", ".text")
SUFFIXES_HTML = (".html", ".htm", ".xhtml")
FETCH_TIMEOUT_S = 20.0

_BINARY_MAGIC = (
    (b"%PDF", "a PDF file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/Excel file)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x7fELF", "a program"),
)


@dataclass(frozen=True)
class RawInput:
    """An article's bytes as read, before decoding."""

    name: str  # the path or URL as given
    data: bytes
    kind: Literal["text", "html"]
    url: str | None = None  # the address it was fetched from (after redirects)
    charset: str | None = None  # declared by the server

    @property
    def sha256(self) -> str:
        """The hash of the bytes: the same input read twice has the same hash."""
        return hashlib.sha256(self.data).hexdigest()


def is_url(item: str) -> bool:
    """True for an http(s) address."""
    return item.lower().startswith(("http://", "https://"))


def expand(items: Sequence[str | Path]) -> list[str]:
    """Paths and URLs to read: folders replaced by their articles (.txt, .html), sorted.

    Raises:
        InputError: A path that does not exist, or a folder with no articles.
    """
    out: list[str] = []
    for item in items:
        text = str(item)
        if is_url(text):
            out.append(text)
            continue
        if "://" in text:
            raise InputError("a file, a folder or an http(s) URL", show_value(text), file=text)
        path = Path(text)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in (*SUFFIXES_TEXT, *SUFFIXES_HTML)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise InputError("a folder holding .txt or .html articles", "none in it", file=text)
            out.extend(str(p) for p in found)
        elif path.exists():
            out.append(text)
        else:
            raise InputError(
                "an existing file, a folder or an http(s) URL", "no such file", file=text
            )
    return out


def _kind(name: str, data: bytes) -> Literal["text", "html"]:
    suffix = Path(name.split("?", 1)[0]).suffix.lower()
    if suffix in SUFFIXES_HTML:
        return "html"
    if suffix in SUFFIXES_TEXT:
        return "text"
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head:
        return "html"
    return "text"


def _check_bytes(name: str, data: bytes, limit: int) -> None:
    if len(data) > limit:
        raise InputError(f"an article of at most {limit:,} bytes", "a larger one", file=name)
    if not data.strip():
        raise InputError(
            "an article", "an empty file" if data == b"" else "only white space", file=name
        )
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise InputError("a text or HTML article", f"binary data ({what})", file=name)
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        offset = data.index(b"\x00")
        raise InputError(
            "a text or HTML article",
            f"binary data (a NUL byte at offset {offset})",
            file=name,
            line=data.count(b"\n", 0, offset) + 1,
        )


def read_file(path: str, *, max_bytes: int | None = None) -> RawInput:
    """Read a local article file.

    Raises:
        InputError: Missing, unreadable, too large, empty or binary.
    """
    limit = max_input_bytes() if max_bytes is None else max_bytes
    data = read_bytes(path, limit)
    _check_bytes(path, data, limit)
    return RawInput(path, data, _kind(path, data))


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s) addresses."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not is_url(newurl):
            raise urllib.error.HTTPError(
                newurl, code, "redirect to a non-http address", headers, fp
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_url(
    url: str, *, max_bytes: int | None = None, timeout: float = FETCH_TIMEOUT_S
) -> RawInput:
    """Fetch an article over http(s): at most ``max_bytes``, within ``timeout`` seconds.

    Raises:
        InputError: Unreachable, an HTTP error, a timeout, a type that is not HTML or text,
            too large, empty or binary.
    """
    limit = max_input_bytes() if max_bytes is None else max_bytes
    opener = urllib.request.build_opener(_SafeRedirects())
    request = urllib.request.Request(
        url, headers={"User-Agent": "winset (article ingest)", "Accept": "text/html, text/plain"}
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            final = response.geturl()
            ctype = response.headers.get_content_type()
            charset = response.headers.get_content_charset()
            if ctype not in ("text/html", "text/plain", "application/xhtml+xml"):
                raise InputError(
                    "an HTML or plain-text page", f"content type {show_value(ctype)}", file=url
                )
            data = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        raise InputError(
            "a page that answers 200 OK", f"HTTP {exc.code} {exc.reason}", file=url
        ) from None
    except urllib.error.URLError as exc:
        reason: Any = exc.reason
        if isinstance(reason, socket.timeout | TimeoutError):
            raise InputError(f"an answer within {timeout:g} s", "none", file=url) from None
        raise InputError("a reachable address", show_value(str(reason)), file=url) from None
    except TimeoutError:
        raise InputError(f"an answer within {timeout:g} s", "none", file=url) from None
    except (OSError, ValueError) as exc:
        raise InputError("a reachable address", show_value(str(exc)), file=url) from None
    _check_bytes(url, data, limit)
    kind: Literal["text", "html"] = "text" if ctype == "text/plain" else "html"
    return RawInput(url, data, kind, url=final, charset=charset)


def read_input(item: str, *, max_bytes: int | None = None) -> RawInput:
    """Read a file or fetch a URL."""
    return (
        fetch_url(item, max_bytes=max_bytes)
        if is_url(item)
        else read_file(item, max_bytes=max_bytes)
    )


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode(raw: RawInput) -> str:
    r"""The input as text, with ``\n`` line ends.

    UTF-8 unless a byte-order mark, the server or (for HTML) a ``<meta charset>`` says
    otherwise.

    Raises:
        InputError: Bytes invalid in that encoding, or a character cut off at the end.
    """
    data = raw.data
    encoding = "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif raw.charset:
        encoding = raw.charset
    elif raw.kind == "html":
        match = _META_CHARSET.search(data[:4096])
        if match:
            encoding = match.group(1).decode("ascii")
    try:
        text_codec = codecs.lookup(encoding)._is_text_encoding
    except LookupError:
        text_codec = False
    if not text_codec:  # unknown, or a bytes-to-bytes codec such as 'hex' or 'rot13'
        raise InputError("a known character encoding", show_value(encoding), file=raw.name)
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        if exc.end >= len(data) and "end of data" in exc.reason:
            raise InputError(
                f"a complete {encoding.removesuffix('-sig').upper()} file",
                f"a truncated file (an incomplete character at offset {exc.start})",
                file=raw.name,
                line=line,
            ) from None
        raise InputError(
            f"{encoding.removesuffix('-sig').upper()} text",
            f"an invalid byte at offset {exc.start}",
            file=raw.name,
            line=line,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
