"""Who says so? Find every place an article attributes information, and to whom.

`find_attributions` reads an article the way an editor checks sourcing. It looks for
speech and attribution verbs ("said", "warned", "signalled", "called on"), "according to",
and phrases that hide the source ("it is understood", "is seen as", "an estimated"), then
reads the words around each one to find the SOURCE PHRASE and decide its kind:

* ``named``: a person identified by name ("Saskatchewan Premier Scott Moe");
* ``organization``: a named institution, outlet or document ("China's foreign ministry"), or a
  country, capital or government speaking as one ("Beijing signalled"), which is a collective
  source with no person named (``collective=True``);
* ``anonymous``: a source the reader cannot identify ("analysts", "one expert", "official
  statements", "it is understood").

Documents count as sources: one that a named body owns, filed or posted ("its annual
report", "statements filed with the board") is an organization source, an unowned one
("reports", "documents") anonymous. A group that names a member ("Critics, including the
Cyclists' Alliance") takes the member's kind, and the participants of a meeting of named
bodies speak for those bodies.

Back-references ("he said", "the paper warned", "The President", "The application") take
the kind of the nearest earlier source they can point to, which is recorded in
``refers_to``. Names are recognised by their shape
(capitalised words, titles), never from a list of people: a lone capitalised word counts as
a person only when the article also gives it with a first name or title ("Mark Carney" ...
"Carney said"), otherwise it is read as an institution ("Corvane said"). The word lists live
in ``data/lexicons/speech_verbs.toml``, ``sources.toml`` and ``source_places.toml``; every
``reason`` a learner reads comes from those files.

For the other detectors: `attributed_clauses` gives the stretch of text each attribution
covers, and `source_of` answers "which source, if any, covers this figure?". Results are
cached per article object (the first call costs about half a millisecond for a 3 kB
article; later calls are free).

>>> a = kit.load_articles()["E"]
>>> [(x.source, x.kind) for x in find_attributions(a)][:2]
[("China's foreign ministry", 'organization'), ('Analysts', 'anonymous')]
"""

from __future__ import annotations

import os
import re
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from kit._data import ENV_VAR, data_dir
from kit._text import quotation_spans
from kit.articles import Article
from kit.lexicons import Lexicon, LexiconEntry, load_lexicon, prefix_tree_regex

__all__ = [
    "KINDS",
    "Attribution",
    "attributed_clauses",
    "find_attributions",
    "source_of",
]

KINDS = ("named", "organization", "anonymous")
_LEXICONS = ("speech_verbs", "sources", "source_places")


@dataclass(frozen=True, slots=True)
class Attribution:
    """One place the article says where information comes from.

    ``text[start:end] == source`` is the source phrase; ``quote`` is the (start, end) of what
    is attributed: the words inside the quotation marks for a direct quote (``direct=True``),
    otherwise the reported clause, or None. ``verb`` is the speech verb or cue ("said",
    "according to", "is seen as"). ``refers_to`` names the earlier source a back-reference
    ("he", "the paper") points to. ``cue`` is the lexicon entry that decided the kind.
    """

    start: int
    end: int
    source: str
    kind: str
    reason: str
    verb: str = ""
    quote: tuple[int, int] | None = None
    direct: bool = False
    collective: bool = False
    refers_to: str | None = None
    cue: str = ""


# --------------------------------------------------------------------------- small word sets
def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Closed-class words of English grammar (not a lexicon of sources: they only steer the parser).

_DETERMINERS = _wordset(
    """
    the a an one this that these those some several many most few its his her their our two
    three four five six seven eight nine ten both all other another each any no
    """
)
_DEFINITE = _wordset("the this that these those its his her their")
_AUX = _wordset(
    """
    has have had is are was were be been being will would could can may might shall should
    must do does did 's ’s 've ’ve 'd ’d not n't never also still again already just now then
    once often repeatedly previously recently later earlier meanwhile however too though
    reportedly first long since yet even only further keep keeps kept
    """
)
_BE = _wordset("is are was were be been being")
# Adverbs among the auxiliaries: "were now feared" is a passive as much as "were feared".
_AUX_ADVERBS = _wordset("also still again already just now then once often repeatedly previously")
_DEGREE = _wordset("just as so very quite fully equally increasingly not entirely all more less")
_ARTICLES = _wordset("a an the this that these those its his her their our my your")
# words after which a one-word subject starts its clause ("while Ottawa said")
_BOUNDARY = _wordset("while as but because although though since if when after before so that")
_COORDINATORS = _wordset("and but while yet or also then explicitly publicly openly")
_PARTICIPLES = _wordset("made given seen held written shown put run sent drawn known")
_QUANTIFIERS = _wordset("some many others several most few")
_MODALS = _wordset("will would could can may might shall should must")
_STOP = _wordset(
    """
    that which who whom whose what where when why how and or but nor so yet as while if
    because since although though after before until unless whether than to of in on at by for
    from with without about into onto over under between among against during despite amid
    across through toward towards upon via per like unlike near beyond within inside is are
    was were be been being has have had will would could can may might shall should must do
    does did not there here also i you we me us him them it he she they
    """
)
_PP = _wordset("of for at from with in inside by")
_MONTHS = _wordset(
    """
    january february march april may june july august september october november december
    jan jan. feb feb. mar mar. apr apr. jun jun. jul jul. aug aug. sep sep. sept sept. oct
    oct. nov nov. dec dec.
    """
)
_TIME = _MONTHS | _wordset(
    """
    monday tuesday wednesday thursday friday saturday sunday week weekend month year morning
    afternoon evening night today yesterday tonight day days weeks months years decade time
    """
)
_TIME_LEAD = _wordset("on in this last next earlier later late early at of the past")
_COMM_NOUNS = _wordset(
    """
    statement editorial interview speech remarks briefing conference post report part turn
    response letter column op-ed video release tweet address meeting call hearing session
    summit message commentary comments note
    """
)
_PREP_BACK = _wordset("in at on during for via through with")
_PARENTHETICAL = _wordset(
    """
    meanwhile however too though also moreover instead nonetheless nevertheless then in turn
    for his her their its part in a an the statement separately again likewise similarly
    publicly privately later earlier on of this week
    """
)
_SUBORDINATORS = _wordset(
    """
    as while when after although though if because since with in on during despite amid for
    according before until once
    """
)
_ED_ADJ = _wordset(
    """
    unnamed unidentified informed concerned retired elected appointed experienced seasoned
    noted respected alleged specialized specialised trained qualified interested affected
    advanced united based owned
    """
)
# Lower-case words that can stand in front of a capitalised name or title.
_NAME_MODIFIERS = _wordset(
    """
    former late then senior top chief deputy veteran prominent leading outgoing incoming
    acting current ex fellow local foreign federal provincial state national regional city
    municipal opposition ruling retired independent interim new powerful influential respected
    outspoken
    """
)
_NOT_ADVERB = _wordset("italy family july only ally rally anomaly assembly supply")
# determiners that never head a noun phrase: "Such calls are rare" has no speaker "Such"
_NOT_HEADS = _wordset("such other another each every either neither any no all both")
# honorifics: after one, the capitalised words are a person's name even when the title in
# front ("Medical Examiner", "County Clerk") looks like an institution word
_HONORIFICS = _wordset("dr dr. mr mr. mrs mrs. ms ms. mx mx. prof prof. rev rev. sir dame")
_OPEN_Q = "“‘\"'("
_CLOSE_Q = "”’\"'"

_TO = re.compile(r"\s+to\b")
# "I have heard from farmers", "the committee heard directly from families": the source
# comes after the verb, as after "according to".
_FROM = re.compile(r"\s+(?:(?:directly|first-hand|firsthand|again|repeatedly|often)\s+)?from\b")
# Words that put the source after them, each with what must follow it.
# "was quoted by Reuters as saying", "quoted on CNN", "quoted in the Gazette": the outlet
_BY_ON_IN = re.compile(r"\s+(?:by|on|in)\b(?=\s+(?:the\s+)?[A-Z]|\s+(?:state|local)\s+media\b)")
_LEADS = {
    "according": _TO,
    **{w: _FROM for w in ("heard", "hearing", "hear", "hears")},
    "quoted": _BY_ON_IN,
    # "the paper reported, citing two officials": the ones cited are sources too
    "citing": re.compile(r"(?=\s+\S)"),
}
# A party and state tag with full stops ("D-Calif.", "R-N.Y."); without them it is a word.
_PARTY_STOPS = r"[A-Z]-[A-Z][a-z]*\.(?:[A-Z]\.)*"
# One token each: "U.S.", a title's abbreviation ("Sen."), a middle initial ("John F. Smith"),
# a party and state tag with its full stops ("(D-Calif.)", "D-N.Y."), a word, a mark.
_TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}|(?:Dr|Mr|Mrs|Ms|Mx|Prof|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Rev|St|Jr|Sr|Corp|Inc"
    r"|Ltd|Co|Adm|Supt|Insp|Det|Cllr)\.|(?<=[a-z] )[A-Z]\.(?= [A-Z][a-z])"
    r"|" + _PARTY_STOPS + r"(?=[),])|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\w)|\w+(?:[’'\-]\w+)*|[^\w\s]"
)
_POSSESSIVE = re.compile(r"[’']s?$")


def _base(word: str) -> str:
    """The word without a possessive ending: China’s -> China."""
    return word[:-2] if word[-2:] in _POSSESSIVE_ENDS else word


_POSSESSIVE_ENDS = frozenset(("’s", "'s"))


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def _is_word(word: str) -> bool:
    return word[:1].isalnum() or word[:1] == "_"


_LEAD_WORDS = _wordset("the a an this that these those its his her their our")


def _natural(phrase: str, *, quote: bool = False) -> str:
    """``phrase`` as it reads inside a sentence of a reason.

    A leading article capitalised only because it opened the article's sentence is lowered
    ("The company" -> "the company"); a phrase that is not a name (``quote``) goes in quotation
    marks so it reads as the article's words ("'International security experts'").

    >>> _natural("The company"), _natural("Analysts", quote=True), _natural("Mira Castell")
    ('the company', "'Analysts'", 'Mira Castell')
    """
    words = phrase.split(" ", 1)
    if not quote and words[0].lower() in _LEAD_WORDS and words[0][:1].isupper():
        return " ".join([words[0].lower(), *words[1:]])
    return f"'{phrase}'" if quote else phrase


# --------------------------------------------------------------------------- rules from lexicons


@dataclass
class _Rules:
    cue_re: re.Pattern[str]
    cue_re_title: re.Pattern[str]
    anchors: dict[str, list[tuple[LexiconEntry, re.Pattern[str], re.Pattern[str] | None]]]
    cue_ids: frozenset[str]
    verbs: dict[str, LexiconEntry]
    verb_forms: frozenset[str]
    entries: dict[str, LexiconEntry]
    groups: frozenset[str]
    persons: frozenset[str]
    speaks_for: frozenset[str]  # "spokesperson": a person who speaks for a body
    documents: frozenset[str]
    org_nouns: dict[str, LexiconEntry]
    org_names: frozenset[str]
    outlets: dict[str, LexiconEntry]
    locations: frozenset[str]
    event_words: frozenset[str]  # "Hurricane" in "Hurricane Ida": an event, never a speaker
    group_suffixes: tuple[str, ...]  # "-ers", "-ists": plural nouns for kinds of people
    not_groups: frozenset[str]
    person_suffixes: tuple[str, ...]  # "-er", "-ee", "-man": singular nouns for people
    not_persons: frozenset[str]  # words with those endings that name things ("a letter")
    polled: frozenset[str]  # "polled" in "economists polled by Reuters": a survey's people
    pp_heads: frozenset[str]  # nouns a prepositional phrase can follow inside a source
    outlet_names: frozenset[str]
    verb_next: dict[str, re.Pattern[str]]
    forecast_verbs: frozenset[str]
    listener_verbs: frozenset[str]  # "told the BBC that ...": a listener before the report
    implies: dict[str, tuple[str, ...]]
    titles: frozenset[str]
    roles: frozenset[str]
    pronouns: dict[str, LexiconEntry]
    places: dict[str, LexiconEntry]
    demonyms: frozenset[str]
    phrases: dict[str, list[tuple[str, LexiconEntry]]]  # last word -> multi-word sources
    postmod_end: re.Pattern[str]
    postmod_words: tuple[str, ...]
    postmod_at: re.Pattern[str]
    setting_at: re.Pattern[str]  # "on Monday", "in a statement": when or where, after a verb
    owner_verbs: frozenset[str]  # "filed" in "statements filed with the board"
    participants: frozenset[str]  # "participants", "attendees": the people at a meeting
    meeting_re: re.Pattern[str]
    title_words: frozenset[str]  # every word of a title ("prime" in "Prime Minister")
    place_titles: frozenset[str]  # titles that also begin place names ("King William Street")
    portfolios: frozenset[str]  # "Affairs" in "Minister for Foreign Affairs": never a name
    memo: dict = field(default_factory=dict)  # _classify's answers
    person_mention: re.Pattern[str] = field(
        default_factory=lambda: re.compile(
            r"\b[A-Z][\w’'\-]+(?:[ \u00a0]+(?:&[ \u00a0]+)?[A-Z][\w’'\-]+){1,3}"
        )
    )


_STAMP: list = [0.0, None, ()]  # when checked, KIT_DATA_DIR then, the versions found


def _stamp() -> tuple[int, ...]:
    """Versions of the lexicon files, looked up at most once a second (stat is not free).

    An instructor who edits a lexicon sees the change on the next call a second later; a
    change of ``KIT_DATA_DIR`` is seen at once.
    """
    now = time.monotonic()
    env = os.environ.get(ENV_VAR)
    if now - _STAMP[0] < 1.0 and _STAMP[1] == env and _STAMP[2]:
        return _STAMP[2]
    _STAMP[:] = [now, env, _read_stamp()]
    return _STAMP[2]


def _read_stamp() -> tuple[int, ...]:
    out = []
    folder = data_dir() / "lexicons"
    for name in _LEXICONS:
        try:
            out.append((folder / f"{name}.toml").stat().st_mtime_ns)
        except OSError:
            out.append(-1)
    return (hash(str(folder)), *out)


_Anchors = dict[str, list[tuple[LexiconEntry, re.Pattern[str], re.Pattern[str] | None]]]


def _role_terms(src: Lexicon, role: str) -> list[tuple[str, LexiconEntry]]:
    """Every (term, entry) of the sources lexicon whose entries play ``role``."""
    return [(t, e) for e in src if e.extra.get("x_role") == role for t in e.terms]


def _verb_table(verbs_lex: Lexicon) -> dict[str, LexiconEntry]:
    """Each speech verb form, spaces normalised, and the entry it belongs to."""
    verbs: dict[str, LexiconEntry] = {}
    for e in verbs_lex:
        for t in e.terms:
            verbs.setdefault(" ".join(t.lower().split()), e)
    return verbs


def _cue_anchors(src: Lexicon) -> _Anchors:
    """For each anchor word, the cue patterns ("it is understood") worth trying around it."""
    anchors: _Anchors = {}
    for e in src:
        if e.extra.get("x_role") != "cue" or not e.patterns:
            continue
        compiled = re.compile("|".join(f"(?:{p})" for p in e.patterns))
        before = re.compile(str(e.extra["x_before"])) if "x_before" in e.extra else None
        for word in e.extra.get("x_anchors", ()):
            anchors.setdefault(word.lower(), []).append((e, compiled, before))
    return anchors


def _cue_scan(verbs: dict[str, LexiconEntry], anchors: _Anchors) -> re.Pattern[str]:
    """The one scan that finds every word worth a closer look in an article."""
    # Speech verbs, "according", and the anchor words of the cue patterns. Each alternative
    # of a prefix tree is tried only where its first letters match, which keeps the scan
    # close to a plain word scan. Capitalised forms only for words that open sentences
    # ("According to", "Estimates", "Citing"); a speech verb at the start of a sentence has
    # no speaker before it anyway.
    opening = {"according", "estimates", "citing"}
    words = set(verbs) | set(anchors) | opening | {w[:1].upper() + w[1:] for w in opening}
    words |= set(_LEADS)
    return re.compile(r"\b(?:" + prefix_tree_regex(words, space=r"\s+") + r")\b")


def _place_tables(places_lex: Lexicon) -> tuple[dict[str, LexiconEntry], frozenset[str]]:
    """Places that can speak as one ("Beijing", "the White House"), and demonyms apart."""
    places: dict[str, LexiconEntry] = {}
    demonyms: set[str] = set()
    for e in places_lex:
        for t in e.terms:
            key = " ".join(t.lower().split())
            if e.extra.get("x_role") == "demonym":
                demonyms.add(key)
            else:
                places.setdefault(key, e)
    return places, frozenset(demonyms)


def _phrases_by_last(src: Lexicon) -> dict[str, list[tuple[str, LexiconEntry]]]:
    """Multi-word sources ("state media"), longest first, filed under their last word."""
    phrases = [
        (t.lower(), e)
        for e in src
        for t in e.terms
        if " " in t and e.extra.get("x_role") in ("org", "pair", "outlet", "group")
    ]
    phrases.sort(key=lambda p: -len(p[0]))
    by_last: dict[str, list[tuple[str, LexiconEntry]]] = {}
    for term, pe in phrases:
        by_last.setdefault(term.split()[-1], []).append((term, pe))
    return by_last


def _verb_rules(verbs_lex: Lexicon, verbs: dict[str, LexiconEntry]) -> dict[str, Any]:
    """What the verbs need beyond their forms: forecasts and the word that must follow."""
    return {
        "verbs": verbs,
        "verb_forms": frozenset(w for v in verbs for w in v.split()),
        "forecast_verbs": frozenset(
            str(w).lower() for e in verbs_lex for w in e.extra.get("x_forecast", ())
        ),
        "listener_verbs": frozenset(
            str(w).lower() for e in verbs_lex for w in e.extra.get("x_listener", ())
        ),
        "verb_next": {
            e.id: re.compile(str(e.extra["x_next"])) for e in verbs_lex if "x_next" in e.extra
        },
    }


def _noun_rules(src: Lexicon, entries: dict[str, LexiconEntry]) -> dict[str, Any]:
    """The word sets that say what a noun names: a group, a person, a document, a body."""

    def terms(role: str) -> list[tuple[str, LexiconEntry]]:
        return _role_terms(src, role)

    return {
        "groups": frozenset(t.lower() for t, _ in terms("group")),
        "persons": frozenset(t.lower() for t, _ in terms("person")),
        "speaks_for": frozenset(t.lower() for t, _ in terms("speaks-for")),
        "documents": frozenset(t.lower() for t, _ in terms("document")),
        "org_nouns": {t.lower(): e for t, e in terms("org")},
        "org_names": frozenset(t for t, _ in terms("org-name")),
        "outlets": {t.lower(): e for t, e in terms("outlet")},
        "outlet_names": frozenset(t for t, _ in terms("outlet")),
        "locations": frozenset(t for t, _ in terms("location")),
        "event_words": frozenset(t for t, _ in terms("event-name")),
        "group_suffixes": tuple(entries["vague-group"].extra.get("x_suffixes", ())),
        "not_groups": frozenset(entries["vague-group"].extra.get("x_not", ())),
        "person_suffixes": tuple(entries["unnamed-person"].extra.get("x_suffixes", ())),
        "not_persons": frozenset(entries["unnamed-person"].extra.get("x_not", ())),
        "polled": frozenset(t.lower() for t, _ in terms("polled")),
        "pp_heads": frozenset(
            t.lower()
            for role in ("group", "person", "document", "org", "role")
            for t, _ in terms(role)
        ),
        "implies": {
            str(k).lower(): tuple(str(w).lower() for w in v)
            for k, v in entries["organization"].extra.get("x_implies", {}).items()
        },
        "titles": frozenset(t.lower().rstrip(".") for t, _ in terms("title")),
        "roles": frozenset(t.lower() for t, _ in terms("role")),
        "pronouns": {t: e for t, e in terms("pronoun")},
        "owner_verbs": frozenset(
            str(w).lower() for w in entries["unnamed-document"].extra.get("x_owner_verbs", ())
        ),
        "participants": frozenset(t.lower() for t, _ in terms("participants")),
        "title_words": frozenset(
            w for t, _ in terms("title") for w in t.lower().rstrip(".").split() if w != "of"
        ),
        "portfolios": frozenset(
            str(w).lower() for w in entries["person-title"].extra.get("x_portfolios", ())
        ),
        "place_titles": frozenset(
            str(w).lower() for w in entries["person-title"].extra.get("x_in_place_names", ())
        ),
    }


def _postmod_rules(src: Lexicon) -> dict[str, Any]:
    """The phrases that mark a source as unnamed on purpose ("who asked not to be named")."""
    postmods = [p for e in src if e.extra.get("x_role") == "postmod" for p in e.patterns]
    post = "|".join(f"(?:{p})" for p in postmods) or r"(?!)"
    return {
        "postmod_end": re.compile(f"(?:{post})\\s*$"),
        "postmod_words": tuple(
            str(w)
            for e in src
            if e.extra.get("x_role") == "postmod"
            for w in e.extra.get("x_anchors", ())
        ),
        "postmod_at": re.compile(f"\\s*(?:{post})"),
        "setting_at": re.compile(
            "|".join(
                f"(?:{p})" for e in src if e.extra.get("x_role") == "setting" for p in e.patterns
            )
            or r"(?!)"
        ),
    }


def _meeting_re(src: Lexicon) -> re.Pattern[str]:
    """The words that say bodies met ("talks with", "summit"), longest first."""
    return re.compile(
        r"\b(?:"
        + "|".join(
            sorted(
                (
                    r"\s+".join(map(re.escape, str(w).split()))
                    for e in src
                    if e.extra.get("x_role") == "participants"
                    for w in e.extra.get("x_meeting", ())
                ),
                key=len,
                reverse=True,
            )
            or ["(?!)"]
        )
        + r")\b",
        re.IGNORECASE,
    )


@lru_cache(maxsize=4)
def _rules(stamp: tuple[int, ...]) -> _Rules:
    """Compile the three source lexicons into one set of rules, once per version of the files."""
    verbs_lex = load_lexicon("speech_verbs")
    src = load_lexicon("sources")
    places_lex = load_lexicon("source_places")
    verbs = _verb_table(verbs_lex)
    entries = {e.id: e for e in src}
    anchors = _cue_anchors(src)
    cue_re = _cue_scan(verbs, anchors)
    places, demonyms = _place_tables(places_lex)
    return _Rules(
        cue_re=cue_re,
        cue_re_title=re.compile(cue_re.pattern, re.IGNORECASE),
        anchors=anchors,
        cue_ids=frozenset(e.id for e in src if e.extra.get("x_role") == "cue"),
        entries=entries,
        places=places,
        demonyms=demonyms,
        phrases=_phrases_by_last(src),
        meeting_re=_meeting_re(src),
        **_verb_rules(verbs_lex, verbs),
        **_noun_rules(src, entries),
        **_postmod_rules(src),
    )


# --------------------------------------------------------------------------- tokens


@dataclass(slots=True)
class _Toks:
    words: list[str]
    starts: list[int]
    ends: list[int]

    def __len__(self) -> int:
        return len(self.words)


def _tokens(text: str, start: int, end: int) -> _Toks:
    # findall plus str.find is about a third faster than building match objects
    words = _TOKEN.findall(text, start, end)
    starts: list[int] = []
    ends: list[int] = []
    find = text.find
    pos = start
    for w in words:
        pos = find(w, pos)
        starts.append(pos)
        pos += len(w)  # search on after this word: "a" is also inside "and"
        ends.append(pos)
    return _Toks(words, starts, ends)


# --------------------------------------------------------------------------- classification


@dataclass(frozen=True, slots=True)
class _Class:
    kind: str  # named | organization | anonymous | "" (back-reference, resolved later)
    entry: LexiconEntry
    collective: bool = False
    refers: str = ""  # person | group | thing | document, for back-references
    document: bool = False
    name: str = ""  # a lone capitalised word read as a name ("Carney"), checked in context


def _place_phrase(words: list[str], r: _Rules) -> LexiconEntry | None:
    key = " ".join(_base(w).lower() for w in words if w.lower() != "the")
    return r.places.get(key)


def _classify(words: list[str], r: _Rules, *, postmod: bool = False) -> _Class | None:
    """Decide what kind of source a noun phrase is, or None when it is not a source.

    The answer depends only on the words and the lexicons, and the same phrases come back
    again and again ("officials", "he", "the ministry"), so answers are remembered per set of
    rules.
    """
    if "," in words:  # "Frank Pallone, Jr.": the comma before a name suffix is not a word
        words = [
            w
            for k, w in enumerate(words)
            if not (w == "," and k + 1 < len(words) and words[k + 1] in _NAME_SUFFIXES)
        ]
    key = (*words, postmod)
    memo = r.memo
    if key in memo:
        return memo[key]
    if len(memo) > 20000:
        memo.clear()
    c = memo[key] = _classify_words(words, r, postmod=postmod)
    return c


class _Phrase(NamedTuple):
    """A noun phrase being classified: its words, their lower-cased bases, head, determiner."""

    words: list[str]
    lows: list[str]  # each word lower-cased, possessive ending dropped
    head: str  # the last of ``lows``
    head_word: str  # the last word as written
    det: str  # the opening determiner ("the", "one"), or ""


def _classify_words(words: list[str], r: _Rules, *, postmod: bool) -> _Class | None:
    """Decide the kind of source ``words`` name, working from the head noun back."""
    if not words or words[-1].lower() in _NOT_HEADS:
        return None
    if _FIRST_PERSON.fullmatch(words[-1]):
        return None  # "As I’ve long said": the writer or speaker, not a source they name
    if len(words) == 1 and not postmod:
        c = _one_word(words[0], r)
        if c is not None:
            return c
    lows = [_base(w).lower() for w in words]
    p = _Phrase(words, lows, lows[-1], words[-1], lows[0] if lows[0] in _DETERMINERS else "")
    c = _by_shape(p, r, postmod) or _by_lexicon_phrase(p, r)
    if c is not None:
        return c
    caps_tail = _caps_tail(words)
    head = p.head
    head_is_name = bool(caps_tail) and head not in r.groups and head not in r.persons
    if head_is_name and head in r.documents and words[-1][:1].isupper() and len(words) == 1:
        head_is_name = False  # "Reports say" at the start of a sentence
    if not head_is_name:
        return _common_noun(p, r)
    return _capitalised(p, caps_tail, r)


def _one_word(word: str, r: _Rules) -> _Class | None:
    """The commonest sources are one word: a group ("Analysts") or a place ("Ottawa")."""
    low = _base(word).lower()
    if low in r.groups:
        return _Class("anonymous", r.entries["vague-group"], collective=True)
    place = r.places.get(low)
    if place is not None and _is_cap(word):
        return _Class("organization", place, collective=True)
    return None


def _by_shape(p: _Phrase, r: _Rules, postmod: bool) -> _Class | None:
    """Phrases whose shape decides: a linked name, a place phrase, a pronoun, an unnamed one."""
    words, lows, head = p.words, p.lows, p.head
    e = r.entries
    if (
        len(words) > 2
        and all(_is_cap(w) for w in words)
        and any(low in _NAME_LINKS for low in lows[1:-1])
    ):
        # "Doctors Without Borders", "Mothers Against Drunk Driving": a capitalised link
        # word inside a run of capitals is the name of a body, never a person
        return _Class("organization", e["org-name"])
    if len(words) > 1 and (_is_cap(words[-1]) or words[-1].isdigit()):
        place = _place_phrase(words, r)  # "the White House", "Number 10"
        if place is not None:
            return _Class("organization", place, collective=True)
    if len(words) == 1 and head in r.pronouns and not _is_cap(p.head_word[1:2] or "a"):
        pe = r.pronouns[head]
        return _Class("", pe, refers=str(pe.extra.get("x_refers", "thing")))
    if postmod and (
        head in r.groups
        or head in r.persons
        # "One council staffer, who asked not to be named": the clause itself says a person
        # is meant, whatever the job noun
        or (
            p.det in ("one", "a", "an")
            and len(words) > 1
            and p.head_word.isalpha()
            and p.head_word.islower()
        )
    ):
        return _Class("anonymous", e["anonymity-granted"], collective=head in r.groups)
    return None


def _by_lexicon_phrase(p: _Phrase, r: _Rules) -> _Class | None:
    """A multi-word source the lexicon lists ("state media"), or a document it credits."""
    lows, head = p.lows, p.head
    phrase = " ".join(lows)
    for term, pe in r.phrases.get(head, ()):
        if phrase == term or phrase.endswith(" " + term):
            collective = bool(pe.extra.get("x_collective"))
            if pe.extra.get("x_role") == "group":
                return _Class("anonymous", pe, collective=True)
            return _Class("organization", pe, collective=collective)
    if head in r.documents and len(lows) > 2:
        # "state media commentaries": a document credited to an institution
        inner = " ".join(lows[:-1])
        for term, pe in r.phrases.get(lows[-2], ()):
            if inner == term or inner.endswith(" " + term):
                return _Class(
                    "organization", pe, collective=bool(pe.extra.get("x_collective")), document=True
                )
    return None


def _caps_tail(words: list[str]) -> list[str]:
    """The run of capitalised words that ends the phrase ("Bank of Spain" counts as one)."""
    caps_tail: list[str] = []
    for n in range(len(words) - 1, -1, -1):
        w = words[n]
        if _is_cap(w) and not w.isdigit():
            caps_tail.insert(0, w)
        elif w in ("of", "for", "and", "&") and caps_tail and n and _is_cap(words[n - 1]):
            caps_tail.insert(0, w)  # "Bank of Spain", "Office for National Statistics"
        else:
            break
    return caps_tail


def _common_noun(p: _Phrase, r: _Rules) -> _Class | None:
    """A phrase with a common noun for its head: a group, a person, a document or a body."""
    head, det = p.head, p.det
    e = r.entries
    if head in r.groups or (
        head.endswith(r.group_suffixes) and head not in r.not_groups and head.isalpha()
    ):
        if det in _DEFINITE and det not in ("its", "his", "her"):
            return _Class("anonymous", e["vague-group"], collective=True, refers="group")
        return _Class("anonymous", e["vague-group"], collective=True)
    if head in r.persons or (head in r.roles and det):
        if head in r.speaks_for and _names_body(p, r):
            return _Class("organization", e["speaks-for-body"])  # "a Kremlin spokesman"
        if det in ("the", "this", "that"):
            return _Class("anonymous", e["unnamed-person"], refers="person")
        if head in r.persons or det in ("a", "an", "one", "another"):
            return _Class("anonymous", e["unnamed-person"])  # "a lawyer", "one senator"
        return None
    if head in r.documents or " ".join(p.lows[-2:]) in r.documents:  # "a fact sheet"
        return _document(p, r)
    if head in r.org_nouns:
        return _org_noun(p, r)
    if _person_by_ending(p, r):
        # "a driver", "one refugee", "the fisherman": a person noun by its ending
        refers = "person" if det in ("the", "this", "that") else ""
        return _Class("anonymous", e["unnamed-person"], refers=refers)
    return None


def _person_by_ending(p: _Phrase, r: _Rules) -> bool:
    """Is the head a singular noun for a person by its ending, after "a", "one" or "the"?

    >>> r = _rules(_stamp())
    >>> def head(words):
    ...     lows = words.split()
    ...     return _person_by_ending(_Phrase(lows, lows, lows[-1], lows[-1], lows[0]), r)
    >>> head("a shopkeeper"), head("one fisherman"), head("a letter"), head("the latter")
    (True, True, False, False)
    """
    head = p.head
    return (
        p.det in ("a", "an", "one", "another", "the", "this", "that")
        and len(p.words) > 1
        and len(head) > 3
        and head.isalpha()
        and p.head_word.islower()
        and head.endswith(r.person_suffixes)
        and head not in r.not_persons
    )


def _names_body(p: _Phrase, r: _Rules) -> bool:
    """Do the words before the head name a body ("a NATO report", "a Kremlin spokesman")?

    A country's name or adjective alone does not: "Chinese data" and "a Canadian
    spokesperson" name no body that stands behind them.
    """
    for n, (w, lw) in enumerate(zip(p.words[:-1], p.lows[:-1], strict=False)):
        if lw in _DETERMINERS or lw == "official":
            continue
        if w.endswith(("’s", "'s")) or w in r.outlet_names or _base(w) in r.org_names:
            return True
        if n == 0 and _opening_adjective(p.words):
            continue  # "Unconfirmed reports said": capitalised only because it opens a sentence
        if lw in _MONTHS or lw.isdigit():
            continue  # "a November 11 report": a date, not a body
        if (
            _is_cap(w)
            and lw not in r.demonyms
            and (
                lw not in r.places
                or r.places[lw].extra.get("x_role") != "state"
                or r.places[lw].id == "seat-of-government"
            )
        ):
            return True
    return False


_FIRST_PERSON = re.compile(r"(?i:i|we|us)(?:[’'](?:ve|m|d|ll|re))?")
_ADJECTIVE_END = re.compile(r"[a-z](?:ed|ing|al|ly|ary|ous|ive|ial|ier|iest)$")


def _opening_adjective(words: list[str]) -> bool:
    """Is the first word an ordinary adjective, capitalised only to open the sentence?

    "Unconfirmed reports", "Early reports", "Local media reports": the first word is the
    only capitalised one before the head, and it has an adjective's ending.
    """
    first = words[0]
    return (
        _is_cap(first)
        and not first.isupper()
        and bool(_ADJECTIVE_END.search(first))
        and not any(_is_cap(w) for w in words[1:-1])
    )


def _document(p: _Phrase, r: _Rules) -> _Class:
    """A document: owned by a body the phrase names ("a NATO report") or nobody's."""
    det = p.det
    e = r.entries
    if _names_body(p, r):
        return _Class("organization", e["owned-document"], document=True)
    if det in ("its", "their"):
        # "its application": the document of a body the sentence has just named
        return _Class("organization", e["owned-document"], document=True)
    if det in ("the", "this", "that"):
        return _Class("anonymous", e["unnamed-document"], refers="document", document=True)
    return _Class("anonymous", e["unnamed-document"], document=True)


def _org_noun(p: _Phrase, r: _Rules) -> _Class | None:
    """An institution noun ("ministry"): a body named, pointed back to, or left unnamed."""
    words, lows, det = p.words, p.lows, p.det
    oe = r.org_nouns[p.head]
    collective = bool(oe.extra.get("x_collective"))
    quals = words[:-1]
    plain = all(
        (not _is_cap(w) or re.search(r"-[a-z]", w)) and not w.endswith(("’s", "'s"))
        for w in quals
        if w.lower() not in _DETERMINERS
    )
    if plain and det in _DEFINITE:
        return _Class("organization", oe, collective=collective, refers="thing")
    if plain and not det and not quals:
        return None  # a bare "government" or "paper" is not a speaker on its own
    if plain and det and not collective:
        return _Class("anonymous", r.entries["unnamed-organization"])  # "a company said"
    if any(lw in r.places or lw in r.demonyms for lw in lows):
        collective = collective or p.head in ("media",)
    return _Class("organization", oe, collective=collective)


def _capitalised(p: _Phrase, caps_tail: list[str], r: _Rules) -> _Class | None:
    """A capitalised head: a name, an institution, a place, or a title standing alone."""
    e = r.entries
    tail_lows = [_base(w).lower() for w in caps_tail]
    if any(w.endswith(("’s", "'s")) for w in caps_tail[:-1]) and (
        _base(caps_tail[-1]) not in r.org_names
    ):
        if _owned_person(caps_tail, r):
            return _Class("named", e["named-person"])  # "Al Jazeera's Hamdah Salhut"
        return None  # "Carney's Beijing Visit": the head is something a name owns
    if any(w.lower() in r.outlets for w in caps_tail):
        return _Class(
            "organization", r.outlets[next(w.lower() for w in caps_tail if w.lower() in r.outlets)]
        )
    if any(_base(w) in r.event_words for w in caps_tail) and not any(
        _base(w) in r.org_names for w in caps_tail
    ):
        return None  # "Hurricane Ida", "Super Typhoon": an event, not a speaker
    if (
        _base(caps_tail[-1]) in r.locations
        and " ".join(tail_lows) not in r.places
        and not _titled_full_name(tail_lows, r)
    ):
        return None  # "Mill Street", "Lake Erie": a place, not a speaker
    honor = [n for n, lw in enumerate(tail_lows) if lw in _HONORIFICS]
    if honor and 0 < len(caps_tail) - 1 - honor[-1] <= 3:
        after = caps_tail[honor[-1] + 1 :]
        if not any(_base(w) in r.org_names for w in after):
            return _Class("named", e["named-person"])  # "Medical Examiner Dr. Ann Lee"
    if _name_after_title(caps_tail, tail_lows, r):
        # "U.S. Agency for International Development Administrator Rajiv Shah": a body's
        # name, a title, then a first name and a surname
        return _Class("named", e["named-person"])
    if len(caps_tail) > 1 and any(_base(w) in r.org_names for w in caps_tail):
        return _Class("organization", e["org-name"])
    for n in range(len(tail_lows)):
        if " ".join(tail_lows[n:]) in r.outlets:
            return _Class("organization", r.outlets[" ".join(tail_lows[n:])])
    names = [
        w
        for w, lw in zip(caps_tail, tail_lows, strict=False)
        if lw.rstrip(".") not in r.titles
        and lw.rstrip(".") not in r.title_words
        and lw not in _DETERMINERS  # "The President": a title, no name
        and lw not in r.places
        and lw not in r.demonyms
        and _base(w) not in r.org_names
    ]
    if names and " ".join(_base(w).lower() for w in names) in r.places:
        names = []
    if not names:
        return _nameless(p, caps_tail, tail_lows, r)
    if p.det == "the" and not any(lw.rstrip(".") in r.titles for lw in tail_lows):
        # people are not "the X Y": "the United States Geological Survey" is an institution
        return _Class("organization", e["org-name"])
    if len(names) == 1 and len(caps_tail) == 1 and names[0].isupper() and len(names[0]) >= 2:
        return _Class("organization", e["org-name"])  # an acronym: "NATO", "IMF"
    if len(names) == 1 and not any(lw.rstrip(".") in r.titles for lw in tail_lows):
        return _Class("named", e["named-person"], name=_base(names[0]))
    return _Class("named", e["named-person"])


def _name_after_title(caps_tail: list[str], tail_lows: list[str], r: _Rules) -> bool:
    """True when a title's last word is followed by two or three words of a person's name.

    >>> r = _rules(_stamp())
    >>> words = "Ways and Means Committee Chairman Jason Smith".split()
    >>> _name_after_title(words, [w.lower() for w in words], r)
    True
    >>> words = "Chairman of the Energy Committee".split()
    >>> _name_after_title(words, [w.lower() for w in words], r)
    False
    """
    marks = [n for n, lw in enumerate(tail_lows) if lw.rstrip(".") in r.title_words]
    if not marks or (marks[-1] == 0 and len(caps_tail) < 3):
        return False
    name = caps_tail[marks[-1] + 1 :]
    if name and name[0].lower() in ("for", "of"):
        name = name[-2:]  # "... for Humanitarian Affairs Valerie Amos": the last two words
    return len(name) in (2, 3) and not any(
        w.lower() in r.portfolios
        or _base(w) in r.org_names
        or w in r.locations
        or w.lower() in r.places
        or w.lower() in r.demonyms
        or w.lower() in _DETERMINERS
        or not _is_cap(w)
        or w.lower() in ("of", "for", "and", "&")
        for w in name
    )


def _owned_person(caps_tail: list[str], r: _Rules) -> bool:
    """True for "the BBC's Lyse Doucet", "Apple's Tim Cook": a body's own person, by name.

    >>> r = _rules(_stamp())
    >>> _owned_person(["BBC’s", "Lyse", "Doucet"], r)
    True
    >>> _owned_person(["Carney's", "Beijing", "Visit"], r)
    False
    """
    last = max(n for n, w in enumerate(caps_tail) if w.endswith(("’s", "'s")))
    name = caps_tail[last + 1 :]
    return len(name) == 2 and not any(
        w in r.org_names
        or w in r.locations
        or w.lower() in r.places
        or w.lower() in r.titles
        or w.lower() in r.title_words
        or w.lower() in r.demonyms
        for w in name
    )


def _titled_full_name(tail_lows: list[str], r: _Rules) -> bool:
    """True for "Senator Lee Park", "Judge Hill": a title, then a name (surname last).

    >>> r = _rules(_stamp())
    >>> _titled_full_name(["senator", "lee", "park"], r), _titled_full_name(["hyde", "park"], r)
    (True, False)
    >>> _titled_full_name(["king", "william", "street"], r)
    False
    """
    words = [w.rstrip(".") for w in tail_lows]
    k = 0
    while k < len(words) and (words[k] in r.titles or words[k] in r.title_words):
        k += 1
    rest = words[k:]
    return (
        k > 0
        and words[0] not in r.place_titles
        and len(rest) in (1, 2)
        and (len(rest) == 1 or rest[0].title() not in r.locations)
        and not any(w in r.places for w in rest)
    )


def _nameless(p: _Phrase, caps_tail: list[str], tail_lows: list[str], r: _Rules) -> _Class | None:
    """Capitals with no name among them: a place speaking as one, a title, or a known body."""
    e = r.entries
    place = _place_phrase(caps_tail, r) or (r.places.get(tail_lows[-1]))
    if (
        place is not None
        and all(
            lw in r.places or lw in r.demonyms or lw.rstrip(".") in r.titles or lw == "the"
            for lw in tail_lows
        )
        and not any(lw.rstrip(".") in r.titles for lw in tail_lows)
    ):
        return _Class("organization", place, collective=True)
    if place is not None and " ".join(tail_lows) in r.places:
        return _Class("organization", place, collective=True)
    if any(lw.rstrip(".") in r.titles for lw in tail_lows):
        return _Class("anonymous", e["unnamed-person"], refers="person")
    if all(lw in r.demonyms for lw in tail_lows) and p.det == "the":
        return _Class("organization", e["government"], collective=True)
    if _base(caps_tail[-1]) in r.org_names:
        return _Class("organization", e["org-name"])
    return None


# --------------------------------------------------------------------------- reading a clause


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    cls: _Class
    verb: str
    vstart: int
    vend: int
    sent: int
    mode: str  # before | after | according | cue | by | inherit | credit | speaker


def _skip_back(t: _Toks, i: int) -> tuple[int, bool]:
    """Step left over auxiliaries, adverbs and time phrases.

    The flag is True when the verb is not a report of something said: a passive ("were
    told") or a modal ("could announce", "will say").
    """
    saw_be = False
    first = True  # nothing but adverbs ("now", "also") read so far
    while i >= 0:
        w = t.words[i]
        lw = w.lower()
        if lw in _AUX:
            if (first and lw in _BE) or lw in _MODALS:
                saw_be = True  # "were told", "were now feared", "could announce"
            if lw not in _AUX_ADVERBS:
                first = False
            i -= 1
            continue
        if w == ")" and i >= 2 and t.words[i - 2] == "(":
            break  # "the Survey (USGS) reported": the caller reads the bracket
        first = False
        if lw.endswith("ly") and w.islower() and len(lw) > 4 and lw not in _NOT_ADVERB:
            i -= 1
            continue
        if (
            lw.isdigit()
            and i > 0
            and _is_cap(t.words[i - 1])
            and t.words[i - 1].lower() not in _TIME
        ):
            break  # "Number 10 said", "Terminal 3 reported": a number inside a name
        if lw in _TIME or lw.isdigit():
            i -= 1
            while i >= 0 and (
                t.words[i].lower() in _TIME_LEAD
                or t.words[i].lower() in _TIME
                or t.words[i].isdigit()
                or (t.words[i] == "," and i > 0 and t.words[i - 1].isdigit())
            ):
                i -= 1
            continue
        if lw in _COMM_NOUNS:
            j = i - 1
            while j >= max(0, i - 4) and t.words[j].lower() not in _PREP_BACK:
                if not t.words[j].islower():
                    break
                j -= 1
            if j >= 0 and t.words[j].lower() in _PREP_BACK:
                i = j - 1
                continue
        break
    return i, saw_be


def _clause_start(t: _Toks, j: int) -> int:
    """Index of the punctuation mark that opens the clause ending at token ``j`` (-1: none).

    A comma between digits ("4,000") is part of a number, not a clause break.
    """
    words = t.words
    while j >= 0:
        w = words[j]
        if w == ")" and j >= 2 and words[j - 2] == "(" and _is_cap(words[j - 1]):
            j -= 3  # "the Office for Refugees (OFR) in Geneva": an acronym in brackets
            continue
        if w in ',;:()“”"—–' and not (
            w == ","
            and 0 < j < len(words) - 1
            and words[j - 1].isdigit()
            and words[j + 1].isdigit()
        ):
            break
        j -= 1
    return j


_NAME_LINKS = _wordset("without against for")


def _inside_name(t: _Toks, j: int) -> bool:
    """Is token j a capitalised word between capitalised words, as in "the Flood Forecasting
    Centre" or "the Early Warning Office"? Then a verb form is part of a name."""
    w = t.words[j]
    if not (_is_cap(w) and j > 0 and j + 1 < len(t.words)):
        return False
    before = t.words[j - 1]
    return _is_cap(t.words[j + 1]) and (_is_cap(before) or before.lower() == "the")


def _collect_back(t: _Toks, i: int, r: _Rules) -> int:
    """Index of the first token of the noun phrase that ends at token i (i+1 when none)."""
    if t.words[i].lower() in r.pronouns or t.words[i].lower() in ("some", "many", "others"):
        return i
    j = i
    lower_mods = 0
    seen_cap = False
    while j >= 0:
        w = t.words[j]
        lw = w.lower()
        if w == "," and j == i - 1 and t.words[i] in _NAME_SUFFIXES and j > 0:
            j -= 1  # "Frank Pallone, Jr.": the comma and the suffix belong to the name
            continue
        if w in "’'" and j < i and j > 0 and t.words[j - 1].endswith("s"):
            j -= 1  # "Farmers' groups": a plural possessive
            continue
        if w == "&" and 0 < j < i and _is_cap(t.words[j - 1]) and _is_cap(t.words[j + 1]):
            j -= 1  # "Smith & Sons", "Gas & Electric": one name
            continue
        if w == "and" and _and_in_name(t, j, i, r):
            j -= 1  # "the Ways and Means Committee": one body's name
            continue
        if not _is_word(w):
            break
        if lw in _PP and j < i and _share_of_us(t, j):
            j -= 4  # "Many of us in Congress": a share of a group the speaker belongs to
            break
        if (lw in _PP or lw == "on") and j < i and j > 0 and t.words[j - 1].lower() in r.pp_heads:
            j -= 1  # "Sources inside City Hall", "Lawmakers on Capitol Hill"
            seen_cap = False
            continue
        if lw == "in" and 0 < j < i and _is_cap(t.words[j + 1]) and _named_body_before(t, j, r):
            j -= 1  # "the Ministry of Health in Gaza": the place belongs to the body's name
            continue
        if (
            seen_cap
            and w.islower()
            and not (lw in ("of", "for") and j > 0 and _is_cap(t.words[j - 1]))
            and "-" not in w
            and lw not in r.roles
            and lw not in r.org_nouns  # "agency director Samuel Reyes"
            and f"{lw} {t.words[j + 1].lower()}" not in r.org_nouns  # "news agency KCNA"
            and (lw not in _NAME_MODIFIERS and lw not in _DETERMINERS)
        ):
            break  # "the deal includes Premier Scott Moe": 'includes' is not part of the name
        if _is_cap(w):
            seen_cap = True
        if lw in _DETERMINERS and j < i and j >= 1 and _share_of_us(t, j - 1):
            j -= 5  # "Several of them in the union"
            break
        if lw in _DETERMINERS and (j < i or lw in _QUANTIFIERS):
            # "Some on the council", "officials at the ministry": a quantity or a person
            # noun, a preposition, then this noun phrase
            if (
                j >= 2
                and (t.words[j - 1].lower() in _PP or t.words[j - 1].lower() == "on")
                and t.words[j - 2].lower() in r.pp_heads
            ):
                j -= 2
                continue
            j -= 1
            break
        if lw in _NAME_LINKS and _inside_name(t, j) and j < i:
            j -= 1  # "Doctors Without Borders": one name
            continue
        if lw in _STOP:
            if (
                lw in _PP
                and j < i
                and j > 0
                and (
                    (lw in ("of", "for") and _is_cap(t.words[j - 1]) and _is_cap(t.words[j + 1]))
                    or t.words[j - 1].lower() in r.pp_heads
                )
            ):
                j -= 1
                continue
            break
        if lw in r.verb_forms and j < i and not _inside_name(t, j) and not _plural_title(w, r):
            break
        if w.islower() and lw.endswith("ed") and "-" not in lw and lw not in _ED_ADJ:
            break
        if w.islower() and j < i:
            lower_mods += 1
            if lower_mods > 4:
                break
        if j < i - 9:
            break
        j -= 1
    return j + 1


def _plural_title(word: str, r: _Rules) -> bool:
    """ "Judges", "Justices": a capitalised plural of a title, so a name, not a verb, follows."""
    low = word.lower()
    return _is_cap(word) and low.endswith("s") and (low[:-1] in r.titles or low[:-2] in r.titles)


def _share_of_us(t: _Toks, p: int) -> bool:
    """Does the preposition at ``p`` follow "many of us", "some of them", "few of you"?"""
    return (
        p >= 3
        and t.words[p].lower() in _PP
        and t.words[p - 1].lower() in ("us", "them", "you")
        and t.words[p - 2].lower() == "of"
        and t.words[p - 3].lower() in _QUANTIFIERS
    )


def _and_in_name(t: _Toks, j: int, i: int, r: _Rules) -> bool:
    """Is the "and" at ``j`` inside a body's name ("Ways and Means Committee", "Fish and
    Wildlife Service")? Capitals on both sides, a body's word (Committee, Service) after it
    before the phrase ends at ``i``, and no place or body name of its own before it ("China
    and the Trade Commission" are two speakers)."""
    if not (0 < j < i and _is_cap(t.words[j - 1]) and _is_cap(t.words[j + 1])):
        return False
    before = t.words[j - 1]
    if before.lower() in r.places or before.lower() in r.demonyms:
        return False
    if _base(before) in r.org_names and j > 1 and _is_cap(t.words[j - 2]):
        return False  # "Duke Energy and Apex Power said": a body's name ends before "and"
    for k in range(j + 1, i + 1):
        w = t.words[k]
        if not _is_word(w):
            break  # "(D-NJ)" after the name: the phrase's words have ended
        if not _is_cap(w):
            return False
        if _base(w) in r.org_names:
            return True
    return False


def _named_body_before(t: _Toks, j: int, r: _Rules) -> bool:
    """True for "the Ministry of Health in Gaza": a body's capitalised name ends at j - 1."""
    k = j - 1
    while k >= 0 and (_is_cap(t.words[k]) or t.words[k].lower() in ("of", "for", "and")):
        if _base(t.words[k]) in r.org_names:
            return True
        k -= 1
    return False


def _collect_forward(t: _Toks, i: int, r: _Rules, *, allow_pp: bool) -> int:
    """Index one past the last token of the noun phrase that starts at token i.

    ``allow_pp``: take in prepositional phrases ("data from the ministry"); without it, only
    after a person noun ("a spokesman for the ministry").
    """
    j = i
    n = len(t)
    saw_of = False
    while j < n and j < i + 12:
        w = t.words[j]
        lw = w.lower()
        if w == "&" and j > i and j + 1 < n and _is_cap(t.words[j - 1]) and _is_cap(t.words[j + 1]):
            j += 1  # "Smith & Sons": one name
            continue
        if not _is_word(w):
            if w in "-–" and j > i:  # hyphen split by tokenizer never happens; stop anyway
                break
            break
        # "the Institute of Volcanology ...": a name goes on after "of"
        name_of = lw == "of" and j > i and j + 1 < n and _is_cap(t.words[j - 1])
        name_of = name_of and _is_cap(t.words[j + 1])
        saw_of = saw_of or name_of
        if lw == "that" and j > i and t.words[j - 1].lower() not in _STOP:
            break  # "heard from Mayor Ann Ruiz that ...": "that" opens what was said
        if _date_before_noun(t, i, j):
            j += 1  # "a November 11 USAID fact sheet", "a 2019 report": a date as a modifier
            continue
        if lw in _STOP:
            if lw in _DETERMINERS or (
                lw in _PP
                and j > i
                and j + 1 < n
                and _is_word(t.words[j + 1])
                and (
                    allow_pp
                    or t.words[j - 1].lower() in r.roles
                    or t.words[j - 1].lower() in r.persons
                    or t.words[j - 1].lower() in r.groups
                )
            ):
                pass
            elif name_of:
                pass  # "the Bureau of Labor Statistics"
            elif (
                lw == "and"
                and j + 1 < n
                and _is_cap(t.words[j + 1])
                and (saw_of or (j > i and _is_cap(t.words[j - 1]) and _org_name_ahead(t, j + 1, r)))
            ):
                pass  # "the Institute of Volcanology and Seismology", "Oceanic and Atmospheric"
            else:
                break
        elif (
            (lw in r.verb_forms and j > i and not _inside_name(t, j))
            or (
                w.islower()
                and lw.endswith("ed")
                and lw not in _ED_ADJ
                and "-" not in lw
                and not _prenominal(t, j)
            )
            or ((lw in _TIME or lw.isdigit()) and j > i and not _is_cap(t.words[j - 1]))
        ):
            break
        j += 1
    # never end on a preposition or determiner
    while j > i and t.words[j - 1].lower() in (_STOP | _DETERMINERS):
        j -= 1
    return j


_YEAR = re.compile(r"(?:19|20)\d\d$")


def _date_before_noun(t: _Toks, i: int, j: int) -> bool:
    """Is token j part of a date written before a noun, right after the determiner?

    "a November 11 fact sheet", "the 2019 report": the date is a modifier, not the end of
    the phrase ("said on Tuesday" is handled before the phrase starts).
    """
    k = j - 1
    while k >= i and (t.words[k].lower() in _MONTHS or t.words[k].isdigit()):
        k -= 1
    if k < i or t.words[k].lower() not in ("a", "an", "the") or j - k > 3:
        return False
    w = t.words[j].lower()
    month_first = t.words[k + 1].lower() in _MONTHS
    if w in _MONTHS:
        return j == k + 1
    if not w.isdigit() or j + 1 >= len(t) or not _is_word(t.words[j + 1]):
        return False
    return bool(_YEAR.match(w)) or (month_first and len(w) <= 2)


def _org_name_ahead(t: _Toks, j: int, r: _Rules) -> bool:
    """True when the capitalised run from token j ends a body's name ("... Administration")."""
    while j < len(t) and _is_cap(t.words[j]):
        if _base(t.words[j]) in r.org_names:
            return True
        j += 1
    return False


_MEMBER_LEADS = {
    ("including",): 1,
    ("such", "as"): 2,
    ("led", "by"): 2,
    ("represented", "by"): 2,
    ("organised", "by"): 2,
    ("organized", "by"): 2,
    ("among", "them"): 2,
}


def _member_lead(inner: list[str]) -> int:
    """How many words open a phrase naming a group's member ("including", "led by"), or 0."""
    if len(inner) > 1 and inner[0] == "including":
        return 1
    if len(inner) > 2:
        return _MEMBER_LEADS.get((inner[0], inner[1]), 0)
    return 0


def _is_owner(words: list[str], r: _Rules) -> bool:
    """Can ``words`` own a document: a person or body named, or an institution ("the board")?"""
    if not words:
        return False
    c = _classify(words, r)
    if c is not None and c.kind in ("named", "organization"):
        return True
    return _base(words[-1]).lower() in r.org_nouns and words[0].lower() in _DEFINITE


def _prenominal(t: _Toks, j: int) -> bool:
    """Is the -ed word at ``j`` an adjective before its noun ("audited financial statements")?

    Only at the start of a phrase: later, an -ed word starts a participle phrase ("figures
    released on Monday", "statements filed with the board").
    """
    if j + 1 >= len(t):
        return False
    nxt = t.words[j + 1]
    return (
        _is_word(nxt)
        and nxt.islower()
        and nxt not in _STOP
        and not nxt.endswith(("ed", "ly"))
        and (j == 0 or t.words[j - 1].lower() in _DETERMINERS)
    )


def _split_pp(words: list[str], r: _Rules) -> tuple[list[str], list[str]]:
    for k, w in enumerate(words):
        if k and (w.lower() in _PP or w.lower() == "on"):
            if w.lower() == "of" and _base(words[k - 1]) in r.org_names:
                continue  # "Bank of Canada", "Institute of Technology"
            return words[:k], words[k + 1 :]
    return words, []


def _portfolio_then_name(core: list[str], pp: list[str], r: _Rules) -> bool:
    """Is it a title, "of" or "for" and its portfolio, then a name ("Secretary of State
    Blinken")? The portfolio words are the title's; the capitalised words after them name
    the person, even a surname that is also a place ("Secretary of Defense Austin")."""
    if not core or not pp or _base(core[-1]).lower().rstrip(".") not in r.title_words:
        return False
    k = 0
    while k < len(pp) and (pp[k].lower() in r.portfolios or pp[k].lower() in ("and", "&")):
        k += 1
    name = pp[k:]
    return (
        k > 0
        and pp[k - 1].lower() not in ("and", "&")
        and 1 <= len(name) <= 3
        and all(_is_cap(w) and not w.isupper() and w.lower() not in r.portfolios for w in name)
        and not any(_base(w) in r.org_names or w.lower() in _DETERMINERS for w in name)
    )


def _person_after_place(pp: list[str], r: _Rules) -> bool:
    """Is ``pp`` a place followed by a person's name ("Manila Brian Goldbeck")?"""
    if len(pp) not in (3, 4) or pp[0].lower() not in r.places:
        return False
    c = _classify(pp[1:], r)
    return c is not None and c.kind == "named" and not any(w.lower() in r.places for w in pp[1:])


def _classify_pp(words: list[str], r: _Rules, *, postmod: bool = False) -> _Class | None:
    caps = _caps_tail(words) if len(words) > 3 else []
    if len(caps) > 3 and len(caps) >= len(words) - 1:
        lows = [_base(w).lower() for w in caps]
        if _name_after_title(caps, lows, r):
            # "U.N. Undersecretary-General for Humanitarian Affairs Valerie Amos": the
            # "for" belongs to the title, and the phrase ends in the person's name
            return _Class("named", r.entries["named-person"])
    core, pp = _split_pp(words, r)
    if _portfolio_then_name(core, pp, r):
        # "Secretary of State Blinken", "Minister for Foreign Affairs Penny Wong"
        return _Class("named", r.entries["named-person"])
    c = _classify(core, r, postmod=postmod)
    if c is not None and c.kind == "organization" and _person_after_place(pp, r):
        # "the U.S. Embassy in Manila Brian Goldbeck": a body, its city, then its person
        return _Class("named", r.entries["named-person"])
    if c is None or not pp or c.kind != "anonymous":
        return c
    if c.document:
        inner = _classify(pp, r)
        if inner is not None and inner.kind in ("named", "organization"):
            return _Class("organization", r.entries["owned-document"], document=True)
    elif _base(core[-1]).lower() in r.speaks_for and any(_is_cap(w) for w in pp):
        # "a spokeswoman for the World Health Organization": the body named stands behind
        # the words; "a spokeswoman for the airline" names none
        inner = _classify(pp, r)
        if inner is not None and inner.kind in ("named", "organization"):
            return _Class("organization", r.entries["speaks-for-body"])
    return c


# --------------------------------------------------------------------------- the detector


def _reporting_sentences(article: Article) -> tuple[list[tuple[int, int]], frozenset[int]]:
    """Sentences outside page furniture, and which of them are Title Case headings.

    A heading is the headline, or a whole line with no closing punctuation. Headings count
    like any other sentence; those in Title Case ("China Urges Canada ...") are read with
    case ignored, and a capitalised word in them must be a known name to count as a person.
    """
    text = article.text
    out = []
    headings = set()
    paragraphs = {(p.start, p.end) for p in article.paragraphs}
    furniture = [(b.start, b.end) for b in article.boilerplate]
    head = article.headline_span
    for s in article.sentences:
        if any(b0 < s.end and s.start < b1 for b0, b1 in furniture):
            continue
        chunk = text[s.start : s.end].rstrip()
        if (head is not None and head.start <= s.start and s.end <= head.end) or (
            (s.start, s.end) in paragraphs
            and chunk
            and chunk[-1] not in '.!?:;”"’)…'
            and len(chunk.split()) <= 16
        ):
            words = [w for w in chunk.split() if len(w) > 3]
            if words and sum(w[:1].isupper() for w in words) * 2 > len(words):
                headings.add(len(out))  # Title Case: read with case ignored
        out.append((s.start, s.end))
    return out, frozenset(headings)


_body_sentences = lru_cache(maxsize=64)(_reporting_sentences)


def find_attributions(article: Article) -> list[Attribution]:
    """Every place ``article`` attributes information, sorted by (start, end).

    >>> a = kit.load_articles()["A"]
    >>> hits = find_attributions(a)
    >>> [(h.source, h.kind) for h in hits if h.verb.lower() == "according to"]
    [('official statements', 'anonymous')]
    >>> all(a.text[h.start:h.end] == h.source for h in hits)
    True
    """
    return list(_cached(article, _stamp()))


@lru_cache(maxsize=64)
def _cached(article: Article, stamp: tuple[int, ...]) -> tuple[Attribution, ...]:
    return tuple(_detect(article, _rules(stamp)))


def _detect(article: Article, r: _Rules) -> list[Attribution]:
    text = article.text
    sents, headings = _body_sentences(article)  # shared with attributed_clauses
    if not sents:
        return []
    sstarts = [s for s, _ in sents]
    quotes = quotation_spans(text)
    qstarts = [q[0] for q in quotes]
    body_start, body_end = sents[0][0], sents[-1][1]

    # A quotation that opens a paragraph and fills it, as a press release's statement does,
    # is the speaker's own text: the people it says it heard from, or who believe or want
    # something, are its sources too. A line quoted inside a reported sentence is not.
    para_starts = {p.start for p in article.body_paragraphs}
    statements = {
        k for k, (q0, q1) in enumerate(quotes) if q1 - q0 >= _STATEMENT and q0 in para_starts
    }

    def in_quote(start: int, end: int) -> bool:
        k = bisect_right(qstarts, start) - 1
        return k >= 0 and quotes[k][0] < start and end <= quotes[k][1] and k not in statements

    hits: list[_Hit] = []
    matches = list(r.cue_re.finditer(text, body_start, body_end))
    for k in sorted(headings):
        matches += r.cue_re_title.finditer(text, *sents[k])
    for m in matches:
        pos = m.start()
        k = bisect_right(sstarts, pos) - 1
        if k < 0 or pos >= sents[k][1]:
            continue
        if k in headings and m.re is r.cue_re:
            continue  # read with case ignored below
        s_start, s_end = sents[k]
        word = m.group()
        low = word.lower()
        if low in r.anchors:
            for entry, pattern, before in r.anchors[low]:
                lo = max(s_start, pos - 90)
                if before is not None and before.search(text, max(s_start, pos - 40), pos) is None:
                    continue
                for cm in pattern.finditer(text, lo, min(s_end, m.end() + 40)):
                    if cm.start() <= pos < cm.end() and not in_quote(cm.start(), cm.end()):
                        cue = cm.group()
                        hits.append(
                            _Hit(
                                cm.start(),
                                cm.end(),
                                _Class("anonymous", entry),
                                " ".join(cue.split()),
                                cm.start(),
                                cm.end(),
                                k,
                                "cue",
                            )
                        )
        if m.end() > s_end or in_quote(pos, m.end()):
            continue
        lead = _LEADS.get(low)
        if lead is not None:
            # "according to X", "heard from X": the source comes after the words
            lm = lead.match(text, m.end())
            if lm is not None:
                t = _tokens(text, lm.end(), min(s_end, lm.end() + _WINDOW * 3))
                verb = text[pos : lm.end()]
                _forward_hit(
                    text, t, 0, r, hits, verb, pos, lm.end(), k, "according", allow_pp=True
                )
            continue
        ventry = r.verbs.get(low) or r.verbs.get(" ".join(low.split()))
        if ventry is not None:
            _verb_hits(text, word, ventry, pos, m.end(), k, s_start, s_end, r, hits)
    _dash_credits(text, quotes, sents, r, hits)
    _source_lines(text, sents, r, hits)
    _speaker_lines(text, sents, r, hits)
    return _finish(article, text, sents, headings, quotes, hits, r, in_quote)


# A quotation signed with a dash: '“We kept our promise.” – Senator Jane Doe'.
_DASH_SIGN = re.compile(r"[^\S\n]*[—–―-]{1,2}[^\S\n]*(?=[A-Z])")


def _dash_credits(
    text: str,
    quotes: list[tuple[int, int]],
    sents: list[tuple[int, int]],
    r: _Rules,
    hits: list[_Hit],
) -> None:
    """A quotation followed by a dash and a name at the end of its line: the name said it."""
    if not quotes or ("–" not in text and "—" not in text and " -" not in text):
        return
    sstarts = [s0 for s0, _ in sents]
    for q0, q1 in quotes:
        m = _DASH_SIGN.match(text, q1)
        if m is None or len(text[q0:q1].split()) < 3:
            continue
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        if line_end - m.end() > 90:
            continue  # a signature is short and ends its line: not "– and then ..."
        line_start = text.rfind("\n", 0, q0) + 1
        if text[line_start:q0].lstrip()[:1] in ("-", "*", "•") or any(
            ch.isdigit() for ch in text[m.end() : line_end]
        ):
            continue  # '- "Title" — Outlet, July 7, 2010': a list of sources, not a quotation
        k = bisect_right(sstarts, m.end()) - 1
        if k < 0:
            continue
        t = _tokens(text, m.end(), line_end)
        if not t.words or not _is_cap(t.words[0]):
            continue
        dash = text[m.start() : m.end()].strip()
        _forward_hit(text, t, 0, r, hits, dash, m.start(), m.end(), k, "after", allow_pp=True)


# A credit line under a table, a chart or a fact box: "Source: UN", "Sources: Census Bureau".
_SOURCE_LINE = re.compile(r"(?m)^[^\S\n]*(?:Sources?|SOURCES?|Data|DATA)[^\S\n]*:[^\S\n]*(?=[A-Z])")


def _source_lines(text: str, sents: list[tuple[int, int]], r: _Rules, hits: list[_Hit]) -> None:
    """A short line that credits what stands above it: "Source: UN" names its source."""
    if ":" not in text:
        return
    sstarts = [s0 for s0, _ in sents]
    for m in _SOURCE_LINE.finditer(text):
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        if line_end - m.end() > 80:
            continue  # a credit is short: not "Data: the figures show that ..."
        k = bisect_right(sstarts, m.end()) - 1
        if k < 0 or m.end() >= sents[k][1]:
            continue  # page furniture, outside the article's sentences
        t = _tokens(text, m.end(), line_end)
        label = text[m.start() : m.end()].strip()
        _forward_hit(text, t, 0, r, hits, label, m.start(), m.end(), k, "credit", allow_pp=True)


# A transcript's speaker label at the start of a line: "MR. KIRBY:", "SENIOR DEFENSE
# OFFICIAL:", "DENNIS WILDER, FORMER CHINA ANALYST WITH THE CIA:". Capitals only, so that a
# sentence with a colon ("The plan: ...") is never read as one.
_SPEAKER_LINE = re.compile(
    r"(?m)^[^\S\n]*([A-Z][A-Z.’' -]{0,48}[A-Z.])((?:,[^\S\n]*[A-Z][A-Z.’' -]{0,60})?)"
    r"[^\S\n]*:[^\S\n]+(?=[^\W\d_]|[“\"—–-])"
)
# Labels that head a line but name no speaker: the interviewer, and page furniture.
_NOT_SPEAKERS = frozenset(
    (
        *_wordset(
            """q question questions a answer note update correction watch related source
            sources data photo photos video caption credit tags topics subscribe breaking
            exclusive analysis opinion listen also see virin transcript summary background"""
        ),
        "editor's note",
        "editor’s note",
        "read more",
    )
)


def _speaker_lines(text: str, sents: list[tuple[int, int]], r: _Rules, hits: list[_Hit]) -> None:
    """A transcript's speaker labels ("MR. KIRBY: Good afternoon."): each names who says
    what follows it. Read only where two or more labels stand at the start of lines."""
    if ":" not in text:
        return
    labels = [
        m
        for m in _SPEAKER_LINE.finditer(text)
        if " ".join(m.group(1).lower().split()) not in _NOT_SPEAKERS
        and m.group(1).strip().lower() not in r.places
    ]
    if len(labels) < 2:
        return
    sstarts = [s0 for s0, _ in sents]
    for m in labels:
        k = bisect_right(sstarts, m.start(1)) - 1
        if k < 0 or m.start(1) >= sents[k][1]:
            continue  # page furniture, outside the article's sentences
        line_end = text.find("\n", m.end())
        said = text[m.end() : len(text) if line_end < 0 else line_end].rstrip()
        if said.endswith("?"):
            continue  # the interviewer's question ("VOA: What is ...?")
        c = _speaker_class(m.group(1).strip(), r)
        if c is not None:
            start, end = m.start(1), m.start(1) + len(m.group(1).strip())
            hits.append(_Hit(start, end, c, "speaker label", m.start(), m.end(), k, "speaker"))


def _speaker_class(label: str, r: _Rules) -> _Class | None:
    """What a speaker label names: "SENIOR DEFENSE OFFICIAL" nobody, "MR MILLER" a person."""
    low = label.lower().split()
    c = _classify(low, r)
    if c is not None and c.kind == "anonymous":
        return c  # "senior defense official", "staff"
    if len(low) == 1 and low[0].rstrip(".") not in r.titles:
        return None  # one word ("VOA", "MODERATOR"): a body or a role, not said which
    titled = [w[:1] + w[1:].lower() if w[:1].isalpha() else w for w in label.split()]
    c = _classify(titled, r)
    if c is not None and c.kind == "named":
        return c
    return None


class _NeedMore(Exception):
    """The words before a verb ran past the window read so far; read the whole sentence."""


_WINDOW = 64  # characters read on each side of a verb first; most sources sit this close
# The shortest quotation that, opening its paragraph, is read as a statement (see _detect)
_STATEMENT = 100


def _verb_hits(
    text: str,
    verb: str,
    ventry: LexiconEntry,
    vstart: int,
    vend: int,
    k: int,
    s_start: int,
    s_end: int,
    r: _Rules,
    hits: list[_Hit],
) -> None:
    vclass = str(ventry.extra.get("x_class", "speech"))
    # the next word decides two things: "hopes to" is a plan, "announced by" names the agent
    nxt_word = text[vend + 1 : vend + 4]
    if vclass == "belief" and nxt_word[:2] == "to" and not nxt_word[2:].isalnum():
        if verb.lower() not in r.forecast_verbs:
            return
        # "the utility expects to break the record": a company or agency forecasting its
        # own results is a source; "Canada expects to sign" (a country) is a plan
        mark = len(hits)
        _verb_source(text, verb, ventry, vclass, vstart, vend, k, s_start, s_end, r, hits)
        hits[mark:] = [
            h
            for h in hits[mark:]
            if h.cls.kind == "organization" and not h.cls.collective and not h.cls.document
        ]
        return
    _verb_source(text, verb, ventry, vclass, vstart, vend, k, s_start, s_end, r, hits)


def _verb_source(
    text: str,
    verb: str,
    ventry: LexiconEntry,
    vclass: str,
    vstart: int,
    vend: int,
    k: int,
    s_start: int,
    s_end: int,
    r: _Rules,
    hits: list[_Hit],
) -> None:
    nxt_word = text[vend + 1 : vend + 4]
    need = r.verb_next.get(ventry.id)
    if need is not None:
        at = vend
        while at < s_end and text[at] in " \u00a0\t":
            at += 1
        if need.match(text, at, s_end) is None:
            return
    if vclass == "possessive":
        _owner_hit(text, verb, vstart, vend, k, s_start, r, hits)
        return
    if nxt_word[:2] == "by" and not nxt_word[2:].isalnum():
        t = _tokens(text, vend + 3, min(s_end, vend + 3 + _WINDOW * 3))
        _forward_hit(
            text, t, 0, r, hits, verb, vstart, vend, k, "by", allow_pp=False, vclass=vclass
        )
        return
    # The word just before the verb settles many cases without reading further.
    j = vstart - 1
    while j >= s_start and text[j] in " \u00a0\t":
        j -= 1
    e = j + 1
    while j >= s_start and (text[j].isalnum() or text[j] in "’'-"):
        j -= 1
    prev = text[j + 1 : e].lower()
    if prev in _ARTICLES or prev.endswith(("’s", "'s")) or prev == "to":
        return  # "a report", "China's state media", "declined to comment": not a report
    ing = verb.split()[0].endswith("ing")  # "saying", "calling for": a progressive
    if (prev in _BE or prev in _MODALS) and not ing and vclass != "stance":
        return  # "were told", "could announce": a passive or a modal
    if e > j + 1:
        # a one-word source standing alone ("Analysts say", "China expressed", "he said"):
        # no need to read the rest of the clause
        b = j
        while b >= s_start and text[b] in " \u00a0\t":
            b -= 1
        w0 = b
        while b >= s_start and (text[b].isalnum() or text[b] in "’'-"):
            b -= 1
        before = text[b + 1 : w0 + 1].lower()
        if (w0 < s_start or text[w0] in ',;:(“"' or before in _BOUNDARY) and prev not in _STOP:
            c = _classify([text[j + 1 : e]], r)
            if c is not None and (vclass != "document" or c.document):
                hits.append(_Hit(j + 1, e, c, verb, vstart, vend, k, "before"))
                return
    # "..., urging Ottawa", "but warned": the sentence's source, already found
    if (
        hits
        and hits[-1].sent == k
        and hits[-1].start < vstart
        and (prev in _COORDINATORS or (e > s_start and text[e - 1] == ","))
        and (verb.endswith("ing") or prev in _COORDINATORS)
    ):
        return
    if (
        hits
        and hits[-1].sent == k
        and verb.endswith("ing")
        and _TO_LISTENER.search(text, hits[-1].vend, vstart)
    ):
        return  # "sent a letter to the mayor urging her": the letter's senders urge, not she
    lo = s_start if vstart - s_start <= _WINDOW else vstart - _WINDOW
    if lo > s_start:
        lo = text.find(" ", lo, vstart) + 1  # start at a word, not half way through one
    if lo > s_start:
        t = _tokens(text, lo, vstart)
        try:
            _verb_core(text, t, True, verb, vclass, vstart, vend, k, s_start, s_end, r, hits)
            return
        except _NeedMore:
            pass
    t = _tokens(text, s_start, vstart)
    _verb_core(text, t, False, verb, vclass, vstart, vend, k, s_start, s_end, r, hits)


_POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "their": "they", "its": "it"}


def _owner_hit(
    text: str,
    verb: str,
    vstart: int,
    vend: int,
    k: int,
    s_start: int,
    r: _Rules,
    hits: list[_Hit],
) -> None:
    """ "The President's message has been clear": whoever owns the message is the source."""
    t = _tokens(text, max(s_start, vstart - 120), vstart)
    n = len(t)
    if not n:
        return
    last = t.words[n - 1]
    if last.lower() in _POSSESSIVE_PRONOUNS:
        c = _classify([_POSSESSIVE_PRONOUNS[last.lower()]], r)
        if c is not None:
            hits.append(_Hit(t.starts[n - 1], t.ends[n - 1], c, verb, vstart, vend, k, "before"))
        return
    if last in "’'" and n > 1 and t.words[n - 2].endswith("s"):
        n -= 1  # "the unions' position"
        end = t.ends[n - 1]
    elif last.endswith(("’s", "'s")):
        end = t.ends[n - 1] - 2
    else:
        return
    start = _collect_back(t, n - 1, r)
    words = [*t.words[start : n - 1], _base(t.words[n - 1])]
    if start and t.words[start - 1].endswith(("’s", "'s")):
        return  # "the city's mayor's view": too nested to read safely
    c = _classify(words, r) if words else None
    if c is None or end <= t.starts[start]:
        return
    hits.append(_Hit(t.starts[start], end, c, verb, vstart, vend, k, "before"))


class _VerbAt(NamedTuple):
    """A verb whose source is read back from it, with the words before it in ``t``."""

    text: str
    t: _Toks
    truncated: bool  # ``t`` starts part way into the sentence: _NeedMore reads it all
    verb: str
    vclass: str
    vstart: int
    vend: int
    k: int
    s_start: int
    s_end: int
    r: _Rules
    hits: list[_Hit]

    def forward(self) -> None:
        """The source follows the verb: '"...," said the minister'."""
        after = _tokens(self.text, self.vend, min(self.s_end, self.vend + _WINDOW * 3))
        _forward_hit(
            self.text,
            after,
            0,
            self.r,
            self.hits,
            self.verb,
            self.vstart,
            self.vend,
            self.k,
            "after",
            allow_pp=False,
            vclass=self.vclass,
        )

    def inherit(self) -> None:
        """The verb has no subject of its own: it takes the sentence's source."""
        if self.truncated:
            raise _NeedMore
        _inherit(self)

    def reach(self, index: int) -> None:
        """Read the whole sentence when a phrase starts this near the first word read."""
        if index <= 2 and self.truncated:
            raise _NeedMore

    def add(self, start: int, end: int, c: _Class) -> None:
        """Record ``text[start:end]`` as the source standing before the verb."""
        self.hits.append(_Hit(start, end, c, self.verb, self.vstart, self.vend, self.k, "before"))


class _Subject(NamedTuple):
    """Where the subject of a verb ends (token ``i``) and what stands between it and the verb."""

    i: int
    appos_end: int | None = None  # end of an apposition that belongs to the source
    postmod_head: bool = False  # "One official, speaking on condition of anonymity, said"
    by_owner: bool = False  # "The report, commissioned by the council, found"


def _verb_core(
    text: str,
    t: _Toks,
    truncated: bool,
    verb: str,
    vclass: str,
    vstart: int,
    vend: int,
    k: int,
    s_start: int,
    s_end: int,
    r: _Rules,
    hits: list[_Hit],
) -> None:
    """Find the source of the verb at ``vstart``; ``t`` holds the words before it."""
    v = _VerbAt(text, t, truncated, verb, vclass, vstart, vend, k, s_start, s_end, r, hits)
    n = len(t)  # the words before the verb
    if n and (t.words[n - 1].lower() in _ARTICLES or t.words[n - 1].endswith(("’s", "'s"))):
        return  # "a report", "China's state media": the word is a noun here
    last = n - 1
    while vclass == "stance" and last >= 0 and t.words[last].lower() in _DEGREE:
        last -= 1  # "are just as adamant that", "were not entirely convinced that"
    i, saw_be = _skip_back(t, last)
    if saw_be and not verb.split()[0].endswith("ing") and vclass != "stance":
        return  # "were told", "could announce": a passive or a modal, not a report
    if vclass == "stance" and not saw_be:
        return  # "confident that" holds a view only after "is", "are", "was", "were"
    if i > 0 and t.words[i].lower() in ("both", "all", "jointly", "together"):
        i, _ = _skip_back(t, i - 1)  # "X and Y both said": the subject stands before "both"
    if i < 0:
        v.inherit()
        return
    if i < 2 and truncated:
        raise _NeedMore
    if t.words[i].lower() == "to":
        return  # "declined to comment", "is due to announce": nothing was said yet
    subject = _subject_end(v, i)
    if subject is not None:
        _source_before(v, subject)


def _subject_end(v: _VerbAt, i: int) -> _Subject | None:
    """Where the subject ends, past a bracket or a phrase between commas (None: settled)."""
    t = v.t
    s = _Subject(i)
    if t.words[i] == ")" and i >= 3 and t.words[i - 2] == "(" and _is_word(t.words[i - 3]):
        s = _Subject(i - 3, t.ends[i])  # "United States Geological Survey (USGS) reported"
    w = t.words[s.i]
    if w in _CLOSE_Q or (w == "," and s.i > 0 and t.words[s.i - 1] in _CLOSE_Q):
        v.forward()
        return None
    if w == ",":
        return _after_comma(v, s)
    return s


# The one a message went to, just before a participle: "wrote to the mayor urging her"
_TO_LISTENER = re.compile(r"\b(?:to|with)[^\S\n]+(?:[\w’'.\-]+[^\S\n]+){0,5}?[\w’'.\-]+[^\S\n]*\Z")
# "Jr." and "III" after a surname, with or without a comma before them, end a person's name
_NAME_SUFFIXES = frozenset(("Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"))
_PARTY_TAG = re.compile(rf"{_PARTY_STOPS}|[A-Z]-[A-Z][a-z]+")  # "D-Calif.", "R-Texas"


# Words ending in -ing that work as prepositions: "Opponents, including the union, argued".
_ING_PREPOSITIONS = _wordset(
    "including excluding according regarding concerning following during pending barring "
    "notwithstanding considering"
)


# Adverbs that may open a role between commas: "Wilder, now a professor, said".
_APPOSITIVE_ADVERBS = _wordset("now formerly once still himself herself themselves")


def _after_comma(v: _VerbAt, s: _Subject) -> _Subject | None:
    """A comma before the verb: read what stands between it and the one before."""
    t, i, r = v.t, s.i, v.r
    j = _clause_start(t, i - 1)
    if j < 1 and v.truncated:
        raise _NeedMore
    inner = [x.lower() for x in t.words[j + 1 : i]]
    if not (j >= 0 and t.words[j] == "," and inner):
        if v.verb.endswith("ing"):
            v.inherit()
        elif j < 0:
            v.forward()
        return None
    if all(x in _PARENTHETICAL or x in _TIME or x.endswith("ly") for x in inner):
        i, _ = _skip_back(t, j - 1)
        return s._replace(i=i) if i >= 0 else None
    if (
        j > 0
        and t.words[j + 1].islower()
        and inner[0].endswith("ing")
        and (inner[0] not in r.verb_forms or inner[0] in _LEADS)
        and inner[0] not in _ING_PREPOSITIONS
        and len(inner) <= 8
        and r.postmod_at.match(v.text, t.ends[j]) is None
    ):
        # "The minister, speaking in Ottawa, said": a participle phrase says where or how
        head, _ = _skip_back(t, j - 1)
        return s._replace(i=head) if head >= 0 else None
    if len(inner) == 1 and j > 0 and t.words[j + 1] in _NAME_SUFFIXES:
        # "Frank Pallone, Jr., said": the suffix belongs to the name
        return s._replace(i=i - 1)
    if len(inner) == 1 and _age_at(t, j + 1):
        # "Jane Doe, 45, said": an age between commas belongs to the name
        return s._replace(i=j - 1, appos_end=t.ends[i - 1])
    if len(inner) == 1 and j > 0 and _PARTY_TAG.fullmatch(t.words[j + 1]):
        # "Sen. Jane Doe, D-Calif., said": the party and state belong to the name
        return s._replace(i=j - 1, appos_end=t.ends[i - 1])
    if all(_is_cap(x) or x == "." for x in t.words[j + 1 : i]) and j > 0:
        _named_between_commas(v, i, j)
        return None
    if r.postmod_at.match(v.text, t.ends[j]) is not None:
        # "One official, speaking on condition of anonymity, said"
        head, _ = _skip_back(t, j - 1)
        if head < 0:
            return None
        return s._replace(i=head, appos_end=t.ends[i - 1], postmod_head=True)
    if _member_lead(inner):
        _group_with_member(v, i, j, inner)
        return None
    if inner[0] in _APPOSITIVE_ADVERBS and len(inner) > 1 and inner[1] in _DETERMINERS:
        inner = inner[1:]  # "Wilder, now a professor at Georgetown, spoke": a role then
    if (
        inner[0] in _DETERMINERS
        or inner[0] in ("who", "which")
        or (  # "The researchers, from the University of Tarn, said"
            inner[0] in ("from", "at", "of")
            and inner[1:2] not in (["least"], ["most"], ["first"], ["last"], ["times"])
        )
        or inner[0] in r.roles
    ):
        return _relative_or_role(v, s, j, inner)
    if (
        inner[0].isalpha()
        and (inner[0] in r.owner_verbs or inner[0].endswith("ed"))
        and inner[0] not in _ED_ADJ
    ):
        # "The report, commissioned by the council, found": a participle phrase
        # between commas; the source stands before it
        by_owner = (
            len(inner) > 2 and inner[1] in ("by", "with", "to") and _is_owner(t.words[j + 3 : i], r)
        )
        i, _ = _skip_back(t, j - 1)
        return s._replace(i=i, by_owner=by_owner) if i >= 0 else None
    if v.verb.endswith("ing"):
        v.inherit()
    return None


def _age_at(t: _Toks, k: int) -> bool:
    """Is token ``k`` an age between commas after a capitalised name ("Jane Doe, 45,")?

    >>> t = _tokens("Jane Doe, 45, said it", 0, 21)
    >>> _age_at(t, 3), _age_at(t, 1)
    (True, False)
    """
    w = t.words
    return (
        2 <= k < len(w) - 1
        and w[k].isdigit()
        and len(w[k]) <= 3
        and w[k - 1] == ","
        and w[k + 1] == ","
        and _is_cap(w[k - 2])
    )


def _named_between_commas(v: _VerbAt, i: int, j: int) -> None:
    """ "Her lawyer, Sam Okoye, told": the name between commas is the source, role and all."""
    t, r = v.t, v.r
    name = [x for x in t.words[j + 1 : i] if x != "."]
    c_name = _classify(name, r)
    if c_name is None or c_name.kind != "named":
        return
    hs = _collect_back(t, j - 1, r)
    v.reach(hs)
    head = t.words[hs:j]
    lead = hs if head and head[-1].lower() in r.pp_heads else j + 1
    v.add(t.starts[lead], t.ends[i - 1], c_name)


def _group_with_member(v: _VerbAt, i: int, j: int, inner: list[str]) -> None:
    """ "Critics, including the Cyclists' Alliance, argued": a group naming one of its members."""
    t, r = v.t, v.r
    gi, _ = _skip_back(t, j - 1)
    if gi < 0 or not _is_word(t.words[gi]):
        return
    gs = _collect_back(t, gi, r)
    v.reach(gs)
    group = _classify_pp(t.words[gs : gi + 1], r)
    lead = _member_lead(inner)
    member = _classify_pp([x for x in t.words[j + 1 + lead : i] if _is_word(x)], r)
    if group is None:
        return
    if (
        group.kind == "anonymous"
        and member is not None
        and member.kind in ("named", "organization")
    ):
        kind = member.kind
        if kind == "named" and member.name and not _is_person(v.text, member.name, r):
            kind = "organization"  # "including Greenpeace": one name, no person
        group = _Class(kind, r.entries[f"group-with-{kind}"])
    v.add(t.starts[gs], t.ends[i - 1], group)


def _relative_or_role(v: _VerbAt, s: _Subject, j: int, inner: list[str]) -> _Subject | None:
    """A role ("the chair of ...") or a relative clause ("who ...") between subject and verb."""
    t = v.t
    relative = inner[0] in ("who", "which")
    appos_end = t.ends[s.i - 1] if not relative else None
    if _age_at(t, j - 1):
        j -= 2  # "Jane Doe, 45, a teacher, said": the age and the role both follow the name
    i, _ = _skip_back(t, j - 1)
    if i < 0:
        return None
    if relative:
        # "Jo Li, chair of the union, which has 300 members, said": the role
        # between commas before the relative clause belongs to the source
        k2 = _clause_start(t, i)
        if k2 > 0 and t.words[k2] == "," and k2 + 1 <= i:
            first = t.words[k2 + 1].lower()
            if first in _DETERMINERS or first in v.r.roles:
                appos_end = t.ends[i]
                i, _ = _skip_back(t, k2 - 1)
                if i < 0:
                    return None
    return s._replace(i=i, appos_end=appos_end)


def _source_before(v: _VerbAt, s: _Subject) -> None:
    """Read the noun phrase ending at the subject's last word and record it as the source."""
    t, r, i = v.t, v.r, s.i
    lw = t.words[i].lower()
    if lw in ("and", "but", "or", "then", "while", "before", "after", "yet", "also", "as"):
        if lw in ("and", "but", "or", "then", "yet") or v.verb.endswith("ing"):
            v.inherit()
        return
    if lw in ("who", "which"):
        j = i - 1
        if j >= 0 and t.words[j] == ",":
            j -= 1
        if j < 0:
            return
        i = j
    if not _is_word(t.words[i]):
        return
    start = _collect_back(t, i, r)
    v.reach(start)  # the phrase may run on before the words read so far
    if start and t.words[start - 1].lower() in ("do", "does", "did"):
        return  # "Why do they think ...?": a question, not a report
    owned = _posted_by(v, start, i)
    words = t.words[start : i + 1]
    c = _classify_pp(words, r, postmod=s.postmod_head) if words else None
    polled = _polled_group(v, start)
    if polled is not None:
        start, c = polled
    if owned is not None:
        start, c = owned
    elif s.by_owner and c is not None and c.document and c.kind == "anonymous":
        c = _Class("organization", r.entries["owned-document"], document=True)
    postmod = None
    if c is None or (c.kind == "anonymous" and not c.refers and not words):
        found = _unnamed_on_purpose(v, i)
        if found is not None:
            c, start, postmod = found
    if (c is None or (v.vclass == "document" and not c.document)) and s.appos_end is None:
        before_participle = _before_participle(v, i)
        if before_participle is not None:
            c, start, i = before_participle
    if c is None and s.appos_end is None:
        before_relative = _before_relative(v, i)
        if before_relative is not None:
            c, start = before_relative
    if c is None or not _reports(v, c):
        return
    v.add(t.starts[start], _source_end(v, c, i, postmod, s.appos_end), c)
    # "China's foreign ministry and state media framed ...": two sources share one verb.
    if start >= 2 and t.words[start - 1].lower() == "and":
        _second_subject(v, start)


def _polled_group(v: _VerbAt, start: int) -> tuple[int, _Class] | None:
    """ "Economists polled by Reuters expected": the people asked, not the pollster, speak."""
    t, r = v.t, v.r
    if start < 3 or t.words[start - 1].lower() != "by" or t.words[start - 2] not in r.polled:
        return None
    gs = _collect_back(t, start - 3, r)
    v.reach(gs)
    group = _classify_pp(t.words[gs : start - 2], r) if gs < start - 2 else None
    if group is None or group.kind != "anonymous" or group.document:
        return None
    return gs, _Class("anonymous", r.entries["polled-group"], collective=True)


def _posted_by(v: _VerbAt, start: int, i: int) -> tuple[int, _Class] | None:
    """ "A presentation posted by the agency says": the document, owned or not, is the source."""
    t, r = v.t, v.r
    if not (
        start >= 3
        and t.words[start - 1].lower() in ("by", "with", "to")
        and t.words[start - 2].lower() in r.owner_verbs
        and _is_word(t.words[start - 3])
    ):
        return None
    ds = _collect_back(t, start - 3, r)
    v.reach(ds)
    dc = _classify(t.words[ds : start - 2], r) if ds < start - 2 else None
    if dc is None or not dc.document:
        return None
    # "A letter sent to residents says": the letter speaks, residents do not
    if _is_owner(t.words[start : i + 1], r):
        return ds, _Class("organization", r.entries["owned-document"], document=True)
    return ds, dc


def _unnamed_on_purpose(v: _VerbAt, i: int) -> tuple[_Class, int, int] | None:
    """ "A diplomat who asked not to be named said": (source, first token, end of phrase)."""
    text, t, r = v.text, v.t, v.r
    lo = max(v.s_start, v.vstart - 160)
    window = text[lo : t.ends[i]]
    pm = None
    if any(w in window for w in r.postmod_words):
        pm = r.postmod_end.search(text, lo, t.ends[i])
    if pm is None:
        return None
    head_end = pm.start()
    hi = bisect_right(t.ends, head_end) - 1
    if hi >= 0 and t.ends[hi] <= head_end:
        hs = _collect_back(t, hi, r)
        hw = t.words[hs : hi + 1]
        c2 = _classify(hw, r, postmod=True) if hw else None
        if c2 is not None and c2.kind == "anonymous":
            return c2, hs, pm.end()
    return None


def _before_participle(v: _VerbAt, i: int) -> tuple[_Class, int, int] | None:
    """ "Data released on Monday showed": the source stands before a participle phrase."""
    t, r = v.t, v.r
    for p in range(i, max(0, i - 11), -1):
        pw = t.words[p]
        if not _is_word(pw):
            break
        if pw.islower() and (pw.endswith("ed") or pw in _PARTICIPLES) and _is_word(t.words[p - 1]):
            s2 = _collect_back(t, p - 1, r)
            c2 = _classify_pp(t.words[s2:p], r) if s2 < p else None
            if c2 is None or not c2.kind or c2.refers:
                return None
            q = _owner_link(t, p + 1, i)
            if (
                c2.document
                and pw in r.owner_verbs
                and q is not None
                and _is_owner(t.words[q + 1 : i + 1], r)
            ):
                # "Statements filed with the regulator show", "Data published on Friday by
                # the central bank showed": the regulator's, the bank's
                return _Class("organization", r.entries["owned-document"], document=True), s2, i
            return c2, s2, p - 1
    return None


_WHEN_WORDS = _wordset("on in at last this early late earlier next the of")


def _owner_link(t: _Toks, q: int, i: int) -> int | None:
    """Index of the "by" that links a participle to its owner, from token ``q`` on, with at
    most a short time phrase in between ("released on Tuesday by", "published last week by").
    """
    for k in range(q, min(q + 4, i)):
        w = t.words[k]
        if w in ("by", "with", "to"):
            return k
        if not (w.lower() in _WHEN_WORDS or w.lower() in _TIME or w.isdigit()):
            return None
    return None


def _before_relative(v: _VerbAt, i: int) -> tuple[_Class, int] | None:
    """ "Engineers who inspected the tunnel say": people, then a clause that says which."""
    t, r = v.t, v.r
    for p in range(i - 1, max(0, i - 10), -1):
        pw = t.words[p]
        if not _is_word(pw):
            break
        if pw.lower() in ("who", "that") and _is_word(t.words[p - 1]):
            s2 = _collect_back(t, p - 1, r)
            v.reach(s2)
            head = t.words[s2:p]
            if head and s2 == 0:
                head = [head[0].lower(), *head[1:]]  # capitalised only to open the sentence
            c2 = _classify(head, r) if head else None
            if c2 is not None and c2.entry.id in ("vague-group", "unnamed-person"):
                return c2, s2
            return None
    return None


def _reports(v: _VerbAt, c: _Class) -> bool:
    """Can ``c`` be the source of this verb? Only documents show, unless "that" follows."""
    # "Investigators found that ...": people find things out too, but only a clause with
    # "that" says so ("Police found the car" is an event, not a report)
    return not (
        v.vclass == "document"
        and not c.document
        and not (
            v.text.startswith("that ", v.vend + 1)
            and (c.kind == "named" or c.entry.id in ("vague-group", "unnamed-person"))
        )
    )


def _source_end(v: _VerbAt, c: _Class, i: int, postmod: int | None, appos_end: int | None) -> int:
    """Where the source phrase ends: its last word, an unnamed-on-purpose phrase, a role."""
    end = v.t.ends[i]
    if postmod is not None:
        end = len(v.text[:postmod].rstrip(" ,\u00a0\t"))
    if appos_end is not None and c.kind in ("named", "anonymous", "organization"):
        end = appos_end
    return end


def _second_subject(v: _VerbAt, start: int) -> None:
    """The other source of "X and Y said", standing before the "and" at ``start - 1``."""
    t, r = v.t, v.r
    i2, _ = _skip_back(t, start - 2)
    if i2 < 0 or not _is_word(t.words[i2]):
        return
    s2 = _collect_back(t, i2, r)
    if s2 <= 2 and v.truncated:
        v.hits.pop()  # read again from the start of the sentence
        raise _NeedMore
    c2 = _classify(t.words[s2 : i2 + 1], r)
    if c2 is not None and c2.kind and not c2.refers:
        v.add(t.starts[s2], t.ends[i2], c2)
        _list_before(v, s2, c2)


def _list_before(v: _VerbAt, start: int, c: _Class) -> None:
    """ "Ann Roe, Sam Lee and Jo Tan said": the earlier names of a list, back to its first.

    Each must be a source of the same kind as the one after it, so "On Monday, ..." and
    "In a statement, ..." end the list.
    """
    t, r = v.t, v.r
    while start >= 2 and t.words[start - 1] == ",":
        i = start - 2
        if not _is_word(t.words[i]):
            return
        first = _collect_back(t, i, r)
        if first > i or (first <= 2 and v.truncated) or t.words[i].lower() in _TIME:
            return
        if first > 0 and t.words[first - 1] != ",":
            return  # "On Monday, ...": a list item stands after a comma or opens the sentence
        c_item = _classify(t.words[first : i + 1], r)
        if c_item is None or c_item.kind != c.kind or c_item.refers or c_item.document:
            return
        if c_item.name:
            return  # a lone capitalised word ("Meanwhile,") is a name only if checked later
        v.add(t.starts[first], t.ends[i], c_item)
        start = first


def _forward_hit(
    text: str,
    t: _Toks,
    i: int,
    r: _Rules,
    hits: list[_Hit],
    verb: str,
    vstart: int,
    vend: int,
    k: int,
    mode: str,
    *,
    allow_pp: bool,
    vclass: str = "speech",
) -> None:
    """Read the source phrase that starts at token ``i``, after its verb, and record it."""
    n = len(t)
    while (
        i < n
        and t.words[i].lower() in ("on", "in")
        and i + 1 < n
        and (t.words[i + 1].lower() in _TIME)
    ):
        i += 2  # "said on Tuesday the minister"
    if i >= n or not _is_word(t.words[i]):
        return
    end = _collect_forward(t, i, r, allow_pp=allow_pp)
    if end <= i:
        return
    words = t.words[i:end]
    found = _forward_extent(t, i, _Found(_classify_pp(words, r), t.ends[end - 1], end), r)
    found = _filed_with(t, found, r)
    if found.c is None or found.c.kind == "anonymous":
        found = _forward_unnamed(text, t, i, words, found, r)
    c, src_end = found.c, found.src_end
    if c is None:
        return
    if vclass == "document" and not c.document:
        return
    if mode == "after":
        src_end = _role_after_name(t, found.end, src_end, r)
    hits.append(_Hit(t.starts[i], src_end, c, verb, vstart, vend, k, mode))


class _Found(NamedTuple):
    """A source read forward so far: its class, where its text ends, the token after it."""

    c: _Class | None
    src_end: int
    end: int


def _forward_extent(t: _Toks, i: int, found: _Found, r: _Rules) -> _Found:
    """Take in an acronym in brackets or a name after a comma that the source runs on to."""
    n, c, end = len(t), found.c, found.end
    if end + 2 < n and t.words[end] == "(" and t.words[end + 2] == ")":
        return _Found(c, t.ends[end + 2], end + 3)  # "the United States Geological Survey (USGS)"
    if (
        end + 1 < n
        and t.words[end] == ","
        and _is_cap(t.words[end + 1])
        and (c is None or c.kind != "named")
    ):
        # "said firefighter for the County Fire Department, Jody Hagemann"
        j = end + 1
        while j < n and _is_word(t.words[j]) and _is_cap(t.words[j]):
            j += 1
        c_name = _classify(t.words[end + 1 : j], r)
        if (
            c_name is not None
            and c_name.kind == "named"
            and (c is not None or t.words[i].lower() in r.roles)
        ):
            return _Found(c_name, t.ends[j - 1], j)
    return found


def _filed_with(t: _Toks, found: _Found, r: _Rules) -> _Found:
    """An unowned document filed with or posted by a body is that body's document."""
    c, end = found.c, found.end
    if c is None or not c.document or c.kind != "anonymous" or end + 2 >= len(t):
        return found
    by = end + 1
    while by < len(t) and (t.words[by].lower() in _TIME or t.words[by].lower() in ("on", "last")):
        by += 1  # "figures released Monday by the Census Bureau"
    if (
        by + 1 < len(t)
        and t.words[end].lower() in r.owner_verbs
        and t.words[by].lower() in ("by", "with", "to")
    ):
        # "statements filed with the board", "a presentation posted by the agency": the
        # document belongs to the body it was filed with or posted by
        o_end = _collect_forward(t, by + 1, r, allow_pp=False)
        if _is_owner(t.words[by + 1 : o_end], r):
            doc = _Class("organization", r.entries["owned-document"], document=True)
            return _Found(doc, t.ends[o_end - 1], o_end)
    return found


def _forward_unnamed(
    text: str, t: _Toks, i: int, words: list[str], found: _Found, r: _Rules
) -> _Found:
    """ "said a diplomat who asked not to be named": a source unnamed on purpose."""
    pm = r.postmod_at.match(text, found.src_end)
    if pm is None and found.c is None:
        # "according to people familiar with the talks": the phrase read forward ran
        # into the words that mark the source as unnamed on purpose
        for cut in range(1, min(len(words), 4)):
            pm = r.postmod_at.match(text, t.ends[i + cut - 1])
            if pm is not None:
                words = words[:cut]
                break
    if pm is not None:
        c2 = _classify(words, r, postmod=True)
        if c2 is not None and c2.kind == "anonymous":
            return found._replace(c=c2, src_end=len(text[: pm.end()].rstrip(" ,\u00a0\t")))
    return found


def _role_after_name(t: _Toks, end: int, src_end: int, r: _Rules) -> int:
    """Where the source ends when a role follows the name: "said Jane Doe, a trade lawyer"."""
    n = len(t)
    if end < n and t.words[end] == "," and end + 1 < n:
        nxt = t.words[end + 1].lower()
        if nxt in ("a", "an", "the") or nxt in r.roles:
            j = end + 1
            while (j < n and _is_word(t.words[j])) or (j < n and t.words[j] in "-'’"):
                j += 1
            if j > end + 2:
                return t.ends[j - 1]
    return src_end


def _inherit(v: _VerbAt) -> None:
    """A verb with no subject of its own ("..., describing", "and warned"): the sentence's."""
    t, r, hits, k, vstart = v.t, v.r, v.hits, v.k, v.vstart
    n = len(t)
    if any(h.sent == k and h.start < vstart and not h.verb.startswith("quoted") for h in hits[-8:]):
        return  # the earlier source in this sentence already covers it ("quoted by the
        # paper as saying" names the outlet; the one saying is the sentence's subject)
    i = 0
    while i < n and (
        t.words[i].lower() in ("but", "and", "yet", "so", "meanwhile", "however")
        or t.words[i] in ","
    ):
        i += 1
    if i < n and t.words[i].lower() in _SUBORDINATORS:
        while i < n and t.words[i] != ",":
            i += 1
        i += 1
    if i >= n or not _is_word(t.words[i]):
        return
    end = _collect_forward(t, i, r, allow_pp=False)
    if end <= i:
        return
    c = _classify(t.words[i:end], r)
    if c is None or c.refers or (v.vclass == "document" and not c.document):
        return
    hits.append(_Hit(t.starts[i], t.ends[end - 1], c, v.verb, vstart, v.vend, k, "inherit"))


def _sentence_clause(text: str, s_start: int, s_end: int, at: int) -> tuple[int, int]:
    """The part of a sentence between semicolons that holds offset ``at``."""
    left = text.rfind(";", s_start, at)
    right = text.find(";", at, s_end)
    return (s_start if left < 0 else left + 1, s_end if right < 0 else right)


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    chunk = text[start:end]
    lead = len(chunk) - len(chunk.lstrip(" \u00a0\t\n,:;—–"))
    start += lead
    if text.startswith("that ", start):
        start += 5
    chunk = text[start:end]
    end = start + len(chunk.rstrip(" \u00a0\t\n,.;:—–"))
    return (start, end) if end > start else None


def _head_fits(source: str, r: _Rules) -> frozenset[str]:
    """Name words that fit the head noun of a generic back-reference ("the utility").

    The noun itself ("the agency" fits "Transit Agency") and the name words that imply it
    (``x_implies`` in the lexicon: "the utility" fits "Power & Light").
    """
    head = _base(source.split()[-1]).lower() if source.split() else ""
    if head not in r.org_nouns:
        return frozenset()
    return frozenset((head, *r.implies.get(head, ())))


def _fits(name: str, fits: frozenset[str]) -> bool:
    return any(_base(w).strip(".,").lower() in fits for w in name.split())


def _antecedent(
    out: list[Attribution],
    meta: list[tuple[int, bool, bool]],
    c: _Class,
    sent: int,
    fits: frozenset[str] = frozenset(),
) -> int | None:
    """Index in ``out`` of the source a back-reference in sentence ``sent`` points to.

    "it" and "they" reach back at most two sentences: further back, the reader has met
    other things they could mean ("It frames ..." after "The message from Beijing ...").
    """
    want = c.refers
    local = want != "person" and c.entry.extra.get("x_role") == "pronoun"
    if want == "thing" and fits:
        # "the agency", "the firm": the nearest body whose name says it is one
        for idx in range(len(out) - 1, -1, -1):
            a = out[idx]
            if a.kind == "organization" and not meta[idx][2] and _fits(a.source, fits):
                return idx
    fallback = None
    for idx in range(len(out) - 1, -1, -1):
        a = out[idx]
        a_sent, collective, document = meta[idx]
        if local and sent - a_sent > 2:
            break
        if want == "person":
            if a.kind == "named":
                return idx
        elif want == "group":
            if c.entry.extra.get("x_role") == "pronoun":
                if collective or a.kind == "organization":
                    return idx
            elif a.kind == "anonymous" and collective and not document:
                return idx
        elif want == "thing":
            if a.kind == "organization" and not document:
                if collective == c.collective:
                    return idx
                if fallback is None:
                    fallback = idx
        elif want == "document" and document:
            return idx
    return fallback


# English plural endings of words for kinds of people ("passengers", "residents", "scientists")
_PLURAL_AGENT = re.compile(r"(?:ers|ors|ents|ants|ists|ians|ans|als|ees|ives|ics|ites)$")
_PLACE_PREP = re.compile(r"\b(?:in|at|to|near)[ \u00a0]+$")
_TO_VERB = re.compile(r"[ \u00a0]+to[ \u00a0]+[a-z]")
# the word before a surname; a nickname may stand in quotation marks (William "Hank" Taylor)
_WORD_BEFORE = re.compile(r"[\"“‘']?([A-Z][\w’'.\-]*?)[\"”’']?[ \u00a0]+$")


def _is_person(text: str, name: str, r: _Rules) -> bool:
    """True when ``name`` appears somewhere after a first name or a title ("Mark Carney")."""
    pos = text.find(name)
    while pos >= 0:  # the name may open the text ("Lund Wins Seat" as the headline)
        after = pos + len(name)
        if (after >= len(text) or not text[after].isalnum()) and text[pos - 1 : pos] in " \u00a0":
            m = _WORD_BEFORE.search(text, max(0, pos - 40), pos)
            if m is not None and _person_word(m.group(1), r):
                return True
        pos = text.find(name, pos + 1)
    return False


def _person_word(before: str, r: _Rules) -> bool:
    """Can ``before`` be a first name or a title in front of a surname?"""
    low = _base(before).lower()
    if "-" in before or low in _DETERMINERS or low in _STOP or _base(before) in r.org_names:
        return False
    if before.endswith(".") and low.rstrip(".") not in r.titles:
        return False  # "... del Sur. Phivolcs": the end of a sentence
    return not (low in r.places or low in r.demonyms or before.endswith(("’s", "'s")))


def _titled_mention(text: str, role: str, start: int, floor: int) -> str | None:
    """The last "<Role> Firstname Lastname" before ``start`` ("Governor Jane Smith")."""
    pattern = re.compile(
        r"\b(?i:"
        + r"[ \u00a0]+".join(map(re.escape, role.split()))
        + r")[ \u00a0]+((?:[A-Z][\w’'\-]+[ \u00a0]*){1,3})"
    )
    found = None
    for m in pattern.finditer(text, floor, start):
        name = m.group(1).strip()
        if name[:1].isupper() and not name.isupper():
            found = text[m.start() : m.start(1) + len(name)]
    return found


_CAPS_RUN = re.compile(r"\b[A-Z][\w’'\-]+(?:[ \u00a0]+[A-Z][\w’'\-]+){0,3}")


def _recent_person(text: str, start: int, r: _Rules, floor: int) -> str | None:
    """The last person named between ``floor`` and ``start``, or None."""
    found = None
    for m in _CAPS_RUN.finditer(text, max(floor, start - 600), start):
        words = m.group().split()
        low = _base(words[-1]).lower()
        if low in _STOP or low in _DETERMINERS or low in r.pronouns or low in r.places:
            continue
        c = _classify(words, r)
        if c is None or c.kind != "named":
            continue
        if c.name and not _is_person(text, c.name, r):
            continue
        found = m.group()
    return found


def _person_mention(
    text: str,
    start: int,
    r: _Rules,
    floor: int,
    *,
    want: str = "named",
    fits: frozenset[str] = frozenset(),
) -> tuple[int, int] | None:
    """The last person (or ``want="organization"``: institution) named before ``start``.

    For "he said" or "the company said" when the article named the antecedent without
    quoting it.
    """
    best = fallback = None
    for m in r.person_mention.finditer(text, max(floor, start - 2500), start):
        words = [w.strip(".,;:") for w in m.group().split()]
        c = _classify(words, r)
        if c is None or c.kind != want or c.collective:
            continue
        if want == "named" and c.name and not _is_person(text, c.name, r):
            continue
        end = m.end() - (len(m.group()) - len(m.group().rstrip(".,;: \u00a0")))
        if fits and not _fits(m.group(), fits):
            # "the utility": a body whose name fits the noun wins over a nearer one
            fallback = (m.start(), end)
            continue
        best = (m.start(), end)
    return best or (fallback if fits else None)


def _rival_person(
    text: str, sents: list[tuple[int, int]], found: tuple[int, int], start: int, r: _Rules
) -> str | None:
    """Another person named in the sentence that names ``found``, before ``start``, or None.

    "he said" after "Ana Ruiz met Ben Oduya" could mean either of them.
    """
    floor = sents[max(bisect_right([s for s, _ in sents], found[0]) - 1, 0)][0]
    name = text[found[0] : found[1]]
    surname = _base(name.split()[-1]).lower()
    for m in r.person_mention.finditer(text, floor, start):
        if found[0] <= m.start() < found[1]:
            continue
        words = [w.strip(".,;:") for w in m.group().split()]
        c = _classify(words, r)
        if c is None or c.kind != "named" or c.collective:
            continue
        other = " ".join(words)
        if _base(words[-1]).lower() == surname or other in name or name in other:
            continue
        if c.name and not _is_person(text, c.name, r):
            continue
        return other
    return None


def _met_bodies(text: str, sents: list[tuple[int, int]], start: int, r: _Rules) -> bool:
    """Does the article, before ``start``, describe a meeting of bodies it names?"""
    sstarts = [s for s, _ in sents]
    seen = {
        bisect_right(sstarts, m.start()) - 1
        for m in r.meeting_re.finditer(text, sents[0][0], start)
    }
    # the meeting may be named several times ("met with ...", "The meeting focused on ...");
    # the last few mentions are enough to find who was there
    for k in sorted(seen, reverse=True)[:4]:
        s_start, s_end = sents[max(k, 0)]
        for m in _CAPS_RUN.finditer(text, s_start, min(s_end, start)):
            words = [w.strip(".,;:") for w in m.group().split()]
            if words and words[0].lower() == "the":
                words = words[1:]
            c = _classify(words, r) if words else None
            if c is None or c.kind != "organization":
                continue
            if c.entry.extra.get("x_role") == "state" and _PLACE_PREP.search(
                text, max(s_start, m.start() - 4), m.start()
            ):
                continue  # "met in Nairobi": where they met, not who
            return True
    return False


class _Doc(NamedTuple):
    """What every step of resolving an article's sources reads: its text and its sentences."""

    text: str
    sents: list[tuple[int, int]]
    headings: frozenset[int]
    quotes: list[tuple[int, int]]
    qstarts: list[int]
    r: _Rules


class _Verdict(NamedTuple):
    """What a hit is found to be: its kind, the reason a learner reads, and what it points to."""

    kind: str
    reason: str
    collective: bool
    refers_to: str | None
    cue_id: str


def _finish(
    article: Article,
    text: str,
    sents: list[tuple[int, int]],
    headings: frozenset[int],
    quotes: list[tuple[int, int]],
    hits: list[_Hit],
    r: _Rules,
    in_quote,
) -> list[Attribution]:
    """Turn the raw hits into attributions: deduplicated, back-references resolved, quoted."""
    doc = _Doc(text, sents, headings, quotes, [q[0] for q in quotes], r)
    out: list[Attribution] = []
    meta: list[tuple[int, bool, bool]] = []  # sentence, collective, document
    for h in _kept_hits(text, hits, in_quote):
        c = h.cls
        source = text[h.start : h.end]
        verdict: _Verdict | None = _Verdict(
            c.kind, c.entry.explain(source), c.collective, None, c.entry.id
        )
        if c.refers:
            verdict = _back_reference(doc, h, source, verdict, out, meta)
        if verdict is not None and h.mode != "speaker":  # a label's capitals are no clue
            verdict = _checked_kind(doc, h, source, verdict)
        if verdict is None or verdict.kind not in KINDS:
            continue
        quote, direct = _quote_of(doc, h)
        out.append(
            Attribution(
                start=h.start,
                end=h.end,
                source=source,
                kind=verdict.kind,
                reason=verdict.reason,
                verb=" ".join(h.verb.split()),
                quote=quote,
                direct=direct,
                collective=verdict.collective,
                refers_to=verdict.refers_to,
                cue=verdict.cue_id,
            )
        )
        meta.append((h.sent, verdict.collective, c.document))
    return _drop_covered_cues(out, meta, r)


def _kept_hits(text: str, hits: list[_Hit], in_quote) -> list[_Hit]:
    """The hits worth keeping, in text order: no duplicates, pieces or promises of others."""
    hits = [
        h
        for h in hits
        if h.end > h.start and not in_quote(h.start, h.end) and text[h.start : h.end].strip()
    ]
    hits.sort(key=lambda h: (h.start, -h.end))
    kept: list[_Hit] = []
    for h in hits:
        if any(o.sent == h.sent and o.start <= h.start and h.end <= o.end for o in kept[-4:]):
            continue  # same span, or a piece of a longer source phrase already found
        kept.append(h)
    # a longer phrase found later (sorted by start) can still swallow an earlier short one
    by_sent: dict[int, list[_Hit]] = {}
    for h in kept:
        by_sent.setdefault(h.sent, []).append(h)
    kept = [
        h
        for h in kept
        if len(by_sent[h.sent]) == 1
        or not any(
            o is not h
            and o.start <= h.start
            and h.end <= o.end
            and (o.end - o.start) > (h.end - h.start)
            for o in by_sent[h.sent]
        )
    ]
    credited = {h.sent for h in kept if h.mode == "according" and h.cls.kind != "anonymous"}
    # In a sentence that ends "according to <a named source>", a promise made earlier in it
    # ("X has pledged to invest ..., according to its application") is part of what that
    # source reports; the sentence has one source.
    kept = [
        h
        for h in kept
        if not (
            h.sent in credited
            and (h.mode == "cue" or (h.mode == "before" and _TO_VERB.match(text, h.vend)))
        )
    ]
    kept.sort(key=lambda h: (h.start, h.end))
    return kept


def _back_reference(
    doc: _Doc,
    h: _Hit,
    source: str,
    verdict: _Verdict,
    out: list[Attribution],
    meta: list[tuple[int, bool, bool]],
) -> _Verdict | None:
    """Resolve "he", "the company", "the governor" to what they point back to (None: drop)."""
    c = h.cls
    is_pronoun = c.entry.extra.get("x_role") == "pronoun"
    if is_pronoun and any(mt[0] == h.sent for mt in meta):
        return None  # "they said they expect": the clause's source is already counted
    if c.refers == "person" and not is_pronoun:
        idx, verdict = _titled_antecedent(doc, h, source, verdict, out)
    else:
        fits = _head_fits(source, doc.r) if not is_pronoun else frozenset()
        idx = _antecedent(out, meta, c, h.sent, fits)
    if idx is not None and is_pronoun and c.refers == "person":
        # "He told ..." right after "Ellison, 47, was appointed": a person named
        # more recently than the last quoted one is the likelier antecedent
        recent = _recent_person(doc.text, h.start, doc.r, max(out[idx].end, doc.sents[0][0]))
        if recent is not None:
            idx = None
            reason = c.entry.explain(source).replace("{antecedent}", _natural(recent))
            verdict = verdict._replace(kind="named", refers_to=recent, reason=reason)
    if idx is not None and is_pronoun and c.refers == "person" and not out[idx].refers_to:
        # the same check as for a person named without a quote (see _unquoted_person)
        ante = out[idx]
        rival = _rival_person(doc.text, doc.sents, (ante.start, ante.end), h.start, doc.r)
        if rival is not None:
            # "Ana Ruiz and Ben Oduya spoke to the crowd. '...,' she said": which of them?
            both = f"{_natural(rival)} or {_natural(ante.source)}"
            reason = doc.r.entries["pronoun-unclear"].explain(source).replace("{antecedent}", both)
            verdict = verdict._replace(kind="named", refers_to=ante.source, reason=reason)
    if verdict.refers_to is not None:
        return verdict  # resolved above
    if idx is not None:
        return _from_antecedent(doc, h, source, verdict, out[idx], meta[idx][1])
    if is_pronoun:
        return _unquoted_person(doc, h, source, verdict) if c.refers == "person" else None
    if c.refers == "thing" and verdict.kind == "organization":
        return _unquoted_body(doc, h, source, verdict)
    return verdict  # a definite phrase with nothing to point back to keeps its own kind


def _titled_antecedent(
    doc: _Doc, h: _Hit, source: str, verdict: _Verdict, out: list[Attribution]
) -> tuple[int | None, _Verdict]:
    """ "the governor said": only someone introduced with that title counts."""
    # the whole title, not just its last word: "The Prime Minister" is not any minister
    role_words = [_base(w).lower() for w in source.split()]
    while len(role_words) > 1 and role_words[0] in _DETERMINERS:
        role_words.pop(0)
    role = " ".join(role_words)
    idx = next(
        (
            x
            for x in range(len(out) - 1, -1, -1)
            if out[x].kind == "named" and role in " ".join(out[x].source.lower().split())
        ),
        None,
    )
    if idx is None:
        found = _titled_mention(doc.text, role, h.start, doc.sents[0][0])
        if found is not None:
            reason = doc.r.entries["back-reference"].explain(source)
            reason = reason.replace("{antecedent}", _natural(found))
            verdict = verdict._replace(kind="named", refers_to=found, reason=reason)
    return idx, verdict


def _from_antecedent(
    doc: _Doc, h: _Hit, source: str, verdict: _Verdict, ante: Attribution, collective: bool
) -> _Verdict:
    """A back-reference takes the kind of the earlier source it points to."""
    c = h.cls
    is_pronoun = c.entry.extra.get("x_role") == "pronoun"
    refers_to = ante.refers_to or ante.source
    lead = doc.r.entries["back-reference"] if not is_pronoun else c.entry
    reason = lead.explain(source).replace(
        "{antecedent}", _natural(refers_to, quote=ante.kind == "anonymous")
    )
    reason += " " + ante.reason.split(". ", 1)[-1] if ante.kind == "anonymous" else ""
    return verdict._replace(
        kind=ante.kind, collective=collective, refers_to=refers_to, reason=reason
    )


def _unquoted_person(doc: _Doc, h: _Hit, source: str, verdict: _Verdict) -> _Verdict | None:
    """ "he said" about a person the article named without quoting (None: nobody found)."""
    c = h.cls
    found = _person_mention(doc.text, h.start, doc.r, doc.sents[0][0])
    if found is None:
        return None
    refers_to = doc.text[found[0] : found[1]]
    reason = c.entry.explain(source).replace("{antecedent}", _natural(refers_to))
    rival = _rival_person(doc.text, doc.sents, found, h.start, doc.r)
    if rival is not None:
        # "Ana Ruiz and Ben Oduya spoke. '...,' she said": a person, but which?
        both = f"{rival} or {refers_to}"
        reason = doc.r.entries["pronoun-unclear"].explain(source)
        reason = reason.replace("{antecedent}", both)
    return verdict._replace(kind="named", refers_to=refers_to, reason=reason)


def _unquoted_body(doc: _Doc, h: _Hit, source: str, verdict: _Verdict) -> _Verdict:
    """ "The company said" after "Veltra Pharmaceuticals recalled ...": the body named before."""
    found = _person_mention(
        doc.text,
        h.start,
        doc.r,
        doc.sents[0][0],
        want="organization",
        fits=_head_fits(source, doc.r),
    )
    if found is None:
        return verdict
    refers_to = doc.text[found[0] : found[1]]
    reason = doc.r.entries["back-reference"].explain(source)
    reason = reason.replace("{antecedent}", _natural(refers_to))
    return verdict._replace(refers_to=refers_to, reason=reason)


def _relabel(verdict, kind: str, cue_id: str, source: str, r: _Rules, **more: Any):
    """``verdict`` as ``kind``, for the reason the lexicon gives under ``cue_id``."""
    reason = r.entries[cue_id].explain(source)
    return verdict._replace(kind=kind, cue_id=cue_id, reason=reason, **more)


_APPOSITIVE = re.compile(r",\s*(?:a|an|the|one|his|her|its|their)\s+((?:[\w’'-]+\s+){0,2}[\w’'-]+)")
_WHO_AFTER = re.compile(r"\s*,\s*who\b")


_AGE_AFTER = re.compile(r",[^\S\n]+\d{1,3}(?:,|\Z)")


def _described_as_person(text: str, end: int, source: str, r: _Rules) -> bool:
    """True for "Baker, a lawyer for the city" or "Doe, who chairs ...": the words beside a
    lone surname say it is a person, so it is not read as a company's name."""
    if _WHO_AFTER.match(text, end) or _AGE_AFTER.search(source):
        return True  # "Doe, who chairs ...", "Doe, 45": only people are described so
    m = _APPOSITIVE.search(source)
    if m is None:
        return False
    nouns = [_base(w).lower() for w in m.group(1).split()]
    for w in nouns:
        if w in ("of", "for", "at", "with", "in", "from", "on"):
            break
        if w in r.roles or w in r.persons or w in r.titles:
            return True
    return False


_GENDERED = re.compile(r"\b(?:he|she|him|his|her|himself|herself)\b", re.IGNORECASE)


def _called_he_or_she(doc: _Doc, h: _Hit) -> bool:
    """True for "Okafor said ... He added": the rest of the sentence or the next one calls
    the lone name "he" or "she" before any other name comes up, so it is a person (a company
    is "it").
    """
    k = h.sent
    stop = doc.sents[k + 1][1] if k + 1 < len(doc.sents) else doc.sents[k][1]
    m = _GENDERED.search(doc.text, h.end, stop)
    if m is None:
        return False
    other = doc.r.person_mention.search(doc.text, h.end, m.start())
    return other is None


def _checked_kind(doc: _Doc, h: _Hit, source: str, verdict: _Verdict) -> _Verdict | None:
    """Check a name against the article: a real person, a body, or a meeting's members."""
    text, r, c = doc.text, doc.r, h.cls
    kind, refers_to = verdict.kind, verdict.refers_to
    if h.sent in doc.headings and kind == "named" and not refers_to:
        # Title Case makes every word look like a name: keep only people the article
        # names in full somewhere
        if not _is_person(text, _base(source.split()[-1]), r):
            return None
    elif kind == "named" and c.name and not refers_to and not _is_person(text, c.name, r):
        if (
            _PLURAL_AGENT.search(c.name)
            and not text[doc.sents[h.sent][0] : h.start].strip(_OPEN_Q + " \u00a0")
        ) or (" " not in source and source.endswith("ians")):
            # "Passengers said", "Organisers said": a plural noun capitalised only
            # because it opens the sentence; "heard from Virginians": the people of a place
            verdict = _relabel(verdict, "anonymous", "vague-group", source, r, collective=True)
        elif not _described_as_person(text, h.end, source, r) and not _called_he_or_she(doc, h):
            # one capitalised word never given a first name or title, and never "he" or
            # "she": a company, agency or outlet ("Corvane said"); news style introduces
            # people by full name
            verdict = _relabel(verdict, "organization", "org-name", source, r)
    if verdict.kind == "anonymous" and verdict.cue_id == "vague-group" and not refers_to:
        words = [_base(w).lower() for w in source.split()]
        if words and words[0] in ("the", "all"):
            words = words[1:]
        if " ".join(words) in r.participants and _met_bodies(text, doc.sents, h.start, r):
            # "Participants agreed" after a meeting of named bodies: those bodies
            verdict = _relabel(
                verdict, "organization", "meeting-participants", source, r, collective=True
            )
    ventry = r.verbs.get(" ".join(h.verb.lower().split()))
    if ventry is not None and ventry.id == "continuing" and verdict.kind != "named":
        return None  # "Talks continued: ...": only a person goes on speaking
    return verdict


_QUOTE_MARK = re.compile(r"[“”\"]")


def _quote_of(doc: _Doc, h: _Hit) -> tuple[tuple[int, int] | None, bool]:
    """What the source is credited with saying, and whether it is a direct quotation."""
    text, quotes = doc.text, doc.quotes
    s_start, s_end = doc.sents[h.sent]
    if h.mode == "credit":
        return _credited_block(text, h.vstart), False
    if h.mode == "speaker":
        return _spoken_turn(text, h.vend), False
    if h.mode != "cue":
        best, dist = None, None
        for qi in range(max(bisect_right(doc.qstarts, s_start) - 1, 0), len(quotes)):
            q = quotes[qi]
            if q[0] >= s_end:
                break
            if q[1] <= s_start or (q[0] < h.end and h.start < q[1]):
                continue
            d = min(
                abs(q[0] - h.vend), abs(h.vstart - q[1]), abs(q[0] - h.end), abs(h.start - q[1])
            )
            if dist is None or d < dist:
                best, dist = q, d
        if best is not None and best[1] - best[0] > 2:
            return (best[0] + 1, best[1] - 1), True
    c0, c1 = _sentence_clause(text, s_start, s_end, h.vstart)
    if h.mode in ("before", "inherit"):
        # "X said that ...", or "..., X said." with the words before the source
        after, before = _trim(text, h.vend, c1), _trim(text, c0, h.start)
        if after is None or (before is not None and _said_when(doc, h, after, before)):
            return before, False
        return _past_listener(doc, h, after), False
    if h.mode == "according" and h.start - c0 < 25:
        # "According to court documents filed Tuesday, the firm owed ...": what the source
        # says starts after the comma that closes the phrase
        comma = text.find(",", h.end, min(c1, h.end + 60))
        start = comma + 1 if comma >= 0 and not _QUOTE_MARK.search(text, h.end, comma) else h.end
        return _trim(text, start, c1), False
    if h.mode in ("according", "after", "by"):
        return _trim(text, c0, h.vstart), False
    return _trim(text, c0, c1), False


_LISTENER_THAT = re.compile(r"(?:[\w’'.&-]+\s+){1,6}?that\s+")


def _spoken_turn(text: str, at: int) -> tuple[int, int] | None:
    """What a speaker label vouches for: the words after it, up to the next label."""
    nxt = _SPEAKER_LINE.search(text, at)
    return _trim(text, at, nxt.start() if nxt is not None else len(text))


def _credited_block(text: str, at: int) -> tuple[int, int] | None:
    """What a credit line at ``at`` ("Source: UN") vouches for: the lines just above it, or
    the paragraph above when the credit stands on its own (at most 600 characters)."""
    line_start = text.rfind("\n", 0, at) + 1
    par = text.rfind("\n\n", 0, at)
    par_start = 0 if par < 0 else par + 2
    if not text[par_start:line_start].strip() and par > 0:
        above = text.rfind("\n\n", 0, par)
        par_start, line_start = (0 if above < 0 else above + 2), par
    if line_start - par_start > 600:
        par_start = line_start - 600
    return _trim(text, par_start, line_start)


def _past_listener(doc: _Doc, h: _Hit, after: tuple[int, int]) -> tuple[int, int]:
    """ "told the BBC that supplies ran out": the report is what follows "that"."""
    if h.verb.lower() not in doc.r.listener_verbs:
        return after
    m = _LISTENER_THAT.match(doc.text, after[0], after[1])
    return (m.end(), after[1]) if m is not None and m.end() < after[1] else after


def _said_when(doc: _Doc, h: _Hit, after: tuple[int, int], before: tuple[int, int]) -> bool:
    """True for "The bridge will close for six weeks, city engineers said on Monday.".

    The words after the verb only say when, where or how it was said ("on Monday", "in a
    statement", "to reporters"), and the source follows a comma after a clause of its own, so
    the report is that clause. "X said on Monday that ..." and "On Monday, X said the bridge
    ..." keep the words after the verb.
    """
    text, r = doc.text, doc.r
    if text[before[1] : h.start].strip(" \u00a0\t\n\"”’'") != "," or not r.setting_at.match(
        text, after[0]
    ):
        return False
    if len(text[before[0] : before[1]].split()) < 4:
        return False  # "In Portville, X said on Monday the bridge ..."
    head = text[after[0] : after[1]].split(",")[0].split()
    return len(head) <= 8 and "that" not in (w.lower() for w in head)


def _drop_covered_cues(
    out: list[Attribution], meta: list[tuple[int, bool, bool]], r: _Rules
) -> list[Attribution]:
    """Drop an anonymous cue inside what a named source said: that source's words."""
    # an estimate or expectation inside what a named source said is that source's, not an
    # anonymous one: "prices are expected to rise, the central bank said"
    covered: dict[int, list[tuple[int, int]]] = {}
    for a, mt in zip(out, meta, strict=True):
        if a.kind != "anonymous" and a.quote is not None and a.cue not in r.cue_ids:
            covered.setdefault(mt[0], []).append(a.quote)
    if covered:
        out = [
            a
            for a, mt in zip(out, meta, strict=True)
            if a.cue not in r.cue_ids
            or not any(q[0] <= a.start and a.end <= q[1] for q in covered.get(mt[0], ()))
        ]
    return out


# --------------------------------------------------------------------------- helpers for others


def attributed_clauses(article: Article) -> list[tuple[int, int, Attribution]]:
    """(start, end, attribution) for the stretch of text each attribution covers.

    The stretch is the sentence (or the part of it between semicolons) where the source is
    named, widened to take in a direct quotation that runs on past it. Use it to ask "does
    this figure's own clause name a source?" (see `source_of`).

    >>> a = kit.load_articles()["D"]
    >>> spans = attributed_clauses(a)
    >>> all(s <= x.start and x.end <= e for s, e, x in spans)
    True
    """
    sents = _body_sentences(article)[0]
    sstarts = [s for s, _ in sents]
    out = []
    for a in find_attributions(article):
        k = bisect_right(sstarts, a.start) - 1
        s_start, s_end = sents[k] if k >= 0 else (a.start, a.end)
        start, end = _sentence_clause(article.text, s_start, s_end, a.start)
        if a.quote is not None:
            start, end = min(start, a.quote[0]), max(end, a.quote[1])
        out.append((min(start, a.start), max(end, a.end), a))
    out.sort(key=lambda x: (x[0], x[1], x[2].start))
    return out


_RANK = {"named": 0, "organization": 1, "anonymous": 2}


def source_of(article: Article, start: int, end: int | None = None) -> Attribution | None:
    """The attribution whose clause covers ``text[start:end]``, or None if nothing does.

    Named and organization sources win over anonymous ones; among equals, the one whose
    source phrase is nearest. A figure is *sourced* when this returns a named or
    organization attribution.

    >>> a = kit.load_articles()["D"]
    >>> source_of(a, a.text.index("2025")).kind
    'anonymous'
    """
    end = start + 1 if end is None else end
    best = None
    for s, e, a in attributed_clauses(article):
        if s <= start and end <= e:
            key = (_RANK[a.kind], abs(a.start - start))
            if best is None or key < best[0]:
                best = (key, a)
    return best[1] if best else None
