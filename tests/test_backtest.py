"""The DEU III back-test: loader repairs, baselines, honest CV, bootstrap, bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from winset.backtest.deu import (
    PACKAGED,
    RAW_COLUMNS,
    clean_text,
    counts,
    load_deu,
    median_decision_lag,
    proposal_scenario,
    read_records,
)
from winset.backtest.forecasters import (
    LadStack,
    PredictiveMedian,
    Snap,
    StatusQuoPull,
    attempts,
    constant,
    lad,
    median_actor,
    quantile_of_mixture,
    weighted_mean,
)
from winset.backtest.modelruns import proposal_batches, run_model
from winset.backtest.run import (
    forward_rows,
    markdown_table,
    print_table,
    run_backtest,
    stability_markdown,
    table_rows,
)
from winset.backtest.score import (
    Bootstrap,
    Family,
    cross_validate,
    forward_validate,
    grouped_folds,
    mae,
)
from winset.backtest.table import IssueTable, build_table
from winset.errors import InputError
from winset.models import MODELS

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
RAW = SHARED / "data" / "deu3" / "deu3.csv"
DOCS = REPO / "docs" / "backtest.md"


def raw_path() -> Path:
    if not RAW.exists():
        pytest.skip(f"{RAW} is absent")
    return RAW


@pytest.fixture(scope="module")
def table() -> IssueTable:
    return build_table(load_deu())


# ----------------------------------------------------------------------------- loader


def test_packaged_copy_counts():
    records = read_records()
    c = counts(records)
    assert (c["issues"], c["with_outcome"], c["scorable"]) == (364, 353, 351)
    assert c["proposals_scorable"] == 137
    assert (c["wave1_scorable"], c["wave2_scorable"], c["wave3_scorable"]) == (171, 151, 29)
    assert c["missing_final_act"] == 29
    assert c["position_without_salience"] == 54
    assert len(load_deu()) == 351
    assert len(load_deu(scorable_only=False)) == 364


def test_raw_copy_repairs():
    records = read_records(raw_path())
    c = counts(records)
    assert (c["issues"], c["with_outcome"], c["scorable"]) == (364, 353, 351)
    assert (c["mangled_finact"], c["mangled_intro"]) == (171, 138)
    # The GDP row (line 2) is not an issue: the first issue is on line 3.
    assert records[0].line == 3 and records[0].issue == "d00032i1"
    assert all(r.proposal and r.issue for r in records)
    by_issue = {r.issue: r for r in records}
    # "1930-05-01" is 30 May 2001; "2022-09-04" (intro of d04209) is 22 September 2004.
    assert by_issue["d00032i1"].raw["finact"] == "1930-05-01"
    assert by_issue["d00032i1"].final_act == dt.date(2001, 5, 30)
    assert by_issue["d04209i1"].raw["intro"] == "2022-09-04"
    assert by_issue["d04209i1"].intro == dt.date(2004, 9, 22)
    assert by_issue["d04209i1"].final_act is None  # "999"
    assert by_issue["d00032i1"].intro == dt.date(2000, 1, 26)  # DD-MM-YY as it stands
    assert by_issue["d160280i1"].intro == dt.date(2016, 9, 14)  # DD-MM-YYYY
    assert by_issue["d160280i1"].final_act == dt.date(2019, 4, 17)  # "2017-04-19"
    assert by_issue["d95341i2"].outcome is None  # a blank outcome
    assert by_issue["n99192i1"].voting_rule == "qmv"  # "QMV(10)"
    # After the repair, introduction years match the proposal numbers (COM(1995) 341 was
    # introduced in February 1996) and no final act precedes its introduction.
    assert {r.proposal for r in records if r.proposal[1:3] != f"{r.intro.year % 100:02d}"} == {
        "d95341"
    }
    assert all(r.final_act is None or r.final_act >= r.intro for r in records)
    assert median_decision_lag(records) == 567


def test_packaged_copy_is_the_repaired_raw_copy():
    records = read_records(raw_path())
    assert clean_text(records) == PACKAGED.read_text(encoding="utf-8")
    packaged = read_records()
    assert [(r.issue, r.intro, r.final_act, r.outcome) for r in packaged] == [
        (r.issue, r.intro, r.final_act, r.outcome) for r in records
    ]


def test_case_scenario():
    case = next(c for c in load_deu() if c.issue == "d00032i1")
    scenario = case.scenario
    assert case.outcome == 100 and case.proposal == "d00032" and case.wave == 1
    assert (case.procedure, case.voting_rule) == ("COD", "qmv")
    assert case.council.startswith("EU-15 pre-Nice")
    issue = scenario.issues[0]
    assert issue.reference is not None and issue.reference.nominal == 0
    ids = [a.id for a in scenario.actors]
    assert ids[:2] == ["com", "ep"] and len(ids) == 17  # Commission, Parliament, EU-15
    assert all(a.capability.nominal == 1 for a in scenario.actors)
    assert scenario.actor("de").stances["d00032i1"].position.nominal == 0


def test_power_capabilities_in_scenarios():
    cases = load_deu(capability="shapley")
    case = next(c for c in cases if c.issue == "d00032i1")
    caps = {a.id: a.capability.nominal for a in case.scenario.actors}
    assert caps["ep"] > caps["com"] > caps["de"] > caps["lu"] > 0
    assert "Shapley-Shubik" in (case.scenario.actors[0].capability.judgement or "")
    consultation = next(c for c in cases if c.procedure == "CNS")
    assert {a.id: a.capability.nominal for a in consultation.scenario.actors}["ep"] == 0.0


def test_proposal_scenario_merges_issues():
    cases = [c for c in load_deu() if c.proposal == "d00032"]
    scenario = proposal_scenario(cases)
    assert [i.id for i in scenario.issues] == [c.issue for c in cases]
    with pytest.raises(InputError, match="cases of proposal"):
        proposal_scenario([cases[0], next(c for c in load_deu() if c.proposal != "d00032")])


def test_proposal_batches_keep_proposals_whole():
    cases = load_deu(capability="shapley")
    batches = proposal_batches(cases)
    assert sorted(i for b in batches for i in b) == list(range(len(cases)))
    for batch in batches:
        assert len({cases[i].proposal for i in batch}) == 1


# ----------------------------------------------------------------------------- baselines


def test_baselines_reproduced(table):
    assert round(mae(weighted_mean(table), table.outcome), 2) == 23.64
    assert round(mae(median_actor(table), table.outcome), 2) == 28.37
    assert round(mae(constant(table), table.outcome), 2) == 27.96


def test_compromise_model_through_scenarios_equals_the_mean(table):
    run = run_model("compromise", load_deu())
    assert run.forecast is not None
    assert run.forecast == pytest.approx(weighted_mean(table))
    assert run_model("winsets", load_deu()).forecast is None  # needs constituencies


# ----------------------------------------------------------------------------- folds, bootstrap


def test_grouped_folds_never_split_a_proposal(table):
    for k, seed in ((2, 0), (5, 1), (10, 2), (137, 3)):
        folds = grouped_folds(table.group, k, seed)
        assert set(folds.tolist()) == set(range(k))
        for g in range(table.n_groups):
            assert np.unique(folds[table.group == g]).size == 1
    sizes = np.bincount(grouped_folds(table.group, 10, 0))
    assert sizes.max() - sizes.min() <= 6  # balanced by issues, not just proposals
    assert np.array_equal(grouped_folds(table.group, 10, 0), grouped_folds(table.group, 10, 0))
    assert not np.array_equal(grouped_folds(table.group, 10, 0), grouped_folds(table.group, 10, 1))


@pytest.mark.parametrize("k", [1, 0, -3, 138, True])
def test_bad_fold_count(table, k):
    with pytest.raises(InputError, match="number of folds K"):
        grouped_folds(table.group, k, 0)


def test_bootstrap_is_reproducible(table):
    error = np.abs(weighted_mean(table) - table.outcome)
    a = Bootstrap.draw(table.group, resamples=500, seed=3).interval(error)
    b = Bootstrap.draw(table.group, resamples=500, seed=3).interval(error)
    c = Bootstrap.draw(table.group, resamples=500, seed=4).interval(error)
    assert a == b and a != c
    assert a[0] < error.mean() < a[1]


def test_held_out_forecasts_ignore_held_out_outcomes(table):
    """Leakage check: changing a test fold's outcomes leaves its forecasts unchanged."""
    centre = ("shifted", np.clip(table.mean("equal") + 5.0, 0.0, 100.0))

    def families() -> list[Family]:
        return [Snap(), StatusQuoPull(), LadStack(), PredictiveMedian(centre=centre)]

    folds, first = cross_validate(table, families(), k=5, seed=0)
    test = folds == 2
    outcome = table.outcome.copy()
    outcome[test] = 100 - outcome[test]
    tampered = IssueTable(**{**table.__dict__, "outcome": outcome})
    _, second = cross_validate(tampered, families(), k=5, seed=0)
    for name in ("snap", "status-quo-pull", "lad-stack", "predictive-median+shifted", "selected"):
        assert np.array_equal(first[name].prediction[test], second[name].prediction[test])
        assert not np.isnan(first[name].prediction).any()


def test_forward_validation_fits_on_the_past_only(table):
    train = np.flatnonzero(table.wave == 1)
    test = np.flatnonzero(table.wave > 1)
    centre = ("shifted", np.clip(table.mean("equal") - 5.0, 0.0, 100.0))

    def families() -> list[Family]:
        return [Snap(), LadStack(), PredictiveMedian(centre=centre)]

    first = forward_validate(table, families(), train=train, test=test, seed=0)
    outcome = table.outcome.copy()
    outcome[test] = 100 - outcome[test]
    tampered = IssueTable(**{**table.__dict__, "outcome": outcome})
    second = forward_validate(tampered, families(), train=train, test=test, seed=0)
    for name in ("snap", "lad-stack", "predictive-median+shifted", "selected"):
        assert np.array_equal(first[name].prediction, second[name].prediction, equal_nan=True)
        assert np.isnan(first[name].prediction[train]).all()
        assert not np.isnan(first[name].prediction[test]).any()
    # The same fit by hand: LAD on the training waves, applied to the later ones.
    family = LadStack()
    by_hand = family.predict(table, test, family.fit(table, train, {}), {})
    assert np.array_equal(first["lad-stack"].prediction[test], by_hand)
    with pytest.raises(InputError, match="proposals in both"):
        forward_validate(table, [Snap()], train=np.arange(10), test=np.arange(5, 20), seed=0)


# ----------------------------------------------------------------------------- forecasters


def test_quantile_of_mixture():
    points = np.array([[30.0, np.nan], [10.0, 90.0]])
    p = np.array([[0.6, 0.0], [0.3, 0.3]])
    p0 = np.array([0.4, 0.4])
    center = np.array([60.0, 50.0])
    assert quantile_of_mixture(points, p, p0, center, 10.0) == pytest.approx([30.0, 50.0], abs=1e-6)


def test_quantiles_of_mixture_by_hand():
    """Mass 0.6 at 30 plus 0.4 × Laplace(60, 10): the 10 % quantile is the mass point, the
    90 % quantile solves 0.6 + 0.4 (1 - e^{-(x - 60)/10} / 2) = 0.9, i.e. x = 60 + 10 ln 2."""
    points, p = np.array([[30.0]]), np.array([[0.6]])
    p0, center = np.array([0.4]), np.array([60.0])
    assert quantile_of_mixture(points, p, p0, center, 10.0, 0.1)[0] == 30.0
    expected = 60 + 10 * np.log(2)
    assert quantile_of_mixture(points, p, p0, center, 10.0, 0.9)[0] == pytest.approx(expected)


def test_interval_coverage_by_hand():
    from winset.backtest.run import _intervals
    from winset.backtest.score import QUANTILES, Heldout

    outcome = np.array([10.0, 50.0, 90.0, 30.0])
    quantiles = np.array(
        [
            [0.0, 40.0, 0.0, np.nan],  # 10 %
            [5.0, 45.0, 20.0, np.nan],  # 25 %
            [10.0, 48.0, 80.0, np.nan],  # 75 %
            [20.0, 60.0, 95.0, np.nan],  # 90 %
        ]
    )
    assert len(QUANTILES) == 4
    result = Heldout(np.zeros(4), quantiles=quantiles)
    boot = Bootstrap.draw(np.arange(4), resamples=100, seed=0)
    intervals = _intervals(result, outcome, boot)
    assert intervals is not None
    assert intervals["50"]["issues"] == 3
    assert intervals["50"]["coverage"] == pytest.approx(1 / 3, abs=1e-3)  # 10: end of [5, 10]
    assert intervals["80"]["coverage"] == pytest.approx(1.0)
    assert intervals["50"]["mean_width"] == pytest.approx((5 + 3 + 60) / 3, abs=0.01)
    assert _intervals(Heldout(np.zeros(4)), outcome, boot) is None


def test_lad_recovers_a_line():
    x = np.column_stack([np.linspace(0, 1, 30), np.ones(30)])
    y = 3 * x[:, 0] + 2
    y[5] += 50  # one outlier does not move a least-absolute-deviation fit
    assert lad(x, y) == pytest.approx([3, 2], abs=1e-6)


def test_predictive_median_fits_and_forecasts(table):
    family = PredictiveMedian("equal")
    rows = np.arange(table.n)
    fitted = family.fit(table, rows[: table.n // 2], {"ridge": 0.1})
    forecast = family.predict(table, rows[table.n // 2 :], fitted, {"ridge": 0.1})
    assert forecast.shape == (table.n - table.n // 2,)
    assert ((forecast >= 0) & (forecast <= 100)).all()
    summary = family.describe(fitted, {"ridge": 0.1})
    assert set(summary) == {"ridge", "laplace_scale", "beta", "gamma"}


def test_predictive_median_centred_on_the_mean_is_the_plain_one(table):
    """A centre equal to the weighted mean changes nothing; NaN entries fall back to it."""
    mean = table.mean("banzhaf")
    centre = mean.copy()
    centre[::3] = np.nan
    plain = PredictiveMedian("banzhaf")
    centred = PredictiveMedian("banzhaf", centre=("mean@banzhaf", centre))
    assert centred.name == "predictive-median-banzhaf+mean"
    rows = np.arange(table.n)
    hyper = {"ridge": 0.1}
    a = plain.predict(table, rows, plain.fit(table, rows[::2], hyper), hyper)
    b = centred.predict(table, rows, centred.fit(table, rows[::2], hyper), hyper)
    assert np.array_equal(a, b)
    assert centred.describe(centred.fit(table, rows, hyper), hyper)["centre"] == "mean@banzhaf"


def test_predictive_median_centre_moves_only_the_off_candidate_part(table):
    mean = table.mean("equal")
    shifted = np.clip(mean + 10.0, 0.0, 100.0)
    shifted[0] = np.nan
    family = PredictiveMedian("equal", centre=("shifted", shifted))
    plain = PredictiveMedian("equal")
    family._prepare(table)
    plain._prepare(table)
    assert np.array_equal(family.x, plain.x)  # distances still measured from the mean
    assert family.center[0] == mean[0] and np.array_equal(family.center[1:], shifted[1:])
    assert np.allclose(family.deviation, np.abs(table.outcome - family.center))
    with pytest.raises(ValueError, match="3 forecasts for 351 issues"):
        PredictiveMedian("equal", centre=("short", np.zeros(3)))._prepare(table)


def test_attempts_centred_on_the_exchange_model(table):
    forecast = run_model("exchange", load_deu(capability="banzhaf"), seed=0).forecast
    assert forecast is not None
    names = [f.name for f in attempts({"banzhaf": forecast})]
    assert "predictive-median-banzhaf+exchange" in names
    assert "predictive-median-banzhaf+procedure+exchange" in names
    assert "predictive-median+exchange" not in names  # no equal-weight exchange run given
    assert not any(name.endswith("+exchange") for name in (f.name for f in attempts()))


# ----------------------------------------------------------------------------- run_backtest


def test_run_backtest_report_and_files(tmp_path):
    report = run_backtest(
        ["compromise", "winsets"],
        cv=5,
        seed=0,
        out_dir=tmp_path,
        capabilities=("equal",),
        include_attempts=False,
        resamples=200,
    )
    assert report["issues"] == 351 and report["proposals"] == 137
    names = [r["name"] for r in report["models"]]
    assert set(names) == {"constant 50", "median actor", "salience-weighted mean", "compromise"}
    for row in report["models"]:
        assert {"name", "mae", "mae_ci", "out_of_sample"} <= set(row)
        assert row["out_of_sample"] is True and row["mae_ci"][0] <= row["mae"] <= row["mae_ci"][1]
        assert set(row["by_procedure"]) == {"CNS", "COD"}
    assert [n["name"] for n in report["not_applicable"]] == ["winsets"]
    forward = report["forward"]
    assert forward["train"] == {"waves": [1], "issues": 171, "proposals": 69}
    assert forward["test"] == {"waves": [2, 3], "issues": 180, "proposals": 68}
    by_name = {r["name"]: r for r in forward["models"]}
    assert set(by_name) == set(names)
    later = np.array([r.wave > 1 for r in read_records() if r.scorable])
    assert later.sum() == 180
    mean = build_table(load_deu()).mean("equal")[later]
    outcome = build_table(load_deu()).outcome[later]
    assert by_name["salience-weighted mean"]["mae"] == pytest.approx(mae(mean, outcome), abs=1e-3)
    assert by_name["constant 50"]["mae"] == pytest.approx(
        mae(np.full(180, 50.0), outcome), abs=1e-3
    )
    predictions = (tmp_path / "deu-predictions.csv").read_text().splitlines()
    assert len(predictions) == 352 and predictions[0].startswith("issue,proposal,wave")
    assert json.loads((tmp_path / "deu-report.json").read_text())["issues"] == 351
    console = Console(file=io.StringIO(), width=160, record=True)
    print_table(report, console=console)
    assert "salience-weighted mean" in console.export_text()
    assert markdown_table(report).count("\n| ") == len(names) + 1


def test_run_backtest_centres_attempts_on_exchange_even_when_not_asked_for_it():
    report = run_backtest(["compromise"], cv=3, seed=0, capabilities=("equal",), resamples=50)
    rows = {r["name"]: r for r in report["models"]}
    assert "exchange" not in rows  # not a requested model row ...
    assert rows["compromise"]["intervals"] is None
    calibration = rows["predictive-median+exchange"]["intervals"]
    assert {"50", "80"} == set(calibration)
    assert 0.5 <= calibration["50"]["coverage"] <= calibration["80"]["coverage"] <= 1.0
    assert 0 < calibration["50"]["mean_width"] < calibration["80"]["mean_width"] <= 100
    for name, centre in (
        ("predictive-median+exchange", "exchange@equal"),
        ("predictive-median-banzhaf+exchange", "exchange@banzhaf"),
        ("predictive-median-banzhaf+procedure+exchange", "exchange@banzhaf"),
    ):  # ... but the attempts get its forecasts
        assert rows[name]["issues"] == 351
        assert {fold["centre"] for fold in rows[name]["folds"]} == {centre}


def test_model_refusing_some_proposals_is_scored_on_the_rest(monkeypatch):
    from winset.models import MODELS, ModelSpec
    from winset.models.compromise import compromise

    def linked(arrays, *, rng=None):
        if arrays.n_issues < 2:
            raise InputError("at least two issues", str(arrays.n_issues), path=("issues",))
        return compromise(arrays)

    monkeypatch.setitem(MODELS, "linked", ModelSpec("linked", linked, "test", "test"))
    report = run_backtest(
        ["linked"], cv=5, capabilities=("equal",), include_attempts=False, resamples=100
    )
    row = next(r for r in report["models"] if r["name"] == "linked")
    assert 0 < row["issues"] < 351
    assert report["not_applicable"][0]["scored_issues"] == row["issues"]
    assert "not applicable" in report["not_applicable"][0]["reason"]


def _subset(tmp_path: Path, keep) -> Path:
    """A DEU file with the packaged copy's rows of the records ``keep`` accepts."""
    wanted = {r.issue for r in read_records() if keep(r)}
    lines = packaged_lines()
    rows = [line for line in lines[1:] if line.split("\t")[4] in wanted]
    return write(tmp_path, lines[0] + "".join(rows))


def test_forward_table_skipped_when_a_period_has_one_proposal(tmp_path):
    first = next(r.proposal for r in read_records() if r.scorable and r.wave == 1)
    path = _subset(tmp_path, lambda r: r.proposal == first or r.wave > 1)
    report = run_backtest([], cv=3, path=path, include_attempts=False, resamples=50)
    assert report["forward"] is None and forward_rows(report) == []
    assert report["issues"] > 0


def test_forward_table_leaves_out_rows_without_later_forecasts(tmp_path):
    sizes: dict[str, int] = {}
    for r in read_records():
        sizes[r.proposal] = sizes.get(r.proposal, 0) + 1
    path = _subset(tmp_path, lambda r: r.wave == 1 or sizes[r.proposal] == 1)
    report = run_backtest(
        ["exchange"], cv=3, path=path, capabilities=("equal",), include_attempts=False,
        resamples=50,
    )  # fmt: skip
    assert report["forward"]["test"]["issues"] > 0
    names = [r["name"] for r in report["forward"]["models"]]
    assert "exchange" in [r["name"] for r in report["models"]]  # scored on wave 1 ...
    assert "exchange" not in names  # ... and no forecast on the later single-issue proposals
    json.dumps(report, allow_nan=False)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"models": ["nope"]}, r"models: expected a model name \(.*compromise.*\), got 'nope'"),
        ({"cv": 1}, "cv: expected a number of folds K ≥ 2, got 1"),
        ({"cv": 500}, "expected a number of folds K ≤ 137"),
        ({"capabilities": ("gdp",)}, "capabilities: expected a capability scheme"),
    ],
)
def test_run_backtest_bad_arguments(kwargs, message):
    with pytest.raises(InputError, match=message) as info:
        run_backtest(**{"models": [], "include_attempts": False, **kwargs})
    assert "\n" not in str(info.value)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "deu.csv"
    path.write_text(text, encoding="utf-8")
    return path


def packaged_lines() -> list[str]:
    return PACKAGED.read_text(encoding="utf-8").splitlines(keepends=True)


@pytest.mark.parametrize(
    ("mutate", "pattern"),
    [
        (lambda lines: "", r"deu\.csv: expected a DEU III file, got an empty file"),
        (lambda lines: "a,b,c\n1,2,3\n", r"deu\.csv:1: expected a DEU III header"),
        (lambda lines: lines[0], r"deu\.csv: expected issue rows after the header, got none"),
        (  # truncated in the middle of a row
            lambda lines: "".join(lines[:10]) + lines[10][:40],
            r"deu\.csv:11: expected 75 tab-separated fields, got \d+ \(a truncated",
        ),
        (
            lambda lines: (
                "".join(lines[:5]) + lines[5].replace("\t100\t", "\t1OO\t", 1) + "".join(lines[6:])
            ),
            r"deu\.csv:6: p\w+: expected a number in \[0, 100\] or a blank, got '1OO'",
        ),
        (
            lambda lines: (
                "".join(lines[:3])
                + lines[3].replace("2000-01-26", "26/01/2000")
                + "".join(lines[4:])
            ),
            r"deu\.csv:4: intro_date: expected an ISO date YYYY-MM-DD, got '26/01/2000'",
        ),
        (
            lambda lines: (
                "".join(lines[:3]) + lines[3].replace("\tCOD\t", "\tOLP\t") + "".join(lines[4:])
            ),
            r"deu\.csv:4: proc: expected procedure COD or CNS, got 'OLP'",
        ),
        (
            lambda lines: "".join(lines[:3]) + lines[2] + "".join(lines[4:]),
            r"deu\.csv:4: isnr: expected issue ids \(isnr\) unique in the file, got 'd00032i2' again",
        ),
        (
            lambda lines: "".join(lines[:3]) + '"' + lines[3],
            r"deu\.csv:\d+: expected 75 tab-separated fields|balanced quotes",
        ),
    ],
)
def test_bad_deu_files(tmp_path, mutate, pattern):
    path = write(tmp_path, mutate(packaged_lines()))
    with pytest.raises(InputError) as info:
        read_records(path)
    message = str(info.value)
    assert re.search(pattern, message), message
    assert "\n" not in message


def test_bad_raw_dates(tmp_path):
    header = "\t".join(f'"{c}"' for c in RAW_COLUMNS) + "\n"
    fields = dict.fromkeys(RAW_COLUMNS, "")
    fields.update(prnr="d00001", isnr="d00001i1", proc="COD", counvte="QMV", intro="31-02-00")
    row = "\t".join(fields[c] for c in RAW_COLUMNS) + "\n"
    with pytest.raises(InputError, match=r":2: intro: expected a calendar date, got '31-02-00'"):
        read_records(write(tmp_path, header + row))
    fields.update(intro="01-02-00", finact="2001")
    row = "\t".join(fields[c] for c in RAW_COLUMNS) + "\n"
    with pytest.raises(InputError, match=r":2: finact: expected a date DD-MM-YY"):
        read_records(write(tmp_path, header + row))
    with pytest.raises(InputError, match="expected an existing file, got no such file"):
        read_records(tmp_path / "missing.csv")


def test_stability_markdown_sorts_by_mean():
    text = stability_markdown({"b": [22.0, 24.0], "a": [21.0, 21.5]}, [0, 1], "held-out MAE, CV")
    assert text.splitlines() == [
        "| forecaster | held-out MAE, CV seeds 0, 1 | mean | sd |",
        "|---|---|---|---|",
        "| a | 21.00, 21.50 | 21.25 | 0.35 |",
        "| b | 22.00, 24.00 | 23.00 | 1.41 |",
    ]


def test_docs_table_matches_the_code():
    """docs/backtest.md holds the printed rows; the baselines' rows are cheap to recompute."""
    if not DOCS.exists():
        pytest.skip("docs/backtest.md is absent")
    report = run_backtest([], cv=10, seed=0, include_attempts=False)
    text = DOCS.read_text(encoding="utf-8")
    for cells in table_rows(report) + forward_rows(report):
        assert "| " + " | ".join(cells) + " |" in text
    # Every registered model has its rows (or its reason) in the page: a model registered
    # after the page was written must not go unmentioned.
    for name in MODELS:
        for row in (name, *(f"{name}@{scheme}" for scheme in ("votes", "shapley", "banzhaf"))):
            assert f"| {row} | model |" in text or f"Not scored: `{row}`" in text, row


def test_backtest_cli_bad_input() -> None:
    from test_cli import assert_one_line_error, winset

    assert_one_line_error(winset("backtest", "deu", "--cv", "1"), "expected")
    assert_one_line_error(winset("backtest", "deu", "--models", "oracle"), "oracle")
