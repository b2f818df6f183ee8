from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA

SCENARIO = DATA / "three_party.yaml"


def winset(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "winset", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_forecast_json_contract():
    proc = winset("forecast", str(SCENARIO), "--model", "compromise", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["model"] == "compromise"
    budget = data["issues"][0]
    assert budget["id"] == "budget"
    assert budget["forecast"] == pytest.approx(3010 / 73)
    assert budget["trajectory"] == [budget["forecast"]]
    assert budget["nearest_label"] == {"position": 50.0, "label": "Half the request"}
    assert [a["id"] for a in data["actors"]] == ["north", "south", "east"]
    assert data["actors"][0]["positions"] == {"budget": 20.0, "oversight": 90.0}


def test_forecast_table_and_plot(tmp_path):
    plot = tmp_path / "p.png"
    proc = winset("forecast", str(SCENARIO), "-m", "median", "--plot", str(plot))
    assert proc.returncode == 0, proc.stderr
    assert "Budget increase" in proc.stdout and "20.0" in proc.stdout
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_validate_and_require_evidence():
    proc = winset("validate", str(SCENARIO))
    assert proc.returncode == 0
    assert "2 issues, 3 actors, 2 uncertain inputs" in proc.stdout
    strict = winset("validate", str(SCENARIO), "--require-evidence")
    assert_one_line_error(
        strict,
        "three_party.yaml:17: ",
        "expected evidence or a judgement",
        "none on issues[0].reference, actors[0].stances.budget.position",
    )


def test_models_lists_baselines():
    data = json.loads(winset("models", "--format", "json").stdout)
    assert {m["name"] for m in data} >= {"compromise", "median"}


def test_schema_accepts_bare_numbers():
    schema = json.loads(winset("schema").stdout)
    assert {"type": "number"} in schema["$defs"]["Quantity"]["anyOf"]
    assert {"type": "number"} in schema["$defs"]["Outcome"]["anyOf"]
    assert schema["required"] == ["title", "issues", "actors"]


def test_convert_yaml_round_trip(tmp_path):
    out = tmp_path / "copy.yaml"
    proc = winset("convert", str(SCENARIO), str(out))
    assert proc.returncode == 0, proc.stderr
    again = json.loads(winset("forecast", str(out), "-f", "json").stdout)
    first = json.loads(winset("forecast", str(SCENARIO), "-f", "json").stdout)
    assert again["issues"] == first["issues"]


def test_failed_convert_leaves_old_output_untouched(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SCENARIO.read_text().replace("capability: 10", "capability: -10"))
    out = tmp_path / "out.yaml"
    out.write_text("precious\n")
    proc = winset("convert", str(bad), str(out))
    assert_one_line_error(proc, "bad.yaml:", "expected a value ≥ 0, got -10")
    assert out.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "out.yaml"]


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        (b"", ("empty.yaml", "expected a scenario, got an empty file")),
        (b"\x89PNG\r\n\x1a\n\x00\x00", ("empty.yaml", "expected UTF-8 text, got binary data")),
        (b"title: caf\xe9\n", ("empty.yaml:1", "expected UTF-8 text, got an invalid byte")),
        (b"title: [x\n", ("empty.yaml:2", "expected valid YAML")),
    ],
)
def test_bad_files(tmp_path, content, fragments):
    path = tmp_path / "empty.yaml"
    path.write_bytes(content)
    assert_one_line_error(winset("forecast", str(path)), *fragments)


def test_size_limit(tmp_path):
    proc = winset("validate", str(SCENARIO), env={"WINSET_MAX_INPUT_BYTES": "100"})
    assert_one_line_error(proc, "three_party.yaml", "expected a file of at most 100 bytes")


def test_missing_file_and_unknown_model(tmp_path):
    assert_one_line_error(winset("validate", str(tmp_path / "nope.yaml")), "no such file")
    assert_one_line_error(
        winset("forecast", str(SCENARIO), "-m", "oracle"), "expected a model name", "'oracle'"
    )


def test_untrusted_text_is_not_interpreted(tmp_path):
    path = tmp_path / "markup.yaml"
    text = SCENARIO.read_text().replace("name: North", "name: '[bold red]North[/] $x^2$'")
    path.write_text(text)
    proc = winset("forecast", str(path), "--plot", str(tmp_path / "m.svg"))
    assert proc.returncode == 0, proc.stderr
    assert "[bold red]North[/]" in proc.stdout  # rich markup shown literally


@given(st.binary(max_size=300))
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_random_bytes_never_crash(tmp_path, blob):
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(blob)
    proc = winset("validate", str(path))
    assert proc.returncode in (0, 2), proc.stderr
    assert "Traceback" not in proc.stderr


def test_compare_draws_positions_and_trajectories(tmp_path):
    positions, rounds = tmp_path / "p.svg", tmp_path / "r.png"
    proc = winset(
        "compare",
        str(SCENARIO),
        "--plot",
        str(positions),
        "--trajectories",
        str(rounds),
        "--format",
        "json",
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert {m["model"] for m in data["models"]} >= {"compromise", "median", "eum", "nash"}
    assert "winsets" in data["skipped"]  # no constituencies in this scenario
    assert positions.read_text().lstrip().startswith("<?xml")
    assert rounds.read_bytes()[:4] == b"\x89PNG"


def test_usage_errors_are_one_line():
    assert_one_line_error(winset("forecast", str(SCENARIO), "--seed", "-1"), "--seed")
    assert_one_line_error(winset("nope"), "No such command")
    assert_one_line_error(winset("forecast"), "Missing argument")


def test_bad_input_inside_a_worker_process_is_one_line():
    proc = winset(
        "mc",
        str(SCENARIO),
        "-m",
        "eum",
        "-p",
        "rounds=-1",
        "--draws",
        "10",
        "--executor",
        "process",
        "--workers",
        "1",
        "--no-store",
    )
    assert_one_line_error(proc, "rounds")


def test_terminal_escapes_in_files_are_shown_escaped(tmp_path):
    path = tmp_path / "esc.yaml"
    path.write_text(
        SCENARIO.read_text().replace(
            "title: Three-party budget dispute", 'title: "Budget \\e[31mRED\\e]0;owned\\a"'
        )
    )
    proc = winset("forecast", str(path), "--no-actors")
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "\\x1b[31mRED" in proc.stdout


def test_json_has_no_nan():
    proc = winset("mc", str(SCENARIO), "--draws", "1", "--no-store", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)  # strict: NaN would not parse as JSON null
    assert data["issues"][0]["sd"] is None
    assert "NaN" not in proc.stdout
