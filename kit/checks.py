"""Checks for understanding: a question, a few choices, and feedback that explains itself.

A learner studying alone gets an answer and the reason for it, without a teacher.

>>> q = multiple_choice(
...     "Which article has no headline?", ["A", "C", "E"], answer="C",
...     why="Article C starts straight away with the story's first sentence.")
>>> q.check("A").correct
False
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

__all__ = ["Answer", "MultipleChoice", "NoQuiz", "Shown", "multiple_choice", "prose_box", "quiz"]

# ipywidgets gives the text of an HTML widget a 28 px line height, meant for one-line labels,
# so a paragraph that wraps looks double-spaced. A box made by `prose_box` carries a class
# that sets a reading line height for the HTML inside it (three classes: it outranks the
# widget's own rule wherever the two style sheets come).
PROSE_CLASS = "kit-prose"
_PROSE_CSS = f"<style>.{PROSE_CLASS} .widget-html > .widget-html-content{{line-height:1.5}}</style>"
_BORDER = {"border": "1px solid #bbb", "padding": "8px 12px", "margin": "6px 0"}


def prose_box(children, layout=None):
    """A bordered `ipywidgets.VBox` in which wrapped HTML text reads at a normal line height.

    >>> box = prose_box([])
    >>> PROSE_CLASS in box._dom_classes
    True
    """
    import ipywidgets as w

    style = w.HTML(_PROSE_CSS, layout={"display": "none"})  # a style sheet takes no room
    box = w.VBox([style, *children], layout=_BORDER if layout is None else layout)
    box.add_class(PROSE_CLASS)
    return box


class Shown:
    """A mixin for a lesson task: its widget in a notebook, its ``text()`` everywhere else.

    A subclass gives ``text()`` and ``_build_widget()``; the widget is built once, on first
    display. Without a widget front end (a terminal, nbval) the plain text is what shows.
    """

    _widget: Any = None

    def text(self) -> str:  # pragma: no cover - every subclass has its own
        raise NotImplementedError

    def _build_widget(self) -> Any:  # pragma: no cover - every subclass has its own
        raise NotImplementedError

    def widget(self) -> Any:
        """The ipywidgets form (built once)."""
        if self._widget is None:
            self._widget = self._build_widget()
        return self._widget

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle = dict(self.widget()._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["text/plain"] = self.text()
        return bundle

    def __repr__(self) -> str:
        return self.text()


@dataclass(frozen=True, slots=True)
class Answer:
    """The verdict on one try."""

    choice: str
    correct: bool
    message: str


class MultipleChoice:
    """A multiple-choice question shown as radio buttons with a Check button."""

    def __init__(
        self, question: str, options: list[str], *, answer: str, why: str, hints: dict | None = None
    ) -> None:
        if answer not in options:
            raise ValueError(f"the answer {answer!r} is not one of the options {options!r}")
        self.question = question
        self.options = list(options)
        self.answer = answer
        self.why = why
        self.hints = dict(hints or {})  # option -> a nudge for that wrong choice
        self._widget: Any = None

    def check(self, choice: str | None) -> Answer:
        """Mark one choice and say why.

        >>> multiple_choice("2 + 2?", ["3", "4"], answer="4", why="Count them.").check("4").message
        'Yes. Count them.'
        """
        if choice is None:
            return Answer("", False, "Pick one of the answers first.")
        if choice == self.answer:
            return Answer(choice, True, f"Yes. {self.why}")
        nudge = self.hints.get(choice, "Look again at the articles and try another answer.")
        return Answer(choice, False, f"Not quite. {nudge}")

    def widget(self):
        """The ipywidgets form (built once)."""
        if self._widget is None:
            import ipywidgets as w

            choices = w.RadioButtons(options=self.options, value=None, layout={"width": "auto"})
            button = w.Button(description="Check", button_style="primary", icon="check")
            verdict = w.HTML(value="")

            def on_click(_):
                result = self.check(choices.value)
                colour = "#0b6e4f" if result.correct else "#a33c00"
                mark = "✔" if result.correct else "✘"
                verdict.value = (
                    f'<div role="status" style="color:{colour};font-size:1.05em">'
                    f"{mark} {html.escape(result.message)}</div>"
                )

            button.on_click(on_click)
            title = w.HTML(f"<b>{html.escape(self.question)}</b>")
            self._widget = prose_box([title, choices, button, verdict])
        return self._widget

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())


def multiple_choice(
    question: str, options: list[str], *, answer: str, why: str, hints: dict | None = None
) -> MultipleChoice:
    """A multiple-choice check for understanding; display it in a notebook cell.

    >>> multiple_choice("Pick B", ["A", "B"], answer="B", why="It says so.").answer
    'B'
    """
    return MultipleChoice(question, options, answer=answer, why=why, hints=hints)


# --------------------------------------------------------------------------- quizzes as data


class NoQuiz:
    """Shown where a lesson's check is not written for the current article set."""

    def __init__(self, quiz_id: str, set_name: str) -> None:
        self.quiz_id = quiz_id
        self.set_name = set_name

    @property
    def message(self) -> str:
        return (
            f'(The check "{self.quiz_id}" is written for the course\'s own articles; there is '
            f'none for the set "{self.set_name}". An instructor can add one in '
            f"data/quizzes/{self.set_name}.toml.)"
        )

    def _repr_html_(self) -> str:
        return f'<p style="color:#555"><i>{html.escape(self.message)}</i></p>'

    def __repr__(self) -> str:
        return self.message


def quiz_file(set_name: str) -> dict[str, Any]:
    """The parsed quiz file of an article set, or ``{}`` when it has none."""
    from kit._data import data_dir, read_data_toml
    from kit.articles import ArticleSetError

    relative = f"quizzes/{set_name}.toml"
    if not (data_dir() / relative).is_file():
        return {}
    try:
        return read_data_toml(relative)
    except ValueError as exc:
        raise ArticleSetError(str(exc)) from None


def quiz(quiz_id: str, *, set_name: str | None = None) -> MultipleChoice | NoQuiz:
    """The check for understanding ``quiz_id`` from ``data/quizzes/<set>.toml``.

    >>> quiz("no-headline").answer
    'C'
    >>> quiz("no-headline", set_name="my-own-set").message.startswith("(The check")
    True
    """
    from kit._data import data_dir
    from kit.articles import ArticleSetError, course_articles_path

    name = set_name or course_articles_path().name
    path = data_dir() / "quizzes" / f"{name}.toml"
    for i, entry in enumerate(quiz_file(name).get("quiz", []), start=1):
        if entry.get("id") != quiz_id:
            continue
        try:
            return multiple_choice(
                entry["question"],
                list(entry["options"]),
                answer=entry["answer"],
                why=entry["why"],
                hints=entry.get("hints"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ArticleSetError(f"{path}: quiz {i} ({quiz_id!r}) is malformed: {exc}") from None
    return NoQuiz(quiz_id, name)
