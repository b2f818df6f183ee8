from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from winset.scenario import Scenario
from winset.scenario.io import load

# CI runs the same Hypothesis examples every time (HYPOTHESIS_PROFILE=ci, set by .ci/run),
# so that a landing is decided by the change, not by the draw; anywhere else each run
# explores new examples. A failure found locally is pinned with @example.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

PG_URL = os.environ.get("WINSET_TEST_POSTGRES_URL")
"""A disposable PostgreSQL database for the store tests (CI starts one); else they skip."""

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLES = REPO / "examples"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test when that folder is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture
def three_party() -> Scenario:
    return load(DATA / "three_party.yaml")


@pytest.fixture(autouse=True)
def private_store(tmp_path, monkeypatch):
    """Every test (and the commands it runs) gets its own store, never the user's."""
    monkeypatch.setenv("WINSET_DB", str(tmp_path / "store.db"))


def reset_postgres(url: str) -> None:
    """Drop every winset table in the disposable test database."""
    from sqlalchemy import text

    from winset.store import open_store
    from winset.store.schema import metadata

    names = [t.name for t in reversed(metadata.sorted_tables)] + ["extra_table"]
    store = open_store(url, upgrade=False)
    with store.write() as conn:
        for name in names:  # constant names from the schema, never input
            conn.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))
    store.close()
