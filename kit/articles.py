"""Article sets: load a folder of plain-text news articles, verbatim, with one offset space.

``article.text`` is the complete text of the file, exactly as found (headline, stray lines
and page furniture included). Every offset anywhere in the kit, whether a paragraph, a
detector hit, an answer-key entry or a learner's highlight, is a code-point index into it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kit._data import DataFileError, DataFileUnreadable, data_dir, read_data_toml, read_toml
from kit._text import os_error_reason, read_regular_file

__all__ = [
    "UNKNOWN",
    "Article",
    "ArticleSet",
    "ArticleSetError",
    "Span",
    "course_articles_path",
    "load_articles",
]

UNKNOWN = "unknown"
DEFAULT_SET = "carney-beijing-2026"
MANIFEST_NAME = "manifest.toml"
MAX_BYTES = 1_000_000  # a news article is a few kB; a megabyte is a book or the wrong file
MAX_MANIFEST_BYTES = 1_000_000

_SET_KEYS = {"title", "description", "language", "sides", "notes", "source_note"}
_ARTICLE_KEYS = {
    "file",
    "id",
    "headline",
    "outlet",
    "byline",
    "published",
    "dateline",
    "event_date",
    "boilerplate",
    "notes",
}
_BOILERPLATE_KEYS = {"label", "lines"}


class ArticleSetError(ValueError):
    """An article set cannot be loaded. The message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of ``article.text`` from ``start`` up to (not including) ``end``."""

    start: int
    end: int
    label: str = ""

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, eq=False)
class Article:
    """One news article, verbatim, with what its text shows about where it came from.

    >>> a = load_articles()["A"]
    >>> a.text[a.headline_span.start:a.headline_span.end] == a.headline
    True
    """

    id: str
    text: str
    headline: str
    headline_span: Span | None
    outlet: str = UNKNOWN
    byline: str = UNKNOWN
    published: str = UNKNOWN
    dateline: str = UNKNOWN
    event_date: str = UNKNOWN
    boilerplate: tuple[Span, ...] = ()
    paragraphs: tuple[Span, ...] = ()
    sentences: tuple[Span, ...] = ()
    notes: tuple[str, ...] = ()
    path: Path | None = None
    _furniture: tuple[tuple[int, int], ...] = field(default=(), repr=False)

    def __repr__(self) -> str:
        return f"Article(id={self.id!r}, headline={self.headline[:50]!r}, outlet={self.outlet!r})"

    def span_text(self, span: Span | tuple[int, int]) -> str:
        """The words a span covers: ``article.span_text(article.sentences[0])``."""
        start, end = (span.start, span.end) if isinstance(span, Span) else span
        return self.text[start:end]

    def is_boilerplate(self, start: int, end: int | None = None) -> bool:
        """True when any of ``text[start:end]`` lies in page furniture (comment forms, ...).

        >>> a = load_articles()["C"]
        >>> a.is_boilerplate(a.text.index("$25.04 billion"))
        True
        """
        end = start + 1 if end is None else end
        return any(s < end and start < e for s, e in self._furniture)

    @property
    def body_paragraphs(self) -> tuple[Span, ...]:
        """Paragraphs that are neither the headline nor page furniture."""
        head = self.headline_span
        return tuple(
            p
            for p in self.paragraphs
            if not self.is_boilerplate(p.start, p.end)
            and not (head and p.start == head.start and p.end == head.end)
        )

    @property
    def body_sentences(self) -> tuple[Span, ...]:
        """Sentences outside page furniture and the headline: the reporting itself."""
        head = self.headline_span
        return tuple(
            s
            for s in self.sentences
            if not self.is_boilerplate(s.start, s.end)
            and not (head and head.start <= s.start and s.end <= head.end)
        )

    @property
    def word_count(self) -> int:
        """Words in the body (headline and furniture left out)."""
        return sum(len(_WORD.findall(self.text, p.start, p.end)) for p in self.body_paragraphs)

    def paragraph_number(self, offset: int) -> int | None:
        """1-based number of the paragraph that holds ``offset``, or None between paragraphs."""
        for number, p in enumerate(self.paragraphs, start=1):
            if p.start <= offset < p.end:
                return number
        return None

    def sentence_at(self, offset: int) -> Span | None:
        """The sentence that holds ``offset``, or None."""
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return None

    @property
    def unknowns(self) -> tuple[str, ...]:
        """Which of headline, outlet, byline, published date the text does not show."""
        fields = {
            "headline": self.headline,
            "outlet": self.outlet,
            "byline": self.byline,
            "published": self.published,
        }
        return tuple(name for name, value in fields.items() if value == UNKNOWN)


class ArticleSet:
    """An ordered set of articles on one story. Index by id or position; iterate in order.

    >>> s = load_articles()
    >>> len(s), s.ids[:2], s[0] is s[s.ids[0]]
    (5, ('A', 'B'), True)
    """

    def __init__(
        self,
        articles: list[Article],
        *,
        path: Path | None = None,
        title: str = "",
        description: str = "",
        sides: Mapping[str, tuple[str, ...]] | None = None,
        notes: tuple[str, ...] = (),
    ) -> None:
        self._articles = list(articles)
        self._by_id = {a.id: a for a in self._articles}
        self.path = path
        self.title = title or (path.name if path else "articles")
        self.description = description
        self.sides: dict[str, tuple[str, ...]] = dict(sides or {})
        self.notes = notes

    def __len__(self) -> int:
        return len(self._articles)

    def __iter__(self) -> Iterator[Article]:
        return iter(self._articles)

    def __getitem__(self, key: str | int) -> Article:
        if isinstance(key, int):
            return self._articles[key]
        try:
            return self._by_id[key]
        except KeyError:
            hint = difflib.get_close_matches(str(key), self._by_id, n=1)
            extra = f"; did you mean {hint[0]!r}?" if hint else ""
            raise KeyError(
                f"no article {key!r} in this set (ids: {', '.join(self.ids)}){extra}"
            ) from None

    def __contains__(self, key: object) -> bool:
        return key in self._by_id

    def __repr__(self) -> str:
        return f"ArticleSet({self.title!r}, {len(self)} articles: {', '.join(self.ids)})"

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self._articles)

    def summary(self) -> list[dict[str, Any]]:
        """One row per article: what the text shows, and what it leaves unknown.

        >>> load_articles().summary()[0]["id"]
        'A'
        """
        return [
            {
                "id": a.id,
                "headline": a.headline,
                "outlet": a.outlet,
                "byline": a.byline,
                "published": a.published,
                "event date in text": a.event_date,
                "words": a.word_count,
                "paragraphs": len(a.body_paragraphs),
                "unknown": ", ".join(a.unknowns) or "nothing",
            }
            for a in self._articles
        ]

    def to_frame(self):
        """`summary` as a pandas DataFrame indexed by article id (pandas imported here)."""
        import pandas as pd

        return pd.DataFrame(self.summary()).set_index("id")


# --------------------------------------------------------------------------- loading


def load_articles(path: str | Path | None = None) -> ArticleSet:
    """Load an article set: the course's default five articles, or a folder of your own.

    A folder of UTF-8 ``.txt`` files is enough: the first non-empty line of each file is its
    headline and its file name (without ``.txt``) its id. An optional ``manifest.toml`` in the
    folder adds what the text shows about outlet, byline, dates and page furniture.

    >>> articles = load_articles()
    >>> len(articles)
    5
    """
    folder = _resolve_set(path) if path is not None else course_articles_path()
    if not folder.exists():
        raise ArticleSetError(_missing_folder(folder))
    if not folder.is_dir():
        raise ArticleSetError(f"{folder}: is a file; give the folder that holds the .txt articles")
    home = _real(folder)
    manifest_path = folder / MANIFEST_NAME
    manifest = _read_manifest(manifest_path) if _lexists(manifest_path) else {}
    set_info = manifest.get("set", {})
    entries = manifest.get("article", [])

    try:
        names = sorted(p.name for p in folder.iterdir())
    except OSError as exc:
        raise ArticleSetError(
            f"{folder}: cannot read the folder ({os_error_reason(exc)})"
        ) from None
    txt_files = [folder / n for n in names if n.lower().endswith(".txt") and not n.startswith(".")]
    if not txt_files and not entries:
        raise ArticleSetError(f"{folder}: empty folder: it holds no .txt articles")

    by_name = {p.name: p for p in txt_files}
    ordered: list[tuple[Path, dict[str, Any]]] = []
    listed: set[str] = set()
    for i, entry in enumerate(entries, start=1):
        name = entry["file"]
        where = f"{manifest_path}: article {i} names file {name!r}"
        target = _real(folder / name)
        if target == home or target.is_dir():
            raise ArticleSetError(f"{where}, which is a folder; name a .txt file in the set folder")
        if target.parent != home:
            raise ArticleSetError(f"{where}, which is outside the article folder")
        if not _lexists(target):
            raise ArticleSetError(f"{where}, which does not exist")
        if name in listed:
            raise ArticleSetError(f"{manifest_path}: file {name!r} is listed twice")
        listed.add(name)
        ordered.append((target, entry))
    for name, p in by_name.items():
        if name not in listed:
            if _real(p).parent != home:
                raise ArticleSetError(
                    f"{p}: is a link to a file outside the article folder ({_real(p)}); "
                    "copy the article into the folder instead"
                )
            ordered.append((p, {}))

    boilerplate_rules = _boilerplate_rules()
    articles: list[Article] = []
    seen: dict[str, Path] = {}
    for file, entry in ordered:
        article = _load_one(file, entry, manifest_path, boilerplate_rules)
        clash = seen.get(article.id.casefold())
        if clash is not None:
            raise ArticleSetError(
                f"{file}: duplicate article id {article.id!r} (already used by {clash.name}); "
                "give each article its own id in manifest.toml or rename the file"
            )
        seen[article.id.casefold()] = file
        articles.append(article)

    sides = {
        str(name): tuple(str(t) for t in terms)
        for name, terms in (set_info.get("sides") or {}).items()
    }
    return ArticleSet(
        articles,
        path=folder,
        title=str(set_info.get("title", "")),
        description=str(set_info.get("description", "")),
        sides=sides,
        notes=_notes(set_info.get("notes", ())),
    )


def _notes(value: Any) -> tuple[str, ...]:
    """A manifest's notes: a list of text, or one text (one note)."""
    return (value,) if isinstance(value, str) else tuple(str(n) for n in value)


def _lexists(path: Path) -> bool:
    """True when anything (a file, a folder, a broken or looping link) has this name."""
    try:
        path.lstat()
    except OSError:
        return False
    return True


def _real(path: Path) -> Path:
    """``path`` with every link followed, or an `ArticleSetError` for a link loop."""
    try:
        return path.resolve()
    except (OSError, RuntimeError) as exc:
        raise ArticleSetError(f"{path}: cannot be read ({os_error_reason(exc)})") from None


def _resolve_set(path: str | Path) -> Path:
    """A folder path as given, or a bare set name looked up in ``data/articles/``."""
    as_path = Path(path).expanduser()
    named = data_dir() / "articles" / as_path
    if len(as_path.parts) == 1 and not as_path.exists() and named.is_dir():
        return named
    return as_path


def _missing_folder(folder: Path) -> str:
    sets = data_dir() / "articles"
    if folder.parent == sets:
        known = sorted(p.name for p in sets.iterdir() if p.is_dir()) if sets.is_dir() else []
        hint = difflib.get_close_matches(folder.name, known, n=1)
        extra = f"; did you mean {hint[0]!r}?" if hint else f" (sets there: {', '.join(known)})"
        return f"{folder}: no such folder: no set named {folder.name!r} in {sets}{extra}"
    return f"{folder}: no such folder"


def course_articles_path() -> Path:
    """The folder every lesson loads: set it once for the whole course.

    ``KIT_ARTICLES`` (a folder, or the name of a set in ``data/articles/``) wins; otherwise
    ``articles`` in ``data/course.toml``; otherwise the course's own five articles.

    >>> course_articles_path().name
    'carney-beijing-2026'
    """
    import os

    choice = os.environ.get("KIT_ARTICLES", "").strip()
    if not choice:
        course = data_dir() / "course.toml"
        if course.is_file():
            try:
                choice = str(read_toml(course).get("articles", "")).strip()
            except DataFileError as exc:
                raise ArticleSetError(str(exc)) from None
    if not choice:
        choice = DEFAULT_SET
    as_path = Path(choice).expanduser()
    named_set = data_dir() / "articles" / choice
    if len(as_path.parts) == 1 and named_set.is_dir():
        return named_set
    if as_path.is_absolute() or as_path.exists():
        return as_path
    if len(as_path.parts) == 1:  # a bare name that is no set: say where we looked
        return named_set
    return data_dir().parent / as_path  # relative to the course folder, wherever we run from


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        data = read_toml(path, MAX_MANIFEST_BYTES)
    except DataFileUnreadable as exc:
        raise ArticleSetError(f"{path}: cannot read the manifest ({exc.reason})") from None
    except DataFileError as exc:
        raise ArticleSetError(f"malformed manifest: {exc}") from None

    def problem(msg: str) -> ArticleSetError:
        return ArticleSetError(f"{path}: malformed manifest: {msg}")

    def check_keys(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                near = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                raise problem(f"unknown key {key!r} in {where}{hint}")

    check_keys(data, {"set", "article"}, "the top level")
    set_info = data.get("set", {})
    if not isinstance(set_info, dict):
        raise problem("[set] must be a table")
    check_keys(set_info, _SET_KEYS, "[set]")
    _check_notes(set_info.get("notes", []), "[set]", problem)
    sides = set_info.get("sides", {})
    if not isinstance(sides, dict) or not all(
        isinstance(v, list) and all(isinstance(t, str) for t in v) for v in sides.values()
    ):
        raise problem('[set.sides] must map each side to a list of words, e.g. China = ["Beijing"]')
    entries = data.get("article", [])
    if not isinstance(entries, list):
        raise problem("use [[article]] (double brackets) for each article")
    for i, entry in enumerate(entries, start=1):
        where = f"article {i}"
        if not isinstance(entry, dict):
            raise problem(f"{where} must be a table")
        check_keys(entry, _ARTICLE_KEYS, where)
        if not isinstance(entry.get("file"), str) or not entry["file"]:
            raise problem(f'{where} needs file = "name.txt"')
        for key in _ARTICLE_KEYS - {"boilerplate", "notes"}:
            if key in entry and not isinstance(entry[key], str):
                raise problem(f"{where}: {key} must be text in quotes")
        _check_notes(entry.get("notes", []), where, problem)
        blocks = entry.get("boilerplate", [])
        if not isinstance(blocks, list):
            raise problem(f"{where}: boilerplate must be a list of {{label, lines}} tables")
        for block in blocks:
            if not isinstance(block, dict):
                raise problem(
                    f"{where}: each boilerplate entry must be {{label = ..., lines = [a, b]}}"
                )
            check_keys(block, _BOILERPLATE_KEYS, f"{where} boilerplate")
            lines = block.get("lines")
            if not (
                isinstance(lines, list)
                and len(lines) == 2
                and all(isinstance(n, int) and n >= 1 for n in lines)
                and lines[0] <= lines[1]
            ):
                raise problem(f"{where}: boilerplate lines must be [first, last], 1-based")
    return data


def _check_notes(notes: Any, where: str, problem: Any) -> None:
    """Notes are one text, or a list of texts."""
    if isinstance(notes, str) or (
        isinstance(notes, list) and all(isinstance(n, str) for n in notes)
    ):
        return
    raise problem(f'{where}: notes must be text, or a list of text: ["...", "..."]')


def _read_text(file: Path) -> str:
    try:
        raw = read_regular_file(file, MAX_BYTES)
    except (OSError, RuntimeError) as exc:
        raise ArticleSetError(f"{file}: cannot be read ({os_error_reason(exc)})") from None
    if len(raw) > MAX_BYTES:
        raise ArticleSetError(
            f"{file}: too large to be an article (over {MAX_BYTES:,} bytes, the limit)"
        )
    if _looks_utf16(raw):
        raise ArticleSetError(
            f"{file}: is UTF-16 text, which the kit does not read; open it in a text editor and "
            "save it again as UTF-8 (in Notepad: Save as, Encoding: UTF-8)"
        )
    if b"\x00" in raw:
        raise ArticleSetError(f"{file}: is a binary file, not plain text (it contains NUL bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleSetError(
            f"{file}: is not UTF-8 text (byte 0x{raw[exc.start]:02x} at position {exc.start}); "
            "save it as UTF-8 and try again"
        ) from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(text) // 100):
        raise ArticleSetError(f"{file}: looks like a binary file, not plain text")
    text = text.removeprefix("\ufeff")  # a byte-order mark is an encoding detail, not text
    if not text.strip():
        raise ArticleSetError(f"{file}: is empty (no text to read)")
    return text


def _looks_utf16(raw: bytes) -> bool:
    """A UTF-16 byte-order mark, or a NUL byte beside nearly every other byte (plain UTF-16)."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    sample = raw[:4000]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return any(half.count(0) >= 0.9 * len(half) for half in (even, odd)) and sample.count(0) < (
        0.6 * len(sample)
    )


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without its line break."""
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        spans.append((pos, pos + len(body)))
        pos += len(line)
    return spans


def _load_one(
    file: Path, entry: Mapping[str, Any], manifest_path: Path, rules: list[_Rule]
) -> Article:
    text = _read_text(file)
    lines = _line_spans(text)
    paragraphs = tuple(_paragraphs(text, lines))

    if "boilerplate" in entry:
        furniture = []
        for block in entry["boilerplate"]:
            first, last = block["lines"]
            if last > len(lines):
                raise ArticleSetError(
                    f"{manifest_path}: boilerplate lines {first}-{last} for {file.name} run past "
                    f"its last line ({len(lines)})"
                )
            start, end = lines[first - 1][0], lines[last - 1][1]
            furniture.append(Span(start, end, str(block.get("label", "page furniture"))))
    else:
        furniture = _detect_boilerplate(text, lines, rules)

    if "headline" in entry:
        headline = entry["headline"]
        if headline == UNKNOWN:
            head_span = None
        else:
            at = text.find(headline)
            if at < 0:
                raise ArticleSetError(
                    f"{manifest_path}: the headline given for {file.name} does not occur in its "
                    'text; copy it from the file exactly, or write headline = "unknown"'
                )
            head_span = Span(at, at + len(headline), "headline")
    else:
        # The first line that is not page furniture (a file name, a stray counter).
        first = next(
            (p for p in paragraphs if not any(f.start <= p.start < f.end for f in furniture)),
            paragraphs[0],
        )
        headline = text[first.start : first.end]
        head_span = Span(first.start, first.end, "headline")

    found = _text_metadata(text, paragraphs, head_span)
    if "boilerplate" not in entry:  # the manifest's own furniture list is left as it is
        own = [span for key, (span, _) in found.items() if key not in entry and span]
        furniture = _merge([*furniture, *own])
    shown = {key: value for key, (_, value) in found.items() if value}

    return Article(
        id=str(entry.get("id", file.stem)),
        text=text,
        headline=headline,
        headline_span=head_span,
        outlet=entry.get("outlet", shown.get("outlet", UNKNOWN)),
        byline=entry.get("byline", shown.get("byline", UNKNOWN)),
        published=entry.get("published", shown.get("published", UNKNOWN)),
        dateline=entry.get("dateline", UNKNOWN),
        event_date=entry.get("event_date", UNKNOWN),
        boilerplate=tuple(furniture),
        paragraphs=paragraphs,
        sentences=tuple(_sentences(text, paragraphs)),
        notes=_notes(entry.get("notes", ())),
        path=file,
        _furniture=tuple((s.start, s.end) for s in furniture),
    )


# ------------------------------------------------------------------ the text's own metadata

# "By Jane Doe", "BY JANE DOE AND AL ROE", "By Jane Doe, The Daily Planet", "By Jane Doe | Reuters"
_BYLINE = re.compile(
    r"(?:by|BY|By)[ \u00a0]+(?P<name>[A-Z][^\s,|•–—]*(?:[ \u00a0]+[^\s,|•–—]+){0,7}?)"
    r"(?:[ \u00a0]*[,|•–—][ \u00a0]*(?P<outlet>[A-Z0-9][^,|•–—]{1,60}?))?[ \u00a0]*"
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:{_MONTH}[ \u00a0]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \u00a0]+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[ \u00a0]+{_MONTH},?[ \u00a0]+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2})"
)
# A line that is only a date: "Published: Jan. 13, 2026, 10:32 a.m. ET", "Tuesday 13 January 2026"
_DATE_LINE = re.compile(
    r"(?:(?:published|posted|updated|first published)(?:[ \u00a0]+on)?[ \u00a0]*:?[ \u00a0]*)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?[ \u00a0]+)?"
    rf"(?P<date>{_DATE})"
    r"(?:[ \u00a0]*(?:,|at|\||-|–)?[ \u00a0]*\d{1,2}[:.]\d{2}[^\n]{0,20})?[ \u00a0]*",
    re.IGNORECASE,
)
_LOOK_LINES = 6  # the byline and date sit just under the headline


def _text_metadata(
    text: str, paragraphs: tuple[Span, ...], head: Span | None
) -> dict[str, tuple[Span | None, str]]:
    r"""Byline, outlet and date that the text itself shows on lines of their own near the top.

    Returns ``{"byline": (span, "Jane Doe"), ...}``; the spans are the whole lines, marked as
    furniture so detectors do not read "January 13, 2026" as one of the article's figures.

    >>> text = "Headline\nBy Jane Doe, The Bugle\nJanuary 13, 2026\n\nBody."
    >>> found = _text_metadata(text, tuple(_paragraphs(text, _line_spans(text))), None)
    >>> {k: v for k, (_, v) in found.items()}
    {'byline': 'Jane Doe', 'outlet': 'The Bugle', 'published': 'January 13, 2026'}
    """
    found: dict[str, tuple[Span | None, str]] = {}
    # Furniture lines count too: the lexicon already marks "By ..." lines as a byline.
    candidates = [p for p in paragraphs if not (head and p.start == head.start)][:_LOOK_LINES]
    for p in candidates:
        line = text[p.start : p.end]
        if len(line) > 120:
            continue
        byline = _BYLINE.fullmatch(line)
        if byline and "byline" not in found:
            span = Span(p.start, p.end, "byline")
            found["byline"] = (span, byline["name"].strip())
            if byline["outlet"]:
                found["outlet"] = (None, byline["outlet"].strip())
            continue
        date = _DATE_LINE.fullmatch(line)
        if date and "published" not in found:
            found["published"] = (Span(p.start, p.end, "date line"), date["date"])
    return found


# --------------------------------------------------------------------------- segmentation

_WORD = re.compile(r"\w+(?:[’'.-]\w+)*")


def _paragraphs(text: str, lines: list[tuple[int, int]]) -> list[Span]:
    """Every non-blank line is a paragraph (news text files put one paragraph per line)."""
    out = []
    for start, end in lines:
        chunk = text[start:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk) - len(chunk.rstrip())
            out.append(Span(start + lead, end - trail, "paragraph"))
    return out


# A sentence ends at . ! or ? (plus closing quotes/brackets) followed by white space and a
# capital, digit or opening quote; or at a full stop glued to a capitalised word
# ("tensions.China's"), which copy-pasted web text often has.
_SENTENCE_END = re.compile(
    r"""(?<=[.!?])[”’"')\]]*(?=[\s\u00a0]+[“‘"'(\[A-Z0-9])"""
    r"""|(?<=[a-z]{3}[.!?])(?=[A-Z][a-z])"""
)
# Words whose full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    (
        "mr mrs ms dr prof sr jr st gen col lt sgt capt rev hon gov sen rep pres "
        "jan feb mar apr jun jul aug sep sept oct nov dec no vs etc inc ltd co corp dept est "
        "approx fig al u.s u.k u.n e.g i.e"
    ).split()
)


def _sentences(text: str, paragraphs: tuple[Span, ...]) -> list[Span]:
    out = []
    for p in paragraphs:
        start = p.start
        for m in _SENTENCE_END.finditer(text, p.start, p.end):
            cut = m.end()
            before = text[start:cut].rstrip("”’\"')]")
            last_word = re.search(r"([\w.]+)\.$", before)
            if last_word and (
                last_word.group(1).lower() in _ABBREVIATIONS
                or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", last_word.group(1))
            ):
                continue  # "U.S." or "Dr." is not the end of a sentence
            if text[start:cut].strip():
                out.append(_trimmed(text, start, cut))
            start = cut
        if text[start : p.end].strip():
            out.append(_trimmed(text, start, p.end))
    return out


def _trimmed(text: str, start: int, end: int) -> Span:
    chunk = text[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    trail = len(chunk) - len(chunk.rstrip())
    return Span(start + lead, end - trail, "sentence")


# --------------------------------------------------------------------------- page furniture


@dataclass(frozen=True, slots=True)
class _Rule:
    id: str
    label: str
    pattern: re.Pattern[str]
    extent: str  # "line" or "to-end"


_EXTENTS = ("line", "to-end")


def _boilerplate_rules() -> list[_Rule]:
    relative = "lexicons/boilerplate.toml"
    where = data_dir() / relative
    try:
        data = read_data_toml(relative)
    except DataFileError as exc:
        raise ArticleSetError(str(exc)) from None
    rules = []
    for i, rule in enumerate(data.get("rule", []), start=1):
        try:
            extent = rule.get("extent", "line")
            if extent not in _EXTENTS:
                near = difflib.get_close_matches(str(extent), _EXTENTS, n=1)
                raise ValueError(
                    f"extent {extent!r} is not one of {_EXTENTS}"
                    + (f" (did you mean {near[0]!r}?)" if near else "")
                )
            rules.append(
                _Rule(
                    id=rule["id"],
                    label=rule.get("label", rule["id"]),
                    pattern=re.compile(rule["pattern"], re.IGNORECASE),
                    extent=extent,
                )
            )
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise ArticleSetError(f"{where}: rule {i} is malformed: {exc}") from None
    return rules


def _detect_boilerplate(text: str, lines: list[tuple[int, int]], rules: list[_Rule]) -> list[Span]:
    """Mark page-furniture lines named in ``data/lexicons/boilerplate.toml``."""
    found: list[Span] = []
    for start, end in lines:
        line = text[start:end].strip().replace("\u00a0", " ")
        if not line:
            continue
        for rule in rules:
            if rule.pattern.fullmatch(line):
                if rule.extent == "to-end":
                    tail_end = len(text.rstrip())
                    found.append(Span(start, max(tail_end, end), rule.label))
                    return _merge(found)
                found.append(Span(start, end, rule.label))
                break
    return _merge(found)


def _merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        if out and s.start <= out[-1].end:
            last = out.pop()
            out.append(Span(last.start, max(last.end, s.end), last.label))
        else:
            out.append(s)
    return out
