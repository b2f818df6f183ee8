"""The run, scenario and document store: SQLite (WAL) by default, PostgreSQL by URL.

Open one with :func:`open_store`; it creates or upgrades the schema (see
:mod:`winset.store.migrations`) and turns a bad URL or an unreachable database into an
:class:`~winset.errors.InputError`. Tables live in :mod:`winset.store.schema`; each kind of
record has its own module of functions over a :class:`Store` (documents:
:mod:`winset.store.documents`). See ``docs/store.md``.
"""

from winset.store.db import (
    DEFAULT_DB_ENV,
    Store,
    default_db_path,
    open_store,
    resolve_url,
)
from winset.store.documents import (
    DocumentRecord,
    StoredDocument,
    add_documents,
    count_documents,
    find_documents,
    get_document,
    get_extraction,
    list_documents,
)
from winset.store.migrations import LATEST_VERSION, schema_version

__all__ = [
    "DEFAULT_DB_ENV",
    "LATEST_VERSION",
    "DocumentRecord",
    "Store",
    "StoredDocument",
    "add_documents",
    "count_documents",
    "default_db_path",
    "find_documents",
    "get_document",
    "get_extraction",
    "list_documents",
    "open_store",
    "resolve_url",
    "schema_version",
]
