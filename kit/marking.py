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
  key lists the same words under a neighbouring tag (one fed by the same family of detector
  hints in the taxonomy, such as named versus anonymous source: a close call), when the kit's
  detectors flagged the same words for the same tag, or when the learner wrote a note
  explaining their choice. The same words under an unrelated tag are shown as "right words,
  different tag", with the key's explanation.
* A highlight whose words are no longer at its offsets (re-anchoring orphaned it, or the
  article changed) is set aside in ``Feedback.lost`` rather than matched against other words.

>>> import kit
>>> from kit.marking import feedback
>>> fb = feedback([], kit.load_key(), article="A")
>>> sum(len(v) for v in fb.found.values())
0
"""

from __future__ import annotations

import html
import re
import warnings
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kit import keys as _keys

if TYPE_CHECKING:
    import altair as alt

    from kit.annotations import Annotation
    from kit.articles import Article, ArticleSet
    from kit.keys import AnswerKey, KeyItem

__all__ = ["Extra", "Feedback", "Found", "Missed", "feedback", "match_annotations"]

KEY_ONLY_TAGS = frozenset(_keys.KEY_ONLY_TAGS)  # in keys, never asked of learners
_WORD_CHAR = re.compile(r"\w")
_CONTEXT = 60  # characters of article text shown around a missed item

# The three outcomes of the feedback chart. Each colour is at least 3:1 against white (WCAG
# 1.4.11), and each outcome also has its own outline dash, so colour is never the only signal.
OUTCOME_COLOURS = {"found": "#117733", "missed": "#B35900", "extra": "#1F5FA8"}
OUTCOME_DASHES = {"found": [1, 0], "missed": [6, 3], "extra": [2, 2]}


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
    """A highlight that matches no key item of its tag.

    ``defensible`` marks one worth a discussion; ``key_item`` is set when the key lists the
    same words under another tag ("right words, different tag").
    """

    annotation: Annotation
    defensible: bool  # worth a discussion rather than a plain miss
    explanation: str  # why it might count, or what to check
    key_item: KeyItem | None = None

    @property
    def tag(self) -> str:
        return self.annotation.tag


# --------------------------------------------------------------------------- what we compare with


@dataclass(frozen=True, slots=True)
class _Ref:
    """How the feedback names what it compares with: the answer key, or the kit's hints."""

    name: str  # "the key"
    lists: str  # "lists"
    lacks: str  # "does not list"
    not_in: str  # "not in the key"
    intro: str = ""  # said once at the top


KEY_REF = _Ref("the key", "lists", "does not list", "not in the key")
HINT_REF = _Ref(
    "the kit's hints",
    "point to",
    "do not point to",
    "not among the kit's hints",
    "There is no answer key for this article, so your highlights are compared with the kit's "
    "detector hints. Detectors miss things and make mistakes: treat this as a second opinion.",
)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------- tag words


@dataclass(frozen=True, slots=True)
class _TagWords:
    id: str
    label: str
    definition: str
    colour: str
    # Detector families the tag draws hints from ("attribution", "framing", "figure"): two tags
    # of one family are neighbours, and mixing them up is a judgement call worth discussing.
    families: frozenset[str] = frozenset()

    @property
    def plural(self) -> str:
        """Plural for our sentences: "anonymous sources", "examples of loaded language"."""
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
        """A count in words: "1 anonymous source", "3 anonymous sources", "1 example of ..."."""
        if n == 1:
            return f"1 example of {self.label.lower()}" if self._mass else f"1 {self.label.lower()}"
        return f"{n} {self.plural}"


def _tag_words() -> dict[str, _TagWords]:
    from kit.hints import load_tags  # the taxonomy as the widgets see it

    words = {
        t.id: _TagWords(
            t.id,
            t.label,
            t.definition,
            t.colour,
            frozenset(k.split(":", 1)[0] for k in t.hint_kinds),
        )
        for t in load_tags()
    }
    words.setdefault(
        "sourced-figure",
        _TagWords(
            "sourced-figure",
            "Sourced figure",
            "A figure whose own clause names who it comes from (answer key only).",
            "#999999",
            frozenset({"figure"}),
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
    # Without the article at hand, the learner's own copy of the words covers the overlap.
    chunk = text[lo:hi] if text is not None else ann.exact[lo - ann.start : hi - ann.start]
    return len(_WORD_CHAR.findall(chunk))


def _overlap(ann: Any, item: Any, texts: Mapping[str, str]) -> int:
    return _shares_word(ann.start, ann.end, item.start, item.end, texts.get(ann.article_id), ann)


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

    owner: dict[int, int] = {}  # annotation index -> item index
    holder: dict[int, int] = {}  # item index -> annotation index
    # Greedy on overlap: the biggest overlaps pair first, one item per highlight.
    for _, _, a_i, i in pairs:
        if a_i not in owner and i not in holder:
            owner[a_i], holder[i] = i, a_i
    _augment(pairs, owner, holder)
    credited = {i: [anns[a_i]] for i, a_i in holder.items()}
    # A highlight left over overlaps only items already found: it finds them again.
    for _, _, a_i, i in pairs:
        if a_i not in owner:
            owner[a_i] = i
            credited[i].append(anns[a_i])
    unmatched = [ann for a_i, ann in enumerate(anns) if a_i not in owner]
    return credited, unmatched


def _augment(
    pairs: list[tuple[int, int, int, int]], owner: dict[int, int], holder: dict[int, int]
) -> None:
    """Re-pair so that as many key items as possible are found (augmenting paths).

    Greedy pairing can give a highlight to item X when it was the only highlight that could
    find item Y; moving it to Y and another highlight to X finds both. Graphs are a handful
    of highlights per sentence, so the simple search is plenty.
    """
    options: dict[int, list[int]] = defaultdict(list)  # item -> annotations, best first
    for _, _, a_i, i in pairs:
        options[i].append(a_i)

    def claim(i: int, seen: set[int]) -> bool:
        # Kuhn's augmenting path: take a highlight of item i, re-homing its owner if needed.
        for a_i in options[i]:
            if a_i in seen:
                continue
            seen.add(a_i)
            if a_i not in owner or claim(owner[a_i], seen):
                owner[a_i], holder[i] = i, a_i
                return True
        return False

    for i in list(options):
        if i not in holder:
            claim(i, set())


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
        lost: list[Annotation] | None = None,
        against: str = "key",
    ) -> None:
        self.found = found
        self.missed = missed
        self.extra = extra
        self.tags = tags
        self.articles = articles  # the article ids this feedback covers
        # Highlights whose words are no longer where they were (the article changed): they
        # are left out of the comparison rather than matched against the wrong words.
        self.lost = list(lost or [])
        self.against = against  # "key", or "hints" when there is no answer key
        self._ref = HINT_REF if against == "hints" else KEY_REF
        self._words = words
        self._texts = texts

    # ----------------------------------------------------------------- numbers and words

    def summary(self) -> list[dict[str, Any]]:
        """One row per tag: counts and an encouraging sentence.

        ``found`` and ``in_key`` count the items the learner was asked to find; ``bonus``
        counts quoted items they spotted as well (the speaker's words, not required).

        >>> import kit
        >>> row = kit.feedback([], kit.load_key(), article="C").summary()[0]
        >>> sorted(row)[:4]
        ['bonus', 'extra', 'found', 'in_key']
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
        """The sentences that open a tag's feedback: "You found 5 of 7 anonymous sources; ..."."""
        w = _words_for(tag, self._words)
        found = self.found.get(tag, [])
        n_found = sum(not f.bonus for f in found)
        n_bonus = len(found) - n_found
        n_missed = len(self.missed.get(tag, []))
        total = n_found + n_missed
        extra = self.extra.get(tag, [])
        r = self._ref
        if total == 0:
            head = f"{_cap(r.name)} {r.lists} no {w.plural} here."
        elif n_missed == 0:
            head = (
                f"You found the only {w.count(1)[2:]} {r.name} {r.lists}. Well spotted!"
                if total == 1
                else f"You found both {w.plural}. Well spotted!"
                if total == 2
                else f"You found all {w.count(total)}. Well spotted!"
            )
        elif n_found == 0:
            them, they = ("it", "it is") if total == 1 else ("them", "they are")
            head = (
                f"{_cap(r.name)} {r.lists} {w.count(total)}; none of your highlights matched "
                f"{them} yet. "
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
            where = "a quotation" if n_bonus == 1 else "quotations"
            parts.append(
                f"You also spotted {n_bonus} inside {where}: those are the speaker's words, "
                "not the writer's."
            )
        if extra:
            worth = sum(e.defensible for e in extra)
            s = "passage" if len(extra) == 1 else "passages"
            tail = f" ({worth} worth a discussion)" if worth else ""
            parts.append(f"You marked {len(extra)} more {s} {r.name} {r.lacks}{tail}.")
        return " ".join(parts)

    def __repr__(self) -> str:
        found = sum(not f.bonus for v in self.found.values() for f in v)
        missed = sum(len(v) for v in self.missed.values())
        extra = sum(len(v) for v in self.extra.values())
        arts = ", ".join(self.articles) or "none"
        return f"Feedback(articles: {arts}; found {found} of {found + missed}; {extra} extra)"

    def overview(self) -> str:
        """One or two sentences on the whole: how much of the key the learner found.

        >>> import kit
        >>> kit.feedback([], kit.load_key(), article="A").overview().startswith("Article A:")
        True
        """
        found = sum(not f.bonus for v in self.found.values() for f in v)
        bonus = sum(f.bonus for v in self.found.values() for f in v)
        total = found + sum(len(v) for v in self.missed.values())
        extra = [x for v in self.extra.values() for x in v]
        worth = sum(x.defensible for x in extra)
        r = self._ref
        arts = ", ".join(self.articles)
        where = f"{'Articles' if len(self.articles) > 1 else 'Article'} {arts}: " if arts else ""
        intro = f"{r.intro} " if r.intro else ""
        if found == 0 and not extra and not bonus:
            return (
                f"{intro}{where}you have not marked anything {r.name} {r.lists} yet. Mark the "
                "passages in the article above, then run this cell again. Stuck? "
                f"{_cap(r.name)} {r.lists} {total} {'passage' if total == 1 else 'passages'}: "
                "open a section below to see them, and why they count."
            )
        name = "the answer key" if r is KEY_REF else r.name
        out = f"{intro}{where}you found {found} of the {total} passages {name} {r.lists}"
        out += f" (and {bonus} more inside quotations)." if bonus else "."
        if extra:
            verb = "is" if worth == 1 else "are"
            are = "of your highlights is" if len(extra) == 1 else "of your highlights are"
            out += f" {len(extra)} {are} {r.not_in}" + (
                f"; {worth} of them {verb} worth a discussion." if worth else "."
            )
        if self.lost:
            n = len(self.lost)
            out += (
                f" {n} {'highlight no longer matches' if n == 1 else 'highlights no longer match'}"
                " the article's words: highlight again."
            )
        return out

    def to_text(self) -> str:
        """Plain-text feedback, tag by tag (what a terminal or a plain-text export shows)."""
        lines = [self.overview()]
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

        from kit.charts import _ensure_offline

        _ensure_offline()
        labels = {
            "found": "found",
            "missed": "missed",
            "extra": f"marked, {self._ref.not_in}",
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
            alt.Chart(
                alt.Data(values=rows), title=f"Your highlights compared with {self._ref.name}"
            )
            .mark_bar(stroke="#222222", strokeWidth=1.5)
            .encode(
                y=alt.Y("tag:N", title=None, sort=order),
                x=alt.X("count:Q", title="Passages", axis=alt.Axis(tickMinStep=1, format="d")),
                color=alt.Color(
                    "outcome:N",
                    title=None,
                    scale=alt.Scale(
                        domain=list(labels.values()), range=list(OUTCOME_COLOURS.values())
                    ),
                    legend=alt.Legend(orient="bottom"),
                ),
                # a second channel: the same legend shows each outcome's outline dash
                strokeDash=alt.StrokeDash(
                    "outcome:N",
                    title=None,
                    scale=alt.Scale(
                        domain=list(labels.values()), range=list(OUTCOME_DASHES.values())
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
        out = [
            '<div class="kit-feedback" style="font-family:sans-serif;max-width:52em">',
            f"<p><strong>{html.escape(self.overview())}</strong></p>",
        ]
        # Answers stay folded until the learner has tried: Run All must not spoil the exercise.
        opened = " open" if self.attempted else ""
        for tag in self._shown_tags():
            w = _words_for(tag, self._words)
            out.append(
                f'<details{opened} style="border-left:6px solid {_safe_colour(w.colour)};'
                'padding-left:8px;margin:6px 0">'
                f"<summary><strong>{html.escape(w.label)}</strong>: "
                f"{html.escape(self.message(tag))}</summary>"
            )
            out.append(self._section_html(tag))
            out.append("</details>")
        out.append(self._lost_html())
        out.append("</div>")
        return "\n".join(out)

    @property
    def attempted(self) -> bool:
        """True once the learner has marked anything these tags cover."""
        return any(self.found.values()) or any(self.extra.values())

    def _shown_tags(self) -> list[str]:
        return [
            t for t in self.tags if self.found.get(t) or self.missed.get(t) or self.extra.get(t)
        ]

    def _section_html(self, tag: str) -> str:
        """Missed, found and extra passages of one tag (the body of its section)."""
        e = html.escape
        found = self.found.get(tag, [])
        missed = self.missed.get(tag, [])
        extra = self.extra.get(tag, [])
        out = []
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
                    f"<li>{self._quote_html(f.item, context=False)} — {e(f.explanation)}"
                    + (f"<br><em>{e(f.note)}</em>" if f.note else "")
                    + "".join(f"<br>Your note: “{e(a.note)}”" for a in f.annotations if a.note)
                    + "</li>"
                )
            out.append("</ul>")
        groups = (
            (
                f"{_cap(self._ref.not_in)}, but worth a discussion:",
                [x for x in extra if x.defensible],
            ),
            (
                "Right words, different tag:",
                [x for x in extra if not x.defensible and x.key_item is not None],
            ),
            (
                f"{_cap(self._ref.not_in)} as {_words_for(tag, self._words).label}:",
                [x for x in extra if not x.defensible and x.key_item is None],
            ),
        )
        for heading, group in groups:
            if group:
                out.append(f"<p>{e(heading)}</p><ul>")
                out.extend(self._extra_html(x) for x in group)
                out.append("</ul>")
        return "\n".join(out)

    def _lost_html(self) -> str:
        if not self.lost:
            return ""
        e = html.escape
        return "\n".join(
            [
                "<p>These highlights no longer match the article's words (the text may have "
                "changed since you made them), so they were left out. Highlight them again:</p>"
                "<ul>",
                *(
                    f"<li>{e(self._where(a.article_id))}“{e(a.exact)}” "
                    f"({e(_words_for(a.tag, self._words).label)})</li>"
                    for a in self.lost
                ),
                "</ul>",
            ]
        )

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
            f"<li>{e(self._where(a.article_id))}“<mark>{e(a.exact)}</mark>” — "
            f"{e(x.explanation)}{note}</li>"
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": self.to_text(), "text/html": self.to_html()}

    def panel(self) -> Any:
        """The feedback as an ipywidgets panel: the overview, then one fold-out section per tag.

        Sections with something missed start open. ipywidgets is imported here so ``import
        kit`` stays light; every text in the panel is escaped as in `to_html`.
        """
        import ipywidgets as widgets

        tags = self._shown_tags()
        sections = [
            widgets.HTML(
                f"<p>{html.escape(self.message(t))}</p>{self._section_html(t)}",
                layout=widgets.Layout(
                    border_left=f"6px solid {_safe_colour(_words_for(t, self._words).colour)}",
                    padding="0 0 0 8px",
                ),
            )
            for t in tags
        ]
        titles = []
        for t in tags:
            n_found = sum(not f.bonus for f in self.found.get(t, []))
            total = n_found + len(self.missed.get(t, []))
            label = _words_for(t, self._words).label
            if total:
                titles.append(f"{label}: {n_found} of {total} found")
            else:
                titles.append(f"{label}: {len(self.extra.get(t, []))} {self._ref.not_in}")
        folds = widgets.Accordion(children=sections, titles=tuple(titles))
        if self.attempted and any(self.missed.get(t) for t in tags):
            folds.selected_index = next(i for i, t in enumerate(tags) if self.missed.get(t))
        children = [widgets.HTML(f"<p><strong>{html.escape(self.overview())}</strong></p>")]
        children.append(folds)
        if self.lost:
            children.append(widgets.HTML(self._lost_html()))
        return widgets.VBox(children, layout=widgets.Layout(max_width="56em"))


_COLOUR = re.compile(r"#[0-9A-Fa-f]{3,8}")


def _safe_colour(colour: str) -> str:
    """A taxonomy colour fit for a style attribute: a hex colour, or grey for anything else."""
    return colour if _COLOUR.fullmatch(colour or "") else "#7F7F7F"


def _number(n: int) -> str:
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return words[n] if 0 <= n < len(words) else str(n)


# --------------------------------------------------------------------------- the entry point


def feedback(
    annotations: Iterable[Annotation] | Any,
    key: AnswerKey | None,
    *,
    tags: Iterable[str] | None = None,
    article: Article | str | None = None,
    articles: ArticleSet | None = None,
) -> Feedback:
    """Compare a learner's highlights with the answer key, tag by tag.

    ``annotations`` is a list of `Annotation` (or an annotation store). ``tags`` limits the
    feedback to the tags a lesson offered. ``article`` (an `Article` or its id) limits it to
    one article; without it, the feedback covers the articles the learner marked anything in
    (all the key's articles when they marked nothing yet), so an article they have not read
    yet is not counted as missed. ``articles`` is the article set, for quoting the words
    around a missed item and for the detectors' hints; by default the key's own set is used
    when the kit has it.

    ``key=None`` (an instructor's own articles, with no answer key yet) compares the
    highlights with the kit's detector hints instead, and says so; it needs ``article`` as an
    `Article`, or ``articles``.

    >>> import kit
    >>> fb = kit.feedback([], kit.load_key(), article="A", tags=["anonymous-source"])
    >>> fb.message("anonymous-source").startswith("The key lists")
    True
    """
    anns = _as_annotations(annotations)
    words = _tag_words()
    wanted = None if tags is None else list(dict.fromkeys(tags))

    article_id = article if isinstance(article, str) else getattr(article, "id", None)
    # With no answer key, the detectors' hints stand in for one.
    items = list(key.items) if key is not None else _hint_items(article, articles, article_id, anns)
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

    objs = _article_objects(key, covered, article, articles)
    texts = {a.id: a.text for a in objs}
    if key is None:  # the hints are the items: no second look at them for extras
        return _build(anns, items, words, wanted, covered, texts, {}, against="hints")
    return _build(anns, items, words, wanted, covered, texts, hint_index(objs))


def _hint_items(article: Any, articles: Any, article_id: str | None, anns: list[Any]) -> list[Any]:
    """The detectors' hints as answer-key items, for articles that have no key."""
    from kit.keys import KeyItem

    if article is not None and not isinstance(article, str):
        pool = [article]
    elif articles is not None:
        wanted = {article_id} if article_id else {a.article_id for a in anns}
        pool = [a for a in articles if a.id in wanted] if wanted else list(articles)
    else:
        raise ValueError(
            "there is no answer key, so the kit's hints stand in for one: pass the article "
            "itself (article=articles['A']) or the article set (articles=...)"
        )
    return [
        KeyItem(
            article_id=a.id,
            start=h.start,
            end=h.end,
            tag=h.tag,
            exact=a.text[h.start : h.end],
            explanation=f"The kit's detectors suggest it: {h.reason}",
        )
        for a in pool
        for h in _article_hints(a)
    ]


def _build(
    anns: list[Any],
    items: list[Any],
    words: Mapping[str, _TagWords],
    wanted: list[str] | None,
    covered: tuple[str, ...],
    texts: Mapping[str, str],
    hint_index: Mapping[tuple[str, str], list[Any]],
    *,
    against: str = "key",
) -> Feedback:
    """Assemble a Feedback from annotations and key items already limited to ``covered``."""
    ref = HINT_REF if against == "hints" else KEY_REF
    lost = [a for a in anns if _is_lost(a, texts)]
    if lost:
        anns = [a for a in anns if not _is_lost(a, texts)]
    credited, unmatched = match_annotations(anns, items, texts=texts)

    found: dict[str, list[Found]] = defaultdict(list)
    missed: dict[str, list[Missed]] = defaultdict(list)
    extra: dict[str, list[Extra]] = defaultdict(list)

    # Learner highlights by article, to say "you highlighted it, but as X" on a miss.
    unmatched_ids = {id(a) for a in unmatched}
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
                Missed(item, _miss_note(item, other_tag, unmatched_ids, words, texts))
            )

    for a in unmatched:
        extra[a.tag].append(_judge_extra(a, items, words, texts, hint_index, ref))

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
        lost=lost,
        against=against,
    )


def _is_lost(a: Any, texts: Mapping[str, str]) -> bool:
    if getattr(a, "status", "anchored") == "orphaned":
        return True
    text = texts.get(a.article_id)
    return text is not None and text[a.start : a.end] != a.exact


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
    unmatched: set[int],
    words: Mapping[str, _TagWords],
    texts: Mapping[str, str],
) -> str:
    """A hint on a missed item when the learner's highlights came close to it."""
    same, other = [], []
    for a in by_article.get(item.article_id, ()):
        if a.start < item.end and item.start < a.end and _overlap(a, item, texts):
            if a.tag == item.tag:
                same.append(a)
            elif id(a) in unmatched:
                # Only a highlight that found nothing under its own tag was a guess at this
                # item; one that found its own item (a source inside a claim) was right.
                other.append(a)
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
    ref: _Ref = KEY_REF,
) -> Extra:
    w = _words_for(a.tag, words)
    r, the = ref, _cap(ref.name)
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
                    False,
                    "The key counts this figure as sourced: its own sentence says where it "
                    f"comes from. {item.explanation}",
                    item,
                )
            close = bool(w.families & kw.families)
            lead = f"A close call: {r.name}" if close else the
            return Extra(
                a,
                close,
                f"{lead} {r.lists} these words as {kw.label}, not {w.label}: {item.explanation}",
                item,
            )
    for hint in hint_index.get((a.article_id, a.tag), ()):
        if hint.start < a.end and a.start < hint.end and _overlap(a, hint, texts):
            return Extra(
                a,
                True,
                f"{the} {r.lacks} it, but the kit's detectors flagged it too: {hint.reason}",
            )
    if a.note:
        return Extra(
            a,
            True,
            f"{the} {r.lacks} it, but you gave a reason: talk it over with someone.",
        )
    check = f" Check the definition: {w.definition}" if w.definition else ""
    if r is HINT_REF:
        return Extra(a, False, f"{the} {r.lacks} this as {w.label}; they can miss things.{check}")
    return Extra(a, False, f"{the} {r.lacks} this under {w.label}.{check}")


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


def _article_objects(
    key: Any, covered: Iterable[str], article: Any, articles: Any
) -> list[Article]:
    """The Article objects for ``covered``: given directly, or the key's own article set."""
    if article is not None and not isinstance(article, str):
        return [article]
    if articles is None:
        articles = _key_articles(key)
    if articles is None:
        return []
    return [articles[aid] for aid in covered if aid in articles]


def _key_articles(key: Any) -> ArticleSet | None:
    """The article set a key was written for, when the kit's data folder has it."""
    from kit._data import data_dir
    from kit.articles import ArticleSetError, load_articles

    name = getattr(key, "set_name", None)
    if not name:
        return None
    folder = data_dir() / "articles" / name
    if not folder.is_dir():
        return None
    try:
        arts = load_articles(folder)
    except ArticleSetError:
        return None  # feedback still works, with the learner's own copy of the words
    wanted = getattr(key, "article_ids", ()) or ()
    return arts if all(aid in arts for aid in wanted) else None


def hint_index(articles: Iterable[Article]) -> dict[tuple[str, str], list[Any]]:
    """The detectors' hints for ``articles``, by (article id, tag)."""
    index: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for obj in articles:
        for h in _article_hints(obj):
            index[(obj.id, h.tag)].append(h)
    return index


def _article_hints(article: Any) -> list[Any]:
    from kit.hints import hints

    try:
        return hints(article)
    except Exception as exc:
        # Hints only add "worth a discussion" notes; a detector failing on an unusual article
        # must not take away the learner's feedback. Say so rather than hide it.
        warnings.warn(
            f"detector hints unavailable for article {article.id!r} "
            f"({type(exc).__name__}: {exc}); feedback is given without them",
            RuntimeWarning,
            stacklevel=3,
        )
        return []


# --------------------------------------------------------------------------- kit.feedback
