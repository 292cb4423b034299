"""Figures: the numbers and numeric claims in an article, and whether anyone stands behind them.

A figure is anything a reader could check against a record: money ("$142 billion"),
percentages, dates, weekdays, years, counts ("four-day visit", "51st state"), durations
("nearly a decade"), rankings ("second-largest trading partner") and quantities with units.
Idioms that only look like numbers ("both sides", "one of its closest allies") and times
measured from an unknown "now" ("this week", "last year") are not figures.

A figure counts as *attributed* only when its own clause names a person or an organization
as the source. Credited to "estimates" or "analysts", it is still unsourced, and the reason
says so. The words behind every decision live in ``data/lexicons/figures.toml``.

>>> from kit.articles import load_articles
>>> figs = find_figures(load_articles()["E"])
>>> [(f.kind, f.value) for f in figs if f.kind in ("money", "date")]
[('date', '2026-01-14'), ('money', 142000000000.0)]
"""

from __future__ import annotations

import bisect
import functools
import os
import re
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from typing import Any, NamedTuple

from kit._data import ENV_VAR, data_dir
from kit._text import quotation_spans
from kit.articles import Article
from kit.lexicons import Lexicon, LexiconEntry, LexiconError, load_lexicon

__all__ = ["KINDS", "Claim", "Figure", "find_claims", "find_figures", "stem"]

KINDS = (
    "money",
    "percent",
    "date",
    "weekday",
    "time",
    "year",
    "count",
    "duration",
    "rank",
    "quantity",
)

Value = float | int | str | None


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure in ``article.text[start:end]``.

    ``value`` is normalised where the text allows it: money and quantities as a float
    (``142e9``), percentages as a float (shares such as "a third of" too, with unit
    ``"share"``), dates as ISO text (``"2026-01-14"``, or ``"--01-13"`` when the year is not
    given), weekdays as their name, times of day as ``"HH:MM"`` (24-hour), years as an int
    (``"1990s"`` for a decade), counts, durations and rank positions as numbers.

    ``unit`` says what the value is in: the currency code for money (None when the article
    does not say), ``"%"``, the unit of time or measure, the time zone, or the superlative
    of a ranking (``"largest"``). ``subject`` is what is counted or ranked
    (``"trading partner"``), ``qualifier`` a word that bends the number ("nearly", "late",
    "top"), or ``"rough"`` for a count the text does not give ("thousands of homes", whose
    ``value`` is None). ``attributed`` is True only when the figure's own clause names a
    person or an organization as its source; ``source`` is the source phrase, if any.
    """

    start: int
    end: int
    kind: str
    value: Value
    unit: str | None = None
    subject: str | None = None
    qualifier: str | None = None
    attributed: bool = False
    source: str | None = None
    reason: str = ""


# --------------------------------------------------------------------------- rules

_SP = r"[^\S\n]"  # white space inside a line, non-breaking spaces included
_HY = r"[-‐‑–]"  # hyphen and the dashes web text puts in its place


def _alt(terms: list[str] | tuple[str, ...]) -> str:
    parts = {_SP.join(map(re.escape, t.split())) for t in terms}
    return "|".join(sorted(parts, key=len, reverse=True))


# Words that end the phrase naming what is counted or ranked.
_STOP_WORDS = """a an the of in on at for with by to from and or but nor than that which who whom
    whose
    since despite as is are was were be been being has have had will would could should may
    might can must do does did not its their his her our your this these those it they there
    after before during while when where if amid among between into over under about around
    per each every so also both either neither such just only even ever still yet already"""
_STOP = frozenset(_STOP_WORDS.split())

# Number words end "what is counted": "67 per cent four years earlier" counts no "four".
_NUMBERISH_WORDS = """one two three four five six seven eight nine ten eleven twelve twenty thirty
    forty fifty hundred thousand million billion trillion dozen half first second third"""
_NUMBERISH = frozenset(_NUMBERISH_WORDS.split())
_WORD_AFTER = re.compile(rf"{_SP}+([A-Za-z][\w’'-]*)")
_PRECEDING_DET = re.compile(
    r"(?:^|\W)(?:the|these|those|its|their|his|her|our|your|all|both|my)[^\S\n]+$", re.I
)
_ONE_OF_BEFORE = re.compile(
    r"\bone[^\S\n]+of[^\S\n]+(?:the[^\S\n]+)?(?:[\w.-]+(?:'|’)s[^\S\n]+)?(?:[\w-]+[^\S\n]+)?$",
    re.I,
)
_FRACTION_AFTER = re.compile(r"(?:[-‐‑]|[^\S\n]+)([a-z]+)(?=[^\S\n]+of\b)")
_NAME_BEFORE = re.compile(r"[a-z,;][^\S\n]+[A-Z][A-Za-z]+[^\S\n]$")
_COMPOUND_AFTER = re.compile(r"[-‐‑]([A-Za-z][a-z]+(?:[-‐‑][a-z]+)*)\b")
_ANNIVERSARY = re.compile(r"[^\S\n]+((?i:anniversary|anniversaries|birthday))\b")
_POSSESSIVE_BEFORE = re.compile(r"[’']s[^\S\n]+$")
_RECORD_AFTER = re.compile(r"[^\S\n]+(?:since|on[^\S\n]+record|ever|in[^\S\n]+history)\b")
_CLOCK_AFTER = re.compile(r"[:/]\d|[^\S\n]*(?:a\.m\.|p\.m\.|am\b|pm\b)", re.I)


@dataclass(frozen=True, slots=True)
class _Tables:
    """The lexicon's word tables, read once, shared by the patterns and the parser."""

    number_words: dict[str, float]
    ordinals: dict[str, int]
    months: dict[str, int]
    fractions: dict[str, int]
    scales: dict[str, float]
    glued: dict[str, float]
    symbols: dict[str, str]
    currency_words: dict[str, str]
    units: dict[str, str]
    periods: dict[str, float]
    approx_terms: list[str]
    qualifiers: list[str]
    superlatives: list[str]
    month_terms: list[str]
    weekday_terms: list[str]


@dataclass(frozen=True, slots=True)
class _Rules(_Tables):
    """The word tables and every compiled pattern the figure finder needs."""

    trigger: re.Pattern[str]  # cheap first pass: where a figure could start
    trigger_lower: re.Pattern[str]  # the same, for lower-cased text
    by_word: dict[str, re.Pattern[str]]  # trigger word -> the figure patterns it can start
    digit_core: re.Pattern[str]
    symbol_core: re.Pattern[str]
    approx_before: re.Pattern[str]
    qual_before: re.Pattern[str]
    world_before: re.Pattern[str]
    article_before: re.Pattern[str]
    numerator_before: re.Pattern[str]
    prep_before: re.Pattern[str]
    symbol_prefix_before: re.Pattern[str] | None
    code_before: re.Pattern[str] | None
    veto: re.Pattern[str] | None
    rank_anchor: re.Pattern[str]
    reasons: dict[str, LexiconEntry]
    hedges: dict[str, str]  # approximator -> about | at-most | at-least
    unit_factors: dict[str, float]  # unit term -> size in the base unit of its family
    context_stop: frozenset[str]  # words too general to tie two claims to one thing
    change_cue: re.Pattern[str] | None  # "rose to", "so far": a count that moves with time
    synonyms: dict[str, str]  # word stem -> the stem of its group's first word (synonyms.toml)
    pairs: dict[str, dict[str, str]]  # "service members": "member" -> {"servic": "troop"}
    rough: re.Pattern[str] | None  # "thousands of homes", "dozens": a number not given
    rough_starts: tuple[str, ...]  # their first words, to skip texts that have none
    rough_ranges: dict[str, tuple[float, float]]  # "hundreds" -> (200, 1000)
    record: re.Pattern[str]  # "first", "fastest": what makes "since 2017" a record's reach
    vote_cue: re.Pattern[str] | None  # "voted", "margin": what makes "76 to 20" a vote's count
    opposites: tuple[tuple[frozenset[str], frozenset[str]], ...]  # ("arrive", "leave") ...


_CACHE: dict[tuple[Any, ...], _Rules] = {}
_CHECKED: list[float] = [0.0, 0.0]  # [time of the last look at the file, its mtime then]
_RECHECK_SECONDS = 1.0
_WHERE = [""]  # KIT_DATA_DIR at the last look


def _rules() -> _Rules:
    """Compile the lexicon once per version of the file (its path and mtime are the key).

    The file is looked at no more than once a second, so a corpus run does not pay for a
    ``stat`` per article, while an instructor who edits the lexicon sees the change at once.
    """
    now = time.monotonic()
    where = os.environ.get(ENV_VAR, "")
    if _CACHE and now - _CHECKED[0] < _RECHECK_SECONDS and where == _WHERE[0]:
        return next(iter(_CACHE.values()))
    _WHERE[0] = where  # a test or an instructor pointing KIT_DATA_DIR elsewhere is seen at once
    path = data_dir() / "lexicons" / "figures.toml"
    stamps = []
    for p in (path, path.with_name("synonyms.toml")):
        try:
            stamps.append(p.stat().st_mtime_ns)
        except OSError:
            stamps.append(-1)
    key = (str(path), *stamps)
    _CHECKED[0] = now
    rules = _CACHE.get(key)
    if rules is None:
        rules = _compile(load_lexicon("figures"))
        _CACHE.clear()
        _CACHE[key] = rules
    return rules


def _kind(lex: Lexicon, kind: str) -> list[LexiconEntry]:
    return [e for e in lex.entries if e.kind == kind]


def _valued(lex: Lexicon, kind: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for e in _kind(lex, kind):
        values = e.extra.get("x_values", [])
        for term, value in zip(e.terms, values, strict=False):
            out.setdefault(term.lower(), value)
    return out


def _trie(words: set[str]) -> str:
    """A regex for ``words`` shaped as a prefix tree.

    Python's regex engine tries every branch of a flat alternation at every position; a tree
    lets it give up after the first letter or two, which makes the first pass several times
    faster.
    """
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return emit(tree)


def _terms(lex: Lexicon, kind: str) -> list[str]:
    """Every term of every entry of ``kind``, in lexicon order."""
    return [t for e in _kind(lex, kind) for t in e.terms]


def _scale_tables(lex: Lexicon) -> tuple[dict[str, float], dict[str, float]]:
    """What each scale word multiplies by: spelled out ("billion") and glued ("bn")."""
    scales: dict[str, float] = {}
    glued: dict[str, float] = {}
    for e in _kind(lex, "scale"):
        factor = float(e.extra.get("x_factor", 1))
        for t in e.terms:
            scales.setdefault(t.lower(), factor)
        for t in e.extra.get("x_glued", []):
            glued.setdefault(t, factor)
    return scales, glued


def _currency_tables(lex: Lexicon) -> tuple[dict[str, str], dict[str, str]]:
    """Which currency code each symbol and each currency word stands for."""
    symbols: dict[str, str] = {}
    currency_words: dict[str, str] = {}
    for e in _kind(lex, "currency"):
        code = str(e.extra.get("x_code", ""))
        for t in e.terms:
            currency_words.setdefault(t.lower(), t if code == "*" else code)
        for sym in e.extra.get("x_symbols", []):
            symbols.setdefault(sym, sym if code == "*" else code)
    return symbols, currency_words


def _tables(lex: Lexicon) -> _Tables:
    """Read number words, scales, currencies, units, periods and key terms from the lexicon."""
    scales, glued = _scale_tables(lex)
    symbols, currency_words = _currency_tables(lex)
    units: dict[str, str] = {}
    for e in _kind(lex, "unit"):
        for t in e.terms:
            units.setdefault(t.lower(), str(e.extra.get("x_unit", e.id)))
    periods: dict[str, float] = {}
    for e in _kind(lex, "period"):
        for t, days in zip(e.terms, e.extra.get("x_days", []), strict=False):
            periods.setdefault(t.lower(), float(days))
    return _Tables(
        number_words={k: float(v) for k, v in _valued(lex, "number-word").items()},
        ordinals={k: int(v) for k, v in _valued(lex, "ordinal-word").items()},
        months={k: int(v) for k, v in _valued(lex, "month").items()},
        fractions={k: int(v) for k, v in _valued(lex, "fraction").items()},
        scales=scales,
        glued=glued,
        symbols=symbols,
        currency_words=currency_words,
        units=units,
        periods=periods,
        approx_terms=_terms(lex, "approximator"),
        qualifiers=_terms(lex, "date-qualifier"),
        superlatives=_terms(lex, "superlative"),
        month_terms=_terms(lex, "month"),
        weekday_terms=_terms(lex, "weekday"),
    )


class _SymbolShapes(NamedTuple):
    """How currency symbols appear: a one-character start, a glued prefix, a letter code."""

    single: list[str]  # "$", "€": a character that starts a figure
    glued_prefixes: list[str]  # "US", "HK" of "US$", "HK$": found by looking back
    codes: list[str]  # "USD": a letter code before the number, found by looking back


def _symbol_shapes(symbols: dict[str, str]) -> _SymbolShapes:
    """Sort the currency symbols by the way the scanner meets them in the text."""
    codes = [sym for sym in symbols if sym.isalpha() or sym.rstrip(".").isalpha()]
    # "Rs." is a letter code with its full stop, not a "." symbol: a sentence's full stop
    # before a number ("fell. 300 homes") is no currency
    marks = [sym for sym in symbols if not sym[-1].isalpha() and sym not in codes]
    single = sorted({sym[-1] for sym in marks})
    glued_prefixes = sorted({sym[:-1] for sym in marks if len(sym) > 1}, key=len)[::-1]
    return _SymbolShapes(single, glued_prefixes, codes)


def _number_word_pattern(number_words: dict[str, float]) -> str:
    """The regex for a spelled-out number: "seven", "forty-two", "a dozen", "two hundred"."""
    tens = [w for w, v in number_words.items() if v in (20, 30, 40, 50, 60, 70, 80, 90)]
    units_1_9 = [w for w, v in number_words.items() if 1 <= v <= 9 and " " not in w]
    numw = (
        rf"(?:(?:{_alt(tens)})(?:{_HY}|{_SP})(?:{_alt(units_1_9)})|{_alt(list(number_words))})"
        rf"(?:{_SP}+hundred)?"
    )
    return rf"(?i:{numw})\b"


def _figure_parts(lex: Lexicon, t: _Tables, single: list[str], numw: str) -> dict[str, str]:
    """The regex for each shape of figure (dates, money, ranks, numbers, times, shares)."""
    tz_alt = _alt(_terms(lex, "time-zone"))
    digits = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    month_alt = _alt(t.month_terms)
    scale_alt = _alt(list(t.scales))
    glued_alt = _alt(list(t.glued))
    cur_alt = _alt(list(set(_terms(lex, "currency"))))
    unit_alt = _alt(list(set(_terms(lex, "unit"))))
    pct_alt = _alt(list(set(_terms(lex, "percent"))))
    period_alt = _alt(list(t.periods))
    ord_alt = _alt(list(t.ordinals))
    sup_alt = _alt(t.superlatives)
    ordsfx = r"(?:st|nd|rd|th)"
    year = r"(?:1[5-9]|20)\d\d"
    return {
        "iso": r"(?P<iso>\d{4}-[01]\d-[0-3]\d)(?!\d)",
        # January 14, 2026 / January 2026 / January (month names are capitalised)
        "month": rf"(?P<month>{month_alt})(?!\w)"
        rf"(?:{_SP}+(?P<day>[0-3]?\d){ordsfx}?\b(?!{_SP}*(?:%|{_HY}\d))"
        rf"(?:,?{_SP}+(?P<myear>{year})\b)?|,?{_SP}+(?P<monly>{year})\b)?",
        # 14 January 2026
        "dmy": rf"(?P<dday>[0-3]?\d){ordsfx}?{_SP}+(?:of{_SP}+)?(?P<dmonth>{month_alt})(?!\w)"
        rf"(?:,?{_SP}+(?P<dyear>{year})\b)?",
        # $142 billion, €3m
        "money": rf"(?P<msym>[{''.join(map(re.escape, single))}]){_SP}?"
        rf"(?P<mnum>\d[\d,]*(?:\.\d+)?)"
        rf"(?:(?P<mglue>{glued_alt})\b|{_SP}*(?P<mscale>(?i:{scale_alt}))\b)?"
        rf"(?:{_SP}+(?P<mcur>{cur_alt})\b)?",
        # second-largest trading partner, two largest economies
        "rank": rf"(?:(?P<rord>(?i:{ord_alt})|\d+{ordsfx})(?:{_HY}|{_SP}+))?"
        rf"(?:(?P<rtop>{numw}){_SP}+)?(?P<sup>(?i:{sup_alt}))\b",
        # numbers, with what follows them
        "num": rf"(?P<num>{digits}|{numw})(?P<ordsfx>{ordsfx}\b)?"
        rf"(?:(?P<glue>{glued_alt})\b|{_SP}*(?P<scale>(?i:{scale_alt}))\b)?"
        rf"(?:{_SP}?(?P<pct>(?i:{pct_alt}))(?!\w)"
        rf"|{_SP}+(?P<cur>{cur_alt})\b"
        rf"|(?:{_SP}+|{_HY})(?P<unit>{unit_alt})(?!\w)"
        rf"|(?P<hy>{_HY}|{_SP}+)(?P<per>(?i:{period_alt}))(?P<pl>s)?\b)?",
        # 10:29 a.m., 16:53 local time, 2353 UTC, 7 p.m.
        "time": rf"(?:(?P<hh>[0-2]?\d):(?P<mm>[0-5]\d)(?!\d)"
        rf"|(?P<hh2>[01]?\d)(?={_SP}*[ap]\.?m\b)|(?P<hh3>[0-2]\d)(?P<mm3>[0-5]\d)(?={_SP}+(?:{tz_alt})\b))"
        rf"(?:{_SP}*(?P<ampm>[ap]\.m\.|[ap]m\b|[AP]M\b))?(?:{_SP}+(?P<tz>{tz_alt})\b)?",
        # one in five, 1 in 4
        "share": rf"(?P<inum>{digits}|{numw}){_SP}+in{_SP}+(?P<iden>\d+|{numw})(?!{_SP}*%)",
        # a third of, two-thirds of, half of
        "frac": rf"(?P<fden>(?i:{_alt(list(t.fractions))}))(?={_SP}+of\b)",
        "wd": rf"(?P<wd>{_alt(t.weekday_terms)})\b",
        "ow": rf"(?P<ow>(?i:{ord_alt}))(?P<ever>{_HY}ever)?\b",
        "aper": rf"(?P<aper>(?i:{period_alt}))\b",
    }


def _starts(t: _Tables) -> dict[str, set[str]]:
    """Which figure shapes each trigger word can begin ("second" a rank, "May" a month)."""
    starts: dict[str, set[str]] = {}

    def can_start(words: Iterable[str], *names: str) -> None:
        for word in words:
            starts.setdefault(word.lower().rstrip(".").split()[0], set()).update(names)

    can_start(t.number_words, "rank", "num")
    can_start([w.split()[-1] for w in t.number_words if w.startswith("a ")], "rank", "num")
    can_start(t.ordinals, "rank", "ow")
    can_start(t.superlatives, "rank")
    can_start(t.month_terms, "month")
    can_start(t.weekday_terms, "wd")
    can_start(t.periods, "aper")
    can_start(t.number_words, "share")
    can_start(t.fractions, "frac")
    return starts


class _Cores(NamedTuple):
    """The second-pass patterns: one per kind of trigger word, one for digits, one for symbols."""

    by_word: dict[str, re.Pattern[str]]
    digit_core: re.Pattern[str]
    symbol_core: re.Pattern[str]


def _cores(t: _Tables, parts: dict[str, str]) -> _Cores:
    """Join the shapes each trigger can start into one pattern, compiled once per combination."""
    # A time or a share must win over the plain number it starts with.
    order = ["iso", "time", "month", "dmy", "money", "rank", "share", "num", "frac", "wd", "ow"]
    order += [name for name in parts if name not in order]
    combos: dict[frozenset[str], re.Pattern[str]] = {}

    def combo(names: set[str]) -> re.Pattern[str]:
        key = frozenset(names)
        if key not in combos:
            combos[key] = re.compile("|".join(parts[n] for n in order if n in key))
        return combos[key]

    by_word = {word: combo(names) for word, names in _starts(t).items()}
    digit_core = combo({"iso", "time", "dmy", "rank", "share", "num"})
    symbol_core = combo({"money"})
    return _Cores(by_word, digit_core, symbol_core)


def _triggers(t: _Tables, single: list[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The cheap first pass, (both cases, lower case): where a figure could start."""
    trigger_words = (
        set(t.number_words)
        | set(t.ordinals)
        | {w.lower() for w in t.superlatives}
        | {w.lower().rstrip(".") for w in t.month_terms}
        | {w.lower() for w in t.weekday_terms}
        | set(t.periods)
    )
    # A phrase is found by its first word ("most populous"), or by its number ("a dozen").
    trigger_words = {w.split()[-1] if w.startswith("a ") else w.split()[0] for w in trigger_words}
    # The first pass runs on the lower-cased text (one case in the tree is faster than two
    # or than (?i:)); `trigger` with both cases is for the rare text whose length changes
    # when lower-cased, where offsets would drift.
    numbers = rf"[0-9{''.join(map(re.escape, single))}][0-9,.]*"
    trigger_lower = re.compile(rf"\b(?:{_trie(trigger_words)})\b|{numbers}")
    trigger_words |= {w.capitalize() for w in trigger_words}
    trigger = re.compile(rf"\b(?:{_trie(trigger_words)})\b|{numbers}")
    return trigger, trigger_lower


def _context_patterns(t: _Tables, numw: str, shapes: _SymbolShapes) -> dict[str, Any]:
    """The look-back and look-ahead patterns: hedges, qualifiers, currency prefixes, records."""
    approx_alt = _alt(t.approx_terms)
    period_alt = _alt(list(t.periods))
    return {
        "approx_before": re.compile(rf"\b(?P<a>(?i:{approx_alt})){_SP}+$"),
        "qual_before": re.compile(
            rf"\b(?P<q>(?i:{_alt(t.qualifiers)}))(?:{_HY}|{_SP}+)(?:of{_SP}+)?$"
        ),
        "world_before": re.compile(rf"\b(?:[Tt]he{_SP}+)?world(?:'|’)s{_SP}+$"),
        "article_before": re.compile(
            rf"(?:\b(?:(?P<a>(?i:{approx_alt}))|(?P<p>(?i:in|for|within|lasting|after))){_SP}+)?"
            rf"\b(?P<art>[Aa]n?|[Hh]alf{_SP}+a){_SP}+$"
        ),
        "numerator_before": re.compile(
            rf"(?:\b(?P<a>(?i:{approx_alt})){_SP}+)?"
            rf"\b(?P<n>(?i:a|an|one|two|three|four|five|six|seven|eight|nine))(?:{_HY}|{_SP}+)$"
        ),
        "prep_before": re.compile(
            rf"\b(?i:in|since|until|by|from|through|during|before|after|early|mid|late|the|this"
            rf"|that|last|next|every)"
            rf"(?:{_SP}+|{_HY})$"
        ),
        "symbol_prefix_before": (
            re.compile(rf"(?<![\w.])(?:{_alt(shapes.glued_prefixes)})$")
            if shapes.glued_prefixes
            else None
        ),
        "code_before": re.compile(rf"\b(?:{_alt(shapes.codes)}){_SP}?$") if shapes.codes else None,
        "rank_anchor": re.compile(
            rf"[^.;:!?\n]{{0,80}}?\b(?:since|ever|in{_SP}+history|on{_SP}+record|"
            rf"in{_SP}+(?:(?i:{approx_alt}){_SP}+)?(?:an?|{numw}|\d+){_SP}+"
            rf"(?i:{period_alt})s?)\b"
        ),
    }


def _cue_patterns(lex: Lexicon) -> dict[str, re.Pattern[str] | None]:
    """The idioms and relative times that veto a figure, and the words that say a count moves."""
    vetoes = [
        p for kind in ("idiom", "relative-time") for e in _kind(lex, kind) for p in e.patterns
    ]
    return {
        "veto": re.compile("|".join(f"(?:{p})" for p in vetoes)) if vetoes else None,
        "change_cue": _terms_pattern(lex, "change-cue"),
    }


def _terms_pattern(lex: Lexicon, kind: str) -> re.Pattern[str] | None:
    """Any term of the entries of ``kind``, as whole words in any case; None when there are none."""
    terms = _terms(lex, kind)
    return re.compile(rf"\b(?i:{_alt(terms)})\b") if terms else None


def _compile(lex: Lexicon) -> _Rules:
    """Build every pattern and table the figure finder needs, once per lexicon load."""
    t = _tables(lex)
    shapes = _symbol_shapes(t.symbols)
    numw = _number_word_pattern(t.number_words)
    cores = _cores(t, _figure_parts(lex, t, shapes.single, numw))
    trigger, trigger_lower = _triggers(t, shapes.single)
    return _Rules(
        trigger=trigger,
        trigger_lower=trigger_lower,
        by_word=cores.by_word,
        digit_core=cores.digit_core,
        symbol_core=cores.symbol_core,
        **_context_patterns(t, numw, shapes),
        **_cue_patterns(lex),
        **{f.name: getattr(t, f.name) for f in fields(_Tables)},
        reasons={e.id: e for e in lex.entries if e.kind in ("reason", "note")},
        hedges=_hedges(lex),
        unit_factors={
            term.lower(): float(f)
            for e in _kind(lex, "unit")
            for term, f in zip(e.terms, e.extra.get("x_factors", []), strict=False)
        },
        context_stop=frozenset(w.lower() for w in _terms(lex, "context-stop")),
        rough=_rough_pattern(lex),
        rough_starts=_rough_starts(lex),
        rough_ranges=_rough_ranges(lex),
        record=_record_pattern(t.superlatives),
        vote_cue=_terms_pattern(lex, "vote-cue"),
        **_synonym_rules(),
    )


def _rough_pattern(lex: Lexicon) -> re.Pattern[str] | None:
    """ "Thousands", "hundreds of homes", "scores of flights": a rough number and its noun."""
    terms = _terms(lex, "rough-count")
    if not terms:
        return None
    words = "|".join(
        r"[\s\u00a0]+".join(re.escape(w) for w in t.split())
        for t in sorted(terms, key=len, reverse=True)
    )
    noun = r"(?:[\s\u00a0]+of(?:[\s\u00a0]+(?:the|their|its|his|her))?[\s\u00a0]+[a-z][\w’'-]*)?"
    # matched against the lower-cased text (same offsets), which is faster than ignoring case
    return re.compile(rf"\b(?:{words.lower()})\b(?:(?<=of)[\s\u00a0]+[a-z][\w’'-]*|{noun})")


def _rough_starts(lex: Lexicon) -> tuple[str, ...]:
    """The first word of each rough number, lower-cased: a cheap test before the pattern."""
    return tuple(sorted({t.split()[0].lower() for t in _terms(lex, "rough-count")}))


def _rough_ranges(lex: Lexicon) -> dict[str, tuple[float, float]]:
    """What each rough number allows: "hundreds" -> (200, 1000), from the lexicon's x_ranges."""
    out: dict[str, tuple[float, float]] = {}
    for e in _kind(lex, "rough-count"):
        for term, pair in zip(e.terms, e.extra.get("x_ranges", []), strict=False):
            out[" ".join(term.lower().split())] = (float(pair[0]), float(pair[1]))
    return out


_DIGIT_SP = re.compile(r"\d[^\S\n]$")


def _rough_hits(text: str, rules: _Rules, hits: list[_Hit]) -> list[_Hit]:
    """Rough numbers the scan did not already read as part of a figure, in text order."""
    if rules.rough is None:
        return hits
    lowered = text.lower()
    if not any(w in lowered for w in rules.rough_starts):
        return hits
    taken = [(h.start, h.end) for h in hits]
    extra = [
        _Hit(m.start(), m.end(), "count", None, None, None, "rough")
        for m in (
            rules.rough.finditer(lowered)
            if len(lowered) == len(text)  # "İ" lower-cases to two characters: keep offsets
            else re.compile(rules.rough.pattern, re.I).finditer(text)
        )
        # not "$4 millions" or "2.5 millions": there the number is given
        if not (
            m.start()
            and (
                text[m.start() - 1] in "$€£¥.,-"
                or _DIGIT_SP.search(text, max(0, m.start() - 2), m.start())
            )
        )
        and not any(s < m.end() and m.start() < e for s, e in taken)
    ]
    return sorted(hits + extra, key=lambda h: (h.start, h.end)) if extra else hits


def _synonym_rules() -> dict[str, Any]:
    """Synonym groups and opposite event words from ``synonyms.toml`` (empty if absent)."""
    try:
        lex = load_lexicon("synonyms")
    except LexiconError:
        return {"synonyms": {}, "pairs": {}, "opposites": ()}
    same: dict[str, str] = {}
    pairs: dict[str, dict[str, str]] = {}
    for e in _kind(lex, "same"):
        head = stem(e.terms[0])
        for t in e.terms:
            words = [stem(w) for w in t.split()]
            if len(words) == 1:
                same.setdefault(words[0], head)
            elif len(words) == 2:  # folded on its second word, when the first stands before it
                pairs.setdefault(words[1], {}).setdefault(words[0], head)

    def fold(terms: Iterable[str]) -> frozenset[str]:
        return frozenset(same.get(stem(t), stem(t)) for t in terms if " " not in t)

    opposites = tuple(
        (fold(e.terms), fold(e.extra.get("x_opposite", []))) for e in _kind(lex, "opposite")
    )
    return {"synonyms": same, "pairs": pairs, "opposites": opposites}


def _hedges(lex: Lexicon) -> dict[str, str]:
    out: dict[str, str] = {}
    for e in _kind(lex, "approximator"):
        meanings = e.extra.get("x_meaning", [])
        for t, meaning in zip(e.terms, meanings, strict=False):
            out.setdefault(t.lower(), str(meaning))
    return out


# --------------------------------------------------------------------------- parsing


def _number(raw: str, rules: _Rules) -> float | None:
    text = raw.replace("\u00a0", " ").strip()
    if text[:1].isdigit():
        try:
            return float(text.replace(",", ""))
        except ValueError:
            return None
    words = re.split(r"[-‐‑–\s]+", text.lower())
    total = 0.0
    i = 0
    while i < len(words):
        w = words[i]
        if w == "hundred":
            total = (total or 1) * 100
        elif w in ("a", "half") and i + 1 < len(words):
            joined = f"{w} {words[i + 1]}"
            if joined not in rules.number_words:
                return None
            total += rules.number_words[joined]
            i += 1
        elif w in rules.number_words:
            total += rules.number_words[w]
        else:
            return None
        i += 1
    return total


def _tidy(value: float) -> float | int:
    value = float(f"{value:.12g}")  # 4.1 * 1e9 is 4099999999.9999995 in binary floating point
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


def _next_words(text: str, pos: int, end: int, *, limit: int = 2) -> tuple[str | None, int]:
    """The phrase of up to ``limit`` content words right after ``pos`` (what is counted)."""
    words: list[str] = []
    stop_at = pos
    while len(words) < limit:
        m = _WORD_AFTER.match(text, stop_at, end)
        if not m:
            break
        word = m.group(1)
        if word.lower() in _STOP or word.lower() in _NUMBERISH or not word[0].islower():
            break
        if words and word.endswith(("ed", "ing")):
            break  # "visit ended": a verb, not part of the thing
        words.append(word)
        stop_at = m.end()
        if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
            break  # a plural noun ends the phrase: "economies continues" is not one thing
    return (" ".join(words) or None), stop_at


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    kind: str
    value: Value
    unit: str | None = None
    subject: str | None = None
    qualifier: str | None = None


def _scan(text: str, rules: _Rules) -> list[_Hit]:
    hits: list[_Hit] = []
    last_end = 0
    hi = len(text)
    lowered = text.lower()
    if len(lowered) == len(text):
        triggers = rules.trigger_lower.finditer(lowered)
    else:
        triggers = rules.trigger.finditer(text)
    for t in triggers:
        pos = t.start()
        if pos < last_end:
            continue
        if (
            pos
            and text[pos].isdigit()
            and (text[pos - 1].isalnum() or text[pos - 1] in ".,/:-")
            and not (text[pos - 1] in "-‐‑–" and _before(rules.qual_before, text, pos))
        ):
            continue  # digits inside a word or a code ("COVID-19", "3.5", "10:30"), not "mid-2000s"
        first = text[pos]
        if first.isdigit():
            core = rules.digit_core
        elif first.isalpha():
            core = rules.by_word.get(t.group().lower())
            if core is None:
                continue
        else:
            core = rules.symbol_core
        m = core.match(text, pos, hi)
        if m is None:
            continue
        hit = _classify(m, text, rules, hi)
        if hit is not None and hit.end > hit.start:
            hits.append(hit)
            last_end = hit.end
    return hits


def _before(pattern: re.Pattern[str] | None, text: str, pos: int) -> re.Match[str] | None:
    """A match of ``pattern`` that ends exactly at ``pos`` (patterns end in ``$``)."""
    if pattern is None:
        return None
    return pattern.search(text, max(0, pos - 40), pos)


def _classify(m: re.Match[str], text: str, rules: _Rules, hi: int) -> _Hit | None:
    g = m.groupdict().get
    if g("iso"):
        return _Hit(m.start(), m.end(), "date", g("iso"))
    if g("month"):
        return _month(m, text, rules)
    if g("dmonth"):
        day = int(g("dday"))
        if not 1 <= day <= 31:
            return None
        month = rules.months[g("dmonth").lower()]
        year = g("dyear")
        value = f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
        return _Hit(m.start(), m.end(), "date", value)
    if g("msym"):
        return _money_symbol(m, text, rules)
    if g("hh") or g("hh2") or g("hh3"):
        return _time(m, g)
    if g("inum"):
        num, den = _number(g("inum"), rules), _number(g("iden"), rules)
        if not num or not den or num >= den:
            return None
        approx = _before(rules.approx_before, text, m.start())
        return _Hit(
            approx.start() if approx else m.start(),
            m.end(),
            "percent",
            _tidy(round(100 * num / den, 1)),
            unit="share",
            qualifier=approx.group("a") if approx else None,
        )
    if g("fden"):
        den = rules.fractions[g("fden").lower()]
        numerator = _before(rules.numerator_before, text, m.start())
        if numerator is None and den != 2:
            return None  # "third of" alone is an ordinal: "the third of five talks"
        n_word = numerator.group("n").lower() if numerator else "one"
        num = 1.0 if n_word in ("a", "an") else _number(n_word, rules) or 1.0
        approx = numerator.group("a") if numerator else None
        start = numerator.start() if numerator else m.start()
        if numerator is None:
            a_m = _before(rules.approx_before, text, m.start())
            start, approx = (a_m.start(), a_m.group("a")) if a_m else (start, None)
        elif approx is None:
            start = numerator.start("n")
        return _Hit(
            start,
            m.end(),
            "percent",
            _tidy(round(100 * num / den, 1)),
            unit="share",
            qualifier=approx,
        )
    if g("sup"):
        return _rank(m, text, rules, hi)
    if g("num"):
        return _numeric(m, text, rules, hi)
    if g("wd"):
        return _Hit(m.start(), m.end(), "weekday", g("wd"))
    if g("ow"):
        return _ordinal_rank(m, text, rules, hi)
    if g("aper"):
        before = _before(rules.article_before, text, m.start())
        if before is None:
            return None
        per = g("aper").lower()
        lasting = before.group("a") or before.group("p")
        if not lasting and per not in ("decade", "century", "fortnight"):
            return None  # "a year" alone is usually "per year" or "a year ago", not a length
        value = 0.5 if before.group("art").lower().startswith("half") else 1
        start = before.start() if before.group("a") else before.start("art")
        return _Hit(start, m.end(), "duration", value, unit=per, qualifier=before.group("a"))
    return None


def _time(m: re.Match[str], g: Any) -> _Hit | None:
    """A time of day, as 24-hour "HH:MM" when the text says a.m. or p.m. or uses 24 hours."""
    hour = int(g("hh") or g("hh2") or g("hh3"))
    minute = int(g("mm") or g("mm3") or 0)
    ampm = (g("ampm") or "").lower().replace(".", "")
    if hour > 23 or (ampm and not 1 <= hour <= 12):
        return None
    if g("hh") and not ampm and not g("tz") and len(g("hh")) == 1 and hour == 0:
        return None
    if ampm == "pm" and hour != 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    return _Hit(m.start(), m.end(), "time", f"{hour:02d}:{minute:02d}", unit=g("tz"))


def _month(m: re.Match[str], text: str, rules: _Rules) -> _Hit | None:
    g = m.groupdict().get
    month = rules.months[g("month").lower()]
    qual_m = _before(rules.qual_before, text, m.start())
    start = qual_m.start() if qual_m else m.start()
    qual = qual_m.group("q") if qual_m else None
    if g("day"):
        day = int(g("day"))
        if not 1 <= day <= 31:
            return None
        year = g("myear")
        value = f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
        return _Hit(start, m.end(), "date", value, qualifier=qual)
    if g("monly"):
        return _Hit(start, m.end(), "date", f"{g('monly')}-{month:02d}", qualifier=qual)
    if g("month") == "May" or g("month").endswith("."):
        return None  # "May" alone is the verb far more often than the month
    if qual or _before(rules.prep_before, text, m.start()):
        return _Hit(start, m.end(), "date", f"--{month:02d}", qualifier=qual)
    return None


def _money_symbol(m: re.Match[str], text: str, rules: _Rules) -> _Hit | None:
    g = m.groupdict().get
    amount = _number(g("mnum"), rules)
    if amount is None:
        return None
    factor = rules.glued.get(g("mglue") or "", 0) or rules.scales.get(
        (g("mscale") or "").lower(), 1
    )
    start = m.start()
    symbol = g("msym")
    prefix = _before(rules.symbol_prefix_before, text, start)
    if prefix and prefix.group() + symbol in rules.symbols:
        symbol = prefix.group() + symbol
        start = prefix.start()
    code = rules.symbols.get(symbol, "")
    if g("mcur"):
        code = rules.currency_words.get(g("mcur").lower(), code) or code
    approx = _before(rules.approx_before, text, start)
    if approx:
        start = approx.start()
    return _Hit(
        start,
        m.end(),
        "money",
        float(_tidy(amount * factor)),
        unit=code or None,
        qualifier=approx.group("a") if approx else None,
    )


def _rank(m: re.Match[str], text: str, rules: _Rules, hi: int) -> _Hit | None:
    g = m.groupdict().get
    if m.group("sup").lower().startswith(("record", "all-time")):
        return _record(m, text, hi)
    if m.group("sup").lower().startswith("most ") and not any(
        p.search(text, max(0, m.start() - 40), m.start())
        for p in (_PRECEDING_DET, _POSSESSIVE_BEFORE)
    ):
        return None  # "most common cases" means the greater part, not a ranking
    if _ONE_OF_BEFORE.search(text, max(0, m.start() - 60), m.start()):
        return _one_of_record(m, text, hi)
    position = 1
    qualifier = None
    if g("rord"):
        raw = g("rord").lower()
        position = rules.ordinals.get(raw) or int(re.sub(r"\D", "", raw) or 1)
    if g("rtop"):
        top = _number(g("rtop"), rules)
        if top is None:
            return None
        position, qualifier = int(top), "top"
    world = _before(rules.world_before, text, m.start())
    subject, end = _next_words(text, m.end(), hi)
    if subject is None and not g("rord") and not g("rtop") and not world:
        record = _RECORD_AFTER.match(text, m.end(), hi)
        if record is None:
            return None  # a bare "the largest" ranks nothing we can name
        # "the lowest since 2020", "the hottest on record": a record is a ranking
        subject, end = None, m.end()
    return _Hit(
        world.start() if world else m.start(),
        end,
        "rank",
        position,
        unit=g("sup").lower(),
        subject=subject,
        qualifier=qualifier,
    )


def _one_of_record(m: re.Match[str], text: str, hi: int) -> _Hit | None:
    """ "one of the most powerful storms ever": a claim of a record, though not of a place.

    Plain "one of the largest" ranks nothing a reader could check; with "ever", "on record"
    or "in history" after it, it claims a record.
    """
    subject, end = _next_words(text, m.end(), hi)
    record = _RECORD_AFTER.match(text, end, hi)
    if subject is None or record is None:
        return None
    # the figure starts at the superlative: "one of" alone is an idiom, vetoed as a figure
    return _Hit(
        m.start(), end, "rank", 1, unit=m.group("sup").lower(), subject=subject, qualifier="one of"
    )


# "a record", "a new record", "set a record": the noun that claims a record. Not "his voting
# record", "for the record" or "a long record of ..." (a history, not a best or worst).
_RECORD_NOUN_BEFORE = re.compile(
    r"\b(?:a|new|all-time|all[^\S\n]+time|set|hit|broke|break)[^\S\n]+$", re.I
)
_RECORD_HISTORY_AFTER = re.compile(r"[^\S\n]+of[^\S\n]+[a-z]+ing\b")


def _record(m: re.Match[str], text: str, hi: int) -> _Hit | None:
    """ "a record super typhoon", "record highs", "an all-time record of 109": a record claimed."""
    sup = m.group("sup").lower()
    if sup == "record" and (
        not _RECORD_NOUN_BEFORE.search(text, max(0, m.start() - 12), m.start())
        or _RECORD_HISTORY_AFTER.match(text, m.end(), hi)
    ):
        return None
    subject, end = _next_words(text, m.end(), hi)
    return _Hit(
        m.start(),
        end if subject else m.end(),
        "rank",
        1,
        unit="record",
        subject=subject,
        qualifier="record",
    )


def _ordinal_rank(m: re.Match[str], text: str, rules: _Rules, hi: int) -> _Hit | None:
    """'first trip ... in nearly a decade', 'first-ever': an ordinal that claims a record."""
    nxt = _ANNIVERSARY.match(text, m.end(), hi)
    if nxt is not None:
        # "the fourth anniversary": a count of years since the day, which a reader can check
        value = rules.ordinals[m.group("ow").lower()]
        return _Hit(m.start(), nxt.end(), "count", value, subject=nxt.group(1).lower())
    anchor = rules.rank_anchor.match(text, m.end(), hi)
    if not anchor and not m.group("ever"):
        return None
    subject, _ = _next_words(text, m.end(), hi)
    end = m.end()
    if anchor:
        # The rank runs up to where "since ..." or "in nearly a decade" begins.
        tail = text[m.end() : anchor.end()]
        cuts = list(re.finditer(r"\b(?:since|ever|in|on)\b", tail))
        stop = cuts[-1].start() if cuts else len(tail)
        end = m.end() + len(tail[:stop].rstrip(" \u00a0,"))
        if end - m.start() > 70:
            end = m.end() + (len(subject) + 1 if subject else 0)
    return _Hit(m.start(), end, "rank", rules.ordinals[m.group("ow").lower()], subject=subject)


class _Num(NamedTuple):
    """A matched number with what the scanner read around it, shared by the steps below."""

    m: re.Match[str]
    text: str
    rules: _Rules
    hi: int
    value: float  # the number as written, before any scale word
    amount: float  # the number times its scale ("4.1 billion" -> 4.1e9)
    factor: float  # the scale word's factor, 1 when there is none
    is_digits: bool
    start: int  # where the figure starts, a hedge ("nearly") included
    approx: str | None  # the hedge word, if any


def _numeric(m: re.Match[str], text: str, rules: _Rules, hi: int) -> _Hit | None:
    """Decide what a matched number is: a year, money, a percentage, a count or a duration."""
    g = m.groupdict().get
    raw = g("num")
    value = _number(raw, rules)
    if value is None:
        return None
    approx_m = _before(rules.approx_before, text, m.start())
    factor = rules.glued.get(g("glue") or "", 0) or rules.scales.get((g("scale") or "").lower(), 1)
    n = _Num(
        m,
        text,
        rules,
        hi,
        value,
        value * factor,
        factor,
        raw[:1].isdigit(),
        approx_m.start() if approx_m else m.start(),
        approx_m.group("a") if approx_m else None,
    )
    bare = not (g("pct") or g("cur") or g("unit") or g("per"))
    if n.is_digits and bare and not g("ordsfx") and not g("scale") and not g("glue"):
        if _CLOCK_AFTER.match(text, m.end("num")):
            return None  # a clock time or a numeric date, not a count
        if re.fullmatch(r"(?:1[5-9]|20)\d\d", raw):
            return _year(n, raw)
    if n.is_digits and bare and rules.code_before is not None:
        coded = _coded_money(n, raw)
        if coded is not None:
            return coded
    if g("ordsfx") or g("pct") or g("cur") or g("unit"):
        return _labelled(n)
    if g("per"):
        return _periodic(n)
    return _bare_number(n)


def _year(n: _Num, raw: str) -> _Hit:
    """A four-digit number read as a year ("2026") or a decade ("the 1990s")."""
    m, text = n.m, n.text
    qual_m = _before(n.rules.qual_before, text, m.start())
    ystart = qual_m.start() if qual_m else m.start()
    qual = qual_m.group("q") if qual_m else None
    if text[m.end() : m.end() + 1] == "s":  # "the 1990s"
        return _Hit(ystart, m.end() + 1, "year", f"{raw}s", qualifier=qual)
    return _Hit(ystart, m.end("num"), "year", int(raw), qualifier=qual)


def _coded_money(n: _Num, raw: str) -> _Hit | None:
    """Money written with a letter code before it ("USD 5m"), or None when there is no code."""
    m, g = n.m, n.m.groupdict().get
    code_m = _before(n.rules.code_before, n.text, m.start())
    if code_m and (g("scale") or g("glue") or "," in raw or "." in raw or n.value >= 1):
        code = n.rules.symbols.get(code_m.group().strip(), "") or None
        return _Hit(code_m.start(), m.end(), "money", float(_tidy(n.amount)), unit=code)
    return None


def _labelled(n: _Num) -> _Hit:
    """A number that says what it is: "51st", "67 per cent", "5 million dollars", "3 km"."""
    m, rules, g = n.m, n.rules, n.m.groupdict().get
    start, end, approx = n.start, m.end(), n.approx
    if g("ordsfx"):
        subject, end = _next_words(n.text, m.end("ordsfx"), n.hi, limit=1)
        return _Hit(start, end, "count", int(n.value), unit="ordinal", subject=subject)
    if g("pct"):
        subject, _ = _next_words(n.text, m.end(), n.hi, limit=1)
        return _Hit(
            start, end, "percent", _tidy(n.amount), unit="%", subject=subject, qualifier=approx
        )
    if g("cur"):
        code = rules.currency_words.get(g("cur").lower(), "") or None
        return _Hit(start, end, "money", float(_tidy(n.amount)), unit=code, qualifier=approx)
    label = rules.units.get(g("unit").lower(), g("unit"))
    kind = "count" if label == "people" else "quantity"
    return _Hit(start, end, kind, _tidy(n.amount), unit=g("unit").lower(), qualifier=approx)


def _periodic(n: _Num) -> _Hit | None:
    """A number of days, weeks or years: a length ("two years") or a count ("four-day visit")."""
    m, text, hi, g = n.m, n.text, n.hi, n.m.groupdict().get
    start, approx = n.start, n.approx
    per = g("per").lower()
    if not g("pl") and n.value != 1:
        # "four-day visit", "four day visit", "34-year-old": the number describes a noun.
        compound = _COMPOUND_AFTER.match(text, m.end(), hi)
        if compound:
            return _Hit(
                start,
                compound.end(),
                "count",
                _tidy(n.amount),
                unit=per,
                subject=compound.group(1),
                qualifier=approx,
            )
        subject, noun_end = _next_words(text, m.end(), hi, limit=2)
        if g("hy").strip() or subject:
            return _Hit(
                start,
                noun_end,
                "count",
                _tidy(n.amount),
                unit=per,
                subject=subject,
                qualifier=approx,
            )
        return None
    if not g("pl") and g("hy").strip():  # "one-day strike"
        subject, noun_end = _next_words(text, m.end(), hi, limit=2)
        return _Hit(start, noun_end, "count", 1, unit=per, subject=subject, qualifier=approx)
    return _Hit(start, m.end(), "duration", _tidy(n.amount), unit=per, qualifier=approx)


# A number word that is itself the subject: "Two have been rescued", "three were hurt".
_AUX_AFTER = re.compile(r"[^\S\n]+(?:were|was|are|have|had|remain|remained)\b")


def _bare_number(n: _Num) -> _Hit | None:
    """A number with no unit: a share ("two-thirds of"), a count of what follows, or nothing."""
    m, text, hi, rules = n.m, n.text, n.hi, n.rules
    start, approx, factor = n.start, n.approx, n.factor
    # "two-thirds of", "three quarters of": a share, not a count of thirds.
    share = _FRACTION_AFTER.match(text, m.end(), hi)
    if share and share.group(1).lower() in rules.fractions and n.value < 10 and factor == 1:
        den = rules.fractions[share.group(1).lower()]
        return _Hit(
            start,
            share.end(1),
            "percent",
            _tidy(round(100 * n.value / den, 1)),
            unit="share",
            qualifier=approx,
        )
    # A bare number: a count of whatever comes next ("6.1-magnitude earthquake", "41 new cases").
    compound = _COMPOUND_AFTER.match(text, m.end(), hi)
    if compound and factor == 1:
        return _Hit(
            start,
            compound.end(),
            "count",
            _tidy(n.amount),
            subject=compound.group(1),
            qualifier=approx,
        )
    subject, noun_end = _next_words(text, m.end(), hi, limit=2)
    if n.is_digits and not approx and _NAME_BEFORE.search(text, max(0, start - 30), start):
        return None  # "Local 114", "Boeing 737", "Route 66": part of a name, not a count
    if not n.is_digits:
        if n.value == 1 and factor == 1:
            return None  # "one" alone is a pronoun far more often than a count
        if subject is None and factor == 1 and not _AUX_AFTER.match(text, m.end(), hi):
            return None  # but "Two have been rescued", "three were hurt": a count of people
        if factor == 1 and _PRECEDING_DET.search(text, max(0, start - 12), start):
            return None  # "the two countries" points back; it counts nothing new
    return _Hit(
        start,
        noun_end if subject else m.end(),
        "count",
        _tidy(n.amount),
        subject=subject,
        qualifier=approx,
    )


# --------------------------------------------------------------------------- attribution

# Where a clause ends inside a sentence: semicolons, colons, dashes, and a comma
# that comes before a conjunction or a relative word starting a new clause.
_CLAUSE_BREAK = re.compile(
    r";|:(?!\d)|[^\S\n][—–][^\S\n]|—"  # a colon inside "10:29" is not a break
    r"|,(?=[^\S\n]+(?:and|but|or|yet|so|while|whereas|although|though|as|because|since|which|"
    r"who|despite|after|before|when|with|without|amid|even|if|unless|until)\b)"
    r"|,(?=[^\S\n]+[“\"])|[”\"],"
    # ", marking the first ...": a participle phrase is a clause of its own
    r"|,(?=[^\S\n]+(?!according\b)[a-z]+ing\b)"
    # "... urged Canada as Prime Minister Carney began ...": a subordinate clause with its
    # own subject ("as" before "the" or "a" is usually a preposition, so it is left alone)
    r"|[^\S\n](?=(?:as|while|whereas|because|although|though|after|before|when|until)"
    r"[^\S\n]+(?:[A-Z]|(?:he|she|they|it|we|its|their|his|her)\b))"
)


_OPENER = re.compile(
    r"[“\"‘']?(?i:as|while|when|with|after|before|although|though|if|because|since|despite|"
    r"amid|following|during|once|until|unless|whereas)\b"
)
# Where an indirect report stops: the clause break, or a new subordinate clause ("... as
# Carney began ...", "..., marking ...").
_REPORT_END = re.compile(
    rf"{_CLAUSE_BREAK.pattern}|{_SP}(?:as|while|whereas|amid|when|because|after|before){_SP}"
    rf"|,{_SP}+[a-z]+ing\b"
)


def _clause_bounds(text: str, sent_start: int, sent_end: int, pos: int) -> tuple[int, int]:
    """The clause of the sentence [sent_start, sent_end) that holds ``pos``.

    Clauses end at ; : and dashes, at a comma before a conjunction or a quotation,
    and, when the sentence opens with a subordinate phrase ("As Carney arrived on
    Wednesday, Beijing signalled ..."), at the comma that closes that phrase.
    """
    lo, hi = sent_start, sent_end
    if _OPENER.match(text, sent_start, sent_end):
        comma = text.find(",", sent_start, sent_end)
        if comma > 0:
            if pos < comma:
                hi = comma
            else:
                lo = comma + 1
    for b in _CLAUSE_BREAK.finditer(text, lo, hi):
        if b.end() <= pos:
            lo = b.end()
        elif b.start() >= pos:
            hi = b.start()
            break
    return lo, hi


# Per article: (start, end, kind, source phrase, mode, where the source's report starts or
# -1). mode "source": the source phrase
# itself, which credits figures in its clause; "quote": a direct quotation, all of which the
# source governs; "report": an indirect report, governed up to the end of its clause.
_Governed = tuple[int, int, str, str, str, int]
_SOURCE_CACHE: weakref.WeakKeyDictionary[Article, list[_Governed]] = weakref.WeakKeyDictionary()


def _governed_spans(article: Article) -> list[_Governed]:
    """Where each attribution of ``kit.sources.find_attributions`` reaches in the text.

    A source credits a figure when the source phrase stands in the figure's own clause
    ("Official data showed a fall in 2025"), or when the figure lies in what the source is
    reported to have said: the whole of a direct quotation, or an indirect report up to the
    end of its clause ("X said the visit is a four-day visit, as ...").
    """
    cached = _SOURCE_CACHE.get(article)
    if cached is not None:
        return cached
    try:
        from kit import sources
    except ImportError:  # the attribution detector is not installed: nothing is sourced
        _SOURCE_CACHE[article] = []
        return []
    text = article.text
    out: list[_Governed] = []
    attributions = sources.find_attributions(article)
    for a in attributions:
        kind = str(getattr(a, "kind", ""))
        phrase = text[a.start : a.end]
        if _norm_space(phrase).lower() == _norm_space(str(getattr(a, "verb", ""))).lower():
            kind = "agentless"  # "is expected", "it is understood": no one at all is named
        span = _unpack_span(getattr(a, "quote", None))
        # A report that follows its source ("the group confirmed it would ...") is what the
        # source says; a figure before the source phrase is then the writer's own.
        after = span[0] if span is not None and span[0] >= a.end else -1
        out.append((a.start, a.end, kind, phrase, "source", after))
        if span is None:
            continue
        # An indirect report is cut at its clause's end later, only for a figure inside it.
        mode = "quote" if getattr(a, "direct", False) else "report"
        out.append((span[0], span[1], kind, phrase, mode, -1))
    out.extend(_continued_quotes(article, attributions))
    _SOURCE_CACHE[article] = out
    return out


def _continued_quotes(article: Article, attributions: list[Any]) -> list[_Governed]:
    """Quotations that go on in the voice of the speaker quoted just before.

    News copy names a speaker once and lets the quotation run on: '"Families are hurting,"
    Baker said. "Prices are up 20 percent."' The second quotation is Baker's too, so it is
    governed like the first; so is a quotation after "X released the following statement:".
    It must follow the speaker's sentence with nothing in between but a paragraph break, and
    no other source may stand in or before it.
    """
    text = article.text
    if not attributions or ("“" not in text and '"' not in text):
        return []
    claimed = [(a.start, a.end) for a in attributions] + [
        tuple(a.quote) for a in attributions if getattr(a, "quote", None)
    ]
    starts = [s.start for s in article.sentences]
    out: list[_Governed] = []
    speaker: tuple[str, str, int] | None = None  # kind, phrase, where its last sentence ends
    # Speakers, in order: a source quoted directly, or one that introduces what follows
    # with a colon ("Senator Doe released the following statement:").
    voices = []
    for a in attributions:
        end = _sentence_end(article, starts, a.end)
        if a.direct and a.quote:
            voices.append((a.quote[0], str(a.kind), text[a.start : a.end], end))
        elif text[a.end : end].rstrip().endswith(":"):
            voices.append((end, str(a.kind), text[a.start : a.end], end))
    voices.sort()
    d = 0
    for q0, q1 in quotation_spans(text):
        while d < len(voices) and voices[d][0] < q1:
            speaker = voices[d][1:]
            d += 1
        if speaker is None or any(s < q1 and q0 < e for s, e in claimed):
            continue
        gap = text[speaker[2] : q0]
        i = bisect.bisect_right(starts, q0) - 1
        if gap.strip() or gap.count("\n") > 2 or i < 0 or text[starts[i] : q0].strip():
            speaker = None  # the writer's own words came between: the voice has changed
            continue
        out.append((q0, q1, speaker[0], speaker[1], "quote", -1))
        speaker = (speaker[0], speaker[1], _sentence_end(article, starts, q1 - 1))
    return out


def _sentence_end(article: Article, starts: list[int], offset: int) -> int:
    i = bisect.bisect_right(starts, offset) - 1
    sents = article.sentences
    return sents[i].end if 0 <= i < len(sents) and offset < sents[i].end else offset


def _norm_space(text: str) -> str:
    return " ".join(text.split())


def _attr_field(item: Any, *names: str) -> Any:
    for name in names:
        if isinstance(item, dict) and name in item:
            return item[name]
        if hasattr(item, name):
            return getattr(item, name)
    return None


def _unpack_span(obj: Any) -> tuple[int, int] | None:
    if obj is None:
        return None
    if isinstance(obj, tuple) and len(obj) == 2 and all(isinstance(v, int) for v in obj):
        return obj[0], obj[1]
    s, e = _attr_field(obj, "start"), _attr_field(obj, "end")
    if isinstance(s, int) and isinstance(e, int):
        return s, e
    return None


_CREDITED = ("named", "organization")


_RELATIVE = re.compile(r"[^\S\n]*(?:who|whose)\b")


def _describes(text: str, source_end: int, clause_start: int) -> bool:
    """True for '<source>, who rates the stock a buy at SEK 250': the source's own claim."""
    return 0 <= clause_start - source_end <= 2 and bool(_RELATIVE.match(text, clause_start))


def _credit(
    text: str, spans: list[_Governed], clause: tuple[int, int], start: int, end: int
) -> tuple[bool, str | None, str]:
    """(attributed, source phrase, source kind) for a figure at [start, end) in ``clause``."""
    best: tuple[bool, str | None, str] = (False, None, "")
    for s, e, kind, phrase, mode, report_at in spans:
        # The source phrase in the figure's clause, or the figure in the source's report.
        if mode == "source":
            in_clause = clause[0] <= s and e <= clause[1]
            # "..., said X, who rates the stock a buy at SEK 250": the source's own claim;
            # but "X, who has worked there for 23 years, said ..." only describes the source.
            if not in_clause and not (report_at < 0 and _describes(text, e, clause[0])):
                continue
            if s <= start and end <= e:
                continue  # "Hale, one of the three members who ...": it describes the source
            if report_at >= 0 and end <= s:
                continue  # "fell 3% on Thursday after the group confirmed it would ..."
        elif not (s <= start and end <= e):
            continue
        elif mode == "report":
            stop = _REPORT_END.search(text, s, start)
            if stop is not None and stop.start() > s:
                continue  # the report ended before the figure: "X said ..., as ..."
        if kind in _CREDITED:
            return True, phrase or None, kind
        if best[1] is None:
            best = (False, phrase or None, kind)
    return best


# --------------------------------------------------------------------------- public


def find_figures(article: Article) -> list[Figure]:
    """Every figure in ``article`` (page furniture skipped), in text order, each with a reason.

    >>> from kit.articles import load_articles
    >>> d = load_articles()["D"]
    >>> [d.text[f.start:f.end] for f in find_figures(d)][:3]
    ['Tuesday', 'four day official visit', 'first trip by a Canadian leader to China']
    """
    rules = _rules()
    memo = _MEMO.get(article)
    if memo is not None and memo[0] is rules:
        return list(memo[1])
    found = _find(article, rules)
    _MEMO[article] = (rules, tuple(found))
    return found


# Comparing articles asks for the same article's figures again; articles are immutable, so
# the answer is kept as long as the article object lives (and the lexicon is unchanged).
_MEMO: weakref.WeakKeyDictionary[Article, tuple[_Rules, tuple[Figure, ...]]] = (
    weakref.WeakKeyDictionary()
)


def _find(article: Article, rules: _Rules) -> list[Figure]:
    text = article.text
    if not text:
        return []
    hits = _rough_hits(text, rules, _scan(text, rules))
    if not hits:
        return []
    sentences = article.sentences
    starts = [s.start for s in sentences]
    years_by_sentence: dict[int, bool] = {}
    kept: list[_Hit] = []
    for h in hits:
        if article.is_boilerplate(h.start, h.end):
            continue
        if h.kind in _VETOED_KINDS and _vetoed(text, rules, h.start, h.end):
            continue
        kept.append(h)
    if not kept:
        return []
    for h in kept:
        if h.kind in ("year", "date") and h.value is not None:
            i = bisect.bisect_right(starts, h.start) - 1
            years_by_sentence[i] = True
    governed = _governed_spans(article)
    out: list[Figure] = []
    for h in kept:
        i = bisect.bisect_right(starts, h.start) - 1
        if 0 <= i < len(sentences) and sentences[i].start <= h.start < sentences[i].end:
            sent = sentences[i]
            clause = _clause_bounds(text, sent.start, sent.end, h.start)
        else:
            clause = (h.start, h.end)
        attributed, source, source_kind = _credit(text, governed, clause, h.start, h.end)
        notes = _notes(h, rules, has_year=years_by_sentence.get(i, False))
        out.append(
            Figure(
                start=h.start,
                end=h.end,
                kind=h.kind,
                value=h.value,
                unit=h.unit,
                subject=h.subject,
                qualifier=h.qualifier,
                attributed=attributed,
                source=source,
                reason=_reason(rules, attributed, source, source_kind, notes),
            )
        )
    out.sort(key=lambda f: (f.start, f.end))
    return _drop_nested(out)


# Idioms and relative times only ever look like counts, rankings or durations.
_VETOED_KINDS = frozenset({"count", "rank", "duration"})


def _vetoed(text: str, rules: _Rules, start: int, end: int) -> bool:
    """True when an idiom or a relative time overlaps [start, end) (checked near the hit only)."""
    if rules.veto is None:
        return False
    return any(
        v.start() < end and start < v.end()
        for v in rules.veto.finditer(text, max(0, start - 40), min(len(text), end + 40))
    )


def _drop_nested(figs: list[Figure]) -> list[Figure]:
    """A figure inside another one ("2026" inside "January 14, 2026") is the same claim."""
    out: list[Figure] = []
    for f in figs:
        if out and out[-1].start <= f.start and f.end <= out[-1].end:
            continue
        out.append(f)
    return out


def _notes(h: _Hit, rules: _Rules, *, has_year: bool) -> list[str]:
    notes = []
    if h.kind == "money":
        if h.unit is None:
            notes.append(rules.reasons["no-currency"].reason)
        if not has_year:
            notes.append(rules.reasons["no-year"].reason)
    elif h.kind == "rank" and h.unit is not None:
        notes.append(rules.reasons["rank-basis"].reason)
    elif h.qualifier == "rough":
        notes.append(rules.reasons["rough-count"].reason)
    return notes


def _reason(
    rules: _Rules, attributed: bool, source: str | None, source_kind: str, notes: list[str]
) -> str:
    if attributed and source:
        base = rules.reasons["credited-named"].explain(source)
    elif source and source_kind == "agentless":
        base = rules.reasons["credited-agentless"].explain(source)
    elif source:
        base = rules.reasons["credited-unnamed"].explain(source)
    else:
        base = rules.reasons["unsourced"].reason
    if notes:
        base += ", and " + " and ".join(notes)
    return base.rstrip(".") + "."


# --------------------------------------------------------------------------- claims

# A claim is a figure a second article could contradict, put in a form two articles can be
# compared in: one kind per thing measured, a value in one unit, the range its hedge allows,
# and the words around it (what ties it to what it is about).
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_CONTEXT_WINDOW = 12  # words either side of a figure, inside its sentence
_CONTEXT_WORD = re.compile(r"[A-Za-z][\w’'-]*")
_TALLY = re.compile(r"(\d{1,3})[-‐‑–](\d{1,3})(?![\d%])")
# "voted 76 to 20": a tally written out, read as one only beside a vote word ("from 5 to 10"
# is a range); the second number must end the figure ("20 percent", "20,000" are not votes)
_TALLY_TO = re.compile(
    r"(\d{1,3})[^\S\n]+to[^\S\n]+(\d{1,3})"
    r"(?![\d%]|[.,]\d|[^\S\n]*(?:percent|per[^\S\n]+cent))"
)
_RANGE_FROM = re.compile(r"\bfrom[^\S\n]+$", re.I)


@dataclass(frozen=True, slots=True)
class Claim:
    """A checkable claim at ``article.text[start:end]``, ready to compare across articles.

    ``kind`` is what is measured: ``money``, ``count``, ``percent``, ``quantity``
    (``unit`` names the family: distance, weight ...), ``duration`` (value in days),
    ``day`` (``value`` an ISO date, ``"--MM-DD"`` or a weekday name; ``weekday`` 0-6 when
    known), ``rank`` (``value`` the position, ``unit`` the superlative or ``"ordinal"`` for
    "first since ..."), ``since`` (the year a record reaches back to: "the first visit since
    2017", value the year), ``time`` (a clock time ``"HH:MM"``, ``unit`` its zone) or ``tally``
    (a vote such as ``"7-2"``, or "76 to 20" beside a vote word, value ``"76-20"``).
    ``hedge`` is ``"about"``, ``"at-most"``, ``"at-least"`` or None, and ``hedge_word`` the
    article's word for it.
    ``context`` holds the content words of the sentence near the figure, nearest first, as
    ``(word stem, distance in words)``; ``subject`` is what is counted or ranked.
    """

    start: int
    end: int
    kind: str
    value: float | str
    unit: str | None = None
    subject: str | None = None
    hedge: str | None = None
    hedge_word: str | None = None
    weekday: int | None = None
    sentence: tuple[int, int] = (0, 0)
    context: tuple[tuple[str, int], ...] = ()
    changing: bool = False  # the sentence says the number moves ("rose to", "so far")
    lead: bool = False  # in the article's opening sentence, where news puts its main event
    noun: str | None = None  # counts: the counted noun, folded ("positions" -> "job")
    converted: bool = False  # money in brackets after other money: "€40m (about £34m)"
    bound: bool = False  # days: the edge of a span ("through Sunday", "since May 2"), not an event
    upper: float | None = None  # a rough count's ceiling: "hundreds" is value 200 up to 1,000


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A word folded for matching: lower case, no possessive, no plural.

    >>> [stem(w) for w in ("Centres", "center", "cities", "Kerbo’s", "voted", "vote", "bus")]
    ['center', 'center', 'city', 'kerbo', 'vot', 'vot', 'bus']
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.rstrip("'")
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith(("ches", "shes", "xes", "sses")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 4 and w.endswith("tre"):
        w = w[:-3] + "ter"  # British and American spelling: centre / center, metre / meter
    name = word[:1].isupper()  # "Beijing" is not a verb ending in -ing
    if (len(w) > 5 and w.endswith("ing") and not name) or (len(w) > 4 and w.endswith("ed")):
        w = w[:-3] if w.endswith("ing") else w[:-2]  # voted, voting -> vot
        if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "ls":
            w = w[:-1]  # planned -> plan
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]  # vote -> vot, as voted
    return w


def article_year(article: Article, figures: Iterable[Figure] = ()) -> int | None:
    """The year a date without one most likely belongs to: the article's own dates first."""
    for value in (article.event_date, article.published):
        m = re.search(r"\b(?:19|20)\d\d\b", value or "")
        if m:
            return int(m.group())
    for f in figures:
        if f.kind == "date" and isinstance(f.value, str) and f.value[:4].isdigit():
            return int(f.value[:4])
    return None


def _weekday(value: str, year: int | None) -> int | None:
    import datetime as dt

    m = re.fullmatch(r"(\d{4}|-)-(\d\d)-(\d\d)", value)
    if not m:
        return None
    y = int(m.group(1)) if m.group(1) != "-" else year
    if y is None:
        return None
    try:
        return dt.date(y, int(m.group(2)), int(m.group(3))).weekday()
    except ValueError:
        return None


_SINCE = re.compile(r"\bsince[\s\u00a0]+$", re.I)


def _record_pattern(superlatives: list[str]) -> re.Pattern[str]:
    """What makes "since 2017" the reach of a record: "first", "only", a superlative."""
    return re.compile(
        rf"\b(?:first|last|only|{_alt(superlatives)})\b"
        r"|\b(?:the|its|their|his|her|a)[\s\u00a0]+(?:[\w-]+[\s\u00a0]+)?"
        r"(?:\w{3,}est|most[\s\u00a0]+\w+|least[\s\u00a0]+\w+)\b",
        re.I,
    )


def _record_since(f: Figure, text: str, rules: _Rules, sent_start: int) -> dict[str, Any] | None:
    """ "The first visit since 2017", "prices rose at the fastest pace since 2008": the year
    a record reaches back to, which another report can give differently."""
    if f.kind != "year" or not isinstance(f.value, int):
        return None
    if _SINCE.search(text, max(0, f.start - 12), f.start) is None:
        return None
    if rules.record.search(text, max(sent_start, f.start - 120), f.start) is None:
        return None
    return {"kind": "since", "value": float(f.value)}


def _tally_to(text: str, pos: int, rules: _Rules, sent: tuple[int, int]) -> re.Match[str] | None:
    """ "The Senate voted 76 to 20": a vote's count written with "to", when its sentence
    speaks of a vote; "rose from 4 to 6" is a range."""
    m = _TALLY_TO.match(text, pos)
    if m is None or rules.vote_cue is None or _RANGE_FROM.search(text, max(0, pos - 10), pos):
        return None
    return m if rules.vote_cue.search(text, *sent) else None


def _rough_measure(f: Figure, text: str, rules: _Rules) -> dict[str, Any] | None:
    """ "hundreds of structures": a count between the least and most its word allows."""
    words = " ".join(text[f.start : f.end].lower().split())
    term = max((t for t in rules.rough_ranges if words.startswith(t)), key=len, default=None)
    if term is None:
        return None
    least, most = rules.rough_ranges[term]
    word = " ".join(text[f.start : f.end].split()[: len(term.split())])
    return {"kind": "count", "value": least, "upper": most, "hedge": "range", "hedge_word": word}


def _measure(
    f: Figure, text: str, rules: _Rules, year: int | None, sent: tuple[int, int]
) -> dict[str, Any] | None:
    """Kind, value and unit of a figure as a claim, or None for figures nobody contradicts.
    ``sent`` is the figure's sentence, where a vote word makes "76 to 20" a tally."""
    value = f.value
    if f.kind == "weekday" and isinstance(value, str):
        return {"kind": "day", "value": value, "weekday": _WEEKDAY_NAMES.index(value)}
    if f.kind == "date" and isinstance(value, str):
        if f.qualifier or not re.fullmatch(r"(?:\d{4}|-)-\d\d-\d\d", value):
            return None  # "late January", "March 2026": a span, not a day
        return {"kind": "day", "value": value, "weekday": _weekday(value, year)}
    if f.kind == "time" and isinstance(value, str):
        # a clock time of one event ("polls open at 7 a.m."); the zone, when given, is its unit
        return {"kind": "time", "value": value, "unit": f.unit}
    if f.kind == "count" and f.qualifier == "rough" and value is None:
        return _rough_measure(f, text, rules)
    if not isinstance(value, int | float):
        return None
    if f.kind == "rank":
        if f.qualifier in ("top", "one of", "record"):
            return None  # "top three", "one of the largest ever" name a group, not a place
        return {"kind": "rank", "value": float(value), "unit": f.unit or "ordinal"}
    if f.kind == "money":
        return {"kind": "money", "value": float(value), "unit": f.unit}
    if f.kind == "percent":
        return {"kind": "percent", "value": float(value), "unit": "%"}
    if f.kind == "duration" or (f.kind == "count" and f.unit in rules.periods):
        days = rules.periods.get(str(f.unit), 0.0)
        return {"kind": "duration", "value": float(value) * days, "unit": "day"} if days else None
    if f.kind == "quantity" and f.unit:
        family = rules.units.get(f.unit.lower(), f.unit.lower())
        factor = rules.unit_factors.get(f.unit.lower())
        unit = family if factor else f.unit.lower()  # no factor: only the same unit compares
        return {"kind": "quantity", "value": float(value) * (factor or 1.0), "unit": unit}
    if f.kind == "count":
        if f.unit == "ordinal":
            return None  # "51st state" is a name for something, not an amount
        tally = _TALLY.match(text, f.start) or _tally_to(text, f.start, rules, sent)
        if tally:
            # the whole tally is the claim: "6-3", not the "6" the figure finder sees
            return {
                "kind": "tally",
                "value": f"{tally.group(1)}-{tally.group(2)}",
                "end": tally.end(),
            }
        return {"kind": "count", "value": float(value)}
    return None


def _content_words(text: str, sent: tuple[int, int], rules: _Rules) -> list[tuple[int, int, str]]:
    """The content words of one sentence, folded, as (start, end, stem), in reading order.

    >>> text = "Crews cleared 13 homes on Monday."
    >>> [w for _, _, w in _content_words(text, (0, len(text)), _rules())]
    ['crew', 'clear', 'hom']
    """
    out = []
    for m in _CONTEXT_WORD.finditer(text, sent[0], sent[1]):
        word = m.group()
        low = word.lower()
        if low in _STOP or low in _NUMBERISH or low in rules.context_stop:
            continue
        if low in rules.number_words or low in rules.hedges or low in rules.periods:
            continue
        if word in _WEEKDAY_NAMES or low in rules.months:
            continue
        # "positions" and "jobs" count the same thing
        out.append((m.start(), m.end(), fold_word(text, m, rules)))
    return out


def _context(
    text: str,
    sent: tuple[int, int],
    f: Figure,
    masked: list[tuple[int, int]],
    words: list[tuple[int, int, str]],
    units: bool = True,
) -> tuple[tuple[str, int], ...]:
    """Content ``words`` of the sentence ``sent`` near ``f``, nearest first, as (stem, distance).

    ``units=False`` leaves out the figure's own words ("degrees" in "78 degrees"): two
    measurements in one unit share it whatever they measure. A word on the far side of
    another figure ("open for 10 years and ... for three years") counts as further off.
    """
    before: list[tuple[str, bool]] = []
    inside: list[str] = []
    after: list[tuple[str, bool]] = []
    inner = [(s, e) for s, e in masked if sent[0] <= s and e <= sent[1]]
    near = [(s, e) for s, e in masked if s < sent[1] and e > sent[0]]
    left = max((e for s, e in inner if e <= f.start), default=-1)
    right = min((s for s, e in inner if s >= f.end), default=sent[1] + 1)
    # "open for 10 years and its maternity unit ...": past a joining word the words after a
    # figure start another clause, about something else
    joint = _NEXT_CLAUSE.search(text, f.end, sent[1])
    right = min(right, joint.start()) if joint else right
    if left >= 0:
        # "12 were killed and 15 injured": past a joining word after another figure, the
        # words before it belong to that figure's clause, and count as further off
        for link in _NEXT_CLAUSE.finditer(text, left, f.start):
            left = link.end()
    for start, end, w in words:
        if f.start <= start < f.end:
            if units:
                inside.append(w)
        elif any(s <= start < e for s, e in near):
            continue  # another figure's words ("$4 million") say nothing about this one
        elif end <= f.start:
            before.append((w, end <= left))
        else:
            after.append((w, start >= right))
    out = [(w, 0) for w in inside]
    for side in (list(reversed(before))[:_CONTEXT_WINDOW], after[:_CONTEXT_WINDOW]):
        out += [(w, i + 1 + _BEYOND * far) for i, (w, far) in enumerate(side)]
    return tuple(sorted(out, key=lambda wd: wd[1]))


def fold_word(text: str, m: re.Match[str], rules: _Rules) -> str:
    """The stem of the word ``m`` matched, folded into its synonym group's first word.

    A two-word term is folded on its second word: "members" after "service" counts as
    "troops", like "soldiers" does. Only such a second word looks back at the word before.

    >>> text = "13 service members"
    >>> fold_word(text, re.search("members", text), _rules())
    'troop'
    """
    w = stem(m.group())
    firsts = rules.pairs.get(w)
    if firsts:
        before = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
        if before and stem(before.group(1)) in firsts:
            return firsts[stem(before.group(1))]
    return rules.synonyms.get(w, w)


_WORD_BEFORE = re.compile(r"([A-Za-z][\w’'-]*)[^\S\n]+\Z")
_BEYOND = 6  # extra distance for a word on the far side of another figure
_NEXT_CLAUSE = re.compile(r";|,?[^\S\n]+(?:and|but|while|whereas)[^\S\n]")


# "MARROWGATE, Oct. 15 (CPA) —": where and when the story was filed, not a fact in it
_DATELINE = re.compile(
    r"[^\S\n]*[A-Z][A-Z .'’-]{2,}(?:,[^\n—–]{0,40}?)?(?:[^\S\n]*\([^)\n]{1,40}\))?"
    r"[^\S\n]*(?:[—–]|-{1,2})[^\S\n]"
)
# "through Aug. 21", "since July 28", "until Sunday": the edge of a span, not the day of an event
_SPAN_EDGE = re.compile(r"\b(?i:through|thru|until|till|since|from)[^\S\n]+$")
_SHORT_CONTEXT = 3  # fewer content words than this: the sentence points back ("That's $5m.")


def find_claims(article: Article) -> list[Claim]:
    """The figures of ``article`` that another article could contradict, as claims.

    >>> from kit.articles import load_articles
    >>> from kit._data import data_dir
    >>> e = load_articles(data_dir() / "articles" / "carney-beijing-2026")["E"]
    >>> c = next(c for c in find_claims(e) if c.kind == "day")
    >>> c.value, c.weekday, e.text[c.start:c.end]
    ('2026-01-14', 2, 'January 14, 2026')
    """
    rules = _rules()
    figures = find_figures(article)
    text = article.text
    year = article_year(article, figures)
    spans = [(f.start, f.end) for f in figures]
    body = article.body_sentences
    lead = (body[0].start, body[0].end) if body else (-1, -1)
    dateline = _DATELINE.match(text, lead[0]) if body else None
    # a sentence with several figures is read once, not once per figure
    words_of = functools.cache(lambda bounds: _content_words(text, bounds, rules))
    out: list[Claim] = []
    for i, f in enumerate(figures):
        if out and out[-1].kind == "tally" and f.start < out[-1].end:
            continue  # the "20" of "76 to 20" is part of the tally already claimed
        sent = article.sentence_at(f.start)
        bounds = (sent.start, sent.end) if sent is not None else (f.start, f.end)
        measure = _measure(f, text, rules, year, bounds) or _record_since(f, text, rules, bounds[0])
        if measure is None or (dateline and f.start < dateline.end()):
            continue
        qualifier = f.qualifier.lower() if f.qualifier and f.kind != "rank" else None
        cue = rules.change_cue
        masked = spans[:i] + spans[i + 1 :]
        if measure["kind"] == "since":
            # the record's own words ("first visit ... by a leader") say what it is about
            masked = [(g.start, g.end) for g in figures if g is not f and g.kind != "rank"]
        # a unit ("years", "SEK", "degrees") is shared by every figure measured in it; the
        # counted noun ("640 jobs") or ranked thing ("largest employer") says what it is about
        units = measure["kind"] in ("count", "rank")
        context = _context(text, bounds, f, masked, words_of(bounds), units=units)
        if len(context) < _SHORT_CONTEXT and sent is not None:
            context += _context_before(article, sent, f, masked, words_of)
        end = measure.pop("end", f.end)
        hedge = rules.hedges.get(qualifier) if qualifier else None
        hedge = measure.pop("hedge", hedge)
        qualifier = measure.pop("hedge_word", qualifier)
        if hedge == "range":  # "hundreds" itself says nothing about what is counted
            own = {stem(w) for w in str(qualifier).split()}
            context = tuple((w, d) for w, d in context if w not in own)
        out.append(
            Claim(
                start=f.start,
                end=end,
                subject=f.subject,
                hedge=hedge,
                hedge_word=qualifier,
                sentence=bounds,
                context=context,
                changing=bool(cue and cue.search(text, *bounds)),
                lead=bounds == lead,
                bound=measure["kind"] == "day"
                and bool(_SPAN_EDGE.search(text, max(0, f.start - 12), f.start)),
                **measure,
            )
        )
    return out


def _context_before(
    article: Article,
    sent: Any,
    f: Figure,
    masked: list[tuple[int, int]],
    words_of: Callable[[tuple[int, int]], list[tuple[int, int, str]]],
) -> tuple[tuple[str, int], ...]:
    """The words of the sentence before, further off: what a bare "That's $5m." points back to."""
    before = [s for s in article.body_sentences if s.end <= sent.start]
    if not before:
        return ()
    prev = before[-1]
    bounds = (prev.start, prev.end)
    words = _context(article.text, bounds, f, masked, words_of(bounds))
    return tuple((w, d + _CONTEXT_WINDOW // 2) for w, d in words)
