from __future__ import annotations

from pathlib import Path

import pytest

from winset.scenario import Scenario
from winset.scenario.io import load

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
