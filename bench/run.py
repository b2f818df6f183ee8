"""winset benchmarks: every figure is a ratio against a baseline measured in the same run.

Usage: python bench/run.py [--only SECTION ...] [--draws N]
Sections: foundation, montecarlo, and one per model/evidence bench module present
(bench_exchange.py, bench_eum.py, bench_smp.py, bench_evidence.py).
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from winset.models import compromise
from winset.scenario import Scenario, sample_arrays

HERE = Path(__file__).parent


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


def foundation(draws: int) -> None:
    """Compromise model: one vectorised call on all draws against a plain Python loop."""
    print(f"\n## foundation: compromise model, {draws:,} draws × 20 actors × 3 issues")
    scenario = synthetic_scenario(20, 3, np.random.default_rng(2026))
    arrays = sample_arrays(scenario, draws, rng=2026)
    t_vector, result = timed(lambda: compromise(arrays))
    # The baseline loops over the same draws in chunks, so that the Python lists it needs
    # stay small; turning arrays into lists is not timed.
    t_loop, looped = 0.0, []
    for start in range(0, draws, 100_000):
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
    print(f"one vectorised call          {t_vector:8.3f} s  {draws / t_vector:14,.0f} draws/s")
    print(f"plain Python loop (baseline) {t_loop:8.3f} s  {draws / t_loop:14,.0f} draws/s")
    print(
        f"→ speed-up                   {t_loop / t_vector:8.1f} ×  (largest difference {gap:.1e})"
    )


_CHILD = """
import json, resource, sys, time
import numpy as np
sys.path.insert(0, {here!r})
from run import synthetic_scenario
from winset.experiments.montecarlo import Job, run_job
scenario = synthetic_scenario(20, {issues}, np.random.default_rng(7))
job = Job(scenario, {model!r}, draws={draws}, seed=1, batch={batch}, options={options!r})
scheduler = None
if {executor!r} == "dask":  # the cluster starts before the clock does
    from winset.experiments.montecarlo import local_cluster
    cluster = local_cluster({workers})
    scheduler = cluster.scheduler_address
    # Warm-up: every worker imports winset and runs one small batch before the clock starts.
    warm = Job(scenario, {model!r}, draws={workers} * 64, seed=2, batch=64, options={options!r})
    run_job(warm, executor="dask", scheduler=scheduler)
start = time.perf_counter()
outcome = run_job(job, executor={executor!r}, workers={workers}, scheduler=scheduler)
seconds = time.perf_counter() - start
# VmHWM is this process's own high-water mark (ru_maxrss survives exec from the parent).
peak = next(int(line.split()[1]) for line in open("/proc/self/status")
            if line.startswith("VmHWM")) / 1024
if {executor!r} == "process":
    peak += resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "peak_mib": peak, "completed": outcome.completed,
                  "checksum": float(np.nansum(outcome.forecast))}}))
"""


def _child(
    model: str,
    draws: int,
    batch: int,
    executor: str,
    workers: int,
    *,
    issues: int = 3,
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Run one Monte Carlo job in a fresh process, so its peak memory is its own."""
    code = _CHILD.format(
        here=str(HERE),
        model=model,
        draws=draws,
        batch=batch,
        executor=executor,
        workers=workers,
        issues=issues,
        options=options or {},
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def montecarlo(draws: int) -> None:
    """End-to-end Monte Carlo: sampling + model, batched, per executor; dispatch overhead."""
    print(f"\n## montecarlo: compromise, {draws:,} draws × 20 actors × 3 issues, end to end")
    runs = {
        "local, batches of 65,536": _child("compromise", draws, 65_536, "local", 1),
        "process pool, 2 workers (+ children)": _child("compromise", draws, 65_536, "process", 2),
    }
    sums = {round(r["checksum"], 6) for r in runs.values()}
    for name, r in runs.items():
        print(
            f"{name:38s} {r['seconds']:7.2f} s  peak {r['peak_mib']:7.0f} MiB  "
            f"{r['completed'] / r['seconds']:12,.0f} draws/s"
        )
    print(f"same numbers on every executor: {len(sums) == 1}")
    heavy = max(draws // 4, 1)
    one = _child("nash", heavy, 8_192, "dask", 1)
    two = _child("nash", heavy, 8_192, "dask", 2)
    local = _child("nash", heavy, 8_192, "local", 1)
    print(
        f"nash (bisection), {heavy:,} draws: local {local['seconds']:.2f} s, Dask 1 worker "
        f"{one['seconds']:.2f} s, 2 workers {two['seconds']:.2f} s "
        f"(cluster started and warmed before timing; same numbers: "
        f"{round(one['checksum'], 6) == round(two['checksum'], 6) == round(local['checksum'], 6)})"
    )
    print(
        f"→ Dask parallel efficiency, 2 workers vs 1: {one['seconds'] / (2 * two['seconds']):.0%}"
    )
    eum_draws = max(draws // 10, 1)
    eum = _child("eum", eum_draws, 2000, "process", 2, issues=1, options={"tolerance": 0.0})
    print(
        f"eum, {eum_draws:,} draws × 20 actors × 1 issue × 10 rounds, process pool of 2: "
        f"{eum['seconds']:.1f} s ({eum['completed'] / eum['seconds']:,.0f} draws/s)"
    )
    small = 20_000
    per_draw = _child("compromise", small, 1, "local", 1)
    batched = _child("compromise", small, 65_536, "local", 1)
    print(
        f"dispatch: {small:,} draws one call per draw {per_draw['seconds']:.2f} s, "
        f"one batched call {batched['seconds']:.3f} s → "
        f"{per_draw['seconds'] / batched['seconds']:.0f} × faster batched"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--draws", type=int, default=1_000_000)
    args = parser.parse_args()
    print(
        f"winset bench · {platform.python_implementation()} {platform.python_version()} · "
        f"numpy {np.__version__} · {platform.machine()}"
    )
    sections: dict[str, Callable[[], None]] = {
        "foundation": lambda: foundation(args.draws),
        "montecarlo": lambda: montecarlo(args.draws),
    }
    sys.path.insert(0, str(HERE))
    for module_file in sorted(HERE.glob("bench_*.py")):
        name = module_file.stem.removeprefix("bench_")
        sections[name] = importlib.import_module(module_file.stem).main
    for name, run in sections.items():
        if args.only is None or name in args.only:
            if name not in ("foundation", "montecarlo"):
                print(f"\n## {name}")
            run()


if __name__ == "__main__":
    main()
