"""What ingestion produces: a cleaned article and what extraction found in it.

All offsets (``start``, ``end``) are character offsets into :attr:`Article.body`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

StanceKind = Literal["supports", "rejects"]


@dataclass(frozen=True)
class Removal:
    """A piece of the input that cleaning removed, and why."""

    text: str
    reason: str
    rule: str
    line: int | None = None  # 1-based line of the raw text where it began (text dumps)


@dataclass(frozen=True)
class Entity:
    """A mention of a person, organisation, country, place or group."""

    text: str
    label: str  # PERSON, ORG, GPE (country, city), LOC (other place), NORP (group)
    canonical: str
    start: int
    end: int


@dataclass(frozen=True)
class Figure:
    """A number in the text: a percentage, an amount of money, a count or a multiple."""

    value: float
    unit: str  # "%", "percentage points", a currency code, "times", or the counted noun
    text: str
    kind: str  # percent, money, count, ratio
    start: int
    end: int
    owner: str | None = None  # whose figure: the pollster, agency or speaker behind it
    qualifier: str | None = None  # "only", "above", "almost", …
    measures: str | None = None  # what it measures, in the article's words
    date: str | None = None  # when it applies: YYYY, YYYY-MM or YYYY-MM-DD


@dataclass(frozen=True)
class Quote:
    """Words in quotation marks and who said them."""

    text: str
    speaker: str | None
    start: int
    end: int


@dataclass(frozen=True)
class Stance:
    """A sentence in which an actor supports or rejects an outcome on an issue."""

    actor: str
    issue: str
    stance: StanceKind
    text: str
    cue: str
    outcome: str | None
    start: int
    end: int
    position: float | None = None  # the matching labelled point of the scenario's issue


@dataclass(frozen=True)
class Article:
    """A cleaned document: metadata, body text, and what was removed."""

    id: str  # sha256 of body
    raw_sha256: str
    source: str
    format: Literal["text", "html"]
    body: str
    paragraphs: tuple[tuple[int, int], ...]
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    url: str | None = None
    standfirst: str | None = None
    removed: tuple[Removal, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Extraction:
    """What the extractor found in one article."""

    extractor: str
    entities: tuple[Entity, ...] = ()
    figures: tuple[Figure, ...] = ()
    quotes: tuple[Quote, ...] = ()
    stances: tuple[Stance, ...] = ()
    sentences: tuple[tuple[int, int], ...] = ()

    def data(self) -> dict[str, Any]:
        """The JSON-ready form stored in the ``extractions`` table."""
        return {
            "extractor": self.extractor,
            "entities": [asdict(e) for e in self.entities],
            "figures": [asdict(f) for f in self.figures],
            "quotes": [asdict(q) for q in self.quotes],
            "stances": [asdict(s) for s in self.stances],
            "sentences": [list(s) for s in self.sentences],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Extraction:
        """Rebuild an extraction from :meth:`data`."""
        return cls(
            extractor=str(data.get("extractor", "")),
            entities=tuple(Entity(**e) for e in data.get("entities", [])),
            figures=tuple(Figure(**f) for f in data.get("figures", [])),
            quotes=tuple(Quote(**q) for q in data.get("quotes", [])),
            stances=tuple(Stance(**s) for s in data.get("stances", [])),
            sentences=tuple((int(a), int(b)) for a, b in data.get("sentences", [])),
        )


@dataclass(frozen=True)
class Document:
    """An ingested document: the cleaned article and its extraction."""

    article: Article
    extraction: Extraction
    status: Literal["new", "stored", "unsaved"] = "unsaved"
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``winset ingest --format json`` for one document."""
        a, x = self.article, self.extraction
        return {
            "id": a.id,
            "title": a.title,
            "author": a.author,
            "publisher": a.publisher,
            "published": a.published.isoformat() if a.published else None,
            "url": a.url,
            "source": a.source,
            "format": a.format,
            "status": self.status,
            "standfirst": a.standfirst,
            "body": a.body,
            "paragraphs": [list(p) for p in a.paragraphs],
            "removed": [asdict(r) for r in a.removed],
            "warnings": list(a.warnings),
            "extractor": x.extractor,
            "entities": [asdict(e) for e in x.entities],
            "figures": [asdict(f) for f in x.figures],
            "quotes": [asdict(q) for q in x.quotes],
            "stances": [asdict(s) for s in x.stances],
        }
