"""Decide input (Stokman's exchange model, package ``decide-exchange-model``): reader, writer.

A Decide file holds one record per line; the first field names the record type::

    #A  actor id, full name, description
    #P  issue id, name, description
    #M  issue id, position, meaning        (labelled points; the scale is their [min, max])
    #D  actor id, issue id, position, salience (0..1), power
    #O  title (a second #O line: the question)
    #/  comment

Two dialects occur and both are read, detected per file from the first record: fields
separated by tabs with text in single quotes (``'#A'<TAB>'USA'<TAB>'USA'<TAB>''``), and
fields separated by semicolons, unquoted, padded with ``;;;`` (``#A;USA;USA;;;``); a
comma-separated variant is read too. Blank lines and ``#/`` comments are skipped. Extra
fields after the last one a record uses are joined to it with a space, as the Decide
package does; on a ``#D`` line they are a comment and ignored.

Mapping: salience × 100 onto winset's 0–100 (done in decimal, so ``0.95`` reads as exactly
``95.0`` and writing gives ``0.95`` back); capability = power as written. Decide keeps a
power per actor-issue line, winset one capability per actor, so an actor whose power
differs between its ``#D`` lines is refused; an actor with no ``#D`` line at all has no
power in Decide and reads with capability 0 and no stances (only such an actor is written
without ``#D`` lines). Power is limited to 0–100 as in the Decide package. An issue's
scale is the range of its ``#M`` positions, 0–100 when it has none. The ``#M`` meanings
become the issue's scale points, kept in ascending order of position (an empty label where
the file gives none). The title comes from the first ``#O`` line, else ``Decide scenario
<file stem>``; further ``#O`` lines give the question.

Writing uses the tab-separated dialect with single-quoted text, because that is the one
the Decide package itself writes (its input editor saves exactly this layout) and reads in
its own tests (``cop21.csv``, ``sample_data.txt``); its reader sniffs the dialect from the
first 1,024 characters, and quoted fields let names and meanings hold ``;`` and ``,``,
which the semicolon dialect cannot carry. A single quote in text is doubled. ``#M`` lines
are written for every scale point in ascending order (the Decide package mis-stores a
lower bound that arrives after a higher one), plus the scale's end points when no point
sits there, so the scale survives a round trip; an issue on 0–100 without points gets no
``#M`` line. Decide carries point values only: uncertainty ranges, evidence, reference
points and sources are not written, and control characters in text become spaces.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal, DecimalException
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
from winset.scenario.model import Issue, Scenario
from winset.scenario.yaml_format import LineMap, scenario_from_data

DEFAULT_SCALE = (0.0, 100.0)
"""The scale of an issue without ``#M`` lines."""

MAX_POWER = 100.0
"""Largest power the Decide package accepts on a ``#D`` line."""

_FIRST_RECORD = re.compile(r"\s*(['\"]?)#[APMDOapmdo]\1([\t;,])")
_COMMENT = re.compile(r"\s*['\"]?#/")
_TAGS = ("#A", "#P", "#M", "#D", "#O", "#/")
_DELIMITER_NAMES = {"\t": "tabs", ";": "semicolons", ",": "commas"}
_HUNDRED = Decimal(100)


@dataclass
class _Actor:
    line: int
    name: str
    description: str
    power: float | None = None
    power_line: int = 0
    stances: dict[str, dict[str, float]] = field(default_factory=dict)
    stance_lines: dict[str, int] = field(default_factory=dict)


@dataclass
class _Issue:
    line: int
    name: str
    description: str
    points: list[tuple[float, str, int]] = field(default_factory=list)


def loads(text: str, file: str) -> Scenario:
    """Parse Decide input (either dialect) into a scenario.

    Args:
        text: The file's content.
        file: The file name, used in error messages and for the fallback title.

    Returns:
        The validated scenario.

    Raises:
        InputError: On any problem, naming the file, the 1-based line, what was expected
            and what was given.
    """
    records = _records(text, file)
    titles: list[tuple[int, str]] = []
    actors: dict[str, _Actor] = {}
    issues: dict[str, _Issue] = {}
    for line, tag, fields in records:  # declarations first: #D may precede its #A
        if tag == "#O":
            if fields:
                titles.append((line, _joined(fields)))
        elif tag == "#A":
            actor_id = _identifier(fields, "an actor id after #A", file, line)
            if actor_id in actors:
                raise InputError(
                    "each actor declared once by #A",
                    f"{show_value(actor_id)} again (first on line {actors[actor_id].line})",
                    file=file,
                    line=line,
                )
            actors[actor_id] = _Actor(line, *_name_and_description(fields))
        elif tag == "#P":
            issue_id = _identifier(fields, "an issue id after #P", file, line)
            if issue_id in issues:
                raise InputError(
                    "each issue declared once by #P",
                    f"{show_value(issue_id)} again (first on line {issues[issue_id].line})",
                    file=file,
                    line=line,
                )
            issues[issue_id] = _Issue(line, *_name_and_description(fields))
    if not actors:
        raise InputError(
            "at least one actor declared by an #A line", "none", file=file, line=_last_line(records)
        )
    if not issues:
        raise InputError(
            "at least one issue declared by a #P line", "none", file=file, line=_last_line(records)
        )
    for line, tag, fields in records:
        if tag == "#M":
            _scale_point(fields, issues, file, line)
    scales = {issue_id: _scale(issue, issue_id, file) for issue_id, issue in issues.items()}
    for line, tag, fields in records:
        if tag == "#D":
            _stance(fields, actors, issues, scales, file, line)
    return _scenario(file, titles, actors, issues, scales)


def dumps(scenario: Scenario) -> str:
    """Write a scenario as Decide input in the tab-separated, single-quoted dialect.

    Args:
        scenario: The scenario to write.

    Returns:
        The Decide text, one record per line, each ending in a newline.

    Raises:
        InputError: If an actor with a capability above 0 has no stance at all (Decide
            gives an actor's power only on its ``#D`` lines); the error names the actor.
    """
    rows = [_row("#O", _text(scenario.title))]
    if scenario.question:
        rows.append(_row("#O", _text(scenario.question)))
    for a, actor in enumerate(scenario.actors):
        capability = actor.capability.nominal
        if capability > MAX_POWER:
            raise InputError(
                f"a capability of at most {MAX_POWER:g} for actor "
                f"{show_value(actor.id)} (Decide's limit on power)",
                _number_text(capability),
                path=("actors", a, "capability"),
            )
        if not actor.stances and capability != 0:
            raise InputError(
                f"at least one stance for actor {show_value(actor.id)}, whose "
                "capability is not 0 (Decide gives an actor's power only on its "
                "#D lines)",
                "none",
                path=("actors", a, "stances"),
            )
        rows.append(_row("#A", actor.id, _text(actor.name), _text(actor.description)))
    for issue in scenario.issues:
        rows.append(_row("#P", issue.id, _text(issue.name), _text(issue.description)))
        for position, label in _points_to_write(issue):
            rows.append(_row("#M", issue.id, _number_text(position), _text(label)))
    for actor in scenario.actors:
        power = _number_text(actor.capability.nominal)
        for issue in scenario.issues:
            stance = actor.stances.get(issue.id)
            if stance is not None:
                rows.append(
                    _row(
                        "#D",
                        actor.id,
                        issue.id,
                        _number_text(stance.position.nominal),
                        _fraction_text(stance.salience.nominal),
                        power,
                    )
                )
    return "".join(rows)


# --- reading -------------------------------------------------------------------------


def _records(text: str, file: str) -> list[tuple[int, str, list[str]]]:
    """Records as (1-based line, tag, stripped fields after the tag), comments dropped."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    quote, delimiter = _dialect(lines, file)
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or _COMMENT.match(line):
            continue
        try:
            fields = next(
                csv.reader(
                    [line],
                    delimiter=delimiter,
                    quotechar=quote,
                    doublequote=True,
                    skipinitialspace=True,
                    strict=True,
                ),
                [],
            )
        except csv.Error as exc:
            raise InputError(
                f"fields separated by {_DELIMITER_NAMES[delimiter]}, "
                f"text in {quote}…{quote} quotes",
                csv_problem(exc),
                file=file,
                line=number,
            ) from None
        fields = trimmed(fields)
        if not fields:
            continue
        tag = fields[0].upper()
        if tag not in _TAGS:
            raise InputError(
                "a record starting with #A, #P, #M, #D, #O or #/",
                show_value(fields[0]),
                file=file,
                line=number,
            )
        records.append((number, tag, fields[1:]))
    if not records:
        raise InputError("Decide records (#A, #P, #M, #D lines)", "none", file=file, line=1)
    return records


def _dialect(lines: list[str], file: str) -> tuple[str, str]:
    """Quote character and delimiter, from the first record that is not a comment."""
    for number, line in enumerate(lines, start=1):
        if not line.strip() or _COMMENT.match(line):
            continue
        match = _FIRST_RECORD.match(line)
        if match is None:
            raise InputError(
                "a Decide record such as #A, #P, #M or #D followed by a tab or a semicolon",
                show_value(line),
                file=file,
                line=number,
            )
        return match.group(1) or ("'" if match.group(2) == "\t" else '"'), match.group(2)
    return "'", "\t"


def _last_line(records: list[tuple[int, str, list[str]]]) -> int:
    return records[-1][0] if records else 1


def _identifier(fields: list[str], expected: str, file: str, line: int) -> str:
    text = fields[0] if fields else ""
    return check_id(text, expected, file, line, given="an empty field" if fields else "nothing")


def _name_and_description(fields: list[str]) -> tuple[str, str]:
    name = fields[1] if len(fields) > 1 else ""
    return name, _joined(fields[2:])


def _joined(fields: list[str]) -> str:
    """Text spread over several fields, joined with a space as the Decide package does."""
    return " ".join(f for f in fields if f)


def _scale_point(fields: list[str], issues: dict[str, _Issue], file: str, line: int) -> None:
    if len(fields) < 2:
        raise InputError(
            "an issue id and a position after #M",
            f"{len(fields)} field{'s' * (len(fields) != 1)}",
            file=file,
            line=line,
        )
    issue_id = fields[0]
    issue = issues.get(issue_id)
    if issue is None:
        raise InputError(
            f"an issue declared by a #P line ({_listing(issues)})",
            show_value(issue_id),
            file=file,
            line=line,
        )
    position = parse_number(fields[1], "the position", file, line)
    issue.points.append((position, _joined(fields[2:]), line))


def _scale(issue: _Issue, issue_id: str, file: str) -> tuple[float, float]:
    if not issue.points:
        return DEFAULT_SCALE
    positions = [p for p, _, _ in issue.points]
    lo, hi = min(positions), max(positions)
    if lo == hi:
        raise InputError(
            f"#M positions of issue {show_value(issue_id)} spanning a range "
            "(at least two different positions)",
            f"only {_number_text(lo)}",
            file=file,
            line=issue.points[-1][2],
        )
    return lo, hi


def _stance(
    fields: list[str],
    actors: dict[str, _Actor],
    issues: dict[str, _Issue],
    scales: dict[str, tuple[float, float]],
    file: str,
    line: int,
) -> None:
    if len(fields) < 5:
        raise InputError(
            "5 fields after #D: actor, issue, position, salience, power",
            f"{len(fields)}",
            file=file,
            line=line,
        )
    actor_id, issue_id = fields[0], fields[1]
    actor = actors.get(actor_id)
    if actor is None:
        raise InputError(
            f"an actor declared by an #A line ({_listing(actors)})",
            show_value(actor_id),
            file=file,
            line=line,
        )
    if issue_id not in issues:
        raise InputError(
            f"an issue declared by a #P line ({_listing(issues)})",
            show_value(issue_id),
            file=file,
            line=line,
        )
    if issue_id in actor.stances:
        raise InputError(
            f"one #D line for actor {show_value(actor_id)} on issue {show_value(issue_id)}",
            f"a second one (first on line {actor.stance_lines[issue_id]})",
            file=file,
            line=line,
        )
    position = parse_number(fields[2], "the position", file, line)
    lo, hi = scales[issue_id]
    if not lo <= position <= hi:
        where = "#M range" if issues[issue_id].points else "default scale"
        raise InputError(
            f"a position within the {where} [{_number_text(lo)}, {_number_text(hi)}] "
            f"of issue {show_value(issue_id)}",
            show_value(fields[2]),
            file=file,
            line=line,
        )
    salience = _salience(fields[3], file, line)
    power = parse_number(fields[4], "the power", file, line)
    if not 0 <= power <= MAX_POWER:
        raise InputError(
            f"a power between 0 and {MAX_POWER:g} (Decide's limit)",
            show_value(fields[4]),
            file=file,
            line=line,
        )
    if actor.power is None:
        actor.power, actor.power_line = power, line
    elif power != actor.power:
        raise InputError(
            f"the same power on every #D line of actor {show_value(actor_id)} "
            f"(winset keeps one capability per actor; line {actor.power_line} "
            f"gives {_number_text(actor.power)})",
            show_value(fields[4]),
            file=file,
            line=line,
        )
    actor.stances[issue_id] = {"position": position, "salience": salience}
    actor.stance_lines[issue_id] = line


def _salience(text: str, file: str, line: int) -> float:
    """A 0..1 salience as winset's 0–100, scaled in decimal so it round-trips exactly."""
    expected = "a salience between 0 and 1"
    if not NUMBER.fullmatch(text):
        raise InputError(expected, show_value(text), file=file, line=line)
    try:
        fraction = Decimal(text)
        if not 0 <= fraction <= 1:
            raise InputError(expected, show_value(text), file=file, line=line)
        return float(fraction * _HUNDRED)
    except DecimalException:
        raise InputError(expected, show_value(text), file=file, line=line) from None


def _listing(ids: dict[str, Any], most: int = 6) -> str:
    names = list(ids)
    shown = ", ".join(show_value(name) for name in names[:most])
    return shown + (", …" if len(names) > most else "")


def _scenario(
    file: str,
    titles: list[tuple[int, str]],
    actors: dict[str, _Actor],
    issues: dict[str, _Issue],
    scales: dict[str, tuple[float, float]],
) -> Scenario:
    lines: LineMap = {(): 1}
    title = f"Decide scenario {PurePath(file).stem}"
    question = ""
    if titles:
        title = titles[0][1]
        lines[("title",)] = titles[0][0]
        if len(titles) > 1:
            question = " ".join(text for _, text in titles[1:])
            lines[("question",)] = titles[1][0]
    issue_data = []
    for i, (issue_id, issue) in enumerate(issues.items()):
        points = sorted(issue.points, key=lambda p: p[0])
        lines[("issues", i)] = issue.line
        for k, (_, _, line) in enumerate(points):
            lines[("issues", i, "points", k)] = line
        issue_data.append(
            {
                "id": issue_id,
                "name": issue.name,
                "description": issue.description,
                "scale": list(scales[issue_id]),
                "points": [{"position": p, "label": label} for p, label, _ in points],
            }
        )
    actor_data = []
    for a, (actor_id, actor) in enumerate(actors.items()):
        here: tuple[PathPart, ...] = ("actors", a)
        lines[here] = actor.line
        lines[(*here, "capability")] = actor.power_line or actor.line
        for issue_id, line in actor.stance_lines.items():
            lines[(*here, "stances", issue_id)] = line
        actor_data.append(
            {
                "id": actor_id,
                "name": actor.name,
                "description": actor.description,
                "capability": actor.power or 0.0,
                "stances": actor.stances,
            }
        )
    data = {"title": title, "question": question, "issues": issue_data, "actors": actor_data}
    return scenario_from_data(data, file, lines)


# --- writing -------------------------------------------------------------------------


class _Number(str):
    """A formatted number: written bare, where text is written in single quotes."""


def _row(*fields: str) -> str:
    """One tab-separated record; text in single quotes, a quote inside doubled."""
    return (
        "\t".join(f if isinstance(f, _Number) else "'" + f.replace("'", "''") + "'" for f in fields)
        + "\n"
    )


def _points_to_write(issue: Issue) -> list[tuple[float, str]]:
    """Scale points in ascending order, plus the scale's ends where no point sits."""
    points = sorted(((p.position, p.label) for p in issue.points), key=lambda p: p[0])
    lo, hi = issue.scale
    if not points and (lo, hi) == DEFAULT_SCALE:
        return []
    if not points or points[0][0] != lo:
        points.insert(0, (lo, ""))
    if points[-1][0] != hi:
        points.append((hi, ""))
    return points


def _text(text: str) -> str:
    return one_line(text)


def _number_text(x: float) -> _Number:
    """Shortest text that reads back as exactly ``x``, written bare."""
    return _Number(number_text(x))


def _fraction_text(salience: float) -> _Number:
    """A 0–100 salience as Decide's 0..1, exact in decimal: ``95.0`` → ``0.95``."""
    fraction = Decimal(repr(float(salience))).scaleb(-2).normalize()
    return _Number(format(fraction, "f"))
