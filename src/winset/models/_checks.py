"""Input checks shared by the models."""

from __future__ import annotations

import numpy as np

from winset.errors import InputError
from winset.result import FloatArray
from winset.scenario.arrays import ScenarioArrays


def issue_weights(arrays: ScenarioArrays) -> FloatArray:
    """Capability × salience, ``[draws, actors, issues]``; every issue must carry weight."""
    weight = arrays.capability[:, :, None] * arrays.salience
    total = weight.sum(axis=1)
    empty = np.argwhere(~(total > 0))
    if empty.size:
        draw, issue = empty[0]
        raise InputError(
            "at least one actor with capability and salience above 0",
            f"none in draw {draw}",
            path=("issues", arrays.issue_ids[issue]),
        )
    return weight
