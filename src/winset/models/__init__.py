"""The models: pure functions ``model(arrays, *, rng=None, **options) -> Result``.

One module per model; this registry names them for the command line.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from winset.errors import InputError, show_value
from winset.models.compromise import compromise
from winset.models.eum import eum
from winset.models.exchange import exchange
from winset.models.median import median
from winset.models.nash import nash
from winset.models.smp import smp
from winset.models.winsets import describe as describe_winsets
from winset.models.winsets import winsets
from winset.result import Result
from winset.scenario.arrays import ScenarioArrays

ModelFunction = Callable[..., Result]


@dataclass(frozen=True)
class ModelSpec:
    """A model's name, function, one-line summary and reference."""

    name: str
    function: ModelFunction
    summary: str
    reference: str
    dynamic: bool = False
    describe: Callable[[Result, int], Any] | None = None
    """Optional JSON-ready account of a result beyond forecasts (e.g. win-sets)."""

    def options(self) -> dict[str, Option]:
        """The keyword options a command line can set (numbers, flags, choices, text).

        Options of other types (arrays, callbacks) stay for Python callers only.
        """
        hints = typing.get_type_hints(self.function)
        found = {
            name: Option(name, parameter.default, hints.get(name, type(parameter.default)))
            for name, parameter in inspect.signature(self.function).parameters.items()
            if parameter.kind is inspect.Parameter.KEYWORD_ONLY and name != "rng"
        }
        return {name: option for name, option in found.items() if option.settable}

    def parse_options(self, pairs: Iterable[str]) -> dict[str, Any]:
        """Turn ``name=value`` strings into typed keyword options, refusing unknown names."""
        known = self.options()
        parsed: dict[str, Any] = {}
        for pair in pairs:
            name, sep, raw = pair.partition("=")
            name = name.strip()
            if not sep or name not in known:
                listing = ", ".join(known) or "none"
                raise InputError(
                    f"name=value with a parameter of model {self.name!r} ({listing})",
                    show_value(pair),
                    path=("--param",),
                )
            parsed[name] = known[name].parse(raw.strip())
        return parsed


@dataclass(frozen=True)
class Option:
    """One keyword option of a model."""

    name: str
    default: Any
    kind: Any

    @property
    def settable(self) -> bool:
        """Whether a command-line string can give this option a value."""
        kind = self.kind
        if typing.get_origin(kind) in (typing.Union, types.UnionType):
            others = [a for a in typing.get_args(kind) if a is not type(None)]
            if len(others) != 1:
                return False
            kind = others[0]
        return kind in (bool, int, float, str) or typing.get_origin(kind) is typing.Literal

    def parse(self, raw: str) -> Any:
        """Convert a command-line string to this option's type (``none`` for an optional)."""
        kind = self.kind
        if typing.get_origin(kind) in (typing.Union, types.UnionType):
            if raw.lower() == "none" and type(None) in typing.get_args(kind):
                return None
            kind = next(a for a in typing.get_args(kind) if a is not type(None))
        return Option(self.name, self.default, kind)._parse(raw)

    def _parse(self, raw: str) -> Any:
        choices = (
            typing.get_args(self.kind) if typing.get_origin(self.kind) is typing.Literal else ()
        )
        if choices:
            if raw not in choices:
                raise InputError(
                    f"one of {', '.join(map(str, choices))} for {self.name}",
                    show_value(raw),
                    path=("--param", self.name),
                )
            return raw
        try:
            if self.kind is bool:
                if raw.lower() not in ("true", "false", "1", "0", "yes", "no"):
                    raise ValueError(raw)
                return raw.lower() in ("true", "1", "yes")
            if self.kind is int:
                return int(raw)
            if self.kind is float:
                return float(raw)
        except ValueError:
            raise InputError(
                f"a {self.kind.__name__} for {self.name}",
                show_value(raw),
                path=("--param", self.name),
            ) from None
        return raw


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            "compromise",
            compromise,
            "capability × salience weighted mean of positions",
            "Achen 2006; van den Bos 1991",
        ),
        ModelSpec(
            "median",
            median,
            "capability × salience weighted median of positions",
            "Black 1948",
        ),
        ModelSpec(
            "eum",
            eum,
            "Bueno de Mesquita's expected-utility model, round by round",
            "Bueno de Mesquita 1994; Scholz, Calbert & Smith 2011",
            dynamic=True,
        ),
        ModelSpec(
            "exchange",
            exchange,
            "Stokman's exchange model (Decide): vote trades across issue pairs, by round",
            "Stokman & van Oosten 1994; Decide",
            dynamic=True,
        ),
        ModelSpec(
            "nash",
            nash,
            "asymmetric Nash bargaining, status quo as disagreement point, unanimity",
            "Nash 1950; Kalai 1977; Achen 2006",
        ),
        ModelSpec(
            "smp",
            smp,
            "KTAB's Spatial Model of Politics: coalitions, challenges, bargains by turn",
            "Wise, Efird et al., KTAB (KAPSARC)",
            dynamic=True,
        ),
        ModelSpec(
            "winsets",
            winsets,
            "two-level win-sets: ratifiable deals, their overlap, constrained forecast",
            "Putnam 1988",
            describe=describe_winsets,
        ),
    )
}


def get_model(name: str) -> ModelSpec:
    """The model called ``name``; an InputError naming the known ones otherwise."""
    try:
        return MODELS[name]
    except KeyError:
        raise InputError(
            f"a model name ({', '.join(MODELS)})", show_value(name), path=("model",)
        ) from None


def run(
    name: str,
    arrays: ScenarioArrays,
    *,
    rng: np.random.Generator | None = None,
    **options: Any,
) -> Result:
    """Run the model called ``name`` on ``arrays`` with keyword ``options``."""
    return get_model(name).function(arrays, rng=rng, **options)


__all__ = [
    "MODELS",
    "ModelSpec",
    "Option",
    "compromise",
    "eum",
    "exchange",
    "get_model",
    "median",
    "nash",
    "run",
    "smp",
    "winsets",
]
