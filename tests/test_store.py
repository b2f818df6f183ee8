from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import Connection, inspect, text

from conftest import PG_URL, reset_postgres
from winset.errors import InputError
from winset.store import (
    DocumentRecord,
    add_documents,
    count_documents,
    default_db_path,
    find_documents,
    get_document,
    get_extraction,
    list_documents,
    open_store,
    resolve_url,
)
from winset.store import migrations as mig
from winset.store.documents import ids_present
from winset.store.schema import metadata


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database: a SQLite file always, PostgreSQL when WINSET_TEST_POSTGRES_URL is set."""
    if request.param == "sqlite":
        return str(tmp_path / "winset.db")
    if not PG_URL:
        pytest.skip("WINSET_TEST_POSTGRES_URL is not set")
    reset_postgres(PG_URL)
    return PG_URL


def record(n: int = 1, **over: object) -> DocumentRecord:
    body = over.pop("body", f"Body number {n}.")
    fields: dict[str, object] = {
        "id": f"{n:064x}",
        "raw_sha256": f"{n + 1000:064x}",
        "source": f"article-{n}.txt",
        "format": "text",
        "body": body,
        "title": f"Title {n}",
        "published": dt.date(2019, 1, 23),
        "url": f"https://example.org/{n}",
        "removed": [
            {"text": "Read more", "reason": "'Read more' link", "rule": "read-more", "line": 9}
        ],
        "meta": {"paragraphs": [[0, 10]]},
    }
    fields.update(over)
    return DocumentRecord(**fields)  # type: ignore[arg-type]


# --- where the store is --------------------------------------------------------------------


def test_default_path_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("WINSET_DB", raising=False)
    assert default_db_path() == tmp_path / "data" / "winset" / "winset.db"
    url = resolve_url(None)
    assert url.database == str(tmp_path / "data" / "winset" / "winset.db")
    assert (tmp_path / "data" / "winset").is_dir()  # the default folder is created


def test_env_variable_and_explicit_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WINSET_DB", str(tmp_path / "env.db"))
    assert resolve_url(None).database == str(tmp_path / "env.db")
    assert resolve_url(tmp_path / "arg.db").database == str(tmp_path / "arg.db")  # --db wins
    assert resolve_url("sqlite:///" + str(tmp_path / "u.db")).drivername == "sqlite+pysqlite"
    assert resolve_url("postgresql://u:p@localhost/x").drivername == "postgresql+psycopg"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("mysql://u@h/db", "expected a database file path, sqlite:///PATH or postgresql+psycopg"),
        ("ftp://x", "expected a database file path"),
        ("", "an empty value"),
        (
            "/no/such/folder/w.db",
            "expected a database file in an existing folder, got no such folder",
        ),
    ],
)
def test_bad_locations_are_one_line_errors(value: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        open_store(value)
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_directory_and_non_database_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="expected a database file, got a directory"):
        open_store(tmp_path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 200)
    with pytest.raises(
        InputError, match="expected a winset SQLite database, got a file that is not a database"
    ):
        open_store(junk)


def test_unreachable_postgres_hides_password() -> None:
    # Port 1 on loopback: nothing listens; the connection is refused at once.
    with pytest.raises(InputError) as info:
        open_store("postgresql://winset:s3cret@127.0.0.1:1/winset")
    message = str(info.value)
    assert "expected a reachable database" in message
    assert "s3cret" not in message and "***" in message
    assert "\n" not in message


# --- schema and migrations -------------------------------------------------------------------


def test_sqlite_is_wal_with_foreign_keys(tmp_path: Path) -> None:
    store = open_store(tmp_path / "w.db")
    with store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()
    with sqlite3.connect(tmp_path / "w.db") as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persistent


def test_migrated_schema_matches_declared_tables(db: str) -> None:
    store = open_store(db)
    assert store.schema_version() == mig.LATEST_VERSION
    with store.read() as conn:
        inspector = inspect(conn)
        for table in metadata.sorted_tables:
            columns = {c["name"] for c in inspector.get_columns(table.name)}
            assert columns == {c.name for c in table.columns}, table.name
        rows = conn.execute(
            text("SELECT version, name FROM schema_migrations ORDER BY version")
        ).all()
    assert [r[0] for r in rows] == [m.version for m in mig.MIGRATIONS]
    store.close()


def test_open_twice_applies_nothing_new(db: str) -> None:
    open_store(db).close()
    store = open_store(db)
    with store.write() as conn:
        assert mig.upgrade(conn) == []
    store.close()


def _extra(conn: Connection) -> None:
    conn.execute(text("CREATE TABLE extra_table (id INTEGER PRIMARY KEY, note TEXT)"))


def test_upgrade_applies_a_new_migration_once(db: str) -> None:
    open_store(db).close()
    longer = (*mig.MIGRATIONS, mig.Migration(mig.LATEST_VERSION + 1, "extra table", _extra))
    store = open_store(db)
    with store.write() as conn:
        assert mig.upgrade(conn, longer) == [mig.LATEST_VERSION + 1]
    with store.write() as conn:
        assert mig.upgrade(conn, longer) == []
    with store.read() as conn:
        assert inspect(conn).has_table("extra_table")
        assert mig.schema_version(conn) == mig.LATEST_VERSION + 1
    store.close()
    # This winset does not know version LATEST + 1: it refuses rather than guess.
    latest = mig.LATEST_VERSION
    with pytest.raises(
        InputError,
        match=rf"schema version {latest} or older .*got version {latest + 1}, written by a newer",
    ):
        open_store(db)


def test_failed_migration_leaves_nothing_behind(tmp_path: Path) -> None:
    def broken(conn: Connection) -> None:
        conn.execute(text("CREATE TABLE half_done (id INTEGER)"))
        raise RuntimeError("boom")

    store = open_store(tmp_path / "m.db")
    longer = (*mig.MIGRATIONS, mig.Migration(mig.LATEST_VERSION + 1, "broken", broken))
    with pytest.raises(RuntimeError), store.write() as conn:
        mig.upgrade(conn, longer)
    with store.read() as conn:
        assert not inspect(conn).has_table("half_done")  # DDL rolled back with the rest
        assert mig.schema_version(conn) == mig.LATEST_VERSION
    store.close()


# --- documents -------------------------------------------------------------------------------


def test_documents_keyed_by_content_hash(db: str) -> None:
    store = open_store(db)
    first = [(record(1), "x/1", {"entities": []}), (record(2), "x/1", {"entities": []})]
    assert add_documents(store, first) == [True, True]
    assert add_documents(store, first) == [False, False]  # twice: nothing added
    assert count_documents(store) == 2
    # A new extractor version on a stored document adds its extraction, not a document.
    assert add_documents(store, [(record(1), "x/2", {"entities": ["new"]})]) == [False]
    assert count_documents(store) == 2
    assert get_extraction(store, record(1).id, "x/1") == ("x/1", {"entities": []})
    assert get_extraction(store, record(1).id, "x/2") == ("x/2", {"entities": ["new"]})
    store.close()


def test_document_round_trip_and_lookups(db: str) -> None:
    store = open_store(db)
    hostile = record(
        7,
        title="Robert'); DROP TABLE documents;-- [bold red]x[/] \x1b[2J",
        body="O'Brien said “50%” -- ; DELETE FROM documents;",
    )
    add_documents(store, [(hostile, "x/1", {"quotes": [{"text": "a ' b"}]})])
    stored = get_document(store, hostile.id[:12])
    assert stored is not None
    assert stored.record == hostile  # stored verbatim: every value is a bound parameter
    assert stored.ingested_at.tzinfo is not None
    assert get_document(store, "0000") is None  # prefixes shorter than 8 are not looked up
    assert get_document(store, "%") is None
    assert [d.record.id for d in find_documents(store, url="https://example.org/7")] == [hostile.id]
    assert [d.record.id for d in find_documents(store, raw_sha256=hostile.raw_sha256)] == [
        hostile.id
    ]
    assert [d.record.id for d in list_documents(store)] == [hostile.id]
    assert ids_present(store, [hostile.id, "f" * 64]) == {hostile.id}
    assert count_documents(store) == 1
    store.close()


def test_prefix_lookup_escapes_wildcards(db: str) -> None:
    store = open_store(db)
    add_documents(store, [(record(3), "x", {})])
    assert get_document(store, "%%%%%%%%") is None
    assert get_document(store, "________") is None
    store.close()


def test_a_failed_batch_stores_nothing(tmp_path: Path) -> None:
    store = open_store(tmp_path / "b.db")
    add_documents(store, [(record(1), "x", {})])
    bad = record(2, body=None)  # NOT NULL violated half way through the batch
    with pytest.raises(InputError):
        add_documents(store, [(record(3), "x", {}), (bad, "x", {})])
    assert [d.record.id for d in list_documents(store)] == [record(1).id]
    store.close()


def test_concurrent_writers_do_not_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    open_store(path).close()
    results: list[list[bool]] = []

    def worker() -> None:
        store = open_store(path)
        results.append(add_documents(store, [(record(n), "x", {}) for n in range(1, 6)]))
        store.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store = open_store(path)
    assert count_documents(store) == 5
    assert sum(flag for r in results for flag in r) == 5  # each document added exactly once
    store.close()
