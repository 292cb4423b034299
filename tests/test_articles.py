"""Loading article sets: the default set verbatim, instructors' folders, and every bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kit
from kit.articles import MAX_BYTES
from tests.conftest import SEED_SET, seed_path
from tests.factories import returns_within, snippet_as_unprivileged

SEEDS = seed_path()
REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "sets"


# --------------------------------------------------------------------------- the default set


def test_default_set_has_five_articles_in_order(articles):
    assert len(articles) == 5
    assert articles.ids == ("A", "B", "C", "D", "E")
    assert [a.id for a in articles] == list(articles.ids)


def test_every_seed_line_appears_unchanged(articles):
    """Is article.text the complete file, byte for byte (after UTF-8 decoding)?"""
    for article in articles:
        raw = article.path.read_bytes()
        assert article.text == raw.decode("utf-8")
        for line in raw.decode("utf-8").splitlines():
            assert line in article.text


def test_index_by_id_and_position(articles):
    assert articles["C"] is articles[2]
    assert "E" in articles and "Z" not in articles
    with pytest.raises(KeyError, match="no article 'Z'"):
        articles["Z"]


def test_metadata_records_only_what_the_text_shows(articles):
    a, _, c, d, e = articles
    assert c.headline == kit.UNKNOWN and c.headline_span is None
    assert c.byline == "Newsinc24 Team"
    assert d.outlet == "MENA Newswire" and d.dateline == "BEIJING"
    assert e.headline.startswith("Canada’s Strategic Shift")  # not the file-name-like line 1
    assert all(x.published == kit.UNKNOWN for x in articles)
    assert a.unknowns == ("outlet", "byline", "published")


def test_headline_span_points_at_the_headline(articles):
    for article in articles:
        if article.headline_span is not None:
            assert article.span_text(article.headline_span) == article.headline


def test_boilerplate_covers_furniture_and_not_reporting(articles):
    c = articles["C"]
    related = c.text.index("$25.04 billion")
    assert c.is_boilerplate(related)
    assert not c.is_boilerplate(c.text.index("100% tariff"))
    a = articles["A"]
    assert a.is_boilerplate(a.text.index("Leave a Reply"))
    assert a.is_boilerplate(a.text.index("LinkedIn"))


def test_paragraph_and_sentence_offsets_are_exact(articles):
    for article in articles:
        for span in article.paragraphs + article.sentences:
            chunk = article.text[span.start : span.end]
            assert chunk and chunk == chunk.strip()
        # sentences tile each paragraph in order
        for s in article.sentences:
            assert article.paragraph_number(s.start) is not None


def test_glued_sentences_are_split(articles):
    c = articles["C"]
    starts = [c.text[s.start : s.end][:8] for s in c.sentences]
    assert "China’s " in starts  # "...tensions.China’s state media" is two sentences


def test_abbreviations_do_not_end_sentences(articles):
    b = articles["B"]
    for s in b.sentences:
        assert not b.text[s.start : s.end].endswith("U.S.")


def test_without_manifest_furniture_comes_from_the_lexicon(tmp_path, articles):
    for article in articles:
        (tmp_path / article.path.name).write_bytes(article.path.read_bytes())
    plain = kit.load_articles(tmp_path)
    for with_manifest, without in zip(articles, plain, strict=True):
        assert [(s.start, s.end) for s in without.boilerplate] == [
            (s.start, s.end) for s in with_manifest.boilerplate
        ]
    # the file-name-like first line is furniture, so the headline is the next line
    assert plain[4].headline == articles["E"].headline


# --------------------------------------------------------------------------- instructors' sets


def test_a_folder_of_three_txt_files_loads_with_no_manifest():
    s = kit.load_articles(FIXTURES / "harbour-bridge")
    assert len(s) == 3
    assert s.ids == ("bridge-blog", "bridge-wire", "council-notes")
    blog = s["bridge-blog"]
    assert blog.headline.startswith("Another Bridge Fiasco")
    assert blog.outlet == kit.UNKNOWN
    assert blog.is_boilerplate(blog.text.index("Share this article"))
    assert s.sides == {}


def test_manifest_orders_and_names_articles(tmp_path):
    (tmp_path / "one.txt").write_text("First headline\n\nBody one.", encoding="utf-8")
    (tmp_path / "two.txt").write_text("Second headline\n\nBody two.", encoding="utf-8")
    (tmp_path / "manifest.toml").write_text(
        '[set]\ntitle = "Mine"\n[set.sides]\nCity = ["mayor"]\n'
        '[[article]]\nfile = "two.txt"\nid = "X"\noutlet = "The Bugle"\n',
        encoding="utf-8",
    )
    s = kit.load_articles(tmp_path)
    assert s.ids == ("X", "one")
    assert s["X"].outlet == "The Bugle" and s["one"].outlet == kit.UNKNOWN
    assert s.title == "Mine" and s.sides == {"City": ("mayor",)}


def test_bom_and_crlf_files_load(tmp_path):
    (tmp_path / "w.txt").write_bytes("\ufeffHeadline\r\n\r\nBody text here.\r\n".encode())
    a = kit.load_articles(tmp_path)[0]
    assert a.headline == "Headline"
    assert a.span_text(a.body_paragraphs[0]) == "Body text here."


# --------------------------------------------------------------------------- bad input


def _error(path) -> str:
    with pytest.raises(kit.ArticleSetError) as info:
        kit.load_articles(path)
    return str(info.value)


def test_missing_path(tmp_path):
    msg = _error(tmp_path / "nowhere")
    assert "nowhere" in msg and "no such folder" in msg


def test_a_file_instead_of_a_folder(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("x")
    assert "give the folder" in _error(f)


def test_empty_folder(tmp_path):
    (tmp_path / "notes.md").write_text("not an article")
    assert "empty folder" in _error(tmp_path)


def test_not_utf8(tmp_path):
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 society\n\nText.".encode("latin-1"))
    msg = _error(tmp_path)
    assert "latin.txt" in msg and "not UTF-8" in msg and "0xe9" in msg


@pytest.mark.parametrize("content", ["", "   \n\n\t  \n", "\ufeff", "\ufeff \n"])
def test_empty_or_whitespace_file(tmp_path, content):
    (tmp_path / "blank.txt").write_text(content)
    msg = _error(tmp_path)
    assert "blank.txt" in msg and "empty" in msg


def test_binary_file(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    msg = _error(tmp_path)
    assert "image.txt" in msg and "binary" in msg


def test_control_characters_without_nul_are_binary(tmp_path):
    (tmp_path / "odd.txt").write_bytes(bytes(range(1, 31)) * 10)
    assert "binary" in _error(tmp_path)


def test_file_too_large(tmp_path):
    (tmp_path / "book.txt").write_text("word " * (MAX_BYTES // 5 + 10))
    msg = _error(tmp_path)
    assert "book.txt" in msg and "too large" in msg


def test_duplicate_ids(tmp_path):
    (tmp_path / "a.txt").write_text("One\n\nx")
    (tmp_path / "b.txt").write_text("Two\n\ny")
    (tmp_path / "manifest.toml").write_text(
        '[[article]]\nfile = "a.txt"\nid = "same"\n[[article]]\nfile = "b.txt"\nid = "Same"\n'
    )
    msg = _error(tmp_path)
    assert "b.txt" in msg and "duplicate article id" in msg


def test_manifest_names_a_missing_file(tmp_path):
    (tmp_path / "a.txt").write_text("One\n\nx")
    (tmp_path / "manifest.toml").write_text('[[article]]\nfile = "gone.txt"\n')
    msg = _error(tmp_path)
    assert "manifest.toml" in msg and "gone.txt" in msg and "does not exist" in msg


def test_manifest_cannot_reach_outside_the_folder(tmp_path):
    inner = tmp_path / "set"
    inner.mkdir()
    (tmp_path / "secret.txt").write_text("Secret\n\nx")
    (inner / "manifest.toml").write_text('[[article]]\nfile = "../secret.txt"\n')
    assert "outside the article folder" in _error(inner)


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        ("[[article]\nfile = 'a.txt'", "not valid TOML"),
        ("[[article]]\nfile = 'a.txt'\nheadlin = 'x'\n", "did you mean 'headline'"),
        ("[[article]]\nid = 'x'\n", "needs file"),
        ("[article]\nfile = 'a.txt'\n", "double brackets"),
        ("[[article]]\nfile = 'a.txt'\noutlet = 3\n", "outlet must be text"),
        ("[[article]]\nfile = 'a.txt'\nboilerplate = [{label = 'x', lines = [3, 1]}]\n", "lines"),
        ("[[article]]\nfile = 'a.txt'\nheadline = 'Not in the text'\n", "does not occur"),
        ("[[article]]\nfile = 'a.txt'\nboilerplate = [{lines = [1, 99]}]\n", "run past"),
        ("[set]\nsides = { A = 'x' }\n", "sides"),
    ],
)
def test_malformed_manifest(tmp_path, manifest, expected):
    (tmp_path / "a.txt").write_text("Headline\n\nBody.")
    (tmp_path / "manifest.toml").write_text(manifest)
    msg = _error(tmp_path)
    assert "manifest.toml" in msg and expected in msg


def test_errors_are_value_errors_for_callers_that_catch_broadly(tmp_path):
    assert issubclass(kit.ArticleSetError, ValueError)


# --------------------------------------------------------------------------- properties


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(min_size=1, max_size=400).filter(lambda t: t.strip()))
def test_any_unicode_text_loads_with_exact_spans(tmp_path_factory, body):
    folder = tmp_path_factory.mktemp("prop")
    (folder / "a.txt").write_bytes(body.encode("utf-8", "surrogatepass"))
    try:
        article = kit.load_articles(folder)[0]
    except kit.ArticleSetError as exc:  # control characters or surrogates: refused clearly
        assert "a.txt" in str(exc)
        return
    assert article.text == body.removeprefix("\ufeff")
    for span in article.paragraphs + article.sentences + article.boilerplate:
        assert 0 <= span.start < span.end <= len(article.text)


# --------------------------------------------------------------------------- hostile files


def _load_within(folder: Path, seconds: float = 5.0) -> BaseException | kit.ArticleSet:
    """The loaded set, or what loading raised; fails the test if it hangs (on a FIFO, say)."""
    return returns_within(
        lambda: kit.load_articles(folder), folder, f"load_articles({folder})", seconds
    )


def _refused(folder: Path) -> str:
    outcome = _load_within(folder)
    assert isinstance(outcome, kit.ArticleSetError), outcome
    return str(outcome)


@pytest.mark.parametrize("name", ["a.txt", "manifest.toml"])
def test_a_fifo_is_refused_at_once(tmp_path, name):
    (tmp_path / "b.txt").write_text("Headline\n\nBody.")
    os.mkfifo(tmp_path / name)
    msg = _refused(tmp_path)
    assert name in msg and "named pipe" in msg


def test_a_link_to_a_device_is_refused(tmp_path):
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    msg = _refused(tmp_path)
    assert "zero.txt" in msg and "device" in msg


def test_a_link_out_of_the_folder_is_refused(tmp_path):
    inner = tmp_path / "set"
    inner.mkdir()
    (tmp_path / "secret.txt").write_text("Secret\n\nx")
    (inner / "a.txt").symlink_to(tmp_path / "secret.txt")
    msg = _refused(inner)
    assert "a.txt" in msg and "outside the article folder" in msg


def test_a_link_inside_the_folder_still_loads(tmp_path):
    (tmp_path / "real.txt").write_text("Headline\n\nBody.")
    (tmp_path / "alias.txt").symlink_to(tmp_path / "real.txt")
    assert kit.load_articles(tmp_path).ids == ("alias", "real")


def test_a_link_loop_is_refused(tmp_path):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    assert "loops" in _refused(tmp_path)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_named_with_how_to_convert(tmp_path, encoding):
    (tmp_path / "w.txt").write_bytes("Headline\n\nBody text.".encode(encoding))
    msg = _refused(tmp_path)
    assert "w.txt" in msg and "UTF-16" in msg and "save it again as UTF-8" in msg
    assert "binary" not in msg


def test_a_single_note_is_one_note_not_letters(tmp_path):
    (tmp_path / "a.txt").write_text("Headline\n\nBody.")
    (tmp_path / "manifest.toml").write_text(
        '[set]\nnotes = "hello"\n[[article]]\nfile = "a.txt"\nnotes = "one note"\n'
    )
    s = kit.load_articles(tmp_path)
    assert s.notes == ("hello",) and s[0].notes == ("one note",)


def test_file_dot_is_called_a_folder(tmp_path):
    (tmp_path / "a.txt").write_text("Headline\n\nBody.")
    (tmp_path / "manifest.toml").write_text('[[article]]\nfile = "."\n')
    msg = _refused(tmp_path)
    assert "is a folder" in msg and "outside" not in msg


def test_a_deeply_nested_manifest_is_a_kit_error(tmp_path):
    (tmp_path / "a.txt").write_text("Headline\n\nBody.")
    (tmp_path / "manifest.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    msg = _refused(tmp_path)
    assert "manifest.toml" in msg and "nested too deeply" in msg
    cli = subprocess.run(
        [sys.executable, "-m", "kit", "check", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert cli.returncode != 0 and "nested too deeply" in cli.stderr
    assert "Traceback" not in cli.stderr + cli.stdout


_LOAD = (
    "import sys, kit\n"
    "try:\n    kit.load_articles(sys.argv[1]); print('LOADED')\n"
    "except kit.ArticleSetError as exc:\n    print('KIT:', exc)\n"
)


@pytest.mark.parametrize("what", ["folder", "file", "manifest"])
def test_unreadable_files_give_the_kit_error(shared_dir, what):
    folder = shared_dir / "set"
    folder.mkdir()
    (folder / "a.txt").write_text("Headline\n\nBody.")
    (folder / "manifest.toml").write_text('[[article]]\nfile = "a.txt"\n')
    for p in (folder, folder / "a.txt", folder / "manifest.toml"):
        p.chmod(0o755 if p.is_dir() else 0o644)
    locked = {"folder": folder, "file": folder / "a.txt", "manifest": folder / "manifest.toml"}
    locked[what].chmod(0o300 if what == "folder" else 0o200)
    out = snippet_as_unprivileged(_LOAD, str(folder))
    assert out.startswith("KIT:") and "permission denied" in out, out
    if what == "manifest":
        assert "cannot read the manifest" in out and "malformed" not in out


def test_a_bare_set_name_loads_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert kit.load_articles(SEED_SET).path == SEEDS


def test_an_unknown_course_set_names_where_it_looked(monkeypatch):
    monkeypatch.setenv("KIT_ARTICLES", "no-such-set-anywhere")
    with pytest.raises(kit.ArticleSetError) as info:
        kit.load_articles()
    assert str(SEEDS.parent) in str(info.value) and "no set named" in str(info.value)


# ------------------------------------------------------------------ the text's own metadata


PLAIN = (
    "Council Approves New Bridge Plan\n"
    "By Maria Lopez, The Harbour Gazette\n"
    "March 4, 2025\n"
    "\n"
    "The council voted 7-2 on Tuesday to approve the plan, officials said.\n"
    "\n"
    "Related stories: Bridge costs soar; Mayor under fire\n"
)


def test_a_plain_text_byline_and_date_line_are_read(tmp_path):
    (tmp_path / "a.txt").write_text(PLAIN, encoding="utf-8")
    a = kit.load_articles(tmp_path)[0]
    assert a.headline == "Council Approves New Bridge Plan"
    assert (a.byline, a.outlet, a.published) == (
        "Maria Lopez",
        "The Harbour Gazette",
        "March 4, 2025",
    )
    assert a.unknowns == ()
    assert a.text == PLAIN  # the text is unchanged; the lines are marked, not removed
    for line in ("By Maria Lopez", "March 4, 2025"):
        assert a.is_boilerplate(a.text.index(line))
    assert a.is_boilerplate(a.text.index("Related stories:"))
    assert a.is_boilerplate(a.text.index("Mayor under fire"))
    assert not a.is_boilerplate(a.text.index("The council voted"))
    assert [a.span_text(p) for p in a.body_paragraphs] == [
        "The council voted 7-2 on Tuesday to approve the plan, officials said."
    ]


@pytest.mark.parametrize(
    ("line", "byline", "outlet"),
    [
        ("By Jane Doe", "Jane Doe", kit.UNKNOWN),
        ("BY JANE DOE AND AL ROE", "JANE DOE AND AL ROE", kit.UNKNOWN),
        ("By Jane Doe | Reuters", "Jane Doe", "Reuters"),
    ],
)
def test_byline_forms(tmp_path, line, byline, outlet):
    (tmp_path / "a.txt").write_text(f"Headline\n{line}\n\nBody text.\n", encoding="utf-8")
    a = kit.load_articles(tmp_path)[0]
    assert (a.byline, a.outlet) == (byline, outlet)


@pytest.mark.parametrize(
    "line",
    [
        "By the end of the week, the bridge had reopened to traffic.",  # a sentence, not a byline
        "By 2030 the council expects to finish the work.",
    ],
)
def test_a_sentence_starting_with_by_is_not_a_byline(tmp_path, line):
    (tmp_path / "a.txt").write_text(f"Headline\n{line}\n", encoding="utf-8")
    a = kit.load_articles(tmp_path)[0]
    assert a.byline == kit.UNKNOWN and not a.is_boilerplate(a.text.index(line))


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Published: Jan. 13, 2026, 10:32 a.m. ET", "Jan. 13, 2026"),
        ("Tuesday 13 January 2026", "13 January 2026"),
        ("2026-01-13", "2026-01-13"),
    ],
)
def test_date_line_forms(tmp_path, line, date):
    (tmp_path / "a.txt").write_text(f"Headline\n{line}\n\nBody text.\n", encoding="utf-8")
    assert kit.load_articles(tmp_path)[0].published == date


def test_the_manifest_wins_over_the_text(tmp_path):
    (tmp_path / "a.txt").write_text(PLAIN, encoding="utf-8")
    (tmp_path / "manifest.toml").write_text(
        '[[article]]\nfile = "a.txt"\nbyline = "M. Lopez"\npublished = "unknown"\n'
    )
    a = kit.load_articles(tmp_path)[0]
    assert (a.byline, a.outlet, a.published) == ("M. Lopez", "The Harbour Gazette", kit.UNKNOWN)
