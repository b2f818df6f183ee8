"""Score winset's models against the outcomes recorded in an analyst's own scenario files.

An issue whose ``outcome`` is recorded (see docs/scenario-format.md) is a case. Every
registered model forecasts its scenario from the nominal inputs with its default options,
and the error is measured on a 0–100 scale (the issue's own scale stretched to it, so
issues on different scales count alike). Two baselines come with it: the reference point
(the status quo) where the issue has one, and the scale's middle. Nothing is fitted, so
every score is out of sample, provided the scenario was coded before the decision: a case
is flagged as coded in hindsight when its file's ``as_of`` date is on or after the
outcome's ``decided`` date, or when an input cites a source published on or after it; a
row that scores such a case is not marked out of sample. Intervals resample whole
scenarios, since the issues of one scenario are not independent.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from winset.backtest.modelruns import forecast_of
from winset.backtest.score import BOOTSTRAP, Bootstrap
from winset.errors import InputError, format_path, safe_text, show_value
from winset.models import MODELS
from winset.scenario import Scenario
from winset.scenario.io import load

SUFFIXES = (".yaml", ".yml")
"""Files a folder is searched for (only winset YAML records outcomes; case ignored)."""
STATUS_QUO = "reference point"
MIDDLE = "scale middle"
_SCENARIO_KEYS = re.compile(r"^(issues|actors):", flags=re.MULTILINE)
_FORMAT = re.compile(r"^format:\s*['\"]?([^'\"\s#]+)", flags=re.MULTILINE)


def _looks_like_scenario(path: Path) -> bool:
    """A YAML file with top-level ``issues`` and ``actors`` and no other ``format``."""
    text = path.read_text(encoding="utf-8", errors="replace")
    declared = _FORMAT.search(text)
    if declared is not None and declared.group(1) != "winset/1":
        return False
    return {m.group(1) for m in _SCENARIO_KEYS.finditer(text)} == {"issues", "actors"}


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def scenario_files(paths: Sequence[str | Path]) -> list[Path]:
    """The files named, and the scenario files under the folders named (sorted, each once).

    A folder is searched at any depth, outside hidden folders, for ``*.yaml`` / ``*.yml``
    files that look like winset scenarios (top-level ``issues`` and ``actors``, no other
    ``format``), so that other YAML files (winset's labels, a docker-compose file …) are
    left alone. A file named explicitly is always read.

    Raises:
        InputError: A path does not exist or is empty, or no file is found.
    """
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if str(given) == "":
            raise InputError("an existing file or folder", "''", path=("paths",))
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in SUFFIXES
                and p.is_file()
                and not _hidden(p, path)
                and _looks_like_scenario(p)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise InputError("an existing file or folder", show_value(str(given)), path=("paths",))
    unique: dict[Path, Path] = {}
    for file in found:
        unique.setdefault(file.resolve(), file)
    if not unique:
        listed = ", ".join(str(p) for p in paths) or "no path"
        raise InputError(
            "winset scenario files (.yaml, .yml)", f"none in {listed}", path=("paths",)
        )
    return list(unique.values())


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _number(x: float) -> str:
    """A number as written in the file (no exponent, no lost digits)."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def score_cases(
    paths: Sequence[str | Path],
    models: Sequence[str] | None = None,
    *,
    seed: int = 0,
    resamples: int = BOOTSTRAP,
) -> dict[str, Any]:
    """Score the registered models (and two baselines) on every recorded outcome.

    Args:
        paths: Scenario files, or folders searched for ``*.yaml`` / ``*.yml``.
        models: Registered model names (None: all of them).
        seed: Seeds the generator handed to the models (scenarios in file order) and the
            bootstrap.
        resamples: Bootstrap resamples of the scenarios.

    Returns:
        ``{"issues", "scenarios", "models": [{"name", "kind", "issues", "mae", "mae_ci",
        "rmse", "median_ae", "out_of_sample"}], "cases": [...], "hindsight": [...],
        "skipped": [...], "not_applicable": [...]}``; errors on the 0–100 scale.

    Raises:
        InputError: An unknown model, a bad or missing file, or no recorded outcome at all.
    """
    names = list(MODELS) if models is None else list(dict.fromkeys(models))
    for name in names:
        if name not in MODELS:
            raise InputError(
                f"a model name ({', '.join(MODELS)})", show_value(name), path=("models",)
            )
    files = scenario_files(paths)
    cases: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    not_applicable: list[dict[str, str]] = []
    scenarios = 0
    for file in files:
        scenario = load(file)
        scored = [issue for issue in scenario.issues if issue.outcome is not None]
        if not scored:
            skipped.append({"file": str(file), "reason": "no issue records an outcome"})
            continue
        forecasts: dict[str, dict[str, float]] = {}
        for name in names:
            # One stream per file and model: a model's numbers do not depend on which other
            # files and models are scored alongside.
            key = [seed, zlib.crc32(str(file).encode()), zlib.crc32(name.encode())]
            try:
                forecasts[name] = forecast_of(name, scenario, np.random.default_rng(key))
            except InputError as exc:
                not_applicable.append({"name": name, "file": str(file), "reason": str(exc)})
            except Exception as exc:  # a failing model must not stop the scoring of the others
                reason = f"failed: {type(exc).__name__}: {exc}"
                not_applicable.append({"name": name, "file": str(file), "reason": reason})
        for issue in scored:
            cases.append(_case(file, scenario, issue.id, forecasts, scenarios))
        scenarios += 1
    if not cases:
        shown = ", ".join(str(f) for f in files[:3]) + (", …" if len(files) > 3 else "")
        raise InputError(
            "a winset YAML file where at least one issue records an 'outcome' (KTAB and "
            "Decide files cannot)",
            f"none in {_plural(len(files), 'file')} ({shown})",
            path=("outcome",),
        )
    group = np.array([c["group"] for c in cases])
    boot = Bootstrap.draw(group, resamples=resamples, seed=seed)
    rows = [_row(name, "baseline", cases, boot) for name in (STATUS_QUO, MIDDLE)]
    rows += sorted(
        (_row(name, "model", cases, boot) for name in names),
        key=lambda r: (r["mae"] is None, r["mae"] or 0.0),
    )
    return {
        "issues": len(cases),
        "scenarios": scenarios,
        "seed": seed,
        "bootstrap": {"resamples": resamples, "resampled": "scenarios", "level": 0.95},
        "models": rows,
        "cases": [{k: v for k, v in c.items() if k != "group"} for c in cases],
        "hindsight": [
            f"{c['file']}: {c['issue']}: {'; '.join(c['hindsight'])}"
            for c in cases
            if c["hindsight"]
        ],
        "skipped": skipped,
        "not_applicable": not_applicable,
    }


def _case(
    file: Path,
    scenario: Scenario,
    issue_id: str,
    forecasts: dict[str, dict[str, float]],
    group: int,
) -> dict[str, Any]:
    issue = scenario.issue(issue_id)
    assert issue.outcome is not None
    lo, hi = issue.scale
    decided = issue.outcome.decided
    hindsight: list[str] = []
    if decided is not None:
        if scenario.as_of is not None and scenario.as_of >= decided:
            hindsight.append(f"coded as of {scenario.as_of.isoformat()}")
        hindsight += [
            f"{format_path(path)} cites {source} ({day.isoformat()})"
            for path, source, day in scenario.late_citations(decided - dt.timedelta(days=1))
        ]
    forecast: dict[str, float | None] = {
        STATUS_QUO: None if issue.reference is None else issue.reference.nominal,
        MIDDLE: (lo + hi) / 2,
    }
    for name, values in forecasts.items():
        forecast[name] = values.get(issue_id)
    return {
        "file": str(file),
        "scenario": scenario.title,
        "issue": issue_id,
        "name": issue.label,
        "scale": [lo, hi],
        "outcome": issue.outcome.value,
        "decided": None if decided is None else decided.isoformat(),
        "as_of": None if scenario.as_of is None else scenario.as_of.isoformat(),
        "hindsight": hindsight,
        "forecasts": forecast,
        "group": group,
    }


def _row(name: str, kind: str, cases: list[dict[str, Any]], boot: Bootstrap) -> dict[str, Any]:
    """Errors of one forecaster on the 0–100 scale (NaN where it gave no forecast)."""
    error = np.array(
        [
            np.nan
            if c["forecasts"].get(name) is None
            else 100.0 * abs(c["forecasts"][name] - c["outcome"]) / (c["scale"][1] - c["scale"][0])
            for c in cases
        ]
    )
    known = ~np.isnan(error)
    hindsight = sum(bool(c["hindsight"]) for c, k in zip(cases, known, strict=True) if k)
    row: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "issues": int(known.sum()),
        "hindsight_issues": hindsight,
        "out_of_sample": hindsight == 0,
        "mae": None,
        "mae_ci": None,
        "rmse": None,
        "median_ae": None,
    }
    if known.any():
        row["mae"] = round(float(error[known].mean()), 3)
        row["mae_ci"] = [round(x, 3) for x in boot.interval(error)]
        row["rmse"] = round(float(np.sqrt(np.mean(error[known] ** 2))), 3)
        row["median_ae"] = round(float(np.median(error[known])), 3)
    return row


def predictions_frame(report: dict[str, Any]) -> Any:
    """One row per case and forecaster, as a pandas DataFrame (errors on the 0–100 scale)."""
    import pandas as pd

    records = []
    for case in report["cases"]:
        lo, hi = case["scale"]
        for name, value in case["forecasts"].items():
            records.append(
                {
                    "file": case["file"],
                    "issue": case["issue"],
                    "decided": case["decided"],
                    "as_of": case["as_of"],
                    "hindsight": bool(case["hindsight"]),
                    "outcome": case["outcome"],
                    "forecaster": name,
                    "forecast": value,
                    "error_0_100": None
                    if value is None
                    else 100.0 * abs(value - case["outcome"]) / (hi - lo),
                }
            )
    return pd.DataFrame.from_records(records)


def write_outputs(report: dict[str, Any], out_dir: Path) -> dict[str, str]:
    """Write ``cases-predictions.csv`` and ``cases-report.json`` into ``out_dir``.

    The CSV has one row per case and one column per forecaster; each file is written
    whole or not at all.
    """
    from winset.scenario.io import write_atomically

    names = [row["name"] for row in report["models"]]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["file", "issue", "as_of", "decided", "hindsight", "outcome", *names])
    for case in report["cases"]:
        values = case["forecasts"]
        writer.writerow(
            [
                case["file"],
                case["issue"],
                case["as_of"] or "",
                case["decided"] or "",
                "; ".join(case["hindsight"]),
                _number(case["outcome"]),
                *("" if values.get(n) is None else f"{values[n]:.4f}" for n in names),
            ]
        )
    predictions = out_dir / "cases-predictions.csv"
    write_atomically(predictions, buffer.getvalue())
    report_path = out_dir / "cases-report.json"
    write_atomically(report_path, json.dumps(report, indent=2, allow_nan=False) + "\n")
    return {"predictions": str(predictions), "report": str(report_path)}


def print_cases(report: dict[str, Any], console: Any = None) -> None:
    """The scores, then (for up to 20 cases) every case's outcome and forecasts."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    def _safe(value: str) -> Text:
        return Text(safe_text(value))  # no markup, no control or bidi characters

    out = console or Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    title = (
        f"{_plural(report['issues'], 'recorded outcome')} in "
        f"{_plural(report['scenarios'], 'scenario file')}; "
        f"errors on a 0–100 scale; 95 % intervals from {report['bootstrap']['resamples']} "
        "bootstrap resamples of the scenarios."
    )
    table = Table(title=title, title_justify="left")
    for column in ("forecaster", "kind", "issues", "MAE [95 % CI]", "RMSE", "MedAE"):
        table.add_column(column, justify="left" if column in ("forecaster", "kind") else "right")
    for r in report["models"]:
        if r["mae"] is None:
            table.add_row(r["name"], r["kind"], "0", "—", "—", "—")
            continue
        lo, hi = r["mae_ci"]
        table.add_row(
            r["name"],
            r["kind"],
            str(r["issues"]),
            f"{r['mae']:.2f} [{lo:.2f}, {hi:.2f}]",
            f"{r['rmse']:.2f}",
            f"{r['median_ae']:.2f}",
        )
    out.print(table)
    if report["issues"] <= 20:
        names = [r["name"] for r in report["models"]]
        cases = Table(title="Outcome and forecasts per case (issue scale)", title_justify="left")
        cases.add_column("case")
        cases.add_column("decided")
        cases.add_column("outcome", justify="right")
        for name in names:
            cases.add_column(name, justify="right")
        for case in report["cases"]:
            values = case["forecasts"]
            cases.add_row(
                _safe(f"{Path(case['file']).name}: {case['issue']}"),
                case["decided"] or "",
                _number(case["outcome"]),
                *("—" if values.get(n) is None else f"{values[n]:.1f}" for n in names),
            )
        out.print(cases)
    for item in report["hindsight"]:
        out.print(_safe(f"coded in hindsight (on or after the decision): {item}"))
    for item in report["skipped"]:
        out.print(_safe(f"skipped {item['file']}: {item['reason']}"))
    for item in report["not_applicable"]:
        out.print(_safe(f"{item['name']} does not apply to {item['file']}: {item['reason']}"))
