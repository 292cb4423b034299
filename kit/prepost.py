"""Scored pre- and post-checks for each lesson: the same skill, different items, and the gain.

Each lesson starts with a short check (``kit.pre_check("01")``) and ends with one on new
text (``kit.post_check("01")``). The items live in ``data/checks/lesson-<NN>.toml``: every
passage is invented for practice, and the post-check's passages come from other invented
stories and outlets than the pre-check's, so the post-check tests whether the skill
carries over (transfer), not whether the learner remembers an answer.

Scores are saved at once in the learner's progress file (`kit.progress`), section
``"checks"``, key ``"<lesson>-pre"`` or ``"<lesson>-post"``: the latest try's ``answers``,
``correct``, ``score``, ``total`` and ``time``, how many ``tries``, and the ``first`` try,
kept for good (the gain is measured first try against first try). `class_gains` sums up a
class.

>>> checks = load_checks("01")
>>> len(checks.pre) >= 3 and len(checks.post) >= 3
True
"""

from __future__ import annotations

import html
import re
import statistics
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit._data import DataFileError, data_dir, read_data_toml
from kit.checks import Shown

if TYPE_CHECKING:
    from kit.checks import MultipleChoice
    from kit.progress import Progress

__all__ = [
    "GAINS_TITLE",
    "PHASES",
    "SECTION",
    "CheckFileError",
    "CheckItem",
    "CheckPanel",
    "ClassGains",
    "LessonChecks",
    "LessonGain",
    "Result",
    "class_gains",
    "first_try",
    "gain_text",
    "gains_html",
    "lessons_with_checks",
    "load_checks",
    "passage_html",
    "post_check",
    "pre_check",
    "record",
    "score",
]

SECTION = "checks"  # the section of the progress file the scores are saved in
PHASES = ("pre", "post")
_ITEM_KEYS = {"id", "story", "outlet", "passage", "question", "options", "answer", "why", "hints"}
_REQUIRED = ("id", "story", "outlet", "passage", "question", "options", "answer", "why")
_LIMITS = {"passage": 600, "question": 300, "why": 600, "story": 100, "outlet": 60}
_MAX_OPTION = 200
_MAX_ITEMS = 10
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_LESSON = re.compile(r"^\d{2}$")


class CheckFileError(DataFileError):
    """A check file is missing or malformed; the message names the file, the item and why."""


@dataclass(frozen=True, slots=True)
class CheckItem:
    """One question of a check: an invented passage, a question, options and the answer."""

    id: str
    story: str
    outlet: str
    passage: str
    question: str
    options: tuple[str, ...]
    answer: str
    why: str
    hints: Mapping[str, str] = field(default_factory=dict)

    def marker(self) -> MultipleChoice:
        """The `kit.checks.MultipleChoice` that marks this item.

        >>> item = load_checks("01").pre[0]
        >>> item.marker().check(item.answer).correct
        True
        """
        from kit.checks import MultipleChoice

        wrong = {o: self.hints.get(o, "") for o in self.options if o != self.answer}
        return MultipleChoice(
            self.question, list(self.options), answer=self.answer, why=self.why, hints=wrong
        )


@dataclass(frozen=True, slots=True)
class LessonChecks:
    """A lesson's skill and its pre- and post-check items, from one file."""

    lesson: str
    skill: str
    pre: tuple[CheckItem, ...]
    post: tuple[CheckItem, ...]
    path: Path

    def items(self, phase: str) -> tuple[CheckItem, ...]:
        """The items of ``phase`` ("pre" or "post")."""
        return self.pre if _phase(phase) == "pre" else self.post


# --------------------------------------------------------------------------- loading


def _phase(phase: str) -> str:
    if phase not in PHASES:
        raise ValueError(f"a check is 'pre' or 'post', not {phase!r}")
    return phase


def _lesson(lesson: str | int) -> str:
    """``"01"`` from ``"01"``, ``"1"`` or ``1``; a clear error for anything else."""
    text = f"{lesson:02d}" if isinstance(lesson, int) and not isinstance(lesson, bool) else lesson
    if isinstance(text, str) and text.isdigit() and len(text) == 1:
        text = "0" + text
    if not isinstance(text, str) or not _LESSON.match(text):
        raise CheckFileError(f"a lesson is two digits such as '01', not {lesson!r}")
    return text


def lessons_with_checks() -> list[str]:
    """The lessons that have a check file in ``data/checks/``.

    >>> lessons_with_checks()[:2]
    ['01', '02']
    """
    folder = data_dir() / "checks"
    found = (p.stem.removeprefix("lesson-") for p in folder.glob("lesson-*.toml"))
    return sorted(n for n in found if _LESSON.match(n))


def _text(raw: Mapping[str, Any], key: str, where: str, limit: int) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CheckFileError(f"{where}: '{key}' should be non-empty text")
    if len(value) > limit:
        raise CheckFileError(f"{where}: '{key}' is {len(value)} characters (at most {limit})")
    return " ".join(value.split())


def _options(raw: Mapping[str, Any], where: str) -> tuple[str, ...]:
    options = raw.get("options")
    if not isinstance(options, list) or not 2 <= len(options) <= 6:
        raise CheckFileError(f"{where}: 'options' should be a list of 2 to 6 answers")
    if not all(isinstance(o, str) and o.strip() and len(o) <= _MAX_OPTION for o in options):
        raise CheckFileError(
            f"{where}: every option should be non-empty text of at most {_MAX_OPTION} characters"
        )
    if len(set(options)) != len(options):
        raise CheckFileError(f"{where}: two options are the same")
    return tuple(options)


def _hints(raw: Mapping[str, Any], where: str, options: tuple[str, ...], answer: str) -> dict:
    hints = raw.get("hints", {})
    if not isinstance(hints, dict):
        raise CheckFileError(f"{where}: 'hints' should be a table of option = nudge")
    for option, nudge in hints.items():
        if option not in options or option == answer:
            raise CheckFileError(f"{where}: the hint for {option!r} is not for a wrong option")
        if not isinstance(nudge, str) or not nudge.strip() or len(nudge) > _LIMITS["why"]:
            raise CheckFileError(f"{where}: the hint for {option!r} should be short text")
    return dict(hints)


def _item(raw: Any, where: str) -> CheckItem:
    """One [[pre]] or [[post]] table as a CheckItem, or CheckFileError saying what is wrong."""
    if not isinstance(raw, dict):
        raise CheckFileError(f"{where}: should be a table of id, passage, question, ...")
    item_id = raw.get("id")
    if not isinstance(item_id, str) or not _ID.match(item_id):
        raise CheckFileError(f"{where}: 'id' should be short lower-case letters, digits, dashes")
    where = f"{where} ({item_id!r})"
    missing = [k for k in _REQUIRED if k not in raw]
    if missing:
        raise CheckFileError(f"{where}: missing {', '.join(repr(k) for k in missing)}")
    unknown = sorted(set(raw) - _ITEM_KEYS)
    if unknown:
        raise CheckFileError(f"{where}: unknown key {unknown[0]!r} (a typo?)")
    texts = {k: _text(raw, k, where, limit) for k, limit in _LIMITS.items()}
    options = _options(raw, where)
    answer = raw["answer"]
    if answer not in options:
        raise CheckFileError(f"{where}: the answer {answer!r} is not one of the options")
    return CheckItem(
        id=item_id,
        options=options,
        answer=answer,
        hints=_hints(raw, where, options, answer),
        **texts,
    )


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _no_overlap(path: Path, pre: tuple[CheckItem, ...], post: tuple[CheckItem, ...]) -> None:
    """Pre and post share no id, passage, story or outlet: the post-check is on new text."""
    seen: dict[str, str] = {}
    for phase, items in (("pre", pre), ("post", post)):
        for item in items:
            if item.id in seen:
                raise CheckFileError(f"{path}: {phase} item {item.id!r}: the id is used twice")
            seen[item.id] = phase
    for what in ("passage", "story", "outlet"):
        before = {_norm(getattr(i, what)): i.id for i in pre}
        for item in post:
            other = before.get(_norm(getattr(item, what)))
            if other is not None:
                raise CheckFileError(
                    f"{path}: post item {item.id!r} shares its {what} with pre item {other!r}; "
                    "the post-check must use new text, from another story and outlet"
                )


def load_checks(lesson: str | int) -> LessonChecks:
    """The pre- and post-check of ``lesson`` from ``data/checks/lesson-<NN>.toml``, validated.

    Raises `CheckFileError` naming the file, the item and the problem.

    >>> checks = load_checks("02")
    >>> checks.lesson, all(i.answer in i.options for i in checks.pre + checks.post)
    ('02', True)
    """
    lesson = _lesson(lesson)
    relative = f"checks/lesson-{lesson}.toml"
    path = data_dir() / relative
    if not path.is_file():
        have = ", ".join(lessons_with_checks()) or "none"
        raise CheckFileError(f"{path}: no checks for lesson {lesson} (lessons with checks: {have})")
    try:
        doc = read_data_toml(relative)
    except DataFileError as exc:
        raise CheckFileError(str(exc)) from None
    head = doc.get("check")
    if not isinstance(head, dict) or head.get("lesson") != lesson:
        raise CheckFileError(f"{path}: [check] should say lesson = {lesson!r}")
    skill = _text(head, "skill", f"{path}: [check]", 300)
    phases = {}
    for phase in PHASES:
        raw = doc.get(phase)
        if not isinstance(raw, list) or not 1 <= len(raw) <= _MAX_ITEMS:
            raise CheckFileError(f"{path}: needs 1 to {_MAX_ITEMS} [[{phase}]] items")
        phases[phase] = tuple(_item(r, f"{path}: {phase} item {n}") for n, r in enumerate(raw, 1))
    _no_overlap(path, phases["pre"], phases["post"])
    return LessonChecks(lesson, skill, phases["pre"], phases["post"], path)


# --------------------------------------------------------------------------- scoring and saving


@dataclass(frozen=True, slots=True)
class Result:
    """One scored try: what was chosen, what was right, and each item's explanation."""

    lesson: str
    phase: str
    answers: dict[str, str | None]
    correct: dict[str, bool]
    messages: tuple[str, ...]
    time: str

    @property
    def score(self) -> int:
        return sum(self.correct.values())

    @property
    def total(self) -> int:
        return len(self.correct)

    def saved_form(self) -> dict[str, Any]:
        """What goes in the progress file for this try."""
        return {
            "answers": dict(self.answers),
            "correct": dict(self.correct),
            "score": self.score,
            "total": self.total,
            "time": self.time,
        }


def _message(item: CheckItem, choice: str | None) -> tuple[bool, str]:
    verdict = item.marker().check(choice)
    if verdict.correct:
        return True, verdict.message
    told = "You did not choose an answer." if choice is None else verdict.message.strip()
    return False, f"{told} The answer: “{item.answer}”. {item.why}"


def score(checks: LessonChecks, phase: str, answers: Mapping[str, str | None]) -> Result:
    """Mark ``answers`` (item id -> the option chosen) against the items of ``phase``.

    >>> checks = load_checks("01")
    >>> right = {i.id: i.answer for i in checks.pre}
    >>> result = score(checks, "pre", right)
    >>> (result.score, result.total) == (len(checks.pre), len(checks.pre))
    True
    """
    from kit.annotations import _now

    items = checks.items(phase)
    chosen = {i.id: answers.get(i.id) for i in items}
    marked = [_message(i, chosen[i.id]) for i in items]
    return Result(
        lesson=checks.lesson,
        phase=phase,
        answers=chosen,
        correct={i.id: ok for i, (ok, _) in zip(items, marked, strict=True)},
        messages=tuple(m for _, m in marked),
        time=_now(),
    )


def _attempt(value: Any) -> dict[str, Any] | None:
    """A saved try if it has a usable score (the file may be hand-edited), else None."""
    if not isinstance(value, dict):
        return None
    s, t = value.get("score"), value.get("total")
    numbers = all(isinstance(x, int) and not isinstance(x, bool) for x in (s, t))
    return value if numbers and 0 <= s <= t and t > 0 else None


def first_try(value: Any) -> dict[str, Any] | None:
    """The first try of a saved check (``value["first"]``, or the value for a single try)."""
    if not isinstance(value, dict):
        return None
    return _attempt(value.get("first")) or _attempt(value)


def record(result: Result, progress: Progress) -> dict[str, Any]:
    """Save ``result`` at once as the latest try, keeping the first try; returns what was saved.

    >>> import tempfile
    >>> from kit.progress import open_progress
    >>> checks = load_checks("01")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     mine = open_progress("Ana", folder=d)
    ...     _ = record(score(checks, "pre", {}), mine)
    ...     saved = record(score(checks, "pre", {i.id: i.answer for i in checks.pre}), mine)
    >>> saved["tries"], saved["first"]["score"], saved["score"] == saved["total"]
    (2, 0, True)
    """
    key = f"{result.lesson}-{result.phase}"
    before = progress.get(SECTION, key)
    first = first_try(before)
    latest = result.saved_form()
    if first is None:
        saved = {**latest, "tries": 1, "first": latest}
    else:
        tries = before.get("tries")
        tries = tries if isinstance(tries, int) and not isinstance(tries, bool) else 1
        first = {k: first[k] for k in latest if k in first}  # never a "first" inside "first"
        saved = {**latest, "tries": max(tries, 1) + 1, "first": first}
    progress.put(SECTION, key, saved)
    return saved


def gain_text(lesson: str | int, progress: Progress) -> str:
    """The learner's gain in plain words: "Before the lesson: 2 of 4. Now: 4 of 4."

    "Before" is the first pre-check, "Now" the latest post-check; "" before any post-check.

    >>> import tempfile
    >>> from kit.progress import open_progress
    >>> checks = load_checks("01")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     mine = open_progress("Ana", folder=d)
    ...     _ = record(score(checks, "post", {i.id: i.answer for i in checks.post}), mine)
    ...     gain_text("01", mine).startswith("You did not do the check at the start")
    True
    """
    lesson = _lesson(lesson)
    post = _attempt(progress.get(SECTION, f"{lesson}-post"))
    if post is None:
        return ""
    now = f"Now: {post['score']} of {post['total']}."
    pre = first_try(progress.get(SECTION, f"{lesson}-pre"))
    if pre is None:
        return (
            "You did not do the check at the start of this lesson, so there is no "
            f"“before” score to compare with. {now}"
        )
    return f"Before the lesson: {pre['score']} of {pre['total']}. {now}"


# --------------------------------------------------------------------------- the panel


_TITLES = {
    "pre": "Before you start: a quick check",
    "post": "Check yourself on new text",
}
_INTROS = {
    "pre": "Not graded: it shows you what you will learn. Pick one answer for each question, "
    "then press “Score my answers”.",
    "post": "These passages come from stories you have not seen in this lesson. Pick one "
    "answer for each question, then press “Score my answers”.",
}
_INVENTED = "Every passage is invented for practice: the outlets, people and numbers are made up."


class CheckPanel(Shown):
    """A lesson's pre- or post-check: passages, questions and one "Score my answers" button.

    In a notebook it shows as a form (ipywidgets); as plain text it prints each passage, its
    question and the options. Create with `pre_check` or `post_check`.
    """

    def __init__(self, lesson: str | int, phase: str, *, progress: Progress | None = None):
        self.checks = load_checks(lesson)
        self.lesson = self.checks.lesson
        self.phase = _phase(phase)
        self.items = self.checks.items(phase)
        self._progress = progress
        self.problem = ""  # what went wrong with the progress file, in plain words ("" if nothing)

    @property
    def progress(self) -> Progress | None:
        """The learner's progress file, opened on first use; None (and `problem`) if it fails."""
        if self._progress is None and not self.problem:
            from kit.progress import open_progress_or_reason

            self._progress, self.problem = open_progress_or_reason()
        return self._progress

    def saved(self) -> dict[str, Any] | None:
        """The saved record of this check (latest try, tries, first try), or None."""
        progress = self.progress
        if progress is None:
            return None
        from kit.progress import ProgressError

        try:
            return _attempt(progress.get(SECTION, f"{self.lesson}-{self.phase}"))
        except ProgressError as exc:
            self.problem = f"Your saved answers cannot be read: {exc}"
            return None

    def status(self) -> str:
        """One line on what is saved: the first and latest score, or that nothing is yet."""
        saved = self.saved()
        if saved is None:
            return self.problem
        first = first_try(saved) or saved
        tries = saved.get("tries", 1)
        line = f"Saved: you scored {saved['score']} of {saved['total']}"
        if isinstance(tries, int) and tries > 1:
            line += f" on your latest try ({first['score']} of {first['total']} on your first)"
        line += ". You can answer again to try again."
        gain = self.gain()
        return f"{line} {gain}" if gain else line

    def gain(self) -> str:
        """The gain line for a post-check ("" for a pre-check or when nothing is saved)."""
        if self.phase != "post" or self.progress is None:
            return ""
        from kit.progress import ProgressError

        try:
            return gain_text(self.lesson, self.progress)
        except ProgressError:
            return ""

    def submit(self, answers: Mapping[str, str | None]) -> tuple[Result, str]:
        """Score ``answers`` and save them; returns the result and a note on saving."""
        from kit.progress import ProgressError

        result = score(self.checks, self.phase, answers)
        progress = self.progress
        if progress is None:
            return result, self.problem
        try:
            record(result, progress)
        except ProgressError as exc:
            return result, f"Your answers could not be saved: {exc}"
        return result, "Saved."

    def text(self) -> str:
        """The check as plain text: each passage, its question and the options."""
        wrap = partial(textwrap.fill, width=88)
        lines = [f"{_TITLES[self.phase]} (lesson {self.lesson})"]
        lines += [wrap(_INTROS[self.phase]), wrap(_INVENTED)]
        status = self.status()
        if status:
            lines.append(wrap(status))
        for n, item in enumerate(self.items, 1):
            inner = partial(wrap, initial_indent="   ", subsequent_indent="   ")
            lines += ["", f"{n}. From “{item.outlet}” (invented):", inner(item.passage)]
            lines.append(inner(item.question))
            lines += [
                wrap(o, initial_indent=f"   {chr(96 + k)}) ", subsequent_indent="      ")
                for k, o in enumerate(item.options, 1)
            ]
        return "\n".join(lines)

    def _build_widget(self) -> Any:
        return _build(self)


def passage_html(item: CheckItem, number: int) -> str:
    """An item's passage and question as HTML; every text is escaped (it is data, not markup).

    >>> "&lt;script&gt;" in passage_html(CheckItem("x", "s", "o", "<script>", "q?",
    ...     ("a", "b"), "a", "w"), 1)
    True
    """
    e = html.escape
    return (
        f'<div style="margin-top:0.8em"><b>{number}.</b> <span style="color:#555">From '
        f"<i>{e(item.outlet)}</i> (an invented outlet)</span>"
        '<blockquote style="margin:0.3em 0 0.4em 1em;padding:0.2em 0.8em;'
        f'border-left:4px solid #7a8ca3;background:#f6f8fa;color:#1b1b1b">{e(item.passage)}'
        f"</blockquote><b>{e(item.question)}</b></div>"
    )


def _result_html(panel: CheckPanel, result: Result, saved: str) -> str:
    e = html.escape
    rows = []
    for item, message in zip(panel.items, result.messages, strict=True):
        ok = result.correct[item.id]
        colour, mark = ("#0b6e4f", "✔") if ok else ("#a33c00", "✘")
        rows.append(
            f'<li><span style="color:{colour}">{mark}</span> {e(item.question)}<br>'
            f"{e(message)}</li>"
        )
    gain = panel.gain()
    gain_html = f"<p><b>{e(gain)}</b></p>" if gain else ""
    return (
        f'<div role="status"><p style="font-size:1.1em"><b>{result.score} of {result.total}'
        f"</b> right. {e(saved)}</p>{gain_html}<ol>{''.join(rows)}</ol></div>"
    )


def _status_html(panel: CheckPanel) -> str:
    """What is saved, as a grey line; nothing at all (no empty line) when nothing is."""
    status = panel.status()
    return f'<p style="color:#555">{html.escape(status)}</p>' if status else ""


def _build(panel: CheckPanel) -> Any:
    import ipywidgets as w

    from kit.checks import prose_box

    e = html.escape
    head = w.HTML(
        f"<p><b>{e(_TITLES[panel.phase])}</b> (lesson {e(panel.lesson)}): "
        f"{e(panel.checks.skill)}</p><p>{e(_INTROS[panel.phase])} {e(_INVENTED)}</p>"
    )
    status = w.HTML(_status_html(panel))
    choices = {}
    parts: list[Any] = [head, status]
    for n, item in enumerate(panel.items, 1):
        choices[item.id] = w.RadioButtons(
            options=list(item.options), value=None, layout={"width": "auto"}
        )
        parts += [w.HTML(passage_html(item, n)), choices[item.id]]
    button = w.Button(
        description="Score my answers",
        button_style="primary",
        icon="check",
        layout={"width": "auto", "align_self": "flex-start"},  # as wide as its label
    )
    verdict = w.HTML()

    def on_click(_: Any) -> None:
        left = [n for n, c in enumerate(choices.values(), 1) if c.value is None]
        if left:
            verdict.value = (
                '<p role="status" style="color:#a33c00">Answer every question first '
                f"(still open: {', '.join(map(str, left))}).</p>"
            )
            return
        result, saved = panel.submit({k: c.value for k, c in choices.items()})
        verdict.value = _result_html(panel, result, saved)
        status.value = _status_html(panel)

    button.on_click(on_click)
    return prose_box([*parts, button, verdict])


def pre_check(lesson: str | int, *, progress: Progress | None = None) -> CheckPanel:
    """The check at the start of ``lesson``: display it in a notebook cell.

    ``progress`` defaults to the signed-in learner's progress file.

    >>> print(pre_check("01").text().splitlines()[0])
    Before you start: a quick check (lesson 01)
    """
    return CheckPanel(lesson, "pre", progress=progress)


def post_check(lesson: str | int, *, progress: Progress | None = None) -> CheckPanel:
    """The check at the end of ``lesson``, on passages from stories the lesson did not use.

    After scoring it shows the gain: "Before the lesson: 2 of 4. Now: 4 of 4."

    >>> print(post_check("01").text().splitlines()[0])
    Check yourself on new text (lesson 01)
    """
    return CheckPanel(lesson, "post", progress=progress)


# --------------------------------------------------------------------------- a class's gains


@dataclass(frozen=True, slots=True)
class LessonGain:
    """One lesson's pre- and post-check across a class (first tries only).

    ``items`` holds ``(phase, item id, % correct, learners)`` for each item, to spot an item
    that is too hard, too easy or unclear.
    """

    lesson: str
    skill: str
    learners: int  # learners who did both checks
    pre_only: int
    post_only: int
    pre_percent: float  # mean % right before, over learners who did both (nan when none)
    post_percent: float
    items: tuple[tuple[str, str, float, int], ...]

    @property
    def gain(self) -> float:
        """Mean points gained (post % minus pre %), over learners who did both."""
        return self.post_percent - self.pre_percent


@dataclass(frozen=True)
class ClassGains:
    """Every lesson's `LessonGain`, with the progress files that could not be read."""

    rows: list[LessonGain]
    skipped: list[tuple[str, str]]

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def any_data(self) -> bool:
        """True when at least one learner did at least one check."""
        return any(r.learners or r.pre_only or r.post_only for r in self.rows)

    def to_text(self) -> str:
        """The table in plain text."""
        lines = [GAINS_TITLE]
        for r in self.rows:
            lines.append(
                f"Lesson {r.lesson}: {r.learners} with both; before {_pct(r.pre_percent)}, "
                f"after {_pct(r.post_percent)}, gain {_points(r.gain)}"
            )
        return "\n".join(lines)

    def to_html(self, *, items: bool = False) -> str:
        """A small table: one row per lesson; ``items=True`` adds % correct per item."""
        return gains_html(self, items=items)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": self.to_text(), "text/html": self.to_html(items=True)}


GAINS_TITLE = "Pre- and post-checks: scores before and after each lesson (first tries)"
GAINS_NOTE = (
    "Each lesson has a short check at the start and one at the end on the same skill, with "
    "different passages (the end check uses stories the lesson did not show). Figures are "
    "means over the learners who did both checks, first try against first try. With 3 or 4 "
    "items per check and a small class, read them as a rough signal, not a measured effect."
)


def _pct(value: float) -> str:
    return "–" if value != value else f"{value:.0f}%"


def _points(value: float) -> str:
    return "–" if value != value else f"{value:+.0f} points"


def gains_html(gains: ClassGains, *, items: bool = False) -> str:
    """``gains`` as an escaped HTML table (the class view and the class report show it)."""
    e = html.escape
    out = [f"<h4>{e(GAINS_TITLE)}</h4><p>{e(GAINS_NOTE)}</p>"]
    if not gains.any_data():
        out.append("<p>No learner has done a pre- or post-check yet.</p>")
        return "\n".join(out)
    out.append(
        "<table><tr><th>Lesson</th><th>Learners with both</th><th>Before</th><th>After</th>"
        "<th>Gain</th><th>Only before</th><th>Only after</th></tr>"
    )
    for r in gains.rows:
        out.append(
            f"<tr><td>{e(r.lesson)}</td><td>{r.learners}</td><td>{_pct(r.pre_percent)}</td>"
            f"<td>{_pct(r.post_percent)}</td><td>{_points(r.gain)}</td>"
            f"<td>{r.pre_only}</td><td>{r.post_only}</td></tr>"
        )
    out.append("</table>")
    if items:
        out.append(
            "<p>Each item: % of learners right on their first try (a very low or very high "
            "figure can mean the item needs rewording).</p><table><tr><th>Lesson</th>"
            "<th>Check</th><th>Item</th><th>Right</th><th>Learners</th></tr>"
        )
        for r in gains.rows:
            for phase, item_id, pct, n in r.items:
                out.append(
                    f"<tr><td>{e(r.lesson)}</td><td>{e(phase)}</td><td>{e(item_id)}</td>"
                    f"<td>{_pct(pct)}</td><td>{n}</td></tr>"
                )
        out.append("</table>")
    if gains.skipped:
        out.append("<p>Progress files skipped:</p><ul>")
        out.extend(f"<li>{e(name)}: {e(why)}</li>" for name, why in gains.skipped)
        out.append("</ul>")
    return "\n".join(out)


def _read_class(folder: Path) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Each readable progress file's "checks" section, and the files that could not be read."""
    from kit.progress import ProgressError, progress_files, read_progress_file

    sections, skipped = [], []
    for path in progress_files(folder):
        try:
            _, doc = read_progress_file(path)
        except ProgressError as exc:
            skipped.append((path.name, str(exc).removeprefix(f"{path}: ")))
            continue
        checks = doc.get(SECTION, {})
        sections.append(checks if isinstance(checks, dict) else {})
    return sections, skipped


def _item_stats(
    checks: LessonChecks, firsts: dict[str, list[dict[str, Any]]]
) -> tuple[tuple[str, str, float, int], ...]:
    out = []
    for phase in PHASES:
        for item in checks.items(phase):
            marks = [
                t["correct"][item.id]
                for t in firsts[phase]
                if isinstance(t.get("correct"), dict)
                and isinstance(t["correct"].get(item.id), bool)
            ]
            pct = 100 * sum(marks) / len(marks) if marks else float("nan")
            out.append((phase, item.id, pct, len(marks)))
    return tuple(out)


def _lesson_gain(checks: LessonChecks, sections: Iterable[dict[str, Any]]) -> LessonGain:
    firsts: dict[str, list[dict[str, Any]]] = {"pre": [], "post": []}
    both: list[tuple[float, float]] = []
    pre_only = post_only = 0
    for section in sections:
        pre = first_try(section.get(f"{checks.lesson}-pre"))
        post = first_try(section.get(f"{checks.lesson}-post"))
        firsts["pre"] += [pre] if pre else []
        firsts["post"] += [post] if post else []
        if pre and post:
            both.append((100 * pre["score"] / pre["total"], 100 * post["score"] / post["total"]))
        pre_only += bool(pre and not post)
        post_only += bool(post and not pre)
    nan = float("nan")
    return LessonGain(
        lesson=checks.lesson,
        skill=checks.skill,
        learners=len(both),
        pre_only=pre_only,
        post_only=post_only,
        pre_percent=statistics.fmean(b[0] for b in both) if both else nan,
        post_percent=statistics.fmean(b[1] for b in both) if both else nan,
        items=_item_stats(checks, firsts),
    )


def class_gains(folder: str | Path | None = None) -> ClassGains:
    """Each lesson's pre- and post-check scores across the learners' progress files in ``folder``.

    ``folder`` defaults to the learners' folder. A file that cannot be read is listed in
    ``skipped`` with the reason, and changes nothing.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [(r.lesson, r.learners) for r in class_gains(d)][:2]
    [('01', 0), ('02', 0)]
    """
    from kit.annotations import default_folder

    where = Path(folder).expanduser() if folder is not None else default_folder()
    sections, skipped = _read_class(where) if where.is_dir() else ([], [])
    rows = [_lesson_gain(load_checks(n), sections) for n in lessons_with_checks()]
    return ClassGains(rows=rows, skipped=skipped)
