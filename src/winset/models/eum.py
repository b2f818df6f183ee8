"""Expected-utility model of Bueno de Mesquita, as specified for replication by Scholz et al.

Bueno de Mesquita (1985), "The war trap revisited", APSR 79(1); (1994), "Political
forecasting: an expected utility method", in Bueno de Mesquita & Stokman (eds), *European
Community Decision Making*, ch. 4; (1997), "A decision making model: its structure and
form", International Interactions 23(3-4). Specified for replication by Scholz, Calbert &
Smith (2011), "Unravelling Bueno de Mesquita's group decision model" (ICAART 2011, pp.
18-30; journal version J. Theoretical Politics 23(4): 510-531). Equation numbers below
are those of the ICAART paper. Every reading taken where the sources disagree is listed,
with the reason, in ``docs/models/eum.md``.

Each issue is bargained separately. In every round, for the current positions ``x``
(distances ``d_ij = |x_i - x_j| / (scale_high - scale_low)``) and weights
``w_k = c_k s_k`` (capability × salience):

1. Probability that ``i`` prevails over ``j`` (eqs. 26-31): every actor ``k`` votes
   ``v_k = w_k (u_k(x_i) - u_k(x_j))`` with ``u_k(x) = 1 - (|x_k - x| / width) ** r_k``
   (every ``r_k = 1`` while the risk exponents of step 4 are being estimated);
   ``P_ij`` is the vote for ``i`` (the positive votes) over a total. With
   ``probability="all_contests"`` (default) the total is the absolute vote summed over
   every ordered pair of active actors' positions, the normalisation that reproduces
   Scholz et al.'s published figures and table; with ``"contest"`` it is the absolute
   vote in the ``i``-versus-``j`` contest alone, as eq. 31 is printed.
2. Utilities from the perspective of actor ``p`` with risk exponent ``r_p`` (eqs. 15,
   16, 22-24): success ``U_s = 2 - 4 (0.5 - 0.5 d) ** r_p``, failure
   ``U_f = 2 - 4 (0.5 + 0.5 d) ** r_p``, better ``U_b = 2 - 4 (0.5 - 0.25 (d_cμ + d)) **
   r_p``, worse ``U_w = 2 - 4 (0.5 + 0.25 (d_cμ + d)) ** r_p`` and status quo
   ``U_sq = 2 - 4 * 0.5 ** r_p``, where ``μ`` is the current weighted median.
3. Expected utility of challenger ``c`` challenging target ``t`` (eqs. 5-7, 25):
   ``E(U_ct) = s_t (P_ct U_s + (1 - P_ct) U_f) + (1 - s_t) U_s - Q U_sq
   - (1 - Q) (T U_b + (1 - T) U_w)``; ``T`` is 1 when ``t`` moving to the median would
   bring it closer to ``c`` (Scholz et al.'s cases 1-3B), else 0, unless fixed by ``t``.
4. Risk (eqs. 32-34, with Scholz et al.'s reading of BDM 1985): with every ``r = 1``, the
   security sum ``S_i = Σ_{j≠i} E(U_ji)`` is what the others expect from challenging
   ``i``; ``R_i = (2 S_i - max S - min S) / (max S - min S)`` in [-1, 1] and
   ``r_i = (1 - R_i / 3) / (1 + R_i / 3)`` in [0.5, 2]. The expected utilities are then
   computed again with these ``r``.
5. Offers (§6, fig. 6): mover ``i`` reads each other actor ``j`` through
   ``a = E(U_ij)`` and ``b = E(U_ji)``, both seen by ``i`` (``perspective="mover"``,
   default) or each by its own actor (``"own"``). Confrontation (``b > a > 0``): ``i``
   moves to ``x_j``. Compromise (``a < 0 < b``, ``|a| < b``): ``i`` moves the fraction
   ``|a| / b`` of the way to ``x_j`` (eq. 36). Capitulation (``a < 0 < b``, ``|a| >= b``):
   ``i`` moves to ``x_j``. Otherwise ``i`` does not move on ``j``'s account.
6. Choice (§6.2): ``choice="scholz"`` (default) prefers a confrontation to a compromise
   to a capitulation, takes the nearest confrontation or capitulation and the compromise
   offered by the proposer that expects most (the most enforceable); ``"least_move"``
   takes the smallest move of any kind (BDM 1997, p. 252); ``"enforceable"`` takes the
   offer of the proposer that expects most, the nearest among equals.
7. Every actor moves at once; the forecast is the capability × salience weighted median
   (the Condorcet winner, eq. 29). Bargaining stops after ``rounds`` rounds, or for a
   draw and issue once its median moves less than ``tolerance`` × scale width in a round.

Actors with salience 0 on an issue (no stance) take no part in its contests. The
issue's reference point is not used: the status quo of the model is each actor staying put.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from winset.errors import InputError
from winset.models._checks import check_stances
from winset.models.median import weighted_median_of
from winset.result import FloatArray, Result
from winset.scenario.arrays import ScenarioArrays

BoolArray = NDArray[np.bool_]
Probability = Literal["all_contests", "contest"]
Perspective = Literal["mover", "own"]
Choice = Literal["scholz", "least_move", "enforceable"]

_EPS = 1e-12
"""Expected utilities closer than this count as equal (ties are then label-free)."""
_DIGITS = 12
"""Choice keys are compared after rounding to this many decimals, for the same reason."""
_BLOCK = 500_000
"""Largest ``[batch, voters, actor pairs]`` temporary computed at once."""
_NONE = 3
"""Offer kind code for "no offer" (0 confrontation, 1 compromise, 2 capitulation)."""


def eum(
    arrays: ScenarioArrays,
    *,
    rng: np.random.Generator | None = None,
    rounds: int = 10,
    q: float = 1.0,
    t: float | None = None,
    tolerance: float = 1e-3,
    risk: bool = True,
    probability: Probability = "all_contests",
    perspective: Perspective = "mover",
    choice: Choice = "scholz",
) -> Result:
    """Bueno de Mesquita's expected-utility model, round by round; issues are independent.

    Args:
        arrays: The scenario as arrays with a leading batch axis.
        rng: Unused (the model is deterministic); accepted so every model shares one
            signature.
        rounds: Most bargaining rounds to run (0 returns the initial state only).
        q: Probability ``Q`` that the target stays put when not challenged (Scholz et al.
            chose 1.0 to replicate BDM 1994; BDM & Lalman 1986 used 0.5).
        t: Probability ``T`` that an unchallenged target's move improves things for the
            challenger; ``None`` (default) derives it, 0 or 1, from the positions and the
            median as Scholz et al. do. Irrelevant when ``q`` is 1.
        tolerance: Stop a draw's issue once its median moves less than this fraction of
            the scale width in one round; 0 always runs every round.
        risk: Compute each actor's risk exponent from its security (True) or use 1.
        probability: ``"all_contests"`` or ``"contest"``: what the votes for a
            challenger are divided by (see the module notes).
        perspective: ``"mover"``: an actor judges both sides of a pair with its own risk
            exponent; ``"own"``: each side's expected utility is its own estimate.
        choice: ``"scholz"``, ``"least_move"`` or ``"enforceable"``: which of its offers
            an actor accepts (see the module notes).

    Returns:
        A Result whose trajectory holds the weighted median per round, row 0 the initial
        one; ``actor_trajectory`` the positions per round; ``details`` the weighted mean
        per round (``mean``), the risk exponents behind each round's moves
        (``risk_exponent``, ``[draws, rounds, actors, issues]``; once an issue has
        stopped its last ones repeat), the rounds each issue ran (``rounds_run``) and
        whether it stopped on ``tolerance`` (``converged``).

    Raises:
        InputError: Fewer than two actors, a scale whose high end is not above its low
            end, a capability, salience or position that is not finite or is out of
            range, an issue on which no actor has capability and salience above 0, or an
            option out of range.
    """
    _check_options(rounds, q, t, tolerance, probability, perspective, choice)
    check_stances(arrays)
    draws, n_actors, n_issues = arrays.position.shape
    x, s, w, width, active, pairs = _layout(arrays)
    batch = x.shape[0]
    positions = np.empty((rounds + 1, batch, n_actors))
    medians = np.empty((rounds + 1, batch))
    means = np.empty((rounds + 1, batch))
    exponents = np.ones((rounds, batch, n_actors))
    positions[0] = x
    medians[0] = _median(x, w)
    means[0] = _mean(x, w)
    done = np.zeros(batch, dtype=bool)
    rounds_run = np.zeros(batch, dtype=np.int64)
    executed = 0
    for k in range(1, rounds + 1):
        live = np.flatnonzero(~done)
        if live.size == 0:
            break
        # Only rows still bargaining are computed; every row is independent of the others.
        rows = slice(None) if live.size == batch else live
        here = x[rows]
        d = _distances(here, width[rows])
        state = (here, s[rows], w[rows], width[rows], active[rows], pairs[rows], d)
        mu = medians[k - 1][rows]
        r = _risk_exponents(*state, mu, q, t, probability) if risk else np.ones_like(here)
        x[rows] = _round(
            *state, r, mu, q=q, t=t, probability=probability, perspective=perspective, choice=choice
        )
        positions[k] = x
        if k > 1:
            exponents[k - 1] = exponents[k - 2]
        exponents[k - 1][rows] = r
        medians[k] = _median(x, w)
        means[k] = _mean(x, w)
        rounds_run[rows] += 1
        done |= np.abs(medians[k] - medians[k - 1]) < tolerance * width
        executed = k
    # Rounds not run (every issue had stopped) repeat the final state.
    positions[executed + 1 :] = positions[executed]
    medians[executed + 1 :] = medians[executed]
    means[executed + 1 :] = means[executed]
    if executed:
        exponents[executed:] = exponents[executed - 1]

    def per_issue(values: FloatArray) -> FloatArray:
        """[rounds, batch] → [draws, rounds, issues]."""
        return values.reshape(values.shape[0], draws, n_issues).transpose(1, 0, 2)

    def per_actor(values: FloatArray) -> FloatArray:
        """[rounds, batch, actors] → [draws, rounds, actors, issues]."""
        shaped = values.reshape(values.shape[0], draws, n_issues, n_actors)
        return shaped.transpose(1, 0, 3, 2)

    actor_trajectory = np.ascontiguousarray(per_actor(positions))
    params: dict[str, Any] = {
        "rounds": rounds,
        "q": q,
        "t": t,
        "tolerance": tolerance,
        "risk": risk,
        "probability": probability,
        "perspective": perspective,
        "choice": choice,
    }
    return Result(
        model="eum",
        actor_ids=arrays.actor_ids,
        issue_ids=arrays.issue_ids,
        trajectory=np.ascontiguousarray(per_issue(medians)),
        actor_positions=actor_trajectory[:, -1],
        actor_trajectory=actor_trajectory,
        params=params,
        details={
            "mean": np.ascontiguousarray(per_issue(means)),
            "risk_exponent": np.ascontiguousarray(per_actor(exponents)),
            "rounds_run": rounds_run.reshape(draws, n_issues),
            "converged": done.reshape(draws, n_issues),
        },
    )


def perception(
    arrays: ScenarioArrays,
    *,
    q: float = 1.0,
    t: float | None = None,
    risk: bool = True,
    probability: Probability = "all_contests",
) -> tuple[FloatArray, FloatArray]:
    """How each actor sees each other actor at the start: BDM's quadrant ("view from") data.

    Args:
        arrays: The scenario as arrays with a leading batch axis.
        q: As in :func:`eum`.
        t: As in :func:`eum`.
        risk: As in :func:`eum`.
        probability: As in :func:`eum`.

    Returns:
        ``(challenge, response)``, each ``[draws, actors, actors, issues]``:
        ``challenge[d, i, j]`` is ``E^i(U_ij)``, what ``i`` expects from challenging
        ``j``, and ``response[d, i, j]`` is ``E^i(U_ji)``, what ``i`` believes ``j``
        expects from challenging ``i``; both with ``i``'s risk exponent. Entries for an
        actor and itself, or for an actor without a stance, are 0.

    Raises:
        InputError: As :func:`eum` does.
    """
    _check_options(1, q, t, 0.0, probability, "mover", "scholz")
    check_stances(arrays)
    draws, n_actors, n_issues = arrays.position.shape
    x, s, w, width, active, pairs = _layout(arrays)
    mu = _median(x, w)
    d = _distances(x, width)
    state = (x, s, w, width, active, pairs, d)
    r = _risk_exponents(*state, mu, q, t, probability) if risk else np.ones_like(x)
    p = _success(d, w, r, active, probability)
    own, other = _expected_both_ways(x, s, p, d, width, mu, r, q, t)
    challenge = np.where(pairs, own, 0.0)
    response = np.where(pairs, other, 0.0)

    def shaped(values: FloatArray) -> FloatArray:
        out = values.reshape(draws, n_issues, n_actors, n_actors).transpose(0, 2, 3, 1)
        return np.ascontiguousarray(out)

    return shaped(challenge), shaped(response)


def _layout(
    arrays: ScenarioArrays,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, BoolArray, BoolArray]:
    """The batch layout: one row per (draw, issue), actors along the last axis.

    Returns positions (clipped to the scale), saliences, weights ``c s``, the scale width
    per row, which actors have a stance, and which ordered pairs of them can bargain.
    """
    n_actors, n_issues = arrays.n_actors, arrays.n_issues
    x = np.ascontiguousarray(arrays.position.transpose(0, 2, 1)).reshape(-1, n_actors)
    s = np.ascontiguousarray(arrays.salience.transpose(0, 2, 1)).reshape(-1, n_actors)
    w = np.repeat(arrays.capability, n_issues, axis=0) * s
    low = np.tile(arrays.scale_low, arrays.draws)
    width = np.tile(arrays.scale_high - arrays.scale_low, arrays.draws)
    x = np.clip(x, low[:, None], (low + width)[:, None])
    active = s > 0
    pairs = active[:, :, None] & active[:, None, :]
    pairs &= ~np.eye(n_actors, dtype=bool)
    return x, s, w, width, active, pairs


def _distances(x: FloatArray, width: FloatArray) -> FloatArray:
    """``d[b, i, j] = |x_i - x_j| / width``, the scaled distance of every ordered pair."""
    gap = np.abs(x[:, :, None] - x[:, None, :])
    gap /= width[:, None, None]
    return gap


def _round(
    x: FloatArray,
    s: FloatArray,
    w: FloatArray,
    width: FloatArray,
    active: BoolArray,
    pairs: BoolArray,
    d: FloatArray,
    r: FloatArray,
    mu: FloatArray,
    *,
    q: float,
    t: float | None,
    probability: Probability,
    perspective: Perspective,
    choice: Choice,
) -> FloatArray:
    """One round of offers for ``[batch, actors]`` positions; returns the new positions."""
    p = _success(d, w, r, active, probability)
    # own[b, i, j] = E^i(U_ij): the challenger's own estimate, with the challenger's r.
    if perspective == "mover":
        # other[b, i, j] = E^i(U_ji): j challenging i as i sees it, with i's r.
        own, other = _expected_both_ways(x, s, p, d, width, mu, r, q, t)
    else:
        own = _expected(x, s, p, d, width, mu, r[:, :, None], q, t)
        other = own.transpose(0, 2, 1)
    return _accept(x, own, other, width, pairs, choice)


def _accept(
    x: FloatArray,
    a: FloatArray,
    b: FloatArray,
    width: FloatArray,
    pairs: BoolArray,
    choice: Choice,
) -> FloatArray:
    """Classify every ordered pair (fig. 6) and let each mover accept one offer."""
    xi = x[:, :, None]
    xj = x[:, None, :]
    valid = pairs & (xi != xj)
    confront = valid & (a > _EPS) & (b > a + _EPS)
    concede = valid & (a < -_EPS) & (b > _EPS)
    compromise = concede & (-a < b)
    fraction = np.divide(-a, b, out=np.zeros_like(a), where=compromise)
    target = np.where(compromise, xi + (xj - xi) * fraction, xj)
    move = np.abs(target - xi)
    move /= width[:, None, None]
    np.round(move, _DIGITS, out=move)
    kind = np.full(a.shape, _NONE, dtype=np.int8)
    np.copyto(kind, 2, where=concede)
    np.copyto(kind, 1, where=compromise)
    np.copyto(kind, 0, where=confront)
    if choice == "scholz":
        primary = np.where(compromise, -np.round(b, _DIGITS), move)
        rank = kind
    else:
        primary = move if choice == "least_move" else -np.round(b, _DIGITS)
        rank = np.where(kind < _NONE, 0, _NONE).astype(np.int8)
    best = rank.min(axis=2)
    candidate = (rank == best[:, :, None]) & (rank < _NONE)
    _keep_least(candidate, primary)
    # Movers left with several offers: the smaller move, then the lower target, decides.
    # (Where the primary key was the move itself, the move step changes nothing.)
    tied = np.count_nonzero(candidate, axis=2) > 1
    chosen = np.take_along_axis(target, candidate.argmax(axis=2)[:, :, None], axis=2)[:, :, 0]
    if tied.any():
        left = candidate[tied]
        if primary is not move:
            _keep_least(left, move[tied])
        chosen[tied] = np.where(left, target[tied], np.inf).min(axis=1)
    return np.where(best < _NONE, chosen, x)


def _keep_least(candidate: BoolArray, key: FloatArray) -> None:
    """Narrow each mover's ``candidate`` offers, in place, to those with the least ``key``."""
    masked = np.where(candidate, key, np.inf)
    candidate &= masked == masked.min(axis=-1, keepdims=True)


def _risk_exponents(
    x: FloatArray,
    s: FloatArray,
    w: FloatArray,
    width: FloatArray,
    active: BoolArray,
    pairs: BoolArray,
    d: FloatArray,
    mu: FloatArray,
    q: float,
    t: float | None,
    probability: Probability,
) -> FloatArray:
    """``r_i`` in [0.5, 2] from the security sums computed with every ``r = 1`` (eqs. 32-34)."""
    p = _success(d, w, None, active, probability)
    first = _expected(x, s, p, d, width, mu, None, q, t)
    security = np.where(pairs, first, 0.0).sum(axis=1)  # Σ_j E(U_ji), column sums
    high = np.where(active, security, -np.inf).max(axis=1, keepdims=True)
    low = np.where(active, security, np.inf).min(axis=1, keepdims=True)
    spread = high - low
    wide = spread > _EPS * (1.0 + np.maximum(np.abs(high), np.abs(low)))
    ratio = np.zeros_like(security)
    np.divide(2.0 * security - high - low, spread, out=ratio, where=wide & active)
    np.clip(ratio, -1.0, 1.0, out=ratio)
    exponent: FloatArray = (1.0 - ratio / 3.0) / (1.0 + ratio / 3.0)
    return exponent


def _success(
    d: FloatArray,
    w: FloatArray,
    r: FloatArray | None,
    active: BoolArray,
    probability: Probability,
) -> FloatArray:
    """``P[b, i, j]``: the probability that ``i`` prevails over ``j`` (eqs. 26-31).

    Voter ``k`` gives ``w_k (f_kj - f_ki)`` to ``i`` over ``j``, where ``f_ka = d_ka ** r_k``
    for the scaled distances ``d`` (``r = None`` stands for every ``r_k = 1``).
    """
    n = d.shape[1]
    far = d if r is None else d ** r[:, :, None]  # [b, voter, actor]
    net = np.einsum("bk,bka->ba", w, far)
    # Σ_k |v_k(i over j)| is symmetric in i and j: compute it once per unordered pair.
    first, second = np.triu_indices(n, 1)
    magnitude = np.zeros_like(far)
    votes = np.zeros((d.shape[0], 1, 1))  # Σ over ordered pairs of active actors
    step = max(1, _BLOCK // max(1, n * first.size))
    for start in range(0, d.shape[0], step):
        part = slice(start, start + step)
        gap = np.take(far[part], second, axis=2)
        gap -= np.take(far[part], first, axis=2)
        np.abs(gap, out=gap)
        half = np.einsum("bk,bkp->bp", w[part], gap)
        magnitude[part, first, second] = half
        magnitude[part, second, first] = half
        both = active[part][:, first] & active[part][:, second]
        votes[part, 0, 0] = 2.0 * np.einsum("bp,bp->b", half, both)
    # Votes for i over j: (Σ_k v_k + Σ_k |v_k|) / 2, never below 0.
    support = net[:, None, :] - net[:, :, None]
    support += magnitude
    support *= 0.5
    np.maximum(support, 0.0, out=support)
    if probability == "contest":
        chance: FloatArray = np.full_like(support, 0.5)
        np.divide(support, magnitude, out=chance, where=magnitude > 0)
        return chance
    chance = np.zeros_like(support)
    np.divide(support, votes, out=chance, where=votes > 0)
    return chance


def _expected(
    x: FloatArray,
    s: FloatArray,
    p: FloatArray,
    d: FloatArray,
    width: FloatArray,
    mu: FloatArray,
    r: FloatArray | None,
    q: float,
    t: float | None,
) -> FloatArray:
    """``E[b, c, t]``: challenger ``c``'s expected utility of challenging ``t`` (eq. 25).

    ``r`` is the perspective's risk exponent, broadcast against ``[batch, c, t]``;
    ``None`` stands for 1 everywhere, where the utilities are linear.
    """
    resist = s[:, None, :]
    if r is None:
        # r = 1: U_s = 2d, U_f = -2d, U_sq = 0, so E = 2d (1 - 2 s_t (1 - P)).
        value = 2.0 * d * (1.0 - 2.0 * resist * (1.0 - p))
    else:
        success, stake, quo = _utilities(d, r)
        value = success - resist * (1.0 - p) * stake - q * quo
    return _unchallenged(value, x, d, width, mu, r, q, t)


def _expected_both_ways(
    x: FloatArray,
    s: FloatArray,
    p: FloatArray,
    d: FloatArray,
    width: FloatArray,
    mu: FloatArray,
    r: FloatArray,
    q: float,
    t: float | None,
) -> tuple[FloatArray, FloatArray]:
    """``E^i(U_ij)`` and ``E^i(U_ji)`` as ``[b, i, j]``, both with ``i``'s risk exponent.

    ``d`` is symmetric, so both share ``i``'s utilities of success and failure; they
    differ in who resists (``s_j`` or ``s_i``) and whose chance counts (``P_ij`` or
    ``P_ji``).
    """
    success, stake, quo = _utilities(d, r[:, :, None])
    base = success - q * quo
    own = base - s[:, None, :] * (1.0 - p) * stake
    other = base - s[:, :, None] * (1.0 - p.transpose(0, 2, 1)) * stake
    if q < 1.0:
        own = _unchallenged(own, x, d, width, mu, r[:, :, None], q, t)
        # As j (the challenger) would face it: j's distance to the median, i's exponent.
        seen = _unchallenged(other.transpose(0, 2, 1), x, d, width, mu, r[:, None, :], q, t)
        other = seen.transpose(0, 2, 1)
    return own, other


def _utilities(d: FloatArray, r: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``U_s``, ``U_s - U_f`` and ``U_sq`` for scaled distance ``d`` and risk exponent ``r``."""
    near = (0.5 - 0.5 * d) ** r
    success = 2.0 - 4.0 * near
    stake = (0.5 + 0.5 * d) ** r
    stake -= near
    stake *= 4.0
    return success, stake, 2.0 - 4.0 * 0.5**r


def _unchallenged(
    value: FloatArray,
    x: FloatArray,
    d: FloatArray,
    width: FloatArray,
    mu: FloatArray,
    r: FloatArray | None,
    q: float,
    t: float | None,
) -> FloatArray:
    """Subtract ``(1 - Q) (T U_b + (1 - T) U_w)``, what the challenger expects if it stays out."""
    if q >= 1.0:
        return np.asarray(value, dtype=np.float64)
    exponent = 1.0 if r is None else r
    to_median = np.abs(x - mu[:, None])[:, :, None]
    reach = (to_median / width[:, None, None] + d) / 4.0
    better = 2.0 - 4.0 * (0.5 - reach) ** exponent
    worse = 2.0 - 4.0 * (0.5 + reach) ** exponent
    if t is None:
        # Case 1-3B of Scholz et al.: the target's move to the median brings it closer.
        improve: FloatArray | float = (to_median < np.abs(x[:, :, None] - x[:, None, :])).astype(
            np.float64
        )
    else:
        improve = t
    return np.asarray(value - (1.0 - q) * (improve * better + (1.0 - improve) * worse))


def _median(x: FloatArray, w: FloatArray) -> FloatArray:
    """Weighted median of ``[batch, actors]`` positions → ``[batch]``."""
    return weighted_median_of(x[:, :, None], w[:, :, None])[:, 0]


def _mean(x: FloatArray, w: FloatArray) -> FloatArray:
    """Weighted mean of ``[batch, actors]`` positions → ``[batch]``."""
    return np.asarray(np.einsum("ba,ba->b", w, x) / w.sum(axis=1), dtype=np.float64)


def _check_options(
    rounds: int,
    q: float,
    t: float | None,
    tolerance: float,
    probability: str,
    perspective: str,
    choice: str,
) -> None:
    """Refuse options out of range, naming the option."""
    if isinstance(rounds, bool) or not isinstance(rounds, int | np.integer) or rounds < 0:
        raise InputError("a whole number of rounds, at least 0", repr(rounds), path=("rounds",))
    for name, value in (("q", q), ("t", t)):
        if value is not None and not (np.isfinite(value) and 0.0 <= value <= 1.0):
            raise InputError("a probability between 0 and 1", repr(value), path=(name,))
    if not (np.isfinite(tolerance) and tolerance >= 0.0):
        raise InputError("a tolerance of at least 0", repr(tolerance), path=("tolerance",))
    for name, given, allowed in (
        ("probability", probability, ("all_contests", "contest")),
        ("perspective", perspective, ("mover", "own")),
        ("choice", choice, ("scholz", "least_move", "enforceable")),
    ):
        if given not in allowed:
            raise InputError(f"one of {', '.join(allowed)}", repr(given), path=(name,))
