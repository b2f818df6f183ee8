"""Samples of the unit hypercube, reproducible whatever the batching.

Draws are numbered ``0 .. n-1`` and generated in fixed blocks of :data:`BLOCK` draws, so the
draws ``[start, stop)`` are the same numbers whether they are made in one call, in batches
of any size, or in different processes:

- ``mc``: plain Monte Carlo; block ``b`` comes from the stream ``SeedSequence(seed,
  spawn_key=(0, b))``; models' streams use other spawn keys, so no two uses share numbers.
- ``sobol``: a scrambled Sobol' sequence (scipy.stats.qmc), fast-forwarded to ``start``.
- ``lhs``: a Latin hypercube over all ``n`` draws (scipy.stats.qmc). Its strata span the
  whole sample, so it is made in one piece and sliced; it costs ``n × inputs`` floats.
"""

from __future__ import annotations

import functools
import warnings
from typing import Literal

import numpy as np
from scipy.stats import qmc

from winset.errors import InputError
from winset.experiments import BLOCK
from winset.result import FloatArray

Sampler = Literal["mc", "lhs", "sobol"]
SAMPLERS: tuple[Sampler, ...] = ("mc", "lhs", "sobol")


def check_sampler(name: str) -> Sampler:
    """The sampler called ``name``; an InputError otherwise."""
    if name not in SAMPLERS:
        raise InputError(f"a sampler ({', '.join(SAMPLERS)})", repr(name), path=("--sampler",))
    return name


@functools.lru_cache(maxsize=2)
def _mc_block(seed: int, block: int, dimensions: int) -> FloatArray:
    """Block ``block`` of the Monte Carlo sample (cached: small batches share blocks)."""
    stream = np.random.SeedSequence(seed, spawn_key=(0, block))
    values = np.random.default_rng(stream).random((BLOCK, dimensions))
    values.flags.writeable = False
    return values


def unit_sample(
    sampler: Sampler, seed: int, dimensions: int, start: int, stop: int, total: int
) -> FloatArray:
    """Rows ``start .. stop-1`` of a ``total``-draw sample of the unit cube, ``[rows, dims]``."""
    rows = stop - start
    if dimensions == 0:
        return np.empty((rows, 0))
    if sampler == "mc":
        first, last = start // BLOCK, (stop - 1) // BLOCK
        blocks = [_mc_block(seed, block, dimensions) for block in range(first, last + 1)]
        offset = start - first * BLOCK
        if len(blocks) == 1:  # a slice of a cached, read-only block: copy it
            return np.array(blocks[0][offset : offset + rows])
        joined = np.concatenate(blocks)  # already a fresh array
        return joined[offset : offset + rows]
    if sampler == "sobol":
        engine = qmc.Sobol(dimensions, scramble=True, seed=seed)
        if start:
            engine.fast_forward(start)
        with warnings.catch_warnings():  # balance is a property of 2^k points; any n is fine
            warnings.simplefilter("ignore", UserWarning)
            return np.asarray(engine.random(rows))
    sample = qmc.LatinHypercube(dimensions, seed=seed).random(total)
    return np.asarray(sample[start:stop])
