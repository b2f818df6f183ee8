"""Exploring uncertainty: sampling, Monte Carlo runs, sensitivity and scenario discovery."""

BLOCK = 4096
"""Draws per block of the Monte Carlo sampler: draw k's inputs depend only on (seed, k)."""

DEFAULT_BATCH = 16 * BLOCK
"""Most draws per batch (the unit of dispatch, storage and resumption) when none is given:
large enough to amortise handing it to an executor. A batch runs as several model calls
(see ``CALL_ELEMENTS``)."""

TASKS = 8
"""Batches a run is cut into when no batch size is given (unless that exceeds
``DEFAULT_BATCH`` draws): enough to keep two to four workers busy to the end and to show
progress."""

CALL_ELEMENTS = 1 << 17
"""Actor × issue values per vectorised model call, about 1 MB an array: the draws of one call
are the largest power of two within it, so a call's arrays stay in the processor's cache
(on this project's machines a 20-actor, 3-issue scenario ran 1.5 times as fast in calls of
2,048 draws as in calls of 65,536)."""
