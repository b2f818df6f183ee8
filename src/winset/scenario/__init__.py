"""Scenarios: the data model, its array form and its file formats."""

from winset.scenario.arrays import (
    ScenarioArrays,
    UncertainInput,
    arrays_from_unit,
    nominal_arrays,
    sample_arrays,
    uncertain_inputs,
)
from winset.scenario.model import (
    Actor,
    Evidence,
    Issue,
    Quantity,
    ScalePoint,
    Scenario,
    Source,
    Stance,
)

__all__ = [
    "Actor",
    "Evidence",
    "Issue",
    "Quantity",
    "ScalePoint",
    "Scenario",
    "ScenarioArrays",
    "Source",
    "Stance",
    "UncertainInput",
    "arrays_from_unit",
    "nominal_arrays",
    "sample_arrays",
    "uncertain_inputs",
]
