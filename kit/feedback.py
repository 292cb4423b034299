"""Feedback for a learner: their highlights compared with the answer key, tag by tag.

A learner's highlight *matches* a key item when both carry the same tag, sit in the same
article and share at least one word. Selections are forgiving at the edges: a highlight of
"analysts" matches the key's "Analysts say", and one that clips a letter ("nalysts") still
counts. Each highlight is credited to at most one key item (the one it overlaps most), so
highlighting a whole paragraph finds one source, not every source in it; a second highlight
of an item already found is simply found again, never counted against the learner.

Special cases, decided here and explained to the learner in the feedback itself:

* Key items marked ``quoted = true`` (loaded words or hedges inside a direct quotation) are
  the speaker's words, not the writer's. A learner who marks one has *found* it (it is loaded
  language, and noticing it is worth something), and the feedback says why it tells us about
  the speaker rather than the reporting. They are never listed as *missed*: the tag's
  definition asks for the writer's own voice, so skipping them is right.
* The key-only tag ``sourced-figure`` is not one learners can use. It is never missed; a
  learner who tags such a figure "unsourced figure" gets an extra explaining who the key
  says the figure comes from.
* A highlight the key does not list is an *extra*. It is marked *worth a discussion* when the
  key lists the same words under another tag, when the kit's detectors flagged the same words
  for the same tag, or when the learner wrote a note explaining their choice.

>>> import kit
>>> from kit.feedback import feedback
>>> fb = feedback([], kit.load_key(), article="A")
>>> sum(len(v) for v in fb.found.values())
0
"""

from __future__ import annotations

import html
import re
import sys
import types
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import altair as alt

    from kit.annotations import Annotation
    from kit.articles import Article
    from kit.keys import AnswerKey, KeyItem

__all__ = ["Extra", "Feedback", "Found", "Missed", "feedback", "match_annotations"]

KEY_ONLY_TAGS = frozenset({"sourced-figure"})
_WORD_CHAR = re.compile(r"\w")
_CONTEXT = 60  # characters of article text shown around a missed item

# Okabe-Ito colours for the three outcomes, distinct from one another under colour blindness.
OUTCOME_COLOURS = {"found": "#009E73", "missed": "#E69F00", "extra": "#56B4E9"}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Found:
    """A key item the learner found, with the highlights credited to it."""

    item: KeyItem
    annotations: tuple[Annotation, ...]
    note: str = ""  # what to know about it beyond the key's explanation (e.g. quoted words)

    @property
    def tag(self) -> str:
        return self.item.tag

    @property
    def explanation(self) -> str:
        return self.item.explanation

    @property
    def bonus(self) -> bool:
        """True for a quoted item: found, but not required (see the module docstring)."""
        return bool(self.item.quoted)


@dataclass(frozen=True, slots=True)
class Missed:
    """A key item none of the learner's highlights matched, and why it counts."""

    item: KeyItem
    note: str = ""  # e.g. "You highlighted these words, but as Named source."

    @property
    def tag(self) -> str:
        return self.item.tag

    @property
    def explanation(self) -> str:
        return self.item.explanation


@dataclass(frozen=True, slots=True)
class Extra:
    """A highlight that matches no key item of its tag."""

    annotation: Annotation
    defensible: bool  # worth a discussion rather than a plain miss
    explanation: str  # why it might count, or what to check

    @property
    def tag(self) -> str:
        return self.annotation.tag


# --------------------------------------------------------------------------- tag words


@dataclass(frozen=True, slots=True)
class _TagWords:
    id: str
    label: str
    definition: str
    colour: str

    @property
    def plural(self) -> str:
        """ "anonymous sources", "examples of loaded language": for the sentences we write."""
        low = self.label.lower()
        last = low.rsplit(" ", 1)[-1]
        if self._mass:
            return f"examples of {low}"
        if last.endswith("y") and last[-2:-1] not in "aeiou":
            return low[:-1] + "ies"
        if last.endswith(("s", "x", "ch", "sh")):
            return low + "es"
        return low + "s"

    @property
    def _mass(self) -> bool:
        # "loaded language", "opinion as fact": not things you can count one by one
        low = self.label.lower()
        last = low.rsplit(" ", 1)[-1]
        return " as " in low or last in {"language", "information", "evidence", "news"}

    def count(self, n: int) -> str:
        """ "1 anonymous source", "3 anonymous sources", "1 example of loaded language"."""
        if n == 1:
            return f"1 example of {self.label.lower()}" if self._mass else f"1 {self.label.lower()}"
        return f"{n} {self.plural}"


def _tag_words() -> dict[str, _TagWords]:
    from kit.hints import load_tags  # the taxonomy as the widgets see it

    words = {t.id: _TagWords(t.id, t.label, t.definition, t.colour) for t in load_tags()}
    words.setdefault(
        "sourced-figure",
        _TagWords(
            "sourced-figure",
            "Sourced figure",
            "A figure whose own clause names who it comes from (answer key only).",
            "#999999",
        ),
    )
    return words


def _words_for(tag: str, words: Mapping[str, _TagWords]) -> _TagWords:
    return words.get(tag) or _TagWords(tag, tag.replace("-", " ").capitalize(), "", "#7F7F7F")


# --------------------------------------------------------------------------- matching


def _shares_word(
    start: int, end: int, other_start: int, other_end: int, text: str | None, ann: Any
) -> int:
    """How many word characters two spans share (0 = no shared word, so no match).

    Counting word characters rather than code points means a shared space or comma never
    makes a match, while a selection that clips part of a word still does.
    """
    lo, hi = max(start, other_start), min(end, other_end)
    if hi <= lo:
        return 0
    if text is not None:
        chunk = text[lo:hi]
    else:  # no article at hand: the learner's own copy of the words covers the overlap
        chunk = ann.exact[lo - ann.start : hi - ann.start]
    return len(_WORD_CHAR.findall(chunk))


def _overlap(ann: Any, item: Any, texts: Mapping[str, str]) -> int:
    return _shares_word(ann.start, ann.end, item.start, item.end, texts.get(ann.article_id), ann)


@dataclass(slots=True)
class _Match:
    credited: dict[int, list[Any]]  # key item index -> annotations credited to it
    unmatched: list[Any]  # annotations matching no key item of their tag


def match_annotations(
    annotations: Iterable[Any], items: list[Any], *, texts: Mapping[str, str] | None = None
) -> tuple[dict[int, list[Any]], list[Any]]:
    """Pair highlights with key items: same article, same tag, at least one shared word.

    Returns ``(credited, unmatched)``: ``credited[i]`` lists the highlights credited to
    ``items[i]`` (best overlap first); ``unmatched`` the highlights that match nothing.

    >>> import kit
    >>> key = kit.load_key()
    >>> credited, unmatched = match_annotations([], key.items)
    >>> credited, unmatched
    ({}, [])
    """
    texts = texts or {}
    by_slot: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        by_slot[(item.article_id, item.tag)].append(i)

    anns = list(annotations)
    pairs: list[tuple[int, int, int, int]] = []  # (-shared, item start, ann index, item index)
    for a_i, ann in enumerate(anns):
        for i in by_slot.get((ann.article_id, ann.tag), ()):
            item = items[i]
            if item.start < ann.end and ann.start < item.end:
                shared = _overlap(ann, item, texts)
                if shared:
                    pairs.append((-shared, item.start, a_i, i))
    pairs.sort()

    credited: dict[int, list[Any]] = {}
    owner: dict[int, int] = {}  # annotation index -> item index
    # Greedy on overlap: the biggest overlaps pair first, one item per highlight.
    for _, _, a_i, i in pairs:
        if a_i in owner or i in credited:
            continue
        owner[a_i] = i
        credited[i] = [anns[a_i]]
    # A highlight left over overlaps only items already found: it finds them again.
    for _, _, a_i, i in pairs:
        if a_i not in owner:
            owner[a_i] = i
            credited[i].append(anns[a_i])
    unmatched = [ann for a_i, ann in enumerate(anns) if a_i not in owner]
    return credited, unmatched


# --------------------------------------------------------------------------- feedback


class Feedback:
    """What a learner found, missed and marked extra, per tag, with the key's explanations.

    ``found``, ``missed`` and ``extra`` map a tag id to a list of `Found`, `Missed` and
    `Extra`. In a notebook the object shows itself as a panel; ``summary()`` gives one row
    per tag and ``chart()`` an altair bar chart.

    >>> import kit
    >>> fb = kit.feedback([], kit.load_key(), article="B")
    >>> fb.summary()[0]["found"]
    0
    """

    def __init__(
        self,
        *,
        found: dict[str, list[Found]],
        missed: dict[str, list[Missed]],
        extra: dict[str, list[Extra]],
        tags: list[str],
        words: Mapping[str, _TagWords],
        articles: tuple[str, ...],
        texts: Mapping[str, str],
    ) -> None:
        self.found = found
        self.missed = missed
        self.extra = extra
        self.tags = tags
        self.articles = articles  # the article ids this feedback covers
        self._words = words
        self._texts = texts

    # ----------------------------------------------------------------- numbers and words

    def summary(self) -> list[dict[str, Any]]:
        """One row per tag: counts and an encouraging sentence.

        ``found`` and ``in_key`` count the items the learner was asked to find; ``bonus``
        counts quoted items they spotted as well (the speaker's words, not required).

        >>> import kit
        >>> row = kit.feedback([], kit.load_key(), article="C").summary()[0]
        >>> sorted(row)
        ['bonus', 'extra', 'found', 'in_key', 'label', 'message', 'missed', 'tag', 'worth_discussing']
        """
        rows = []
        for tag in self.tags:
            found = self.found.get(tag, [])
            required = [f for f in found if not f.bonus]
            missed = self.missed.get(tag, [])
            extra = self.extra.get(tag, [])
            rows.append(
                {
                    "tag": tag,
                    "label": _words_for(tag, self._words).label,
                    "found": len(required),
                    "in_key": len(required) + len(missed),
                    "missed": len(missed),
                    "bonus": len(found) - len(required),
                    "extra": len(extra),
                    "worth_discussing": sum(e.defensible for e in extra),
                    "message": self.message(tag),
                }
            )
        return rows

    def message(self, tag: str) -> str:
        """The sentence that opens a tag's feedback, e.g. "You found 5 of 7 anonymous sources; ..."."""
        w = _words_for(tag, self._words)
        found = self.found.get(tag, [])
        n_found = sum(not f.bonus for f in found)
        n_bonus = len(found) - n_found
        n_missed = len(self.missed.get(tag, []))
        total = n_found + n_missed
        extra = self.extra.get(tag, [])
        if total == 0:
            head = f"The key lists no {w.plural} here."
        elif n_missed == 0:
            head = (
                f"You found the only {w.count(1)[2:]} the key lists. Well spotted!"
                if total == 1
                else f"You found all {w.count(total)}. Well spotted!"
            )
        elif n_found == 0:
            them, they = ("it", "it is") if total == 1 else ("them", "they are")
            head = (
                f"The key lists {w.count(total)}; none of your highlights matched {them} yet. "
                f"Here {they}, and why {'it counts' if total == 1 else 'they count'}."
            )
        else:
            which = "the one" if n_missed == 1 else f"the {_number(n_missed)}"
            head = (
                f"You found {n_found} of {w.count(total)}; here {'is' if n_missed == 1 else 'are'}"
                f" {which} you missed and why {'it counts' if n_missed == 1 else 'they count'}."
            )
        parts = [head]
        if n_bonus:
            parts.append(
                f"You also spotted {n_bonus} inside {'a quotation' if n_bonus == 1 else 'quotations'}"
                ": those are the speaker's words, not the writer's."
            )
        if extra:
            worth = sum(e.defensible for e in extra)
            s = "passage" if len(extra) == 1 else "passages"
            tail = f" ({worth} worth a discussion)" if worth else ""
            parts.append(f"You marked {len(extra)} more {s} the key does not list{tail}.")
        return " ".join(parts)

    def __repr__(self) -> str:
        found = sum(not f.bonus for v in self.found.values() for f in v)
        missed = sum(len(v) for v in self.missed.values())
        extra = sum(len(v) for v in self.extra.values())
        arts = ", ".join(self.articles) or "none"
        return f"Feedback(articles: {arts}; found {found} of {found + missed}; {extra} extra)"

    def to_text(self) -> str:
        """Plain-text feedback, tag by tag (what a terminal or a plain-text export shows)."""
        lines = [repr(self)]
        for row in self.summary():
            if row["in_key"] or row["extra"] or row["bonus"]:
                lines.append(f"- {row['label']}: {row['message']}")
        return "\n".join(lines)

    # ----------------------------------------------------------------- chart

    def chart(self) -> alt.Chart:
        """Stacked bars per tag: found, missed, and extras. Returns the chart, never shows it.

        >>> import kit
        >>> spec = kit.feedback([], kit.load_key(), article="A").chart().to_dict()
        >>> spec["mark"]["type"], spec["encoding"]["y"]["field"]
        ('bar', 'tag')
        """
        import altair as alt

        labels = {
            "found": "found",
            "missed": "missed",
            "extra": "marked, not in the key",
        }
        rows = []
        order = []
        for row in self.summary():
            if not (row["in_key"] or row["extra"] or row["bonus"]):
                continue
            order.append(row["label"])
            for outcome, count in (
                ("found", row["found"] + row["bonus"]),
                ("missed", row["missed"]),
                ("extra", row["extra"]),
            ):
                rows.append(
                    {
                        "tag": row["label"],
                        "outcome": labels[outcome],
                        "order": list(labels).index(outcome),
                        "count": count,
                    }
                )
        return (
            alt.Chart(alt.Data(values=rows), title="Your highlights compared with the key")
            .mark_bar()
            .encode(
                y=alt.Y("tag:N", title=None, sort=order),
                x=alt.X("count:Q", title="Passages", axis=alt.Axis(tickMinStep=1)),
                color=alt.Color(
                    "outcome:N",
                    title=None,
                    scale=alt.Scale(
                        domain=list(labels.values()), range=list(OUTCOME_COLOURS.values())
                    ),
                    legend=alt.Legend(orient="bottom"),
                ),
                order=alt.Order("order:Q"),
                tooltip=["tag:N", "outcome:N", "count:Q"],
            )
            .properties(width=360, height=alt.Step(24))
        )

    # ----------------------------------------------------------------- notebook display

    def to_html(self) -> str:
        """The feedback panel as HTML. Every piece of article or learner text is escaped."""
        e = html.escape
        out = [
            '<div class="kit-feedback" style="font-family:sans-serif;max-width:52em">',
            f"<p><strong>{e(repr(self))}</strong></p>",
        ]
        for tag in self.tags:
            found = self.found.get(tag, [])
            missed = self.missed.get(tag, [])
            extra = self.extra.get(tag, [])
            if not (found or missed or extra):
                continue
            w = _words_for(tag, self._words)
            out.append(
                f'<details open style="border-left:6px solid {e(w.colour)};padding-left:8px;'
                'margin:6px 0">'
                f"<summary><strong>{e(w.label)}</strong>: {e(self.message(tag))}</summary>"
            )
            if missed:
                out.append("<p>Missed, and why they count:</p><ul>")
                for m in missed:
                    out.append(
                        f"<li>{self._quote_html(m.item)}<br><em>Why:</em> {e(m.explanation)}"
                        + (f"<br>{e(m.note)}" if m.note else "")
                        + "</li>"
                    )
                out.append("</ul>")
            if found:
                out.append("<p>Found:</p><ul>")
                for f in found:
                    out.append(
                        f"<li>{self._quote_html(f.item, context=False)} {e(f.explanation)}"
                        + (f"<br><em>{e(f.note)}</em>" if f.note else "")
                        + "".join(f"<br>Your note: “{e(a.note)}”" for a in f.annotations if a.note)
                        + "</li>"
                    )
                out.append("</ul>")
            worth = [x for x in extra if x.defensible]
            plain = [x for x in extra if not x.defensible]
            if worth:
                out.append("<p>Not in the key, but worth a discussion:</p><ul>")
                out.extend(self._extra_html(x) for x in worth)
                out.append("</ul>")
            if plain:
                out.append(f"<p>Not in the key as {e(w.label)}:</p><ul>")
                out.extend(self._extra_html(x) for x in plain)
                out.append("</ul>")
            out.append("</details>")
        out.append("</div>")
        return "\n".join(out)

    def _where(self, article_id: str) -> str:
        return f"[{article_id}] " if len(self.articles) > 1 else ""

    def _quote_html(self, item: Any, *, context: bool = True) -> str:
        e = html.escape
        where = e(self._where(item.article_id))
        text = self._texts.get(item.article_id)
        if not context or text is None:
            return f"{where}“<mark>{e(item.exact)}</mark>”"
        before = text[max(0, item.start - _CONTEXT) : item.start]
        after = text[item.end : item.end + _CONTEXT]
        before = before.split("\n")[-1]
        after = after.split("\n")[0]
        if (
            item.start - _CONTEXT > 0
            and " " in before
            and before == text[item.start - _CONTEXT : item.start]
        ):
            before = "…" + before.split(" ", 1)[1]
        if len(after) == _CONTEXT and " " in after:
            after = after.rsplit(" ", 1)[0] + "…"
        return f"{where}“{e(before)}<mark>{e(item.exact)}</mark>{e(after)}”"

    def _extra_html(self, x: Extra) -> str:
        e = html.escape
        a = x.annotation
        note = f"<br>Your note: “{e(a.note)}”" if a.note else ""
        return (
            f"<li>{e(self._where(a.article_id))}“<mark>{e(a.exact)}</mark>” "
            f"{e(x.explanation)}{note}</li>"
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": self.to_text(), "text/html": self.to_html()}

    def panel(self) -> Any:
        """The feedback as an ipywidgets panel: a header, the chart's numbers, one section per tag.

        ipywidgets is imported here so ``import kit`` stays light.
        """
        import ipywidgets as widgets

        return widgets.VBox([widgets.HTML(self.to_html())], layout=widgets.Layout(max_width="56em"))


def _number(n: int) -> str:
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return words[n] if 0 <= n < len(words) else str(n)


# --------------------------------------------------------------------------- the entry point


def feedback(
    annotations: Iterable[Annotation] | Any,
    key: AnswerKey,
    *,
    tags: Iterable[str] | None = None,
    article: Article | str | None = None,
) -> Feedback:
    """Compare a learner's highlights with the answer key, tag by tag.

    ``annotations`` is a list of `Annotation` (or an annotation store). ``tags`` limits the
    feedback to the tags a lesson offered. ``article`` (an `Article` or its id) limits it to
    one article; without it, the feedback covers the articles the learner marked anything in
    (all the key's articles when they marked nothing yet), so an article they have not read
    yet is not counted as missed.

    >>> import kit
    >>> fb = kit.feedback([], kit.load_key(), article="A", tags=["anonymous-source"])
    >>> fb.message("anonymous-source").startswith("The key lists")
    True
    """
    anns = _as_annotations(annotations)
    words = _tag_words()
    wanted = None if tags is None else list(dict.fromkeys(tags))

    article_obj = None
    if article is not None and not isinstance(article, str):
        article_obj = article
    article_id = article if isinstance(article, str) else getattr(article, "id", None)

    items = list(key.items)
    if article_id is not None:
        covered: tuple[str, ...] = (article_id,)
    else:
        marked = {a.article_id for a in anns}
        key_order = list(dict.fromkeys(i.article_id for i in items))
        covered = tuple(
            [a for a in key_order if a in marked] + sorted(marked - set(key_order))
        ) or tuple(key_order)
    covered_set = set(covered)
    anns = [a for a in anns if a.article_id in covered_set]
    items = [i for i in items if i.article_id in covered_set]
    if wanted is not None:
        keep = set(wanted)
        anns = [a for a in anns if a.tag in keep]

    texts = _texts_for(key, covered, article_obj)
    hint_index = _hints_for(key, covered, article_obj)
    return _build(anns, items, words, wanted, covered, texts, hint_index)


def _build(
    anns: list[Any],
    items: list[Any],
    words: Mapping[str, _TagWords],
    wanted: list[str] | None,
    covered: tuple[str, ...],
    texts: Mapping[str, str],
    hint_index: Mapping[tuple[str, str], list[Any]],
) -> Feedback:
    """Assemble a Feedback from annotations and key items already limited to ``covered``."""
    credited, unmatched = match_annotations(anns, items, texts=texts)

    found: dict[str, list[Found]] = defaultdict(list)
    missed: dict[str, list[Missed]] = defaultdict(list)
    extra: dict[str, list[Extra]] = defaultdict(list)

    # Learner highlights by (article, tag), to say "you highlighted it, but as X" on a miss.
    other_tag: dict[str, list[Any]] = defaultdict(list)
    for a in anns:
        other_tag[a.article_id].append(a)

    for i, item in enumerate(items):
        if wanted is not None and item.tag not in wanted and item.tag not in KEY_ONLY_TAGS:
            continue
        if i in credited:
            note = _quoted_note(item, words) if item.quoted else ""
            found[item.tag].append(Found(item, tuple(credited[i]), note))
        elif item.tag in KEY_ONLY_TAGS or item.quoted:
            continue  # never required: see the module docstring
        else:
            missed[item.tag].append(
                Missed(item, _miss_note(item, other_tag, credited, items, words, texts))
            )

    for a in unmatched:
        extra[a.tag].append(_judge_extra(a, items, words, texts, hint_index))

    if wanted is not None:
        tag_order = wanted
    else:
        # Every learner tag the key uses gets a row, so "none found" is visible too.
        seen = {t for d in (found, missed, extra) for t in d}
        used = {i.tag for i in items}
        tag_order = [t for t in words if t not in KEY_ONLY_TAGS and (t in used or t in seen)]
        tag_order += sorted(seen - set(tag_order))
    for d in (found, missed, extra):
        for lst in d.values():
            lst.sort(key=lambda r: _pos(r))
    return Feedback(
        found=dict(found),
        missed=dict(missed),
        extra=dict(extra),
        tags=tag_order,
        words=words,
        articles=covered,
        texts=texts,
    )


def _pos(r: Any) -> tuple[str, int, int]:
    obj = r.annotation if isinstance(r, Extra) else r.item
    return (obj.article_id, obj.start, obj.end)


def _quoted_note(item: Any, words: Mapping[str, _TagWords]) -> str:
    w = _words_for(item.tag, words)
    return (
        f"These words are inside a quotation: they are the speaker's {w.label.lower()}, not "
        "the writer's. Reporting what someone said is fair; it tells you how the speaker sees "
        "things, not how the reporter does."
    )


def _miss_note(
    item: Any,
    by_article: Mapping[str, list[Any]],
    credited: Mapping[int, list[Any]],
    items: list[Any],
    words: Mapping[str, _TagWords],
    texts: Mapping[str, str],
) -> str:
    same, other = [], []
    for a in by_article.get(item.article_id, ()):
        if a.start < item.end and item.start < a.end and _overlap(a, item, texts):
            (same if a.tag == item.tag else other).append(a)
    if same:
        # The highlight went to a neighbouring item: one highlight finds one item.
        return (
            f"Your highlight “{same[0].exact}” covers this too, but it already counted for "
            "another one: highlight each one on its own."
        )
    if other:
        labels = sorted({_words_for(a.tag, words).label for a in other})
        return f"You highlighted these words, but as {' and '.join(labels)}."
    return ""


def _judge_extra(
    a: Any,
    items: list[Any],
    words: Mapping[str, _TagWords],
    texts: Mapping[str, str],
    hint_index: Mapping[tuple[str, str], list[Any]],
) -> Extra:
    w = _words_for(a.tag, words)
    for item in items:
        if (
            item.article_id == a.article_id
            and item.tag != a.tag
            and item.start < a.end
            and a.start < item.end
            and _overlap(a, item, texts)
        ):
            kw = _words_for(item.tag, words)
            if item.tag == "sourced-figure" and a.tag == "unsourced-figure":
                return Extra(
                    a,
                    True,
                    "The key counts this figure as sourced: its own sentence says where it "
                    f"comes from. {item.explanation}",
                )
            return Extra(
                a,
                True,
                f"The key lists these words as {kw.label}, not {w.label}: {item.explanation}",
            )
    for hint in hint_index.get((a.article_id, a.tag), ()):
        if hint.start < a.end and a.start < hint.end and _overlap(a, hint, texts):
            return Extra(
                a,
                True,
                f"The key does not list it, but the kit's detectors flagged it too: {hint.reason}",
            )
    if a.note:
        return Extra(
            a,
            True,
            "The key does not list it, but you gave a reason: talk it over with someone.",
        )
    check = f" Check the definition: {w.definition}" if w.definition else ""
    return Extra(a, False, f"The key does not list this under {w.label}.{check}")


# --------------------------------------------------------------------------- inputs


def _as_annotations(annotations: Any) -> list[Any]:
    """Accept a list of annotations or a store (anything with ``.annotations`` or iterable)."""
    if annotations is None:
        return []
    for name in ("annotations", "all"):
        value = getattr(annotations, name, None)
        if value is not None and not isinstance(annotations, (list, tuple)):
            value = value() if callable(value) else value
            return list(value)
    return list(annotations)


def _key_articles(key: Any) -> Any:
    return getattr(key, "articles", None)


def _texts_for(key: Any, covered: Iterable[str], article: Any) -> dict[str, str]:
    texts: dict[str, str] = {}
    if article is not None:
        texts[article.id] = article.text
    arts = _key_articles(key)
    if arts is not None:
        for aid in covered:
            if aid not in texts and aid in arts:
                texts[aid] = arts[aid].text
    return texts


def _hints_for(key: Any, covered: Iterable[str], article: Any) -> dict[tuple[str, str], list[Any]]:
    objs = []
    if article is not None:
        objs.append(article)
    else:
        arts = _key_articles(key)
        if arts is not None:
            objs = [arts[aid] for aid in covered if aid in arts]
    index: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for obj in objs:
        for h in _article_hints(obj):
            index[(obj.id, h.tag)].append(h)
    return index


def _article_hints(article: Any) -> list[Any]:
    from kit.hints import hints

    try:
        return hints(article)
    except ImportError:
        # A detector module is not installed yet: feedback works without hints.
        return []


# --------------------------------------------------------------------------- kit.feedback


class _CallableModule(types.ModuleType):
    """``kit.feedback`` is both this module and the function: make the module callable.

    Once ``import kit.feedback`` has run, Python binds the package attribute ``kit.feedback``
    to the module, which would shadow the function of the same name that ``kit`` exports.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Feedback:
        return feedback(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
