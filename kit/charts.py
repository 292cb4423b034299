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

__all__ = ["OKABE_ITO", "article_lengths", "enable_offline"]

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
