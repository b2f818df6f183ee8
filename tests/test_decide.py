"""Decide (exchange model) input: both dialects, round trips and errors.

Floats are compared with ``==`` throughout, including saliences: the reader scales 0..1 to
0–100 in decimal arithmetic and the writer scales back the same way, so ``0.95`` reads as
exactly ``95.0`` and a round trip gives identical floats (no 1e-12 slack is needed).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import assert_scenario_or_input_error, corrupted
from winset.errors import InputError
from winset.scenario import Scenario, decide
from winset.scenario.io import load
from winset.scenario.yaml_format import load_yaml_text

pytestmark = pytest.mark.shared

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DECIDE_DIR = SHARED / "data" / "decide"
ABSENT = "(shared folder absent)"


def _shared_names() -> list[str]:
    names = []
    if DECIDE_DIR.is_dir():
        names = sorted(
            p.name for p in DECIDE_DIR.iterdir() if p.is_file() and p.name != "PROVENANCE.md"
        )
    return names or [ABSENT]


def _shared(name: str) -> Path:
    path = DECIDE_DIR / name
    if name == ABSENT or not path.is_file():
        pytest.skip(f"{DECIDE_DIR} is absent")
    return path


def _read(name: str) -> Scenario:
    path = _shared(name)
    return decide.loads(path.read_text(encoding="utf-8-sig"), str(path))


TAB = """\
'#O'\t'Toll'
'#A'\t'a1'\t'Alpha'\t''
'#A'\t'a2'\t'Beta'\t'second'
'#P'\t'toll'\t'Toll level'\t''
'#M'\t'toll'\t0\t'none'
'#M'\t'toll'\t10\t'high'
'#P'\t'ring'\t'Ring road'\t''
'#D'\t'a1'\t'toll'\t5\t0.95\t0.5
'#D'\t'a1'\t'ring'\t100\t0.5\t0.5
'#D'\t'a2'\t'toll'\t10\t0.3\t1
"""

SEMICOLON = """\
#/;ID;Full name;;;
#A;a1;Alpha;;;
#A;a2;Beta;second;;
#P;toll;Toll level;;;
#M;toll;0;none;;
#M;toll;10;high;;
#P;ring;Ring road;;;
#/;actor;issue;position;salience;power
#D;a1;toll;5;0.95;0.5
#D;a1;ring;100;0.5;0.5
#D;a2;toll;10;0.3;1
"""


def _error(text: str, file: str = "bad.txt") -> InputError:
    with pytest.raises(InputError) as info:
        decide.loads(text, file)
    error = info.value
    assert error.file == file
    assert error.line is not None
    assert "\n" not in str(error)
    return error


def _replace_line(number: int, new: str, text: str = TAB) -> str:
    lines = text.splitlines()
    lines[number - 1] = new
    return "\n".join(lines) + "\n"


def _scenario(**changes: Any) -> Scenario:
    data: dict[str, Any] = {
        "title": "Made up",
        "issues": [{"id": "tax", "name": "Tax"}, {"id": "trade"}],
        "actors": [
            {
                "id": "north",
                "capability": 0.6,
                "stances": {
                    "tax": {"position": 20, "salience": 70},
                    "trade": {"position": 90, "salience": 30},
                },
            },
            {
                "id": "south",
                "capability": 0.4,
                "stances": {"tax": {"position": 80, "salience": 50}},
            },
        ],
    }
    data.update(changes)
    return Scenario.model_validate(data)


# --- the shared Decide files ---------------------------------------------------------------


@pytest.mark.parametrize("name", _shared_names())
def test_shared_file_round_trips_exactly(name: str) -> None:
    first = _read(name)
    text = decide.dumps(first)
    second = decide.loads(text, name)
    assert second == first  # ids, labels, scales, capabilities, positions, saliences: ==
    for a, b in zip(first.actors, second.actors, strict=True):
        assert a.capability.value == b.capability.value
        for issue_id, stance in a.stances.items():
            assert b.stances[issue_id].position.value == stance.position.value
            assert b.stances[issue_id].salience.value == stance.salience.value
    assert decide.dumps(second) == text


@pytest.mark.parametrize("name", _shared_names())
def test_shared_file_loads_through_io(name: str) -> None:
    path = _shared(name)
    assert load(path) == _read(name)


@pytest.mark.parametrize("name", _shared_names())
def test_written_dialect_is_what_the_decide_package_sniffs(name: str) -> None:
    # decide-exchange-model reads with csv.Sniffer().sniff(first 1024 characters).
    dialect = csv.Sniffer().sniff(decide.dumps(_read(name))[:1024])
    assert (dialect.delimiter, dialect.quotechar) == ("\t", "'")


def test_cop21_values() -> None:
    scenario = _read("cop21.csv")
    assert (len(scenario.actors), len(scenario.issues)) == (15, 13)
    assert scenario.title == "Decide scenario cop21"
    assert scenario.actors[0].id == "African_grp"
    assert all(issue.scale == (0.0, 100.0) for issue in scenario.issues)
    assert [(p.position, p.label) for p in scenario.issue("ld").points] == [(0, ""), (100, "")]
    usa = scenario.actor("USA")
    assert usa.capability.value == 1.0
    assert usa.stances["eaa"].position.value == 100
    assert usa.stances["eaa"].salience.value == 40  # 0.4 × 100, exactly


def test_cop21_2016_semicolon_dialect_values() -> None:
    scenario = _read("CoP21.2016.csv")
    assert (len(scenario.actors), len(scenario.issues)) == (15, 13)
    assert scenario.title == "CoP21 Paris negotiations (power scores based on expert judgements)"
    assert scenario.actor("LDC").name == "LDCsrepresentedbyBangladesh"
    assert scenario.issue("mrv").name == "mitigation mrv and compliance"
    differentiation = scenario.issue("differentiation")
    assert [p.position for p in differentiation.points] == [0, 25, 50, 75, 100]
    assert differentiation.points[1].label == "National circumstances"
    assert scenario.issue("mrv").points[-1].label == "Kyoto compliance regime"
    assert scenario.actor("USA").stances["eaa"].salience.value == 40


def test_sample_data_values() -> None:
    scenario = _read("sample_data.txt")
    assert (len(scenario.actors), len(scenario.issues)) == (10, 6)
    assert scenario.issue("tol-hoogte").scale == (0.5, 7.0)
    assert scenario.issue("wanneer-tol").description == "Wat is dit voor onzin?"
    willems = scenario.actor("Willems")
    assert (willems.name, willems.description) == ("Willems", "Test")
    assert willems.capability.value == 1.0
    assert willems.stances["tolheffing-binnenstad"].position.value == 100
    assert willems.stances["tolheffing-binnenstad"].salience.value == 95  # 0.95 read as 95
    assert willems.stances["tol-hoogte"].position.value == 3


def test_copenhagen_values() -> None:
    scenario = _read("copenhagen.csv")
    assert (len(scenario.actors), len(scenario.issues)) == (11, 7)
    aosis = scenario.actor("Alliance of Small Island States")
    assert aosis.capability.value == 0.078
    assert aosis.stances["Extra"].salience.value == 95


def test_verkiezing_actor_without_data_has_no_power() -> None:
    scenario = _read("verkiezing_2012.csv")
    assert (len(scenario.actors), len(scenario.issues)) == (11, 11)
    assert all(issue.points == () for issue in scenario.issues)
    fifty_plus = scenario.actor("50+")  # declared by #A, but no #D line in the file
    assert fifty_plus.capability.value == 0
    assert fifty_plus.stances == {}
    assert len(scenario.actor("PvdD").stances) == 10
    assert scenario.actor("PVV").stances["bezuinig"].position.value == 63.51351351
    assert scenario.actor("VVD").capability.value == 0.648979


# --- reading: synthetic input ---------------------------------------------------------------


@pytest.mark.parametrize("text", [TAB, SEMICOLON], ids=["tab", "semicolon"])
def test_both_dialects_read_alike(text: str) -> None:
    scenario = decide.loads(text, "toll.txt")
    toll = scenario.issue("toll")
    assert toll.scale == (0.0, 10.0)
    assert [(p.position, p.label) for p in toll.points] == [(0, "none"), (10, "high")]
    assert scenario.issue("ring").scale == (0.0, 100.0)
    assert scenario.issue("ring").points == ()
    a1 = scenario.actor("a1")
    assert (a1.name, a1.capability.value) == ("Alpha", 0.5)
    assert a1.stances["toll"].salience.value == 95
    assert scenario.actor("a2").description == "second"


def test_title_from_file_stem_and_question_from_second_o_line() -> None:
    assert decide.loads(SEMICOLON, "dir/toll-case.txt").title == "Decide scenario toll-case"
    text = TAB.replace("'#O'\t'Toll'\n", "'#O'\t'Toll'\n'#O'\t'Who pays?'\n")
    scenario = decide.loads(text, "x.txt")
    assert (scenario.title, scenario.question) == ("Toll", "Who pays?")


def test_points_sorted_and_extra_fields_joined() -> None:
    text = _replace_line(5, "'#M'\t'toll'\t10\t'very'\t'high'")
    text = _replace_line(6, "'#M'\t'toll'\t0\t'none'", text)
    scenario = decide.loads(text, "x.txt")
    assert [(p.position, p.label) for p in scenario.issue("toll").points] == [
        (0, "none"),
        (10, "very high"),
    ]


def test_quoted_semicolons_and_doubled_quotes() -> None:
    text = _replace_line(2, "'#A'\t'a1'\t'Alpha; the ''first'''\t''")
    assert decide.loads(text, "x.txt").actor("a1").name == "Alpha; the 'first'"


def test_declaration_after_use_and_crlf() -> None:
    lines = TAB.splitlines()
    text = "\r\n".join(lines[7:] + lines[:7]) + "\r\n"
    assert decide.loads(text, "x.txt") == decide.loads(TAB, "x.txt")


def test_unknown_issue_in_d() -> None:
    error = _error(_replace_line(10, "'#D'\t'a2'\t'tax'\t10\t0.3\t1"))
    assert str(error) == (
        "bad.txt:10: expected an issue declared by a #P line ('toll', 'ring'), got 'tax'"
    )


def test_unknown_actor_in_d() -> None:
    error = _error(_replace_line(10, "'#D'\t'a3'\t'toll'\t10\t0.3\t1"))
    assert error.line == 10
    assert "an actor declared by an #A line" in error.expected
    assert error.given == "'a3'"


def test_unknown_issue_in_m() -> None:
    error = _error(_replace_line(6, "'#M'\t'tax'\t10\t'high'"))
    assert error.line == 6
    assert error.given == "'tax'"


def test_varying_power() -> None:
    error = _error(_replace_line(9, "'#D'\t'a1'\t'ring'\t100\t0.5\t0.6"))
    assert error.line == 9
    assert "the same power on every #D line of actor 'a1'" in error.expected
    assert "line 8 gives 0.5" in error.expected
    assert error.given == "'0.6'"


def test_equal_power_written_differently_is_fine() -> None:
    text = _replace_line(9, "'#D'\t'a1'\t'ring'\t100\t0.5\t0.50")
    assert decide.loads(text, "x.txt").actor("a1").capability.value == 0.5


def test_position_outside_m_range() -> None:
    error = _error(_replace_line(10, "'#D'\t'a2'\t'toll'\t11\t0.3\t1"))
    assert str(error) == (
        "bad.txt:10: expected a position within the #M range [0, 10] of issue 'toll', got '11'"
    )


def test_position_outside_default_scale() -> None:
    error = _error(_replace_line(9, "#D;a1;ring;101;0.5;0.5", SEMICOLON))
    assert error.line == 9
    assert "default scale [0, 100]" in error.expected


def test_duplicate_d() -> None:
    error = _error(TAB + "'#D'\t'a2'\t'toll'\t3\t0.3\t1\n")
    assert error.line == 11
    assert "one #D line for actor 'a2' on issue 'toll'" in error.expected
    assert "first on line 10" in error.given


@pytest.mark.parametrize(
    ("salience", "given"), [("abc", "'abc'"), ("1.5", "'1.5'"), ("-0.1", "'-0.1'")]
)
def test_bad_salience(salience: str, given: str) -> None:
    error = _error(_replace_line(10, f"'#D'\t'a2'\t'toll'\t10\t{salience}\t1"))
    assert str(error) == f"bad.txt:10: expected a salience between 0 and 1, got {given}"


@pytest.mark.parametrize("power", ["much", "-1", "100.5", "nan", "1e999"])
def test_bad_power(power: str) -> None:
    error = _error(_replace_line(10, f"'#D'\t'a2'\t'toll'\t10\t0.3\t{power}"))
    assert error.line == 10
    assert "power" in error.expected


def test_short_d() -> None:
    error = _error(_replace_line(10, "'#D'\t'a2'\t'toll'\t10\t0.3"))
    assert error.line == 10
    assert "5 fields after #D" in error.expected
    assert error.given == "4"


def test_bad_position_number() -> None:
    error = _error(_replace_line(10, "'#D'\t'a2'\t'toll'\tten\t0.3\t1"))
    assert str(error) == "bad.txt:10: expected a number for the position, got 'ten'"


def test_single_m_position() -> None:
    error = _error(_replace_line(6, "'#M'\t'toll'\t0\t'zero again'"))
    assert error.line == 6
    assert "spanning a range" in error.expected


@pytest.mark.parametrize(
    ("number", "line", "expected"),
    [
        (3, "'#A'\t'a1'\t'Again'\t''", "each actor declared once"),
        (7, "'#P'\t'toll'\t''\t''", "each issue declared once"),
        (2, "'#A'\t''\t'Alpha'\t''", "an actor id after #A"),
        (7, "'#X'\t'ring'", "a record starting with #A"),
        (7, "'#P'\t'ring", "fields separated by tabs"),
        (7, "'#P'\t'" + "r" * 101 + "'", "at most 100 printable characters"),
    ],
)
def test_bad_records(number: int, line: str, expected: str) -> None:
    error = _error(_replace_line(number, line))
    assert error.line == number
    assert expected in error.expected


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("", 1),
        ("#/;only;a;comment\n", 1),
        ("hello world\n", 1),
        ("'#A'\t'a1'\n'#D'\t'a1'\t'x'\t1\t1\t1\n", 2),
        ("'#P'\t'x'\n", 1),
    ],
)
def test_empty_or_incomplete_files(text: str, line: int) -> None:
    assert _error(text).line == line


def test_issue_without_weight_is_located() -> None:
    text = TAB.replace("\t100\t0.5\t0.5", "\t100\t0\t0.5")
    error = _error(text)
    assert error.line == 7  # the #P line of 'ring'
    assert error.path == ("issues", 1)


# --- writing --------------------------------------------------------------------------------


def test_write_layout() -> None:
    text = decide.dumps(decide.loads(TAB, "toll.txt"))
    assert text == (
        "'#O'\t'Toll'\n"
        "'#A'\t'a1'\t'Alpha'\t''\n"
        "'#A'\t'a2'\t'Beta'\t'second'\n"
        "'#P'\t'toll'\t'Toll level'\t''\n"
        "'#M'\t'toll'\t0\t'none'\n"
        "'#M'\t'toll'\t10\t'high'\n"
        "'#P'\t'ring'\t'Ring road'\t''\n"
        "'#D'\t'a1'\t'toll'\t5\t0.95\t0.5\n"
        "'#D'\t'a1'\t'ring'\t100\t0.5\t0.5\n"
        "'#D'\t'a2'\t'toll'\t10\t0.3\t1\n"
    )


def test_semicolon_file_is_written_in_tab_dialect() -> None:
    assert decide.dumps(decide.loads(SEMICOLON, "x.txt")).splitlines()[1] == (
        "'#A'\t'a1'\t'Alpha'\t''"
    )


def test_write_scale_without_points_survives() -> None:
    scenario = _scenario(issues=[{"id": "tax", "scale": [-50, 150]}, {"id": "trade"}])
    text = decide.dumps(scenario)
    assert "'#M'\t'tax'\t-50\t''\n'#M'\t'tax'\t150\t''\n" in text
    assert "'#M'\t'trade'" not in text  # 0–100 without points needs no #M line
    back = decide.loads(text, "x.txt")
    assert back.issue("tax").scale == (-50.0, 150.0)
    assert back.issue("trade").scale == (0.0, 100.0)


def test_write_points_inside_scale_get_end_points() -> None:
    issues = [
        {"id": "tax", "points": [{"position": 60, "label": "b"}, {"position": 40, "label": "a"}]},
        {"id": "trade"},
    ]
    back = decide.loads(decide.dumps(_scenario(issues=issues)), "x.txt").issue("tax")
    assert back.scale == (0.0, 100.0)
    assert [(p.position, p.label) for p in back.points] == [
        (0, ""),
        (40, "a"),
        (60, "b"),
        (100, ""),
    ]


YAML = """\
title: Budget dispute
question: How large will the increase be?
issues:
  - id: budget
    points: [{position: 0, label: None}, {position: 100, label: Full request}]
  - id: oversight
actors:
  - id: north
    capability: {value: 60, low: 40, high: 80, judgement: seat share}
    stances:
      budget: {position: 20, salience: 80}
      oversight: {position: 90, salience: 30}
  - id: south
    capability: 30
    stances:
      budget: {position: {low: 60, mode: 70, high: 90}, salience: 50}
"""


def test_write_read_from_yaml_scenario() -> None:
    original = load_yaml_text(YAML, "budget.yaml")
    back = decide.loads(decide.dumps(original), "budget.txt")
    assert (back.title, back.question) == (original.title, original.question)
    assert back.issue("budget").points == original.issue("budget").points
    assert back.actor("north").capability.value == 60  # the nominal value; range not kept
    assert back.actor("south").stances["budget"].position.value == 70  # the mode
    assert back.actor("north").stances["budget"].salience.value == 80
    assert "oversight" not in back.actor("south").stances


def test_write_text_quotes_and_control_characters() -> None:
    scenario = _scenario(title="It's\tthe\nend", question="a;b, c")
    text = decide.dumps(scenario)
    assert text.splitlines()[0] == "'#O'\t'It''s the end'"
    back = decide.loads(text, "x.txt")
    assert (back.title, back.question) == ("It's the end", "a;b, c")


def test_write_refuses_capability_over_100() -> None:
    scenario = _scenario()
    big = scenario.actors[1].model_copy(
        update={"capability": scenario.actors[1].capability.model_copy(update={"value": 150})}
    )
    with pytest.raises(InputError) as info:
        decide.dumps(scenario.model_copy(update={"actors": (scenario.actors[0], big)}))
    assert info.value.path == ("actors", 1, "capability")
    assert "'south'" in str(info.value)


def test_write_refuses_powered_actor_without_stances() -> None:
    idle = {"id": "idle", "capability": 3}
    scenario = _scenario(actors=[*_scenario().model_dump()["actors"], idle])
    with pytest.raises(InputError) as info:
        decide.dumps(scenario)
    assert info.value.path == ("actors", 2, "stances")
    assert "'idle'" in str(info.value)


def test_write_powerless_actor_without_stances_round_trips() -> None:
    idle = {"id": "idle", "capability": 0}
    issues = [{"id": "tax", "name": "Tax"}, {"id": "trade"}]
    scenario = _scenario(issues=issues, actors=[*_scenario().model_dump()["actors"], idle])
    assert decide.loads(decide.dumps(scenario), "x.txt") == scenario


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(5e-324, 100),
            st.floats(-1e6, 1e6),
            st.floats(0, 100),
            st.floats(0, 100),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_write_read_keeps_floats_exactly(rows: list[tuple[float, float, float, float]]) -> None:
    actors = [
        {
            "id": f"a{a}",
            "capability": capability,
            "stances": {
                "tax": {"position": position, "salience": s1},
                "trade": {"position": 50, "salience": s2},
            },
        }
        for a, (capability, position, s1, s2) in enumerate(rows)
    ]
    actors.append(
        {
            "id": "anchor",
            "capability": 1 / 3,
            "stances": {
                "tax": {"position": 0.1 + 0.2, "salience": 100 / 3},
                "trade": {"position": 1e-7, "salience": 0.1 + 0.2},
            },
        }
    )
    issues = [{"id": "tax", "scale": [-1e6, 1e6]}, {"id": "trade"}]
    scenario = _scenario(issues=issues, actors=actors)
    back = decide.loads(decide.dumps(scenario), "x.txt")
    for a, b in zip(scenario.actors, back.actors, strict=True):
        assert b.capability.value == a.capability.value
        for issue_id, stance in a.stances.items():
            assert b.stances[issue_id].position.value == stance.position.value
            assert b.stances[issue_id].salience.value == stance.salience.value  # exact
    assert back.issue("tax").scale == (-1e6, 1e6)


# --- malformed input never escapes as another exception -------------------------------------

_CHARS = ",;\"' \t\n\r\x00#-+.eE0123456789ADMPO/"
_TOKENS = (
    st.text(_CHARS, max_size=8)
    | st.sampled_from(["nan", "1e999", "-0", "", "'#D'", "#M", "'", "1.5"])
    | st.text(max_size=8)
)


def _corrupted(text: str) -> st.SearchStrategy[str]:
    return corrupted(text, _TOKENS, _CHARS, "\t" if "\t" in text else ";")


def _loads_or_input_error(text: str) -> None:
    assert_scenario_or_input_error(decide.loads, text, "fuzz.txt")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_corrupted(TAB))
def test_corrupted_tab_text_gives_scenario_or_input_error(text: str) -> None:
    _loads_or_input_error(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_corrupted(SEMICOLON))
def test_corrupted_semicolon_text_gives_scenario_or_input_error(text: str) -> None:
    _loads_or_input_error(text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_corrupted_shared_file_gives_scenario_or_input_error(data: st.DataObject) -> None:
    path = _shared("sample_data.txt")
    _loads_or_input_error(data.draw(_corrupted(path.read_text(encoding="utf-8-sig"))))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_gives_scenario_or_input_error(text: str) -> None:
    _loads_or_input_error(text)
