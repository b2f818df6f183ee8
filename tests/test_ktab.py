"""KTAB SMP CSV: reading, writing, round trips and errors.

Floats are compared with ``==`` throughout: KTAB values are read with ``float`` and written
in their shortest round-trip form, so nothing is rescaled and a round trip is exact.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import assert_scenario_or_input_error, corrupted
from winset.errors import InputError
from winset.scenario import Scenario, ktab
from winset.scenario.io import load

pytestmark = pytest.mark.shared

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
KTAB_DIR = SHARED / "data" / "ktab"
ABSENT = "(shared folder absent)"


def _shared_names() -> list[str]:
    names = sorted(p.name for p in KTAB_DIR.glob("*.csv")) if KTAB_DIR.is_dir() else []
    return names or [ABSENT]


def _shared(name: str) -> Path:
    path = KTAB_DIR / name
    if name == ABSENT or not path.is_file():
        pytest.skip(f"{KTAB_DIR} is absent")
    return path


def _read(name: str) -> Scenario:
    path = _shared(name)
    return ktab.loads(path.read_text(encoding="utf-8-sig"), str(path))


VALID = """\
Test; scen 9,"A description, with a comma",3,2,
Actor,Description,Power,Policy Position,Policy Salience,Trade Position,Trade Salience,
A, Alpha, 100, 30, 40, 70, 60,
B, Beta, 50.5, 80, 20, 10, 30,
C, Gamma, 10, 55, 50, 45, 50,
"""


def _error(text: str, file: str = "bad.csv") -> InputError:
    with pytest.raises(InputError) as info:
        ktab.loads(text, file)
    error = info.value
    assert error.file == file
    assert error.line is not None
    assert "\n" not in str(error)
    return error


def _replace_line(number: int, new: str, text: str = VALID) -> str:
    lines = text.splitlines()
    lines[number - 1] = new
    return "\n".join(lines) + "\n"


def _scenario(**changes: Any) -> Scenario:
    data: dict[str, Any] = {
        "title": "Made up",
        "question": "Who wins?",
        "issues": [{"id": "tax"}, {"id": "trade"}],
        "actors": [
            {
                "id": "north",
                "description": "The north",
                "capability": 60,
                "stances": {
                    "tax": {"position": 20, "salience": 70},
                    "trade": {"position": 90, "salience": 30},
                },
            },
            {
                "id": "south",
                "capability": 40,
                "stances": {"tax": {"position": 80, "salience": 50}},
            },
        ],
    }
    data.update(changes)
    return Scenario.model_validate(data)


# --- the shared KTAB files ----------------------------------------------------------------


@pytest.mark.parametrize("name", _shared_names())
def test_shared_file_round_trips_exactly(name: str) -> None:
    first = _read(name)
    text = ktab.dumps(first)
    second = ktab.loads(text, name)
    assert second == first  # ids, names, capabilities, positions, saliences: exact ==
    for a, b in zip(first.actors, second.actors, strict=True):
        assert a.capability.value == b.capability.value
        for issue_id, stance in a.stances.items():
            assert b.stances[issue_id].position.value == stance.position.value
            assert b.stances[issue_id].salience.value == stance.salience.value
    assert ktab.dumps(second) == text


@pytest.mark.parametrize("name", _shared_names())
def test_shared_file_loads_through_io(name: str) -> None:
    path = _shared(name)
    assert load(path) == _read(name)


def test_soe_policy_values() -> None:
    scenario = _read("SOE-Policy.csv")
    assert len(scenario.actors) == 26
    assert [issue.id for issue in scenario.issues] == ["Policy"]
    assert scenario.issue("Policy").scale == (0.0, 100.0)
    assert scenario.title == "China Policy; scen 0"
    assert scenario.question.startswith("Scenario-000; Appetite for reforming")
    xj = scenario.actor("XJ")
    assert xj.description == "Xi Jinping"
    assert xj.capability.value == 100
    assert xj.stances["Policy"].position.value == 30
    assert xj.stances["Policy"].salience.value == 30
    zgb = scenario.actors[-1]
    assert zgb.id == "ZGB"
    assert zgb.description == "Zhang Guobao - former NDRC; still influential"


def test_soe_pol_comp_two_dimensions_padded_values() -> None:
    scenario = _read("SOE-Pol-Comp.csv")
    assert [issue.id for issue in scenario.issues] == ["Policy", "Competitive"]
    assert len(scenario.actors) == 13
    lk = scenario.actor("LK")
    assert lk.capability.value == 60.2
    assert lk.stances["Policy"].salience.value == 44.7
    assert lk.stances["Competitive"].position.value == 65
    assert lk.stances["Competitive"].salience.value == 41.3


def test_dummy_3dim_header_and_quoted_description() -> None:
    scenario = _read("dummyData_3Dim.csv")
    assert scenario.title == "DummyData_3Dim"  # trailing space on line 1 dropped
    assert scenario.question == "Dummy scenario to test reading format"
    assert [issue.id for issue in scenario.issues] == ["Pstn1", "Pstn2", "Pstn3"]
    first = scenario.actors[0]
    assert (first.id, first.description) == ("SActor-00", "Random Spatial Actor")
    assert first.capability.value == 102.543
    assert first.stances["Pstn2"].position.value == 6.37
    assert first.stances["Pstn3"].salience.value == 28.15


def test_dummy_6dim_extra_field_on_line_one() -> None:
    scenario = _read("dummyData_6Dim.csv")
    assert (len(scenario.actors), len(scenario.issues)) == (27, 6)
    assert [issue.id for issue in scenario.issues] == [f"Dim{d}" for d in range(6)]
    aa01 = scenario.actor("AA01")
    total = sum(stance.salience.nominal for stance in aa01.stances.values())
    assert total == pytest.approx(99.99)


def test_dummy_a160_size() -> None:
    scenario = _read("dummyData-a160.csv")
    assert len(scenario.actors) == 160
    last = scenario.actors[-1]
    assert last.id == "Act-1160"
    assert last.stances["XYZ"].salience.value == 26


# --- reading: synthetic input -------------------------------------------------------------


def test_valid_text_maps_fields() -> None:
    scenario = ktab.loads(VALID, "valid.csv")
    assert scenario.title == "Test; scen 9"
    assert scenario.question == "A description, with a comma"
    assert [(i.id, i.name, i.scale) for i in scenario.issues] == [
        ("Policy", "Policy", (0.0, 100.0)),
        ("Trade", "Trade", (0.0, 100.0)),
    ]
    b = scenario.actor("B")
    assert (b.description, b.capability.value) == ("Beta", 50.5)
    assert b.stances["Trade"].position.value == 10
    assert b.stances["Trade"].salience.value == 30


def test_salience_tolerance_and_crlf() -> None:
    text = _replace_line(3, "A, Alpha, 100, 30, 40, 70, 60.0000001").replace("\n", "\r\n")
    assert ktab.loads(text, "ok.csv").actor("A").stances["Trade"].salience.value == 60.0000001


def test_header_ids_made_unique_and_non_blank() -> None:
    text = _replace_line(2, "Actor,Description,Power,Tax Position,S1,Tax Position,S2")
    assert [i.id for i in ktab.loads(text, "x.csv").issues] == ["Tax", "Tax-2"]
    text = _replace_line(2, "Actor,Description,Power,Position,S1,Opposition,S2")
    assert [i.id for i in ktab.loads(text, "x.csv").issues] == ["dim1", "Opposition"]


def test_title_falls_back_to_file_stem() -> None:
    text = _replace_line(1, ",,3,2")
    assert ktab.loads(text, "some/where/my-case.csv").title == "KTAB scenario my-case"


def test_wrong_actor_count_fewer_rows() -> None:
    error = _error(_replace_line(1, "Test,Desc,4,2"))
    assert error.line == 1
    assert "expected 4 actor rows" in str(error)
    assert str(error).startswith("bad.csv:1: ")
    assert str(error).endswith("got 3")


def test_wrong_actor_count_more_rows() -> None:
    error = _error(_replace_line(1, "Test,Desc,2,2"))
    assert error.line == 5
    assert "expected 2 actor rows" in str(error)


def test_wrong_dimension_count() -> None:
    error = _error(_replace_line(1, "Test,Desc,3,3"))
    assert error.line == 2
    assert "expected 9 columns" in str(error)
    assert "got 7" in str(error)


def test_non_numeric_power() -> None:
    error = _error(_replace_line(4, "B, Beta, lots, 80, 20, 10, 30"))
    assert str(error) == "bad.csv:4: expected a number for the power, got 'lots'"


def test_non_numeric_salience_names_the_dimension() -> None:
    error = _error(_replace_line(4, "B, Beta, 5, 80, abc, 10, 30"))
    assert error.line == 4
    assert "the salience on dimension 'Policy'" in str(error)
    assert "got 'abc'" in str(error)


@pytest.mark.parametrize("bad", ["nan", "inf", "1_0", "0x10", "١٠", "1e999"])
def test_numbers_must_be_plain_finite_decimals(bad: str) -> None:
    error = _error(_replace_line(4, f"B, Beta, {bad}, 80, 20, 10, 30"))
    assert error.line == 4
    assert "number for the power" in str(error)


def test_saliences_over_100() -> None:
    error = _error(_replace_line(3, "A, Alpha, 100, 30, 40, 70, 60.1"))
    assert error.line == 3
    assert "saliences of actor 'A' summing to at most 100" in error.expected
    assert error.given == "100.1"


def test_short_row() -> None:
    error = _error(_replace_line(5, "C, Gamma, 10, 55, 50, 45,"))
    assert error.line == 5
    assert "expected 7 fields" in str(error)
    assert str(error).endswith("got 6")


def test_long_row() -> None:
    error = _error(_replace_line(5, "C, Gamma, 10, 55, 50, 45, 50, 3"))
    assert (error.line, error.given) == (5, "8")


def test_empty_after_header() -> None:
    text = "\n".join(VALID.splitlines()[:2]) + "\n\n"
    error = _error(text)
    assert error.line == 1
    assert "expected 3 actor rows" in str(error)
    assert str(error).endswith("got 0")


def test_missing_header() -> None:
    error = _error(VALID.splitlines()[0] + "\n")
    assert error.line == 2
    assert "header line" in error.expected


def test_actor_row_in_place_of_header() -> None:
    text = "\n".join(VALID.splitlines()[:1] + VALID.splitlines()[2:]) + "\n"
    error = _error(text)
    assert error.line == 2
    assert "header" in error.expected


@pytest.mark.parametrize("text", ["", "\n\n", ",,,\n"])
def test_empty_file(text: str) -> None:
    assert "empty file" in str(_error(text))


@pytest.mark.parametrize(
    ("line1", "expected"),
    [
        ("Test,Desc,3", "4 fields"),
        ("Test,Desc,three,2", "whole number for the number of actors"),
        ("Test,Desc,3,-2", "whole number for the number of dimensions"),
        ("Test,Desc,0,2", "at least 1 actor"),
        ("Test,Desc,3,0", "at least 1 dimension"),
    ],
)
def test_bad_first_line(line1: str, expected: str) -> None:
    error = _error(_replace_line(1, line1))
    assert error.line == 1
    assert expected in str(error)


def test_position_off_scale_is_located() -> None:
    error = _error(_replace_line(4, "B, Beta, 50, 180, 20, 10, 30"))
    assert error.line == 4
    assert error.path == ("actors", 1, "stances", "Policy", "position")
    assert "[0, 100]" in error.expected


def test_negative_power_is_located() -> None:
    error = _error(_replace_line(5, "C, Gamma, -1, 55, 50, 45, 50"))
    assert error.line == 5
    assert error.path == ("actors", 2, "capability")


def test_duplicate_actor_is_located() -> None:
    error = _error(_replace_line(5, "A, Again, 10, 55, 50, 45, 50"))
    assert error.line == 5
    assert "unique" in error.expected


def test_blank_or_overlong_actor_name() -> None:
    assert _error(_replace_line(4, " , Beta, 5, 80, 20, 10, 30")).line == 4
    error = _error(_replace_line(4, "B" * 101 + ", Beta, 5, 80, 20, 10, 30"))
    assert error.line == 4
    assert "at most 100" in error.expected


def test_malformed_quoting() -> None:
    error = _error(_replace_line(4, 'B, "Beta, 5, 80, 20, 10, 30'))
    assert error.line == 4
    assert error.given == "a quote that is not closed"


def test_issue_without_weight_is_located() -> None:
    text = VALID.replace(" 70, 60,", " 70, 0,").replace(" 10, 30,", " 10, 0,")
    text = text.replace(" 45, 50,", " 45, 0,")
    error = _error(text)
    assert error.line == 2
    assert error.path == ("issues", 1)


# --- writing ------------------------------------------------------------------------------


def test_write_layout() -> None:
    text = ktab.dumps(_scenario())
    assert text.splitlines() == [
        "Made up,Who wins?,2,2",
        "Actor,Description,Power,tax Position,tax Salience,trade Position,trade Salience",
        "north,The north,60,20,70,90,30",
        "south,,40,80,50,50,0",  # no stance on trade: middle of the scale, salience 0
    ]


def test_write_missing_stance_reads_back_as_middle_and_zero() -> None:
    back = ktab.loads(ktab.dumps(_scenario()), "out.csv")
    trade = back.actor("south").stances["trade"]
    assert (trade.position.value, trade.salience.value) == (50, 0)


def test_write_refuses_scale_other_than_0_100() -> None:
    scenario = _scenario(issues=[{"id": "tax", "scale": [0, 200]}, {"id": "trade"}])
    with pytest.raises(InputError) as info:
        ktab.dumps(scenario)
    assert info.value.path == ("issues", 0, "scale")
    assert "'tax'" in str(info.value)
    assert info.value.given == "[0, 200]"


def test_write_refuses_salience_over_100() -> None:
    heavy = {
        "id": "north",
        "capability": 1,
        "stances": {
            "tax": {"position": 20, "salience": 70},
            "trade": {"position": 90, "salience": 30.5},
        },
    }
    with pytest.raises(InputError) as info:
        ktab.dumps(_scenario(actors=[heavy]))
    assert info.value.path == ("actors", 0, "stances")
    assert "'north'" in str(info.value)
    assert info.value.given == "100.5"


def test_write_refuses_double_quote_in_id() -> None:
    scenario = _scenario()
    odd = scenario.actors[1].model_copy(update={"id": 'so"uth'})
    with pytest.raises(InputError) as info:
        ktab.dumps(scenario.model_copy(update={"actors": (scenario.actors[0], odd)}))
    assert info.value.path == ("actors", 1, "id")


def test_write_text_is_kept_on_one_line_and_commas_quoted() -> None:
    scenario = _scenario(title='Line one\nline "two", three', question="a, b")
    text = ktab.dumps(scenario)
    assert text.splitlines()[0] == '"Line one line \'two\', three","a, b",2,2'
    back = ktab.loads(text, "out.csv")
    assert (back.title, back.question) == ("Line one line 'two', three", "a, b")


def test_write_title_like_a_decide_record_is_quoted(tmp_path: Path) -> None:
    path = tmp_path / "hash.csv"
    path.write_text(ktab.dumps(_scenario(title="#1 case")), encoding="utf-8")
    assert path.read_text(encoding="utf-8").startswith('"#1 case","Who wins?","2","2"\n')
    assert load(path).title == "#1 case"  # io's format detection still sees KTAB


def test_write_uncertain_quantities_as_nominal() -> None:
    scenario = _scenario(
        actors=[
            {
                "id": "north",
                "capability": {"low": 10, "mode": 25, "high": 40},
                "stances": {
                    "tax": {"position": {"low": 10, "high": 30}, "salience": 50},
                    "trade": {"position": 5, "salience": 50},
                },
            }
        ]
    )
    back = ktab.loads(ktab.dumps(scenario), "out.csv").actor("north")
    assert back.capability.value == 25
    assert back.stances["tax"].position.value == 20


_POSITION = st.floats(0, 100)
_SALIENCE = st.floats(0, 50)  # two issues: an actor's saliences stay within KTAB's 100


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(5e-324, 1e12), _POSITION, _SALIENCE, _POSITION, _SALIENCE),
        min_size=1,
        max_size=4,
    )
)
def test_write_read_keeps_floats_exactly(
    rows: list[tuple[float, float, float, float, float]],
) -> None:
    actors = [
        {
            "id": f"a{a}",
            "capability": capability,
            "stances": {
                "tax": {"position": p1, "salience": s1},
                "trade": {"position": p2, "salience": s2},
            },
        }
        for a, (capability, p1, s1, p2, s2) in enumerate(rows)
    ]
    actors.append(
        {
            "id": "anchor",
            "capability": 1,
            "stances": {
                "tax": {"position": 0.1 + 0.2, "salience": 1 / 3},
                "trade": {"position": 100 / 3, "salience": 1e-7},
            },
        }
    )
    issues = [{"id": "tax", "name": "tax"}, {"id": "trade", "name": "trade"}]
    scenario = _scenario(issues=issues, actors=actors)
    assert ktab.loads(ktab.dumps(scenario), "out.csv") == scenario


# --- malformed input never escapes as another exception -----------------------------------

_CHARS = ",;\"' \t\n\r\x00#-+.eE0123456789xXé"
_TOKENS = (
    st.text(_CHARS, max_size=8) | st.sampled_from(["nan", "1e999", "-0", ""]) | st.text(max_size=8)
)


def _corrupted(text: str) -> st.SearchStrategy[str]:
    return corrupted(text, _TOKENS, _CHARS, ",")


def _loads_or_input_error(text: str) -> None:
    assert_scenario_or_input_error(ktab.loads, text, "fuzz.csv")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_corrupted(VALID))
def test_corrupted_text_gives_scenario_or_input_error(text: str) -> None:
    _loads_or_input_error(text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_corrupted_shared_file_gives_scenario_or_input_error(data: st.DataObject) -> None:
    path = _shared("SOE-Pol-Comp.csv")
    _loads_or_input_error(data.draw(_corrupted(path.read_text(encoding="utf-8-sig"))))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_gives_scenario_or_input_error(text: str) -> None:
    _loads_or_input_error(text)
