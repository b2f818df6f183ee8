"""Conditions on a run's outcome, e.g. ``deal`` or ``territory >= 50 and security < 40``."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from winset.errors import InputError, show_value
from winset.result import FloatArray

_OPERATORS: dict[str, Callable[[FloatArray, float], NDArray[np.bool_]]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}
_CLAUSE = re.compile(r"\s*([^\s<>=]+)\s*(>=|<=|>|<)\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*")


@dataclass(frozen=True)
class Condition:
    """A conjunction of ``issue OP number`` clauses, or the model's own ``deal`` flag."""

    text: str
    clauses: tuple[tuple[int, str, float], ...]
    needs_deal: bool

    def evaluate(self, forecast: FloatArray, deal: NDArray[np.bool_] | None) -> NDArray[np.bool_]:
        """Whether each draw meets the condition: ``forecast[draws, issues]`` → ``[draws]``."""
        met = np.ones(forecast.shape[0], dtype=bool)
        if self.needs_deal:
            if deal is None:
                raise InputError(
                    "a model that decides whether there is a deal (nash, winsets) "
                    "for the condition 'deal'",
                    "a model without one",
                    path=("--when",),
                )
            met &= deal.all(axis=1)
        for issue, op, threshold in self.clauses:
            met &= _OPERATORS[op](forecast[:, issue], threshold)
        return met


def parse_condition(text: str, issue_ids: tuple[str, ...], option: str = "--when") -> Condition:
    """Parse ``deal`` and/or ``issue OP number`` clauses joined by ``and``."""
    clauses = []
    needs_deal = False
    for part in re.split(r"\s+and\s+", text.strip()):
        if part.strip() == "deal":
            needs_deal = True
            continue
        match = _CLAUSE.fullmatch(part)
        if match is None:
            raise InputError(
                "'deal' or 'ISSUE OP NUMBER' (OP one of >= <= > <), joined by 'and'",
                show_value(part),
                path=(option,),
            )
        issue, op, number = match.groups()
        if issue not in issue_ids:
            raise InputError(
                f"an issue id ({', '.join(issue_ids)})", show_value(issue), path=(option,)
            )
        clauses.append((issue_ids.index(issue), op, float(number)))
    return Condition(text=text.strip(), clauses=tuple(clauses), needs_deal=needs_deal)
