"""HTML pages: the article's text and metadata by trafilatura, and what it left out."""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field
from typing import Any

from winset.errors import InputError
from winset.evidence.model import Removal
from winset.evidence.text import collapse

_LEAF_BLOCKS = (
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "figcaption",
    "td",
    "dd",
    "dt",
    "pre",
    "aside",
    "footer",
    "nav",
    "header",
    "button",
    "form",
    "label",
)


@dataclass
class HtmlArticle:
    """What trafilatura found in a page."""

    paragraphs: list[str]
    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None
    url: str | None = None
    description: str | None = None
    removed: list[Removal] = field(default_factory=list)


def _leftovers(html: str, kept: str) -> list[Removal]:
    """Text blocks of the page that are not in the extracted article."""
    try:
        lxml_html: Any = importlib.import_module("lxml.html")
        lxml_etree: Any = importlib.import_module("lxml.etree")
    except ImportError:  # pragma: no cover - lxml comes with trafilatura
        return []
    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, lxml_etree.ParserError):
        return []
    kept_text = collapse(kept)
    out: list[Removal] = []
    seen: set[str] = set()
    for element in tree.iter(*_LEAF_BLOCKS):
        if any(child.tag in _LEAF_BLOCKS for child in element.iterdescendants()):
            continue
        text = collapse(element.text_content())
        if not text or text in seen or text in kept_text:
            continue
        seen.add(text)
        out.append(
            Removal(text, "outside the article's main text (trafilatura)", "html-extraction")
        )
        if len(out) >= 200:
            break
    return out


def extract_html(html: str, *, name: str, url: str | None = None) -> HtmlArticle:
    """The article in an HTML page.

    Raises:
        InputError: trafilatura is not installed, or the page holds no article text.
    """
    try:
        import trafilatura
    except ImportError:
        raise InputError(
            "trafilatura installed to read HTML (pip install 'winset[nlp]')",
            "not installed",
            file=name,
        ) from None
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    try:
        doc: Any = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            deduplicate=False,
        )
    except Exception:  # trafilatura raises assorted errors on broken markup
        doc = None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise InputError("an HTML page with an article", "no article text found", file=name)
    paragraphs = [line for line in text.split("\n") if line.strip()]
    return HtmlArticle(
        paragraphs=paragraphs,
        title=getattr(doc, "title", None) or None,
        author=getattr(doc, "author", None) or None,
        date=getattr(doc, "date", None) or None,
        sitename=getattr(doc, "sitename", None) or None,
        url=getattr(doc, "url", None) or None,
        description=getattr(doc, "description", None) or None,
        removed=_leftovers(html, text),
    )
