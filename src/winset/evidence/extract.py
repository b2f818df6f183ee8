"""Extraction: entities with canonical names, figures, and quotes with their speakers.

Entities come from the gazetteer (always) and from the spaCy model when it is available
(:mod:`winset.evidence.nlp`), else from rules: a title before a name ("President …",
"union leader …"), a name next to a speech verb, organisation suffixes ("… Center") and
acronyms. Figures, quotes and stances are found by rules over sentences, using the
entities to name owners, speakers and actors. Offsets are into the article's body.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from winset.evidence.gazetteer import Gazetteer, load_gazetteer
from winset.evidence.metadata import MONTHS
from winset.evidence.model import Article, Entity, Extraction, Figure, Quote
from winset.evidence.nlp import LoadedModel, load_model
from winset.evidence.stance import IssueSpec, default_issues, find_stances, issues_key
from winset.evidence.text import STOPWORDS, split_sentences

EXTRACTOR_VERSION = "winset-evidence/1"
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_MODEL_LABELS = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "NORP",
    "LAW": "LAW",
}
_ORG_SUFFIX = re.compile(
    r"\b(Center|Centre|Institute|Agency|Ministry|Party|Bank|Council|Committee|Foundation|Times|"
    r"News|University|Corporation|Company|Group|Union|Authority|Association|Federation|Fund|"
    r"Commission|Service|Office|Court|Parliament|Assembly|Congress|Senate|Inc|Ltd|Shipping|Lines|"
    r"Press|Post|Herald|Tribune|Journal|Gazette|Ledger|Wire|Forum|Organi[sz]ation|Board|Department)\.?$"
)
_TITLES = (
    r"(?:President|Prime Minister|Foreign Minister|Defen[cs]e Minister|Finance Minister|"
    r"Transport Minister|Labou?r Minister|Trade Minister|Minister|Chancellor|Premier|Mr\.|Mrs\.|"
    r"Ms\.|Dr\.|Prof\.|Professor|Senator|General|Gen\.|Governor|Mayor|Ambassador|Secretary|"
    r"Spokes(?:man|woman|person)|King|Queen|Emperor|Pope|Judge|Commissioner|Chairman|"
    r"Chairwoman|Chair|Director|CEO|leader|chair|chairman|chairwoman|spokes(?:man|woman|person)|"
    r"director|head|chief|minister|president|mayor|governor|analyst|economist|negotiator|fisherman|"
    r"historian|researcher|professor|pollster|secretary)"
)
_NAME = r"[A-Z][a-zà-ÿ'’-]+(?: (?:[A-Z]\.|[A-Z][a-zà-ÿ'’-]+)){0,2}"
_TITLE_NAME = re.compile(rf"\b{_TITLES},? (?P<name>{_NAME})")
SPEECH_VERBS = (
    r"said|says|say|told|tells|added|adding|adds|emphasi[sz]ed|warned|warning|stated|noted|"
    r"insisted|declared|argued|asked|explained|suggested|pledged|wrote|writes|stressed|claimed|"
    r"replied|acknowledged|admitted|announced|remarked|commented|urged|vowed|called|recalled|"
    r"conceded|predicted|promised|reported|countered|cautioned"
)
_SAID_NAME = re.compile(rf"\b(?:{SPEECH_VERBS}) (?P<name>[A-Z][a-z]+ [A-Z][a-z'’-]+)\b")
_NAME_SAID = re.compile(rf"\b(?P<name>[A-Z][a-z]+ [A-Z][a-z'’-]+),? (?:{SPEECH_VERBS})\b")
_ORG_RUN = re.compile(
    r"\b(?:the |The )?(?P<name>[A-Z][\w'’&.-]*(?: (?:[A-Z][\w'’&.-]*|of|for|and|the)){0,5})"
)
_ACRONYM = re.compile(r"\b(?P<name>[A-Z]{3,6})\b")
_SOURCED_BY = re.compile(
    r"\b(?:poll|survey|study|report|count|estimate|analysis)s? (?:by|from) (?:the )?"
    r"(?P<name>[A-Z][\w&-]+(?: [A-Z][\w&-]+){0,3})"
)
_NOT_ACRONYMS = frozenset(
    {
        "THE",
        "AND",
        "FOR",
        "BUT",
        "NOT",
        "TV",
        "CEO",
        "GDP",
        "AM",
        "PM",
        "USD",
        "EUR",
        "RUB",
        "JPY",
        "GBP",
    }
)


# --- entities -------------------------------------------------------------------------------


def _overlaps(a: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(a[0] < b and b0 < a[1] for b0, b in spans)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading 'the' and a trailing possessive from a span."""
    piece = text[start:end]
    if piece.lower().startswith("the ") and len(piece) > 4:
        start += 4
    for suffix in ("’s", "'s"):
        if text[start:end].endswith(suffix):
            end -= 2
    return start, end


def _model_spans(article: Article, model: LoadedModel) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    assert model.nlp is not None
    texts = [article.body[a:b] for a, b in article.paragraphs]
    for (offset, _), doc in zip(
        article.paragraphs, model.nlp.pipe(texts, batch_size=64), strict=True
    ):
        for ent in doc.ents:
            label = _MODEL_LABELS.get(ent.label_)
            if label is not None:
                spans.append((offset + ent.start_char, offset + ent.end_char, label))
    return spans


def _strong_spans(body: str) -> list[tuple[int, int, str]]:
    """Names whose role the sentence states: 'finance director, Lars Eklund', 'poll by X'."""
    spans: list[tuple[int, int, str]] = []
    for pattern in (_TITLE_NAME, _SAID_NAME, _NAME_SAID):
        for m in pattern.finditer(body):
            if pattern is not _TITLE_NAME and re.search(
                r"[A-Z][\w’'.-]* $", body[max(0, m.start("name") - 30) : m.start("name")]
            ):
                continue  # the end of a longer name ('Kushiro Public University said')
            if _ORG_SUFFIX.search(m.group("name")):
                continue
            spans.append((m.start("name"), m.end("name"), "PERSON"))
    for m in _SOURCED_BY.finditer(body):
        spans.append((m.start("name"), m.end("name"), "ORG"))
    return spans


_GENERIC_ORG = re.compile(
    r"\b(?:the|The) (?P<name>(?:[A-Z][\w-]+ )?(?:[a-z][a-z'’-]+ ){0,2}?"
    r"(?:authority|union|council|cooperative|co-operative|association|bank|ministry|government|"
    r"chamber of commerce|institute|committee|commission|company|party|parliament|"
    r"statistics office|agency))\b(?! of [A-Z])"
)
_GENERIC_OF = re.compile(
    r"\b(?:the|The) (?P<name>(?:[a-z][a-z'’-]+ )?"
    r"(?:authority|union|council|ministry|government|bank|agency) of (?P<place>[A-Z][\w-]+))"
)


def _generic_orgs(
    body: str, known: list[Entity], taken: list[tuple[int, int]], *, qualified_only: bool
) -> list[Entity]:
    """'the ports authority of Veldmark', 'the dockers' union', and later 'the authority'.

    A first mention needs a qualifier (a word before the noun, or 'of Place'); a bare
    'the union' afterwards refers back to it, or to a named organisation ending in the
    same noun ('the cooperative' → 'Nemuro Fishermen's Cooperative').
    """
    out: list[Entity] = []
    by_noun: dict[str, str] = {}
    for e in known:
        if e.label == "ORG":
            by_noun.setdefault(re.sub(r" of .*$", "", e.canonical).split()[-1].lower(), e.canonical)
    matches = [
        (m.start("name"), m.end("name"), m.group("name")) for m in _GENERIC_OF.finditer(body)
    ]
    matches += [
        (m.start("name"), m.end("name"), m.group("name"))
        for m in _GENERIC_ORG.finditer(body)
        if not any(a <= m.start("name") < b for a, b, _ in matches)
    ]
    matches.sort()
    first_of: dict[str, int] = {}
    for a, b, name in matches:
        if _overlaps((a, b), taken):
            continue
        noun = re.sub(r" of [A-Z][\w-]+$", "", name).split()[-1].lower()
        qualified = len(name.split()) > 1
        if qualified_only and not (
            (qualified and noun not in ("government", "company", "party", "agency"))
            or " of " in name
        ):
            continue
        if noun in by_noun and (not qualified or by_noun[noun].lower().endswith(name.lower())):
            canonical = by_noun[noun]
        elif (
            qualified and noun not in ("government", "company", "party", "agency")
        ) or " of " in name:
            canonical = name
            by_noun.setdefault(noun, canonical)
            first_of.setdefault(canonical, a)
        else:
            continue
        out.append(Entity(body[a:b], "ORG", canonical, a, b))
        taken.append((a, b))
    return out


def _rule_spans(article: Article) -> list[tuple[int, int, str]]:
    body = article.body
    spans: list[tuple[int, int, str]] = []
    for m in _ORG_RUN.finditer(body):
        name = m.group("name").strip()
        words = name.split()
        while words and words[-1] in ("of", "for", "and", "the"):
            words.pop()
        name = " ".join(words)
        if len(words) >= 1 and _ORG_SUFFIX.search(name) and name[:1].isupper():
            start = m.start("name")
            spans.append((start, start + len(name), "ORG"))
    for m in _ACRONYM.finditer(body):
        if m.group("name") not in _NOT_ACRONYMS:
            spans.append((m.start(), m.end(), "ORG"))
    return spans


def find_entities(
    article: Article, gazetteer: Gazetteer, model: LoadedModel | None
) -> list[Entity]:
    """Entity mentions in the body.

    In order of precedence: names whose role the sentence states (a title before a name,
    'poll by X'), the gazetteer, qualified generic organisations ('the ports authority of
    Veldmark'), then the model's entities (or, without it, the fallback rules), and last
    back-references ('the union'). A longer organisation name containing a gazetteer place
    ('Nemuro Research Institute') takes precedence over the place.
    """
    body = article.body
    found: list[Entity] = []
    taken: list[tuple[int, int]] = []
    gaz = [(a, b, entry) for a, b, entry in gazetteer.find(body)]
    weak = (
        _model_spans(article, model)
        if model is not None and model.nlp is not None
        else _rule_spans(article)
    )
    weak.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    strong = sorted(_strong_spans(body), key=lambda s: (s[0], -(s[1] - s[0])))

    def longer_org(a: int, b: int) -> bool:
        for s0, s1, label in strong + weak:
            s0, s1 = _trim(body, s0, s1)
            if (
                s0 <= a
                and b <= s1
                and (s1 - s0) > (b - a)
                and (label == "ORG" or _ORG_SUFFIX.search(body[s0:s1]))
                and gazetteer.lookup(body[s0:s1]) is None
            ):
                return True
        return False

    for a, b, entry in gaz:
        if " " not in entry.canonical and entry.label in ("GPE", "LOC") and longer_org(a, b):
            continue
        found.append(Entity(body[a:b], entry.label, entry.canonical, a, b))
        taken.append((a, b))

    def accept(spans: list[tuple[int, int, str]]) -> None:
        for start, end, label in spans:
            start, end = _trim(body, start, end)
            hyphenated = re.match(r"-[A-Z][\w]*", body[end : end + 40])
            if hyphenated:  # 'Yuzhno' + '-Kurilsk'
                end += hyphenated.end()
            text = body[start:end]
            if end <= start or _overlaps((start, end), taken) or not any(c.isupper() for c in text):
                continue
            if len(text.split()) > 6 or "\n" in text:
                continue
            entry = gazetteer.lookup(text)
            if entry is not None:
                label, canonical = entry.label, entry.canonical
            else:
                if label == "NORP":
                    continue  # adjectives of nationality: only groups the gazetteer names
                if label in ("PERSON", "GPE", "LOC") and _ORG_SUFFIX.search(text):
                    label = "ORG"
                canonical = text
            found.append(Entity(text, label, canonical, start, end))
            taken.append((start, end))

    accept(strong)
    found.extend(_generic_orgs(body, found, taken, qualified_only=True))
    accept(weak)
    found.extend(_generic_orgs(body, found, taken, qualified_only=False))
    # A surname on its own ('Moriyama') after the full name ('Kenji Moriyama').
    surnames = {
        e.canonical.split()[-1]: e.canonical
        for e in found
        if e.label == "PERSON" and " " in e.canonical
    }
    if surnames:
        pattern = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(n) for n in surnames) + r")(?![\w-])"
        )
        for m in pattern.finditer(body):
            if not _overlaps(m.span(), taken):
                found.append(Entity(m.group(1), "PERSON", surnames[m.group(1)], m.start(), m.end()))
                taken.append(m.span())
    found.sort(key=lambda e: e.start)
    return _resolve_surnames(found)


def _resolve_surnames(entities: list[Entity]) -> list[Entity]:
    """A one-word person mention takes the canonical name of a fuller one ('Brek')."""
    full: dict[str, str] = {}
    for e in entities:
        if e.label == "PERSON" and " " in e.canonical:
            full.setdefault(e.canonical.split()[-1], e.canonical)
    out = []
    for e in entities:
        if " " not in e.canonical and e.canonical in full and e.label in ("PERSON", "ORG", "GPE"):
            out.append(Entity(e.text, "PERSON", full[e.canonical], e.start, e.end))
        else:
            out.append(e)
    return out


# --- figures --------------------------------------------------------------------------------

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_WORDNUMS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a dozen": 12,
    "twice": 2,
}
_WORDNUM = "|".join(sorted((k for k in _WORDNUMS if k != "twice"), key=len, reverse=True))
_SCALE = r"(?:\s?(?:thousand|million|billion|trillion|bn|mn|tn|m|k)\b)"
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_CURRENCIES = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollars": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pounds": "GBP",
    "¥": "JPY",
    "jpy": "JPY",
    "yen": "JPY",
    "₽": "RUB",
    "rub": "RUB",
    "rubles": "RUB",
    "roubles": "RUB",
    "yuan": "CNY",
    "cny": "CNY",
    "kronor": "SEK",
    "krona": "SEK",
    "crowns": "CZK",
}
_FIGURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "money",
        re.compile(
            rf"(?<![\w.,])(?P<cur>US\$|\$|€|£|¥|₽|(?:USD|EUR|RUB|JPY|GBP|CNY) ?)"
            rf"(?P<num>{_NUM})(?P<scale>{_SCALE})?(?![\d])"
        ),
    ),
    (
        "money",
        re.compile(
            rf"(?<![\w.,$€£¥])(?P<num>{_NUM})(?P<scale>{_SCALE})? "
            r"(?P<cur>dollars|euros|pounds|yen|rubles|roubles|yuan|kronor|krona|crowns)\b"
        ),
    ),
    (
        "percent",
        re.compile(
            rf"(?<![\w.,])(?P<num>{_NUM}) ?"
            r"(?P<unit>%|percent\b|per cent\b|pct\b|percentage points?\b)"
        ),
    ),
    (
        "ratio",
        re.compile(
            rf"(?<![\w-])(?P<num>{_NUM}|{_WORDNUM}) times\b"
            r"(?= (?:as|more|higher|larger|bigger|greater|the|that|what)\b)",
            re.IGNORECASE,
        ),
    ),
    ("ratio", re.compile(r"(?<![\w-])(?P<num>twice)(?= as\b)", re.IGNORECASE)),
    (
        "count",
        re.compile(
            rf"(?<![\w.,$€£¥-])(?P<num>{_NUM}|{_WORDNUM})(?P<scale>{_SCALE})? "
            r"(?P<adj>(?:[A-Za-z][a-z-]+ )?)"
            r"(?P<noun>people|police|staff|personnel|children|men|women|troops|crew|[A-Za-z][a-z]+s)\b",
            re.IGNORECASE,
        ),
    ),
)
_NOT_COUNTED = frozenset(
    [
        "years",
        "year",
        "months",
        "weeks",
        "days",
        "hours",
        "minutes",
        "seconds",
        "decades",
        "centuries",
        "times",
        "percent",
        "points",
        "is",
        "was",
        "has",
        "this",
        "as",
        "us",
        "its",
        "his",
        "yes",
        "less",
        "unless",
        "plus",
        "thus",
    ]
)
_QUALIFIER = re.compile(
    r"(?:^|\s)(only|just over|just under|just|about|around|approximately|roughly|nearly|"
    r"almost|some|over|more than|"
    r"less than|fewer than|under|above|below|at least|at most|up to|as many as|as much as|"
    r"close to|barely|a record|record|an estimated|estimated|an? additional)\s*$",
    re.IGNORECASE,
)
_SOURCE_NOUNS = (
    r"(?:poll|survey|study|report|estimate|estimates|data|figures|census|analysis|count|tally|"
    r"forecast)"
)
_REPORTING = (
    r"(?:reported|reports|said|says|found|finds|showed|shows|estimated|estimates|calculated|"
    r"published|announced|told|counted|put|puts)"
)
_AGENCY = re.compile(
    r"\bthe (?P<who>(?:[a-z]+ ){0,2}(?:bank|ministry|agency|office|government|service|pollster|"
    rf"union|authority|council|police|company|committee))\s+{_REPORTING}\b"
)
_MEASURE_VERB = re.compile(
    r"(?P<np>[\w’'\-]+(?: [\w’'\-]+){0,6}?)\s+(?:reached|was|were|is|are|stood at|stands at|"
    r"rose to|rose by|fell to|fell by|dropped to|hit|totalled|totaled|amounted to|came to|of|"
    r"at|above|below|around|near|"
    r"to|by|for|worth|costing|valued at)\s*$"
)
_DETERMINERS = frozenset(
    ["a", "an", "the", "its", "their", "his", "her", "our", "this", "that", "these", "those"]
)
_DATE_WORDS = re.compile(
    r"\b(?P<rel>(?i:last|this|next) (?:year|month))\b|"
    r"(?<!since )(?<!until )(?<!before )\b(?P<month>January|February|March|April|May|June|July|"
    r"August|September|October|November|December)(?: (?P<myear>(?:19|20)\d{2}))?\b|"
    r"(?<!since )(?<!than )(?<!as )(?<!until )(?<!before )\b(?i:in) (?P<year>(?:19|20)\d{2})\b"
)


def _number(text: str) -> float:
    word = text.lower()
    if word in _WORDNUMS:
        return float(_WORDNUMS[word])
    return float(text.replace(",", ""))


def _clause(body: str, sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """The part of the sentence around [start, end) bounded by ';', ':' or a dash."""
    a, b = sentence
    left = max(body.rfind(sep, a, start) for sep in ("; ", ": ", " — ", " – ", " -- "))
    right_candidates = [
        i for i in (body.find(sep, end, b) for sep in ("; ", ": ", " — ", " – ", " -- ")) if i >= 0
    ]
    return (left + 2 if left >= a else a), (min(right_candidates) if right_candidates else b)


def _resolve_date(match: re.Match[str], published: dt.date | None) -> str | None:
    if match.group("year"):
        return match.group("year")
    if match.group("month"):
        month = MONTHS[match.group("month").lower()]
        if match.group("myear"):
            return f"{match.group('myear')}-{month:02d}"
        if published is None:
            return None
        year = published.year if month <= published.month else published.year - 1
        return f"{year}-{month:02d}"
    rel = match.group("rel").lower()
    if published is None:
        return None
    if rel.endswith("year"):
        shift = {"last": -1, "this": 0, "next": 1}[rel.split()[0]]
        return str(published.year + shift)
    shift = {"last": -1, "this": 0, "next": 1}[rel.split()[0]]
    month0 = published.year * 12 + published.month - 1 + shift
    return f"{month0 // 12}-{month0 % 12 + 1:02d}"


def _owner(
    body: str,
    clause: tuple[int, int],
    sentence: tuple[int, int],
    start: int,
    entities: Sequence[Entity],
) -> str | None:
    """Whose figure: the pollster, agency or speaker the sentence credits with it.

    'poll by X' / 'according to X' first; else the reporting subject ('X reported',
    'the statistics office put') nearest the figure.
    """
    credited = re.compile(
        rf"\b{_SOURCE_NOUNS} (?:by|from|of|for)\s+(?:the\s+)?$|according to (?:the )?$"
    )
    for span in (clause, sentence):
        for e in entities:
            if (
                span[0] <= e.start < span[1]
                and e.label in ("ORG", "PERSON")
                and credited.search(body[max(span[0], e.start - 40) : e.start])
            ):
                return e.canonical
    reporters: list[tuple[int, str]] = []
    for e in entities:
        if clause[0] <= e.start < clause[1] and e.label in ("ORG", "PERSON"):
            after = body[e.end : min(clause[1], e.end + 30)]
            if re.match(
                rf"(?:[’']s (?:{_SOURCE_NOUNS}) )?,?\s*(?:also |has |had |last week |on \w+ )?"
                rf"{_REPORTING}\b",
                after,
            ):
                reporters.append((abs(e.start - start), e.canonical))
    agency = _AGENCY.search(body, clause[0], clause[1])
    if agency:
        reporters.append((abs(agency.start() - start), agency.group("who")))
    return min(reporters)[1] if reporters else None


def _measures(
    body: str,
    clause: tuple[int, int],
    kind: str,
    start: int,
    end: int,
    qualifier_start: int,
    noun: str | None,
) -> str | None:
    """What the figure measures, in the article's words (at most 12 words)."""
    after = body[end : clause[1]]
    words_after = re.split(r"[,.;:!?)]", after, maxsplit=1)[0].split()
    if kind in ("percent", "count") and after.startswith(" of ") and len(words_after) > 1:
        return " ".join(words_after[1:13]) or None
    if kind == "count" and noun:
        return " ".join([noun, *words_after[:4]])
    before = body[clause[0] : qualifier_start]
    before = re.split(r"[,(]", before)[-1]
    m = _MEASURE_VERB.search(before)
    if m:
        words = m.group("np").split()
        for i in range(len(words) - 1, -1, -1):
            if words[i].lower() in _DETERMINERS:
                words = words[i + 1 :]
                break
        phrase = " ".join(words[-8:])
        if phrase and phrase.lower() not in _DETERMINERS:
            return phrase
    if qualifier_start < start:  # "a confidence level above 57 percent"
        words = before.split()[-6:]
        for i in range(len(words) - 1, -1, -1):
            if words[i].lower() in _DETERMINERS:
                return " ".join(words[i + 1 :]) or None
    if kind == "ratio":
        return " ".join(words_after[:8]) or None
    if words_after and not re.match(
        r"(?:this|next|last|in|a|an|per|each|[“\"‘'].*)$", words_after[0], re.IGNORECASE
    ):
        return " ".join(words_after[:12])
    return None


def find_figures(
    body: str,
    sentences: Sequence[tuple[int, int]],
    entities: Sequence[Entity],
    published: dt.date | None,
) -> list[Figure]:
    """Percentages, amounts of money, counts and multiples, with owner, qualifier and date."""
    figures: list[Figure] = []
    taken: list[tuple[int, int]] = []
    quoted = [(m.start(), m.end()) for m in _QUOTE.finditer(body)]
    for kind, pattern in _FIGURES:
        for m in pattern.finditer(body):
            start, end = m.span()
            if _overlaps((start, end), taken):
                continue
            num_text = m.group("num")
            groups = m.groupdict()
            noun = groups.get("noun")
            if kind == "count":
                adj = (groups.get("adj") or "").strip().lower()
                if (
                    noun is None
                    or noun.lower() in _NOT_COUNTED
                    or adj in _NOT_COUNTED
                    or adj in STOPWORDS
                ):
                    continue
                if re.fullmatch(r"(?:1[89]|20)\d{2}", num_text) and not groups.get("scale"):
                    continue  # a year
                if re.search(
                    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? $",
                    body[max(0, start - 12) : start],
                ):
                    continue  # a day of a month
            value = _number(num_text)
            scale = (groups.get("scale") or "").strip().lower()
            value *= _SCALES.get(scale, 1.0)
            if kind == "money":
                unit = _CURRENCIES.get(
                    (groups.get("cur") or "").strip().lower(), (groups.get("cur") or "").strip()
                )
            elif kind == "percent":
                unit = "percentage points" if "point" in (groups.get("unit") or "") else "%"
            elif kind == "ratio":
                unit = "times"
            else:
                unit = (noun or "").lower()
            sentence = next(((a, b) for a, b in sentences if a <= start < b), (start, end))
            clause = _clause(body, sentence, start, end)
            q = _QUALIFIER.search(body[max(clause[0], start - 30) : start])
            qualifier = q.group(1).lower() if q else None
            qualifier_start = (
                start - (len(body[max(clause[0], start - 30) : start]) - q.start(1)) if q else start
            )
            date = None
            dates = [
                d
                for d in _DATE_WORDS.finditer(body, clause[0], min(clause[1], end + 25))
                if not _overlaps(d.span(), quoted)
            ]
            after = [d for d in dates if end <= d.start() <= end + 12]
            others = [m2.end() for _, p2 in _FIGURES for m2 in p2.finditer(body, clause[0], start)]
            before = [
                d
                for d in dates
                if d.start() < start and not any(0 <= d.start() - e2 <= 12 for e2 in others)
            ]
            pick = after[0] if after else (before[-1] if before else None)
            if pick is not None:
                date = _resolve_date(pick, published)
            figures.append(
                Figure(
                    value=value,
                    unit=unit,
                    text=body[start:end],
                    kind=kind,
                    start=start,
                    end=end,
                    owner=_owner(body, clause, sentence, start, entities),
                    qualifier=qualifier,
                    measures=_measures(body, clause, kind, start, end, qualifier_start, noun),
                    date=date,
                )
            )
            taken.append((start, end))
    figures.sort(key=lambda f: f.start)
    return figures


# --- quotes ---------------------------------------------------------------------------------

_QUOTE = re.compile(r"“(?P<a>[^”\n]{1,3000})”|\"(?P<b>[^\"\n]{1,3000})\"")
_PRONOUN = re.compile(r"\b(he|she)\b", re.IGNORECASE)


def _last_person(
    entities: Sequence[Entity], before: int, quotes: Sequence[tuple[int, int]]
) -> str | None:
    for e in reversed(entities):
        if e.start < before and e.label == "PERSON" and not _overlaps((e.start, e.end), quotes):
            return e.canonical
    return None


def find_quotes(
    body: str, sentences: Sequence[tuple[int, int]], entities: Sequence[Entity]
) -> list[Quote]:
    """Quoted words (three or more) and their speakers."""
    spans = [(m.start(), m.end()) for m in _QUOTE.finditer(body)]
    quotes: list[Quote] = []
    verbs = re.compile(rf"\b(?:{SPEECH_VERBS}|according to)\b")
    for m in _QUOTE.finditer(body):
        group = "a" if m.group("a") is not None else "b"
        inner_start, inner_end = m.span(group)
        text = body[inner_start:inner_end].strip()
        if len(re.findall(r"\w+", text)) < 3:
            continue
        sentence = next(((a, b) for a, b in sentences if a <= m.start() < b), (m.start(), m.end()))
        speaker: str | None = None
        after = body[m.end() : sentence[1]]
        who = re.match(
            rf"\s*[,.]?\s*(?P<pron>he|she|they)\s+(?:{SPEECH_VERBS})\b", after, re.IGNORECASE
        )
        if who:
            speaker = _last_person(entities, m.start(), spans)
        else:
            v = re.match(rf"\s*[,.]?\s*(?:{SPEECH_VERBS})\b", after) or re.match(
                r"\s*[,.]?\s*(?:[A-Z][\w ]{0,60}?)\s+(?:" + SPEECH_VERBS + r")\b", after
            )
            if v:
                cands = [
                    e
                    for e in entities
                    if m.end() <= e.start < m.end() + v.end() + 60
                    and e.label in ("PERSON", "ORG")
                    and e.start < sentence[1]
                ]
                if cands:
                    speaker = cands[0].canonical
                else:
                    surnames = {
                        e.canonical.split()[-1]: e.canonical
                        for e in entities
                        if e.label == "PERSON"
                    }
                    for word in re.findall(r"[A-Z][\w’'-]+", body[m.end() : m.end() + v.end()]):
                        if word in surnames:
                            speaker = surnames[word]
                            break
        if speaker is None:
            before_verbs = [v for v in verbs.finditer(body, sentence[0], m.start())]
            if before_verbs:
                verb = before_verbs[-1]
                cands = [
                    e
                    for e in entities
                    if sentence[0] <= e.start < verb.start()
                    and e.label in ("PERSON", "ORG")
                    and not _overlaps((e.start, e.end), spans)
                ]
                people = [e for e in cands if e.label == "PERSON"]
                if people:
                    speaker = people[-1].canonical
                elif cands:
                    speaker = cands[-1].canonical
                elif _PRONOUN.search(body[sentence[0] : verb.start()]):
                    speaker = _last_person(entities, sentence[0], spans)
        if speaker is None and quotes and quotes[-1].speaker:
            # A quote that goes on in the same paragraph, after an attributed one.
            gap = body[quotes[-1].end : m.start()]
            if "\n" not in gap and len(gap) < 80:
                speaker = quotes[-1].speaker
        quotes.append(Quote(text=text, speaker=speaker, start=inner_start, end=inner_end))
    return quotes


# --- the whole extraction -------------------------------------------------------------------


def sentences_of(article: Article) -> list[tuple[int, int]]:
    """Every sentence of the body, paragraph by paragraph."""
    out: list[tuple[int, int]] = []
    for a, b in article.paragraphs:
        out.extend(split_sentences(article.body, a, b))
    return out


def extract(
    article: Article,
    *,
    issues: Sequence[IssueSpec] | None = None,
    gazetteer: Gazetteer | None = None,
    model: LoadedModel | None = None,
    use_model: bool = True,
) -> Extraction:
    """Entities, figures, quotes and stance sentences of one article.

    Args:
        article: The cleaned article.
        issues: Issues for stance detection (default: the shipped generic topics).
        gazetteer: Names and aliases (default: shipped plus ``WINSET_GAZETTEER``).
        model: A loaded spaCy pipeline (default: :func:`~winset.evidence.nlp.load_model`).
        use_model: False to use the fallback rules even if the model is there.
    """
    gazetteer = gazetteer or load_gazetteer()
    if model is None and use_model:
        model = load_model()
    if not use_model:
        model = None
    sentences = sentences_of(article)
    entities = find_entities(article, gazetteer, model)
    figures = find_figures(article.body, sentences, entities, article.published)
    quotes = find_quotes(article.body, sentences, entities)
    stances = find_stances(
        article.body,
        sentences,
        entities,
        issues if issues is not None else default_issues(),
        gazetteer,
        quotes,
    )
    name = model.extractor if model is not None else "rules"
    if issues is not None:  # stances depend on the issues: they are part of the key
        name += f" issues:{issues_key(issues)}"
    return Extraction(
        extractor=f"{EXTRACTOR_VERSION} {name}",
        entities=tuple(entities),
        figures=tuple(figures),
        quotes=tuple(quotes),
        stances=tuple(stances),
        sentences=tuple(sentences),
    )
