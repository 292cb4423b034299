"""Word lists as data: load the commented TOML lexicons in ``data/lexicons/``.

A lexicon file looks like this::

    # Where these words come from, and how to extend them.
    [lexicon]
    name = "hedges"
    source = "Wikipedia, 'Manual of Style/Words to watch' (weasel words); kit authors' curation"

    [[entry]]
    id = "modal"
    reason = "'{term}' says something might happen, not that it did."
    terms = ["could", "may", "might"]

Every detector hit carries the ``reason`` of the entry that matched, so an instructor who
adds a word also writes why it matters.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kit._data import DataFileError, data_dir, read_toml

__all__ = ["Lexicon", "LexiconEntry", "LexiconError", "load_lexicon", "prefix_tree_regex"]

WHITESPACE = r"[\s\u00a0]+"


def prefix_tree_regex(
    words: Iterable[str], *, space: str = WHITESPACE, apostrophes: str = ""
) -> str:
    """A regex matching any of ``words``, shaped as a prefix tree; longer matches win.

    A flat alternation of several hundred words makes the regex engine try every word at
    every position (about 2 ms on a 3 KB article); sharing prefixes cuts that tenfold.
    A space in a word matches ``space``; each character of ``apostrophes`` matches any of
    them (so a straight and a curly apostrophe are the same).

    >>> re.fullmatch(prefix_tree_regex(["said", "says", "say so"]), "say\u00a0so") is not None
    True
    """
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    # an alternation, not a class: a class with a character past U+00FF ("\u2019") costs
    # the regex compiler a 64K table every time it appears
    either = "(?:" + "|".join(map(re.escape, apostrophes)) + ")" if apostrophes else ""

    def atom(ch: str) -> str:
        if ch == " ":
            return space
        if ch in apostrophes:
            return either
        return re.escape(ch)

    def build(node: dict[str, Any]) -> str:
        branches = [atom(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


_ENTRY_KEYS = {"id", "reason", "terms", "kind", "patterns", "note", "side"}
_HEAD_KEYS = {"name", "source", "description", "license"}


class LexiconError(DataFileError):
    """A lexicon file is missing or malformed; the message names the file and the line."""


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One group of terms that share a reason (and optionally a kind)."""

    id: str
    reason: str
    terms: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()  # regular expressions, for rules words cannot express
    kind: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def explain(self, term: str) -> str:
        """The reason with ``{term}`` filled in."""
        return self.reason.replace("{term}", term)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """A named list of entries loaded from ``data/lexicons/<name>.toml``."""

    name: str
    source: str
    entries: tuple[LexiconEntry, ...]

    def __iter__(self) -> Iterator[LexiconEntry]:
        return iter(self.entries)

    def __getitem__(self, entry_id: str) -> LexiconEntry:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        raise KeyError(f"lexicon {self.name!r} has no entry {entry_id!r}")

    def term_index(self) -> dict[str, LexiconEntry]:
        """Lower-cased term -> the entry it belongs to (first entry wins)."""
        index: dict[str, LexiconEntry] = {}
        for entry in self.entries:
            for term in entry.terms:
                index.setdefault(term.lower(), entry)
        return index

    def alternation(self, *, entries: tuple[str, ...] | None = None) -> str:
        """A regex matching any term (longest wins), tolerant of non-breaking spaces.

        >>> re.fullmatch(load_lexicon("speech_verbs").alternation(), "said") is not None
        True
        """
        terms = {
            " ".join(t.split())
            for e in self.entries
            if entries is None or e.id in entries
            for t in e.terms
        }
        return prefix_tree_regex(terms)


def _line_of(raw: str, needle: str, occurrence: int = 1) -> int | None:
    for number, line in enumerate(raw.splitlines(), start=1):
        if needle in line:
            occurrence -= 1
            if not occurrence:
                return number
    return None


def load_lexicon(name: str) -> Lexicon:
    """Load ``data/lexicons/<name>.toml`` (parsed once per version of the file).

    >>> load_lexicon("speech_verbs").name
    'speech_verbs'
    """
    relative = f"lexicons/{name}.toml"
    path = data_dir() / relative
    if not path.is_file():
        known = sorted(p.stem for p in (data_dir() / "lexicons").glob("*.toml"))
        near = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else f" (known: {', '.join(known)})"
        raise LexiconError(f"{path}: no such lexicon{hint}")
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = -1
    return _load_cached(name, path, stamp)


@cache
def _load_cached(name: str, path: Path, stamp: int) -> Lexicon:
    # Keyed on the file's modification time: an instructor's edit is picked up on the next
    # call, and the detectors' per-article calls cost a dictionary look-up.
    try:
        data = read_toml(path)
    except DataFileError as exc:
        raise LexiconError(str(exc)) from None
    return _build(name, path, data)


def _build(name: str, path: Path, data: dict[str, Any]) -> Lexicon:
    raw = path.read_text(encoding="utf-8")

    def fail(msg: str, needle: str | None = None, occurrence: int = 1) -> LexiconError:
        line = _line_of(raw, needle, occurrence) if needle else None
        where = f"{path}, line {line}" if line else str(path)
        return LexiconError(f"{where}: {msg}")

    def unknown(key: str, allowed: set[str]) -> LexiconError:
        near = difflib.get_close_matches(key, sorted(allowed), n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        return fail(f"unknown key {key!r}{hint}", f"{key} =")

    head = data.get("lexicon", {})
    for key in head:
        if key not in _HEAD_KEYS:
            raise unknown(key, _HEAD_KEYS)
    if not head.get("source"):
        raise fail('the [lexicon] table must say where its words come from (source = "...")')
    entries = []
    for i, item in enumerate(data.get("entry", []), start=1):
        entry_id = item.get("id")
        if not isinstance(entry_id, str) or not entry_id:
            raise fail(f'entry {i} needs an id = "..."')
        if any(e.id == entry_id for e in entries):
            # a second entry with the same id would silently stand in for the first
            raise fail(
                f"entry {i}: the id {entry_id!r} is used twice; give it a new one",
                f'"{entry_id}"',
                occurrence=2,
            )
        extra = {k: v for k, v in item.items() if k not in _ENTRY_KEYS}
        for key in extra:
            if not key.startswith("x_"):  # x_ keys are free for a detector's own settings
                raise unknown(key, _ENTRY_KEYS)
        reason = item.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise fail(f'entry {entry_id!r} needs a reason = "..."', f'"{entry_id}"')
        terms = item.get("terms", [])
        patterns = item.get("patterns", [])
        if not all(isinstance(t, str) and t.strip() for t in terms):
            raise fail(f"entry {entry_id!r}: terms must be a list of words", f'"{entry_id}"')
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise fail(f"entry {entry_id!r}: bad pattern {pattern!r}: {exc}", pattern) from None
        entries.append(
            LexiconEntry(
                id=entry_id,
                reason=reason.strip(),
                terms=tuple(t.strip() for t in terms),
                patterns=tuple(patterns),
                kind=str(item.get("kind", "")),
                extra={**extra, **({"side": item["side"]} if "side" in item else {})},
            )
        )
    return Lexicon(name=name, source=str(head["source"]), entries=tuple(entries))
