"""What a model returns: forecasts, round-by-round trajectories and actor positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    import pandas as pd

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Result:
    """A model run over a batch of draws.

    ``trajectory[draws, rounds, issues]`` holds the issue forecast after each round, the
    first row being the initial state for dynamic models (static models have one round).
    ``actor_positions[draws, actors, issues]`` are the actors' final positions;
    ``actor_trajectory[draws, rounds, actors, issues]``, where a dynamic model keeps it, their
    positions after each round. ``params`` records the options the model ran with and
    ``details`` anything model-specific (e.g. the exchanges realised per round).
    """

    model: str
    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    trajectory: FloatArray
    actor_positions: FloatArray
    actor_trajectory: FloatArray | None = None
    params: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def forecast(self) -> FloatArray:
        """[draws, issues]: the outcome forecast, the last row of the trajectory."""
        return self.trajectory[:, -1, :]

    @property
    def draws(self) -> int:
        """Size of the batch axis."""
        return int(self.trajectory.shape[0])

    @property
    def rounds(self) -> int:
        """Number of rows in the trajectory."""
        return int(self.trajectory.shape[1])

    def forecast_frame(self) -> pd.DataFrame:
        """One row per draw, one column per issue."""
        import pandas as pd

        frame = pd.DataFrame(self.forecast, columns=list(self.issue_ids))
        frame.index.name = "draw"
        return frame

    def trajectory_frame(self, draw: int = 0) -> pd.DataFrame:
        """One row per round, one column per issue, for one draw."""
        import pandas as pd

        frame = pd.DataFrame(self.trajectory[draw], columns=list(self.issue_ids))
        frame.index.name = "round"
        return frame

    def actor_frame(self, draw: int = 0) -> pd.DataFrame:
        """Final positions: one row per actor, one column per issue, for one draw."""
        import pandas as pd

        return pd.DataFrame(
            self.actor_positions[draw],
            index=pd.Index(self.actor_ids, name="actor"),
            columns=list(self.issue_ids),
        )

    def to_dict(self, draw: int = 0) -> dict[str, Any]:
        """The JSON form of one draw: model, issues with forecast and trajectory, actors."""
        return {
            "model": self.model,
            "params": self.params,
            "issues": [
                {
                    "id": issue_id,
                    "forecast": float(self.forecast[draw, i]),
                    "trajectory": [float(x) for x in self.trajectory[draw, :, i]],
                }
                for i, issue_id in enumerate(self.issue_ids)
            ],
            "actors": [self._actor_dict(draw, a) for a in range(len(self.actor_ids))],
        }

    def _actor_dict(self, draw: int, a: int) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "id": self.actor_ids[a],
            "positions": {
                issue_id: float(self.actor_positions[draw, a, i])
                for i, issue_id in enumerate(self.issue_ids)
            },
        }
        if self.actor_trajectory is not None:
            entry["trajectory"] = {
                issue_id: [float(x) for x in self.actor_trajectory[draw, :, a, i]]
                for i, issue_id in enumerate(self.issue_ids)
            }
        return entry
