"""Plots of a scenario's actors and the models' forecasts (needs matplotlib: extra ``report``)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from winset.errors import InputError, safe_text
from winset.result import Result
from winset.scenario.io import write_atomically
from winset.scenario.model import Scenario

_MARKERS = ("-", "--", ":", "-.")


def plot_positions(scenario: Scenario, results: Sequence[Result], path: str | Path) -> None:
    """One panel per issue: actors on the scale (size = capability × salience), forecasts.

    Args:
        scenario: The scenario the results were computed from.
        results: Results of one draw each; each model's forecast is drawn as a vertical line.
        path: Output file; the suffix (.png, .svg, .pdf) picks the format.
    """
    target = _check_suffix(path)
    n = len(scenario.issues)
    height = 0.6 + n * (1.2 + 0.28 * len(scenario.actors))
    figure, axes = new_figure(n, 1, (11, height))
    for row, issue in enumerate(scenario.issues):
        ax = axes[row][0]
        members = [(a, a.stances[issue.id]) for a in scenario.actors if issue.id in a.stances]
        members.sort(key=lambda m: m[1].position.nominal)
        peak = max(a.capability.nominal * s.salience.nominal for a, s in members) or 1.0
        for y, (actor, stance) in enumerate(members):
            weight = actor.capability.nominal * stance.salience.nominal / peak
            low, high = stance.position.bounds()
            if high > low:
                ax.plot([low, high], [y, y], color="0.75", linewidth=2, zorder=1)
            ax.scatter(
                [stance.position.nominal],
                [y],
                s=30 + 300 * weight,
                color="tab:blue",
                alpha=0.7,
                zorder=2,
            )
            on_right = stance.position.nominal > issue.scale[0] + 0.7 * (
                issue.scale[1] - issue.scale[0]
            )
            ax.annotate(
                _shorten(actor.label, 30),
                (stance.position.nominal, y),
                xytext=(-10 if on_right else 10, -3),
                textcoords="offset points",
                ha="right" if on_right else "left",
                fontsize=8,
            )
        for k, result in enumerate(results):
            x = float(result.forecast[0, result.issue_ids.index(issue.id)])
            ax.axvline(
                x,
                color=f"C{k + 1}",
                linestyle=_MARKERS[k % len(_MARKERS)],
                label=f"{result.model}: {x:.1f}",
            )
        if issue.reference is not None:
            ax.axvline(issue.reference.nominal, color="0.3", linewidth=0.8, label="status quo")
        ax.set_xlim(*issue.scale)
        ax.set_yticks([])
        ax.set_ylim(-1, len(members))
        ax.set_title(_literal(issue.label), loc="left", fontsize=10)
        labelled = [p for p in issue.points if p.label]
        if labelled:
            ax.set_xticks([p.position for p in labelled])
            ax.set_xticklabels([f"{p.position:g}" for p in labelled], fontsize=8)
            key = "\n".join(f"{p.position:g}: {_shorten(p.label, 60)}" for p in labelled)
            ax.text(1.01, 0.0, key, transform=ax.transAxes, fontsize=6.5, va="bottom")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
    figure.suptitle(_literal(scenario.title), fontsize=11)
    figure.tight_layout()
    save_figure(figure, target)


def new_figure(rows: int, columns: int, size: tuple[float, float]) -> tuple[Any, Any]:
    """A figure and its axes grid, without pyplot: no global backend switch for notebooks."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise InputError(
            "matplotlib installed (pip install 'winset[report]')", "no matplotlib", path=("--plot",)
        ) from None
    figure = Figure(figsize=size)
    return figure, figure.subplots(rows, columns, squeeze=False)


def _check_suffix(path: str | Path) -> Path:
    target = Path(path)
    if target.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise InputError(
            "a plot file ending in .png, .svg or .pdf", repr(target.name), path=("--plot",)
        )
    return target


def save_figure(figure: Any, target: Path) -> None:
    """Render to memory, then write atomically: no half-written image is left behind."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format=target.suffix.lower().lstrip("."), dpi=130)
    write_atomically(target, buffer.getvalue())


def _shorten(label: str, most: int = 38) -> str:
    return _literal(label if len(label) <= most else label[: most - 1] + "…")


def _literal(text: str) -> str:
    """Text from files drawn as is: ``$`` would start mathtext, control characters shown."""
    return safe_text(text).replace("$", r"\$")


def plot_tornado(swings: dict[str, Any], path: str | Path, *, title: str, most: int = 15) -> None:
    """A tornado chart: each input's one-at-a-time swing of the forecast, largest on top."""
    target = _check_suffix(path)
    bars = swings["bars"][:most][::-1]
    base = swings["base"]
    figure, axes = new_figure(1, 1, (9, 1 + 0.35 * len(bars)))
    ax = axes[0][0]
    for y, bar in enumerate(bars):
        low, high = sorted((bar["at_low"], bar["at_high"]))
        ax.barh(y, high - low, left=low, color="tab:blue", alpha=0.7)
    ax.axvline(base, color="0.2", linewidth=1)
    ax.set_yticks(range(len(bars)))
    ax.set_yticklabels([_shorten(b["input"], 45) for b in bars], fontsize=8)
    ax.set_xlabel(_literal(f"forecast of {swings['issue']} (base {base:.1f})"))
    ax.set_title(_literal(title), fontsize=10, loc="left")
    figure.tight_layout()
    save_figure(figure, target)


def plot_trajectories(
    scenario: Scenario, results: Sequence[Result], path: str | Path, *, draw: int = 0
) -> None:
    """One panel per issue: each model's forecast round by round (static models: one point).

    Where a single result keeps its actors' positions per round, they are drawn too, thin.
    """
    target = _check_suffix(path)
    n = len(scenario.issues)
    figure, axes = new_figure(n, 1, (9, 0.6 + 2.6 * n))
    for row, issue in enumerate(scenario.issues):
        ax = axes[row][0]
        for k, result in enumerate(results):
            i = result.issue_ids.index(issue.id)
            path_of_issue = result.trajectory[draw, :, i]
            rounds = range(len(path_of_issue))
            if len(results) == 1 and result.actor_trajectory is not None:
                for a, actor_id in enumerate(result.actor_ids):
                    ax.plot(
                        rounds, result.actor_trajectory[draw, :, a, i], color="0.75", linewidth=0.8
                    )
                    ax.annotate(
                        _shorten(actor_id, 20),
                        (rounds[-1], result.actor_trajectory[draw, -1, a, i]),
                        xytext=(4, 0),
                        textcoords="offset points",
                        fontsize=6,
                    )
            ax.plot(
                rounds,
                path_of_issue,
                color=f"C{k + 1}",
                linestyle=_MARKERS[k % len(_MARKERS)],
                marker="o",
                markersize=3,
                label=f"{result.model}: {path_of_issue[-1]:.1f}",
            )
        ax.set_ylim(*issue.scale)
        ax.set_xlabel("round", fontsize=8)
        ax.set_title(_literal(issue.label), loc="left", fontsize=10)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
    figure.suptitle(_literal(scenario.title), fontsize=11)
    figure.tight_layout()
    save_figure(figure, target)
