"""The course as a whole: who the learner is, where their work goes, which answer key applies.

Lessons call these so that each notebook needs one line of setup, and an instructor who
switches the article set (``data/course.toml``) changes every lesson at once.

>>> course_key() is not None
True
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from kit.articles import ArticleSet, course_articles_path, load_articles

if TYPE_CHECKING:
    from kit.annotations import AnnotationStore
    from kit.keys import AnswerKey

__all__ = [
    "DEFAULT_LEARNER",
    "course_key",
    "exercise_article",
    "learner",
    "my_store",
    "plain_error_html",
    "plain_errors",
    "sign_in",
]

DEFAULT_LEARNER = "learner"  # used until someone signs in, so "Run All" always works


def learner() -> str:
    """The learner name remembered by the first lesson, or ``"learner"``.

    >>> isinstance(learner(), str)
    True
    """
    from kit.annotations import remembered_learner

    return remembered_learner() or DEFAULT_LEARNER


def my_store() -> AnnotationStore:
    """The signed-in learner's annotation store (saved after every change).

    >>> my_store().path.suffix
    '.json'
    """
    from kit.annotations import open_store

    return open_store(learner(), article_set=course_articles_path().name)


def course_key(articles: ArticleSet | None = None) -> AnswerKey | None:
    """The answer key for the course's article set, or None when the set has none.

    Without a key, feedback compares a learner's highlights with the kit's hints instead.

    >>> course_key().set_name
    'carney-beijing-2026'
    """
    from kit._data import data_dir
    from kit.keys import load_key

    articles = articles if articles is not None else load_articles()
    name = articles.path.name if articles.path else ""
    if not (data_dir() / "keys" / f"{name}.toml").is_file():
        return None
    return load_key(name, articles=articles)


def _anonymous(article) -> int:
    from kit.sources import find_attributions

    return sum(h.kind == "anonymous" for h in find_attributions(article))


def _sources(article) -> int:
    from kit.sources import find_attributions

    return len(find_attributions(article))


def _unsourced(article) -> int:
    from kit.figures import find_figures

    return sum(not f.attributed for f in find_figures(article))


def _framing(article) -> int:
    from kit.framing import find_framing

    return sum(not c.quoted for c in find_framing(article))


# What each lesson's exercise needs plenty of, for sets whose quiz file does not choose.
_EXERCISE_MEASURES = {
    "sources": _sources,
    "anonymous": _anonymous,
    "figures": _unsourced,
    "framing": _framing,
    "together": lambda a: a.word_count,
}


def exercise_article(topic: str, articles: ArticleSet | None = None):
    """The article a lesson's exercise uses for ``topic`` (sources, anonymous, figures, ...).

    The set's quiz file may name it (``[exercises]`` in ``data/quizzes/<set>.toml``);
    otherwise it is the article where the detectors find the most of what the lesson teaches,
    so the exercise works on any article set.

    >>> exercise_article("sources").id
    'C'
    """
    from kit.checks import quiz_file

    if topic not in _EXERCISE_MEASURES:
        raise ValueError(f"no exercise topic {topic!r}; choose one of {sorted(_EXERCISE_MEASURES)}")
    articles = articles if articles is not None else load_articles()
    chosen = quiz_file(course_articles_path().name).get("exercises", {}).get(topic)
    if chosen in articles:
        return articles[chosen]
    measure = _EXERCISE_MEASURES[topic]
    return max(articles, key=lambda a: (measure(a), -articles.ids.index(a.id)))


def sign_in() -> Any:
    """A small form that asks the learner's name once and remembers it for every lesson.

    >>> form = sign_in()
    >>> form.children[0].children[1].description
    'Save my name'
    """
    import ipywidgets as w

    from kit.annotations import AnnotationStoreError, open_store, remembered_learner

    known = remembered_learner()
    if known == DEFAULT_LEARNER:  # a lesson ran before anyone signed in: not a real name
        known = None
    name = w.Text(
        value=known or "",
        placeholder="Your first name or a nickname",
        description="Your name:",
        layout={"width": "360px"},
        continuous_update=False,  # the value changes on Enter or when leaving the box
    )
    button = w.Button(description="Save my name", button_style="primary", icon="user")
    status = w.HTML()

    def show(message: str, ok: bool = True) -> None:
        colour = "#0b6e4f" if ok else "#a33c00"
        status.value = f'<div role="status" style="color:{colour}">{message}</div>'

    def save(_=None) -> None:
        try:
            store = open_store(name.value)
        except AnnotationStoreError as exc:
            show(html.escape(str(exc)), ok=False)
            return
        show(
            f"Welcome, {html.escape(name.value.strip())}! Your highlights will be saved in "
            f"<code>{html.escape(str(store.path))}</code>."
        )

    button.on_click(save)
    name.observe(lambda change: save() if change["new"].strip() else None, names="value")
    if known:
        show(f"Welcome back, {html.escape(known)}. Change the name above if this is not you.")
    else:
        show("Type your name and press the button. You only need to do this once.")
    return w.VBox([w.HBox([name, button]), status])


def _kit_errors() -> tuple[type[BaseException], ...]:
    from kit._data import DataFileError
    from kit.annotations import AnnotationStoreError
    from kit.articles import ArticleSetError

    return (ArticleSetError, AnnotationStoreError, DataFileError)


def plain_errors() -> bool:
    """In a notebook, show the kit's own errors (a broken article set, a corrupt file) in plain
    words instead of a traceback. Returns False outside IPython, where nothing changes.

    The cell still stops with an error, so "Run All" stops there too.

    >>> plain_errors()
    False
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False

    def handler(self, etype, value, tb, tb_offset=None):
        from IPython.display import HTML, display

        display(HTML(plain_error_html(value)))
        return []  # no traceback; the cell still fails, so "Run All" stops here

    shell.set_custom_exc(_kit_errors(), handler)
    return True


def plain_error_html(error: BaseException) -> str:
    """The kit's message for ``error`` as a short, escaped HTML box (what a notebook shows).

    >>> "&lt;b&gt;" in plain_error_html(ValueError("<b>"))
    True
    """
    return (
        '<div role="alert" style="border-left:4px solid #a33c00;padding:0.4em 0.8em;'
        'background:#fff7ed;color:#222;white-space:normal">'
        f"<strong>The course could not go on.</strong> {html.escape(str(error))}"
        f"<br>{html.escape(_ERROR_ADVICE)}</div>"
    )


_ERROR_ADVICE = (
    "Fix what the message names (or ask your instructor), then run this cell again. "
    "Your saved highlights are not changed."
)
