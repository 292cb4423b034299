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


def _ranges(spec: dict) -> list[list[str]]:
    found = []
    if isinstance(spec, dict):
        scale = spec.get("scale")
        if isinstance(scale, dict) and "range" in scale:
            found.append(scale["range"])
        for value in spec.values():
            found.extend(_ranges(value))
    elif isinstance(spec, list):
        for value in spec:
            found.extend(_ranges(value))
    return found


def test_charts_use_the_taxonomys_colours_the_highlighter_uses(articles):
    """One palette: a tag's bar has the colour data/taxonomy.toml gives the tag."""
    from kit.keys import load_taxonomy

    taxonomy = {t.id: t.colour for t in load_taxonomy()}
    assert kit.charts.tag_colours() == {t: taxonomy[t] for t in kit.charts.tag_colours()}
    spec = kit.charts.sources_by_kind(articles).to_dict()
    kinds = ["named-source", "organization-source", "anonymous-source"]
    assert [taxonomy[k] for k in kinds] in _ranges(spec)


def test_who_speaks_without_sides_says_so_and_counts_kinds_of_source():
    from tests.test_course import FIXTURES

    sideless = kit.load_articles(FIXTURES / "harbour-bridge")
    spec = kit.charts.who_speaks(sideless).to_dict()
    assert "names no sides" in " ".join(spec["title"]["subtitle"])
    assert {row["article"] for row in spec["data"]["values"]} == set(sideless.ids)


def test_who_speaks_with_sides_is_the_voice_share_chart(articles):
    spec = kit.charts.who_speaks(articles).to_dict()
    assert "unassigned" not in {str(spec.get("title", ""))}
    assert spec == kit.voice_share_chart(kit.voice_share(articles)).to_dict()


def test_count_axes_have_whole_number_ticks_only():
    """Small counts (0 to 2) must not get 0.5 ticks that read "0 1 1 2 2"."""
    from tests.test_course import FIXTURES

    spec = kit.charts.sources_by_kind(kit.load_articles(FIXTURES / "harbour-bridge")).to_dict()
    ticks = spec["layer"][0]["encoding"]["x"]["axis"]["values"]
    assert ticks == list(range(ticks[-1] + 1)) and ticks[-1] >= 2
    assert kit.charts._whole_ticks([{"n": 17}], "n") == [0, 5, 10, 15, 20]
