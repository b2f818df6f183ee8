"""Documents in the store: ingested articles keyed by the hash of their cleaned body."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import RowMapping, func, select

from winset.store.db import Store, insert_ignore
from winset.store.schema import documents, extractions


@dataclass(frozen=True)
class DocumentRecord:
    """A document as stored: metadata, cleaned body, and what cleaning removed.

    ``id`` is the sha256 of ``body``: the same text ingested twice is one document.
    """

    id: str
    raw_sha256: str
    source: str
    format: str
    body: str
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    url: str | None = None
    standfirst: str | None = None
    removed: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredDocument:
    """A document read back from the store, with when it was ingested."""

    record: DocumentRecord
    ingested_at: dt.datetime


def add_documents(
    store: Store,
    items: Sequence[tuple[DocumentRecord, str, dict[str, Any]]],
) -> list[bool]:
    """Store documents and their extractions in one transaction.

    Args:
        store: The open store.
        items: ``(record, extractor, data)``: the document, the extractor's name and
            version, and what it found.

    Returns:
        For each item, True if the document was new (False: already stored, untouched;
        its extraction is added only if this extractor version had not run on it).
    """
    now = dt.datetime.now(dt.UTC)
    added = []
    with store.write() as conn:
        for record, extractor, data in items:
            result = conn.execute(
                insert_ignore(conn, documents)
                .values(
                    id=record.id,
                    raw_sha256=record.raw_sha256,
                    source=record.source,
                    format=record.format,
                    title=record.title,
                    author=record.author,
                    publisher=record.publisher,
                    published=record.published,
                    url=record.url,
                    standfirst=record.standfirst,
                    body=record.body,
                    removed=record.removed,
                    meta=record.meta,
                    ingested_at=now,
                )
                .returning(documents.c.id)
            )
            added.append(result.first() is not None)
            conn.execute(
                insert_ignore(conn, extractions).values(
                    document_id=record.id, extractor=extractor, data=data, created_at=now
                )
            )
    return added


def _record(row: RowMapping) -> StoredDocument:
    return StoredDocument(
        record=DocumentRecord(
            id=row["id"],
            raw_sha256=row["raw_sha256"],
            source=row["source"],
            format=row["format"],
            body=row["body"],
            title=row["title"],
            author=row["author"],
            publisher=row["publisher"],
            published=row["published"],
            url=row["url"],
            standfirst=row["standfirst"],
            removed=list(row["removed"] or []),
            meta=dict(row["meta"] or {}),
        ),
        ingested_at=_aware(row["ingested_at"]),
    )


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite returns naive timestamps; they were written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def get_document(store: Store, document_id: str) -> StoredDocument | None:
    """The document with this id, or with this unique id prefix (at least 8 characters)."""
    with store.read() as conn:
        if len(document_id) >= 64:
            rows = conn.execute(select(documents).where(documents.c.id == document_id))
        elif len(document_id) >= 8:
            rows = conn.execute(
                select(documents)
                .where(documents.c.id.startswith(document_id, autoescape=True))
                .limit(2)
            )
        else:
            return None
        found = rows.mappings().all()
    return _record(found[0]) if len(found) == 1 else None


def find_documents(
    store: Store,
    *,
    url: str | None = None,
    raw_sha256: str | None = None,
) -> list[StoredDocument]:
    """Documents with this canonical URL or these exact source bytes, oldest first."""
    query = select(documents).order_by(documents.c.ingested_at, documents.c.id)
    if url is not None:
        query = query.where(documents.c.url == url)
    if raw_sha256 is not None:
        query = query.where(documents.c.raw_sha256 == raw_sha256)
    with store.read() as conn:
        return [_record(row) for row in conn.execute(query).mappings()]


def list_documents(store: Store) -> list[StoredDocument]:
    """Every stored document, oldest first."""
    return find_documents(store)


def count_documents(store: Store) -> int:
    """How many documents are stored."""
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(documents)).scalar() or 0)


def get_extraction(
    store: Store, document_id: str, extractor: str | None = None, *, ending: str | None = None
) -> tuple[str, dict[str, Any]] | None:
    """What an extractor found in a document, newest first.

    ``extractor`` asks for one extractor version, ``ending`` for names ending so (the issues
    a scenario's stances were found for); with neither, the newest run of any.
    """
    query = select(extractions).where(extractions.c.document_id == document_id)
    if extractor is not None:
        query = query.where(extractions.c.extractor == extractor)
    if ending is not None:
        query = query.where(extractions.c.extractor.endswith(ending, autoescape=True))
    query = query.order_by(extractions.c.created_at.desc()).limit(1)
    with store.read() as conn:
        row = conn.execute(query).mappings().first()
    return None if row is None else (row["extractor"], dict(row["data"]))


def ids_present(store: Store, ids: Iterable[str]) -> set[str]:
    """Which of these document ids are already stored."""
    wanted = list(ids)
    if not wanted:
        return set()
    with store.read() as conn:
        rows = conn.execute(select(documents.c.id).where(documents.c.id.in_(wanted)))
        return {row[0] for row in rows}
