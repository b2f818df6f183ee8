"""Small text helpers: normalising characters and splitting sentences with offsets."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2028\u2029\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "st",
        "jr",
        "sr",
        "rev",
        "hon",
        "mt",
        "ft",
        "no",
        "nos",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "univ",
        "est",
        "approx",
        "fig",
        "al",
        "e.g",
        "i.e",
        "cf",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "u.s.a",
        "p.m",
        "a.m",
    ]
)


def normalise_line(line: str) -> str:
    """NFC, no control characters, one space for any run of spaces, no outer spaces."""
    line = unicodedata.normalize("NFC", line)
    line = _CONTROL.sub(" ", line)
    return _SPACES.sub(" ", line).strip()


def collapse(text: str) -> str:
    """Text with every run of whitespace made one space (for comparing passages)."""
    return " ".join(normalise_line(text).split())


_BOUNDARY = re.compile(r"""[.!?…]+[”"’')\]]*(?=\s+[“"‘'(\[A-Z0-9—–-])""")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` within ``text[start:end]`` (one paragraph).

    A rule-based splitter: a full stop, question or exclamation mark (with any closing
    quotes) followed by a space and a capital, a digit or an opening quote ends a
    sentence, unless the word before it is a known abbreviation or a single initial.
    """
    stop = len(text) if end is None else end
    spans = []
    begin = start
    for match in _BOUNDARY.finditer(text, start, stop):
        if text[match.start()] == ".":
            word = re.search(r"([\w.]+)$", text[begin : match.start()])
            token = word.group(1).lower() if word else ""
            if token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
            if re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):  # U.S, e.g: initialisms
                continue
        spans.append((begin, match.end()))
        begin = match.end()
        while begin < stop and text[begin].isspace():
            begin += 1
    if begin < stop and text[begin:stop].strip():
        spans.append((begin, len(text[:stop].rstrip())))
    return spans


def sentence_at(sentences: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The sentence span containing ``offset``."""
    for span in sentences:
        if span[0] <= offset < span[1]:
            return span
    return None


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "without",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "not",
        "no",
        "nor",
        "so",
        "than",
        "that",
        "this",
        "these",
        "those",
        "there",
        "their",
        "its",
        "it",
        "his",
        "her",
        "he",
        "she",
        "they",
        "them",
        "we",
        "our",
        "you",
        "your",
        "i",
        "me",
        "my",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "such",
        "only",
        "own",
        "same",
        "too",
        "very",
        "can",
        "will",
        "would",
        "should",
        "could",
        "may",
        "might",
        "must",
        "shall",
        "about",
        "above",
        "below",
        "over",
        "under",
        "again",
        "further",
        "then",
        "once",
        "here",
        "out",
        "up",
        "down",
        "off",
        "into",
        "onto",
        "upon",
        "also",
        "just",
        "still",
        "yet",
        "even",
        "ever",
        "new",
        "said",
        "says",
        "per",
        "cent",
        "percent",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
    ]
)


def content_words(text: str) -> set[str]:
    """Lower-cased words of three or more letters that are not stop words (crudely stemmed)."""
    out = set()
    for word in _WORD.findall(text):
        w = word.lower().replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        if w in STOPWORDS or (len(w) < 3 and not w.isdigit()):
            continue
        if len(w) > 4 and w.endswith("ies"):
            w = w[:-3] + "y"
        elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.add(w)
    return out
