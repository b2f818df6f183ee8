"""Run winset's registered models on the DEU issues, one proposal at a time.

The issues of one proposal are negotiated together, so each proposal becomes one scenario
with several issues (:func:`~winset.backtest.deu.proposal_scenario`): models that link
issues (exchange) see them together, and issue-by-issue models give the same forecasts as
one scenario per issue. Issues of a proposal whose actors' capabilities differ (different
voting rules within one proposal under a power scheme) go into separate scenarios.

A model that refuses a proposal's scenario (:class:`~winset.errors.InputError`, e.g. the
exchange model on a proposal with a single issue) gets no forecast for that proposal's
issues and is scored on the others; one that refuses every proposal (the win-set model,
which needs constituencies) is not scored. Any other exception is a failure of the model:
it is reported with the reason and the model is not scored.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from winset.backtest.deu import Case, proposal_scenario
from winset.errors import InputError
from winset.models import MODELS
from winset.scenario import Scenario, nominal_arrays

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class ModelRun:
    """Forecasts of one model (NaN where it refused the input; None if it applies nowhere)."""

    model: str
    capability: str
    forecast: FloatArray | None
    reason: str | None
    """Why some or all issues have no forecast (the first refusal), else None."""
    seconds: float


def proposal_batches(cases: Sequence[Case]) -> list[list[int]]:
    """Indices of ``cases`` grouped into scenarios: by proposal, split where capabilities clash."""
    batches: list[tuple[str, dict[str, float], list[int]]] = []
    open_batches: dict[str, list[int]] = {}
    for i, case in enumerate(cases):
        caps = {a.id: a.capability.nominal for a in case.scenario.actors}
        for b in open_batches.setdefault(case.proposal, []):
            known = batches[b][1]
            if all(known.get(a, c) == c for a, c in caps.items()):
                known.update(caps)
                batches[b][2].append(i)
                break
        else:
            open_batches[case.proposal].append(len(batches))
            batches.append((case.proposal, dict(caps), [i]))
    return [members for _, _, members in batches]


def forecast_of(name: str, scenario: Scenario, rng: np.random.Generator) -> dict[str, float]:
    """Issue id → the registered model ``name``'s forecast for ``scenario`` (nominal inputs).

    Raises:
        InputError: The model does not apply to this scenario.
    """
    result = MODELS[name].function(nominal_arrays(scenario), rng=rng)
    values = np.asarray(result.forecast, dtype=np.float64)[0]
    return {issue: float(values[k]) for k, issue in enumerate(result.issue_ids)}


def run_model(name: str, cases: Sequence[Case], *, seed: int = 0) -> ModelRun:
    """Forecast every case with the registered model ``name`` (its default options).

    Args:
        name: A key of :data:`winset.models.MODELS`.
        cases: Cases, all with the same capability scheme.
        seed: Seeds the generator handed to the model (one generator, proposals in order).

    Returns:
        The forecasts in the order of ``cases`` (NaN for refused proposals), or None and
        the reason where the model applies to no proposal or fails.
    """
    capability = cases[0].capability if cases else "equal"
    rng = np.random.default_rng(seed)
    forecast = np.full(len(cases), np.nan)
    started = time.perf_counter()
    reason: str | None = None
    for members in proposal_batches(cases):
        group = [cases[i] for i in members]
        try:
            forecasts = forecast_of(name, proposal_scenario(group), rng)
        except InputError as exc:
            reason = reason or f"not applicable ({group[0].proposal}): {exc}"
            continue
        except Exception as exc:  # a failing model must not stop the back-test of the others
            return ModelRun(
                name,
                capability,
                None,
                f"failed ({group[0].proposal}): {type(exc).__name__}: {exc}",
                time.perf_counter() - started,
            )
        for i in members:
            forecast[i] = forecasts[cases[i].issue]
    seconds = time.perf_counter() - started
    if np.isnan(forecast).all():
        return ModelRun(name, capability, None, reason or "no forecast", seconds)
    return ModelRun(name, capability, forecast, reason, seconds)
