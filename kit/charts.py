"""Charts for the lessons, drawn with altair and rendered without an internet connection.

Every chart function here, and every chart the rest of the kit makes, first calls
`_ensure_offline`: it switches altair to its offline Jupyter renderer unless a safe renderer
is already active. The vega libraries then come from the ``vl-convert-python`` package
instead of a CDN, so charts draw in a classroom with a locked-down network, and the chart's
data (article text, learner names) travels to the page as widget data, never inside a
``<script>`` element where text like ``</script>`` could break out. (Altair's default
renderer writes the data into a script and loads vega from a CDN.)

Colours come from ``data/taxonomy.toml`` (`tag_colours`), so a tag has one colour in the
highlighter, the feedback and every chart, and every bar carries a text label so no chart
relies on colour alone.

Chart functions return ``alt.Chart`` values; they never display anything themselves.

>>> import kit.charts
>>> chart = kit.charts.article_lengths(kit.load_articles())
>>> chart.to_dict()["mark"]["type"]
'bar'
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

import altair as alt

if TYPE_CHECKING:
    from kit.articles import ArticleSet

__all__ = [
    "article_lengths",
    "enable_offline",
    "figures_by_sourcing",
    "framing_by_kind",
    "labelled_bars",
    "sources_by_kind",
    "tag_colours",
    "who_speaks",
]

# Renderers that never run code from the chart's data and load nothing from the network:
# they are left alone when a notebook chose one on purpose. Anything else (altair's default
# HTML renderer, "html", "colab", the online "jupyter" renderer) is replaced.
_SAFE_RENDERERS = frozenset({"mimetype", "json", "png", "svg", "pdf", "jpeg"})
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
_GREY = "#6B6B6B"  # 5.3:1 on white: for groups with no tag of their own
_INK = "#222222"  # bar labels


def enable_offline() -> None:
    """Render altair charts in Jupyter with no network (idempotent).

    >>> enable_offline()
    >>> alt.renderers.active
    'jupyter'
    """
    if alt.renderers.active != "jupyter" or not _offline_enabled():
        alt.renderers.enable("jupyter", offline=True)


def _ensure_offline() -> None:
    """Make sure the chart about to be returned displays offline and inert.

    Called by every function of the kit that returns a chart, so a notebook that never
    imported this module (or switched back to altair's default) is still safe.

    >>> _ = alt.renderers.enable("default")
    >>> _ensure_offline()
    >>> alt.renderers.active, _offline_enabled()
    ('jupyter', True)
    """
    if alt.renderers.active in _SAFE_RENDERERS:
        return
    enable_offline()


def _offline_enabled() -> bool:
    # The renderer bundles vega from vl-convert when it first displays a chart.
    return bool(alt.renderers.options.get("offline"))


def tag_colours() -> dict[str, str]:
    """Each learner tag's colour from ``data/taxonomy.toml``: the one palette of the kit.

    >>> from kit.keys import load_taxonomy
    >>> tag_colours()["named-source"] == load_taxonomy()[0].colour
    True
    """
    from kit.hints import load_tags

    return {t.id: t.colour if _HEX.fullmatch(t.colour) else _GREY for t in load_tags()}


def _tag_label(tag: str) -> str:
    from kit.hints import load_tags

    return next((t.label for t in load_tags() if t.id == tag), tag)


def _whole_ticks(rows: list[dict], value: str) -> list[int]:
    """Tick values for a count axis: whole numbers only (no 0.5), at most about 8 of them."""
    top = max((float(r[value]) for r in rows), default=0.0)
    top = max(1, math.ceil(top))
    step = next(
        n * 10**k for k in range(12) for n in (1, 2, 5) if top / (n * 10**k) <= 8
    )  # a round step: 1, 2, 5, 10, 20, 50, ...
    return list(range(0, math.ceil(top / step) * step + 1, step))


def labelled_bars(
    rows: list[dict],
    *,
    category: str,
    group: str,
    value: str,
    groups: dict[str, str],
    title: str,
    legend_title: str,
    value_title: str = "How many",
    width: int = 360,
) -> alt.LayerChart:
    """Grouped horizontal bars, one per ``category`` and ``group``, each labelled in words.

    ``groups`` maps each group's label (in order) to its colour. Bars of one category sit
    side by side rather than stacked, a thin white gap separates them, and every bar ends in
    a text label ("Named source: 3"), so a reader tells groups apart without colour.

    >>> spec = labelled_bars(
    ...     [{"a": "A", "g": "yes", "n": 2}], category="a", group="g", value="n",
    ...     groups={"yes": "#0072B2"}, title="t", legend_title="g",
    ... ).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['bar', 'text']
    """
    _ensure_offline()
    order = list(groups)
    for row in rows:
        row["_label"] = f"{row[group]}: {row[value]:g}"
        row["_rank"] = order.index(row[group]) if row[group] in order else len(order)
    base = alt.Chart(alt.Data(values=rows), title=title).encode(
        y=alt.Y(f"{category}:N", title=None, sort=None),
        yOffset=alt.YOffset(f"{group}:N", sort=order, scale=alt.Scale(paddingInner=0.15)),
        x=alt.X(
            f"{value}:Q",
            title=value_title,
            axis=alt.Axis(values=_whole_ticks(rows, value), format="d"),
            scale=alt.Scale(domainMin=0, domainMax=_whole_ticks(rows, value)[-1]),
        ),
        tooltip=[f"{category}:N", f"{group}:N", f"{value}:Q"],
    )
    bars = base.mark_bar(stroke="white", strokeWidth=1).encode(
        color=alt.Color(
            f"{group}:N",
            title=legend_title,
            sort=order,
            scale=alt.Scale(domain=order, range=list(groups.values())),
            legend=alt.Legend(orient="bottom"),
        )
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11, color=_INK).encode(
        text=alt.Text("_label:N")
    )
    return (bars + labels).properties(
        width=width, height=alt.Step(max(12, 36 // max(1, len(order))) * len(order) + 8)
    )


def article_lengths(articles: ArticleSet) -> alt.Chart:
    """Bar chart of how many words each article's body has (headline and furniture left out).

    >>> article_lengths(kit.load_articles()).to_dict()["encoding"]["y"]["field"]
    'article'
    """
    _ensure_offline()
    rows = [
        {
            "article": a.id,
            "words": a.word_count,
            "headline": a.headline,
            "outlet": a.outlet,
        }
        for a in articles
    ]
    return (
        alt.Chart(alt.Data(values=rows), title="How long is each article?")
        .mark_bar(color=tag_colours().get("named-source", _GREY))
        .encode(
            y=alt.Y("article:N", title="Article", sort=None),
            x=alt.X("words:Q", title="Words in the body", axis=alt.Axis(format="d")),
            tooltip=["article:N", "headline:N", "outlet:N", "words:Q"],
        )
        .properties(width=420, height=alt.Step(28))
    )


enable_offline()


def _counts(articles: ArticleSet, groups_of, order: list[str]) -> list[dict]:
    rows = []
    for article in articles:
        counts = dict.fromkeys(order, 0)
        for group in groups_of(article):
            if group in counts:
                counts[group] += 1
        rows += [{"article": article.id, "group": g, "count": n} for g, n in counts.items()]
    return rows


def _tag_groups(kinds: dict[str, str]) -> dict[str, str]:
    """Detector kind -> tag id, as {tag label: tag colour} in the same order."""
    colours = tag_colours()
    return {_tag_label(tag): colours.get(tag, _GREY) for tag in kinds.values()}


def _relabel(rows: list[dict], kinds: dict[str, str]) -> list[dict]:
    for row in rows:
        row["group"] = _tag_label(kinds[row["group"]])
    return rows


def sources_by_kind(articles: ArticleSet) -> alt.LayerChart:
    """Bars per article: named, organization and anonymous sources, in the tags' colours.

    >>> spec = sources_by_kind(kit.load_articles()).to_dict()
    >>> spec["layer"][0]["mark"]["type"], spec["layer"][1]["mark"]["type"]
    ('bar', 'text')
    """
    from kit.sources import find_attributions

    kinds = {
        "named": "named-source",
        "organization": "organization-source",
        "anonymous": "anonymous-source",
    }
    rows = _counts(articles, lambda a: [h.kind for h in find_attributions(a)], list(kinds))
    return labelled_bars(
        _relabel(rows, kinds),
        category="article",
        group="group",
        value="count",
        groups=_tag_groups(kinds),
        title="Who is the source?",
        legend_title="Kind of source",
    )


def figures_by_sourcing(articles: ArticleSet) -> alt.LayerChart:
    """Bars per article: figures with a named source and figures without one.

    >>> spec = figures_by_sourcing(kit.load_articles()).to_dict()
    >>> spec["layer"][0]["mark"]["type"]
    'bar'
    """
    from kit.figures import find_figures

    groups = {
        "has a source": _GREY,
        "no source": tag_colours().get("unsourced-figure", _GREY),
    }
    rows = _counts(
        articles,
        lambda a: ["has a source" if f.attributed else "no source" for f in find_figures(a)],
        list(groups),
    )
    return labelled_bars(
        rows,
        category="article",
        group="group",
        value="count",
        groups=groups,
        title="Where do the numbers come from?",
        legend_title="Figure",
    )


def framing_by_kind(articles: ArticleSet) -> alt.LayerChart:
    """Bars per article: loaded words, hedges and labels in the writer's own voice.

    >>> spec = framing_by_kind(kit.load_articles()).to_dict()
    >>> spec["layer"][0]["mark"]["type"]
    'bar'
    """
    from kit.framing import find_framing

    kinds = {"loaded": "loaded-language", "hedge": "hedge", "label": "framing-label"}
    rows = _counts(
        articles, lambda a: [c.kind for c in find_framing(a) if not c.quoted], list(kinds)
    )
    return labelled_bars(
        _relabel(rows, kinds),
        category="article",
        group="group",
        value="count",
        groups=_tag_groups(kinds),
        title="Framing in the writer's own words",
        legend_title="Cue",
    )


def who_speaks(articles: ArticleSet) -> alt.TopLevelMixin:
    """Each side's share of the voices, or, when the set names no sides, sources by kind.

    A set's manifest may list sides (``[sides]``: side -> words that name it). Without them
    every voice would be "unassigned", so the chart says so and counts the kinds of source
    each article gives instead.

    >>> who_speaks(kit.load_articles()).to_dict()["mark"]["type"]
    'bar'
    """
    from kit.framing import UNASSIGNED, voice_share, voice_share_chart

    share = voice_share(articles)
    if any(side != UNASSIGNED for side in share.sides):
        return voice_share_chart(share)
    return sources_by_kind(articles).properties(
        title=alt.TitleParams(
            "Who is the source?",
            subtitle=[
                "This article set names no sides, so the kit cannot tell whose side a voice is on.",
                "Instead: how many sources of each kind every article gives.",
            ],
        )
    )
