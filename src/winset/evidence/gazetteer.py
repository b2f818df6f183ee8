"""Canonical names and aliases (the gazetteer), and finding them in text."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from winset.scenario.io import read_text
from winset.scenario.yaml_format import input_error_from, parse_yaml

GAZETTEER_ENV = "WINSET_GAZETTEER"
Label = Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "LAW"]


class _EntrySpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    canonical: str = Field(min_length=1, max_length=200)
    label: Label
    aliases: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


class _FileSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["winset-gazetteer/1"] = "winset-gazetteer/1"
    entities: tuple[_EntrySpec, ...] = ()


@dataclass(frozen=True)
class Entry:
    """A named thing: its canonical name, label, aliases and the issues it bears on."""

    canonical: str
    label: str
    aliases: tuple[str, ...]
    topics: tuple[str, ...]


def _variants(alias: str) -> set[str]:
    """An alias and, for several words, the same with its later words in lower case."""
    out = {alias}
    words = alias.split(" ")
    if len(words) > 1:
        lowered = [words[0]] + [
            w.lower() if w[:1].isupper() and not w.isupper() else w for w in words[1:]
        ]
        out.add(" ".join(lowered))
    return out


class Gazetteer:
    """Entries with a matcher for all their names (longest match first)."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = tuple(entries)
        self._by_name: dict[str, Entry] = {}
        for entry in self.entries:
            for name in (entry.canonical, *entry.aliases):
                for variant in _variants(name):
                    self._by_name.setdefault(variant, entry)
        names = sorted(self._by_name, key=len, reverse=True)
        alternation = "|".join(re.escape(n) for n in names) or r"(?!x)x"
        self._pattern = re.compile(rf"(?<![\w.-])(?:{alternation})(?![\w-])")

    def find(
        self, text: str, start: int = 0, end: int | None = None
    ) -> list[tuple[int, int, Entry]]:
        """Non-overlapping mentions ``(start, end, entry)`` in ``text[start:end]``."""
        stop = len(text) if end is None else end
        return [
            (m.start(), m.end(), self._by_name[m.group(0)])
            for m in self._pattern.finditer(text, start, stop)
        ]

    def lookup(self, name: str) -> Entry | None:
        """The entry a name refers to (ignoring a leading 'the' and a possessive)."""
        name = re.sub(r"[’']s$", "", name.strip())
        found = self._by_name.get(name)
        if found is None and name.lower().startswith("the "):
            found = self._by_name.get(name[4:])
        return found


def _parse(text: str, file: str) -> list[Entry]:
    data, lines = parse_yaml(text, file)
    try:
        spec = _FileSpec.model_validate(data or {})
    except ValidationError as exc:
        raise input_error_from(exc, file, lines) from None
    return [Entry(e.canonical, e.label, e.aliases, e.topics) for e in spec.entities]


def _merge(entries: list[Entry]) -> list[Entry]:
    """Entries with the same canonical name become one (aliases and topics added up)."""
    merged: dict[str, Entry] = {}
    for entry in entries:
        old = merged.get(entry.canonical)
        if old is None:
            merged[entry.canonical] = entry
        else:
            merged[entry.canonical] = Entry(
                entry.canonical,
                entry.label,
                tuple(dict.fromkeys((*old.aliases, *entry.aliases))),
                tuple(dict.fromkeys((*old.topics, *entry.topics))),
            )
    return list(merged.values())


@lru_cache(maxsize=1)
def _shipped() -> tuple[Entry, ...]:
    text = resources.files("winset.evidence").joinpath("data/gazetteer.yaml").read_text("utf-8")
    return tuple(_parse(text, "winset/evidence/data/gazetteer.yaml"))


@lru_cache(maxsize=8)
def _cached(paths: tuple[str, ...]) -> Gazetteer:
    entries = list(_shipped())
    for path in paths:
        entries.extend(_parse(read_text(path, what="a name list"), path))
    return Gazetteer(_merge(entries))


def load_gazetteer(extra: Sequence[str | Path] = (), *, env: bool = True) -> Gazetteer:
    """The shipped gazetteer plus ``WINSET_GAZETTEER`` and ``extra`` files."""
    paths: list[str] = []
    if env and os.environ.get(GAZETTEER_ENV):
        paths.extend(p for p in os.environ[GAZETTEER_ENV].split(os.pathsep) if p)
    paths.extend(str(p) for p in extra)
    return _cached(tuple(paths))
