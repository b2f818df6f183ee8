from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from scipy import stats

from winset.errors import InputError
from winset.scenario import (
    Quantity,
    Scenario,
    arrays_from_unit,
    nominal_arrays,
    sample_arrays,
    uncertain_inputs,
)
from winset.scenario.arrays import inverse_cdf
from winset.scenario.yaml_format import dump_yaml, load_yaml_text


def test_quantity_forms():
    assert Quantity.model_validate(5).distribution == "point"
    assert Quantity.model_validate({"low": 2, "high": 4}).nominal == 3
    tri = Quantity.model_validate({"low": 2, "mode": 3.5, "high": 4})
    assert (tri.distribution, tri.nominal) == ("triangular", 3.5)
    assert Quantity.model_validate({"value": 3, "low": 2, "high": 9}).nominal == 3
    for bad in (
        {"low": 5, "high": 1},
        {"low": 1},
        {"mode": 3},
        {"value": 9, "low": 1, "high": 2},
        {},
        True,
        "x",
        {"value": float("nan")},
    ):
        with pytest.raises(ValidationError):
            Quantity.model_validate(bad)


def test_arrays_shapes_and_units(three_party):
    arr = nominal_arrays(three_party, draws=3)
    assert arr.position.shape == (3, 3, 2)
    assert arr.capability.shape == (3, 3)
    assert arr.actor_ids == ("north", "south", "east")
    assert arr.salience[0, 0, 0] == 0.8  # 80 on file, a fraction in arrays
    assert arr.has_stance[2, 1] == np.False_  # east has no stance on oversight
    assert arr.salience[0, 2, 1] == 0.0
    assert arr.reference[0, 0] == 0.0 and np.isnan(arr.reference[0, 1])


def test_uncertain_inputs_and_sampling(three_party):
    names = [u.name for u in uncertain_inputs(three_party)]
    assert names == ["actors[0].capability", "actors[1].stances.budget.position"]
    first = sample_arrays(three_party, 1000, rng=42)
    again = sample_arrays(three_party, 1000, rng=np.random.default_rng(42))
    np.testing.assert_array_equal(first.position, again.position)
    cap = first.capability[:, 0]
    assert cap.min() >= 40 and cap.max() <= 80
    assert abs(cap.mean() - 60) < 2  # uniform(40, 80): sd of the mean 0.37
    south = first.position[:, 1, 0]
    assert south.min() >= 60 and south.max() <= 90
    assert (first.capability[:, 1] == 30).all()  # a point stays fixed


@given(st.floats(0, 1))
def test_triangular_inverse_cdf_matches_scipy(u):
    q = Quantity(low=10, mode=25, high=70)
    expected = stats.triang(c=(25 - 10) / 60, loc=10, scale=60).ppf(u)
    assert inverse_cdf(q, np.array([u]))[0] == pytest.approx(expected, abs=1e-9)


def test_unit_sample_drives_arrays(three_party):
    unit = np.array([[0.0, 0.0], [1.0, 1.0], [0.5, 0.5]])
    arr = arrays_from_unit(three_party, unit)
    assert list(arr.capability[:, 0]) == [40, 80, 60]
    assert list(arr.position[:, 1, 0]) == [60, 90, pytest.approx(90 - np.sqrt(0.5 * 30 * 20))]
    with pytest.raises(ValueError, match="unit sample"):
        arrays_from_unit(three_party, np.zeros((2, 5)))


def test_yaml_round_trip(three_party):
    text = dump_yaml(three_party)
    assert load_yaml_text(text, "again.yaml") == three_party
    assert "capability: 10\n" in text  # points stay bare numbers


def test_unsourced(three_party):
    unsourced = three_party.unsourced()
    assert ("actors", 0, "capability") not in unsourced
    assert ("actors", 2, "capability") in unsourced


BASE = """title: t
issues:
  - id: a
actors:
  - id: x
    capability: 1
    stances:
      a: {position: 20, salience: 50}
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            BASE.replace("capability: 1", "capability: -5"),
            "bad.yaml:6: actors[0].capability: expected a value ≥ 0, got -5",
        ),
        (
            BASE.replace("position: 20", "position: 140"),
            "bad.yaml:8: actors[0].stances.a.position: expected a position on the issue's "
            "scale [0, 100], got 140",
        ),
        (
            BASE.replace("salience: 50", "salience: 101"),
            "bad.yaml:8: actors[0].stances.a.salience: expected a value in [0, 100], got 101",
        ),
        (
            BASE.replace("      a: {", "      b: {"),
            "bad.yaml:8: actors[0].stances.b: expected an issue declared under 'issues' (a), got 'b'",
        ),
        (
            BASE + "  - id: x\n    capability: 2\n",
            "bad.yaml:9: actors[1].id: expected ids unique within 'actors', got 'x' a second time",
        ),
        (
            BASE.replace("title: t", "title: t\ncolour: red"),
            "bad.yaml:2: colour: expected only known fields, got unknown field 'colour'",
        ),
        (
            BASE.replace("    capability: 1\n", ""),
            "bad.yaml:5: actors[0].capability: expected this field, got nothing",
        ),
        (
            BASE.replace("position: 20", "position: {low: 30, high: 10}"),
            "bad.yaml:8: actors[0].stances.a.position.low: expected low ≤ high, got low 30 > high 10",
        ),
        (
            BASE.replace("title: t", "title: t\ntitle: u"),
            "bad.yaml:2: expected each key once per mapping, got 'title' twice",
        ),
        (BASE.replace("capability: 1", "capability: [1"), "bad.yaml:7: expected valid YAML"),
        ("- 1\n", "bad.yaml:1: expected a mapping with 'title', 'issues' and 'actors', got list"),
        (
            BASE.replace("capability: 1", "capability: 1\n    constituency_of: nobody"),
            "bad.yaml:7: actors[0].constituency_of: expected the id of a declared actor, got 'nobody'",
        ),
        (
            BASE.replace(
                "salience: 50}", "salience: {value: 50, evidence: [{source: nowhere, claim: c}]}}"
            ),
            "bad.yaml:8: actors[0].stances.a.salience.evidence[0].source: expected a source id",
        ),
        (
            BASE.replace("salience: 50", "salience: 0"),
            "bad.yaml:3: issues[0]: expected at least one actor with capability and salience above 0",
        ),
    ],
)
def test_bad_yaml_gives_one_located_line(text, message):
    with pytest.raises(InputError) as caught:
        load_yaml_text(text, "bad.yaml")
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_alias_bomb_is_refused_quickly():
    bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join(["*" + chr(97 + i)] * 10) + "]\n"
        for i in range(9)
    )
    with pytest.raises(InputError, match="at most 1,000,000 YAML nodes"):
        load_yaml_text(bomb, "bomb.yaml")


@given(st.data())
@settings(max_examples=300, deadline=None)
def test_mutated_yaml_never_escapes_as_another_exception(data):
    """Any corruption of a valid file either still loads or raises one InputError."""
    text = BASE
    for _ in range(data.draw(st.integers(1, 4))):
        k = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = data.draw(
            st.text(
                alphabet=st.sampled_from(
                    [*list("{}[]:,-&*!|>'\"#%@`\t\n 0123456789.e-+abxyz"), "\x00", "\u2028", "é"]
                ),
                max_size=4,
            )
        )
        if action == "insert":
            text = text[:k] + piece + text[k:]
        elif action == "delete":
            text = text[:k] + text[k + len(piece) + 1 :]
        else:
            text = text[:k] + piece + text[k + len(piece) :]
    try:
        result = load_yaml_text(text, "fuzz.yaml")
    except InputError as exc:
        assert "\n" not in str(exc)
        assert str(exc).startswith("fuzz.yaml")
    else:
        assert isinstance(result, Scenario)
