"""Runs in the store: the scenario, the job, and each finished batch of draws.

A run is created before its first batch and each batch is written in its own transaction
as it finishes, so a run killed at any moment (even by SIGKILL) keeps every finished batch,
holds no half-written one, and can be resumed: only the missing batches are computed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import func, insert, select, update

from winset import __version__
from winset.errors import InputError
from winset.experiments.montecarlo import BatchOutput, Job
from winset.scenario.model import Scenario
from winset.store.db import Store, insert_ignore
from winset.store.schema import run_batches, runs, scenarios


@dataclass(frozen=True)
class RunInfo:
    """A run's row with how many draws it holds."""

    id: int
    scenario_title: str
    model: str
    options: dict[str, Any]
    seed: int
    sampler: str
    draws: int
    batch: int
    completed: int
    code_version: str
    created_at: dt.datetime
    finished_at: dt.datetime | None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "id": self.id,
            "scenario": self.scenario_title,
            "model": self.model,
            "options": self.options,
            "seed": self.seed,
            "sampler": self.sampler,
            "draws": self.draws,
            "batch": self.batch,
            "completed": self.completed,
            "code_version": self.code_version,
            "created_at": self.created_at.isoformat(),
            "finished_at": None if self.finished_at is None else self.finished_at.isoformat(),
        }


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _array_bytes(values: np.ndarray[Any, Any]) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, values, allow_pickle=False)
    return buffer.getvalue()


def _array(data: bytes) -> np.ndarray[Any, Any]:
    return np.asarray(np.load(io.BytesIO(data), allow_pickle=False))


def scenario_id(scenario: Scenario) -> str:
    """The content hash under which a scenario is stored."""
    body = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def create_run(store: Store, job: Job) -> int:
    """Record the job (and its scenario, once) and return the new run's id."""
    key = scenario_id(job.scenario)
    with store.write() as conn:
        conn.execute(
            insert_ignore(conn, scenarios).values(
                id=key,
                title=job.scenario.title,
                body=job.scenario.model_dump(mode="json"),
                created_at=_now(),
            )
        )
        result = conn.execute(
            insert(runs)
            .values(
                scenario_id=key,
                kind="montecarlo",
                model=job.model,
                options=job.options,
                seed=job.seed,
                sampler=job.sampler,
                draws=job.draws,
                batch=job.batch_size,
                code_version=__version__,
                created_at=_now(),
            )
            .returning(runs.c.id)
        )
        return int(result.scalar_one())


def add_batch(store: Store, run_id: int, part: BatchOutput) -> bool:
    """Store one finished batch in its own transaction; False if it was already there."""
    with store.write() as conn:
        result = conn.execute(
            insert_ignore(conn, run_batches)
            .values(
                run_id=run_id,
                start=part.start,
                stop=part.stop,
                forecast=_array_bytes(part.forecast),
                deal=None if part.deal is None else _array_bytes(part.deal),
                created_at=_now(),
            )
            .returning(run_batches.c.start)
        )
        return result.first() is not None


def finish_run(store: Store, run_id: int) -> None:
    """Mark the run finished (every batch stored)."""
    with store.write() as conn:
        conn.execute(update(runs).where(runs.c.id == run_id).values(finished_at=_now()))


def load_run(store: Store, run_id: int) -> tuple[Job, list[BatchOutput]]:
    """The run's job, rebuilt from the store, and the batches it already holds."""
    with store.read() as conn:
        row = (
            conn.execute(
                select(runs, scenarios.c.body)
                .join(scenarios, scenarios.c.id == runs.c.scenario_id)
                .where(runs.c.id == run_id)
            )
            .mappings()
            .first()
        )
        if row is None:
            raise InputError(
                "the id of a stored run (see `winset runs`)", str(run_id), path=("--resume",)
            )
        if row["code_version"] != __version__:
            # Another version may compute other numbers: one run must not mix them.
            raise InputError(
                f"a run made by this winset version ({__version__}); start a new run",
                f"run {run_id}, made by winset {row['code_version']}",
                path=("--resume",),
            )
        parts = (
            conn.execute(
                select(run_batches)
                .where(run_batches.c.run_id == run_id)
                .order_by(run_batches.c.start)
            )
            .mappings()
            .all()
        )
    job = Job(
        scenario=Scenario.model_validate(row["body"]),
        model=row["model"],
        draws=row["draws"],
        seed=row["seed"],
        sampler=row["sampler"],
        options=dict(row["options"]),
        batch=row["batch"],
    )
    batches = [
        BatchOutput(
            start=p["start"],
            stop=p["stop"],
            forecast=_array(p["forecast"]),
            deal=None if p["deal"] is None else _array(p["deal"]),
            unit=None,
        )
        for p in parts
    ]
    return job, batches


def list_runs(store: Store, run_id: int | None = None) -> list[RunInfo]:
    """Every run (or the one with ``run_id``), newest first, with its completed draws."""
    done = (
        select(
            run_batches.c.run_id,
            func.sum(run_batches.c.stop - run_batches.c.start).label("completed"),
        )
        .group_by(run_batches.c.run_id)
        .subquery()
    )
    query = (
        select(runs, scenarios.c.title, done.c.completed)
        .join(scenarios, scenarios.c.id == runs.c.scenario_id)
        .outerjoin(done, done.c.run_id == runs.c.id)
        .order_by(runs.c.id.desc())
    )
    if run_id is not None:
        query = query.where(runs.c.id == run_id)
    with store.read() as conn:
        rows = conn.execute(query).mappings().all()
    if run_id is not None and not rows:
        raise InputError("the id of a stored run (see `winset runs`)", str(run_id), path=("run",))
    return [
        RunInfo(
            id=r["id"],
            scenario_title=r["title"],
            model=r["model"],
            options=dict(r["options"]),
            seed=r["seed"],
            sampler=r["sampler"],
            draws=r["draws"],
            batch=r["batch"],
            completed=int(r["completed"] or 0),
            code_version=r["code_version"],
            created_at=r["created_at"],
            finished_at=r["finished_at"],
        )
        for r in rows
    ]
