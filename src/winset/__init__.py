"""winset: forecast how multi-party negotiations end.

The Python API in brief::

    import winset
    scenario = winset.load("examples/kuril-2019-01.yaml")
    result = winset.forecast(scenario, model="compromise")
    result.forecast_frame()
"""

from __future__ import annotations

from typing import Any

import numpy as np

from winset.errors import InputError
from winset.models import MODELS, run
from winset.result import Result
from winset.scenario import Scenario, nominal_arrays, sample_arrays
from winset.scenario.io import load, save

__version__ = "0.2.0"


def forecast(
    scenario: Scenario,
    model: str = "compromise",
    *,
    rng: np.random.Generator | None = None,
    **options: Any,
) -> Result:
    """Run ``model`` on the scenario's point estimates (one draw) with keyword ``options``."""
    return run(model, nominal_arrays(scenario), rng=rng, **options)


__all__ = [
    "MODELS",
    "InputError",
    "Result",
    "Scenario",
    "__version__",
    "forecast",
    "load",
    "nominal_arrays",
    "sample_arrays",
    "save",
]
