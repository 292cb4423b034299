"""Framing: loaded words, hedges and side labels; who acts in a headline; whose voice is heard.

Three tools, all explainable hints rather than verdicts:

- :func:`find_framing` marks loaded language, hedges and framing labels, each with the reason
  from its lexicon entry (``data/lexicons/loaded.toml``, ``hedges.toml``, ``labels.toml``), and
  says when a word sits inside a direct quotation (then it is the speaker's word).
- :func:`analyze_headlines` reads each headline as actor + verb + claim, and says which side
  the actor belongs to (sides come from the article set's manifest).
- :func:`voice_share` counts, per article and side, the attributions that
  :func:`kit.find_attributions` finds and the characters they quote or report;
  :func:`voice_share_chart` draws them.

>>> import kit
>>> a = kit.load_articles()["C"]
>>> [a.text[c.start:c.end] for c in kit.find_framing(a) if c.kind == "loaded"][:2]
['aggression', 'bristled']
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kit._data import ENV_VAR, data_dir
from kit._text import inside, quotation_spans
from kit.articles import UNKNOWN, Article, ArticleSet
from kit.lexicons import Lexicon, LexiconEntry, load_lexicon, prefix_tree_regex

if TYPE_CHECKING:  # pragma: no cover
    import altair
    import pandas

__all__ = [
    "KINDS",
    "FramingCue",
    "HeadlineAnalysis",
    "VoiceAttribution",
    "VoiceRow",
    "VoiceShare",
    "analyze_headlines",
    "find_framing",
    "voice_share",
    "voice_share_chart",
]

# kind -> lexicon file (data/lexicons/<name>.toml)
KINDS: dict[str, str] = {"loaded": "loaded", "hedge": "hedges", "label": "labels"}
QUOTED_NOTE = "These are the speaker's words, not the writer's."
# Lexicon entries of this kind list context words (e.g. bridges, roofs, ships), not cues.
CONTEXT = "context"
# A lexicon entry of this kind holds no words but the settings of the scare-quote rule: a
# short phrase in quotation marks that no one is credited with saying is the writer's sneer.
SCARE_QUOTE = "scare-quote"
# The verbs of saying that credit a quotation to a speaker (shared with kit.sources).
ATTRIBUTION_VERBS = "speech_verbs"
UNASSIGNED = "unassigned"

# A space or hyphen in a lexicon term matches any run of white space (non-breaking spaces
# included) or hyphens, so "heavy-handed", "heavy handed" and "non interference" all match.
# Written as an alternation: a character class with a character past U+00FF costs the regex
# compiler a 64K table each time it appears, and this one appears at every space of every term.
_SEP = r"(?:[-\s]|\u2010|\u2011)+"
_SEP_CHARS = re.compile(r"[-\u2010\u2011\s\u00a0]+")
_APOSTROPHES = "'\u2019"
# Hyphens count as part of a word here: "bitter" must not fire inside "bitter-sweet", nor
# "aggressive" inside "non-aggressive" (which says the opposite).
_LEFT = r"(?<![\w\-\u2010\u2011])"
_RIGHT = r"(?![\w\-\u2010\u2011])"


@dataclass(frozen=True, slots=True)
class FramingCue:
    """One framing hint: ``article.text[start:end]`` is the word or phrase found.

    ``kind`` is "loaded", "hedge" or "label"; ``term`` the lexicon term it matched; ``quoted``
    is True when it sits inside a direct quotation (then it is the speaker's word, and the
    reason says so); ``entry`` the id of the lexicon entry.
    """

    start: int
    end: int
    kind: str
    term: str
    quoted: bool
    reason: str
    entry: str = ""


# --------------------------------------------------------------------------- matching


def _norm(term: str) -> str:
    """The key a term and a matched text share: lower case, one space for any separator."""
    return _SEP_CHARS.sub(" ", term.lower().replace("\u2019", "'")).strip()


def _trie_regex(keys: Iterable[str]) -> str:
    # Hyphens count as spaces, and straight and curly apostrophes as each other.
    return prefix_tree_regex(keys, space=_SEP, apostrophes=_APOSTROPHES)


@dataclass(frozen=True)
class _Matcher:
    regex: re.Pattern[str]  # every chosen kind in one prefix-tree alternation: one pass
    index: dict[str, tuple[tuple[str, str, LexiconEntry], ...]]  # key -> (kind, term, entry)
    kinds: tuple[str, ...]  # the kinds in the regex, to look for shorter terms in a match
    # context word lists (entries of kind "context") by entry id, for x_literal_near
    contexts: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # id(entry) -> that entry's own terms, for rules that look at the whole article
    own: dict[int, re.Pattern[str]] = field(default_factory=dict)
    # the scare-quote rule's entry and the verbs of saying that credit a quote to someone
    scare: LexiconEntry | None = None
    speech: re.Pattern[str] | None = None


_MATCHERS: dict[tuple[tuple[str, str, int], ...], _Matcher] = {}
_PATHS: dict[tuple[str | None, str], str] = {}


def _stamp(name: str) -> tuple[str, str, int]:
    """Which version of a lexicon file is current: compiled regexes are reused until it changes."""
    where = (os.environ.get(ENV_VAR), name)
    path = _PATHS.get(where)
    if path is None:  # data_dir() resolves symlinks, too slow to repeat per article
        path = _PATHS[where] = str(data_dir() / "lexicons" / f"{name}.toml")
    try:
        return name, path, os.stat(path).st_mtime_ns
    except OSError:
        return name, path, -1  # load_lexicon reports the missing file


def _compile(keys: Iterable[str]) -> re.Pattern[str]:
    # Matching runs on the lower-cased text, so the regex needs no IGNORECASE (which
    # roughly doubles its cost); entries marked x_case_sensitive are checked afterwards.
    return re.compile(_LEFT + "(?:" + _trie_regex(keys) + ")" + _RIGHT)


def _matcher(kinds: tuple[str, ...]) -> _Matcher:
    stamps = tuple(_stamp(KINDS[kind]) for kind in kinds)
    if "loaded" in kinds:  # the scare-quote rule borrows the verbs of saying
        stamps += (_stamp(ATTRIBUTION_VERBS),)
    cached = _MATCHERS.get(stamps)
    if cached is not None:
        return cached
    index: dict[str, list[tuple[str, str, LexiconEntry]]] = {}
    contexts: dict[str, re.Pattern[str]] = {}
    own: dict[int, re.Pattern[str]] = {}
    scare: LexiconEntry | None = None
    speech: re.Pattern[str] | None = None
    for kind in kinds:
        seen: set[str] = set()
        for entry in load_lexicon(KINDS[kind]):
            if entry.kind == SCARE_QUOTE:
                if scare is None:
                    scare = entry
                    verbs = {_norm(t) for e in load_lexicon(ATTRIBUTION_VERBS) for t in e.terms}
                    speech = _compile(verbs | {_norm(t) for t in entry.terms})
                continue
            if entry.kind == CONTEXT:
                # Not cues: words whose nearness tells a literal use from a figurative one.
                alternatives = [_trie_regex(_norm(t) for t in entry.terms)] if entry.terms else []
                alternatives += [f"(?:{p})" for p in entry.patterns]
                contexts[entry.id] = re.compile(
                    _LEFT + "(?:" + "|".join(alternatives) + ")" + _RIGHT
                )
                continue
            if entry.extra.get("x_literal_scope") == "article":
                own[id(entry)] = _compile({_norm(t) for t in entry.terms})
            for term in entry.terms:
                key = _norm(term)
                if key not in seen:  # within a kind, the first entry to list a term keeps it
                    seen.add(key)
                    index.setdefault(key, []).append((kind, term, entry))
    matcher = _Matcher(
        _compile(index),
        {k: tuple(v) for k, v in index.items()},
        kinds,
        contexts,
        own,
        scare,
        speech,
    )
    _MATCHERS[stamps] = matcher
    return matcher


def _lowered(text: str) -> str:
    """``text.lower()`` with every offset kept (a few characters, like 'İ', grow when lowered)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


_MONTH_BEFORE = re.compile(
    r"(?:\b(?:in|on|by|since|until|till|from|of|early|late|mid|last|next|this|through|during"
    r"|before|after|between|and|or|to|until|throughout)[\s\u00a0]+|\d[\s\u00a0]*|mid-)$",
    re.IGNORECASE,
)
_MONTH_AFTER = re.compile(r"[\s\u00a0]*(?:\d|$|[,.;:)\]])")


def _opens_sentence(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    return i < 0 or text[i] in ".!?:;\n\"“”‘’'—–(-"


def _title_case_line(text: str, start: int) -> bool:
    """True when the line around ``start`` looks like a headline or a subhead."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    words = re.findall(r"[^\W\d_][\w'’-]*", line)
    if not words or len(line) > 200:
        return False
    capitals = sum(w[0].isupper() for w in words if len(w) > 3)
    long_words = sum(len(w) > 3 for w in words)
    return long_words > 0 and capitals / long_words >= 0.7


def _is_month_or_name(text: str, start: int, end: int) -> bool:
    """'May' (capitalised) as a month or a name, not the hedge 'may'."""
    if not text[start].isupper():
        return False
    if _MONTH_AFTER.match(text, end) or _MONTH_BEFORE.search(text, max(0, start - 24), start):
        return True
    if text[start:end].isupper() and end - start > 1:  # "MAY": a shouted headline
        return False
    # Mid-sentence, the modal is written in lower case; a capital there is a month or a name
    # ("Theresa May"), unless the line is a title-case headline ("China May Retaliate").
    return not (_opens_sentence(text, start) or _title_case_line(text, start))


def find_framing(
    article: Article | str,
    *,
    kinds: Sequence[str] | None = None,
    include_boilerplate: bool = False,
) -> list[FramingCue]:
    """Loaded words, hedges and framing labels in an article, sorted by position.

    Page furniture is skipped unless ``include_boilerplate``; ``kinds`` picks some of
    "loaded", "hedge" and "label". A word inside a direct quotation is reported with
    ``quoted=True``: it is the speaker's word, not the writer's. Each lexicon entry may carry
    its own rules (``x_`` settings): words that must not follow or precede a term, a story the
    article must be about ("the partnership" in a takeover), or context words that show a
    physical-event word is literal (a bridge that "collapsed" is news, not alarm).

    >>> import kit
    >>> cues = find_framing(kit.load_articles()["C"])
    >>> c = next(c for c in cues if c.term == "blindly")
    >>> c.kind, c.quoted
    ('loaded', True)
    >>> c.reason.endswith("These are the speaker's words, not the writer's.")
    True
    """
    if isinstance(article, str):
        text, furniture = article, None
    else:
        text = article.text
        furniture = None if include_boilerplate else article
    chosen = tuple(KINDS) if kinds is None else tuple(dict.fromkeys(kinds))
    for kind in chosen:
        if kind not in KINDS:
            raise ValueError(f"unknown framing kind {kind!r}; choose from {', '.join(KINDS)}")
    low = _lowered(text)
    matcher = _matcher(chosen)
    quotes: list[tuple[int, int]] | None = None
    state: dict[object, bool] = {}  # article-wide answers of entry rules, worked out once
    cues: list[FramingCue] = []
    for m in matcher.regex.finditer(low):
        start, end = m.span()
        key = _norm(m.group())
        hits = [(start, end, found) for found in matcher.index.get(key, ())]
        if " " in key:
            # One pass finds the longest term at each place; a shorter term of another kind
            # inside it still counts ("coercive" is loaded, "coercive diplomacy" a label).
            kinds_here = {kind for _, _, (kind, _, _) in hits}
            others = [kind for kind in matcher.kinds if kind not in kinds_here]
            if others:
                hits.extend(_inner(low, start, end, others, matcher.index))
        for s, e, (kind, term, entry) in hits:
            if not _keep(entry, term, text, low, s, e, matcher, state):
                continue
            compound = entry.extra.get("x_compound") if entry.extra else None
            if compound:
                # A head word that frames only with certain words before it ("lobby" in
                # "the climate-alarm lobby", not in "the hotel lobby"): the cue spans both.
                before = _rule(compound).search(low, max(0, s - 60), s)
                if before is None:
                    continue
                s = before.start() + len(before.group()) - len(before.group().lstrip())
                term = _SEP_CHARS.sub(" ", text[s:e])
            if furniture is not None and furniture.is_boilerplate(s, e):
                continue
            if quotes is None:
                quotes = quotation_spans(text)
            quoted = inside(quotes, s, e)
            reason = entry.explain(text[s:e])
            if quoted:
                reason = f"{reason} {QUOTED_NOTE}"
            cues.append(FramingCue(s, e, kind, term, quoted, reason, entry.id))
    if matcher.scare is not None and ('"' in text or "\u201c" in text):
        if quotes is None:
            quotes = quotation_spans(text)
        for s, e in quotes:
            if furniture is not None and furniture.is_boilerplate(s, e):
                continue
            if _scare_quote(text, low, s, e, matcher):
                written = text[s:e]
                reason = matcher.scare.explain(written)
                cues.append(FramingCue(s, e, "loaded", written, False, reason, matcher.scare.id))
    cues.sort(key=lambda c: (c.start, c.end, c.kind))
    return cues


_SHORT_QUOTE = re.compile(r"[^\W\d_][\w'\u2019\-\u2010\u2011\s\u00a0]*")
_QUOTE_WORD = re.compile(r"[^\W\d_][\w'\u2019\-\u2010\u2011]*")
_SMALL_WORDS = frozenset(("of", "the", "and", "a", "an", "in", "on", "for", "to", "at", "by"))
_SENTENCE_STOP = re.compile(r"[.!?]+[\s\u00a0]|\n")


def _scare_quote(text: str, low: str, start: int, end: int, matcher: _Matcher) -> bool:
    """True when the quotation ``text[start:end]`` (marks included) is a scare quote.

    A scare quote is a word or two the writer puts in quotation marks to mock it ("a heat
    "EMERGENCY""), crediting no one. Read as one: a quotation of 1 to ``x_max_words`` words
    (letters only) that is not a name or title (Title Case), not introduced as a word, a
    name or a reason ("the word", "known as", "to"), not a whole spoken sentence, and with
    no verb of saying or attribution word in its sentence. A quotation in capitals inside
    lower-case copy is shouting and counts even when someone is credited.
    """
    entry = matcher.scare
    assert entry is not None
    inner = text[start + 1 : end - 1].strip(" \u00a0.,;:!?")
    if not inner or not _SHORT_QUOTE.fullmatch(inner):
        return False
    words = _QUOTE_WORD.findall(inner)
    if not 1 <= len(words) <= int(entry.extra.get("x_max_words", 3)):
        return False
    letters = [c for c in inner if c.isalpha()]
    capitals = len(letters) > 1 and all(c.isupper() for c in letters)
    if not capitals and all(w[0].isupper() or w in _SMALL_WORDS for w in words):
        return False  # Title Case: the name of a thing, a title or a slogan ("Ring of Fire")
    not_after = entry.extra.get("x_not_preceded_by")
    if not_after and _rule(not_after).search(low, max(0, start - 40), start):
        return False
    # The sentence around the quotation (the quotation may hold its own full stop).
    a = max(0, start - 300)
    for stop in _SENTENCE_STOP.finditer(text, a, start):
        a = stop.end()
    if text[end - 2 : end - 1] in ".!?" and not text[a:start].strip():
        return False  # a whole sentence on its own, spoken by someone: "“Never.”"
    stop = _SENTENCE_STOP.search(text, end, min(len(text), end + 300))
    b = stop.start() if stop else min(len(text), end + 300)
    if capitals and not _mostly_capitals(text, start):
        return True  # shouted in capitals inside ordinary copy: the writer's own mockery
    speech = matcher.speech
    return speech is None or not (speech.search(low, a, start) or speech.search(low, end, b))


def _mostly_capitals(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.6


_WORDS = re.compile(r"[^\s\u00a0]+")
# What _norm does to one lower-case word: hyphens become the space of a key, curly ’ straight.
_KEY_CHARS = str.maketrans({"-": " ", "\u2010": " ", "\u2011": " ", "\u2019": "'"})


def _inner(
    low: str,
    start: int,
    end: int,
    kinds: Iterable[str],
    index: Mapping[str, tuple[tuple[str, str, LexiconEntry], ...]],
) -> list[tuple[int, int, tuple[str, str, LexiconEntry]]]:
    """Terms of ``kinds`` inside the multi-word match ``low[start:end]``, longest first.

    Looked up word by word in the index rather than with a second regex per kind: compiling
    one regex per kind doubled the cost of the first call, and a match has only a few words.
    """
    spans = [(m.start(), m.end()) for m in _WORDS.finditer(low, start, end)]
    words = [low[s:e].translate(_KEY_CHARS) for s, e in spans]
    out = []
    for kind in kinds:
        i = 0
        while i < len(words):
            for j in range(len(words) - 1, i - 1, -1):
                found = None
                for f in index.get(" ".join(words[i : j + 1]), ()):
                    if f[0] == kind:
                        found = f
                        break
                if found is not None:
                    out.append((spans[i][0], spans[j][1], found))
                    i = j
                    break
            i += 1
    return out


@functools.lru_cache(maxsize=64)
def _rule(pattern: str) -> re.Pattern[str]:
    """An entry's own context rule (x_not_followed_by / x_not_preceded_by), compiled once."""
    return re.compile(pattern)


def _keep(
    entry: LexiconEntry,
    term: str,
    text: str,
    low: str,
    start: int,
    end: int,
    matcher: _Matcher,
    state: dict[object, bool],
) -> bool:
    """Apply an entry's own rules (its ``x_`` settings) to one match."""
    extra = entry.extra
    if not extra:
        return True
    if extra.get("x_case_sensitive"):
        written = _SEP_CHARS.sub(" ", text[start:end].replace("\u2019", "'"))
        if written != _SEP_CHARS.sub(" ", term):
            return False
    not_followed = extra.get("x_not_followed_by")
    if not_followed and _rule(not_followed).match(low, end):
        return False
    followed = extra.get("x_followed_by")
    if followed and not _rule(followed).match(low, end):
        return False  # a word that judges only before certain nouns ("failed policies")
    not_preceded = extra.get("x_not_preceded_by")
    if not_preceded and _rule(not_preceded).search(low, max(0, start - 60), start):
        return False
    preceded = extra.get("x_preceded_by")
    if preceded and not _rule(preceded).search(low, max(0, start - 60), start):
        return False  # a phrase that frames only after a certain verb ("strip ... for parts")
    only_if = extra.get("x_only_if_text")
    if only_if:
        # A word that frames only in a certain story ("the partnership" for a takeover).
        answer = state.get(only_if)
        if answer is None:
            answer = state[only_if] = _rule(only_if).search(low) is not None
        if not answer:
            return False
    before = extra.get("x_not_before")
    if before:
        # Part of an official name: an "excessive heat warning" is a weather service
        # product, not the writer's judgement that the heat is excessive.
        after = _GAP.match(low, end)
        at = after.end() if after else end
        names = (before,) if isinstance(before, str) else tuple(before)
        for name in names:
            context = matcher.contexts.get(name)
            if context is not None and context.match(low, at):
                return False
    near = extra.get("x_literal_near")
    if near and _literal(entry, near, low, start, end, matcher, state):
        return False
    return not (extra.get("x_month_guard") and _is_month_or_name(text, start, end))


_GAP = re.compile(r"[\s\u00a0]+")
_STOPS = (". ", "! ", "? ", ".\u00a0", "\n", "; ")
_WIDTH = 80  # characters either side: about a dozen words, enough for "collapse of the ... bridge"


def _clause(low: str, start: int, end: int) -> tuple[int, int]:
    """The stretch around a match, up to ``_WIDTH`` characters each way, within its sentence."""
    a, b = max(0, start - _WIDTH), min(len(low), end + _WIDTH)
    before = low[a:start]
    cut = max(before.rfind(stop) for stop in _STOPS)
    if cut >= 0:
        a += cut + 1
    after = low[end:b]
    ends = [i for i in (after.find(stop) for stop in _STOPS) if i >= 0]
    if ends:
        b = end + min(ends)
    return a, b


def _literal(
    entry: LexiconEntry,
    near: str,
    low: str,
    start: int,
    end: int,
    matcher: _Matcher,
    state: dict[object, bool],
) -> bool:
    """True when a physical-event word is used literally: a bridge that collapsed, a car that
    plunged into a river. Such words are loaded only when their subject is figurative
    (talks collapsed, prices plunged). The test: a word from the context entries named in
    ``x_literal_near`` (one id or a list of ids) in the same sentence, close by. With
    ``x_literal_scope = "article"`` one literal use makes every use in the article literal,
    because later mentions ("the collapse") point back to the same physical event.
    """
    names = (near,) if isinstance(near, str) else tuple(near)  # one list's id, or several
    contexts = [matcher.contexts[n] for n in names if n in matcher.contexts]
    if not contexts:
        return False

    def close_by(s: int, e: int) -> bool:
        a, b = _clause(low, s, e)
        return any(c.search(low, a, s) or c.search(low, e, b) for c in contexts)

    if close_by(start, end):
        return True
    own = matcher.own.get(id(entry))
    if own is None:
        return False
    answer = state.get(id(entry))
    if answer is None:
        answer = state[id(entry)] = any(close_by(*m.span()) for m in own.finditer(low))
    return answer


# --------------------------------------------------------------------------- sides


_SIDE_MATCHERS: dict[tuple[tuple[str, tuple[str, ...]], ...], tuple[re.Pattern[str], dict]] = {}


def _side_matcher(sides: Mapping[str, Iterable[str]]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex for every side's terms, and matched text -> side.

    Terms written in capitals ("US", "U.S.") match only in capitals, so the pronoun "us"
    never counts as the United States; other terms ignore case.
    """
    key = tuple((side, tuple(terms)) for side, terms in sides.items())
    cached = _SIDE_MATCHERS.get(key)
    if cached is not None:
        return cached
    owner: dict[str, str] = {}
    parts: list[tuple[int, str]] = []
    for side, terms in key:
        for term in terms:
            term = term.strip()
            if not term:
                continue
            caps = term.isupper()
            norm = _SEP_CHARS.sub(" ", term if caps else term.lower())
            if norm in owner:
                continue  # the first side to list a term keeps it
            owner[norm] = side
            body = r"[\s\u00a0]+".join(re.escape(w) for w in term.split())
            parts.append((len(term), f"(?-i:{body})" if caps else body))
    if not parts:
        regex = re.compile(r"(?!x)x")  # matches nothing
    else:
        alternation = "|".join(p for _, p in sorted(parts, key=lambda p: -p[0]))
        regex = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)
    _SIDE_MATCHERS[key] = (regex, owner)
    return regex, owner


def _sides_in(text: str, sides: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    """(side, term as written) for every side term in ``text``, in order of appearance."""
    regex, owner = _side_matcher(sides)
    found = []
    for m in regex.finditer(text):
        written = _SEP_CHARS.sub(" ", m.group())
        side = owner.get(written) or owner.get(written.lower())
        if side:
            found.append((side, m.group()))
    return found


def _resolve_sides(
    articles: ArticleSet | Iterable[Article], sides: Mapping[str, Iterable[str]] | None
) -> dict[str, tuple[str, ...]]:
    if sides is None:
        sides = getattr(articles, "sides", None) or {}
    return {str(side): tuple(terms) for side, terms in sides.items()}


# --------------------------------------------------------------------------- headlines


@dataclass(frozen=True, slots=True)
class HeadlineAnalysis:
    """How a headline frames the story: who acts, doing what, claiming what.

    Spans are ``(start, end)`` offsets into ``article.text`` (None when there is no such part).
    ``side`` is the side the actor belongs to (from the set's sides), or "unassigned".
    """

    article_id: str
    headline: str
    actor: str
    verb: str
    verb_kind: str
    claim: str
    side: str
    reason: str
    kicker: str = ""
    actor_span: tuple[int, int] | None = None
    verb_span: tuple[int, int] | None = None
    claim_span: tuple[int, int] | None = None
    cues: tuple[FramingCue, ...] = ()
    sides_mentioned: tuple[str, ...] = ()
    note: str = ""


_TOKEN = re.compile(r"[^\s\u00a0]+")
_STRIP = "\"'“”‘’.,;!?()[]«»"
_DETERMINERS = frozenset(
    ("a", "an", "the", "its", "his", "her", "their", "our", "my", "your", "this", "that",
     "these", "those", "new", "more", "most")
)  # fmt: skip
_PREPOSITIONS = frozenset(
    ("in", "on", "at", "of", "for", "from", "with", "by", "to", "as", "amid", "over", "during",
     "after", "before", "into", "against", "between", "about", "under", "than", "via")
)  # fmt: skip


@dataclass(frozen=True)
class _Verbs:
    index: dict[str, LexiconEntry]
    modals: frozenset[str]
    lexicon: Lexicon


_VERBS: dict[tuple[str, str, int], _Verbs] = {}


def _verbs() -> _Verbs:
    stamp = _stamp("headline_verbs")
    if stamp in _VERBS:
        return _VERBS[stamp]
    lexicon = load_lexicon("headline_verbs")
    modals: set[str] = set()
    for entry in lexicon:
        modals.update(m.lower() for m in entry.extra.get("x_modal", ()))
    verbs = _Verbs(lexicon.term_index(), frozenset(modals), lexicon)
    _VERBS[stamp] = verbs
    return verbs


def _word(token: str) -> str:
    return token.strip(_STRIP).replace("\u2019", "'").lower()


_QUESTION_OPENERS = frozenset(
    ("why", "how", "what", "when", "where", "who", "which", "will", "can", "could", "should",
     "is", "are", "was", "does", "do", "did", "has", "have")
)  # fmt: skip
# The main clause of a headline ends where a second clause or a circumstance begins
# ("Stocks Plunge as Fed Signals More Hikes": the main verb is "Plunge", not "Signals").
_CLAUSE_BREAKS = frozenset(
    ("as", "after", "while", "amid", "despite", "before", "because", "when", "if", "though",
     "although", "since", "until", "unless", "|", "-", "–", "—")
)  # fmt: skip
# Nouns that take a plural verb without ending in -s ("Police arrest ...").
_COLLECTIVES = frozenset(
    ("police", "people", "staff", "youth", "cattle", "clergy", "military", "public", "crew")
)  # fmt: skip
# "Carney set to visit", "Market about to crash": the word before "to" belongs to the verb.
_BEFORE_TO = frozenset(
    ("about", "set", "poised", "going", "due", "ready", "likely", "unlikely", "expected",
     "vows", "vowing", "seeks", "seeking", "plans", "planning", "wants", "hopes", "aims")
)  # fmt: skip


# Month names that are also headline verbs ("Workers March", "Prices May Rise").
_MONTH_VERBS = frozenset(("march", "may"))


@dataclass(frozen=True, slots=True)
class _Verb:
    first: int  # token index where the verb starts
    last: int  # token index where it ends
    kind: str
    actor_from: int  # token index where the actor starts (after a question word)
    question: bool


def _find_verb(tokens: list[tuple[int, int, str, int]]) -> _Verb | None:
    """Where the main verb of a headline is, or None.

    Headlines drop small words and use the present tense ("China Urges Canada ..."). The
    verb is looked for in the main clause first (up to "as", "after", "amid", ...):
    a listed verb ending in -s or -ed, or a plain form after a plural actor ("Stocks Plunge");
    a modal or "is/has" with what follows ("Could Face"); "to" + verb, a plan ("Macron to
    Dissolve"); last a word shaped like a verb. A word right after a determiner, a
    preposition or a possessive ("the visit", "Carney's Beijing Visit") is read as a noun.
    """
    verbs = _verbs()
    words = [_word(t[2]) for t in tokens]
    question = bool(words) and (
        words[0] in _QUESTION_OPENERS
        and (tokens[-1][2].endswith("?") or words[0] not in verbs.index)
    )
    lo = 1 if question else 0

    def nounish(i: int) -> bool:
        if i <= lo:
            return True  # the actor comes first
        return (
            words[i - 1] in _DETERMINERS
            or words[i - 1] in _PREPOSITIONS
            or words[i - 1] in ("and", "or", "&")
            or tokens[i - 1][2].endswith(("'s", "’s", "s'", "s’"))
        )

    def plural_actor(i: int) -> bool:
        actor = words[lo:i]
        if not actor:
            return False
        last = actor[-1]
        return (
            "and" in actor
            or "&" in actor
            or last in _COLLECTIVES
            or last.endswith("men")
            or (last.endswith("s") and not last.endswith(("ss", "'s", "us", "is")))
        )

    def month(i: int) -> bool:
        # "..., March 26, 2024": a capitalised month before a day number is a date, not a verb.
        return words[i] in _MONTH_VERBS and i + 1 < len(words) and words[i + 1][:1].isdigit()

    def scan(hi: int) -> _Verb | None:
        for i in range(lo + 1, hi):
            entry = verbs.index.get(words[i])
            if entry is None or nounish(i) or month(i):
                continue
            if entry.kind == "state":
                # "Canada Could Face ...": the modal and the verb after it read together
                nxt = verbs.index.get(words[i + 1]) if i + 1 < len(words) else None
                if words[i] in verbs.modals and nxt is not None:
                    return _Verb(i, i + 1, nxt.kind if nxt.kind != "state" else "state", lo,
                                 question)  # fmt: skip
                return _Verb(i, i, "state", lo, question)
            if words[i].endswith(("s", "ed")) or plural_actor(i):
                return _Verb(i, i, entry.kind, lo, question)
        for i in range(lo + 1, hi - 1):
            after = words[i + 1]
            if words[i] == "to" and after.isalpha() and after not in _DETERMINERS:
                first = i - 1 if words[i - 1] in _BEFORE_TO and i - 1 > lo else i
                entry = verbs.index.get(after)
                kind = f"plan ({entry.kind})" if entry and entry.kind != "state" else "plan"
                return _Verb(first, i + 1, kind, lo, question)
        for i in range(lo + 1, hi):
            w = words[i]
            shaped = len(w) > 3 and w.isalpha() and w.endswith("s") and not w.endswith("ss")
            if shaped and not nounish(i) and w not in _PREPOSITIONS:
                return _Verb(i, i, "unknown (shaped like a verb)", lo, question)
        return None

    brk = next((i for i in range(lo + 2, len(words)) if words[i] in _CLAUSE_BREAKS), None)
    found = scan(brk) if brk is not None else None
    return found or scan(len(words))


def _headline_parts(text: str, start: int, end: int) -> tuple[int, int, int]:
    """(kicker end, clause start, clause end): split "Label: Clause" at a colon."""
    head = text[start:end]
    colon = re.search(r":[\s\u00a0]", head)
    if colon is None:
        return start, start, end
    return start + colon.start(), start + colon.end(), end


def analyze_headlines(
    articles: ArticleSet | Iterable[Article],
    *,
    sides: Mapping[str, Iterable[str]] | None = None,
) -> list[HeadlineAnalysis]:
    """Who acts in each headline, the main verb, what is claimed, and the actor's side.

    Heuristic: the actor is the words before the first headline verb (from
    ``data/lexicons/headline_verbs.toml``, or a word shaped like a verb). A "Label: Clause"
    headline is read from the clause after the colon; the label is kept as ``kicker``.
    Articles with no headline are listed with a note.

    >>> import kit
    >>> h = analyze_headlines(kit.load_articles())
    >>> h[0].actor, h[0].verb, h[0].side
    ('China', 'Urges', 'China')
    >>> h[4].kicker, h[4].actor, h[4].verb
    ('Canada’s Strategic Shift', 'Carney’s Beijing Visit', 'Signals')
    """
    side_terms = _resolve_sides(articles, sides)
    out: list[HeadlineAnalysis] = []
    for article in articles:
        span = article.headline_span
        if span is None or article.headline == UNKNOWN:
            out.append(
                HeadlineAnalysis(
                    article.id,
                    UNKNOWN,
                    "",
                    "",
                    "",
                    "",
                    UNASSIGNED,
                    "There is no headline to read: the article starts with its first sentence.",
                    note="no headline",
                )
            )
            continue
        out.append(_analyze_one(article, span.start, span.end, side_terms))
    return out


def _analyze_one(
    article: Article, start: int, end: int, side_terms: Mapping[str, tuple[str, ...]]
) -> HeadlineAnalysis:
    text = article.text
    kicker_end, clause_start, clause_end = _headline_parts(text, start, end)

    def tokens_of(a: int, b: int) -> list[tuple[int, int, str, int]]:
        # (start, end) without surrounding punctuation, the raw token, where the raw one starts
        out = []
        for m in _TOKEN.finditer(text, a, b):
            # spans leave out the punctuation around a word: "crash?" -> "crash"
            lead = len(m.group()) - len(m.group().lstrip(_STRIP))
            word = m.group().strip(_STRIP)
            if word:
                out.append((m.start() + lead, m.start() + lead + len(word), m.group(), m.start()))
        return out

    tokens = tokens_of(clause_start, clause_end)
    found = _find_verb(tokens)
    kicker = ""
    if clause_start > start:
        if found is None:  # nothing verb-like after the colon: maybe the label holds the clause
            before = tokens_of(start, kicker_end)
            if (alt := _find_verb(before)) is not None:
                tokens, found = before, alt
                clause_start, clause_end = start, kicker_end
        if clause_start > start:
            kicker = text[start:kicker_end].strip()
    # Framing words of the headline alone: reading just its line keeps this cheap.
    cues = tuple(
        FramingCue(c.start + start, c.end + start, c.kind, c.term, c.quoted, c.reason, c.entry)
        for c in find_framing(text[start:end])
    )
    mentioned = tuple(dict.fromkeys(s for s, _ in _sides_in(text[start:end], side_terms)))
    headline = text[start:end]

    if found is None:
        actor_span = (tokens[0][0], tokens[-1][1]) if tokens else None
        actor = text[actor_span[0] : actor_span[1]] if actor_span else ""
        side, why_side = _side_of(actor, side_terms)
        reason = (
            f"No verb found: the headline names a topic ('{actor}') without saying who did "
            f"what. {why_side}"
        )
        return HeadlineAnalysis(
            article.id, headline, actor, "", "", "", side, _with_cues(reason, cues, text), kicker,
            actor_span, None, None, cues, mentioned, note="no verb found",
        )  # fmt: skip

    first, last, kind = found.first, found.last, found.kind
    verb_span = (tokens[first][0], tokens[last][1])
    verb = text[verb_span[0] : verb_span[1]]
    lo = found.actor_from
    actor_span = (tokens[lo][0], tokens[first - 1][1]) if first > lo else None
    actor = text[actor_span[0] : actor_span[1]].strip(_STRIP + " ") if actor_span else ""
    # the claim keeps an opening quote mark: "'reckless' quotas"
    claim_span = (tokens[last + 1][3], tokens[-1][1]) if last + 1 < len(tokens) else None
    claim = text[claim_span[0] : claim_span[1]] if claim_span else ""
    side, why_side = _side_of(actor, side_terms)
    kind_note = _KIND_NOTES.get(kind.split(" ")[0], kind)
    if actor:
        reason = (
            f"The headline makes '{actor}' the actor: it comes before the verb '{verb}' "
            f"({kind_note}). {why_side}"
        )
    else:
        reason = f"The headline starts with the verb '{verb}' and names no actor ({kind_note})."
    if claim:
        reason += f" What is claimed: '{claim}'."
    if kicker:
        reason += f" The label before the colon ('{kicker}') frames what follows."
    note = ""
    if found.question:
        note = "question headline"
        reason += (
            f" The headline is a question ('{tokens[0][2]} ...'): it raises a possibility "
            "without stating it."
        )
    reason = _with_cues(reason, cues, text)
    return HeadlineAnalysis(
        article.id, headline, actor, verb, kind, claim, side, reason, kicker,
        actor_span, verb_span, claim_span, cues, mentioned, note,
    )  # fmt: skip


_KIND_NOTES = {
    "speech": "a speech verb: the headline reports words, not deeds",
    "action": "an action verb: the headline reports something done",
    "state": "a linking or modal verb: the headline states a condition or a possibility",
    "plan": "'to' + verb: the headline announces a plan or a forecast, not something done",
    "unknown": "a word shaped like a verb, not in the headline-verb list",
}


def _side_of(phrase: str, side_terms: Mapping[str, tuple[str, ...]]) -> tuple[str, str]:
    hits = _sides_in(phrase, side_terms)
    if not hits:
        if not side_terms:
            return UNASSIGNED, "This article set names no sides, so the actor has no side."
        return UNASSIGNED, "The actor matches none of the set's sides."
    side, term = hits[0]
    others = sorted({s for s, _ in hits} - {side})
    why = f"'{term}' places the actor on the {side} side."
    if others:
        why += f" (It also mentions {', '.join(others)}; the first name decides.)"
    return side, why


def _with_cues(reason: str, cues: tuple[FramingCue, ...], text: str) -> str:
    if not cues:
        return reason
    listed = ", ".join(f"'{text[c.start : c.end]}' ({c.kind})" for c in cues)
    return f"{reason} Framing words in the headline: {listed}."


# --------------------------------------------------------------------------- voice share


_MEASURES = {
    "attributions": "attributions",
    "quoted_chars": "characters in direct quotes",
    "attributed_chars": "characters of attributed text",
}


@dataclass(frozen=True, slots=True)
class VoiceAttribution:
    """One attribution with the side its source belongs to, and why.

    ``quoted_chars`` counts the characters of a direct quotation (0 for reported speech);
    ``attributed_chars`` those of whatever is attributed, quoted or reported.
    """

    article_id: str
    start: int
    end: int
    source: str
    kind: str
    side: str
    quoted_chars: int
    attributed_chars: int
    reason: str


@dataclass(frozen=True, slots=True)
class VoiceRow:
    """Per article and side: attributions, characters directly quoted, characters attributed."""

    article_id: str
    side: str
    attributions: int
    quoted_chars: int
    attributed_chars: int


@dataclass(frozen=True)
class VoiceShare:
    """Whose voice each article carries. ``rows`` has every article x side (zeros included).

    >>> import kit
    >>> share = kit.voice_share(kit.load_articles())
    >>> share.sides[-1]
    'unassigned'
    """

    sides: tuple[str, ...]
    rows: tuple[VoiceRow, ...]
    items: tuple[VoiceAttribution, ...] = field(default=())

    def totals(self) -> dict[str, VoiceRow]:
        """Per side, summed over all articles (``article_id`` is "all")."""
        out = {}
        for side in self.sides:
            rows = [r for r in self.rows if r.side == side]
            out[side] = VoiceRow(
                "all",
                side,
                sum(r.attributions for r in rows),
                sum(r.quoted_chars for r in rows),
                sum(r.attributed_chars for r in rows),
            )
        return out

    def to_frame(self, *, detail: bool = False) -> pandas.DataFrame:
        """A pandas table: one row per article and side, with counts and each side's share of
        the article's total; with ``detail=True`` one row per attribution with its side and why.

        >>> import kit
        >>> list(kit.voice_share(kit.load_articles()).to_frame().columns)[:5]
        ['article', 'side', 'attributions', 'quoted_chars', 'attributed_chars']
        """
        import pandas as pd

        if detail:
            columns = ["article", "start", "end", "source", "kind", "side", "quoted_chars",
                       "attributed_chars", "reason"]  # fmt: skip
            return pd.DataFrame(
                [
                    (
                        i.article_id,
                        i.start,
                        i.end,
                        i.source,
                        i.kind,
                        i.side,
                        i.quoted_chars,
                        i.attributed_chars,
                        i.reason,
                    )
                    for i in self.items
                ],
                columns=columns,
            )
        frame = pd.DataFrame(
            [
                (r.article_id, r.side, r.attributions, r.quoted_chars, r.attributed_chars)
                for r in self.rows
            ],
            columns=["article", "side", *_MEASURES],
        )
        for column in _MEASURES:
            total = frame.groupby("article", sort=False)[column].transform("sum")
            frame[f"{column}_share"] = (frame[column] / total.where(total > 0)).fillna(0.0)
        return frame

    def chart(self, *, measure: str = "attributed_chars") -> altair.Chart:
        """Shortcut for :func:`voice_share_chart`."""
        return voice_share_chart(self, measure=measure)


def _attributions_for(article: Article) -> list[Any]:
    # Imported here: kit.sources is its own module, loaded only when voices are counted.
    from kit.sources import find_attributions

    return find_attributions(article)


def voice_share(
    articles: ArticleSet | Iterable[Article],
    *,
    sides: Mapping[str, Iterable[str]] | None = None,
) -> VoiceShare:
    """Per article and side: how many attributions ``kit.find_attributions`` finds, how many
    characters are directly quoted, and how many are attributed (quoted or reported).

    An attribution belongs to the side whose terms (the set's ``sides``, or the ``sides``
    argument: side -> terms) occur in its source phrase, else in ``refers_to`` when the
    attribution has one; the first term in the phrase decides. Otherwise it is "unassigned".

    >>> import kit
    >>> share = voice_share(kit.load_articles(), sides={"China": ["China", "Beijing"]})
    >>> share.sides
    ('China', 'unassigned')
    """
    side_terms = _resolve_sides(articles, sides)
    names = (*side_terms, UNASSIGNED)
    items: list[VoiceAttribution] = []
    rows: list[VoiceRow] = []
    for article in articles:
        counts = {s: [0, 0, 0] for s in names}
        quotations: list[tuple[int, int]] | None = None
        for att in _attributions_for(article):
            phrase = article.text[att.start : att.end]
            side, why = _attribution_side(phrase, getattr(att, "refers_to", None), side_terms)
            quote = getattr(att, "quote", None)
            attributed = quote[1] - quote[0] if quote else 0
            direct = getattr(att, "direct", None)
            if direct is None and quote:  # no flag: a direct quote sits inside quote marks
                if quotations is None:
                    quotations = quotation_spans(article.text)
                direct = any(s <= quote[0] and quote[1] <= e for s, e in quotations)
            quoted = attributed if direct else 0
            for i, n in enumerate((1, quoted, attributed)):
                counts[side][i] += n
            items.append(
                VoiceAttribution(
                    article.id,
                    att.start,
                    att.end,
                    phrase,
                    str(att.kind),
                    side,
                    quoted,
                    attributed,
                    why,
                )
            )
        rows.extend(VoiceRow(article.id, s, *c) for s, c in counts.items())
    return VoiceShare(names, tuple(rows), tuple(items))


def _attribution_side(
    phrase: str, refers_to: object, side_terms: Mapping[str, tuple[str, ...]]
) -> tuple[str, str]:
    hits = _sides_in(phrase, side_terms)
    if hits:
        side, term = hits[0]
        return side, f"The source '{phrase}' names '{term}', a term of the {side} side."
    if isinstance(refers_to, str) and refers_to:
        hits = _sides_in(refers_to, side_terms)
        if hits:
            side, term = hits[0]
            return side, (
                f"The source '{phrase}' points back to '{refers_to}', which names '{term}', "
                f"a term of the {side} side."
            )
    return UNASSIGNED, f"The source '{phrase}' names none of the sides' terms."


def voice_share_chart(
    share: VoiceShare | ArticleSet,
    *,
    measure: str = "attributed_chars",
    sides: Mapping[str, Iterable[str]] | None = None,
) -> altair.Chart:
    """A stacked bar per article: each side's share of ``measure`` ("attributions",
    "quoted_chars" or "attributed_chars"). Returns the chart; it never displays it.

    >>> import kit
    >>> chart = voice_share_chart(kit.load_articles(), measure="attributions")
    >>> chart.to_dict()["mark"]["type"]
    'bar'
    """
    import altair as alt

    from kit.charts import _ensure_offline

    _ensure_offline()

    if measure not in _MEASURES:
        raise ValueError(f"measure must be one of {', '.join(_MEASURES)}, not {measure!r}")
    if not isinstance(share, VoiceShare):
        share = voice_share(share, sides=sides)
    label = _MEASURES[measure]
    # Okabe & Ito (2008) colours, readable with common colour blindness; grey = unassigned.
    palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442"]
    named = [s for s in share.sides if s != UNASSIGNED]
    order = [*named, UNASSIGNED]
    frame = share.to_frame()
    frame["side_order"] = frame["side"].map(order.index)
    return (
        alt.Chart(frame, title=f"Whose voice? Each side's share of {label}")
        .mark_bar()
        .encode(
            y=alt.Y("article:N", title="Article", sort=None),
            x=alt.X(f"{measure}:Q", stack="normalize", title=f"Share of {label}"),
            color=alt.Color(
                "side:N",
                title="Side",
                scale=alt.Scale(
                    domain=order,
                    range=[palette[i % len(palette)] for i in range(len(named))] + ["#999999"],
                ),
                sort=order,
            ),
            order=alt.Order("side_order:Q"),
            tooltip=[
                alt.Tooltip("article:N", title="Article"),
                alt.Tooltip("side:N", title="Side"),
                alt.Tooltip(f"{measure}:Q", title=label),
                alt.Tooltip(f"{measure}_share:Q", title="share", format=".0%"),
            ],
        )
    )
