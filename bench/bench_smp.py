"""Speed of winset's SMP against KTAB's smpc.

KTAB's figures are those recorded in ../shared/data/ktab/PROVENANCE.md (smpc rebuilt with
-O2 on a 2-core machine of this kind, median of 3): they were not measured in this run.
Give the path of an smpc binary built elsewhere (``--smpc PATH`` or WINSET_SMPC=PATH) to
time it here too, on the same inputs in the same run, and print the measured ratio.

Usage: python bench/bench_smp.py [--smpc PATH] [--smpc-max-actors N] [--repeat N]

smpc is timed only on cases of at most ``--smpc-max-actors`` actors (default 40): it takes a
minute or more on 80. Nothing here builds KTAB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from bench_exchange import jittered

import winset
from winset.models.smp import smp
from winset.scenario import ScenarioArrays, nominal_arrays

KTAB = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ktab"

RECORDED = {  # seconds, KTAB smpc, from ../shared/data/ktab/PROVENANCE.md
    "SOE-Policy": 1.53,
    "dummyData-a040": 6.80,
    "dummyData-a080": 79.8,
}
CASES = ["SOE-Policy", "dummyData-a040", "dummyData-a080"]
GROWTH = [10, 20, 40, 80, 160]

# smpc reads ./smpc-logger.conf; this one logs to a file as KTAB's shipped one does.
LOGGER_CONF = """* GLOBAL:
    FORMAT = %msg
    FILENAME = "smpc-log.txt"
    ENABLED = true
    TO_FILE = true
    TO_STANDARD_OUTPUT = false
"""


def timings(arrays: ScenarioArrays, repeat: int) -> tuple[float, float, int]:
    """Median and best wall time of ``smp`` over ``repeat`` runs, and the number of turns."""
    times = []
    turns = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = smp(arrays)
        times.append(time.perf_counter() - start)
        turns = int(result.details["turns"].max())
    return statistics.median(times), min(times), turns


def subset(arrays: ScenarioArrays, n: int) -> ScenarioArrays:
    """The first ``n`` actors."""
    return replace(
        arrays,
        actor_ids=arrays.actor_ids[:n],
        capability=arrays.capability[:, :n].copy(),
        position=arrays.position[:, :n].copy(),
        salience=arrays.salience[:, :n].copy(),
        has_stance=arrays.has_stance[:n].copy(),
    )


def smpc_seconds(smpc: Path, csv: Path, repeat: int) -> float:
    """Median wall time of ``smpc --csv FILE --logmin`` run in a scratch folder."""
    times = []
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "smpc-logger.conf").write_text(LOGGER_CONF)
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(
                [str(smpc), "--csv", str(csv), "--logmin"],
                cwd=scratch,
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    """Print the timings; ``argv`` as on the command line (none when called by bench/run.py)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smpc", type=Path, default=os.environ.get("WINSET_SMPC"))
    parser.add_argument("--smpc-max-actors", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args([] if argv is None else argv)
    if not KTAB.exists():
        print(f"smp bench skipped: {KTAB} is absent")
        return
    smpc: Path | None = args.smpc
    if smpc is not None and not smpc.exists():
        print(f"no smpc at {smpc}: KTAB is not timed in this run")
        smpc = None
    print("KTAB smpc figures are recorded ones (PROVENANCE.md), not measured in this run,")
    print("except the 'smpc here' column, measured now when --smpc is given. Ratios use")
    print("medians; on a machine shared with other work the best time is the steadier figure.\n")
    header = f"{'case':<16}{'size':>7}{'turns':>6}{'median s':>10}{'best s':>9}"
    header += f"{'KTAB rec. s':>12}{'× rec.':>8}"
    if smpc is not None:
        header += f"{'smpc here s':>12}{'× here':>8}"
    print(header)
    for name in CASES:
        arrays = nominal_arrays(winset.load(KTAB / f"{name}.csv"))
        repeat = args.repeat if arrays.n_actors <= 40 else max(3, args.repeat // 2)
        seconds, best, turns = timings(arrays, repeat)
        size = f"{arrays.n_actors}×{arrays.n_issues}"
        recorded = RECORDED[name]
        line = f"{name:<16}{size:>7}{turns:>6}{seconds:>10.4f}{best:>9.4f}"
        line += f"{recorded:>12.2f}{recorded / seconds:>8.0f}"
        if smpc is not None:
            if arrays.n_actors <= args.smpc_max_actors:
                ktab = smpc_seconds(smpc, KTAB / f"{name}.csv", 3 if arrays.n_actors <= 40 else 1)
                line += f"{ktab:>12.3f}{ktab / seconds:>8.0f}"
            else:
                line += f"{'(skipped)':>12}{'':>8}"
        print(line)

    print("\nMonte Carlo: SOE-Policy, 64 draws (positions jittered ±2) in one call")
    base = nominal_arrays(winset.load(KTAB / "SOE-Policy.csv"))
    batch = jittered(base, 64)  # KTAB scales are 0–100, as the exchange bench clips
    seconds, _, turns = timings(batch, 3)
    per_draw = seconds / 64
    print(
        f"  {seconds:.3f} s for 64 draws, {per_draw * 1e3:.2f} ms a draw "
        f"({RECORDED['SOE-Policy'] / per_draw:.0f} × KTAB's recorded time for one run)"
    )

    print("\nGrowth with actors (dummyData-a160 and its first n actors, 1 dimension)")
    full = nominal_arrays(winset.load(KTAB / "dummyData-a160.csv"))
    sizes, per_turn = [], []
    print(f"{'actors':>7}{'turns':>6}{'seconds':>10}{'s / turn':>10}")
    for n in GROWTH:
        arrays = subset(full, n)
        seconds, _, turns = timings(arrays, 3 if n <= 80 else 1)
        sizes.append(n)
        per_turn.append(seconds / turns)
        print(f"{n:>7}{turns:>6}{seconds:>10.4f}{seconds / turns:>10.5f}")
    slope = np.polyfit(np.log(sizes[2:]), np.log(per_turn[2:]), 1)[0]
    print(f"time per turn grows about as actors^{slope:.1f} from 40 to 160 actors")
    print("(KTAB's recorded times grow about as actors^3.5, PROVENANCE.md)")


if __name__ == "__main__":
    main(sys.argv[1:])
