"""The instructor's class view: every learner's highlights side by side.

`class_view` reads a folder of learner annotation files (one W3C Web Annotation JSON file per
learner, as `kit.open_store` writes them), compares each learner with the answer key, and
measures how much learners agree with each other, sentence by sentence, for each tag.

A file that cannot be read (bad JSON, the wrong schema, a binary file, an empty file) never
stops the class view: it is listed in ``ClassView.skipped`` with the reason. An article set
with no answer key (an instructor's own articles) still gets everything: learners are then
compared with the kit's detector hints, and the view says so (``ClassView.against``).

>>> import kit, tempfile
>>> article = kit.load_articles()["A"]
>>> at = article.text.index("Analysts say")
>>> with tempfile.TemporaryDirectory() as folder:
...     _ = kit.open_store("Ana", folder=folder).add(article, at, at + 8, "anonymous-source")
...     view = kit.class_view(folder, kit.load_articles())
>>> view.learners, view.skipped
(['ana'], [])
>>> view.feedback["ana"].message("anonymous-source").startswith("You found 1 of")
True
"""

from __future__ import annotations

import bisect
import html
import math
import warnings
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit.marking import KEY_ONLY_TAGS, Feedback, _build, _is_lost, _tag_words, _words_for

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd

    from kit.articles import Article, ArticleSet
    from kit.keys import AnswerKey, KeyItem

__all__ = ["AGREEMENT_NOTE", "ClassView", "ItemStat", "class_view", "demo_class"]

# Suffixes of learner files, longest first; anything else in the folder is not a learner file.
LEARNER_SUFFIXES = (".annotations.jsonld", ".annotations.json", ".jsonld", ".json")

# The 0.8 and 0.667 thresholds are Krippendorff's recommendation for coded data (rely on
# alpha >= .800; draw only tentative conclusions between .667 and .800; Content Analysis, 2nd
# ed., 2004). For a class discussion they are a rough guide, not a pass mark.
AGREEMENT_NOTE = """\
Agreement is Krippendorff's alpha, computed for each tag over sentences. For every sentence \
we ask each learner one yes/no question: did you mark this sentence with this tag? Alpha then \
compares how often learners give the same answer with how often they would agree by chance, \
given how often the tag is used at all. 1 means every learner marked exactly the same \
sentences; 0 means they agree no more than if each had marked sentences at random; below 0 \
means they disagree more than chance would (they systematically see it differently). As a \
rough guide, above 0.8 the class shares one idea of the tag, between 0.67 and 0.8 mostly, \
and below that learners read the tag differently: a good moment to look at its definition \
together. A learner who marked nothing in an article does not count for that article's \
sentences (they may not have read it). "nan" means there is nothing to measure: fewer than \
two learners read the same article, or nobody used the tag (or everyone marked every \
sentence with it)."""


@dataclass(frozen=True, slots=True)
class ItemStat:
    """How many learners found one key item, out of those who worked on its article."""

    item: KeyItem
    found_by: int
    learners: int

    @property
    def share(self) -> float:
        return self.found_by / self.learners if self.learners else math.nan

    @property
    def explanation(self) -> str:
        return self.item.explanation


@dataclass(frozen=True, slots=True)
class _Unit:
    """One sentence of one article: the unit learners agree or disagree about."""

    article_id: str
    number: int  # 1-based among the article's sentences
    start: int
    end: int
    text: str


class ClassView:
    """A class's annotations on one article set: per learner, per sentence and per tag.

    Attributes: ``learners`` (ids, from the file names; ``names`` maps them to the names in
    the files), ``skipped`` (``(file name, reason)`` for each file that could not be read),
    ``annotations`` and ``lost`` (learner -> usable highlights, and those whose words are no
    longer in the text), ``worked`` (learner -> ids of the articles they marked anything in),
    ``feedback`` (learner -> `Feedback`, when there is a key) and ``agreement``.

    ``agreement`` maps each tag to Krippendorff's alpha (nominal) over a sentences x learners
    table of yes/no answers to "did you mark this sentence with this tag?". 1 means everyone
    marked the same sentences, 0 no better than chance, below 0 worse than chance; NaN means
    there is nothing to measure. ``agreement_note`` says this in full for a class.

    >>> import kit, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     view = kit.class_view(folder, kit.load_articles())
    >>> view.agreement_note.startswith("Agreement is Krippendorff's alpha")
    True
    """

    agreement_note = AGREEMENT_NOTE

    def __init__(
        self,
        *,
        articles: ArticleSet,
        key: AnswerKey | None,
        annotations: Mapping[str, list[Any]],
        skipped: list[tuple[str, str]],
        tags: list[str],
    ) -> None:
        self.articles = articles
        self.key = key
        self._texts = {a.id: a.text for a in articles}
        # Highlights whose words are no longer where they were (orphaned by re-anchoring, or
        # made on another version of the text) are kept apart: matched against today's text
        # they would land on the wrong words.
        self.annotations: dict[str, list[Any]] = {}  # learner -> usable annotations
        self.lost: dict[str, list[Any]] = {}  # learner -> highlights set aside
        for name, anns in annotations.items():
            self.annotations[name] = [a for a in anns if not _is_lost(a, self._texts)]
            self.lost[name] = [a for a in anns if _is_lost(a, self._texts)]
        self.learners = list(self.annotations)
        # learner -> the name written in their file (the file name is the stable id)
        self.names = {
            name: next((a.learner for a in anns if getattr(a, "learner", "")), name)
            for name, anns in annotations.items()
        }
        self.skipped = skipped
        self.tags = tags
        self._words = _tag_words()
        self._hints: dict[tuple[str, str], list[Any]] | None = None
        self._units = _sentence_units(articles)
        self._unit_starts = {aid: [u.start for u in us] for aid, us in _group(self._units).items()}
        self._unit_index = {(u.article_id, u.number): i for i, u in enumerate(self._units)}
        # worked[learner] = ids of the articles the learner marked anything in
        self.worked = {
            name: {a.article_id for a in anns if a.article_id in self._texts}
            for name, anns in self.annotations.items()
        }
        self._marks = self._sentence_marks()
        self.agreement = self._agreement()
        # Compared with the answer key, or with the kit's hints when the set has no key yet.
        self.against = "key" if key is not None else "hints"
        self._items = sorted(self._reference_items(), key=_ident)
        self.feedback = self._feedback_per_learner()
        # The pre- and post-check scores of the same folder (kit.prepost), set by class_view.
        self.gains: Any = None
        self.gains_problem = ""
        self.demo = False  # True for the shipped demo class of synthetic learners (demo_class)

    # ----------------------------------------------------------------- sentences

    def _sentences_of(self, ann: Any) -> range:
        """Indexes into ``_units`` of the sentences an annotation touches."""
        starts = self._unit_starts.get(ann.article_id)
        if not starts:
            return range(0)
        first = max(0, bisect.bisect_right(starts, ann.start) - 1)
        last = bisect.bisect_left(starts, ann.end)
        base = self._unit_index[(ann.article_id, 1)]
        keep = [
            base + i
            for i in range(first, last)
            if self._units[base + i].start < ann.end and ann.start < self._units[base + i].end
        ]
        return range(keep[0], keep[-1] + 1) if keep else range(0)

    def _sentence_marks(self) -> dict[str, dict[str, set[int]]]:
        """tag -> learner -> indexes of the sentences they marked with that tag."""
        marks: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        for name, anns in self.annotations.items():
            for ann in anns:
                if ann.tag in self.tags:
                    marks[ann.tag][name].update(self._sentences_of(ann))
        return marks

    # ----------------------------------------------------------------- agreement

    def _agreement(self) -> dict[str, float]:
        import numpy as np

        active = np.zeros(len(self._units), dtype=float)  # learners who worked on each unit
        for worked in self.worked.values():
            for i, u in enumerate(self._units):
                if u.article_id in worked:
                    active[i] += 1
        result: dict[str, float] = {}
        for tag in self.tags:
            yes = np.zeros(len(self._units), dtype=float)
            for name, idx in self._marks.get(tag, {}).items():
                for i in idx:
                    if self._units[i].article_id in self.worked[name]:
                        yes[i] += 1
            result[tag] = _alpha(yes, active)
        return result

    # ----------------------------------------------------------------- the key

    def _reference_items(self) -> list[Any]:
        """What learners are compared with: the key's items, or the hints when there is no key."""
        if self.key is not None:
            return [i for i in self.key.items if i.article_id in self._texts]
        from kit.keys import KeyItem

        return [
            KeyItem(
                article_id=aid,
                start=h.start,
                end=h.end,
                tag=tag,
                exact=self._texts[aid][h.start : h.end],
                explanation=f"The kit's detectors suggest it: {h.reason}",
            )
            for (aid, tag), hs in self._hint_index().items()
            for h in hs
        ]

    def _feedback_per_learner(self) -> dict[str, Feedback]:
        by_article: dict[str, list[Any]] = defaultdict(list)
        for item in self._items:
            by_article[item.article_id].append(item)
        # Without a key the hints are the reference: they are not also a reason to excuse extras.
        hint_index = self._hint_index() if self.key is not None else {}
        out = {}
        for name, anns in self.annotations.items():
            covered = tuple(aid for aid in self._texts if aid in self.worked[name])
            mine = [a for a in anns if a.article_id in self.worked[name] and a.tag in self.tags]
            its = [i for aid in covered for i in by_article[aid]]
            out[name] = _build(
                mine,
                its,
                self._words,
                list(self.tags),
                covered,
                self._texts,
                hint_index,
                against=self.against,
            )
        return out

    def _hint_index(self) -> dict[tuple[str, str], list[Any]]:
        if self._hints is None:
            from kit.marking import hint_index

            self._hints = hint_index(self.articles)
        return self._hints

    def item_stats(self) -> list[ItemStat]:
        """For every key item learners are asked to find: how many learners found it.

        Without a key, the same for the kit's hints (``against == "hints"``).
        """
        # Keyed by position and tag, not object identity: a key may hand out fresh items.
        found: dict[tuple[str, int, int, str], int] = defaultdict(int)
        for fb in self.feedback.values():
            for lst in fb.found.values():
                for f in lst:
                    found[_ident(f.item)] += 1
        readers: dict[str, int] = defaultdict(int)
        for worked in self.worked.values():
            for aid in worked:
                readers[aid] += 1
        stats = []
        for item in self._items:
            if item.article_id not in self._texts or item.tag not in self.tags:
                continue
            if item.tag in KEY_ONLY_TAGS or item.quoted:
                continue
            stats.append(ItemStat(item, found.get(_ident(item), 0), readers[item.article_id]))
        return stats

    def most_missed(self, n: int = 10) -> list[ItemStat]:
        """The ``n`` key items the smallest share of learners found, with the key's explanation.

        Items in articles nobody worked on are left out.

        >>> import kit, tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     kit.class_view(folder, kit.load_articles()).most_missed(3)
        []
        """
        stats = [s for s in self.item_stats() if s.learners]
        order = list(self.articles.ids)
        stats.sort(
            key=lambda s: (s.share, s.found_by, order.index(s.item.article_id), s.item.start)
        )
        return stats[:n]

    # ----------------------------------------------------------------- tables

    def summary(self) -> list[dict[str, Any]]:
        """One row per learner and tag: found, in the key, missed, extra."""
        rows = []
        for name in self.learners:
            fb = self.feedback.get(name)
            for tag in self.tags:
                n_sent = len(self._marks.get(tag, {}).get(name, ()))
                row: dict[str, Any] = {
                    "learner": name,
                    "name": self.names[name],
                    "tag": tag,
                    "articles": ", ".join(sorted(self.worked[name])),
                    "highlights": sum(1 for a in self.annotations[name] if a.tag == tag),
                    "sentences_marked": n_sent,
                }
                if fb is not None:
                    found = fb.found.get(tag, [])
                    required = sum(not f.bonus for f in found)
                    missed = len(fb.missed.get(tag, []))
                    row.update(
                        found=required,
                        in_key=required + missed,
                        missed=missed,
                        bonus=len(found) - required,
                        extra=len(fb.extra.get(tag, [])),
                    )
                rows.append(row)
        return rows

    def to_frame(self) -> pd.DataFrame:
        """`summary` as a pandas DataFrame, one row per learner and tag (pandas imported here).

        >>> import kit, tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     kit.class_view(folder, kit.load_articles()).to_frame().empty
        True
        """
        import pandas as pd

        return pd.DataFrame(
            self.summary(),
            columns=[
                "learner",
                "name",
                "tag",
                "articles",
                "highlights",
                "sentences_marked",
                *(["found", "in_key", "missed", "bonus", "extra"] if self.feedback else []),
            ],
        )

    def sentence_rows(self, *, article: str | None = None) -> list[dict[str, Any]]:
        """One row per sentence and tag: learners who marked it, key items and hints in it."""
        key_count: dict[tuple[int, str], int] = defaultdict(int)
        if self.key is not None:
            for item in self.key.items:
                if item.article_id in self._texts and item.tag in self.tags:
                    for i in self._sentences_of(item):
                        key_count[(i, item.tag)] += 1
        hint_count: dict[tuple[int, str], int] = defaultdict(int)
        for (aid, tag), hs in self._hint_index().items():
            if tag in self.tags:
                for h in hs:
                    probe = _Probe(aid, h.start, h.end)
                    for i in self._sentences_of(probe):
                        hint_count[(i, tag)] += 1
        learners_on: dict[str, int] = defaultdict(int)
        for worked in self.worked.values():
            for aid in worked:
                learners_on[aid] += 1
        marked: dict[tuple[int, str], int] = defaultdict(int)
        for tag, per in self._marks.items():
            for idx in per.values():
                for i in idx:
                    marked[(i, tag)] += 1
        rows = []
        for i, u in enumerate(self._units):
            if article is not None and u.article_id != article:
                continue
            for tag in self.tags:
                n = learners_on[u.article_id]
                rows.append(
                    {
                        "article": u.article_id,
                        "sentence": u.number,
                        "label": _unit_label(u),
                        "text": u.text,
                        "tag": tag,
                        "tag_label": _words_for(tag, self._words).label,
                        "learners": marked.get((i, tag), 0),
                        "of": n,
                        "share": marked.get((i, tag), 0) / n if n else 0.0,
                        "key": key_count.get((i, tag), 0),
                        "hints": hint_count.get((i, tag), 0),
                    }
                )
        return rows

    # ----------------------------------------------------------------- charts

    def heatmap(self, *, article: str | None = None) -> alt.HConcatChart:
        """How many learners marked each sentence with each tag, next to the key and the hints.

        Three panels share the sentence axis: the class (darker = more learners), the answer
        key (a coloured cell where it lists an item) and the kit's detector hints. Returns the
        chart; it never displays it.

        >>> import kit, tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     view = kit.class_view(folder, kit.load_articles())
        >>> len(view.heatmap(article="A").to_dict()["hconcat"])
        3
        """
        import altair as alt

        from kit.charts import _ensure_offline

        _ensure_offline()
        rows = self.sentence_rows(article=article)
        # At least 0..1, so a class where nobody marked anything yet draws pale cells, not a
        # scale collapsed to one mid-blue value.
        top = max(1, max((r["learners"] for r in rows), default=0))
        ticks = list(range(0, top + 1, max(1, -(-top // 5))))  # whole learners, at most 6 ticks
        order = list(dict.fromkeys(r["label"] for r in rows))
        tag_order = [_words_for(t, self._words).label for t in self.tags]
        y = alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=230))
        x = alt.X("tag_label:N", title=None, sort=tag_order, axis=alt.Axis(labelAngle=-40))
        base = alt.Chart(alt.Data(values=rows)).properties(height=alt.Step(16))
        tooltip = [
            alt.Tooltip("text:N", title="sentence"),
            alt.Tooltip("tag_label:N", title="tag"),
            alt.Tooltip("learners:Q"),
            alt.Tooltip("of:Q", title="learners who read it"),
            alt.Tooltip("key:Q", title="key items"),
            alt.Tooltip("hints:Q", title="detector hints"),
        ]
        class_panel = (
            base.mark_rect()
            .encode(
                y=y,
                x=x,
                color=alt.Color(
                    "learners:Q",
                    title="Learners",
                    scale=alt.Scale(scheme="blues", domain=[0, top]),
                    legend=alt.Legend(values=ticks, format="d", tickMinStep=1, orient="bottom"),
                ),
                tooltip=tooltip,
            )
            .properties(title="Marked by learners", width=alt.Step(18))
        )
        colours = {
            _words_for(t, self._words).label: _words_for(t, self._words).colour for t in self.tags
        }
        tag_colour = alt.Color(
            "tag_label:N",
            scale=alt.Scale(domain=list(colours), range=list(colours.values())),
            legend=None,
        )
        # Every cell is drawn (blank ones pale grey) so the three grids line up row for row.
        y_bare = alt.Y("label:N", sort=order, axis=None)
        key_panel = (
            base.mark_rect(stroke="white")
            .encode(
                y=y_bare,
                x=x,
                color=alt.condition(alt.datum.key > 0, tag_colour, alt.value(_BLANK)),
                tooltip=tooltip,
            )
            .properties(title="Answer key", width=alt.Step(18))
        )
        hint_panel = (
            base.mark_rect(stroke="white")
            .encode(
                y=y_bare,
                x=x,
                color=alt.condition(alt.datum.hints > 0, tag_colour, alt.value(_BLANK)),
                tooltip=tooltip,
            )
            .properties(title="Detector hints", width=alt.Step(18))
        )
        return alt.hconcat(class_panel, key_panel, hint_panel, spacing=12).resolve_scale(
            color="independent"
        )

    def agreement_chart(self) -> alt.Chart:
        """Bar chart of Krippendorff's alpha per tag (tags with no value are left out)."""
        import altair as alt

        from kit.charts import _ensure_offline, tag_colours

        _ensure_offline()
        rows = [
            {"tag": _words_for(t, self._words).label, "alpha": round(a, 3)}
            for t, a in self.agreement.items()
            if not math.isnan(a)
        ]
        return (
            alt.Chart(alt.Data(values=rows), title="How much do learners agree? (alpha)")
            .mark_bar(color=tag_colours().get("named-source", "#0072B2"))
            .encode(
                y=alt.Y("tag:N", title=None, sort=None),
                x=alt.X("alpha:Q", scale=alt.Scale(domain=[-1, 1]), title="Krippendorff's alpha"),
                tooltip=["tag:N", "alpha:Q"],
            )
            .properties(width=320, height=alt.Step(22))
        )

    # ----------------------------------------------------------------- display

    def __repr__(self) -> str:
        return f"<ClassView: {self.heading()}>"

    def heading(self) -> str:
        """One line in plain words: how many learners, skipped files and which articles.

        >>> import kit, tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     kit.class_view(folder, kit.load_articles()).heading().split(";")[0]
        'Class view of 0 learners'
        """
        skipped = len(self.skipped)
        parts = [f"Class view of {_plural(len(self.learners), 'learner')}"]
        if self.demo:
            parts[0] += " (a demo class: synthetic learners, not real people)"
        if skipped:
            parts.append(f"{_plural(skipped, 'file')} skipped")
        ids = list(self.articles.ids)
        parts.append(f"{'article' if len(ids) == 1 else 'articles'} {', '.join(ids)}")
        return "; ".join(parts)

    def agreement_status(self) -> str:
        """Why agreement can or cannot be measured yet, in plain words ("" when it can)."""
        n = len(self.learners)
        if n >= 2:
            return ""
        have = "no learner files yet" if n == 0 else "only one learner so far"
        return (
            f"Agreement between learners needs two or more learners who read the same article; "
            f"this class has {have}. The heat map below still shows what was marked where, "
            f"next to the answer key and the kit's hints."
        )

    def to_html(self) -> str:
        """A short report: learners, skipped files, agreement and the most-missed items."""
        e = html.escape
        out = [f"<div class='kit-classview'><p><strong>{e(self.heading())}</strong></p>"]
        if self.skipped:
            out.append("<p>Files skipped:</p><ul>")
            out.extend(f"<li>{e(name)}: {e(why)}</li>" for name, why in self.skipped)
            out.append("</ul>")
        lost = {n: len(v) for n, v in self.lost.items() if v}
        if lost:
            out.append("<p>Highlights that no longer match the article's words (left out):</p><ul>")
            out.extend(f"<li>{e(self.names[n])}: {k}</li>" for n, k in lost.items())
            out.append("</ul>")
        status = self.agreement_status()
        if status:
            out.append(f"<p>{e(status)}</p>")
        else:
            out.append("<p>Agreement between learners (Krippendorff's alpha):</p><ul>")
            for tag, a in self.agreement.items():
                value = "nobody used this tag yet" if math.isnan(a) else f"{a:.2f}"
                out.append(f"<li>{e(_words_for(tag, self._words).label)}: {e(value)}</li>")
            out.append("</ul>")
        missed = self.most_missed(5)
        if missed:
            against = (
                "" if self.against == "key" else " (no answer key: compared with the kit's hints)"
            )
            out.append(f"<p>Found by the fewest learners{e(against)}:</p><ol>")
            for s in missed:
                out.append(
                    f"<li>[{e(s.item.article_id)}] “{e(s.item.exact)}” "
                    f"({e(_words_for(s.item.tag, self._words).label)}): found by {s.found_by} "
                    f"of {s.learners}. {e(s.explanation)}</li>"
                )
            out.append("</ol>")
        if self.gains_problem:
            out.append(f"<p>{e(self.gains_problem)}</p>")
        if self.gains is not None and self.gains.any_data():
            if self.demo:
                out.append("<p><em>Synthetic learners: these scores are made up.</em></p>")
            out.append(self.gains.to_html())
        out.append("</div>")
        return "\n".join(out)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": repr(self), "text/html": self.to_html()}

    def _ipython_display_(self) -> None:
        # In a notebook: the report, then the heat map it promises (even for one learner).
        from IPython.display import HTML, display

        display(HTML(self.to_html()))
        display(self.heatmap())


_BLANK = "#f2f2f2"  # an empty cell of the key and hint grids


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass(frozen=True, slots=True)
class _Probe:
    article_id: str
    start: int
    end: int


def _ident(item: Any) -> tuple[str, int, int, str]:
    return (item.article_id, item.start, item.end, item.tag)


def _group(units: list[_Unit]) -> dict[str, list[_Unit]]:
    out: dict[str, list[_Unit]] = defaultdict(list)
    for u in units:
        out[u.article_id].append(u)
    return out


def _sentence_units(articles: Iterable[Article]) -> list[_Unit]:
    """Every sentence learners could mark: headline included, page furniture left out."""
    units = []
    for a in articles:
        n = 0
        for s in a.sentences:
            if a.is_boilerplate(s.start, s.end):
                continue
            n += 1
            units.append(_Unit(a.id, n, s.start, s.end, a.text[s.start : s.end]))
    return units


def _unit_label(u: _Unit) -> str:
    words = " ".join(u.text.split())
    short = words if len(words) <= 48 else words[:47].rstrip() + "…"
    return f"{u.article_id}{u.number}: {short}"


def _alpha(yes: Any, active: Any) -> float:
    """Nominal Krippendorff's alpha from per-sentence counts of "marked" among active learners."""
    import krippendorff
    import numpy as np

    counts = np.stack([active - yes, yes], axis=1)
    counts = counts[active >= 2]  # a sentence only one learner read cannot show agreement
    if counts.size == 0 or counts[:, 1].sum() == 0 or counts[:, 0].sum() == 0:
        return math.nan  # nobody (or everybody) used the tag: alpha is undefined
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        value = krippendorff.alpha(value_counts=counts, level_of_measurement="nominal")
    return float(value)


# --------------------------------------------------------------------------- reading a folder


def _learner_name(path: Path) -> str | None:
    low = path.name.lower()
    for suffix in LEARNER_SUFFIXES:
        if low.endswith(suffix) and len(low) > len(suffix):
            return path.name[: -len(suffix)]
    return None


def _is_progress_file(name: str) -> bool:
    """A learner's progress file (or a damaged one set aside), not an annotation file."""
    from kit.annotations import PROGRESS_SUFFIX

    stem = PROGRESS_SUFFIX.removesuffix(".json")  # ".progress"
    return name.endswith(PROGRESS_SUFFIX) or f"{stem}.corrupt-" in name


def _read_folder(folder: Path) -> tuple[dict[str, list[Any]], list[tuple[str, str]]]:
    """Read every learner file; a file that cannot be read is listed with the reason."""
    from kit.annotations import AnnotationStoreError, read_annotations_file

    annotations: dict[str, list[Any]] = {}
    skipped: list[tuple[str, str]] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.startswith(".") or path.name.endswith((".lock", "~", ".tmp")):
            continue  # the remembered-name file, lock files, editor backups, half-saves
        if not path.is_file():
            continue
        if _is_progress_file(path.name):
            continue  # scores of the pre- and post-checks, read by kit.prepost.class_gains
        name = _learner_name(path)
        if name is None:
            skipped.append((path.name, "not a learner file (learner files end in .json)"))
            continue
        if ".corrupt-" in path.name:
            skipped.append(
                (path.name, "a damaged file the kit moved aside; the learner has a new file")
            )
            continue
        try:
            anns = read_annotations_file(path)
        except AnnotationStoreError as exc:
            empty = path.stat().st_size == 0
            reason = "empty file (0 bytes)" if empty else _short_reason(str(exc), path)
            skipped.append((path.name, reason))
            continue
        except OSError as exc:  # a permission problem, a file removed while we read
            skipped.append((path.name, f"cannot be read ({exc.strerror or exc})"))
            continue
        annotations[name] = list(anns)
    return annotations, skipped


def _short_reason(message: str, path: Path) -> str:
    # The store's messages start with the full path; the file name is already in the row.
    return message.removeprefix(f"{path}: ")


def class_view(
    folder: str | Path,
    articles: ArticleSet | str | Path,
    key: AnswerKey | None = None,
    *,
    tags: Iterable[str] | None = None,
) -> ClassView:
    """Read every learner file in ``folder`` and compare learners with each other and the key.

    ``articles`` is the article set the class annotated (or its folder). ``key`` is the answer
    key; without it the key of the article set is loaded when the kit has one, and the view
    still works (agreement, heatmap) when there is none. ``tags`` limits the view to the tags
    a lesson offered.

    >>> import kit, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     view = kit.class_view(folder, kit.load_articles())
    >>> view.learners, view.skipped, view.key.set_name
    ([], [], 'carney-beijing-2026')
    """
    from kit.articles import load_articles

    if not isinstance(articles, Iterable) or isinstance(articles, (str, Path)):
        articles = load_articles(articles)
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder of learner files")
    if key is None:
        key = _default_key(articles)
    words = _tag_words()
    if tags is None:
        tag_list = [t for t in words if t not in KEY_ONLY_TAGS]
    else:
        tag_list = list(dict.fromkeys(tags))
    annotations, skipped = _read_folder(folder)
    view = ClassView(
        articles=articles, key=key, annotations=annotations, skipped=skipped, tags=tag_list
    )
    view.gains, view.gains_problem = _class_gains(folder)
    return view


def _class_gains(folder: Path) -> tuple[Any, str]:
    """The folder's pre- and post-check gains, or None and why (a broken check file)."""
    from kit._data import DataFileError
    from kit.prepost import class_gains

    try:
        return class_gains(folder), ""
    except DataFileError as exc:
        return None, f"The pre- and post-check scores cannot be summed up: {exc}"


def _default_key(articles: ArticleSet) -> AnswerKey | None:
    """The kit's key for this article set, or None when it has none.

    A key that exists but does not fit the articles raises: a broken key must not pass as
    "no key".
    """
    from kit._data import data_dir
    from kit.keys import load_key

    if articles.path is None or not (data_dir() / "keys" / f"{articles.path.name}.toml").is_file():
        return None
    return load_key(articles=articles)


def demo_class(articles: ArticleSet, key: AnswerKey | None = None) -> Any:
    """The class view of the demo class: synthetic learners shipped in ``data/demo-class/``.

    Lets an instructor see a whole class's view before any learner has handed in work. The
    learners are made up (``bench/make_demo_class.py`` writes them). For a set with no demo
    class, the answer says so and how to make one.

    >>> view = demo_class(kit.load_articles("carney-beijing-2026"))
    >>> len(view.learners)
    12
    """
    from IPython.display import HTML

    from kit._data import data_dir

    name = articles.path.name if articles.path else ""
    folder = data_dir() / "demo-class" / name
    if not name or not any(folder.glob("*.json")):
        return HTML(
            "<p>There is no demo class for this article set yet. To make one (synthetic "
            "learners, clearly labelled), run <code>python bench/make_demo_class.py --set "
            f"{html.escape(name or 'YOUR-SET')}</code> in the course folder, then run this cell "
            "again.</p>"
        )
    view = class_view(folder, articles, key)
    view.demo = True
    return view
