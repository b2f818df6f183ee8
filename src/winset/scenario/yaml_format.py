"""winset's own scenario format: YAML (or JSON), validated with line numbers in errors."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError

from winset.errors import InputError, PathPart, show_value
from winset.scenario.model import Scenario

LineMap = dict[tuple[PathPart, ...], int]


MAX_NODES = 1_000_000
"""Largest document accepted, counting every node that aliases expand to."""


def parse_yaml(text: str, file: str) -> tuple[Any, LineMap]:
    """Parse YAML text into plain data and a map from field path to 1-based line number."""
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            lines: LineMap = {}
            if node is None:
                return None, lines
            _Walker(file, lines).size(node, ())
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise InputError(
            "valid YAML", exc.problem or "a syntax error", file=file, line=line
        ) from None
    except yaml.YAMLError as exc:
        raise InputError("valid YAML", str(exc).splitlines()[0], file=file) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # The constructor's own complaints, e.g. a date like 2019-13-01.
        raise InputError("valid YAML values", show_value(str(exc)), file=file) from None
    return data, lines


class _Walker:
    """Records the line of every field, refuses duplicate keys, alias cycles and bombs."""

    def __init__(self, file: str, lines: LineMap) -> None:
        self.file = file
        self.lines = lines
        self.sizes: dict[int, int] = {}
        self.open: set[int] = set()
        self.total = 0

    def size(self, node: yaml.Node, path: tuple[PathPart, ...]) -> int:
        key = id(node)
        if key in self.open:
            raise InputError(
                "no alias that contains itself",
                "a recursive alias",
                path=path,
                file=self.file,
                line=node.start_mark.line + 1,
            )
        if key in self.sizes:  # an alias of a node already walked: count it, don't re-walk
            self._count(self.sizes[key], node)
            return self.sizes[key]
        self.open.add(key)
        self.lines.setdefault(path, node.start_mark.line + 1)
        count = 1
        if isinstance(node, yaml.MappingNode):
            seen: set[object] = set()
            for key_node, value_node in node.value:
                name: PathPart = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                if name in seen:
                    raise InputError(
                        "each key once per mapping",
                        f"{show_value(name)} twice",
                        path=path,
                        file=self.file,
                        line=key_node.start_mark.line + 1,
                    )
                seen.add(name)
                self.lines.setdefault((*path, name), key_node.start_mark.line + 1)
                count += self.size(value_node, (*path, name))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                count += self.size(item, (*path, i))
        self.open.discard(key)
        self.sizes[key] = count
        if not path:
            self._count(count, node)
        return count

    def _count(self, count: int, node: yaml.Node) -> None:
        self.total += count
        if self.total > MAX_NODES:
            raise InputError(
                f"at most {MAX_NODES:,} YAML nodes (aliases expanded)",
                "more",
                file=self.file,
                line=node.start_mark.line + 1,
            )


def line_of(path: tuple[PathPart, ...], lines: LineMap) -> int | None:
    """Line of the deepest prefix of ``path`` that the file has."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def scenario_from_data(data: Any, file: str, lines: LineMap | None = None) -> Scenario:
    """Validate plain data (as parsed from YAML/JSON) into a Scenario."""
    lines = lines or {}
    if not isinstance(data, dict):
        kind = "nothing" if data is None else type(data).__name__
        raise InputError(
            "a mapping with 'title', 'issues' and 'actors'",
            kind,
            file=file,
            line=1 if data is not None else None,
        )
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise input_error_from(exc, file, lines) from None
    except InputError as exc:
        # Scenario-level checks raise InputError with the full field path.
        raise exc.located(file=file, line=line_of(exc.path, lines)) from None


def input_error_from(exc: ValidationError, file: str, lines: LineMap) -> InputError:
    """The first problem pydantic found, as a located one-line InputError."""
    error = exc.errors()[0]
    path = tuple(p for p in error["loc"] if not _is_pydantic_branch(p))
    kind = error["type"]
    message = error["msg"]
    if kind == "winset":
        ctx = error.get("ctx", {})
        path = (*path, *ctx.get("path", ()))
        expected, given = ctx["expected"], ctx["given"]
    elif kind == "missing":
        expected, given = "this field", "nothing"
    elif kind == "extra_forbidden":
        expected, given = "only known fields", f"unknown field {show_value(path[-1])}"
    else:
        ctx = dict(error.get("ctx", {}))
        ctx["_plural"] = "y" if ctx.get("min_length") == 1 else "ies"
        expected = _EXPECTED.get(kind, "").format(**ctx) or message.removeprefix("Input should be ")
        given = show_value(error.get("input"))
        if kind == "too_short":
            given = f"{ctx.get('actual_length', 0)}"
    return InputError(expected, given, path=path, file=file, line=line_of(path, lines))


_EXPECTED = {
    "too_short": "at least {min_length} entr{_plural}",
    "string_too_short": "a non-blank text",
    "string_too_long": "a text of at most {max_length} characters",
    "string_pattern_mismatch": "printable text that is not blank",
    "string_type": "a text",
    "float_parsing": "a number",
    "float_type": "a number",
    "finite_number": "a finite number",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD",
    "date_parsing": "a date written YYYY-MM-DD",
    "date_type": "a date written YYYY-MM-DD",
    "dict_type": "a mapping",
    "tuple_type": "a list",
    "model_type": "a mapping",
}


def _is_pydantic_branch(part: PathPart) -> bool:
    # Pydantic inserts union-branch and validator names such as 'function-after[...]'.
    return isinstance(part, str) and ("[" in part or part in ("float", "int"))


def load_yaml_text(text: str, file: str) -> Scenario:
    """Parse and validate a winset YAML (or JSON) document."""
    data, lines = parse_yaml(text, file)
    return scenario_from_data(data, file, lines)


def scenario_to_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data in winset's file layout (bare numbers where possible)."""
    data = scenario.model_dump(mode="python", exclude_defaults=True)
    compact: dict[str, Any] = _compact({"format": scenario.format, **data})
    return compact


def _compact(value: Any) -> Any:
    """Plain YAML data: whole numbers without '.0', lists (points are bare numbers already)."""
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_compact(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def dump_yaml(scenario: Scenario) -> str:
    """The scenario as winset YAML text."""
    return yaml.safe_dump(
        scenario_to_data(scenario), sort_keys=False, allow_unicode=True, width=100
    )
