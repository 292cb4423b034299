"""Compare articles on one story: where they contradict each other, what each one leaves out,
and which passages they share.

Contradictions are found by *alignment*, not by a list of event words. Every checkable claim
in every article (money, counts, percentages, distances and other quantities, durations,
dates and weekdays, rankings, vote tallies; see ``kit.figures.find_claims``) comes with the
content words around it. Two claims from different articles are taken to be about the same
thing when they measure the same kind of thing and the words around them are alike; then
their values are compared, allowing for what their hedges ("about", "at least", "up to")
allow.

How "alike" is measured, and why: each claim's words are weighted twice, by how near they
stand to the number (the counted noun weighs most, a word ten words away a fifth as much)
and by how rare they are across the articles of the set (inverse document frequency, so the
story's own name, present everywhere, ties nothing to anything). Similarity is the cosine
of the two weighted word sets. That is TF-IDF cosine restricted to the claim's window, kept
small and written out here, so the kit needs no scikit-learn; fuzzy string ratios
(rapidfuzz) were tried as the measure and rejected, because they score the whole sentence's
letters, so two sentences that share a long name but speak of different things score high.
Each claim is paired with its best match in every other article, and only when that claim
picks it back (mutual best match), so one sentence is never tied to two different facts of
the same article.

A few kinds of evidence weigh beside the words. A unit ("years", "degrees", "SEK") is shared
by everything measured in it, so it ties nothing; the counted noun ("640 jobs") does. Past a
joining word ("open for 10 years *and* its maternity unit ...") the words after a figure
belong to the next clause. "200 people" and "640 people" are one fact only when a word close
to both says what those people did. The very same figure in both articles ("640 jobs", "640
people") is itself a sign of one fact, and two days sit beside the same precise figure
("voted on Tuesday to spend $4.5 million", "approved a $4.5 million package on Wednesday")
when they date one event. Days that end a span ("through Aug. 21") are not compared with
days on which something happened.

The work stays close to linear: identical claims (a wire story reprinted) are compared once,
and a claim is only compared with claims that share one of its strongest words and its kind
(an inverted index), never with all the others.

>>> from kit.articles import load_articles
>>> from kit._data import data_dir
>>> found = find_contradictions(load_articles(data_dir() / "articles" / "carney-beijing-2026"))
>>> sorted((c.a.article_id, c.b.article_id) for c in found if c.kind == "day")
[('C', 'D'), ('D', 'E')]
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kit.articles import Article, ArticleSet
from kit.figures import (
    _STOP,
    Claim,
    _content_words,
    _rules,
    _trie,
    article_year,
    find_claims,
    stem,
)
from kit.lexicons import load_lexicon

__all__ = [
    "Contradiction",
    "CoverageMatrix",
    "Evidence",
    "Reuse",
    "coverage_matrix",
    "find_contradictions",
    "find_reuse",
]

# Two or more capitalised words: how a person is named ("President Xi Jinping").
_PERSON = r"(?:[A-Z][\w.’'-]*(?:[^\S\n]+[A-Z][\w.’'-]*)+)"
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

CONFLICT = "conflict"
DISCREPANCY = "discrepancy"
CHANGED = "changed over time"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where an article says something: ``articles[article_id].text[start:end]``."""

    article_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Contradiction:
    """Two articles that disagree about the same fact.

    ``kind`` is what the claims measure: ``"day"``, ``"rank"``, ``"tally"``, ``"meeting"``
    (one article says a meeting happened, another that it did not), or for numbers
    ``"amount"`` with ``unit`` saying which (money, count, percent, duration, or the family
    of a quantity such as distance). ``verdict`` is ``"conflict"`` (they cannot both be
    right), ``"discrepancy"`` (close, but more apart than their hedges allow) or
    ``"changed over time"`` (a running count reported at two moments; only returned when
    asked for). ``shared`` are the words that tie the two claims to one fact.
    """

    a: Evidence
    b: Evidence
    fact: str
    kind: str
    reason: str
    verdict: str = CONFLICT
    unit: str = ""
    shared: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reuse:
    """A passage two articles share word for word, or nearly (``similarity`` 0-100)."""

    a: Evidence
    b: Evidence
    similarity: float
    text: str


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


# --------------------------------------------------------------------------- statements

_MIN_SIMILARITY = 0.2  # cosine of the weighted context words; below it, two claims differ
_INDEX_WORDS = 12  # a claim looks for partners through its strongest words only
_MAX_POSTING = 400  # a word near more claims than this is stock phrasing; it ties nothing
_NUMBER_KINDS = ("money", "count", "percent", "quantity", "duration")
_IDF_POWER = 0.0
_MAX_RATIO = 4.0  # numbers further apart than this are not two reports of one figure
# A claim in an article's opening sentence is about the story's main event: news writing puts
# what happened, when and how much first (the "inverted pyramid"), so two openings' figures of
# one kind are likely one fact. It counts as one shared word of middling weight.
_LEAD = "(opening sentence)"
_LEAD_WEIGHT = 0.6
_SAME_VALUE_BONUS = 0.1
_BESIDE_BONUS = 0.1  # the same precise figure in both sentences
_NEAR = 4  # words this close to a figure say which moment of an event it belongs to


@dataclass(slots=True)
class _Statement:
    """One claim, and every article that makes it in the same words (a reprint)."""

    claim: Claim
    article_ids: list[str]
    vector: dict[str, float]
    surface: dict[str, str]  # stem -> the word as the first article writes it
    said: str  # the article's own words, quoted
    year: int | None = None  # the article's year: reports years apart are not one story
    names: frozenset[str] = frozenset()  # capitalised words inside the sentence
    # the other figures of its sentence ("voted 6-3 on Tuesday to spend $4.5 million"): two
    # sentences that give the same $4.5 million tell of one event, whatever words they use,
    # so their days are the day of one event (their other numbers may still be two facts)
    beside: frozenset[tuple[str, Any]] = frozenset()


def _proximity(distance: int) -> float:
    return 1.0 / (1.0 + distance / 2.5)


def _statements(articles: Sequence[Article]) -> list[_Statement]:
    """Every article's claims, reprints merged, each with its weighted context words."""
    seen: dict[tuple[Any, ...], _Statement] = {}
    raw: list[tuple[Article, Claim]] = []
    df: dict[str, int] = defaultdict(int)
    years: dict[str, int | None] = {}
    for article in articles:
        claims = find_claims(article)
        # the article's own dates only: a date in the text may be years ahead ("close in 2026")
        years[article.id] = article_year(article)
        for w in {w for c in claims for w, _ in c.context}:
            df[w] += 1
        raw.extend((article, c) for c in claims)
    n = max(1, len(articles))
    idf = {w: math.log(1.0 + n / d) ** _IDF_POWER for w, d in df.items()}
    out: list[_Statement] = []
    for article, c in raw:
        key = (c.kind, c.value, c.unit, c.hedge, c.context)
        st = seen.get(key)
        if st is not None:
            if st.article_ids[-1] != article.id:
                st.article_ids.append(article.id)
            continue
        vector: dict[str, float] = {}
        for w, d in c.context:
            vector[w] = max(vector.get(w, 0.0), _proximity(d) * idf.get(w, 1.0))
        if c.lead:
            vector[_LEAD] = _LEAD_WEIGHT
        st = _Statement(
            c,
            [article.id],
            vector,
            _surface(article.text, c),
            _said(article, c),
            years[article.id],
            _names(article.text, c),
        )
        seen[key] = st
        out.append(st)
    by_sentence: dict[tuple[str, tuple[int, int]], set[tuple[str, Any]]] = defaultdict(set)
    for st in out:
        by_sentence[(st.article_ids[0], st.claim.sentence)].add(_telling(st.claim))
    for st in out:
        here = by_sentence[(st.article_ids[0], st.claim.sentence)]
        st.beside = frozenset(f for f in here - {_telling(st.claim)} if f[0] != "")
    return out


def _telling(c: Claim) -> tuple[str, Any]:
    """A figure precise enough to tie two sentences to one event: ("money", 4500000.0),
    ("tally", "6-3"); ("", ...) for the small numbers and days any two sentences share."""
    if c.kind == "tally":
        return ("tally", c.value)
    if (
        c.kind in ("money", "count", "percent", "quantity")
        and abs(float(c.value)) >= 10
        and c.hedge != "range"  # "hundreds" ties no two sentences to one event
    ):
        return (c.kind, float(c.value))
    return ("", (c.kind, c.value, c.start))


def _surface(text: str, c: Claim) -> dict[str, str]:
    """Word as the claim's context holds it (stem, synonyms folded) -> the article's word."""
    out: dict[str, str] = {_LEAD: _LEAD}
    for start, end, w in _content_words(text, c.sentence, _rules()):
        out.setdefault(w, text[start:end].replace("’s", "").replace("'s", ""))
    return out


def _names(text: str, c: Claim) -> frozenset[str]:
    """Names in the claim's sentence (not its first word, capitalised anyway). A month is a
    date, not a name ("a November 11 fact sheet"): it says when, not where or what."""
    lo, hi = c.sentence
    months = _rules().months  # the figure finder's month names, which read dates
    out = set()
    for m in re.finditer(r"(?<=[^\S\n])[A-Z][\w’'-]+", text[lo:hi]):
        word = m.group()
        low = word.lower()
        if low in _STOP or word in _WEEKDAYS or low in months or word.isupper():
            continue
        out.add(stem(word))
    return frozenset(out)


def _said(article: Article, c: Claim) -> str:
    said = f"“{_norm(article.text[c.start : c.end])}”"
    if c.kind == "day" and c.weekday is not None and c.value not in _WEEKDAYS:
        said += f" (a {_WEEKDAYS[c.weekday]})"
    return said


def _comparable(a: Claim, b: Claim) -> bool:
    """Same kind of thing in compatible units (a weekday and a date compare by weekday)."""
    if a.kind != b.kind:
        return False
    if a.kind == "day":
        if a.bound != b.bound:
            return False  # "through Aug. 21" ends a span; "on Tuesday" is when something happened
        if a.weekday is not None and b.weekday is not None:
            return True
        return a.value not in _WEEKDAYS and b.value not in _WEEKDAYS
    subjects = a.subject and b.subject and a.kind in ("rank", "count")
    if subjects and not _words(str(a.subject)) & _words(str(b.subject)):
        return False  # "largest export destination" is not "second-largest trading partner"
    if a.kind in _NUMBER_KINDS:
        small, big = sorted((abs(float(a.value)), abs(float(b.value))))
        if "range" in (a.hedge, b.hedge):
            # "hundreds" against "nearly 3,000": the gap between what each allows
            (lo_a, hi_a), (lo_b, hi_b) = _span(a), _span(b)
            overlap = lo_a <= hi_b and lo_b <= hi_a
            small, big = (1.0, 1.0) if overlap else (min(hi_a, hi_b), max(lo_a, lo_b))
        if small == 0 or big / small > _MAX_RATIO:
            return False  # "$2 billion" and "$4 million" measure different things
    if a.kind == "money":
        return a.unit is None or b.unit is None or a.unit == b.unit
    return a.unit == b.unit or _same_unit(a.unit, b.unit)


def _same_unit(a: str | None, b: str | None) -> bool:
    """ "degrees" and "degrees fahrenheit": the shorter name leaves the scale to the story."""
    if not a or not b:
        return False
    short, long = sorted((a.split(), b.split()), key=len)
    return len(short) < len(long) and long[: len(short)] == short


def _words(phrase: str) -> set[str]:
    return {stem(w) for w in re.split(r"[\s‐‑–-]+", phrase) if w}


def _opposed(a: Claim, b: Claim) -> bool:
    """True when the words next to the two figures name opposite moments ("arrived"/"left").

    The opposite word nearer each figure says what it counts, so "12 were killed and 15
    injured" gives 15 to the injured. One of the two must be close to its figure; the other
    may be further off in its sentence ("killed more than 100 people, including 13 soldiers").
    """
    for one, other in _rules().opposites:
        side_a, side_b = _side(a, one, other), _side(b, one, other)
        if side_a and side_b and side_a[0] != side_b[0] and min(side_a[1], side_b[1]) <= _NEAR:
            return True
    return False


def _side(claim: Claim, one: frozenset[str], other: frozenset[str]) -> tuple[str, int] | None:
    """Which of two opposite word sets is nearer the figure, and how near; None on a tie."""
    near: dict[str, int] = {}
    for word, distance in claim.context:
        for name, words in (("one", one), ("other", other)):
            if word in words:
                near[name] = min(near.get(name, distance), distance)
    if not near or near.get("one") == near.get("other"):
        return None
    return min(near.items(), key=lambda item: item[1])


# Nouns that count anybody: "200 people" says nothing of *which* people. What they did
# ("crowded into the chamber", "lost their jobs") does.
_ANYONE = ("people", "person", "persons", "individuals")


def _anyone_words() -> frozenset[str]:
    """The context words (stemmed, synonyms folded) of the nouns that count anybody."""
    same = _rules().synonyms
    return frozenset(same.get(stem(w), stem(w)) for w in _ANYONE)


def _near_shared(a: Claim, b: Claim, anyone: frozenset[str]) -> bool:
    """True when a word close to both counts, other than "people", is the same word."""
    return bool(_near_words(a, b, anyone))


def _near_words(a: Claim, b: Claim, leave_out: frozenset[str]) -> set[str]:
    """The words close to both figures, apart from ``leave_out``."""
    near_a = {w for w, d in a.context if d <= _NEAR + 1} - leave_out
    near_b = {w for w, d in b.context if d <= _NEAR + 1} - leave_out
    return near_a & near_b


def _cosine(a: dict[str, float], b: dict[str, float]) -> tuple[float, list[str]]:
    """Similarity of two weighted word sets (0-1), and the shared words, strongest first.

    The mean of the cosine and the overlap coefficient: cosine alone punishes a long
    sentence for the words it adds; the overlap (shared weight over the smaller set's
    weight) alone lets a three-word sentence match anything that shares one word.
    """
    shared = [w for w in a if w in b]
    if not shared:
        return 0.0, []
    dot = sum(a[w] * b[w] for w in shared)
    norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    overlap = sum(min(a[w], b[w]) for w in shared) / min(sum(a.values()), sum(b.values()))
    shared.sort(key=lambda w: -(a[w] * b[w]))
    return 0.5 * ((dot / norm if norm else 0.0) + overlap), shared


def _links(statements: list[_Statement]) -> list[tuple[int, int, float, list[str]]]:
    """Mutual best matches between statements of different articles: the aligned pairs."""
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, st in enumerate(statements):
        for w in st.vector:
            index[(st.claim.kind, w)].append(i)
    # pairs[(article, article)][(i, j)] = (score, shared words): every pair worth a look
    pairs: dict[tuple[str, str], dict[tuple[int, int], tuple[float, list[str]]]]
    pairs = defaultdict(dict)
    anyone = _anyone_words()
    for i, st in enumerate(statements):
        candidates: set[int] = set()
        for w in sorted(st.vector, key=lambda w: -st.vector[w])[:_INDEX_WORDS]:
            posting = index[(st.claim.kind, w)]
            if len(posting) <= _MAX_POSTING:
                candidates.update(posting)
        home = st.article_ids[0]
        for j in candidates:
            other = statements[j]
            there = other.article_ids[0]
            if there == home or not _comparable(st.claim, other.claim):
                continue
            if st.year and other.year and st.year != other.year:
                continue
            same_value = st.claim.value == other.claim.value
            if st.names and other.names and not st.names & other.names and not same_value:
                continue  # "in Vanuatu" and "off Mindanao": two places, two events
            if _opposed(st.claim, other.claim):
                continue  # "arrived on Monday", "left on Thursday": two moments
            if st.claim.kind == "count" and not _near_shared(st.claim, other.claim, anyone):
                continue  # "200 people crowded in", "640 people losing their jobs"
            if st.claim.kind == "time" and (
                len(_near_words(st.claim, other.claim, anyone | st.names | other.names)) < 2
            ):
                continue  # "the quake struck at 4:15", "the museum opens at 10": two clocks
            score, shared = _cosine(st.vector, other.vector)
            if st.claim.kind == "day" and st.beside & other.beside:
                score += _BESIDE_BONUS  # the day of one event: the event, not the words, counts
            if score < _MIN_SIMILARITY or not [w for w in shared if w != _LEAD]:
                continue  # two opening sentences with no word in common are two stories
            if _agree(st.claim, other.claim):
                # on a near tie, the reading that makes the articles agree; the very same
                # figure ("640 jobs", "640 people") is itself a sign of the same fact
                score += _SAME_VALUE_BONUS if same_value else 0.02
            pair = (min(home, there), max(home, there))
            pairs[pair][(min(i, j), max(i, j))] = (score, shared)
    # Best pairs first, each statement used once per other article: one sentence is never
    # tied to two facts of the same article, and a sentence with two figures of one kind
    # ("open for 10 years ... for three years") pairs both with their two counterparts.
    out = []
    for found in pairs.values():
        used: set[int] = set()
        for (i, j), (score, shared) in sorted(found.items(), key=lambda p: (-p[1][0], p[0])):
            if i not in used and j not in used:
                used.update((i, j))
                out.append((i, j, score, shared))
    return sorted(out)


# --------------------------------------------------------------------------- verdicts


def _granularity(value: float) -> float:
    """The place of a number's last significant digit: 1,100 -> 100, 4.2 million -> 100,000."""
    v = abs(value)
    if v == 0:
        return 1.0
    g = 10.0 ** math.floor(math.log10(v))
    while g > 1e-6 and abs(v / g - round(v / g)) > 1e-6:
        g /= 10
    return g


# How far a hedge reaches from its number: "at least 500" is read as up to 750 against an
# exact figure, "nearly 3,000" as down to 2,250, "about 1,100" as a quarter of its last digit's
# place either way. Two figures this far apart or more are a conflict, not a discrepancy.
_AT_LEAST_REACH = 1.5
_AT_MOST_REACH = 0.75
_CONFLICT_RATIO = 1.5


def _about_slack(value: float) -> float:
    return _granularity(value) / 4


def _strict_sides() -> tuple[frozenset[str], frozenset[str]]:
    """Hedge words that put a value strictly under, and strictly over, its number."""
    if not _STRICT:
        entry = next(e for e in load_lexicon("figures").entries if e.id == "approx-about")
        _STRICT.append(
            tuple(
                frozenset(str(w).lower() for w in entry.extra.get(key, ()))
                for key in ("x_strict_below", "x_strict_above")
            )
        )
    return _STRICT[0]


_STRICT: list[tuple[frozenset[str], frozenset[str]]] = []


def _either_side(a: Claim, b: Claim) -> bool:
    """True for "almost 100 days" against "over 100 days": one under the number, one over it."""
    below, above = _strict_sides()
    wa, wb = (str(c.hedge_word or "").lower() for c in (a, b))
    return (wa in below and wb in above) or (wa in above and wb in below)


def _agree(a: Claim, b: Claim) -> bool:
    """True when the two values can both be right, given their hedges."""
    if a.kind in ("day", "rank", "tally", "since"):
        return _day_or_place(a) == _day_or_place(b)
    if a.kind == "time":
        return a.value == b.value  # the figure finder gives clock times no hedge
    if "range" in (a.hedge, b.hedge):
        (lo_a, hi_a), (lo_b, hi_b) = _span(a), _span(b)
        return lo_a <= hi_b and lo_b <= hi_a  # "thousands" and "more than 10,000" may meet
    va, vb = float(a.value), float(b.value)
    if math.isclose(va, vb, rel_tol=0.01, abs_tol=1e-9):
        return not _either_side(a, b)
    if a.hedge == b.hedge and a.hedge in ("at-least", "at-most"):
        return True  # "at least 500" and "more than 600" are both lower bounds
    for x, y in ((a, b), (b, a)):
        vx, vy = float(x.value), float(y.value)
        if x.hedge == "at-least" and y.hedge != "at-most" and vx <= vy <= _AT_LEAST_REACH * vx:
            return True
        if x.hedge == "at-most" and y.hedge != "at-least" and _AT_MOST_REACH * vx <= vy <= vx:
            return True
        if x.hedge == "about" and abs(vx - vy) <= _about_slack(vx):
            return True  # "about 1,100" is 1,080 rounded
    return False


def _span(c: Claim) -> tuple[float, float]:
    """The least and most a claim allows, for comparing it with a rough number:
    "hundreds" is 200 up to 1,000, and "more than 1,000" leaves room for "thousands".

    >>> _span(Claim(0, 9, "count", 200.0, hedge="range", upper=1000.0))
    (200.0, 1000.0)
    >>> _span(Claim(0, 9, "count", 500.0, hedge="at-least"))
    (500.0, inf)
    """
    v = float(c.value)
    if c.hedge == "range" and c.upper is not None:
        return v, c.upper
    if c.hedge == "at-least":
        return v, math.inf
    if c.hedge == "at-most":
        return _AT_MOST_REACH * v, v
    if c.hedge == "about":
        return v - _about_slack(v), v + _about_slack(v)
    return v, v


def _minutes(clock: str) -> int:
    hours, _, minutes = clock.partition(":")
    return int(hours) * 60 + int(minutes or 0)


def _day_or_place(c: Claim) -> Any:
    if c.kind == "day":
        return c.weekday if c.weekday is not None else str(c.value)[-5:]
    return c.value


def _verdict(a: _Statement, b: _Statement) -> tuple[str, str] | None:
    """(verdict, why they disagree, in plain words), or None when they agree."""
    x, y = a.claim, b.claim
    if _agree(x, y):
        return None
    if x.kind == "day":
        if x.changing and y.changing:
            # "rose to 1,200 on Tuesday", "had climbed to 4,300 by Thursday": the days are
            # the moments a running count was read, not two dates for one event
            return CHANGED, "both give the day a count that was still moving had reached"
        if x.value in _WEEKDAYS and y.value in _WEEKDAYS:
            return CONFLICT, f"{x.value} and {y.value} are different days"
        if x.value not in _WEEKDAYS and y.value not in _WEEKDAYS:
            return CONFLICT, "those are different dates"
        day, date = (x, y) if x.value in _WEEKDAYS else (y, x)
        wd = _WEEKDAYS[date.weekday or 0]
        return CONFLICT, f"that date was a {wd}, not a {day.value}"
    if x.kind == "rank":
        return CONFLICT, "a ranking has only one place, and these are two different places"
    if x.kind == "tally":
        return CONFLICT, "one vote has only one count"
    if x.kind == "since":
        return CONFLICT, "a record reaches back to one last time, and these are two different years"
    if x.kind == "time":
        apart = abs(_minutes(str(x.value)) - _minutes(str(y.value)))
        if apart <= 15:
            return DISCREPANCY, f"they are {apart} minutes apart"
        return CONFLICT, "one moment has only one time on the clock"
    if x.changing or y.changing:
        moving = a if x.changing else b
        return CHANGED, f"{moving.said} is given as a count that was still moving"
    if "range" in (x.hedge, y.hedge):
        return _rough_verdict(x, y)
    va, vb = float(x.value), float(y.value)
    if math.isclose(va, vb, rel_tol=0.01, abs_tol=1e-9):
        # only strict hedges on either side of one number get here (see _agree)
        under, over = (x, y) if str(x.hedge_word).lower() in _strict_sides()[0] else (y, x)
        return CONFLICT, (
            f"“{under.hedge_word}” puts it below {_num(va)} and “{over.hedge_word}” above it"
        )
    small, big = sorted((abs(va), abs(vb)))
    ratio = big / small if small else math.inf
    hedges = [c.hedge_word for c in (x, y) if c.hedge_word]
    exact_small = not hedges and big < 20 and x.kind == "count"
    if ratio >= _CONFLICT_RATIO or exact_small:
        if ratio == math.inf or ratio >= 1.95:
            size = "the larger is more than twice the smaller"
        elif exact_small:
            size = f"{_num(va)} and {_num(vb)} are different numbers"
        else:
            size = f"the larger is {ratio:.1f} times the smaller"
        allow = f", far more than “{hedges[0]}” allows" if hedges else ""
        return CONFLICT, size + allow
    gap = f"they are {100 * (big - small) / big:.0f}% apart"
    allow = f", more than “{hedges[0]}” allows" if hedges else ", more than rounding explains"
    return DISCREPANCY, gap + allow


def _rough_verdict(x: Claim, y: Claim) -> tuple[str, str]:
    """Why a rough number ("hundreds") and another figure cannot both be right."""
    rough, other = (x, y) if x.hedge == "range" else (y, x)
    least, most = _span(rough)
    word = f"“{rough.hedge_word}”"
    if other.hedge == "range":
        return CONFLICT, f"{word} and “{other.hedge_word}” are different sizes of number"
    v = float(other.value)
    said = f"“{other.hedge_word} {_num(v)}”" if other.hedge_word else _num(v)
    if v >= most:
        why = f"{word} means fewer than {_num(most)}, and {said} is more than that"
    else:
        why = f"{word} means at least {_num(least)}, and {said} is less than that"
    far = v >= _CONFLICT_RATIO * most or v * _CONFLICT_RATIO <= least
    return (CONFLICT if far else DISCREPANCY), why


def _num(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")


def _fact(a: _Statement, shared: list[str]) -> str:
    """The fact both claims are about, as a person would name it: "the day (council, vote)"."""
    return "the " + _label(a, shared)


def _same(a: _Statement, shared: list[str]) -> str:
    """Why the two claims are taken to be one fact, in words: what their sentences share."""
    rules = _reasons()
    words = [f"“{a.surface.get(w, w)}”" for w in shared if w != _LEAD][:4]
    if len(words) > 1:
        words = [", ".join(words[:-1]) + " and " + words[-1]]
    one = len(shared) - (_LEAD in shared) == 1 and "finding-same-one" in rules
    parts = (
        [rules["finding-same-one" if one else "finding-same"].explain(words[0])] if words else []
    )
    if _LEAD in shared[:4] and "finding-same-lead" in rules:
        parts.append(rules["finding-same-lead"].reason)
    return "; ".join(parts)


def _kind_of(c: Claim) -> tuple[str, str]:
    return ("amount", c.kind) if c.kind in _NUMBER_KINDS else (c.kind, c.unit or "")


_REASONS: list[dict[str, Any]] = []


def _reasons() -> dict[str, Any]:
    if not _REASONS:
        _REASONS.append({e.id: e for e in load_lexicon("figures").entries if e.kind == "reason"})
    return _REASONS[0]


def _finding(
    a: _Statement, b: _Statement, ids: tuple[str, str], verdict: str, why: str, shared: list[str]
) -> Contradiction:
    template = {CONFLICT: "finding-conflict", DISCREPANCY: "finding-discrepancy"}.get(
        verdict, "finding-change"
    )
    fact = _fact(a, shared)
    reason = (
        _reasons()[template]
        .reason.replace("{a}", ids[0])
        .replace("{b}", ids[1])
        .replace("{a_claim}", a.said)
        .replace("{b_claim}", b.said)
        .replace("{fact}", fact)
        .replace("{same}", _same(a, shared))
        .replace("{why}", why)
    )
    kind, unit = _kind_of(a.claim)
    return Contradiction(
        a=Evidence(ids[0], a.claim.start, a.claim.end),
        b=Evidence(ids[1], b.claim.start, b.claim.end),
        fact=fact,
        kind=kind,
        reason=reason,
        verdict=verdict,
        unit=unit,
        shared=tuple(a.surface.get(w, w) for w in shared if w != _LEAD)[:4],
    )


# --------------------------------------------------------------------------- public


def find_contradictions(
    articles: ArticleSet | Sequence[Article], *, include_changes: bool = False
) -> list[Contradiction]:
    """Places where two articles disagree on the same fact, with a reason a learner can follow.

    Claims are paired across articles by the words around them (see the module notes), then
    their values compared. ``include_changes=True`` also returns running counts reported at
    two moments (verdict ``"changed over time"``), which are not contradictions.

    >>> from kit.articles import load_articles
    >>> from kit._data import data_dir
    >>> c = find_contradictions(load_articles(data_dir() / "articles" / "carney-beijing-2026"))
    >>> [(x.a.article_id, x.b.article_id, x.kind) for x in c if x.kind == "rank"]
    [('B', 'E', 'rank')]
    """
    arts = list(articles)
    order = {a.id: i for i, a in enumerate(arts)}
    statements = _statements(arts)
    out: dict[tuple[str, str, int, int], Contradiction] = {}
    for i, j, _score, shared in _links(statements):
        verdict = _verdict(statements[i], statements[j])
        if verdict is None or (verdict[0] == CHANGED and not include_changes):
            continue
        for s, t in ((statements[i], statements[j]), (statements[j], statements[i])):
            for home in s.article_ids:
                there = next((x for x in t.article_ids if x != home), None)
                if there is None:
                    continue
                first, second = sorted(((home, s), (there, t)), key=lambda p: order[p[0]])
                mark = (first[0], second[0], first[1].claim.start, second[1].claim.start)
                if mark not in out:
                    out[mark] = _finding(
                        first[1], second[1], (first[0], second[0]), *verdict, shared
                    )
    found = list(out.values()) + _meeting_contradictions(arts, order)
    return sorted(
        found,
        key=lambda c: (order[c.a.article_id], order[c.b.article_id], c.a.start, c.b.start),
    )


# --------------------------------------------------------------------------- meetings


@dataclass(frozen=True, slots=True)
class _Meeting:
    who: str  # the last name: what ties two articles' meetings together
    fact: str
    denied: bool
    evidence: Evidence
    said: str


_MEETING_RULES: list[tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], str]] = []


def _words_alt(terms: Iterable[str]) -> str:
    parts = {r"[^\S\n]+".join(map(re.escape, t.split())) for t in terms}
    return "|".join(sorted(parts, key=len, reverse=True))


def _meeting_rules() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], str]:
    """(cue, meeting, negation, fact template), built once from figures.toml."""
    if not _MEETING_RULES:
        lex = load_lexicon("figures")
        meetings = [e for e in lex.entries if e.kind == "meeting"]
        links = sorted({w for e in meetings for w in e.extra.get("x_with", [])})
        negations = [t for e in lex.entries if e.kind == "negation" for t in e.terms]
        meeting = re.compile(
            rf"\b(?i:{_words_alt(t for e in meetings for t in e.terms)})\b"
            rf"(?:[^\S\n]+(?:{_words_alt(links)}))?"
            # a few words before the name: "with senior Chinese leaders, including"
            rf"(?:[^\S\n]+[\w-]+,?){{0,5}}?[^\S\n]+(?P<who>{_PERSON})"
        )
        cue = re.compile(
            rf"\b(?:{_trie({t.split()[0].lower() for e in meetings for t in e.terms})})\b"
        )
        negation = re.compile(rf"(?i:{_words_alt(negations)})(?!\w)")
        reason = meetings[0].reason if meetings else "whether {noun} happened"
        _MEETING_RULES.append((cue, meeting, negation, reason))
    return _MEETING_RULES[0]


def _entity_name(name: str) -> str | None:
    """Drop a capitalised sentence opener ("With China" -> "China")."""
    words = _norm(name).rstrip(".,").split(" ")
    while words and words[0].lower() in _STOP:
        words.pop(0)
    return " ".join(words) or None


_AUX_BEFORE = re.compile(
    r"\b(?i:did|does|do|will|would|could|has|have|had|was|were|is|are)[^\S\n]+$"
)


def _meetings(article: Article) -> list[_Meeting]:
    """'met (with) <Name>' and its denials ('did not meet <Name>'): who met whom."""
    sentences = article.body_sentences
    if not sentences:
        return []
    cue_re, meeting, negation, template = _meeting_rules()
    text = article.text
    starts = [s.start for s in sentences]
    lowered = text.lower()
    out = []
    for cue in cue_re.finditer(lowered if len(lowered) == len(text) else text):
        i = bisect.bisect_right(starts, cue.start()) - 1
        if i < 0 or cue.start() >= sentences[i].end:
            continue
        sent = sentences[i]
        m = meeting.match(text, cue.start(), sent.end)
        name = _entity_name(m.group("who")) if m else None
        if m is None or not name:
            continue
        denied = negation.search(text, max(sent.start, m.start() - 25), m.start())
        start = m.start()
        if denied is not None:
            aux = _AUX_BEFORE.search(text, max(sent.start, denied.start() - 12), denied.start())
            start = aux.start() if aux else denied.start()
        out.append(
            _Meeting(
                who=name.split()[-1].lower(),
                fact=template.replace("{noun}", f"a meeting with {name}"),
                denied=denied is not None,
                evidence=Evidence(article.id, m.start("who"), m.end("who")),
                said=f"“{_norm(text[start : m.end()])}”",
            )
        )
    return out


def _meeting_contradictions(arts: list[Article], order: dict[str, int]) -> list[Contradiction]:
    """One article says a meeting happened, another that it did not."""
    groups: dict[str, dict[bool, list[_Meeting]]] = defaultdict(lambda: defaultdict(list))
    for article in arts:
        for m in _meetings(article):
            side = groups[m.who][m.denied]
            if not side or side[-1].evidence.article_id != article.id:
                side.append(m)
    out = []
    template = _reasons()["contradiction"].reason
    for sides in groups.values():
        if len(sides) < 2:
            continue
        met, denied = sides[False], sides[True]
        for claim in met + denied:
            others = denied if claim in met else met
            other = next(
                (o for o in others if o.evidence.article_id != claim.evidence.article_id), None
            )
            if other is None:
                continue
            a, b = sorted((claim, other), key=lambda m: order[m.evidence.article_id])
            reason = (
                template.replace("{a}", a.evidence.article_id)
                .replace("{b}", b.evidence.article_id)
                .replace("{a_claim}", a.said)
                .replace("{b_claim}", b.said)
                .replace("{fact}", a.fact)
            )
            out.append(Contradiction(a.evidence, b.evidence, a.fact, "meeting", reason))
    return sorted(set(out), key=lambda c: (order[c.a.article_id], order[c.b.article_id]))


# --------------------------------------------------------------------------- coverage


class CoverageMatrix(list):
    """Rows of ``{"fact": ..., "kind": ..., <article id>: what it says or None, "agree": ...}``.

    A plain list of dicts (rows = facts, one column per article), plus helpers. ``fact`` and
    ``kind`` are written as a person would write them ("number of cooling centres",
    "ranking"); a cell holds the article's own words ("$142 billion"); ``agree`` is ``"Yes"``
    when every article that gives the fact can be right at once, ``"No"`` when two of them
    disagree (see ``find_contradictions`` for why).
    """

    def __init__(self, rows: Iterable[dict[str, Any]], ids: Sequence[str]) -> None:
        super().__init__(rows)
        self.ids = tuple(ids)

    def omissions(self) -> dict[str, list[str]]:
        """Article id -> the facts other articles give and this one leaves out."""
        return {i: [row["fact"] for row in self if row.get(i) is None] for i in self.ids}

    def to_frame(self, missing: str | None = None):
        """The matrix as a pandas DataFrame indexed by fact (pandas imported here).

        ``missing`` fills the cells of articles that leave a fact out (for example "—").
        """
        import pandas as pd

        frame = pd.DataFrame(list(self), columns=["fact", "kind", *self.ids, "agree"])
        frame = frame.set_index("fact")
        return frame.fillna(missing) if missing is not None else frame


_KIND_NAME = {
    "money": "money",
    "count": "number",
    "percent": "percentage",
    "quantity": "measurement",
    "duration": "how long",
    "day": "day",
    "rank": "ranking",
    "tally": "vote count",
    "time": "time of day",
    "since": "first since",
    "meeting": "meeting",
}


def _label(st: _Statement, shared: list[str], n_words: int = 3) -> str:
    """What a row is about, as a person would write it: "number of hospitals (Corvanta)"."""
    c = st.claim
    subject = _norm(str(c.subject)) if c.subject and c.kind in ("count", "rank") else ""
    if subject.lower() in _STOP or len(subject) < 3:
        subject = ""  # "twelve more": the thing counted is in another sentence
    head = {
        "money": "amount of money",
        "count": f"number of {subject}" if subject else "number",
        "percent": "percentage",
        "quantity": f"measurement in {c.unit}" if c.unit else "measurement",
        "duration": "length of time",
        "day": "day",
        "rank": f"rank as {subject}" if subject else "ranking",
        "tally": "vote count",
        "time": "time of day",
        "since": "year it is the first since",
    }[c.kind]
    if c.kind == "rank" and c.unit == "ordinal":
        head = "first or last of its kind"
    taken = {stem(w) for w in re.findall(r"[A-Za-z][\w’'-]*", head)}
    words: list[str] = []
    for w in shared:
        word = st.surface.get(w, w)
        if w == _LEAD or w in taken or stem(word) in taken:
            continue
        words.append(word.title() if word.isupper() else word)
        taken.add(w)
        if len(words) == n_words:
            break
    return f"{head} ({', '.join(words)})" if words else head


def coverage_matrix(
    articles: ArticleSet | Sequence[Article], *, min_articles: int = 2
) -> CoverageMatrix:
    """Which facts each article gives, and which it leaves out.

    A row is one fact that at least ``min_articles`` articles state (claims paired the way
    ``find_contradictions`` pairs them) or a meeting one article reports and another denies;
    a cell holds the article's own words for it, ``None`` where it says nothing. The same
    fact never takes two rows.

    >>> from kit.articles import load_articles
    >>> from kit._data import data_dir
    >>> m = coverage_matrix(load_articles(data_dir() / "articles" / "carney-beijing-2026"))
    >>> row = next(r for r in m if r.get("C") == "Wednesday")
    >>> row["kind"], row["D"], row["E"], row["agree"]
    ('day', 'Tuesday', 'January 14, 2026', 'No')
    """
    arts = list(articles)
    ids = [a.id for a in arts]
    texts = {a.id: a.text for a in arts}
    statements = _statements(arts)
    parent = list(range(len(statements)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    shared_of: dict[int, list[str]] = {}
    for i, j, _score, shared in _links(statements):
        ri, rj = root(i), root(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
        shared_of.setdefault(i, shared)
        shared_of.setdefault(j, shared)
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(statements)):
        clusters[root(i)].append(i)
    rows: list[dict[str, Any]] = []
    for first, members in sorted(clusters.items()):
        if len({aid for m in members for aid in statements[m].article_ids}) < max(2, min_articles):
            continue
        st = statements[first]
        cells: dict[str, str] = {}
        for m in members:
            c = statements[m].claim
            for aid in statements[m].article_ids:
                cells.setdefault(aid, _norm(texts[aid][c.start : c.end]))
        claims = [statements[m].claim for m in members]
        agree = all(_agree(x, y) for k, x in enumerate(claims) for y in claims[k + 1 :])
        rows.append(
            {
                "fact": _label(st, shared_of.get(first, [])),
                "_longer": _label(st, shared_of.get(first, []), 6),
                "kind": _KIND_NAME[st.claim.kind],
                **cells,
                "agree": "Yes" if agree else "No",
            }
        )
    order = {a: i for i, a in enumerate(ids)}
    for c in _meeting_contradictions(arts, order):
        cells = {ev.article_id: _norm(texts[ev.article_id][ev.start : ev.end]) for ev in (c.a, c.b)}
        rows.append({"fact": c.fact, "kind": "meeting", **cells, "agree": "No"})
    return CoverageMatrix(_distinct(rows, ids), ids)


def _distinct(rows: list[dict[str, Any]], ids: Sequence[str]) -> list[dict[str, Any]]:
    """One row per fact: a row whose cells another row already shows is left out, and two
    facts that would take the same label get more of their words."""
    out: list[dict[str, Any]] = []
    seen_cells: set[tuple[Any, ...]] = set()
    labels: dict[str, int] = defaultdict(int)
    for row in rows:
        cells = tuple(row.get(i) for i in ids)
        if cells in seen_cells:
            continue
        seen_cells.add(cells)
        labels[row["fact"]] += 1
        out.append(row)
    for row in out:
        if labels[row["fact"]] > 1:
            row["fact"] = row.get("_longer", row["fact"])
    return [
        {"fact": r["fact"], "kind": r["kind"], **{i: r.get(i) for i in ids}, "agree": r["agree"]}
        for r in out
    ]


# --------------------------------------------------------------------------- reuse

_TOKEN = re.compile(r"\w+(?:[’'.-]\w+)*")
_SHINGLE = 8  # words per shingle: long enough that shared ones are rarely chance
_MAX_POSTINGS = 20  # a shingle in more articles than this is stock phrasing, not reuse


def find_reuse(
    articles: ArticleSet | Sequence[Article], *, min_chars: int = 80, min_similarity: float = 80.0
) -> list[Reuse]:
    """Passages that two articles share verbatim or nearly (text reuse, e.g. a wire story).

    Each body is cut into overlapping 8-word shingles kept in one dictionary, so only
    articles that share a shingle are ever compared; runs of shared shingles are merged into
    passages, and rapidfuzz scores how close the two passages are.

    >>> from kit.articles import load_articles
    >>> find_reuse(load_articles())
    []
    """
    from rapidfuzz import fuzz

    index: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    tokens: list[list[tuple[int, int]]] = []
    arts = list(articles)
    out: list[Reuse] = []
    for j, article in enumerate(arts):
        text = article.text
        spans: list[tuple[int, int]] = []
        words: list[str] = []
        for sent in article.body_sentences:
            for m in _TOKEN.finditer(text, sent.start, sent.end):
                spans.append((m.start(), m.end()))
                words.append(m.group().lower().replace("’", "'"))
        tokens.append(spans)
        hits: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for k in range(len(words) - _SHINGLE + 1):
            shingle = tuple(words[k : k + _SHINGLE])
            posting = index.get(shingle)
            if posting is None:
                index[shingle] = [(j, k)]
                continue
            for i, pos in posting:
                if i != j:
                    hits[i].append((pos, k))
            if len(posting) < _MAX_POSTINGS:
                posting.append((j, k))
        for i, pairs in hits.items():
            out.extend(
                _passages(
                    arts[i], arts[j], tokens[i], spans, pairs, min_chars, min_similarity, fuzz
                )
            )
    out.sort(key=lambda r: (r.a.article_id, r.a.start, r.b.article_id, r.b.start))
    return out


def _passages(
    a: Article,
    b: Article,
    a_spans: list[tuple[int, int]],
    b_spans: list[tuple[int, int]],
    pairs: list[tuple[int, int]],
    min_chars: int,
    min_similarity: float,
    fuzz: Any,
) -> list[Reuse]:
    """Merge shared shingles into passages; a gap of a few words keeps one passage going."""
    pairs = sorted(set(pairs), key=lambda p: (p[1], p[0]))
    runs: list[list[int]] = []  # [a_first, a_last, b_first, b_last] in word positions
    for pa, pb in pairs:
        if runs:
            run = runs[-1]
            if 0 <= pb - run[3] <= _SHINGLE and 0 <= pa - run[1] <= _SHINGLE + 3:
                run[1], run[3] = max(run[1], pa), pb
                continue
        runs.append([pa, pa, pb, pb])
    out = []
    for a0, a1, b0, b1 in runs:
        a_start, a_end = a_spans[a0][0], a_spans[min(a1 + _SHINGLE - 1, len(a_spans) - 1)][1]
        b_start, b_end = b_spans[b0][0], b_spans[min(b1 + _SHINGLE - 1, len(b_spans) - 1)][1]
        if min(a_end - a_start, b_end - b_start) < min_chars:
            continue
        a_text, b_text = a.text[a_start:a_end], b.text[b_start:b_end]
        score = float(fuzz.ratio(_norm(a_text).lower(), _norm(b_text).lower()))
        if score < min_similarity:
            continue
        out.append(
            Reuse(
                a=Evidence(a.id, a_start, a_end),
                b=Evidence(b.id, b_start, b_end),
                similarity=round(score, 1),
                text=_norm(b_text),
            )
        )
    return out
