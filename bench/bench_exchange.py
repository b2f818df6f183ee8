"""Speed of winset's exchange model against its peer, decide-exchange-model (Decide).

Times winset on COP21 (../shared/data/decide/cop21.csv, 10 rounds, one draw); times the
peer on the same input in the same run where it can run (importable here, or in another
interpreter given by ``--decide-python PATH`` or WINSET_DECIDE_PYTHON, e.g. a scratch venv
with ``pip install decide-exchange-model==2022.1.28``); prints the ratio; and times a batch
of draws (positions jittered ±2 points, as Monte Carlo draws) in one call. Wall and CPU
time of the timed process are both shown, with the load average, because the machine may
be shared with other work: the CPU-time ratio is the steadier one.

Usage: python bench/bench_exchange.py [--decide-python PATH] [--repeat N] [--draws N]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

import winset
from winset.models.exchange import exchange
from winset.scenario import ScenarioArrays, nominal_arrays

COP21 = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "decide" / "cop21.csv"
ROUNDS = 10

# Runs the peer's model (its CLI crashes in the released version), printing JSON timings.
# The peer as released: equal-gain model, random tie-break seeded for repeatability.
PEER_SCRIPT = """
import json, random, sys, time
from decide.data.modelfactory import ModelFactory
from decide.data.reader import InputDataFile
from decide.model.equalgain import EqualGainModel
from decide.model.observers.observer import Observable
from decide.model.utils import ModelLoop

random.seed(0)
data = InputDataFile.open(sys.argv[1])
wall, cpu = time.perf_counter(), time.process_time()
model = ModelFactory(data)(model_klass=EqualGainModel, randomized_value=None)
loop = ModelLoop(model, Observable(model_ref=model, output_directory="."), 0)
for _ in range(int(sys.argv[2])):
    loop.loop()
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}))
"""


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def time_winset(arrays: ScenarioArrays, repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``exchange(arrays, rounds=10)``."""
    exchange(arrays, rounds=ROUNDS)  # warm-up
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        exchange(arrays, rounds=ROUNDS)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def time_peer(python: str | None) -> tuple[float, float, str] | None:
    """Wall and CPU seconds of the peer on COP21, and where it ran; None if it cannot run."""
    if importlib.util.find_spec("decide") is not None:
        scope: dict[str, object] = {}
        argv = sys.argv
        sys.argv = ["peer", str(COP21), str(ROUNDS)]
        try:
            from contextlib import redirect_stdout
            from io import StringIO

            buffer = StringIO()
            with redirect_stdout(buffer):
                exec(PEER_SCRIPT, scope)
        finally:
            sys.argv = argv
        figures = json.loads(buffer.getvalue())
        return figures["wall"], figures["cpu"], "in this process"
    if python:
        done = subprocess.run(
            [python, "-c", PEER_SCRIPT, str(COP21), str(ROUNDS)],
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        return figures["wall"], figures["cpu"], f"in {python}"
    return None


def jittered(arrays: ScenarioArrays, draws: int, seed: int = 0) -> ScenarioArrays:
    """``draws`` copies with positions moved by up to ±2 points, kept on each scale."""
    rng = np.random.default_rng(seed)
    position = np.repeat(arrays.position, draws, axis=0)
    position += rng.uniform(-2, 2, position.shape)
    position = np.clip(position, arrays.scale_low, arrays.scale_high)
    return replace(
        arrays,
        capability=np.repeat(arrays.capability, draws, axis=0),
        position=position,
        salience=np.repeat(arrays.salience, draws, axis=0),
        reference=np.repeat(arrays.reference, draws, axis=0),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--decide-python", default=os.environ.get("WINSET_DECIDE_PYTHON"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args([] if argv is None else argv)
    if not COP21.exists():
        print(f"exchange bench skipped: {COP21} is absent")
        return
    arrays = nominal_arrays(winset.load(COP21))
    print(f"COP21: {arrays.n_actors} actors × {arrays.n_issues} issues, {ROUNDS} rounds, one draw")
    print(f"before: {load()}")
    wall, cpu = time_winset(arrays, args.repeat)
    exchanges = int(exchange(arrays, rounds=ROUNDS).details["exchange_count"].sum())
    print(
        f"winset: {wall * 1e3:.1f} ms wall, {cpu * 1e3:.1f} ms CPU "
        f"(median of {args.repeat}; {exchanges} exchanges realised)"
    )
    peer = time_peer(args.decide_python)
    if peer is None:
        print(
            "peer: skipped (decide-exchange-model is not importable here; give "
            "--decide-python PATH or WINSET_DECIDE_PYTHON to time it in another venv)"
        )
    else:
        peer_wall, peer_cpu, where = peer
        print(f"peer:   {peer_wall:.2f} s wall, {peer_cpu:.2f} s CPU (one run, {where})")
        print(
            f"ratio:  winset is {peer_wall / wall:.0f} × faster by wall time, "
            f"{peer_cpu / cpu:.0f} × by CPU time"
        )
    print(f"after:  {load()}")

    batch = jittered(arrays, args.draws)
    exchange(jittered(arrays, 2), rounds=ROUNDS)
    wall, cpu = time.perf_counter(), time.process_time()
    exchange(batch, rounds=ROUNDS)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"batch:  {args.draws:,} draws in one call: {wall:.2f} s wall, {cpu:.2f} s CPU, "
        f"{wall / args.draws * 1e3:.1f} ms a draw ({load()})"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
