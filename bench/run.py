"""winset benchmarks: every figure is a ratio against a baseline measured in the same run.

Usage: python bench/run.py [--draws N] [--actors A] [--issues I] [--seed S]
"""

from __future__ import annotations

import argparse
import platform
import resource
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from winset.models import compromise, median
from winset.scenario import Scenario, sample_arrays


def synthetic_scenario(n_actors: int, n_issues: int, rng: np.random.Generator) -> Scenario:
    """A scenario whose every capability, position and salience is a uniform range."""
    issues = [{"id": f"issue{i}"} for i in range(n_issues)]
    actors = []
    for a in range(n_actors):
        cap = float(rng.uniform(10, 90))
        stances = {}
        for i in range(n_issues):
            x, s = float(rng.uniform(10, 90)), float(rng.uniform(20, 80))
            stances[f"issue{i}"] = {
                "position": {"low": x - 10, "high": x + 10},
                "salience": {"low": s - 20, "high": s + 20},
            }
        actors.append(
            {
                "id": f"actor{a}",
                "capability": {"low": cap - 10, "high": cap + 10},
                "stances": stances,
            }
        )
    return Scenario.model_validate({"title": "bench", "issues": issues, "actors": actors})


def plain_python_mean(
    capability: list[list[float]],
    position: list[list[list[float]]],
    salience: list[list[list[float]]],
) -> list[list[float]]:
    """The compromise model as a plain Python loop over draws, issues and actors."""
    out = []
    for cap, pos, sal in zip(capability, position, salience, strict=True):
        row = []
        for i in range(len(pos[0])):
            num = den = 0.0
            for a in range(len(cap)):
                w = cap[a] * sal[a][i]
                num += w * pos[a][i]
                den += w
            row.append(num / den)
        out.append(row)
    return out


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=20)
    parser.add_argument("--issues", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    scenario = synthetic_scenario(args.actors, args.issues, rng)
    print(
        f"winset bench · {platform.python_implementation()} {platform.python_version()} · "
        f"numpy {np.__version__} · {args.draws:,} draws × {args.actors} actors × "
        f"{args.issues} issues"
    )

    t_sample, arrays = timed(lambda: sample_arrays(scenario, args.draws, rng=args.seed))
    print(f"sampling the draws (uniform ranges)       {t_sample:8.3f} s")

    t_mean, result = timed(lambda: compromise(arrays))
    t_median, _ = timed(lambda: median(arrays))
    # The baseline loops over the same draws in chunks, so that the Python lists it needs stay
    # small; turning arrays into lists is not timed.
    t_loop, looped = 0.0, []
    for start in range(0, args.draws, 100_000):
        part = slice(start, start + 100_000)
        lists = (
            arrays.capability[part].tolist(),
            arrays.position[part].tolist(),
            arrays.salience[part].tolist(),
        )
        seconds, rows = timed(lambda lists=lists: plain_python_mean(*lists))
        t_loop += seconds
        looped.extend(rows)
    gap = float(np.max(np.abs(np.asarray(looped) - result.forecast)))

    print(
        f"compromise, one vectorised call          {t_mean:8.3f} s  "
        f"{args.draws / t_mean:14,.0f} draws/s"
    )
    print(
        f"compromise, plain Python loop (baseline) {t_loop:8.3f} s  "
        f"{args.draws / t_loop:14,.0f} draws/s"
    )
    print(
        f"  → vectorised / loop speed-up           {t_loop / t_mean:8.1f} ×  "
        f"(largest difference {gap:.1e})"
    )
    print(
        f"weighted median, one vectorised call     {t_median:8.3f} s  "
        f"{args.draws / t_median:14,.0f} draws/s  ({t_loop / t_median:.1f} × the mean's loop)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS)                    {peak:8.0f} MiB")


if __name__ == "__main__":
    main()
