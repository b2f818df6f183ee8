"""A scenario as arrays with a leading batch axis, the form every model takes.

Shapes: ``capability[draws, actors]``, ``position`` and ``salience[draws, actors,
issues]``, ``reference[draws, issues]``. Positions stay in each issue's own scale units;
salience is a fraction in [0, 1] (the file's 0–100 divided by 100). An actor with no
stance on an issue has salience 0 there and its position set to the middle of the scale,
so it carries no weight in any model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from winset.errors import PathPart, format_path
from winset.scenario.model import Quantity, Scenario

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class ScenarioArrays:
    """Model inputs for a batch of draws; every model takes one of these."""

    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    capability: FloatArray
    """[draws, actors], ≥ 0."""
    position: FloatArray
    """[draws, actors, issues], in scale units."""
    salience: FloatArray
    """[draws, actors, issues], in [0, 1]; 0 where an actor has no stance."""
    reference: FloatArray
    """[draws, issues]; NaN where an issue has no reference point."""
    scale_low: FloatArray
    """[issues]."""
    scale_high: FloatArray
    """[issues]."""
    has_stance: NDArray[np.bool_]
    """[actors, issues]: whether the actor declared a stance on the issue."""
    leader: NDArray[np.int64] | None = None
    """[actors]: index of the leader whose domestic constituency the actor is, else -1."""

    @property
    def draws(self) -> int:
        """Size of the batch axis."""
        return int(self.position.shape[0])

    @property
    def n_actors(self) -> int:
        """Number of actors."""
        return len(self.actor_ids)

    @property
    def n_issues(self) -> int:
        """Number of issues."""
        return len(self.issue_ids)


@dataclass(frozen=True)
class UncertainInput:
    """One number of the scenario that varies across draws."""

    path: tuple[PathPart, ...]
    quantity: Quantity

    @property
    def name(self) -> str:
        """Field path, e.g. ``actors[2].stances.territory.position``."""
        return format_path(self.path)

    def label(self, scenario: Scenario) -> str:
        """Short name in ``--vary`` syntax, e.g. ``putin.territory.position``."""
        path = self.path
        if path[0] == "issues":
            return f"reference.{scenario.issues[int(path[1])].id}"
        actor = scenario.actors[int(path[1])].id
        if path[2] == "capability":
            return f"{actor}.capability"
        return f"{actor}.{path[3]}.{path[4]}"


def uncertain_inputs(scenario: Scenario) -> list[UncertainInput]:
    """The numbers with a range, in the fixed order that sample columns follow."""
    return [
        UncertainInput(path, q) for path, q in scenario.quantities() if q.distribution != "point"
    ]


def nominal_arrays(scenario: Scenario, draws: int = 1) -> ScenarioArrays:
    """Arrays of the point estimates, repeated ``draws`` times along the batch axis."""
    return ArrayPlan.build(scenario, inputs=[]).arrays(np.full((draws, 0), 0.5))


def sample_arrays(
    scenario: Scenario, draws: int, *, rng: np.random.Generator | int | None = None
) -> ScenarioArrays:
    """Plain Monte Carlo draws of every uncertain number (uniform or triangular)."""
    generator = np.random.default_rng(rng)
    plan = ArrayPlan.build(scenario)
    return plan.arrays(generator.random((draws, plan.n_inputs)))


def arrays_from_unit(
    scenario: Scenario,
    unit: FloatArray,
    *,
    inputs: list[UncertainInput] | None = None,
) -> ScenarioArrays:
    """Arrays from a sample in the unit hypercube, one column per uncertain input.

    Each column is mapped through the inverse CDF of its input's distribution, so any
    sampler of the unit cube (plain Monte Carlo, Latin hypercube, Sobol) can drive it.
    """
    return ArrayPlan.build(scenario, inputs=inputs).arrays(unit)


_TARGETS = ("capability", "position", "salience", "reference")


@dataclass(frozen=True, eq=False)
class ArrayPlan:
    """How to turn unit-cube samples into arrays for one scenario; build once, use per batch.

    Holds the point-estimate arrays and, for each uncertain input, its distribution and
    the cell it fills, so that a batch of draws costs a few vectorised operations.
    """

    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    base: dict[str, FloatArray]
    scale_low: FloatArray
    scale_high: FloatArray
    has_stance: NDArray[np.bool_]
    leader: NDArray[np.int64]
    low: FloatArray
    mode: FloatArray
    high: FloatArray
    target: NDArray[np.int64]
    cell: NDArray[np.int64]

    @property
    def n_inputs(self) -> int:
        """Number of uncertain inputs: the unit sample's columns."""
        return int(self.low.shape[0])

    @classmethod
    def build(cls, scenario: Scenario, *, inputs: list[UncertainInput] | None = None) -> ArrayPlan:
        """Plan for ``scenario``; ``inputs`` defaults to every number with a range."""
        if inputs is None:
            inputs = uncertain_inputs(scenario)
        actor_index = {a.id: k for k, a in enumerate(scenario.actors)}
        issue_index = {i.id: k for k, i in enumerate(scenario.issues)}
        n_a, n_i = len(actor_index), len(issue_index)
        scale_low = np.array([i.scale[0] for i in scenario.issues], dtype=np.float64)
        scale_high = np.array([i.scale[1] for i in scenario.issues], dtype=np.float64)
        capability = np.empty((n_a,), dtype=np.float64)
        position = np.tile((scale_low + scale_high) / 2, (n_a, 1))
        salience = np.zeros((n_a, n_i), dtype=np.float64)
        reference = np.full((n_i,), np.nan)
        has_stance = np.zeros((n_a, n_i), dtype=bool)
        for k, issue in enumerate(scenario.issues):
            if issue.reference is not None:
                reference[k] = issue.reference.nominal
        for a, actor in enumerate(scenario.actors):
            capability[a] = actor.capability.nominal
            for issue_id, stance in actor.stances.items():
                i = issue_index[issue_id]
                position[a, i] = stance.position.nominal
                salience[a, i] = stance.salience.nominal / 100.0
                has_stance[a, i] = True
        low, mode, high, target, cell = [], [], [], [], []
        for item in inputs:
            q, path = item.quantity, item.path
            lo, hi = q.bounds()
            if path[0] == "issues":
                kind, where = "reference", int(path[1])
            elif path[2] == "capability":
                kind, where = "capability", int(path[1])
            else:
                kind = str(path[4])
                where = int(path[1]) * n_i + issue_index[str(path[3])]
            factor = 0.01 if kind == "salience" else 1.0
            low.append(lo * factor)
            high.append(hi * factor)
            mode.append(
                q.mode * factor if q.mode is not None and q.distribution == "triangular" else np.nan
            )
            target.append(_TARGETS.index(kind))
            cell.append(where)
        return cls(
            actor_ids=tuple(actor_index),
            issue_ids=tuple(issue_index),
            base={
                "capability": capability,
                "position": position,
                "salience": salience,
                "reference": reference,
            },
            scale_low=scale_low,
            scale_high=scale_high,
            has_stance=has_stance,
            leader=np.array(
                [
                    -1 if a.constituency_of is None else actor_index[a.constituency_of]
                    for a in scenario.actors
                ],
                dtype=np.int64,
            ),
            low=np.array(low, dtype=np.float64),
            mode=np.array(mode, dtype=np.float64),
            high=np.array(high, dtype=np.float64),
            target=np.array(target, dtype=np.int64),
            cell=np.array(cell, dtype=np.int64),
        )

    def input_values(self, unit: FloatArray) -> FloatArray:
        """The uncertain inputs' values in file units (salience 0–100), ``[draws, inputs]``."""
        values = _inverse_cdf(self.low, self.mode, self.high, np.asarray(unit, dtype=np.float64))
        salience = self.target == _TARGETS.index("salience")
        return np.where(salience, values * 100.0, values)

    def arrays(self, unit: FloatArray) -> ScenarioArrays:
        """Arrays for a batch: one row of ``unit`` (values in [0, 1]) per draw."""
        unit = np.asarray(unit, dtype=np.float64)
        if unit.ndim != 2 or unit.shape[1] != self.n_inputs:
            raise ValueError(f"unit sample must be [draws, {self.n_inputs}], got {unit.shape}")
        draws = unit.shape[0]
        values = _inverse_cdf(self.low, self.mode, self.high, unit)
        out = {}
        for k, name in enumerate(_TARGETS):
            base = self.base[name]
            columns = np.flatnonzero(self.target == k)
            cells = self.cell[columns]
            if columns.size == base.size and (cells == np.arange(base.size)).all():
                # Every cell varies, in order: the values are the array (no base copy).
                out[name] = values[:, columns].reshape(draws, *base.shape)
                continue
            filled = np.broadcast_to(base, (draws, *base.shape)).copy()
            if columns.size:
                filled.reshape(draws, -1)[:, cells] = values[:, columns]
            out[name] = filled
        return ScenarioArrays(
            actor_ids=self.actor_ids,
            issue_ids=self.issue_ids,
            capability=out["capability"],
            position=out["position"],
            salience=out["salience"],
            reference=out["reference"],
            scale_low=self.scale_low,
            scale_high=self.scale_high,
            has_stance=self.has_stance,
            leader=self.leader,
        )


def inverse_cdf(q: Quantity, u: FloatArray) -> FloatArray:
    """Map uniform draws ``u`` in [0, 1] to the quantity's distribution."""
    low, high = q.bounds()
    mode = q.mode if q.distribution == "triangular" and q.mode is not None else np.nan
    if q.distribution == "point":
        return np.full_like(u, q.nominal)
    column = np.asarray(u, dtype=np.float64).reshape(-1, 1)
    result = _inverse_cdf(np.array([low]), np.array([mode]), np.array([high]), column)
    return result.reshape(np.shape(u))


def _inverse_cdf(low: FloatArray, mode: FloatArray, high: FloatArray, u: FloatArray) -> FloatArray:
    """Uniform on [low, high] where ``mode`` is NaN, else triangular(low, mode, high).

    The triangular inverse CDF is closed-form: ``low + sqrt(u (high - low)(mode - low))`` below
    the mode's CDF value ``(mode - low) / (high - low)``, ``high - sqrt((1 - u)(high - low)
    (high - mode))`` above it.
    """
    width = high - low
    values = low + u * width
    triangular = np.flatnonzero(~np.isnan(mode))
    if triangular.size:
        lo, md, hi = low[triangular], mode[triangular], high[triangular]
        span = hi - lo
        uu = u[:, triangular]
        split = np.divide(md - lo, span, out=np.zeros_like(span), where=span > 0)
        left = lo + np.sqrt(uu * span * (md - lo))
        right = hi - np.sqrt((1.0 - uu) * span * (hi - md))
        values[:, triangular] = np.where(uu < split, left, right)
    return values
