"""Baselines and the attempts to beat the compromise mean on DEU III.

Every attempt is a :class:`~winset.backtest.score.Family`: whatever it tunes, it tunes on
the training folds it is given, never on the issues it forecasts. What each one tries:

* ``institutions``: the reference point and procedure, part 1 — the Commission's and the
  Parliament's weight in the weighted mean, the Parliament's separately under codecision
  and consultation (grid, fitted by training MAE).
* ``status-quo-pull``: unanimity pulls toward the status quo — the mean moved a fraction
  ``λ`` toward the reference point, one ``λ`` under QMV and one under unanimity.
* ``power-blend``: voting power instead of raw weights — a blend of the equal-weight mean
  and the mean weighted by Council votes, Shapley–Shubik or Banzhaf power.
* ``snap`` / ``snap+institutions``: outcomes land on actor positions — forecast the actor
  position (or reference point) nearest the mean when it lies within ``δ`` of it.
* ``predictive-median`` (and its ``-shapley`` / ``-banzhaf`` weighted and ``+procedure``
  variants): the MAE-optimal forecast is a median of a predictive distribution — a
  conditional-logit distribution over the candidate points (the actors' positions and the
  reference point) plus a Laplace component around the mean for outcomes off every
  candidate, fitted by penalised maximum likelihood; the forecast is its median. The ridge
  penalty is the hyperparameter. ``+procedure`` adds who prefers each candidate to the
  reference point and whether the Council's rule in force would pass it. ``+exchange``
  centres the outcomes off every candidate on the forecast of winset's exchange model
  (Stokman's vote trading between the issues of a proposal) instead of the weighted mean,
  which brings in what no single-issue forecaster sees: how much each actor cares about
  the proposal's other issues.
* ``lad-stack``: an ensemble — least-absolute-deviation regression of the outcome on base
  forecasts (means, the Commission's and Parliament's positions, the weighted median,
  the reference point).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog, minimize

from winset.backtest.deu import Capability
from winset.backtest.score import Family, FloatArray, IntArray
from winset.backtest.table import COM, EP, IssueTable
from winset.models.median import weighted_median_of

BoolArray = NDArray[np.bool_]


# --------------------------------------------------------------------------- baselines


def constant(table: IssueTable, value: float = 50.0) -> FloatArray:
    """The same forecast for every issue (the scale's middle by default)."""
    return np.full(table.n, value)


def median_actor(table: IssueTable) -> FloatArray:
    """Unweighted median of the present actors' positions (mean of the middle two if even)."""
    return np.asarray(np.nanmedian(np.where(table.present, table.position, np.nan), axis=1))


def weighted_mean(table: IssueTable, capability: str = "equal") -> FloatArray:
    """Capability × salience weighted mean (``equal``: the salience-weighted mean)."""
    return table.mean(capability)  # type: ignore[arg-type]


def weighted_median(table: IssueTable, capability: str = "equal") -> FloatArray:
    """Capability × salience weighted median (winset's median model, ties at the gap's middle)."""
    x = np.where(table.present, table.position, 50.0)
    w = table.weights(capability)  # type: ignore[arg-type]
    return np.asarray(weighted_median_of(x.T[None], w.T[None])[0], dtype=np.float64)


def _clip(x: FloatArray) -> FloatArray:
    return np.clip(x, 0.0, 100.0)


def _best(errors: FloatArray) -> int:
    """Index of the row of ``errors[configs, rows]`` with the lowest mean (first on ties)."""
    return int(np.argmin(errors.mean(axis=1)))


# --------------------------------------------------------------------------- grids


class _Grid(Family):
    """A family whose parameters are a grid of precomputed forecasts, fitted by train MAE."""

    def __init__(self) -> None:
        self._grid: list[Mapping[str, Any]] = []
        self._forecasts: FloatArray = np.empty((0, 0))
        self._table: int | None = None

    def _configs(self, table: IssueTable) -> tuple[list[Mapping[str, Any]], FloatArray]:
        raise NotImplementedError

    def _prepare(self, table: IssueTable) -> None:
        if self._table != id(table):
            self._grid, self._forecasts = self._configs(table)
            self._table = id(table)

    def fit(self, table: IssueTable, train: IntArray, hyper: Mapping[str, Any]) -> int:
        """Grid point with the lowest MAE on ``train``."""
        self._prepare(table)
        return _best(np.abs(self._forecasts[:, train] - table.outcome[train]))

    def predict(
        self, table: IssueTable, rows: IntArray, fitted: Any, hyper: Mapping[str, Any]
    ) -> FloatArray:
        """The chosen grid point's forecasts."""
        self._prepare(table)
        return np.asarray(self._forecasts[int(fitted), rows])

    def describe(self, fitted: Any, hyper: Mapping[str, Any]) -> dict[str, Any]:
        """The chosen grid point."""
        return dict(self._grid[int(fitted)])


COM_MULTIPLIERS = (0.5, 1.0, 2.0, 3.0, 4.0)
EP_COD_MULTIPLIERS = (0.5, 1.0, 2.0, 3.0, 4.0, 6.0)
EP_CNS_MULTIPLIERS = (0.0, 0.5, 1.0, 2.0, 4.0)
SNAP_DELTAS = tuple(float(d) for d in np.arange(0.0, 50.1, 2.5))


def _institution_means(table: IssueTable) -> tuple[list[dict[str, float]], FloatArray]:
    grid, forecasts = [], []
    base = table.weights("equal")
    for com, ep_cod, ep_cns in itertools.product(
        COM_MULTIPLIERS, EP_COD_MULTIPLIERS, EP_CNS_MULTIPLIERS
    ):
        w = base.copy()
        w[:, COM] *= com
        w[:, EP] *= np.where(table.cod, ep_cod, ep_cns)
        grid.append({"commission": com, "parliament_cod": ep_cod, "parliament_cns": ep_cns})
        forecasts.append(table.mean(weight=w))
    return grid, np.array(forecasts)


class Institutions(_Grid):
    """Weighted mean with the Commission's and Parliament's weight multiplied by procedure."""

    name = "institutions"
    description = "mean with Commission and Parliament (COD/CNS) weights fitted"

    def _configs(self, table: IssueTable) -> tuple[list[Mapping[str, Any]], FloatArray]:
        grid, forecasts = _institution_means(table)
        return list(grid), forecasts


class PowerBlend(_Grid):
    """``(1 - α)`` × equal-weight mean + ``α`` × mean weighted by votes or power."""

    name = "power-blend"
    description = "blend of the equal mean and the votes/Shapley/Banzhaf-weighted mean"
    capability = "fitted"

    def _configs(self, table: IssueTable) -> tuple[list[Mapping[str, Any]], FloatArray]:
        equal = table.mean("equal")
        grid: list[Mapping[str, Any]] = []
        forecasts = []
        for scheme in ("votes", "shapley", "banzhaf"):
            powered = table.mean(scheme)
            for alpha in np.round(np.arange(0.0, 1.01, 0.1), 2):
                grid.append({"scheme": scheme, "alpha": float(alpha)})
                forecasts.append((1 - alpha) * equal + alpha * powered)
        return grid, np.array(forecasts)


class StatusQuoPull(Family):
    """The mean moved toward the reference point: ``m + λ (rp - m)``, one ``λ`` per rule.

    Issues without a reference point keep the mean. ``λ`` is chosen on a grid from -0.3
    (away from the status quo) to 0.6 by training MAE, separately under QMV and unanimity.
    """

    name = "status-quo-pull"
    description = "mean pulled toward the reference point, one fraction per voting rule"
    LAMBDAS = tuple(float(x) for x in np.round(np.arange(-0.3, 0.61, 0.1), 2))

    def _forecast(self, table: IssueTable, rows: IntArray, lam: FloatArray) -> FloatArray:
        m = table.mean("equal")[rows]
        rp = table.reference[rows]
        return np.asarray(np.where(np.isnan(rp), m, m + lam * (rp - m)))

    def fit(self, table: IssueTable, train: IntArray, hyper: Mapping[str, Any]) -> dict[str, float]:
        """One ``λ`` per voting rule with the lowest training MAE."""
        chosen: dict[str, float] = {}
        for rule, mask in (("qmv", ~table.unanimity), ("unanimity", table.unanimity)):
            rows = train[mask[train]]
            if rows.size == 0:
                chosen[rule] = 0.0
                continue
            errors = np.array(
                [
                    np.abs(
                        self._forecast(table, rows, np.full(rows.size, lam)) - table.outcome[rows]
                    )
                    for lam in self.LAMBDAS
                ]
            )
            chosen[rule] = self.LAMBDAS[_best(errors)]
        return chosen

    def predict(
        self, table: IssueTable, rows: IntArray, fitted: Any, hyper: Mapping[str, Any]
    ) -> FloatArray:
        """Pulled means."""
        lam = np.where(table.unanimity[rows], fitted["unanimity"], fitted["qmv"])
        return self._forecast(table, rows, lam)

    def describe(self, fitted: Any, hyper: Mapping[str, Any]) -> dict[str, Any]:
        """The two fractions."""
        return {"lambda_qmv": fitted["qmv"], "lambda_unanimity": fitted["unanimity"]}


# --------------------------------------------------------------------------- candidates


def candidates(table: IssueTable) -> tuple[FloatArray, BoolArray]:
    """Candidate outcomes per issue: the distinct present positions and the reference point.

    Returns:
        ``points[N, C]`` (NaN-padded, sorted) and ``valid[N, C]``.
    """
    sets: list[list[float]] = []
    for i in range(table.n):
        distinct = set(table.position[i, table.present[i]].tolist())
        if not np.isnan(table.reference[i]):
            distinct.add(float(table.reference[i]))
        sets.append(sorted(distinct))
    width = max(len(s) for s in sets)
    points = np.full((table.n, width), np.nan)
    for i, values in enumerate(sets):
        points[i, : len(values)] = values
    return points, ~np.isnan(points)


def snap(center: FloatArray, points: FloatArray, valid: BoolArray, delta: float) -> FloatArray:
    """The candidate nearest ``center`` where it is closer than ``delta``; else ``center``."""
    distance = np.where(valid, np.abs(points - center[:, None]), np.inf)
    j = np.argmin(distance, axis=1)
    nearest = points[np.arange(points.shape[0]), j]
    return np.asarray(np.where(distance[np.arange(points.shape[0]), j] < delta, nearest, center))


class Snap(_Grid):
    """The candidate point nearest the equal-weight mean, when within ``δ`` of it."""

    name = "snap"
    description = "nearest actor position or reference point to the mean, if within δ"

    def _configs(self, table: IssueTable) -> tuple[list[Mapping[str, Any]], FloatArray]:
        points, valid = candidates(table)
        center = table.mean("equal")
        grid: list[Mapping[str, Any]] = [{"delta": d} for d in SNAP_DELTAS]
        return grid, np.array([snap(center, points, valid, d) for d in SNAP_DELTAS])


class SnapInstitutions(_Grid):
    """:class:`Snap` around the :class:`Institutions` mean, both fitted jointly."""

    name = "snap+institutions"
    description = "snap to the nearest candidate around the institution-weighted mean"

    def _configs(self, table: IssueTable) -> tuple[list[Mapping[str, Any]], FloatArray]:
        points, valid = candidates(table)
        means_grid, means = _institution_means(table)
        grid: list[Mapping[str, Any]] = []
        forecasts = []
        for config, center in zip(means_grid, means, strict=True):
            for d in SNAP_DELTAS:
                grid.append({**config, "delta": d})
                forecasts.append(snap(center, points, valid, d))
        return grid, np.array(forecasts)


# --------------------------------------------------------------------------- predictive median


FEATURES = (
    "distance",
    "distance²",
    "weight share",
    "actor share",
    "commission",
    "parliament (COD)",
    "parliament (CNS)",
    "reference point",
    "reference point (unanimity)",
    "scale end",
    "scale middle",
    "reference point only",
)
"""Features of a candidate point in :class:`PredictiveMedian`."""
OFF_FEATURES = ("constant", "distinct positions / 10", "codecision", "unanimity")
"""Features of the 'off every candidate' alternative."""
PROCEDURE_FEATURES = (
    "Council majority prefers it to the reference point",
    "Council vote share preferring it to the reference point",
    "Parliament prefers it to the reference point (COD)",
    "Commission prefers it to the reference point",
)
"""Extra candidate features of ``predictive-median+procedure`` (0 without a reference point)."""


def _procedure_features(table: IssueTable, points: FloatArray) -> list[FloatArray]:
    """Who prefers each candidate to the reference point, and whether the Council's rule passes it.

    A state at ``x`` prefers ``z`` to the reference point ``q`` when ``|x - z| < |x - q|``;
    the Council's support is the share of the present states' votes (population under
    Lisbon) that prefer ``z``, and it passes when that share reaches the qualified-majority
    share of the treaty in force (all of them under unanimity). Every feature is 0 where
    the issue has no reference point, and at ``z = q``.
    """
    q = table.reference[:, None, None]
    x = table.position[:, None, :]
    z = points[:, :, None]
    with np.errstate(invalid="ignore"):
        prefers = (np.abs(x - z) < np.abs(x - q)) & table.present[:, None, :]
    votes = table.capability["votes"].copy()
    votes[:, [COM, EP]] = 0.0
    votes = votes * table.present
    total = votes.sum(axis=1)[:, None]
    support = (prefers * votes[:, None, :]).sum(axis=2) / np.where(total > 0, total, 1.0)
    known = ~np.isnan(table.reference)[:, None] & ~np.isnan(points)
    passes = support >= table.council_quota[:, None] - 1e-9
    return [
        np.where(known, passes, 0.0),
        np.where(known, support, 0.0),
        np.where(known, prefers[:, :, EP] & table.cod[:, None], 0.0),
        np.where(known, prefers[:, :, COM], 0.0),
    ]


class PredictiveMedian(Family):
    """Median of a predictive distribution over candidate points plus a Laplace tail.

    The outcome is candidate point ``z_j`` with probability ``exp(u_j) / D`` and off every
    candidate with probability ``exp(u_0) / D`` (``D`` the sum), in which case it is drawn
    from a Laplace distribution centred on the weighted mean ``m`` with scale ``b``.
    ``u_j = β · features(z_j)`` (:data:`FEATURES`: distance to ``m`` on the 0–1 scale and
    its square, the share of weight and of actors at ``z_j``, whether the Commission, the
    Parliament under codecision or consultation, the reference point — also under
    unanimity — sits there, whether it is a scale end or the middle, whether only the
    reference point is there) and ``u_0 = γ · (1, distinct positions / 10, codecision,
    unanimity)``. ``β``, ``γ`` and ``log b`` maximise the training log-likelihood minus
    ``ridge × |β, γ|²`` (BFGS with the analytic gradient). The forecast is the
    distribution's median, the MAE-optimal point forecast under the model.

    With ``centre`` (a name and one forecast per issue, e.g. the exchange model's), the
    Laplace component is centred on that forecast wherever it is finite (on ``m``
    elsewhere); the candidates' distances are still measured from ``m``.
    """

    description = "median of a conditional-logit distribution over actor positions"
    hypers = ({"ridge": 0.03}, {"ridge": 0.1}, {"ridge": 0.3})

    def __init__(
        self,
        capability: str = "equal",
        *,
        procedure: bool = False,
        centre: tuple[str, FloatArray] | None = None,
    ) -> None:
        self.capability = capability
        self.procedure = procedure
        self.centre = centre
        self.name = (
            "predictive-median" if capability == "equal" else f"predictive-median-{capability}"
        )
        if capability != "equal":
            self.description += f" ({capability} weights)"
        if procedure:
            self.name += "+procedure"
            self.description += " with procedural features"
        if centre is not None:
            model = centre[0].split("@")[0]
            self.name += f"+{model}"
            self.description += f", off-candidate outcomes around the {centre[0]} forecast"
        self.features = FEATURES + (PROCEDURE_FEATURES if procedure else ())
        self._table: int | None = None
        self.x: FloatArray = np.empty((0, 0, 0))
        self.z: FloatArray = np.empty((0, 0))
        self.valid: BoolArray = np.empty((0, 0), dtype=bool)
        self.hit: BoolArray = np.empty((0, 0), dtype=bool)
        self.on_candidate: BoolArray = np.empty(0, dtype=bool)
        self.points: FloatArray = np.empty((0, 0))
        self.center: FloatArray = np.empty(0)
        self.deviation: FloatArray = np.empty(0)

    def _prepare(self, table: IssueTable) -> None:
        if self._table == id(table):
            return
        points, valid = candidates(table)
        w = table.weights(self.capability)  # type: ignore[arg-type]
        center = table.mean(weight=w)
        at = (np.abs(table.position[:, None, :] - points[:, :, None]) < 1e-9) & table.present[
            :, None, :
        ]  # [N, C, A]
        total = w.sum(axis=1)[:, None]
        share = (at * w[:, None, :]).sum(axis=2) / total
        actors = at.sum(axis=2) / table.present.sum(axis=1)[:, None]
        distance = np.abs(points - center[:, None]) / 100.0
        is_rp = np.abs(points - table.reference[:, None]) < 1e-9
        cod = table.cod[:, None]
        unan = table.unanimity[:, None]
        features = [
            distance,
            distance**2,
            share,
            actors,
            at[:, :, COM],
            at[:, :, EP] & cod,
            at[:, :, EP] & ~cod,
            is_rp,
            is_rp & unan,
            (points == 0.0) | (points == 100.0),
            points == 50.0,
            ~at.any(axis=2),
        ]
        if self.procedure:
            features += _procedure_features(table, points)
        x = np.stack([np.nan_to_num(np.asarray(f, dtype=np.float64)) for f in features], axis=-1)
        self.x = np.where(valid[:, :, None], x, 0.0)
        self.valid = valid
        self.points = points
        if self.centre is not None:
            name, forecast = self.centre
            if forecast.shape != (table.n,):
                raise ValueError(f"{name}: {forecast.shape[0]} forecasts for {table.n} issues")
            center = np.where(np.isfinite(forecast), forecast, center)
        self.center = center
        self.z = np.column_stack(
            [
                np.ones(table.n),
                valid.sum(axis=1) / 10.0,
                table.cod.astype(np.float64),
                table.unanimity.astype(np.float64),
            ]
        )
        hit = valid & (np.abs(points - table.outcome[:, None]) < 1e-9)
        self.hit = hit
        self.on_candidate = np.asarray(hit.any(axis=1), dtype=bool)
        self.deviation = np.abs(table.outcome - center)
        self._table = id(table)

    def _split(self, theta: FloatArray) -> tuple[FloatArray, FloatArray, float]:
        f = self.x.shape[-1]
        return theta[:f], theta[f : f + self.z.shape[1]], float(theta[-1])

    def _probabilities(
        self, theta: FloatArray, rows: IntArray
    ) -> tuple[FloatArray, FloatArray, float]:
        beta, gamma, log_b = self._split(theta)
        u = np.where(self.valid[rows], self.x[rows] @ beta, -np.inf)
        u0 = self.z[rows] @ gamma
        top = np.maximum(u.max(axis=1), u0)
        e = np.exp(u - top[:, None])
        e0 = np.exp(u0 - top)
        total = e.sum(axis=1) + e0
        return e / total[:, None], e0 / total, float(np.exp(log_b))

    def _objective(
        self, theta: FloatArray, rows: IntArray, ridge: float
    ) -> tuple[float, FloatArray]:
        p, p0, b = self._probabilities(theta, rows)
        x, z = self.x[rows], self.z[rows]
        on = self.on_candidate[rows]
        hit = self.hit[rows]
        dev = self.deviation[rows]
        p_hit = (p * hit).sum(axis=1)
        loglik = np.where(
            on,
            np.log(np.maximum(p_hit, 1e-300)),
            np.log(np.maximum(p0, 1e-300)) - np.log(2 * b) - dev / b,
        )
        expected_x = (p[:, :, None] * x).sum(axis=1)
        chosen_x = (hit[:, :, None] * x).sum(axis=1)
        g_beta = np.where(on[:, None], chosen_x - expected_x, -expected_x)
        g_gamma = np.where(on[:, None], -p0[:, None] * z, (1 - p0)[:, None] * z)
        g_logb = np.where(on, 0.0, -1.0 + dev / b)
        n = rows.size
        params = theta[:-1]
        value = -loglik.sum() / n + ridge * float(params @ params)
        grad = -np.concatenate([g_beta.sum(axis=0), g_gamma.sum(axis=0), [g_logb.sum()]]) / n
        grad[:-1] += 2 * ridge * params
        return float(value), grad

    def fit(self, table: IssueTable, train: IntArray, hyper: Mapping[str, Any]) -> FloatArray:
        """Penalised maximum likelihood on the training rows."""
        self._prepare(table)
        start = np.zeros(self.x.shape[-1] + self.z.shape[1] + 1)
        start[-1] = np.log(20.0)
        result = minimize(
            self._objective,
            start,
            args=(train, float(hyper["ridge"])),
            jac=True,
            # BFGS rather than L-BFGS-B: same optimum here, and L-BFGS-B's multithreaded
            # BLAS calls made it several times slower on a shared 2-core machine.
            method="BFGS",
            options={"maxiter": 1000},
        )
        return np.asarray(result.x)

    def predict(
        self, table: IssueTable, rows: IntArray, fitted: Any, hyper: Mapping[str, Any]
    ) -> FloatArray:
        """Median of each issue's predictive distribution (bisection on its CDF)."""
        self._prepare(table)
        p, p0, b = self._probabilities(np.asarray(fitted), rows)
        return quantile_of_mixture(self.points[rows], p, p0, self.center[rows], b)

    def quantiles(
        self,
        table: IssueTable,
        rows: IntArray,
        fitted: Any,
        hyper: Mapping[str, Any],
        probs: Sequence[float],
    ) -> FloatArray:
        """[len(probs), rows] quantiles of each issue's predictive distribution."""
        self._prepare(table)
        p, p0, b = self._probabilities(np.asarray(fitted), rows)
        points, center = self.points[rows], self.center[rows]
        return np.array([quantile_of_mixture(points, p, p0, center, b, q) for q in probs])

    def describe(self, fitted: Any, hyper: Mapping[str, Any]) -> dict[str, Any]:
        """Ridge, Laplace scale and the coefficients."""
        beta, gamma, log_b = self._split(np.asarray(fitted))
        return {
            **hyper,
            **({"centre": self.centre[0]} if self.centre is not None else {}),
            "laplace_scale": round(float(np.exp(log_b)), 2),
            "beta": {name: round(float(v), 3) for name, v in zip(self.features, beta, strict=True)},
            "gamma": {
                name: round(float(v), 3) for name, v in zip(OFF_FEATURES, gamma, strict=True)
            },
        }


def quantile_of_mixture(
    points: FloatArray,
    p: FloatArray,
    p0: FloatArray,
    center: FloatArray,
    b: float,
    q: float = 0.5,
) -> FloatArray:
    """``q``-quantile on [0, 100] of masses ``p`` at ``points`` plus ``p0`` × Laplace(center, b).

    Bisection for the smallest ``x`` with CDF ≥ ``q`` (the median for ``q`` = 1/2); a
    quantile within 1e-6 of a point mass is that point. The Laplace mass outside [0, 100]
    counts at the ends.
    """
    low = np.zeros(points.shape[0])
    high = np.full(points.shape[0], 100.0)
    z = np.nan_to_num(points, nan=np.inf)
    for _ in range(60):
        mid = (low + high) / 2
        below = mid < center
        laplace = np.where(
            below,
            0.5 * np.exp(np.minimum(mid - center, 0.0) / b),
            1 - 0.5 * np.exp(-np.maximum(mid - center, 0.0) / b),
        )
        cdf = (p * (z <= mid[:, None])).sum(axis=1) + p0 * laplace
        up = cdf >= q
        high = np.where(up, mid, high)
        low = np.where(up, low, mid)
    distance = np.abs(z - high[:, None])
    j = np.argmin(distance, axis=1)
    nearest = z[np.arange(z.shape[0]), j]
    return np.asarray(np.where(distance[np.arange(z.shape[0]), j] < 1e-6, nearest, high))


# --------------------------------------------------------------------------- stacking


STACK_INPUTS = (
    "mean",
    "mean (Shapley)",
    "Council mean",
    "Commission",
    "Parliament",
    "weighted median",
    "reference point",
    "constant",
)


def stack_inputs(table: IssueTable) -> FloatArray:
    """[N, 8] base forecasts for :class:`LadStack`; a missing one is the equal mean."""
    mean = table.mean("equal")
    council_w = table.weights("equal").copy()
    council_w[:, [COM, EP]] = 0.0
    council = table.mean(weight=council_w)

    def or_mean(x: FloatArray) -> FloatArray:
        return np.asarray(np.where(np.isnan(x), mean, x))

    return np.column_stack(
        [
            mean,
            or_mean(table.mean("shapley")),
            or_mean(council),
            or_mean(np.where(table.present[:, COM], table.position[:, COM], np.nan)),
            or_mean(np.where(table.present[:, EP], table.position[:, EP], np.nan)),
            weighted_median(table),
            or_mean(table.reference),
            np.full(table.n, 50.0),
        ]
    )


def lad(x: FloatArray, y: FloatArray) -> FloatArray:
    """Least-absolute-deviation coefficients of ``y ≈ x @ β`` (a linear programme, HiGHS)."""
    n, p = x.shape
    cost = np.concatenate([np.zeros(p), np.ones(2 * n)])
    constraints = np.hstack([x, np.eye(n), -np.eye(n)])
    bounds = [(None, None)] * p + [(0.0, None)] * (2 * n)
    result = linprog(cost, A_eq=constraints, b_eq=y, bounds=bounds, method="highs")
    if not result.success:  # pragma: no cover - the LP is always feasible and bounded
        raise RuntimeError(result.message)
    return np.asarray(result.x[:p])


class LadStack(Family):
    """LAD regression of the outcome on :data:`STACK_INPUTS`.

    The constant input is 50, so its coefficient times 50 is the intercept in scale units.
    """

    name = "lad-stack"
    description = "LAD regression on means, Commission, Parliament, median, reference point"

    def __init__(self) -> None:
        self._table: int | None = None
        self.inputs: FloatArray = np.empty((0, 0))

    def _prepare(self, table: IssueTable) -> None:
        if self._table != id(table):
            self.inputs = stack_inputs(table)
            self._table = id(table)

    def fit(self, table: IssueTable, train: IntArray, hyper: Mapping[str, Any]) -> FloatArray:
        """LAD coefficients on the training rows."""
        self._prepare(table)
        return lad(self.inputs[train], table.outcome[train])

    def predict(
        self, table: IssueTable, rows: IntArray, fitted: Any, hyper: Mapping[str, Any]
    ) -> FloatArray:
        """Stacked forecasts, clipped to the scale."""
        self._prepare(table)
        return _clip(self.inputs[rows] @ np.asarray(fitted))

    def describe(self, fitted: Any, hyper: Mapping[str, Any]) -> dict[str, Any]:
        """The coefficients."""
        return {name: round(float(v), 3) for name, v in zip(STACK_INPUTS, fitted, strict=True)}


CENTRED: tuple[tuple[Capability, bool], ...] = (
    ("equal", False),
    ("banzhaf", False),
    ("banzhaf", True),
)
"""``+exchange`` attempts: (capability scheme of the logit and of the exchange run, procedure)."""
CENTRED_SCHEMES: tuple[Capability, ...] = tuple(dict.fromkeys(scheme for scheme, _ in CENTRED))
"""Capability schemes whose exchange forecasts the ``+exchange`` attempts need."""


def attempts(exchange: Mapping[str, FloatArray] | None = None) -> list[Family]:
    """Every attempt, in the order of the report.

    Args:
        exchange: Capability scheme (:data:`CENTRED_SCHEMES`) → the exchange model's
            forecasts for the table's issues (NaN where it gives none); each scheme given
            adds its predictive medians centred on them (:data:`CENTRED`).
    """
    centred: list[Family] = []
    for scheme, procedure in CENTRED:
        if exchange is not None and scheme in exchange:
            centre = (f"exchange@{scheme}", exchange[scheme])
            centred.append(PredictiveMedian(scheme, procedure=procedure, centre=centre))
    return [
        Institutions(),
        StatusQuoPull(),
        PowerBlend(),
        Snap(),
        SnapInstitutions(),
        PredictiveMedian("equal"),
        PredictiveMedian("shapley"),
        PredictiveMedian("banzhaf"),
        PredictiveMedian("equal", procedure=True),
        PredictiveMedian("banzhaf", procedure=True),
        *centred,
        LadStack(),
    ]


def ensemble_median(predictions: Sequence[FloatArray]) -> FloatArray:
    """Issue-wise median of several forecasters' held-out forecasts (nothing fitted)."""
    return np.asarray(np.median(np.vstack(predictions), axis=0))
