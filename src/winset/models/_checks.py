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


def check_stances(arrays: ScenarioArrays, *, weighted_issues: bool = True) -> None:
    """Refuse what a bargaining model cannot run on, naming the first bad value and where.

    At least two actors; every scale finite with its high end above its low end; every
    capability finite and at least 0; every salience finite, between 0 and 1 (0-100 in
    files); every position finite and on its issue's scale (within 1e-9 of its width);
    with ``weighted_issues``, on every issue an actor with capability and salience above 0.
    """
    n_actors = arrays.n_actors
    if n_actors < 2:
        raise InputError("at least two actors", f"{n_actors}", path=("actors",))
    low, high = arrays.scale_low, arrays.scale_high
    bad = np.flatnonzero(~(np.isfinite(low) & np.isfinite(high) & (high > low)))
    if bad.size:
        i = int(bad[0])
        raise InputError(
            "a finite scale whose high end is above its low end",
            f"[{low[i]}, {high[i]}]",
            path=("issues", arrays.issue_ids[i], "scale"),
        )
    wrong = np.argwhere(~(np.isfinite(arrays.capability) & (arrays.capability >= 0)))
    if wrong.size:
        draw, actor = wrong[0]
        raise InputError(
            "a finite capability of at least 0",
            f"{arrays.capability[draw, actor]} in draw {draw}",
            path=("actors", arrays.actor_ids[actor], "capability"),
        )
    slack = 1e-9 * (high - low)
    checks = (
        (
            "salience",
            arrays.salience,
            0.0,
            1.0,
            "a finite salience between 0 and 1 (0-100 in files)",
        ),
        (
            "position",
            arrays.position,
            low - slack,
            high + slack,
            "a finite position on the issue's scale",
        ),
    )
    for field, values, lo, hi, expected in checks:
        wrong = np.argwhere(~(np.isfinite(values) & (values >= lo) & (values <= hi)))
        if wrong.size:
            draw, actor, issue = wrong[0]
            if field == "position":
                expected += f" [{low[issue]:g}, {high[issue]:g}]"
            raise InputError(
                expected,
                f"{values[draw, actor, issue]} in draw {draw}",
                path=("actors", arrays.actor_ids[actor], "stances", arrays.issue_ids[issue], field),
            )
    if weighted_issues:
        require_weight(np.einsum("da,dai->di", arrays.capability, arrays.salience), arrays)
