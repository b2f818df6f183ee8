"""Opening the store: where it is, how to connect, and turning failures into InputError."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Insert, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from winset.errors import InputError, show_value
from winset.store import migrations

DEFAULT_DB_ENV = "WINSET_DB"
"""Environment variable naming the store (a file path or a database URL)."""

_BUSY_TIMEOUT_S = 30.0
_CONNECT_TIMEOUT_S = 10
_EXPECTED_URL = "a database file path, sqlite:///PATH or postgresql+psycopg://USER@HOST/NAME"


def default_db_path() -> Path:
    """Where the store lives when neither ``--db`` nor ``WINSET_DB`` says.

    ``$XDG_DATA_HOME/winset/winset.db``, else ``~/.local/share/winset/winset.db``: one store
    per user, shared by every project folder, as KTAB keeps one run database.
    """
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "winset" / "winset.db"


def _shown(url: URL) -> str:
    """The URL as it may appear in messages: password hidden."""
    return url.render_as_string(hide_password=True)


def resolve_url(db: str | Path | None = None) -> URL:
    """The database URL for ``db``: a file path or URL, else ``WINSET_DB``, else the default.

    A file path means SQLite. ``postgresql://`` is read as ``postgresql+psycopg://`` (the
    driver winset supports). The default file's folder is created; a path given explicitly
    must be in an existing folder.

    Raises:
        InputError: Not a URL winset can use, or a path in a folder that does not exist.
    """
    explicit = db is not None
    raw = str(db) if db is not None else os.environ.get(DEFAULT_DB_ENV)
    if raw is not None and not raw.strip():
        where = "--db" if explicit else DEFAULT_DB_ENV
        raise InputError(_EXPECTED_URL, "an empty value", file=where)
    if raw is None:
        path = default_db_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(
                "a writable folder for the default store",
                exc.strerror or "an OS error",
                file=str(path.parent),
            ) from None
        return URL.create("sqlite+pysqlite", database=str(path))
    if "://" in raw:
        try:
            url = make_url(raw)
        except ArgumentError:
            raise InputError(_EXPECTED_URL, show_value(_mask(raw))) from None
        backend, _, driver = url.drivername.partition("+")
        if backend == "sqlite" and driver in ("pysqlite", ""):
            return url.set(drivername="sqlite+pysqlite")
        if backend == "postgresql" and driver in ("psycopg", "psycopg2", ""):
            return url.set(drivername="postgresql+psycopg")
        raise InputError(_EXPECTED_URL, show_value(f"{url.drivername}://…"))
    path = Path(raw).expanduser()
    if path.is_dir():
        raise InputError("a database file", "a directory", file=str(path))
    if not path.parent.is_dir():
        raise InputError("a database file in an existing folder", "no such folder", file=str(path))
    return URL.create("sqlite+pysqlite", database=str(path))


def _mask(raw: str) -> str:
    """Hide a password in a URL that could not be parsed."""
    scheme, sep, rest = raw.partition("://")
    userinfo, at, host = rest.rpartition("@")
    if at and ":" in userinfo:
        userinfo = userinfo.split(":", 1)[0] + ":***"
    return scheme + sep + userinfo + at + host if at else raw


def _sqlite_events(engine: Engine) -> None:
    """WAL, foreign keys, a busy timeout, and real transactions for DDL on SQLite.

    pysqlite's own transaction handling skips DDL; SQLAlchemy's documented recipe is to turn
    it off and emit BEGIN ourselves. Connections opened for writing
    (``execution_options(winset_write=True)``) begin IMMEDIATE, taking the write lock at once
    so two writers queue on ``busy_timeout`` instead of failing mid-transaction.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 30000")  # = _BUSY_TIMEOUT_S
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("winset_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _failure(exc: BaseException, url: URL) -> InputError:
    """One line for a database that cannot be opened."""
    orig = getattr(exc, "orig", None) or exc
    detail = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    detail = detail.replace(url.password or "\0", "***") if url.password else detail
    if "file is not a database" in detail:
        return InputError(
            "a winset SQLite database", "a file that is not a database", file=_shown(url)
        )
    if len(detail) > 160:
        detail = detail[:159] + "…"
    return InputError("a reachable database", f"{detail!r}", file=_shown(url))


class Store:
    """A connection pool to the store's database, with read and write transactions.

    Use :func:`open_store` to get one; close it (or use it as a context manager) when done.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return _shown(self.engine.url)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection inside a read transaction."""
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except DBAPIError as exc:
            raise _failure(exc, self.engine.url) from None

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A connection inside a write transaction: all of it commits, or none of it."""
        try:
            with (
                self.engine.connect().execution_options(winset_write=True) as conn,
                conn.begin(),
            ):
                yield conn
        except DBAPIError as exc:
            raise _failure(exc, self.engine.url) from None

    def schema_version(self) -> int:
        """The database's schema version."""
        with self.read() as conn:
            return migrations.schema_version(conn)

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def create_store_engine(url: URL) -> Engine:
    """An engine for ``url`` with winset's connection settings (not yet connected)."""
    try:
        if url.get_backend_name() == "sqlite":
            memory = url.database in (None, "", ":memory:")
            engine = create_engine(
                url,
                connect_args={"timeout": _BUSY_TIMEOUT_S, "check_same_thread": False},
                **({"poolclass": StaticPool} if memory else {}),
            )
            _sqlite_events(engine)
            return engine
        return create_engine(
            url,
            pool_pre_ping=True,
            connect_args={"connect_timeout": _CONNECT_TIMEOUT_S},
        )
    except (NoSuchModuleError, ModuleNotFoundError):
        raise InputError(
            "the psycopg driver (pip install 'psycopg[binary]')",
            "not installed",
            file=_shown(url),
        ) from None


def open_store(db: str | Path | None = None, *, upgrade: bool = True) -> Store:
    """Open (creating or upgrading) the store named by ``db``, ``WINSET_DB`` or the default.

    Args:
        db: A file path (SQLite) or a database URL; None for ``WINSET_DB`` or the default
            (:func:`default_db_path`).
        upgrade: Apply pending schema migrations (in one transaction, under a lock).

    Returns:
        The open store.

    Raises:
        InputError: A bad URL, an unreachable database, a file that is not a database, or
            a database written by a newer winset.
    """
    url = resolve_url(db)
    engine = create_store_engine(url)
    store = Store(engine)
    try:
        with store.read() as conn:
            current = migrations.schema_version(conn)
        if upgrade and current != migrations.LATEST_VERSION:
            with store.write() as conn:
                migrations.upgrade(conn, where=_shown(url))
    except InputError:
        engine.dispose()
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        raise _failure(exc, url) from None
    return store


def insert_ignore(conn: Connection, table: Any) -> Insert:
    """INSERT that skips rows whose key exists (race-free: two ingests of one text)."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    raise NotImplementedError(conn.dialect.name)  # pragma: no cover - only two backends
