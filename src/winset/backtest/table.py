"""The scorable DEU issues as arrays: one row per issue, one column per DEU actor.

Every forecaster of the back-test reads this table; the model runs read the cases'
scenarios. Positions are NaN and saliences 0 where an actor is not present.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from winset.backtest.deu import ACTORS, CAPABILITIES, Capability, Case, capabilities
from winset.backtest.power import council_at
from winset.errors import InputError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

COM, EP = 0, 1
"""Columns of the Commission and the Parliament."""


@dataclass(frozen=True, eq=False)
class IssueTable:
    """Scorable DEU issues as arrays (``N`` issues, ``A`` = 30 actors)."""

    cases: tuple[Case, ...]
    issue_ids: tuple[str, ...]
    proposal_ids: tuple[str, ...]
    group: IntArray
    """[N] proposal index (0 … proposals - 1), the unit that CV folds and bootstrap keep whole."""
    position: FloatArray
    """[N, A] 0–100, NaN where absent."""
    salience: FloatArray
    """[N, A] in [0, 1], 0 where absent."""
    present: BoolArray
    """[N, A] position and salience both given."""
    reference: FloatArray
    """[N] reference point, NaN where the data set gives none."""
    outcome: FloatArray
    """[N] the actual outcome."""
    wave: IntArray
    cod: BoolArray
    """[N] codecision (else consultation)."""
    unanimity: BoolArray
    """[N] the Council votes by unanimity (else QMV)."""
    capability: dict[str, FloatArray]
    """Scheme → [N, A] capability (0 where absent)."""
    council_quota: FloatArray
    """[N] share of the Council's weight a qualified majority needs at the decision date
    (votes, or population under Lisbon); 1 under unanimity."""

    @property
    def n(self) -> int:
        """Number of issues."""
        return len(self.issue_ids)

    @property
    def n_groups(self) -> int:
        """Number of proposals."""
        return int(self.group.max()) + 1 if self.n else 0

    @property
    def procedure(self) -> NDArray[np.str_]:
        """[N] ``COD`` or ``CNS``."""
        return np.where(self.cod, "COD", "CNS")

    @property
    def voting_rule(self) -> NDArray[np.str_]:
        """[N] ``qmv`` or ``unanimity``."""
        return np.where(self.unanimity, "unanimity", "qmv")

    def weights(self, capability: Capability = "equal") -> FloatArray:
        """[N, A] capability × salience."""
        return self.capability[capability] * self.salience

    def mean(
        self, capability: Capability = "equal", weight: FloatArray | None = None
    ) -> FloatArray:
        """[N] weighted mean of present positions (weights capability × salience by default)."""
        w = self.weights(capability) if weight is None else weight
        x = np.where(self.present, self.position, 0.0)
        total = w.sum(axis=1)
        return np.asarray((w * x).sum(axis=1) / np.where(total > 0, total, np.nan))


def build_table(cases: Sequence[Case], schemes: Sequence[Capability] = CAPABILITIES) -> IssueTable:
    """The table of ``cases`` (scorable ones) with capabilities of every scheme.

    Raises:
        InputError: If a case has no outcome.
    """
    n, a = len(cases), len(ACTORS)
    column = {actor: k for k, actor in enumerate(ACTORS)}
    position = np.full((n, a), np.nan)
    salience = np.zeros((n, a))
    present = np.zeros((n, a), dtype=bool)
    reference = np.full(n, np.nan)
    outcome = np.full(n, np.nan)
    caps: dict[str, FloatArray] = {s: np.zeros((n, a)) for s in schemes}
    proposals: dict[str, int] = {}
    quota = np.ones(n)
    for i, case in enumerate(cases):
        council = council_at(case.decision_date)
        if case.voting_rule == "qmv":
            quota[i] = council.quota / council.total
        if case.outcome is None:
            raise InputError("a case with an outcome", "none", path=("cases", case.issue))
        issue = case.scenario.issues[0]
        if issue.reference is not None:
            reference[i] = issue.reference.nominal
        outcome[i] = case.outcome
        for actor in case.scenario.actors:
            stance = actor.stances[issue.id]
            k = column[actor.id]
            position[i, k] = stance.position.nominal
            salience[i, k] = stance.salience.nominal / 100.0
            present[i, k] = True
        for scheme in schemes:
            values = capabilities(case.record, scheme)
            caps[scheme][i] = [
                values[actor] if present[i, k] else 0.0 for k, actor in enumerate(ACTORS)
            ]
        proposals.setdefault(case.proposal, len(proposals))
    return IssueTable(
        cases=tuple(cases),
        issue_ids=tuple(c.issue for c in cases),
        proposal_ids=tuple(c.proposal for c in cases),
        group=np.array([proposals[c.proposal] for c in cases], dtype=np.int64),
        position=position,
        salience=salience,
        present=present,
        reference=reference,
        outcome=outcome,
        wave=np.array([c.wave for c in cases], dtype=np.int64),
        cod=np.array([c.procedure == "COD" for c in cases]),
        unanimity=np.array([c.voting_rule == "unanimity" for c in cases]),
        capability=caps,
        council_quota=quota,
    )
