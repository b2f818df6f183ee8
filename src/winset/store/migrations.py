"""Versioned schema migrations: a numbered list of functions and a table that records them.

Why not Alembic: winset's store is opened by a command-line tool on an analyst's machine,
not deployed as a service, so the schema must upgrade itself on open, in one transaction,
under a lock, with no configuration files or migration scripts to ship and locate.
The schema is a short linear history; a list of numbered functions does that in a
page of code with no extra dependency. If the history ever needs branches or
autogeneration, Alembic can take over by stamping the current version as its baseline.

Rules for adding a migration:

* append a :class:`Migration` with the next number; never edit or reorder a released one;
* define the tables it creates with their own frozen :class:`~sqlalchemy.Table` objects
  (as :func:`_v1_documents` does), not the live ones in :mod:`winset.store.schema`, so
  that later changes to the live definitions do not change what an old migration does;
* update :mod:`winset.store.schema` to match; ``tests/test_store.py`` checks that a
  migrated database has exactly the declared columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from winset.errors import InputError
from winset.store import schema

_LOCK_KEY = 0x77696E736574  # "winset": the PostgreSQL advisory lock taken while migrating


@dataclass(frozen=True)
class Migration:
    """One step of the schema's history."""

    version: int
    name: str
    upgrade: Callable[[Connection], None]


def _v1_documents(conn: Connection) -> None:
    """Version 1: documents keyed by content hash, and what extractors found in them."""
    md = MetaData()
    json = JSON().with_variant(JSONB(), "postgresql")
    Table(
        "documents",
        md,
        Column("id", String(64), primary_key=True, comment="sha256 of the cleaned body"),
        Column("raw_sha256", String(64), nullable=False, comment="sha256 of the bytes ingested"),
        Column("source", Text, nullable=False, comment="path or URL it was first ingested from"),
        Column("format", String(16), nullable=False, comment="text or html"),
        Column("title", Text),
        Column("author", Text),
        Column("publisher", Text),
        Column("published", Date),
        Column("url", Text, comment="canonical URL, normalised"),
        Column("standfirst", Text),
        Column("body", Text, nullable=False),
        Column("removed", json, nullable=False, comment="what cleaning removed, and why"),
        Column("meta", json, nullable=False, comment="other metadata and warnings"),
        Column("ingested_at", DateTime(timezone=True), nullable=False),
        Index("ix_documents_raw_sha256", "raw_sha256"),
        Index("ix_documents_url", "url"),
    )
    Table(
        "extractions",
        md,
        Column(
            "document_id",
            String(64),
            ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column("extractor", String(200), primary_key=True, comment="name and version"),
        Column("data", json, nullable=False, comment="entities, figures, quotes, stances"),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )
    md.create_all(conn)


def _v2_runs(conn: Connection) -> None:
    """Version 2: scenarios, runs and their batches of results."""
    md = MetaData()
    json = JSON().with_variant(JSONB(), "postgresql")
    Table(
        "scenarios",
        md,
        Column("id", String(64), primary_key=True),
        Column("title", Text, nullable=False),
        Column("body", json, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "runs",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("scenario_id", String(64), ForeignKey("scenarios.id"), nullable=False),
        Column("kind", String(32), nullable=False),
        Column("model", String(64), nullable=False),
        Column("options", json, nullable=False),
        Column("seed", Integer, nullable=False),
        Column("sampler", String(16), nullable=False),
        Column("draws", Integer, nullable=False),
        Column("batch", Integer, nullable=False),
        Column("code_version", String(64), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("finished_at", DateTime(timezone=True)),
    )
    Table(
        "run_batches",
        md,
        Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
        Column("start", Integer, primary_key=True, autoincrement=False),
        Column("stop", Integer, nullable=False),
        Column("forecast", LargeBinary, nullable=False),
        Column("deal", LargeBinary),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )
    md.create_all(conn)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "documents and extractions", _v1_documents),
    Migration(2, "scenarios, runs and run batches", _v2_runs),
)
"""The schema's history, oldest first; ``MIGRATIONS[i].version == i + 1``."""

LATEST_VERSION = MIGRATIONS[-1].version
"""The schema version this winset writes."""


def schema_version(conn: Connection) -> int:
    """The database's schema version: 0 for an empty database."""
    if not inspect(conn).has_table(schema.schema_migrations.name):
        return 0
    current = conn.execute(select(func.max(schema.schema_migrations.c.version))).scalar()
    return int(current or 0)


def _lock(conn: Connection) -> None:
    """Serialise migrations between processes (SQLite: the write lock of BEGIN IMMEDIATE)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def upgrade(
    conn: Connection,
    migrations: tuple[Migration, ...] = MIGRATIONS,
    *,
    where: str = "the database",
) -> list[int]:
    """Apply the migrations the database lacks, inside the caller's transaction.

    Args:
        conn: A connection inside a write transaction (BEGIN IMMEDIATE on SQLite).
        migrations: The history to apply (tests pass longer ones).
        where: How to name the database in an error.

    Returns:
        The versions applied, in order (empty if it was up to date).

    Raises:
        InputError: The database was written by a newer winset.
    """
    _lock(conn)
    schema.schema_migrations.create(conn, checkfirst=True)
    current = schema_version(conn)
    latest = migrations[-1].version
    if current > latest:
        raise InputError(
            f"a database of schema version {latest} or older (this winset's)",
            f"version {current}, written by a newer winset",
            file=where,
        )
    applied = []
    for migration in migrations:
        if migration.version <= current:
            continue
        migration.upgrade(conn)
        conn.execute(
            insert(schema.schema_migrations).values(
                version=migration.version,
                name=migration.name,
                applied_at=dt.datetime.now(dt.UTC),
            )
        )
        applied.append(migration.version)
    return applied
