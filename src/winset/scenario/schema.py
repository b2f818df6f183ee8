"""JSON Schema of winset's YAML scenario format, for editors and other tools."""

from __future__ import annotations

from typing import Any

from winset.scenario.model import Scenario


def scenario_json_schema() -> dict[str, Any]:
    """The schema as a dict; a Quantity or an Outcome may be a bare number or a mapping."""
    schema = Scenario.model_json_schema(mode="validation")
    definitions = schema["$defs"]
    for name in ("Quantity", "Outcome"):
        mapping = definitions[name]
        definitions[name] = {
            "title": name,
            "description": mapping.get("description", ""),
            "anyOf": [
                {"type": "number"},
                {k: v for k, v in mapping.items() if k != "description"},
            ],
        }
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
