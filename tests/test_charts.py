"""Charts are values: they render offline and can be inspected without a browser."""

from __future__ import annotations

import altair as alt

import kit.charts


def test_importing_charts_selects_the_offline_jupyter_renderer():
    assert alt.renderers.active == "jupyter"
    assert kit.charts._offline_enabled()


def test_article_lengths_has_one_bar_per_article(articles):
    spec = kit.charts.article_lengths(articles).to_dict()
    values = spec["data"]["values"]
    assert [row["article"] for row in values] == list(articles.ids)
    assert all(row["words"] == articles[row["article"]].word_count for row in values)
    assert spec["mark"]["type"] == "bar"


def test_the_offline_bundle_ships_vega_locally():
    import vl_convert as vlc

    bundle = vlc.javascript_bundle()
    assert "vega" in bundle and len(bundle) > 100_000
