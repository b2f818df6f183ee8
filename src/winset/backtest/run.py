"""The DEU III back-test: every applicable model, the baselines and the attempts, scored alike.

:func:`run_backtest` is what ``winset backtest deu`` calls; :func:`print_table` prints its
table. ``python -m winset.backtest --markdown`` prints the tables of
``docs/backtest.md``; ``--stability N`` adds the held-out MAE over CV seeds 0 … N-1.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from winset.backtest.deu import CAPABILITIES, Capability, case_of, counts, read_records
from winset.backtest.forecasters import (
    CENTRED_SCHEMES,
    attempts,
    constant,
    ensemble_median,
    median_actor,
    weighted_mean,
)
from winset.backtest.modelruns import run_model
from winset.backtest.score import (
    BOOTSTRAP,
    INNER_FOLDS,
    QUANTILES,
    Bootstrap,
    Family,
    Fixed,
    FloatArray,
    Heldout,
    IntArray,
    cross_validate,
    forward_validate,
    grouped_folds,
    mae,
    median_ae,
    rmse,
)
from winset.backtest.table import IssueTable, build_table
from winset.errors import InputError, show_value
from winset.models import MODELS

TARGET_MAE = 21.0
"""The goal: out-of-sample MAE at or below this."""
REFERENCE = "salience-weighted mean"
"""The row every other is compared with (Δ MAE, paired bootstrap)."""
ENSEMBLE_MEMBERS = ("salience-weighted mean", "snap+institutions", "predictive-median", "lad-stack")
"""Members of ``ensemble-median``, fixed before looking at their scores."""
FORWARD_TRAIN_WAVES = (1,)
"""The forward-in-time check fits on these waves (proposals introduced up to 2000) and
scores the later ones."""
DEFAULT_CAPABILITIES: tuple[Capability, ...] = CAPABILITIES
"""Capability schemes the registered models run with by default."""


def _check_models(models: Sequence[str] | None) -> list[str]:
    if models is None:
        return list(MODELS)
    names = list(models)
    for name in names:
        if name not in MODELS:
            raise InputError(
                f"a model name ({', '.join(MODELS)})", show_value(name), path=("models",)
            )
    return names


def _check_cv(cv: object) -> int:
    if isinstance(cv, bool) or not isinstance(cv, int) or cv < 2:
        raise InputError("a number of folds K ≥ 2", show_value(cv), path=("cv",))
    return cv


def run_backtest(
    models: list[str] | None = None,
    cv: int = 10,
    seed: int = 0,
    out_dir: Path | None = None,
    *,
    path: str | Path | None = None,
    capabilities: Sequence[str] = DEFAULT_CAPABILITIES,
    include_attempts: bool = True,
    resamples: int = BOOTSTRAP,
) -> dict[str, Any]:
    """Score the baselines, the registered models and the attempts on DEU III.

    Args:
        models: Registered model names to run (None: every one in ``MODELS``); one that
            does not apply to DEU (e.g. ``winsets``, which needs constituencies) is listed
            under ``not_applicable``.
        cv: Outer folds of the proposal-grouped cross-validation (≥ 2).
        seed: Seeds the folds, the bootstrap and any stochastic model.
        out_dir: If given, write ``deu-predictions.csv`` (held-out forecasts per issue),
            ``deu-report.json`` and ``deu-mae.png`` (if matplotlib is installed) there.
        path: The DEU III file (None: the cleaned copy shipped with winset).
        capabilities: Capability schemes the registered models run with.
        include_attempts: Also score the tuned attempts, their selection and ensemble.
        resamples: Bootstrap resamples.

    Returns:
        ``{"issues": int, "models": [{"name", "mae", "mae_ci", "out_of_sample", ...}], ...}``,
        rows sorted by kind then MAE.

    Raises:
        InputError: Unknown model name or capability, K < 2 or above the number of
            proposals, a bad DEU file.
    """
    started = time.perf_counter()
    names = _check_models(models)
    k = _check_cv(cv)
    schemes: list[Capability] = []
    for scheme in capabilities:
        if scheme not in CAPABILITIES:
            raise InputError(
                f"a capability scheme ({', '.join(CAPABILITIES)})",
                show_value(scheme),
                path=("capabilities",),
            )
        schemes.append(scheme)
    records = [r for r in read_records(path) if r.scorable]
    equal_cases = [case_of(r, "equal") for r in records]
    table = build_table(equal_cases)
    grouped_folds(table.group, k, seed)  # refuse K above the number of proposals early

    families: list[Family] = [
        Fixed("constant 50", constant(table), description="the scale's middle", kind="baseline"),
        Fixed(
            "median actor",
            median_actor(table),
            description="unweighted median of the present actors' positions",
            kind="baseline",
        ),
        Fixed(
            REFERENCE,
            weighted_mean(table),
            description="salience-weighted mean, every actor capability 1",
            kind="baseline",
            selectable=True,
        ),
    ]
    not_applicable: list[dict[str, Any]] = []
    model_seconds: dict[str, float] = {}
    exchange: dict[str, FloatArray] = {}
    for scheme in schemes:
        cases = equal_cases if scheme == "equal" else [case_of(r, scheme) for r in records]
        for name in names:
            run = run_model(name, cases, seed=seed)
            if name == "exchange" and run.forecast is not None:
                exchange[scheme] = run.forecast
            row_name = name if scheme == "equal" else f"{name}@{scheme}"
            if run.reason is not None:
                scored = 0 if run.forecast is None else int(np.isfinite(run.forecast).sum())
                not_applicable.append(
                    {
                        "name": row_name,
                        "model": name,
                        "capability": scheme,
                        "reason": run.reason,
                        "scored_issues": scored,
                    }
                )
            if run.forecast is None:
                continue
            model_seconds[row_name] = run.seconds
            families.append(
                Fixed(
                    row_name,
                    run.forecast,
                    description=MODELS[name].summary,
                    kind="model",
                    capability=scheme,
                )
            )
    if include_attempts:
        for scheme in CENTRED_SCHEMES:
            if scheme not in exchange:
                cases = equal_cases if scheme == "equal" else [case_of(r, scheme) for r in records]
                forecast = run_model("exchange", cases, seed=seed).forecast
                if forecast is not None:
                    exchange[scheme] = forecast
        families.extend(attempts(exchange))
    folds, heldout = cross_validate(table, families, k=k, seed=seed, select=include_attempts)
    for name, seconds in model_seconds.items():
        heldout[name].seconds += seconds
    if include_attempts and all(m in heldout for m in ENSEMBLE_MEMBERS):
        heldout["ensemble-median"] = Heldout(
            ensemble_median([heldout[m].prediction for m in ENSEMBLE_MEMBERS])
        )

    forward = _forward(table, families, seed=seed, select=include_attempts)

    boot = Bootstrap.draw(table.group, resamples=resamples, seed=seed)
    by_name = {f.name: f for f in families}
    reference_error = np.abs(heldout[REFERENCE].prediction - table.outcome)
    rows = [
        _row(name, result, by_name.get(name), table, boot, reference_error)
        for name, result in heldout.items()
    ]
    order = {"baseline": 0, "model": 1, "attempt": 2, "ensemble": 3, "selection": 4}
    rows.sort(key=lambda r: (order[r["kind"]], r["mae"]))
    for row in rows:
        family = by_name.get(row["name"])
        if family is not None and family.tuned:
            row["in_sample_mae"] = _in_sample(family, table, row)
    best = min((r for r in rows if r["out_of_sample"]), key=lambda r: r["mae"])
    record_counts = counts(read_records(path))
    report: dict[str, Any] = {
        "data": {
            "source": "DEU III (Arregui & Perarnaud 2022), doi:10.34810/data53, CC BY 4.0",
            "file": str(path) if path is not None else "winset cleaned copy (deu3-clean.csv)",
            **record_counts,
        },
        "issues": table.n,
        "proposals": table.n_groups,
        "cv": {"k": k, "seed": seed, "inner_k": INNER_FOLDS, "grouped_by": "proposal"},
        "bootstrap": {
            "resamples": resamples,
            "resampled": "proposals",
            "seed": seed,
            "level": 0.95,
        },
        "reference": REFERENCE,
        "target_mae": TARGET_MAE,
        "models": rows,
        "not_applicable": not_applicable,
        "best": {"name": best["name"], "mae": best["mae"], "mae_ci": best["mae_ci"]},
        "forward": _forward_report(forward, table, [r["name"] for r in rows], resamples, seed),
        "seconds": 0.0,
        "files": {},
    }
    report["seconds"] = round(time.perf_counter() - started, 2)
    if out_dir is not None:
        report["files"] = _write_outputs(report, table, folds, heldout, Path(out_dir))
    return report


@dataclass
class Forward:
    """Held-out forecasts of the forward-in-time split, and the split itself."""

    train: IntArray
    test: IntArray
    heldout: dict[str, Heldout]


def _forward(
    table: IssueTable, families: Sequence[Family], *, seed: int, select: bool
) -> Forward | None:
    """Every row fitted on the first wave and scored on the later ones.

    None when either side has fewer than two proposals (the inner CV that tunes and
    selects on the training side needs two).
    """
    train = np.flatnonzero(np.isin(table.wave, FORWARD_TRAIN_WAVES))
    test = np.flatnonzero(~np.isin(table.wave, FORWARD_TRAIN_WAVES))
    if min(np.unique(table.group[train]).size, np.unique(table.group[test]).size) < 2:
        return None
    out = forward_validate(table, families, train=train, test=test, seed=seed, select=select)
    if select and all(m in out for m in ENSEMBLE_MEMBERS):
        members = [out[m].prediction for m in ENSEMBLE_MEMBERS]
        out["ensemble-median"] = Heldout(ensemble_median(members))
    return Forward(train, test, out)


def _forward_report(
    forward: Forward | None,
    table: IssueTable,
    order: Sequence[str],
    resamples: int,
    seed: int,
) -> dict[str, Any] | None:
    """MAE on the later waves of every row fitted on the first, with bootstrap intervals.

    Rows with no forecast on the later waves (a model refusing all their proposals) are
    left out.
    """
    if forward is None:
        return None
    test = forward.test
    _, group = np.unique(table.group[test], return_inverse=True)
    boot = Bootstrap.draw(group, resamples=resamples, seed=seed)
    outcome = table.outcome[test]
    reference = np.abs(forward.heldout[REFERENCE].prediction[test] - outcome)
    rows = []
    for name in order:
        if name not in forward.heldout:
            continue
        error = np.abs(forward.heldout[name].prediction[test] - outcome)
        known = ~np.isnan(error)
        if not known.any():
            continue
        rows.append(
            {
                "name": name,
                "issues": int(known.sum()),
                "mae": round(float(error[known].mean()), 3),
                "mae_ci": [round(x, 3) for x in boot.interval(error)],
                "delta_mae": round(float((error - reference)[known].mean()), 3),
                "delta_mae_ci": [round(x, 3) for x in boot.interval(error - reference)],
                "folds": forward.heldout[name].folds if name == "selected" else [],
            }
        )

    def part(rows_: IntArray) -> dict[str, Any]:
        return {
            "waves": sorted({int(w) for w in table.wave[rows_]}),
            "issues": int(rows_.size),
            "proposals": int(np.unique(table.group[rows_]).size),
        }

    return {"train": part(forward.train), "test": part(test), "models": rows}


def _row(
    name: str,
    result: Heldout,
    family: Family | None,
    table: IssueTable,
    boot: Bootstrap,
    reference_error: FloatArray,
) -> dict[str, Any]:
    prediction = result.prediction
    outcome = table.outcome
    error = np.abs(prediction - outcome)
    if family is None:
        kind = "selection" if name == "selected" else "ensemble"
        description = (
            "per fold, the attempt (or the mean) with the best inner-CV MAE"
            if name == "selected"
            else "issue-wise median of " + ", ".join(ENSEMBLE_MEMBERS)
        )
        tuned, capability = name == "selected", "mixed"
    else:
        kind, description, tuned, capability = (
            family.kind,
            family.description,
            family.tuned,
            family.capability,
        )

    known = np.isfinite(prediction)
    same = reference_error[known]

    def groups(values: Any, label: str) -> dict[str, dict[str, float | int | None]]:
        out: dict[str, dict[str, float | int | None]] = {}
        for value in sorted(set(values.tolist())):
            mask = (values == value) & known
            out[f"{label}{value}"] = {
                "n": int(mask.sum()),
                "mae": round(float(error[mask].mean()), 3) if mask.any() else None,
            }
        return out

    return {
        "name": name,
        "kind": kind,
        "description": description,
        "capability": capability,
        "tuned": tuned,
        "out_of_sample": True,
        "issues": int(known.sum()),
        "mae": round(mae(prediction[known], outcome[known]), 3),
        "mae_ci": [round(x, 3) for x in boot.interval(error)],
        "rmse": round(rmse(prediction[known], outcome[known]), 3),
        "rmse_ci": [round(x, 3) for x in boot.interval(error**2, root=True)],
        "median_ae": round(median_ae(prediction[known], outcome[known]), 3),
        "delta_mae": round(float(error[known].mean() - same.mean()), 3),
        "delta_mae_ci": [round(x, 3) for x in boot.interval(error - reference_error)],
        "by_wave": groups(table.wave, "wave "),
        "by_procedure": groups(table.procedure, ""),
        "by_voting_rule": groups(table.voting_rule, ""),
        "folds": result.folds if tuned else [],
        "intervals": _intervals(result, outcome, boot),
        "seconds": round(result.seconds, 2),
    }


def _intervals(result: Heldout, outcome: FloatArray, boot: Bootstrap) -> dict[str, Any] | None:
    """Coverage and width of the held-out central predictive intervals (None: no intervals).

    The 50 % interval runs from the 25th to the 75th percentile, the 80 % one from the
    10th to the 90th (:data:`~winset.backtest.score.QUANTILES`); an outcome on an end counts
    as inside. A calibrated forecaster covers about 50 % and 80 % of the outcomes.
    """
    if result.quantiles is None:
        return None
    q = dict(zip(QUANTILES, result.quantiles, strict=True))
    out: dict[str, Any] = {}
    for level, (low, high) in (("50", (0.25, 0.75)), ("80", (0.1, 0.9))):
        lo, hi = q[low], q[high]
        known = ~np.isnan(lo) & ~np.isnan(hi)
        inside = np.where(known, (outcome >= lo - 1e-9) & (outcome <= hi + 1e-9), np.nan)
        out[level] = {
            "issues": int(known.sum()),
            "coverage": round(float(np.nanmean(inside)), 3),
            "coverage_ci": [round(x, 3) for x in boot.interval(inside)],
            "mean_width": round(float(np.nanmean(hi - lo)), 2),
        }
    return out


def _in_sample(family: Family, table: IssueTable, row: dict[str, Any]) -> float:
    """MAE when fitted on every issue (optimistic; shows how much CV takes off)."""
    every = np.arange(table.n)
    chosen = [f for f in row["folds"] if all(key in f for key in family.hypers[0])]
    hyper = family.hypers[0]
    if len(family.hypers) > 1 and chosen:
        votes = [tuple(sorted((key, f[key]) for key in family.hypers[0])) for f in chosen]
        common = max(set(votes), key=votes.count)
        hyper = dict(common)
    fitted = family.fit(table, every, hyper)
    return round(mae(family.predict(table, every, fitted, hyper), table.outcome), 3)


# --------------------------------------------------------------------------- output


def _write_outputs(
    report: dict[str, Any],
    table: IssueTable,
    folds: np.ndarray[Any, Any],
    heldout: dict[str, Heldout],
    out_dir: Path,
) -> dict[str, str | None]:
    if not out_dir.is_dir():
        raise InputError("an existing output folder", show_value(str(out_dir)), path=("out_dir",))
    names = [row["name"] for row in report["models"]]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["issue", "proposal", "wave", "procedure", "voting_rule", "fold", "outcome", *names]
    )
    for i in range(table.n):
        writer.writerow(
            [
                table.issue_ids[i],
                table.proposal_ids[i],
                int(table.wave[i]),
                table.procedure[i],
                table.voting_rule[i],
                int(folds[i]),
                f"{table.outcome[i]:g}",
                *(_cell(heldout[n].prediction[i]) for n in names),
            ]
        )
    files: dict[str, str | None] = {}
    predictions = out_dir / "deu-predictions.csv"
    _write(predictions, buffer.getvalue())
    files["predictions"] = str(predictions)
    files["plot"] = plot_report(report, out_dir / "deu-mae.png")
    report_path = out_dir / "deu-report.json"
    files["report"] = str(report_path)
    _write(report_path, json.dumps({**report, "files": files}, indent=2) + "\n")
    return files


def _write(path: Path, text: str) -> None:
    """Write atomically (the whole file or nothing)."""
    from winset.scenario.io import write_atomically

    write_atomically(path, text)


def _cell(x: float) -> str:
    return "" if np.isnan(x) else f"{x:.4f}"


def plot_report(report: dict[str, Any], target: Path) -> str | None:
    """Bar chart of every row's MAE with its 95 % interval; None without matplotlib."""
    from winset.report.plots import new_figure, save_figure

    rows = report["models"]
    try:
        fig, axes = new_figure(1, 1, (8, 0.32 * len(rows) + 1.2))
    except InputError:  # no matplotlib
        return None
    ax = axes[0][0]
    y = np.arange(len(rows))[::-1]
    maes = [r["mae"] for r in rows]
    lo = [r["mae"] - r["mae_ci"][0] for r in rows]
    hi = [r["mae_ci"][1] - r["mae"] for r in rows]
    colours = {
        "baseline": "#888888",
        "model": "#4477aa",
        "attempt": "#ee6677",
        "ensemble": "#228833",
        "selection": "#aa3377",
    }
    ax.barh(y, maes, xerr=[lo, hi], color=[colours[r["kind"]] for r in rows], capsize=2)
    if report.get("forward") is not None:
        later = {r["name"]: r["mae"] for r in report["forward"]["models"]}
        shown = [
            (yy, later[r["name"]]) for yy, r in zip(y, rows, strict=True) if r["name"] in later
        ]
        waves = "–".join(map(str, report["forward"]["test"]["waves"]))
        ax.scatter(
            [m for _, m in shown],
            [yy for yy, _ in shown],
            marker="D",
            s=14,
            color="black",
            zorder=3,
            label=f"fitted on wave 1, scored on waves {waves}",
        )
    ax.set_yticks(y, [r["name"] for r in rows], fontsize=8)
    reference = next(r["mae"] for r in rows if r["name"] == REFERENCE)
    ax.axvline(
        reference, color="black", linestyle=":", linewidth=1, label=f"{REFERENCE} {reference:.2f}"
    )
    ax.axvline(
        TARGET_MAE, color="red", linestyle="--", linewidth=1, label=f"target {TARGET_MAE:.1f}"
    )
    ax.set_xlabel("held-out MAE on DEU III (0–100), 95 % bootstrap interval")
    ax.set_xlim(min(15.0, min(maes) - 3), max(maes) + 6)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    save_figure(fig, target)
    return str(target)


COLUMNS = (
    "forecaster",
    "kind",
    "weights",
    "tuned",
    "issues",
    "MAE [95 % CI]",
    "RMSE",
    "MedAE",
    "Δ MAE vs mean [95 % CI]",
)
"""Columns of the printed table (console and Markdown alike)."""


def _signed(x: float) -> str:
    return f"{x if abs(x) >= 0.005 else 0.0:+.2f}"


def table_rows(report: dict[str, Any]) -> list[tuple[str, ...]]:
    """The printed table's cells, one tuple per row (shared by the console and Markdown)."""
    out: list[tuple[str, ...]] = []
    for r in report["models"]:
        delta = (
            "—"
            if r["name"] == REFERENCE
            else f"{_signed(r['delta_mae'])} "
            f"[{_signed(r['delta_mae_ci'][0])}, {_signed(r['delta_mae_ci'][1])}]"
        )
        out.append(
            (
                r["name"],
                r["kind"],
                r["capability"],
                "yes" if r["tuned"] else "no",
                str(r["issues"]),
                f"{r['mae']:.2f} [{r['mae_ci'][0]:.2f}, {r['mae_ci'][1]:.2f}]",
                f"{r['rmse']:.2f}",
                f"{r['median_ae']:.2f}",
                delta,
            )
        )
    return out


def _caption(report: dict[str, Any]) -> str:
    cv = report["cv"]
    return (
        f"DEU III back-test: {report['issues']} issues, {report['proposals']} proposals; "
        f"every score held out ({cv['k']}-fold CV grouped by proposal, seed {cv['seed']}; "
        f"tuned rows tuned on training folds only); 95 % intervals from "
        f"{report['bootstrap']['resamples']} proposal-bootstrap resamples. "
        f"Target MAE ≤ {report['target_mae']:.1f}."
    )


CALIBRATION_COLUMNS = (
    "forecaster",
    "issues",
    "50 %: coverage [95 % CI]",
    "mean width",
    "80 %: coverage [95 % CI]",
    "mean width ",
)
"""Columns of the calibration table (the second width column differs by a space)."""
CALIBRATION_CAPTION = (
    "Calibration: how often the held-out outcome falls inside the forecaster's central 50 % "
    "and 80 % predictive intervals (rows with a predictive distribution; same CV)."
)


def calibration_rows(report: dict[str, Any]) -> list[tuple[str, ...]]:
    """The calibration table's cells: rows whose forecaster has a predictive distribution."""
    out = []
    for r in report["models"]:
        intervals = r.get("intervals")
        if not intervals:
            continue
        cells = [r["name"], str(intervals["50"]["issues"])]
        for level in ("50", "80"):
            i = intervals[level]
            lo, hi = i["coverage_ci"]
            cells += [
                f"{100 * i['coverage']:.1f} % [{100 * lo:.1f}, {100 * hi:.1f}]",
                f"{i['mean_width']:.1f}",
            ]
        out.append(tuple(cells))
    return out


def calibration_markdown(report: dict[str, Any]) -> str:
    """The calibration table in Markdown ('' when no row has a predictive distribution)."""
    rows = calibration_rows(report)
    if not rows:
        return ""
    header = [c.strip() for c in CALIBRATION_COLUMNS]
    lines = [CALIBRATION_CAPTION, "", "| " + " | ".join(header) + " |"]
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines) + "\n"


FORWARD_COLUMNS = ("forecaster", "issues", "MAE [95 % CI]", "Δ MAE vs mean [95 % CI]")
"""Columns of the forward-in-time table."""


def forward_caption(report: dict[str, Any]) -> str:
    """What the forward-in-time table shows."""
    forward = report["forward"]
    train, test = forward["train"], forward["test"]

    def waves(part: dict[str, Any]) -> str:
        return ", ".join(map(str, part["waves"]))

    return (
        f"Forward in time: every row tuned and fitted on wave {waves(train)} only "
        f"({train['issues']} issues, {train['proposals']} proposals), scored on waves "
        f"{waves(test)} ({test['issues']} issues, {test['proposals']} proposals); 95 % "
        f"intervals from {report['bootstrap']['resamples']} bootstrap resamples of the test "
        f"proposals."
    )


def forward_rows(report: dict[str, Any]) -> list[tuple[str, ...]]:
    """The forward-in-time table's cells (empty when the data have a single period)."""
    if report.get("forward") is None:
        return []
    return [
        (
            r["name"],
            str(r["issues"]),
            f"{r['mae']:.2f} [{r['mae_ci'][0]:.2f}, {r['mae_ci'][1]:.2f}]",
            "—"
            if r["name"] == REFERENCE
            else f"{_signed(r['delta_mae'])} "
            f"[{_signed(r['delta_mae_ci'][0])}, {_signed(r['delta_mae_ci'][1])}]",
        )
        for r in report["forward"]["models"]
    ]


def print_table(report: dict[str, Any], console: Any = None) -> None:
    """Print the report as a rich table (what ``winset backtest deu`` shows)."""
    from rich.console import Console
    from rich.table import Table

    out = console or Console(highlight=False, width=None if sys.stdout.isatty() else 140)
    table = Table(title=_caption(report), title_justify="left")
    for column in COLUMNS:
        left = column in ("forecaster", "kind", "weights", "tuned")  # numbers to the right
        table.add_column(
            column,
            justify="left" if left else "right",
            no_wrap=True,
            min_width=36 if column == "forecaster" else None,
        )
    previous = None
    for r, cells in zip(report["models"], table_rows(report), strict=True):
        if previous is not None and r["kind"] != previous:
            table.add_section()
        previous = r["kind"]
        table.add_row(*cells)
    out.print(table)
    for item in report["not_applicable"]:
        scored = item["scored_issues"]
        what = "not scored" if not scored else f"scored on {scored} issues only"
        out.print(f"{what}: {item['name']} — {item['reason']}")
    best = report["best"]
    out.print(
        f"best held-out MAE: {best['name']} {best['mae']:.2f} "
        f"[{best['mae_ci'][0]:.2f}, {best['mae_ci'][1]:.2f}] (target ≤ {report['target_mae']:.1f})"
    )
    calibration = calibration_rows(report)
    if calibration:
        table = Table(title=CALIBRATION_CAPTION, title_justify="left")
        for column in CALIBRATION_COLUMNS:
            left = column == "forecaster"
            table.add_column(
                column, justify="left" if left else "right", min_width=36 if left else None
            )
        for cells in calibration:
            table.add_row(*cells)
        out.print(table)
    rows = forward_rows(report)
    if rows:
        forward = Table(title=forward_caption(report), title_justify="left")
        for column in FORWARD_COLUMNS:
            forward.add_column(column, justify="left" if column == "forecaster" else "right")
        for cells in rows:
            forward.add_row(*cells)
        out.print(forward)


def markdown_table(report: dict[str, Any]) -> str:
    """The same table in Markdown (for ``docs/backtest.md``)."""
    lines = [_caption(report), "", "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cells) + " |" for cells in table_rows(report)]
    for item in report["not_applicable"]:
        scored = item["scored_issues"]
        what = "Not scored" if not scored else f"Scored on {scored} issues only"
        lines.append(f"\n{what}: `{item['name']}` — {item['reason']}")
    return "\n".join(lines) + "\n"


def forward_markdown(report: dict[str, Any]) -> str:
    """The forward-in-time table in Markdown ('' when the data have a single period)."""
    rows = forward_rows(report)
    if not rows:
        return ""
    lines = [forward_caption(report), "", "| " + " | ".join(FORWARD_COLUMNS) + " |"]
    lines.append("|" + "---|" * len(FORWARD_COLUMNS))
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines) + "\n"


def breakdown_markdown(report: dict[str, Any]) -> str:
    """MAE by wave, procedure and voting rule for every row, in Markdown."""
    first = report["models"][0]
    keys = [*first["by_wave"], *first["by_procedure"], *first["by_voting_rule"]]
    sizes = {**first["by_wave"], **first["by_procedure"], **first["by_voting_rule"]}
    header = ["forecaster", *(f"{key} (n={sizes[key]['n']})" for key in keys)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in report["models"]:
        cells = {**r["by_wave"], **r["by_procedure"], **r["by_voting_rule"]}
        shown = ["—" if cells[k]["mae"] is None else f"{cells[k]['mae']:.2f}" for k in keys]
        lines.append("| " + " | ".join([r["name"], *shown]) + " |")
    return "\n".join(lines) + "\n"


def stability(
    seeds: Sequence[int], cv: int = 10, **options: Any
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Every row's MAE for several seeds: held out by CV, and forward in time.

    The CV split depends on the seed; the forward split does not, but its inner CV (which
    chooses hyperparameters and the selection) does.
    """
    held_out: dict[str, list[float]] = {}
    forward: dict[str, list[float]] = {}
    for seed in seeds:
        report = run_backtest(cv=cv, seed=seed, **options)
        for r in report["models"]:
            held_out.setdefault(r["name"], []).append(r["mae"])
        for r in (report["forward"] or {}).get("models", []):
            forward.setdefault(r["name"], []).append(r["mae"])
    return held_out, forward


def stability_markdown(results: dict[str, list[float]], seeds: Sequence[int], what: str) -> str:
    """One row per forecaster: its MAE for each seed, mean and sd, sorted by mean."""
    listed = ", ".join(map(str, seeds))
    lines = [f"| forecaster | {what} seeds {listed} | mean | sd |", "|---|---|---|---|"]
    for name, values in sorted(results.items(), key=lambda kv: float(np.mean(kv[1]))):
        sd = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
        shown = ", ".join(f"{v:.2f}" for v in values)
        lines.append(f"| {name} | {shown} | {np.mean(values):.2f} | {sd:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m winset.backtest [--cv K] [--json | --markdown] …``."""
    parser = argparse.ArgumentParser(prog="python -m winset.backtest", description=__doc__)
    parser.add_argument("--data", default=None, help="DEU III file (default: the shipped copy)")
    parser.add_argument("--models", nargs="*", default=None)
    parser.add_argument("--cv", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--stability", type=int, default=0, help="also run this many CV seeds")
    args = parser.parse_args(argv)
    try:
        report = run_backtest(args.models, args.cv, args.seed, args.out, path=args.data)
        if args.json:
            print(json.dumps(report, indent=2))
        elif args.markdown:
            print(markdown_table(report))
            print(breakdown_markdown(report))
            print(calibration_markdown(report))
            print(forward_markdown(report))
        else:
            print_table(report)
        if args.stability:
            seeds = list(range(args.stability))
            held_out, forward = stability(seeds, cv=args.cv, models=args.models, path=args.data)
            print("\n" + stability_markdown(held_out, seeds, "held-out MAE, CV"))
            if forward:
                print(stability_markdown(forward, seeds, "forward-in-time MAE, inner-CV"))
    except InputError as exc:
        print(f"winset: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
