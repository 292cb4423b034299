"""Compare articles on one story: where they contradict each other, what each one leaves out,
and which passages they share.

Every comparison is linear in the number of articles: claims are grouped by the fact they are
about (a dictionary key built from the words around each figure), and only claims inside one
group are compared. The words that tie a figure to a fact (event verbs, event nouns, the
things amounts measure) live in ``data/lexicons/figures.toml``.

>>> from kit.articles import load_articles
>>> found = find_contradictions(load_articles())
>>> sorted({(c.a.article_id, c.b.article_id) for c in found if "visit began" in c.fact})
[('C', 'D'), ('D', 'E')]
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kit.articles import Article, ArticleSet
from kit.figures import _STOP, Figure, _clause_bounds, _rules, _trie, find_figures
from kit.lexicons import LexiconEntry, load_lexicon

__all__ = [
    "Contradiction",
    "CoverageMatrix",
    "Evidence",
    "Reuse",
    "coverage_matrix",
    "find_contradictions",
    "find_reuse",
]

# A run of capitalised words: a name ("President Xi Jinping", "Bank of Canada").
_CAP_NAME = r"(?:[A-Z][\w.’'-]*(?:[^\S\n]+(?:of[^\S\n]+)?[A-Z][\w.’'-]*)*)"
# Two or more capitalised words: how a person is named ("President Xi Jinping").
_PERSON = r"(?:[A-Z][\w.’'-]*(?:[^\S\n]+[A-Z][\w.’'-]*)+)"
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where an article says something: ``articles[article_id].text[start:end]``."""

    article_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Contradiction:
    """Two articles that disagree about the same fact.

    ``kind`` is ``"day"`` (weekday or date of one event), ``"rank"`` (two rankings of the
    same thing), ``"amount"`` (two amounts of the same thing) or ``"meeting"`` (one article
    says a meeting happened, another that it did not).
    """

    a: Evidence
    b: Evidence
    fact: str
    kind: str
    reason: str


@dataclass(frozen=True, slots=True)
class Reuse:
    """A passage two articles share word for word, or nearly (``similarity`` 0-100)."""

    a: Evidence
    b: Evidence
    similarity: float
    text: str


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True, slots=True)
class _CompareRules:
    event: re.Pattern[str]
    event_entry: dict[str, LexiconEntry]  # lower-cased term -> entry
    noun: re.Pattern[str]
    noun_same: dict[str, str]
    measure: re.Pattern[str]
    measure_same: dict[str, str]
    meeting: re.Pattern[str]
    meeting_cue: re.Pattern[str]  # cheap first pass, on lower-cased text
    meeting_reason: str
    negation: re.Pattern[str]
    reasons: dict[str, LexiconEntry]


_RULES: dict[int, _CompareRules] = {}


def _compare_rules() -> _CompareRules:
    """Built once per version of figures.toml (the figures detector tracks the file)."""
    key = id(_rules())
    rules = _RULES.get(key)
    if rules is None:
        rules = _build_rules()
        _RULES.clear()
        _RULES[key] = rules
    return rules


def _words_alt(terms: Iterable[str]) -> str:
    parts = {r"[^\S\n]+".join(map(re.escape, t.split())) for t in terms}
    return "|".join(sorted(parts, key=len, reverse=True))


def _build_rules() -> _CompareRules:
    lex = load_lexicon("figures")
    events = [e for e in lex.entries if e.kind == "event"]
    event_entry = {t.lower(): e for e in events for t in e.terms}
    nouns = [e for e in lex.entries if e.kind == "event-noun"]
    measures = [e for e in lex.entries if e.kind == "measure"]
    noun_same: dict[str, str] = {}
    for e in nouns:
        noun_same.update({k.lower(): v for k, v in dict(e.extra.get("x_same", {})).items()})
    measure_same: dict[str, str] = {}
    for e in measures:
        measure_same.update({k.lower(): v for k, v in dict(e.extra.get("x_same", {})).items()})
    meetings = [e for e in lex.entries if e.kind == "meeting"]
    links = sorted({w for e in meetings for w in e.extra.get("x_with", [])})
    negations = [t for e in lex.entries if e.kind == "negation" for t in e.terms]
    meeting = re.compile(
        rf"\b(?i:{_words_alt(t for e in meetings for t in e.terms)})\b"
        rf"(?:[^\S\n]+(?:{_words_alt(links)}))?"
        # a few words before the name: "with senior Chinese leaders, including"
        rf"(?:[^\S\n]+[\w-]+,?){{0,5}}?[^\S\n]+(?P<who>{_PERSON})"
    )
    return _CompareRules(
        meeting=meeting,
        meeting_cue=re.compile(
            rf"\b(?:{_trie({t.split()[0].lower() for e in meetings for t in e.terms})})\b"
        ),
        meeting_reason=meetings[0].reason if meetings else "whether {noun} happened",
        negation=re.compile(rf"(?i:{_words_alt(negations)})(?!\w)"),
        event=re.compile(rf"\b(?i:{_words_alt(event_entry)})\b"),
        event_entry=event_entry,
        noun=re.compile(rf"\b(?i:{_words_alt(t for e in nouns for t in e.terms)})\b"),
        noun_same=noun_same,
        measure=re.compile(rf"\b(?i:{_words_alt(t for e in measures for t in e.terms)})\b"),
        measure_same=measure_same,
        reasons={e.id: e for e in lex.entries if e.kind == "reason"},
    )


# --------------------------------------------------------------------------- claims


@dataclass(frozen=True, slots=True)
class _Claim:
    key: tuple[Any, ...]  # what the claim is about; claims with equal keys are compared
    kind: str  # day | rank | amount
    fact: str  # the fact in words
    bucket: Any  # claims in one bucket agree; claims in different buckets disagree
    evidence: Evidence
    said: str  # what the article says, in its own words
    owner: str | None = None  # for rankings: whose ranking ("Canada"), when the text says
    value: float = 0.0  # for amounts: the number compared


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def _article_year(article: Article, figs: Sequence[Figure]) -> int | None:
    """The year a date without one most likely belongs to: the article's own dates first."""
    for field in (article.event_date, article.published):
        m = re.search(r"\b(?:19|20)\d\d\b", field or "")
        if m:
            return int(m.group())
    for f in figs:
        if f.kind == "date" and isinstance(f.value, str) and f.value[:4].isdigit():
            return int(f.value[:4])
    return None


def _weekday_of(value: str, year: int | None) -> int | None:
    m = re.fullmatch(r"(\d{4}|-)-(\d\d)-(\d\d)", value)
    if not m:
        return None
    y = int(m.group(1)) if m.group(1) != "-" else year
    if y is None:
        return None
    try:
        return _dt.date(y, int(m.group(2)), int(m.group(3))).weekday()
    except ValueError:
        return None


_PREP_BEFORE = re.compile(
    r"\b(?i:on|in|since|from|until|by|starting|beginning|from|as[^\S\n]+of)[^\S\n]+$"
)


def _snippet(text: str, fig: tuple[int, int], ev: tuple[int, int], noun_end: int | None) -> str:
    """The article's own words for a dated event: 'on Tuesday … began a four day visit'."""
    prep = _PREP_BEFORE.search(text, max(0, fig[0] - 15), fig[0])
    fig = (prep.start() if prep else fig[0], fig[1])
    if noun_end is not None and ev[0] < noun_end <= ev[1] + 40:
        ev = (ev[0], noun_end)
    lo, hi = min(fig[0], ev[0]), max(fig[1], ev[1])
    if hi - lo <= 70:
        return f"“{_norm(text[lo:hi])}”"
    first, second = sorted((fig, ev))
    return f"“{_norm(text[first[0] : first[1]])} … {_norm(text[second[0] : second[1]])}”"


def _day_claims(
    article: Article, figs: Sequence[Figure], rules: _CompareRules, text: str
) -> list[_Claim]:
    dated = [f for f in figs if f.kind == "weekday" or (f.kind == "date" and _has_day(f))]
    if not dated:
        return []
    year = _article_year(article, figs)
    by_sentence: dict[tuple[int, int], list[Figure]] = defaultdict(list)
    for f in dated:
        sent = article.sentence_at(f.start)
        if sent is not None:
            by_sentence[(sent.start, sent.end)].append(f)
    # (figure start, fact key) -> (distance, claim): the nearest event word speaks for a date
    best: dict[tuple[int, tuple[Any, ...]], tuple[int, _Claim]] = {}
    for (s_start, s_end), group in by_sentence.items():
        for ev in rules.event.finditer(text, s_start, s_end):
            # Each event word belongs to the date nearest to it in its sentence.
            fig = min(group, key=lambda f: min(abs(f.start - ev.end()), abs(ev.start() - f.end)))
            distance = min(abs(fig.start - ev.end()), abs(ev.start() - fig.end))
            entry = rules.event_entry[_norm(ev.group()).lower()]
            # Arriving is always the start of a visit; "began" needs its noun ("the strike").
            fixed = bool(entry.extra.get("x_fixed_noun", False))
            found = None if fixed else _nearest_noun(text, s_start, s_end, ev.start(), rules)
            noun = found[0] if found else str(entry.extra.get("x_noun", "the event"))
            key = ("day", entry.extra.get("x_fact", entry.id), noun.lower())
            if (fig.start, key) in best and best[(fig.start, key)][0] <= distance:
                continue
            if fig.kind == "weekday":
                wd = _WEEKDAYS.index(str(fig.value))
                bucket: Any = ("wd", wd)
                said_day = ""
            else:
                wd = _weekday_of(str(fig.value), year)
                bucket = ("wd", wd) if wd is not None else ("md", str(fig.value)[-5:])
                said_day = f" (a {_WEEKDAYS[wd]})" if wd is not None else ""
            said = _snippet(
                text, (fig.start, fig.end), (ev.start(), ev.end()), found[1] if found else None
            )
            best[(fig.start, key)] = (
                distance,
                _Claim(
                    key=key,
                    kind="day",
                    fact=entry.reason.replace("{noun}", noun),
                    bucket=bucket,
                    evidence=Evidence(article.id, fig.start, fig.end),
                    said=said + said_day,
                ),
            )
    return [claim for _, claim in sorted(best.values(), key=lambda dc: dc[1].evidence.start)]


def _has_day(f: Figure) -> bool:
    return isinstance(f.value, str) and re.fullmatch(r"(?:\d{4}|-)-\d\d-\d\d", f.value) is not None


def _nearest_noun(
    text: str, lo: int, hi: int, pos: int, rules: _CompareRules
) -> tuple[str, int] | None:
    """("the visit", where the noun ends) for the event noun nearest ``pos``, if close."""
    best: tuple[int, str, int] | None = None
    for m in rules.noun.finditer(text, lo, hi):
        distance = abs(m.start() - pos)
        if best is None or distance < best[0]:
            best = (distance, m.group().lower(), m.end())
    if best is None or best[0] > 80:
        return None
    word = rules.noun_same.get(best[1], best[1])
    return f"the {word}", best[2]


_ENTITY_AFTER = re.compile(rf"[^\S\n]*,[^\S\n]*(?:the[^\S\n]+)?(?P<e>{_CAP_NAME})")
_ENTITY_BEFORE = re.compile(
    rf"(?:^|[^\w’'])(?:the[^\S\n]+)?(?P<e>{_CAP_NAME})(?:,[^\S\n]+which)?[^\S\n]+"
    r"(?:remains|remained|remaining|is|was|became|has[^\S\n]+become|stays|as|being|ranks"
    r"|ranked|overtook|surpassed)[^\S\n]+"
    rf"(?:(?:the|its|their|his|her)[^\S\n]+|(?P<o>{_CAP_NAME})(?:'|’)s[^\S\n]+)?$"
)
_OWNER_BEFORE = re.compile(rf"(?P<o>{_CAP_NAME})(?:'|’)s[^\S\n]+$")


def _entity_name(name: str) -> str | None:
    """Drop a capitalised sentence opener ("With China" -> "China")."""
    words = _norm(name).rstrip(".,").split(" ")
    while words and words[0].lower() in _STOP:
        words.pop(0)
    return " ".join(words) or None


def _entity_key(name: str, sides: dict[str, tuple[str, ...]]) -> str:
    """One spelling per entity: the article set's sides map "U.S." and "America" together."""
    clean = _entity_name(name) or name
    for side, terms in sides.items():
        if clean == side or clean in terms:
            return side.lower()
    return clean.lower()


def _rank_claims(
    article: Article, figs: Sequence[Figure], text: str, sides: dict[str, tuple[str, ...]]
) -> list[_Claim]:
    claims = []
    for f in figs:
        if f.kind != "rank" or f.unit is None or not f.subject or f.qualifier == "top":
            continue
        after = _ENTITY_AFTER.match(text, f.end)
        before = _ENTITY_BEFORE.search(text, max(0, f.start - 120), f.start)
        entity = after.group("e") if after else before.group("e") if before else None
        entity = _entity_name(entity) if entity else None
        if entity is None:
            continue  # a ranking of nobody in particular cannot be compared
        owner_m = _OWNER_BEFORE.search(text, max(0, f.start - 60), f.start)
        owner = _entity_name(owner_m.group("o")) if owner_m else None
        subject = f.subject.lower()
        subject = subject[:-3] + "y" if subject.endswith("ies") else subject.rstrip("s")
        claims.append(
            _Claim(
                key=("rank", subject, f.unit, _entity_key(entity, sides)),
                kind="rank",
                fact=f"the rank of {entity} as {subject}",
                bucket=int(f.value) if isinstance(f.value, int) else f.value,
                evidence=Evidence(article.id, f.start, f.end),
                said=f"“{_norm(text[f.start : f.end])}”",
                owner=_entity_key(owner, sides) if owner else None,
            )
        )
    return claims


_OBJECT_AFTER = re.compile(r"[^\S\n]+(?:on|of|for)[^\S\n]+(?P<o>[\w’'-]+(?:[^\S\n]+[\w’'-]+){0,3})")


def _head_noun(phrase: str) -> str:
    """The last word before a function word: "Chinese-made electric vehicles and" -> vehicles."""
    words = []
    for word in phrase.split():
        if word.lower() in _STOP:
            break
        words.append(word.lower())
    return words[-1] if words else phrase.split()[0].lower()


def _amount_claims(
    article: Article, figs: Sequence[Figure], text: str, rules: _CompareRules
) -> list[_Claim]:
    claims = []
    years = [f for f in figs if f.kind == "year"]
    for f in figs:
        if f.kind not in ("money", "percent", "quantity") or not isinstance(f.value, int | float):
            continue
        sent = article.sentence_at(f.start)
        if sent is None:
            continue
        lo, hi = max(sent.start, f.start - 60), min(sent.end, f.end + 40)
        near = [
            m
            for m in rules.measure.finditer(text, lo, hi)
            if m.end() <= f.start or m.start() >= f.end
        ]
        if not near:
            continue
        m = min(near, key=lambda m: min(abs(m.end() - f.start), abs(m.start() - f.end)))
        measure = rules.measure_same.get(m.group().lower(), m.group().lower())
        obj = _OBJECT_AFTER.match(text, max(m.end(), f.end) if m.start() > f.start else f.end)
        c_lo, c_hi = _clause_bounds(text, sent.start, sent.end, f.start)
        in_clause = [y for y in years if c_lo <= y.start < c_hi]
        year = min(in_clause, key=lambda y: abs(y.start - f.start)).value if in_clause else None
        unit = f.unit or ("?" if f.kind == "money" else f.kind)
        what = measure + (
            f" on {_head_noun(obj.group('o'))}" if obj and measure == "tariff" else ""
        )
        what += f" in {year}" if year else ""
        claims.append(
            _Claim(
                key=("amount", f.kind, unit, what),
                kind="amount",
                fact=what,
                bucket=float(f"{float(f.value):.2g}"),
                evidence=Evidence(article.id, f.start, f.end),
                said=f"“{_norm(text[f.start : f.end])}”",
                value=float(f.value),
            )
        )
    return claims


_AUX_BEFORE = re.compile(
    r"\b(?i:did|does|do|will|would|could|has|have|had|was|were|is|are)[^\S\n]+$"
)


def _meeting_claims(article: Article, text: str, rules: _CompareRules) -> list[_Claim]:
    """'met (with) <Name>' and its denials ('did not meet <Name>'): who met whom."""
    sentences = article.body_sentences
    if not sentences:
        return []
    starts = [s.start for s in sentences]
    lowered = text.lower()
    cues = rules.meeting_cue.finditer(lowered if len(lowered) == len(text) else text)
    claims = []
    for cue in cues:
        i = bisect.bisect_right(starts, cue.start()) - 1
        if i < 0 or cue.start() >= sentences[i].end:
            continue
        sent = sentences[i]
        m = rules.meeting.match(text, cue.start(), sent.end)
        if m is None:
            continue
        name = _entity_name(m.group("who"))
        if not name:
            continue
        denied = rules.negation.search(text, max(sent.start, m.start() - 25), m.start())
        start = m.start()
        if denied is not None:
            aux = _AUX_BEFORE.search(text, max(sent.start, denied.start() - 12), denied.start())
            start = aux.start() if aux else denied.start()
        claims.append(
            _Claim(
                key=("meeting", name.split()[-1].lower()),
                kind="meeting",
                fact=rules.meeting_reason.replace("{noun}", f"a meeting with {name}"),
                bucket=denied is not None,
                evidence=Evidence(article.id, m.start("who"), m.end("who")),
                said=f"“{_norm(text[start : m.end()])}”",
            )
        )
    return claims


def _claims(
    article: Article, rules: _CompareRules, sides: dict[str, tuple[str, ...]]
) -> list[_Claim]:
    figs = find_figures(article)
    text = article.text
    return (
        _day_claims(article, figs, rules, text)
        + _rank_claims(article, figs, text, sides)
        + _amount_claims(article, figs, text, rules)
        + _meeting_claims(article, text, rules)
    )


# --------------------------------------------------------------------------- contradictions


def _sides(articles: Iterable[Article]) -> dict[str, tuple[str, ...]]:
    return dict(getattr(articles, "sides", {}) or {})


def _agree(a: _Claim, b: _Claim) -> bool:
    """Claims in different buckets that still do not contradict each other."""
    if a.kind == "rank" and a.owner and b.owner and a.owner != b.owner:
        return True  # "Canada's largest" and "Mexico's second-largest" are different facts
    if a.kind == "amount":
        top = max(abs(a.value), abs(b.value)) or 1.0
        return abs(a.value - b.value) / top <= 0.1  # rounding and "nearly" stay within 10%
    return False


def find_contradictions(articles: ArticleSet | Sequence[Article]) -> list[Contradiction]:
    """Places where two articles disagree on the same fact, with a reason a learner can follow.

    Claims are tied to a fact by the words around each figure: a weekday or date to the event
    next to it ("arrived", "began ... visit"), a ranking to what is ranked and who is ranked,
    an amount to what it measures. Each article is compared with one representative of every
    other answer to the same fact, so the work grows with the number of articles, not its
    square.

    >>> from kit.articles import load_articles
    >>> c = find_contradictions(load_articles())
    >>> [(x.a.article_id, x.b.article_id, x.kind) for x in c if x.kind == "rank"]
    [('B', 'E', 'rank')]
    """
    rules = _compare_rules()
    sides = _sides(articles)
    order = {a.id: i for i, a in enumerate(articles)}
    groups: dict[tuple[Any, ...], dict[Any, list[_Claim]]] = defaultdict(dict)
    for article in articles:
        seen: set[tuple[Any, ...]] = set()
        for claim in _claims(article, rules, sides):
            mark = (claim.key, claim.bucket)
            if mark in seen:
                continue  # one article repeating itself is one claim
            seen.add(mark)
            groups[claim.key].setdefault(claim.bucket, []).append(claim)
    out: dict[tuple[Any, ...], Contradiction] = {}
    for buckets in groups.values():
        if len(buckets) < 2:
            continue
        for bucket, claims in buckets.items():
            for claim in claims:
                for other_bucket, others in buckets.items():
                    if other_bucket == bucket or not _comparable(bucket, other_bucket):
                        continue
                    other = next(
                        (
                            o
                            for o in others[:8]
                            if o.evidence.article_id != claim.evidence.article_id
                            and not _agree(claim, o)
                        ),
                        None,
                    )
                    if other is None:
                        continue
                    first, second = sorted(
                        (claim, other),
                        key=lambda c: (order[c.evidence.article_id], c.evidence.start),
                    )
                    pair = (first.key, first.evidence.article_id, second.evidence.article_id)
                    if pair not in out:
                        out[pair] = _contradiction(first, second, rules)
    return sorted(
        out.values(),
        key=lambda c: (order[c.a.article_id], order[c.b.article_id], c.a.start, c.b.start),
    )


def _place(claim: _Claim, order: dict[str, int]) -> tuple[int, int]:
    return order[claim.evidence.article_id], claim.evidence.start


def _comparable(a: Any, b: Any) -> bool:
    """A weekday compares with a weekday; a date without a year only with another such date."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return a[0] == b[0]
    return True


def _contradiction(a: _Claim, b: _Claim, rules: _CompareRules) -> Contradiction:
    if a.kind == "rank":
        entity = a.fact.removeprefix("the rank of ").split(" as ")[0]
        reason = rules.reasons["contradiction-rank"].reason.replace("{entity}", entity)
    elif a.kind == "amount":
        reason = rules.reasons["contradiction-amount"].reason.replace("{fact}", a.fact)
    else:
        reason = rules.reasons["contradiction"].reason.replace("{fact}", a.fact)
    reason = (
        reason.replace("{a}", a.evidence.article_id)
        .replace("{b}", b.evidence.article_id)
        .replace("{a_claim}", a.said)
        .replace("{b_claim}", b.said)
    )
    return Contradiction(a=a.evidence, b=b.evidence, fact=a.fact, kind=a.kind, reason=reason)


# --------------------------------------------------------------------------- coverage


class CoverageMatrix(list):
    """Rows of ``{"fact": ..., "kind": ..., <article id>: what it says or None}``.

    A plain list of dicts (rows = facts and figures, one column per article), plus helpers.
    """

    def __init__(self, rows: Iterable[dict[str, Any]], ids: Sequence[str]) -> None:
        super().__init__(rows)
        self.ids = tuple(ids)

    def omissions(self) -> dict[str, list[str]]:
        """Article id -> the facts other articles give and this one leaves out."""
        return {i: [row["fact"] for row in self if row.get(i) is None] for i in self.ids}

    def to_frame(self):
        """The matrix as a pandas DataFrame indexed by fact (pandas imported here)."""
        import pandas as pd

        return pd.DataFrame(list(self), columns=["fact", "kind", *self.ids]).set_index("fact")


def _describe(f: Figure) -> str:
    if f.kind == "money":
        amount = float(f.value) if isinstance(f.value, int | float) else 0.0
        for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if amount >= size:
                return f"{amount / size:g} {word} {f.unit or '(currency not given)'}"
        return f"{amount:g} {f.unit or '(currency not given)'}"
    if f.kind == "rank":
        place = "top" if f.qualifier == "top" else "no."
        return " ".join(str(p) for p in (place, f.value, f.unit, f.subject) if p)
    if f.kind in ("count", "duration", "quantity"):
        # "four day official visit" and "four-day visit" are one fact: keep the head noun
        head = f.subject.split()[-1] if f.subject else ""
        return f"{f.value} {f.unit or ''} {head}".strip()
    if f.kind == "percent":
        return f"{f.value}% {f.subject or ''}".strip()
    return str(f.value)


def coverage_matrix(articles: ArticleSet | Sequence[Article]) -> CoverageMatrix:
    """Which facts and figures each article gives, and which it leaves out.

    Rows are the facts claims are tied to (a cell holds the article's own words, e.g. the
    day it gives) followed by figures that more than one article mentions or that only one
    does, normalised so "$142 billion" and "142 billion dollars" share a row. Columns are
    article ids; ``None`` marks an omission.

    >>> from kit.articles import load_articles
    >>> m = coverage_matrix(load_articles())
    >>> row = next(r for r in m if r["fact"] == "the day the visit began")
    >>> row["C"], row["A"]
    ('Wednesday', None)
    """
    rules = _compare_rules()
    sides = _sides(articles)
    ids = [a.id for a in articles]
    facts: dict[str, dict[str, Any]] = {}
    figures: dict[tuple[str, str], dict[str, Any]] = {}
    for article in articles:
        text = article.text
        for claim in _claims(article, rules, sides):
            row = facts.setdefault(claim.fact, {"fact": claim.fact, "kind": claim.kind})
            ev = claim.evidence
            row.setdefault(article.id, _norm(text[ev.start : ev.end]))
        for f in find_figures(article):
            label = f"{f.kind}: {_describe(f)}"
            row = figures.setdefault((f.kind, label), {"fact": label, "kind": f.kind})
            row.setdefault(article.id, _norm(text[f.start : f.end]))
    rows = []
    for row in [*facts.values(), *figures.values()]:
        rows.append({"fact": row["fact"], "kind": row["kind"], **{i: row.get(i) for i in ids}})
    return CoverageMatrix(rows, ids)


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
