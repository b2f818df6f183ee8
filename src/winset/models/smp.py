"""KTAB's Spatial Model of Politics (SMP), multi-dimensional, vectorised over draws.

The Spatial Model of Politics of the KAPSARC Toolkit for Behavioral Analysis (KTAB; Wise,
Efird, Lester et al., KAPSARC 2015–2017, MIT licence) re-implemented from a reading of its
C++ source (``examples/smp/libsrc`` and ``KTAB/kmodel``, as of the 2017-05-30 reference
runs). Each turn:

1. *Utilities.* Actor *i* values actor *j*'s position by the salience-weighted Euclidean
   distance from *i*'s ideal point, ``d = sqrt(sum_k (s_ik (y_ik - x_jk))^2 / sum_k s_ik^2)``,
   curved by a risk attitude *R*: ``u = (1 - d)(1 + d R)``.
2. *Risk attitudes.* Every actor votes between every pair of positions with its capability
   and the risk-neutral utilities; the coalitions give Condorcet victory probabilities, a
   probability for each position (``pce_model``), and *R* in [-0.5, 1] rises linearly with
   that probability (``big_r_range``): the likely winners are risk-accepting. Actor *h*
   estimates actor *i*'s attitude by anchoring on its own (``big_r_adjust``).
3. *Challenges.* Actor *i* estimates, for every other *j*, the probability that *i* would
   win a contest with *j* once third parties join the side they expect to pay them best
   (``third_party_commit``), and the expected gain of challenging *j* (weighted by *j*'s
   salience, the chance that *j* resists). It challenges the *j* with the largest gain,
   if that gain is positive.
4. *Bargains.* A challenge yields a bargain: both positions interpolated, dimension by
   dimension, weighted by salience and win probability (``inter_vec_brgn``); whose
   estimates are used is ``bargn_model``.
5. *Choice.* Each actor has its status quo and every bargain that involves it. All actors
   vote on them with the mean utility of the whole resulting configuration; the PCE over
   those options gives a probability for each, and the actor adopts the likeliest
   (``state_transitions="Deterministic"``) or draws one (``"Stochastic"``).
6. *Ideals* move toward positions by the accommodation matrix (identity: ideal = position).
7. *Stop* when the change in one turn is below ``min_delta_ratio`` of the first turn's.

Positions are handled on [0, 1] within each issue's scale, as KTAB does on its 0–100 scale,
and bargains are rounded to 1e-4 of the scale, as KTAB rounds them. See docs/models/smp.md
for every step, every choice where winset departs from KTAB, and the reproduction of KTAB's
reference runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from winset.errors import InputError
from winset.models._checks import check_stances
from winset.result import FloatArray, Result
from winset.scenario.arrays import ScenarioArrays

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

VictoryProbModel = Literal["Linear", "Square", "Quartic", "Octic", "Binary"]
PCEModel = Literal["Conditional", "MarkovIncentive", "MarkovUniform"]
StateTransitions = Literal["Deterministic", "Stochastic"]
VotingRule = Literal["Binary", "PropBin", "Prop", "PropCbc", "Cubic", "ASymProsp"]
BigRAdjust = Literal["None", "OneThird", "Half", "TwoThirds", "Full"]
BigRRange = Literal["Min", "Mid", "Max"]
ThirdPartyCommit = Literal["NoCommit", "SemiCommit", "FullCommit"]
InterVecBrgn = Literal["S1P1", "S2P2", "S2PMax"]
BargnModel = Literal["InitOnlyInterp", "InitRcvrInterp", "PWCompInterp"]

VICTORY_PROB_MODELS: tuple[str, ...] = ("Linear", "Square", "Quartic", "Octic", "Binary")
PCE_MODELS: tuple[str, ...] = ("Conditional", "MarkovIncentive", "MarkovUniform")
STATE_TRANSITIONS: tuple[str, ...] = ("Deterministic", "Stochastic")
VOTING_RULES: tuple[str, ...] = ("Binary", "PropBin", "Prop", "PropCbc", "Cubic", "ASymProsp")
BIG_R_ADJUSTS: tuple[str, ...] = ("None", "OneThird", "Half", "TwoThirds", "Full")
BIG_R_RANGES: tuple[str, ...] = ("Min", "Mid", "Max")
THIRD_PARTY_COMMITS: tuple[str, ...] = ("NoCommit", "SemiCommit", "FullCommit")
INTER_VEC_BRGNS: tuple[str, ...] = ("S1P1", "S2P2", "S2PMax")
BARGN_MODELS: tuple[str, ...] = ("InitOnlyInterp", "InitRcvrInterp", "PWCompInterp")

# Constants of KTAB's source, named after it.
MIN_C = 1e-8
"""Coalition strength before any vote (``Model::coalitions``, ``minC``)."""
MIN_CLTN = 1e-10
"""Coalition strength before any vote in a challenge (``probEduChlg``, ``minCltn``)."""
MIN_SIG_EDU = 1e-5
"""Smallest expected gain that makes a challenge worth making (``bestChallenge``)."""
MIN_W = 1e-6
"""Weight added to the initiator in bargain interpolation (``interpBrgnSnPm``, ``minW``)."""
POS_TOL = 1e-3
"""Distance (on [0, 1]) under which two positions count as one (``SMPModel::posTol``)."""
BARGAIN_ROUNDING = 1e4
"""Bargain coordinates are rounded to 1/BARGAIN_ROUNDING of the scale (``round4``)."""
CAPABILITY_SCALE = 100.0
"""The largest capability of a draw is rescaled to this (KTAB's inputs are about 10–200)."""

_SALIENCE_TOL = 1e-9
_MAX_PCE_ITERATIONS = 100_000
_CHUNK_ELEMENTS = 1 << 18  # elements per [draws, actors, actors, actors] block


@dataclass(frozen=True)
class _Options:
    vpm: int
    pcem: int
    stochastic: bool
    vr: int
    big_r_adjust: int
    big_r_range: int
    tpc: int
    ivb: int
    bargn: int


@dataclass(frozen=True)
class Choices:
    """One turn's options per actor, handed to a chooser (a seam for replaying KTAB runs).

    ``probability[draws, actors, slots]`` is each option's PCE probability in winset's
    canonical order (options sorted by initiating actor, the actor's status quo just before
    its own challenge's bargain), ``initiator`` and ``variant`` name each option (variant -1
    is the status quo, 0 the bargain, or in ``InitRcvrInterp`` the one with the initiator's
    estimate and 1 the one with the receiver's), ``receiver`` its receiving actor, ``valid``
    which slots are options, ``draw`` the draws (of the batch) concerned and ``turn`` the
    turn, from 1. A chooser returns one valid slot per draw and actor.
    """

    turn: int
    draw: IntArray
    probability: FloatArray
    initiator: IntArray
    receiver: IntArray
    variant: IntArray
    valid: BoolArray


Chooser = Callable[[Choices], IntArray]
"""Returns the chosen slot ``[draws, actors]`` for a turn's :class:`Choices`."""


class KtabRandom:
    """KTAB's pseudo-random numbers: 64-bit Mersenne Twister output through ``qTrans``.

    ``KBase::PRNG`` seeds ``std::mt19937_64`` with the seed, passes each 64-bit output ``n``
    through ``qTrans(n) = (n + a)(2n + 3) mod 2^64`` (``a = 0xE08C1D668B756F83``) and maps it
    to [0, 1] as ``double(n) / double(2^64 - 1)``. ``uniform()`` returns that number.
    """

    _N = 312
    _M = 156
    _MASK = (1 << 64) - 1
    _UPPER = 0xFFFFFFFF80000000
    _LOWER = 0x7FFFFFFF
    _MATRIX = 0xB5026F5AA96619E9
    _Q64C = 0xE08C1D668B756F83

    def __init__(self, seed: int) -> None:
        """Seed the generator as ``std::mt19937_64::seed`` does."""
        if not 0 <= seed <= self._MASK:
            raise InputError("a KTAB seed between 0 and 2^64 - 1", str(seed), path=("ktab_seed",))
        state = [seed]
        for i in range(1, self._N):
            previous = state[-1]
            state.append((6364136223846793005 * (previous ^ (previous >> 62)) + i) & self._MASK)
        self._state = state
        self._index = self._N

    def _twist(self) -> None:
        state = self._state
        n, m = self._N, self._M
        for i in range(n):
            x = (state[i] & self._UPPER) | (state[(i + 1) % n] & self._LOWER)
            shifted = x >> 1
            if x & 1:
                shifted ^= self._MATRIX
            state[i] = state[(i + m) % n] ^ shifted
        self._index = 0

    def raw(self) -> int:
        """The next 64-bit output of ``std::mt19937_64``."""
        if self._index >= self._N:
            self._twist()
        y = self._state[self._index]
        self._index += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000
        y ^= (y << 37) & 0xFFF7EEE000000000
        y ^= y >> 43
        return y & self._MASK

    def uniform(self) -> float:
        """The next number in [0, 1], as ``KBase::PRNG::uniform(0.0, 1.0)``."""
        n = self.raw()
        q = ((n + self._Q64C) * (2 * n + 3)) & self._MASK
        return float(q) / float(self._MASK)


def smp(
    arrays: ScenarioArrays,
    *,
    rng: np.random.Generator | None = None,
    victory_prob_model: VictoryProbModel = "Linear",
    pce_model: PCEModel = "Conditional",
    state_transitions: StateTransitions = "Deterministic",
    voting_rule: VotingRule = "Prop",
    big_r_adjust: BigRAdjust = "OneThird",
    big_r_range: BigRRange = "Mid",
    third_party_commit: ThirdPartyCommit = "SemiCommit",
    inter_vec_brgn: InterVecBrgn = "S2P2",
    bargn_model: BargnModel = "InitOnlyInterp",
    max_turns: int = 100,
    min_turns: int = 2,
    min_delta_ratio: float = 0.02,
    min_sig_delta: float = 1e-4,
    accommodation: ArrayLike | None = None,
    ktab_seed: int | Sequence[int] | None = None,
    chooser: Chooser | None = None,
) -> Result:
    """Run KTAB's Spatial Model of Politics on every draw of the batch.

    Defaults are KTAB's own (``SMPModel`` and ``KBase::Model`` member defaults, and
    ``SMPModel::configExec`` for the stopping rule), which its CSV reference runs use.

    Args:
        arrays: The scenario as arrays with a leading batch axis. Positions are taken
            relative to each issue's scale; capabilities relative to the largest of the
            draw; an actor whose saliences sum to more than 1 has them divided by their
            sum (KTAB requires a sum of at most 1).
        rng: Source of the uniform numbers for ``state_transitions="Stochastic"`` (a new
            default generator if None); unused in the deterministic variant.
        victory_prob_model: KTAB's ``VictoryProbModel``: how coalition strengths *c* give
            the probability of victory, ``f(c_ij) / (f(c_ij) + f(c_ji))`` with ``f`` the
            identity, square, 4th or 8th power, or a 10 %-threshold rule ("Binary").
        pce_model: KTAB's ``PCEModel``: how pairwise victory probabilities give one
            probability per option ("Conditional": the chance it beats all others,
            normalised; "MarkovIncentive", "MarkovUniform": stationary challenge chains).
        state_transitions: KTAB's ``StateTransitions``: each actor adopts its likeliest
            option ("Deterministic") or draws one by the probabilities ("Stochastic").
        voting_rule: KTAB's ``VotingRule`` for coalitions over positions and bargains:
            a vote is capability times a response to the utility difference: sign-like
            ("Binary"), linear ("Prop"), cubic, or mixtures ("PropBin", "PropCbc"),
            or linear with gains counted at 2/3 ("ASymProsp").
        big_r_adjust: KTAB's ``BigRAdjust``: actor *h*'s estimate of *i*'s risk attitude,
            from *h*'s own ("None") through ``(2 r_h + r_i) / 3`` ("OneThird") to *i*'s true
            one ("Full").
        big_r_range: KTAB's ``BigRRange``: the range of risk attitudes, [0, 1] ("Min"),
            [-0.5, 1] ("Mid") or [-1, 1] ("Max").
        third_party_commit: KTAB's ``ThirdPartyCommit``: how third parties weigh joining a
            contest; only "SemiCommit" makes them vote (in KTAB's formulas the two others
            leave them indifferent).
        inter_vec_brgn: KTAB's ``InterVecBrgn``: bargain interpolation weights, salience^n
            × probability^m ("S1P1", "S2P2") or the probability gap ("S2PMax").
        bargn_model: KTAB's ``BargnModel``: the bargain proposed uses the initiator's
            estimate of its win probability ("InitOnlyInterp"), both parties' estimates as
            two bargains ("InitRcvrInterp"), or their power-weighted compromise
            ("PWCompInterp").
        max_turns: Most turns (KTAB's ``maxIter``, 100).
        min_turns: Fewest turns before the stopping test applies (``minIter``, 2).
        min_delta_ratio: Stop when a turn's change (sum over actors of the distance each
            moved) is below this fraction of the first turn's change (``minDeltaRatio``).
        min_sig_delta: Added to the first turn's change, so that a first turn without
            moves does not divide by zero (``minSigDelta``, 1e-4 on the [0, 1] scale).
        accommodation: KTAB's ideal-adjustment matrix ``[actors, actors]`` (or
            ``[draws, actors, actors]``): each turn actor *i*'s ideal becomes
            ``sum_j a_ij x_j + (1 - sum_j a_ij) ideal_i``. None (the identity) keeps every
            ideal at the actor's current position, KTAB's default.
        ktab_seed: Use KTAB's own pseudo-random numbers (``mt19937_64`` with ``qTrans``)
            for stochastic choices instead of ``rng``, one generator per draw seeded with
            this seed (or the seed of the draw, given one per draw); each turn consumes one
            number per actor in actor order, as single-threaded KTAB would.
        chooser: Advanced: a function choosing each actor's option from the turn's
            :class:`Choices`, replacing ``state_transitions`` (used to replay KTAB logs).

    Returns:
        A Result whose ``actor_trajectory[draws, turns + 1, actors, issues]`` holds the
        positions after each turn (row 0 the input), and whose ``trajectory`` holds the
        expected outcome of each state: the mean of the distinct positions weighted by
        their PCE probabilities (KTAB's "winning probabilities"). Draws that stop early
        repeat their last state. ``details`` holds ``turns[draws]``,
        ``position_probability[draws, rounds, actors]``, ``risk_attitude[draws, rounds,
        actors]``, ``challenge_target[draws, turns, actors]`` (-1: none) and
        ``chosen_initiator[draws, turns, actors]`` (the initiator of the bargain each
        actor adopted, its own index for its status quo).

    Raises:
        InputError: Fewer than two actors, no salience at all in a draw, non-finite,
            negative or out-of-scale inputs, or an unknown option name.
    """
    options = _Options(
        vpm=_pick("victory_prob_model", victory_prob_model, VICTORY_PROB_MODELS),
        pcem=_pick("pce_model", pce_model, PCE_MODELS),
        stochastic=_pick("state_transitions", state_transitions, STATE_TRANSITIONS) == 1,
        vr=_pick("voting_rule", voting_rule, VOTING_RULES),
        big_r_adjust=_pick("big_r_adjust", big_r_adjust, BIG_R_ADJUSTS),
        big_r_range=_pick("big_r_range", big_r_range, BIG_R_RANGES),
        tpc=_pick("third_party_commit", third_party_commit, THIRD_PARTY_COMMITS),
        ivb=_pick("inter_vec_brgn", inter_vec_brgn, INTER_VEC_BRGNS),
        bargn=_pick("bargn_model", bargn_model, BARGN_MODELS),
    )
    if max_turns < 1 or min_turns < 1:
        raise InputError("max_turns and min_turns of at least 1", f"{max_turns} and {min_turns}")
    if not (np.isfinite(min_delta_ratio) and np.isfinite(min_sig_delta)) or min_sig_delta < 0:
        raise InputError(
            "finite min_delta_ratio and min_sig_delta ≥ 0", f"{min_delta_ratio}, {min_sig_delta}"
        )
    position, salience, capability = _checked_inputs(arrays)
    draws, n_actors, _ = position.shape
    acc = _checked_accommodation(accommodation, draws, n_actors)
    if chooser is None:
        chooser = _default_chooser(options.stochastic, rng, ktab_seed, draws, n_actors)
    else:
        chooser = _checked_chooser(chooser)
    run = _simulate(
        position,
        salience,
        capability,
        acc,
        options,
        chooser,
        max_turns=max_turns,
        min_turns=min_turns,
        min_delta_ratio=float(min_delta_ratio),
        min_sig_delta=float(min_sig_delta),
    )
    low = arrays.scale_low
    width = arrays.scale_high - arrays.scale_low
    # Positions nobody moved are returned exactly as given, not through the unit scale.
    actor_trajectory = np.where(
        run.positions == position[:, None],
        np.asarray(arrays.position, dtype=np.float64)[:, None],
        run.positions * width + low,
    )
    expected = run.expected * width + low
    params: dict[str, Any] = {
        "victory_prob_model": victory_prob_model,
        "pce_model": pce_model,
        "state_transitions": state_transitions,
        "voting_rule": voting_rule,
        "big_r_adjust": big_r_adjust,
        "big_r_range": big_r_range,
        "third_party_commit": third_party_commit,
        "inter_vec_brgn": inter_vec_brgn,
        "bargn_model": bargn_model,
        "max_turns": max_turns,
        "min_turns": min_turns,
        "min_delta_ratio": min_delta_ratio,
        "min_sig_delta": min_sig_delta,
        "accommodation": None if accommodation is None else "given",
        "ktab_seed": ktab_seed if ktab_seed is None or isinstance(ktab_seed, int) else "per draw",
    }
    return Result(
        model="smp",
        actor_ids=arrays.actor_ids,
        issue_ids=arrays.issue_ids,
        trajectory=expected,
        actor_positions=actor_trajectory[:, -1],
        actor_trajectory=actor_trajectory,
        params=params,
        details={
            "turns": run.turns,
            "position_probability": run.probability,
            "risk_attitude": run.risk,
            "challenge_target": run.target,
            "chosen_initiator": run.chosen,
        },
    )


# --- input -----------------------------------------------------------------------------


def _pick(name: str, value: str, names: tuple[str, ...]) -> int:
    if value not in names:
        raise InputError(f"one of {', '.join(names)}", repr(value), path=(name,))
    return names.index(value)


def _checked_inputs(arrays: ScenarioArrays) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Positions on [0, 1] within each scale, saliences, capabilities; or an InputError."""
    check_stances(arrays, weighted_issues=False)
    low = np.asarray(arrays.scale_low, dtype=np.float64)
    high = np.asarray(arrays.scale_high, dtype=np.float64)
    position = np.asarray(arrays.position, dtype=np.float64)
    salience = np.asarray(arrays.salience, dtype=np.float64)
    capability = np.asarray(arrays.capability, dtype=np.float64)
    unit = np.clip((position - low) / (high - low), 0.0, 1.0)
    total = _seq_sum(salience)
    empty = np.argwhere(~np.any(total > 0, axis=1))
    if empty.size:
        raise InputError(
            "at least one actor with a salience above 0",
            f"none in draw {empty[0][0]}",
            path=("actors",),
        )
    over = total > 1 + _SALIENCE_TOL
    if np.any(over):
        salience = np.where(
            over[..., None], salience / np.where(over, total, 1)[..., None], salience
        )
    # KTAB's small constants (1e-8, 1e-10) are absolute, so its results depend slightly on
    # the unit of capability; winset measures capability relative to the largest, which is
    # set to CAPABILITY_SCALE, so only ratios matter (and 8th powers cannot overflow).
    top = capability.max(axis=1, keepdims=True)
    capability = np.where(top > 0, capability / np.where(top > 0, top, 1.0), 0.0)
    capability = capability * CAPABILITY_SCALE
    return unit, salience, capability


def _checked_accommodation(value: ArrayLike | None, draws: int, n: int) -> FloatArray | None:
    if value is None:
        return None
    acc = np.asarray(value, dtype=np.float64)
    if acc.shape == (n, n):
        acc = np.broadcast_to(acc, (draws, n, n))
    if acc.shape != (draws, n, n):
        raise InputError(
            f"an accommodation matrix of shape ({n}, {n}) or ({draws}, {n}, {n})",
            str(acc.shape),
            path=("accommodation",),
        )
    if not np.all(np.isfinite(acc)) or np.any(acc < 0) or np.any(acc > 1):
        raise InputError(
            "accommodation rates between 0 and 1", "a value outside", path=("accommodation",)
        )
    if np.any(acc.sum(axis=-1) > 1 + 1e-10):
        raise InputError(
            "accommodation rows summing to at most 1", "a larger sum", path=("accommodation",)
        )
    if np.all(acc == np.eye(n)):
        return None
    return np.ascontiguousarray(acc)


def _seq_sum(x: FloatArray) -> FloatArray:
    """Sum over the last axis left to right, as KTAB's loops add."""
    total = np.zeros(x.shape[:-1])
    for k in range(x.shape[-1]):
        total = total + x[..., k]
    return total


# --- choosers --------------------------------------------------------------------------


def _default_chooser(
    stochastic: bool,
    rng: np.random.Generator | None,
    ktab_seed: int | Sequence[int] | None,
    draws: int,
    n_actors: int,
) -> Chooser:
    if not stochastic:
        return _deterministic_choice
    if ktab_seed is not None:
        seeds = [ktab_seed] * draws if isinstance(ktab_seed, int) else list(ktab_seed)
        if len(seeds) != draws:
            raise InputError(
                f"one KTAB seed or {draws} (one per draw)", str(len(seeds)), path=("ktab_seed",)
            )
        generators = [KtabRandom(int(s)) for s in seeds]

        def ktab_uniforms(choices: Choices) -> FloatArray:
            return np.array(
                [[generators[d].uniform() for _ in range(n_actors)] for d in choices.draw]
            )

        return lambda choices: stochastic_choice(choices, ktab_uniforms(choices))
    generator = rng if rng is not None else np.random.default_rng()

    def numpy_uniforms(choices: Choices) -> FloatArray:
        # Drawn for the whole batch every turn, so a draw's numbers do not depend on when
        # other draws stop.
        return generator.random((draws, n_actors))[choices.draw]

    return lambda choices: stochastic_choice(choices, numpy_uniforms(choices))


def _checked_chooser(chooser: Chooser) -> Chooser:
    """A caller's chooser, whose every answer is checked to be one valid slot per actor."""

    def checked(choices: Choices) -> IntArray:
        choice = np.asarray(chooser(choices), dtype=np.int64)
        draws, n, b_max = choices.valid.shape
        if (
            choice.shape != (draws, n)
            or np.any((choice < 0) | (choice >= b_max))
            or not np.all(
                np.take_along_axis(choices.valid, np.clip(choice, 0, b_max - 1)[..., None], -1)
            )
        ):
            raise InputError(
                "a chooser returning one valid option slot per draw and actor, "
                f"shape ({draws}, {n})",
                f"shape {choice.shape} or an invalid slot",
                path=("chooser",),
            )
        return choice

    return checked


def _deterministic_choice(choices: Choices) -> IntArray:
    """The first option of largest probability (KTAB's ``ndxMaxAbs``)."""
    p = np.where(choices.valid, choices.probability, -1.0)
    chosen: IntArray = np.argmax(p, axis=-1).astype(np.int64)
    return chosen


def stochastic_choice(choices: Choices, uniform: FloatArray) -> IntArray:
    """KTAB's ``PRNG::probSel``: the first option whose cumulative probability ≥ ``uniform``.

    Args:
        choices: The turn's options.
        uniform: ``[draws, actors]`` numbers in [0, 1].

    Returns:
        The chosen slot per draw and actor (the last option when round-off leaves the
        cumulative sum short of the number).
    """
    p = np.where(choices.valid, choices.probability, 0.0)
    cumulative = np.cumsum(p, axis=-1)
    hit = (uniform[..., None] <= cumulative) & choices.valid
    last = choices.valid.sum(axis=-1) - 1
    chosen: IntArray = np.where(hit.any(axis=-1), np.argmax(hit, axis=-1), last).astype(np.int64)
    return chosen


# --- the simulation --------------------------------------------------------------------


@dataclass(frozen=True)
class _Run:
    positions: FloatArray  # [draws, rounds, actors, issues] on [0, 1]
    expected: FloatArray  # [draws, rounds, issues]
    probability: FloatArray  # [draws, rounds, actors]
    risk: FloatArray  # [draws, rounds, actors]
    target: IntArray  # [draws, turns, actors]
    chosen: IntArray  # [draws, turns, actors]
    turns: IntArray  # [draws]


def _simulate(
    position: FloatArray,
    salience: FloatArray,
    capability: FloatArray,
    acc: FloatArray | None,
    opt: _Options,
    chooser: Chooser,
    *,
    max_turns: int,
    min_turns: int,
    min_delta_ratio: float,
    min_sig_delta: float,
) -> _Run:
    draws, n, _ = position.shape
    sal_sq = _seq_sum(salience * salience)  # [D, N]
    sal_sum = _seq_sum(salience)  # [D, N]
    weight = sal_sum * capability  # s_i c_i, the weight in challenges
    pos = position.copy()
    ideal = position.copy()
    history = [pos.copy()]
    utilities = _state_utilities(ideal, pos, salience, sal_sq, capability, opt)
    outlook = _Outlook(draws, n, position.shape[-1], capability, opt)
    outlook.add(0, np.arange(draws), pos, utilities.own)
    risks = [utilities.risk.copy()]
    targets: list[IntArray] = []
    chosen: list[IntArray] = []
    turns = np.zeros(draws, dtype=np.int64)
    active = np.arange(draws)
    first_change = np.zeros(draws)
    for turn in range(1, max_turns + 1):
        sub = _Sub(active)
        new_pos, target, pick = _turn(
            turn,
            active,
            sub.take(pos),
            sub.take(ideal),
            sub.take(salience),
            sub.take(sal_sum),
            sub.take(weight),
            sub.take(capability),
            utilities.take(active),
            opt,
            chooser,
        )
        diff = new_pos - pos[active]
        change = np.sqrt(_seq_sum(diff * diff)).sum(axis=-1)  # KTAB's ``stateDist``
        pos = pos.copy()
        pos[active] = new_pos
        if acc is None:
            ideal = pos.copy()
        else:
            ideal = ideal.copy()
            ideal[active] = _new_ideals(acc[active], new_pos, ideal[active])
        turns[active] = turn
        full_target = np.full((draws, n), -1, dtype=np.int64)
        full_target[active] = target
        full_pick = np.broadcast_to(np.arange(n), (draws, n)).copy()
        full_pick[active] = pick
        targets.append(full_target)
        chosen.append(full_pick)
        history.append(pos.copy())
        new_util = _state_utilities(
            ideal[active], pos[active], salience[active], sal_sq[active], capability[active], opt
        )
        utilities = utilities.replaced(active, new_util)
        outlook.add(turn, active, pos[active], new_util.own)
        risk = risks[-1].copy()
        risk[active] = new_util.risk
        risks.append(risk)
        if turn == 1:
            first_change[active] = change + min_sig_delta
        if turn >= max_turns:
            break
        if turn >= min_turns:
            first = first_change[active]
            ratio = np.where(
                first > 0,
                change / np.where(first > 0, first, 1.0),
                np.where(change > 0, np.inf, 0.0),
            )
            quiet = ratio < min_delta_ratio
            active = active[~quiet]
            if active.size == 0:
                break
    positions = np.stack(history, axis=1)
    probability, expected = outlook.finish(positions.shape[1])
    return _Run(
        positions=positions,
        expected=expected,
        probability=probability,
        risk=np.stack(risks, axis=1),
        target=np.stack(targets, axis=1),
        chosen=np.stack(chosen, axis=1),
        turns=turns,
    )


class _Outlook:
    """Each state's position probabilities and expected outcome, computed in few calls.

    Nothing in the dynamics depends on them, so the states are gathered and computed
    together once they hold ``_CHUNK_ELEMENTS`` utilities: a single draw's whole run then
    costs one call instead of one per turn. A draw that has stopped keeps its last values.
    """

    def __init__(self, draws: int, n: int, k: int, capability: FloatArray, opt: _Options):
        self.capability = capability
        self.opt = opt
        self.probability = [np.full((draws, n), np.nan)]  # one entry per state so far
        self.expected = [np.full((draws, k), np.nan)]
        self.pending: list[tuple[int, IntArray, FloatArray, FloatArray]] = []
        self.size = 0

    def add(self, turn: int, active: IntArray, pos: FloatArray, own: FloatArray) -> None:
        """Queue the state after ``turn`` of the ``active`` draws."""
        self.pending.append((turn, active, pos, own))
        self.size += own.size
        if self.size >= _CHUNK_ELEMENTS:
            self._flush()

    def _flush(self) -> None:
        if not self.pending:
            return
        pos = np.concatenate([p for _, _, p, _ in self.pending])
        own = np.concatenate([u for _, _, _, u in self.pending])
        cap = np.concatenate([self.capability[a] for _, a, _, _ in self.pending])
        prob, expected = _position_probability(pos, own, cap, self.opt)
        start = 0
        for turn, active, _, _ in self.pending:
            while len(self.probability) <= turn:
                self.probability.append(self.probability[-1].copy())
                self.expected.append(self.expected[-1].copy())
            stop = start + active.size
            self.probability[turn][active] = prob[start:stop]
            self.expected[turn][active] = expected[start:stop]
            start = stop
        self.pending = []
        self.size = 0

    def finish(self, states: int) -> tuple[FloatArray, FloatArray]:
        """``[draws, states, actors]`` probabilities and ``[draws, states, issues]`` outcomes."""
        self._flush()
        while len(self.probability) < states:
            self.probability.append(self.probability[-1].copy())
            self.expected.append(self.expected[-1].copy())
        return np.stack(self.probability, axis=1), np.stack(self.expected, axis=1)


class _Sub:
    """Selects the active draws."""

    def __init__(self, active: IntArray) -> None:
        self.active = active

    def take(self, x: FloatArray) -> FloatArray:
        if self.active.size == x.shape[0]:
            return x
        return np.ascontiguousarray(x[self.active])


def _new_ideals(acc: FloatArray, pos: FloatArray, ideal: FloatArray) -> FloatArray:
    """KTAB's ``newIdeals``: ``sum_j a_ij x_j + (1 - min(1, sum_j a_ij)) ideal_i``."""
    share = np.minimum(_seq_sum(acc), 1.0)
    moved: FloatArray = np.einsum("dij,djk->dik", acc, pos) + (1.0 - share)[..., None] * ideal
    return moved


# --- utilities and risk attitudes ------------------------------------------------------


@dataclass(frozen=True)
class _Utilities:
    sd: FloatArray  # [D, N, N] salience-weighted distance from i's ideal to j's position
    risk: FloatArray  # [D, N] risk attitude of each actor
    own: FloatArray  # [D, N, N] aUtil[i](i, j): i's utility for j's position, own estimate

    def take(self, active: IntArray) -> _Utilities:
        if active.size == self.sd.shape[0]:
            return self
        return _Utilities(self.sd[active], self.risk[active], self.own[active])

    def replaced(self, active: IntArray, new: _Utilities) -> _Utilities:
        if active.size == self.sd.shape[0]:
            return new
        sd, risk, own = self.sd.copy(), self.risk.copy(), self.own.copy()
        sd[active] = new.sd
        risk[active] = new.risk
        own[active] = new.own
        return _Utilities(sd, risk, own)


def _distance(
    ideal: FloatArray, targets: FloatArray, salience: FloatArray, sal_sq: FloatArray
) -> FloatArray:
    """KTAB's ``bvDiff`` from each actor's ideal to each target: ``[D, N, T]``.

    ``ideal`` and ``salience`` are ``[D, N, K]``, ``targets`` ``[D, T, K]``. An actor with no
    salience at all is indifferent (distance 0), where KTAB refuses the input.
    """
    dsq = np.zeros(ideal.shape[:2] + targets.shape[1:2])
    for k in range(ideal.shape[-1]):
        ds = (ideal[:, :, None, k] - targets[:, None, :, k]) * salience[:, :, None, k]
        dsq += ds * ds
    safe = np.where(sal_sq > 0, sal_sq, 1.0)
    return np.where(sal_sq[..., None] > 0, np.sqrt(dsq / safe[..., None]), 0.0)


def _bs_util(sd: FloatArray, r: FloatArray) -> FloatArray:
    """KTAB's ``bsUtil``: ``(1 - d)(1 + d R)``, with ``d`` capped at 1 in the second factor."""
    return (1.0 - sd) * (1.0 + np.minimum(sd, 1.0) * r)


def _est_nra(rh: FloatArray, ri: FloatArray, adjust: int) -> FloatArray:
    """KTAB's ``Model::estNRA``: h's estimate of i's risk attitude (broadcast together)."""
    if adjust == 0:
        return rh + 0.0 * ri
    if adjust == 1:
        return ((2.0 * rh) + ri) / 3.0
    if adjust == 2:
        return (rh + ri) / 2
    if adjust == 3:
        return (rh + (2.0 * ri)) / 3.0
    return ri + 0.0 * rh


def _state_utilities(
    ideal: FloatArray,
    pos: FloatArray,
    salience: FloatArray,
    sal_sq: FloatArray,
    capability: FloatArray,
    opt: _Options,
) -> _Utilities:
    """Distances and risk attitudes of a state (KTAB's ``setAllAUtil``)."""
    sd = _distance(ideal, pos, salience, sal_sq)
    neutral = _bs_util(sd, np.zeros_like(sd))
    p = _pce(neutral, capability, None, opt.vr, opt.vpm, opt.pcem)
    risk = _big_r_from_prob(p, opt.big_r_range)
    own = _bs_util(sd, _est_nra(risk, risk, opt.big_r_adjust)[..., None])
    return _Utilities(sd, risk, own)


def _big_r_from_prob(p: FloatArray, big_r_range: int) -> FloatArray:
    """KTAB's ``bigRfromProb``; all-equal probabilities give risk neutrality (KTAB: 0/0)."""
    p_min = p.min(axis=-1, keepdims=True)
    p_max = p.max(axis=-1, keepdims=True)
    spread = p_max - p_min
    safe = np.where(spread > 0, spread, 1.0)
    if big_r_range == 0:
        r = (p - p_min) / safe
    elif big_r_range == 1:
        r = (3 * p - (p_max + 2 * p_min)) / (2 * safe)
    else:
        r = (2 * p - (p_max + p_min)) / safe
    return np.where(spread > 0, r, 0.0)


def _position_probability(
    pos: FloatArray, own: FloatArray, capability: FloatArray, opt: _Options
) -> tuple[FloatArray, FloatArray]:
    """KTAB's ``pDist(-1)`` + ``posProb``, and the expected outcome.

    Each actor values the distinct positions with its own estimates; the PCE gives each a
    probability, and each actor's position takes the probability of the last distinct
    position it is equivalent to (KTAB's grouping: within ``POS_TOL``, greedily in actor
    order). Returns that ``[D, N]`` and the expected outcome ``[D, K]``: the mean of the
    distinct positions weighted by their probabilities, where positions count as one only
    when they are equal, so that the forecast does not depend on the order of the actors.

    KTAB's distinct positions are a subset of the exactly distinct ones, and a coalition
    between two options depends on those two only, so one coalition matrix serves both.
    """
    draws, n, _ = pos.shape
    rows = np.arange(draws)[:, None]
    first, close = _unique_first(pos)
    equal = np.all(pos[:, :, None, :] == pos[:, None, :, :], axis=-1)
    exact = ~np.any(np.tril(equal, -1), axis=2)
    order, valid = _packed(exact)
    m = order.shape[1]
    if m == 1:
        return np.ones((draws, n)), pos[:, 0]
    u = own[rows[..., None], np.arange(n)[None, :, None], order[:, None, :]]
    c = _coalitions(u, capability, opt.vr)  # [D, m, m] over exactly distinct positions
    p_exact = _pce_from_coalitions(c, None if valid.all() else valid, opt.vpm, opt.pcem)
    p_exact = np.where(valid, p_exact, 0.0)
    expected = np.einsum("du,duk->dk", p_exact, pos[rows, order])
    if np.array_equal(exact, first):
        p_ktab, k_order, k_valid = p_exact, order, valid
    else:
        in_ktab = first[rows, order] & valid  # [D, m]
        sub, k_valid = _packed(in_ktab)
        k_order = order[rows, sub]
        c_ktab = c[rows[..., None], sub[:, :, None], sub[:, None, :]]
        if sub.shape[1] == 1:
            p_ktab = np.ones((draws, 1))
        else:
            p_ktab = _pce_from_coalitions(
                c_ktab, None if k_valid.all() else k_valid, opt.vpm, opt.pcem
            )
    eq = close[rows[..., None], np.arange(n)[None, :, None], k_order[:, None, :]]
    eq &= k_valid[:, None, :]
    last = k_order.shape[1] - 1 - np.argmax(eq[..., ::-1], axis=-1)
    return p_ktab[rows, last], expected


def _packed(mask: BoolArray) -> tuple[IntArray, BoolArray]:
    """Indices of the True entries of each row, in order, padded; and which are real."""
    count = mask.sum(axis=1)
    m = int(count.max())
    order = np.argsort(~mask, axis=1, kind="stable")[:, :m].astype(np.int64)
    return order, np.arange(m)[None, :] < count[:, None]


def _unique_first(pos: FloatArray) -> tuple[BoolArray, BoolArray]:
    """KTAB's ``ueIndices`` with ``equivNdx``: distinct positions, greedily in actor order.

    Returns whether each actor's position starts a new distinct position ``[D, N]`` and
    which positions are equivalent (closer than ``POS_TOL``) ``[D, N, N]``.
    """
    draws, n, _ = pos.shape
    diff = pos[:, :, None, :] - pos[:, None, :, :]
    close = np.sqrt(_seq_sum(diff * diff)) < POS_TOL
    first = np.ones((draws, n), dtype=bool)
    earlier = np.tril(close, -1)
    rows = np.nonzero(earlier.any(axis=(0, 2)))[0]
    if draws == 1 and rows.size:
        # One draw: plain Python over the few rows concerned beats many small numpy calls.
        near = earlier[0].tolist()
        flags = [True] * n
        for r in rows.tolist():
            row = near[r]
            flags[r] = not any(row[j] and flags[j] for j in range(r))
        first[0] = flags
        return first, close
    for r in rows.tolist():
        first[:, r] = ~np.any(earlier[:, r, :r] & first[:, :r], axis=1)
    return first, close


# --- voting, coalitions, probabilities --------------------------------------------------


def _vote(rule: int, w: FloatArray, du: FloatArray) -> FloatArray:
    """KTAB's ``Model::vote``: capability × response to a utility difference."""
    if rule == 2:  # Prop
        return w * du
    if rule in (0, 1):
        r_bin = np.clip(du / 1e-8, -1.0, 1.0)
        if rule == 0:
            return w * r_bin
        return w * ((1 - 0.2) * du + 0.2 * r_bin)
    if rule == 3:  # PropCbc
        return w * ((1 - 0.5) * du + 0.5 * (du * du * du))
    if rule == 4:  # Cubic
        return w * (du * du * du)
    # ASymProsp: losses count fully, gains at 2/3.
    return np.where(du < 0.0, w * du, np.where(du > 0.0, (2.0 * w * du) / 3.0, 0.0))


@lru_cache(maxsize=512)
def _pairs(m: int) -> tuple[IntArray, IntArray, BoolArray, IntArray]:
    """Lower-triangle pairs (i > j), the lower-triangle mask and the diagonal, for m options."""
    lo, hi = np.tril_indices(m, -1)
    lower = np.tril(np.ones((m, m), dtype=bool), -1)
    return lo.astype(np.int64), hi.astype(np.int64), lower, np.arange(m)


def _coalitions(u: FloatArray, w: FloatArray, rule: int) -> FloatArray:
    """KTAB's ``Model::coalitions``: ``c[..., i, j]``, strength of the coalition for i over j.

    ``u[..., voters, options]``, ``w[..., voters]``. KTAB evaluates ``vote(u_i - u_j)`` for
    i > j only, its positive part supporting i and its negative part j. For every voting
    rule but ASymProsp the vote is odd (``vote(-x) = -vote(x)`` exactly), so the coalition
    for j over i is also the positive part of ``vote(u_j - u_i)``: all ordered pairs are
    computed alike, which is faster. ASymProsp keeps KTAB's orientation.
    """
    m = u.shape[-1]
    batch = u.shape[:-2]
    voters = u.shape[-2]
    lo, hi, _, idx = _pairs(m)
    if lo.size == 0:
        return np.full((*batch, m, m), MIN_C)
    if rule == 5:
        c = np.full((*batch, m, m), MIN_C)
        v = _vote(rule, w[..., None], u[..., lo] - u[..., hi])  # [..., voters, pairs]
        part = np.maximum(v, 0.0)
        c[..., lo, hi] = MIN_C + part.sum(axis=-2)
        np.minimum(v, 0.0, out=part)
        c[..., hi, lo] = MIN_C - part.sum(axis=-2)
        return c
    flat_u = u.reshape(-1, voters, m)
    flat_w = np.broadcast_to(w, (*batch, voters)).reshape(-1, voters)
    out = np.empty((flat_u.shape[0], m, m))
    step = max(1, _CHUNK_ELEMENTS // (voters * m * m))
    for start in range(0, flat_u.shape[0], step):
        uu = flat_u[start : start + step]
        ww = flat_w[start : start + step, :, None, None]
        d = uu[:, :, :, None] - uu[:, :, None, :]  # [chunk, voters, i, j]: u_i - u_j
        v = np.multiply(d, ww, out=d) if rule == 2 else _vote(rule, ww, d)
        np.maximum(v, 0.0, out=v)
        out[start : start + step] = MIN_C + v.sum(axis=1)
    out[:, idx, idx] = MIN_C
    return out.reshape(*batch, m, m)


def _victory_prob(c: FloatArray, vpm: int) -> FloatArray:
    """KTAB's ``Model::vProb``: ``p[..., i, j]`` that option i defeats j (0.5 on the diagonal)."""
    _, _, lower, idx = _pairs(c.shape[-1])
    if vpm == 4:  # Binary: a 10 % margin wins outright, linear in between
        ct = np.swapaxes(c, -1, -2)
        thresh = 1.10
        r12 = c / (c + ct)
        mid = (r12 * (thresh + 1.0) - 1.0) / (thresh - 1.0)
        x1 = np.where(c >= thresh * ct, 1.0, np.where(ct >= thresh * c, 1e-6, mid))
        x2 = np.where(c >= thresh * ct, 1e-6, np.where(ct >= thresh * c, 1.0, 1 - mid))
        # KTAB evaluates each pair once, from the lower triangle (i > j).
        p: FloatArray = np.where(lower, x1 / (x1 + x2), np.swapaxes(x2 / (x1 + x2), -1, -2))
    else:
        if vpm == 0:
            x = c
        elif vpm == 1:
            x = c * c
        elif vpm == 2:
            x = c * c * c * c
        else:
            q = c * c * c * c
            x = q * q
        # KTAB's p(j, i) = x_ji / (x_ij + x_ji) equals x_ji / (x_ji + x_ij): sums commute.
        p = x / (x + np.swapaxes(x, -1, -2))
    p[..., idx, idx] = 0.5
    return p


def _pce(
    u: FloatArray,
    w: FloatArray,
    valid: BoolArray | None,
    rule: int,
    vpm: int,
    pcem: int,
) -> FloatArray:
    """KTAB's ``scalarPCE`` over a batch: one probability per option ``[..., options]``.

    ``u[..., voters, options]``, ``w[..., voters]`` (broadcast), ``valid[..., options]`` marks
    real options when the batch is padded to a common number of options.
    """
    batch = u.shape[:-2]
    if u.shape[-1] == 1:
        return np.ones((*batch, 1))
    c = _coalitions(u, np.broadcast_to(w, (*batch, u.shape[-2])), rule)
    return _pce_from_coalitions(c, valid, vpm, pcem)


def _pce_from_coalitions(c: FloatArray, valid: BoolArray | None, vpm: int, pcem: int) -> FloatArray:
    """KTAB's ``probCE2`` from coalition strengths ``c[..., options, options]``."""
    batch = c.shape[:-2]
    m = c.shape[-1]
    vp = _victory_prob(c, vpm)
    if valid is None and pcem == 0:
        p_all = np.prod(vp, axis=-1)
        total_all = p_all.sum(axis=-1, keepdims=True)
        if np.all(total_all > 0):
            result: FloatArray = p_all / total_all
            return result
    if valid is None:
        valid = np.ones((*batch, m), dtype=bool)
    pair = valid[..., :, None] & valid[..., None, :]
    n_valid = valid.sum(axis=-1, keepdims=True).astype(np.float64)
    if pcem == 0:  # Conditional: the chance of beating every other option, normalised
        p = np.prod(np.where(pair, vp, 1.0), axis=-1)
        p = np.where(valid, p, 0.0)
        total = p.sum(axis=-1, keepdims=True)
        return np.where(total > 0, p / np.where(total > 0, total, 1.0), valid / n_valid)
    vp = np.where(pair, vp, 0.0)
    p = np.where(valid, 1.0 / n_valid, 0.0)
    if pcem == 1:  # Markov chain of challenges in proportion to incentive
        idx = _pairs(m)[3]
        inctv = np.where(pair, c * vp, 0.0)
        inctv[..., idx, idx] += np.where(valid, 1e-10, 0.0)
        col = inctv.sum(axis=-2, keepdims=True)
        chlg = inctv / np.where(col > 0, col, 1.0)
        chlg_t = np.swapaxes(chlg, -1, -2)
        tol = 1e-8
    else:  # Markov chain of uniform challenges
        tol = 1e-6
    going = np.ones(batch, dtype=bool)
    for _ in range(_MAX_PCE_ITERATIONS):
        if pcem == 1:
            ct = p[..., :, None] * chlg_t
            q = (vp * (ct + np.swapaxes(ct, -1, -2))).sum(axis=-1)
        else:
            q = (vp * (p[..., :, None] + p[..., None, :])).sum(axis=-1) / n_valid
        change = np.abs(q - p).max(axis=-1)
        p = np.where(going[..., None], (p + q) / 2.0, p)
        going = going & (change > tol)
        if not going.any():
            break
    return p


# --- one turn --------------------------------------------------------------------------


def _turn(
    turn: int,
    draw: IntArray,
    pos: FloatArray,
    ideal: FloatArray,
    salience: FloatArray,
    sal_sum: FloatArray,
    weight: FloatArray,
    capability: FloatArray,
    utilities: _Utilities,
    opt: _Options,
    chooser: Chooser,
) -> tuple[FloatArray, IntArray, IntArray]:
    """One turn of challenges, bargains and choices; returns positions, targets, initiators."""
    draws, n, _ = pos.shape
    sd, risk = utilities.sd, utilities.risk
    target, p_win = _best_challenges(sd, risk, sal_sum, weight, opt)
    has = target >= 0
    tgt = np.where(has, target, np.arange(n))
    rows = np.arange(draws)[:, None]
    pos_j = pos[rows, tgt]
    sal_j = salience[rows, tgt]
    bargains: list[tuple[FloatArray, FloatArray]] = []
    if opt.bargn != 0:
        p_rcvr = _receiver_estimates(sd, risk, weight, tgt, opt)
    if opt.bargn in (0, 1):
        bargains.append(_interpolate(pos, salience, p_win, pos_j, sal_j, opt.ivb))
    if opt.bargn == 1:
        bargains.append(_interpolate(pos, salience, p_rcvr, pos_j, sal_j, opt.ivb))
    if opt.bargn == 2:
        init_est = _interpolate(pos, salience, p_win, pos_j, sal_j, opt.ivb)
        rcvr_est = _interpolate(pos, salience, p_rcvr, pos_j, sal_j, opt.ivb)
        # KTAB weights by the initiator's capability on both sides (``scj`` is the
        # initiator's), so in effect by the two saliences.
        wi = (capability * sal_sum)[..., None]
        wj = (capability * sal_sum[rows, tgt])[..., None]
        total = wi + wj
        safe = np.where(total > 0, total, 1.0)
        bargains.append(
            tuple(  # type: ignore[arg-type]
                np.where(total > 0, (wi * a + wj * b) / safe, (a + b) / 2)
                for a, b in zip(init_est, rcvr_est, strict=True)
            )
        )
    n_var = len(bargains)
    # Utility to each voter of each bargain: the mean over actors of its utility for the
    # configuration where only initiator and receiver moved (KTAB's ``brgnUtil``).
    own = utilities.own  # [D, n, n']
    base = own.sum(axis=-1)  # [D, n]
    u_sq = base / n
    sal_sq = _seq_sum(salience * salience)
    u_brgn = np.empty((draws, n, n, n_var))  # [D, voter, initiator, variant]
    own_i = own  # own[d, voter, initiator]
    own_j = own[rows[..., None], np.arange(n)[None, :, None], tgt[:, None, :]]
    for v, (b_init, b_rcvr) in enumerate(bargains):
        d_init = _distance(ideal, b_init, salience, sal_sq)  # [D, voter, initiator]
        d_rcvr = _distance(ideal, b_rcvr, salience, sal_sq)
        pu_init = _bs_util(d_init, risk[..., None])
        pu_rcvr = _bs_util(d_rcvr, risk[..., None])
        u_brgn[..., v] = (base[..., None] - own_i - own_j + pu_init + pu_rcvr) / n
    # Options of each actor k in canonical order: slot (i, kind) with kind 0 = status quo
    # (only i == k), kind 1 + v = bargain variant v initiated by i, if i == k or i targets k.
    kinds = 1 + n_var
    k_idx = np.arange(n)
    i_idx = np.arange(n)
    is_self = (i_idx[None, :] == k_idx[:, None])[None]  # [1, k, i]
    involves = has[:, None, :] & ((tgt[:, None, :] == k_idx[None, :, None]) | is_self)  # [D,k,i]
    valid_4 = np.empty((draws, n, n, kinds), dtype=bool)
    valid_4[..., 0] = is_self
    valid_4[..., 1:] = involves[..., None]
    valid_full = valid_4.reshape(draws, n, n * kinds)
    count = valid_full.sum(axis=-1)
    b_max = int(count.max())
    slots = np.argsort(~valid_full, axis=-1, kind="stable")[..., :b_max]  # [D, k, B]
    valid = np.arange(b_max)[None, None, :] < count[..., None]
    slot_init = slots // kinds
    slot_kind = slots % kinds
    table_4 = np.empty((draws, n, n, kinds))  # [D, voter, initiator, kind]
    table_4[..., 0] = u_sq[..., None]
    table_4[..., 1:] = u_brgn
    table = table_4.reshape(draws, n, n * kinds)
    prob = np.zeros((draws, n, b_max))
    n_univ = 1 + n * n_var
    exact = float((count.astype(np.float64) ** 2).sum()) * n / 2
    if opt.vr != 5 and draws * n_univ * n_univ * n / 2 <= 3 * exact + 1e5:
        # Coalitions over every option at once (the status quo has the same utilities for
        # every actor), then each actor's matrix is read off. For odd voting rules the
        # coalition for a over b does not depend on the order of the two options, so this
        # equals KTAB's per-actor computation; ASymProsp takes the path below.
        u_univ = np.concatenate([u_sq[..., None], u_brgn.reshape(draws, n, n * n_var)], axis=2)
        c_univ = _coalitions(u_univ, capability, opt.vr)
        uidx = np.where(slot_kind == 0, 0, 1 + slot_init * n_var + slot_kind - 1)
        c = c_univ[rows[..., None, None], uidx[..., :, None], uidx[..., None, :]]
        if b_max > 1:
            prob[:] = _pce_from_coalitions(c, None if valid.all() else valid, opt.vpm, opt.pcem)
        else:
            prob[:] = 1.0
    else:
        # Actors with the same number of options are solved together, without padding.
        for size in np.unique(count):
            d_sel, k_sel = np.nonzero(count == size)
            per_group = max(1, _CHUNK_ELEMENTS // max(1, n * size * size))
            for start in range(0, d_sel.size, per_group):
                dd = d_sel[start : start + per_group]
                kk = k_sel[start : start + per_group]
                idx = slots[dd, kk, :size]  # [G, size]
                u_opts = table[dd[:, None, None], np.arange(n)[None, :, None], idx[:, None, :]]
                prob[dd, kk, :size] = _pce(u_opts, capability[dd], None, opt.vr, opt.vpm, opt.pcem)
    variant = np.where(slot_kind == 0, -1, slot_kind - 1)
    receiver = np.where(slot_kind == 0, slot_init, tgt[rows[..., None], slot_init])
    choice = chooser(
        Choices(
            turn=turn,
            draw=draw,
            probability=prob,
            initiator=slot_init,
            receiver=receiver,
            variant=variant,
            valid=valid,
        )
    )
    c_init = slot_init[rows, k_idx[None, :], choice]  # [D, k]
    c_kind = slot_kind[rows, k_idx[None, :], choice]
    new_pos = pos.copy()
    for v, (b_init, b_rcvr) in enumerate(bargains):
        mine = c_kind == 1 + v
        as_init = mine & (c_init == k_idx[None, :])
        as_rcvr = mine & ~as_init
        from_init = b_init[rows, c_init]
        from_rcvr = b_rcvr[rows, c_init]
        new_pos = np.where(as_init[..., None], from_init, new_pos)
        new_pos = np.where(as_rcvr[..., None], from_rcvr, new_pos)
    return new_pos, np.where(has, target, -1), c_init


def _best_challenges(
    sd: FloatArray, risk: FloatArray, sal_sum: FloatArray, weight: FloatArray, opt: _Options
) -> tuple[IntArray, FloatArray]:
    """Each actor's best target (-1: none) and its own estimate of winning against it.

    KTAB's ``bestChallengeUtils`` + ``bestChallenge``: actor i, with its own estimates
    (perspective h = i), values challenging every j; the best gain above ``MIN_SIG_EDU``
    wins, the first j on ties.
    """
    draws, n, _ = sd.shape
    target = np.full((draws, n), -1, dtype=np.int64)
    p_best = np.full((draws, n), 0.5)
    one_minus = 1.0 - sd
    capped = np.minimum(sd, 1.0)
    ar = np.arange(n)
    per_draw = n * n * n
    d_block = max(1, _CHUNK_ELEMENTS // per_draw)
    i_block = n if d_block > 1 else max(1, _CHUNK_ELEMENTS // (n * n))
    for d0 in range(0, draws, d_block):
        ds = slice(d0, min(draws, d0 + d_block))
        for i0 in range(0, n, i_block):
            ii = ar[i0 : min(n, i0 + i_block)]
            edu, phij = _challenge_block(
                one_minus[ds], capped[ds], risk[ds], sal_sum[ds], weight[ds], ii, opt
            )
            edu[:, np.arange(ii.size), ii] = -np.inf
            ok = edu > MIN_SIG_EDU
            masked = np.where(ok, edu, -np.inf)
            best = np.argmax(masked, axis=-1)
            found = ok.any(axis=-1)
            target[ds, ii] = np.where(found, best, -1)
            p_best[ds, ii] = np.take_along_axis(phij, best[..., None], axis=-1)[..., 0]
    return target, p_best


def _challenge_block(
    one_minus: FloatArray,
    capped: FloatArray,
    risk: FloatArray,
    sal_sum: FloatArray,
    weight: FloatArray,
    ii: IntArray,
    opt: _Options,
) -> tuple[FloatArray, FloatArray]:
    """Expected gain ``[D, I, j]`` to each i in ``ii`` of challenging each j, and P(i beats j).

    KTAB's ``probEduChlg(h=i, k=i, i, j)``. ``uh[d, a, n, j]`` is i's estimate of n's utility
    for j's position, with i = ``ii[a]``.
    """
    a_idx = np.arange(ii.size)
    n = one_minus.shape[-1]
    n_idx = np.arange(n)
    rr = _est_nra(risk[:, ii, None], risk[:, None, :], opt.big_r_adjust)  # [D, I, n]
    uh = one_minus[:, None, :, :] * (1.0 + capped[:, None, :, :] * rr[..., None])  # [D,I,n,j]
    uni = np.moveaxis(uh[:, a_idx, :, ii], 0, 1)  # [D, I, n]: u_h(n, i)
    unn = uh[:, :, n_idx, n_idx]  # [D, I, n]: u_h(n, n)
    uii = uni[:, a_idx, ii]  # [D, I]: u_h(i, i)
    uij = uh[:, a_idx, ii, :]  # [D, I, j]: u_h(i, j)
    p_ij, p_ji = _contest(uh, uni, unn, uii, uij, weight, ii, opt)
    sj = sal_sum[:, None, :]
    uhkij = uii[..., None] + uii[..., None]
    uhkji = uij + uij
    eu_sq = uii[..., None] + uij
    eu_chlg = (1 - sj) * uhkij + sj * (p_ij * uhkij + p_ji * uhkji)
    return eu_chlg - eu_sq, p_ij


def _contest(
    uh: FloatArray,
    uni: FloatArray,
    unn: FloatArray,
    uii: FloatArray,
    uij: FloatArray,
    weight: FloatArray,
    ii: IntArray,
    opt: _Options,
) -> tuple[FloatArray, FloatArray]:
    """P(i defeats j) and P(j defeats i) once third parties join, for i in ``ii``, every j.

    KTAB's ``probEduChlg``: the contest starts with i's and j's own votes and each third
    party n adds its vote. ``uh[D, I, n, j]`` is the perspective's utility to n of j's
    position (overwritten: it is the work buffer), ``uni``/``unn`` ``[D, I, n]`` those of
    i's and n's own positions, ``uii[D, I]``, ``uij[D, I, j]``.
    """
    vr = opt.vr
    n = uh.shape[-1]
    a_idx = np.arange(ii.size)
    n_idx = np.arange(n)
    ci = _vote(vr, weight[:, ii][..., None], uii[..., None] - uij)
    # u_h(j, i) and u_h(j, j) are uni and unn read at n = j.
    cj = _vote(vr, weight[:, None, :], uni - unn)
    chij0 = (MIN_CLTN + np.maximum(ci, 0.0)) + np.maximum(cj, 0.0)  # [D, I, j]
    chji0 = (MIN_CLTN + np.maximum(-ci, 0.0)) + np.maximum(-cj, 0.0)
    if opt.tpc != 1:
        # Under NoCommit and FullCommit KTAB's two expected utilities of a third party are
        # identical (``thirdPartyVoteSU``), so third parties cast no vote.
        total = chij0 + chji0
        return chij0 / total, chji0 / total
    # Each third party n: KTAB's ``vProbLittle`` (n's estimate of i's chances with n on
    # i's side) and ``thirdPartyVoteSU`` with SemiCommit, whose utility difference
    #   (pin (2 u_ni + u_nn) + pjn 3 u_nj) - (pin 3 u_ni + pjn (2 u_nj + u_nn))
    # is written here as (u_nj - u_nn) + pin ((u_nn - u_ni) - (u_nj - u_nn)).
    wn = weight[:, None, :, None]
    unj = uh
    cn = _vote(vr, wn, uni[..., None] - unj)
    den = np.abs(cn)
    den += (chij0 + chji0)[:, :, None, :]
    pin = np.maximum(cn, 0.0, out=cn)
    pin += chij0[:, :, None, :]
    pin /= den
    e = np.subtract(unj, unn[..., None], out=den)  # u_nj - u_nn
    du = np.subtract((unn - uni)[..., None], e, out=unj)
    du *= pin
    du += e
    vk = _vote(vr, wn, du) if vr != 2 else np.multiply(du, wn, out=du)
    # Third parties exclude i (n = i) and j (n = j).
    vk[:, a_idx, ii, :] = 0.0
    vk[:, :, n_idx, n_idx] = 0.0
    part = np.maximum(vk, 0.0, out=pin)
    chij = chij0 + part.sum(axis=2)
    part = np.minimum(vk, 0.0, out=part)
    chji = chji0 - part.sum(axis=2)
    total = chij + chji
    return chij / total, chji / total


def _third_parties(
    unj: FloatArray,
    uni: FloatArray,
    unn: FloatArray,
    wn: FloatArray,
    chij0: FloatArray,
    chji0: FloatArray,
    opt: _Options,
) -> tuple[FloatArray, FloatArray]:
    """Third parties' votes for i (positive part) and for j (negative part), as in _contest."""
    vr = opt.vr
    cn = _vote(vr, wn, uni - unj)
    pin = (chij0 + np.maximum(cn, 0.0)) / ((chij0 + chji0) + np.abs(cn))
    if opt.tpc != 1:
        zero = np.zeros(np.broadcast_shapes(cn.shape, chij0.shape))
        return zero, zero.copy()
    e = unj - unn
    vk = _vote(vr, wn, e + pin * ((unn - uni) - e))
    return np.maximum(vk, 0.0), np.maximum(-vk, 0.0)


def _receiver_estimates(
    sd: FloatArray, risk: FloatArray, weight: FloatArray, tgt: IntArray, opt: _Options
) -> FloatArray:
    """The receiver's estimate (perspective h = j) that initiator i defeats it: ``[D, i]``.

    KTAB's ``probEduChlg(j, i, i, j)`` for each initiator i and its target j = ``tgt[i]``.
    """
    draws, n, _ = sd.shape
    i_idx = np.arange(n)
    take = np.take_along_axis
    rh = take(risk, tgt, axis=1)  # [D, i]: the receiver's own attitude
    rr = _est_nra(rh[..., None], risk[:, None, :], opt.big_r_adjust)  # [D, i, n]
    om_t = np.swapaxes(1.0 - sd, 1, 2)  # [D, x, n] = 1 - sd[n, x]
    cp_t = np.swapaxes(np.minimum(sd, 1.0), 1, 2)
    uni = om_t * (1.0 + cp_t * rr)  # u_h(n, i): x = i
    unj = take(om_t, tgt[..., None], axis=1) * (1.0 + take(cp_t, tgt[..., None], axis=1) * rr)
    diag_om = np.diagonal(1.0 - sd, axis1=1, axis2=2)[:, None, :]
    diag_cp = np.diagonal(np.minimum(sd, 1.0), axis1=1, axis2=2)[:, None, :]
    unn = diag_om * (1.0 + diag_cp * rr)  # u_h(n, n)
    self_i = np.broadcast_to(i_idx[None, :, None], (draws, n, 1))
    uii = take(uni, self_i, axis=2)[..., 0]
    uij = take(unj, self_i, axis=2)[..., 0]
    uji = take(uni, tgt[..., None], axis=2)[..., 0]
    ujj = take(unj, tgt[..., None], axis=2)[..., 0]
    ci = _vote(opt.vr, weight, uii - uij)
    cj = _vote(opt.vr, take(weight, tgt, axis=1), uji - ujj)
    chij0 = (MIN_CLTN + np.maximum(ci, 0.0)) + np.maximum(cj, 0.0)
    chji0 = (MIN_CLTN + np.maximum(-ci, 0.0)) + np.maximum(-cj, 0.0)
    add_ij, add_ji = _third_parties(
        unj, uni, unn, weight[:, None, :], chij0[..., None], chji0[..., None], opt
    )
    third = (i_idx[None, :, None] != i_idx[None, None, :]) & (tgt[..., None] != i_idx)
    chij = chij0 + np.where(third, add_ij, 0.0).sum(axis=-1)
    chji = chji0 + np.where(third, add_ji, 0.0).sum(axis=-1)
    result: FloatArray = chij / (chij + chji)
    return result


def _round4(x: FloatArray) -> FloatArray:
    """KTAB's ``round4``: ``int(0.5 + x * 1e4) / 1e4`` (x ≥ 0)."""
    return np.trunc(0.5 + x * BARGAIN_ROUNDING) / BARGAIN_ROUNDING


def _interpolate(
    pos_i: FloatArray,
    sal_i: FloatArray,
    prb_i: FloatArray,
    pos_j: FloatArray,
    sal_j: FloatArray,
    ivb: int,
) -> tuple[FloatArray, FloatArray]:
    """KTAB's ``interpolateBrgn``: the positions the bargain gives i and j, ``[D, i, K]``."""
    prb_j = 1 - prb_i
    pi = prb_i[..., None]
    pj = prb_j[..., None]
    if ivb == 2:  # S2PMax
        di = np.where(pj > pi, pj - pi, 0.0)
        dj = np.where(pi > pj, pi - pj, 0.0)
        si2 = sal_i * sal_i
        sj2 = sal_j * sal_j
        dik = (di * sj2) / ((di * sj2) + MIN_W + ((1 - di) * si2))
        djk = (dj * si2) / ((dj * si2) + MIN_W + ((1 - dj) * sj2))
        return pos_i + dik * (pos_j - pos_i), pos_j + djk * (pos_i - pos_j)
    if ivb == 0:
        wik = sal_i * pi
        wjk = sal_j * pj
    else:
        wik = (sal_i * sal_i) * (pi * pi)
        wjk = (sal_j * sal_j) * (pj * pj)
    denom = wik + MIN_W + wjk
    b_i = _round4(((wik + MIN_W) * pos_i + wjk * pos_j) / denom)
    b_j = _round4((wik * pos_i + (MIN_W + wjk) * pos_j) / denom)
    return b_i, b_j
