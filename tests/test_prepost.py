"""Tests for kit.prepost: scored pre- and post-checks per lesson, on new text, and the gains."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

import pytest

import kit
from kit._data import data_dir
from kit.prepost import (
    CheckFileError,
    class_gains,
    gain_text,
    lessons_with_checks,
    load_checks,
    post_check,
    pre_check,
    record,
    score,
)
from kit.progress import open_progress, read_progress_file
from tests.factories import REPO

SHIPPED = lessons_with_checks()


# --------------------------------------------------------------------------- the shipped items


def test_lessons_one_to_five_have_checks():
    assert SHIPPED == ["01", "02", "03", "04", "05"]


@pytest.mark.parametrize("lesson", SHIPPED)
def test_every_shipped_file_is_valid_and_pre_and_post_differ(lesson):
    checks = load_checks(lesson)
    assert 3 <= len(checks.pre) <= 4 and 3 <= len(checks.post) <= 4
    for item in checks.pre + checks.post:
        assert item.answer in item.options and len(set(item.options)) == len(item.options)
        assert item.why and item.question.endswith("?")
        assert 1 <= len(re.findall(r"[.!?][\"”]?(?:\s|$)", item.passage)) <= 3, item.passage
        assert set(item.hints) <= set(item.options) - {item.answer}
    for what in ("id", "passage", "story", "outlet"):
        pre = {getattr(i, what) for i in checks.pre}
        post = {getattr(i, what) for i in checks.post}
        assert not pre & post, f"lesson {lesson}: pre and post share a {what}"


@pytest.mark.parametrize("lesson", SHIPPED)
def test_the_right_answer_is_not_given_away_by_its_place_or_length(lesson):
    checks = load_checks(lesson)
    items = checks.pre + checks.post
    places = Counter(i.options.index(i.answer) for i in items)
    assert len(places) >= 3 and max(places.values()) <= len(items) / 2, places
    longest = sum(max(i.options, key=len) == i.answer for i in items)
    assert longest <= len(items) / 4, f"lesson {lesson}: the answer is the longest option too often"


@pytest.mark.parametrize("lesson", SHIPPED)
def test_each_file_says_its_passages_are_invented_and_how_to_edit_it(lesson):
    head = (data_dir() / "checks" / f"lesson-{lesson}.toml").read_text(encoding="utf-8")
    comments = "\n".join(line for line in head.splitlines() if line.startswith("#"))
    assert "INVENTED" in comments and "made up" in comments
    assert "To edit or add an item" in comments and "Transfer" in comments


SEED_WORDS = re.compile(r"\b(china|chinese|canada|canadian|carney|beijing)\b", re.I)
ARTICLE_LETTER = re.compile(r"\barticles? [A-E]\b")


def _course_texts() -> list[str]:
    folders = [*(data_dir() / "articles").glob("*/"), *(REPO / "tests/fixtures/sets").glob("*/")]
    return [
        p.read_text(encoding="utf-8", errors="replace") for f in folders for p in f.rglob("*.txt")
    ]


def _shingles(text: str, n: int = 9) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.casefold())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


# Two or more capitalised words in a row: a person, a place, an outlet ("Lena Marwood").
_NAME = re.compile(r"\b[A-Z][a-z]+(?:\.? [A-Z][a-z]+)+\b")
_NOT_NAMES = {"Not Quite"}


def test_no_item_mentions_the_seed_story_or_its_articles():
    for lesson in SHIPPED:
        path = data_dir() / "checks" / f"lesson-{lesson}.toml"
        text = path.read_text(encoding="utf-8")
        assert not SEED_WORDS.search(text), f"{path.name}: {SEED_WORDS.search(text).group()}"
        assert not ARTICLE_LETTER.search(text), f"{path.name}: {ARTICLE_LETTER.search(text)}"


def test_no_passage_is_taken_from_the_courses_articles():
    """Transfer: no run of nine words from any article the kit ships (shorter runs are stock
    phrases of news writing, such as "who asked not to be named because she")."""
    course = set().union(*(_shingles(t) for t in _course_texts()))
    for lesson in SHIPPED:
        checks = load_checks(lesson)
        for item in checks.pre + checks.post:
            shared = _shingles(item.passage) & course
            assert not shared, f"lesson {lesson}, {item.id}: {' '.join(sorted(shared)[0])!r}"


def test_no_invented_name_or_outlet_is_one_the_courses_articles_use():
    course = " ".join(_course_texts())
    for lesson in SHIPPED:
        checks = load_checks(lesson)
        for item in checks.pre + checks.post:
            names = set(_NAME.findall(item.passage)) | {item.outlet}
            for name in names - _NOT_NAMES:
                assert name not in course, f"lesson {lesson}, {item.id}: {name!r} is in an article"


def test_no_story_or_outlet_returns_in_another_lessons_post_check():
    """A post-check's stories and outlets are new to the learner in every lesson before it."""
    seen: set[str] = set()
    for lesson in SHIPPED:
        checks = load_checks(lesson)
        for item in checks.post:
            assert item.outlet not in seen, f"{item.id}: the outlet {item.outlet!r} was seen"
        seen |= {i.outlet for i in checks.pre + checks.post}


# --------------------------------------------------------------------------- the loader

_GOOD = """\
# A test check file.
[check]
lesson = "01"
skill = "Who is the source?"

[[pre]]
id = "p1"
story = "a story about a fair"
outlet = "Test Times"
passage = "The fair opens on Friday, the organisers said."
question = "Who is the source?"
options = ["A named person", "A named organization", "The organisers"]
answer = "The organisers"
why = "They are said to have said it."

[[post]]
id = "q1"
story = "a story about a bridge"
outlet = "Test Radio"
passage = "The bridge reopens on Monday."
question = "Who is the source?"
options = ["A named person", "No source is given"]
answer = "No source is given"
why = "Nobody is given."
hints = { "A named person" = "Is anyone named?" }
"""


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    """An empty data folder for check files; KIT_DATA_DIR points at it."""
    (tmp_path / "checks").mkdir()
    monkeypatch.setenv("KIT_DATA_DIR", str(tmp_path))
    return tmp_path


def _write(data: Path, text: str, lesson: str = "01") -> Path:
    path = data / "checks" / f"lesson-{lesson}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_loads(data):
    _write(data, _GOOD)
    checks = load_checks(1)
    assert [i.id for i in checks.pre] == ["p1"] and checks.post[0].hints == {
        "A named person": "Is anyone named?"
    }


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (('why = "Nobody is given."\n', ""), "post item 1 ('q1'): missing 'why'"),
        (('answer = "The organisers"', 'answer = "Them"'), "pre item 1 ('p1'): the answer 'Them'"),
        (('id = "q1"', 'id = "p1"'), "post item 'p1': the id is used twice"),
        (
            (
                'passage = "The bridge reopens on Monday."',
                'passage = "The fair  opens on Friday, the organisers said."',
            ),
            "post item 'q1' shares its passage with pre item 'p1'",
        ),
        (
            ('story = "a story about a bridge"', 'story = "A story about a fair"'),
            "shares its story",
        ),
        (('outlet = "Test Radio"', 'outlet = "Test Times"'), "shares its outlet"),
        (('why = "Nobody is given."', 'why = "x"\nwhy_not = "y"'), "unknown key 'why_not'"),
        (('"A named person" = "Is', '"No source is given" = "Is'), "not for a wrong option"),
        (
            ('options = ["A named person", "No source is given"]', 'options = "A, B"'),
            "'options' should be a list",
        ),
        (('lesson = "01"', 'lesson = "02"'), "[check] should say lesson = '01'"),
        (('id = "p1"', 'id = "P 1"'), "'id' should be short"),
        (("[[post]]", "[[later]]"), "needs 1 to 10 [[post]] items"),
        (
            ('passage = "The bridge reopens on Monday."', 'passage = ""'),
            "'passage' should be non-empty",
        ),
        (("[check]", "[check"), "not valid TOML"),
    ],
)
def test_a_bad_file_is_refused_naming_the_file_the_item_and_the_problem(data, change, words):
    old, new = change
    assert old in _GOOD
    path = _write(data, _GOOD.replace(old, new, 1))
    with pytest.raises(CheckFileError) as err:
        load_checks("01")
    assert str(path) in str(err.value) and words in str(err.value), str(err.value)


def test_a_lesson_without_checks_names_the_file_and_the_lessons_that_have_them(data):
    _write(data, _GOOD)
    with pytest.raises(CheckFileError, match=r"lesson-09\.toml: no checks for lesson 09.*01"):
        load_checks("09")
    with pytest.raises(CheckFileError, match="two digits"):
        load_checks("first")


def test_a_broken_check_file_shows_in_plain_words_in_a_lesson(data):
    from kit.course import plain_error_html

    _write(data, "[check")
    with pytest.raises(CheckFileError) as err:
        pre_check("01")
    from kit._data import DataFileError
    from kit.course import _kit_errors

    assert isinstance(err.value, DataFileError) and DataFileError in _kit_errors()
    assert "lesson-01.toml" in plain_error_html(err.value)


# --------------------------------------------------------------------------- scoring and saving


def _answers(checks, phase: str, right: int) -> dict[str, str]:
    """The first ``right`` items answered right, the rest wrong."""
    out = {}
    for n, item in enumerate(checks.items(phase)):
        wrong = next(o for o in item.options if o != item.answer)
        out[item.id] = item.answer if n < right else wrong
    return out


def test_scoring_marks_each_item_and_explains_it():
    checks = load_checks("01")
    result = score(checks, "pre", _answers(checks, "pre", 1))
    assert (result.score, result.total) == (1, len(checks.pre))
    first, second = checks.pre[0], checks.pre[1]
    assert result.messages[0] == first.marker().check(first.answer).message
    assert result.messages[0].startswith("Yes.") and first.why in result.messages[0]
    assert result.messages[1].startswith("Not quite.") and second.why in result.messages[1]
    assert f"The answer: “{second.answer}”" in result.messages[1]
    blank = score(checks, "pre", {})
    assert blank.score == 0 and "did not choose" in blank.messages[0]


def test_a_hint_for_the_wrong_choice_is_shown():
    checks = load_checks("01")
    item = next(i for i in checks.pre if i.hints)
    option, nudge = next(iter(item.hints.items()))
    result = score(checks, "pre", {item.id: option})
    assert nudge in result.messages[checks.pre.index(item)]


def test_saving_keeps_the_first_try_and_the_latest(tmp_path):
    checks = load_checks("02")
    mine = open_progress("Test Learner", folder=tmp_path)
    record(score(checks, "pre", _answers(checks, "pre", 1)), mine)
    record(score(checks, "pre", _answers(checks, "pre", 3)), mine)
    saved = record(score(checks, "pre", _answers(checks, "pre", 2)), mine)
    _, sections = read_progress_file(mine.path)
    on_disk = sections["checks"]["02-pre"]
    assert on_disk == saved
    assert (on_disk["score"], on_disk["tries"], on_disk["first"]["score"]) == (2, 3, 1)
    assert set(on_disk) == {"answers", "correct", "score", "total", "time", "tries", "first"}
    assert on_disk["answers"] == _answers(checks, "pre", 2)
    assert "first" not in on_disk["first"]


def test_the_gain_is_first_pre_against_the_latest_post(tmp_path):
    checks = load_checks("03")
    mine = open_progress("Test Learner", folder=tmp_path)
    assert gain_text("03", mine) == ""
    record(score(checks, "post", _answers(checks, "post", 3)), mine)
    assert gain_text("03", mine) == (
        "You did not do the check at the start of this lesson, so there is no “before” score "
        f"to compare with. Now: 3 of {len(checks.post)}."
    )
    record(score(checks, "pre", _answers(checks, "pre", 2)), mine)
    record(score(checks, "pre", _answers(checks, "pre", 4)), mine)  # a second try does not count
    record(score(checks, "post", _answers(checks, "post", 4)), mine)
    assert gain_text("03", mine) == (
        f"Before the lesson: 2 of {len(checks.pre)}. Now: 4 of {len(checks.post)}."
    )


def test_a_hand_edited_record_is_ignored_not_fatal(tmp_path):
    mine = open_progress("Test Learner", folder=tmp_path)
    mine.put("checks", "01-pre", {"score": "lots", "total": 4})
    mine.put("checks", "01-post", {"score": 5, "total": 4})
    assert gain_text("01", mine) == ""
    assert "Saved" not in pre_check("01", progress=mine).text()


# --------------------------------------------------------------------------- the panel


def _click(panel, choices: dict[str, str | None]) -> str:
    """Choose answers in the panel's widget, press the button; the verdict's HTML."""
    import ipywidgets as w

    box = panel.widget()
    radios = [c for c in box.children if isinstance(c, w.RadioButtons)]
    for radio, item in zip(radios, panel.items, strict=True):
        radio.value = choices.get(item.id)
    button = next(c for c in box.children if isinstance(c, w.Button))
    assert button.description == "Score my answers"
    button.click()
    return box.children[-1].value


def test_the_panel_scores_saves_and_shows_the_gain(tmp_path):
    checks = load_checks("01")
    mine = open_progress("Test Learner", folder=tmp_path)
    shown = _click(pre_check("01", progress=mine), _answers(checks, "pre", 2))
    assert f"<b>2 of {len(checks.pre)}</b> right. Saved." in shown
    assert mine.get("checks", "01-pre")["score"] == 2

    after = post_check("01", progress=mine)
    shown = _click(after, _answers(checks, "post", 4))
    assert f"Before the lesson: 2 of {len(checks.pre)}. Now: 4 of {len(checks.post)}." in shown
    assert shown.count("<li>") == len(checks.post)
    assert all(i.why in shown.replace("&quot;", '"').replace("&#x27;", "'") for i in checks.post)


def test_after_a_restart_the_saved_score_shows_and_a_new_try_is_kept(tmp_path):
    checks = load_checks("04")
    mine = open_progress("Test Learner", folder=tmp_path)
    _click(pre_check("04", progress=mine), _answers(checks, "pre", 1))
    again = pre_check("04", progress=open_progress("Test Learner", folder=tmp_path))
    assert f"Saved: you scored 1 of {len(checks.pre)}" in again.text()
    assert "try again" in again.text()
    _click(again, _answers(checks, "pre", 3))
    third = pre_check("04", progress=open_progress("Test Learner", folder=tmp_path))
    assert f"3 of {len(checks.pre)} on your latest try (1 of {len(checks.pre)} on your first)" in (
        third.status()
    )


def test_every_question_must_be_answered_before_scoring(tmp_path):
    checks = load_checks("05")
    mine = open_progress("Test Learner", folder=tmp_path)
    answers = _answers(checks, "pre", 4)
    answers[checks.pre[1].id] = None
    shown = _click(pre_check("05", progress=mine), answers)
    assert "Answer every question first (still open: 2)" in shown
    assert mine.get("checks", "05-pre") is None


def test_a_broken_progress_file_is_named_and_the_check_still_works(tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_ANNOTATIONS_DIR", str(tmp_path))
    (tmp_path / "learner.progress.json").write_text("{broken", encoding="utf-8")
    panel = pre_check("01")
    text = panel.text()
    assert "learner.progress.corrupt-" in text and "A new, empty progress file" in text
    assert next(tmp_path.glob("learner.progress.corrupt-*")).read_text() == "{broken"
    checks = load_checks("01")
    shown = _click(panel, _answers(checks, "pre", 4))
    assert f"<b>{len(checks.pre)} of {len(checks.pre)}</b> right. Saved." in shown
    saved = read_progress_file(tmp_path / "learner.progress.json")[1]
    assert saved["checks"]["01-pre"]["score"] == len(checks.pre)


def test_a_folder_that_cannot_be_written_still_scores_and_says_nothing_is_saved(tmp_path):
    from kit.progress import ProgressError

    class Unwritable:
        def get(self, section, key, default=None):
            return default

        def put(self, section, key, value):
            raise ProgressError("ana.progress.json: cannot be written (permission denied)")

    panel = pre_check("01", progress=Unwritable())
    checks = load_checks("01")
    shown = _click(panel, _answers(checks, "pre", 4))
    assert "right." in shown and "could not be saved" in shown and "permission denied" in shown


def test_by_default_the_signed_in_learners_file_is_used(tmp_path, monkeypatch):
    from kit.annotations import remember_learner

    monkeypatch.setenv("KIT_ANNOTATIONS_DIR", str(tmp_path))
    remember_learner("Ana")
    checks = load_checks("02")
    _click(post_check("02"), _answers(checks, "post", 1))
    assert read_progress_file(tmp_path / "ana.progress.json")[1]["checks"]["02-post"]["score"] == 1


def test_without_a_widget_front_end_the_check_reads_as_text(tmp_path):
    checks = load_checks("03")
    panel = post_check("03", progress=open_progress("Test Learner", folder=tmp_path))
    text = repr(panel)
    assert text.startswith("Check yourself on new text (lesson 03)")
    for item in checks.post:
        assert item.question[:40] in text and f"“{item.outlet}”" in text
    assert "a) " in text and "invented for practice" in text
    bundle = panel._repr_mimebundle_()
    assert bundle["text/plain"] == text and "application/vnd.jupyter.widget-view+json" in bundle


def test_a_passage_is_shown_as_text_never_as_markup(data, tmp_path):
    hostile = _GOOD.replace(
        'passage = "The fair opens on Friday, the organisers said."',
        "passage = \"<script>alert('x')</script> The <b>fair</b> opens.\"",
    ).replace('outlet = "Test Times"', 'outlet = "<img src=x onerror=alert(1)>"')
    _write(data, hostile)
    panel = pre_check("01", progress=open_progress("Test Learner", folder=tmp_path / "p"))
    html_parts = [
        c.value for c in panel.widget().children if hasattr(c, "value") and isinstance(c.value, str)
    ]
    page = "".join(html_parts)
    assert "&lt;script&gt;" in page and "<script" not in page
    assert "<img" not in page and "&lt;img src=x" in page and "<b>fair" not in page
    shown = _click(panel, {"p1": "The organisers"})
    assert "<script" not in shown
    assert "<script>alert('x')</script>" in panel.text()  # plain text keeps the words as they are


# --------------------------------------------------------------------------- a class's gains


def _learner(folder: Path, name: str, lesson: str, pre: int | None, post: int | None) -> None:
    checks = load_checks(lesson)
    mine = open_progress(name, folder=folder)
    if pre is not None:
        record(score(checks, "pre", _answers(checks, "pre", pre)), mine)
    if post is not None:
        record(score(checks, "post", _answers(checks, "post", post)), mine)


def test_class_gains_for_two_learners_and_one_who_skipped_the_end(tmp_path):
    checks = load_checks("01")
    n_pre, n_post = len(checks.pre), len(checks.post)
    _learner(tmp_path, "Ana", "01", 1, 3)
    _learner(tmp_path, "Bea", "01", 2, 4)
    _learner(tmp_path, "Cy", "01", 0, None)
    _learner(tmp_path, "Ana", "01", 4, 4)  # second tries do not change the first
    (tmp_path / "dee.progress.json").write_text("{", encoding="utf-8")
    gains = class_gains(tmp_path)
    row = next(r for r in gains if r.lesson == "01")
    assert (row.learners, row.pre_only, row.post_only) == (2, 1, 0)
    assert math.isclose(row.pre_percent, 100 * (1 + 2) / 2 / n_pre)
    assert math.isclose(row.post_percent, 100 * (3 + 4) / 2 / n_post)
    assert math.isclose(row.gain, row.post_percent - row.pre_percent)
    per_item = {(p, i): (pct, n) for p, i, pct, n in row.items}
    first, second = checks.pre[0].id, checks.pre[1].id
    assert per_item[("pre", first)] == (pytest.approx(200 / 3), 3)  # Ana and Bea, not Cy
    assert per_item[("pre", second)] == (pytest.approx(100 / 3), 3)
    assert per_item[("post", checks.post[3].id)] == (50.0, 2)
    assert [name for name, _ in gains.skipped] == ["dee.progress.json"]
    other = next(r for r in gains if r.lesson == "02")
    assert other.learners == 0 and math.isnan(other.pre_percent)
    assert per_item[("pre", checks.pre[3].id)] == (0.0, 3)  # nobody got the last one right


def test_class_gains_html_is_escaped_and_titled_plainly(tmp_path):
    _learner(tmp_path, "Ana", "01", 1, 3)
    (tmp_path / "<b>x.progress.json").write_text("[]", encoding="utf-8")
    page = class_gains(tmp_path).to_html(items=True)
    assert "Pre- and post-checks" in page and "<b>x" not in page and "&lt;b&gt;x" in page
    assert "Learners with both" in page and "rough signal, not a measured effect" in page


def test_an_empty_folder_has_no_gains(tmp_path):
    gains = class_gains(tmp_path)
    assert not gains.any_data() and "No learner has done" in gains.to_html()
    assert not class_gains(tmp_path / "missing").any_data()


def test_the_class_view_and_report_show_the_gains(tmp_path, articles):
    from kit.report import class_report

    kit.open_store("Ana", folder=tmp_path).add(articles["A"], 0, 5, "framing-label")
    _learner(tmp_path, "Ana", "01", 1, 3)
    _learner(tmp_path, "Bea", "01", 2, 4)
    view = kit.class_view(tmp_path, articles)
    assert view.learners == ["ana"] and view.skipped == []
    assert "Pre- and post-checks" in view.to_html()
    page = class_report(view, charts=False)
    assert "Pre- and post-checks" in page and '<td class="num">2</td>' in page
    assert f"<td>{load_checks('01').pre[0].id}</td>" in page  # the per-item table


def test_the_demo_class_has_synthetic_gains_labelled_as_such():
    from kit.classview import demo_class
    from tests.conftest import seed_articles

    view = demo_class(seed_articles())
    assert view.gains.any_data() and len(view.gains.rows) == len(SHIPPED)
    assert "Synthetic learners" in view.to_html()
    folder = data_dir() / "demo-class" / "carney-beijing-2026"
    for path in sorted(folder.glob("*.progress.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["sections"]["demo"]["synthetic"] is True, path.name


def test_the_shipped_demo_progress_files_are_what_the_generator_writes(tmp_path):
    """Items edited without rebuilding the demo class would leave it out of date."""
    import sys

    sys.path.insert(0, str(REPO))
    from bench.make_demo_class import write_demo_progress

    shipped = data_dir() / "demo-class" / "carney-beijing-2026"
    learners = len(list(shipped.glob("*.progress.json")))
    write_demo_progress(tmp_path, learners=learners, seed=12)
    for path in sorted(shipped.glob("*.progress.json")):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), (
            f"{path.name} is out of date: run python bench/make_demo_class.py"
        )
