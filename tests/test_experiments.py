from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import winset
from conftest import DATA, EXAMPLES
from test_cli import assert_one_line_error
from test_cli import winset as run_cli
from winset.errors import InputError
from winset.experiments import CALL_ELEMENTS, DEFAULT_BATCH, montecarlo
from winset.experiments.conditions import parse_condition
from winset.experiments.discovery import choose, prim
from winset.experiments.montecarlo import Job, call_draws, run_job
from winset.experiments.sampling import BLOCK, unit_sample
from winset.experiments.sensitivity import sensitivity, tornado
from winset.experiments.vary import apply_variations
from winset.scenario import uncertain_inputs


@pytest.fixture(scope="module")
def kuril():
    return winset.load(EXAMPLES / "kuril-2019-01.yaml")


# --- sampling ---------------------------------------------------------------------------


@given(st.integers(0, 3 * BLOCK), st.integers(1, 2 * BLOCK))
@settings(max_examples=30, deadline=None)
def test_mc_and_sobol_rows_do_not_depend_on_batching(start, length):
    total = 5 * BLOCK
    stop = min(start + length, total)
    for sampler in ("mc", "sobol"):
        whole = unit_sample(sampler, 11, 3, 0, total, total)
        part = unit_sample(sampler, 11, 3, start, stop, total)
        np.testing.assert_array_equal(part, whole[start:stop])


def test_latin_hypercube_is_stratified():
    sample = unit_sample("lhs", 5, 4, 0, 100, 100)
    for column in sample.T:
        assert sorted(np.floor(column * 100).astype(int)) == list(range(100))


# --- Monte Carlo --------------------------------------------------------------------------


def test_same_numbers_on_every_executor_and_batch_size(kuril):
    runs = {}
    for executor, batch in [
        ("local", 4096),
        ("local", 30_000),
        ("process", 8192),
        ("dask", 12_288),
    ]:
        job = Job(kuril, "winsets", draws=20_000, seed=9, batch=batch)
        runs[(executor, batch)] = run_job(job, executor=executor, workers=2)
    first = runs[("local", 4096)]
    assert first.completed == 20_000
    for outcome in runs.values():
        np.testing.assert_array_equal(outcome.forecast, first.forecast)
        np.testing.assert_array_equal(outcome.deal, first.deal)


def test_calls_are_powers_of_two_of_about_call_elements(kuril, three_party):
    assert call_draws(kuril) == 4096  # 10 actors × 2 issues: 131,072 / 20 = 6,553.6
    assert call_draws(three_party) == 1 << 14  # 3 actors × 2 issues: 21,845.3
    assert CALL_ELEMENTS == 1 << 17


def test_automatic_batches_are_whole_calls(kuril):
    # Kuril (10 actors × 2 issues) runs in calls of 4,096 draws; about eight batches a run.
    assert Job(kuril, "compromise", draws=100_000).batch_size == 4 * 4096  # 12,500 rounded up
    assert len(Job(kuril, "compromise", draws=100_000).batches()) == 7
    assert Job(kuril, "compromise", draws=10_000_000).batch_size == DEFAULT_BATCH
    assert Job(kuril, "compromise", draws=10).batch_size == 4096
    assert Job(kuril, "compromise", draws=10, batch=3).batches() == [
        (0, 3),
        (3, 6),
        (6, 9),
        (9, 10),
    ]


def test_stochastic_model_repeats_for_batches_that_are_whole_calls(kuril, monkeypatch):
    # Calls of 16 draws: batches of 16, 32 and 64 draws run the same calls with the same
    # streams; the stochastic SMP then gives the same numbers whatever the batch.
    monkeypatch.setattr(montecarlo, "CALL_ELEMENTS", 16 * 20)
    assert call_draws(kuril) == 16
    options = {"state_transitions": "Stochastic", "max_turns": 6}
    runs = [
        run_job(Job(kuril, "smp", draws=64, seed=4, batch=batch, options=options))
        for batch in (16, 32, 64)
    ]
    for outcome in runs[1:]:
        np.testing.assert_array_equal(outcome.forecast, runs[0].forecast)
    # A batch that is not a whole number of calls cuts a call, and its draws get a new stream.
    cut = run_job(Job(kuril, "smp", draws=64, seed=4, batch=24, options=options))
    assert not np.array_equal(cut.forecast, runs[0].forecast)


@pytest.mark.parametrize("sampler", ["lhs", "sobol"])
def test_quasi_random_samplers_are_batch_independent(kuril, sampler):
    small = run_job(Job(kuril, "compromise", draws=9000, seed=2, sampler=sampler, batch=1000))
    large = run_job(Job(kuril, "compromise", draws=9000, seed=2, sampler=sampler, batch=9000))
    np.testing.assert_array_equal(small.forecast, large.forecast)


def test_summary_contract_and_values(kuril):
    outcome = run_job(Job(kuril, "winsets", draws=5000, seed=1))
    summary = outcome.summary()
    assert {"model", "draws", "seed", "issues", "deal_probability"} <= set(summary)
    territory = summary["issues"][0]
    # Putin's constituency never ratifies a move towards Japan in any draw of the ranges.
    assert territory["deal_probability"] == 0.0 and summary["deal_probability"] == 0.0
    column = outcome.forecast[:, 1]
    assert summary["issues"][1]["mean"] == pytest.approx(column.mean())
    assert summary["issues"][1]["p95"] == pytest.approx(np.percentile(column, 95))
    assert sum(summary["issues"][1]["histogram"]["counts"]) == 5000


def test_deal_condition(kuril):
    outcome = run_job(Job(kuril, "compromise", draws=4000, seed=3))
    condition = parse_condition("territory >= 37 and security < 40", ("territory", "security"))
    expected = ((outcome.forecast[:, 0] >= 37) & (outcome.forecast[:, 1] < 40)).mean()
    assert outcome.summary(deal_when=condition)["deal_probability"] == pytest.approx(expected)
    with pytest.raises(InputError, match="deal"):
        outcome.summary(deal_when=parse_condition("deal", ("territory", "security")))
    with pytest.raises(InputError, match="an issue id"):
        parse_condition("islands > 3", ("territory",))


def test_interrupt_keeps_finished_batches(kuril):
    seen = []

    def stop_after_first(n):
        seen.append(n)
        if len(seen) == 2:
            raise KeyboardInterrupt

    outcome = run_job(
        Job(kuril, "compromise", draws=5 * BLOCK, seed=1, batch=BLOCK), progress=stop_after_first
    )
    assert outcome.interrupted
    assert outcome.completed == 2 * BLOCK
    full = run_job(Job(kuril, "compromise", draws=5 * BLOCK, seed=1, batch=BLOCK))
    np.testing.assert_array_equal(outcome.forecast[: 2 * BLOCK], full.forecast[: 2 * BLOCK])


def test_bad_jobs(kuril):
    with pytest.raises(InputError, match="draws above 0"):
        Job(kuril, "compromise", draws=0)
    with pytest.raises(InputError, match="model name"):
        Job(kuril, "oracle", draws=10)
    with pytest.raises(InputError, match="executor"):
        run_job(Job(kuril, "compromise", draws=10), executor="gpu")  # type: ignore[arg-type]


# --- overrides ----------------------------------------------------------------------------


def test_vary_sets_ranges_and_clips(three_party):
    varied = apply_variations(
        three_party,
        [
            "north.capability=20:60",
            "*.salience=±30",
            "south.budget.position=50:60:95",
            "reference.budget=0:20",
        ],
    )
    found = {u.label(varied): u.quantity for u in uncertain_inputs(varied)}
    assert (found["north.capability"].low, found["north.capability"].high) == (20, 60)
    east = found["east.budget.salience"]  # 100 ± 30, clipped to the 0–100 salience scale
    assert (east.low, east.high, east.value) == (70, 100, 100)
    assert found["south.budget.position"].mode == 60
    assert found["reference.budget"].high == 20
    # Evidence and judgements survive a variation.
    assert found["north.capability"].evidence == three_party.actor("north").capability.evidence


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nobody.capability=1:2", "expected an actor id"),
        ("north.colour=1:2", "expected capability"),
        ("north.capability=5:1", "expected low ≤ high"),
        ("north.capability", "TARGET=RANGE"),
        ("north.budget.position=abc", "a range LOW:HIGH"),
        ("reference.x=1:2", "an issue id"),
        ("north.capability=-5:-1", "overlapping"),
    ],
)
def test_vary_errors(three_party, spec, message):
    with pytest.raises(InputError, match=message):
        apply_variations(three_party, [spec])


# --- sensitivity --------------------------------------------------------------------------


def test_sobol_matches_the_closed_form_of_a_linear_model(three_party):
    # Only positions vary; weights are fixed, so the compromise is linear in the positions
    # and S1_k = (w_k / W)^2 var_k / sum_j (w_j / W)^2 var_j with uniform variances.
    fixed = apply_variations(
        three_party,
        [
            "north.capability=60:60",  # a point again
            "north.budget.position=10:30",
            "south.budget.position=40:100",
            "east.budget.position=60:100",
        ],
    )
    assert len(uncertain_inputs(fixed)) == 3
    weights = {"north": 60 * 0.8, "south": 30 * 0.5, "east": 10 * 1.0}
    widths = {"north": 20, "south": 60, "east": 40}
    parts = {k: (weights[k] * widths[k]) ** 2 for k in weights}
    total = sum(parts.values())
    found = sensitivity(fixed, "compromise", issue="budget", samples=4096, seed=4)
    for row in found.rows:
        actor = row["input"].split(".")[0]
        if row["input"].endswith(".position"):
            assert row["S1"] == pytest.approx(parts[actor] / total, abs=0.03)
            assert row["ST"] == pytest.approx(parts[actor] / total, abs=0.03)


def test_morris_finds_inputs_without_effect(three_party):
    # North's oversight position cannot move the budget forecast.
    scenario = apply_variations(
        three_party, ["north.oversight.position=0:100", "north.budget.position=0:40"]
    )
    found = sensitivity(scenario, "compromise", method="morris", issue="budget", samples=20, seed=1)
    by_name = {r["input"]: r for r in found.rows}
    assert by_name["north.oversight.position"]["mu_star"] == 0.0
    assert by_name["north.budget.position"]["mu_star"] > 1.0


def test_tornado_swing_is_the_weight_share_times_the_range(three_party):
    scenario = apply_variations(three_party, ["south.budget.position=40:100"])
    swings = tornado(scenario, "compromise", issue="budget")
    south = next(b for b in swings["bars"] if b["input"] == "south.budget.position")
    assert south["swing"] == pytest.approx(15 / 73 * 60)
    assert swings["base"] == pytest.approx(3010 / 73)


# --- discovery -----------------------------------------------------------------------------


def test_prim_recovers_a_planted_box():
    rng = np.random.default_rng(0)
    x = rng.random((5000, 3))
    y = (x[:, 0] > 0.7) & (x[:, 1] < 0.4)
    boxes = prim(x, y)
    box = choose(boxes, min_coverage=0.8)
    assert box.density > 0.9 and box.coverage >= 0.8
    assert box.low[0] == pytest.approx(0.7, abs=0.05)
    assert box.high[1] == pytest.approx(0.4, abs=0.05)
    restricted = {
        r["input"] for r in box.restrictions(boxes[0].low, boxes[0].high, ("a", "b", "c"))
    }
    assert restricted == {"a", "b"}
    # Each peel shrinks the box.
    assert all(b.mass > c.mass for b, c in itertools.pairwise(boxes))


# --- command line -------------------------------------------------------------------------


def test_mc_cli_json():
    proc = run_cli(
        "mc", str(DATA / "three_party.yaml"), "--draws", "5000", "--seed", "3", "--format", "json"
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["model"], data["draws"], data["seed"]) == ("compromise", 5000, 3)
    assert data["deal_probability"] is None
    assert {"id", "mean", "p05", "p50", "p95"} <= set(data["issues"][0])
    again = json.loads(
        run_cli(
            "mc",
            str(DATA / "three_party.yaml"),
            "--draws",
            "5000",
            "--seed",
            "3",
            "--format",
            "json",
            "--executor",
            "process",
            "--batch",
            "4096",
        ).stdout
    )
    assert again["issues"] == data["issues"]


def test_discover_and_sensitivity_cli(tmp_path):
    found = run_cli(
        "discover",
        str(EXAMPLES / "kuril-2019-01.yaml"),
        "--when",
        "territory >= 40",
        "--draws",
        "4000",
        "--format",
        "json",
    )
    assert found.returncode == 0, found.stderr
    box = json.loads(found.stdout)["box"]
    assert box["density"] > json.loads(found.stdout)["base_rate"]
    chart = tmp_path / "t.png"
    proc = run_cli(
        "sensitivity", str(DATA / "three_party.yaml"), "--samples", "64", "--plot", str(chart)
    )
    assert proc.returncode == 0, proc.stderr
    assert chart.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["mc", "--draws", "-5"], "expected a number of draws above 0"),
        (["mc", "--vary", "ghost.capability=1:2"], "expected an actor id"),
        (["mc", "--sampler", "halton"], "expected a sampler"),
        (
            ["mc", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9", "--draws", "10"],
            "expected a reachable Dask scheduler",
        ),
        (["discover", "--when", "budget >> 3"], "expected 'deal' or 'ISSUE OP NUMBER'"),
        (["sensitivity", "--method", "fast"], "expected a method"),
        (["sensitivity", "--issue", "nope"], "expected an issue id"),
    ],
)
def test_experiment_cli_errors(args, fragment):
    command, *rest = args
    assert_one_line_error(run_cli(command, str(DATA / "three_party.yaml"), *rest), fragment)
