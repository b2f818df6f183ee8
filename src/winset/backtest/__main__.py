"""``python -m winset.backtest``: the DEU III back-test (see :func:`winset.backtest.run.main`)."""

from winset.backtest.run import main

raise SystemExit(main())
