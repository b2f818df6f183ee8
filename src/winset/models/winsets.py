"""Two-level win-sets: which agreements each leader could get ratified at home.

Putnam (1988, "Diplomacy and domestic politics: the logic of two-level games",
International Organization 42(3)): a leader's *win-set* is the set of agreements that
would win ratification by his domestic constituency; a deal is possible only where the
leaders' win-sets overlap.

winset reads the constituency from the actors marked ``constituency_of: <leader>``. On each
issue a constituent ``a`` (position ``x_a``) prefers an agreement ``x`` to the status quo
``q`` (the issue's reference point) when ``|x - x_a| < |q - x_a|``. An agreement is ratified
when the constituents preferring it hold more than ``quota`` of the constituency's weight
(capability × salience); ``quota = 1`` demands all of it (unanimity). The zone of possible
agreement is the intersection of every leader's win-set; where it is empty, no deal is
feasible and the forecast is the status quo. Otherwise the forecast is the point of the zone
nearest to the unconstrained forecast of ``base`` (the compromise model by default), the
agreement the wider negotiation would reach if ratification allowed it.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from winset.errors import InputError
from winset.models._checks import issue_weights
from winset.models.compromise import compromise
from winset.models.median import median
from winset.result import FloatArray, Result
from winset.scenario.arrays import ScenarioArrays

_BASES = {"compromise": compromise, "median": median}


def winsets(
    arrays: ScenarioArrays,
    *,
    rng: np.random.Generator | None = None,
    quota: float = 0.5,
    base: Literal["compromise", "median"] = "compromise",
) -> Result:
    """Each leader's win-set, their overlap, and the forecast constrained to it.

    Args:
        arrays: The scenario as arrays; ``arrays.leader`` marks constituencies and every issue
            needs a reference point.
        rng: Unused; accepted so every model shares one signature.
        quota: Share of a constituency's weight that must prefer a deal to the status quo
            (more than this share; 1 means all of it).
        base: Model whose forecast is moved into the zone of agreement.

    Returns:
        A Result with ``details``: ``leaders`` (actor ids), ``breaks[draws, issues, points]``
        (the segment ends of the scale), ``ratified[draws, leaders, issues, segments]``,
        ``zone[draws, issues, segments]``, ``deal[draws, issues]``, the base model's
        ``unconstrained`` forecast and the ``status_quo[draws, issues]``; see
        :func:`intervals` to turn them into lists of ranges.
    """
    if not 0 < quota <= 1:
        raise InputError("a quota in (0, 1]", f"{quota:g}", path=("quota",))
    if base not in _BASES:
        raise InputError(f"a base model ({', '.join(_BASES)})", repr(base), path=("base",))
    leader = arrays.leader if arrays.leader is not None else np.full(arrays.n_actors, -1)
    leaders = np.unique(leader[leader >= 0])
    if leaders.size == 0:
        raise InputError(
            "actors marked as a leader's constituency (constituency_of)", "none", path=("actors",)
        )
    missing = np.isnan(arrays.reference).any(axis=0)
    if missing.any():
        issue = arrays.issue_ids[int(np.argmax(missing))]
        raise InputError(
            "a reference point (status quo) on every issue",
            "none",
            path=("issues", issue, "reference"),
        )

    weight = issue_weights(arrays)
    position, q = arrays.position, arrays.reference[:, None, :]
    reach = np.abs(q - position)
    low, high = arrays.scale_low, arrays.scale_high
    # Segment ends: every constituent's approval interval, the status quo, the scale's ends.
    ends = np.concatenate(
        [
            np.clip(position - reach, low, high),
            np.clip(position + reach, low, high),
            q,
            np.broadcast_to(low, q.shape),
            np.broadcast_to(high, q.shape),
        ],
        axis=1,
    )
    breaks = np.sort(ends, axis=1)  # [draws, points, issues]
    middle = (breaks[:, 1:, :] + breaks[:, :-1, :]) / 2  # [draws, segments, issues]
    approves = np.abs(middle[:, None, :, :] - position[:, :, None, :]) < reach[:, :, None, :]
    ratified = np.empty((arrays.draws, leaders.size, *middle.shape[1:]), dtype=bool)
    for k, chief in enumerate(leaders):
        members = leader == chief
        share_weight = weight[:, members, None, :]
        total = share_weight.sum(axis=1)
        share = (share_weight * approves[:, members]).sum(axis=1) / np.where(total > 0, total, 1)
        # A share that meets the quota exactly does not pass it; the margin keeps that so
        # whatever the unit of capability (6.1 / 12.2 and 9.15 / 18.3 round differently).
        passed = share >= 1 - 1e-12 if quota >= 1 else share > quota + 1e-12
        ratified[:, k] = passed | (total == 0)  # a constituency that does not care: no veto
    length = breaks[:, 1:, :] - breaks[:, :-1, :]
    zone = ratified.all(axis=1) & (length > 1e-12 * (high - low))
    deal = zone.any(axis=1)

    unconstrained = _BASES[base](arrays).forecast  # [draws, issues]
    clamped = np.clip(unconstrained[:, None, :], breaks[:, :-1, :], breaks[:, 1:, :])
    distance = np.where(zone, np.abs(clamped - unconstrained[:, None, :]), np.inf)
    nearest = np.take_along_axis(clamped, np.argmin(distance, axis=1)[:, None, :], axis=1)[:, 0]
    forecast = np.where(deal, nearest, arrays.reference)
    return Result(
        model="winsets",
        actor_ids=arrays.actor_ids,
        issue_ids=arrays.issue_ids,
        trajectory=forecast[:, None, :],
        actor_positions=arrays.position,
        params={"quota": quota, "base": base},
        details={
            "leaders": tuple(arrays.actor_ids[int(k)] for k in leaders),
            "breaks": np.moveaxis(breaks, 1, 2),
            "ratified": np.moveaxis(ratified, 2, 3),
            "zone": np.moveaxis(zone, 1, 2),
            "deal": deal,
            "unconstrained": unconstrained,
            "status_quo": arrays.reference,
        },
    )


def intervals(breaks: FloatArray, inside: NDArray[np.bool_]) -> list[list[float]]:
    """Merge the segments of one draw and issue that are ``inside`` into ``[low, high]`` ranges.

    Args:
        breaks: ``[points]`` sorted segment ends.
        inside: ``[points - 1]`` whether each segment belongs to the set.
    """
    ranges: list[list[float]] = []
    for k in np.flatnonzero(inside):
        start, end = float(breaks[k]), float(breaks[k + 1])
        if end <= start:
            continue
        if ranges and ranges[-1][1] >= start:
            ranges[-1][1] = end
        else:
            ranges.append([start, end])
    return ranges


def describe(result: Result, draw: int = 0) -> list[dict[str, Any]]:
    """Per issue: each leader's win-set, the zone of agreement and whether a deal is feasible.

    Ranges are ``[low, high]`` pairs. Only an end at the scale's end (and not at the status
    quo) belongs to its set: the others are where a constituent is indifferent, the status
    quo among them.
    """
    details = result.details
    out = []
    for i, issue_id in enumerate(result.issue_ids):
        breaks = details["breaks"][draw, i]
        out.append(
            {
                "issue": issue_id,
                "winsets": {
                    chief: intervals(breaks, details["ratified"][draw, k, i])
                    for k, chief in enumerate(details["leaders"])
                },
                "zone": intervals(breaks, details["zone"][draw, i]),
                "deal": bool(details["deal"][draw, i]),
                "status_quo": float(details["status_quo"][draw, i]),
                "scale": [float(breaks[0]), float(breaks[-1])],
                "unconstrained": float(details["unconstrained"][draw, i]),
                "forecast": float(result.forecast[draw, i]),
            }
        )
    return out
