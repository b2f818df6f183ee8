"""Benchmark of the expected-utility model (winset.models.eum).

Prints (1) one call on 10 actors × 10 rounds × 1 draw (target: under 5 ms); (2) 1,000 draws
of a 20-actor scenario in one batched call; (3) as the baseline, measured in the same run,
the same 1,000 draws run one call per draw, and the ratio. Timings are printed, never
asserted. Usage: python bench/bench_eum.py [--draws N] [--seed S]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time

import numpy as np

from winset.models.eum import eum
from winset.scenario.arrays import ScenarioArrays


def random_arrays(draws: int, actors: int, issues: int, rng: np.random.Generator) -> ScenarioArrays:
    """A 0-100 scenario whose draws scatter every number around a nominal value."""
    capability = rng.uniform(10, 90, actors) + rng.uniform(-10, 10, (draws, actors))
    position = rng.uniform(10, 90, (actors, issues)) + rng.uniform(-10, 10, (draws, actors, issues))
    salience = rng.uniform(0.3, 0.7, (actors, issues)) + rng.uniform(
        -0.2, 0.2, (draws, actors, issues)
    )
    return ScenarioArrays(
        actor_ids=tuple(f"actor{a}" for a in range(actors)),
        issue_ids=tuple(f"issue{i}" for i in range(issues)),
        capability=capability,
        position=position,
        salience=salience,
        reference=np.full((draws, issues), np.nan),
        scale_low=np.zeros(issues),
        scale_high=np.full(issues, 100.0),
        has_stance=np.ones((actors, issues), dtype=bool),
    )


def one_draw(arrays: ScenarioArrays, d: int) -> ScenarioArrays:
    """Draw ``d`` alone, as a batch of one."""
    return ScenarioArrays(
        actor_ids=arrays.actor_ids,
        issue_ids=arrays.issue_ids,
        capability=arrays.capability[d : d + 1],
        position=arrays.position[d : d + 1],
        salience=arrays.salience[d : d + 1],
        reference=arrays.reference[d : d + 1],
        scale_low=arrays.scale_low,
        scale_high=arrays.scale_high,
        has_stance=arrays.has_stance,
    )


def main(argv: list[str] | None = None) -> None:
    """Print the timings; ``argv`` as on the command line (none when called by bench/run.py)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args([] if argv is None else argv)
    rng = np.random.default_rng(args.seed)
    rounds = 10
    print(
        f"winset eum bench · {platform.python_implementation()} {platform.python_version()} · "
        f"numpy {np.__version__} · {rounds} rounds, tolerance 0 (every round runs)"
    )

    small = random_arrays(1, 10, 1, rng)
    eum(small, rounds=rounds, tolerance=0.0)  # warm-up
    times = []
    for _ in range(200):
        start = time.perf_counter()
        eum(small, rounds=rounds, tolerance=0.0)
        times.append(time.perf_counter() - start)
    print(
        f"(1) 10 actors × {rounds} rounds × 1 draw, one call   "
        f"median {statistics.median(times) * 1e3:6.2f} ms  best {min(times) * 1e3:6.2f} ms  "
        f"(target < 5 ms)"
    )

    for issues in (1, 3):
        arrays = random_arrays(args.draws, 20, issues, rng)
        singles = [one_draw(arrays, d) for d in range(args.draws)]
        eum(singles[0], rounds=rounds, tolerance=0.0)  # warm-up
        start = time.perf_counter()
        batched = eum(arrays, rounds=rounds, tolerance=0.0)
        t_batch = time.perf_counter() - start
        start = time.perf_counter()
        looped = [eum(one, rounds=rounds, tolerance=0.0) for one in singles]
        t_loop = time.perf_counter() - start
        gap = 0.0
        for d, result in enumerate(looped):
            assert result.actor_trajectory is not None and batched.actor_trajectory is not None
            step = np.abs(result.actor_trajectory[0] - batched.actor_trajectory[d])
            gap = max(gap, float(np.max(step)))
        label = f"{args.draws:,} draws × 20 actors × {issues} issue{'s' if issues > 1 else ''}"
        print(
            f"(2) {label}, one batched call      {t_batch:8.3f} s  "
            f"{args.draws / t_batch:10,.0f} draws/s"
        )
        print(
            f"(3) {label}, one call per draw     {t_loop:8.3f} s  "
            f"{args.draws / t_loop:10,.0f} draws/s  (baseline)"
        )
        print(
            f"    → batched / per-draw speed-up            {t_loop / t_batch:8.1f} ×  "
            f"(largest difference {gap:.1e})"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
