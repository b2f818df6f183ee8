"""Ingest: storing all or nothing, bad input as one line each, URLs from a local server."""

from __future__ import annotations

import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from conftest import DATA, EXAMPLES
from winset.errors import InputError
from winset.evidence.commands import ingest, print_errors, print_ingest, safe
from winset.evidence.ingest import IngestError, Pipeline
from winset.evidence.sources import RawInput, decode
from winset.evidence.stance import issues_from_scenario, issues_key
from winset.scenario.io import load
from winset.store import count_documents, get_extraction, list_documents, open_store

ARTICLES = EXAMPLES / "articles"
FISHING = ARTICLES / "northernwire-2024-03-05-islands-fishing.txt"
DEAL = ARTICLES / "coastal-ledger-2023-05-02-harbour-deal.txt"
GOOD_TEXT = (
    "Port Talks Resume\n\nThe union met the port authority on Friday and agreed to meet again.\n"
)


def _ingest(*paths: object, db: Path, **kw: object) -> dict:
    return ingest([str(p) for p in paths], db, use_model=False, **kw)  # type: ignore[arg-type]


def test_ingest_twice_adds_nothing(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    first = _ingest(ARTICLES, db=db)
    assert [d["status"] for d in first["documents"]] == ["new"] * 4
    second = _ingest(ARTICLES, FISHING, db=db)
    assert [d["status"] for d in second["documents"]] == ["stored"] * 5
    store = open_store(db)
    assert count_documents(store) == 4
    assert {d.record.title for d in list_documents(store)} >= {
        "Fishing Crews Caught Between Two Maps Off the Disputed Islands"
    }
    store.close()


def test_reading_for_another_scenario_adds_an_extraction(tmp_path: Path) -> None:
    # Stances are looked for per issue: the same article read for another scenario's issues
    # gets its own extraction; the earlier one stays and is still found by its issues.
    db = tmp_path / "w.db"
    kuril, budget = EXAMPLES / "kuril-2019-01.yaml", DATA / "three_party.yaml"
    first = _ingest(FISHING, db=db, scenario=kuril)
    second = _ingest(FISHING, db=db, scenario=budget)
    assert [d["status"] for d in second["documents"]] == ["stored"]
    doc_id = first["documents"][0]["id"]
    store = open_store(db)
    keys = {
        name: issues_key(issues_from_scenario(load(path)))
        for name, path in (("kuril", kuril), ("budget", budget))
    }
    assert keys["kuril"] != keys["budget"]
    for name, key in keys.items():
        found = get_extraction(store, doc_id, ending=f" issues:{key}")
        assert found is not None and found[0].endswith(key), name
    newest = get_extraction(store, doc_id)
    assert newest is not None and newest[0].endswith(keys["budget"])
    store.close()


def test_json_contract_offsets(tmp_path: Path) -> None:
    data = _ingest(DEAL, db=tmp_path / "w.db")
    doc = data["documents"][0]
    assert doc["title"].startswith("Veldmark Dockers")
    for key in ("entities", "figures"):
        for item in doc[key]:
            assert doc["body"][item["start"] : item["end"]] == item["text"]
    assert data["model"]["name"] == "rules"


def test_unsaved_ingest_touches_no_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WINSET_DB", str(tmp_path / "nope" / "w.db"))  # would fail if opened
    data = ingest([str(DEAL)], save=False, use_model=False)
    assert data["store"] is None and data["documents"][0]["status"] == "unsaved"


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    cases = {
        "empty": (b"", "expected an article, got an empty file"),
        "blank": (b"  \n\n ", "expected an article, got only white space"),
        "binary": (
            b"Port\x00\x01\x02",
            "expected a text or HTML article, got binary data (a NUL byte at offset 4)",
        ),
        "pdf": (b"%PDF-1.7 ...", "got binary data (a PDF file)"),
        "latin1": (
            "Port Talks\n\nCaf\u00e9 owners agreed.\n".encode("latin-1"),
            "expected UTF-8 text, got an invalid byte at offset",
        ),
        "cut_char": (
            "Port Talks\n\nThe union agreed \u2014".encode()[:-1],
            "got a truncated file (an incomplete character at offset",
        ),
        "cut_text": (
            b"Port Talks\n\nThe union met the port authority on Friday and the two sides agreed that the",
            "expected a complete article, got the text stops mid-sentence",
        ),
        "only_junk": (
            b"Read more\n\nSupport Us!\n",
            "expected an article with body text, got nothing left once boilerplate was removed",
        ),
    }
    out = {}
    for name, (data, message) in cases.items():
        path = tmp_path / f"{name}.txt"
        path.write_bytes(data)
        out[name] = (path, message)
    html = tmp_path / "nav.html"
    html.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    out["no_article"] = (
        html,
        "expected an HTML page with an article, got no article text found (only 1 word of text)",
    )
    return out


def test_each_bad_input_is_one_line_and_nothing_is_stored(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    _ingest(FISHING, db=db)
    bad = _bad_files(tmp_path)
    for name, (path, message) in bad.items():
        with pytest.raises(InputError) as info:
            _ingest(DEAL, path, db=db)
        assert message in str(info.value), name
        assert str(path) in str(info.value)
        assert "\n" not in str(info.value)
    # All of them at once: one line each, in order, and still nothing new stored.
    with pytest.raises(IngestError) as info:
        _ingest(DEAL, *(p for p, _ in bad.values()), db=db)
    assert len(info.value.errors) == len(bad)
    out = io.StringIO()
    print_errors(info.value, Console(file=out, width=80, soft_wrap=True))
    lines = out.getvalue().strip().split("\n")
    assert len(lines) == len(bad)
    assert all(line.startswith("winset: error: ") for line in lines)
    assert f"(and {len(bad) - 1} more bad inputs)" in str(info.value)
    store = open_store(db)
    assert count_documents(store) == 1  # the earlier document is intact, DEAL was not added
    store.close()


def test_enormous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.txt"
    big.write_text(GOOD_TEXT * 100, encoding="utf-8")
    monkeypatch.setenv("WINSET_MAX_INPUT_BYTES", "1000")
    with pytest.raises(
        InputError, match=r"expected an article of at most 1,000 bytes, got a larger one"
    ):
        _ingest(big, db=tmp_path / "w.db")


def test_missing_paths_and_empty_folders(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        _ingest(tmp_path / "nope.txt", db=tmp_path / "w.db")
    (tmp_path / "empty").mkdir()
    with pytest.raises(
        InputError, match=r"expected a folder holding \.txt or \.html articles, got none in it"
    ):
        _ingest(tmp_path / "empty", db=tmp_path / "w.db")
    with pytest.raises(InputError, match="expected a file, a folder or an http"):
        _ingest("ftp://example.org/a.txt", db=tmp_path / "w.db")


def test_truncated_text_can_be_allowed(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_text(
        "Port Talks\n\nThe union met the port authority on Friday and the two sides agreed that the",
        encoding="utf-8",
    )
    data = _ingest(path, db=tmp_path / "w.db", allow_truncated=True)
    assert data["documents"][0]["warnings"][0].startswith("the text stops mid-sentence")


def test_bad_store_fails_before_work(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="expected a reachable database"):
        ingest([str(DEAL)], "postgresql://u:p@127.0.0.1:1/x", use_model=False)


def test_decode_declared_charsets() -> None:
    raw = RawInput(
        "x.html", "<meta charset='iso-8859-1'><p>Caf\u00e9</p>".encode("latin-1"), "html"
    )
    assert "Caf\u00e9" in decode(raw)
    raw = RawInput("x.txt", "Port".encode("utf-16"), "text")
    assert decode(raw) == "Port"
    with pytest.raises(InputError, match="expected a known character encoding"):
        decode(RawInput("x.html", b"<meta charset='klingon'><p>x</p>", "html"))


# --- URLs, from a server on 127.0.0.1 only ---------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, tuple[int, str, bytes]]] = {}

    def do_GET(self) -> None:
        status, ctype, body = self.pages.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        if status in (301, 302):
            self.send_header("Location", ctype)
            ctype = "text/plain"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    html = (ARTICLES / "coastal-ledger-2023-04-12-harbour-talks.html").read_bytes()
    _Handler.pages = {
        "/article.html": (200, "text/html; charset=utf-8", html),
        "/dump.txt": (200, "text/plain; charset=utf-8", DEAL.read_bytes()),
        "/image.png": (200, "image/png", b"\x89PNG\r\n"),
        "/gone": (500, "text/plain", b"boom"),
        "/to-file": (302, "file:///etc/passwd", b""),
    }
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_ingest_urls_from_local_server(server: str, tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    data = _ingest(f"{server}/article.html", f"{server}/dump.txt", db=tmp_path / "w.db")
    html, text = data["documents"]
    assert html["title"] == "Harbour talks stall as Veldmark dockers reject second offer"
    assert (
        html["url"] == "https://www.coastal-ledger.example/2023/04/12/harbour-talks-stall"
    )  # canonical link
    assert text["author"] == "Mira Tallon"
    assert text["source"] == f"{server}/dump.txt"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "expected a page that answers 200 OK, got HTTP 404 Not Found"),
        ("/gone", "got HTTP 500"),
        ("/image.png", "expected an HTML or plain-text page, got content type 'image/png'"),
        ("/to-file", "expected a page that answers 200 OK"),
    ],
)
def test_failing_urls(server: str, tmp_path: Path, path: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        _ingest(server + path, db=tmp_path / "w.db")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_unreachable_url(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="expected a reachable address"):
        _ingest("http://127.0.0.1:1/x.html", db=tmp_path / "w.db")


# --- untrusted text --------------------------------------------------------------------------------


def test_article_text_is_never_markup(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "[bold red]Pwned[/bold red] Talks \x1b[2J Resume\n\n"
        "Robert'); DROP TABLE documents;-- said the union met the port on Friday.\n",
        encoding="utf-8",
    )
    data = _ingest(hostile, db=tmp_path / "w.db")
    out = io.StringIO()
    print_ingest(data, Console(file=out, width=200, force_terminal=True, color_system="standard"))
    shown = out.getvalue()
    assert "[bold red]Pwned[/bold red]" in shown  # printed literally, not interpreted
    assert "\x1b[2J" not in shown
    assert safe("a\x1b[2Jb\u202e").plain == "a\\x1b[2Jb\\u202e"
    store = open_store(tmp_path / "w.db")
    assert "DROP TABLE" in list_documents(store)[0].record.body  # stored verbatim, table intact
    store.close()


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.text(max_size=400).map(lambda s: s.encode("utf-8", "surrogatepass")),
    )
)
def test_arbitrary_bytes_never_crash(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    pipeline = Pipeline.load(use_model=False)
    for suffix in (".txt", ".html"):
        path = folder / f"a{suffix}"
        path.write_bytes(data)
        try:
            doc = pipeline.process(str(path))
        except InputError as exc:
            assert "\n" not in str(exc) and str(path) in str(exc)
        else:
            body = doc.article.body
            assert body.strip()
            for e in doc.extraction.entities:
                assert body[e.start : e.end] == e.text
            for f in doc.extraction.figures:
                assert body[f.start : f.end] == f.text
