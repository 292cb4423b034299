"""Tests for kit.framing: framing cues, headline analysis and voice share."""

from __future__ import annotations

import re
import sys
import time
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kit
from kit import framing
from kit.framing import (
    QUOTED_NOTE,
    FramingCue,
    VoiceShare,
    analyze_headlines,
    find_framing,
    voice_share,
    voice_share_chart,
)
from kit.lexicons import load_lexicon

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

FIXTURES = Path(__file__).parent / "fixtures" / "framing"
NBSP = "\u00a0"


def hits(text: str, kind: str | None = None) -> list[tuple[str, str, bool]]:
    """(text found, kind, quoted) for every cue, optionally of one kind."""
    return [
        (text[c.start : c.end], c.kind, c.quoted)
        for c in find_framing(text)
        if kind is None or c.kind == kind
    ]


# --------------------------------------------------------------------------- positive cases

_CASES = tomllib.loads((FIXTURES / "cases.toml").read_text(encoding="utf-8"))
FOUND = [
    pytest.param(c["text"], c["kind"], c["words"], c["quoted"], id=f"{c['style']}: {c['text']}")
    for c in _CASES["found"]
]
NOT_FOUND = [
    pytest.param(c["text"], c.get("kind"), id=f"{c['why']}: {c['text']}")
    for c in _CASES["not_found"]
]


@pytest.mark.parametrize(("text", "kind", "words", "quoted"), FOUND)
def test_finds_cue(text: str, kind: str, words: str, quoted: bool) -> None:
    assert (words, kind, quoted) in hits(text), hits(text)


def test_quoted_cue_says_it_is_the_speakers_word() -> None:
    text = "“Their aggression must stop,” the minister said. The aggression continued."
    cues = [c for c in find_framing(text) if c.term == "aggression"]
    assert [c.quoted for c in cues] == [True, False]
    assert cues[0].reason.endswith(QUOTED_NOTE)
    assert QUOTED_NOTE not in cues[1].reason
    assert "neutral" in cues[1].reason  # the loaded reason offers a neutral alternative


# --------------------------------------------------------------------------- negative cases


@pytest.mark.parametrize(("text", "kind"), NOT_FOUND)
def test_finds_nothing(text: str, kind: str | None) -> None:
    assert hits(text, kind) == []


def test_may_not_is_a_hedge_but_could_not_is_not() -> None:
    assert ("may not", "hedge", False) in hits("The bill may not pass.")
    assert hits("The bill could not pass.", "hedge") == []
    assert ("could", "hedge", False) in hits("The bill could pass.")


# --------------------------------------------------------------------------- properties


def _flat(s: str) -> str:
    s = s.lower().replace("\u2019", "'")
    return re.sub(r"[-\u2010\u2011\s\u00a0]+", " ", s).strip()


_WORDS = st.sampled_from(
    ["may", "May", "could", "not", "slammed", "regime", "the Chinese mainland", "is seen as",
     "“", "”", '"', "mayor", "pro-life", "\u00a0", " ", "-", "\n", "İ", "ß", "5"]
)  # fmt: skip


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(st.text(), st.lists(_WORDS).map("".join), st.lists(_WORDS).map(" ".join)))
def test_any_text_gives_well_formed_cues(text: str) -> None:
    cues = find_framing(text)
    assert cues == sorted(cues, key=lambda c: (c.start, c.end, c.kind))
    for c in cues:
        assert 0 <= c.start < c.end <= len(text)
        assert _flat(text[c.start : c.end]) == _flat(c.term)
        assert c.kind in framing.KINDS
        assert c.reason and "{term}" not in c.reason


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_cues_survive_any_surroundings(noise: str) -> None:
    text = f"{noise} The minister slammed it. {noise}"
    start = len(noise) + len(" The minister ")
    assert any(c.start == start and c.term == "slammed" for c in find_framing(text))


# --------------------------------------------------------------------------- lexicons


@pytest.mark.parametrize("name", ["loaded", "hedges", "labels", "headline_verbs"])
def test_lexicon_files_say_where_their_words_come_from(name: str) -> None:
    lexicon = load_lexicon(name)
    assert lexicon.source
    header = (Path(kit.__file__).parent.parent / "data" / "lexicons" / f"{name}.toml").read_text(
        encoding="utf-8"
    )
    assert header.startswith("#") and "Where these words come from" in header
    assert sum(len(e.terms) for e in lexicon) >= 150


def test_every_term_is_found_in_a_sentence() -> None:
    for kind, name in framing.KINDS.items():
        for entry in load_lexicon(name):
            if entry.kind in (framing.CONTEXT, framing.SCARE_QUOTE):
                continue  # context words and the scare-quote rule's settings are not cues
            # An entry that frames only in one kind of story gives an example sentence of it.
            example = entry.extra.get("x_example", "")
            assert example or not entry.extra.get("x_only_if_text"), entry.id
            # An entry that needs certain words before a term ("strip ... for parts") says so.
            before = entry.extra.get("x_example_before", "Then")
            assert before != "Then" or not entry.extra.get("x_preceded_by"), entry.id
            # And one that needs certain words after it ("failed" + "policies") gives them.
            after = entry.extra.get("x_example_after", "happened")
            assert after != "happened" or not entry.extra.get("x_followed_by"), entry.id
            for term in entry.terms:
                text = f"{before} {term} {after}. {example}"
                found = {c.term for c in find_framing(text, kinds=[kind])}
                assert term in found or any(_flat(t).endswith(_flat(term)) for t in found), (
                    kind,
                    term,
                )


def test_a_term_belongs_to_one_kind() -> None:
    owner: dict[str, str] = {}
    for kind, name in framing.KINDS.items():
        for entry in load_lexicon(name):
            if entry.kind in (framing.CONTEXT, framing.SCARE_QUOTE):
                continue
            for term in entry.terms:
                key = _flat(term)
                assert owner.setdefault(key, kind) == kind, f"{term!r} is {owner[key]} and {kind}"


def test_shorter_term_of_another_kind_inside_a_longer_one() -> None:
    found = hits("They accused it of economic bullying.")
    assert ("economic bullying", "label", False) in found
    assert ("bullying", "loaded", False) in found


def test_kinds_option_and_unknown_kind() -> None:
    text = "The regime may have slammed it."
    assert {c.kind for c in find_framing(text, kinds=["hedge"])} == {"hedge"}
    with pytest.raises(ValueError, match="unknown framing kind"):
        find_framing(text, kinds=["spin"])


def test_cue_is_frozen_and_slotted() -> None:
    cue = find_framing("It slammed.")[0]
    assert isinstance(cue, FramingCue) and not hasattr(cue, "__dict__")
    with pytest.raises(FrozenInstanceError):
        cue.start = 0  # type: ignore[misc]


def test_edited_lexicon_is_picked_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = Path(kit.__file__).parent.parent / "data"
    (tmp_path / "lexicons").mkdir()
    for name in ("loaded", "hedges", "labels", "boilerplate", "speech_verbs"):
        src = data / "lexicons" / f"{name}.toml"
        (tmp_path / "lexicons" / f"{name}.toml").write_text(src.read_text("utf-8"), "utf-8")
    monkeypatch.setenv("KIT_DATA_DIR", str(tmp_path))
    assert hits("The plan was bodacious.", "loaded") == []
    path = tmp_path / "lexicons" / "loaded.toml"
    path.write_text(
        path.read_text("utf-8")
        + '\n[[entry]]\nid = "slang"\nreason = "\'{term}\' is slang praise."\n'
        + 'terms = ["bodacious"]\n',
        "utf-8",
    )
    cue = find_framing("The plan was bodacious.")[-1]
    assert cue.term == "bodacious" and cue.reason == "'bodacious' is slang praise."


# --------------------------------------------------------------------------- seed set


def test_seed_quoted_and_unquoted(articles: kit.ArticleSet) -> None:
    c = articles["C"]
    by_word = {(c.text[x.start : x.end], x.quoted) for x in find_framing(c)}
    assert ("aggression", False) in by_word
    assert ("bristled", False) in by_word
    assert ("acrimony", False) in by_word
    assert ("blindly", True) in by_word
    assert ("at least partially", False) in by_word
    e = articles["E"]
    words = {e.text[x.start : x.end] for x in find_framing(e)}
    assert {"pivotal", "coercive diplomacy", "the Chinese mainland"} <= words


def test_boilerplate_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(
        "Vote Delayed\n\nThe vote was delayed.\n\nLeave a Reply\n\nThis disastrous comment.\n",
        encoding="utf-8",
    )
    article = kit.load_articles(tmp_path)["story"]
    assert find_framing(article) == []
    assert [c.term for c in find_framing(article, include_boilerplate=True)] == ["disastrous"]


def test_speed_per_article(articles: kit.ArticleSet) -> None:
    # The budget is 400 µs per ~3 KB article; allow slack for a busy test machine.
    for a in articles:
        find_framing(a)
    rounds = 20
    t0 = time.perf_counter()
    for _ in range(rounds):
        for a in articles:
            find_framing(a)
    per_article = (time.perf_counter() - t0) / (rounds * len(articles))
    assert per_article < 0.002


# --------------------------------------------------------------------------- headlines

_HEADLINES = tomllib.loads((FIXTURES / "headlines.toml").read_text(encoding="utf-8"))
SIDES = _HEADLINES["sides"]


@pytest.fixture
def headline_set(tmp_path: Path) -> kit.ArticleSet:
    for case in _HEADLINES["case"]:
        (tmp_path / f"{case['id']}.txt").write_text(
            f"{case['headline']}\n\nThe story itself.\n", encoding="utf-8"
        )
    return kit.load_articles(tmp_path)


@pytest.mark.parametrize("case", _HEADLINES["case"], ids=lambda c: c["id"])
def test_headline_parts(headline_set: kit.ArticleSet, case: dict) -> None:
    result = {h.article_id: h for h in analyze_headlines(headline_set, sides=SIDES)}[case["id"]]
    got = (result.actor, result.verb, result.claim, result.side, result.kicker, result.note)
    want = (case["actor"], case["verb"], case["claim"], case["side"], case.get("kicker", ""),
            case.get("note", ""))  # fmt: skip
    assert got == want
    if "verb_kind" in case:
        assert result.verb_kind == case["verb_kind"]
    if "cues" in case:
        assert [c.term.lower() for c in result.cues] == [t.lower() for t in case["cues"]]
    for cue in result.cues:  # offsets point into the article's text
        assert _flat(headline_set[case["id"]].text[cue.start : cue.end]) == _flat(cue.term)
    if "sides_mentioned" in case:
        assert list(result.sides_mentioned) == case["sides_mentioned"]
    text = headline_set[case["id"]].text
    for part, span in ((result.actor, result.actor_span), (result.verb, result.verb_span),
                       (result.claim, result.claim_span)):  # fmt: skip
        assert (text[span[0] : span[1]] if span else "") == part
    if result.verb:
        assert f"'{result.verb}'" in result.reason
    if result.kicker:
        assert result.kicker in result.reason


def test_headline_without_sides_or_headline(
    headline_set: kit.ArticleSet, articles: kit.ArticleSet
) -> None:
    plain = analyze_headlines(headline_set)
    assert all(h.side == "unassigned" for h in plain)
    assert "names no sides" in plain[0].reason
    seeds = {h.article_id: h for h in analyze_headlines(articles)}
    assert seeds["C"].headline == "unknown" and seeds["C"].note == "no headline"
    assert "no headline" in seeds["C"].reason
    assert (seeds["A"].actor, seeds["A"].verb, seeds["A"].side) == ("China", "Urges", "China")
    assert seeds["E"].kicker == "Canada’s Strategic Shift"
    assert (seeds["E"].actor, seeds["E"].side) == ("Carney’s Beijing Visit", "Canada")


# --------------------------------------------------------------------------- voice share


class _Att:
    """A stand-in with the fields of kit.sources.Attribution that voice_share reads."""

    def __init__(self, start, end, kind="named", quote=None, refers_to=None):
        self.start, self.end, self.kind, self.quote = start, end, kind, quote
        self.source, self.reason = "", ""
        if refers_to is not None:
            self.refers_to = refers_to


@pytest.fixture
def voice_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> kit.ArticleSet:
    text = (
        "Fish Talks Stall\n\n"
        "“We want a fair quota,” said Oslo's fisheries minister. "
        "“No,” said a Stockholm official. Analysts were unsure. "
        "“Maybe later,” the ministry added.\n"
    )
    (tmp_path / "one.txt").write_text(text, encoding="utf-8")
    (tmp_path / "two.txt").write_text("Quiet Day\n\nNothing was said.\n", encoding="utf-8")
    articles = kit.load_articles(tmp_path)
    one = articles["one"].text

    def span(s: str) -> tuple[int, int]:
        i = one.index(s)
        return i, i + len(s)

    fake = {
        "one": [
            _Att(*span("Oslo's fisheries minister"), quote=span("“We want a fair quota,”")),
            _Att(*span("a Stockholm official"), kind="organization", quote=span("“No,”")),
            _Att(*span("Analysts"), kind="anonymous", quote=span("were unsure")),
            _Att(*span("the ministry"), quote=span("“Maybe later,”"), refers_to="Oslo"),
        ],
        "two": [],
    }
    monkeypatch.setattr(framing, "_attributions_for", lambda a: fake[a.id])
    return articles


def test_voice_share_with_custom_sides(voice_set) -> None:
    share = voice_share(voice_set, sides=SIDES)
    assert isinstance(share, VoiceShare)
    assert share.sides == ("Norway", "Sweden", "unassigned")
    rows = {(r.article_id, r.side): (r.attributions, r.quoted_chars) for r in share.rows}
    assert rows[("one", "Norway")] == (2, len("“We want a fair quota,”") + len("“Maybe later,”"))
    assert rows[("one", "Sweden")] == (1, len("“No,”"))
    assert rows[("one", "unassigned")] == (1, 0)
    assert rows[("two", "Norway")] == (0, 0)
    reported = {r.side: r.attributed_chars for r in share.rows if r.article_id == "one"}
    assert reported["unassigned"] == len("were unsure")  # reported speech: attributed, not quoted
    assert share.totals()["Norway"].attributions == 2
    back = next(i for i in share.items if i.source == "the ministry")
    assert back.side == "Norway" and "points back to 'Oslo'" in back.reason


def test_voice_share_frame_and_chart(voice_set) -> None:
    share = voice_share(voice_set, sides=SIDES)
    frame = share.to_frame()
    one = frame[frame.article == "one"]
    assert one.quoted_chars_share.sum() == pytest.approx(1.0)
    assert frame[frame.article == "two"].attributions_share.sum() == 0.0
    detail = share.to_frame(detail=True)
    assert list(detail.side) == ["Norway", "Sweden", "unassigned", "Norway"]
    spec = voice_share_chart(share, measure="attributions").to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["field"] == "attributions"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Norway", "Sweden", "unassigned"]
    with pytest.raises(ValueError, match="measure"):
        voice_share_chart(share, measure="words")


def test_voice_share_without_sides_is_all_unassigned(voice_set) -> None:
    share = voice_share(voice_set)  # a folder without manifest has no sides
    assert share.sides == ("unassigned",)
    assert share.totals()["unassigned"].attributions == 4


def test_voice_share_on_seeds_uses_manifest_sides(articles) -> None:
    pytest.importorskip("kit.sources")
    share = voice_share(articles)
    assert share.sides == (*articles.sides, "unassigned")
    assert {r.article_id for r in share.rows} == set(articles.ids)
    for item in share.items:
        assert articles[item.article_id].text[item.start : item.end] == item.source


@pytest.mark.parametrize(
    ("phrase", "side"),
    [
        ("US officials", "United States"),
        ("the U.S.-led bloc", "United States"),
        ("American diplomats", "United States"),
        ("a source close to us", None),  # the pronoun is not the country
        ("USA Today", None),  # word boundaries
        ("tensions.China's envoy", "China"),  # glued sentences still match
        ("Chinese\u00a0state media", "China"),
    ],
)
def test_side_terms_match_by_word_and_case(phrase: str, side: str | None) -> None:
    sides = {
        "China": ["China", "Chinese state media", "Chinese"],
        "United States": ["US", "U.S.", "America", "American"],
    }
    found = framing._sides_in(phrase, sides)
    assert (found[0][0] if found else None) == side
