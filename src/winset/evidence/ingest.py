"""Ingesting articles: read, clean, extract, and store them all or none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from winset.errors import InputError
from winset.evidence.article import build_article
from winset.evidence.extract import extract
from winset.evidence.gazetteer import Gazetteer, load_gazetteer
from winset.evidence.model import Article, Document, Extraction
from winset.evidence.nlp import LoadedModel, load_model
from winset.evidence.rules import RuleSet, load_rules
from winset.evidence.sources import expand, read_input
from winset.evidence.stance import IssueSpec
from winset.store import DocumentRecord, Store, add_documents


class IngestError(InputError):
    """Several inputs were bad: one InputError each, in input order; nothing was stored.

    ``str()`` is the first error's line with a count of the others; print ``errors`` to
    show one line each.
    """

    def __init__(self, errors: Sequence[InputError]) -> None:
        self.errors = tuple(errors)
        first = self.errors[0]
        more = len(self.errors) - 1
        given = first.given + (
            f" (and {more} more bad input{'s' if more > 1 else ''})" if more else ""
        )
        super().__init__(first.expected, given, path=first.path, file=first.file, line=first.line)


@dataclass(frozen=True)
class Pipeline:
    """Everything extraction needs, loaded once for a batch of inputs."""

    rules: RuleSet
    gazetteer: Gazetteer
    model: LoadedModel | None
    issues: Sequence[IssueSpec] | None = None
    allow_truncated: bool = False

    @classmethod
    def load(
        cls,
        *,
        rules: Sequence[str | Path] = (),
        gazetteer: Sequence[str | Path] = (),
        use_model: bool = True,
        issues: Sequence[IssueSpec] | None = None,
        allow_truncated: bool = False,
    ) -> Pipeline:
        """Load rules, gazetteer and (unless ``use_model`` is False) the spaCy model."""
        return cls(
            rules=load_rules(tuple(rules)),
            gazetteer=load_gazetteer(tuple(gazetteer)),
            model=load_model() if use_model else None,
            issues=issues,
            allow_truncated=allow_truncated,
        )

    def article(self, item: str) -> Article:
        """Read and clean one input."""
        return build_article(
            read_input(item), rules=self.rules, allow_truncated=self.allow_truncated
        )

    def extract(self, article: Article) -> Extraction:
        """Extract entities, figures, quotes and stances from a cleaned article."""
        return extract(
            article,
            issues=self.issues,
            gazetteer=self.gazetteer,
            model=self.model,
            use_model=self.model is not None,
        )

    def process(self, item: str) -> Document:
        """Read, clean and extract one input (nothing stored)."""
        article = self.article(item)
        return Document(article, self.extract(article))


def record_of(article: Article) -> DocumentRecord:
    """The store's record of an article."""
    return DocumentRecord(
        id=article.id,
        raw_sha256=article.raw_sha256,
        source=article.source,
        format=article.format,
        body=article.body,
        title=article.title,
        author=article.author,
        publisher=article.publisher,
        published=article.published,
        url=article.url,
        standfirst=article.standfirst,
        removed=[
            {"text": r.text, "reason": r.reason, "rule": r.rule, "line": r.line}
            for r in article.removed
        ],
        meta={
            "paragraphs": [list(p) for p in article.paragraphs],
            "warnings": list(article.warnings),
        },
    )


def process_all(items: Sequence[str | Path], pipeline: Pipeline) -> list[Document]:
    """Read, clean and extract every input; raise one error listing every bad one.

    Raises:
        IngestError: One or more inputs were bad (each has its own one-line error).
    """
    errors: list[InputError] = []
    try:
        expanded = expand(items)
    except InputError as exc:
        raise IngestError([exc]) from None
    documents = []
    for item in expanded:
        try:
            documents.append(pipeline.process(item))
        except InputError as exc:
            errors.append(exc)
    if errors:
        raise IngestError(errors)
    return documents


def store_documents(store: Store, documents: Sequence[Document]) -> list[Document]:
    """Store documents and extractions in one transaction; mark each new or already stored."""
    added = add_documents(
        store,
        [(record_of(d.article), d.extraction.extractor, d.extraction.data()) for d in documents],
    )
    return [
        replace(d, status="new" if new else "stored")
        for d, new in zip(documents, added, strict=True)
    ]
