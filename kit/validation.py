"""Is an article set ready to teach with? (``kit validate``)

`validate_set` loads the set and its answer key and lists every problem (things to fix before
class) and note (worth knowing, not wrong): metadata given or "unknown" for each article,
unique article ids, every key quote still in its article, no item listed twice, no item left
a draft.

>>> result = validate_set("tests/fixtures/sets/harbour-bridge")
>>> result.problems
[]
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kit.articles import MANIFEST_NAME, ArticleSetError, load_articles

__all__ = ["ValidationResult", "validate_set"]

_METADATA = ("headline", "outlet", "byline", "published")


@dataclass
class ValidationResult:
    """Problems (to fix) and notes (to know) about one article set and its key."""

    folder: Path
    key: Path | None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report, one line each, problems first."""
        out = [f"article set {self.folder}" + (f", key {self.key}" if self.key else "")]
        out += [f"  PROBLEM: {p}" for p in self.problems]
        out += [f"  note: {n}" for n in self.notes]
        verdict = (
            f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''} to fix"
            if self.problems
            else "ready to teach with"
        )
        out.append(verdict)
        return out


def validate_set(folder: str | Path, *, key_path: str | Path | None = None) -> ValidationResult:
    """Check the set in ``folder`` and its key (default ``data/keys/<name>.toml``)."""
    from kit.importing import EXAMPLE_NAME
    from kit.scaffold import default_key_path

    folder = Path(folder)
    key = Path(key_path) if key_path is not None else default_key_path(folder)
    result = ValidationResult(folder, key if key.exists() else None)
    try:
        articles = load_articles(folder)
    except ArticleSetError as exc:
        result.problems.append(str(exc))
        return result
    result.notes.append(f"{len(articles)} articles: {', '.join(articles.ids)}")
    _check_manifest(folder, articles, result)
    if any(a.path is not None and a.path.name == EXAMPLE_NAME for a in articles):
        result.notes.append(
            f"the example article ({EXAMPLE_NAME}) is still in the set; delete it and its "
            "[[article]] table when your own articles are in"
        )
    if not key.exists():
        result.notes.append(
            f"no answer key at {key}: lessons will compare learners with the kit's hints "
            "(make one with `kit key`)"
        )
        return result
    _check_key(key, articles, folder, result)
    return result


def _check_manifest(folder: Path, articles, result: ValidationResult) -> None:
    manifest = folder / MANIFEST_NAME
    if not manifest.exists():
        result.notes.append(
            "no manifest.toml: outlet, byline and date show as unknown for every article"
        )
        return
    from kit._data import read_toml

    entries = read_toml(manifest).get("article", [])
    listed = {e.get("file") for e in entries}
    for n, entry in enumerate(entries, start=1):
        name = entry.get("id", entry.get("file", f"article {n}"))
        for field_name in _METADATA:
            value = entry.get(field_name)
            if value is None:
                result.problems.append(
                    f"{manifest}: article {name!r} has no {field_name!r}; write the value "
                    f'the text shows, or {field_name} = "unknown"'
                )
            elif not str(value).strip():
                result.problems.append(
                    f'{manifest}: article {name!r} has an empty {field_name!r}; write "unknown" '
                    "if the text does not say"
                )
    for a in articles:
        if a.path is not None and a.path.name not in listed:
            result.notes.append(f"{a.path.name} is not in manifest.toml (its details are unknown)")
    ids = Counter(a.id for a in articles)
    for aid, count in ids.items():
        if count > 1:
            result.problems.append(f"{manifest}: article id {aid!r} is used {count} times")


def _check_key(key: Path, articles, folder: Path, result: ValidationResult) -> None:
    from kit.keys import AnswerKeyError, key_problems, load_key

    for problem in key_problems(key, articles):
        result.problems.append(problem)
    if result.problems:
        return
    try:
        loaded = load_key(key, articles=articles)
    except AnswerKeyError as exc:  # pragma: no cover - key_problems reported it
        result.problems.append(str(exc))
        return
    if loaded.set_name != folder.name:
        result.problems.append(
            f"{key}: [key] says set = {loaded.set_name!r}, but the folder is {folder.name!r}"
        )
    twice = Counter((i.article_id, i.start, i.end, i.tag) for i in loaded.items)
    for (aid, start, end, tag), count in twice.items():
        if count > 1:
            words = articles[aid].text[start:end]
            result.problems.append(f"{key}: {tag} {words!r} in {aid!r} is listed {count} times")
    drafts = [i for i in loaded.items if i.draft]
    if drafts:
        result.problems.append(
            f"{key}: {len(drafts)} of {len(loaded)} items are still draft = true; confirm each "
            "(delete its draft line) or delete it"
        )
    result.notes.append(
        f"key: {len(loaded)} items, {len(loaded.contradictions)} contradictions, "
        f"every quote found in its article"
    )
