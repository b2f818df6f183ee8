"""The ``winset`` command line: a thin layer over the Python API."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from winset import __version__
from winset.errors import InputError, format_path, safe_text
from winset.experiments import DEFAULT_BATCH, TASKS
from winset.models import MODELS, get_model
from winset.result import Result
from winset.scenario import Scenario, nominal_arrays
from winset.scenario.io import Format, format_for_output, line_of_field, load, save
from winset.scenario.schema import scenario_json_schema

app = typer.Typer(
    name="winset",
    help="Forecast how multi-party negotiations end.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

EXIT_BAD_INPUT = 2


class OutputFormat(StrEnum):
    """How results are printed."""

    table = "table"
    json = "json"


class InputFormat(StrEnum):
    """Scenario file formats."""

    yaml = "yaml"
    ktab = "ktab"
    decide = "decide"


def _safe(value: object) -> Text:
    """Text from files and articles for the terminal: no markup, no escape sequences."""
    return Text(safe_text(value))


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn bad input into one line on stderr (one per bad file) and exit code 2."""
    try:
        yield
    except InputError as exc:
        # An ingest of many files reports every bad one (IngestError.errors).
        for error in getattr(exc, "errors", None) or (exc,):
            err.print(_safe(f"winset: error: {error}"), soft_wrap=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None


FileArg = Annotated[Path, typer.Argument(help="Scenario file: winset YAML, KTAB CSV or Decide.")]
InputFormatOpt = Annotated[
    InputFormat | None,
    typer.Option("--input-format", "-i", help="Input format (default: detected)."),
]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="Store: a SQLite file or postgresql+psycopg:// URL (or WINSET_DB)."),
]
SeedOpt = Annotated[
    int,
    typer.Option(min=0, max=2**31 - 1, help="Random seed: the same seed gives the same numbers."),
]
PlotOpt = Annotated[
    Path | None,
    typer.Option(help="Draw the actors and the forecasts to this file (.png, .svg or .pdf)."),
]
TrajectoriesOpt = Annotated[
    Path | None, typer.Option(help="Draw the forecasts (and actors) round by round to this file.")
]
ParamOpt = Annotated[
    list[str] | None,
    typer.Option("--param", "-p", help="A model option as name=value (see `winset models`)."),
]


def _load(file: Path, input_format: InputFormat | None) -> Scenario:
    chosen: Format | None = input_format.value if input_format else None
    return load(file, format=chosen)


def _print_json(data: Any) -> None:
    """Strict JSON: a number that is not finite (e.g. the spread of one draw) becomes null."""
    text = json.dumps(_finite(data), indent=2, ensure_ascii=False, allow_nan=False)
    sys.stdout.write(text + "\n")


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    if isinstance(value, np.ndarray):
        return _finite(value.tolist())
    if isinstance(value, np.generic):
        return _finite(value.item())
    return value


@app.command()
def validate(
    file: FileArg,
    input_format: InputFormatOpt = None,
    require_evidence: Annotated[
        bool,
        typer.Option(help="Fail if any number cites no evidence and states no judgement."),
    ] = False,
) -> None:
    """Check a scenario file and summarise it."""
    with _user_errors():
        scenario = _load(file, input_format)
        unsourced = scenario.unsourced()
        if require_evidence and unsourced:
            shown = ", ".join(format_path(p) for p in unsourced[:3])
            more = f" and {len(unsourced) - 3} more" if len(unsourced) > 3 else ""
            raise InputError(
                "evidence or a judgement on every number",
                f"none on {shown}{more}",
                file=str(file),
                line=line_of_field(file, unsourced[0]),
            )
    ranged = sum(1 for _, q in scenario.quantities() if q.distribution != "point")
    summary = (
        f"ok: {file}: {len(scenario.issues)} issues, {len(scenario.actors)} actors, "
        f"{ranged} uncertain inputs, {len(unsourced)} numbers without evidence or judgement"
    )
    out.print(_safe(summary), soft_wrap=True)
    for path, source, day in scenario.late_citations():
        assert scenario.as_of is not None
        note = (
            f"note: {format_path(path)} cites {source}, published {day.isoformat()}, after "
            f"as_of {scenario.as_of.isoformat()}"
        )
        out.print(_safe(note), soft_wrap=True)


def forecast_report(scenario: Scenario, result: Result) -> dict[str, Any]:
    """The JSON document of ``winset forecast``: the Result plus names, scales and labels."""
    data = result.to_dict()
    spec = MODELS.get(result.model)
    if spec is not None and spec.describe is not None:
        data[result.model] = spec.describe(result, 0)
    data["scenario"] = {
        "title": scenario.title,
        "question": scenario.question,
        "as_of": scenario.as_of.isoformat() if scenario.as_of else None,
    }
    for entry, issue in zip(data["issues"], scenario.issues, strict=True):
        point = issue.nearest_point(entry["forecast"])
        entry["name"] = issue.label
        entry["scale"] = list(issue.scale)
        entry["nearest_label"] = (
            None if point is None else {"position": point.position, "label": point.label}
        )
    for entry, actor in zip(data["actors"], scenario.actors, strict=True):
        entry["name"] = actor.label
        entry["capability"] = actor.capability.nominal
    return data


@app.command()
def forecast(
    file: FileArg,
    model: Annotated[
        str, typer.Option("--model", "-m", help="Model name (see `winset models`).")
    ] = ("compromise"),
    format: FormatOpt = OutputFormat.table,
    input_format: InputFormatOpt = None,
    param: ParamOpt = None,
    seed: SeedOpt = 0,
    plot: PlotOpt = None,
    trajectories: TrajectoriesOpt = None,
    actors: Annotated[bool, typer.Option(help="Show the actors' table.")] = True,
) -> None:
    """Forecast the outcome of every issue with one model."""
    with _user_errors():
        spec = get_model(model)
        options = spec.parse_options(param or [])
        scenario = _load(file, input_format)
        result = spec.function(nominal_arrays(scenario), rng=np.random.default_rng(seed), **options)
        if plot is not None:
            from winset.report.plots import plot_positions

            plot_positions(scenario, [result], plot)
        if trajectories is not None:
            from winset.report.plots import plot_trajectories

            plot_trajectories(scenario, [result], trajectories)
    report = forecast_report(scenario, result)
    if format is OutputFormat.json:
        _print_json(report)
        return
    _print_forecast_table(scenario, report, actors=actors)
    if spec.describe is not None:
        _print_description(report[spec.name])
    if plot is not None:
        out.print(_safe(f"plot written to {plot}"))


def _print_forecast_table(scenario: Scenario, report: dict[str, Any], *, actors: bool) -> None:
    title = _safe(f"{scenario.title} — {report['model']} model")
    if scenario.as_of:
        title.append(f" (as of {scenario.as_of.isoformat()})")
    table = Table(title=title, title_justify="left")
    table.add_column("issue")
    table.add_column("forecast", justify="right")
    table.add_column("scale", justify="center")
    table.add_column("nearest labelled point")
    for entry in report["issues"]:
        near = entry["nearest_label"]
        label = "" if near is None else f"{near['position']:g}: {near['label']}"
        low, high = entry["scale"]
        table.add_row(
            _safe(entry["name"]), f"{entry['forecast']:.1f}", f"{low:g}–{high:g}", _safe(label)
        )
    out.print(table)
    if actors:
        _print_actor_table(scenario)


def _print_actor_table(scenario: Scenario) -> None:
    actors = Table(title="Actors (capability; position / salience per issue)", title_justify="left")
    actors.add_column("actor")
    actors.add_column("capability", justify="right")
    for issue in scenario.issues:
        actors.add_column(_safe(issue.label), justify="right")
    for actor in scenario.actors:
        cells: list[Text | str] = [_safe(actor.label), f"{actor.capability.nominal:g}"]
        for issue in scenario.issues:
            stance = actor.stances.get(issue.id)
            cells.append(
                "–"
                if stance is None
                else f"{stance.position.nominal:g} / {stance.salience.nominal:g}"
            )
        actors.add_row(*cells)
    out.print(actors)


def _print_description(described: Any) -> None:
    """Model-specific findings, e.g. each leader's win-set and the zone of agreement."""
    if not isinstance(described, list):
        return
    for entry in described:
        if "winsets" not in entry:
            continue
        lines = _safe(f"{entry['issue']}: ")
        lines.append(
            "deal feasible" if entry["deal"] else "NO deal feasible",
            style="bold green" if entry["deal"] else "bold red",
        )
        lines.append(f" (status quo {entry['status_quo']:.1f})")
        ends = (entry["scale"], entry["status_quo"])
        for leader, ranges in entry["winsets"].items():
            lines.append(f"\n  {safe_text(leader)}'s win-set: {_ranges(ranges, *ends)}")
        lines.append(f"\n  zone of agreement: {_ranges(entry['zone'], *ends)}")
        out.print(lines)
    if any("winsets" in entry for entry in described):
        out.print(
            "A win-set holds the deals its constituency ratifies over the status quo; "
            "a round bracket marks an end outside it.",
            style="dim",
        )


def _ranges(ranges: list[list[float]], scale: list[float], status_quo: float) -> str:
    """``[a, b)`` style: only an end at the scale's end, not the status quo, is in the set."""

    def closed(end: float, scale_end: float) -> bool:
        return end == scale_end and end != status_quo

    shown = [
        f"{'[' if closed(lo, scale[0]) else '('}{lo:.1f}, "
        f"{hi:.1f}{']' if closed(hi, scale[1]) else ')'}"
        for lo, hi in ranges
    ]
    return " ∪ ".join(shown) or "empty"


@app.command()
def compare(
    file: FileArg,
    format: FormatOpt = OutputFormat.table,
    input_format: InputFormatOpt = None,
    seed: SeedOpt = 0,
    plot: PlotOpt = None,
    trajectories: TrajectoriesOpt = None,
) -> None:
    """Run every model on a scenario and show their forecasts side by side."""
    with _user_errors():
        scenario = _load(file, input_format)
        arrays = nominal_arrays(scenario)
        results = []
        skipped: dict[str, str] = {}
        for spec in MODELS.values():
            try:
                results.append(spec.function(arrays, rng=np.random.default_rng(seed)))
            except InputError as exc:  # a model that does not apply, e.g. no constituencies
                skipped[spec.name] = exc.message
        if plot is not None:
            from winset.report.plots import plot_positions

            plot_positions(scenario, results, plot)
        if trajectories is not None:
            from winset.report.plots import plot_trajectories

            plot_trajectories(scenario, results, trajectories)
    if format is OutputFormat.json:
        _print_json(
            {
                "models": [forecast_report(scenario, r) for r in results],
                "skipped": skipped,
            }
        )
        return
    table = Table(title=_safe(f"{scenario.title} — all models"), title_justify="left")
    table.add_column("issue")
    for r in results:
        table.add_column(r.model, justify="right")
    for i, issue in enumerate(scenario.issues):
        table.add_row(_safe(issue.label), *[f"{r.forecast[0, i]:.1f}" for r in results])
    out.print(table)
    for name, why in skipped.items():
        out.print(_safe(f"{name}: not applicable: {why}"))
    if plot is not None:
        out.print(_safe(f"plot written to {plot}"))


VaryOpt = Annotated[
    list[str] | None,
    typer.Option("--vary", "-v", help="Override a range: TARGET=LOW:HIGH, LOW:MODE:HIGH or ±D."),
]
ModelOpt = Annotated[str, typer.Option("--model", "-m", help="Model name (see `winset models`).")]


def _model_inputs(
    model: str,
    param: list[str] | None,
    file: Path,
    input_format: InputFormat | None,
    vary: list[str] | None,
) -> tuple[dict[str, Any], Scenario]:
    """The model's options from ``--param`` (checked first) and the scenario with ``--vary``."""
    options = get_model(model).parse_options(param or [])
    return options, _uncertain(file, input_format, vary)


def _uncertain(file: Path, input_format: InputFormat | None, vary: list[str] | None) -> Scenario:
    from winset.experiments.vary import apply_variations

    return apply_variations(_load(file, input_format), vary or [])


@app.command()
def mc(
    file: Annotated[Path | None, typer.Argument(help="Scenario file (omit with --resume).")] = None,
    model: ModelOpt = "compromise",
    draws: Annotated[int, typer.Option(help="Number of draws.")] = 10_000,
    seed: SeedOpt = 0,
    sampler: Annotated[str, typer.Option(help="mc, lhs (Latin hypercube) or sobol.")] = "mc",
    vary: VaryOpt = None,
    param: ParamOpt = None,
    deal: Annotated[
        str | None,
        typer.Option(
            help="What counts as a deal, e.g. 'territory >= 40' (default: the "
            "model's own deal flag, where it has one)."
        ),
    ] = None,
    executor: Annotated[str, typer.Option(help="local, process or dask.")] = "local",
    workers: Annotated[int | None, typer.Option(help="Processes or Dask workers.")] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Address of a running Dask scheduler (tcp://host:8786).")
    ] = None,
    batch: Annotated[
        int | None,
        typer.Option(
            help="Draws per batch, the unit dispatched, stored and resumed (run as "
            f"cache-sized vectorised calls). Default: about {TASKS} batches of whole calls, "
            f"each at most {DEFAULT_BATCH:,} draws or one call.",
            show_default=False,
        ),
    ] = None,
    db: DbOpt = None,
    store: Annotated[
        bool, typer.Option(help="Keep the run in the store (resumable); --no-store to skip.")
    ] = True,
    resume: Annotated[
        int | None, typer.Option(help="Continue a stored run: compute only its missing draws.")
    ] = None,
    format: FormatOpt = OutputFormat.table,
    input_format: InputFormatOpt = None,
) -> None:
    """Monte Carlo: the forecast distribution over draws of every uncertain input."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from winset.experiments.conditions import parse_condition
    from winset.experiments.montecarlo import BatchOutput, Job, run_job
    from winset.experiments.sampling import check_sampler

    with _user_errors():
        from winset.experiments.montecarlo import EXECUTORS

        if executor not in EXECUTORS:
            raise InputError(
                f"an executor ({', '.join(EXECUTORS)})", repr(executor), path=("--executor",)
            )
        if scheduler is not None and executor != "dask":
            raise InputError(
                "--scheduler only with --executor dask", executor, path=("--scheduler",)
            )
        kept = None
        if resume is not None:
            from winset.store import open_store
            from winset.store.runs import load_run

            kept = open_store(db)
            job, finished = load_run(kept, resume)
            run_id: int | None = resume
            err.print(
                _safe(
                    f"resuming run {resume}: its stored model, options, draws and "
                    "seed apply; scenario options on this command line are ignored"
                )
            )
        else:
            if file is None:
                raise InputError("a scenario FILE, or --resume RUN", "neither", path=("FILE",))
            options, scenario = _model_inputs(model, param, file, input_format, vary)
            job = Job(
                scenario,
                model,
                draws=draws,
                seed=seed,
                sampler=check_sampler(sampler),
                options=options,
                batch=batch,
            )
            finished, run_id = [], None
        # Everything is checked before a run is recorded: a typo leaves no empty run behind.
        condition = (
            None
            if deal is None
            else parse_condition(deal, tuple(i.id for i in job.scenario.issues), "--deal")
        )
        if resume is None and store:
            from winset.store import open_store
            from winset.store.runs import create_run

            kept = open_store(db)
            run_id = create_run(kept, job)

        def keep(part: BatchOutput) -> None:
            if kept is not None and run_id is not None:
                from winset.store.runs import add_batch

                add_batch(kept, run_id, part)

        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
            disable=format is OutputFormat.json or not err.is_terminal,
        ) as bar:
            task = bar.add_task(f"{job.model} × {job.draws:,} draws", total=job.draws)
            outcome = run_job(
                job,
                executor=executor,
                workers=workers,
                scheduler=scheduler,
                completed=finished,
                on_batch=keep,
                progress=lambda n: bar.advance(task, n),
            )
        if kept is not None and run_id is not None and not outcome.interrupted:
            from winset.store.runs import finish_run

            finish_run(kept, run_id)
        if kept is not None:
            kept.close()
        summary = outcome.summary(deal_when=condition)
        summary["run"] = run_id
        resumed = sum(p.stop - p.start for p in finished)
        summary["resumed_from"] = resumed if resume is not None else None
        summary["computed_now"] = outcome.completed - resumed
    if format is OutputFormat.json:
        _print_json(summary)
    else:
        _print_mc_table(job.scenario, summary)
        if run_id is not None:
            out.print(_safe(f"stored as run {run_id} (winset runs {run_id})"))
    if outcome.interrupted:
        err.print(
            _safe(
                f"interrupted: {outcome.completed:,} of {job.draws:,} draws kept"
                + (f"; continue with winset mc --resume {run_id}" if run_id else "")
            )
        )
        raise typer.Exit(130)


@app.command("runs")
def list_stored_runs(
    run: Annotated[int | None, typer.Argument(help="Show this run only.")] = None,
    db: DbOpt = None,
    format: FormatOpt = OutputFormat.table,
) -> None:
    """List the runs in the store, or show one."""
    from winset.store import open_store
    from winset.store.runs import list_runs

    with _user_errors():
        store = open_store(db)
        try:
            infos = list_runs(store, run)
        finally:
            store.close()
    if format is OutputFormat.json:
        _print_json([i.to_dict() for i in infos])
        return
    table = Table(title="Runs", title_justify="left")
    for column in ("run", "scenario", "model", "seed", "sampler", "draws", "done", "created"):
        table.add_column(column)
    for i in infos:
        done = "finished" if i.finished_at else f"{i.completed / i.draws:.0%}"
        table.add_row(
            str(i.id),
            _safe(i.scenario_title),
            i.model,
            str(i.seed),
            i.sampler,
            f"{i.draws:,}",
            done,
            i.created_at.strftime("%Y-%m-%d %H:%M"),
        )
    out.print(table)


def _print_mc_table(scenario: Scenario, summary: dict[str, Any]) -> None:
    title = _safe(
        f"{scenario.title} — {summary['model']}, {summary['completed']:,} draws "
        f"({summary['sampler']}, seed {summary['seed']}, "
        f"{summary['uncertain_inputs']} uncertain inputs)"
    )
    table = Table(title=title, title_justify="left")
    for column in ("issue", "mean", "sd", "p05", "p50", "p95"):
        table.add_column(column, justify="left" if column == "issue" else "right")
    has_deal = any("deal_probability" in e for e in summary["issues"])
    if has_deal:
        table.add_column("P(deal)", justify="right")
    for entry in summary["issues"]:
        cells = [_safe(entry["name"])] + [
            f"{entry[k]:.1f}" for k in ("mean", "sd", "p05", "p50", "p95")
        ]
        if has_deal:
            p = entry.get("deal_probability")
            cells.append("–" if p is None else f"{p:.1%}")
        table.add_row(*cells)
    out.print(table)
    if summary["deal_probability"] is not None:
        out.print(
            _safe(
                f"probability of a deal ({summary['deal_condition']}): "
                f"{summary['deal_probability']:.1%}"
            )
        )


@app.command()
def sensitivity(
    file: FileArg,
    model: ModelOpt = "compromise",
    method: Annotated[str, typer.Option(help="sobol (indices) or morris (screening).")] = "sobol",
    issue: Annotated[str | None, typer.Option(help="Issue id (default: the first).")] = None,
    samples: Annotated[int, typer.Option(help="Base samples (Sobol) or trajectories (Morris).")] = (
        1024
    ),
    seed: SeedOpt = 0,
    vary: VaryOpt = None,
    param: ParamOpt = None,
    plot: Annotated[Path | None, typer.Option(help="Draw a tornado chart to this file.")] = None,
    format: FormatOpt = OutputFormat.table,
    input_format: InputFormatOpt = None,
) -> None:
    """Rank the uncertain inputs by how much they move one issue's forecast."""
    from winset.experiments.sensitivity import sensitivity as analyse
    from winset.experiments.sensitivity import tornado

    with _user_errors():
        options, scenario = _model_inputs(model, param, file, input_format, vary)
        if method not in ("sobol", "morris"):
            raise InputError("a method (sobol, morris)", repr(method), path=("--method",))
        found = analyse(
            scenario,
            model,
            method=method,  # type: ignore[arg-type]
            issue=issue,
            samples=samples,
            seed=seed,
            options=options,
        )
        swings = tornado(scenario, model, issue=found.issue, options=options)
        if plot is not None:
            from winset.report.plots import plot_tornado

            plot_tornado(swings, plot, title=f"{scenario.title} — {model}")
    if format is OutputFormat.json:
        _print_json({"model": model, **found.to_dict(), "tornado": swings})
        return
    table = Table(
        title=_safe(
            f"{method} sensitivity of '{found.issue}' ({model}, {found.evaluations:,} runs)"
        ),
        title_justify="left",
    )
    table.add_column("input")
    keys = ("S1", "ST") if method == "sobol" else ("mu_star", "sigma")
    for key in keys:
        table.add_column(key, justify="right")
    table.add_column("swing (low → high)", justify="right")
    swing = {b["input"]: b for b in swings["bars"]}
    for row in found.rows:
        bar = swing[row["input"]]
        conf = row.get(f"{keys[0]}_conf")
        first = f"{row[keys[0]]:.3f}" + (f" ± {conf:.3f}" if conf is not None else "")
        table.add_row(
            _safe(row["input"]),
            first,
            f"{row[keys[1]]:.3f}",
            f"{bar['at_low']:.1f} → {bar['at_high']:.1f}",
        )
    out.print(table)
    if plot is not None:
        out.print(_safe(f"tornado chart written to {plot}"))


@app.command()
def discover(
    file: FileArg,
    when: Annotated[str, typer.Option(help="'deal', or e.g. 'territory >= 50 and security < 40'.")],
    model: ModelOpt = "compromise",
    draws: Annotated[int, typer.Option(help="Number of draws.")] = 10_000,
    seed: SeedOpt = 0,
    sampler: Annotated[str, typer.Option(help="mc, lhs or sobol.")] = "lhs",
    vary: VaryOpt = None,
    param: ParamOpt = None,
    min_coverage: Annotated[float, typer.Option(help="Coverage the chosen box keeps.")] = 0.5,
    format: FormatOpt = OutputFormat.table,
    input_format: InputFormatOpt = None,
) -> None:
    """Find the input conditions under which an outcome happens (PRIM)."""
    from winset.experiments.conditions import parse_condition
    from winset.experiments.discovery import choose, prim
    from winset.experiments.montecarlo import Job, run_job
    from winset.experiments.sampling import check_sampler

    with _user_errors():
        options, scenario = _model_inputs(model, param, file, input_format, vary)
        condition = parse_condition(when, tuple(i.id for i in scenario.issues))
        job = Job(
            scenario,
            model,
            draws=draws,
            seed=seed,
            sampler=check_sampler(sampler),
            options=options,
            keep_inputs=True,
        )
        outcome = run_job(job)
        inputs = outcome.inputs()
        if inputs.shape[1] == 0:
            raise InputError(
                "numbers with ranges in the scenario (or --vary)", "none", path=("inputs",)
            )
        done = outcome.done
        met = condition.evaluate(
            outcome.forecast[done], None if outcome.deal is None else outcome.deal[done]
        )
        nothing = bool(met.all() or not met.any())
        boxes = [] if nothing else prim(inputs, met)
        box = choose(boxes, min_coverage) if boxes else None
        from winset.scenario.arrays import uncertain_inputs

        names = tuple(u.label(scenario) for u in uncertain_inputs(scenario))
        limits = [] if box is None else box.restrictions(boxes[0].low, boxes[0].high, names)
    report = {
        "when": condition.text,
        "model": model,
        "draws": draws,
        "seed": seed,
        "base_rate": float(met.mean()),
        "box": None
        if box is None
        else {
            "coverage": box.coverage,
            "density": box.density,
            "mass": box.mass,
            "restrictions": limits,
        },
        "trajectory": [
            {"coverage": b.coverage, "density": b.density, "mass": b.mass} for b in boxes
        ],
    }
    if format is OutputFormat.json:
        _print_json(report)
        return
    out.print(_safe(f"'{condition.text}' happens in {report['base_rate']:.1%} of {draws:,} draws."))
    if box is None or not limits:
        reason = (
            "there are no conditions to discover"
            if box is None
            else ("no box of input conditions raises that share")
        )
        out.print(_safe(reason[0].upper() + reason[1:] + "."))
        return
    clauses = []
    for r in limits:
        if r["low"] is not None and r["high"] is not None:
            clauses.append(f"{r['input']} between {r['low']:.3g} and {r['high']:.3g}")
        elif r["low"] is not None:
            clauses.append(f"{r['input']} above {r['low']:.3g}")
        else:
            clauses.append(f"{r['input']} below {r['high']:.3g}")
    out.print(
        _safe(
            f"In {box.density:.0%} of draws when "
            + " and ".join(clauses)
            + f" (that box holds {box.coverage:.0%} of those draws and "
            f"{box.mass:.0%} of all draws)."
        )
    )


RulesOpt = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="Extra cleaning rules (YAML) for a publisher's boilerplate."),
]
NoModelOpt = Annotated[
    bool, typer.Option("--no-model", help="Use the name list and rules instead of spaCy.")
]


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Text or HTML files, folders, http(s) URLs.")],
    format: FormatOpt = OutputFormat.table,
    db: DbOpt = None,
    rules: RulesOpt = None,
    scenario: Annotated[
        Path | None, typer.Option(help="Scenario whose issues the stance finder looks for.")
    ] = None,
    no_model: NoModelOpt = False,
    allow_truncated: Annotated[
        bool, typer.Option(help="Accept articles that look cut off.")
    ] = False,
    no_save: Annotated[bool, typer.Option("--no-save", help="Extract without storing.")] = False,
) -> None:
    """Read, clean and extract news articles, and keep them in the store (once each)."""
    from winset.evidence.commands import ingest as ingest_documents
    from winset.evidence.commands import print_ingest

    with _user_errors():
        data = ingest_documents(
            paths,
            db,
            save=not no_save,
            rules=rules or (),
            scenario=scenario,
            use_model=not no_model,
            allow_truncated=allow_truncated,
        )
    if format is OutputFormat.json:
        _print_json(data)
    else:
        print_ingest(data, out)


@app.command()
def evidence(
    file: FileArg,
    format: FormatOpt = OutputFormat.table,
    db: DbOpt = None,
    no_store: Annotated[
        bool, typer.Option("--no-store", help="Read sources from their paths only.")
    ] = False,
    no_model: NoModelOpt = False,
    strict: Annotated[
        bool, typer.Option(help="Exit 1 if any input has no sentence behind it.")
    ] = False,
) -> None:
    """Show every input of a scenario with the sentences behind it; flag those with none."""
    from winset.evidence.commands import evidence_report, print_evidence

    with _user_errors():
        data = evidence_report(file, db, use_store=not no_store, use_model=not no_model)
    if format is OutputFormat.json:
        _print_json(data)
    else:
        print_evidence(data, out)
    if strict and data["summary"].get("flagged"):
        raise typer.Exit(1)


@app.command()
def draft(
    sources: Annotated[
        list[str], typer.Option("--from", help="Articles to draft the scenario from.")
    ],
    output: Annotated[Path | None, typer.Option(help="Write the draft here (YAML).")] = None,
    title: Annotated[str | None, typer.Option(help="The draft's title.")] = None,
    rules: RulesOpt = None,
    no_model: NoModelOpt = False,
) -> None:
    """Propose a first scenario from articles: actors found, figures bearing on clout."""
    from winset.evidence.commands import draft as draft_scenario
    from winset.scenario.io import dumps

    with _user_errors():
        scenario = draft_scenario(sources, title=title, rules=rules or (), use_model=not no_model)
        if output is not None:
            save(scenario, output, format="yaml")
    if output is None:
        sys.stdout.write(dumps(scenario, "yaml"))
    else:
        out.print(_safe(f"draft written to {output}: {len(scenario.actors)} actors"))


def _output_folder(path: Path) -> None:
    """Create the output folder ``path`` (and its parents) or refuse it in one line."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = (
            "an existing file" if path.exists() else (exc.strerror or type(exc).__name__).lower()
        )
        raise InputError("a folder to write into", reason, path=("out",)) from None


@app.command()
def backtest(
    targets: Annotated[
        list[str],
        typer.Argument(
            help="deu (DEU III, 351 EU decisions), or scenario files / folders whose issues "
            "record an outcome.",
            metavar="deu | FILE-OR-FOLDER...",
        ),
    ],
    models: Annotated[
        list[str] | None, typer.Option("--models", help="Registered models to score (default all).")
    ] = None,
    cv: Annotated[
        int | None,
        typer.Option(help="deu only: folds of the proposal-grouped cross-validation [10]."),
    ] = None,
    seed: SeedOpt = 0,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Write per-issue predictions (CSV), JSON (and a plot) here."),
    ] = None,
    data: Annotated[
        Path | None, typer.Option(help="deu only: a DEU III file (default: the cleaned copy).")
    ] = None,
    format: FormatOpt = OutputFormat.table,
) -> None:
    """Score every model against real outcomes, out of sample."""
    with _user_errors():
        if targets == ["deu"]:
            from winset.backtest.run import print_table, run_backtest

            if out_dir is not None:
                _output_folder(out_dir)
            report = run_backtest(models, 10 if cv is None else cv, seed, out_dir, path=data)
            printer = print_table
        else:
            from winset.backtest.cases import print_cases, score_cases, write_outputs

            for name, given in (("cv", cv), ("data", data)):
                if given is not None:
                    raise InputError(
                        "--cv and --data only with deu", f"--{name} {given}", path=(name,)
                    )
            if "deu" in targets:
                raise InputError(
                    "deu alone, or scenario files", " ".join(targets), path=("targets",)
                )
            report = score_cases(targets, models, seed=seed)
            if out_dir is not None:
                _output_folder(out_dir)
                report["files"] = write_outputs(report, out_dir)
            printer = print_cases
    if format is OutputFormat.json:
        _print_json(report)
    else:
        printer(report)


@app.command()
def convert(
    source: Annotated[Path, typer.Argument(help="Scenario file to read.")],
    target: Annotated[
        Path, typer.Argument(help="File to write (.yaml, .csv = KTAB, .txt = Decide).")
    ],
    input_format: InputFormatOpt = None,
    output_format: Annotated[
        InputFormat | None,
        typer.Option("--output-format", "-o", help="Output format (default: from the file name)."),
    ] = None,
) -> None:
    """Convert a scenario between formats; the output is written whole or not at all."""
    with _user_errors():
        scenario = _load(source, input_format)
        chosen: Format = output_format.value if output_format else format_for_output(target)
        save(scenario, target, format=chosen)
    out.print(_safe(f"wrote {target} ({chosen})"))


@app.command("models")
def list_models(format: FormatOpt = OutputFormat.table) -> None:
    """List the models winset can run."""
    if format is OutputFormat.json:
        _print_json(
            [
                {
                    "name": s.name,
                    "summary": s.summary,
                    "reference": s.reference,
                    "dynamic": s.dynamic,
                    "options": {o.name: o.default for o in s.options().values()},
                }
                for s in MODELS.values()
            ]
        )
        return
    table = Table(title="Models")
    for column in ("name", "summary", "options (--param name=value)", "reference"):
        table.add_column(column)
    for spec in MODELS.values():
        options = ", ".join(f"{o.name}={o.default}" for o in spec.options().values())
        table.add_row(spec.name, spec.summary, options or "–", spec.reference)
    out.print(table)


@app.command()
def schema() -> None:
    """Print the JSON Schema of winset's YAML scenario format (for editors)."""
    _print_json(scenario_json_schema())


@app.command()
def version() -> None:
    """Print winset's version."""
    out.print(__version__)


def main() -> None:
    """Entry point of the ``winset`` script; a usage error is one line and exit code 2."""
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        code = 130
    except Exception as exc:
        # Click's usage errors (typer vendors click, so match by behaviour, not by class).
        if getattr(exc, "exit_code", None) != EXIT_BAD_INPUT or not hasattr(exc, "format_message"):
            raise
        if type(exc).__name__ == "NoArgsIsHelpError":
            exc.show()  # type: ignore[attr-defined]
            code = 0
        else:
            message = safe_text(exc.format_message())
            sys.stderr.write(f"winset: error: {message} (see winset --help)\n")
            code = EXIT_BAD_INPUT
    sys.exit(code if isinstance(code, int) else 0)
