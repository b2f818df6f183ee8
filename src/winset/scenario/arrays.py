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


def uncertain_inputs(scenario: Scenario) -> list[UncertainInput]:
    """The numbers with a range, in the fixed order that sample columns follow."""
    return [
        UncertainInput(path, q) for path, q in scenario.quantities() if q.distribution != "point"
    ]


def nominal_arrays(scenario: Scenario, draws: int = 1) -> ScenarioArrays:
    """Arrays of the point estimates, repeated ``draws`` times along the batch axis."""
    return arrays_from_unit(scenario, np.full((draws, 0), 0.5), inputs=[])


def sample_arrays(
    scenario: Scenario, draws: int, *, rng: np.random.Generator | int | None = None
) -> ScenarioArrays:
    """Plain Monte Carlo draws of every uncertain number (uniform or triangular)."""
    generator = np.random.default_rng(rng)
    inputs = uncertain_inputs(scenario)
    unit = generator.random((draws, len(inputs)))
    return arrays_from_unit(scenario, unit, inputs=inputs)


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
    if inputs is None:
        inputs = uncertain_inputs(scenario)
    unit = np.asarray(unit, dtype=np.float64)
    if unit.ndim != 2 or unit.shape[1] != len(inputs):
        raise ValueError(f"unit sample must be [draws, {len(inputs)}], got {unit.shape}")
    draws = unit.shape[0]
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

    out_capability = np.broadcast_to(capability, (draws, n_a)).copy()
    out_position = np.broadcast_to(position, (draws, n_a, n_i)).copy()
    out_salience = np.broadcast_to(salience, (draws, n_a, n_i)).copy()
    out_reference = np.broadcast_to(reference, (draws, n_i)).copy()
    for column, item in enumerate(inputs):
        values = inverse_cdf(item.quantity, unit[:, column])
        path = item.path
        if path[0] == "issues":
            out_reference[:, int(path[1])] = values
        elif path[2] == "capability":
            out_capability[:, int(path[1])] = values
        else:
            a, i = int(path[1]), issue_index[str(path[3])]
            if path[4] == "position":
                out_position[:, a, i] = values
            else:
                out_salience[:, a, i] = values / 100.0
    return ScenarioArrays(
        actor_ids=tuple(actor_index),
        issue_ids=tuple(issue_index),
        capability=out_capability,
        position=out_position,
        salience=out_salience,
        reference=out_reference,
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
    )


def inverse_cdf(q: Quantity, u: FloatArray) -> FloatArray:
    """Map uniform draws ``u`` in [0, 1] to the quantity's distribution."""
    low, high = q.bounds()
    if q.distribution == "point":
        return np.full_like(u, q.nominal)
    if q.distribution == "uniform":
        return low + u * (high - low)
    # Triangular(low, mode, high): the closed-form inverse of its CDF.
    assert q.mode is not None
    width = high - low
    split = (q.mode - low) / width
    left = low + np.sqrt(u * width * (q.mode - low))
    right = high - np.sqrt((1.0 - u) * width * (high - q.mode))
    return np.where(u < split, left, right)
