"""Back-tests against real outcomes: the DEU III data set of EU legislative decisions.

* :mod:`~winset.backtest.deu` reads DEU III (the public copy, repairing its defects, or the
  cleaned copy shipped in ``data/``) into one scenario per issue with its outcome.
* :mod:`~winset.backtest.power` holds the Council's voting weights by treaty and computes
  Shapley–Shubik and Banzhaf power, also for the Commission and the Parliament.
* :mod:`~winset.backtest.score` scores forecasts: errors, proposal-grouped folds, cluster
  bootstrap, cross-validation that tunes on training folds only.
* :mod:`~winset.backtest.forecasters` holds the baselines and the attempts to beat the
  compromise mean; :mod:`~winset.backtest.modelruns` runs the registered models.
* :func:`run_backtest` runs it all; :func:`print_table` prints the result
  (``python -m winset.backtest`` from the shell).
* :mod:`~winset.backtest.cases` scores the models against the outcomes recorded in an
  analyst's own scenario files (``winset backtest FILE-OR-FOLDER …``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from winset.backtest.deu import Case, load_deu, read_records

if TYPE_CHECKING:
    from winset.backtest.cases import predictions_frame, score_cases
    from winset.backtest.run import markdown_table, print_table, run_backtest

_RUN = ("markdown_table", "print_table", "run_backtest")
_CASES = ("predictions_frame", "score_cases")


def __getattr__(name: str) -> Any:
    # Imported on first use, so ``python -m winset.backtest.run`` does not import run twice.
    if name in _RUN:
        from winset.backtest import run

        return getattr(run, name)
    if name in _CASES:
        from winset.backtest import cases

        return getattr(cases, name)
    raise AttributeError(f"module 'winset.backtest' has no attribute {name!r}")


__all__ = [
    "Case",
    "load_deu",
    "markdown_table",
    "predictions_frame",
    "print_table",
    "read_records",
    "run_backtest",
    "score_cases",
]
