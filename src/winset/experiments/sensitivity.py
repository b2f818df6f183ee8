"""Which uncertain inputs move a forecast: Sobol' indices, Morris screening, tornado swings.

Sampling and analysis are SALib's (Herman & Usher 2017, JOSS 2(9): 97; Iwanaga, Usher &
Herman 2022). SALib samples each input on [0, 1]; winset maps those through each input's
own distribution (uniform or triangular), so the indices refer to the ranges in the
scenario file. Sobol' indices follow Saltelli et al. (2010, Computer Physics
Communications 181: 259–270): first order ``S1`` and total order ``ST`` with bootstrap
confidence intervals. Morris screening follows Morris (1991) with ``mu*`` of Campolongo
et al. (2007). The tornado is one-at-a-time: each input at its low and its high end, the
others at their point estimates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from winset.errors import InputError, show_value
from winset.experiments.montecarlo import forecast_in_calls
from winset.result import FloatArray
from winset.scenario.arrays import ArrayPlan, uncertain_inputs
from winset.scenario.model import Scenario

Method = Literal["sobol", "morris"]


@dataclass(frozen=True)
class Sensitivity:
    """Indices per input for one issue's forecast, most influential first."""

    method: Method
    issue: str
    rows: list[dict[str, Any]]
    evaluations: int

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "method": self.method,
            "issue": self.issue,
            "evaluations": self.evaluations,
            "inputs": self.rows,
        }


def _setup(scenario: Scenario, issue: str | None) -> tuple[ArrayPlan, list[str], int, str]:
    inputs = uncertain_inputs(scenario)
    if not inputs:
        raise InputError(
            "numbers with ranges in the scenario (or --vary)", "none", path=("inputs",)
        )
    issue_ids = [i.id for i in scenario.issues]
    chosen = issue or issue_ids[0]
    if chosen not in issue_ids:
        raise InputError(
            f"an issue id ({', '.join(issue_ids)})", show_value(chosen), path=("--issue",)
        )
    names = [u.label(scenario) for u in inputs]
    return ArrayPlan.build(scenario), names, issue_ids.index(chosen), chosen


def _evaluate(
    scenario: Scenario,
    plan: ArrayPlan,
    model: str,
    options: dict[str, Any],
    unit: FloatArray,
    column: int,
    seed: int,
) -> FloatArray:
    """The chosen issue's forecast for every row of ``unit``, in cache-sized model calls."""
    forecast, _, _ = forecast_in_calls(
        scenario,
        plan,
        model,
        options,
        lambda low, high: unit[low:high],
        start=0,
        stop=unit.shape[0],
        seed=seed,
    )
    return forecast[:, column]


def sensitivity(
    scenario: Scenario,
    model: str,
    *,
    method: Method = "sobol",
    issue: str | None = None,
    samples: int = 1024,
    seed: int = 0,
    options: dict[str, Any] | None = None,
) -> Sensitivity:
    """Sobol' indices (``samples × (inputs + 2)`` runs) or Morris (``samples`` trajectories)."""
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    if samples <= 1:
        raise InputError("a number of samples above 1", str(samples), path=("--samples",))
    plan, names, column, chosen = _setup(scenario, issue)
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    opts = options or {}
    if method == "sobol":
        unit = sobol_sample.sample(problem, samples, calc_second_order=False, seed=seed)
        y = _evaluate(scenario, plan, model, opts, unit, column, seed)
        found = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=seed)
        rows: list[dict[str, Any]] = [
            {
                "input": name,
                "S1": float(found["S1"][k]),
                "S1_conf": float(found["S1_conf"][k]),
                "ST": float(found["ST"][k]),
                "ST_conf": float(found["ST_conf"][k]),
            }
            for k, name in enumerate(names)
        ]
        rows.sort(key=lambda r: -float(r["ST"]))
    elif method == "morris":
        unit = morris_sample.sample(problem, samples, num_levels=4, seed=seed)
        y = _evaluate(scenario, plan, model, opts, unit, column, seed)
        found = morris_analyze.analyze(problem, unit, y, num_levels=4, seed=seed)
        low, high = (
            plan.input_values(np.zeros((1, len(names))))[0],
            plan.input_values(np.ones((1, len(names))))[0],
        )
        rows = [
            {
                "input": name,
                "mu_star": float(found["mu_star"][k]),
                "mu_star_conf": float(found["mu_star_conf"][k]),
                "sigma": float(found["sigma"][k]),
                "range": [float(low[k]), float(high[k])],
            }
            for k, name in enumerate(names)
        ]
        rows.sort(key=lambda r: -float(r["mu_star"]))
    else:
        raise InputError("a method (sobol, morris)", show_value(method), path=("--method",))
    return Sensitivity(method=method, issue=chosen, rows=rows, evaluations=int(unit.shape[0]))


def tornado(
    scenario: Scenario,
    model: str,
    *,
    issue: str | None = None,
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One-at-a-time swings: the forecast with each input at its low and its high end."""
    plan, names, column, chosen = _setup(scenario, issue)
    n = len(names)
    nominal_unit = _nominal_unit(scenario, plan)
    unit = np.tile(nominal_unit, (2 * n + 1, 1))
    for k in range(n):
        unit[2 * k, k], unit[2 * k + 1, k] = 0.0, 1.0
    y = _evaluate(scenario, plan, model, options or {}, unit, column, seed=0)
    bars: list[dict[str, Any]] = [
        {
            "input": name,
            "at_low": float(y[2 * k]),
            "at_high": float(y[2 * k + 1]),
            "swing": float(abs(y[2 * k + 1] - y[2 * k])),
        }
        for k, name in enumerate(names)
    ]
    bars.sort(key=lambda b: -float(b["swing"]))
    return {"issue": chosen, "base": float(y[-1]), "bars": bars}


def _nominal_unit(scenario: Scenario, plan: ArrayPlan) -> FloatArray:
    """The unit-cube point whose values are the inputs' point estimates."""
    inputs = uncertain_inputs(scenario)
    point = np.empty(len(inputs))
    for k, item in enumerate(inputs):
        q = item.quantity
        low, high = q.bounds()
        x = q.nominal
        if q.distribution == "triangular" and q.mode is not None:
            # Triangular CDF at x.
            if x <= q.mode:
                point[k] = (x - low) ** 2 / ((high - low) * (q.mode - low)) if q.mode > low else 0
            else:
                point[k] = 1 - (high - x) ** 2 / ((high - low) * (high - q.mode))
        else:
            point[k] = (x - low) / (high - low)
    return point
