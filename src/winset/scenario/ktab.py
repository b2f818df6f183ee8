"""KTAB's CSV input for the Spatial Model of Politics (SMP): reader and writer.

The layout (KAPSARC Toolkit for Behavioral Analysis, ``SMPModel::csvRead``)::

    scenario name, description, number of actors, number of dimensions
    Actor, Description, Power, <dim> Position, <dim> Salience, ...
    name, description, power, position 1, salience 1, position 2, salience 2, ...

Fields may be padded with spaces and quoted with ``"``; trailing empty fields are ignored,
and so are extra fields on line 1. Each dimension becomes an issue on the 0–100 scale whose
id is the position column's header without its ``Position`` suffix (made unique and never
blank); each row becomes an actor (id = name, capability = power) with one stance per
dimension, saliences kept on 0–100 as written. KTAB lets an actor spend at most 100
salience across all dimensions, so a row whose saliences sum to more (beyond a 1e-6
tolerance) is refused.

Writing produces the same layout, issue ids naming the dimensions. KTAB carries point
values only: a quantity's uncertainty range (the nominal value is written) and evidence,
winset's issue and actor names, issue descriptions, scale labels, reference points and
sources are not written. Free text (title, question, actor descriptions) is written on one
line without double quotes (control characters become spaces, ``"`` becomes ``'``)
because KTAB's CSV reader has no escape for them; a field containing a comma is quoted,
and so is line 1 when the title starts with ``#`` or ``'`` (which would look like Decide
input). Numbers are written in Python's shortest round-trip form, so reading a written
file gives identical floats.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import PurePath
from typing import Any

from winset.errors import InputError, PathPart, show_value
from winset.scenario._fields import (
    NUMBER,
    check_id,
    csv_problem,
    number_text,
    one_line,
    parse_number,
    trimmed,
)
from winset.scenario.model import Scenario
from winset.scenario.yaml_format import LineMap, scenario_from_data

SALIENCE_BUDGET = 100.0
"""Most salience an actor may spread across all dimensions (KTAB's rule)."""

SALIENCE_TOLERANCE = 1e-6
"""Rounding allowed above :data:`SALIENCE_BUDGET` when summing an actor's saliences."""

SCALE = (0.0, 100.0)
"""KTAB positions and saliences are on 0–100."""

_COUNT = re.compile(r"[0-9]+")
_POSITION_SUFFIX = re.compile(r"(?:(.*?)[\s_-]+)?position", re.IGNORECASE)


def loads(text: str, file: str) -> Scenario:
    """Parse KTAB SMP input (CSV text) into a scenario.

    Args:
        text: The file's content.
        file: The file name, used in error messages and for a fallback title.

    Returns:
        The validated scenario: one issue per dimension, one actor per row.

    Raises:
        InputError: On any problem, naming the file, the 1-based line, what was expected
            and what was given.
    """
    records = _records(text, file)
    if not records:
        raise InputError(
            "a KTAB scenario: line 1 'name, description, actors, dimensions'",
            "an empty file",
            file=file,
            line=1,
        )
    first_line, first = records[0]
    title, question, n_actors, n_dims = _first_line(first, file, first_line)
    if len(records) < 2:
        raise InputError(
            "a header line 'Actor, Description, Power, <dim> Position, "
            "<dim> Salience, …' after line 1",
            "the end of the file",
            file=file,
            line=first_line + 1,
        )
    header_line, header = records[1]
    issues = _issues(header, n_dims, file, header_line)
    rows = records[2:]
    if len(rows) > n_actors:
        extra_line = rows[n_actors][0]
        raise InputError(
            f"{n_actors} actor rows after the header (line {first_line} gives {n_actors} actors)",
            f"a row number {n_actors + 1}",
            file=file,
            line=extra_line,
        )
    if len(rows) < n_actors:
        raise InputError(
            f"{n_actors} actor rows after the header (the number of actors given on this line)",
            f"{len(rows)}",
            file=file,
            line=first_line,
        )
    lines: LineMap = {
        (): first_line,
        ("title",): first_line,
        ("question",): first_line,
        ("issues",): header_line,
        ("actors",): header_line,
    }
    for i in range(len(issues)):
        lines[("issues", i)] = header_line
    actors = []
    for a, (line, row) in enumerate(rows):
        actors.append(_actor(row, issues, file, line))
        lines[("actors", a)] = line
    data: dict[str, Any] = {
        "title": title or f"KTAB scenario {PurePath(file).stem}",
        "question": question,
        "issues": issues,
        "actors": actors,
    }
    return scenario_from_data(data, file, lines)


def dumps(scenario: Scenario) -> str:
    """Write a scenario as KTAB SMP input (CSV text).

    An actor with no stance on an issue is written at the middle of the scale with
    salience 0. Quantities are written as their point estimate (``nominal``).

    Args:
        scenario: The scenario to write.

    Returns:
        The CSV text, one row per line, each ending in a newline.

    Raises:
        InputError: If KTAB cannot represent the scenario: an issue whose scale is not
            0–100, an actor whose saliences sum to more than 100, or an id containing a
            double quote (the error names the issue or actor).
    """
    for i, issue in enumerate(scenario.issues):
        if tuple(issue.scale) != SCALE:
            lo, hi = issue.scale
            raise InputError(
                f"a scale of [0, 100] on issue {show_value(issue.id)} (KTAB "
                "positions are on 0–100)",
                f"[{number_text(lo)}, {number_text(hi)}]",
                path=("issues", i, "scale"),
            )
        _check_id(issue.id, ("issues", i, "id"))
    middle = (SCALE[0] + SCALE[1]) / 2
    out = io.StringIO()
    first = [
        _text(scenario.title),
        _text(scenario.question),
        str(len(scenario.actors)),
        str(len(scenario.issues)),
    ]
    # Quote a title that starts like a Decide record, so format detection sees KTAB.
    if first[0].startswith(("#", "'")):
        csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerow(first)
    else:
        csv.writer(out, lineterminator="\n").writerow(first)
    writer = csv.writer(out, lineterminator="\n")
    header = ["Actor", "Description", "Power"]
    for issue in scenario.issues:
        header += [f"{issue.id} Position", f"{issue.id} Salience"]
    writer.writerow(header)
    for a, actor in enumerate(scenario.actors):
        _check_id(actor.id, ("actors", a, "id"))
        row = [actor.id, _text(actor.description), number_text(actor.capability.nominal)]
        total = 0.0
        for issue in scenario.issues:
            stance = actor.stances.get(issue.id)
            position = stance.position.nominal if stance else middle
            salience = stance.salience.nominal if stance else 0.0
            total += salience
            row += [number_text(position), number_text(salience)]
        if total > SALIENCE_BUDGET + SALIENCE_TOLERANCE:
            raise InputError(
                f"saliences of actor {show_value(actor.id)} summing to at most "
                "100 across issues (KTAB's rule)",
                number_text(total),
                path=("actors", a, "stances"),
            )
        writer.writerow(row)
    return out.getvalue()


# --- reading -------------------------------------------------------------------------


def _records(text: str, file: str) -> list[tuple[int, list[str]]]:
    """Non-blank lines as (1-based line number, stripped fields without trailing blanks)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    records = []
    for number, line in enumerate(text.split("\n"), start=1):
        try:
            fields = next(csv.reader([line], skipinitialspace=True, strict=True), [])
        except csv.Error as exc:
            raise InputError(
                "comma-separated fields, quoted with '\"' where needed",
                csv_problem(exc),
                file=file,
                line=number,
            ) from None
        fields = trimmed(fields)
        if fields:
            records.append((number, fields))
    return records


def _first_line(fields: list[str], file: str, line: int) -> tuple[str, str, int, int]:
    if len(fields) < 4:
        raise InputError(
            "4 fields: scenario name, description, number of actors, number of dimensions",
            f"{len(fields)} field{'s' * (len(fields) != 1)}",
            file=file,
            line=line,
        )
    n_actors = _count(fields[2], "number of actors", file, line)
    n_dims = _count(fields[3], "number of dimensions", file, line)
    if n_actors < 1:
        raise InputError("at least 1 actor", "0", file=file, line=line)
    if n_dims < 1:
        raise InputError("at least 1 dimension", "0", file=file, line=line)
    return fields[0], fields[1], n_actors, n_dims


def _count(text: str, what: str, file: str, line: int) -> int:
    if not _COUNT.fullmatch(text):
        raise InputError(f"a whole number for the {what}", show_value(text), file=file, line=line)
    return int(text)


def _issues(header: list[str], n_dims: int, file: str, line: int) -> list[dict[str, Any]]:
    wanted = 3 + 2 * n_dims
    if len(header) != wanted:
        raise InputError(
            f"{wanted} columns (Actor, Description, Power, then a position and a "
            f"salience column for each of the {n_dims} dimensions given on "
            "line 1)",
            f"{len(header)}",
            file=file,
            line=line,
        )
    if NUMBER.fullmatch(header[2]):
        raise InputError(
            "a header line 'Actor, Description, Power, <dim> Position, <dim> "
            "Salience, …' with column names",
            f"a number in the power column: {show_value(header[2])}",
            file=file,
            line=line,
        )
    issues: list[dict[str, Any]] = []
    taken: set[str] = set()
    for d in range(n_dims):
        column = header[3 + 2 * d]
        match = _POSITION_SUFFIX.fullmatch(column)
        name = (match.group(1) or "") if match else column
        base = name or f"dim{d + 1}"
        issue_id, n = base, 1
        while issue_id in taken:
            n += 1
            issue_id = f"{base}-{n}"
        check_id(issue_id, f"a dimension name in column {3 + 2 * d + 1}", file, line)
        taken.add(issue_id)
        issues.append({"id": issue_id, "name": name, "scale": list(SCALE)})
    return issues


def _actor(row: list[str], issues: list[dict[str, Any]], file: str, line: int) -> dict[str, Any]:
    n_dims = len(issues)
    wanted = 3 + 2 * n_dims
    if len(row) != wanted:
        dims = f"{n_dims} dimension{'s' * (n_dims != 1)}"
        raise InputError(
            f"{wanted} fields (name, description, power, then a position and a "
            f"salience for each of the {dims})",
            f"{len(row)}",
            file=file,
            line=line,
        )
    name, description = row[0], row[1]
    check_id(name, "an actor name in the first field", file, line)
    power = parse_number(row[2], "the power", file, line)
    stances: dict[str, dict[str, float]] = {}
    total = 0.0
    for d, issue in enumerate(issues):
        where = f"on dimension {show_value(issue['id'])}"
        position = parse_number(row[3 + 2 * d], f"the position {where}", file, line)
        salience = parse_number(row[4 + 2 * d], f"the salience {where}", file, line)
        total += salience
        stances[issue["id"]] = {"position": position, "salience": salience}
    if total > SALIENCE_BUDGET + SALIENCE_TOLERANCE:
        raise InputError(
            f"saliences of actor {show_value(name)} summing to at most 100 across "
            "the dimensions (KTAB's rule)",
            number_text(total),
            file=file,
            line=line,
        )
    return {"id": name, "description": description, "capability": power, "stances": stances}


# --- writing -------------------------------------------------------------------------


def _check_id(text: str, path: tuple[PathPart, ...]) -> None:
    if '"' in text:
        raise InputError(
            "an id without '\"' (KTAB's CSV reader cannot escape it)", show_value(text), path=path
        )


def _text(text: str) -> str:
    """Free text on one line, without double quotes, which KTAB cannot escape."""
    return one_line(text).replace('"', "'")
