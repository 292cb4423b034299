"""Lexicons are data an instructor edits: a mistake must point at the file and the line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import kit
from kit._data import data_dir
from kit.lexicons import LexiconError, load_lexicon

LEXICONS = sorted((data_dir() / "lexicons").glob("*.toml"))


@pytest.fixture
def own_data(tmp_path, monkeypatch):
    """A private copy of data/ that a test may break."""
    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    monkeypatch.setenv("KIT_DATA_DIR", str(copy))
    return copy


@pytest.mark.parametrize(
    "path", [p for p in LEXICONS if p.stem != "boilerplate"], ids=lambda p: p.stem
)
def test_every_shipped_lexicon_loads_and_says_where_its_words_come_from(path: Path):
    lexicon = load_lexicon(path.stem)
    assert lexicon.source.strip()
    assert lexicon.entries
    assert path.read_text(encoding="utf-8").lstrip().startswith("#"), "header comment missing"
    for entry in lexicon:
        assert entry.reason, f"{path.stem}: {entry.id} has no reason"
    re.compile(lexicon.alternation() or "x")


def test_alternation_tolerates_non_breaking_spaces(own_data):
    (own_data / "lexicons" / "demo.toml").write_text(
        '# demo\n[lexicon]\nname = "demo"\nsource = "test"\n'
        '[[entry]]\nid = "a"\nreason = "r {term}"\nterms = ["according to", "said"]\n',
        encoding="utf-8",
    )
    lex = load_lexicon("demo")
    assert re.search(lex.alternation(), "according\u00a0to the report")
    assert lex["a"].explain("said") == "r said"


def test_unknown_lexicon_suggests_a_name(own_data):
    shutil.copy(own_data / "lexicons" / "boilerplate.toml", own_data / "lexicons" / "hedges.toml")
    with pytest.raises(LexiconError, match="did you mean 'hedges'"):
        load_lexicon("hedgs")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[lexicon]\nname = "x"\n', "must say where its words come from"),
        ('[lexicon]\nsource = "s"\n[[entry]]\nid = "a"\nterms = ["x"]\n', "needs a reason"),
        (
            '[lexicon]\nsource = "s"\n[[entry]]\nid = "a"\nreason = "r"\nterm = ["x"]\n',
            "line 6: unknown key 'term'; did you mean 'terms'",
        ),
        (
            '[lexicon]\nsource = "s"\n[[entry]]\nid = "a"\nreason = "r"\npatterns = ["(x"]\n',
            "bad pattern",
        ),
        ("[lexicon\n", "not valid TOML"),
        (
            '[lexicon]\nsource = "s"\n[[entry]]\nid = "a"\nreason = "r"\n'
            '[[entry]]\nid = "a"\nreason = "r2"\n',
            "line 7: entry 2: the id 'a' is used twice",
        ),
    ],
)
def test_a_broken_lexicon_names_file_and_problem(own_data, body, expected):
    path = own_data / "lexicons" / "broken.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon("broken")
    assert "broken.toml" in str(info.value)
    assert expected in str(info.value)


def test_an_edited_lexicon_is_picked_up_without_restarting(own_data):
    path = own_data / "lexicons" / "live.toml"
    path.write_text('[lexicon]\nsource = "s"\n[[entry]]\nid = "a"\nreason = "r"\nterms = ["x"]\n')
    assert load_lexicon("live")["a"].terms == ("x",)
    path.write_text('[lexicon]\nsource = "s"\n[[entry]]\nid = "a"\nreason = "r"\nterms = ["yy"]\n')
    import os

    os.utime(path, ns=(1, 10**18))  # a different mtime, as an editor's save would give
    assert load_lexicon("live")["a"].terms == ("yy",)


def test_import_kit_stays_light():
    import subprocess
    import sys

    heavy = ("pandas", "altair", "ipywidgets", "anywidget", "numpy")
    code = f"import sys, kit; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert "load_articles" in kit.__all__


def test_listener_verbs_are_verbs_of_their_own_entry():
    # x_listener marks some of an entry's verbs; a word that is not one of them does nothing
    for entry in load_lexicon("speech_verbs"):
        listed = {str(w).lower() for w in entry.extra.get("x_listener", ())}
        assert listed <= {t.lower() for t in entry.terms}, (entry.id, listed - set(entry.terms))
