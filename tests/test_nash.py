from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar

from test_models import make_arrays
from winset.errors import InputError
from winset.models.nash import nash


def with_reference(arrays, reference):
    return dataclasses.replace(arrays, reference=np.asarray(reference, dtype=float))


def test_linear_closed_form():
    # Actors at 20 and 80, status quo 0: on (20, 40) the optimum solves w2/x = w1/(40 - x).
    arrays = with_reference(make_arrays([[1, 3]], [[[20], [80]]], [[[1], [1]]]), [[0.0]])
    assert nash(arrays, loss="linear").forecast[0, 0] == pytest.approx(30.0, abs=1e-9)
    equal = with_reference(make_arrays([[1, 1]], [[[20], [80]]], [[[1], [1]]]), [[0.0]])
    assert nash(equal, loss="linear").forecast[0, 0] == pytest.approx(20.0, abs=1e-9)


def test_quadratic_matches_scipy():
    arrays = with_reference(make_arrays([[1, 3]], [[[20], [80]]], [[[1], [1]]]), [[0.0]])

    def negative_product(x):
        return -(np.log(400 - (x - 20) ** 2) + 3 * np.log(6400 - (x - 80) ** 2))

    best = minimize_scalar(
        negative_product, bounds=(1e-9, 40 - 1e-9), method="bounded", options={"xatol": 1e-10}
    )
    assert nash(arrays).forecast[0, 0] == pytest.approx(best.x, abs=1e-6)


def test_no_deal_when_actors_sit_on_both_sides_of_the_status_quo():
    arrays = with_reference(make_arrays([[1, 1]], [[[10], [90]]], [[[1], [1]]]), [[50.0]])
    result = nash(arrays)
    assert result.forecast[0, 0] == 50.0
    assert not result.details["deal"][0, 0]


def test_bad_loss():
    arrays = make_arrays([[1, 1]], [[[10], [90]]], [[[1], [1]]])
    with pytest.raises(InputError, match="loss"):
        nash(arrays, loss="cubic")  # type: ignore[arg-type]


@st.composite
def one_sided(draw):
    """Actors all on one side of the status quo, so a deal exists."""
    n = draw(st.integers(2, 6))
    q = draw(st.floats(0, 30))
    xs = draw(st.lists(st.floats(q + 1, 100), min_size=n, max_size=n))
    ws = draw(st.lists(st.floats(0.05, 10), min_size=n, max_size=n))
    return q, xs, ws


@given(one_sided(), st.sampled_from(["linear", "quadratic"]))
@settings(max_examples=100, deadline=None)
def test_matches_a_generic_optimiser(case, loss):
    q, xs, ws = case
    k = 1 if loss == "linear" else 2
    arrays = with_reference(make_arrays([ws], [[[x] for x in xs]], [[[1.0]] * len(xs)]), [[q]])
    got = nash(arrays, loss=loss).forecast[0, 0]
    r = [abs(q - x) for x in xs]
    lower, upper = (
        max(x - ri for x, ri in zip(xs, r, strict=True)),
        min(x + ri for x, ri in zip(xs, r, strict=True)),
    )
    lower, upper = max(lower, 0), min(upper, 100)

    def objective(x):
        return -sum(
            w * np.log(ri**k - abs(x - xi) ** k) for w, xi, ri in zip(ws, xs, r, strict=True)
        )

    span = upper - lower
    best = minimize_scalar(
        objective,
        bounds=(lower + 1e-9 * span, upper - 1e-9 * span),
        method="bounded",
        options={"xatol": 1e-11},
    )
    assert objective(got) <= best.fun + 1e-7
    # Individually rational: nobody ends up further from their ideal than the status quo is.
    assert all(abs(got - x) <= ri + 1e-9 for x, ri in zip(xs, r, strict=True))
