"""Tests for kit.annotations: a learner's annotation file that never loses work."""

from __future__ import annotations

import csv
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
import unicodedata
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kit
import kit.annotations as ka
from kit.annotations import (
    Annotation,
    AnnotationStoreError,
    AnnotationStoreWarning,
    learner_files,
    learner_slug,
    open_store,
    read_annotations_file,
    remember_learner,
    remembered_learner,
)
from tests.factories import returns_within, snippet_as_unprivileged

FIXTURES = Path(__file__).parent / "fixtures" / "annotations"
REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class FakeArticle:
    """An article whose text a test can change (kit.Article is built by the loader)."""

    id: str
    text: str


def word_span(article, word: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = article.text.index(word, i + 1)
    return i, i + len(word)


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


# --------------------------------------------------------------------------- basics


def test_added_annotations_come_back_after_reopening(tmp_path, articles):
    """Does every annotation survive closing the notebook and opening it again?"""
    store = open_store("Ana", folder=tmp_path)
    a = articles["A"]
    start, end = word_span(a, "China")
    first = store.add(a, start, end, "named-source", note="who is speaking?")
    second = store.add(articles["B"], 0, 5, "framing-label")
    assert first.exact == a.text[start:end]
    assert first.prefix == a.text[max(0, start - 32) : start]
    assert first.suffix == a.text[end : end + 32]
    assert first.created.endswith("Z") and first.created == first.modified

    again = open_store("Ana", folder=tmp_path)
    assert again.path == store.path == (tmp_path / "ana.json").resolve()
    assert {x.id for x in again.annotations()} == {first.id, second.id}
    assert again.annotations("A") == [first]


def test_a_fresh_python_process_reads_the_same_annotations(tmp_path, articles):
    """Restarting the kernel brings every annotation back (a new interpreter reads the file)."""
    store = open_store("Ana", folder=tmp_path)
    ann = store.add(articles["C"], 10, 30, "hedge", note="maybe")
    code = (
        "import sys, kit.annotations as k;"
        "s = k.open_store('Ana', folder=sys.argv[1]);"
        "print([(a.id, a.note) for a in s.annotations()])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert out.stdout.strip() == repr([(ann.id, "maybe")])


def test_file_is_w3c_web_annotation_json(tmp_path, articles):
    """Is the saved file a W3C Web Annotation collection with both selectors?"""
    store = open_store("Ana", folder=tmp_path, article_set="carney-beijing-2026")
    a = articles["A"]
    ann = store.add(a, 5, 12, "loaded-language", note="why this word?")
    doc = json.loads(store.path.read_text(encoding="utf-8"))
    assert doc["type"] == "AnnotationCollection"
    assert doc["schema_version"] == ka.SCHEMA_VERSION
    (item,) = doc["first"]["items"]
    assert item["id"] == ann.id and item["type"] == "Annotation"
    bodies = {b["purpose"]: b for b in item["body"]}
    assert bodies["tagging"] == {
        "type": "TextualBody",
        "purpose": "tagging",
        "value": "loaded-language",
    }
    assert bodies["commenting"]["value"] == "why this word?"
    assert item["target"]["source"]["id"] == "A"
    assert item["target"]["source"]["articleSet"] == "carney-beijing-2026"
    quote, position = item["target"]["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": a.text[5:12],
        "prefix": a.text[:5],
        "suffix": a.text[12:44],
    }
    assert position == {"type": "TextPositionSelector", "start": 5, "end": 12}


def test_update_and_remove_are_saved(tmp_path, articles):
    store = open_store("Ana", folder=tmp_path)
    ann = store.add(articles["A"], 0, 5, "hedge")
    updated = store.update(ann.id, note="on second thought", tag="loaded-language")
    assert (updated.tag, updated.note) == ("loaded-language", "on second thought")
    assert updated.modified >= ann.modified and updated.created == ann.created
    assert open_store("Ana", folder=tmp_path).get(ann.id) == updated
    store.remove(ann.id)
    assert open_store("Ana", folder=tmp_path).annotations() == []
    with pytest.raises(AnnotationStoreError, match="was removed"):
        store.update(ann.id, note="x")
    with pytest.raises(AnnotationStoreError, match="no annotation with id"):
        store.remove("urn:uuid:nope")
    store.remove(ann.id)  # removing twice is harmless


@pytest.mark.parametrize(
    ("start", "end", "tag", "note", "problem"),
    [
        (5, 5, "hedge", "", "at least one character"),
        (-1, 5, "hedge", "", "at least one character"),
        (0, 10**9, "hedge", "", "at least one character"),
        (0, 5.0, "hedge", "", "whole number"),
        (True, 5, "hedge", "", "whole number"),
        (0, 5, "  ", "", "tag must be non-empty"),
        (0, 5, None, "", "tag must be non-empty"),
        (0, 5, "x" * 500, "", "too long"),
        (0, 5, "hedge", 42, "note must be text"),
        (0, 5, "hedge", "n" * (ka.MAX_NOTE_CHARS + 1), "keep it under"),
    ],
)
def test_bad_requests_are_refused_with_a_message_naming_the_file(
    tmp_path, articles, start, end, tag, note, problem
):
    store = open_store("Ana", folder=tmp_path)
    with pytest.raises(AnnotationStoreError, match=problem) as err:
        store.add(articles["A"], start, end, tag, note)
    assert str(store.path) in str(err.value)
    assert open_store("Ana", folder=tmp_path).annotations() == []


def test_add_needs_an_article(tmp_path):
    store = open_store("Ana", folder=tmp_path)
    with pytest.raises(AnnotationStoreError, match="needs an article"):
        store.add("A", 0, 5, "hedge")


# --------------------------------------------------------------------------- atomic saving


def test_a_failed_save_keeps_the_old_file_and_says_so(tmp_path, articles, monkeypatch):
    """If the rename fails (disk full, permissions), the old file and the memory stay intact."""
    store = open_store("Ana", folder=tmp_path)
    kept = store.add(articles["A"], 0, 5, "hedge")
    before = store.path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ka.os, "replace", broken_replace)
    with pytest.raises(AnnotationStoreError, match="NOT saved"):
        store.add(articles["A"], 5, 9, "hedge")
    monkeypatch.undo()
    assert store.path.read_bytes() == before
    assert [a.id for a in store.annotations()] == [kept.id]
    assert not list(tmp_path.glob("*.tmp")), "the temporary file was not cleaned up"


def test_temp_files_left_by_a_killed_writer_are_swept_on_open(tmp_path, articles):
    store = open_store("Ana", folder=tmp_path)
    store.add(articles["A"], 0, 5, "hedge")
    stale = tmp_path / f".{store.path.name}.abc123.tmp"
    stale.write_text('{"half": ')
    other = tmp_path / ".bob.json.xyz.tmp"  # another learner's writer may be alive
    other.write_text("{")
    open_store("Ana", folder=tmp_path)
    assert not stale.exists()
    assert other.exists()


WRITER = """
import sys
from dataclasses import dataclass
import kit.annotations as k

@dataclass(frozen=True)
class Art:
    id: str
    text: str

art = Art("A", "x" * 5000)
store = k.open_store(sys.argv[1], folder=sys.argv[2])
if len(sys.argv) > 3:  # wait at the start line so both writers really overlap
    import os, time
    open(f"{sys.argv[3]}.ready.{os.getpid()}", "w").close()
    while not os.path.exists(sys.argv[3]):
        time.sleep(0.001)
n = int(sys.argv[4]) if len(sys.argv) > 4 else 10**6
for i in range(n):
    a = store.add(art, i % 4000, i % 4000 + 5, "hedge", note=f"{sys.argv[1]} {i} " + "y" * 2000)
    print(a.id, flush=True)
"""


def test_killing_the_writer_mid_save_loses_nothing_saved_before(tmp_path):
    """SIGKILL during a save loop: every annotation whose save returned is still there."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, "Ana", str(tmp_path)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    saved = []
    assert proc.stdout is not None
    while len(saved) < 40:
        line = proc.stdout.readline()
        assert line, "the writer died before being killed"
        saved.append(line.strip())
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    saved += [line.strip() for line in proc.stdout.read().splitlines() if line.strip()]
    store = open_store("Ana", folder=tmp_path)  # must not be seen as corrupt
    have = {a.id for a in store.annotations()}
    assert set(saved) <= have
    assert not list(tmp_path.glob(".*.tmp"))
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_two_processes_adding_at_once_lose_no_annotation(tmp_path):
    """Two notebooks open on one learner: both sets of annotations end up in the file."""
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, "Ana", str(tmp_path), str(go), "25"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        for _ in range(2)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("go.ready.*"))) < 2:  # both opened the same, empty, file
        assert time.monotonic() < deadline, "the writers did not start"
        time.sleep(0.01)
    go.touch()
    ids = set()
    for p in procs:
        out, _ = p.communicate(timeout=60)
        assert p.returncode == 0
        ids |= set(out.split())
    assert len(ids) == 50
    assert {a.id for a in open_store("Ana", folder=tmp_path).annotations()} == ids


# --------------------------------------------------------------------------- merging


def test_two_stores_on_one_file_merge_instead_of_overwriting(tmp_path, articles):
    one = open_store("Ana", folder=tmp_path)
    two = open_store("Ana", folder=tmp_path)
    a = one.add(articles["A"], 0, 5, "hedge")
    b = two.add(articles["B"], 0, 5, "hedge")  # two never saw a, but must not drop it
    assert {x.id for x in open_store("Ana", folder=tmp_path).annotations()} == {a.id, b.id}
    # each sees the other's work on its next read
    assert {x.id for x in one.annotations()} == {a.id, b.id}
    # the newer edit of the same annotation wins
    two.update(a.id, note="edited in notebook two")
    one.add(articles["C"], 0, 5, "hedge")
    assert open_store("Ana", folder=tmp_path).get(a.id).note == "edited in notebook two"


def test_a_removal_is_not_undone_by_a_store_that_still_holds_the_annotation(tmp_path, articles):
    """Tombstones: notebook two still has X in memory, yet X stays removed after it saves."""
    one = open_store("Ana", folder=tmp_path)
    x = one.add(articles["A"], 0, 5, "hedge")
    two = open_store("Ana", folder=tmp_path)
    assert x.id in {a.id for a in two._state.items.values()}
    one.remove(x.id)
    y = two.add(articles["A"], 10, 15, "hedge")
    final = open_store("Ana", folder=tmp_path)
    assert [a.id for a in final.annotations()] == [y.id]
    assert x.id in json.loads(final.path.read_text(encoding="utf-8"))["removed"]
    with pytest.raises(AnnotationStoreError, match="was removed"):
        two.update(x.id, note="too late")


# --------------------------------------------------------------------------- corrupt files


def _deep(n: int) -> str:
    return "[" * n + "]" * n


CORRUPT = {
    "bad JSON": b'{"type": "AnnotationCollection", ',
    "not UTF-8": b'{"schema_version": 1, "type": "\xff\xfe"}',
    "a list, not an object": b"[1, 2, 3]",
    "no schema version": b'{"type": "AnnotationCollection"}',
    "schema version as text": b'{"schema_version": "1", "type": "AnnotationCollection"}',
    "schema version true": b'{"schema_version": true, "type": "AnnotationCollection"}',
    "deep nesting": ('{"schema_version": 1, "x": ' + _deep(100_000) + "}").encode(),
    "huge integer": b'{"schema_version": 1' + b"0" * 50_000 + b"}",
    "truncated": (FIXTURES / "truncated.json").read_bytes(),
    "wrong schema": (FIXTURES / "wrong-schema.json").read_bytes(),
    "wrong types": (FIXTURES / "wrong-types.json").read_bytes(),
}


def _with_item_change(change) -> bytes:
    doc = json.loads((FIXTURES / "valid.json").read_text(encoding="utf-8"))
    change(doc["first"]["items"][0])
    return json.dumps(doc).encode()


CORRUPT.update(
    {
        "huge offset": _with_item_change(
            lambda it: it["target"]["selector"][1].update(start=10**30, end=10**30 + 10)
        ),
        "position disagrees with quote": _with_item_change(
            lambda it: it["target"]["selector"][1].update(end=999)
        ),
        "huge note": _with_item_change(lambda it: it["body"][1].update(value="x" * 10**6)),
        "no tag": _with_item_change(lambda it: it.update(body=[])),
        "bad time": _with_item_change(lambda it: it.update(modified="yesterday")),
        "unknown status": _with_item_change(lambda it: it.update(status="lost")),
    }
)


@pytest.mark.parametrize("content", CORRUPT.values(), ids=CORRUPT.keys())
def test_a_broken_file_is_kept_aside_and_the_learner_told(tmp_path, content):
    path = tmp_path / "ana.json"
    path.write_bytes(content)
    with pytest.raises(AnnotationStoreError) as err:
        open_store("Ana", folder=tmp_path)
    message = str(err.value)
    moved = err.value.moved_to
    assert str(path) in message and moved is not None and str(moved) in message
    assert "Nothing was deleted" in message
    assert moved.parent == tmp_path and ".corrupt-" in moved.name and moved.suffix == ".json"
    assert moved.read_bytes() == content  # the original, byte for byte
    # told once; opening again gives a fresh store, and the kept copy is not a learner file
    fresh = open_store("Ana", folder=tmp_path)
    assert fresh.annotations() == []
    assert learner_files(tmp_path) == [fresh.path]
    assert moved.read_bytes() == content


def test_two_breakages_in_one_second_keep_both_copies(tmp_path):
    for content in (b"{broken one", b"{broken two"):
        (tmp_path / "ana.json").write_bytes(content)
        with pytest.raises(AnnotationStoreError):
            open_store("Ana", folder=tmp_path)
    kept = sorted(p.read_bytes() for p in tmp_path.glob("ana.corrupt-*.json"))
    assert kept == [b"{broken one", b"{broken two"]


def test_an_oversized_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    monkeypatch.setattr(ka, "MAX_FILE_BYTES", 1000)
    (tmp_path / "ana.json").write_bytes(b" " * 2000)
    with pytest.raises(AnnotationStoreError, match="far too big"):
        open_store("Ana", folder=tmp_path)


def test_a_file_from_a_newer_kit_is_left_in_place(tmp_path):
    path = tmp_path / "ana.json"
    path.write_bytes((FIXTURES / "newer-schema.json").read_bytes())
    with pytest.raises(AnnotationStoreError, match="newer version of the kit") as err:
        open_store("Ana", folder=tmp_path)
    assert err.value.moved_to is None and path.exists()


def test_a_file_broken_during_a_session_is_moved_aside_and_work_is_kept(tmp_path, articles):
    store = open_store("Ana", folder=tmp_path)
    a = store.add(articles["A"], 0, 5, "hedge")
    store.path.write_text("{ oops, edited by hand", encoding="utf-8")
    with pytest.warns(AnnotationStoreWarning, match="moved to ana.corrupt-"):
        b = store.add(articles["A"], 6, 9, "hedge")
    assert {x.id for x in open_store("Ana", folder=tmp_path).annotations()} == {a.id, b.id}
    (aside,) = tmp_path.glob("ana.corrupt-*.json")
    assert aside.read_text(encoding="utf-8") == "{ oops, edited by hand"


def test_a_file_broken_while_only_reading_is_repaired_from_memory(tmp_path, articles):
    store = open_store("Ana", folder=tmp_path)
    a = store.add(articles["A"], 0, 5, "hedge")
    store.path.write_text("[]", encoding="utf-8")
    with pytest.warns(AnnotationStoreWarning, match="moved to ana.corrupt-"):
        assert [x.id for x in store.annotations()] == [a.id]
    assert [x.id for x in read_annotations_file(store.path)] == [a.id]


def test_an_edit_in_the_same_microsecond_still_counts_as_newer(tmp_path, articles, monkeypatch):
    """A coarse or stepped-back clock must not let the merge pick the older version."""
    one = open_store("Ana", folder=tmp_path)
    two = open_store("Ana", folder=tmp_path)
    a = one.add(articles["A"], 0, 5, "hedge")
    assert [x.id for x in two.annotations()] == [a.id]  # two now holds the unedited copy
    monkeypatch.setattr(ka, "_now", lambda: a.created)  # the clock stands still
    edited = one.update(a.id, note="edited")
    assert edited.modified > a.modified
    two.add(articles["B"], 0, 5, "hedge")
    assert open_store("Ana", folder=tmp_path).get(a.id).note == "edited"


def test_read_annotations_file_reads_a_learner_file():
    anns = read_annotations_file(FIXTURES / "valid.json")
    assert [a.tag for a in anns] == ["framing-label", "loaded-language"]
    assert all(isinstance(a, Annotation) and a.learner == "Sample Learner" for a in anns)
    assert anns[0].note.endswith("🙂")
    assert all(a.end - a.start == len(a.exact) for a in anns)


@pytest.mark.parametrize("name", ["truncated.json", "wrong-types.json", "wrong-schema.json"])
def test_read_annotations_file_names_the_file_and_leaves_it_alone(name, tmp_path):
    path = tmp_path / name
    path.write_bytes((FIXTURES / name).read_bytes())
    with pytest.raises(AnnotationStoreError, match=f"{name}: is not a valid annotation file"):
        read_annotations_file(path)
    assert path.read_bytes() == (FIXTURES / name).read_bytes()
    with pytest.raises(AnnotationStoreError, match="no such annotation file"):
        read_annotations_file(tmp_path / "missing.json")


def test_fixture_annotations_match_the_seed_articles(articles):
    for a in read_annotations_file(FIXTURES / "valid.json"):
        assert articles[a.article_id].text[a.start : a.end] == a.exact


# --------------------------------------------------------------------------- learner names


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/x",
        "/etc/passwd",
        "C:\\Users\\x",
        "~/notes",
        "a/../../b",
        "..\\..\\x",
        "",
        "   ",
        "\t\n",
        "ana\x00.json",
        "bell\x07",
        "half \ud83d emoji",
        "...",
        "🙂🙂",
        "\u202e\u200b",
        "x" * 500,
        None,
        42,
    ],
)
def test_unsafe_learner_names_are_refused_with_a_message(tmp_path, name):
    before = files_under(tmp_path.parent)
    with pytest.raises(AnnotationStoreError, match="learner name"):
        open_store(name, folder=tmp_path / "class")
    assert files_under(tmp_path.parent) == before


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Ana", "ana"),
        ("  Zoë O'Brien  ", "zoë-o-brien"),
        ("CON", "con-learner"),
        ("lpt1", "lpt1-learner"),
        ("Ａｎａ", "ana"),  # full-width letters are the same name
        ("e\u0301mile", "émile"),  # combining accent composed (NFC)
        ("\u202eevil\u202c", "evil"),  # right-to-left override dropped
        ("李雷", "李雷"),
        ("..hidden", "hidden"),
        ("a:b*c?", "a-b-c"),
        ("Ana / Bo", "ana-bo"),  # a pair working together: the slash is just a character
        ("Ana <b>B</b>", "ana-b-b-b"),
        ("~zoe~", "zoe"),
    ],
)
def test_learner_names_map_to_a_safe_file_inside_the_folder(tmp_path, name, slug):
    folder = tmp_path / "class"
    store = open_store(name, folder=folder)
    assert learner_slug(name) == slug
    assert store.path == (folder / f"{slug}.json").resolve()
    assert store.path.parent == folder.resolve()
    assert all(folder in p.parents for p in files_under(tmp_path))


def test_a_symlinked_learner_file_cannot_lead_outside_the_folder(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    outside = tmp_path / "elsewhere.json"
    outside.write_text("precious", encoding="utf-8")
    (folder / "ana.json").symlink_to(outside)
    with pytest.raises(AnnotationStoreError, match="does not give a file in this folder"):
        open_store("Ana", folder=folder)
    assert outside.read_text(encoding="utf-8") == "precious"


def test_the_learner_name_is_remembered(tmp_path):
    assert remembered_learner(tmp_path) is None
    with pytest.raises(AnnotationStoreError, match="no learner name remembered"):
        open_store(folder=tmp_path)
    open_store("Zoë O'Brien", folder=tmp_path)
    assert remembered_learner(tmp_path) == "Zoë O'Brien"
    assert open_store(folder=tmp_path).path.name == "zoë-o-brien.json"
    remember_learner("Bo", tmp_path)
    assert remembered_learner(tmp_path) == "Bo"
    (tmp_path / ".learner").write_bytes(b"../../x")
    assert remembered_learner(tmp_path) is None
    with pytest.raises(AnnotationStoreError):
        remember_learner("../x", tmp_path)


def test_default_folder_honours_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(ka.ENV_VAR, str(tmp_path / "notes"))
    assert ka.default_folder() == (tmp_path / "notes").resolve()
    assert open_store("Ana").path == (tmp_path / "notes" / "ana.json").resolve()
    monkeypatch.delenv(ka.ENV_VAR)
    assert ka.default_folder().name == "my-annotations"


# --------------------------------------------------------------------------- Unicode notes


@pytest.mark.parametrize(
    ("note", "stored"),
    [
        ("🙂👩🏽‍🏫 emoji with skin tone and ZWJ", None),
        ("عربي مع English ‏mixed‎", None),
        ("e\u0301 combining marks a\u0308\u0323", None),
        ("nul \x00 and bell \x07 and\nnewlines\r\n", None),
        ("\ud83d\ude00 a pair pasted as two halves", "😀 a pair pasted as two halves"),
        ("lone \ud83d half", "lone \ufffd half"),
        ("\udfff", "\ufffd"),
        ("\u202e right-to-left override", None),
    ],
)
def test_any_note_a_learner_can_type_saves_and_reloads(tmp_path, articles, note, stored):
    store = open_store("Ana", folder=tmp_path)
    ann = store.add(articles["A"], 0, 5, "hedge", note=note)
    expected = note if stored is None else stored
    assert ann.note == expected
    assert open_store("Ana", folder=tmp_path).get(ann.id).note == expected
    json.loads(store.path.read_bytes().decode("utf-8"))  # strict UTF-8, still valid JSON


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(note=st.text(max_size=200), tag=st.text(min_size=1, max_size=20))
def test_arbitrary_unicode_never_makes_the_file_unreadable(tmp_path_factory, note, tag):
    folder = tmp_path_factory.mktemp("uni")
    store = open_store("Ana", folder=folder)
    art = FakeArticle("A", "plain text " * 10)
    try:
        ann = store.add(art, 0, 5, tag, note=note)
    except AnnotationStoreError as err:
        # refusing is allowed, with a clear message; it must leave the file readable
        assert "tag" in str(err)
        assert open_store("Ana", folder=folder).annotations() == []
        return
    reread = open_store("Ana", folder=folder).get(ann.id)
    assert reread == ann
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in note):
        assert reread.note == note


# --------------------------------------------------------------------------- notifications


def test_subscribers_hear_about_every_change(tmp_path, articles):
    store = open_store("Ana", folder=tmp_path)
    events = []
    unsubscribe = store.subscribe(events.append)
    a = store.add(articles["A"], 0, 5, "hedge")
    store.update(a.id, note="n")
    store.remove(a.id)
    assert [(e.kind, e.ids) for e in events] == [
        ("added", (a.id,)),
        ("updated", (a.id,)),
        ("removed", (a.id,)),
    ]
    # a change saved by another notebook is reported when this store next looks
    other = open_store("Ana", folder=tmp_path)
    time.sleep(0.01)  # a distinct modification time on coarse file systems
    b = other.add(articles["B"], 0, 5, "hedge")
    assert [x.id for x in store.annotations()] == [b.id]
    assert (events[-1].kind, events[-1].ids) == ("reloaded", (b.id,))
    unsubscribe()
    store.add(articles["A"], 0, 5, "hedge")
    assert len(events) == 4


def test_a_failing_subscriber_does_not_undo_the_save(tmp_path, articles):
    store = open_store("Ana", folder=tmp_path)

    def broken(event):
        raise RuntimeError("widget gone")

    store.subscribe(broken)
    with pytest.warns(AnnotationStoreWarning, match="widget gone"):
        a = store.add(articles["A"], 0, 5, "hedge")
    assert open_store("Ana", folder=tmp_path).get(a.id) == a


def test_a_stuck_writer_gives_a_clear_message(tmp_path, articles, monkeypatch):
    from filelock import FileLock

    store = open_store("Ana", folder=tmp_path)
    monkeypatch.setattr(store._lock, "timeout", 0.05)
    other = FileLock(str(store.path) + ".lock")
    with other, pytest.raises(AnnotationStoreError, match="another notebook"):
        store.add(articles["A"], 0, 5, "hedge")


# --------------------------------------------------------------------------- re-anchoring


def test_reanchor_moves_keeps_and_orphans(tmp_path, articles):
    a = articles["A"]
    art = FakeArticle("A", a.text)
    store = open_store("Ana", folder=tmp_path)
    s1, e1 = word_span(a, "Canada", 1)
    s2, e2 = 600, 640
    stays = store.add(art, s1, e1, "named-source")
    moves = store.add(art, s2, e2, "hedge", note="keep me")
    gone = store.add(art, e2 + 100, e2 + 130, "loaded-language")
    other = store.add(articles["B"], 0, 5, "hedge")
    # an edit after `stays`, before `moves`, and deleting `gone`'s words
    edited = a.text[:s2] + "A NEW SENTENCE WAS ADDED. " + a.text[s2 : e2 + 90] + a.text[e2 + 140 :]
    report = store.reanchor([FakeArticle("A", edited)])
    assert [x.id for x in report.unchanged] == [stays.id]
    assert [x.id for x in report.moved] == [moves.id]
    assert [x.id for x in report.orphaned] == [gone.id]
    assert [x.id for x in report.skipped] == [other.id]
    assert "1 orphaned" in str(report)
    moved = open_store("Ana", folder=tmp_path).get(moves.id)
    assert edited[moved.start : moved.end] == moves.exact and moved.note == "keep me"
    orphan = open_store("Ana", folder=tmp_path).get(gone.id)
    assert orphan.status == "orphaned"
    assert (orphan.start, orphan.exact) == (gone.start, gone.exact)  # kept, not re-pointed
    # re-anchoring against the original text brings the orphan back
    again = store.reanchor([art])
    assert gone.id in {x.id for x in again.moved}
    assert store.get(gone.id).status == "anchored"


def test_reanchor_on_unchanged_articles_changes_nothing(tmp_path, articles):
    store = open_store("Ana", folder=tmp_path)
    for art in articles:
        store.add(art, 10, 25, "hedge")
    before = store.path.read_bytes()
    report = store.reanchor(articles)
    assert len(report.unchanged) == len(articles) and not report.moved and not report.orphaned
    assert json.loads(store.path.read_bytes())["first"] == json.loads(before)["first"]


# --------------------------------------------------------------------------- export


def test_csv_export_round_trips(tmp_path, articles):
    store = open_store("Ana", folder=tmp_path, article_set="carney-beijing-2026")
    store.add(articles["A"], 0, 5, "hedge", note='comma, "quotes"\nand a newline 🙂')
    store.add(articles["B"], 7, 19, "loaded-language", note="=1+1 stays text")
    out = store.export_csv(tmp_path / "export.csv")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(ka.CSV_FIELDS)
    for row, ann in zip(rows, store.annotations(), strict=True):
        for field in ka.CSV_FIELDS:
            assert row[field] == ka._csv_cell(getattr(ann, field))
    assert rows[1]["note"] == "'=1+1 stays text"  # a formula stays text in a spreadsheet
    assert {"article_id", "start", "end", "exact", "tag", "note", "created", "modified"} <= set(
        rows[0]
    )


def test_json_export_round_trips(tmp_path, articles):
    store = open_store("Ana", folder=tmp_path)
    store.add(articles["A"], 0, 5, "hedge", note="🙂")
    gone = store.add(articles["C"], 3, 9, "hedge")
    store.remove(gone.id)
    out = store.export_json(tmp_path / "export.json")
    assert read_annotations_file(out) == store.annotations()


def test_export_to_an_unwritable_place_names_it(tmp_path, articles):
    store = open_store("Ana", folder=tmp_path)
    target = tmp_path / "no" / "such" / "dir" / "x.csv"
    with pytest.raises(AnnotationStoreError, match="cannot write the export"):
        store.export_csv(target)


def test_kit_exports_the_store_api():
    assert kit.open_store is open_store
    assert kit.AnnotationStoreError is AnnotationStoreError
    assert issubclass(AnnotationStoreError, ValueError)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert kit.Annotation is Annotation


# --------------------------------------------------------------------------- CSV injection


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_export_neutralises_formulas_in_every_column(tmp_path, lead, monkeypatch):
    store = open_store("Ana", folder=tmp_path)
    store.add(FakeArticle("A", "Hello world, said the mayor."), 0, 5, "hedge")
    hostile = [
        replace(a, **{f: f'{lead}HYPERLINK("http://x")' for f in ka.CSV_FIELDS})
        for a in store.annotations()
    ]
    monkeypatch.setattr(store, "annotations", lambda article_id=None: hostile)
    out = store.export_csv(tmp_path / "export.csv")
    raw = out.read_bytes().decode("utf-8-sig")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[1] and len(rows[1]) == len(ka.CSV_FIELDS)
    for cell in rows[1]:
        assert cell.startswith("'" + lead)  # a spreadsheet shows it as text, not a formula
    body = raw.split("\r\n", 1)[1]
    assert body.startswith('"') and f",\"'{lead}" in body  # and every cell is quoted


def test_csv_export_neutralises_what_a_learner_types(tmp_path):
    store = open_store("@Ana", folder=tmp_path, article_set="-set")
    article = FakeArticle("+A", "-5 degrees, said the mayor.")
    store.add(article, 0, 10, "hedge", note="=cmd|' /C calc'!A0")
    out = store.export_csv(tmp_path / "export.csv")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        row = next(csv.DictReader(fh))
    assert row["note"] == "'=cmd|' /C calc'!A0"
    assert row["learner"] == "'@Ana" and row["article_set"] == "'-set"
    assert row["article_id"] == "'+A" and row["exact"] == "'-5 degrees"
    assert row["start"] == "0"


# --------------------------------------------------------------------------- hostile files


def _open_within(name: str, folder: Path, seconds: float = 5.0):
    """open_store, or what it raised; fails the test if it hangs (on a FIFO, say)."""
    return returns_within(
        lambda: open_store(name, folder=folder), folder, f"open_store({name!r})", seconds
    )


def test_a_fifo_learner_file_is_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "ana.json")
    outcome = _open_within("Ana", tmp_path)
    assert isinstance(outcome, AnnotationStoreError), outcome
    assert "ana.json" in str(outcome) and "named pipe" in str(outcome)


def test_a_learner_file_linked_to_a_device_is_refused(tmp_path):
    (tmp_path / "ana.json").symlink_to("/dev/zero")
    outcome = _open_within("Ana", tmp_path)
    assert isinstance(outcome, AnnotationStoreError), outcome


def test_a_lock_path_that_is_a_folder_is_named(tmp_path):
    (tmp_path / "ana.json.lock").mkdir()
    outcome = _open_within("Ana", tmp_path, seconds=LOCK_WAIT)
    assert isinstance(outcome, AnnotationStoreError), outcome
    assert "ana.json.lock" in str(outcome) and "is a folder" in str(outcome)


LOCK_WAIT = 10.0


def test_a_symlink_loop_is_a_store_error(tmp_path):
    (tmp_path / "ana.json").symlink_to(tmp_path / "other.json")
    (tmp_path / "other.json").symlink_to(tmp_path / "ana.json")
    with pytest.raises(AnnotationStoreError, match="loops back"):
        open_store("Ana", folder=tmp_path)


def test_a_name_too_long_in_bytes_still_gets_a_file(tmp_path):
    name = "李" * 90  # 270 bytes in UTF-8: more than a file name may hold
    store = open_store(name, folder=tmp_path)
    store.add(FakeArticle("A", "Hello world."), 0, 5, "hedge")
    assert len(store.path.name.encode("utf-8")) + len(".lock") <= 255
    assert len(open_store(name, folder=tmp_path).annotations()) == 1
    assert open_store("李" * 89 + "雷", folder=tmp_path).path != store.path


def test_a_learner_file_with_a_utf8_bom_is_read(tmp_path):
    store = open_store("Ana", folder=tmp_path)
    store.add(FakeArticle("A", "Hello world."), 0, 5, "hedge", note="kept")
    store.path.write_bytes(b"\xef\xbb\xbf" + store.path.read_bytes())  # as Notepad saves it
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = open_store("Ana", folder=tmp_path)
    assert [a.note for a in again.annotations()] == ["kept"]
    assert not [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664])
def test_saving_keeps_the_files_mode(tmp_path, mode):
    store = open_store("Ana", folder=tmp_path)
    store.path.chmod(mode)
    store.add(FakeArticle("A", "Hello world."), 0, 5, "hedge")
    assert stat.S_IMODE(store.path.stat().st_mode) == mode


def test_a_new_file_gets_the_umask_default(tmp_path):
    old = os.umask(0o027)
    try:
        store = open_store("Ana", folder=tmp_path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o640


@pytest.mark.parametrize(
    "names",
    [
        ("Ana B.", "ana-b"),
        ("a/b", "a\\b", "a:b"),
        ("𝐀𝐧𝐚", "Ana"),  # styled (mathematical bold) letters and plain ones
        ("Zoë", "Zoe\u0308"),  # the same name, composed or not, is NOT two learners
    ],
)
def test_learner_names_that_share_a_slug_never_share_a_file(tmp_path, names):
    paths = {}
    for name in names:
        store = open_store(name, folder=tmp_path)
        store.add(FakeArticle("A", "Hello world."), 0, 5, "hedge", note=f"by {name}")
        paths[name] = store.path
    for name in names:  # and each finds its own file again
        assert open_store(name, folder=tmp_path).path == paths[name]
    same_person = unicodedata.normalize("NFC", names[0]) == unicodedata.normalize("NFC", names[-1])
    assert len(set(paths.values())) == (1 if same_person else len(names))
    if not same_person:
        for name, path in paths.items():
            assert [a.note for a in read_annotations_file(path)] == [f"by {name}"]


def test_an_existing_file_keeps_opening_for_its_learner(tmp_path):
    store = open_store("Ana B.", folder=tmp_path)
    store.add(FakeArticle("A", "Hello world."), 0, 5, "hedge")
    assert store.path.name == "ana-b.json"
    assert open_store("ana b.", folder=tmp_path).path == store.path  # case and spacing only
    assert len(open_store("Ana B.", folder=tmp_path).annotations()) == 1


# --------------------------------------------------------------------------- as another user


_OPEN = (
    "import sys, kit\n"
    "try:\n    kit.open_store('Ana', folder=sys.argv[1]); print('OPENED')\n"
    "except kit.AnnotationStoreError as exc:\n    print('KIT:', exc)\n"
)


def test_a_read_only_folder_gives_the_store_error(shared_dir):
    folder = shared_dir / "class"
    folder.mkdir(mode=0o555)
    folder.chmod(0o555)
    out = snippet_as_unprivileged(_OPEN, str(folder))
    assert out.startswith("KIT:") and "ermission denied" in out, out


@pytest.mark.parametrize("with_lock", [False, True])
def test_another_users_file_gives_the_store_error(shared_dir, with_lock):
    folder = shared_dir / "class"
    folder.mkdir()
    folder.chmod(0o777)
    theirs = folder / "ana.json"
    open_store("Ana", folder=folder).add(FakeArticle("A", "Hello world."), 0, 5, "hedge")
    theirs.chmod(0o600)
    lock = folder / "ana.json.lock"
    if with_lock:
        lock.write_text("")
        lock.chmod(0o600)
    else:
        lock.unlink(missing_ok=True)
    if os.geteuid() != 0:
        pytest.skip("needs root to make a file that belongs to another user")
    out = snippet_as_unprivileged(_OPEN, str(folder))
    assert out.startswith("KIT:") and "ermission denied" in out, out
    assert len(read_annotations_file(theirs)) == 1  # and the file is untouched


def test_a_fifo_in_place_of_the_remembered_name_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / ka.LEARNER_FILE)
    result: list = []
    worker = threading.Thread(target=lambda: result.append(remembered_learner(tmp_path)))
    worker.daemon = True
    worker.start()
    worker.join(5)
    if worker.is_alive():
        os.close(os.open(tmp_path / ka.LEARNER_FILE, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("remembered_learner blocked on a named pipe")
    assert result == [None]
