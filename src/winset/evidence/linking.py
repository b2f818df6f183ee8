"""Linking a scenario's inputs to the sentences behind them.

Every Quantity of a scenario cites evidence by source id (or URL). A source is found as a
document by its ``path`` (the file is read and cleaned, or found in the store by its
bytes' hash), its ``url`` (canonical form, in the store) or an id that is a stored
document's id prefix. Within a document, an evidence item's sentences are found by, in
order: its ``locator`` (``chars A-B``; ``para N``, ``paras N-M``, ``para N, M``; or a
quoted passage), its ``figure`` (the numbers in it, matched against extracted figures) and
its ``claim`` (shared content words). See ``docs/evidence.md``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from winset.errors import InputError, format_path
from winset.evidence.metadata import canonical_url
from winset.evidence.model import Extraction, Figure
from winset.evidence.stance import issues_from_scenario, issues_key
from winset.evidence.text import collapse, content_words, split_sentences
from winset.scenario.model import Evidence, Scenario, Source
from winset.store import Store, find_documents, get_document, get_extraction

if TYPE_CHECKING:
    from winset.evidence.ingest import Pipeline


@dataclass(frozen=True)
class LinkedDocument:
    """A document's body and extraction, and where it was found."""

    id: str
    body: str
    paragraphs: tuple[tuple[int, int], ...]
    extraction: Extraction
    found_by: str  # "store (url)", "store (file hash)", "file", "store (id)"
    title: str | None = None


_CHARS = re.compile(r"\bchars?\s+(\d+)\s*[-–]\s*(\d+)", re.IGNORECASE)
_PARAS = re.compile(r"\bparas?(?:graphs?)?\.?\s+([\d,\s\-–and]+)", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“]([^\"”]{3,})[\"”]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def _paragraph_numbers(text: str) -> list[int]:
    out: list[int] = []
    for part in re.split(r",|\band\b", text):
        part = part.strip()
        if not part:
            continue
        bounds = re.split(r"\s*[-–]\s*", part)
        try:
            numbers = [int(b) for b in bounds if b]
        except ValueError:
            continue
        if len(numbers) == 2 and 0 < numbers[0] <= numbers[1] <= numbers[0] + 50:
            out.extend(range(numbers[0], numbers[1] + 1))
        elif numbers:
            out.append(numbers[0])
    return out


def _numbers(text: str) -> set[str]:
    out = set()
    for n in _NUMBER.findall(text):
        n = n.replace(",", "")
        if re.fullmatch(r"(?:19|20)\d{2}", n):
            continue  # a year
        out.add(n.rstrip("0").rstrip(".") if "." in n else n)
    return out


def _figure_numbers(figure: Figure) -> set[str]:
    return _numbers(figure.text)


def _sentence_record(doc: LinkedDocument, span: tuple[int, int], how: str) -> dict[str, Any]:
    para = next((i + 1 for i, (a, b) in enumerate(doc.paragraphs) if a <= span[0] <= b), None)
    return {
        "text": doc.body[span[0] : span[1]],
        "start": span[0],
        "end": span[1],
        "paragraph": para,
        "how": how,
    }


def locate(evidence: Evidence, doc: LinkedDocument) -> tuple[list[dict[str, Any]], str | None]:
    """The sentences of ``doc`` behind an evidence item, and a problem if there are none."""
    sentences = list(doc.extraction.sentences) or [
        s for a, b in doc.paragraphs for s in split_sentences(doc.body, a, b)
    ]
    candidates = sentences
    locator = evidence.locator or ""
    found: list[tuple[tuple[int, int], str]] = []
    chars = _CHARS.search(locator)
    if chars:
        a, b = int(chars.group(1)), int(chars.group(2))
        if not 0 <= a < b <= len(doc.body):
            return [], f"locator {locator!r} is outside the document ({len(doc.body)} characters)"
        found = [(s, "locator") for s in sentences if s[0] < b and a < s[1]]
    quoted = _QUOTED.search(locator)
    if not found and quoted:
        needle = collapse(quoted.group(1))
        at = doc.body.find(needle)
        if at < 0:
            return [], f"the quoted passage of locator {locator!r} is not in the document"
        found = [(s, "locator") for s in sentences if s[0] < at + len(needle) and at < s[1]]
    paras = _PARAS.search(locator)
    if not found and paras:
        numbers = [n for n in _paragraph_numbers(paras.group(1)) if 1 <= n <= len(doc.paragraphs)]
        if not numbers:
            return (
                [],
                f"locator {locator!r} names no paragraph of the document "
                f"({len(doc.paragraphs)} paragraphs)",
            )
        spans = [doc.paragraphs[n - 1] for n in numbers]
        candidates = [s for s in sentences if any(a <= s[0] < b + 1 for a, b in spans)]
    if not found and evidence.figure:
        wanted = _numbers(evidence.figure)
        for figure in doc.extraction.figures:
            if wanted & _figure_numbers(figure):
                for s in candidates:
                    if s[0] <= figure.start < s[1] and (s, "figure") not in found:
                        found.append((s, "figure"))
    if not found:
        claim = content_words(evidence.claim)
        scored = []
        for s in candidates:
            shared = claim & content_words(doc.body[s[0] : s[1]])
            if len(shared) >= 2:
                scored.append((len(shared) / math.sqrt(len(claim) or 1), s))
        scored.sort(key=lambda x: -x[0])
        threshold = 0.0 if paras else 0.8
        found = [(s, "claim") for score, s in scored[:2] if score >= threshold]
    if not found:
        return [], "no sentence of the document matches the locator, figure or claim"
    found.sort(key=lambda x: x[0][0])
    return [_sentence_record(doc, s, how) for s, how in found], None


def resolve_sources(
    scenario: Scenario,
    scenario_path: str | Path,
    *,
    store: Store | None = None,
    pipeline: Pipeline | None = None,
) -> dict[str, LinkedDocument | str]:
    """Each source id (and URL cited directly) → its document, or why it was not found."""
    from winset.evidence.ingest import Pipeline

    base = Path(scenario_path).resolve().parent
    out: dict[str, LinkedDocument | str] = {}

    # Stances depend on the issues they were looked for: prefer an extraction made for
    # this scenario's issues (a file is read again rather than use another's).
    issues = pipeline.issues if pipeline is not None else issues_from_scenario(scenario)
    ending = None if issues is None else f" issues:{issues_key(issues)}"

    def from_store(doc_id: str, how: str, *, any_issues: bool) -> LinkedDocument | None:
        if store is None:
            return None
        stored = get_document(store, doc_id)  # the id, or a unique prefix of it
        if stored is None:
            return None
        rec = stored.record
        extraction = get_extraction(store, rec.id, ending=ending)
        if extraction is None and (ending is None or any_issues):
            extraction = get_extraction(store, rec.id)
        if extraction is None:
            return None
        paragraphs: tuple[tuple[int, int], ...] = tuple(
            (int(a), int(b)) for a, b in rec.meta.get("paragraphs", [])
        ) or ((0, len(rec.body)),)
        return LinkedDocument(
            rec.id, rec.body, paragraphs, Extraction.from_data(extraction[1]), how, rec.title
        )

    def find(source: Source | None, url: str | None) -> LinkedDocument | str:
        if source is not None and source.path:
            path = (
                (base / source.path) if not Path(source.path).is_absolute() else Path(source.path)
            )
            if path.is_file():
                if store is not None:
                    import hashlib

                    digest = hashlib.sha256(path.read_bytes()).hexdigest()
                    hits = find_documents(store, raw_sha256=digest)
                    if hits:
                        linked = from_store(
                            hits[-1].record.id, "store (file hash)", any_issues=False
                        )
                        if linked is not None:
                            return linked
                nonlocal pipeline
                if pipeline is None:
                    pipeline = Pipeline.load(issues=issues)
                try:
                    doc = pipeline.process(str(path))
                except InputError as exc:
                    return f"its file cannot be read: {exc}"
                a = doc.article
                return LinkedDocument(a.id, a.body, a.paragraphs, doc.extraction, "file", a.title)
        key = canonical_url(url or (source.url if source else None))
        if store is not None and key:
            hits = find_documents(store, url=key)
            if hits:
                linked = from_store(hits[-1].record.id, "store (url)", any_issues=True)
                if linked is not None:
                    return linked
        if store is not None and source is not None and re.fullmatch(r"[0-9a-f]{8,64}", source.id):
            linked = from_store(source.id, "store (id)", any_issues=True)
            if linked is not None:
                return linked
        if source is not None and source.path:
            return f"its file {source.path} does not exist and no stored document matches"
        if key:
            return "no stored document has this URL (ingest it first)"
        return "no path or URL to find it by"

    for source in scenario.sources:
        out[source.id] = find(source, None)
    for _, quantity in scenario.quantities():
        for evidence in quantity.evidence:
            if evidence.source not in out:
                out[evidence.source] = find(None, evidence.source)
    return out


def _describe(path: tuple[Any, ...], scenario: Scenario) -> dict[str, Any]:
    info: dict[str, Any] = {"field": format_path(path)}
    if path[0] == "actors":
        actor = scenario.actors[int(path[1])]
        info["actor"] = actor.id
        if len(path) > 3:
            info["issue"] = str(path[3])
            info["quantity"] = str(path[4])
        else:
            info["quantity"] = str(path[2])
    else:
        info["issue"] = scenario.issues[int(path[1])].id
        info["quantity"] = str(path[2])
    return info


def report(
    scenario: Scenario, scenario_path: str | Path, documents: dict[str, LinkedDocument | str]
) -> dict[str, Any]:
    """Every input of the scenario with the sentences behind it; inputs with none flagged."""
    inputs = []
    for path, quantity in scenario.quantities():
        entry = _describe(path, scenario)
        entry["value"] = quantity.nominal
        entry["judgement"] = quantity.judgement
        items = []
        sentences_found = 0
        for evidence in quantity.evidence:
            doc = documents.get(evidence.source)
            item: dict[str, Any] = {
                "source": evidence.source,
                "claim": evidence.claim,
                "figure": evidence.figure,
                "locator": evidence.locator,
                "document": None,
                "sentences": [],
                "problem": None,
            }
            if isinstance(doc, LinkedDocument):
                item["document"] = doc.id
                item["sentences"], item["problem"] = locate(evidence, doc)
                sentences_found += len(item["sentences"])
            else:
                item["problem"] = f"source not found: {doc}" if doc else "source not found"
            items.append(item)
        entry["evidence"] = items
        if sentences_found:
            entry["status"] = "evidenced"
        elif quantity.evidence:
            entry["status"] = "cited, no sentence found"
        elif quantity.judgement:
            entry["status"] = "judgement only"
        else:
            entry["status"] = "nothing"
        entry["flagged"] = sentences_found == 0
        inputs.append(entry)
    sources = []
    for source_id, doc in documents.items():
        if isinstance(doc, LinkedDocument):
            sources.append(
                {
                    "id": source_id,
                    "document": doc.id,
                    "found_by": doc.found_by,
                    "title": doc.title,
                    "problem": None,
                }
            )
        else:
            sources.append(
                {"id": source_id, "document": None, "found_by": None, "title": None, "problem": doc}
            )
    return {
        "scenario": str(scenario_path),
        "title": scenario.title,
        "sources": sources,
        "inputs": inputs,
        "summary": {
            "inputs": len(inputs),
            "evidenced": sum(1 for i in inputs if i["status"] == "evidenced"),
            "flagged": sum(1 for i in inputs if i["flagged"]),
            "sources_found": sum(1 for s in sources if s["document"]),
            "sources": len(sources),
        },
    }


def sentences_for(doc: LinkedDocument, evidence: Sequence[Evidence]) -> list[dict[str, Any]]:
    """Sentences behind several evidence items of one document (helper for notebooks)."""
    out = []
    for e in evidence:
        out.extend(locate(e, doc)[0])
    return out
