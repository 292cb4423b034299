"""Lateral reading: claims from the detectors, coverage by alignment, desk search, marking,
answers saved and shown again, and article or desk text never read as markup."""

from __future__ import annotations

from pathlib import Path

import pytest

import kit
from kit.keys import Citation, ReferenceFact
from kit.lateral import (
    COVERAGE_CHOICES,
    SOURCE_CHOICES,
    STOP_CHOICES,
    VERDICTS,
    ClaimToCheck,
    LateralReading,
    OtherReport,
    claim_html,
    claims_to_check,
    coverage_for,
    facts_html,
    lateral_reading,
    mark_coverage,
    mark_source,
    mark_stop,
    mark_trace,
    no_desk_message,
    others_html,
    search_desk,
)
from kit.reference import ReferenceDesk, reference_desk
from tests.conftest import SEED_SET, seed_articles, seed_key

HARBOUR = Path(__file__).parent / "fixtures" / "sets" / "harbour-bridge"
HOSTILE = "<script>alert(1)</script>"


def _sets() -> list[kit.ArticleSet]:
    return [seed_articles(), kit.load_articles(HARBOUR)]


def _write_set(folder: Path, files: dict[str, str]) -> kit.ArticleSet:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return kit.load_articles(folder)


@pytest.fixture
def hostile_set(tmp_path) -> kit.ArticleSet:
    """Two articles that disagree on a day; the first carries markup in its text."""
    return _write_set(
        tmp_path / "hostile-set",
        {
            "alpha": f"Bridge {HOSTILE} to close\n\nThe Harbour Street bridge will close on "
            f"Monday for repairs to its cables {HOSTILE}.\n\nRepairs will cost $4 million "
            "<img src=x onerror=alert(2)>.\n",
            "beta": "Council shuts bridge\n\nThe Harbour Street bridge will close on Tuesday "
            "for repairs to its cables.\n\nThe council said repairs would cost $4 million.\n",
        },
    )


def _desk(*facts: ReferenceFact, name: str = "test-desk") -> ReferenceDesk:
    return ReferenceDesk(name, tuple(facts))


def _fact(fact_id: str, topic: str, finding: str, status: str = "confirmed") -> ReferenceFact:
    source = Citation("City Engineering Office", "Bridge notice", "2024-03-01", "https://e.test/n")
    return ReferenceFact(fact_id, topic, finding, status, (source,))


def _progress(folder: Path, learner: str = "ana"):
    from kit.progress import open_progress

    return open_progress(learner, folder=folder)


# --------------------------------------------------------------------------- the claim list


@pytest.mark.parametrize("articles", _sets(), ids=lambda s: s.path.name)
def test_claims_point_into_the_text_and_are_sorted(articles):
    claims = claims_to_check(articles)
    assert claims, "the detectors find something to check in every test set"
    order = {a.id: i for i, a in enumerate(articles)}
    for c in claims:
        text = articles[c.article_id].text
        assert text[c.start : c.end] == c.words and c.words.strip()
        assert c.sentence[0] <= c.start < c.end <= c.sentence[1] <= len(text)
        assert c.kind in ("unsourced figure", "contradiction")
        assert {o.article_id for o in c.others} == set(articles.ids) - {c.article_id}
    keys = [(not c.others_report, order[c.article_id], c.start) for c in claims]
    assert keys == sorted(keys), "claims other articles report come first, then text order"
    assert len({c.id for c in claims}) == len(claims)


@pytest.mark.parametrize("articles", _sets(), ids=lambda s: s.path.name)
def test_claims_are_the_unsourced_figures_and_the_contradictions(articles):
    claims = claims_to_check(articles)
    # every contradiction is checked: by a claim on one side, the other side disagreeing, or
    # by the one claim about the same fact, where both sides show as other coverage
    for con in kit.find_contradictions(articles):
        pair = {con.a.article_id, con.b.article_id}
        on_a_side = [
            c
            for c in claims
            if (c.article_id, c.start) in {(e.article_id, e.start) for e in (con.a, con.b)}
        ]
        both_shown = [
            c
            for c in claims
            if pair <= {c.article_id} | {o.article_id for o in c.others if o.says}
            and any(o.relation == "disagrees" for o in c.others)
        ]
        assert on_a_side or both_shown, f"no claim for the contradiction about {con.fact}"
        for c in on_a_side:
            (other,) = pair - {c.article_id}
            assert next(o for o in c.others if o.article_id == other).relation == "disagrees"
    # a claim is never a figure the article credits to a named source, unless contradicted
    for c in claims:
        if c.kind == "unsourced figure":
            assert not c.credited


def test_one_claim_per_fact(articles):
    claims = claims_to_check(articles)
    for row in kit.coverage_matrix(articles):
        cells = {(aid, " ".join(str(row[aid]).split()).casefold()) for aid in articles.ids}
        tied = [c for c in claims if (c.article_id, " ".join(c.words.split()).casefold()) in cells]
        assert len(tied) <= 1, f"the fact {row['fact']!r} gives {len(tied)} claims"


def test_claims_other_articles_report_come_first(articles):
    claims = claims_to_check(articles)
    assert claims[0].others_report
    reported = [c.others_report for c in claims]
    assert reported == sorted(reported, reverse=True)


def test_a_set_with_nothing_to_check(tmp_path):
    quiet = _write_set(tmp_path / "quiet", {"only": "Calm\n\nNothing happened here at all.\n"})
    assert claims_to_check(quiet) == []
    task = LateralReading(quiet, _desk(), progress=None)
    assert "found no unsourced figures or contradictions" in task.text()
    task.widget()  # builds without a claim to show


# --------------------------------------------------------------------------- coverage


def test_coverage_finds_the_other_articles_sentence(hostile_set):
    claim = next(c for c in claims_to_check(hostile_set) if c.words == "Monday")
    (other,) = coverage_for(claim, hostile_set)
    beta = hostile_set["beta"]
    assert other.article_id == "beta" and other.relation == "disagrees"
    assert other.says == "Tuesday" and "Monday" in other.reason
    assert beta.text[slice(*other.sentence)].startswith("The Harbour Street bridge will close")
    assert other.sentence[0] <= beta.text.index("Tuesday") < other.sentence[1]


def test_coverage_says_when_another_article_agrees(hostile_set):
    claim = next(c for c in claims_to_check(hostile_set) if c.words == "$4 million")
    (other,) = claim.others
    assert other.relation == "agrees" and other.says == "$4 million"
    assert hostile_set["beta"].text[slice(*other.sentence)].startswith("The council said")


@pytest.mark.parametrize("articles", _sets(), ids=lambda s: s.path.name)
def test_coverage_sentences_hold_the_other_articles_words(articles):
    for claim in claims_to_check(articles):
        assert list(claim.others) == coverage_for(claim, articles)
        for o in claim.others:
            if o.relation == "does not mention it":
                assert o.says is None and o.sentence is None
            else:
                text = articles[o.article_id].text
                assert o.says and o.says in text[slice(*o.sentence)]


# --------------------------------------------------------------------------- the desk


def test_desk_search_all_words_first_then_most_words():
    closing = _fact("closing", "When the bridge closes", "It closes on Monday, March 3.")
    cost = _fact("cost", "What the repairs cost", "The repairs cost about $4 million.")
    desk = _desk(closing, cost)
    assert search_desk(desk, "bridge closes") == [closing]
    assert search_desk(desk, "REPAIRS") == [cost]
    assert search_desk(desk, "repairs bridge tomorrow") == [closing, cost]
    assert search_desk(desk, "the repairs cost zebra") == [cost, closing]
    assert search_desk(desk, "zebra") == []
    assert search_desk(desk, "  ") == []


def test_every_seed_desk_fact_is_found_by_its_own_topic():
    desk = reference_desk(SEED_SET)
    for fact in desk.facts:
        assert fact in search_desk(desk, fact.topic)


def test_desk_text_is_shown_escaped_with_addresses_as_text():
    fact = ReferenceFact(
        "x",
        f"topic {HOSTILE}",
        f"finding {HOSTILE}",
        "disputed",
        (Citation(f"pub {HOSTILE}", f"title {HOSTILE}", "2024", "https://e.test/?a=<u>"),),
    )
    shown = facts_html([fact])
    assert "<script>" not in shown and "<u>" not in shown and "&lt;script&gt;" in shown
    assert "<a " not in shown, "sources are shown as text, never linked or fetched"
    assert "https://e.test/?a=&lt;u&gt;" in shown


def test_no_desk_message_names_the_file_an_instructor_adds():
    message = no_desk_message("harbour-bridge")
    assert "no reference desk" in message and "data/reference/harbour-bridge.toml" in message
    for field in ("[[fact]]", "[[fact.source]]", "confirmed", "disputed", "unverifiable"):
        assert field in message


# --------------------------------------------------------------------------- marking


def test_stop_when_the_page_does_not_say_who_published_it(hostile_set):
    page = hostile_set["alpha"]
    assert page.outlet == kit.UNKNOWN
    assert mark_stop(page, STOP_CHOICES[0]).mark == "not quite"
    assert mark_stop(page, STOP_CHOICES[1]).mark == "right"
    assert mark_stop(page, STOP_CHOICES[2]).mark == "right"
    assert mark_stop(page, None).mark == "not marked"


def test_stop_when_the_page_names_its_outlet():
    named = next(a for a in seed_articles() if a.outlet != kit.UNKNOWN)
    assert mark_stop(named, STOP_CHOICES[2]).mark == "not quite"
    result = mark_stop(named, STOP_CHOICES[1])
    assert result.mark == "your call" and named.outlet in result.message


@pytest.mark.parametrize(
    ("source", "credited", "expected"),
    [("Dana Okafor", True, 0), ("officials", False, 1), (None, False, 2)],
)
def test_investigate_marks_who_the_article_credits(source, credited, expected):
    claim = ClaimToCheck("x@0", "x", 0, 3, "40%", (0, 9), "unsourced figure", source, credited)
    for n, choice in enumerate(SOURCE_CHOICES):
        result = mark_source(claim, choice)
        assert result.mark == ("right" if n == expected else "not quite")
        if source:
            assert source in result.message


def test_coverage_marking_one_disagreement_is_enough():
    silent = OtherReport("c", "unknown", "does not mention it")
    agree = OtherReport("b", "unknown", "agrees", "Monday", (0, 5))
    against = OtherReport("d", "unknown", "disagrees", "Tuesday", (0, 5), "why")
    cases = [([silent], 2), ([silent, agree], 0), ([agree, against, silent], 1)]
    for others, expected in cases:
        for n, choice in enumerate(COVERAGE_CHOICES):
            assert mark_coverage(others, choice).mark == ("right" if n == expected else "not quite")


def test_trace_by_the_status_of_the_chosen_fact():
    sure = _fact("sure", "Closing day", "Monday.", "confirmed")
    split = _fact("split", "Cost", "Reports differ.", "disputed")
    nobody = ReferenceFact("none", "Insiders", "Nothing public.", "unverifiable")
    desk = _desk(sure, split, nobody)
    assert mark_trace("can't be checked", "why", nobody, desk=desk).mark == "right"
    assert mark_trace("confirmed", "why", nobody, desk=desk).mark == "not quite"
    assert mark_trace("disputed", "why", split, desk=desk).mark == "right"
    assert mark_trace("confirmed", "why", split, desk=desk).mark == "not quite"
    assert mark_trace("can't be checked", "why", sure, desk=desk).mark == "not quite"
    # a confirmed fact: whether the claim says the same is for the learner to compare
    result = mark_trace("disputed", "why", sure, desk=desk)
    assert result.mark == "your call" and "Monday." in result.message
    assert mark_trace("can't be checked", "why", None, desk=desk).mark == "your call"
    assert mark_trace("confirmed", "why", None, desk=desk).mark == "not marked"
    assert "one-line reason" in mark_trace("disputed", " ", split, desk=desk).message
    assert "one-line reason" not in mark_trace("disputed", "why", split, desk=desk).message


def test_trace_without_a_desk_is_not_marked():
    for verdict in VERDICTS:
        result = mark_trace(verdict, "why", None, desk=_desk(name="harbour-bridge"))
        assert result.mark == "not marked"
        assert "data/reference/harbour-bridge.toml" in result.message


def test_trace_against_the_answer_keys_verdict():
    articles, key = seed_articles(), seed_key()
    task = LateralReading(articles, reference_desk(SEED_SET), progress=None, answer_key=key)
    expected = {"accurate": 0, "false": 1, "misleading": 1, "unverifiable": 2}
    keyed = [(c, task.keyed(c)) for c in task.claims if task.keyed(c) is not None]
    assert keyed, "the seed key gives verdicts on some of the claims"
    for claim, item in keyed:
        assert item.article_id == claim.article_id
        assert item.start < claim.end and claim.start < item.end
        for n, verdict in enumerate(VERDICTS):
            result = mark_trace(verdict, "why", None, desk=task.desk, keyed=item)
            assert result.mark == ("right" if n == expected[item.verdict] else "not quite")
            assert item.explanation in result.message


# --------------------------------------------------------------------------- saving


def _answer_everything(task: LateralReading) -> dict[str, str]:
    c = task.controls
    c["stop"].value = STOP_CHOICES[2]
    c["investigate"].value = SOURCE_CHOICES[2]
    c["coverage"].value = COVERAGE_CHOICES[1]
    if "search" in c:
        c["search"].value = "bridge"
        c["fact"].value = task.desk.facts[0].id
    c["verdict"].value = VERDICTS[1]
    c["reason"].value = "the council notes give another day"
    return {name: control.value for name, control in c.items()}


def test_every_answer_is_saved_at_once_and_shown_again(hostile_set, tmp_path):
    desk = _desk(_fact("closing", "When the bridge closes", "It closes on Tuesday."))
    task = lateral_reading(hostile_set, desk, progress=_progress(tmp_path))
    task.widget()
    claim = task.select("alpha@" + str(hostile_set["alpha"].text.index("Monday")))
    given = _answer_everything(task)
    assert task.feedback["saved"].value.count("Saved.") == 1

    again = _progress(tmp_path)  # a fresh kernel reads the file again
    saved = again.get("lateral", f"hostile-set/{claim.id}")
    assert saved["article"] == "alpha" and saved["claim"] == "Monday"
    assert {k: saved[k] for k in given} == given

    restored = lateral_reading(hostile_set, desk, progress=again)
    restored.widget()
    restored.select(claim.id)
    assert {name: c.value for name, c in restored.controls.items()} == given
    assert "Tuesday" in restored.feedback["coverage"].value  # feedback shows again too
    assert restored.feedback["stop"].value and restored.feedback["trace"].value


def test_answers_of_one_claim_stay_with_that_claim(hostile_set, tmp_path):
    task = lateral_reading(hostile_set, _desk(), progress=_progress(tmp_path))
    task.widget()
    first, second = task.claims[0], task.claims[1]
    task.select(first.id)
    task.controls["stop"].value = STOP_CHOICES[0]
    task.select(second.id)
    assert task.controls["stop"].value is None
    task.select(first.id)
    assert task.controls["stop"].value == STOP_CHOICES[0]


def test_odd_saved_values_are_ignored_not_trusted(hostile_set, tmp_path):
    progress = _progress(tmp_path)
    task = lateral_reading(hostile_set, _desk(), progress=progress)
    claim = task.claims[0]
    progress.put("lateral", task.progress_key(claim), {"stop": "<b>made up</b>", "reason": 7})
    task.widget()
    assert task.controls["stop"].value is None and task.controls["reason"].value == ""
    progress.put("lateral", task.progress_key(claim), ["not", "a", "table"])
    assert task.answers(claim) == {}


def test_without_a_progress_file_answers_are_kept_for_the_session(hostile_set):
    task = LateralReading(hostile_set, _desk(), progress=None, problem="cannot save")
    task.widget()
    task.controls["coverage"].value = COVERAGE_CHOICES[0]
    assert "cannot save" in task.feedback["saved"].value
    assert task.answers(task.claims[0])["coverage"] == COVERAGE_CHOICES[0]


# --------------------------------------------------------------------------- showing


def test_article_text_is_escaped_everywhere(hostile_set):
    task = LateralReading(hostile_set, _desk(), progress=None)
    root = task.widget()
    for claim in task.claims:
        task.select(claim.id)
        html_parts = [w.value for w in _all_widgets(root) if type(w).__name__ == "HTML"]
        joined = "".join(html_parts)
        assert "<script>" not in joined and "<img" not in joined
    alpha_claim = next(c for c in task.claims if c.article_id == "alpha")
    shown = claim_html(alpha_claim, hostile_set["alpha"])
    assert "&lt;script&gt;" in shown and "<mark>" in shown
    beta_side = ClaimToCheck(
        "beta@0",
        "beta",
        0,
        1,
        "C",
        (0, 5),
        "contradiction",
        others=(OtherReport("alpha", "unknown", "disagrees", "Monday", alpha_claim.sentence),),
    )
    assert "&lt;script&gt;" in others_html(beta_side, hostile_set)


def _all_widgets(root):
    yield root
    for child in getattr(root, "children", ()):
        yield from _all_widgets(child)


def test_plain_text_when_there_is_no_widget_front_end(hostile_set):
    task = LateralReading(hostile_set, _desk(), progress=None)
    bundle = task._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    text = bundle["text/plain"]
    assert text == task.text() == repr(task)
    for move in ("Stop", "Investigate the source", "Find better coverage", "Trace"):
        assert move in text
    assert task.claims[0].words in text


def test_a_set_without_a_reference_desk(tmp_path):
    articles = kit.load_articles(HARBOUR)
    task = lateral_reading(articles, progress=_progress(tmp_path))
    assert task.desk.facts == () and task.answer_key is None
    assert "data/reference/harbour-bridge.toml" in task.text()
    task.widget()
    assert "search" not in task.controls and "fact" not in task.controls
    task.controls["verdict"].value = VERDICTS[2]
    assert "ℹ" in task.feedback["trace"].value  # shown, not marked
    assert "data/reference/harbour-bridge.toml" in task.feedback["trace"].value
    task.controls["coverage"].value = COVERAGE_CHOICES[1]
    assert "✔" in task.feedback["coverage"].value  # step 3 is marked by the kit's alignment


def test_a_set_with_a_desk_searches_it(tmp_path):
    task = lateral_reading(seed_articles(), progress=_progress(tmp_path))
    assert task.desk.set_name == SEED_SET and task.desk.facts
    task.widget()
    fact = task.desk.facts[0]
    task.controls["search"].value = fact.topic
    results = [w for w in _all_widgets(task.widget()) if type(w).__name__ == "HTML"]
    assert any(fact.sources[0].url in w.value for w in results)


def test_lateral_reading_wants_an_article_set():
    with pytest.raises(TypeError, match="article set"):
        lateral_reading(list(seed_articles()))


def test_the_kit_offers_it_lazily():
    assert kit.lateral_reading is lateral_reading and kit.LateralReading is LateralReading


class _FullDisk:
    """A progress file whose every write fails, as on a full disk."""

    def get(self, section, key, default=None):
        return default

    def put(self, section, key, value):
        raise OSError(28, "No space left on device")


def test_a_failed_save_is_said_and_the_answer_kept(hostile_set):
    task = LateralReading(hostile_set, _desk(), progress=_FullDisk())
    task.widget()
    claim = task.claims[0]
    task.controls["stop"].value = STOP_CHOICES[1]
    assert "Not saved" in task.feedback["saved"].value
    assert "No space left" in task.feedback["saved"].value
    task.select(task.claims[1].id)
    task.select(claim.id)
    assert task.controls["stop"].value == STOP_CHOICES[1]


def test_a_broken_progress_file_is_set_aside_and_the_task_still_saves(
    hostile_set, tmp_path, monkeypatch
):
    from kit.progress import open_progress

    monkeypatch.setenv("KIT_ANNOTATIONS_DIR", str(tmp_path))
    path = open_progress().path
    path.write_text("{ not json", encoding="utf-8")
    task = lateral_reading(hostile_set, _desk())
    assert task.progress is not None and str(path) in task.problem
    (aside,) = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert aside.read_text(encoding="utf-8") == "{ not json", "the learner's file is kept"
    assert task.problem in task.text()
    task.widget()
    task.controls["stop"].value = STOP_CHOICES[1]
    assert open_progress().get("lateral", task.progress_key(task.claims[0]))["stop"]


def test_a_source_the_sentence_names_but_the_kit_does_not_tie_to_the_claim():
    claim = ClaimToCheck(
        "x@0",
        "x",
        0,
        9,
        "six weeks",
        (0, 60),
        "unsourced figure",
        nearby=(("engineers", "anonymous"),),
    )
    assert mark_source(claim, SOURCE_CHOICES[2]).mark == "right"
    vague = mark_source(claim, SOURCE_CHOICES[1])
    assert vague.mark == "your call" and "engineers" in vague.message
    assert mark_source(claim, SOURCE_CHOICES[0]).mark == "not quite"


@pytest.mark.parametrize("articles", _sets(), ids=lambda s: s.path.name)
def test_nearby_sources_sit_in_the_claims_sentence(articles):
    attributions = {a.id: kit.find_attributions(a) for a in articles}
    for claim in claims_to_check(articles):
        for source, kind in claim.nearby:
            assert source != claim.source
            assert any(
                x.source == source
                and x.kind == kind
                and claim.sentence[0] <= x.start < claim.sentence[1]
                for x in attributions[claim.article_id]
            )
