"""Cleaning: wrapped lines, titles, boilerplate rules from YAML, and no lost sentences."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, shared_path
from winset.errors import InputError
from winset.evidence.article import build_article
from winset.evidence.clean import clean_lines, looks_like_title
from winset.evidence.rules import load_rules, parse_rules
from winset.evidence.sources import read_input
from winset.evidence.text import collapse, split_sentences

ARTICLES = EXAMPLES / "articles"
FISHING = ARTICLES / "northernwire-2024-03-05-islands-fishing.txt"
DEAL = ARTICLES / "coastal-ledger-2023-05-02-harbour-deal.txt"


def test_wrapped_dump_title_standfirst_and_paragraphs() -> None:
    a = build_article(read_input(str(FISHING)))
    assert a.title == "Fishing Crews Caught Between Two Maps Off the Disputed Islands"
    assert a.standfirst == (
        "Crews from Nemuro say a quota deal matters more to them than who draws the border "
        "around the South Kurils."
    )
    assert len(a.paragraphs) == 6
    first = a.body[slice(*a.paragraphs[0])]
    assert first.startswith(
        "For the crews of Nemuro, the argument over the islands that Japan calls the Northern Territories"
    )
    assert "\n" not in first and "  " not in first
    assert a.body[slice(*a.paragraphs[-1])].endswith('perhaps one day they can agree on the rest."')


def test_metadata_from_a_broken_original_url_and_bio() -> None:
    a = build_article(read_input(str(FISHING)))
    assert a.url == (
        "https://www.northernwire.example/2024/03/05/"
        "fishing-crews-caught-between-two-maps-off-the-disputed-islands"
    )
    assert a.published is not None and a.published.isoformat() == "2024-03-05"
    assert a.author == "Hana Okabe"
    assert a.publisher == "Northern Wire"


def test_every_removal_has_rule_reason_and_line() -> None:
    a = build_article(read_input(str(FISHING)))
    by_line = {r.line: (r.rule, r.reason) for r in a.removed}
    assert by_line[15][0] == "related-article"
    assert by_line[28][0] == "related-article"
    assert by_line[44][0] == "source-url"
    assert by_line[48] == (
        "bare-url",
        "a bare link to another page: the related article on line 15",
    )
    assert by_line[50][0] == "support-publisher"
    assert by_line[52] == ("donation-appeal", "donation appeal")
    assert by_line[62][0] == "read-more"
    rules = [r.rule for r in a.removed]
    assert rules.count("opinion-disclaimer") == 2  # the repeated disclaimer, both times
    assert "author-bio" in rules
    for removal in a.removed:
        assert collapse(removal.text) not in collapse(a.body)


def test_unwrapped_dump_byline_dateline_prompts() -> None:
    a = build_article(read_input(str(DEAL)))
    assert a.title == "Veldmark Dockers and Port Agree Outline of Wage Deal, Automation Still Open"
    assert a.author == "Mira Tallon"
    assert a.published is not None and a.published.isoformat() == "2023-05-02"
    assert a.publisher == "The Coastal Ledger"
    assert [r.rule for r in a.removed] == [
        "byline",
        "dateline",
        "share-prompt",
        "related-article",
        "read-more",
        "copyright",
        "payment-prompt",
    ]
    assert len(a.paragraphs) == 7


def test_html_page_with_trafilatura() -> None:
    pytest.importorskip("trafilatura")
    a = build_article(read_input(str(ARTICLES / "coastal-ledger-2023-04-12-harbour-talks.html")))
    assert a.format == "html"
    assert a.title == "Harbour talks stall as Veldmark dockers reject second offer"
    assert a.author == "Mira Tallon"
    assert (
        a.url == "https://www.coastal-ledger.example/2023/04/12/harbour-talks-stall"
    )  # tracking dropped
    assert a.published is not None and a.published.isoformat() == "2023-04-12"
    assert len(a.paragraphs) == 6
    assert "Related article" not in a.body and "newsletter" not in a.body
    reasons = {r.rule for r in a.removed}
    assert reasons == {"related-article", "html-extraction"}
    assert any("Donate now" in r.text for r in a.removed)


@pytest.mark.shared
def test_shared_dump_one() -> None:
    path = shared_path("articles", "moscowtimes-2019-01-23-putin-clout-abe.txt")
    a = build_article(read_input(str(path)))
    assert a.title == "Putin Doesn’t Have Clout to Get Deal With Abe"
    assert a.author == "Leonid Bershidsky"
    assert a.publisher == "The Moscow Times"
    assert a.published is not None and a.published.isoformat() == "2019-01-23"
    assert a.url is not None and a.url.endswith("-op-ed-a64250")  # re-joined across the line break
    assert len(a.paragraphs) == 10
    assert a.standfirst is not None and a.standfirst.endswith("surrender territory.")
    rules = [r.rule for r in a.removed]
    assert rules.count("related-article") == 2
    assert rules.count("opinion-disclaimer") == 2
    assert {"author-bio", "source-url", "bare-url"} <= set(rules)
    bare = next(r for r in a.removed if r.rule == "bare-url")
    assert "related article on line 68" in bare.reason  # the 2025 link belongs to the related story
    # Paragraph 6 is the one with the VCIOM poll (the Kuril scenario cites "para 6").
    assert "VCIOM" in a.body[slice(*a.paragraphs[5])]


@pytest.mark.shared
def test_shared_dump_two() -> None:
    path = shared_path("articles", "moscowtimes-2019-09-putin-kuril-compromise.txt")
    a = build_article(read_input(str(path)))
    assert a.title is not None and a.title.startswith("Putin Says Compromise With Japan")
    assert a.published is None and a.url is None  # nothing in the dump says when or where
    assert a.publisher == "The Moscow Times"
    assert len(a.paragraphs) == 6
    assert [r.line for r in a.removed] == [1, 17, 19, 21, 23, 24, 25, 27]
    assert "\u00a0" not in a.body


def test_user_rules_file_adds_a_publisher_rule(tmp_path: Path) -> None:
    dump = tmp_path / "a.txt"
    dump.write_text(
        "Quay Talks Resume\n\nThe union met the port on Friday.\n\n"
        "Listen to the Harbour Hour podcast every Monday\n\nBoth sides said talks would go on.\n",
        encoding="utf-8",
    )
    plain = build_article(read_input(str(dump)), rules=load_rules(env=False))
    assert "Harbour Hour" in plain.body
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "format: winset-cleaning/1\n"
        "publishers:\n  - {name: Quay Post, domains: [quaypost.example], names: [Quay Talks]}\n"
        "rules:\n"
        "  - id: podcast-plug\n    reason: podcast advertisement\n    scope: line\n"
        "    publisher: Quay Post\n    pattern: '^listen to the .{0,40} podcast'\n",
        encoding="utf-8",
    )
    cleaned = build_article(read_input(str(dump)), rules=load_rules([extra], env=False))
    assert "Harbour Hour" not in cleaned.body
    assert cleaned.body == "The union met the port on Friday.\n\nBoth sides said talks would go on."
    assert [(r.rule, r.reason) for r in cleaned.removed] == [
        ("podcast-plug", "podcast advertisement")
    ]


def test_rules_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "env.yaml"
    extra.write_text(
        "rules:\n  - {id: shouty, reason: shouting, scope: line, pattern: '^BREAKING$'}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("WINSET_EVIDENCE_RULES", str(extra))
    assert any(r.id == "shouty" for r in load_rules().rules)


@pytest.mark.parametrize(
    ("yaml_text", "fragment"),
    [
        (
            "rules:\n  - {id: a, reason: b, pattern: '([', scope: line}\n",
            "rules.yaml:2: rules[0].pattern: expected a valid regular expression",
        ),
        (
            "rules:\n  - {id: a, reason: b, pattern: x, scope: page}\n",
            "rules.yaml:2: rules[0].scope: expected 'line', 'paragraph', 'sentence' or 'block', got 'page'",
        ),
        (
            "rules:\n  - {id: a, reason: b, pattern: x, capture: [author]}\n",
            "expected a named group (?P<author>…)",
        ),
        (
            "rules:\n  - {id: a, reason: b, pattern: x}\n  - {id: a, reason: c, pattern: y}\n",
            "expected rule ids unique within a file",
        ),
        ("rules: [\n", "expected valid YAML"),
    ],
)
def test_bad_rule_files_are_located(tmp_path: Path, yaml_text: str, fragment: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        parse_rules(yaml_text, str(path))
    assert fragment.replace("rules.yaml", str(path)) in str(info.value) or fragment in str(
        info.value
    )


def test_headline_case() -> None:
    assert looks_like_title(
        "Putin Says Compromise With Japan Over Disputed Kuril Islands Is ‘Possible’"
    )
    assert looks_like_title("With Abe")
    assert not looks_like_title("The last thing Putin needs now is the instability that would be")
    assert not looks_like_title("Ends with a full stop.")


def test_sentence_splitter_keeps_abbreviations_and_decimals() -> None:
    text = "The U.S. envoy, Mr. Smith, said 3.5 percent was enough. “We agree,” he said. Talks end."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "The U.S. envoy, Mr. Smith, said 3.5 percent was enough.",
        "“We agree,” he said.",
        "Talks end.",
    ]


# --- property: cleaning never loses or invents a body sentence -----------------------------

_WORDS = [
    "port",
    "union",
    "talks",
    "offer",
    "wages",
    "islands",
    "treaty",
    "council",
    "deal",
    "cranes",
]
sentence = st.builds(
    lambda first, rest, end: " ".join([first.capitalize(), *rest]) + end,
    st.sampled_from(_WORDS),
    st.lists(st.sampled_from(_WORDS), min_size=3, max_size=12),
    st.sampled_from([".", "!", "?"]),
)
boilerplate = st.sampled_from(
    [
        "Read more",
        "Related article: Port News Today",
        "Support The Daily Quay!",
        "https://quay.example/x/y",
        "The views expressed in opinion pieces do not necessarily reflect the position of The Quay.",
    ]
)


@settings(max_examples=60, deadline=None)
@given(
    paragraphs=st.lists(st.lists(sentence, min_size=1, max_size=4), min_size=1, max_size=6),
    junk=st.lists(st.tuples(st.integers(0, 6), boilerplate), max_size=4),
    width=st.sampled_from([None, 60, 90]),
)
def test_no_body_sentence_is_lost(
    paragraphs: list[list[str]], junk: list[tuple[int, str]], width: int | None
) -> None:
    blocks = [" ".join(p) for p in paragraphs]
    for at, text in sorted(junk, reverse=True):
        blocks.insert(min(at, len(blocks)), text)
    lines: list[str] = ["Port Talks Go On", ""]
    for block in blocks:
        if width:
            wrapped = re.findall(rf".{{1,{width}}}(?:\s|$)", block + " ")
            lines.extend(w.strip() for w in wrapped)
        else:
            lines.append(block)
        lines.append("")
    cleaned = clean_lines(lines, load_rules(env=False))
    body = collapse(" ".join(cleaned.paragraphs))
    kept = collapse(" ".join(filter(None, [cleaned.title, cleaned.standfirst, body])))
    for p in paragraphs:
        for s in p:
            assert s in kept
    for _, text in junk:
        assert text not in body
    for paragraph in cleaned.paragraphs:  # nothing invented: every word came from the input
        assert set(paragraph.split()) <= set(" ".join(lines).split())
