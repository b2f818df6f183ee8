"""Council voting weights by treaty, and a priori voting power computed from them.

No DEU wave carries a capability column, so capability has to come from outside. This
module holds the Council's qualified-majority rules of each treaty in force over the
DEU III decision dates (1996–2019), and computes exact Shapley–Shubik and Penrose–Banzhaf
indices from them, for the Council alone and for the legislative game in which the
Commission and the European Parliament take part.

Council rules and their sources
-------------------------------
* **EU-15, pre-Nice** (1 January 1995 – 30 April 2004). Weighted votes of Art. 148(2) of
  the EC Treaty as amended by the 1994 Act of Accession (Art. 205(2) TEC after the
  Amsterdam renumbering): Germany, France, Italy, United Kingdom 10; Spain 8; Belgium,
  Greece, Netherlands, Portugal 5; Austria, Sweden 4; Denmark, Ireland, Finland 3;
  Luxembourg 2 — 87 votes, a qualified majority is 62 votes on a Commission proposal.
* **EU-25, transitional** (1 May – 31 October 2004). Art. 26 of the 2003 Act of Accession
  (OJ L 236, 23.9.2003): the EU-15 weights plus Poland 8; Czech Republic, Hungary 5;
  Estonia, Latvia, Lithuania, Slovakia, Slovenia 3; Cyprus, Malta 2 — 124 votes, 88 needed.
* **Nice** weights (Protocol on the enlargement of the European Union annexed to the
  Treaty of Nice, Art. 3, as amended by Art. 12 of the 2003 Act of Accession, the 2005 Act
  of Accession of Bulgaria and Romania, OJ L 157, 21.6.2005, and the 2012 Act of Accession
  of Croatia, OJ L 112, 24.4.2012): Germany, France, Italy, United Kingdom 29; Spain,
  Poland 27; Romania 14; Netherlands 13; Belgium, Czech Republic, Greece, Hungary,
  Portugal 12; Austria, Bulgaria, Sweden 10; Denmark, Ireland, Lithuania, Slovakia,
  Finland, Croatia 7; Cyprus, Estonia, Latvia, Luxembourg, Slovenia 4; Malta 3. A
  qualified majority needs 232 of 321 votes (EU-25, from 1 November 2004), 255 of 345
  (EU-27, from 1 January 2007) or 260 of 352 (EU-28, from 1 July 2013), cast by a
  majority of the members. The third Nice criterion, 62 % of the population on a
  member's request, is left out: it almost never changes which coalitions win
  (Felsenthal & Machover 2001, "The Treaty of Nice and qualified majority voting",
  Social Choice and Welfare 18(3): 431–464).
* **Lisbon** double majority (from 1 November 2014; Art. 16(4) TEU and Art. 238(3)
  TFEU): at least 55 % of the members (16 of 28) representing at least 65 % of the
  population; a blocking minority must include at least four members, failing which the
  qualified majority is deemed attained. Until 31 March 2017 a member could ask for the
  Nice rule instead (Protocol No 36, Art. 3(2)); that option is ignored. Population
  shares are the Council's figures for 2016 (Council Decision (EU, Euratom) 2015/2393 of
  8 December 2015, OJ L 332, 18.12.2015, p. 133, Eurostat data; the percentages, to two
  decimals, as reported by Agence Europe, Europe Daily Bulletin No 11449, 9 December
  2015). One year's figures stand for every Lisbon-era decision in DEU III (2014–2019):
  the shares move by well under a percentage point over those years. The shares are used
  in hundredths of a percent, so the 65 % threshold is 65 % of their sum (100.01 %).

Unanimity makes every member a veto player: each of ``n`` members has index ``1/n``.

The legislative game
--------------------
The Commission (``com``) and the Parliament (``ep``) join the Council's members as two
more players. A coalition wins when

* consultation (CNS), QMV: the Commission and a qualified majority of the Council, or a
  unanimous Council (the Council can amend a Commission proposal only by unanimity,
  Art. 250(1) TEC, now Art. 293(1) TFEU);
* consultation, unanimity: a unanimous Council (the Commission is a dummy: a unanimous
  Council can adopt any amendment; the Parliament is only consulted);
* codecision (COD): as under consultation, and the Parliament must also agree (Art. 251
  TEC, now Art. 294 TFEU). The conciliation stage, where the Commission's proposal no
  longer binds, is not modelled: this is a stylised a priori game, not a procedural model.

Dummies get index 0 and change no one else's index.

Method
------
Indices are exact. Council members are counted by a generating function over coalition
size and weight: ``table[k, w]`` is the number of coalitions of ``k`` members whose votes
(or population, in hundredths of a percent) sum to ``w``. The swings of a member are read
off the table of the other members, for each of the four memberships of the Commission
and Parliament; Shapley–Shubik weighs a swing by ``s! (N - s - 1)! / N!`` for a coalition
of ``s`` others among ``N`` players, Banzhaf counts it once (normalised to sum to 1, or
absolute: divided by ``2^(N-1)``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from winset.errors import InputError, show_value

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

Index = Literal["shapley", "banzhaf"]
Procedure = Literal["COD", "CNS"]
Rule = Literal["qmv", "unanimity"]

COMMISSION = "com"
PARLIAMENT = "ep"

MEMBER_NAMES: dict[str, str] = {
    "at": "Austria",
    "be": "Belgium",
    "bu": "Bulgaria",
    "cr": "Croatia",
    "cy": "Cyprus",
    "cz": "Czech Republic",
    "dk": "Denmark",
    "ee": "Estonia",
    "fi": "Finland",
    "fr": "France",
    "de": "Germany",
    "el": "Greece",
    "hu": "Hungary",
    "ie": "Ireland",
    "it": "Italy",
    "lv": "Latvia",
    "lt": "Lithuania",
    "lu": "Luxembourg",
    "mt": "Malta",
    "nl": "Netherlands",
    "pl": "Poland",
    "pt": "Portugal",
    "ro": "Romania",
    "si": "Slovenia",
    "sk": "Slovakia",
    "es": "Spain",
    "se": "Sweden",
    "uk": "United Kingdom",
}
"""Member states by their DEU III column code (``bu`` Bulgaria, ``cr`` Croatia, ``el`` Greece)."""

PRE_NICE_VOTES: dict[str, int] = {
    "de": 10, "fr": 10, "it": 10, "uk": 10, "es": 8,
    "be": 5, "el": 5, "nl": 5, "pt": 5, "at": 4, "se": 4,
    "dk": 3, "ie": 3, "fi": 3, "lu": 2,
}  # fmt: skip
"""EU-15 weighted votes, Art. 148(2) TEC (Art. 205(2) after Amsterdam): 87 votes."""

TRANSITIONAL_2004_VOTES: dict[str, int] = {
    **PRE_NICE_VOTES,
    "pl": 8, "cz": 5, "hu": 5, "ee": 3, "lv": 3, "lt": 3, "sk": 3, "si": 3, "cy": 2, "mt": 2,
}  # fmt: skip
"""EU-25 votes of 1 May – 31 October 2004, Art. 26 of the 2003 Act of Accession: 124 votes."""

NICE_VOTES: dict[str, int] = {
    "de": 29, "fr": 29, "it": 29, "uk": 29, "es": 27, "pl": 27, "ro": 14, "nl": 13,
    "be": 12, "cz": 12, "el": 12, "hu": 12, "pt": 12, "at": 10, "bu": 10, "se": 10,
    "dk": 7, "ie": 7, "lt": 7, "sk": 7, "fi": 7, "cr": 7,
    "cy": 4, "ee": 4, "lv": 4, "lu": 4, "si": 4, "mt": 3,
}  # fmt: skip
"""Nice weighted votes (EU-28; EU-25 without ro, bu, cr; EU-27 without cr)."""

POPULATION_2016_PERCENT: dict[str, float] = {
    "de": 15.93, "fr": 13.04, "uk": 12.73, "it": 12.07, "es": 9.12, "pl": 7.47,
    "ro": 3.90, "nl": 3.37, "be": 2.21, "el": 2.13, "cz": 2.05, "pt": 2.04, "hu": 1.94,
    "se": 1.92, "at": 1.69, "bu": 1.42, "dk": 1.11, "fi": 1.08, "sk": 1.06, "ie": 0.91,
    "cr": 0.83, "lt": 0.57, "si": 0.41, "lv": 0.39, "ee": 0.26, "cy": 0.17, "lu": 0.11,
    "mt": 0.08,
}  # fmt: skip
"""Share of the EU-28 population for 2016, Council Decision (EU, Euratom) 2015/2393."""

_EU25 = tuple(TRANSITIONAL_2004_VOTES)
_EU27 = (*_EU25, "bu", "ro")
_EU28 = (*_EU27, "cr")


@dataclass(frozen=True)
class Council:
    """The Council's qualified-majority rule of one treaty period.

    A coalition of members is a qualified majority when its ``weights`` sum to at least
    ``quota`` and it has at least ``min_members`` members, or (``blocking_members`` > 0)
    when fewer than ``blocking_members`` members are left outside it.
    """

    name: str
    start: dt.date
    end: dt.date
    """Last day the rule applied (inclusive)."""
    members: tuple[str, ...]
    weights: tuple[int, ...]
    """Votes, or population in hundredths of a percent (Lisbon)."""
    quota: int
    min_members: int
    blocking_members: int
    weight_kind: Literal["votes", "population"]
    source: str

    @property
    def size(self) -> int:
        """Number of members."""
        return len(self.members)

    @property
    def total(self) -> int:
        """Sum of the weights."""
        return sum(self.weights)

    def weight_of(self) -> dict[str, int]:
        """Member code → weight."""
        return dict(zip(self.members, self.weights, strict=True))

    def qualified(self, k: NDArray[np.int64], w: NDArray[np.int64]) -> BoolArray:
        """Whether coalitions of ``k`` members and weight ``w`` are a qualified majority."""
        win = (w >= self.quota) & (k >= self.min_members)
        if self.blocking_members:
            win |= (self.size - k < self.blocking_members) & (k >= self.min_members)
        return np.asarray(win, dtype=bool)


def _votes_council(
    name: str,
    start: dt.date,
    end: dt.date,
    table: Mapping[str, int],
    members: tuple[str, ...],
    quota: int,
    majority_of_members: bool,
    source: str,
) -> Council:
    return Council(
        name=name,
        start=start,
        end=end,
        members=members,
        weights=tuple(table[m] for m in members),
        quota=quota,
        min_members=len(members) // 2 + 1 if majority_of_members else 0,
        blocking_members=0,
        weight_kind="votes",
        source=source,
    )


def _lisbon() -> Council:
    members = _EU28
    weights = tuple(round(POPULATION_2016_PERCENT[m] * 100) for m in members)
    return Council(
        name="EU-28 Lisbon double majority",
        start=dt.date(2014, 11, 1),
        end=dt.date(2020, 1, 31),
        members=members,
        weights=weights,
        quota=math.ceil(0.65 * sum(weights)),
        min_members=max(15, math.ceil(0.55 * len(members))),
        blocking_members=4,
        weight_kind="population",
        source=(
            "Art. 16(4) TEU, Art. 238(3) TFEU; population shares for 2016, Council Decision "
            "(EU, Euratom) 2015/2393 (OJ L 332, 18.12.2015, p. 133)"
        ),
    )


_NICE_SOURCE = (
    "Protocol on enlargement (Treaty of Nice), Art. 3, as amended by the Acts of Accession"
)
COUNCILS: tuple[Council, ...] = (
    _votes_council(
        "EU-15 pre-Nice weighted votes",
        dt.date(1995, 1, 1),
        dt.date(2004, 4, 30),
        PRE_NICE_VOTES,
        tuple(PRE_NICE_VOTES),
        62,
        False,
        "Art. 148(2) TEC as amended by the 1994 Act of Accession (Art. 205(2) after Amsterdam)",
    ),
    _votes_council(
        "EU-25 transitional weighted votes",
        dt.date(2004, 5, 1),
        dt.date(2004, 10, 31),
        TRANSITIONAL_2004_VOTES,
        _EU25,
        88,
        False,
        "Art. 26 of the 2003 Act of Accession (OJ L 236, 23.9.2003)",
    ),
    _votes_council(
        "EU-25 Nice weighted votes",
        dt.date(2004, 11, 1),
        dt.date(2006, 12, 31),
        NICE_VOTES,
        _EU25,
        232,
        True,
        _NICE_SOURCE + " (2003 Act, Art. 12)",
    ),
    _votes_council(
        "EU-27 Nice weighted votes",
        dt.date(2007, 1, 1),
        dt.date(2013, 6, 30),
        NICE_VOTES,
        _EU27,
        255,
        True,
        _NICE_SOURCE + " (2005 Act, OJ L 157, 21.6.2005)",
    ),
    _votes_council(
        "EU-28 Nice weighted votes",
        dt.date(2013, 7, 1),
        dt.date(2014, 10, 31),
        NICE_VOTES,
        _EU28,
        260,
        True,
        _NICE_SOURCE + " (2012 Act, OJ L 112, 24.4.2012)",
    ),
    _lisbon(),
)
"""Every Council rule over 1995-01-01 … 2020-01-31, in date order."""


def council_at(day: dt.date) -> Council:
    """The Council rule in force on ``day``.

    Raises:
        InputError: If ``day`` falls outside 1 January 1995 – 31 January 2020.
    """
    for council in COUNCILS:
        if council.start <= day <= council.end:
            return council
    raise InputError(
        "a decision date between 1995-01-01 and 2020-01-31", show_value(day.isoformat())
    )


# --------------------------------------------------------------------------- indices


def _coalitions(weights: Sequence[int]) -> FloatArray:
    """``table[k, w]``: number of coalitions with ``k`` members and total weight ``w``.

    Counts are exact in float64 up to 2**53 coalitions (over 50 members).
    """
    total = int(sum(weights))
    table = np.zeros((len(weights) + 1, total + 1))
    table[0, 0] = 1.0
    for w in weights:
        shifted = np.zeros_like(table)
        shifted[1:, w:] = table[:-1, : total + 1 - w]
        table += shifted
    return table


def _ssi_coefficients(n_players: int) -> FloatArray:
    """``c[s] = s! (N - s - 1)! / N!`` for ``s = 0 … N - 1``."""
    s = np.arange(n_players, dtype=np.float64)
    log = (
        np.vectorize(math.lgamma)(s + 1)
        + np.vectorize(math.lgamma)(n_players - s)
        - math.lgamma(n_players + 1)
    )
    return np.asarray(np.exp(log), dtype=np.float64)


CouncilTest = Callable[[NDArray[np.int64], NDArray[np.int64]], BoolArray]


@dataclass(frozen=True)
class _Game:
    """A simple game: Council members with weights, plus Commission and Parliament.

    ``wins(q, u, a, b)`` maps the Council part's qualified-majority and unanimity tests
    and the Commission's (``a``) and Parliament's (``b``) membership to a win.
    """

    weights: tuple[int, ...]
    qualified: CouncilTest
    institutions: Literal["none", "CNS-qmv", "CNS-unanimity", "COD-qmv", "COD-unanimity"]
    council_rule: Rule

    @property
    def n_players(self) -> int:
        return len(self.weights) + (0 if self.institutions == "none" else 2)

    def wins(self, k: NDArray[np.int64], w: NDArray[np.int64], a: int, b: int) -> BoolArray:
        shape = np.broadcast_shapes(k.shape, w.shape)
        unanimous = np.broadcast_to(k == len(self.weights), shape)
        if self.institutions == "none":
            if self.council_rule == "unanimity":
                return unanimous
            return np.broadcast_to(self.qualified(k, w), shape)
        procedure, rule = self.institutions.split("-")
        base = (self.qualified(k, w) & bool(a)) | unanimous if rule == "qmv" else unanimous
        return np.broadcast_to(base & bool(b) if procedure == "COD" else base, shape)


def _swings(game: _Game, index: Index) -> FloatArray:
    """Raw swing totals per player: Council members in order, then com, ep if present."""
    n = len(game.weights)
    players = game.n_players
    ssi = _ssi_coefficients(players)
    inst = [(0, 0)] if game.institutions == "none" else [(0, 0), (0, 1), (1, 0), (1, 1)]
    out = np.zeros(players)
    by_weight: dict[int, float] = {}
    for i, wi in enumerate(game.weights):
        if wi in by_weight:
            out[i] = by_weight[wi]
            continue
        others = list(game.weights)
        others.pop(i)
        table = _coalitions(others)
        k = np.arange(table.shape[0], dtype=np.int64)[:, None]
        w = np.arange(table.shape[1], dtype=np.int64)[None, :]
        total = 0.0
        for a, b in inst:
            swing = game.wins(k + 1, w + wi, a, b) & ~game.wins(k, w, a, b)
            if index == "banzhaf":
                total += float(table[swing].sum())
            else:
                size = np.broadcast_to(k + a + b, swing.shape)
                total += float((table * ssi[size])[swing].sum())
        by_weight[wi] = out[i] = total
    if game.institutions != "none":
        table = _coalitions(game.weights)
        k = np.arange(n + 1, dtype=np.int64)[:, None]
        w = np.arange(table.shape[1], dtype=np.int64)[None, :]
        for player in (n, n + 1):
            total = 0.0
            for x in (0, 1):  # the other institution outside or inside the coalition
                a_in, b_in, a_out, b_out = (1, x, 0, x) if player == n else (x, 1, x, 0)
                swing = game.wins(k, w, a_in, b_in) & ~game.wins(k, w, a_out, b_out)
                if index == "banzhaf":
                    total += float(table[swing].sum())
                else:
                    size = np.broadcast_to(k + x, swing.shape)
                    total += float((table * ssi[size])[swing].sum())
            out[player] = total
    return out


def _weighted_game(weights: Sequence[int], quota: float) -> _Game:
    ws = tuple(int(w) for w in weights)
    if not ws or any(w < 0 for w in ws):
        raise InputError("one or more non-negative integer weights", show_value(list(weights)))

    def qualified(k: NDArray[np.int64], w: NDArray[np.int64]) -> BoolArray:
        return np.asarray((w >= quota) & (k >= 0), dtype=bool)

    return _Game(ws, qualified, "none", "qmv")


def shapley_shubik(weights: Sequence[int], quota: float) -> FloatArray:
    """Shapley–Shubik index of the weighted majority game ``[quota; weights]``.

    Args:
        weights: Non-negative integer weights, one per player.
        quota: Weight a coalition needs to win.

    Returns:
        Each player's index; they sum to 1 when the grand coalition wins.
    """
    return _swings(_weighted_game(weights, quota), "shapley")


def banzhaf(weights: Sequence[int], quota: float, *, normalized: bool = True) -> FloatArray:
    """Penrose–Banzhaf index of the weighted majority game ``[quota; weights]``.

    Args:
        weights: Non-negative integer weights, one per player.
        quota: Weight a coalition needs to win.
        normalized: Divide by the total number of swings (indices sum to 1); otherwise
            by ``2^(n-1)``, the absolute Penrose measure.

    Returns:
        Each player's index.
    """
    swings = _swings(_weighted_game(weights, quota), "banzhaf")
    scale = swings.sum() if normalized else 2.0 ** (len(swings) - 1)
    if scale == 0:  # no player ever swings (e.g. a quota of 0: every coalition wins)
        return np.zeros_like(swings)
    return np.asarray(swings / scale, dtype=np.float64)


@lru_cache(maxsize=64)
def _game_power(
    council: Council, procedure: Procedure | None, rule: Rule, index: Index
) -> tuple[tuple[str, float], ...]:
    institutions = "none" if procedure is None else f"{procedure}-{rule}"
    game = _Game(council.weights, council.qualified, institutions, rule)  # type: ignore[arg-type]
    swings = _swings(game, index)
    values = swings / swings.sum()
    names = council.members if procedure is None else (*council.members, COMMISSION, PARLIAMENT)
    return tuple(zip(names, (float(v) for v in values), strict=True))


def council_power(
    council: Council, *, rule: Rule = "qmv", index: Index = "shapley"
) -> dict[str, float]:
    """Each member's share of a priori power in the Council alone (shares sum to 1).

    Args:
        council: The treaty period's rule (see :func:`council_at`).
        rule: ``qmv`` (the weighted or double-majority rule) or ``unanimity``.
        index: ``shapley`` (Shapley–Shubik) or ``banzhaf`` (normalised Penrose–Banzhaf).

    Returns:
        Member code → index.
    """
    return dict(_game_power(council, None, _rule(rule), _index(index)))


def legislative_power(
    council: Council,
    *,
    procedure: Procedure,
    rule: Rule,
    index: Index = "shapley",
) -> dict[str, float]:
    """A priori power of the Council's members, the Commission and the Parliament.

    Args:
        council: The treaty period's rule (see :func:`council_at`).
        procedure: ``COD`` (codecision) or ``CNS`` (consultation).
        rule: The Council's voting rule, ``qmv`` or ``unanimity``.
        index: ``shapley`` or ``banzhaf`` (normalised).

    Returns:
        Member code, ``com`` and ``ep`` → index; the values sum to 1.
    """
    if procedure not in ("COD", "CNS"):
        raise InputError("procedure COD or CNS", show_value(procedure), path=("procedure",))
    return dict(_game_power(council, procedure, _rule(rule), _index(index)))


def _rule(rule: str) -> Rule:
    if rule not in ("qmv", "unanimity"):
        raise InputError("voting rule qmv or unanimity", show_value(rule), path=("rule",))
    return rule  # type: ignore[return-value]


def _index(index: str) -> Index:
    if index not in ("shapley", "banzhaf"):
        raise InputError("index shapley or banzhaf", show_value(index), path=("index",))
    return index  # type: ignore[return-value]


__all__ = [
    "COMMISSION",
    "COUNCILS",
    "MEMBER_NAMES",
    "NICE_VOTES",
    "PARLIAMENT",
    "POPULATION_2016_PERCENT",
    "PRE_NICE_VOTES",
    "TRANSITIONAL_2004_VOTES",
    "Council",
    "banzhaf",
    "council_at",
    "council_power",
    "legislative_power",
    "shapley_shubik",
]
