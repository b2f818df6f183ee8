"""Recorded outcomes in scenario files, and scoring the models against them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from test_cli import assert_one_line_error, winset
from winset import forecast
from winset.backtest import predictions_frame, score_cases
from winset.backtest.cases import print_cases, write_outputs
from winset.errors import InputError
from winset.scenario import Scenario
from winset.scenario.io import load
from winset.scenario.yaml_format import dump_yaml

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"

CASE = """\
format: winset/1
title: "A two-party case <b>[bold]x[/bold]</b>"
as_of: {as_of}
issues:
  - id: price
    scale: [0, 10]
    reference: 2
    outcome: {outcome}
actors:
  - id: a
    capability: 3
    stances: {{price: {{position: 0, salience: 100}}}}
  - id: b
    capability: 1
    stances: {{price: {{position: 10, salience: 100}}}}
"""


def write_case(folder: Path, name: str, outcome: str = "4", as_of: str = "2020-01-01") -> Path:
    path = folder / name
    path.write_text(CASE.format(outcome=outcome, as_of=as_of), encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- the field


def test_outcome_bare_or_mapping_and_round_trip(tmp_path):
    bare = load(write_case(tmp_path, "a.yaml"))
    assert bare.issues[0].outcome is not None and bare.issues[0].outcome.value == 4.0
    full = load(
        write_case(
            tmp_path,
            "b.yaml",
            outcome="{value: 6, decided: 2021-03-01, judgement: 'read off the final act'}",
        )
    )
    outcome = full.issues[0].outcome
    assert outcome is not None and outcome.decided is not None
    assert (outcome.value, outcome.decided.isoformat()) == (6.0, "2021-03-01")
    for scenario in (bare, full):
        again = tmp_path / "again.yaml"
        again.write_text(dump_yaml(scenario), encoding="utf-8")
        assert load(again) == scenario
    assert "outcome: 4" in dump_yaml(bare)


def test_outcome_is_never_an_input(tmp_path):
    with_outcome = load(write_case(tmp_path, "a.yaml", outcome="9"))
    data = with_outcome.model_dump()
    data["issues"][0]["outcome"] = None
    without = Scenario.model_validate(data)
    assert forecast(with_outcome).forecast == forecast(without).forecast
    assert all(path[-1] != "outcome" for path, _ in with_outcome.quantities())


@pytest.mark.parametrize(
    ("outcome", "fragment"),
    [
        ("11", "issues[0].outcome: expected a position on the issue's scale [0, 10], got 11"),
        ("{value: -1, judgement: x}", "issues[0].outcome.value: expected a position"),
        ("soon", "issues[0].outcome: expected a number, or a mapping with 'value', got 'soon'"),
        ("{decided: 2020-01-01}", "issues[0].outcome.value"),
        (
            "{value: 3, evidence: [{source: nowhere, claim: x}]}",
            "issues[0].outcome.evidence[0].source: expected a source id",
        ),
    ],
)
def test_bad_outcome_one_line(tmp_path, outcome, fragment):
    with pytest.raises(InputError) as info:
        load(write_case(tmp_path, "a.yaml", outcome=outcome))
    assert fragment in str(info.value) and "\n" not in str(info.value)


# ----------------------------------------------------------------------------- scoring


def test_scores_by_hand(tmp_path):
    """Weighted mean 2.5 on [0, 10]; outcomes 4 and 1: errors 15 and 15 on the 0–100 scale."""
    write_case(tmp_path, "one.yaml", outcome="4")
    write_case(tmp_path, "two.yaml", outcome="{value: 1, decided: 2019-06-30}")
    (tmp_path / "notes.yaml").write_text("format: winset-labels/1\n", encoding="utf-8")
    report = score_cases([tmp_path], ["compromise", "median", "nash"], resamples=200)
    rows = {r["name"]: r for r in report["models"]}
    assert (report["issues"], report["scenarios"]) == (2, 2)
    assert rows["compromise"]["mae"] == pytest.approx(15.0)
    assert rows["median"]["mae"] == pytest.approx((40 + 10) / 2)  # median = a's 0
    assert rows["reference point"]["mae"] == pytest.approx((20 + 10) / 2)
    assert rows["scale middle"]["mae"] == pytest.approx((10 + 40) / 2)
    assert rows["compromise"]["mae_ci"] == [15.0, 15.0]
    lo, hi = rows["median"]["mae_ci"]
    assert lo == pytest.approx(10.0) and hi == pytest.approx(40.0)
    assert [r["kind"] for r in report["models"]][:2] == ["baseline", "baseline"]
    # two.yaml was coded on 2020-01-01, after its outcome was decided: flagged.
    assert report["hindsight"] == [f"{tmp_path / 'two.yaml'}: price: coded as of 2020-01-01"]
    frame = predictions_frame(report)
    compromise = frame[frame.forecaster == "compromise"]
    assert np.allclose(compromise.forecast, 2.5) and np.allclose(compromise.error_0_100, 15.0)


LATE = """\
format: winset/1
title: late
as_of: 2019-01-01
sources:
  - {id: early, published: 2018-12-01}
  - {id: late, published: 2019-07-01}
issues:
  - id: price
    outcome: {value: 30, decided: 2019-07-01}
actors:
  - id: a
    capability: {value: 1, evidence: [{source: early, claim: x}]}
    stances: {price: {position: {value: 20, evidence: [{source: late, claim: y}]}, salience: 50}}
  - id: b
    capability: 1
    stances: {price: {position: 80, salience: 50}}
"""


def test_inputs_citing_later_sources_are_hindsight(tmp_path):
    path = tmp_path / "late.yaml"
    path.write_text(LATE, encoding="utf-8")
    scenario = load(path)
    late = [(p, s, d.isoformat()) for p, s, d in scenario.late_citations()]
    assert late == [(("actors", 0, "stances", "price", "position"), "late", "2019-07-01")]
    report = score_cases([path], ["compromise"], resamples=50)
    assert report["hindsight"] == [
        f"{path}: price: actors[0].stances.price.position cites late (2019-07-01)"
    ]
    proc = winset("validate", str(path))
    assert proc.returncode == 0, proc.stderr
    assert (
        "note: actors[0].stances.price.position cites late, published 2019-07-01, after as_of "
        "2019-01-01"
    ) in proc.stdout


def test_files_without_outcomes_are_skipped_and_none_at_all_refused(tmp_path):
    write_case(tmp_path, "one.yaml")
    plain = (
        (tmp_path / "plain.yaml").read_text()
        if False
        else CASE.replace("    outcome: {outcome}\n", "")
    )
    (tmp_path / "plain.yaml").write_text(plain.format(as_of="2020-01-01"), encoding="utf-8")
    report = score_cases([tmp_path], ["compromise"], resamples=50)
    assert report["skipped"] == [
        {"file": str(tmp_path / "plain.yaml"), "reason": "no issue records an outcome"}
    ]
    with pytest.raises(InputError, match=r"KTAB and Decide files cannot\), got none in 1 file \("):
        score_cases([tmp_path / "plain.yaml"])
    with pytest.raises(InputError, match="an existing file or folder"):
        score_cases([tmp_path / "missing"])
    with pytest.raises(InputError, match="oracle"):
        score_cases([tmp_path], ["oracle"])


def test_model_that_does_not_apply_is_listed(tmp_path):
    write_case(tmp_path, "one.yaml")
    report = score_cases([tmp_path], ["compromise", "exchange"], resamples=50)
    rows = {r["name"]: r for r in report["models"]}
    assert rows["exchange"]["issues"] == 0 and rows["exchange"]["mae"] is None
    assert [n["name"] for n in report["not_applicable"]] == ["exchange"]
    json.dumps(report, allow_nan=False)


def test_outputs_and_printing_escape_file_text(tmp_path):
    write_case(tmp_path, "[bold]one.yaml")
    report = score_cases([tmp_path], ["compromise"], resamples=50)
    out = tmp_path / "out"
    out.mkdir()
    files = write_outputs(report, out)
    lines = Path(files["predictions"]).read_text().splitlines()
    assert (
        lines[0]
        == "file,issue,as_of,decided,hindsight,outcome,reference point,scale middle,compromise"
    )
    assert lines[1].endswith(",price,2020-01-01,,,4,2.0000,5.0000,2.5000")
    assert json.loads(Path(files["report"]).read_text())["issues"] == 1
    console = Console(file=io.StringIO(), width=200, record=True)
    print_cases(report, console=console)
    assert "[bold]one.yaml: price" in console.export_text()


NO_REFERENCE = CASE.replace("    reference: 2\n", "")


def test_forecasters_missing_on_some_files_still_write_whole_outputs(tmp_path):
    """The reference-point baseline has no forecast on one file: intervals skip it."""
    cases = tmp_path / "cases"
    cases.mkdir()
    write_case(cases, "a.yaml", outcome="4")
    (cases / "b.yaml").write_text(
        NO_REFERENCE.format(outcome="8", as_of="2020-01-01"), encoding="utf-8"
    )
    report = score_cases([cases], ["compromise"], resamples=300)
    rows = {r["name"]: r for r in report["models"]}
    assert rows["reference point"]["issues"] == 1
    assert rows["reference point"]["mae"] == pytest.approx(20.0)
    assert rows["reference point"]["mae_ci"] == [20.0, 20.0]
    assert rows["compromise"]["mae"] == pytest.approx((15 + 55) / 2)
    out = tmp_path / "out"
    out.mkdir()
    files = write_outputs(report, out)
    assert json.loads(Path(files["report"]).read_text())["models"][0]["mae_ci"] == [20.0, 20.0]


def test_folder_search_keeps_to_scenarios(tmp_path):
    write_case(tmp_path, "one.yaml")
    write_case(tmp_path, "TWO.YAML", outcome="5")
    (tmp_path / "docker-compose.yml").write_text("services:\n  db: {image: x}\n")
    (tmp_path / "labels.yaml").write_text("format: winset-labels/1\nissues: []\nactors: []\n")
    hidden = tmp_path / ".venv"
    hidden.mkdir()
    write_case(hidden, "inside.yaml")
    report = score_cases([tmp_path, tmp_path / "one.yaml"], ["compromise"], resamples=50)
    assert sorted(Path(c["file"]).name for c in report["cases"]) == ["TWO.YAML", "one.yaml"]
    with pytest.raises(InputError, match="an existing file or folder, got ''"):
        score_cases([""])


def test_hindsight_rows_are_not_out_of_sample_and_models_listed_once(tmp_path):
    write_case(tmp_path, "one.yaml", outcome="{value: 4, decided: 2019-01-01}")
    report = score_cases([tmp_path], ["compromise", "compromise"], resamples=50)
    assert [r["name"] for r in report["models"]] == [
        "reference point",
        "scale middle",
        "compromise",
    ]
    assert {r["out_of_sample"] for r in report["models"]} == {False}
    assert {r["hindsight_issues"] for r in report["models"]} == {1}


def test_control_characters_in_file_names_are_escaped(tmp_path):
    write_case(tmp_path, "e\x1b[31mred\u202e.yaml")
    report = score_cases([tmp_path], ["compromise"], resamples=50)
    console = Console(file=io.StringIO(), width=200, record=True)
    print_cases(report, console=console)
    text = console.export_text()
    assert "\x1b" not in text and "\u202e" not in text
    assert "e\\x1b[31mred\\u202e.yaml: price" in text


# ----------------------------------------------------------------------------- the flagship


def test_kuril_examples_scored_against_the_2019_outcome():
    report = score_cases([EXAMPLES], resamples=200)
    assert report["issues"] == 4 and report["scenarios"] == 2 and not report["hindsight"]
    rows = {r["name"]: r for r in report["models"]}
    # By hand: the compromise forecasts against the recorded status quo (10, 85).
    errors = []
    for name in ("kuril-2019-01.yaml", "kuril-2019-09.yaml"):
        scenario = load(EXAMPLES / name)
        result = forecast(scenario)
        for issue, value in zip(result.issue_ids, result.forecast[0], strict=True):
            outcome = scenario.issue(issue).outcome
            assert outcome is not None
            errors.append(abs(float(value) - outcome.value))
    assert rows["compromise"]["mae"] == pytest.approx(np.mean(errors), abs=1e-3)
    # Nash bargaining with the status quo as disagreement point predicts no deal here.
    assert rows["nash"]["mae"] == pytest.approx(0.0, abs=1e-6)


def test_cli_backtest_files(tmp_path):
    proc = winset("backtest", str(EXAMPLES), "--models", "compromise", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["issues"] == 4 and {"name", "mae", "mae_ci"} <= set(data["models"][0])
    proc = winset("backtest", str(EXAMPLES), "--models", "nash", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "kuril-2019-01.yaml: territory" in proc.stdout
    assert (tmp_path / "cases-predictions.csv").exists()
    assert_one_line_error(winset("backtest", str(EXAMPLES), "--cv", "3"), "--cv 3")
    assert_one_line_error(winset("backtest", "deu", str(EXAMPLES)), "deu alone")
    assert_one_line_error(winset("backtest", str(tmp_path / "nothing")), "existing file or folder")
    afile = tmp_path / "afile"
    afile.write_text("x")
    for target in (str(EXAMPLES), "deu"):
        assert_one_line_error(
            winset("backtest", target, "--out", str(afile)), "out: expected a folder to write into"
        )
