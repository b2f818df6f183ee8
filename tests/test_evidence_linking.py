"""Linking scenario inputs to sentences (winset evidence) and drafting a scenario (winset draft)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES, shared_path
from winset.errors import InputError
from winset.evidence.commands import draft, evidence_report, ingest, print_evidence
from winset.scenario.io import dumps, load
from winset.scenario.yaml_format import load_yaml_text

ARTICLES = EXAMPLES / "articles"
FISHING = ARTICLES / "northernwire-2024-03-05-islands-fishing.txt"


def _scenario(tmp_path: Path) -> Path:
    data = {
        "title": "Nemuro quota talks",
        "sources": [
            {"id": "nw", "path": str(FISHING)},
            {"id": "gone", "path": "no-such-file.txt"},
            {"id": "memo", "title": "An internal memo"},
        ],
        "issues": [
            {
                "id": "quota",
                "name": "Quota agreement",
                "points": [{"position": 100, "label": "five-year quota agreement"}],
            }
        ],
        "actors": [
            {
                "id": "coop",
                "capability": {
                    "value": 40,
                    "evidence": [
                        {
                            "source": "nw",
                            "claim": "The cooperative represents many boats",
                            "figure": "1,200 boats",
                        }
                    ],
                },
                "stances": {
                    "quota": {
                        "position": {
                            "value": 100,
                            "evidence": [
                                {
                                    "source": "nw",
                                    "claim": "wants a five-year quota agreement",
                                    "locator": "para 2",
                                }
                            ],
                        },
                        "salience": {
                            "value": 80,
                            "evidence": [
                                {
                                    "source": "nw",
                                    "claim": "households depend on fishing",
                                    "locator": '"62 percent of local households"',
                                }
                            ],
                        },
                    }
                },
            },
            {
                "id": "association",
                "capability": {
                    "value": 30,
                    "evidence": [{"source": "nw", "claim": "x", "locator": "chars 0-20"}],
                },
                "stances": {
                    "quota": {
                        "position": {
                            "value": 20,
                            "evidence": [{"source": "gone", "claim": "anything"}],
                        },
                        "salience": {"value": 50, "judgement": "a guess"},
                    }
                },
            },
            {
                "id": "council",
                "capability": 10,
                "stances": {
                    "quota": {
                        "position": {
                            "value": 50,
                            "evidence": [{"source": "nw", "claim": "x", "locator": "para 40"}],
                        },
                        "salience": 10,
                    }
                },
            },
        ],
    }
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_evidence_report_finds_sentences_and_flags_the_rest(tmp_path: Path) -> None:
    report = evidence_report(_scenario(tmp_path), use_store=False, use_model=False)
    by_field = {i["field"]: i for i in report["inputs"]}
    cap = by_field["actors[0].capability"]
    assert cap["status"] == "evidenced" and not cap["flagged"]
    sentence = cap["evidence"][0]["sentences"][0]
    assert (
        sentence["how"] == "figure"
        and "1,200 boats" in sentence["text"]
        and sentence["paragraph"] == 2
    )
    pos = by_field["actors[0].stances.quota.position"]["evidence"][0]["sentences"]
    assert [s["how"] for s in pos] == ["claim"] and "five-year quota agreement" in pos[0]["text"]
    sal = by_field["actors[0].stances.quota.salience"]["evidence"][0]["sentences"]
    assert sal[0]["how"] == "locator" and sal[0]["text"].startswith(
        "A survey by the Nemuro Research Institute"
    )
    chars = by_field["actors[1].capability"]["evidence"][0]["sentences"]
    assert chars[0]["start"] == 0 and chars[0]["paragraph"] == 1
    gone = by_field["actors[1].stances.quota.position"]
    assert gone["flagged"] and gone["status"] == "cited, no sentence found"
    assert "does not exist" in gone["evidence"][0]["problem"]
    assert by_field["actors[1].stances.quota.salience"]["status"] == "judgement only"
    assert (
        by_field["actors[2].capability"]["status"] == "nothing"
        and by_field["actors[2].capability"]["flagged"]
    )
    bad_para = by_field["actors[2].stances.quota.position"]["evidence"][0]["problem"]
    assert "names no paragraph of the document (6 paragraphs)" in bad_para
    assert report["summary"] == {
        "inputs": 9,
        "evidenced": 4,
        "flagged": 5,
        "sources_found": 1,
        "sources": 3,
    }


def test_evidence_report_prints_a_table(tmp_path: Path) -> None:
    import io

    from rich.console import Console

    report = evidence_report(_scenario(tmp_path), use_store=False, use_model=False)
    out = io.StringIO()
    print_evidence(report, Console(file=out, width=200))
    text = out.getvalue()
    assert "actors[0].capability" in text and "evidenced" in text and "4 of 9 inputs" in text


def test_evidence_report_uses_the_store_by_url(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    ingest([str(FISHING)], db, use_model=False)
    path = tmp_path / "s.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "title": "t",
                "sources": [
                    {
                        "id": "nw",
                        "url": "https://WWW.northernwire.example/2024/03/05/fishing-crews-caught-between-two-maps-off-the-disputed-islands/?utm_source=x",
                    }
                ],
                "issues": [{"id": "i"}],
                "actors": [
                    {
                        "id": "a",
                        "capability": {
                            "value": 1,
                            "evidence": [{"source": "nw", "claim": "c", "figure": "62 %"}],
                        },
                        "stances": {"i": {"position": 1, "salience": 1}},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    report = evidence_report(path, db, use_model=False)
    assert report["sources"][0]["found_by"] == "store (url)"
    assert report["inputs"][0]["status"] == "evidenced"


def test_evidence_report_finds_a_stored_document_by_id_prefix(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    [doc] = ingest([str(FISHING)], db, use_model=False)["documents"]
    path = tmp_path / "s.yaml"
    source = {"id": doc["id"][:12]}  # no path, no URL: the id prefix of a stored document
    scenario = {
        "title": "t",
        "sources": [source],
        "issues": [{"id": "i"}],
        "actors": [
            {
                "id": "a",
                "capability": {
                    "value": 1,
                    "evidence": [{"source": source["id"], "claim": "c", "figure": "62 %"}],
                },
                "stances": {"i": {"position": 1, "salience": 1}},
            }
        ],
    }
    path.write_text(yaml.safe_dump(scenario), encoding="utf-8")
    report = evidence_report(path, db, use_model=False)
    assert report["sources"][0]["found_by"] == "store (id)"
    assert report["inputs"][0]["status"] == "evidenced"


@pytest.mark.shared
def test_flagship_scenario_paragraph_locators() -> None:
    shared_path("articles", "moscowtimes-2019-01-23-putin-clout-abe.txt")
    report = evidence_report(EXAMPLES / "kuril-2019-01.yaml", use_store=False, use_model=False)
    putin = next(i for i in report["inputs"] if i["field"] == "actors[0].capability")
    first = putin["evidence"][0]
    assert first["source"] == "mt-2019-01-23"
    texts = " ".join(s["text"] for s in first["sentences"])
    assert "33.4 percent" in texts and "57 percent" in texts  # 'para 6' and the figure agree
    assert {s["paragraph"] for s in first["sentences"]} == {6}


def test_draft_scenario_from_articles(tmp_path: Path) -> None:
    scenario = draft(
        [
            str(ARTICLES / "coastal-ledger-2023-05-02-harbour-deal.txt"),
            str(ARTICLES / "coastal-ledger-2023-04-12-harbour-talks.html"),
        ],
        use_model=False,
    )
    names = [a.name for a in scenario.actors]
    assert {"dockers' union", "ports authority of Veldmark", "Jonas Brek", "Anja Lund"} <= set(
        names
    )
    assert [i.id for i in scenario.issues] == ["economy"]
    union = next(a for a in scenario.actors if a.name == "dockers' union")
    cited = union.stances["economy"].position.evidence
    assert cited and cited[0].locator is not None and cited[0].locator.startswith("chars ")
    assert all(q.judgement and q.judgement.startswith("draft:") for _, q in scenario.quantities())
    assert {s.publisher for s in scenario.sources} == {"The Coastal Ledger"}
    assert scenario.as_of is not None and scenario.as_of.isoformat() == "2023-05-02"
    assert not scenario.unsourced()
    # It is a valid scenario file, and the lead's CLI can write it as YAML.
    text = dumps(scenario, "yaml")
    assert load_yaml_text(text, "draft.yaml") == scenario
    out = tmp_path / "draft.yaml"
    out.write_text(text, encoding="utf-8")
    assert load(out).title == scenario.title


def test_draft_needs_actors(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "Quiet Day\n\nnothing at all happened on the quay today, and the gulls were loud.\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="expected documents that name at least one person"):
        draft([str(path)], use_model=False)
