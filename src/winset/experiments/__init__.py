"""Exploring uncertainty: sampling, Monte Carlo runs, sensitivity and scenario discovery."""

BLOCK = 4096
"""Draws per block of the Monte Carlo sampler: draw k's inputs depend only on (seed, k)."""

DEFAULT_BATCH = 16 * BLOCK
"""Draws per batch: large enough to amortise dispatch, small enough to stay in cache."""
