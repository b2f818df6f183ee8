"""Scoring extraction against hand labels (``examples/articles/labels.yaml``).

Used by ``bench/bench_evidence.py`` (precision and recall) and by the tests (thresholds).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from winset.evidence.model import Document
from winset.evidence.text import collapse


@dataclass
class Counts:
    """True positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        """Add another count to this one."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        """TP / (TP + FP), 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """TP / (TP + FN), 1.0 when nothing was expected."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Score:
    """How one document (or a set of them) scores against its labels."""

    entities: Counts = field(default_factory=Counts)
    figures: Counts = field(default_factory=Counts)
    quotes: Counts = field(default_factory=Counts)
    speakers: Counts = field(default_factory=Counts)  # tp: right speaker, fn: wrong or none
    boilerplate: Counts = field(default_factory=Counts)  # tp: boilerplate removed, fp: body removed
    body_kept: Counts = field(default_factory=Counts)  # tp: body kept, fn: body lost
    metadata: Counts = field(default_factory=Counts)  # tp: field right, fn: field wrong
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        """Add another document's score."""
        for name in (
            "entities",
            "figures",
            "quotes",
            "speakers",
            "boilerplate",
            "body_kept",
            "metadata",
        ):
            getattr(self, name).add(getattr(other, name))
        self.misses.extend(other.misses)


def load_labels(path: Path) -> list[dict[str, Any]]:
    """The labelled articles, with ``path`` resolved against the labels file's folder."""
    data = yaml.safe_load(path.read_text("utf-8"))
    out = []
    for entry in data["articles"]:
        entry = dict(entry)
        entry["path"] = (path.parent / entry["file"]).resolve()
        out.append(entry)
    return out


def available(entry: dict[str, Any]) -> str | None:
    """Why a labelled article cannot be scored (missing, or changed), or None."""
    path: Path = entry["path"]
    if not path.is_file():
        return f"{path} is absent"
    if hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
        return f"{path} differs from the labelled version"
    return None


def line_numbers(spec: str) -> set[int]:
    """'3, 5-7' → {3, 5, 6, 7}."""
    out: set[int] = set()
    for part in str(spec).split(","):
        part = part.strip()
        if not part:
            continue
        a, _, b = part.partition("-")
        out.update(range(int(a), int(b or a) + 1))
    return out


def _contains(haystack: str, needle: str) -> bool:
    if len(needle) >= 15:
        return needle in haystack
    return re.search(rf"(?<![\w-]){re.escape(needle)}(?![\w-])", haystack) is not None


def _quote_key(text: str) -> str:
    words = re.findall(r"[\w’']+", text.replace("’", "'").lower())
    return " ".join(words[:3])


def _counts(predicted: Counter[Any], expected: Counter[Any]) -> Counts:
    tp = sum((predicted & expected).values())
    return Counts(tp, sum(predicted.values()) - tp, sum(expected.values()) - tp)


def score(doc: Document, entry: dict[str, Any]) -> Score:
    """Score one processed document against its labels."""
    s = Score()
    a, x = doc.article, doc.extraction
    name = Path(entry["file"]).name
    kept = collapse(" ".join(p for p in (a.title, a.standfirst, a.body) if p))
    if "boilerplate_lines" in entry:
        boiler = line_numbers(entry["boilerplate_lines"])
        raw = entry["path"].read_text("utf-8").split("\n")
        for number, line in enumerate(raw, 1):
            text = collapse(line)
            if not text:
                continue
            is_kept = _contains(kept, text)
            if number in boiler:
                if is_kept:
                    s.boilerplate.fn += 1
                    s.misses.append(f"{name}:{number}: boilerplate kept")
                else:
                    s.boilerplate.tp += 1
            elif is_kept:
                s.body_kept.tp += 1
            else:
                s.body_kept.fn += 1
                s.boilerplate.fp += 1
                s.misses.append(f"{name}:{number}: body line lost")
    for text in entry.get("boilerplate_texts", []):
        if collapse(text) in kept:
            s.boilerplate.fn += 1
            s.misses.append(f"{name}: boilerplate kept: {text!r}")
        else:
            s.boilerplate.tp += 1
    for text in entry.get("body_texts", []):
        if collapse(text) in kept:
            s.body_kept.tp += 1
        else:
            s.body_kept.fn += 1
            s.boilerplate.fp += 1
            s.misses.append(f"{name}: body lost: {text!r}")

    predicted_entities = Counter({(e.canonical, e.label) for e in x.entities})
    expected_entities = Counter({(c, lab) for c, lab in entry.get("entities", [])})
    s.entities = _counts(predicted_entities, expected_entities)
    s.misses += [f"{name}: entity missed {k}" for k in expected_entities - predicted_entities]
    s.misses += [f"{name}: entity extra {k}" for k in predicted_entities - expected_entities]

    predicted_figures = Counter((round(f.value, 6), f.unit) for f in x.figures)
    expected_figures = Counter((round(float(v), 6), u) for v, u in entry.get("figures", []))
    s.figures = _counts(predicted_figures, expected_figures)
    s.misses += [f"{name}: figure missed {k}" for k in expected_figures - predicted_figures]
    s.misses += [f"{name}: figure extra {k}" for k in predicted_figures - expected_figures]

    predicted_quotes = {_quote_key(q.text): q.speaker for q in x.quotes}
    expected_quotes = {_quote_key(w): who for w, who in entry.get("quotes", [])}
    s.quotes = _counts(Counter(set(predicted_quotes)), Counter(set(expected_quotes)))
    for key, who in expected_quotes.items():
        if key in predicted_quotes:
            if predicted_quotes[key] == who:
                s.speakers.tp += 1
            else:
                s.speakers.fn += 1
                s.misses.append(
                    f"{name}: quote {key!r} attributed to {predicted_quotes[key]}, not {who}"
                )
        else:
            s.misses.append(f"{name}: quote missed {key!r}")

    for fieldname in ("title", "author", "publisher", "published", "url"):
        if fieldname not in entry:
            continue
        want = entry[fieldname]
        got = getattr(a, fieldname)
        if isinstance(want, dt.date):
            want = want.isoformat()
        if isinstance(got, dt.date):
            got = got.isoformat()
        if got == want:
            s.metadata.tp += 1
        else:
            s.metadata.fn += 1
            s.misses.append(f"{name}: {fieldname} {got!r}, expected {want!r}")
    return s
