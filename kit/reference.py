"""The reference desk: checked facts with their public sources, shown to learners offline.

>>> desk = reference_desk()
>>> len(desk.facts) > 0
True
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from kit.keys import ReferenceFact, load_reference

__all__ = ["ReferenceDesk", "reference_desk"]

_STATUS = {
    "confirmed": ("✔ confirmed", "#0b6e4f"),
    "disputed": ("⚠ disputed", "#a33c00"),
    "unverifiable": ("? could not be checked", "#555"),
}


@dataclass(frozen=True)
class ReferenceDesk:
    """Facts of one article set; shows as a readable list with linked sources."""

    set_name: str
    facts: tuple[ReferenceFact, ...]

    def __getitem__(self, fact_id: str) -> ReferenceFact:
        for fact in self.facts:
            if fact.id == fact_id:
                return fact
        raise KeyError(
            f"no fact {fact_id!r} on the reference desk "
            f"(ids: {', '.join(f.id for f in self.facts)})"
        )

    def search(self, words: str) -> list[ReferenceFact]:
        """Facts whose topic or finding mentions every word of ``words`` (case ignored).

        >>> [f.id for f in reference_desk().search("trading partner")][:1] != []
        True
        """
        wanted = words.casefold().split()
        return [
            f for f in self.facts if all(w in f"{f.topic} {f.finding}".casefold() for w in wanted)
        ]

    def about(self, words: str) -> ReferenceDesk:
        """Only the facts that mention every word of ``words``, ready to display.

        >>> len(reference_desk().about("text comes from").facts) >= 1
        True
        """
        return ReferenceDesk(self.set_name, tuple(self.search(words)))

    def _repr_html_(self) -> str:
        if not self.facts:
            return (
                f"<p>The reference desk for the set {html.escape(self.set_name)!s} has no facts "
                "on this. An instructor can add checked facts in data/reference/.</p>"
            )
        parts = [
            '<div class="kit-reference" style="max-width:52em;font-size:0.95em">',
            f"<p><b>Reference desk</b>: {len(self.facts)} checked facts. Follow the links to "
            "read each source yourself.</p>",
        ]
        for fact in self.facts:
            label, colour = _STATUS.get(fact.status, (fact.status, "#555"))
            parts.append(
                '<details style="margin:0.4em 0;border-left:4px solid '
                f'{colour};padding-left:0.6em"><summary><b>{html.escape(fact.topic)}</b> '
                f'<span style="color:{colour}">{html.escape(label)}</span></summary>'
                f"<p>{html.escape(fact.finding)}</p><ul>"
            )
            for src in fact.sources:
                url = html.escape(src.url, quote=True)
                link = (
                    f'<a href="{url}" target="_blank" rel="noopener noreferrer">'
                    f"{html.escape(src.title)}</a>"
                    if src.url.startswith(("https://", "http://"))
                    else html.escape(src.title)
                )
                note = f" — {html.escape(src.note)}" if src.note else ""
                byline = f" ({html.escape(src.byline)})" if src.byline else ""
                parts.append(
                    f"<li>{html.escape(src.publisher)}{byline}, {link}, "
                    f"{html.escape(src.date)}{note}</li>"
                )
            parts.append("</ul></details>")
        parts.append("</div>")
        return "".join(parts)

    def __repr__(self) -> str:
        return f"ReferenceDesk({self.set_name!r}, {len(self.facts)} facts)"


def reference_desk(name: str | None = None) -> ReferenceDesk:
    """The reference desk of an article set (default: the course's set), ready to display.

    >>> reference_desk().set_name
    'carney-beijing-2026'
    >>> reference_desk("a-set-with-no-desk").facts
    ()
    """
    from kit._data import data_dir
    from kit.articles import course_articles_path

    set_name = name or course_articles_path().name
    if not (data_dir() / "reference" / f"{set_name}.toml").is_file():
        return ReferenceDesk(set_name, ())  # an instructor's set may have no desk yet
    return ReferenceDesk(set_name, tuple(load_reference(set_name)))
