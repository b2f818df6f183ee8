"""Cleaning rules: publisher boilerplate described in YAML, extendable without code.

The shipped rules are ``data/cleaning.yaml``; users add files of the same format
(``--rules FILE`` or ``WINSET_EVIDENCE_RULES``). See ``docs/evidence.md``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from winset.errors import InputError, show_value
from winset.scenario.io import read_text
from winset.scenario.yaml_format import input_error_from, line_of, parse_yaml

RULES_ENV = "WINSET_EVIDENCE_RULES"
RULES_FORMAT = "winset-cleaning/1"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RuleSpec(_Strict):
    """One cleaning rule as written in YAML."""

    id: str = Field(min_length=1, max_length=100)
    reason: str = Field(min_length=1, max_length=300)
    pattern: str = Field(min_length=1, max_length=2000)
    scope: Literal["line", "paragraph", "sentence", "block"] = "paragraph"
    until: str | None = Field(default=None, max_length=2000)
    max_paragraphs: int = Field(default=12, ge=1, le=200)
    tail: int | None = Field(default=None, ge=1, le=100)
    publisher: str | None = None
    capture: tuple[Literal["author", "url", "publisher", "title"], ...] = ()
    ignore_case: bool = True


class PublisherSpec(_Strict):
    """A publisher: its name, web domains, and how its name appears in text."""

    name: str = Field(min_length=1, max_length=200)
    domains: tuple[str, ...] = ()
    names: tuple[str, ...] = ()


class RuleFile(_Strict):
    """A file of cleaning rules."""

    format: Literal["winset-cleaning/1"] = "winset-cleaning/1"
    publishers: tuple[PublisherSpec, ...] = ()
    rules: tuple[RuleSpec, ...] = ()


@dataclass(frozen=True)
class Rule:
    """A compiled rule."""

    spec: RuleSpec
    pattern: re.Pattern[str]
    until: re.Pattern[str] | None
    origin: str

    @property
    def id(self) -> str:
        """The rule's name."""
        return self.spec.id

    def applies_to(self, publishers: frozenset[str]) -> bool:
        """Whether the rule is in force for an article by one of these publishers."""
        return self.spec.publisher is None or self.spec.publisher in publishers


@dataclass(frozen=True)
class RuleSet:
    """Every rule and publisher in force."""

    rules: tuple[Rule, ...]
    publishers: tuple[PublisherSpec, ...]
    origins: tuple[str, ...]

    def scoped(self, scope: str, publishers: frozenset[str]) -> list[Rule]:
        """The rules of one scope in force for these publishers, in file order."""
        return [r for r in self.rules if r.spec.scope == scope and r.applies_to(publishers)]

    def publisher_for_domain(self, host: str) -> PublisherSpec | None:
        """The publisher whose domain is ``host`` or a parent of it."""
        host = host.lower().removeprefix("www.")
        for pub in self.publishers:
            for domain in pub.domains:
                d = domain.lower()
                if host == d or host.endswith("." + d):
                    return pub
        return None

    def publishers_named_in(self, text: str) -> list[PublisherSpec]:
        """Publishers whose name or domain occurs in ``text``, in order of first occurrence."""
        found = []
        for pub in self.publishers:
            positions = [text.find(n) for n in (*pub.names, *pub.domains) if n]
            positions = [p for p in positions if p >= 0]
            if positions:
                found.append((min(positions), pub))
        return [pub for _, pub in sorted(found, key=lambda x: x[0])]


def _compile(
    pattern: str, flags: int, file: str, line: int | None, field: tuple[Any, ...]
) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise InputError(
            "a valid regular expression",
            f"{show_value(pattern)} ({exc.msg})",
            path=field,
            file=file,
            line=line,
        ) from None


def parse_rules(text: str, file: str) -> RuleSet:
    """Parse and check a rule file.

    Raises:
        InputError: Naming the file, line and field of the first problem.
    """
    data, lines = parse_yaml(text, file)
    if data is None:
        data = {}
    try:
        spec = RuleFile.model_validate(data)
    except ValidationError as exc:
        raise input_error_from(exc, file, lines) from None
    rules = []
    seen: set[str] = set()
    for i, r in enumerate(spec.rules):
        where = ("rules", i)
        line = line_of(where, lines)
        if r.id in seen:
            raise InputError(
                "rule ids unique within a file",
                show_value(r.id),
                path=(*where, "id"),
                file=file,
                line=line,
            )
        seen.add(r.id)
        flags = re.IGNORECASE if r.ignore_case else 0
        pattern = _compile(r.pattern, flags, file, line, (*where, "pattern"))
        until = None if r.until is None else _compile(r.until, flags, file, line, (*where, "until"))
        for group in r.capture:
            if group not in pattern.groupindex:
                raise InputError(
                    f"a named group (?P<{group}>…) in the pattern for capture '{group}'",
                    "none",
                    path=(*where, "capture"),
                    file=file,
                    line=line,
                )
        rules.append(Rule(r, pattern, until, file))
    return RuleSet(tuple(rules), spec.publishers, (file,))


def merge(*sets: RuleSet) -> RuleSet:
    """Rule sets applied together: later files may add rules and publishers, not rename."""
    rules: list[Rule] = []
    publishers: dict[str, PublisherSpec] = {}
    ids: dict[str, str] = {}
    for rs in sets:
        for pub in rs.publishers:
            old = publishers.get(pub.name)
            if old is None:
                publishers[pub.name] = pub
            else:
                publishers[pub.name] = PublisherSpec(
                    name=pub.name,
                    domains=tuple(dict.fromkeys((*old.domains, *pub.domains))),
                    names=tuple(dict.fromkeys((*old.names, *pub.names))),
                )
        for rule in rs.rules:
            if rule.id in ids:
                raise InputError(
                    f"rule ids unique across rule files ('{rule.id}' is already in {ids[rule.id]})",
                    show_value(rule.id),
                    file=rule.origin,
                )
            ids[rule.id] = rule.origin
            rules.append(rule)
    for rule in rules:
        if rule.spec.publisher is not None and rule.spec.publisher not in publishers:
            raise InputError(
                "a publisher declared under 'publishers'",
                show_value(rule.spec.publisher),
                path=("rules", rule.id, "publisher"),
                file=rule.origin,
            )
    return RuleSet(
        tuple(rules), tuple(publishers.values()), tuple(o for rs in sets for o in rs.origins)
    )


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The rules shipped with winset."""
    text = resources.files("winset.evidence").joinpath("data/cleaning.yaml").read_text("utf-8")
    return parse_rules(text, "winset/evidence/data/cleaning.yaml")


def load_rules(
    extra: list[str | Path] | tuple[str | Path, ...] = (), *, env: bool = True
) -> RuleSet:
    """The shipped rules plus those in ``WINSET_EVIDENCE_RULES`` and ``extra`` files."""
    paths: list[str | Path] = []
    if env and os.environ.get(RULES_ENV):
        paths.extend(p for p in os.environ[RULES_ENV].split(os.pathsep) if p)
    paths.extend(extra)
    if not paths:
        return default_rules()
    sets = [default_rules()]
    for path in paths:
        sets.append(parse_rules(read_text(path, what="cleaning rules"), str(path)))
    return merge(*sets)
