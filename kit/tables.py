"""Tables of evidence: any detector's hits shown as paragraph, words, kind and reason.

>>> article = kit.load_articles()["C"]
>>> list(evidence_table(article, kit.find_attributions(article)).columns)[:3]
['paragraph', 'evidence', 'kind']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from kit.articles import Article

__all__ = [
    "evidence_rows",
    "evidence_table",
    "headlines_table",
    "overview_table",
    "scorecard",
    "scorecard_rows",
]

_EXTRA_FIELDS = ("source", "attributed", "quoted", "value")


def evidence_rows(article: Article, hits: Iterable[Any], *, extra: Sequence[str] = _EXTRA_FIELDS):
    """One dict per hit: paragraph number, the exact words, kind, reason, and extra fields.

    >>> article = kit.load_articles()["A"]
    >>> evidence_rows(article, kit.find_attributions(article))[0]["paragraph"]  # the headline
    1
    """
    rows = []
    for hit in hits:
        row = {
            "paragraph": article.paragraph_number(hit.start),
            "evidence": " ".join(article.text[hit.start : hit.end].split()),
            "kind": hit.kind,
        }
        for name in extra:
            if hasattr(hit, name):
                value = getattr(hit, name)
                row[name] = "" if value is None else value
        row["reason"] = hit.reason
        rows.append(row)
    return rows


def evidence_table(article: Article, hits: Iterable[Any], *, extra: Sequence[str] = _EXTRA_FIELDS):
    """`evidence_rows` as a styled pandas table, ready to show in a lesson.

    Article text is escaped (it is data, never markup), and long reasons wrap instead of
    being cut off. ``.data`` is the underlying DataFrame.

    >>> article = kit.load_articles()["C"]
    >>> evidence_table(article, kit.find_attributions(article)).data.shape[0] > 0
    True
    """
    import pandas as pd

    rows = evidence_rows(article, hits, extra=extra)
    frame = pd.DataFrame(
        rows, columns=None if rows else ["paragraph", "evidence", "kind", "reason"]
    )
    return (
        frame.style.format(escape="html")
        .hide(axis="index")
        .set_properties(subset=["reason"], **{"white-space": "normal", "text-align": "left"})
        .set_properties(subset=["evidence"], **{"font-weight": "bold", "text-align": "left"})
    )


def overview_table(articles):
    """What each article's text shows about itself, and what it leaves unknown (styled table).

    >>> overview_table(kit.load_articles()).data["id"].tolist()
    ['A', 'B', 'C', 'D', 'E']
    """
    import pandas as pd

    return _styled(pd.DataFrame(articles.summary()), wrap=["headline", "unknown"])


def headlines_table(articles):
    """The headlines side by side: who acts, the verb, what is claimed, whose side (styled table).

    >>> headlines_table(kit.load_articles()).data.shape[0]
    5
    """
    import pandas as pd

    from kit.framing import analyze_headlines

    rows = [
        {
            "article": h.article_id,
            "headline": h.headline,
            "actor": h.actor or "—",
            "verb": h.verb or "—",
            "what is claimed": h.claim or "—",
            "actor's side": h.side,
            "framing words": ", ".join(c.term for c in h.cues) or "—",
        }
        for h in analyze_headlines(articles)
    ]
    return _styled(pd.DataFrame(rows), wrap=["headline", "what is claimed"])


def scorecard_rows(articles) -> list[dict[str, Any]]:
    """One row per article summing up what the detectors found (hints, not verdicts).

    >>> scorecard_rows(kit.load_articles())[0]["article"]
    'A'
    """
    from kit.compare import find_contradictions
    from kit.figures import find_figures
    from kit.framing import find_framing
    from kit.sources import find_attributions

    clashes: dict[str, int] = {}
    for c in find_contradictions(articles):
        for side in (c.a, c.b):
            clashes[side.article_id] = clashes.get(side.article_id, 0) + 1
    rows = []
    for a in articles:
        sources = find_attributions(a)
        figures = find_figures(a)
        framing = [c for c in find_framing(a) if not c.quoted]
        named = sum(h.kind == "named" for h in sources)
        anonymous = sum(h.kind == "anonymous" for h in sources)
        rows.append(
            {
                "article": a.id,
                "words": a.word_count,
                "sources": len(sources),
                "named people": named,
                "anonymous": anonymous,
                "anonymous share": f"{anonymous / len(sources):.0%}" if sources else "—",
                "figures": len(figures),
                "figures with no source": sum(not f.attributed for f in figures),
                "writer's loaded words": sum(c.kind == "loaded" for c in framing),
                "hedges": sum(c.kind == "hedge" for c in framing),
                "disagreements with others": clashes.get(a.id, 0),
            }
        )
    return rows


def scorecard(articles):
    """`scorecard_rows` as a styled table for the last lesson.

    >>> scorecard(kit.load_articles()).data["article"].tolist()
    ['A', 'B', 'C', 'D', 'E']
    """
    import pandas as pd

    return _styled(pd.DataFrame(scorecard_rows(articles)), wrap=[])


def _styled(frame, *, wrap: Sequence[str]):
    style = frame.style.format(escape="html").hide(axis="index")
    if wrap:
        style = style.set_properties(
            subset=list(wrap), **{"white-space": "normal", "text-align": "left"}
        )
    return style
