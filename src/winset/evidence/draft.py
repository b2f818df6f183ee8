"""A first scenario from ingested documents, for the analyst to edit.

Actors are the people, organisations, countries and groups mentioned most (and those with
stance sentences); issues are the issues their stance sentences are about. Every number
is a placeholder with a judgement saying so, and cites the sentences that bear on it:
stance sentences for positions and saliences, figures about the actor (poll shares,
seats, budgets) for capability. ``winset validate --require-evidence`` passes on a draft,
but every judgement in it starts with "draft:" so that none goes unexamined.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from winset.errors import InputError
from winset.evidence.model import Document, Figure
from winset.scenario.model import Scenario

_CLOUT_WORDS = re.compile(
    r"\b(confidence|approval|trust|popularity|popular|support|seats?|votes?|majority|budget|gdp|"
    r"members|membership|troops|market share|share|revenue|turnover|workers|employees|strength)\b",
    re.IGNORECASE,
)
_ISSUE_NAMES = {
    "territory": "Territory",
    "security": "Security terms",
    "treaty": "Agreement or treaty",
    "economy": "Economic terms",
}
ACTOR_LABELS = ("PERSON", "ORG", "GPE", "NORP")


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return slug[:60] or "actor"


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}_{n}"
        n += 1
    taken.add(candidate)
    return candidate


def _source_id(doc: Document, taken: set[str]) -> str:
    a = doc.article
    stem = _slug(a.publisher or "") or "doc"
    stem = stem if a.publisher else f"doc_{a.id[:8]}"
    if a.published:
        stem = f"{stem}_{a.published.isoformat()}"
    return _unique(stem, taken)


def _figure_text(f: Figure) -> str:
    return f"{f.qualifier} {f.text}" if f.qualifier else f.text


def draft_scenario(
    documents: Sequence[Document], *, max_actors: int = 12, title: str | None = None
) -> Scenario:
    """Propose a scenario from documents.

    Args:
        documents: Ingested documents (see :func:`winset.evidence.ingest.process_all`).
        max_actors: At most this many actors.
        title: The scenario's title (default: from the documents).

    Raises:
        InputError: The documents name no actor.
    """
    taken_sources: set[str] = set()
    sources: list[dict[str, Any]] = []
    source_of: dict[str, str] = {}
    for doc in documents:
        if doc.article.id in source_of:
            continue
        sid = _source_id(doc, taken_sources)
        source_of[doc.article.id] = sid
        a = doc.article
        entry: dict[str, Any] = {"id": sid, "title": a.title or a.source}
        for key, value in (
            ("publisher", a.publisher),
            ("author", a.author),
            ("url", a.url),
            ("published", a.published),
        ):
            if value:
                entry[key] = value
        if a.format and not a.source.lower().startswith(("http://", "https://")):
            # Absolute: a path in a scenario is read relative to the scenario's own folder,
            # and the draft may be saved anywhere.
            entry["path"] = str(Path(a.source).resolve())
        sources.append(entry)

    excluded = {x for d in documents for x in (d.article.publisher, d.article.author) if x}
    mentions: Counter[str] = Counter()
    stance_count: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for doc in documents:
        for e in doc.extraction.entities:
            if e.label in ACTOR_LABELS and e.canonical not in excluded:
                mentions[e.canonical] += 1
                labels.setdefault(e.canonical, e.label)
        for s in doc.extraction.stances:
            if s.actor not in excluded:
                stance_count[s.actor] += 1
    ranked = sorted(
        set(mentions) | set(stance_count), key=lambda n: (-(3 * stance_count[n] + mentions[n]), n)
    )
    chosen = ranked[:max_actors]
    if not chosen:
        raise InputError(
            "documents that name at least one person, organisation or country", "none found"
        )

    issue_ids = sorted(
        {s.issue for d in documents for s in d.extraction.stances if s.actor in chosen}
    )
    if not issue_ids:
        issue_ids = ["issue"]
    issues = [
        {
            "id": issue_id,
            "name": _ISSUE_NAMES.get(issue_id, issue_id.replace("_", " ").capitalize()),
            "description": "draft: set what 0 and 100 mean and label the points in between",
            "points": [
                {"position": 0, "label": "draft: one side's ideal"},
                {"position": 100, "label": "draft: the other side's ideal"},
            ],
        }
        for issue_id in issue_ids
    ]

    taken_ids: set[str] = set()
    actors = []
    for name in chosen:
        stances: dict[str, Any] = {}
        by_issue: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for doc in documents:
            for s in doc.extraction.stances:
                if s.actor == name:
                    by_issue[s.issue].append(
                        {
                            "source": source_of[doc.article.id],
                            "claim": (
                                f"draft: {name} {s.stance} {s.outcome or 'the outcome'} "
                                f"(cue {s.cue!r})"
                            ),
                            "locator": f"chars {s.start}-{s.end}",
                        }
                    )
        for issue_id in issue_ids:
            cited = by_issue.get(issue_id, [])
            if not cited and issue_id != "issue":
                continue
            n = len(cited)
            stances[issue_id] = {
                "position": {
                    "value": 50,
                    "low": 0,
                    "high": 100,
                    "evidence": cited[:5],
                    "judgement": (
                        "draft: place the actor on the scale from the stance sentences cited"
                    ),
                },
                "salience": {
                    "value": min(90, 40 + 10 * n),
                    "low": 0,
                    "high": 100,
                    "evidence": cited[:5],
                    "judgement": (
                        f"draft: {n} stance sentence(s) on this issue; set from the evidence"
                    ),
                },
            }
        clout = []
        for doc in documents:
            body = doc.article.body
            for f in doc.extraction.figures:
                sentence = next(
                    ((a, b) for a, b in doc.extraction.sentences if a <= f.start < b), None
                )
                if sentence is None:
                    continue
                names = {
                    e.canonical
                    for e in doc.extraction.entities
                    if sentence[0] <= e.start < sentence[1]
                }
                if (name in names or f.owner == name) and _CLOUT_WORDS.search(
                    body[sentence[0] : sentence[1]]
                ):
                    clout.append(
                        {
                            "source": source_of[doc.article.id],
                            "claim": (
                                f"draft: a figure in a sentence about {name}: "
                                f"{f.measures or f.kind}"
                            ),
                            "figure": _figure_text(f),
                            "locator": f"chars {sentence[0]}-{sentence[1]}",
                        }
                    )
        actors.append(
            {
                "id": _unique(_slug(name), taken_ids),
                "name": name,
                "description": (
                    f"draft: {labels.get(name, 'actor')}, {mentions[name]} mention(s), "
                    f"{stance_count[name]} stance sentence(s)"
                ),
                "capability": {
                    "value": 50,
                    "low": 0,
                    "high": 100,
                    "evidence": clout[:5],
                    "judgement": "draft: set the actor's clout from the evidence",
                },
                "stances": stances,
            }
        )
    if not any(a["stances"] for a in actors):
        actors[0]["stances"] = {
            issue_ids[0]: {
                "position": {"value": 50, "judgement": "draft: no stance sentence found"},
                "salience": {"value": 50, "judgement": "draft: no stance sentence found"},
            }
        }
    dates = [d.article.published for d in documents if d.article.published]
    data: dict[str, Any] = {
        "title": title
        or f"Draft from {len(sources)} document(s): {documents[0].article.title or 'untitled'}"[
            :200
        ],
        "question": "draft: what outcome is to be forecast, and by when?",
        "sources": sources,
        "issues": issues,
        "actors": actors,
    }
    if dates:
        data["as_of"] = max(dates)
    return Scenario.model_validate(data)
