from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import winset
from winset.errors import InputError
from winset.models import compromise, median, run
from winset.scenario import ScenarioArrays, nominal_arrays

# Models that apply to any scenario (win-sets need constituencies and reference points).
GENERIC = ("compromise", "median", "nash")


def make_arrays(capability, position, salience) -> ScenarioArrays:
    capability = np.asarray(capability, dtype=float)
    position = np.asarray(position, dtype=float)
    salience = np.asarray(salience, dtype=float)
    draws, n_actors, n_issues = position.shape
    return ScenarioArrays(
        actor_ids=tuple(f"a{k}" for k in range(n_actors)),
        issue_ids=tuple(f"i{k}" for k in range(n_issues)),
        capability=capability,
        position=position,
        salience=salience,
        reference=np.full((draws, n_issues), np.nan),
        scale_low=np.zeros(n_issues),
        scale_high=np.full(n_issues, 100.0),
        has_stance=np.ones((n_actors, n_issues), dtype=bool),
    )


def test_three_party_closed_form(three_party):
    mean = winset.forecast(three_party, "compromise").forecast[0]
    med = winset.forecast(three_party, "median").forecast[0]
    # budget: weights 60*.8=48 at 20, 30*.5=15 at 70, 10*1=10 at 100
    assert mean[0] == pytest.approx((48 * 20 + 15 * 70 + 10 * 100) / 73, rel=1e-12)
    assert med[0] == 20.0
    # oversight: 18 at 90 and 18 at 10; East has no stance there and carries no weight
    assert mean[1] == pytest.approx(50.0, rel=1e-12)
    assert med[1] == 50.0  # an exact tie: the middle of the gap


def test_median_tie_skips_zero_weight_actor():
    a = make_arrays([[1, 1, 1]], [[[10], [30], [90]]], [[[0.5], [0.0], [0.5]]])
    assert median(a).forecast[0, 0] == 50.0


def test_result_json_contract(three_party):
    data = winset.forecast(three_party, "median").to_dict()
    assert data["model"] == "median"
    assert [i["id"] for i in data["issues"]] == ["budget", "oversight"]
    assert data["issues"][0]["trajectory"] == [data["issues"][0]["forecast"]]
    assert data["actors"][1] == {"id": "south", "positions": {"budget": 70.0, "oversight": 10.0}}


def test_frames(three_party):
    result = winset.forecast(three_party, "compromise")
    assert list(result.forecast_frame().columns) == ["budget", "oversight"]
    assert result.trajectory_frame().shape == (1, 2)
    assert result.actor_frame().loc["east", "budget"] == 100.0


def test_unknown_model_is_an_input_error():
    with pytest.raises(InputError, match="expected a model name"):
        run("nope", make_arrays([[1]], [[[1]]], [[[1]]]))


def test_issue_without_weight_is_an_input_error():
    a = make_arrays([[1, 0]], [[[10], [30]]], [[[0.0], [1.0]]])
    for name in GENERIC:
        with pytest.raises(InputError, match="capability and salience above 0"):
            run(name, a)


def test_nominal_batch_of_identical_draws_gives_identical_results(three_party):
    arrays = nominal_arrays(three_party, draws=7)
    for name in GENERIC:
        forecast = run(name, arrays).forecast
        assert (forecast == forecast[0]).all()


# --- properties on random inputs -------------------------------------------------------

dims = st.tuples(st.integers(1, 4), st.integers(1, 9), st.integers(1, 3))


@st.composite
def batches(draw):
    d, a, i = draw(dims)
    position = draw(arrays(np.float64, (d, a, i), elements=st.floats(0, 100)))
    salience = draw(arrays(np.float64, (d, a, i), elements=st.floats(0.01, 1)))
    capability = draw(arrays(np.float64, (d, a), elements=st.floats(0.01, 1000)))
    return make_arrays(capability, position, salience)


def loop_mean(arr: ScenarioArrays) -> np.ndarray:
    out = np.empty((arr.draws, arr.n_issues))
    for d in range(arr.draws):
        for i in range(arr.n_issues):
            w = [arr.capability[d, a] * arr.salience[d, a, i] for a in range(arr.n_actors)]
            x = [arr.position[d, a, i] for a in range(arr.n_actors)]
            out[d, i] = sum(wk * xk for wk, xk in zip(w, x, strict=True)) / sum(w)
    return out


def brute_median(x: list[float], w: list[float]) -> float:
    """The set of weighted medians is an interval; return its middle."""
    total = sum(w)
    candidates = sorted(set(x))
    ok = [
        c
        for c in candidates
        if sum(wk for xk, wk in zip(x, w, strict=True) if xk < c) <= total / 2 * (1 + 1e-12)
        and sum(wk for xk, wk in zip(x, w, strict=True) if xk > c) <= total / 2 * (1 + 1e-12)
    ]
    return (min(ok) + max(ok)) / 2


@given(batches())
@settings(max_examples=200, deadline=None)
def test_compromise_matches_a_plain_loop(arr):
    np.testing.assert_allclose(compromise(arr).forecast, loop_mean(arr), rtol=1e-9, atol=1e-9)


@given(batches())
@settings(max_examples=200, deadline=None)
def test_median_matches_brute_force(arr):
    got = median(arr).forecast
    for d in range(arr.draws):
        for i in range(arr.n_issues):
            x = list(arr.position[d, :, i])
            w = list(arr.capability[d] * arr.salience[d, :, i])
            assert got[d, i] == pytest.approx(brute_median(x, w), abs=1e-9)


@given(batches(), st.floats(1e-3, 1e3), st.randoms())
@settings(max_examples=100, deadline=None)
def test_invariances(arr, scale, random):
    order = list(range(arr.n_actors))
    random.shuffle(order)
    scaled = make_arrays(arr.capability * scale, arr.position, arr.salience)
    shuffled = make_arrays(arr.capability[:, order], arr.position[:, order], arr.salience[:, order])
    for name in GENERIC:
        base = run(name, arr).forecast
        low = arr.position.min(axis=1) - 1e-9
        high = arr.position.max(axis=1) + 1e-9
        assert ((base >= low) & (base <= high)).all()
        np.testing.assert_allclose(run(name, scaled).forecast, base, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(run(name, shuffled).forecast, base, rtol=1e-9, atol=1e-9)


@given(batches(), st.floats(0, 100))
@settings(max_examples=50, deadline=None)
def test_actors_who_agree_fix_the_outcome(arr, x):
    agreed = make_arrays(arr.capability, np.full_like(arr.position, x), arr.salience)
    for name in GENERIC:
        np.testing.assert_allclose(run(name, agreed).forecast, x, rtol=1e-12, atol=1e-9)
