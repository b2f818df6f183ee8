"""Council voting weights and power indices: closed forms, brute force, published values."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import numpy as np
import pytest

from winset.backtest.power import (
    COMMISSION,
    COUNCILS,
    NICE_VOTES,
    PARLIAMENT,
    POPULATION_2016_PERCENT,
    PRE_NICE_VOTES,
    Council,
    banzhaf,
    council_at,
    council_power,
    legislative_power,
    shapley_shubik,
)
from winset.errors import InputError

# ----------------------------------------------------------------------------- brute force


def brute_shapley(n: int, wins) -> np.ndarray:
    """Shapley–Shubik by enumerating every ordering (small n only)."""
    pivots = np.zeros(n)
    for order in itertools.permutations(range(n)):
        members: set[int] = set()
        for player in order:
            members.add(player)
            if wins(frozenset(members)):
                pivots[player] += 1
                break
    return pivots / math.factorial(n)


def brute_banzhaf(n: int, wins) -> np.ndarray:
    """Raw swing counts by enumerating every coalition."""
    swings = np.zeros(n)
    for size in range(n + 1):
        for coalition in itertools.combinations(range(n), size):
            s = frozenset(coalition)
            if not wins(s):
                continue
            for player in s:
                if not wins(s - {player}):
                    swings[player] += 1
    return swings


def weighted(weights, quota):
    return lambda s: sum(weights[i] for i in s) >= quota


# ----------------------------------------------------------------------------- closed forms


def test_three_player_game_closed_form():
    # [3; 2, 1, 1]: the big player is pivotal in 4 of 6 orderings; swings 3, 1, 1.
    assert shapley_shubik([2, 1, 1], 3) == pytest.approx([2 / 3, 1 / 6, 1 / 6])
    assert banzhaf([2, 1, 1], 3) == pytest.approx([3 / 5, 1 / 5, 1 / 5])
    assert banzhaf([2, 1, 1], 3, normalized=False) == pytest.approx([3 / 4, 1 / 4, 1 / 4])


def test_dictator_dummy_and_symmetric_games():
    assert shapley_shubik([5, 1, 1], 5) == pytest.approx([1, 0, 0])
    assert banzhaf([5, 1, 1], 5) == pytest.approx([1, 0, 0])
    assert shapley_shubik([1, 1, 1, 1], 3) == pytest.approx([0.25] * 4)
    # [50; 49, 49, 2]: any two players win, all three are equal.
    assert shapley_shubik([49, 49, 2], 50) == pytest.approx([1 / 3] * 3)
    assert banzhaf([0, 0], 0) == pytest.approx([0, 0])  # everyone always wins: no swings


@pytest.mark.parametrize("seed", range(12))
def test_indices_match_brute_force_on_random_games(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 7))
    weights = [int(w) for w in rng.integers(0, 12, n)]
    quota = int(rng.integers(1, max(2, sum(weights) + 1)))
    wins = weighted(weights, quota)
    assert shapley_shubik(weights, quota) == pytest.approx(brute_shapley(n, wins))
    raw = brute_banzhaf(n, wins)
    assert banzhaf(weights, quota, normalized=False) == pytest.approx(raw / 2 ** (n - 1))
    if raw.sum():
        assert banzhaf(weights, quota) == pytest.approx(raw / raw.sum())


# ----------------------------------------------------------------------------- published values

EU15_ORDER = (
    "de",
    "es",
    "be",
    "at",
    "dk",
    "lu",
)  # one member of each weight class: 10, 8, 5, 4, 3, 2
# Felsenthal & Machover (1998), The Measurement of Voting Power, Edward Elgar: the EU-15
# qualified-majority game [62; 10, 10, 10, 10, 8, 5, 5, 5, 5, 4, 4, 3, 3, 3, 2] (1995–2004),
# Shapley–Shubik index and relative (normalised) Banzhaf index, to four decimals.
EU15_SHAPLEY = (0.1167, 0.0955, 0.0552, 0.0454, 0.0353, 0.0207)
EU15_BANZHAF = (0.1116, 0.0924, 0.0587, 0.0479, 0.0359, 0.0226)


def test_eu15_matches_published_values():
    council = council_at(dt.date(2000, 1, 1))
    ss = council_power(council, index="shapley")
    bz = council_power(council, index="banzhaf")
    assert [round(ss[m], 4) for m in EU15_ORDER] == list(EU15_SHAPLEY)
    assert [round(bz[m], 4) for m in EU15_ORDER] == list(EU15_BANZHAF)


def test_eu15_matches_brute_force():
    weights = list(PRE_NICE_VOTES.values())
    raw = brute_banzhaf(15, weighted(weights, 62))
    assert banzhaf(weights, 62) == pytest.approx(raw / raw.sum(), abs=1e-12)
    assert banzhaf(weights, 62, normalized=False) == pytest.approx(raw / 2**14, abs=1e-12)


def test_nice_eu27_against_monte_carlo():
    """An independent estimate: swing frequencies over 200,000 random coalitions."""
    council = council_at(dt.date(2008, 1, 1))
    assert council.total == 345 and council.quota == 255 and council.min_members == 14
    exact = council_power(council, index="banzhaf")
    rng = np.random.default_rng(1)
    weights = np.array(council.weights)
    others = rng.random((200_000, council.size)) < 0.5
    swings = np.zeros(council.size)
    for i in range(council.size):
        with_i, without_i = others.copy(), others.copy()
        with_i[:, i], without_i[:, i] = True, False

        def wins(c):
            return (c @ weights >= council.quota) & (c.sum(axis=1) >= council.min_members)

        swings[i] = (wins(with_i) & ~wins(without_i)).mean()
    estimate = swings / swings.sum()
    assert [exact[m] for m in council.members] == pytest.approx(estimate, abs=0.002)
    # Pinned exact values (Germany 7.78 %, Spain and Poland 7.42 %), cross-checked above.
    assert exact["de"] == pytest.approx(0.0778, abs=5e-5)
    assert exact["pl"] == exact["es"] == pytest.approx(0.0742, abs=5e-5)


# ----------------------------------------------------------------------------- treaties


@pytest.mark.parametrize(
    ("day", "name", "total", "quota", "size"),
    [
        (dt.date(1996, 1, 1), "EU-15 pre-Nice", 87, 62, 15),
        (dt.date(2004, 4, 30), "EU-15 pre-Nice", 87, 62, 15),
        (dt.date(2004, 5, 1), "EU-25 transitional", 124, 88, 25),
        (dt.date(2004, 11, 1), "EU-25 Nice", 321, 232, 25),
        (dt.date(2007, 1, 1), "EU-27 Nice", 345, 255, 27),
        (dt.date(2013, 7, 1), "EU-28 Nice", 352, 260, 28),
        (dt.date(2014, 11, 1), "EU-28 Lisbon", 10001, 6501, 28),
    ],
)
def test_council_in_force(day, name, total, quota, size):
    council = council_at(day)
    assert council.name.startswith(name)
    assert (council.total, council.quota, council.size) == (total, quota, size)


def test_councils_cover_1995_to_2020_without_gaps():
    for before, after in itertools.pairwise(COUNCILS):
        assert after.start == before.end + dt.timedelta(days=1)
    with pytest.raises(InputError, match="decision date between 1995-01-01 and 2020-01-31"):
        council_at(dt.date(1990, 1, 1))


def test_vote_tables():
    assert sum(PRE_NICE_VOTES.values()) == 87
    assert sum(NICE_VOTES.values()) == 352
    assert sum(POPULATION_2016_PERCENT.values()) == pytest.approx(100.01)


def test_lisbon_double_majority_and_blocking_minority():
    council = council_at(dt.date(2016, 6, 1))
    assert council.min_members == 16 and council.blocking_members == 4
    k = np.array([15, 16, 25, 25])
    w = np.array([9000, 6501, 5000, 6500])
    # 15 members are too few however populous; 16 members with 65 % pass; 25 members pass
    # whatever their population, as the three left outside are too few to block.
    assert council.qualified(k, w).tolist() == [False, True, True, True]
    assert council.qualified(np.array([24]), np.array([6500])).tolist() == [False]


def test_lisbon_power_follows_population():
    council = council_at(dt.date(2016, 6, 1))
    power = council_power(council, index="banzhaf")
    assert sum(power.values()) == pytest.approx(1.0)
    ranked = sorted(council.members, key=lambda m: POPULATION_2016_PERCENT[m], reverse=True)
    assert power[ranked[0]] == max(power.values())  # Germany
    assert power[ranked[-1]] == min(power.values())  # Malta


def test_unanimity_gives_everyone_the_same_power():
    council = council_at(dt.date(2008, 1, 1))
    for index in ("shapley", "banzhaf"):
        power = council_power(council, rule="unanimity", index=index)
        assert list(power.values()) == pytest.approx([1 / 27] * 27)


# ----------------------------------------------------------------------------- legislative game


def small_council() -> Council:
    return Council(
        name="test",
        start=dt.date(2000, 1, 1),
        end=dt.date(2000, 12, 31),
        members=("a", "b", "c"),
        weights=(3, 2, 1),
        quota=4,
        min_members=0,
        blocking_members=0,
        weight_kind="votes",
        source="test",
    )


@pytest.mark.parametrize("procedure", ["COD", "CNS"])
@pytest.mark.parametrize("rule", ["qmv", "unanimity"])
def test_legislative_game_matches_brute_force(procedure, rule):
    council = small_council()
    com, ep = 3, 4

    def wins(s):
        council_part = [i for i in s if i < 3]
        qualified = sum(council.weights[i] for i in council_part) >= council.quota
        unanimous = len(council_part) == 3
        base = ((com in s) and qualified) or unanimous if rule == "qmv" else unanimous
        return base and (ep in s) if procedure == "COD" else base

    expected_ss = brute_shapley(5, wins)
    raw = brute_banzhaf(5, wins)
    names = ("a", "b", "c", COMMISSION, PARLIAMENT)
    ss = legislative_power(council, procedure=procedure, rule=rule, index="shapley")
    bz = legislative_power(council, procedure=procedure, rule=rule, index="banzhaf")
    assert [ss[n] for n in names] == pytest.approx(expected_ss)
    assert [bz[n] for n in names] == pytest.approx(raw / raw.sum())


def test_institutions_by_procedure_and_rule():
    council = council_at(dt.date(2000, 1, 1))
    cns_unan = legislative_power(council, procedure="CNS", rule="unanimity")
    assert cns_unan[COMMISSION] == cns_unan[PARLIAMENT] == 0.0
    cod_unan = legislative_power(council, procedure="COD", rule="unanimity")
    assert cod_unan[PARLIAMENT] == pytest.approx(1 / 16)  # one more veto player
    cns_qmv = legislative_power(council, procedure="CNS", rule="qmv")
    assert cns_qmv[PARLIAMENT] == 0.0 and cns_qmv[COMMISSION] > cns_qmv["de"]
    for power in (cns_unan, cod_unan, cns_qmv):
        assert sum(power.values()) == pytest.approx(1.0)


def test_bad_arguments_are_input_errors():
    council = council_at(dt.date(2000, 1, 1))
    with pytest.raises(InputError, match="procedure COD or CNS"):
        legislative_power(council, procedure="OLP", rule="qmv")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="voting rule"):
        council_power(council, rule="majority")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="index shapley or banzhaf"):
        council_power(council, index="deegan")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="non-negative integer weights"):
        banzhaf([], 1)
