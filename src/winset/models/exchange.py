"""Stokman's exchange model of voting positions, equal-gain variant, round by round.

Actors on opposite sides of the expected outcome on two issues can trade: each gives
ground on the issue it cares less about for ground on the one it cares more about
(Stokman & van Oosten 1994, "The exchange of voting positions: an object-oriented model of
policy networks", in Bueno de Mesquita & Stokman (eds), *European Community Decision
Making*, Yale UP, pp. 105–127). This is the model as the Decide program of Stokman and
colleagues runs it, released as the Python package ``decide-exchange-model`` 2022.1.28,
whose per-round outputs it reproduces. Every rule below, the reason for it and where the
package departs from the 1994 chapter are set out in ``docs/models/exchange.md``.

Notation: positions ``x`` on a 0–100 rescaling of each issue's scale, salience ``s``,
capability ``c``, weight ``w = c s``, ``W_r = sum_a w_ar``. Each round:

1. Expected outcome (Decide's "MDS" or "NBS"): ``O_r = sum_a w_ar x_ar / W_r``. An actor
   is *left* of issue ``r`` when ``x_ar <= O_r``.
2. Candidates: for each pair of issues ``p < q``, every pair of actors of whom one is left
   of both outcomes and the other right of both, or one left only on ``p`` and the other
   left only on ``q``. The one with the larger ``s_p / s_q`` demands ``p``: it is *i* and
   supplies (moves on) ``q``; the other, *j*, supplies ``p`` and demands ``q``.
3. Equal gain: *j* moves all the way to *i*'s position on ``p``, shifting that outcome by
   ``dO_p = |x_ip - x_jp| w_jp / W_p``; *i* moves on ``q`` by the amount that shifts its
   outcome by ``dO_q = dO_p (s_ip + s_jp) / (s_iq + s_jq)``, i.e. ``|dy_i| = dO_q W_q /
   w_iq``, which makes the gains equal:
   ``G_i = dO_p s_ip - dO_q s_iq = dO_q s_jq - dO_p s_jp = G_j``. If *i* would pass *j*'s
   position, the roles swap: *i* moves all the way and *j* by the equal-gain amount.
4. Outcome check: a move that carries its issue's outcome past the partner's position is
   cut so the outcome stops there, and the partner's move follows by the same ratio.
5. Realisation: the valid candidate with the largest gain is carried out; every remaining
   candidate in which one of its traders supplies or demands the same issue is recomputed
   and dropped if no longer valid. Repeat until no candidate is left.
6. Between rounds an actor that moved on issue ``r`` takes the position
   ``x' = ((1 - s) a + b) y + (1 - (1 - s) a - b) x`` (``a`` = ``salience_weight``,
   ``b`` = ``fixed_weight``, ``y`` its last voting position, ``x`` its position before).

The model is deterministic; ``rng`` is accepted for the shared signature only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from winset.errors import InputError
from winset.models._checks import check_stances, require_weight
from winset.result import FloatArray, Result
from winset.scenario.arrays import ScenarioArrays

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

Variant = Literal["equal_gain"]

SCALE = 100.0
"""Every issue is rescaled to 0–SCALE inside the model, as in Decide."""

MIN_MOVE = 1e-10
"""A move of at most this (on the 0–100 scale) is no move: the exchange is void (Decide)."""

MIN_GAIN = 1e-10
"""An exchange whose gain is below this is void (Decide)."""

SNAP = 1e-9
"""Two positions or outcomes closer than this (0–100 scale) are taken as equal.

Decide computes in 28-digit decimals, so quantities that are equal in exact arithmetic
come out a few units of 1e-26 apart, on either side; which side then decides a branch.
winset settles every such comparison as exact arithmetic would.
"""

TIE_RTOL = 1e-12
"""Gains within this relative distance of the best are tied (see ``exchange``)."""

_CHUNK = 64
"""Draws processed together; bounds memory for large batches."""

_EXCHANGE_COLUMNS = (
    "draw",
    "round",
    "order",
    "actor_i",
    "issue_i",
    "actor_j",
    "issue_j",
    "from_i",
    "to_i",
    "from_j",
    "to_j",
    "gain",
)

_NO_KEY = int(np.iinfo(np.int64).max)

# Rows of the candidate tables (see _Round). A row pair ``k, k + 1`` holds the same
# quantity for i (who supplies q) and for j (who supplies p).
_W, _TOT, _TOL, _TARGET, _START, _BASE = range(0, 12, 2)
_J_FULL, _I_FULL = 12, 15  # three rows each: factors of i's move, j's move, the gain
_CUT_SELF, _CUT_OTHER, _CUT_GAIN = 18, 20, 22
_DYNAMIC = 24  # rows from here on change as exchanges are made
_SUP, _MOVE, _GAIN, _HSUM = 24, 26, 28, 29
_N_TABLE = 31
_DRAW, _A_I, _A_J, _P, _Q = range(5)
_SUPPLY, _DEMAND, _VIEW, _VIEW_CELL = range(5, 13, 2)
_N_INDEX = 13


def exchange(
    arrays: ScenarioArrays,
    *,
    rng: np.random.Generator | None = None,
    rounds: int = 10,
    variant: Variant = "equal_gain",
    salience_weight: float = 0.4,
    fixed_weight: float = 0.1,
    tolerance: float = 0.0,
    keep_exchanges: bool = True,
) -> Result:
    """Run Stokman's exchange model (equal-gain variant) for ``rounds`` rounds.

    Equations (Stokman & van Oosten 1994; Decide): outcome
    ``O_r = sum_a c_a s_ar x_ar / sum_a c_a s_ar``; equal-gain shifts
    ``dO_q = dO_p (s_ip + s_jp) / (s_iq + s_jq)`` with moves ``|dy| = dO W / (c s)``; gain
    ``G = dO_p s_ip - dO_q s_iq``; between rounds ``x' = ((1 - s) a + b) y +
    (1 - (1 - s) a - b) x``. The module docstring gives the whole round;
    ``docs/models/exchange.md`` every rule and its source.

    Ties: Decide picks at random between two exchanges of equal gain (and then keeps a
    copy of one of them by mistake). winset takes, among the valid exchanges whose gain is
    within ``TIE_RTOL`` of the best, the one first in this order: issue pair (in issue
    order), then actors left of both outcomes paired with actors right of both before the
    mixed pairs, then the actor ids (sorted as text) of the two traders. The order does
    not depend on where an actor sits in the input, so permuting actors changes nothing.

    Args:
        arrays: The scenario as arrays with a leading batch axis. Actors need a stance,
            capability and salience above 0 on both issues to trade them.
        rng: Unused (the model is deterministic); accepted so every model shares one
            signature.
        rounds: Rounds of exchange, each followed by the update of preferences.
        variant: ``"equal_gain"``, Decide's default and its only working variant (its
            "random rate" model fails in the released package and is not offered).
        salience_weight: ``a`` in the preference update: the share of the way to the
            voting position an actor of salience 0 moves (Decide: 0.4).
        fixed_weight: ``b`` in the preference update: the share every actor moves whatever
            its salience (Decide: 0.1). ``a + b`` must not exceed 1.
        tolerance: A draw stops after a round in which no position moved by more than
            this fraction of its issue's scale; its later rows repeat the last state. At 0
            (the default) a draw stops only once a round realises no exchange, after
            which nothing would change anyway, so the results equal a full run.
        keep_exchanges: Whether to return the table of realised exchanges in ``details``.

    Returns:
        A Result with ``rounds + 1`` rows. ``trajectory[d, k]`` is the expected outcome on
        each issue after ``k`` rounds (row 0: the input; Decide's "preference MDS" of round
        ``k``); ``actor_trajectory[d, k]`` the actors' positions then and
        ``actor_positions`` the positions after the last round, all in scale units.
        ``details``: ``voting_trajectory[draws, rounds, issues]`` and
        ``voting_positions[draws, rounds, actors, issues]``, the outcome and the positions
        at the end of each round's exchanges, before preferences update (Decide's "voting
        MDS"); ``exchange_count[draws, rounds]``; ``rounds_run[draws]``; and, when
        ``keep_exchanges``, ``exchanges``: a dict of equal-length columns, one row per
        realised exchange of every draw in the order carried out — ``draw``, ``round``
        (1-based), ``order`` (0-based within the round), ``actor_i``/``actor_j`` (actor
        indices; *i* demands the issue *j* moves on), ``issue_i``/``issue_j`` (issue
        indices: the issue each moves on), ``from_i``/``to_i``/``from_j``/``to_j``
        (positions on those issues before and after, scale units) and ``gain`` (each
        trader's utility gain, outcome shift on the 0–100 scale times salience).

    Raises:
        InputError: Fewer than two actors or issues, an issue on which nobody has
            capability and salience above 0, values out of range, or bad options.
    """
    del rng
    _check_options(rounds, variant, salience_weight, fixed_weight, tolerance)
    _check_arrays(arrays)
    low = np.asarray(arrays.scale_low, dtype=np.float64)
    high = np.asarray(arrays.scale_high, dtype=np.float64)
    step = SCALE / (high - low)
    position = np.clip((np.asarray(arrays.position, dtype=np.float64) - low) * step, 0.0, SCALE)
    salience = np.asarray(arrays.salience, dtype=np.float64)
    capability = np.asarray(arrays.capability, dtype=np.float64)
    has_stance = np.asarray(arrays.has_stance, dtype=bool)
    salience = np.where(has_stance, salience, 0.0)
    weight = capability[:, :, None] * salience
    require_weight(weight.sum(axis=1), arrays)

    draws, n_actors, n_issues = position.shape
    setup = _Setup.build(arrays.actor_ids, n_issues)
    options = _Options(rounds, salience_weight, fixed_weight, tolerance * SCALE)
    pref = np.empty((draws, rounds + 1, n_actors, n_issues))
    vote = np.empty((draws, rounds, n_actors, n_issues))
    counts = np.zeros((draws, rounds), dtype=np.int64)
    rounds_run = np.zeros(draws, dtype=np.int64)
    tables: list[dict[str, NDArray[Any]]] = []
    for first in range(0, draws, _CHUNK):
        chunk = slice(first, min(first + _CHUNK, draws))
        out = _run_chunk(
            position[chunk], salience[chunk], weight[chunk], has_stance, setup, options
        )
        pref[chunk], vote[chunk], counts[chunk], rounds_run[chunk] = (
            out.pref,
            out.vote,
            out.counts,
            out.rounds_run,
        )
        if keep_exchanges:
            out.table["draw"] += first
            tables.append(out.table)

    # Back to each issue's scale; a position that never moved keeps its input value exactly.
    original = np.asarray(arrays.position, dtype=np.float64)
    unmoved = position[:, None]
    actor_trajectory = np.where(
        pref == unmoved, original[:, None], _to_scale(pref, step, low, high)
    )
    voting = np.where(vote == unmoved, original[:, None], _to_scale(vote, step, low, high))
    total = weight.sum(axis=1)[:, None, :]
    details: dict[str, Any] = {
        "voting_trajectory": _mean(voting, weight, total, low, high),
        "voting_positions": voting,
        "exchange_count": counts,
        "rounds_run": rounds_run,
    }
    if keep_exchanges:
        table = {name: np.concatenate([t[name] for t in tables]) for name in _EXCHANGE_COLUMNS}
        for side in ("i", "j"):
            issue = table[f"issue_{side}"]
            for column in (f"from_{side}", f"to_{side}"):
                table[column] = np.clip(
                    table[column] / step[issue] + low[issue], low[issue], high[issue]
                )
        details["exchanges"] = table
    return Result(
        model="exchange",
        actor_ids=arrays.actor_ids,
        issue_ids=arrays.issue_ids,
        trajectory=_mean(actor_trajectory, weight, total, low, high),
        actor_positions=actor_trajectory[:, -1],
        actor_trajectory=actor_trajectory,
        params={
            "rounds": rounds,
            "variant": variant,
            "salience_weight": salience_weight,
            "fixed_weight": fixed_weight,
            "tolerance": tolerance,
        },
        details=details,
    )


# --- checks --------------------------------------------------------------------------


def _check_options(
    rounds: int, variant: str, salience_weight: float, fixed_weight: float, tolerance: float
) -> None:
    if isinstance(rounds, bool) or not isinstance(rounds, int | np.integer) or rounds < 0:
        raise InputError("a whole number of rounds, 0 or more", repr(rounds), path=("rounds",))
    if variant != "equal_gain":
        raise InputError("variant 'equal_gain'", repr(variant), path=("variant",))
    for name, value in (("salience_weight", salience_weight), ("fixed_weight", fixed_weight)):
        if not (isinstance(value, int | float) and 0.0 <= value <= 1.0):
            raise InputError("a number between 0 and 1", repr(value), path=(name,))
    if salience_weight + fixed_weight > 1.0:
        raise InputError(
            "salience_weight + fixed_weight of at most 1 (so a new position lies between "
            "the old one and the voting position)",
            f"{salience_weight!r} + {fixed_weight!r}",
            path=("fixed_weight",),
        )
    if not (isinstance(tolerance, int | float) and 0.0 <= tolerance < math.inf):
        raise InputError("a tolerance of 0 or more", repr(tolerance), path=("tolerance",))


def _check_arrays(arrays: ScenarioArrays) -> None:
    """Refuse input the model cannot trade on: fewer than two issues, or bad stances."""
    if arrays.n_issues < 2:
        raise InputError(
            "at least two issues (an exchange trades one issue for another)",
            f"{arrays.n_issues}",
            path=("issues",),
        )
    # Actors without a stance on an issue take no part in it (salience 0 below), so the
    # weight on every issue is checked once saliences are masked.
    check_stances(arrays, weighted_issues=False)


# --- the rounds ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Options:
    rounds: int
    salience_weight: float
    fixed_weight: float
    tolerance: float  # on the 0-100 scale


@dataclass(frozen=True)
class _Setup:
    """The pairs of issues and of actors, and the tie-break rank of each actor."""

    n_actors: int
    n_issues: int
    pair_p: IntArray  # [pairs of issues], in issue order
    pair_q: IntArray
    actor_a: IntArray  # [couples of actors a < b]
    actor_b: IntArray
    rank: IntArray  # [actors]: place of the actor's id in sorted order

    @classmethod
    def build(cls, actor_ids: tuple[str, ...], n_issues: int) -> _Setup:
        n_actors = len(actor_ids)
        ip, iq = np.triu_indices(n_issues, k=1)
        aa, ab = np.triu_indices(n_actors, k=1)
        rank = np.empty(n_actors, dtype=np.int64)
        rank[sorted(range(n_actors), key=lambda k: actor_ids[k])] = np.arange(n_actors)
        return cls(
            n_actors=n_actors,
            n_issues=n_issues,
            pair_p=ip.astype(np.int64),
            pair_q=iq.astype(np.int64),
            actor_a=aa.astype(np.int64),
            actor_b=ab.astype(np.int64),
            rank=rank,
        )


@dataclass
class _ChunkOut:
    pref: FloatArray
    vote: FloatArray
    counts: IntArray
    rounds_run: IntArray
    table: dict[str, NDArray[Any]]


def _run_chunk(
    position: FloatArray,
    salience: FloatArray,
    weight: FloatArray,
    has_stance: BoolArray,
    setup: _Setup,
    options: _Options,
) -> _ChunkOut:
    """All rounds for a block of draws; a draw drops out once it stops moving."""
    draws, n_actors, n_issues = position.shape
    pref = np.empty((draws, options.rounds + 1, n_actors, n_issues))
    vote = np.empty((draws, options.rounds, n_actors, n_issues))
    counts = np.zeros((draws, options.rounds), dtype=np.int64)
    rounds_run = np.zeros(draws, dtype=np.int64)
    columns: dict[str, list[NDArray[Any]]] = {name: [] for name in _EXCHANGE_COLUMNS}
    trades = (weight > 0) & has_stance[None]
    x = position.copy()
    pref[:, 0] = x
    live = np.arange(draws)
    for k in range(options.rounds):
        vote[:, k] = x
        if live.size:
            sub = _Round(
                x[live],
                salience[live],
                weight[live],
                trades[live],
                setup,
                salience_weight=options.salience_weight,
                fixed_weight=options.fixed_weight,
            )
            voting, new = sub.run()
            vote[live, k] = voting
            moved = np.abs(new - x[live]).reshape(live.size, -1).max(axis=1)
            x[live] = new
            counts[live, k] = sub.count
            rounds_run[live] = k + 1
            for name, values in sub.columns().items():
                if name == "draw":
                    values = live[values]
                elif name == "round":
                    values = values + (k + 1)
                columns[name].append(values)
            live = live[(sub.count > 0) & (moved > options.tolerance)]
            del sub  # frees its tables before the next round allocates its own
        pref[:, k + 1] = x
    table = {name: np.concatenate(parts or [_empty(name)]) for name, parts in columns.items()}
    return _ChunkOut(pref, vote, counts, rounds_run, table)


_FLOAT_COLUMNS = frozenset({"from_i", "to_i", "from_j", "to_j", "gain"})


def _empty(name: str) -> NDArray[Any]:
    return np.zeros(0, dtype=np.float64 if name in _FLOAT_COLUMNS else np.int64)


class _Round:
    """One round of exchanges for a block of draws.

    Candidates sit in padded ``[draws, slots]`` tables, flattened for gathers: ``table``
    (floats, rows ``_W`` ... ``_HSUM``) and ``index`` (integers, rows ``_DRAW`` ...
    ``_VIEW_CELL``). Most rows come in pairs, one per trader seen as the *supplier* (row
    ``k`` for *i*, who supplies ``q``; row ``k + 1`` for *j*, who supplies ``p``), so
    both sides take one operation. A candidate is alive while its entry in
    ``alive_gain`` is above ``-inf``.

    The demanders' views of the outcome (Decide's per-exchange "updates") are kept once
    per (draw, demander, issue): all live candidates with the same demander on an issue
    have seen the same updates, because all were created at the start of the round and a
    candidate that drops out never returns. ``view`` holds, per (draw, demander, issue,
    actor), the position the demander's candidates assume for the actor (its round-start
    position until updated), ``viewed`` whether it was updated, and ``shift`` the change
    of the weighted sum of positions that the updates make.
    """

    def __init__(
        self,
        x: FloatArray,
        salience: FloatArray,
        weight: FloatArray,
        trades: BoolArray,
        setup: _Setup,
        *,
        salience_weight: float,
        fixed_weight: float,
    ) -> None:
        self.x = x
        self.salience = salience
        self.weight = weight
        self.salience_weight = salience_weight
        self.fixed_weight = fixed_weight
        draws, n_actors, n_issues = x.shape
        self.draws, self.n_actors, self.n_issues = draws, n_actors, n_issues
        self.cells = draws * n_actors * n_issues
        self.total = weight.sum(axis=1)  # [draws, issues]
        self.sums = np.einsum("dai,dai->di", weight, x)
        self._records: list[tuple[IntArray, FloatArray, FloatArray]] = []
        self.count = np.zeros(draws, dtype=np.int64)
        # [draw, demander, issue, actor], flattened.
        self.view = np.ascontiguousarray(
            np.broadcast_to(
                np.swapaxes(x, 1, 2)[:, None, :, :], (draws, n_actors, n_issues, n_actors)
            )
        ).reshape(-1)
        self.viewed = np.zeros(self.view.size, dtype=bool)
        self.shift = np.zeros(self.cells)
        # Scratch: the voting position just reached in a (draw, actor, issue) cell.
        self.cell_y = np.zeros(self.cells)
        self.cell_hit = np.zeros(self.cells, dtype=bool)
        self._build(trades, setup)

    # -- candidates --

    def _build(self, trades: BoolArray, setup: _Setup) -> None:
        """Every exchange possible at the start of the round, computed; keep the valid."""
        n_actors, n_issues = self.n_actors, self.n_issues
        outcome = self.sums / self.total
        left = self.x <= outcome[:, None, :] + SNAP
        # Decide's groups on (p, q): 0 right of both outcomes, 1 left of p only, 2 left
        # of q only, 3 left of both; 0 trades with 3 and 1 with 2.
        p_of, q_of = setup.pair_p, setup.pair_q
        group = left[:, :, p_of] + 2 * left[:, :, q_of].astype(np.int8)  # [d, actors, pairs]
        can = trades[:, :, p_of] & trades[:, :, q_of]
        group_a, group_b = group[:, setup.actor_a], group[:, setup.actor_b]  # [d, couples, pairs]
        exists = group_a + group_b == 3
        exists &= can[:, setup.actor_a]
        exists &= can[:, setup.actor_b]
        d, couple, pair = np.nonzero(exists)
        a, b = setup.actor_a[couple], setup.actor_b[couple]
        p, q = p_of[pair], q_of[pair]
        ga, gb = group_a[d, couple, pair], group_b[d, couple, pair]
        a_first = ga < gb
        g = np.where(a_first, a, b)  # Decide's A or B member
        h = np.where(a_first, b, a)  # its D or C partner
        mixed = np.minimum(ga, gb) == 1
        row = d * n_actors
        s = self.salience.reshape(-1)
        lhs = s[(row + g) * n_issues + p] * s[(row + h) * n_issues + q]
        rhs = s[(row + h) * n_issues + p] * s[(row + g) * n_issues + q]
        h_demands_p = lhs < rhs - TIE_RTOL * rhs  # s_gp / s_gq < s_hp / s_hq
        ai = np.where(h_demands_p, h, g)
        aj = np.where(h_demands_p, g, h)
        key = ((pair * 2 + mixed) * n_actors + setup.rank[g]) * n_actors + setup.rank[h]

        index = self._index(d, ai, aj, p, q)
        table = self._table(index)
        valid = self._calculate(table, index)

        # Keep the valid ones, packed per draw into [draws, slots].
        keep = valid.nonzero()[0]
        d_keep = d[keep]
        per_draw = np.bincount(d_keep, minlength=self.draws)
        slots = max(int(per_draw.max(initial=0)), 1)
        first = np.concatenate(([0], np.cumsum(per_draw)[:-1]))
        flat = d_keep * slots + (np.arange(keep.size) - first[d_keep])
        size = self.draws * slots
        self.slots = slots
        # Candidate-major, so that gathering a few candidates reads contiguous rows.
        self.table = np.empty((size, _N_TABLE))
        self.table[flat] = table.T[keep]
        self.index = np.empty((size, _N_INDEX), dtype=np.int64)
        self.index[flat] = index.T[keep]
        self.alive_gain = np.full(size, -np.inf)
        self.alive_gain[flat] = table[_GAIN, keep]
        self.key = np.full(size, _NO_KEY)
        self.key[flat] = key[keep]

        # Which candidates have a given cell as a supply issue (keys 0 .. cells - 1) and
        # which as a demand issue (keys cells .. 2 cells - 1).
        kept = index.take(keep, axis=1)
        keys = np.concatenate(
            (
                kept[_SUPPLY],
                kept[_SUPPLY + 1],
                kept[_DEMAND] + self.cells,
                kept[_DEMAND + 1] + self.cells,
            )
        )
        if 2 * self.cells < np.iinfo(np.int16).max:
            keys = keys.astype(np.int16)  # a radix sort
        order = np.argsort(keys, kind="stable")
        self.lookup = np.tile(flat, 4)[order]
        self.lookup_start = np.searchsorted(keys[order], np.arange(2 * self.cells + 1))
        self.lookup_bounds: list[int] = self.lookup_start.tolist()

    def _index(self, d: IntArray, ai: IntArray, aj: IntArray, p: IntArray, q: IntArray) -> IntArray:
        n_actors, n_issues = self.n_actors, self.n_issues
        out = np.empty((_N_INDEX, d.size), dtype=np.int64)
        out[_DRAW], out[_A_I], out[_A_J], out[_P], out[_Q] = d, ai, aj, p, q
        i_row = (d * n_actors + ai) * n_issues
        j_row = (d * n_actors + aj) * n_issues
        out[_SUPPLY], out[_SUPPLY + 1] = i_row + q, j_row + p
        out[_DEMAND], out[_DEMAND + 1] = i_row + p, j_row + q
        # The partner's view of the supply issue, (draw, partner, issue), and the
        # supplier's entry in it.
        out[_VIEW], out[_VIEW + 1] = j_row + q, i_row + p
        out[_VIEW_CELL] = (j_row + q) * n_actors + ai
        out[_VIEW_CELL + 1] = (i_row + p) * n_actors + aj
        return out

    def _table(self, index: IntArray) -> FloatArray:
        s, w, x = self.salience.reshape(-1), self.weight.reshape(-1), self.x.reshape(-1)
        cell_iq, cell_jp = index[_SUPPLY], index[_SUPPLY + 1]
        cell_ip, cell_jq = index[_DEMAND], index[_DEMAND + 1]
        n = cell_iq.size
        s_ip, s_iq, s_jp, s_jq = s[cell_ip], s[cell_iq], s[cell_jp], s[cell_jq]
        w_iq, w_jp = w[cell_iq], w[cell_jp]
        x_ip, x_jq = x[cell_ip], x[cell_jq]
        d = index[_DRAW] * self.n_issues
        tot_p, tot_q = self.total.reshape(-1)[d + index[_P]], self.total.reshape(-1)[d + index[_Q]]
        sum_p, sum_q = self.sums.reshape(-1)[d + index[_P]], self.sums.reshape(-1)[d + index[_Q]]
        out = np.zeros((_N_TABLE, n))
        out[_W], out[_W + 1] = w_iq, w_jp
        out[_TOT], out[_TOT + 1] = tot_q, tot_p
        out[_TOL] = SNAP * tot_q
        out[_TOL + 1] = SNAP * tot_p
        out[_TARGET], out[_TARGET + 1] = x_jq, x_ip
        out[_START], out[_START + 1] = x[cell_iq], x[cell_jp]
        out[_BASE] = x_jq * tot_q - sum_q
        out[_BASE + 1] = x_ip * tot_p - sum_p
        r_pq = (s_jp + s_ip) / (s_jq + s_iq)  # dO_q / dO_p at equal gain
        r_qp = (s_iq + s_jq) / (s_ip + s_jp)
        shift_p = w_jp / tot_p  # outcome shift on p per unit move of j
        shift_q = w_iq / tot_q
        # j moves all the way (distance d_j): i moves d_j C1, the gain is d_j GP;
        # i moves all the way (d_i): j moves d_i C2, the gain is d_i GQ.
        out[_J_FULL] = r_pq * shift_p / shift_q
        out[_J_FULL + 1] = 1.0
        out[_J_FULL + 2] = shift_p * np.abs(r_pq * s_iq - s_ip)
        out[_I_FULL] = 1.0
        out[_I_FULL + 1] = r_qp * shift_q / shift_p
        out[_I_FULL + 2] = shift_q * np.abs(s_iq - r_qp * s_ip)
        # A cut that leaves the supplier's outcome shift at r: the supplier moves r by
        # CUT_SELF, the partner r by CUT_OTHER, and the gain is r CUT_GAIN.
        out[_CUT_SELF], out[_CUT_SELF + 1] = 1.0 / shift_q, 1.0 / shift_p
        out[_CUT_OTHER], out[_CUT_OTHER + 1] = r_qp / shift_p, r_pq / shift_q
        out[_CUT_GAIN] = np.abs(r_qp * s_jp - s_jq)
        out[_CUT_GAIN + 1] = np.abs(r_pq * s_iq - s_ip)
        out[_SUP], out[_SUP + 1] = out[_START], out[_START + 1]
        return out

    def _calculate(self, t: FloatArray, index: IntArray) -> BoolArray:
        """Equal-gain moves of the candidates (columns of ``t``, updated); valid mask."""
        sup = t[_SUP : _SUP + 2]
        diff = t[_TARGET : _TARGET + 2] - sup
        dist = np.abs(diff)
        # j moves all the way to i on p and i by the equal-gain amount on q, unless i
        # would then pass j on q: then i moves all the way and j by the equal-gain amount.
        size = dist[1] * t[_J_FULL : _J_FULL + 3]
        over = size[0] > dist[0]
        np.copyto(size, dist[0] * t[_I_FULL : _I_FULL + 3], where=over)
        move = np.copysign(size[:2], diff, out=t[_MOVE : _MOVE + 2])
        t[_GAIN] = size[2]
        valid = self._valid(t)
        # The outcome check: would a move carry the supply issue's outcome past the
        # partner's position? In weight units: before = (partner - outcome) x total.
        cell = index[_VIEW_CELL : _VIEW_CELL + 2]
        own = self.view[cell]
        w = t[_W : _W + 2]
        before = own - sup
        before *= w
        before += t[_BASE : _BASE + 2]
        before -= self.shift[index[_VIEW : _VIEW + 2]]
        after = before - w * move
        cut = before * after < 0
        cut &= valid
        if not np.count_nonzero(cut):
            return valid
        tol = t[_TOL : _TOL + 2]  # not a crossing: an outcome already on the position
        cut &= np.minimum(np.abs(before), np.abs(after)) > tol
        if not np.count_nonzero(cut):
            return valid
        # Cut back to the shift that puts the outcome on the partner's position; the
        # supplier's own updated position, where the partner's view has one, stands in
        # for its supply position there (as in Decide).
        held = np.where(self.viewed[cell], own, sup)
        shift = np.abs(before + w * (sup - held)) / t[_TOT : _TOT + 2]
        own_move = np.copysign(shift * t[_CUT_SELF : _CUT_SELF + 2], diff)
        other_move = np.copysign(shift * t[_CUT_OTHER : _CUT_OTHER + 2], diff[::-1])
        cut_gain = shift * t[_CUT_GAIN : _CUT_GAIN + 2]
        first = cut[0]  # i's check first
        move_i = np.where(first, own_move[0], move[0])
        move_j = np.where(first, other_move[0], move[1])
        gain = np.where(first, cut_gain[0], t[_GAIN])
        after_j = before[1] - w[1] * move_j  # then j's, with j's move after i's check
        second = np.minimum(np.abs(before[1]), np.abs(after_j)) > tol[1]
        second &= before[1] * after_j < 0
        second &= valid
        t[_MOVE] = np.where(second, other_move[1], move_i)
        t[_MOVE + 1] = np.where(second, own_move[1], move_j)
        t[_GAIN] = np.where(second, cut_gain[1], gain)
        return self._valid(t, on_scale=True)

    @staticmethod
    def _valid(t: FloatArray, *, on_scale: bool = False) -> BoolArray:
        """Decide's test of both moves and of the gain.

        Only a cut move can leave the scale: an equal-gain move stops at the partner.
        """
        move = t[_MOVE : _MOVE + 2]
        hsum = t[_HSUM : _HSUM + 2]
        ok = np.abs(move) > MIN_MOVE
        # With this round's earlier moves on the issue (which all go one way, so their
        # sum has their sign): the same direction, at most 100 in sum.
        if np.count_nonzero(hsum):
            ok &= hsum * move >= 0
            ok &= hsum + move <= SCALE + SNAP
        if on_scale:
            ok &= np.abs(t[_SUP : _SUP + 2] + move - SCALE / 2) <= SCALE / 2 + SNAP
        valid: BoolArray = ok[0] & ok[1]
        valid &= t[_GAIN] >= MIN_GAIN
        return valid

    # -- realisation --

    def run(self) -> tuple[FloatArray, FloatArray]:
        """Carry out exchanges until none is left; voting and new positions [d, a, i]."""
        draws, slots = self.draws, self.slots
        alive = self.alive_gain
        gain = alive.reshape(draws, slots)
        first = np.arange(draws) * slots
        voting = self.x.copy().reshape(-1)
        while True:
            best = gain.argmax(axis=1)
            best += first
            top = alive[best]
            if draws == 1:
                best_gain = float(top[0])
                if best_gain == -np.inf:
                    break
                tied = gain >= best_gain * (1.0 - TIE_RTOL)
                if np.count_nonzero(tied) > 1:
                    best = self._first_tied(tied, first) + first  # first == [0]
            else:
                active = top > -np.inf
                n_active = np.count_nonzero(active)
                if n_active == 0:
                    break
                threshold = np.where(active, top * (1.0 - TIE_RTOL), np.inf)
                tied = gain >= threshold[:, None]
                if np.count_nonzero(tied) > n_active:
                    rows = (np.count_nonzero(tied, axis=1) > 1).nonzero()[0]
                    best[rows] = self._first_tied(tied[rows], rows) + first[rows]
                best = best[active]
            t = self.table.take(best, axis=0).T
            index = self.index.take(best, axis=0).T
            alive[best] = -np.inf
            y = t[_SUP : _SUP + 2] + t[_MOVE : _MOVE + 2]
            supply = index[_SUPPLY : _SUPPLY + 2]
            voting[supply] = y
            self._records.append((best, t, y))
            self._update_views(t, index, y)
            self._recalculate(index, supply, y)

        chosen = np.concatenate([r[0] for r in self._records] or [np.zeros(0, np.int64)])
        self.count = np.bincount(self.index[chosen, _DRAW], minlength=draws)
        moved = np.zeros(self.cells, dtype=bool)
        moved[self.index[chosen, _SUPPLY : _SUPPLY + 2]] = True
        shape = self.x.shape
        voting_3d = np.clip(voting, 0.0, SCALE).reshape(shape)
        a, b = self.salience_weight, self.fixed_weight
        s = self.salience
        new = (1.0 - s) * a * voting_3d + b * voting_3d + (1.0 - (1.0 - s) * a - b) * self.x
        new = np.where(moved.reshape(shape), np.clip(new, 0.0, SCALE), self.x)
        return voting_3d, new

    def _first_tied(self, tied: BoolArray, rows: IntArray) -> IntArray:
        """Slot of the candidate first in key order among each row's tied ones."""
        key = self.key.reshape(self.draws, self.slots)[rows]
        pick: IntArray = np.where(tied, key, _NO_KEY).argmin(axis=1)
        return pick

    def _update_views(self, t: FloatArray, index: IntArray, y: FloatArray) -> None:
        """Record the traders' new voting positions in their partners' views.

        In j's view of q (j demands q) i is now at y_i; in i's view of p, j at y_j.

        A second update of the same actor in the same view merges as Decide does:
        ``min(old, new)`` when the actor's round-start position is at or left of the old
        value, else ``max(old, new)``.
        """
        cell = index[_VIEW_CELL : _VIEW_CELL + 2]
        prev = self.view[cell]
        value = y
        again = self.viewed[cell]
        if np.count_nonzero(again):
            merged = np.where(
                t[_START : _START + 2] <= prev, np.minimum(prev, y), np.maximum(prev, y)
            )
            value = np.where(again, merged, y)
        self.shift[index[_VIEW : _VIEW + 2]] += t[_W : _W + 2] * (value - prev)
        self.view[cell] = value
        self.viewed[cell] = True

    def _recalculate(self, index: IntArray, supply: IntArray, y: FloatArray) -> None:
        """Recompute the live candidates that share a cell with the exchanges just made.

        That is, every candidate one of whose traders supplies or demands the same issue
        as one of the traders just now (one exchange per active draw).
        """
        start, lookup = self.lookup_start, self.lookup
        if supply.shape[1] == 1:
            bounds = self.lookup_bounds
            s0, s1 = supply[:, 0].tolist()
            e0, e1 = (index[_DEMAND : _DEMAND + 2, 0] + self.cells).tolist()
            idx = np.concatenate(
                (
                    lookup[bounds[s0] : bounds[s0 + 1]],
                    lookup[bounds[s1] : bounds[s1 + 1]],
                    lookup[bounds[e0] : bounds[e0 + 1]],
                    lookup[bounds[e1] : bounds[e1 + 1]],
                )
            )
        else:
            queries = np.concatenate(
                (supply.reshape(-1), index[_DEMAND : _DEMAND + 2].reshape(-1) + self.cells)
            )
            begin = start[queries]
            length = start[queries + 1] - begin
            ends = np.cumsum(length)
            total = int(ends[-1])
            idx = lookup[np.repeat(begin - ends + length, length) + np.arange(total)]
        idx = idx[self.alive_gain[idx] > -np.inf]
        if idx.size == 0:
            return
        t = np.ascontiguousarray(self.table.take(idx, axis=0).T)
        sub = np.ascontiguousarray(self.index.take(idx, axis=0).T)
        # A trader who supplies the issue one of the traders just supplied continues from
        # that trader's voting position; its previous move joins its history.
        self.cell_y[supply] = y
        self.cell_hit[supply] = True
        cells = sub[_SUPPLY : _SUPPLY + 2]
        hit = self.cell_hit[cells]
        if np.count_nonzero(hit):
            hsum = t[_HSUM : _HSUM + 2]
            np.add(hsum, t[_MOVE : _MOVE + 2], out=hsum, where=hit)
            np.copyto(t[_SUP : _SUP + 2], self.cell_y[cells], where=hit)
        self.cell_hit[supply] = False
        valid = self._calculate(t, sub)
        self.table[idx, _DYNAMIC:] = t[_DYNAMIC:].T
        self.alive_gain[idx] = np.where(valid, t[_GAIN], -np.inf)

    def columns(self) -> dict[str, NDArray[Any]]:
        """Realised exchanges of this round as columns (positions on the 0-100 scale)."""
        if not self._records:
            return {name: _empty(name) for name in _EXCHANGE_COLUMNS}
        chosen = np.concatenate([r[0] for r in self._records])
        order = np.repeat(np.arange(len(self._records)), [r[0].size for r in self._records])
        t = np.concatenate([r[1] for r in self._records], axis=1)
        y = np.clip(np.concatenate([r[2] for r in self._records], axis=1), 0.0, SCALE)
        index = self.index.take(chosen, axis=0).T
        out = {
            "draw": index[_DRAW],
            "round": np.zeros(chosen.size, dtype=np.int64),
            "order": order,
            "actor_i": index[_A_I],
            "issue_i": index[_Q],
            "actor_j": index[_A_J],
            "issue_j": index[_P],
            "from_i": t[_SUP],
            "to_i": y[0],
            "from_j": t[_SUP + 1],
            "to_j": y[1],
            "gain": t[_GAIN],
        }
        # By draw, keeping the order of realisation within each draw.
        by_draw = np.lexsort((order, out["draw"]))
        return {name: out[name][by_draw] for name in _EXCHANGE_COLUMNS}


def _mean(
    positions: FloatArray, weight: FloatArray, total: FloatArray, low: FloatArray, high: FloatArray
) -> FloatArray:
    """Weighted mean per issue of ``positions[draws, rounds, actors, issues]``, on the scale."""
    mean: FloatArray = np.einsum("dkai,dai->dki", positions, weight) / total
    return np.clip(mean, low, high)


def _to_scale(
    values: FloatArray, step: FloatArray, low: FloatArray, high: FloatArray
) -> FloatArray:
    """From the model's 0–100 scale back to each issue's own (issues on the last axis)."""
    return np.clip(values / step + low, low, high)
