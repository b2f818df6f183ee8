"""Hypothesis strategies that corrupt a valid file the way real files go wrong."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import strategies as st

from winset.errors import InputError
from winset.scenario import Scenario


@st.composite
def corrupted(
    draw: st.DrawFn, text: str, tokens: st.SearchStrategy[str], chars: str, delimiter: str
) -> str:
    """``text`` with 1–4 edits: a character changed, a token inserted, a run deleted,
    a field replaced, a line dropped or doubled, or two lines swapped."""
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["char", "insert", "delete", "field", "line", "swap"]))
        at = draw(st.integers(0, max(len(text) - 1, 0)))
        if kind == "char":
            text = text[:at] + draw(st.sampled_from(chars) | st.characters()) + text[at + 1 :]
        elif kind == "insert":
            text = text[:at] + draw(tokens) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 12)) :]
        else:
            lines = text.split("\n")
            n = draw(st.integers(0, len(lines) - 1))
            if kind == "field":
                fields = lines[n].split(delimiter)
                f = draw(st.integers(0, len(fields) - 1))
                fields[f] = draw(tokens)
                lines[n] = delimiter.join(fields)
            elif kind == "line":
                if draw(st.booleans()):
                    del lines[n]
                else:
                    lines.insert(n, lines[n])
            else:
                m = draw(st.integers(0, len(lines) - 1))
                lines[n], lines[m] = lines[m], lines[n]
            text = "\n".join(lines)
    return text


def assert_scenario_or_input_error(
    loads: Callable[[str, str], object], text: str, file: str
) -> None:
    """A reader given ``text`` returns a Scenario or raises one located, one-line InputError."""
    try:
        result = loads(text, file)
    except InputError as error:
        assert error.file == file
        assert error.line is not None and error.line >= 1
        assert "\n" not in str(error) and "\r" not in str(error)
    else:
        assert isinstance(result, Scenario)
