"""Scenario discovery with PRIM: boxes of input conditions under which an outcome occurs.

The Patient Rule Induction Method of Friedman & Fisher (1999, "Bump hunting in
high-dimensional data", Statistics and Computing 9: 123–143), peeling only, as used for
scenario discovery by Bryant & Lempert (2010, Technological Forecasting & Social Change
77: 34–49). Starting from the box holding every draw, each step removes the ``alpha``
share of the remaining draws at the low or the high end of one input, choosing the peel
that most raises the share of draws in the box where the outcome occurs (the *density*);
it stops when the box holds less than ``min_mass`` of all draws. Every step is kept: a
box's *coverage* is the share of all outcome draws it holds, its *mass* the share of all
draws. winset reports the whole trajectory and picks the densest box whose coverage is at
least ``min_coverage``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from winset.errors import InputError
from winset.result import FloatArray


@dataclass(frozen=True)
class Box:
    """One step of the peeling trajectory: bounds per input and the box's statistics."""

    low: FloatArray
    high: FloatArray
    coverage: float
    density: float
    mass: float

    def restrictions(
        self, full_low: FloatArray, full_high: FloatArray, names: tuple[str, ...]
    ) -> list[dict[str, Any]]:
        """Inputs whose bounds the box narrows, with the bounds."""
        out = []
        for k, name in enumerate(names):
            lower = self.low[k] > full_low[k]
            upper = self.high[k] < full_high[k]
            if lower or upper:
                out.append(
                    {
                        "input": name,
                        "low": float(self.low[k]) if lower else None,
                        "high": float(self.high[k]) if upper else None,
                    }
                )
        return out


def prim(
    inputs: FloatArray,
    outcome: NDArray[np.bool_],
    *,
    alpha: float = 0.05,
    min_mass: float = 0.05,
) -> list[Box]:
    """The peeling trajectory for ``outcome[draws]`` over ``inputs[draws, inputs]``."""
    if not 0 < alpha < 0.5:
        raise InputError("alpha in (0, 0.5)", f"{alpha:g}", path=("alpha",))
    n, d = inputs.shape
    hits = outcome.astype(np.float64)
    total_hits = hits.sum()
    if n == 0 or total_hits == 0:
        raise InputError("draws where the condition holds", "none", path=("--when",))
    low, high = inputs.min(axis=0), inputs.max(axis=0)
    inside = np.ones(n, dtype=bool)
    boxes = [Box(low.copy(), high.copy(), 1.0, float(hits.mean()), 1.0)]
    while True:
        members = inputs[inside]
        cut_low = np.quantile(members, alpha, axis=0)
        cut_high = np.quantile(members, 1 - alpha, axis=0)
        best: tuple[float, int, int, bool, float] | None = None
        for k in range(d):
            column = members[:, k]
            for at_low, keep in ((True, column >= cut_low[k]), (False, column <= cut_high[k])):
                kept = int(keep.sum())
                if kept == column.size or kept == 0:
                    continue  # ties: this peel removes nothing, or everything
                density = float(hits[inside][keep].mean())
                candidate = (density, kept, k, at_low, float(cut_low[k] if at_low else cut_high[k]))
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
        if best is None:
            break
        density, kept, k, at_low, cut = best
        if kept / n < min_mass:
            break
        rows = np.flatnonzero(inside)
        column = inputs[rows, k]
        inside[rows[column < cut if at_low else column > cut]] = False
        if at_low:
            low[k] = cut
        else:
            high[k] = cut
        boxes.append(
            Box(
                low.copy(),
                high.copy(),
                float(hits[inside].sum() / total_hits),
                density,
                float(inside.mean()),
            )
        )
    return boxes


def choose(boxes: list[Box], min_coverage: float = 0.5) -> Box:
    """The densest box whose coverage is at least ``min_coverage`` (the first box if none)."""
    eligible = [b for b in boxes if b.coverage >= min_coverage] or boxes[:1]
    return max(eligible, key=lambda b: (b.density, b.coverage))
