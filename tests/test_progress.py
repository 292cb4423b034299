"""Tests for kit.progress: a learner's progress file that never loses a result."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import kit
from kit.annotations import learner_files, open_store, remember_learner
from kit.progress import (
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    Progress,
    ProgressError,
    ProgressWarning,
    open_progress,
    progress_files,
    read_progress_file,
)
from tests.factories import REPO, returns_within, snippet_as_unprivileged


def _doc(learner: str = "Ana", sections: object = None, **extra: object) -> str:
    doc = {"type": "LearnerProgress", "version": 1, "learner": learner}
    doc["sections"] = {"checks": {"01-pre": {"score": 1}}} if sections is None else sections
    doc.update(extra)
    return json.dumps(doc)


def _open_within(name: str, folder: Path, seconds: float = 5.0):
    """open_progress, or what it raised; fails the test if it hangs (on a FIFO, say)."""
    return returns_within(
        lambda: open_progress(name, folder=folder), folder, f"open_progress({name!r})", seconds
    )


# --------------------------------------------------------------------------- basics


def test_values_come_back_after_reopening(tmp_path):
    mine = open_progress("Zoë", folder=tmp_path)
    value = {"answers": ["b", None, "a"], "score": 2, "total": 3, "time": "2026-01-01T10:00:00Z"}
    mine.put("checks", "01-pre", value)
    mine.put("checks", "01-post", {"score": 3, "ratio": 0.75, "done": True, "pair": (1, 2)})
    mine.put("lateral", "step", "ünïcode ✓")

    again = open_progress("Zoë", folder=tmp_path)
    assert again.path == mine.path == (tmp_path / "zoë.progress.json").resolve()
    assert again.learner == "Zoë"
    assert again.get("checks", "01-pre") == value
    assert again.get("checks", "01-post")["pair"] == [1, 2]  # a tuple is kept as a list
    assert again.get("lateral", "step") == "ünïcode ✓"
    assert again.get("checks", "02-pre") is None
    assert again.get("nowhere", "x", default="none") == "none"
    assert set(again.section("checks")) == {"01-pre", "01-post"}
    assert again.section("missing") == {}
    doc = json.loads(mine.path.read_text(encoding="utf-8"))
    assert (doc["learner"], doc["version"], doc["type"]) == ("Zoë", 1, "LearnerProgress")


def test_get_and_section_hand_out_copies(tmp_path):
    mine = open_progress("Ana", folder=tmp_path)
    mine.put("checks", "01-pre", {"answers": ["a"]})
    mine.get("checks", "01-pre")["answers"].append("b")
    mine.section("checks")["01-pre"] = "changed"
    assert mine.get("checks", "01-pre") == {"answers": ["a"]}


def test_opening_writes_an_empty_file_that_names_the_learner(tmp_path):
    mine = open_progress("Ana", folder=tmp_path)
    assert read_progress_file(mine.path) == ("Ana", {})


def test_two_notebooks_on_one_file_keep_each_others_sections(tmp_path):
    first = open_progress("Ana", folder=tmp_path)
    second = open_progress("Ana", folder=tmp_path)
    first.put("checks", "01-pre", {"score": 2})
    second.put("lateral", "01", {"step": 3})  # second never read first's section
    second.put("checks", "02-pre", {"score": 1})
    first.put("checks", "01-post", {"score": 4})
    _, sections = read_progress_file(first.path)
    assert sections == {
        "checks": {"01-pre": {"score": 2}, "02-pre": {"score": 1}, "01-post": {"score": 4}},
        "lateral": {"01": {"step": 3}},
    }
    assert first.get("lateral", "01") == {"step": 3}  # a reader sees the other's change


_WRITER = (
    "import sys\n"
    "from kit.progress import open_progress\n"
    "p = open_progress('Ana', folder=sys.argv[1])\n"
    "for n in range(25):\n"
    "    p.put(sys.argv[2], str(n), n)\n"
)


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path), name], env=env)
        for name in ("one", "two")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    sections = open_progress("Ana", folder=tmp_path).section
    assert sections("one") == sections("two") == {str(n): n for n in range(25)}


def test_a_save_leaves_no_temporary_files_and_sweeps_dead_ones(tmp_path):
    stale = tmp_path / ".ana.progress.json.abc123.tmp"  # from a writer that was killed
    stale.write_text("half")
    mine = open_progress("Ana", folder=tmp_path)
    assert not stale.exists()
    for n in range(5):
        mine.put("checks", str(n), n)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "ana.progress.json",
        "ana.progress.json.lock",
    ]


def test_the_files_mode_is_kept(tmp_path):
    mine = open_progress("Ana", folder=tmp_path)
    mine.put("checks", "a", 1)
    mine.path.chmod(0o640)
    mine.put("checks", "b", 2)
    assert stat.S_IMODE(mine.path.stat().st_mode) == 0o640


def test_the_learner_defaults_to_the_remembered_one(tmp_path):
    remember_learner("Bea", tmp_path)
    assert open_progress(folder=tmp_path).learner == "Bea"


def test_without_a_remembered_name_the_default_learner_is_used(tmp_path):
    assert open_progress(folder=tmp_path).path.name == "learner.progress.json"


def test_the_default_folder_is_the_annotations_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_ANNOTATIONS_DIR", str(tmp_path))
    store = open_store("Ana")
    assert open_progress("Ana").path == store.path.with_name("ana.progress.json")


def test_kit_exports_the_api():
    assert kit.open_progress is open_progress and kit.Progress is Progress
    assert issubclass(kit.ProgressError, ValueError)


# --------------------------------------------------------------------------- bad values


@pytest.mark.parametrize(
    ("section", "key", "value", "words"),
    [
        ("checks", "k", float("nan"), "not a number JSON can hold"),
        ("checks", "k", {1, 2}, "set cannot be saved"),
        ("checks", "k", object(), "cannot be saved"),
        ("checks", "k", {1: "a"}, "is not text"),
        ("checks", "k", "x" * (MAX_TEXT_CHARS + 1), "characters"),
        ("checks", "k", 2**60, "too large"),
        ("checks", "k", [[[[[[[[[["deep"]]]]]]]]]], "nested"),
        ("checks", "k", ["x" * 10_000] * 30, "too much for one progress value"),
        ("", "k", 1, "section name"),
        ("checks", "a\nb", 1, "control characters"),
        ("checks", 7, 1, "key name"),
    ],
)
def test_a_value_that_cannot_be_saved_is_refused_and_nothing_written(
    tmp_path, section, key, value, words
):
    mine = open_progress("Ana", folder=tmp_path)
    mine.put("checks", "kept", 1)
    before = mine.path.read_bytes()
    with pytest.raises(ProgressError) as err:
        mine.put(section, key, value)
    assert str(mine.path) in str(err.value) and words in str(err.value)
    assert mine.path.read_bytes() == before


def test_a_learner_name_that_is_a_path_is_refused(tmp_path):
    with pytest.raises(ProgressError, match="looks like a file path"):
        open_progress("../x", folder=tmp_path)


# --------------------------------------------------------------------------- broken files


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"[1, 2]", "should be an object"),
        (_doc(sections=[1]).encode(), "'sections' should be an object"),
        (_doc(sections={"checks": [1]}).encode(), "section 'checks' should be an object"),
        (_doc(version="1").encode(), "'version'"),
        (_doc(type="Other").encode(), "'type'"),
        (b" " * (MAX_FILE_BYTES + 1), "far too big"),
    ],
)
def test_a_broken_file_is_set_aside_with_a_message(tmp_path, content, words):
    path = tmp_path / "ana.progress.json"
    path.write_bytes(content)
    with pytest.raises(ProgressError) as err:
        open_progress("Ana", folder=tmp_path)
    message, aside = str(err.value), err.value.moved_to
    assert str(path) in message and words in message and str(aside) in message
    assert aside.name.startswith("ana.progress.corrupt-") and aside.name.endswith(".json")
    assert aside.read_bytes() == content and not path.exists()
    fresh = open_progress("Ana", folder=tmp_path)  # opening again starts an empty file
    assert fresh.section("checks") == {}
    # the set-aside copy is not a learner's file
    assert [p.name for p in progress_files(tmp_path)] == ["ana.progress.json"]


def test_a_file_broken_while_open_is_set_aside_and_nothing_is_lost(tmp_path):
    mine = open_progress("Ana", folder=tmp_path)
    mine.put("checks", "01-pre", {"score": 2})
    mine.path.write_text("garbage", encoding="utf-8")
    with pytest.warns(ProgressWarning, match="moved to ana.progress.corrupt-"):
        mine.put("checks", "01-post", {"score": 4})
    assert read_progress_file(mine.path)[1]["checks"] == {
        "01-pre": {"score": 2},
        "01-post": {"score": 4},
    }
    (aside,) = tmp_path.glob("ana.progress.corrupt-*.json")
    assert aside.read_text(encoding="utf-8") == "garbage"


def test_a_file_from_a_newer_kit_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "ana.progress.json"
    path.write_text(_doc(version=99), encoding="utf-8")
    with pytest.raises(ProgressError, match="newer version of the kit") as err:
        open_progress("Ana", folder=tmp_path)
    assert err.value.moved_to is None and path.read_text(encoding="utf-8") == _doc(version=99)


def test_a_fifo_progress_file_is_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "ana.progress.json")
    outcome = _open_within("Ana", tmp_path)
    assert isinstance(outcome, ProgressError), outcome
    assert "ana.progress.json" in str(outcome) and "named pipe" in str(outcome)
    assert (tmp_path / "ana.progress.json").is_fifo()  # not moved, not replaced


def test_a_fifo_that_appears_while_open_is_refused_at_once(tmp_path):
    mine = open_progress("Ana", folder=tmp_path)
    mine.put("checks", "k", 1)
    mine.path.unlink()
    os.mkfifo(mine.path)
    outcome = returns_within(lambda: mine.put("checks", "j", 2), tmp_path, "put on a FIFO")
    assert isinstance(outcome, ProgressError) and "named pipe" in str(outcome), outcome


def test_a_progress_file_linked_to_a_device_is_refused(tmp_path):
    (tmp_path / "ana.progress.json").symlink_to("/dev/zero")
    outcome = _open_within("Ana", tmp_path)
    assert isinstance(outcome, ProgressError) and "outside the learners' folder" in str(outcome)


def test_a_link_out_of_the_folder_is_refused_and_its_target_untouched(tmp_path):
    folder, outside = tmp_path / "class", tmp_path / "elsewhere.json"
    folder.mkdir()
    outside.write_text(_doc(), encoding="utf-8")
    (folder / "ana.progress.json").symlink_to(outside)
    with pytest.raises(ProgressError, match="outside the learners' folder"):
        open_progress("Ana", folder=folder)
    assert outside.read_text(encoding="utf-8") == _doc()


def test_a_link_that_loops_is_named(tmp_path):
    (tmp_path / "ana.progress.json").symlink_to(tmp_path / "ana.progress.json")
    with pytest.raises(ProgressError, match="loops back on itself"):
        open_progress("Ana", folder=tmp_path)


def test_a_link_put_in_place_while_open_is_refused(tmp_path):
    mine = open_progress("Ana", folder=tmp_path)
    mine.put("checks", "k", 1)
    target = tmp_path / "other.json"
    target.write_text("{}", encoding="utf-8")
    mine.path.unlink()
    mine.path.symlink_to(target)
    with pytest.raises(ProgressError, match="symbolic link"):
        mine.put("checks", "j", 2)
    assert target.read_text(encoding="utf-8") == "{}"


def test_a_lock_path_that_is_a_folder_is_named(tmp_path):
    (tmp_path / "ana.progress.json.lock").mkdir()
    outcome = _open_within("Ana", tmp_path, seconds=30)
    assert isinstance(outcome, ProgressError) and "is a folder" in str(outcome), outcome


# --------------------------------------------------------------------------- other learners


def test_a_file_of_another_learner_swapped_in_is_refused_and_kept(tmp_path):
    mine = open_progress("Ana", folder=tmp_path)
    mine.put("checks", "k", 1)
    mine.path.write_text(_doc(learner="Bob"), encoding="utf-8")
    with pytest.raises(ProgressError, match="belongs to 'Bob', not 'Ana'"):
        mine.put("checks", "k", 2)
    with pytest.raises(ProgressError, match="belongs to 'Bob'"):
        mine.get("checks", "k")
    assert mine.path.read_text(encoding="utf-8") == _doc(learner="Bob")


def test_names_that_share_a_slug_get_separate_files(tmp_path):
    theirs = open_progress("Ana B.", folder=tmp_path)
    theirs.put("checks", "k", "theirs")
    mine = open_progress("ana-b", folder=tmp_path)
    mine.put("checks", "k", "mine")
    assert mine.path != theirs.path and mine.path.name.startswith("ana-b-")
    assert theirs.get("checks", "k") == "theirs" and mine.get("checks", "k") == "mine"
    assert open_progress("ANA  b.", folder=tmp_path).path == theirs.path  # same name, any case


def test_the_progress_file_stays_beside_the_learners_annotation_file(tmp_path):
    open_store("Ana B.", folder=tmp_path)  # ana-b.json belongs to "Ana B."
    mine = open_progress("ana-b", folder=tmp_path)
    assert mine.path.name != "ana-b.progress.json"
    assert open_store("ana-b", folder=tmp_path).path.stem + ".progress" == mine.path.stem


def test_where_every_file_of_the_slug_is_taken_the_mismatch_is_an_error(tmp_path):
    theirs = open_progress("Ana B.", folder=tmp_path)
    other = open_progress("ana-b", folder=tmp_path)
    other.put("checks", "k", 1)
    other.path.write_text(_doc(learner="Someone Else"), encoding="utf-8")
    theirs.put("checks", "k", 1)
    with pytest.raises(ProgressError, match="belongs to 'Someone Else'"):
        open_progress("ana-b", folder=tmp_path)


# --------------------------------------------------------------------------- as another user

_OPEN = (
    "import sys, kit\n"
    "try:\n    kit.open_progress('Ana', folder=sys.argv[1]).get('checks', 'k'); print('OPENED')\n"
    "except kit.ProgressError as exc:\n    print('KIT:', exc)\n"
)


def test_an_unreadable_file_gives_the_progress_error(shared_dir):
    folder = shared_dir / "class"
    folder.mkdir()
    folder.chmod(0o777)
    mine = open_progress("Ana", folder=folder)
    mine.put("checks", "k", 1)
    mine.path.chmod(0o600)
    (folder / "ana.progress.json.lock").unlink(missing_ok=True)
    if os.geteuid() != 0:
        mine.path.chmod(0o000)
    out = snippet_as_unprivileged(_OPEN, str(folder))
    assert out.startswith("KIT:") and "ermission denied" in out and "ana.progress.json" in out
    mine.path.chmod(0o600)
    assert read_progress_file(mine.path)[1] == {"checks": {"k": 1}}  # and the file is untouched


def test_a_read_only_folder_gives_the_progress_error(shared_dir):
    folder = shared_dir / "class"
    folder.mkdir(mode=0o555)
    folder.chmod(0o555)
    out = snippet_as_unprivileged(_OPEN, str(folder))
    assert out.startswith("KIT:") and "lock file" in out, out


# --------------------------------------------------------------------------- listing and reading


def test_progress_files_lists_only_learners_progress_files(tmp_path):
    for name in ("Ana", "Bea"):
        open_progress(name, folder=tmp_path).put("checks", "k", 1)
    open_store("Ana", folder=tmp_path)
    (tmp_path / "cy.progress.corrupt-20260101T000000Z.json").write_text("x")
    (tmp_path / ".hidden.progress.json").write_text("x")
    assert [p.name for p in progress_files(tmp_path)] == ["ana.progress.json", "bea.progress.json"]
    assert progress_files(tmp_path / "missing") == []


def test_read_progress_file_names_the_file_and_changes_nothing(tmp_path):
    path = tmp_path / "ana.progress.json"
    with pytest.raises(ProgressError, match="no such progress file"):
        read_progress_file(path)
    path.write_text("{", encoding="utf-8")
    with pytest.raises(ProgressError, match=r"ana\.progress\.json: is not a valid progress file"):
        read_progress_file(path)
    assert path.read_text(encoding="utf-8") == "{"


# --------------------------------------------------------------------------- beside annotations


def _class_folder(tmp_path, articles) -> Path:
    article = articles["A"]
    open_store("Ana", folder=tmp_path).add(article, 0, 5, "framing-label")
    mine = open_progress("Ana", folder=tmp_path)
    mine.put("checks", "01-pre", {"score": 2, "total": 4})
    (tmp_path / "bea.progress.corrupt-20260101T000000Z.json").write_text("x")
    return tmp_path


def test_learner_files_leave_progress_files_out(tmp_path, articles):
    folder = _class_folder(tmp_path, articles)
    assert [p.name for p in learner_files(folder)] == ["ana.json"]


def test_the_class_view_does_not_take_progress_files_for_annotations(tmp_path, articles):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view = kit.class_view(_class_folder(tmp_path, articles), articles)
    assert view.learners == ["ana"] and view.skipped == []


def test_the_class_report_does_not_take_progress_files_for_annotations(tmp_path, articles):
    from click.testing import CliRunner

    from kit.cli import cli

    folder = tmp_path / "class"
    folder.mkdir()
    _class_folder(folder, articles)
    out = tmp_path / "report.html"
    seed = kit.load_articles("carney-beijing-2026").path
    done = CliRunner().invoke(
        cli, ["class-report", str(folder), "--set", str(seed), "--out", str(out)]
    )
    assert done.exit_code == 0, done.output
    assert "1 learners, 0 files skipped" in done.output
    assert "ana.progress" not in out.read_text(encoding="utf-8")  # not listed as skipped
