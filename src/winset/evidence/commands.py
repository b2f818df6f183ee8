"""What ``winset ingest``, ``winset evidence`` and ``winset draft`` do, as plain functions.

The CLI (and notebooks) call these; they return JSON-ready dicts or a Scenario and raise
:class:`~winset.errors.InputError` (for several bad inputs, its subclass
:class:`~winset.evidence.ingest.IngestError`, whose ``errors`` hold one line each) on bad
input. The ``print_*`` functions render the dicts as rich tables; article text is
always passed to rich as :class:`rich.text.Text`, never as markup, and control
characters are shown escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from winset.errors import InputError, safe_text
from winset.evidence.draft import draft_scenario
from winset.evidence.ingest import IngestError, Pipeline, process_all, store_documents
from winset.evidence.linking import report, resolve_sources
from winset.evidence.stance import issues_from_scenario
from winset.scenario.io import load
from winset.scenario.model import Scenario
from winset.store import open_store

__all__ = [
    "IngestError",
    "draft",
    "evidence_report",
    "ingest",
    "print_errors",
    "print_evidence",
    "print_ingest",
]


def safe(text: object, limit: int | None = None) -> Text:
    """Untrusted text for the terminal: no markup, control and bidi characters escaped."""
    return Text(safe_text("" if text is None else text, limit))


def ingest(
    paths: Sequence[str | Path],
    db: str | Path | None = None,
    *,
    save: bool = True,
    rules: Sequence[str | Path] = (),
    gazetteer: Sequence[str | Path] = (),
    scenario: str | Path | None = None,
    use_model: bool = True,
    allow_truncated: bool = False,
) -> dict[str, Any]:
    """Read, clean and extract articles, and store them (all of them, or none on bad input).

    Args:
        paths: Files (.txt dumps, .html pages), folders of them, http(s) URLs.
        db: The store (file path or URL; default ``WINSET_DB`` or the per-user file).
        save: False to extract without storing.
        rules: Extra cleaning-rule files (besides ``WINSET_EVIDENCE_RULES``).
        gazetteer: Extra gazetteer files (besides ``WINSET_GAZETTEER``).
        scenario: A scenario whose issues stance detection should use.
        use_model: False to use the fallback rules instead of the spaCy model.
        allow_truncated: Accept articles that stop mid-sentence.

    Returns:
        ``{"documents": [...], "extractor": ..., "model": {...}, "store": url}``: each
        document per the JSON contract in ``docs/evidence.md``, with ``status`` ``new``,
        ``stored`` (already there: nothing added) or ``unsaved``.

    Raises:
        IngestError: One or more inputs were bad; nothing was stored.
        InputError: The store cannot be opened.
    """
    issues = issues_from_scenario(load(scenario)) if scenario is not None else None
    store = open_store(db) if save else None  # a bad --db fails before any work
    try:
        pipeline = Pipeline.load(
            rules=rules,
            gazetteer=gazetteer,
            use_model=use_model,
            issues=issues,
            allow_truncated=allow_truncated,
        )
        documents = process_all(paths, pipeline)
        if store is not None:
            documents = store_documents(store, documents)
        model = pipeline.model
        return {
            "documents": [d.to_dict() for d in documents],
            "model": {
                "name": model.extractor if model else "rules",
                "load_seconds": round(model.load_seconds, 3) if model else 0.0,
                "fallback_reason": (model.reason if model else "the model was not requested"),
            },
            "store": store.url if store is not None else None,
        }
    finally:
        if store is not None:
            store.close()


def evidence_report(
    scenario_path: str | Path,
    db: str | Path | None = None,
    *,
    use_store: bool = True,
    use_model: bool = True,
) -> dict[str, Any]:
    """Every input of a scenario with the sentences behind it; inputs without any flagged.

    Sources are found in the store (by URL, by the hash of their file, or by document id)
    or read from their ``path``. Nothing is written.

    Returns:
        ``{"scenario", "title", "sources": [...], "inputs": [...], "summary": {...}}``;
        each input has ``field``, ``value``, ``status``, ``flagged``, ``judgement`` and
        ``evidence`` (each with ``sentences``: ``text``, ``start``, ``end``, ``paragraph``,
        ``how``, and a ``problem`` when nothing was found).
    """
    scenario = load(scenario_path)
    store = open_store(db) if use_store else None
    try:
        pipeline = Pipeline.load(use_model=use_model, issues=issues_from_scenario(scenario))
        documents = resolve_sources(scenario, scenario_path, store=store, pipeline=pipeline)
        return report(scenario, scenario_path, documents)
    finally:
        if store is not None:
            store.close()


def draft(
    doc_paths: Sequence[str | Path],
    *,
    title: str | None = None,
    max_actors: int = 12,
    rules: Sequence[str | Path] = (),
    gazetteer: Sequence[str | Path] = (),
    use_model: bool = True,
) -> Scenario:
    """Propose a first scenario from articles (nothing stored).

    Write it with ``winset.scenario.io.save(scenario, "draft.yaml")`` or ``dumps``.

    Raises:
        IngestError: Bad inputs.
        InputError: The documents name no actor.
    """
    pipeline = Pipeline.load(rules=rules, gazetteer=gazetteer, use_model=use_model)
    documents = process_all(doc_paths, pipeline)
    return draft_scenario(documents, title=title, max_actors=max_actors)


def print_errors(exc: InputError, console: Console, prefix: str = "winset: error: ") -> None:
    """One line per bad input."""
    errors = exc.errors if isinstance(exc, IngestError) else (exc,)
    for error in errors:
        console.print(safe(f"{prefix}{error}"), soft_wrap=True)


def print_ingest(data: dict[str, Any], console: Console) -> None:
    """The documents of :func:`ingest` as a table."""
    table = Table(title="Documents", title_justify="left")
    for column in (
        "id",
        "status",
        "title",
        "publisher",
        "published",
        "removed",
        "entities",
        "figures",
        "quotes",
        "stances",
    ):
        table.add_column(
            column,
            justify="right"
            if column in ("removed", "entities", "figures", "quotes", "stances")
            else "left",
        )
    for doc in data["documents"]:
        table.add_row(
            safe(doc["id"][:12]),
            safe(doc["status"]),
            safe(doc["title"], 60),
            safe(doc["publisher"]),
            safe(doc["published"]),
            str(len(doc["removed"])),
            str(len(doc["entities"])),
            str(len(doc["figures"])),
            str(len(doc["quotes"])),
            str(len(doc["stances"])),
        )
    console.print(table)
    new = sum(1 for d in data["documents"] if d["status"] == "new")
    old = len(data["documents"]) - new
    summary = f"{new} new, {old} already stored; extraction: {data['model']['name']}"
    if data["model"].get("fallback_reason"):
        summary += f" ({data['model']['fallback_reason']})"
    console.print(safe(summary), soft_wrap=True)


def print_evidence(data: dict[str, Any], console: Console, *, width: int = 160) -> None:
    """The report of :func:`evidence_report` as a table: input, value, status, sentences."""
    table = Table(
        title=safe(f"Evidence for {data['title']}"), title_justify="left", show_lines=True
    )
    table.add_column("input")
    table.add_column("value", justify="right")
    table.add_column("status")
    table.add_column("sentences behind it")
    for entry in data["inputs"]:
        lines = Text()
        for item in entry["evidence"]:
            if item["sentences"]:
                for s in item["sentences"]:
                    lines.append(safe(f"[{item['source']} ¶{s['paragraph']}] "))
                    lines.append(safe(s["text"], width))
                    lines.append("\n")
            else:
                problem = safe(f"[{item['source']}] {item['problem']}", width)
                problem.stylize("yellow")
                lines.append(problem)
                lines.append("\n")
        if not entry["evidence"] and entry["judgement"]:
            note = safe(f"judgement: {entry['judgement']}", width)
            note.stylize("dim")
            lines.append(note)
        status = safe(entry["status"])
        if entry["flagged"]:
            status.stylize("bold red")
        table.add_row(safe(entry["field"]), f"{entry['value']:g}", status, lines)
    console.print(table)
    s = data["summary"]
    console.print(
        safe(
            f"{s['evidenced']} of {s['inputs']} inputs have sentences behind them; "
            f"{s['flagged']} flagged; "
            f"{s['sources_found']} of {s['sources']} sources found"
        ),
        soft_wrap=True,
    )
