"""Answer keys and the reference desk: every item points at real text, every verdict at a fact.

A key is data an instructor writes by hand, so a mistake must stop loading with a message that
names the file, the item and what to fix.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

import kit
from kit._data import DataFileError, data_dir
from kit.keys import (
    KEY_ONLY_TAGS,
    VERDICTS,
    AnswerKey,
    AnswerKeyError,
    KeyItem,
    load_key,
    load_reference,
    load_taxonomy,
)

SET = "carney-beijing-2026"

HEAD = """\
[key]
set = "carney-beijing-2026"
schema_version = 1
method = "test"
annotators = "test"
"""


@pytest.fixture(scope="module")
def key() -> AnswerKey:
    return load_key(SET)


@pytest.fixture(scope="module")
def facts():
    return {f.id: f for f in load_reference(SET)}


@pytest.fixture
def own_data(tmp_path, monkeypatch):
    """A private copy of data/ that a test may break."""
    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    monkeypatch.setenv("KIT_DATA_DIR", str(copy))
    return copy


def write_key(folder: Path, body: str, *, head: str = HEAD) -> Path:
    path = folder / "mine.toml"
    path.write_text(head + "\n" + body, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the shipped key


def test_every_item_points_at_exactly_its_quote(key, articles):
    assert len(key.items) > 100
    for item in key.items:
        text = articles[item.article_id].text
        assert text[item.start : item.end] == item.exact, item
        assert item.exact.strip() == item.exact, f"stray space around {item.exact!r}"
        assert item.explanation


def test_items_skip_page_furniture(key, articles):
    for item in key.items:
        assert not articles[item.article_id].is_boilerplate(item.start, item.end), item


def test_key_covers_all_five_articles_and_only_known_tags(key, articles):
    assert {i.article_id for i in key.items} == set(articles.ids)
    valid = {t.id for t in load_taxonomy()} | set(KEY_ONLY_TAGS)
    assert {i.tag for i in key.items} <= valid
    # every tag a learner can use is exercised somewhere in the seed key
    assert {t.id for t in load_taxonomy()} <= {i.tag for i in key.items}


def test_attributions_have_kinds_matching_their_tags(key):
    for item in key.items:
        if item.tag.endswith("-source"):
            assert item.kind == item.tag.split("-")[0], item
        else:
            assert item.kind is None, item


def test_quoted_flag_matches_quotation_marks(key, articles):
    from kit._text import inside, quotation_spans

    for item in key.items:
        if item.tag in {"loaded-language", "hedge", "framing-label"}:
            spans = quotation_spans(articles[item.article_id].text)
            assert item.quoted == inside(spans, item.start, item.end), item


def test_items_are_sorted_and_frozen(key):
    items = key.items
    assert items == sorted(items)
    with pytest.raises(dataclasses.FrozenInstanceError):
        items[0].start = 0  # type: ignore[misc]


def test_no_duplicate_items(key):
    seen = [(i.article_id, i.start, i.end, i.tag) for i in key.items]
    assert len(seen) == len(set(seen))


def test_every_reference_resolves(key, facts):
    used = {r for i in key.items for r in i.references}
    used |= {r for c in key.contradictions for r in c.references}
    assert used, "the key should cite the reference desk"
    assert used <= set(facts)


def test_verdicts_are_valid_and_backed_by_facts(key):
    verdicts = [i for i in key.items if i.verdict is not None]
    assert verdicts
    for item in verdicts:
        assert item.verdict in VERDICTS
        assert item.references, f"{item.exact!r} has a verdict but no reference"


def test_known_errors_in_the_seed_set_are_keyed(key):
    def find(article: str, exact: str) -> KeyItem:
        return next(i for i in key.for_article(article) if i.exact == exact)

    assert find("B", "largest trading partner").verdict == "false"
    assert find("E", "second-largest trading partner").verdict == "accurate"
    assert find("E", "his first to Asia since taking office").verdict == "false"
    assert find("E", "$142 billion").verdict == "unverifiable"
    assert find("C", "51st state").tag == "sourced-figure"


def test_every_citation_is_complete(facts):
    assert len(facts) >= 10
    for fact in facts.values():
        assert fact.status in {"confirmed", "disputed", "unverifiable"}
        assert fact.finding and fact.topic
        if fact.status != "unverifiable":
            assert fact.sources, fact.id
        for source in fact.sources:
            assert source.publisher and source.title and source.date and source.url
            assert source.url.startswith(("https://", "http://"))
            assert source.note, f"{fact.id}: say what the source supports"


def test_contradictions_pair_two_articles(key, articles):
    assert len(key.contradictions) >= 5
    for c in key.contradictions:
        assert c.a[0] != c.b[0]
        for article_id, start, end, exact in (c.a, c.b):
            assert articles[article_id].text[start:end] == exact
    facts = {c.fact for c in key.contradictions}
    assert "day the visit began" in facts
    assert "China's rank among Canada's trading partners" in facts


def test_lookups(key):
    c_items = key.for_article("C")
    assert c_items and all(i.article_id == "C" for i in c_items)
    hedges = key.by_tag("hedge")
    assert hedges and all(i.tag == "hedge" for i in hedges)
    assert key.by_tag("sourced-figure")
    assert key.set_name == SET
    assert sum(sum(row.values()) for row in key.counts().values()) == len(key)
    with pytest.raises(AnswerKeyError, match="did you mean 'hedge'"):
        key.by_tag("hedges")
    with pytest.raises(AnswerKeyError, match="no article 'F'"):
        key.for_article("F")


def test_load_by_name_path_and_articles_agree(key, articles):
    by_name = load_key(SET)
    by_path = load_key(data_dir() / "keys" / f"{SET}.toml")
    by_set = load_key(articles=articles)
    assert by_name.items == by_path.items == by_set.items == key.items


def test_taxonomy_records(key):
    tags = load_taxonomy()
    assert tags[0].id == "named-source"
    assert all(t.colour.startswith("#") for t in tags)
    assert isinstance(tags[0].hint_kinds, tuple)


def test_public_names_reexported():
    assert kit.load_key is load_key
    assert kit.AnswerKey is AnswerKey


# --------------------------------------------------------------------------- error cases


def test_bad_tag_suggests_the_right_one(tmp_path):
    path = write_key(
        tmp_path,
        """
[[item]]
article = "A"
tag = "anonymus-source"
quote = "one international relations expert"
explanation = "x"
""",
    )
    with pytest.raises(AnswerKeyError) as err:
        load_key(path)
    message = str(err.value)
    assert str(path) in message and "item 1" in message and "line " in message
    assert "did you mean 'anonymous-source'" in message


def test_missing_quote_names_article_and_closest_passage(tmp_path):
    path = write_key(
        tmp_path,
        """
[[item]]
article = "A"
tag = "anonymous-source"
quote = "one international relations expert"
explanation = "fine"

[[item]]
article = "A"
tag = "anonymous-source"
quote = "two international relations experts"
explanation = "typo"
""",
    )
    with pytest.raises(AnswerKeyError) as err:
        load_key(path)
    message = str(err.value)
    assert "item 2" in message and "not found in article 'A'" in message
    assert "closest passage:" in message
    assert "one international relations expert" in message.split("closest passage:")[1]


def test_occurrence_beyond_the_text(tmp_path):
    path = write_key(
        tmp_path,
        """
[[item]]
article = "E"
tag = "named-source"
quote = "Xu Ying"
occurrence = 2
explanation = "x"
""",
    )
    with pytest.raises(AnswerKeyError, match="appears only once"):
        load_key(path)


def test_plain_space_finds_non_breaking_space(tmp_path, articles):
    # article D writes "Chinese\u00a0officials have emphasized"; an instructor types a space
    path = write_key(
        tmp_path,
        """
[[item]]
article = "D"
tag = "anonymous-source"
quote = "Chinese officials have emphasized"
explanation = "x"
""",
    )
    item = load_key(path, articles=articles).items[0]
    assert "\u00a0" in item.exact
    assert articles["D"].text[item.start : item.end] == item.exact


def test_bad_toml(tmp_path):
    path = write_key(tmp_path, "[[item]\narticle = 'A'\n")
    with pytest.raises(AnswerKeyError, match="not valid TOML"):
        load_key(path)


def test_error_class_is_a_value_error_not_a_key_error(tmp_path):
    path = write_key(tmp_path, "[[item]\n")
    with pytest.raises(ValueError) as err:
        load_key(path)
    assert isinstance(err.value, DataFileError)
    assert not isinstance(err.value, KeyError)


def test_unknown_article(tmp_path):
    path = write_key(
        tmp_path,
        """
[[item]]
article = "F"
tag = "hedge"
quote = "could"
explanation = "x"
""",
    )
    with pytest.raises(AnswerKeyError, match=r"unknown article id 'F' \(ids: A, B, C, D, E\)"):
        load_key(path)


def test_bad_verdict_and_kind(tmp_path):
    body = """
[[item]]
article = "B"
tag = "unsourced-figure"
quote = "largest trading partner"
verdict = "wrong"
explanation = "x"
"""
    with pytest.raises(AnswerKeyError, match="bad verdict 'wrong'"):
        load_key(write_key(tmp_path, body))
    body = body.replace('verdict = "wrong"', 'kind = "person"')
    with pytest.raises(AnswerKeyError, match="bad kind 'person'"):
        load_key(write_key(tmp_path, body))


def test_reference_not_on_the_desk(tmp_path):
    path = write_key(
        tmp_path,
        """
[[item]]
article = "B"
tag = "unsourced-figure"
quote = "largest trading partner"
verdict = "false"
references = ["trade-partner-ranks"]
explanation = "x"
""",
    )
    with pytest.raises(AnswerKeyError) as err:
        load_key(path)
    assert "'trade-partner-ranks' is not in the reference desk" in str(err.value)
    assert "did you mean 'trade-partner-rank'" in str(err.value)


def test_misspelt_field_is_caught(tmp_path):
    path = write_key(
        tmp_path,
        """
[[item]]
article = "A"
tag = "hedge"
quote = "Observers"
explanaton = "x"
""",
    )
    with pytest.raises(
        AnswerKeyError, match="unknown field 'explanaton'; did you mean 'explanation'"
    ):
        load_key(path)


def test_missing_key_table_and_wrong_schema(tmp_path):
    with pytest.raises(AnswerKeyError, match=r"missing the \[key\] table"):
        load_key(write_key(tmp_path, "", head=""))
    with pytest.raises(AnswerKeyError, match="schema_version must be 1"):
        load_key(write_key(tmp_path, "", head=HEAD.replace("= 1", "= 2")))


def test_contradiction_within_one_article_is_refused(tmp_path):
    path = write_key(
        tmp_path,
        """
[[contradiction]]
fact = "x"
a = { article = "C", quote = "Wednesday" }
b = { article = "C", quote = "Beijing" }
explanation = "x"
""",
    )
    with pytest.raises(AnswerKeyError, match="two different articles"):
        load_key(path)


def test_missing_key_file_names_it(tmp_path):
    with pytest.raises(AnswerKeyError, match="file not found"):
        load_key(tmp_path / "nothing.toml")


def test_instructor_set_with_own_key(own_data):
    """A set without a reference desk can have a key, as long as it cites nothing."""
    folder = own_data / "articles" / "my-set"
    folder.mkdir()
    (folder / "one.txt").write_text(
        "Mayor opens bridge\n\nThe mayor said the bridge cost $3 million, officials say.\n",
        encoding="utf-8",
    )
    (own_data / "keys" / "my-set.toml").write_text(
        HEAD.replace(SET, "my-set")
        + """
[[item]]
article = "one"
tag = "unsourced-figure"
quote = "$3 million"
explanation = "Credited only to unnamed officials."
""",
        encoding="utf-8",
    )
    key = load_key("my-set")
    assert [i.exact for i in key.items] == ["$3 million"]
    assert key.for_article("one")[0].start > 0

    text = (own_data / "keys" / "my-set.toml").read_text(encoding="utf-8")
    (own_data / "keys" / "my-set.toml").write_text(
        text.replace('explanation = "Credited', 'references = ["x"]\nexplanation = "Credited'),
        encoding="utf-8",
    )
    with pytest.raises(AnswerKeyError, match="no reference desk"):
        load_key("my-set")


def test_reference_desk_errors(own_data):
    path = own_data / "reference" / f"{SET}.toml"
    good = path.read_text(encoding="utf-8")

    path.write_text(good.replace('date = "2026-01-07"', 'date = "7 Jan 2026"', 1), encoding="utf-8")
    with pytest.raises(AnswerKeyError, match="must be YYYY-MM-DD"):
        load_reference()

    path.write_text(good.replace('status = "confirmed"', 'status = "true"', 1), encoding="utf-8")
    with pytest.raises(AnswerKeyError, match="bad status 'true'"):
        load_reference()

    path.write_text(good.replace("publisher = ", "publishr = ", 1), encoding="utf-8")
    with pytest.raises(AnswerKeyError, match="unknown field 'publishr'"):
        load_reference()


def test_unknown_tag_in_taxonomy_edit_is_seen(own_data):
    """Tags come from the taxonomy file, so an instructor's new tag is valid at once."""
    taxonomy = own_data / "taxonomy.toml"
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8")
        + '\n[[tag]]\nid = "emotional-image"\nlabel = "Emotional image"\n'
        'definition = "A picture meant to stir feeling."\ncolour = "#000000"\nhint_kinds = []\n',
        encoding="utf-8",
    )
    key_path = own_data / "keys" / "mine.toml"
    key_path.write_text(
        HEAD + '\n[[item]]\narticle = "C"\ntag = "emotional-image"\nquote = "acrimony"\n'
        'explanation = "x"\n',
        encoding="utf-8",
    )
    assert load_key(key_path).items[0].tag == "emotional-image"


# --------------------------------------------------------------------------- facts the key states


def _item(key: AnswerKey, article: str, exact: str) -> KeyItem:
    return next(i for i in key.for_article(article) if i.exact == exact)


def test_no_explanation_has_carney_leaving_from_ottawa(key):
    # He flew out of Vancouver (The Canadian Press, January 13, 2026).
    texts = [i.explanation for i in key.items] + [c.explanation for c in key.contradictions]
    assert not [t for t in texts if "left Ottawa" in t or "leaves Ottawa" in t]
    assert any("Vancouver" in t for t in texts)


def test_the_us_export_share_is_about_two_thirds_not_three_quarters(key):
    # Statistics Canada, October 2025: C$44.1 billion of C$65.6 billion (67%).
    text = _item(key, "D", "largest export destination").explanation
    assert "three quarters" not in text and "two thirds" in text


def test_a_back_reference_to_named_bodies_is_an_organization_source(key):
    # "Official commentary" follows "China's foreign ministry and state media".
    item = _item(key, "D", "Official commentary")
    assert (item.tag, item.kind) == ("organization-source", "organization")


def test_figures_credited_in_the_next_sentence_are_sourced(key):
    # E: "... starting January 14, 2026 ... The trip, announced by China's foreign ministry".
    for exact in ("January 14, 2026", "four-day official visit"):
        assert _item(key, "E", exact).tag == "sourced-figure", exact


def test_no_contradiction_puts_carney_in_talks_on_january_13(key):
    # B dates a message to January 13; it does not say where Carney was that day.
    sides = [side for c in key.contradictions for side in (c.a, c.b)]
    assert not [s for s in sides if s[0] == "B" and s[3] == "January 13, 2026"]


def test_agreements_signed_during_the_visit_are_not_unverifiable(key):
    assert _item(key, "A", "no major agreements were announced").verdict == "misleading"


def test_the_global_times_quote_is_never_called_an_editorial(key):
    texts = [i.explanation for i in key.items] + [c.explanation for c in key.contradictions]
    wrong = ("Global Times editorial", "Global Times editorials", "editorials (China Daily, Global")
    assert not [t for t in texts if any(w in t for w in wrong)]


def test_taxonomy_underline_styles_are_checked(own_data):
    taxonomy = own_data / "taxonomy.toml"
    text = taxonomy.read_text(encoding="utf-8")
    assert {t.underline for t in load_taxonomy()} <= {"solid", "dashed", "double", "wavy"}
    taxonomy.write_text(text.replace('underline = "wavy"', 'underline = "zigzag"', 1), "utf-8")
    with pytest.raises(AnswerKeyError, match="underline 'zigzag' must be one of solid, dashed"):
        load_taxonomy()
    taxonomy.write_text(text.replace('underline = "solid"\n', "", 1), "utf-8")
    assert load_taxonomy()[0].underline == ""  # the widget then picks a style itself
    taxonomy.write_text(text.replace('colour = "#2095EB"', 'colour = "blue"', 1), "utf-8")
    with pytest.raises(AnswerKeyError, match="colour 'blue' must be a hex colour"):
        load_taxonomy()
