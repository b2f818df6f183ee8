"""Evidence extraction benchmark: accuracy on the labelled articles, speed, model load time.

Usage: python bench/bench_evidence.py [--repeat N] [--misses]

Prints precision and recall for entities, figures and quotes, boilerplate lines removed
against body lines kept, metadata fields right, for the spaCy model and for the fallback
rules; throughput in characters of input per second (cleaning and extraction, median of
--repeat runs) and the model's load time (cold: first load in this process). Labels:
examples/articles/labels.yaml (the two real articles in ../shared/articles are scored
when present and unchanged).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from winset.evidence.ingest import Pipeline
from winset.evidence.labels import Counts, Score, available, load_labels, score
from winset.evidence.nlp import load_model

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO / "examples" / "articles" / "labels.yaml"


def _row(name: str, c: Counts, note: str = "") -> str:
    return f"  {name:<28} precision {c.precision:6.1%}   recall {c.recall:6.1%}  {note}"


def run(pipeline: Pipeline, entries: list[dict[str, Any]], repeat: int) -> tuple[Score, float, int]:
    total = Score()
    chars = sum(e["path"].stat().st_size for e in entries)
    for entry in entries:
        total.add(score(pipeline.process(str(entry["path"])), entry))
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        for entry in entries:
            pipeline.process(str(entry["path"]))
        times.append(time.perf_counter() - started)
    return total, chars / statistics.median(times), chars


def _report(name: str, total: Score, speed: float, chars: int, repeat: int) -> None:
    e, f, q, b = total.entities, total.figures, total.quotes, total.boilerplate
    spoken = total.speakers.tp + total.speakers.fn
    kept = total.body_kept.tp + total.body_kept.fn
    meta = total.metadata.tp + total.metadata.fn
    print(f"\n{name}:")
    print(_row("entities (name, label)", e, f"({e.tp} right, {e.fp} extra, {e.fn} missed)"))
    print(_row("figures (value, unit)", f, f"({f.tp} right, {f.fp} extra, {f.fn} missed)"))
    print(_row("quotes", q, f"(speaker right for {total.speakers.tp} of {spoken})"))
    print(_row("boilerplate removed", b, f"({b.tp} removed, {b.fn} left in)"))
    print(f"  {'body lines kept':<28} {total.body_kept.recall:6.1%} of {kept}")
    print(f"  {'metadata fields right':<28} {total.metadata.tp} of {meta}")
    print(f"  throughput: {speed:,.0f} characters/s ({chars:,} characters, median of {repeat})")


def main(argv: list[str] | None = None) -> None:
    """Print the timings; ``argv`` as on the command line (none when called by bench/run.py)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args([] if argv is None else argv)

    entries = []
    for entry in load_labels(LABELS):
        why = available(entry)
        if why:
            print(f"skipped: {why}")
        else:
            entries.append(entry)
    started = time.perf_counter()
    model = load_model()
    load_seconds = time.perf_counter() - started
    real = sum(1 for e in entries if e.get("shared"))
    print(f"labelled articles: {len(entries)} ({real} real, the rest fictional)")
    if model.nlp is not None:
        print(f"model: {model.name}, loaded in {load_seconds:.2f} s (cold, with the weights check)")
    else:
        print(f"model: none ({model.reason}); only the fallback rules are measured")
    modes = [("rules (fallback)", Pipeline.load(use_model=False))]
    if model.nlp is not None:
        modes.insert(0, (model.name, Pipeline.load(use_model=True)))
    speeds = []
    for name, pipeline in modes:
        total, speed, chars = run(pipeline, entries, args.repeat)
        speeds.append((name, speed))
        _report(name, total, speed, chars, args.repeat)
        if args.misses:
            for miss in total.misses:
                print(f"    miss: {miss}")
    if len(speeds) == 2:
        (model_name, model_speed), (_, rules_speed) = speeds
        ratio = rules_speed / model_speed
        print(f"\nthe fallback rules run {ratio:.1f}x the throughput of {model_name} (same run)")


if __name__ == "__main__":
    main(sys.argv[1:])
