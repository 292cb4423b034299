"""Tests for kit.sources: who the articles say their information comes from."""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kit
from kit import sources
from kit._data import read_toml
from kit._text import quotation_spans
from kit.articles import ArticleSetError, load_articles
from kit.sources import KINDS, Attribution, attributed_clauses, find_attributions, source_of

CASES_FILE = Path(__file__).parent / "fixtures" / "sources" / "cases.toml"
CASES = read_toml(CASES_FILE)["case"]


def _write_set(folder: Path, texts: list[str]) -> kit.ArticleSet:
    for i, text in enumerate(texts):
        # a headline line of its own, so each case's text is read as reporting
        (folder / f"case_{i:03}.txt").write_text(f"Test story\n\n{text}\n", encoding="utf-8")
    return load_articles(folder)


@pytest.fixture(scope="module")
def case_set(tmp_path_factory) -> kit.ArticleSet:
    return _write_set(tmp_path_factory.mktemp("source-cases"), [c["text"] for c in CASES])


# --------------------------------------------------------------------------- data-driven cases


@pytest.mark.parametrize("number", range(len(CASES)), ids=[c["note"] for c in CASES])
def test_case(case_set, number):
    case = CASES[number]
    article = case_set[f"case_{number:03}"]
    hits = find_attributions(article)
    found = {(h.source, h.kind) for h in hits}
    for source, kind in case.get("expect", []):
        assert (source, kind) in found, f"{case['note']}: wanted {source!r} ({kind}); got {found}"
    for source in case.get("absent", []):
        assert all(h.source != source for h in hits), f"{case['note']}: {source!r} is no source"
    for source, antecedent in case.get("refers", {}).items():
        assert any(h.source == source and h.refers_to == antecedent for h in hits), (
            f"{case['note']}: {source!r} should point back to {antecedent!r}; "
            f"got {[(h.source, h.refers_to) for h in hits]}"
        )
    for source, said in case.get("report", {}).items():
        reports = [article.span_text(h.quote) for h in hits if h.source == source and h.quote]
        assert said in reports, f"{case['note']}: {source!r} should report {said!r}; got {reports}"


def test_cases_file_is_well_formed():
    assert len(CASES) >= 60
    for case in CASES:
        assert set(case) <= {"note", "text", "expect", "absent", "refers", "report"}, case
        assert case.get("expect") or case.get("absent"), case["note"]
        for source, kind in case.get("expect", []):
            assert kind in KINDS and source in case["text"], case["note"]


# --------------------------------------------------------------------------- the seed articles


def test_every_hit_is_exact_sorted_and_outside_furniture(articles):
    for article in articles:
        hits = find_attributions(article)
        assert hits, article.id
        assert hits == sorted(hits, key=lambda h: (h.start, h.end))
        quotes = quotation_spans(article.text)
        for h in hits:
            assert isinstance(h, Attribution)
            assert article.text[h.start : h.end] == h.source
            assert h.kind in KINDS and h.reason
            assert "{term}" not in h.reason and "{antecedent}" not in h.reason
            assert not article.is_boilerplate(h.start, h.end)
            # a direct quotation's own words are never the source
            assert not any(s < h.start and h.end <= e for s, e in quotes), h
            if h.quote is not None:
                assert 0 <= h.quote[0] < h.quote[1] <= len(article.text)


def _pick(article, source: str) -> Attribution:
    found = [h for h in find_attributions(article) if h.source == source]
    assert found, f"{source!r} not found in {article.id}: {find_attributions(article)}"
    return found[0]


def test_hard_cases_on_the_seeds(articles):
    a, b, c, d, e = (articles[x] for x in "ABCDE")
    expert = _pick(a, "one international relations expert")
    assert expert.kind == "anonymous" and expert.direct and expert.verb == "said"
    assert a.text[expert.quote[0] : expert.quote[1]].startswith("Beijing is signaling")
    assert _pick(a, "official statements").kind == "anonymous"
    ottawa = _pick(a, "Ottawa")
    assert ottawa.kind == "organization" and ottawa.collective
    assert _pick(b, "Saskatchewan Premier Scott Moe").kind == "named"
    they = _pick(b, "They")
    assert they.kind == "anonymous" and they.refers_to == "International security experts"
    assert _pick(b, "is seen as").kind == "anonymous"
    beijing = _pick(c, "Beijing")
    assert beijing.kind == "organization" and beijing.collective and "no person" in beijing.reason
    paper = _pick(c, "the English-language paper")
    assert paper.kind == "organization"
    assert paper.refers_to == "the state-owned China Daily newspaper"
    assert _pick(c, "Trump").kind == "named"
    assert _pick(d, "Official Chinese data").kind == "anonymous"
    assert _pick(d, "China’s foreign ministry").kind == "organization"
    assert _pick(e, "Beijing-based commentator Xu Ying").kind == "named"
    assert _pick(e, "Business leaders").kind == "anonymous"


def test_headlines_count_like_other_sentences(articles):
    a = articles["A"]
    head = a.headline_span
    assert any(h.source == "China" and h.start < head.end for h in find_attributions(a))


def test_reasons_come_from_the_lexicon(articles):
    lex = kit.load_lexicon("sources")
    reason = lex["vague-group"].explain("Analysts")
    assert _pick(articles["A"], "Analysts").reason == reason


def test_results_are_cached_per_article(articles):
    a = articles["D"]
    first = find_attributions(a)
    assert find_attributions(a) == first
    assert find_attributions(a) is not first  # a fresh list each time: callers may sort it


def test_empty_and_plain_articles(tmp_path):
    s = _write_set(tmp_path, ["Nothing here is attributed to anyone at all.", "Weather: sunny."])
    assert find_attributions(s[0]) == []
    assert attributed_clauses(s[1]) == []


# --------------------------------------------------------------------------- helper for figures


def test_attributed_clauses_cover_their_sources(articles):
    for article in articles:
        spans = attributed_clauses(article)
        assert len(spans) == len(find_attributions(article))
        for start, end, a in spans:
            assert start <= a.start and a.end <= end
            if a.quote is not None:
                assert start <= a.quote[0] and a.quote[1] <= end


def test_source_of_prefers_named_sources(articles):
    d = articles["D"]
    at = d.text.index("2025")
    src = source_of(d, at, at + 4)
    assert src is not None and src.source == "Official Chinese data" and src.kind == "anonymous"
    e = articles["E"]
    at = e.text.index("$142 billion")
    assert source_of(e, at, at + 12) is None
    c = articles["C"]
    at = c.text.index("51st state")
    assert source_of(c, at).source == "Trump"


# --------------------------------------------------------------------------- lexicons


def test_lexicon_entries_the_code_relies_on_exist():
    lex = kit.load_lexicon("sources")
    for entry_id in (
        "named-person",
        "vague-group",
        "unnamed-person",
        "anonymity-granted",
        "unnamed-document",
        "unnamed-organization",
        "organization",
        "org-name",
        "government",
        "back-reference",
        "agentless-passive",
    ):
        assert lex[entry_id].reason
    for entry in lex:
        if entry.extra.get("x_role") == "cue":
            anchors = entry.extra.get("x_anchors")
            assert anchors, f"cue entry {entry.id} needs x_anchors"
            joined = " ".join(entry.patterns)
            assert all(re.escape(w)[:4] in joined or w[:4] in joined for w in anchors), entry.id
    verbs = kit.load_lexicon("speech_verbs")
    assert re.search(verbs.alternation(), "she said it")
    places = kit.load_lexicon("source_places")
    assert {"Beijing", "Ottawa", "Canada"} <= {t for e in places for t in e.terms}


def test_an_instructor_can_add_a_source_word(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(kit._data.data_dir() / "lexicons", data / "lexicons")
    story = tmp_path / "story"
    story.mkdir()
    (story / "a.txt").write_text("Story\n\nBoffins reckon the comet will miss us.\n", "utf-8")
    article = load_articles(story)["a"]
    # unknown, the capitalised word reads as the name of some organization
    assert [h.kind for h in find_attributions(article)] == ["organization"]
    path = data / "lexicons" / "sources.toml"
    raw = path.read_text(encoding="utf-8")
    path.write_text(raw.replace('"analysts", "experts",', '"boffins", "analysts", "experts",'))
    monkeypatch.setenv("KIT_DATA_DIR", str(data))
    hits = find_attributions(article)
    assert [(h.source, h.kind) for h in hits] == [("Boffins", "anonymous")]


# --------------------------------------------------------------------------- properties

_WORDS = st.sampled_from(
    [
        "said", "says", "told", "according to", "Analysts", "officials", "Beijing", "the paper",
        "he", "they", "it is understood", "is seen as", "an estimated", "Mr.", "Jane Doe",
        "“", "”", '"', ",", ".", "\u00a0", "\n", "\n\n", "who asked not to be named",
        "(", ")", "’s", "Leave a Reply", "Dr.", "The", "of the", "Ministry",
    ]
)  # fmt: skip


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(st.one_of(_WORDS, st.text(min_size=1, max_size=12)), min_size=1, max_size=60).map(
        " ".join
    )
)
def test_any_text_gives_exact_spans(text):
    if not text.replace("\ufeff", "").strip():
        return  # a file with nothing but a byte-order mark is the loader's concern, not ours
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "x.txt").write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            article = load_articles(folder)["x"]
        except (ArticleSetError, UnicodeError):
            return  # not an article the kit accepts at all (empty, binary, not UTF-8)
        hits = find_attributions(article)
        assert hits == sorted(hits, key=lambda h: (h.start, h.end))
        for h in hits:
            assert 0 <= h.start < h.end <= len(article.text)
            assert article.text[h.start : h.end] == h.source
            assert h.kind in KINDS
        for start, end, _ in attributed_clauses(article):
            assert 0 <= start <= end <= len(article.text)


# --------------------------------------------------------------------------- speed


@pytest.mark.slow
def test_uncached_cost_stays_within_budget(articles):
    """About 500 µs for a 3 kB article: a small multiple of one plain word scan."""
    arts = list(articles)
    rules = sources._rules(sources._stamp())

    def best(fn) -> float:
        runs = []
        for _ in range(15):
            t0 = time.perf_counter()
            for _ in range(5):
                for a in arts:
                    fn(a)
            runs.append(time.perf_counter() - t0)
        return min(runs)

    detect = best(lambda a: sources._detect(a, rules))
    words = best(lambda a: re.findall(r"\w+", a.text))
    # the budget is 500 µs against a ~60 µs word scan; allow for noise on a busy machine
    assert detect <= 12 * words, f"{detect / words:.1f}x a word scan"


# --------------------------------------------------------------------------- reasons read well


def _one(tmp_path, text: str) -> kit.Article:
    return next(iter(_write_set(tmp_path, [text])))


@pytest.mark.parametrize(
    "text",
    [
        "Analysts expect the central bank to hold rates this week.",
        "Local media reported that the ferry had run aground.",
        "Officials said the shelters would close on Sunday.",
    ],
)
def test_a_group_reason_reads_naturally_whatever_the_span(tmp_path, text):
    (hit,) = find_attributions(_one(tmp_path, text))
    assert hit.kind == "anonymous"
    assert f"'{hit.source}'" in hit.reason  # the article's words, quoted as they stand
    assert not re.search(r"\bthese [A-Z]", hit.reason), hit.reason


def test_a_back_reference_reason_lowers_the_article_of_its_antecedent(tmp_path):
    text = "The ferry company said it would appeal the fine. It said the rules were unclear."
    hits = find_attributions(_one(tmp_path, text))
    it = next(h for h in hits if h.source == "It")
    assert it.refers_to == "The ferry company"
    assert "it means the ferry company," in it.reason
    assert not re.search(r"(?:means|points back to) (?:The|A|An) ", it.reason)


def test_a_pronoun_source_always_names_what_it_stands_for():
    # "it" is never a source of its own: every pronoun found points back to someone, and the
    # reason says to whom
    for name in ("carney-beijing-2026", "marrowgate-mill-vote", "brannock-heat-emergency-2026"):
        for article in load_articles(name):
            for h in find_attributions(article):
                if h.source.lower() in ("it", "they", "he", "she", "them"):
                    assert h.refers_to, (article.id, h)
                    assert "not a new source" in h.reason or "more than one" in h.reason
                    assert h.refers_to.split()[-1] in h.reason, h.reason


def test_a_pronoun_with_no_antecedent_is_left_out(tmp_path):
    assert find_attributions(_one(tmp_path, "It said the results would come later.")) == []


def test_an_ambiguous_pronoun_says_who_it_could_be(tmp_path):
    text = 'Ana Ruiz and Ben Oduya spoke to the crowd. "We will rebuild," she said.'
    hits = find_attributions(_one(tmp_path, text))
    she = next(h for h in hits if h.source == "she")
    assert she.kind == "named"
    assert "Ana Ruiz" in she.reason and "Ben Oduya" in she.reason
    assert "does not make clear" in she.reason


def test_an_unambiguous_pronoun_is_not_called_unclear(tmp_path):
    text = 'Ana Ruiz spoke to the crowd on the quay. "We will rebuild," she said.'
    she = next(h for h in find_attributions(_one(tmp_path, text)) if h.source == "she")
    assert she.refers_to == "Ana Ruiz" and "does not make clear" not in she.reason


def test_hint_reasons_are_plain_words_not_machine_labels():
    from kit.hints import hints

    for article in load_articles("carney-beijing-2026"):
        for h in hints(article):
            assert not re.search(r"\b(?:attribution|figure|framing):[a-z]", h.reason), h
            assert "{" not in h.reason and "}" not in h.reason, h


def test_a_surname_that_opens_the_text_is_checked_against_its_full_mention(tmp_path):
    """The headline's first word is at offset 0; the later lone surname is still a person."""
    (tmp_path / "lund.txt").write_text(
        "Lund Backs Port Plan\n\nRepresentative Jane Lund released a statement on Tuesday. "
        "Lund has long warned about the cost of delay.\n",
        encoding="utf-8",
    )
    article = load_articles(tmp_path)["lund"]
    lone = [a for a in find_attributions(article) if a.source == "Lund"]
    assert [a.kind for a in lone] == ["named"]
