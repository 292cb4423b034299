"""Tests for kit.compare: contradictions, coverage and text reuse on tiny article sets."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kit._data import data_dir
from kit.articles import ArticleSet, ArticleSetError, load_articles
from kit.compare import (
    Contradiction,
    CoverageMatrix,
    Evidence,
    coverage_matrix,
    find_contradictions,
    find_reuse,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CASES = tomllib.loads(
    (Path(__file__).parent / "fixtures" / "compare" / "cases.toml").read_text(encoding="utf-8")
)["case"]


def _set(folder: Path, texts: dict[str, str]) -> ArticleSet:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in texts.items():
        (folder / f"{name}.txt").write_text(body, encoding="utf-8")
    return load_articles(folder)


def _evidence_ok(articles: ArticleSet, ev: Evidence) -> str:
    text = articles[ev.article_id].text
    assert 0 <= ev.start < ev.end <= len(text)
    return text[ev.start : ev.end]


# --------------------------------------------------------------------------- synthetic sets


@pytest.fixture
def dated(tmp_path: Path) -> ArticleSet:
    return _set(
        tmp_path / "dated",
        {
            "p": "Mayor visits Lyon\n\nThe mayor of Oslo arrived in Lyon on Tuesday for talks on "
            "river transport.\n",
            "q": "Oslo mayor in France\n\nThe mayor began a three-day visit to Lyon on "
            "March 4, 2026, officials said.\n",
            "r": "Talks in Lyon\n\nThe Oslo mayor's visit to Lyon started on Wednesday.\n",
            "s": "Unrelated\n\nThe museum reopened on Monday after repairs.\n",
        },
    )


def test_weekday_against_date_of_same_event(dated: ArticleSet) -> None:
    # March 4, 2026 is a Wednesday: it agrees with r and contradicts p's Tuesday.
    found = find_contradictions(dated)
    pairs = {(c.a.article_id, c.b.article_id) for c in found if c.kind == "day"}
    assert pairs == {("p", "q"), ("p", "r")}
    for c in found:
        assert isinstance(c, Contradiction)
        assert c.fact.startswith("the day") and "Lyon" in c.shared
        assert _evidence_ok(dated, c.a) == "Tuesday"
        assert _evidence_ok(dated, c.b) in {"March 4, 2026", "Wednesday"}
        assert c.reason.startswith("Article p says")
    q = next(c for c in found if c.b.article_id == "q")
    assert "(a Wednesday)" in q.reason


def test_agreeing_articles_give_no_contradiction(tmp_path: Path) -> None:
    same = _set(
        tmp_path / "same",
        {
            "a": "Visit\n\nThe premier arrived in Seoul on Friday.\n",
            "b": "Visit\n\nThe premier's visit began on January 16, 2026.\n",  # a Friday
        },
    )
    assert find_contradictions(same) == []


def test_different_events_do_not_clash(tmp_path: Path) -> None:
    arts = _set(
        tmp_path / "events",
        {
            "a": "Visit\n\nThe delegation arrived on Monday.\n",
            "b": "Visit\n\nThe delegation left on Thursday.\n",
        },
    )
    assert find_contradictions(arts) == []


def test_rank_largest_vs_second_largest(tmp_path: Path) -> None:
    arts = _set(
        tmp_path / "rank",
        {
            "x": "Trade\n\nOttawa must balance ties with its largest trading partner, Japan, "
            "and its allies.\n",
            "y": "Trade\n\nWith Japan remaining Canada's second-largest trading partner, "
            "talks resumed.\n",
            "z": "Trade\n\nJapan is Canada's largest export destination.\n",
        },
    )
    found = [c for c in find_contradictions(arts) if c.kind == "rank"]
    assert [(c.a.article_id, c.b.article_id) for c in found] == [("x", "y")]
    c = found[0]
    assert _evidence_ok(arts, c.a) == "largest trading partner"
    assert _evidence_ok(arts, c.b) == "second-largest trading partner"
    assert "Japan" in c.reason


def test_amounts_of_same_thing(tmp_path: Path) -> None:
    arts = _set(
        tmp_path / "amounts",
        {
            "a": "Trade\n\nBilateral trade reached $142 billion in 2025.\n",
            "b": "Trade\n\nTwo-way trade hit $68 billion in 2025, officials said.\n",
            "c": "Trade\n\nTrade was worth about $140 billion in 2025.\n",  # rounded
        },
    )
    found = find_contradictions(arts)
    assert {(c.a.article_id, c.b.article_id) for c in found} == {("a", "b"), ("b", "c")}
    assert all(c.kind == "amount" and c.unit == "money" for c in found)
    assert all(c.verdict == "conflict" and "the smaller" in c.reason for c in found)


def test_work_is_linear_not_all_pairs(tmp_path: Path) -> None:
    # 60 articles on one fact, two answers: contradictions grow with articles, not pairs.
    texts = {
        f"a{i:02d}": f"Visit\n\nThe envoy arrived on {'Monday' if i % 2 else 'Tuesday'}.\n"
        for i in range(60)
    }
    found = find_contradictions(_set(tmp_path / "many", texts))
    assert 0 < len(found) <= 2 * 60


# --------------------------------------------------------------------------- seed set


@pytest.fixture(scope="module")
def seeds() -> ArticleSet:
    return load_articles(data_dir() / "articles" / "carney-beijing-2026")


def test_seed_known_contradictions_surface(seeds: ArticleSet) -> None:
    found = find_contradictions(seeds)
    day = {(c.a.article_id, c.b.article_id) for c in found if c.kind == "day"}
    assert {("C", "D"), ("D", "E")} <= day
    de = next(c for c in found if (c.a.article_id, c.b.article_id, c.kind) == ("D", "E", "day"))
    assert _evidence_ok(seeds, de.b) == "January 14, 2026" and "(a Wednesday)" in de.reason
    cd = next(c for c in found if (c.a.article_id, c.b.article_id) == ("C", "D"))
    assert _evidence_ok(seeds, cd.a) == "Wednesday"
    assert _evidence_ok(seeds, cd.b) == "Tuesday"
    assert "Article C says" in cd.reason and "article D says" in cd.reason
    rank = [c for c in found if c.kind == "rank"]
    assert [(c.a.article_id, c.b.article_id) for c in rank] == [("B", "E")]
    assert _evidence_ok(seeds, rank[0].a) == "largest trading partner"
    assert _evidence_ok(seeds, rank[0].b) == "second-largest trading partner"


def test_seed_coverage_matrix(seeds: ArticleSet) -> None:
    m = coverage_matrix(seeds)
    assert isinstance(m, CoverageMatrix) and isinstance(m, list)
    assert m.ids == seeds.ids
    row = next(r for r in m if r.get("C") == "Wednesday")
    assert (row["kind"], row["D"], row["E"]) == ("day", "Tuesday", "January 14, 2026")
    assert row["fact"] in m.omissions()["A"]
    # people's words only: no machine labels, no fact twice, no row only one article fills
    facts = [r["fact"] for r in m]
    assert len(facts) == len(set(facts))
    for r in m:
        assert not any(ch.isdigit() for ch in r["fact"]) and ":" not in r["fact"]
        assert sum(r[i] is not None for i in m.ids) >= 2
    assert {r["agree"] for r in m} <= {"Yes", "No"} and row["agree"] == "No"
    frame = m.to_frame(missing="—")
    assert list(frame.columns) == ["kind", *seeds.ids, "agree"]
    assert "—" in set(frame["A"]) and not frame.isna().any().any()


def test_seed_no_reuse_between_rewrites(seeds: ArticleSet) -> None:
    assert find_reuse(seeds) == []


def test_reuse_found_with_offsets(tmp_path: Path) -> None:
    shared = (
        "The central bank held its key rate steady on Wednesday, saying inflation had eased "
        "but remained above its target for the third month in a row."
    )
    near = shared.replace("steady", "unchanged")
    arts = _set(
        tmp_path / "reuse",
        {
            "a": f"Rates\n\nMarkets were calm. {shared} Shares rose.\n",
            "b": f"Bank holds\n\nIn a statement, {near} Economists were split.\n",
            "c": "Other\n\nA bridge opened in the north of the province after four years.\n",
        },
    )
    found = find_reuse(arts, min_chars=60)
    assert len(found) >= 1
    r = found[0]
    assert (r.a.article_id, r.b.article_id) == ("a", "b")
    a_text, b_text = _evidence_ok(arts, r.a), _evidence_ok(arts, r.b)
    assert "inflation had eased" in a_text and "inflation had eased" in b_text
    assert r.similarity >= 80
    assert all(x.a.article_id != "c" and x.b.article_id != "c" for x in found)


# --------------------------------------------------------------------------- properties

_PIECES = st.sampled_from(
    [
        "The visit began on",
        "arrived on",
        "Tuesday",
        "Wednesday",
        "January 14, 2026",
        "March 3",
        "its largest trading partner, Japan",
        "Japan remains Canada's second-largest trading partner",
        "trade reached $142 billion in 2025",
        "trade hit $98 billion in 2025",
        "\u00a0",
        ".",
        "“",
        "”",
    ]
)
_BODIES = st.lists(
    st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=25).map(" ".join),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(bodies=_BODIES)
def test_property_compare_never_raises(bodies: list[str], tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("cmp")
    for i, body in enumerate(bodies):
        (folder / f"a{i}.txt").write_text(f"Headline {i}\n\n{body}\n", encoding="utf-8")
    try:
        arts = load_articles(folder)
    except (ArticleSetError, UnicodeEncodeError):
        assume(False)
        return
    for c in find_contradictions(arts):
        assert c.a.article_id != c.b.article_id
        _evidence_ok(arts, c.a)
        _evidence_ok(arts, c.b)
        assert c.reason and c.fact
    m = coverage_matrix(arts)
    assert all(set(arts.ids) <= set(row) for row in m)
    for r in find_reuse(arts, min_chars=20):
        _evidence_ok(arts, r.a)
        _evidence_ok(arts, r.b)


def test_meeting_denied_in_one_article(tmp_path: Path) -> None:
    arts = _set(
        tmp_path / "meet",
        {
            "a": "Talks\n\nThe envoy met with Foreign Minister Ana Duarte on Friday.\n",
            "b": "Talks\n\nThe envoy did not meet Foreign Minister Ana Duarte, aides said.\n",
            "c": "Talks\n\nThe envoy held talks with Trade Minister Joe Bloggs.\n",
        },
    )
    found = [c for c in find_contradictions(arts) if c.kind == "meeting"]
    assert [(c.a.article_id, c.b.article_id) for c in found] == [("a", "b")]
    assert _evidence_ok(arts, found[0].a) == "Foreign Minister Ana Duarte"
    assert "did not meet" in found[0].reason
    row = next(r for r in coverage_matrix(arts) if r["kind"] == "meeting")
    assert "Ana Duarte" in row["a"] and "Ana Duarte" in row["b"] and row["c"] is None


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_invented_case(case: dict, tmp_path: Path) -> None:
    arts = _set(tmp_path / "case", {k: f"Headline\n\n{v}\n" for k, v in case["articles"].items()})
    found = find_contradictions(arts)
    got = {(c.a.article_id, c.b.article_id, c.verdict) for c in found}
    assert got == {tuple(e) for e in case["expect"]}
    for c in found:
        assert c.shared and all(w in c.reason for w in c.shared[:2])


def test_change_over_time_only_when_asked(tmp_path: Path) -> None:
    case = next(c for c in CASES if "toll that rose" in c["name"])
    arts = _set(tmp_path / "toll", {k: f"Headline\n\n{v}\n" for k, v in case["articles"].items()})
    changes = find_contradictions(arts, include_changes=True)
    assert [c.verdict for c in changes] == ["changed over time"]
    assert "changed over time" in changes[0].reason


def test_reprints_are_compared_once_and_stay_linear(tmp_path: Path) -> None:
    # 200 articles, two wordings of one claim: findings grow with articles, not pairs.
    texts = {
        f"a{i:03d}": "Visit\n\nThe envoy of Brill arrived in Corran on "
        f"{'Monday' if i % 2 else 'Tuesday'}.\n"
        for i in range(200)
    }
    found = find_contradictions(_set(tmp_path / "reprints", texts))
    assert 0 < len(found) <= 2 * 200


def test_coverage_reads_as_a_person_writes(tmp_path: Path) -> None:
    arts = _set(
        tmp_path / "cover",
        {
            "a": "Mill vote\n\nThe Dunmore town council voted 6-3 on Tuesday to spend $4.5 million "
            "on retraining for mill workers.\n",
            "b": "Mill aid\n\nDunmore councillors approved a $5.4 million retraining package for "
            "mill workers on Tuesday. The council vote was 7-2.\n",
            "c": "Museum\n\nThe town museum reopened with 12 new rooms.\n",
        },
    )
    m = coverage_matrix(arts)
    kinds = {r["kind"]: r for r in m}
    assert set(kinds) <= {"day", "money", "vote count", "number", "how long", "ranking"}
    tally, money = kinds["vote count"], kinds["money"]
    assert (tally["a"], tally["b"], tally["c"], tally["agree"]) == ("6-3", "7-2", None, "No")
    assert (money["a"], money["b"], money["agree"]) == ("$4.5 million", "$5.4 million", "No")
    assert kinds["day"]["agree"] == "Yes"
    for r in m:
        assert "(opening sentence)" not in r["fact"] and r["fact"][:1].islower()
        assert r["c"] is None  # the museum story shares no fact with the other two
    assert len({r["fact"] for r in m}) == len(m)
    assert coverage_matrix(arts, min_articles=3) == []


def test_pending_deal_is_a_change_not_a_contradiction(tmp_path: Path) -> None:
    case = next(c for c in CASES if "pending deal" in c["name"])
    arts = _set(tmp_path / "deal", {k: f"Headline\n\n{v}\n" for k, v in case["articles"].items()})
    changes = find_contradictions(arts, include_changes=True)
    assert [(c.verdict, _evidence_ok(arts, c.b)) for c in changes] == [
        ("changed over time", "15 hospitals")
    ]


def test_two_figures_in_one_sentence_pair_by_their_own_clause(tmp_path: Path) -> None:
    arts = _set(
        tmp_path / "clauses",
        {
            "a": "Hospital sale\n\nThe board approved the sale of Tarrow General. It requires the "
            "buyer to keep the emergency department open for at least 10 years and its maternity "
            "unit open for at least three years.\n",
            "b": "Deal approved\n\nRegulators approved the Tarrow General sale. The buyer must "
            "keep the emergency room open for 10 years and the birthing center open for five "
            "years.\n",
        },
    )
    found = find_contradictions(arts)
    assert [(_evidence_ok(arts, c.a), _evidence_ok(arts, c.b)) for c in found] == [
        ("at least three years", "five years")
    ]


def test_synonym_groups_fold_troops_and_movement_over_a_place(tmp_path: Path) -> None:
    """The words around two figures about the same people or the same flight meet."""
    from kit.figures import find_claims

    (tmp_path / "a.txt").write_text("One\n\nNine soldiers flew over Ostby on Monday.\n")
    (tmp_path / "b.txt").write_text("Two\n\nEleven troops drifted across Ostby on Sunday.\n")
    arts = load_articles(tmp_path)

    def words(aid: str, kind: str) -> set[str]:
        claim = next(c for c in find_claims(arts[aid]) if c.kind == kind)
        return {w for w, _ in claim.context}

    assert len(words("a", "day") & words("b", "day")) == 2  # Ostby, and the movement
    assert len(words("a", "count") & words("b", "count")) == 3  # and the people


def test_two_word_synonyms_fold_like_one_word(tmp_path: Path) -> None:
    """ "service members" counts the same people as "soldiers"; "fallen" counts the dead."""
    from kit.figures import find_claims

    (tmp_path / "a.txt").write_text("One\n\nTwelve service members died in Ostby.\n")
    (tmp_path / "b.txt").write_text("Two\n\nHonour the 13 fallen soldiers of Ostby.\n")
    arts = load_articles(tmp_path)
    a, b = ({w for w, _ in find_claims(arts[i])[0].context} for i in ("a", "b"))
    assert {"troop", "death"} <= a & b


@pytest.mark.parametrize(
    "first",
    [
        # the nearer of two opposite words says what a count counts, though "killed" is in
        # the sentence of 15 too
        "12 miners were killed in the Ostby blast and 15 more were injured.",
        # a tie ("killed" and "injured" both one word from 15) is broken by the joining
        # word: "killed" sits in the clause of the 12, before "and"
        "In the Ostby blast 12 miners were killed and 15 were injured.",
    ],
    ids=["nearer word", "joining word breaks a tie"],
)
def test_the_opposite_word_of_its_own_clause_says_what_a_count_counts(
    tmp_path: Path, first: str
) -> None:
    """15 counts the injured, so it is never set against another text's 13 dead; 12 is."""
    from kit.compare import _opposed
    from kit.figures import find_claims

    second = "The blast killed more than 100 people, including 13 miners from Ostby."
    arts = _set(tmp_path, {"a": f"One\n\n{first}\n", "b": f"Two\n\n{second}\n"})
    claims = {c.value: c for aid in ("a", "b") for c in find_claims(arts[aid])}
    assert _opposed(claims[15], claims[13])
    assert not _opposed(claims[12], claims[13])
    found = find_contradictions(arts)
    assert [arts["a"].text[c.a.start : c.a.end].split()[0] for c in found] == ["12"]


def test_a_rough_number_says_what_it_allows(tmp_path: Path) -> None:
    arts = _set(
        tmp_path / "rough",
        {
            "a": "Fire\n\nThe fire destroyed hundreds of homes in Vell county.\n",
            "b": "Fire\n\nNearly 3,000 homes were destroyed by the fire in Vell county.\n",
        },
    )
    (c,) = find_contradictions(arts)
    assert _evidence_ok(arts, c.a) == "hundreds of homes"
    assert "“hundreds” means fewer than 1,000" in c.reason
    assert "“nearly 3,000” is more than that" in c.reason
