"""Asymmetric Nash bargaining with the reference point as the disagreement point.

On each issue the forecast maximises the weighted Nash product (Nash 1950; the asymmetric
form of Kalai 1977, as applied to EU legislation by Achen 2006 and Schneider, Finke &
Bailer 2010)::

    x* = argmax_x  prod_a (u_a(x) - u_a(q)) ** w_a,   u_a(x) = -|x - x_a| ** k

over the points every actor weakly prefers to the disagreement point ``q`` (under
unanimity every actor is a veto player), with bargaining weight ``w_a`` = capability ×
salience and loss exponent ``k`` = 1 (linear) or 2 (quadratic). Salience enters through
the weight: in one dimension a multiplicative utility scale cancels out of the argmax.

``q`` is the issue's reference point (status quo). Where an issue has none, each actor's
disagreement utility is that of its worst point on the scale, so every point is acceptable.
(As the disagreement point recedes, the quadratic-loss solution tends to the weighted mean:
Achen 2006.)
If no point other than ``q`` leaves every actor at least as well off, the forecast is
``q``: no deal.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from winset.errors import InputError
from winset.models._checks import issue_weights
from winset.result import FloatArray, Result
from winset.scenario.arrays import ScenarioArrays

_ITERATIONS = 100


def nash(
    arrays: ScenarioArrays,
    *,
    rng: np.random.Generator | None = None,
    loss: Literal["linear", "quadratic"] = "quadratic",
) -> Result:
    """Weighted Nash bargaining solution per issue; a static model (one round).

    Args:
        arrays: The scenario as arrays with a leading batch axis.
        rng: Unused; accepted so every model shares one signature.
        loss: ``quadratic`` (default) or ``linear`` utility loss in distance.

    Returns:
        A Result whose single-round trajectory is the bargaining solution; ``details``
        holds ``deal[draws, issues]``, whether any point beats the reference point for all.
    """
    if loss not in ("linear", "quadratic"):
        raise InputError("loss 'linear' or 'quadratic'", repr(loss), path=("loss",))
    k = 1.0 if loss == "linear" else 2.0
    weight = issue_weights(arrays)
    position = arrays.position
    low, high = arrays.scale_low, arrays.scale_high
    reference = arrays.reference[:, None, :]
    farthest = np.maximum(position - low, high - position)
    radius = np.where(np.isnan(reference), farthest, np.abs(reference - position))
    # Each actor with weight accepts [x_a - r_a, x_a + r_a]: points no worse than q for it.
    active = weight > 0
    lower = np.where(active, position - radius, -np.inf).max(axis=1)
    upper = np.where(active, position + radius, np.inf).min(axis=1)
    lower, upper = np.maximum(lower, low), np.minimum(upper, high)
    deal = upper - lower > 1e-9 * (high - low)
    solution = _maximise(position, radius**k, weight, k, lower, upper)
    status_quo = arrays.reference
    forecast = np.where(deal, solution, np.where(np.isnan(status_quo), solution, status_quo))
    return Result(
        model="nash",
        actor_ids=arrays.actor_ids,
        issue_ids=arrays.issue_ids,
        trajectory=forecast[:, None, :],
        actor_positions=arrays.position,
        params={"loss": loss},
        details={"deal": deal},
    )


def _maximise(
    position: FloatArray,
    gain_at_ideal: FloatArray,
    weight: FloatArray,
    k: float,
    lower: FloatArray,
    upper: FloatArray,
) -> FloatArray:
    """Bisection on the derivative of sum_a w_a log(r_a^k - |x - x_a|^k) over [lower, upper].

    The objective is strictly concave where it is finite, so the sign of its derivative
    brackets the maximiser; 100 halvings reach machine precision on any scale.
    """
    lo, hi = lower.copy(), upper.copy()
    for _ in range(_ITERATIONS):
        mid = (lo + hi) / 2
        offset = mid[:, None, :] - position
        distance = np.abs(offset)
        surplus = gain_at_ideal - distance**k
        slope = -k * distance ** (k - 1) * np.sign(offset)
        with np.errstate(divide="ignore", invalid="ignore"):  # only where there is no deal
            terms = np.where(weight > 0, weight * slope / surplus, 0.0)
            rising = terms.sum(axis=1) > 0
        lo = np.where(rising, mid, lo)
        hi = np.where(rising, hi, mid)
    return (lo + hi) / 2
