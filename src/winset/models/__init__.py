"""The models: pure functions ``model(arrays, *, rng=None) -> Result``, one per module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from winset.errors import InputError
from winset.models.compromise import compromise
from winset.models.median import median
from winset.result import Result
from winset.scenario.arrays import ScenarioArrays

ModelFunction = Callable[..., Result]


@dataclass(frozen=True)
class ModelSpec:
    """A model's name, function, one-line summary and reference."""

    name: str
    function: ModelFunction
    summary: str
    reference: str
    dynamic: bool = False


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            "compromise",
            compromise,
            "capability × salience weighted mean of positions",
            "Achen 2006; van den Bos 1991",
        ),
        ModelSpec(
            "median",
            median,
            "capability × salience weighted median of positions",
            "Black 1948",
        ),
    )
}


def get_model(name: str) -> ModelSpec:
    """The model called ``name``; an InputError naming the known ones otherwise."""
    try:
        return MODELS[name]
    except KeyError:
        raise InputError(
            f"a model name ({', '.join(MODELS)})", repr(name), path=("model",)
        ) from None


def run(name: str, arrays: ScenarioArrays, *, rng: np.random.Generator | None = None) -> Result:
    """Run the model called ``name`` on ``arrays``."""
    return get_model(name).function(arrays, rng=rng)


__all__ = ["MODELS", "ModelSpec", "compromise", "get_model", "median", "run"]
