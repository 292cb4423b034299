"""One switch for the whole course: which articles, which learner, which key."""

from __future__ import annotations

import shutil
from pathlib import Path

import kit
from kit._data import data_dir
from kit.articles import course_articles_path

FIXTURES = Path(__file__).parent / "fixtures" / "sets"


def test_default_course_is_the_seed_set(monkeypatch):
    monkeypatch.delenv("KIT_ARTICLES", raising=False)
    assert course_articles_path().name == "carney-beijing-2026"
    assert kit.course_key().set_name == "carney-beijing-2026"


def test_kit_articles_switches_every_lesson_to_an_instructors_folder(monkeypatch):
    monkeypatch.setenv("KIT_ARTICLES", str(FIXTURES / "harbour-bridge"))
    articles = kit.load_articles()
    assert len(articles) == 3
    assert kit.course_key(articles) is None  # no key: feedback falls back to hints


def test_course_toml_names_the_set(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    shutil.copytree(FIXTURES / "harbour-bridge", data / "articles" / "harbour-bridge")
    (data / "course.toml").write_text('articles = "harbour-bridge"\n')
    monkeypatch.setenv("KIT_DATA_DIR", str(data))
    monkeypatch.delenv("KIT_ARTICLES", raising=False)
    assert kit.load_articles().ids == ("bridge-blog", "bridge-wire", "council-notes")


def test_learner_and_store_before_and_after_sign_in(tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_ANNOTATIONS_DIR", str(tmp_path))
    assert kit.learner() == "learner"
    form = kit.sign_in()
    text, button = form.children[0].children
    text.value = "../../etc/passwd"
    button.click()
    assert "/" in text.value and "path" in form.children[1].value  # refused, told why
    text.value = "Ana <b>B</b>"
    button.click()
    assert "&lt;b&gt;" in form.children[1].value
    assert kit.learner() == "Ana <b>B</b>"
    assert kit.my_store().path.parent == tmp_path


def test_sign_in_is_empty_after_a_lesson_ran_before_anyone_signed_in(tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_ANNOTATIONS_DIR", str(tmp_path))
    kit.my_store().add(kit.load_articles()[0], 0, 1, "hedge")  # saved under "learner"
    form = kit.sign_in()
    assert form.children[0].children[0].value == ""
    assert "Welcome back" not in form.children[1].value


def test_plain_errors_does_nothing_outside_a_notebook():
    assert kit.course.plain_errors() is False


def test_plain_error_html_escapes_the_message():
    from kit.course import plain_error_html

    page = plain_error_html(kit.ArticleSetError("data/x/<b>.txt: empty file"))
    assert "&lt;b&gt;" in page and "<b>" not in page and "Traceback" not in page
