"""Cleaning article dumps: re-join wrapped lines, find the title, remove boilerplate.

The cleaner never edits a sentence: it only decides, paragraph by paragraph (or sentence
by sentence, or line by line), whether text is the article's or the publisher's, and
records every removal with its rule and reason. Rules are data (:mod:`.rules`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from winset.evidence.model import Removal
from winset.evidence.rules import Rule, RuleSet
from winset.evidence.text import collapse, normalise_line, split_sentences

_URL_LINE = re.compile(r"^<?https?://\S+>?$")
_URL_FRAGMENT = re.compile(r"^[\w\-./?#&=%+~:;,@!$'()*\[\]]+$")
_LABEL_LINE = re.compile(r"^[A-Za-z][\w ]{1,30}:$")
_TERMINAL = re.compile(r"""[.!?…][”"’')\]]*$|[”"]$""")
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "nor",
        "for",
        "of",
        "in",
        "on",
        "at",
        "to",
        "by",
        "as",
        "vs",
        "via",
        "from",
        "with",
        "into",
        "over",
        "per",
        "is",
    ]
)


@dataclass
class _Unit:
    """A paragraph or a line of its own, with the raw lines it came from."""

    text: str
    lines: list[int]
    block: int
    line_rule: Rule | None = None
    is_url: bool = False
    removed: bool = False


@dataclass
class Cleaned:
    """The result of cleaning: title, standfirst, body paragraphs, removals, metadata."""

    title: str | None
    standfirst: str | None
    paragraphs: list[str]
    removed: list[Removal]
    captured: dict[str, str] = field(default_factory=dict)
    publishers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def looks_like_title(line: str) -> bool:
    """Headline case: most words of four letters or more are capitalised."""
    if not line or len(line) > 160 or re.search(r"[.;:,]$", line):
        return False
    words = re.findall(r"[^\W\d_][\w'’-]*", line)
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not significant:
        return False
    capitalised = sum(1 for w in significant if w[0].isupper())
    return capitalised / len(significant) >= 0.75


def _wrap_width(lines: list[str]) -> int | None:
    """The width a dump was wrapped at, or None if its lines are whole paragraphs."""
    lengths = sorted(len(x) for x in lines if x and not _URL_LINE.match(x))
    if len(lengths) < 5:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if width > 200:
        return None
    near = sum(1 for n in lengths if n >= 0.8 * width)
    return width if near >= 4 and near >= 0.3 * len(lengths) else None


def _join(a: str, b: str) -> str:
    """Re-join two wrapped lines (a word broken after its hyphen joins without a space)."""
    if re.search(r"[^\W\d_]-$", a) and not a.endswith("--") and b[:1].islower():
        return a + b
    return a + " " + b


def _line_rule(line: str, rules: list[Rule]) -> Rule | None:
    for rule in rules:
        if rule.pattern.search(line):
            return rule
    return None


def _units(lines: list[str], start: int, width: int | None, line_rules: list[Rule]) -> list[_Unit]:
    """Paragraphs and stand-alone lines from ``lines[start:]`` (blank lines split blocks)."""
    units: list[_Unit] = []
    current: _Unit | None = None
    block = 0
    i = start
    n = len(lines)

    def close() -> None:
        nonlocal current
        if current is not None:
            units.append(current)
            current = None

    while i < n:
        line = lines[i]
        if not line:
            close()
            block += 1
            i += 1
            continue
        # A URL, possibly after a label line ("Original url:") and broken over lines.
        if _URL_LINE.match(line) or (
            _LABEL_LINE.match(line) and i + 1 < n and _URL_LINE.match(lines[i + 1])
        ):
            numbers = [i + 1]
            text = line
            if not _URL_LINE.match(line):
                i += 1
                numbers.append(i + 1)
                text = line + " " + lines[i]
            long_line = max(60, int(0.8 * width)) if width else 60
            while (
                i + 1 < n
                and len(lines[i]) >= long_line
                and _URL_FRAGMENT.match(lines[i + 1])
                and not lines[i + 1].lower().startswith("http")
            ):
                i += 1
                numbers.append(i + 1)
                text += lines[i]
            close()
            rule = _line_rule(text, line_rules)
            units.append(_Unit(text, numbers, block, line_rule=rule, is_url=True))
            i += 1
            continue
        rule = _line_rule(line, line_rules)
        if rule is not None:
            close()
            units.append(_Unit(line, [i + 1], block, line_rule=rule))
            i += 1
            continue
        if current is not None and width is not None:
            previous = lines[i - 1]
            if _TERMINAL.search(previous) and len(previous) < 0.7 * width:
                close()
        elif current is not None and (_TERMINAL.search(lines[i - 1]) or not line[:1].islower()):
            close()  # unwrapped dump: a line is a paragraph unless it ends mid-sentence
        if current is None:
            current = _Unit(line, [i + 1], block)
        else:
            current.text = _join(current.text, line)
            current.lines.append(i + 1)
        i += 1
    close()
    return units


def _find_title(lines: list[str], line_rules: list[Rule]) -> tuple[str | None, int, bool]:
    """The title, the index of the first line after it, and whether text follows unbroken."""
    first = next((i for i, x in enumerate(lines) if x), None)
    if first is None:
        return None, len(lines), False
    i = first
    title_lines: list[str] = []
    while (
        i < len(lines)
        and lines[i]
        and len(title_lines) < 3
        and looks_like_title(lines[i])
        and (not title_lines or _line_rule(lines[i], line_rules) is None)
    ):
        title_lines.append(lines[i])
        i += 1
    if not title_lines:
        line = lines[first]
        alone = first + 1 >= len(lines) or not lines[first + 1]
        if alone and len(line) <= 150 and not line.endswith("."):
            return line, first + 1, False
        return None, first, False
    run_on = i < len(lines) and bool(lines[i])
    return " ".join(title_lines), i, run_on


def _remove(unit: _Unit, rule: Rule, removed: list[Removal], reason: str | None = None) -> None:
    unit.removed = True
    removed.append(Removal(collapse(unit.text), reason or rule.spec.reason, rule.id, unit.lines[0]))


def _capture(rule: Rule, text: str, captured: dict[str, str]) -> None:
    match = rule.pattern.search(text)
    if match is None:
        return
    for group in rule.spec.capture:
        value = match.group(group)
        if value and group not in captured:
            captured[group] = value.strip("<>")


def clean_lines(
    raw_lines: list[str],
    rules: RuleSet,
    *,
    title: str | None = None,
    detect_title: bool = True,
    publishers: frozenset[str] = frozenset(),
) -> Cleaned:
    r"""Clean an article given as lines (a text dump, or an HTML page's paragraphs).

    Args:
        raw_lines: The lines, ``\\n`` removed; blank lines separate paragraphs.
        rules: The cleaning rules in force.
        title: The title if already known (HTML metadata); a first paragraph equal to it is
            dropped.
        detect_title: Look for a headline in the first lines.
        publishers: Names of publishers whose rules apply (besides those named in the text).

    Returns:
        The title, standfirst, body paragraphs, removals and captured metadata.
    """
    lines = [normalise_line(x) for x in raw_lines]
    named = rules.publishers_named_in("\n".join(lines))
    in_force = frozenset(publishers | {p.name for p in named})
    width = _wrap_width(lines)
    removed: list[Removal] = []
    captured: dict[str, str] = {}
    start = 0
    run_on = False
    line_rules = rules.scoped("line", in_force)
    if detect_title and title is None:
        # Boilerplate lines above the headline ("Support …!") go before the title is sought.
        top = 0
        while top < len(lines):
            if lines[top]:
                rule = _line_rule(lines[top], line_rules)
                if rule is None:
                    break
                _capture(rule, lines[top], captured)
                removed.append(Removal(lines[top], rule.spec.reason, rule.id, top + 1))
                lines[top] = ""
            top += 1
        title, start, run_on = _find_title(lines, line_rules)
    units = _units(lines, start, width, line_rules)
    if title is not None and units and collapse(units[0].text) == collapse(title):
        units.pop(0)

    standfirst = None
    if run_on and len(units) >= 2 and units[0].block == units[1].block:
        first = units[0]
        if not first.line_rule and len(first.text) <= 400 and _TERMINAL.search(first.text):
            standfirst = first.text
            units.pop(0)

    # 1. Lines that are boilerplate on their own.
    for unit in units:
        if unit.line_rule is not None:
            _capture(unit.line_rule, unit.text, captured)
            _remove(unit, unit.line_rule, removed)

    # 2. Blocks: from a start paragraph through an end paragraph.
    for rule in rules.scoped("block", in_force):
        for i, unit in enumerate(units):
            if unit.removed or not rule.pattern.search(unit.text):
                continue
            end = i
            if rule.until is not None:
                window = units[i : i + rule.spec.max_paragraphs]
                for j, other in enumerate(window):
                    if rule.until.search(other.text):
                        end = i + j
                        break
            for other in units[i : end + 1]:
                if not other.removed:
                    _remove(other, rule, removed)

    # 3. Sentences, then whole paragraphs (the tail counted among what remains).
    sentence_rules = rules.scoped("sentence", in_force)
    for unit in units:
        if unit.removed or not sentence_rules:
            continue
        kept = []
        for a, b in split_sentences(unit.text):
            sentence = unit.text[a:b]
            rule = _line_rule(sentence, sentence_rules)
            if rule is None:
                kept.append(sentence)
            else:
                _capture(rule, sentence, captured)
                removed.append(Removal(sentence, rule.spec.reason, rule.id, unit.lines[0]))
        if not kept:
            unit.removed = True
        else:
            unit.text = " ".join(kept)
    paragraph_rules = rules.scoped("paragraph", in_force)
    for rule in paragraph_rules:
        remaining = [u for u in units if not u.removed]
        candidates = remaining[-rule.spec.tail :] if rule.spec.tail else remaining
        for unit in candidates:
            if rule.pattern.search(unit.text):
                _capture(rule, unit.text, captured)
                _remove(unit, rule, removed)

    removed.sort(key=lambda r: r.line or 0)
    _explain_links(removed, captured)
    body = [u.text for u in units if not u.removed]
    return Cleaned(
        title=title,
        standfirst=standfirst,
        paragraphs=body,
        removed=removed,
        captured=captured,
        publishers=[p.name for p in named],
    )


def _explain_links(removed: list[Removal], captured: dict[str, str]) -> None:
    """Say which bare links are the article's own address and which belong elsewhere."""
    own = captured.get("url", "").rstrip("/")
    related = [r for r in removed if r.rule == "related-article"]
    for k, item in enumerate(removed):
        if item.rule != "bare-url":
            continue
        url = item.text.strip("<>").rstrip("/")
        if own and url == own:
            reason = "the article's own address, repeated"
        else:
            slug = set(re.split(r"[^a-z0-9]+", url.lower().rsplit("/", 1)[-1])) - {""}
            match = None
            for rel in related:
                words = set(re.findall(r"[a-z0-9]+", rel.text.lower().split(":", 1)[-1]))
                if slug and words and len(slug & words) >= max(2, 0.5 * len(words)):
                    match = rel
                    break
            reason = (
                f"a bare link to another page: the related article on line {match.line}"
                if match
                else "a bare link to another page, not the article's own address"
            )
        removed[k] = Removal(item.text, reason, item.rule, item.line)
