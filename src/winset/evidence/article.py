"""From raw input to a cleaned :class:`~winset.evidence.model.Article` with metadata."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from winset.errors import InputError, show_value
from winset.evidence.clean import Cleaned, clean_lines
from winset.evidence.html import extract_html
from winset.evidence.metadata import canonical_url, date_from_text, date_from_url, host_of
from winset.evidence.model import Article, Removal
from winset.evidence.rules import RuleSet, load_rules
from winset.evidence.sources import RawInput, decode
from winset.evidence.text import collapse, normalise_line

MIN_HTML_WORDS = 12
"""An HTML page whose extracted text is shorter than this has no article (menus, errors)."""

_ENDS_SENTENCE = re.compile(r"""[.!?…:][”"’')\]]*$|[”"]$""")


def _published(*candidates: dt.date | None) -> dt.date | None:
    for date in candidates:
        if date is not None:
            return date
    return None


def _iso_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def build_article(
    raw: RawInput, *, rules: RuleSet | None = None, allow_truncated: bool = False
) -> Article:
    """Decode, clean and describe one input.

    Args:
        raw: The bytes read from a file or URL.
        rules: Cleaning rules (default: the shipped ones plus ``WINSET_EVIDENCE_RULES``).
        allow_truncated: Accept an article whose last paragraph stops mid-sentence.

    Returns:
        The article: body paragraphs, title, standfirst, metadata and removals.

    Raises:
        InputError: Bad encoding, an HTML page without an article, nothing left after
            cleaning, or (unless allowed) a text that stops mid-sentence.
    """
    rules = rules if rules is not None else load_rules()
    text = decode(raw)
    warnings: list[str] = []
    extra_removed: list[Removal] = []
    html_url = html_author = html_site = None
    html_date: dt.date | None = None
    if raw.kind == "html":
        page = extract_html(text, name=raw.name, url=raw.url)
        publishers: frozenset[str] = frozenset()
        host_pub = rules.publisher_for_domain(host_of(page.url or raw.url) or "")
        if host_pub is not None:
            publishers = frozenset({host_pub.name})
        cleaned: Cleaned = clean_lines(
            page.paragraphs, rules, title=page.title, detect_title=False, publishers=publishers
        )
        cleaned.standfirst = page.description if page.description else None
        # Lines are trafilatura's paragraphs, not lines of the page: do not report them.
        cleaned.removed = [Removal(r.text, r.reason, r.rule, None) for r in cleaned.removed]
        extra_removed = page.removed
        html_url, html_author, html_site = page.url, page.author, page.sitename
        html_date = _iso_date(page.date)
    else:
        cleaned = clean_lines(text.split("\n"), rules)
    if not cleaned.paragraphs:
        raise InputError(
            "an article with body text", "nothing left once boilerplate was removed", file=raw.name
        )
    body = "\n\n".join(cleaned.paragraphs)
    words = len(body.split())
    if raw.kind == "html" and words < MIN_HTML_WORDS:
        raise InputError(
            "an HTML page with an article",
            f"no article text found (only {words} word{'s' if words != 1 else ''} of text)",
            file=raw.name,
        )
    spans = []
    offset = 0
    for paragraph in cleaned.paragraphs:
        spans.append((offset, offset + len(paragraph)))
        offset += len(paragraph) + 2
    last = cleaned.paragraphs[-1]
    if not _ENDS_SENTENCE.search(last) and len(last.split()) >= 8:
        message = (
            f"the text stops mid-sentence ({show_value(last[-40:])}): the file may be truncated"
        )
        if not allow_truncated:
            raise InputError("a complete article", message, file=raw.name)
        warnings.append(message)

    url = canonical_url(cleaned.captured.get("url") or html_url or raw.url)
    host = host_of(url)
    by_domain = rules.publisher_for_domain(host) if host else None
    publisher = (
        by_domain.name
        if by_domain
        else html_site or (cleaned.publishers[0] if cleaned.publishers else None)
    )
    header = (
        "\n".join(normalise_line(x) for x in text.split("\n")[:12]) if raw.kind == "text" else ""
    )
    published = _published(
        date_from_url(url), html_date, date_from_text(header) if header else None
    )
    author = cleaned.captured.get("author") or html_author
    title = collapse(cleaned.title) if cleaned.title else None
    standfirst = collapse(cleaned.standfirst) if cleaned.standfirst else None
    removed = sorted(cleaned.removed, key=lambda r: r.line or 0) + extra_removed
    return Article(
        id=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        raw_sha256=raw.sha256,
        source=raw.name,
        format=raw.kind,
        body=body,
        paragraphs=tuple(spans),
        title=title,
        author=collapse(author) if author else None,
        publisher=publisher,
        published=published,
        url=url,
        standfirst=standfirst,
        removed=tuple(removed),
        warnings=tuple(warnings),
    )
