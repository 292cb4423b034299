"""The instructor's class view: reading a folder, skipping bad files, agreement, charts."""

from __future__ import annotations

import math
import random
import shutil
import time
from pathlib import Path

import pytest

import kit
from kit.classview import AGREEMENT_NOTE, ClassView, ItemStat, class_view
from kit.keys import KeyItem
from tests.factories import key_item as item

FIXTURES = Path(__file__).parent / "fixtures" / "classview"


class _Key:
    def __init__(self, items: list[KeyItem]) -> None:
        self.items = tuple(items)


@pytest.fixture(scope="module")
def hand_key(articles):
    A = articles["A"]
    return _Key(
        [
            item(A, "official statements", "anonymous-source", "An unnamed document."),
            item(A, "Analysts say", "anonymous-source", "Who are these analysts?"),
            item(A, "one international relations expert", "anonymous-source", "No name."),
            item(A, "Observers", "anonymous-source", "A vague group."),
            item(A, "Canadian officials", "anonymous-source", "Unnamed officials."),
            item(A, "increasingly assertive", "loaded-language", "Judges China."),
        ]
    )


@pytest.fixture(scope="module")
def view(articles, hand_key) -> ClassView:
    return class_view(FIXTURES, articles, key=hand_key)


# --------------------------------------------------------------------------- reading a folder


def test_good_files_are_read_and_bad_ones_skipped_with_reasons(view):
    assert view.learners == ["ana", "ben", "cleo"]
    reasons = dict(view.skipped)
    assert set(reasons) == {
        "bad-json.json",
        "wrong-schema.json",
        "binary.json",
        "empty.json",
        "teacher-notes.txt",
    }
    assert "not valid JSON" in reasons["bad-json.json"]
    assert "schema_version" in reasons["wrong-schema.json"]
    assert "UTF-8" in reasons["binary.json"]
    assert reasons["empty.json"] == "empty file (0 bytes)"
    assert "not a learner file" in reasons["teacher-notes.txt"]
    assert len(view.annotations["ana"]) == 5
    assert view.worked == {"ana": {"A"}, "ben": {"A", "B"}, "cleo": set()}


def test_the_folder_is_left_untouched(tmp_path, articles, hand_key):
    folder = tmp_path / "class"
    shutil.copytree(FIXTURES, folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    class_view(folder, articles, key=hand_key)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_lock_files_hidden_files_and_set_aside_copies(tmp_path, articles, hand_key):
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(FIXTURES / "ana.json", folder / "ana.json")
    (folder / "ana.json.lock").write_bytes(b"")
    (folder / ".learner").write_text("Ana", encoding="utf-8")
    shutil.copy(FIXTURES / "bad-json.json", folder / "ana.corrupt-20260120T100000Z.json")
    v = class_view(folder, articles, key=hand_key)
    assert v.learners == ["ana"]
    assert [name for name, _ in v.skipped] == ["ana.corrupt-20260120T100000Z.json"]


def test_missing_folder_is_an_error(tmp_path, articles, hand_key):
    with pytest.raises(FileNotFoundError):
        class_view(tmp_path / "nope", articles, key=hand_key)


# --------------------------------------------------------------------------- against the key


def test_per_learner_feedback_and_table(view):
    ana = view.feedback["ana"]
    assert [f.item.exact for f in ana.found["anonymous-source"]] == [
        "official statements",
        "Analysts say",
        "one international relations expert",
    ]
    assert view.feedback["cleo"].articles == ()
    frame = view.to_frame()
    row = frame[(frame.learner == "ben") & (frame.tag == "anonymous-source")].iloc[0]
    assert (row.found, row.in_key, row.missed, row.extra) == (2, 5, 3, 0)
    row = frame[(frame.learner == "ben") & (frame.tag == "named-source")].iloc[0]
    assert (row.highlights, row.extra) == (2, 2)  # "Canadian officials" on A, "Carney" on B


def test_most_missed_lists_the_items_fewest_learners_found(view):
    worst = view.most_missed(3)
    assert all(isinstance(s, ItemStat) for s in worst)
    assert worst[0].item.exact == "Canadian officials"
    assert (worst[0].found_by, worst[0].learners) == (0, 2)  # cleo marked nothing: not counted
    assert worst[0].explanation == "Unnamed officials."
    shares = [s.share for s in view.most_missed(10)]
    assert shares == sorted(shares)
    found_everywhere = [s for s in view.item_stats() if s.item.exact == "increasingly assertive"]
    assert found_everywhere[0].found_by == 2


# --------------------------------------------------------------------------- agreement


def _write_learners(folder: Path, articles, marks: dict[str, list[tuple[str, int, str]]]) -> None:
    """marks: learner -> [(article id, sentence index, tag)]; each mark covers a whole sentence."""
    for name, rows in marks.items():
        store = kit.open_store(name, folder=folder)
        for aid, n, tag in rows:
            s = articles[aid].sentences[n]
            store.add(articles[aid], s.start, s.end, tag)


def _units(articles, aid):
    a = articles[aid]
    return [i for i, s in enumerate(a.sentences) if not a.is_boilerplate(s.start, s.end)]


def test_identical_learners_agree_perfectly(tmp_path, articles, hand_key):
    units = _units(articles, "A")
    rows = [("A", n, "hedge") for n in units[::3]] + [("A", units[1], "loaded-language")]
    _write_learners(tmp_path, articles, {name: rows for name in ("ana", "ben", "cy", "dee")})
    v = class_view(tmp_path, articles, key=hand_key)
    assert v.agreement["hedge"] == pytest.approx(1.0)
    assert v.agreement["loaded-language"] == pytest.approx(1.0)
    assert math.isnan(v.agreement["named-source"])  # nobody used it: nothing to measure


def test_random_learners_agree_about_as_well_as_chance(tmp_path, articles, hand_key):
    rng = random.Random(20260120)
    marks = {}
    for k in range(25):
        marks[f"learner-{k}"] = [
            (aid, n, "hedge")
            for aid in ("A", "B", "D")
            for n in _units(articles, aid)
            if rng.random() < 0.3
        ]
    _write_learners(tmp_path, articles, marks)
    v = class_view(tmp_path, articles, key=hand_key)
    assert abs(v.agreement["hedge"]) < 0.1


def test_disagreement_on_one_tag_shows_in_alpha(tmp_path, articles, hand_key):
    units = _units(articles, "A")
    # Two learners mark opposite halves of the sentences: worse than chance.
    _write_learners(
        tmp_path,
        articles,
        {
            "ana": [("A", n, "hedge") for n in units[: len(units) // 2]],
            "ben": [("A", n, "hedge") for n in units[len(units) // 2 :]],
        },
    )
    v = class_view(tmp_path, articles, key=hand_key)
    assert v.agreement["hedge"] < 0


def test_agreement_note_explains_the_number(view):
    assert view.agreement_note == AGREEMENT_NOTE
    for words in ("Krippendorff", "chance", "1 means", "0 means", "below 0"):
        assert words in view.agreement_note
    assert "Krippendorff" in (class_view.__doc__ or "") + (ClassView.__doc__ or "")


# --------------------------------------------------------------------------- charts and display


def _values(spec: dict) -> list[dict]:
    """The rows a chart spec carries, whether altair inlined them or moved them to datasets."""
    if "datasets" in spec:
        return [row for rows in spec["datasets"].values() for row in rows]
    return spec["data"]["values"]


def test_heatmap_structure(view):
    spec = view.heatmap().to_dict()
    assert len(spec["hconcat"]) == 3
    titles = [panel["title"] for panel in spec["hconcat"]]
    assert titles == ["Marked by learners", "Answer key", "Detector hints"]
    first = spec["hconcat"][0]
    assert first["mark"]["type"] == "rect"
    assert first["encoding"]["color"]["field"] == "learners"
    assert first["encoding"]["y"]["field"] == "label"
    rows = _values(spec)
    sentence_rows = [r for r in rows if r["article"] == "A" and r["tag"] == "loaded-language"]
    assert max(r["learners"] for r in sentence_rows) == 2  # ana and ben, same sentence
    assert sum(r["key"] for r in rows if r["tag"] == "anonymous-source") == 5


def test_heatmap_for_one_article(view):
    spec = view.heatmap(article="B").to_dict()
    rows = _values(spec)
    assert {r["article"] for r in rows} == {"B"}


def test_agreement_chart_and_html_escape(view):
    spec = view.agreement_chart().to_dict()
    assert spec["mark"]["type"] == "bar"
    page = view._repr_mimebundle_()["text/html"]
    assert "Krippendorff" in page
    assert "<b>dramatic?</b>" not in page


def test_without_a_key_the_hints_stand_in(tmp_path, monkeypatch):
    import kit.hints

    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "one.txt").write_text(
        "A headline\n\nOfficials said it may rain. Experts disagree.\n", encoding="utf-8"
    )
    arts = kit.load_articles(folder)
    text = arts["one"].text
    at, at2 = text.index("may"), text.index("Experts")
    fake = [
        kit.hints.Hint(at, at + 3, "hedge", "framing:hedge", "'may' softens the claim."),
        kit.hints.Hint(at2, at2 + 7, "anonymous-source", "attribution:anonymous", "Who?"),
    ]
    monkeypatch.setattr(kit.hints, "hints", lambda article: list(fake))
    learners = tmp_path / "class"
    _write_learners(learners, arts, {"ana": [("one", 1, "hedge")], "ben": [("one", 1, "hedge")]})
    v = class_view(learners, folder)
    assert v.key is None and v.against == "hints"
    assert v.feedback["ana"].against == "hints"
    assert [f.item.exact for f in v.feedback["ana"].found["hedge"]] == ["may"]
    (worst,) = v.most_missed(1)
    assert (worst.item.exact, worst.found_by, worst.learners) == ("Experts", 0, 2)
    assert "found" in v.to_frame().columns
    spec = v.heatmap().to_dict()
    assert len(spec["hconcat"]) == 3
    rows = _values(spec)
    assert sum(r["key"] for r in rows) == 0 and sum(r["hints"] for r in rows) == 2
    assert "compared with the kit&#x27;s hints" in v.to_html()


@pytest.mark.slow
def test_two_hundred_learners_in_a_few_seconds(tmp_path, articles, hand_key):
    import importlib.util

    path = Path(__file__).parent.parent / "bench" / "bench_classview.py"
    spec = importlib.util.spec_from_file_location("bench_classview", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    write_class = bench.write_class

    write_class(tmp_path, articles, hand_key.items, learners=200, seed=1, direct=True)
    t0 = time.perf_counter()
    v = class_view(tmp_path, articles, key=hand_key)
    elapsed = time.perf_counter() - t0
    assert len(v.learners) == 200 and not v.skipped
    assert elapsed < 10, f"class_view took {elapsed:.1f} s for 200 learners"


def test_tags_limit_the_view(articles, hand_key):
    v = class_view(FIXTURES, articles, key=hand_key, tags=["anonymous-source"])
    assert list(v.agreement) == ["anonymous-source"]
    assert set(v.to_frame().tag) == {"anonymous-source"}
    assert all(s.item.tag == "anonymous-source" for s in v.most_missed())


def test_the_seed_key_is_used_by_default(articles):
    v = class_view(FIXTURES, articles)
    assert v.key is not None and v.key.set_name == "carney-beijing-2026"
    assert v.most_missed(1)[0].learners == 2


def test_names_and_highlights_that_no_longer_match(tmp_path, articles, hand_key):
    shutil.copy(FIXTURES / "ben.json", tmp_path / "ben.json")
    raw = (FIXTURES / "ana.json").read_text(encoding="utf-8")
    assert raw.count('"exact": "Analysts"') == 1
    (tmp_path / "ana.json").write_text(
        raw.replace('"exact": "Analysts"', '"exact": "Xnalysts"'), encoding="utf-8"
    )
    v = class_view(tmp_path, articles, key=hand_key)
    assert v.names == {"ana": "Ana", "ben": "Ben"}
    assert [a.exact for a in v.lost["ana"]] == ["Xnalysts"] and v.lost["ben"] == []
    assert len(v.annotations["ana"]) == 4
    found = [f.item.exact for f in v.feedback["ana"].found["anonymous-source"]]
    assert "Analysts say" not in found
    assert "no longer match" in v.to_html()


def test_the_demo_class_is_a_whole_class_of_synthetic_learners():
    """An instructor sees a real class view and heat map before the first class."""
    from kit.classview import demo_class
    from tests.conftest import seed_articles

    view = demo_class(seed_articles())
    assert len(view.learners) == 12 and not view.skipped
    assert "synthetic" in view.heading() and "12 learners" in view.heading()
    assert not math.isnan(view.agreement["anonymous-source"])
    assert view.heatmap().to_dict()


def test_a_set_without_a_demo_class_says_how_to_make_one():
    from kit.classview import demo_class
    from tests.test_course import FIXTURES

    page = demo_class(kit.load_articles(FIXTURES / "harbour-bridge"))._repr_html_()
    assert "no demo class" in page and "make_demo_class.py --set harbour-bridge" in page


def test_one_learner_reads_naturally_and_still_gets_the_heat_map(tmp_path):
    from tests.conftest import seed_articles

    arts = seed_articles()
    kit.open_store("Ana", folder=tmp_path).add(arts["A"], 0, 5, "hedge")
    view = class_view(tmp_path, arts)
    assert repr(view).startswith("<ClassView: Class view of 1 learner;")
    assert "only one learner" in view.agreement_status()
    assert view.heatmap().to_dict()


def test_a_class_that_marked_nothing_draws_pale_cells_not_a_collapsed_scale(tmp_path):
    from tests.conftest import seed_articles

    kit.open_store("Ana", folder=tmp_path)  # a learner file with no highlights yet
    spec = class_view(tmp_path, seed_articles()).heatmap().to_dict()
    scale = spec["hconcat"][0]["encoding"]["color"]["scale"]
    assert scale["domain"] == [0, 1]
