"""The store's tables as they are at the newest schema version (SQLAlchemy Core).

Queries use these objects, so every statement is built and parameterised by SQLAlchemy;
no SQL text is ever assembled from values. Each migration in
:mod:`winset.store.migrations` creates or alters tables with its own frozen definitions,
and a test checks that a migrated database has exactly the columns declared here.

To add a table (say, runs): declare it here on :data:`metadata`, add a migration that
creates it, and write a module of functions over :class:`~winset.store.Store`.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
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
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData()

Json = JSON().with_variant(JSONB(), "postgresql")
"""JSON: JSONB on PostgreSQL (indexable), JSON text on SQLite."""

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)
"""One row per applied migration; the schema version is the highest ``version``."""

documents = Table(
    "documents",
    metadata,
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
    Column("removed", Json, nullable=False, comment="what cleaning removed, and why"),
    Column("meta", Json, nullable=False, comment="other metadata and warnings"),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Index("ix_documents_raw_sha256", "raw_sha256"),
    Index("ix_documents_url", "url"),
)
"""Ingested articles, keyed by content hash: ingesting the same text twice adds nothing."""

extractions = Table(
    "extractions",
    metadata,
    Column(
        "document_id",
        String(64),
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("extractor", String(200), primary_key=True, comment="name and version"),
    Column("data", Json, nullable=False, comment="entities, figures, quotes, stances"),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
"""What an extractor found in a document; one row per document and extractor version."""

scenarios = Table(
    "scenarios",
    metadata,
    Column("id", String(64), primary_key=True, comment="sha256 of the scenario's JSON"),
    Column("title", Text, nullable=False),
    Column("body", Json, nullable=False, comment="the validated scenario, as JSON"),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
"""Scenarios that runs were made on, keyed by content: the same scenario is stored once."""

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scenario_id", String(64), ForeignKey("scenarios.id"), nullable=False),
    Column("kind", String(32), nullable=False, comment="montecarlo"),
    Column("model", String(64), nullable=False),
    Column("options", Json, nullable=False, comment="the model's keyword options"),
    Column("seed", Integer, nullable=False),
    Column("sampler", String(16), nullable=False),
    Column("draws", Integer, nullable=False),
    Column("batch", Integer, nullable=False, comment="draws per batch"),
    Column("code_version", String(64), nullable=False, comment="winset version"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), comment="set when every batch is stored"),
)
"""One row per run; its results are its batches."""

run_batches = Table(
    "run_batches",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("start", Integer, primary_key=True, autoincrement=False, comment="first draw"),
    Column("stop", Integer, nullable=False, comment="one past the last draw"),
    Column("forecast", LargeBinary, nullable=False, comment="float64 [draws, issues], .npy"),
    Column("deal", LargeBinary, comment="bool [draws, issues], .npy, where the model has one"),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
"""A run's results, one row per batch of draws, written in one transaction each: a run
killed mid-way keeps every finished batch and no half batch; the key forbids a batch
being stored twice."""
