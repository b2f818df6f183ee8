"""Stance sentences: which actor supports or rejects which outcome on which issue.

Rule-based: a clause with a cue ("wants", "is against", "would need to", …; see
``data/stances.yaml``) about an issue (its keywords, or a place the gazetteer ties to it)
gives the actor found before the cue (the reported speaker for demands) a stance.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

import yaml

from winset.evidence.model import Entity, Quote, Stance
from winset.evidence.text import content_words

if TYPE_CHECKING:
    from winset.evidence.gazetteer import Gazetteer
    from winset.scenario.model import Scenario

_ACTORS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_CLAUSE_SPLIT = re.compile(
    r";\s|:\s|,\s(?=but\b|while\b|whereas\b|although\b|preferring\b|adding\b)|\s—\s|\s–\s"
)
_SPEECH = re.compile(
    r"\b(?:said|says|told|added|adding|emphasi[sz]ed|warned|stated|insisted|declared|argued|"
    r"suggested|pledged|wrote|stressed|claimed)\b"
)
_PRONOUN = re.compile(r"\b(?:he|she)\b", re.IGNORECASE)


@dataclass(frozen=True)
class IssueSpec:
    """An issue as stance detection sees it: keywords, weights and labelled points."""

    id: str
    weights: dict[str, float]
    points: tuple[tuple[float, str, frozenset[str]], ...] = ()

    def score(self, words: set[str], topics: set[str]) -> float:
        """How strongly a clause with these words (and places tied to these topics) is about it."""
        return sum(self.weights.get(w, 0.0) for w in words) + (2.0 if self.id in topics else 0.0)


@dataclass(frozen=True)
class _Cues:
    reject: re.Pattern[str]
    support: re.Pattern[str]
    demand: re.Pattern[str]
    issues: dict[str, list[str]]


def _alternation(items: list[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(f"(?:{x})" for x in items) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    text = resources.files("winset.evidence").joinpath("data/stances.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return _Cues(
        _alternation(data["reject"]),
        _alternation(data["support"]),
        _alternation(data["demand"]),
        {k: list(v) for k, v in data["issues"].items()},
    )


def default_issues() -> list[IssueSpec]:
    """Generic issues (territory, security, treaty, economy) for use without a scenario."""
    out = []
    for issue_id, words in _cues().issues.items():
        weights: dict[str, float] = {}
        for phrase in words:
            for w in content_words(phrase):
                weights[w] = 1.0
        out.append(IssueSpec(issue_id, weights))
    return out


def issues_key(issues: Sequence[IssueSpec]) -> str:
    """A short fingerprint of the issues stance detection used (12 hex digits).

    Stored with an extraction, so that articles read again for another scenario's issues
    get a new extraction instead of keeping the stances found for the old ones.
    """
    canonical = [
        [issue.id, sorted(issue.weights.items()), [[p, label] for p, label, _ in issue.points]]
        for issue in issues
    ]
    return hashlib.sha256(json.dumps(canonical).encode("utf-8")).hexdigest()[:12]


def issues_from_scenario(scenario: Scenario) -> list[IssueSpec]:
    """Issues of a scenario, with keywords from their ids, names, descriptions and points.

    A word found in several issues counts for less (it cannot tell them apart).
    """
    bags: dict[str, dict[str, float]] = {}
    for issue in scenario.issues:
        bag: dict[str, float] = {}
        for w in content_words(issue.id.replace("_", " ") + " " + issue.name):
            bag[w] = bag.get(w, 0.0) + 2.0
        for w in content_words(issue.description):
            bag[w] = bag.get(w, 0.0) + 1.0
        for point in issue.points:
            for w in content_words(point.label):
                bag[w] = bag.get(w, 0.0) + 0.5
        bags[issue.id] = bag
    spread: dict[str, int] = {}
    for bag in bags.values():
        for w in bag:
            spread[w] = spread.get(w, 0) + 1
    out = []
    for issue in scenario.issues:
        weights = {w: min(v, 3.0) / spread[w] ** 2 for w, v in bags[issue.id].items()}
        points = tuple(
            (p.position, p.label, frozenset(content_words(p.label)))
            for p in issue.points
            if p.label
        )
        out.append(IssueSpec(issue.id, weights, points))
    return out


def _clauses(body: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    begin = start
    for m in _CLAUSE_SPLIT.finditer(body, start, end):
        out.append((begin, m.start()))
        begin = m.end()
    out.append((begin, end))
    return [(a, b) for a, b in out if b > a]


def _best_issue(words: set[str], topics: set[str], issues: Sequence[IssueSpec]) -> IssueSpec | None:
    scored = sorted(
        ((spec.score(words, topics), i, spec) for i, spec in enumerate(issues)),
        key=lambda x: (-x[0], x[1]),
    )
    if not scored or scored[0][0] < 0.99:
        return None
    return scored[0][2]


_OBJECT = re.compile(
    r"(?:\b(?:with|to|for|from|against|over|on|about|at|of|than|by|into|toward|towards)|[’']s)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


_SHARE_OF = re.compile(
    r"(?:percent|%|majority|most|half|share|many|some|third|quarter|all) of\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _actor_before(body: str, entities: Sequence[Entity], start: int, stop: int) -> Entity | None:
    """The last actor before ``stop`` that is not the object of a preposition.

    A pronoun after that actor ("… and he hopes to …") points to the last person instead.
    """
    found = [
        e
        for e in entities
        if start <= e.start < stop
        and e.label in _ACTORS
        and not (
            _OBJECT.search(body, max(start, e.start - 12), e.start)
            and not _SHARE_OF.search(body, max(start, e.start - 30), e.start)
        )
        and body[e.end : e.end + 2] not in ("’s", "'s")
    ]
    last = found[-1] if found else None
    pronoun = None
    for m in _PRONOUN.finditer(body, last.end if last else start, stop):
        pronoun = m
    if pronoun is not None:
        return _last_person(entities, pronoun.start()) or last
    return last


def _last_person(entities: Sequence[Entity], before: int) -> Entity | None:
    for e in reversed(entities):
        if e.start < before and e.label == "PERSON":
            return e
    return None


def _speaker(
    body: str, sentence: tuple[int, int], before: int, entities: Sequence[Entity]
) -> Entity | None:
    """The subject of a speech verb in the sentence before ``before``."""
    verbs = list(_SPEECH.finditer(body, sentence[0], before))
    if not verbs:
        return None
    verb = verbs[0]
    people = [
        e
        for e in entities
        if sentence[0] <= e.start < verb.start() and e.label in ("PERSON", "ORG")
    ]
    if people:
        return people[-1]
    if _PRONOUN.search(body, sentence[0], verb.start()):
        return _last_person(entities, sentence[0])
    return None


def _outcome(body: str, cue_end: int, clause_end: int) -> str | None:
    words = body[cue_end:clause_end].strip(' ,.;:!?”"').split()
    return " ".join(words[:12]) or None


def _point(spec: IssueSpec, words: set[str]) -> tuple[float, str] | None:
    best: tuple[int, float, str] | None = None
    for position, label, label_words in spec.points:
        shared = words & label_words
        score = len(shared) + sum(1 for w in shared if w.isdigit())
        if score >= 2 and (best is None or score > best[0]):
            best = (score, position, label)
    return None if best is None else (best[1], best[2])


def find_stances(
    body: str,
    sentences: Sequence[tuple[int, int]],
    entities: Sequence[Entity],
    issues: Sequence[IssueSpec],
    gazetteer: Gazetteer | None = None,
    quotes: Sequence[Quote] = (),
) -> list[Stance]:
    """Stance sentences of a body, one per actor, issue and cue."""
    cues = _cues()
    topics_of: dict[str, tuple[str, ...]] = {}
    if gazetteer is not None:
        topics_of = {e.canonical: e.topics for e in gazetteer.entries if e.topics}
    out: list[Stance] = []
    seen: set[tuple[str, str, str, int]] = set()
    previous_issue: IssueSpec | None = None
    for sentence in sentences:
        s_words = content_words(body[sentence[0] : sentence[1]])
        s_topics = {
            t
            for e in entities
            if sentence[0] <= e.start < sentence[1]
            for t in topics_of.get(e.canonical, ())
        }
        sentence_issue = _best_issue(s_words, s_topics, issues)
        for clause in _clauses(body, *sentence):
            text = body[clause[0] : clause[1]]
            found: list[tuple[Literal["supports", "rejects"], str, re.Match[str]]] = []
            for kind, pattern in (
                ("rejects", cues.reject),
                ("demand", cues.demand),
                ("supports", cues.support),
            ):
                for m in pattern.finditer(body, clause[0], clause[1]):
                    if any(m.start() < f[2].end() and f[2].start() < m.end() for f in found):
                        continue
                    stance: Literal["supports", "rejects"] = (
                        "rejects" if kind == "rejects" else "supports"
                    )
                    found.append((stance, kind, m))
            if not found:
                continue
            words = content_words(text)
            topics = {
                t
                for e in entities
                if clause[0] <= e.start < clause[1]
                for t in topics_of.get(e.canonical, ())
            }
            spec = _best_issue(words, topics, issues) or sentence_issue
            if spec is None and re.match(r"\s*(?:this|that|it)\b", text, re.IGNORECASE):
                spec = previous_issue
            if spec is None:
                continue
            for stance, kind, m in sorted(found, key=lambda f: f[2].start()):
                actor: Entity | None = None
                towards = re.search(r"\b(?:to|for|among|with)$", m.group(0)) or re.match(
                    r"\s*(?:to|for|among|with)\s", body[m.end() : clause[1]]
                )
                if towards and m.group(0).lower().startswith(("unacceptable", "unpopular")):
                    actor = next(
                        (
                            e
                            for e in entities
                            if m.end() <= e.start < min(clause[1], m.end() + 25)
                            and e.label in _ACTORS
                        ),
                        None,
                    )
                if actor is None and kind == "demand":
                    actor = _speaker(body, sentence, m.start(), entities)
                if actor is None:
                    actor = _actor_before(body, entities, clause[0], m.start())
                if actor is None:
                    actor = _speaker(body, sentence, m.start(), entities) or _actor_before(
                        body, entities, sentence[0], m.start()
                    )
                if actor is None:
                    continue
                key = (actor.canonical, spec.id, stance, sentence[0])
                if key in seen:
                    continue
                seen.add(key)
                point = _point(spec, words)
                out.append(
                    Stance(
                        actor=actor.canonical,
                        issue=spec.id,
                        stance=stance,
                        text=body[sentence[0] : sentence[1]],
                        cue=m.group(0),
                        outcome=point[1] if point else _outcome(body, m.end(), clause[1]),
                        start=sentence[0],
                        end=sentence[1],
                        position=point[0] if point else None,
                    )
                )
        if sentence_issue is not None:
            previous_issue = sentence_issue
    return out
