from __future__ import annotations

import math
from random import Random
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import ArrayLike

from winset.errors import InputError
from winset.models.eum import eum, perception
from winset.result import FloatArray, Result
from winset.scenario import ScenarioArrays


def make_arrays(
    capability: ArrayLike,
    position: ArrayLike,
    salience: ArrayLike,
    *,
    low: float = 0.0,
    high: float = 100.0,
) -> ScenarioArrays:
    position_ = np.asarray(position, dtype=float)
    draws, n_actors, n_issues = position_.shape
    return ScenarioArrays(
        actor_ids=tuple(f"a{k}" for k in range(n_actors)),
        issue_ids=tuple(f"i{k}" for k in range(n_issues)),
        capability=np.asarray(capability, dtype=float),
        position=position_,
        salience=np.asarray(salience, dtype=float),
        reference=np.full((draws, n_issues), np.nan),
        scale_low=np.full(n_issues, low),
        scale_high=np.full(n_issues, high),
        has_stance=np.ones((n_actors, n_issues), dtype=bool),
    )


def path(result: Result) -> FloatArray:
    """The actors' positions per round, ``[draws, rounds, actors, issues]``."""
    assert result.actor_trajectory is not None
    return result.actor_trajectory


# ---------------------------------------------------------------------------------------
# The published example: the date (years) by which emission standards for medium-sized
# cars should apply, EC 1989. Input data from Bueno de Mesquita (1994), "Political
# forecasting: an expected utility method", in Bueno de Mesquita & Stokman (eds),
# European Community Decision Making, p. 78, as reprinted in Scholz, Calbert & Smith
# (2011), "Unravelling Bueno de Mesquita's group decision model", Proceedings of ICAART
# 2011, pp. 18-30, Table 1 (p. 19). Salience is given there on 0-100.
# ---------------------------------------------------------------------------------------
EC_ACTORS = (
    # actor, capability, position (years), salience (0-100)
    ("Netherlands", 0.08, 4, 80),
    ("Belgium", 0.08, 7, 40),
    ("Luxembourg", 0.03, 4, 20),
    ("Germany", 0.16, 4, 80),
    ("France", 0.16, 10, 60),
    ("Italy", 0.16, 10, 60),
    ("UK", 0.16, 10, 90),
    ("Ireland", 0.05, 7, 10),
    ("Denmark", 0.05, 4, 100),
    ("Greece", 0.08, 7, 70),
)
# Scholz et al. (2011), Table 2 (p. 28): median and mean voter position after rounds 1-8,
# with Q = 1.0 (p. 26), one decimal.
TABLE2_MEDIAN = (8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6)
TABLE2_MEAN = (7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6)


def ec_arrays(draws: int = 1) -> ScenarioArrays:
    names = tuple(row[0] for row in EC_ACTORS)
    capability = np.array([row[1] for row in EC_ACTORS], dtype=float)
    position = np.array([row[2] for row in EC_ACTORS], dtype=float)
    salience = np.array([row[3] for row in EC_ACTORS], dtype=float) / 100
    # The scale is the range of the stated positions, x_max - x_min = 6 years (eq. 14).
    return ScenarioArrays(
        actor_ids=names,
        issue_ids=("lag",),
        capability=np.tile(capability, (draws, 1)),
        position=np.tile(position[:, None], (draws, 1, 1)),
        salience=np.tile(salience[:, None], (draws, 1, 1)),
        reference=np.full((draws, 1), np.nan),
        scale_low=np.array([4.0]),
        scale_high=np.array([10.0]),
        has_stance=np.ones((len(names), 1), dtype=bool),
    )


def test_scholz_table2_round_by_round() -> None:
    result = eum(ec_arrays(), rounds=8, tolerance=0.0)
    median = result.trajectory[0, :, 0]
    mean = result.details["mean"][0, :, 0]
    assert result.trajectory.shape == (1, 9, 1)
    # Row 0: the initial Condorcet winner / weighted median, 7 years (weight 0.341 of 0.677
    # lies at 4 or 7).
    assert median[0] == 7.0
    assert mean[0] == pytest.approx(5.003 / 0.677, abs=1e-12)
    for k in range(1, 9):
        # Table 2 prints one decimal; every value agrees within one unit of it...
        assert mean[k] == pytest.approx(TABLE2_MEAN[k - 1], abs=0.1), f"mean, round {k}"
        if k != 2:
            assert median[k] == pytest.approx(TABLE2_MEDIAN[k - 1], abs=0.1), f"round {k}"
    # ...except the median after round 2, where Belgium (the median actor) has reached
    # 9.61 and reaches 9.96 one round later; Table 2 and the text (p. 28) say 9.9. See
    # docs/models/eum.md, "The published example".
    assert median[2] == pytest.approx(9.6109, abs=1e-4)
    # Our figures, to guard the implementation (Belgium's path drives the median).
    expected_median = (7.0, 8.4159, 9.6109, 9.9620, 9.9620, 9.9620, 7.4720, 8.8246, 9.6711)
    expected_mean = (7.3900, 7.4613, 7.5525, 7.5901, 7.3581, 7.3492, 7.4149, 7.5105, 7.5724)
    np.testing.assert_allclose(median, expected_median, atol=1e-4)
    np.testing.assert_allclose(mean, expected_mean, atol=1e-4)


def test_scholz_round1_moves() -> None:
    """Round 1 as the replication has it: three actors move, everyone else stays put."""
    result = eum(ec_arrays(), rounds=1, tolerance=0.0)
    before = path(result)[0, 0, :, 0]
    after = path(result)[0, 1, :, 0]
    moved = {EC_ACTORS[a][0]: after[a] for a in range(10) if after[a] != before[a]}
    assert set(moved) == {"Belgium", "Luxembourg", "Ireland"}
    assert moved["Belgium"] == pytest.approx(8.4159, abs=1e-4)  # compromise towards France
    assert moved["Luxembourg"] == 7.0  # loses a confrontation to Belgium
    assert moved["Ireland"] == 4.0  # loses a confrontation to Luxembourg


# Scholz et al. (2011), figures 7, 8 and 10 (pp. 26-28): round-1 expected utilities, their
# computation (lower panels), read off the plots to about ±0.02. Their quadrants are those
# of Bueno de Mesquita (1994, p. 91), which Scholz et al. report matching 100%.
FIG7_BELGIUM = {  # x = E^Belgium(U_Belgium,j), y = E^Belgium(U_j,Belgium)
    "Denmark": (-0.83, 0.24),
    "UK": (-0.66, 0.24),
    "Germany": (-0.47, 0.24),
    "Netherlands": (-0.47, 0.24),
    "France": (-0.12, 0.24),
    "Italy": (-0.12, 0.24),
    "Luxembourg": (0.60, 0.24),
    "Ireland": (0.0, 0.0),
    "Greece": (0.0, 0.0),
}
FIG8_FRANCE = {
    "Denmark": (-2.00, -0.45),
    "Netherlands": (-1.22, -0.45),
    "Germany": (-1.22, -0.45),
    "Greece": (-0.41, -0.20),
    "Belgium": (0.20, -0.20),
    "Ireland": (0.80, -0.20),
    "Luxembourg": (1.14, -0.45),
    "UK": (0.0, 0.0),
    "Italy": (0.0, 0.0),
}
FIG10_LUXEMBOURG = {  # x = E^j(U_j,Luxembourg), y = E^Luxembourg(U_j,Luxembourg)
    "UK": (0.23, 2.02),
    "France": (1.14, 2.02),
    "Italy": (1.14, 2.02),
    "Ireland": (0.53, 0.54),
    "Belgium": (0.60, 0.54),
    "Greece": (0.60, 0.54),
    "Germany": (0.0, 0.0),
    "Denmark": (0.0, 0.0),
    "Netherlands": (0.0, 0.0),
}


def test_scholz_figures_7_8_10_perceptions() -> None:
    challenge, response = perception(ec_arrays())
    names = [row[0] for row in EC_ACTORS]
    at = names.index

    for viewer, figure in (("Belgium", FIG7_BELGIUM), ("France", FIG8_FRANCE)):
        for other, (x, y) in figure.items():
            got = (challenge[0, at(viewer), at(other), 0], response[0, at(viewer), at(other), 0])
            assert got == pytest.approx((x, y), abs=0.03), f"{viewer} vs {other}"
    lux = at("Luxembourg")
    for other, (x, y) in FIG10_LUXEMBOURG.items():
        got = (challenge[0, at(other), lux, 0], response[0, lux, at(other), 0])
        assert got == pytest.approx((x, y), abs=0.03), f"Luxembourg vs {other}"


def test_contest_normalisation_misses_bdm_quadrants() -> None:
    """Eq. 31 as printed puts Belgium's view all in 'conflict', unlike BDM (1994, p. 91)."""
    challenge, response = perception(ec_arrays(), probability="contest")
    belgium = 1
    others = [j for j in range(10) if EC_ACTORS[j][2] != 7]
    assert all(challenge[0, belgium, j, 0] > 0 for j in others)
    assert all(response[0, belgium, j, 0] > 0 for j in others)


def test_tolerance_stops_when_the_median_stalls() -> None:
    result = eum(ec_arrays(), rounds=10)  # default tolerance: 0.1% of the scale
    median = result.trajectory[0, :, 0]
    # Round 4 leaves the median at 9.96 (Belgium jumps, but not the median actor's place).
    assert result.details["rounds_run"][0, 0] == 4
    assert bool(result.details["converged"][0, 0])
    np.testing.assert_array_equal(median[4:], np.full(7, median[4]))
    np.testing.assert_array_equal(path(result)[0, 5:], np.repeat(path(result)[0, 4:5], 6, axis=0))
    assert result.forecast[0, 0] == pytest.approx(9.9620, abs=1e-4)


# ---------------------------------------------------------------------------------------
# Closed-form cases. Two actors at 0 and 100 on a 0-100 scale (d = 1), capabilities 1,
# Q = 1. Risk off (r = 1): U_s = 2d, U_f = -2d, U_sq = 0, so E(U_ct) = 2d (1 - 2 s_t +
# 2 s_t P_ct). Votes: each actor backs itself with w = c s; one contest has |votes|
# w1 + w2 each way, so "all_contests" divides by 2 (w1 + w2) and "contest" by w1 + w2.
# ---------------------------------------------------------------------------------------
def two_actors(s1: float, s2: float) -> ScenarioArrays:
    return make_arrays([[1.0, 1.0]], [[[0.0], [100.0]]], [[[s1], [s2]]])


def test_hand_compromise_all_contests() -> None:
    # s = (0.4, 0.8): w = (0.4, 0.8); P12 = 0.4 / 2.4 = 1/6, P21 = 0.8 / 2.4 = 1/3.
    # E12 = 2 (1 - 1.6 + 1.6/6) = -2/3 and E21 = 2 (1 - 0.8 + 0.8 * 2/3) ... = 14/15:
    # actor 0 compromises, moving |E12| / E21 = 5/7 of the way; P and the ratio do not
    # depend on the distance, so the gap shrinks by 2/7 every round. Actor 1 never moves.
    result = eum(two_actors(0.4, 0.8), rounds=5, tolerance=0.0, risk=False)
    k = np.arange(6)
    np.testing.assert_allclose(path(result)[0, :, 0, 0], 100 - 100 * (2 / 7) ** k)
    np.testing.assert_array_equal(path(result)[0, :, 1, 0], np.full(6, 100.0))
    np.testing.assert_array_equal(result.trajectory[0, :, 0], np.full(6, 100.0))  # w1 < w2
    x0 = 100 - 100 * (2 / 7) ** k
    np.testing.assert_allclose(result.details["mean"][0, :, 0], (0.4 * x0 + 80) / 1.2)


def test_hand_compromise_contest() -> None:
    # P12 = 0.4 / 1.2 = 1/3, P21 = 2/3: E12 = 2 (1 - 1.6 + 1.6/3) = -2/15,
    # E21 = 2 (1 - 0.8 + 0.8 * 2/3) = 22/15; actor 0 moves 1/11 of the way each round.
    result = eum(two_actors(0.4, 0.8), rounds=4, tolerance=0.0, risk=False, probability="contest")
    k = np.arange(5)
    np.testing.assert_allclose(path(result)[0, :, 0, 0], 100 - 100 * (10 / 11) ** k)


def test_hand_capitulation() -> None:
    # s = (0.5, 1.0): P12 = 0.5 / 3 = 1/6, P21 = 1/3; E12 = 2 (1 - 2 + 2/6) = -4/3,
    # E21 = 2 (1 - 1 + 1/3) = 2/3: |E12| > E21, so actor 0 gives in and moves to 100.
    result = eum(two_actors(0.5, 1.0), rounds=3, tolerance=0.0, risk=False)
    np.testing.assert_array_equal(path(result)[0, :, 0, 0], [0.0, 100.0, 100.0, 100.0])


def test_hand_confrontation() -> None:
    # s = (0.1, 0.2): P12 = 1/6, P21 = 1/3; E12 = 2 (1 - 0.4 + 0.4/6) = 4/3,
    # E21 = 2 (1 - 0.2 + 0.2 * 2/3) = 26/15 > E12 > 0: actor 0 loses the confrontation.
    result = eum(two_actors(0.1, 0.2), rounds=1, tolerance=0.0, risk=False)
    np.testing.assert_array_equal(path(result)[0, 1, :, 0], [100.0, 100.0])


def test_hand_risk_exponents_and_moves() -> None:
    # Risk on, s = (0.4, 0.8). Security sums with r = 1: S_0 = E21 = 14/15 (the largest,
    # so R_0 = 1 and r_0 = (1 - 1/3) / (1 + 1/3) = 0.5) and S_1 = E12 = -2/3 (R_1 = -1,
    # r_1 = 2). With d = 1: U_s = 2, U_f = -2 whatever r; U_sq = 2 - 4 * 0.5**r.
    arrays = two_actors(0.4, 0.8)
    result = eum(arrays, rounds=1, tolerance=0.0)
    np.testing.assert_allclose(result.details["risk_exponent"][0, 0, :, 0], [0.5, 2.0])
    p12, p21 = 1 / 6, 1 / 3
    usq0, usq1 = 2 - 4 * 0.5**0.5, 2 - 4 * 0.5**2
    e12_by_0 = 0.8 * (2 * p12 - 2 * (1 - p12)) + 0.2 * 2 - usq0  # 2√2 - 8/3 ≈ 0.162
    e21_by_0 = 0.4 * (2 * p21 - 2 * (1 - p21)) + 0.6 * 2 - usq0  # ≈ 1.762
    e21_by_1 = 0.4 * (2 * p21 - 2 * (1 - p21)) + 0.6 * 2 - usq1  # -1/15
    e12_by_1 = 0.8 * (2 * p12 - 2 * (1 - p12)) + 0.2 * 2 - usq1  # -5/3
    assert e12_by_0 == pytest.approx(2 * math.sqrt(2) - 8 / 3)
    challenge, response = perception(arrays)
    np.testing.assert_allclose(challenge[0, :, :, 0], [[0, e12_by_0], [e21_by_1, 0]])
    np.testing.assert_allclose(response[0, :, :, 0], [[0, e21_by_0], [e12_by_1, 0]])
    # Mover 0 sees 0 < E12 < E21: it loses a confrontation. Mover 1 sees both negative.
    np.testing.assert_array_equal(path(result)[0, 1, :, 0], [100.0, 100.0])
    # Judged each by its own estimate, 0 sees E21 < 0 < E12 (stays) and 1 sees
    # E21 = -1/15 < 0 < E12 = 0.162 with |E21| < E12: it compromises towards 0.
    own = eum(arrays, rounds=1, tolerance=0.0, perspective="own")
    share = (1 / 15) / e12_by_0
    np.testing.assert_allclose(path(own)[0, 1, :, 0], [0.0, 100 * (1 - share)])


def test_three_actors_least_move_and_enforceable_choices() -> None:
    # Actor 1 (s = 0.1) sits between actor 0 at 0 (s = 0.2) and actor 2 at 90 (s = 0.2).
    arrays = make_arrays([[1.0, 1.0, 1.0]], [[[0.0], [40.0], [90.0]]], [[[0.2], [0.1], [0.2]]])
    challenge, response = perception(arrays, risk=False)
    # Against both neighbours actor 1 expects less than they expect against it, both > 0:
    # it would lose either confrontation. Actor 2 expects more from it (0.81 > 0.65).
    for j in (0, 2):
        assert 0 < challenge[0, 1, j, 0] < response[0, 1, j, 0]
    assert response[0, 1, 2, 0] > response[0, 1, 0, 0]
    least = eum(arrays, rounds=1, tolerance=0.0, risk=False, choice="least_move")
    enforce = eum(arrays, rounds=1, tolerance=0.0, risk=False, choice="enforceable")
    scholz = eum(arrays, rounds=1, tolerance=0.0, risk=False)
    assert path(least)[0, 1, 1, 0] == 0.0  # the nearer proposer (40 < 50 away)
    assert path(scholz)[0, 1, 1, 0] == 0.0  # confrontations: the nearest
    assert path(enforce)[0, 1, 1, 0] == 90.0  # the proposer expecting most


# ---------------------------------------------------------------------------------------
# Invariants.
# ---------------------------------------------------------------------------------------
OPTIONS = st.fixed_dictionaries(
    {
        "q": st.sampled_from([1.0, 0.5]),
        "risk": st.booleans(),
        "probability": st.sampled_from(["all_contests", "contest"]),
        "perspective": st.sampled_from(["mover", "own"]),
        "choice": st.sampled_from(["scholz", "least_move", "enforceable"]),
    }
)


@st.composite
def scenarios(draw: st.DrawFn, max_draws: int = 2) -> ScenarioArrays:
    draws = draw(st.integers(1, max_draws))
    n_actors = draw(st.integers(2, 6))
    n_issues = draw(st.integers(1, 2))
    low = draw(st.sampled_from([0.0, -5.0, 1990.0]))
    width = draw(st.sampled_from([1.0, 10.0, 100.0]))
    unit = st.floats(0.0, 1.0, allow_nan=False)
    position = np.array(
        draw(
            st.lists(
                unit, min_size=draws * n_actors * n_issues, max_size=draws * n_actors * n_issues
            )
        )
    ).reshape(draws, n_actors, n_issues)
    salience = np.array(
        draw(
            st.lists(
                st.floats(0.05, 1.0, allow_nan=False),
                min_size=draws * n_actors * n_issues,
                max_size=draws * n_actors * n_issues,
            )
        )
    ).reshape(draws, n_actors, n_issues)
    capability = np.array(
        draw(
            st.lists(
                st.floats(0.1, 100.0, allow_nan=False),
                min_size=draws * n_actors,
                max_size=draws * n_actors,
            )
        )
    ).reshape(draws, n_actors)
    return make_arrays(capability, low + width * position, salience, low=low, high=low + width)


@settings(max_examples=60, deadline=None)
@given(scenarios(), OPTIONS)
def test_positions_stay_on_the_scale(arrays: ScenarioArrays, options: dict[str, Any]) -> None:
    result = eum(arrays, rounds=6, tolerance=0.0, **options)
    low = arrays.scale_low[None, None, None, :]
    high = arrays.scale_high[None, None, None, :]
    for values in (path(result), result.trajectory[:, :, None, :]):
        assert np.isfinite(values).all()
        assert (values >= low).all() and (values <= high).all()
    r = result.details["risk_exponent"]
    assert np.isfinite(r).all() and (r >= 0.5 - 1e-12).all() and (r <= 2 + 1e-12).all()


@settings(max_examples=60, deadline=None)
@given(scenarios(), OPTIONS, st.randoms(use_true_random=False))
def test_relabelling_actors_changes_nothing(
    arrays: ScenarioArrays, options: dict[str, Any], random: Random
) -> None:
    order = list(range(arrays.n_actors))
    random.shuffle(order)
    permuted = make_arrays(
        arrays.capability[:, order],
        arrays.position[:, order],
        arrays.salience[:, order],
        low=arrays.scale_low[0],
        high=arrays.scale_high[0],
    )
    base = eum(arrays, rounds=5, tolerance=0.0, **options)
    other = eum(permuted, rounds=5, tolerance=0.0, **options)
    np.testing.assert_allclose(other.trajectory, base.trajectory, rtol=0, atol=1e-9)
    np.testing.assert_allclose(path(other), path(base)[:, :, order], rtol=0, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(scenarios(), OPTIONS, st.floats(1e-3, 1e3))
def test_scaling_capability_changes_nothing(
    arrays: ScenarioArrays, options: dict[str, Any], factor: float
) -> None:
    scaled = make_arrays(
        arrays.capability * factor,
        arrays.position,
        arrays.salience,
        low=arrays.scale_low[0],
        high=arrays.scale_high[0],
    )
    base = eum(arrays, rounds=5, tolerance=0.0, **options)
    other = eum(scaled, rounds=5, tolerance=0.0, **options)
    np.testing.assert_allclose(path(other), path(base), rtol=0, atol=1e-9)
    np.testing.assert_allclose(other.trajectory, base.trajectory, rtol=0, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(scenarios(), OPTIONS, st.floats(0.0, 1.0))
def test_actors_who_all_agree_never_move(
    arrays: ScenarioArrays, options: dict[str, Any], where: float
) -> None:
    agreed = np.broadcast_to(
        arrays.scale_low + where * (arrays.scale_high - arrays.scale_low), arrays.position.shape
    )
    same = make_arrays(
        arrays.capability,
        agreed,
        arrays.salience,
        low=arrays.scale_low[0],
        high=arrays.scale_high[0],
    )
    result = eum(same, rounds=4, tolerance=0.0, **options)
    np.testing.assert_array_equal(
        path(result), np.broadcast_to(agreed[:, None], path(result).shape)
    )
    np.testing.assert_array_equal(
        result.trajectory, np.broadcast_to(agreed[:, :1, :], result.trajectory.shape)
    )


@settings(max_examples=40, deadline=None)
@given(scenarios(max_draws=1), OPTIONS, st.integers(2, 5))
def test_identical_draws_give_identical_results(
    arrays: ScenarioArrays, options: dict[str, Any], copies: int
) -> None:
    batch = make_arrays(
        np.repeat(arrays.capability, copies, axis=0),
        np.repeat(arrays.position, copies, axis=0),
        np.repeat(arrays.salience, copies, axis=0),
        low=arrays.scale_low[0],
        high=arrays.scale_high[0],
    )
    single = eum(arrays, rounds=5, **options)
    result = eum(batch, rounds=5, **options)
    for k in range(copies):
        np.testing.assert_array_equal(result.trajectory[k], single.trajectory[0])
        np.testing.assert_array_equal(path(result)[k], path(single)[0])


def test_issues_are_bargained_independently() -> None:
    rng = np.random.default_rng(7)
    capability = rng.uniform(1, 10, (2, 5))
    position = rng.uniform(0, 100, (2, 5, 3))
    salience = rng.uniform(0.1, 1, (2, 5, 3))
    together = eum(make_arrays(capability, position, salience), rounds=6)
    for i in range(3):
        alone = eum(
            make_arrays(capability, position[:, :, i : i + 1], salience[:, :, i : i + 1]), rounds=6
        )
        np.testing.assert_array_equal(together.trajectory[:, :, i], alone.trajectory[:, :, 0])
        np.testing.assert_array_equal(path(together)[:, :, :, i], path(alone)[:, :, :, 0])


@pytest.mark.parametrize("q", [1.0, 0.5])
def test_draws_that_settle_early_match_their_runs_alone(q: float) -> None:
    # Rows whose median stops moving leave the computation; the others must not notice.
    rng = np.random.default_rng(11)
    capability = rng.uniform(1, 10, (12, 7))
    position = rng.choice([0.0, 20.0, 50.0, 80.0, 95.0], (12, 7, 1)) + rng.uniform(0, 5, (12, 7, 1))
    salience = rng.uniform(0.1, 1, (12, 7, 1))
    together = eum(make_arrays(capability, position, salience), rounds=8, q=q)
    assert len(set(together.details["rounds_run"].ravel().tolist())) > 1
    for k in range(12):
        alone = eum(
            make_arrays(capability[k : k + 1], position[k : k + 1], salience[k : k + 1]),
            rounds=8,
            q=q,
        )
        np.testing.assert_array_equal(together.trajectory[k], alone.trajectory[0])
        np.testing.assert_array_equal(path(together)[k], path(alone)[0])
        np.testing.assert_array_equal(
            together.details["risk_exponent"][k], alone.details["risk_exponent"][0]
        )
        assert together.details["rounds_run"][k, 0] == alone.details["rounds_run"][0, 0]


def test_actor_without_stance_takes_no_part() -> None:
    # Actor 2 has no stance (salience 0, placed mid-scale): it neither moves nor pulls.
    with_idle = make_arrays([[1.0, 1.0, 5.0]], [[[0.0], [100.0], [50.0]]], [[[0.4], [0.8], [0.0]]])
    without = two_actors(0.4, 0.8)
    a = eum(with_idle, rounds=4, tolerance=0.0)
    b = eum(without, rounds=4, tolerance=0.0)
    np.testing.assert_allclose(path(a)[0, :, :2], path(b)[0])
    np.testing.assert_array_equal(path(a)[0, :, 2, 0], np.full(5, 50.0))


def test_result_contract() -> None:
    result = eum(ec_arrays(draws=3), rounds=3, tolerance=0.0)
    assert result.model == "eum"
    assert result.trajectory.shape == (3, 4, 1)
    assert path(result).shape == (3, 4, 10, 1)
    assert result.actor_positions.shape == (3, 10, 1)
    np.testing.assert_array_equal(result.actor_positions, path(result)[:, -1])
    assert result.details["risk_exponent"].shape == (3, 3, 10, 1)
    assert result.params["q"] == 1.0 and result.params["choice"] == "scholz"
    zero = eum(ec_arrays(), rounds=0)
    assert zero.trajectory.shape == (1, 1, 1) and zero.forecast[0, 0] == 7.0


# ---------------------------------------------------------------------------------------
# Bad input.
# ---------------------------------------------------------------------------------------
def test_one_actor_is_refused() -> None:
    with pytest.raises(InputError) as info:
        eum(make_arrays([[1.0]], [[[10.0]]], [[[0.5]]]))
    assert "expected at least two actors, got 1" in str(info.value)


def test_all_saliences_zero_on_an_issue_is_refused() -> None:
    arrays = make_arrays([[1.0, 2.0]], [[[10.0, 5.0], [20.0, 6.0]]], [[[0.5, 0.0], [0.5, 0.0]]])
    with pytest.raises(InputError) as info:
        eum(arrays)
    assert info.value.path == ("issues", "i1")
    assert "capability and salience above 0" in info.value.expected


@pytest.mark.parametrize("high", [10.0, 5.0, float("nan")])
def test_degenerate_scale_is_refused(high: float) -> None:
    arrays = make_arrays([[1.0, 1.0]], [[[10.0], [10.0]]], [[[0.5], [0.5]]], low=10.0, high=high)
    with pytest.raises(InputError) as info:
        eum(arrays)
    assert info.value.path == ("issues", "i0", "scale")
    assert "high end is above its low end" in str(info.value)


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("position", float("nan"), "position"),
        ("position", 101.0, "position"),
        ("salience", 1.5, "salience"),
        ("capability", -1.0, "capability"),
    ],
)
def test_bad_values_are_refused(field: str, value: float, where: str) -> None:
    capability = np.array([[1.0, 1.0]])
    position = np.array([[[10.0], [20.0]]])
    salience = np.array([[[0.5], [0.5]]])
    target = {"capability": capability, "position": position, "salience": salience}[field]
    target.flat[1] = value
    with pytest.raises(InputError) as info:
        eum(make_arrays(capability, position, salience))
    assert info.value.path[-1] == where
    assert info.value.path[1] == "a1"


@pytest.mark.parametrize(
    "options",
    [
        {"q": 1.5},
        {"t": -0.1},
        {"rounds": -1},
        {"rounds": 2.5},
        {"tolerance": -1.0},
        {"probability": "pairwise"},
        {"perspective": "judge"},
        {"choice": "best"},
    ],
)
def test_bad_options_are_refused(options: dict[str, Any]) -> None:
    with pytest.raises(InputError) as info:
        eum(ec_arrays(), **options)
    assert info.value.path == (next(iter(options)),)


def test_never_nan_on_awkward_but_valid_input() -> None:
    # Zero capabilities but one, salience at the bounds, actors on the scale's ends.
    arrays = make_arrays(
        [[0.0, 0.0, 3.0, 0.0]],
        [[[0.0], [100.0], [100.0], [0.0]]],
        [[[1.0], [1.0], [0.0001], [1.0]]],
    )
    for q in (1.0, 0.0):
        result = eum(arrays, rounds=5, q=q, t=None)
        assert np.isfinite(path(result)).all()
        assert np.isfinite(result.trajectory).all()
        assert np.isfinite(result.details["mean"]).all()
