"""Answer keys, the reference desk of checked facts, and the learners' tag list.

An answer key (``data/keys/<set>.toml``) is an editor's hand annotation of an article set: every
source, figure, loaded word, hedge, framing label and checkable claim, each with an explanation.
Items name their evidence by quoting it; this module finds each quote in ``article.text`` and turns
it into offsets, so a key stays readable and cannot silently drift from its articles.

The reference desk (``data/reference/<set>.toml``) holds the checked facts that verdicts rest on,
each with the public sources it was checked against. ``data/taxonomy.toml`` lists the tags.

>>> key = load_key()
>>> item = key.for_article("E")[0]
>>> load_articles()["E"].text[item.start:item.end] == item.exact
True
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kit._data import DataFileError, data_dir, read_toml
from kit.articles import DEFAULT_SET, ArticleSet, ArticleSetError, load_articles

__all__ = [
    "KEY_ONLY_TAGS",
    "KINDS",
    "STATUSES",
    "VERDICTS",
    "AnswerKey",
    "AnswerKeyError",
    "Citation",
    "KeyContradiction",
    "KeyItem",
    "ReferenceFact",
    "Tag",
    "key_problems",
    "load_key",
    "load_reference",
    "load_taxonomy",
]

SCHEMA_VERSION = 1
# Tags an answer key may use beyond the learners' taxonomy: a figure whose own clause names a
# source is worth keying (detectors must not flag it) but is not something learners tag.
KEY_ONLY_TAGS = ("sourced-figure",)
KINDS = ("named", "organization", "anonymous")
VERDICTS = ("accurate", "false", "misleading", "unverifiable")
STATUSES = ("confirmed", "disputed", "unverifiable")

_KEY_TABLE = {"set", "schema_version", "method", "annotators"}
_ITEM_KEYS = {
    "article",
    "tag",
    "quote",
    "occurrence",
    "explanation",
    "kind",
    "quoted",
    "verdict",
    "references",
    "draft",
}
_ITEM_REQUIRED = ("article", "tag", "quote", "explanation")
_CONTRADICTION_KEYS = {"fact", "a", "b", "explanation", "references"}
_SIDE_KEYS = {"article", "quote", "occurrence"}
_FACT_KEYS = {"id", "topic", "finding", "status", "source"}
_SOURCE_KEYS = {"publisher", "byline", "title", "date", "url", "note"}
_TAG_KEYS = {"id", "label", "definition", "colour", "underline", "hint_kinds"}
# Line styles that tell tags apart without colour (CSS text-decoration-style values).
UNDERLINE_STYLES = ("solid", "dashed", "dotted", "double", "wavy")
# A citation date is a full or partial ISO date, or "unknown" (older files: "n.d.") when the
# page shows none.
_DATE = re.compile(r"(?:\d{4}(?:-\d{2}(?:-\d{2})?)?|unknown|n\.d\.)")
_ATTRIBUTION_TAGS = ("named-source", "organization-source", "anonymous-source")
# Quote marks and spaces an instructor may type differently from the article.
_LOOSE = {
    " ": "[ \u00a0]",
    "\u00a0": "[ \u00a0]",
    '"': '["“”]',
    "“": '["“”]',
    "”": '["“”]',
    "'": "['‘’]",
    "‘": "['‘’]",
    "’": "['‘’]",
}


class AnswerKeyError(DataFileError):
    """An answer key, reference desk or taxonomy file is wrong.

    The message names the file, the item (1-based, in file order) and its line where known,
    and says what to fix.
    """


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Tag:
    """One learner tag from ``data/taxonomy.toml``.

    >>> load_taxonomy()[0].id
    'named-source'
    """

    id: str
    label: str
    definition: str
    colour: str
    hint_kinds: tuple[str, ...] = ()
    underline: str = ""  # a CSS line style from UNDERLINE_STYLES, or "" for the kit's choice


@dataclass(frozen=True, slots=True)
class Citation:
    """A public source a reference fact was checked against.

    ``title`` and ``date`` are ``"unknown"`` when the page shows none; ``byline`` is the author
    the page names, or ``""``.
    """

    publisher: str
    title: str
    date: str
    url: str
    note: str = ""
    byline: str = ""


@dataclass(frozen=True, slots=True)
class ReferenceFact:
    """One checked fact on the reference desk.

    >>> fact = next(f for f in load_reference() if f.id == "trade-partner-rank")
    >>> fact.status, fact.sources[0].publisher
    ('confirmed', 'Statistics Canada, The Daily')
    """

    id: str
    topic: str
    finding: str
    status: str
    sources: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True, order=True)
class KeyItem:
    """One keyed stretch of an article; ``article.text[start:end] == exact``.

    Items sort by article, then position, so a key reads in article order.
    """

    article_id: str
    start: int
    end: int
    tag: str
    exact: str = field(compare=False)
    explanation: str = field(compare=False)
    kind: str | None = field(default=None, compare=False)
    quoted: bool = field(default=False, compare=False)
    verdict: str | None = field(default=None, compare=False)
    references: tuple[str, ...] = field(default=(), compare=False)
    # True for an item drafted by `kit key` that no one has confirmed yet.
    draft: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class KeyContradiction:
    """Two passages in different articles that cannot both be right.

    ``a`` and ``b`` are ``(article_id, start, end, exact)``.
    """

    fact: str
    a: tuple[str, int, int, str]
    b: tuple[str, int, int, str]
    explanation: str
    references: tuple[str, ...] = ()


class AnswerKey:
    """A loaded, validated answer key.

    >>> key = load_key()
    >>> key.set_name, len(key.for_article("A")) > 0, len(key.contradictions) > 0
    ('carney-beijing-2026', True, True)
    >>> key.by_tag("unsourced-figure")[0].tag
    'unsourced-figure'
    """

    __slots__ = (
        "_contradictions",
        "_items",
        "annotators",
        "article_ids",
        "method",
        "path",
        "set_name",
    )

    def __init__(
        self,
        items: list[KeyItem],
        contradictions: list[KeyContradiction],
        *,
        set_name: str,
        path: Path | None = None,
        method: str = "",
        annotators: str = "",
        article_ids: tuple[str, ...] = (),
    ) -> None:
        self._items = tuple(sorted(items))
        self._contradictions = tuple(contradictions)
        self.set_name = set_name
        self.path = path
        self.method = method
        self.annotators = annotators
        self.article_ids = article_ids

    @property
    def items(self) -> list[KeyItem]:
        """Every item, sorted by article and position (a fresh list each time)."""
        return list(self._items)

    @property
    def contradictions(self) -> list[KeyContradiction]:
        """The cross-article contradictions, in file order."""
        return list(self._contradictions)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[KeyItem]:
        return iter(self._items)

    def __repr__(self) -> str:
        return (
            f"AnswerKey({self.set_name!r}, {len(self._items)} items, "
            f"{len(self._contradictions)} contradictions)"
        )

    def for_article(self, article_id: str) -> list[KeyItem]:
        """The items of one article, in text order.

        >>> [i.exact for i in load_key().for_article("C")][:2]
        ['Wednesday', 'Beijing']
        """
        if self.article_ids and article_id not in self.article_ids:
            hint = _suggest(article_id, self.article_ids)
            raise AnswerKeyError(
                f"{self._where()}: no article {article_id!r} in this key's set "
                f"(ids: {', '.join(self.article_ids)}){hint}"
            )
        return [i for i in self._items if i.article_id == article_id]

    def by_tag(self, tag: str) -> list[KeyItem]:
        """The items with one tag, across all articles.

        >>> {i.tag for i in load_key().by_tag("hedge")}
        {'hedge'}
        """
        valid = _valid_tags()
        if tag not in valid:
            raise AnswerKeyError(f"{self._where()}: unknown tag {tag!r}{_suggest(tag, valid)}")
        return [i for i in self._items if i.tag == tag]

    def counts(self) -> dict[str, dict[str, int]]:
        """``{article_id: {tag: number of items}}``, for summaries and lesson tables.

        >>> load_key().counts()["E"]["named-source"]
        1
        """
        out: dict[str, dict[str, int]] = {a: {} for a in self.article_ids}
        for item in self._items:
            row = out.setdefault(item.article_id, {})
            row[item.tag] = row.get(item.tag, 0) + 1
        return out

    def _where(self) -> str:
        return str(self.path) if self.path else f"answer key {self.set_name!r}"


# --------------------------------------------------------------------------- loading


def load_taxonomy() -> list[Tag]:
    """The learner tags from ``data/taxonomy.toml``, in file order.

    >>> [t.id for t in load_taxonomy()][:3]
    ['named-source', 'organization-source', 'anonymous-source']
    """
    path = data_dir() / "taxonomy.toml"
    data = _read(path)
    raw = data.get("tag")
    if not isinstance(raw, list) or not raw:
        raise AnswerKeyError(f"{path}: no [[tag]] tables")
    tags: list[Tag] = []
    seen: set[str] = set()
    for n, entry in enumerate(raw, start=1):
        where = f"{path}: tag {n}"
        _check_keys(entry, _TAG_KEYS, where)
        for name in ("id", "label", "definition", "colour"):
            if not isinstance(entry.get(name), str) or not entry[name].strip():
                raise AnswerKeyError(f"{where}: missing or empty {name!r}")
        if entry["id"] in seen:
            raise AnswerKeyError(f"{where}: duplicate tag id {entry['id']!r}")
        seen.add(entry["id"])
        kinds = entry.get("hint_kinds", [])
        if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
            raise AnswerKeyError(f"{where}: 'hint_kinds' must be a list of strings")
        underline = entry.get("underline", "")  # "": the widget picks one for the tag
        if underline and underline not in UNDERLINE_STYLES:
            raise AnswerKeyError(
                f"{where}: underline {underline!r} must be one of {', '.join(UNDERLINE_STYLES)}"
            )
        if not re.fullmatch(r"#(?:[0-9A-Fa-f]{3}){1,2}", entry["colour"]):
            raise AnswerKeyError(
                f"{where}: colour {entry['colour']!r} must be a hex colour such as #1A2B3C"
            )
        tags.append(
            Tag(
                entry["id"],
                entry["label"],
                entry["definition"],
                entry["colour"],
                tuple(kinds),
                underline,
            )
        )
    return tags


def load_reference(name: str | None = None) -> list[ReferenceFact]:
    """The reference desk of a set: checked facts with their sources, in file order.

    ``name`` is a set name (``data/reference/<name>.toml``) or a path to a ``.toml`` file;
    ``None`` means the course's default set.

    >>> facts = load_reference()
    >>> all(s.url.startswith("http") for f in facts for s in f.sources)
    True
    """
    path = _resolve(name, "reference")
    return _parse_reference(path, _read(path))


def load_key(
    name_or_path: str | Path | None = None, *, articles: ArticleSet | None = None
) -> AnswerKey:
    """Load and check an answer key.

    ``name_or_path``: ``None`` for the key of ``articles`` (or of the course's default set); a
    set name such as ``"carney-beijing-2026"`` for ``data/keys/<name>.toml``; or a path to a key
    file. ``articles``: the article set the key annotates; by default the set the key names in
    its ``[key]`` table, from ``data/articles/<set>``.

    Every quote must be found in its article, every tag must exist, every reference must be on
    the reference desk; anything else raises `AnswerKeyError` naming the file and item.

    >>> key = load_key("carney-beijing-2026")
    >>> sorted({i.article_id for i in key.items})
    ['A', 'B', 'C', 'D', 'E']
    """
    if name_or_path is None and articles is not None and articles.path is not None:
        name_or_path = articles.path.name
    path = _resolve(name_or_path, "keys")
    data = _read(path)
    raw = path.read_text(encoding="utf-8")
    item_lines = _header_lines(raw, "item")
    contradiction_lines = _header_lines(raw, "contradiction")

    head = data.get("key")
    if not isinstance(head, dict):
        raise AnswerKeyError(f"{path}: missing the [key] table (with set and schema_version)")
    _check_keys(head, _KEY_TABLE, f"{path}: [key]")
    set_name = head.get("set")
    if not isinstance(set_name, str) or not set_name.strip():
        raise AnswerKeyError(f'{path}: [key] needs set = "<article folder name>"')
    if head.get("schema_version") != SCHEMA_VERSION:
        raise AnswerKeyError(
            f"{path}: [key] schema_version must be {SCHEMA_VERSION}, "
            f"not {head.get('schema_version')!r}"
        )
    unknown_tables = set(data) - {"key", "item", "contradiction"}
    if unknown_tables:
        bad = sorted(unknown_tables)[0]
        hint = _suggest(bad, ("key", "item", "contradiction"))
        raise AnswerKeyError(f"{path}: unknown table {bad!r}{hint}")

    if articles is None:
        try:
            articles = load_articles(data_dir() / "articles" / set_name)
        except ArticleSetError as exc:
            raise AnswerKeyError(
                f"{path}: cannot load the articles of set {set_name!r}: {exc}"
            ) from None

    valid_tags = _valid_tags()
    fact_ids = _fact_ids_for(set_name, path)

    items: list[KeyItem] = []
    raw_items = data.get("item", [])
    if not isinstance(raw_items, list):
        raise AnswerKeyError(f"{path}: 'item' must be an array of [[item]] tables")
    for n, entry in enumerate(raw_items, start=1):
        where = _where(path, "item", n, item_lines)
        items.append(_parse_item(entry, where, articles, valid_tags, fact_ids))

    contradictions: list[KeyContradiction] = []
    raw_contradictions = data.get("contradiction", [])
    if not isinstance(raw_contradictions, list):
        raise AnswerKeyError(
            f"{path}: 'contradiction' must be an array of [[contradiction]] tables"
        )
    for n, entry in enumerate(raw_contradictions, start=1):
        where = _where(path, "contradiction", n, contradiction_lines)
        contradictions.append(_parse_contradiction(entry, where, articles, fact_ids))

    return AnswerKey(
        items,
        contradictions,
        set_name=set_name,
        path=path,
        method=str(head.get("method", "")),
        annotators=str(head.get("annotators", "")),
        article_ids=articles.ids,
    )


# --------------------------------------------------------------------------- parsing helpers


def _parse_item(
    entry: Any,
    where: str,
    articles: ArticleSet,
    valid_tags: tuple[str, ...],
    fact_ids: set[str] | None,
) -> KeyItem:
    if not isinstance(entry, dict):
        raise AnswerKeyError(f"{where}: must be a table")
    _check_keys(entry, _ITEM_KEYS, where)
    for name in _ITEM_REQUIRED:
        if not isinstance(entry.get(name), str) or not entry[name].strip():
            raise AnswerKeyError(f"{where}: missing or empty {name!r}")
    tag = entry["tag"]
    if tag not in valid_tags:
        raise AnswerKeyError(f"{where}: unknown tag {tag!r}{_suggest(tag, valid_tags)}")
    text, article_id = _article_text(entry["article"], where, articles)
    start, end = _locate(text, entry["quote"], entry.get("occurrence", 1), where, article_id)

    kind = entry.get("kind")
    if kind is not None and kind not in KINDS:
        raise AnswerKeyError(f"{where}: bad kind {kind!r}; use one of {', '.join(KINDS)}")
    if kind is None and tag in _ATTRIBUTION_TAGS:
        kind = tag.split("-")[0]  # the tag already says which kind of source it is
    quoted = entry.get("quoted", False)
    if not isinstance(quoted, bool):
        raise AnswerKeyError(f"{where}: 'quoted' must be true or false, not {quoted!r}")
    verdict = entry.get("verdict")
    if verdict is not None and verdict not in VERDICTS:
        raise AnswerKeyError(
            f"{where}: bad verdict {verdict!r}{_suggest(str(verdict), VERDICTS)} "
            f"(use one of {', '.join(VERDICTS)})"
        )
    references = _references(entry.get("references", []), where, fact_ids)
    draft = entry.get("draft", False)
    if not isinstance(draft, bool):
        raise AnswerKeyError(f"{where}: 'draft' must be true or false, not {draft!r}")
    return KeyItem(
        article_id=article_id,
        start=start,
        end=end,
        tag=tag,
        exact=text[start:end],
        explanation=entry["explanation"].strip(),
        kind=kind,
        quoted=quoted,
        verdict=verdict,
        references=references,
        draft=draft,
    )


def _parse_contradiction(
    entry: Any, where: str, articles: ArticleSet, fact_ids: set[str] | None
) -> KeyContradiction:
    if not isinstance(entry, dict):
        raise AnswerKeyError(f"{where}: must be a table")
    _check_keys(entry, _CONTRADICTION_KEYS, where)
    for name in ("fact", "explanation"):
        if not isinstance(entry.get(name), str) or not entry[name].strip():
            raise AnswerKeyError(f"{where}: missing or empty {name!r}")
    sides = []
    for side in ("a", "b"):
        value = entry.get(side)
        if not isinstance(value, dict):
            raise AnswerKeyError(
                f"{where}: {side!r} must be an inline table like "
                f'{{ article = "C", quote = "on Wednesday" }}'
            )
        _check_keys(value, _SIDE_KEYS, f"{where}, side {side!r}")
        if not isinstance(value.get("quote"), str) or not value["quote"]:
            raise AnswerKeyError(f"{where}, side {side!r}: missing or empty 'quote'")
        text, article_id = _article_text(value.get("article"), f"{where}, side {side!r}", articles)
        start, end = _locate(
            text, value["quote"], value.get("occurrence", 1), f"{where}, side {side!r}", article_id
        )
        sides.append((article_id, start, end, text[start:end]))
    if sides[0][0] == sides[1][0]:
        raise AnswerKeyError(
            f"{where}: both sides quote article {sides[0][0]!r}; a contradiction is between "
            "two different articles"
        )
    return KeyContradiction(
        fact=entry["fact"].strip(),
        a=sides[0],
        b=sides[1],
        explanation=entry["explanation"].strip(),
        references=_references(entry.get("references", []), where, fact_ids),
    )


def _parse_reference(path: Path, data: dict[str, Any]) -> list[ReferenceFact]:
    raw = data.get("fact")
    if not isinstance(raw, list) or not raw:
        raise AnswerKeyError(f"{path}: no [[fact]] tables")
    lines = _header_lines(path.read_text(encoding="utf-8"), "fact")
    facts: list[ReferenceFact] = []
    seen: set[str] = set()
    for n, entry in enumerate(raw, start=1):
        where = _where(path, "fact", n, lines)
        if not isinstance(entry, dict):
            raise AnswerKeyError(f"{where}: must be a table")
        _check_keys(entry, _FACT_KEYS, where)
        for name in ("id", "topic", "finding", "status"):
            if not isinstance(entry.get(name), str) or not entry[name].strip():
                raise AnswerKeyError(f"{where}: missing or empty {name!r}")
        fact_id = entry["id"]
        if fact_id in seen:
            raise AnswerKeyError(f"{where}: duplicate fact id {fact_id!r}")
        seen.add(fact_id)
        status = entry["status"]
        if status not in STATUSES:
            raise AnswerKeyError(
                f"{where}: bad status {status!r}{_suggest(status, STATUSES)} "
                f"(use one of {', '.join(STATUSES)})"
            )
        raw_sources = entry.get("source", [])
        if not isinstance(raw_sources, list):
            raise AnswerKeyError(f"{where}: 'source' must be an array of [[fact.source]] tables")
        sources = tuple(
            _parse_citation(s, f"{where}, source {k}") for k, s in enumerate(raw_sources, start=1)
        )
        if status != "unverifiable" and not sources:
            raise AnswerKeyError(
                f"{where}: status {status!r} needs at least one [[fact.source]]; a fact nobody "
                "could find a source for is 'unverifiable'"
            )
        facts.append(
            ReferenceFact(
                fact_id, entry["topic"].strip(), entry["finding"].strip(), status, sources
            )
        )
    return facts


def _parse_citation(entry: Any, where: str) -> Citation:
    if not isinstance(entry, dict):
        raise AnswerKeyError(f"{where}: must be a table")
    _check_keys(entry, _SOURCE_KEYS, where)
    for name in ("publisher", "title", "date", "url"):
        if not isinstance(entry.get(name), str) or not entry[name].strip():
            raise AnswerKeyError(f"{where}: missing or empty {name!r}")
    if not _DATE.fullmatch(entry["date"]):
        raise AnswerKeyError(
            f"{where}: date {entry['date']!r} must be YYYY-MM-DD (or YYYY-MM, YYYY), "
            'or "unknown" when the page shows no date'
        )
    if not entry["url"].startswith(("https://", "http://")):
        raise AnswerKeyError(f"{where}: url {entry['url']!r} must start with https:// or http://")
    return Citation(
        entry["publisher"].strip(),
        entry["title"].strip(),
        entry["date"],
        entry["url"].strip(),
        str(entry.get("note", "")).strip(),
        str(entry.get("byline", "")).strip(),
    )


def _article_text(article_id: Any, where: str, articles: ArticleSet) -> tuple[str, str]:
    if not isinstance(article_id, str) or article_id not in articles:
        hint = _suggest(str(article_id), articles.ids)
        raise AnswerKeyError(
            f"{where}: unknown article id {article_id!r} (ids: {', '.join(articles.ids)}){hint}"
        )
    return articles[article_id].text, article_id


def _locate(text: str, quote: str, occurrence: Any, where: str, article_id: str) -> tuple[int, int]:
    """Offsets of the n-th occurrence of ``quote``; exact first, then forgiving spaces/quotes."""
    if isinstance(occurrence, bool) or not isinstance(occurrence, int) or occurrence < 1:
        raise AnswerKeyError(
            f"{where}: 'occurrence' must be a whole number from 1, not {occurrence!r}"
        )
    hits = _find_all(text, quote)
    if not hits:
        # Keys are typed by people: a plain space for a non-breaking one, or straight quote
        # marks for curly ones, should still find the passage.
        pattern = "".join(_LOOSE.get(ch, re.escape(ch)) for ch in quote)
        hits = [(m.start(), m.end()) for m in re.finditer(pattern, text)]
    if not hits:
        raise AnswerKeyError(
            f"{where}: quote {quote!r} not found in article {article_id!r}{_closest(text, quote)}"
        )
    if occurrence > len(hits):
        times = "once" if len(hits) == 1 else f"{len(hits)} times"
        raise AnswerKeyError(
            f"{where}: occurrence = {occurrence}, but {quote!r} appears only {times} "
            f"in article {article_id!r}"
        )
    return hits[occurrence - 1]


def _find_all(text: str, quote: str) -> list[tuple[int, int]]:
    hits, i = [], text.find(quote)
    while i != -1:
        hits.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    return hits


def _closest(text: str, quote: str) -> str:
    """A hint pointing at the passage most like the missing quote (rapidfuzz, imported lazily)."""
    from rapidfuzz import fuzz

    found = fuzz.partial_ratio_alignment(quote, text, score_cutoff=70)
    if found is None:
        return ""
    start, end = found.dest_start, found.dest_end
    # widen to whole words so the hint reads naturally
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    near = text[start:end]
    return f"; closest passage: {near!r}"


def _references(value: Any, where: str, fact_ids: set[str] | None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(r, str) for r in value):
        raise AnswerKeyError(f"{where}: 'references' must be a list of fact ids")
    if value and fact_ids is None:
        raise AnswerKeyError(
            f"{where}: uses references but this set has no reference desk "
            "(data/reference/<set>.toml)"
        )
    for ref in value:
        if ref not in (fact_ids or ()):
            hint = _suggest(ref, sorted(fact_ids or ()))
            raise AnswerKeyError(
                f"{where}: reference id {ref!r} is not in the reference desk{hint}"
            )
    return tuple(value)


def _fact_ids_for(set_name: str, key_path: Path) -> set[str] | None:
    """Fact ids of the set's reference desk, or None when the set has none."""
    candidates = [key_path.parent.parent / "reference" / f"{set_name}.toml"]
    candidates.append(data_dir() / "reference" / f"{set_name}.toml")
    for path in candidates:
        if path.is_file():
            return {f.id for f in load_reference(path)}
    return None


def _valid_tags() -> tuple[str, ...]:
    return tuple(t.id for t in load_taxonomy()) + KEY_ONLY_TAGS


def _resolve(name: str | Path | None, folder: str) -> Path:
    if name is None:
        return data_dir() / folder / f"{DEFAULT_SET}.toml"
    text = str(name)
    looks_like_path = (
        isinstance(name, Path) or text.endswith(".toml") or "/" in text or "\\" in text
    )
    if looks_like_path:
        return Path(name).expanduser()
    return data_dir() / folder / f"{text}.toml"


def _read(path: Path) -> dict[str, Any]:
    try:
        return read_toml(path)
    except AnswerKeyError:
        raise
    except DataFileError as exc:
        raise AnswerKeyError(str(exc)) from None


def _check_keys(table: dict[str, Any], allowed: set[str], where: str) -> None:
    for key in table:
        if key not in allowed and not key.startswith("x_"):
            raise AnswerKeyError(f"{where}: unknown field {key!r}{_suggest(key, sorted(allowed))}")


def _suggest(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _header_lines(raw: str, table: str) -> list[int]:
    """1-based line numbers of each ``[[table]]`` header, for error messages."""
    pattern = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]", re.M)
    return [raw.count("\n", 0, m.start()) + 1 for m in pattern.finditer(raw)]


def _where(path: Path, table: str, n: int, lines: list[int]) -> str:
    line = f" (line {lines[n - 1]})" if n - 1 < len(lines) else ""
    return f"{path}: {table} {n}{line}"


def key_problems(path: str | Path, articles: ArticleSet) -> list[str]:
    """Every problem in the key at ``path`` for ``articles``, not just the first (empty: fine).

    `load_key` stops at the first mistake; an instructor checking a key wants them all.

    >>> key_problems(data_dir() / "keys" / "carney-beijing-2026.toml", load_articles())
    []
    """
    path = Path(path)
    try:
        load_key(path, articles=articles)
        return []
    except AnswerKeyError as exc:
        first = str(exc)
    try:
        data = _read(path)
        raw = path.read_text(encoding="utf-8")
    except (AnswerKeyError, OSError, UnicodeDecodeError):
        return [first]
    set_name = str((data.get("key") or {}).get("set", ""))
    valid_tags, fact_ids = _valid_tags(), _fact_ids_for(set_name, path)
    problems = []
    for table, parse in (
        ("item", lambda e, w: _parse_item(e, w, articles, valid_tags, fact_ids)),
        ("contradiction", lambda e, w: _parse_contradiction(e, w, articles, fact_ids)),
    ):
        entries, lines = data.get(table, []), _header_lines(raw, table)
        for n, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
            try:
                parse(entry, _where(path, table, n, lines))
            except AnswerKeyError as exc:
                problems.append(str(exc))
    return problems or [first]
