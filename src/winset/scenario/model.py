"""The scenario data model: issues, actors, their stances, uncertainty and evidence.

Every object is frozen and validated on construction. Checks that span objects (unique
ids, stances on declared issues, positions on the issue's scale, evidence citing a
declared source) raise :class:`~winset.errors.InputError` with the field path, so a file
reader can point at the offending line.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from winset.errors import InputError, PathPart, show_value

Identifier = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]*\S[^\x00-\x1f\x7f]*$"
    ),
]
"""An id: 1–100 printable characters, not blank (KTAB and Decide ids may hold spaces)."""

Text = Annotated[str, StringConstraints(max_length=10_000)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False, strict=False)


def _fmt(x: float) -> str:
    return f"{x:g}"


def _invalid(expected: str, given: str, *path: PathPart) -> PydanticCustomError:
    """A validation error for a nested object, carrying its own expected/given and sub-path.

    Nested objects raise pydantic's own error type so that pydantic prefixes the location;
    :func:`winset.scenario.yaml_format` turns it back into an InputError.
    """
    return PydanticCustomError(
        "winset",
        "expected {expected}, got {given}",
        {"expected": expected, "given": given, "path": path},
    )


class Evidence(_Frozen):
    """Where a number comes from: a source, the claim in the analyst's words, the figure."""

    source: Identifier = Field(
        description="id of an entry in the scenario's `sources`, or an http(s) URL"
    )
    claim: Text = Field(min_length=1, description="what the source says, in your own words")
    figure: Text | None = Field(default=None, description="the figure it gives, e.g. '74 %'")
    locator: Text | None = Field(
        default=None, description="where in the source, e.g. a paragraph number"
    )


class Quantity(_Frozen):
    """A number an analyst supplies, with its uncertainty and the evidence behind it.

    Written as a bare number (a point) or as a mapping with ``value`` and/or ``low``/``high``
    (uniform) or ``low``/``mode``/``high`` (triangular), plus ``evidence`` or ``judgement``.
    """

    value: float | None = Field(default=None, description="the point estimate")
    low: float | None = Field(default=None, description="lower bound of the plausible range")
    mode: float | None = Field(default=None, description="most likely value (triangular)")
    high: float | None = Field(default=None, description="upper bound of the plausible range")
    evidence: tuple[Evidence, ...] = Field(default=(), description="sources behind this number")
    judgement: Text | None = Field(
        default=None, description="why the analyst chose this number where no source gives it"
    )

    @model_validator(mode="before")
    @classmethod
    def _number_is_a_point(cls, data: Any) -> Any:
        if isinstance(data, int | float) and not isinstance(data, bool):
            return {"value": data}
        if not isinstance(data, dict | Quantity):
            raise _invalid("a number, or a mapping with 'value' or 'low'/'high'", show_value(data))
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Quantity:
        if self.value is None and (self.low is None or self.high is None):
            raise _invalid(
                "a number, or a mapping with 'value' or both 'low' and 'high'", "neither"
            )
        if (self.low is None) != (self.high is None):
            raise _invalid("'low' and 'high' together", "only one of them")
        if self.mode is not None and self.low is None:
            raise _invalid("'mode' only with 'low' and 'high'", f"mode {_fmt(self.mode)}")
        if self.low is not None and self.high is not None:
            if self.low > self.high:
                raise _invalid(
                    "low ≤ high", f"low {_fmt(self.low)} > high {_fmt(self.high)}", "low"
                )
            for name in ("mode", "value"):
                x = getattr(self, name)
                if x is not None and not self.low <= x <= self.high:
                    raise _invalid(
                        f"{name} within [{_fmt(self.low)}, {_fmt(self.high)}]", _fmt(x), name
                    )
        return self

    @model_serializer(mode="wrap")
    def _bare_point(self, handler: SerializerFunctionWrapHandler) -> Any:
        """A point with nothing attached is written as a bare number, as files write it."""
        if (
            self.value is not None
            and self.low is None
            and self.mode is None
            and (self.high is None and not self.evidence and self.judgement is None)
        ):
            return self.value
        return handler(self)

    @property
    def nominal(self) -> float:
        """The point estimate: ``value``, else ``mode``, else the middle of the range."""
        if self.value is not None:
            return self.value
        if self.mode is not None:
            return self.mode
        assert self.low is not None and self.high is not None
        return (self.low + self.high) / 2

    @property
    def distribution(self) -> Literal["point", "uniform", "triangular"]:
        """How draws are made: a point, uniform on [low, high], or triangular."""
        if self.low is None or self.low == self.high:
            return "point"
        return "triangular" if self.mode is not None else "uniform"

    def bounds(self) -> tuple[float, float]:
        """Smallest and largest value this quantity can take."""
        if self.low is not None and self.high is not None:
            return self.low, self.high
        return self.nominal, self.nominal

    @property
    def is_sourced(self) -> bool:
        """True if the number cites evidence or states the analyst's judgement."""
        return bool(self.evidence) or bool(self.judgement)


class Outcome(_Frozen):
    """What was decided on an issue: a point on its scale, when, and what says so.

    Not an input: no model reads it, and it is never sampled. Back-tests score forecasts
    against it (``winset backtest FILE …``). Written as a bare number or as a mapping with
    ``value`` and optionally ``decided``, ``evidence`` and ``judgement``.
    """

    value: float = Field(description="the decision, on the issue's scale")
    decided: dt.date | None = Field(default=None, description="when it was decided")
    evidence: tuple[Evidence, ...] = Field(default=(), description="sources that report it")
    judgement: Text | None = Field(
        default=None, description="how the analyst read the decision onto the scale"
    )

    @model_validator(mode="before")
    @classmethod
    def _number_is_the_value(cls, data: Any) -> Any:
        if isinstance(data, int | float) and not isinstance(data, bool):
            return {"value": data}
        if not isinstance(data, dict | Outcome):
            raise _invalid("a number, or a mapping with 'value'", show_value(data))
        return data

    @property
    def is_bare(self) -> bool:
        """True if nothing is attached to the value (it is written as a bare number)."""
        return self.decided is None and not self.evidence and self.judgement is None

    @model_serializer(mode="wrap")
    def _bare_value(self, handler: SerializerFunctionWrapHandler) -> Any:
        """An outcome with nothing attached is written as a bare number."""
        return self.value if self.is_bare else handler(self)


class ScalePoint(_Frozen):
    """A labelled point on an issue's scale, e.g. 50 = 'the 1956 Declaration'."""

    position: float
    label: Text = ""


class Issue(_Frozen):
    """One dimension of the dispute, a scale from ``scale[0]`` to ``scale[1]``."""

    id: Identifier
    name: Text = ""
    description: Text = ""
    scale: tuple[float, float] = Field(default=(0.0, 100.0), description="[low end, high end]")
    points: tuple[ScalePoint, ...] = Field(default=(), description="labelled scale points")
    reference: Quantity | None = Field(
        default=None, description="reference point: the outcome if no agreement (status quo)"
    )
    outcome: Outcome | None = Field(
        default=None, description="what was actually decided (scored by back-tests, never an input)"
    )

    @model_validator(mode="after")
    def _scale(self) -> Issue:
        lo, hi = self.scale
        if not lo < hi:
            raise _invalid(
                "scale [low, high] with low < high", f"[{_fmt(lo)}, {_fmt(hi)}]", "scale"
            )
        for i, point in enumerate(self.points):
            if not lo <= point.position <= hi:
                raise _invalid(
                    f"a position within the scale [{_fmt(lo)}, {_fmt(hi)}]",
                    _fmt(point.position),
                    "points",
                    i,
                    "position",
                )
        if self.reference is not None:
            try:
                _check_on_scale(self.reference, lo, hi, ("reference",))
            except InputError as exc:
                raise _invalid(exc.expected, exc.given, *exc.path) from None
        outcome = self.outcome
        if outcome is not None and not lo <= outcome.value <= hi:
            raise _invalid(
                f"a position on the issue's scale [{_fmt(lo)}, {_fmt(hi)}]",
                _fmt(outcome.value),
                *(("outcome",) if outcome.is_bare else ("outcome", "value")),
            )
        return self

    @property
    def label(self) -> str:
        """The display name: ``name`` if given, else ``id``."""
        return self.name or self.id

    def nearest_point(self, x: float) -> ScalePoint | None:
        """The labelled point nearest to ``x`` (None if the issue has none)."""
        labelled = [p for p in self.points if p.label]
        if not labelled:
            return None
        return min(labelled, key=lambda p: abs(p.position - x))


class Stance(_Frozen):
    """An actor's position on an issue and how much the issue matters to it (0–100)."""

    position: Quantity
    salience: Quantity


class Actor(_Frozen):
    """A party to the negotiation."""

    id: Identifier
    name: Text = ""
    description: Text = ""
    capability: Quantity = Field(description="clout: resources the actor can bring to bear, ≥ 0")
    constituency_of: Identifier | None = Field(
        default=None,
        description="id of the leader whose domestic constituency this actor is (two-level games)",
    )
    stances: dict[Identifier, Stance] = Field(
        default_factory=dict, description="issue id → position and salience"
    )

    @property
    def label(self) -> str:
        """The display name: ``name`` if given, else ``id``."""
        return self.name or self.id


class Source(_Frozen):
    """A document the scenario's numbers are drawn from."""

    id: Identifier
    title: Text = ""
    url: Text | None = None
    publisher: Text | None = None
    author: Text | None = None
    published: dt.date | None = None
    path: Text | None = Field(default=None, description="a local copy, relative to the file")


class Scenario(_Frozen):
    """A dispute: issues, actors with capability and per-issue stances, and metadata."""

    format: Literal["winset/1"] = Field(default="winset/1", description="file format version")
    title: Text = Field(min_length=1)
    question: Text = ""
    as_of: dt.date | None = Field(default=None, description="coded from what was known that day")
    sources: tuple[Source, ...] = ()
    issues: tuple[Issue, ...] = Field(min_length=1)
    actors: tuple[Actor, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _cross_references(self) -> Scenario:
        source_ids = _unique(self.sources, "sources")
        issue_ids = _unique(self.issues, "issues")
        actor_ids = _unique(self.actors, "actors")
        issues = {issue.id: issue for issue in self.issues}
        weight = dict.fromkeys(issue_ids, False)
        for a, actor in enumerate(self.actors):
            here: tuple[PathPart, ...] = ("actors", a)
            _check_range(actor.capability, 0.0, math.inf, (*here, "capability"))
            if actor.constituency_of is not None:
                if actor.constituency_of not in actor_ids:
                    raise InputError(
                        "the id of a declared actor",
                        show_value(actor.constituency_of),
                        path=(*here, "constituency_of"),
                    )
                if actor.constituency_of == actor.id:
                    raise InputError(
                        "another actor's id", "the actor's own id", path=(*here, "constituency_of")
                    )
            for issue_id, stance in actor.stances.items():
                where = (*here, "stances", issue_id)
                issue = issues.get(issue_id)
                if issue is None:
                    raise InputError(
                        f"an issue declared under 'issues' ({_listing(issue_ids)})",
                        show_value(issue_id),
                        path=where,
                    )
                _check_on_scale(stance.position, *issue.scale, (*where, "position"))
                _check_range(stance.salience, 0.0, 100.0, (*where, "salience"))
                if actor.capability.nominal > 0 and stance.salience.nominal > 0:
                    weight[issue_id] = True
        for i, issue_id in enumerate(issue_ids):
            if not weight[issue_id]:
                raise InputError(
                    "at least one actor with capability and salience above 0",
                    "none",
                    path=("issues", i),
                )
        cited = [(path, q.evidence) for path, q in self.quantities()]
        cited += [
            (("issues", i, "outcome"), issue.outcome.evidence)
            for i, issue in enumerate(self.issues)
            if issue.outcome is not None
        ]
        for path, evidences in cited:
            for e, evidence in enumerate(evidences):
                if evidence.source not in source_ids and not _is_url(evidence.source):
                    raise InputError(
                        "a source id declared under 'sources', or an http(s) URL",
                        show_value(evidence.source),
                        path=(*path, "evidence", e, "source"),
                    )
        return self

    def quantities(self) -> Iterator[tuple[tuple[PathPart, ...], Quantity]]:
        """Every number of the scenario with its field path, in a fixed order."""
        for i, issue in enumerate(self.issues):
            if issue.reference is not None:
                yield ("issues", i, "reference"), issue.reference
        for a, actor in enumerate(self.actors):
            yield ("actors", a, "capability"), actor.capability
            for issue_id, stance in actor.stances.items():
                yield ("actors", a, "stances", issue_id, "position"), stance.position
                yield ("actors", a, "stances", issue_id, "salience"), stance.salience

    def late_citations(
        self, after: dt.date | None = None
    ) -> list[tuple[tuple[PathPart, ...], str, dt.date]]:
        """Inputs citing a source published after ``after`` (default: ``as_of``).

        A file coded "as of" a day should cite nothing published later; a back-test case
        should cite nothing published once its outcome was decided. Returns (field path,
        source id, publication date) for each such citation; empty without a cut-off.
        """
        cutoff = self.as_of if after is None else after
        if cutoff is None:
            return []
        published = {s.id: s.published for s in self.sources if s.published is not None}
        return [
            (path, evidence.source, day)
            for path, quantity in self.quantities()
            for evidence in quantity.evidence
            if (day := published.get(evidence.source)) is not None and day > cutoff
        ]

    def unsourced(self) -> list[tuple[PathPart, ...]]:
        """Field paths of numbers that cite no evidence and state no judgement."""
        return [path for path, q in self.quantities() if not q.is_sourced]

    def issue(self, issue_id: str) -> Issue:
        """The issue with this id."""
        for issue in self.issues:
            if issue.id == issue_id:
                return issue
        raise KeyError(issue_id)

    def actor(self, actor_id: str) -> Actor:
        """The actor with this id."""
        for actor in self.actors:
            if actor.id == actor_id:
                return actor
        raise KeyError(actor_id)


def _unique(items: tuple[Issue | Actor | Source, ...], field: str) -> list[str]:
    seen: set[str] = set()
    ids = []
    for i, item in enumerate(items):
        if item.id in seen:
            raise InputError(
                f"ids unique within '{field}'",
                f"{show_value(item.id)} a second time",
                path=(field, i, "id"),
            )
        seen.add(item.id)
        ids.append(item.id)
    return ids


def _listing(ids: list[str], most: int = 6) -> str:
    shown = ", ".join(ids[:most])
    return shown + (", …" if len(ids) > most else "")


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def _check_range(
    q: Quantity, lo: float, hi: float, path: tuple[PathPart, ...], expected: str | None = None
) -> None:
    if expected is None:
        expected = (
            f"a value ≥ {_fmt(lo)}" if hi == math.inf else f"a value in [{_fmt(lo)}, {_fmt(hi)}]"
        )
    for name in ("value", "low", "mode", "high"):
        x = getattr(q, name)
        if x is not None and not lo <= x <= hi:
            # A bare number is written without 'value': point at the field itself.
            sub = () if name == "value" and q.low is None else (name,)
            raise InputError(expected, _fmt(x), path=(*path, *sub))


def _check_on_scale(q: Quantity, lo: float, hi: float, path: tuple[PathPart, ...]) -> None:
    _check_range(q, lo, hi, path, f"a position on the issue's scale [{_fmt(lo)}, {_fmt(hi)}]")
