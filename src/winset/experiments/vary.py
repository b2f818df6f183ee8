"""Command-line overrides of a scenario's uncertainty: ``--vary TARGET=RANGE``.

Targets name numbers of the scenario; ``*`` matches every actor or issue:

- ``putin.capability``
- ``putin.territory.position``, ``putin.territory.salience``
- ``putin.salience`` (every issue of the actor), ``*.salience``, ``*.territory.position``
- ``reference.territory``, ``reference.*``

Ranges: ``20:60`` (uniform), ``20:35:60`` (triangular low:mode:high), ``±10`` or ``+-10``
(uniform within 10 of the point estimate), ``±10%`` (within 10 % of it). Ranges are clipped
to what the number allows (capability ≥ 0, salience 0–100, positions on the issue's scale).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import TypeVar

from winset.errors import InputError, show_value
from winset.scenario.model import Actor, Issue, Quantity, Scenario
from winset.scenario.yaml_format import scenario_from_data

Item = TypeVar("Item", Actor, Issue)

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_ABSOLUTE = re.compile(rf"({_NUMBER}):({_NUMBER})(?::({_NUMBER}))?")
_RELATIVE = re.compile(r"(?:±|\+-|\+/-)(\d+(?:\.\d*)?|\.\d+)(%?)")


def apply_variations(scenario: Scenario, specs: Iterable[str]) -> Scenario:
    """A copy of ``scenario`` with each ``TARGET=RANGE`` applied in order."""
    for spec in specs:
        scenario = _apply(scenario, spec)
    return scenario


def _apply(scenario: Scenario, spec: str) -> Scenario:
    target, sep, raw = spec.partition("=")
    if not sep:
        raise InputError(
            "TARGET=RANGE, e.g. putin.capability=20:60", show_value(spec), path=("--vary",)
        )
    parts = target.strip().split(".")
    where: tuple[str, ...] = (f"--vary {target.strip()}",)
    if parts[0] == "reference":
        if len(parts) != 2:
            raise InputError("reference.<issue or *>", show_value(target), path=where)
        issues = _matching(scenario.issues, parts[1], "an issue id", where)
        changed_issues = {
            issue.id: issue.model_copy(
                update={"reference": _ranged(issue.reference, raw, *issue.scale, where)}
            )
            for issue in issues
        }
        updated = scenario.model_copy(
            update={"issues": tuple(changed_issues.get(i.id, i) for i in scenario.issues)}
        )
    else:
        actors = _matching(scenario.actors, parts[0], "an actor id, * or reference", where)
        changed = {a.id: _vary_actor(scenario, a, parts[1:], raw, where) for a in actors}
        updated = scenario.model_copy(
            update={"actors": tuple(changed.get(a.id, a) for a in scenario.actors)}
        )
    # model_copy does not validate: re-validate so the copy obeys every rule a file does.
    return scenario_from_data(updated.model_dump(), f"--vary {target.strip()}")


def _vary_actor(
    scenario: Scenario, actor: Actor, fields: list[str], raw: str, where: tuple[str, ...]
) -> Actor:
    if fields == ["capability"]:
        return actor.model_copy(
            update={"capability": _ranged(actor.capability, raw, 0.0, math.inf, where)}
        )
    if len(fields) == 1 and fields[0] in ("position", "salience"):
        fields = ["*", fields[0]]
    if len(fields) != 2 or fields[1] not in ("position", "salience"):
        raise InputError(
            "capability, <issue>.position, <issue>.salience or salience",
            show_value(".".join(fields)),
            path=where,
        )
    issue_ids = {i.id for i in _matching(scenario.issues, fields[0], "an issue id", where)}
    stances = dict(actor.stances)
    for issue_id, stance in actor.stances.items():
        if issue_id not in issue_ids:
            continue
        issue = scenario.issue(issue_id)
        if fields[1] == "position":
            bounds = issue.scale
            update = {"position": _ranged(stance.position, raw, *bounds, where)}
        else:
            update = {"salience": _ranged(stance.salience, raw, 0.0, 100.0, where)}
        stances[issue_id] = stance.model_copy(update=update)
    return actor.model_copy(update={"stances": stances})


def _matching(
    items: tuple[Item, ...], key: str, expected: str, where: tuple[str, ...]
) -> list[Item]:
    if key == "*":
        return list(items)
    found = [item for item in items if item.id == key]
    if not found:
        known = ", ".join(item.id for item in items[:8])
        raise InputError(
            f"{expected} ({known}{', …' if len(items) > 8 else ''})", show_value(key), path=where
        )
    return found


def _ranged(
    q: Quantity | None, raw: str, lowest: float, highest: float, where: tuple[str, ...]
) -> Quantity:
    raw = raw.strip()
    absolute = _ABSOLUTE.fullmatch(raw)
    relative = _RELATIVE.fullmatch(raw)
    keep = {} if q is None else {"evidence": q.evidence, "judgement": q.judgement}
    if absolute:
        a, b, c = (float(x) if x is not None else None for x in absolute.groups())
        assert a is not None and b is not None
        if not all(math.isfinite(x) for x in (a, b, c) if x is not None):
            raise InputError("finite numbers", show_value(raw), path=where)
        low, mode, high = (a, b, c) if c is not None else (a, None, b)
        if low > high or (mode is not None and not low <= mode <= high):
            raise InputError("low ≤ high (and low ≤ mode ≤ high)", show_value(raw), path=where)
    elif relative:
        if q is None:
            raise InputError(
                "LOW:HIGH where the number has no point estimate", show_value(raw), path=where
            )
        amount = float(relative.group(1))
        if relative.group(2):
            amount = abs(q.nominal) * amount / 100
        low, mode, high = q.nominal - amount, None, q.nominal + amount
    else:
        raise InputError("a range LOW:HIGH, LOW:MODE:HIGH, ±D or ±P%", show_value(raw), path=where)
    low, high = max(low, lowest), min(high, highest)
    if low > high:
        raise InputError(
            f"a range overlapping [{lowest:g}, {highest:g}]", show_value(raw), path=where
        )
    value = None
    if q is not None and low <= q.nominal <= high and mode is None:
        value = q.nominal
    if mode is not None:
        mode = min(max(mode, low), high)
    return Quantity(value=value, low=low, mode=mode, high=high, **keep)
