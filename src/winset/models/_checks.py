"""Input checks shared by the models."""

from __future__ import annotations

import numpy as np

from winset.errors import InputError
from winset.result import FloatArray
from winset.scenario.arrays import ScenarioArrays


def require_weight(total: FloatArray, arrays: ScenarioArrays) -> None:
    """Refuse issues where no actor has capability × salience above 0 (``total[draws, issues]``)."""
    empty = np.argwhere(~(total > 0))
    if empty.size:
        draw, issue = empty[0]
        raise InputError(
            "at least one actor with capability and salience above 0",
            f"none in draw {draw}",
            path=("issues", arrays.issue_ids[issue]),
        )


def issue_weights(arrays: ScenarioArrays) -> FloatArray:
    """Capability × salience, ``[draws, actors, issues]``; every issue must carry weight."""
    weight = arrays.capability[:, :, None] * arrays.salience
    require_weight(weight.sum(axis=1), arrays)
    return weight
