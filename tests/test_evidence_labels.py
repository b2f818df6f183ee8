"""Extraction against the hand-labelled articles (examples/articles/labels.yaml).

The thresholds are floors, not the measured values: bench/bench_evidence.py prints those.
"""

from __future__ import annotations

import importlib.util

import pytest

from conftest import EXAMPLES
from winset.evidence.ingest import Pipeline
from winset.evidence.labels import Score, available, line_numbers, load_labels, score
from winset.evidence.nlp import model_dir

LABELS = load_labels(EXAMPLES / "articles" / "labels.yaml")
HAS_MODEL = importlib.util.find_spec("spacy") is not None and model_dir() is not None


def _total(use_model: bool) -> tuple[Score, int]:
    pipeline = Pipeline.load(use_model=use_model)
    total = Score()
    n = 0
    for entry in LABELS:
        if available(entry):
            continue
        total.add(score(pipeline.process(str(entry["path"])), entry))
        n += 1
    return total, n


def test_line_ranges() -> None:
    assert line_numbers("3, 5-7,9") == {3, 5, 6, 7, 9}


def test_own_articles_are_labelled_and_unchanged() -> None:
    own = [e for e in LABELS if not e.get("shared")]
    assert len(own) == 4
    for entry in own:
        assert available(entry) is None, entry["file"]


@pytest.mark.parametrize(
    "use_model",
    [pytest.param(True, marks=pytest.mark.skipif(not HAS_MODEL, reason="no model")), False],
)
def test_floors(use_model: bool) -> None:
    total, n = _total(use_model)
    assert n >= 4
    assert total.boilerplate.recall == 1.0 and total.boilerplate.precision == 1.0, total.misses
    assert total.body_kept.recall == 1.0, total.misses  # no body line lost
    assert total.metadata.recall == 1.0, total.misses
    assert total.figures.precision >= 0.95 and total.figures.recall >= 0.95, total.misses
    assert total.quotes.precision >= 0.95 and total.quotes.recall >= 0.95, total.misses
    assert total.entities.precision >= 0.9, total.misses
    assert total.entities.recall >= (0.93 if use_model else 0.85), total.misses
    assert total.speakers.recall >= (0.95 if use_model else 0.8), total.misses
