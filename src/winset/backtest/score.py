"""Scoring: errors, proposal-grouped folds, cluster bootstrap, and honest cross-validation.

* Errors are on the 0–100 scale: MAE, RMSE and median absolute error.
* Folds keep every proposal whole (issues of one proposal share actors, dates and often
  outcomes), so no fold's test issues share a proposal with its training issues.
* Intervals are 95 % percentile intervals of a bootstrap that resamples *proposals* with
  replacement (2,000 resamples, seeded), again because issues within a proposal are not
  independent. The same resamples serve every forecaster, so differences are paired.
* :func:`cross_validate` tunes each family only on the training folds — hyperparameters by
  an inner proposal-grouped CV inside the training folds, parameters by fitting on them —
  and keeps only the held-out predictions. It also scores *selection* itself: in each outer
  fold the configuration with the best inner-CV score is chosen and applied to the held-out
  fold, so picking the best attempt is part of what is measured.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from winset.backtest.table import IssueTable
from winset.errors import InputError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

BOOTSTRAP = 2000
"""Bootstrap resamples."""
INNER_FOLDS = 5
"""Folds of the inner CV that chooses hyperparameters inside each outer training set."""
QUANTILES = (0.1, 0.25, 0.75, 0.9)
"""Predictive quantiles kept for held-out forecasts: the central 50 % and 80 % intervals."""


# --------------------------------------------------------------------------- errors


def mae(prediction: FloatArray, outcome: FloatArray) -> float:
    """Mean absolute error."""
    return float(np.mean(np.abs(prediction - outcome)))


def rmse(prediction: FloatArray, outcome: FloatArray) -> float:
    """Root mean squared error."""
    return float(np.sqrt(np.mean((prediction - outcome) ** 2)))


def median_ae(prediction: FloatArray, outcome: FloatArray) -> float:
    """Median absolute error."""
    return float(np.median(np.abs(prediction - outcome)))


# --------------------------------------------------------------------------- folds


def grouped_folds(groups: IntArray, k: int, seed: int) -> IntArray:
    """Fold number (0 … k-1) of each item, keeping every group in one fold.

    Groups are shuffled with ``seed``, then dealt largest first to the fold with the fewest
    items so far, which balances the folds' sizes.

    Args:
        groups: [N] group label of each item (the proposal).
        k: Number of folds, at least 2 and at most the number of groups.
        seed: Seed of the shuffle.

    Raises:
        InputError: If ``k`` < 2 or ``k`` exceeds the number of groups.
    """
    labels, sizes = np.unique(groups, return_counts=True)
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 2:
        raise InputError("a number of folds K ≥ 2", repr(k), path=("cv",))
    if k > labels.size:
        raise InputError(
            f"a number of folds K ≤ {labels.size} (the number of proposals)", repr(k), path=("cv",)
        )
    rng = np.random.default_rng(seed)
    order = rng.permutation(labels.size)
    order = order[np.argsort(-sizes[order], kind="stable")]
    load = np.zeros(k, dtype=np.int64)
    fold_of = np.empty(labels.size, dtype=np.int64)
    for g in order:
        f = int(np.argmin(load))
        fold_of[g] = f
        load[f] += sizes[g]
    return fold_of[np.searchsorted(labels, groups)]


# --------------------------------------------------------------------------- bootstrap


@dataclass(frozen=True)
class Bootstrap:
    """Proposal resamples shared by every forecaster: ``counts[b, g]`` copies of group g."""

    counts: FloatArray
    group: IntArray

    @classmethod
    def draw(cls, group: IntArray, *, resamples: int = BOOTSTRAP, seed: int = 0) -> Bootstrap:
        """Resample the groups with replacement ``resamples`` times."""
        n_groups = int(group.max()) + 1
        rng = np.random.default_rng(seed)
        counts = rng.multinomial(n_groups, np.full(n_groups, 1.0 / n_groups), size=resamples)
        return cls(counts.astype(np.float64), group)

    def means(self, values: FloatArray) -> FloatArray:
        """[resamples] the mean of ``values`` [N] in each resample (NaN values left out).

        A resample that draws no known value has no mean (NaN).
        """
        n_groups = self.counts.shape[1]
        known = ~np.isnan(values)
        sums = np.bincount(self.group[known], weights=values[known], minlength=n_groups)
        sizes = np.bincount(self.group[known], minlength=n_groups).astype(np.float64)
        drawn = self.counts @ sizes
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(np.where(drawn > 0, (self.counts @ sums) / drawn, np.nan))

    def interval(self, values: FloatArray, *, root: bool = False) -> list[float]:
        """95 % percentile interval of the mean of ``values`` (of its root if ``root``).

        NaN values (issues a model did not forecast) are left out of every resample, and
        so are resamples without any known value.

        Raises:
            ValueError: No value is known.
        """
        stats = self.means(values)
        stats = stats[~np.isnan(stats)]
        if stats.size == 0:
            raise ValueError("no known value to resample")
        if root:
            stats = np.sqrt(stats)
        lo, hi = np.percentile(stats, [2.5, 97.5])
        return [float(lo), float(hi)]


# --------------------------------------------------------------------------- families


class Family(ABC):
    """A forecaster: optional hyperparameters (chosen by inner CV) and fitted parameters.

    Untuned forecasters return None from :meth:`fit`.
    """

    name: str = ""
    description: str = ""
    kind: str = "attempt"
    capability: str = "equal"
    hypers: tuple[Mapping[str, Any], ...] = ({},)
    tuned: bool = True
    selectable: bool = True
    """Whether the nested selection (``selected``) may choose this forecaster."""

    @abstractmethod
    def fit(self, table: IssueTable, train: IntArray, hyper: Mapping[str, Any]) -> Any:
        """Parameters fitted on the ``train`` rows only."""

    @abstractmethod
    def predict(
        self, table: IssueTable, rows: IntArray, fitted: Any, hyper: Mapping[str, Any]
    ) -> FloatArray:
        """Forecasts for ``rows``."""

    def describe(self, fitted: Any, hyper: Mapping[str, Any]) -> dict[str, Any]:
        """JSON-ready account of the chosen hyperparameters and fitted parameters."""
        return {**hyper}

    def quantiles(
        self,
        table: IssueTable,
        rows: IntArray,
        fitted: Any,
        hyper: Mapping[str, Any],
        probs: Sequence[float],
    ) -> FloatArray | None:
        """[len(probs), rows] quantiles of the predictive distribution, if it has one."""
        return None


class Fixed(Family):
    """A forecaster with nothing to tune: its forecasts are computed once for all issues."""

    tuned = False

    def __init__(
        self,
        name: str,
        prediction: FloatArray,
        *,
        description: str,
        kind: str,
        capability: str = "equal",
        selectable: bool = False,
    ) -> None:
        self.name = name
        self.prediction = prediction
        self.description = description
        self.kind = kind
        self.capability = capability
        self.selectable = selectable

    def fit(self, table: IssueTable, train: IntArray, hyper: Mapping[str, Any]) -> None:
        """Nothing to fit."""
        return None

    def predict(
        self, table: IssueTable, rows: IntArray, fitted: Any, hyper: Mapping[str, Any]
    ) -> FloatArray:
        """The precomputed forecasts of ``rows``."""
        return self.prediction[rows]


# --------------------------------------------------------------------------- CV


@dataclass
class Heldout:
    """Held-out forecasts of one family (or of the selection) and what each fold chose."""

    prediction: FloatArray
    folds: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    quantiles: FloatArray | None = None
    """[len(QUANTILES), N] held-out predictive quantiles (None: a point forecaster)."""

    def store(
        self,
        family: Family,
        table: IssueTable,
        rows: IntArray,
        fitted: Any,
        hyper: Mapping[str, Any],
    ) -> None:
        """Forecast ``rows`` (and their quantiles, if the family has a distribution)."""
        self.prediction[rows] = family.predict(table, rows, fitted, hyper)
        q = family.quantiles(table, rows, fitted, hyper, QUANTILES)
        if q is not None:
            if self.quantiles is None:
                self.quantiles = np.full((len(QUANTILES), self.prediction.size), np.nan)
            self.quantiles[:, rows] = q


def cross_validate(
    table: IssueTable,
    families: Sequence[Family],
    *,
    k: int,
    seed: int,
    inner_k: int = INNER_FOLDS,
    select: bool = True,
) -> tuple[IntArray, dict[str, Heldout]]:
    """Held-out forecasts of every family by proposal-grouped K-fold CV.

    Args:
        table: The issues.
        families: Forecasters; tuned ones are fitted on the training folds only.
        k: Outer folds (≥ 2).
        seed: Seeds the outer split; inner splits use ``seed`` and the fold number.
        inner_k: Inner folds for hyperparameters and for the selection.
        select: Also score ``selected``: per outer fold, the configuration (family and
            hyperparameters, among the families marked ``selectable``) with the lowest
            inner-CV MAE, refitted on the training folds.

    Returns:
        The outer fold of each issue, and name → held-out forecasts.
    """
    folds = grouped_folds(table.group, k, seed)
    out = _empty(table, families, select)
    for fold in range(k):
        _score_split(
            table,
            families,
            np.flatnonzero(folds != fold),
            np.flatnonzero(folds == fold),
            out,
            fold=fold,
            inner_seed=seed + 7919 * (fold + 1),
            inner_k=inner_k,
        )
    return folds, out


def forward_validate(
    table: IssueTable,
    families: Sequence[Family],
    *,
    train: IntArray,
    test: IntArray,
    seed: int,
    inner_k: int = INNER_FOLDS,
    select: bool = True,
) -> dict[str, Heldout]:
    """Forecasts of ``test`` by every family fitted on ``train`` alone (e.g. an earlier period).

    Hyperparameters and the selection are chosen by a proposal-grouped inner CV on
    ``train``, exactly as inside one fold of :func:`cross_validate`; rows outside ``test``
    stay NaN.

    Raises:
        InputError: If ``train`` and ``test`` share a proposal.
    """
    shared = np.intersect1d(table.group[train], table.group[test])
    if shared.size:
        raise InputError(
            "training and test issues from different proposals",
            f"{shared.size} proposals in both",
            path=("forward",),
        )
    out = _empty(table, families, select)
    _score_split(table, families, train, test, out, fold=0, inner_seed=seed, inner_k=inner_k)
    return out


def _empty(table: IssueTable, families: Sequence[Family], select: bool) -> dict[str, Heldout]:
    out = {f.name: Heldout(np.full(table.n, np.nan)) for f in families}
    if select and any(f.tuned and f.selectable for f in families):
        out["selected"] = Heldout(np.full(table.n, np.nan))
    return out


def _score_split(
    table: IssueTable,
    families: Sequence[Family],
    train: IntArray,
    test: IntArray,
    out: dict[str, Heldout],
    *,
    fold: int,
    inner_seed: int,
    inner_k: int,
) -> None:
    """Tune and fit every family on ``train``, forecast ``test`` into ``out`` (and select)."""
    inner_score: dict[tuple[int, int], float] = {}
    needs_inner = [
        (fi, f)
        for fi, f in enumerate(families)
        if (f.tuned and len(f.hypers) > 1) or ("selected" in out and f.selectable)
    ]
    if needs_inner:
        inner = grouped_folds(table.group[train], min(inner_k, _groups(table, train)), inner_seed)
        for fi, family in needs_inner:
            started = time.perf_counter()
            for hi, hyper in enumerate(family.hypers):
                errors = np.empty(train.size)
                for j in range(int(inner.max()) + 1):
                    fit_rows, eval_mask = train[inner != j], inner == j
                    fitted = family.fit(table, fit_rows, hyper)
                    guess = family.predict(table, train[eval_mask], fitted, hyper)
                    errors[eval_mask] = np.abs(guess - table.outcome[train[eval_mask]])
                inner_score[fi, hi] = float(errors.mean())
            out[family.name].seconds += time.perf_counter() - started
    chosen: dict[int, tuple[int, Any]] = {}
    for fi, family in enumerate(families):
        started = time.perf_counter()
        hi = min(range(len(family.hypers)), key=lambda h: inner_score.get((fi, h), 0.0))
        hyper = family.hypers[hi]
        fitted = family.fit(table, train, hyper)
        chosen[fi] = (hi, fitted)
        out[family.name].store(family, table, test, fitted, hyper)
        out[family.name].folds.append(
            {"fold": fold, **family.describe(fitted, hyper)} if family.tuned else {"fold": fold}
        )
        out[family.name].seconds += time.perf_counter() - started
    if "selected" in out:
        started = time.perf_counter()
        menu = [key for key in inner_score if families[key[0]].selectable]
        fi, hi = min(menu, key=lambda key: (inner_score[key], key))
        family, hyper = families[fi], families[fi].hypers[hi]
        fitted = chosen[fi][1] if chosen[fi][0] == hi else family.fit(table, train, hyper)
        out["selected"].store(family, table, test, fitted, hyper)
        out["selected"].folds.append(
            {"fold": fold, "chose": family.name, **family.describe(fitted, hyper),
             "inner_mae": round(inner_score[fi, hi], 3)}
        )  # fmt: skip
        out["selected"].seconds += time.perf_counter() - started


def _groups(table: IssueTable, rows: IntArray) -> int:
    return int(np.unique(table.group[rows]).size)
