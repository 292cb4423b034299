"""Charts for the lessons, drawn with altair and rendered without an internet connection.

Importing this module switches altair to its offline Jupyter renderer: the vega libraries
come from the ``vl-convert-python`` package instead of a CDN, so charts draw in a classroom
with a locked-down network. (Altair's default renderer loads vega from a CDN, and the plain
``"jupyter"`` renderer loads it from esm.sh: both show a blank or an error offline.)

Chart functions return ``alt.Chart`` values; they never display anything themselves.

>>> import kit.charts
>>> chart = kit.charts.article_lengths(kit.load_articles())
>>> chart.to_dict()["mark"]["type"]
'bar'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt

if TYPE_CHECKING:
    from kit.articles import ArticleSet

__all__ = [
    "OKABE_ITO",
    "article_lengths",
    "enable_offline",
    "figures_by_sourcing",
    "framing_by_kind",
    "sources_by_kind",
]

# Okabe & Ito (2008), "Color Universal Design": distinguishable with common colour blindness.
OKABE_ITO = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#56B4E9",
    "#CC79A7",
    "#F0E442",
    "#000000",
)


def enable_offline() -> None:
    """Render altair charts in Jupyter with no network (idempotent).

    >>> enable_offline()
    """
    if alt.renderers.active != "jupyter" or not _offline_enabled():
        alt.renderers.enable("jupyter", offline=True)


def _offline_enabled() -> bool:
    # The renderer bundles vega from vl-convert when it first displays a chart.
    return bool(alt.renderers.options.get("offline"))


def article_lengths(articles: ArticleSet) -> alt.Chart:
    """Bar chart of how many words each article's body has (headline and furniture left out).

    >>> article_lengths(kit.load_articles()).to_dict()["encoding"]["y"]["field"]
    'article'
    """
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
        .mark_bar(color=OKABE_ITO[0])
        .encode(
            y=alt.Y("article:N", title="Article", sort=None),
            x=alt.X("words:Q", title="Words in the body"),
            tooltip=["article:N", "headline:N", "outlet:N", "words:Q"],
        )
        .properties(width=420, height=alt.Step(28))
    )


enable_offline()


def _count_chart(rows: list[dict], *, title: str, colour_title: str, order: list[str]) -> alt.Chart:
    return (
        alt.Chart(alt.Data(values=rows), title=title)
        .mark_bar()
        .encode(
            y=alt.Y("article:N", title="Article", sort=None),
            x=alt.X("count:Q", title="How many", stack="zero"),
            color=alt.Color(
                "group:N",
                title=colour_title,
                sort=order,
                scale=alt.Scale(domain=order, range=list(OKABE_ITO[: len(order)])),
            ),
            order=alt.Order("rank:Q"),
            tooltip=["article:N", "group:N", "count:Q"],
        )
        .properties(width=420, height=alt.Step(28))
    )


def _counts(articles: ArticleSet, groups_of, order: list[str]) -> list[dict]:
    rows = []
    for article in articles:
        counts = dict.fromkeys(order, 0)
        for group in groups_of(article):
            counts[group] = counts.get(group, 0) + 1
        rows += [
            {"article": article.id, "group": g, "count": n, "rank": order.index(g)}
            for g, n in counts.items()
            if g in order
        ]
    return rows


def sources_by_kind(articles: ArticleSet) -> alt.Chart:
    """Stacked bars: named, organization and anonymous sources in each article.

    >>> sources_by_kind(kit.load_articles()).to_dict()["mark"]["type"]
    'bar'
    """
    from kit.sources import find_attributions

    order = ["named", "organization", "anonymous"]
    rows = _counts(articles, lambda a: [h.kind for h in find_attributions(a)], order)
    return _count_chart(
        rows, title="Who is the source?", colour_title="Kind of source", order=order
    )


def figures_by_sourcing(articles: ArticleSet) -> alt.Chart:
    """Stacked bars: figures with a named source and figures without one, per article.

    >>> figures_by_sourcing(kit.load_articles()).to_dict()["mark"]["type"]
    'bar'
    """
    from kit.figures import find_figures

    order = ["has a source", "no source"]
    rows = _counts(
        articles,
        lambda a: ["has a source" if f.attributed else "no source" for f in find_figures(a)],
        order,
    )
    return _count_chart(
        rows, title="Where do the numbers come from?", colour_title="Figure", order=order
    )


def framing_by_kind(articles: ArticleSet) -> alt.Chart:
    """Stacked bars: loaded words, hedges and labels in the writer's own voice, per article.

    >>> framing_by_kind(kit.load_articles()).to_dict()["mark"]["type"]
    'bar'
    """
    from kit.framing import find_framing

    order = ["loaded", "hedge", "label"]
    rows = _counts(
        articles,
        lambda a: [c.kind for c in find_framing(a) if not c.quoted],
        order,
    )
    return _count_chart(
        rows, title="Framing in the writer's own words", colour_title="Cue", order=order
    )
