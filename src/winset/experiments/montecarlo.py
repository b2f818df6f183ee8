"""Monte Carlo runs: a model over many draws of a scenario, in batches, on any executor.

A :class:`Job` says what to run; :func:`run_job` cuts it into batches of draws, hands each
batch to an executor (in-process, a process pool, or Dask) as one vectorised model call,
and gathers the forecasts by draw number. Batches never depend on each other and every
draw's inputs depend only on (seed, draw number), so the numbers are the same on every
executor and for every batch size.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from winset.errors import InputError
from winset.experiments import CALL_ELEMENTS, DEFAULT_BATCH, TASKS
from winset.experiments.conditions import Condition
from winset.experiments.sampling import Sampler, unit_sample
from winset.models import get_model
from winset.result import FloatArray
from winset.scenario.arrays import ArrayPlan, uncertain_inputs
from winset.scenario.model import Scenario

Executor = Literal["local", "process", "dask"]
EXECUTORS: tuple[Executor, ...] = ("local", "process", "dask")
PERCENTILES = (5, 25, 50, 75, 95)


@dataclass(frozen=True)
class Job:
    """What to run: a model on ``draws`` draws of a scenario's uncertain inputs."""

    scenario: Scenario
    model: str
    draws: int
    seed: int = 0
    sampler: Sampler = "mc"
    options: dict[str, Any] = field(default_factory=dict)
    batch: int | None = None
    """Draws per batch; None: :func:`auto_batch` (see :attr:`batch_size`)."""
    keep_inputs: bool = False
    """Keep each draw's unit-cube sample (for sensitivity and scenario discovery)."""

    def __post_init__(self) -> None:
        if self.draws <= 0:
            raise InputError("a number of draws above 0", str(self.draws), path=("--draws",))
        if self.batch is not None and self.batch <= 0:
            raise InputError("a batch size above 0", str(self.batch), path=("--batch",))
        get_model(self.model)

    @property
    def batch_size(self) -> int:
        """Draws per batch: ``batch``, or if None the automatic size (stored with a run)."""
        return self.batch if self.batch is not None else auto_batch(self.scenario, self.draws)

    def batches(self) -> list[tuple[int, int]]:
        """``[start, stop)`` draw ranges of at most ``batch_size`` draws."""
        size = self.batch_size
        return [(s, min(s + size, self.draws)) for s in range(0, self.draws, size)]


def auto_batch(scenario: Scenario, draws: int) -> int:
    """A batch size for ``draws`` draws: about ``TASKS`` batches.

    Each batch is a whole number of model calls (so a stochastic model gives the same
    numbers for any such size) and at most ``DEFAULT_BATCH`` draws (or one call, if a call
    is larger).
    """
    call = call_draws(scenario)
    calls = math.ceil(math.ceil(draws / TASKS) / call)
    return min(calls, max(1, DEFAULT_BATCH // call)) * call


@dataclass(frozen=True)
class BatchOutput:
    """One batch's share of the results."""

    start: int
    stop: int
    forecast: FloatArray
    deal: NDArray[np.bool_] | None
    unit: FloatArray | None


def run_batch(job: Job, start: int, stop: int, unit: FloatArray | None = None) -> BatchOutput:
    """Run the job's model on draws ``start .. stop-1``, in vectorised calls.

    ``unit`` (the batch's rows of a Latin hypercube) is given when the sample cannot be
    drawn piecewise; otherwise each call draws its own rows.
    """
    plan = ArrayPlan.build(job.scenario)

    def sample(low: int, high: int) -> FloatArray:
        if unit is not None:
            return unit[low - start : high - start]
        return unit_sample(job.sampler, job.seed, plan.n_inputs, low, high, job.draws)

    forecast, deal, kept = forecast_in_calls(
        job.scenario,
        plan,
        job.model,
        job.options,
        sample,
        start=start,
        stop=stop,
        seed=job.seed,
        keep_inputs=job.keep_inputs,
    )
    return BatchOutput(start=start, stop=stop, forecast=forecast, deal=deal, unit=kept)


def forecast_in_calls(
    scenario: Scenario,
    plan: ArrayPlan,
    model: str,
    options: dict[str, Any],
    sample: Callable[[int, int], FloatArray],
    *,
    start: int,
    stop: int,
    seed: int,
    keep_inputs: bool = False,
) -> tuple[FloatArray, NDArray[np.bool_] | None, FloatArray | None]:
    """Forecasts ``[draws, issues]`` of draws ``start .. stop-1``, deals, and their inputs.

    ``sample(low, high)`` gives the unit-cube rows of draws ``low .. high-1``. Calls cover
    the draws ``k * c .. (k + 1) * c - 1`` with ``c = call_draws(scenario)``, cut at
    ``start`` and ``stop``, whatever the executor. A stochastic model gets its own stream
    for each call, keyed by the call's first draw, so its numbers are the same on every
    executor, and for every batch size that is a multiple of ``c``. Deals are None when
    the model has none; the inputs are None unless ``keep_inputs``.
    """
    function = get_model(model).function
    step = call_draws(scenario)
    edges = [start, *range((start // step + 1) * step, stop, step), stop]
    forecasts: list[FloatArray] = []
    deals: list[NDArray[np.bool_]] = []
    units: list[FloatArray] = []
    for low, high in itertools.pairwise(edges):
        unit = sample(low, high)
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1, low)))
        result = function(plan.arrays(unit), rng=rng, **options)
        forecasts.append(np.asarray(result.forecast, dtype=np.float64))
        deal = result.details.get("deal")
        if deal is not None:
            deals.append(np.asarray(deal, dtype=bool))
        if keep_inputs:
            units.append(unit)
    return (
        np.concatenate(forecasts),
        np.concatenate(deals) if deals else None,
        np.concatenate(units) if keep_inputs else None,
    )


def call_draws(scenario: Scenario) -> int:
    """Draws per vectorised model call: a power of two of about ``CALL_ELEMENTS`` values."""
    values = max(1, len(scenario.actors) * len(scenario.issues))
    return 1 << max(0, (CALL_ELEMENTS // values).bit_length() - 1)


@dataclass
class MonteCarlo:
    """Forecasts of every draw, filled as batches finish."""

    job: Job
    issue_ids: tuple[str, ...]
    input_names: tuple[str, ...]
    forecast: FloatArray
    deal: NDArray[np.bool_] | None = None
    unit: FloatArray | None = None
    done: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    interrupted: bool = False

    @classmethod
    def empty(cls, job: Job) -> MonteCarlo:
        """Room for every draw of ``job``, none done yet."""
        issue_ids = tuple(i.id for i in job.scenario.issues)
        names = tuple(u.name for u in uncertain_inputs(job.scenario))
        return cls(
            job=job,
            issue_ids=issue_ids,
            input_names=names,
            forecast=np.full((job.draws, len(issue_ids)), np.nan),
            unit=np.full((job.draws, len(names)), np.nan) if job.keep_inputs else None,
            done=np.zeros(job.draws, dtype=bool),
        )

    def add(self, part: BatchOutput) -> None:
        """Place a finished batch by its draw numbers."""
        rows = slice(part.start, part.stop)
        self.forecast[rows] = part.forecast
        if part.deal is not None:
            if self.deal is None:
                self.deal = np.zeros(self.forecast.shape, dtype=bool)
            self.deal[rows] = part.deal
        if self.unit is not None and part.unit is not None:
            self.unit[rows] = part.unit
        self.done[rows] = True

    @property
    def completed(self) -> int:
        """Number of draws computed."""
        return int(self.done.sum())

    def inputs(self) -> FloatArray:
        """The uncertain inputs' values of the completed draws, ``[draws, inputs]``."""
        if self.unit is None:
            raise ValueError("run the job with keep_inputs=True")
        return ArrayPlan.build(self.job.scenario).input_values(self.unit[self.done])

    def summary(self, *, deal_when: Condition | None = None, bins: int = 20) -> dict[str, Any]:
        """The JSON document of ``winset mc``: distribution per issue and deal probability."""
        forecast = self.forecast[self.done]
        deal = None if self.deal is None else self.deal[self.done]
        if deal_when is not None:
            met = deal_when.evaluate(forecast, deal)
            deal_probability: float | None = float(met.mean()) if met.size else None
        elif deal is not None:
            deal_probability = float(deal.all(axis=1).mean()) if deal.size else None
        else:
            deal_probability = None
        issues = []
        for i, issue in enumerate(self.job.scenario.issues):
            column = forecast[:, i]
            counts, edges = np.histogram(column, bins=bins, range=issue.scale)
            quantiles = np.percentile(column, PERCENTILES) if column.size else [math.nan] * 5
            entry: dict[str, Any] = {
                "id": issue.id,
                "name": issue.label,
                "mean": float(column.mean()) if column.size else math.nan,
                "sd": float(column.std(ddof=1)) if column.size > 1 else math.nan,
                **{f"p{p:02d}": float(q) for p, q in zip(PERCENTILES, quantiles, strict=True)},
                "histogram": {"edges": edges.tolist(), "counts": counts.tolist()},
            }
            if deal is not None:
                entry["deal_probability"] = float(deal[:, i].mean()) if deal.size else None
            issues.append(entry)
        return {
            "model": self.job.model,
            "draws": self.job.draws,
            "completed": self.completed,
            "interrupted": self.interrupted,
            "seed": self.job.seed,
            "sampler": self.job.sampler,
            "options": self.job.options,
            "uncertain_inputs": len(self.input_names),
            "issues": issues,
            "deal_probability": deal_probability,
            "deal_condition": deal_when.text
            if deal_when
            else ("deal" if deal is not None else None),
        }


Progress = Callable[[int], None]
"""Called with the number of draws each finished batch adds."""


def run_job(
    job: Job,
    *,
    executor: Executor = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
    completed: Sequence[BatchOutput] = (),
    on_batch: Callable[[BatchOutput], None] | None = None,
) -> MonteCarlo:
    """Run ``job`` on ``executor``; Ctrl-C stops it and keeps the batches already finished.

    Args:
        job: What to run.
        executor: ``local``, ``process`` or ``dask``.
        workers: Processes or Dask workers (default: the number of cores).
        scheduler: Address of a running Dask scheduler (``dask`` only).
        progress: Called with the number of draws each finished batch adds.
        completed: Batches already computed (a resumed run): they are not run again.
        on_batch: Called with each newly finished batch, in the calling process (e.g. to
            store it) before it counts as done.
    """
    if executor not in EXECUTORS:
        raise InputError(
            f"an executor ({', '.join(EXECUTORS)})", repr(executor), path=("--executor",)
        )
    if scheduler is not None and executor != "dask":
        raise InputError("--scheduler only with --executor dask", executor, path=("--scheduler",))
    outcome = MonteCarlo.empty(job)
    for part in completed:
        outcome.add(part)
    if progress is not None and completed:
        progress(outcome.completed)
    skip = {part.start for part in completed}
    tasks = [task for task in _tasks(job) if task[0] not in skip]
    runner = {"local": _run_local, "process": _run_processes, "dask": _run_dask}[executor]
    try:
        if tasks:
            for part in runner(job, tasks, workers, scheduler):
                if on_batch is not None:
                    on_batch(part)
                outcome.add(part)
                if progress is not None:
                    progress(part.stop - part.start)
    except KeyboardInterrupt:
        outcome.interrupted = True
    return outcome


Task = tuple[int, int, FloatArray | None]


def _tasks(job: Job) -> list[Task]:
    """Batches to run; a Latin hypercube is drawn whole here and sliced per batch."""
    batches = job.batches()
    if job.sampler != "lhs":
        return [(start, stop, None) for start, stop in batches]
    dims = len(uncertain_inputs(job.scenario))
    whole = unit_sample("lhs", job.seed, dims, 0, job.draws, job.draws)
    return [(start, stop, whole[start:stop]) for start, stop in batches]


def _run_local(
    job: Job, tasks: list[Task], workers: int | None, scheduler: str | None
) -> Iterator[BatchOutput]:
    for start, stop, unit in tasks:
        yield run_batch(job, start, stop, unit)


def _run_processes(
    job: Job, tasks: list[Task], workers: int | None, scheduler: str | None
) -> Iterator[BatchOutput]:
    pool = ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1)
    pending: set[Future[BatchOutput]] = set()
    try:
        queue = iter(tasks)
        limit = 2 * (workers or os.cpu_count() or 1)  # bounded queue: bounded memory
        for task in queue:
            pending.add(pool.submit(run_batch, job, *task))
            if len(pending) >= limit:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield future.result()
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                yield future.result()
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def local_cluster(workers: int) -> Any:
    """A Dask LocalCluster of single-threaded worker processes, tuned for numpy batches.

    Dask's nanny sets ``MALLOC_TRIM_THRESHOLD_`` in its workers, which turns off glibc's
    adaptive mmap threshold: every batch array is then mapped and unmapped afresh and
    the same batch runs about twice as slowly as in-process (measured here). The
    workers are started without it. Workers of an external cluster (``dask worker``)
    can do the same with ``DASK_DISTRIBUTED__NANNY__PRE_SPAWN_ENVIRON='{}'``.
    """
    import dask
    from dask.distributed import LocalCluster

    with dask.config.set({"distributed.nanny.pre-spawn-environ": {}}):
        return LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            memory_limit=0,  # no memory monitor polling beside the numpy work
        )


def _run_dask(
    job: Job, tasks: list[Task], workers: int | None, scheduler: str | None
) -> Iterator[BatchOutput]:
    try:
        from dask.distributed import Client, as_completed
    except ImportError:
        raise InputError(
            "dask installed (pip install 'winset[dask]')", "no dask", path=("--executor",)
        ) from None
    cluster = None
    try:
        if scheduler is None:
            cluster = local_cluster(workers or os.cpu_count() or 1)
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise InputError(
            "a reachable Dask scheduler",
            f"{scheduler} ({exc.__class__.__name__})",
            path=("--scheduler",),
        ) from None
    try:
        shared = client.scatter(job, broadcast=True)
        futures = [client.submit(run_batch, shared, *task, pure=False) for task in tasks]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            client.cancel(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
