"""Score winset's models against the outcomes recorded in an analyst's own scenario files.

An issue whose ``outcome`` is recorded (see docs/scenario-format.md) is a case. Every
registered model forecasts its scenario from the nominal inputs with its default options,
and the error is measured on a 0–100 scale (the issue's own scale stretched to it, so
issues on different scales count alike). Two baselines come with it: the reference point
(the status quo) where the issue has one, and the scale's middle. Nothing is fitted, so
every score is out of sample, provided the scenario was coded before the decision: a case
is flagged as coded in hindsight when its file's ``as_of`` date is on or after the
outcome's ``decided`` date, or when an input cites a source published on or after it. Intervals resample whole scenarios, since the issues of one scenario are not
independent.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from winset.backtest.modelruns import forecast_of
from winset.backtest.score import BOOTSTRAP, Bootstrap
from winset.errors import InputError, format_path, show_value
from winset.models import MODELS
from winset.scenario import Scenario
from winset.scenario.io import load

SUFFIXES = (".yaml", ".yml")
"""Files a folder is searched for (only winset YAML records outcomes)."""
STATUS_QUO = "reference point"
MIDDLE = "scale middle"


def _other_winset_file(path: Path) -> bool:
    """True for winset's other YAML files (labels, cleaning rules, gazetteers …)."""
    head = path.read_text(encoding="utf-8", errors="replace")[:4096]
    match = re.search(r"^format:\s*['\"]?(winset-[a-z]+/\d+)", head, flags=re.MULTILINE)
    return match is not None


def scenario_files(paths: Sequence[str | Path]) -> list[Path]:
    """The files named, and the scenario files under the folders named (sorted).

    A folder is searched for ``*.yaml`` / ``*.yml`` at any depth, leaving out winset's
    other YAML files (``format: winset-labels/1`` and the like); a file named explicitly is
    always read.

    Raises:
        InputError: A path does not exist, or no file is found.
    """
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.suffix in SUFFIXES and p.is_file() and not _other_winset_file(p)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise InputError("an existing file or folder", show_value(str(given)), path=("paths",))
    if not found:
        listed = ", ".join(str(p) for p in paths) or "no path"
        raise InputError("scenario files (.yaml, .yml)", f"none in {listed}", path=("paths",))
    return found


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
    names = list(MODELS) if models is None else list(models)
    for name in names:
        if name not in MODELS:
            raise InputError(
                f"a model name ({', '.join(MODELS)})", show_value(name), path=("models",)
            )
    files = scenario_files(paths)
    rng = np.random.default_rng(seed)
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
            try:
                forecasts[name] = forecast_of(name, scenario, rng)
            except InputError as exc:
                not_applicable.append({"name": name, "file": str(file), "reason": str(exc)})
            except Exception as exc:  # a failing model must not stop the scoring of the others
                reason = f"failed: {type(exc).__name__}: {exc}"
                not_applicable.append({"name": name, "file": str(file), "reason": reason})
        for issue in scored:
            cases.append(_case(file, scenario, issue.id, forecasts, scenarios))
        scenarios += 1
    if not cases:
        raise InputError(
            "scenario files where at least one issue records an 'outcome'",
            f"none in {len(files)} file{'s' if len(files) != 1 else ''}",
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
    row: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "issues": int(known.sum()),
        "out_of_sample": True,
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
                f"{case['outcome']:g}",
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
    from rich.markup import escape
    from rich.table import Table

    out = console or Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    title = (
        f"{report['issues']} recorded outcomes in {report['scenarios']} scenario files; "
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
                escape(f"{Path(case['file']).name}: {case['issue']}"),
                case["decided"] or "",
                f"{case['outcome']:g}",
                *("—" if values.get(n) is None else f"{values[n]:.1f}" for n in names),
            )
        out.print(cases)
    for item in report["hindsight"]:
        out.print(escape(f"coded in hindsight (on or after the decision): {item}"))
    for item in report["skipped"]:
        out.print(escape(f"skipped {item['file']}: {item['reason']}"))
    for item in report["not_applicable"]:
        out.print(escape(f"{item['name']} does not apply to {item['file']}: {item['reason']}"))
