"""Compromise model: the capability × salience weighted mean of positions.

Forecast on issue *i*: ``sum_a c_a s_ai x_ai / sum_a c_a s_ai`` where ``c`` is capability,
``s`` salience and ``x`` position. The field's hardest baseline to beat (Achen 2006,
"Evaluating political decision-making models", in Thomson et al., *The European Union
Decides*, ch. 10; van den Bos 1991).
"""

from __future__ import annotations

import numpy as np

from winset.models._checks import require_weight
from winset.result import Result
from winset.scenario.arrays import ScenarioArrays


def compromise(arrays: ScenarioArrays, *, rng: np.random.Generator | None = None) -> Result:
    """Capability × salience weighted mean per issue; a static model (one round).

    Args:
        arrays: The scenario as arrays with a leading batch axis.
        rng: Unused; accepted so every model shares one signature.

    Returns:
        A Result whose single-round trajectory is the weighted mean; actors do not move.
    """
    total = np.einsum("da,dai->di", arrays.capability, arrays.salience, optimize=True)
    require_weight(total, arrays)
    weighted = np.einsum(
        "da,dai,dai->di", arrays.capability, arrays.salience, arrays.position, optimize=True
    )
    forecast = weighted / total
    return Result(
        model="compromise",
        actor_ids=arrays.actor_ids,
        issue_ids=arrays.issue_ids,
        trajectory=forecast[:, None, :],
        actor_positions=arrays.position,
    )
