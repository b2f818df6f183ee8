"""Document metadata: publication dates from URLs and text, canonical URLs."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = (
    r"(January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?:/|$)")
_URL_DATE_DASH = re.compile(r"[/_-]((?:19|20)\d{2})-(\d{2})-(\d{2})(?:[/_.-]|$)")
_TEXT_DATES = (
    (re.compile(_MONTH + r" (\d{1,2}),? ((?:19|20)\d{2})\b"), ("m", "d", "y")),
    (re.compile(r"\b(\d{1,2}) " + _MONTH + r",? ((?:19|20)\d{2})\b"), ("d", "m", "y")),
    (re.compile(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b"), ("y", "m", "d")),
)
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid)$", re.IGNORECASE)


def _make(y: str, m: str, d: str) -> dt.date | None:
    month = int(m) if m.isdigit() else MONTHS.get(m.lower().rstrip("."))
    if month is None:
        return None
    try:
        return dt.date(int(y), month, int(d))
    except ValueError:
        return None


def date_from_url(url: str | None) -> dt.date | None:
    """The date in a URL's path: ``/YYYY/MM/DD/`` or ``-YYYY-MM-DD``."""
    if not url:
        return None
    path = urlsplit(url).path
    for pattern in (_URL_DATE, _URL_DATE_DASH):
        match = pattern.search(path)
        if match:
            found = _make(*match.groups())
            if found:
                return found
    return None


def date_from_text(text: str) -> dt.date | None:
    """The first full date written in ``text`` ("23 January 2019", "Jan. 23, 2019", ISO)."""
    best: tuple[int, dt.date] | None = None
    for pattern, order in _TEXT_DATES:
        match = pattern.search(text)
        if not match:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        found = _make(parts["y"], parts["m"], parts["d"])
        if found and (best is None or match.start() < best[0]):
            best = (match.start(), found)
    return best[1] if best else None


def canonical_url(url: str | None) -> str | None:
    """A URL normalised for matching: lower-case host, no fragment, no tracking parameters.

    Returns None for anything but an http(s) URL.
    """
    if not url:
        return None
    url = url.strip().strip("<>")
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    try:
        port = parts.port
    except ValueError:
        return None
    if port and not (
        (parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)
    ):
        host = f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)])
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), host, path, query, ""))


def host_of(url: str | None) -> str | None:
    """The host name of a URL."""
    if not url:
        return None
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None
