"""DEU III: 364 contested issues of EU legislation, as winset scenarios with their outcomes.

The data set (Arregui & Perarnaud 2022, "A new dataset on legislative decision-making in the
European Union: the DEU III dataset", Journal of European Public Policy; data
doi:10.34810/data53, CC BY 4.0) gives, per issue, the positions (``p<actor>``, 0–100) and
saliences (``s<actor>``, 0–100) of the Commission (``com``), the European Parliament
(``ep``) and the member states (``at`` … ``uk``), the reference point ``rp`` (the outcome
if no law is adopted), the outcome ``out``, the procedure ``proc`` (COD codecision, CNS
consultation), the Council's voting rule ``counvte`` and the introduction and final-act
dates ``intro`` and ``finact``.

Two layouts are read:

* the **public copy** (``../shared/data/deu3/deu3.csv``: tab-separated, quoted header),
  whose defects are repaired on reading, each repair below;
* the **cleaned copy** shipped with winset (``src/winset/backtest/data/deu3-clean.csv``,
  written by :func:`write_clean`): the same rows and columns with the repairs applied, the
  dates in ISO form under the column names ``intro_date`` and ``final_act_date``.

Repairs of the public copy (also listed in ``docs/backtest.md``):

1. Row 2 is not an issue: it holds GDP figures in the position columns of each actor,
   added by whoever made the copy. A row whose proposal and issue ids are blank is
   dropped; only the second line of the file may be such a row, any other is an error.
2. 171 ``finact`` and 138 ``intro`` values were mangled by a spreadsheet that read
   ``DD-MM-YY`` as ``YY-MM-DD`` and wrote it back as a four-digit year: ``1930-05-01``
   is 30 May 2001 (day 30, month 05, year 01; the spreadsheet put 2-digit years 30–99 in
   the 1900s and 00–29 in the 2000s). A value of the form ``19dd-mm-yy`` or ``20dd-mm-yy``
   is read as day ``dd``, month ``mm``, year ``yy``. (PROVENANCE.md mentions only
   ``finact``; ``intro`` has the same defect, e.g. ``2022-09-04`` for proposal d04209,
   introduced 22 September 2004.) Two-digit years 50–99 are the 1900s, 00–49 the 2000s;
   ``DD-MM-YYYY`` values are read as they stand. After the repair every introduction year
   matches the year in the proposal's number (except d95341, COM(1995) 341, introduced in
   February 1996, a date that was not mangled), and no final act precedes its introduction.
3. ``finact`` = ``999`` means no final act date: it is kept as missing.
4. 11 outcomes are blank: those issues are loaded but not scorable.
5. An actor with a position but a blank salience (54 cells) is left out of the issue, as
   the field's baselines do; so is an actor with a salience but no position (mostly states
   that were not members yet). "Present" means position and salience both given.
6. ``counvte`` = ``QMV(10)`` (2 issues of proposal n99192, the Employment Committee) is
   read as QMV; the copy does not say what the 10 means.

A **scorable** issue has an outcome and at least three present actors: 351 of the 364.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from winset.backtest.power import (
    COMMISSION,
    MEMBER_NAMES,
    PARLIAMENT,
    Index,
    council_at,
    legislative_power,
)
from winset.errors import InputError, show_value
from winset.scenario.io import read_text, write_atomically
from winset.scenario.model import Actor, Issue, Quantity, Scenario, Source, Stance

Capability = Literal["equal", "votes", "shapley", "banzhaf"]
CAPABILITIES: tuple[Capability, ...] = ("equal", "votes", "shapley", "banzhaf")
"""Capability schemes: every present actor 1; Council votes; Shapley–Shubik; Banzhaf."""

ACTORS: tuple[str, ...] = (COMMISSION, PARLIAMENT, *MEMBER_NAMES)
"""Actor codes in the data set's column order."""

ACTOR_NAMES: dict[str, str] = {
    COMMISSION: "European Commission",
    PARLIAMENT: "European Parliament",
    **MEMBER_NAMES,
}

PACKAGED = Path(__file__).parent / "data" / "deu3-clean.csv"
"""The cleaned copy shipped with winset."""

MIN_ACTORS = 3
"""A scorable issue has at least this many present actors."""

DECISION_LAG = dt.timedelta(days=567)
"""Stand-in time from introduction to decision where the final act date is missing.

It is the median introduction-to-final-act time of the DEU III issues that have both dates
(567 days); it only chooses the treaty whose Council rule applies.
"""

SOURCE = Source(
    id="deu3",
    title="DEU III: Decision-making in the European Union, waves I-III",
    author="Javier Arregui; Clement Perarnaud",
    publisher="Journal of European Public Policy (2022); data CORA, CC BY 4.0",
    url="https://doi.org/10.34810/data53",
)

_META = (
    "prnrnmc",
    "isnrnmc",
    "prnr",
    "prname",
    "isnr",
    "type",
    "council",
    "proc",
    "counvte",
    "proccde",
    "issues",
)
_ACTOR_COLUMNS = tuple(f"p{a}" for a in ACTORS) + tuple(f"s{a}" for a in ACTORS)
RAW_COLUMNS: tuple[str, ...] = (*_META, "intro", "finact", *_ACTOR_COLUMNS, "rp", "out")
"""Columns of the public copy, in order."""
CLEAN_COLUMNS: tuple[str, ...] = (
    *_META,
    "intro_date",
    "final_act_date",
    *_ACTOR_COLUMNS,
    "rp",
    "out",
)
"""Columns of the cleaned copy, in order."""

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_SHORT = re.compile(r"(\d\d)-(\d\d)-(\d\d)")
_LONG = re.compile(r"(\d\d)-(\d\d)-(\d\d\d\d)")
_MANGLED = re.compile(r"(19|20)(\d\d)-(\d\d)-(\d\d)")
_ISO = re.compile(r"\d\d\d\d-\d\d-\d\d")
_RULES = {"QMV": "qmv", "QMV(10)": "qmv", "Unan": "unanimity"}


@dataclass(frozen=True)
class Record:
    """One issue row of the file after repair, before it becomes a scenario."""

    line: int
    proposal: str
    proposal_name: str
    issue: str
    instrument: str
    council: str
    procedure: Literal["COD", "CNS"]
    voting_rule: Literal["qmv", "unanimity"]
    voting_rule_text: str
    intro: dt.date
    final_act: dt.date | None
    position: Mapping[str, float]
    """Present actors only (position and salience both given)."""
    salience: Mapping[str, float]
    reference: float | None
    outcome: float | None
    raw: Mapping[str, str] = field(repr=False)
    """The row's fields as read (dates repaired in :attr:`intro` / :attr:`final_act`)."""
    mangled: tuple[str, ...] = ()
    """Date columns whose value was repaired."""
    no_salience: tuple[str, ...] = ()
    """Actors with a position but a blank salience, left out."""

    @property
    def decision_date(self) -> dt.date:
        """The final act date, or the introduction date plus :data:`DECISION_LAG`."""
        return self.final_act or self.intro + DECISION_LAG

    @property
    def wave(self) -> int:
        """DEU wave by introduction year: 1 (to 2000), 2 (2001–2009), 3 (2010 on)."""
        year = self.intro.year
        return 1 if year <= 2000 else 2 if year <= 2009 else 3

    @property
    def scorable(self) -> bool:
        """Has an outcome and at least :data:`MIN_ACTORS` present actors."""
        return self.outcome is not None and len(self.position) >= MIN_ACTORS


@dataclass(frozen=True)
class Case:
    """One DEU issue: its scenario (one issue), the actual outcome and the metadata."""

    scenario: Scenario
    outcome: float | None
    wave: int
    procedure: Literal["COD", "CNS"]
    voting_rule: Literal["qmv", "unanimity"]
    proposal: str
    intro: dt.date
    final_act: dt.date | None
    issue: str
    line: int
    council: str
    """The Council rule in force at the decision date (see :mod:`winset.backtest.power`)."""
    capability: Capability
    record: Record = field(repr=False)

    @property
    def scorable(self) -> bool:
        """Has an outcome and at least three present actors."""
        return self.record.scorable

    @property
    def decision_date(self) -> dt.date:
        """Final act date, or introduction date plus :data:`DECISION_LAG` where missing."""
        return self.record.decision_date


# --------------------------------------------------------------------------- reading


def read_records(path: str | Path | None = None) -> list[Record]:
    """Every issue row of a DEU III file, repaired and checked.

    Args:
        path: The public copy or the cleaned copy; None reads the cleaned copy shipped
            with winset.

    Returns:
        One record per issue (364 for DEU III), in file order.

    Raises:
        InputError: A missing, empty, binary, malformed or truncated file, an unknown
            layout, a bad number, date, procedure or voting rule, a duplicate issue id.
    """
    source = PACKAGED if path is None else Path(path)
    name = str(source)
    text = read_text(source, what="a DEU III file")
    rows = _rows(text, name)
    header = rows[0][1]
    if tuple(header) == RAW_COLUMNS:
        clean = False
    elif tuple(header) == CLEAN_COLUMNS:
        clean = True
    else:
        raise InputError(
            f"a DEU III header of {len(RAW_COLUMNS)} tab-separated columns "
            f"({', '.join(RAW_COLUMNS[:4])}, …, rp, out)",
            _header_problem(header),
            file=name,
            line=1,
        )
    records: list[Record] = []
    seen: dict[str, int] = {}
    for line, values in rows[1:]:
        if len(values) != len(header):
            raise InputError(
                f"{len(header)} tab-separated fields",
                f"{len(values)} (a truncated or malformed row)",
                file=name,
                line=line,
            )
        fields = dict(zip(header, values, strict=True))
        if not fields["prnr"] and not fields["isnr"]:
            if not clean and line == 2:
                continue  # Repair 1: the copy's GDP row.
            raise InputError(
                "an issue row with ids prnr and isnr", "blank ids", file=name, line=line
            )
        record = _record(fields, clean, name, line)
        if record.issue in seen:
            raise InputError(
                "issue ids (isnr) unique in the file",
                f"{show_value(record.issue)} again (first on line {seen[record.issue]})",
                file=name,
                line=line,
                path=("isnr",),
            )
        seen[record.issue] = line
        records.append(record)
    if not records:
        raise InputError("at least one issue row", "none", file=name)
    return records


def _rows(text: str, name: str) -> list[tuple[int, list[str]]]:
    """Non-blank rows with their line numbers; the first is the header."""
    reader = csv.reader(io.StringIO(text), delimiter="\t", quotechar='"', strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for values in reader:
            if any(v.strip() for v in values):
                rows.append((reader.line_num, [v.strip() for v in values]))
    except csv.Error as exc:
        raise InputError(
            "tab-separated fields with balanced quotes",
            f"malformed CSV ({str(exc).rstrip('.')})",
            file=name,
            line=reader.line_num,
        ) from None
    if not rows:
        raise InputError("a DEU III file", "no rows", file=name)
    if len(rows) == 1:
        raise InputError("issue rows after the header", "none", file=name)
    return rows


def _header_problem(header: Sequence[str]) -> str:
    missing = [c for c in RAW_COLUMNS if c not in header]
    if len(header) == 1:
        return f"one column {show_value(header[0])} (not tab-separated?)"
    if missing and len(missing) < len(RAW_COLUMNS):
        return f"no column {show_value(missing[0])}"
    if missing:
        return f"{len(header)} columns starting {show_value(header[0])}"
    return f"columns in another order ({len(header)} columns)"


def _record(fields: dict[str, str], clean: bool, name: str, line: int) -> Record:
    def fail(column: str, expected: str) -> InputError:
        return InputError(
            expected, show_value(fields[column]), file=name, line=line, path=(column,)
        )

    proposal, issue = fields["prnr"], fields["isnr"]
    for column in ("prnr", "isnr"):
        if not fields[column] or len(fields[column]) > 100:
            raise fail(column, "an id of 1–100 characters")
    procedure = fields["proc"]
    if procedure not in ("COD", "CNS"):
        raise fail("proc", "procedure COD or CNS")
    rule_text = fields["counvte"]
    if rule_text not in _RULES:
        raise fail("counvte", "voting rule QMV, QMV(10) or Unan")

    mangled: list[str] = []
    if clean:
        intro = _iso_date(fields["intro_date"], "intro_date", name, line, required=True)
        final = _iso_date(fields["final_act_date"], "final_act_date", name, line, required=False)
    else:
        intro_or_none, was = _raw_date(fields["intro"], "intro", name, line)
        if intro_or_none is None:
            raise fail("intro", "an introduction date DD-MM-YY")
        intro = intro_or_none
        if was:
            mangled.append("intro")
        final, was = _raw_date(fields["finact"], "finact", name, line)
        if was:
            mangled.append("finact")
    if intro is None:  # pragma: no cover - _iso_date(required=True) never returns None
        raise fail("intro_date", "a date")
    if final is not None and final < intro:
        column = "final_act_date" if clean else "finact"
        raise InputError(
            f"a final act date on or after the introduction ({intro.isoformat()})",
            final.isoformat(),
            file=name,
            line=line,
            path=(column,),
        )

    position: dict[str, float] = {}
    salience: dict[str, float] = {}
    no_salience: list[str] = []
    for actor in ACTORS:
        x = _score(fields, f"p{actor}", name, line)
        s = _score(fields, f"s{actor}", name, line)
        if x is not None and s is not None:
            position[actor] = x
            salience[actor] = s
        elif x is not None:
            no_salience.append(actor)  # Repair 5.
    return Record(
        line=line,
        proposal=proposal,
        proposal_name=fields["prname"],
        issue=issue,
        instrument=fields["type"],
        council=fields["council"],
        procedure=procedure,  # type: ignore[arg-type]
        voting_rule=_RULES[rule_text],  # type: ignore[arg-type]
        voting_rule_text=rule_text,
        intro=intro,
        final_act=final,
        position=position,
        salience=salience,
        reference=_score(fields, "rp", name, line),
        outcome=_score(fields, "out", name, line),
        raw=fields,
        mangled=tuple(mangled),
        no_salience=tuple(no_salience),
    )


def _score(fields: Mapping[str, str], column: str, name: str, line: int) -> float | None:
    """A 0–100 number, or None for a blank field."""
    text = fields[column]
    if text == "":
        return None
    if not _NUMBER.fullmatch(text) or not 0 <= float(text) <= 100:
        raise InputError(
            "a number in [0, 100] or a blank",
            show_value(text),
            file=name,
            line=line,
            path=(column,),
        )
    return float(text)


def _year(two_digits: int) -> int:
    return (1900 if two_digits >= 50 else 2000) + two_digits


def _raw_date(text: str, column: str, name: str, line: int) -> tuple[dt.date | None, bool]:
    """A date of the public copy and whether it was mangled (Repairs 2 and 3)."""
    if text in ("", "999"):
        return None, False
    if m := _MANGLED.fullmatch(text):
        day, month, year, mangled = int(m[2]), int(m[3]), _year(int(m[4])), True
    elif m := _SHORT.fullmatch(text):
        day, month, year, mangled = int(m[1]), int(m[2]), _year(int(m[3])), False
    elif m := _LONG.fullmatch(text):
        day, month, year, mangled = int(m[1]), int(m[2]), int(m[3]), False
    else:
        raise InputError(
            "a date DD-MM-YY, DD-MM-YYYY, a spreadsheet-mangled 19DD-MM-YY / 20DD-MM-YY, or 999",
            show_value(text),
            file=name,
            line=line,
            path=(column,),
        )
    try:
        return dt.date(year, month, day), mangled
    except ValueError:
        raise InputError(
            "a calendar date", show_value(text), file=name, line=line, path=(column,)
        ) from None


def _iso_date(text: str, column: str, name: str, line: int, *, required: bool) -> dt.date | None:
    if text == "" and not required:
        return None
    try:
        if not _ISO.fullmatch(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            "an ISO date YYYY-MM-DD" + ("" if required else " or a blank"),
            show_value(text),
            file=name,
            line=line,
            path=(column,),
        ) from None


# --------------------------------------------------------------------------- scenarios


def capabilities(record: Record, scheme: Capability) -> dict[str, float]:
    """Capability of every actor of the issue under ``scheme`` (present or not).

    * ``equal``: 1 for every actor (the salience-weighted mean of the field's baselines).
    * ``votes``: a member state's Council votes at the decision date as a share of all
      votes (Lisbon: its population share); the Commission and the Parliament each get
      the average member's share, ``1 / members``. Raw weights: the voting rule is ignored.
    * ``shapley`` / ``banzhaf``: the actor's index in the legislative game of the issue's
      procedure and voting rule at the decision date
      (:func:`winset.backtest.power.legislative_power`).

    Values are scaled by 100 (shares in percent). A state that was not a member at the
    decision date gets 0.
    """
    council = council_at(record.decision_date)
    if scheme == "equal":
        return dict.fromkeys(ACTORS, 1.0)
    if scheme == "votes":
        total = council.total
        shares = {m: 100.0 * w / total for m, w in council.weight_of().items()}
        shares[COMMISSION] = shares[PARLIAMENT] = 100.0 / council.size
        return {a: shares.get(a, 0.0) for a in ACTORS}
    if scheme not in ("shapley", "banzhaf"):
        raise InputError(
            f"a capability scheme ({', '.join(CAPABILITIES)})",
            show_value(scheme),
            path=("capability",),
        )
    index: Index = scheme
    power = legislative_power(
        council, procedure=record.procedure, rule=record.voting_rule, index=index
    )
    return {a: 100.0 * power.get(a, 0.0) for a in ACTORS}


def _judgement(record: Record, scheme: Capability) -> str:
    council = council_at(record.decision_date)
    if scheme == "equal":
        return "equal capability for every actor (the field's salience-weighted baseline)"
    what = {
        "votes": "share of Council votes (Lisbon: of population), institutions 1/members",
        "shapley": "Shapley-Shubik index in the legislative game",
        "banzhaf": "normalised Banzhaf index in the legislative game",
    }[scheme]
    return (
        f"{what}; {council.name}, {record.procedure}, {record.voting_rule}, "
        f"decided {record.decision_date.isoformat()}"
    )


def scenario_of(record: Record, capability: Capability = "equal") -> Scenario:
    """The issue as a winset scenario: one issue, its present actors, reference point ``rp``.

    Actors with capability 0 under the scheme (e.g. the Parliament under consultation in
    the power schemes) stay in the scenario with capability 0, so every scheme has the same
    actors.
    """
    caps = capabilities(record, capability)
    judgement = _judgement(record, capability)
    reference = None if record.reference is None else Quantity(value=record.reference)
    issue = Issue(
        id=record.issue,
        name=record.proposal_name,
        description=(
            f"DEU III issue {record.issue} of proposal {record.proposal} "
            f"({record.instrument}, {record.procedure}, {record.voting_rule_text}, "
            f"{record.council} Council)"
        ),
        reference=reference,
    )
    actors = tuple(
        Actor(
            id=actor,
            name=ACTOR_NAMES[actor],
            capability=Quantity(value=caps[actor], judgement=judgement),
            stances={
                record.issue: Stance(
                    position=Quantity(value=record.position[actor]),
                    salience=Quantity(value=record.salience[actor]),
                )
            },
        )
        for actor in ACTORS
        if actor in record.position
    )
    return Scenario(
        title=f"DEU III {record.issue}: {record.proposal_name}",
        question=f"Where on the 0-100 scale did issue {record.issue} of {record.proposal} end?",
        as_of=record.intro,
        sources=(SOURCE,),
        issues=(issue,),
        actors=actors,
    )


def case_of(record: Record, capability: Capability = "equal") -> Case:
    """A :class:`Case` from a record."""
    return Case(
        scenario=scenario_of(record, capability),
        outcome=record.outcome,
        wave=record.wave,
        procedure=record.procedure,
        voting_rule=record.voting_rule,
        proposal=record.proposal,
        intro=record.intro,
        final_act=record.final_act,
        issue=record.issue,
        line=record.line,
        council=council_at(record.decision_date).name,
        capability=capability,
        record=record,
    )


def load_deu(
    path: str | Path | None = None,
    *,
    capability: Capability = "equal",
    scorable_only: bool = True,
) -> list[Case]:
    """DEU III as one :class:`Case` per issue.

    Args:
        path: The public copy or the cleaned copy; None reads the copy shipped with winset.
        capability: How actors' capabilities are set (see :func:`capabilities`).
        scorable_only: Keep only the 351 issues with an outcome and at least three present
            actors (False: all 364).

    Returns:
        The cases in file order.
    """
    if capability not in CAPABILITIES:
        raise InputError(
            f"a capability scheme ({', '.join(CAPABILITIES)})",
            show_value(capability),
            path=("capability",),
        )
    records = read_records(path)
    return [case_of(r, capability) for r in records if r.scorable or not scorable_only]


def proposal_scenario(cases: Sequence[Case]) -> Scenario:
    """The issues of one proposal as one scenario with several issues (for linked models).

    Every case must be of the same proposal and give each shared actor the same
    capability; an actor present on some issues only has no stance on the others.
    """
    if not cases:
        raise InputError("at least one case", "none")
    first = cases[0]
    actors: dict[str, Actor] = {}
    for case in cases:
        if case.proposal != first.proposal:
            raise InputError(
                f"cases of proposal {first.proposal}", show_value(case.proposal), path=("proposal",)
            )
        for actor in case.scenario.actors:
            known = actors.get(actor.id)
            if known is None:
                actors[actor.id] = actor
                continue
            if known.capability.nominal != actor.capability.nominal:
                raise InputError(
                    f"one capability per actor within proposal {first.proposal}",
                    f"{actor.id} with {known.capability.nominal:g} "
                    f"and {actor.capability.nominal:g}",
                    path=("actors", actor.id, "capability"),
                )
            actors[actor.id] = known.model_copy(
                update={"stances": {**known.stances, **actor.stances}}
            )
    order = {a: k for k, a in enumerate(ACTORS)}
    return Scenario(
        title=f"DEU III proposal {first.proposal}: {first.record.proposal_name}",
        as_of=first.intro,
        sources=(SOURCE,),
        issues=tuple(case.scenario.issues[0] for case in cases),
        actors=tuple(sorted(actors.values(), key=lambda a: order.get(a.id, len(order)))),
    )


# --------------------------------------------------------------------------- cleaned copy


def clean_text(records: Iterable[Record]) -> str:
    """The cleaned copy's text: tab-separated, ISO dates, no GDP row, fields as read."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CLEAN_COLUMNS)
    for r in records:
        row = dict(r.raw)
        row["intro_date"] = r.intro.isoformat()
        row["final_act_date"] = "" if r.final_act is None else r.final_act.isoformat()
        writer.writerow([row[c] for c in CLEAN_COLUMNS])
    return buffer.getvalue()


def write_clean(source: str | Path, target: str | Path) -> int:
    """Read the public copy, apply the repairs and write the cleaned copy atomically.

    Returns:
        The number of issue rows written.
    """
    records = read_records(source)
    write_atomically(target, clean_text(records))
    return len(records)


def counts(records: Sequence[Record]) -> dict[str, int]:
    """How many issues, with an outcome, scorable; mangled dates repaired; per wave."""
    scorable = [r for r in records if r.scorable]
    out = {
        "issues": len(records),
        "with_outcome": sum(r.outcome is not None for r in records),
        "scorable": len(scorable),
        "proposals_scorable": len({r.proposal for r in scorable}),
        "mangled_intro": sum("intro" in r.mangled for r in records),
        "mangled_finact": sum("finact" in r.mangled for r in records),
        "missing_final_act": sum(r.final_act is None for r in records),
        "position_without_salience": sum(len(r.no_salience) for r in records),
    }
    for wave in (1, 2, 3):
        out[f"wave{wave}_scorable"] = sum(r.wave == wave for r in scorable)
    return out


def median_decision_lag(records: Sequence[Record]) -> float:
    """Median days from introduction to final act over the records with both dates.

    This is how :data:`DECISION_LAG` was set (567 days on DEU III).
    """
    lags = sorted((r.final_act - r.intro).days for r in records if r.final_act is not None)
    mid = len(lags) // 2
    return float(lags[mid]) if len(lags) % 2 else (lags[mid - 1] + lags[mid]) / 2


__all__ = [
    "ACTORS",
    "ACTOR_NAMES",
    "CAPABILITIES",
    "CLEAN_COLUMNS",
    "PACKAGED",
    "RAW_COLUMNS",
    "Capability",
    "Case",
    "Record",
    "capabilities",
    "case_of",
    "clean_text",
    "counts",
    "load_deu",
    "median_decision_lag",
    "proposal_scenario",
    "read_records",
    "scenario_of",
    "write_clean",
]
