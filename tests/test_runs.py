from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pytest

import winset
from conftest import EXAMPLES, PG_URL, reset_postgres
from test_cli import assert_one_line_error
from test_cli import winset as run_cli
from winset.experiments.montecarlo import Job, run_job
from winset.store import open_store
from winset.store.runs import add_batch, create_run, finish_run, list_runs, load_run

KURIL = EXAMPLES / "kuril-2019-01.yaml"


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "runs.db")
    if not PG_URL:
        pytest.skip("WINSET_TEST_POSTGRES_URL is not set")
    reset_postgres(PG_URL)
    return PG_URL


def test_a_run_round_trips_through_the_store(db):
    scenario = winset.load(KURIL)
    job = Job(scenario, "winsets", draws=9000, seed=5, batch=4096, options={"quota": 0.6})
    store = open_store(db)
    run_id = create_run(store, job)
    outcome = run_job(job, on_batch=lambda part: add_batch(store, run_id, part))
    finish_run(store, run_id)
    again_job, parts = load_run(store, run_id)
    assert again_job == job  # scenario, model, options, seed, sampler, draws, batch
    assert [(p.start, p.stop) for p in parts] == [(0, 4096), (4096, 8192), (8192, 9000)]
    stitched = np.concatenate([p.forecast for p in parts])
    np.testing.assert_array_equal(stitched, outcome.forecast)
    np.testing.assert_array_equal(np.concatenate([p.deal for p in parts]), outcome.deal)
    # A batch is stored once: a second insert of the same batch is refused, not duplicated.
    assert add_batch(store, run_id, parts[0]) is False
    [info] = list_runs(store, run_id)
    assert (info.completed, info.model, info.seed) == (9000, "winsets", 5)
    assert info.finished_at is not None
    # The same scenario in a second run is stored once.
    create_run(store, job)
    assert len(list_runs(store)) == 2
    store.close()


def test_unknown_run(tmp_path):
    assert_one_line_error(
        run_cli("mc", "--resume", "42", "--db", str(tmp_path / "x.db")),
        "expected the id of a stored run",
        "got 42",
    )
    assert_one_line_error(
        run_cli("runs", "9", "--db", str(tmp_path / "x.db")), "expected the id of a stored run"
    )


def test_a_run_of_another_version_is_not_resumed(tmp_path):
    # Another winset version may compute other numbers; one run must not mix the two.
    db = str(tmp_path / "runs.db")
    store = open_store(db)
    run_id = create_run(store, Job(winset.load(KURIL), "compromise", draws=100, batch=50))
    store.close()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE runs SET code_version = '0.0.1' WHERE id = ?", (run_id,))
    result = run_cli("mc", "--resume", str(run_id), "--db", db)
    assert_one_line_error(result, "made by this winset version", "made by winset 0.0.1")
    store = open_store(db)
    [info] = list_runs(store, run_id)
    assert info.completed == 0  # nothing was computed or written
    store.close()


def test_bad_database_url():
    assert_one_line_error(
        run_cli("runs", "--db", "postgresql+psycopg://nobody@127.0.0.1:9/x"), "expected"
    )


def _stored_batches(path: str) -> int:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM run_batches").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_sigkill_mid_run_leaves_a_consistent_resumable_store(tmp_path):
    """Kill -9 in the middle of a run; the store stays consistent and resume fills the gap."""
    db = str(tmp_path / "kill.db")
    args = [
        str(KURIL),
        "-m",
        "nash",
        "--draws",
        "60000",
        "--batch",
        "1000",
        "--seed",
        "3",
        "--db",
        db,
        "--format",
        "json",
    ]
    proc = subprocess.Popen(
        [sys.executable, "-m", "winset", "mc", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ},
    )
    deadline = time.monotonic() + 120
    while _stored_batches(db) < 5 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stored = _stored_batches(db)
    assert 5 <= stored < 60, "the run must be killed part-way"

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT start, stop FROM run_batches ORDER BY start").fetchall()
    assert all(stop - start == 1000 and start % 1000 == 0 for start, stop in rows)

    resumed = run_cli("mc", "--resume", "1", "--db", db, "--format", "json")
    assert resumed.returncode == 0, resumed.stderr
    summary = json.loads(resumed.stdout)
    assert summary["resumed_from"] == stored * 1000  # every batch finished before the kill
    assert summary["computed_now"] == 60000 - summary["resumed_from"]  # nothing twice
    assert summary["completed"] == 60000
    assert _stored_batches(db) == 60

    fresh = run_cli("mc", *args[:-4], "--no-store", "--format", "json")
    assert json.loads(fresh.stdout)["issues"] == summary["issues"]
    shown = json.loads(run_cli("runs", "1", "--db", db, "--format", "json").stdout)
    assert shown[0]["completed"] == 60000 and shown[0]["finished_at"] is not None
