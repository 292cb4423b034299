"""Tables of evidence: any detector's hits shown as paragraph, words, kind and reason.

>>> article = kit.load_articles()["C"]
>>> list(evidence_table(article, kit.find_attributions(article)).columns)[:3]
['paragraph', 'evidence', 'kind']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from kit.articles import Article

__all__ = [
    "clean_cut",
    "contradictions_list",
    "evidence_rows",
    "evidence_table",
    "headlines_table",
    "notes_table",
    "overview_table",
    "scorecard",
    "scorecard_rows",
    "tidy_table",
    "title_line",
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
        frame.style.format(_human, escape="html")
        .hide(axis="index")
        .set_properties(subset=["reason"], **{"white-space": "normal", "text-align": "left"})
        .set_properties(subset=["evidence"], **{"font-weight": "bold", "text-align": "left"})
        .set_table_styles(  # headings of the text columns sit over their text, at the left
            [
                {"selector": f"th.col{list(frame.columns).index(c)}", "props": "text-align:left"}
                for c in ("evidence", "reason")
                if c in frame.columns
            ]
        )
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


def tidy_table(frame, *, wrap: Sequence[str] | None = None):
    """Any table as a person would write it: 142,000,000,000 not 142000000000.000000, Yes/No.

    Missing cells show "—"; text is escaped (it is data, never markup).

    >>> import pandas as pd
    >>> tidy_table(pd.DataFrame({"n": [1.5e11], "ok": [True]})).to_html().count("Yes")
    1
    """
    if frame.index.name is not None or any(frame.index.names):
        frame = frame.reset_index()
    if wrap is None:  # text columns wrap and read from the left; numbers stay right
        from pandas.api.types import is_numeric_dtype

        wrap = [c for c in frame.columns if not is_numeric_dtype(frame[c])]
    return _styled(frame, wrap=wrap)


def clean_cut(text: str, limit: int = 100) -> str:
    """``text`` on one line, cut at a word boundary before ``limit`` characters, with "…".

    >>> clean_cut("Beijing urged Canada to choose its own path", 20)
    'Beijing urged Canada…'
    """
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    cut = words[: limit + 1].rsplit(" ", 1)[0] if " " in words[:limit] else words[:limit]
    return cut.rstrip(" ,;:-–—") + "…"


def title_line(article: Article) -> str:
    """How a lesson names an article: its headline, or its first words when it has none.

    >>> title_line(kit.load_articles()["A"]).startswith("Article A: China Urges")
    True
    """
    if article.headline and article.headline != "unknown":
        return f"Article {article.id}: {article.headline}"
    first = article.body_sentences[0] if article.body_sentences else None
    start = clean_cut(article.span_text(first), 60) if first else ""
    begins = f", it begins “{start}”" if start else ""
    return f"Article {article.id} (no headline{begins})"


_LINE = re.compile(r"\b(on )?([Ll])ine (\d+)")


def _line_to_paragraph(article: Article, note: str) -> str:
    """ "line 3" in an editor's note -> the paragraph number the reader shows for that line."""
    starts = [0] + [m.end() for m in re.finditer("\n", article.text)]

    def swap(m: re.Match) -> str:
        n = int(m.group(3))
        if not 1 <= n <= len(starts):
            return m.group(0)
        offset = starts[n - 1]
        number = article.paragraph_number(offset)
        if number is None:  # a blank line: the next paragraph
            later = [i for i, p in enumerate(article.paragraphs, 1) if p.start >= offset]
            number = later[0] if later else None
        if number is None:
            return m.group(0)
        word = "Paragraph" if m.group(2) == "L" else "paragraph"
        return f"{'in ' if m.group(1) else ''}{word} {number}"

    return _LINE.sub(swap, note)


def notes_table(articles):
    """The editor's notes on each text's odd details, citing the reader's paragraph numbers.

    Articles with no notes get no row; a set with no notes at all says so.

    >>> notes_table(kit.load_articles()).data.columns.tolist()
    ['article', 'note']
    """
    import pandas as pd

    rows = [
        {"article": a.id, "note": _line_to_paragraph(a, note)} for a in articles for note in a.notes
    ]
    if not rows:
        rows = [{"article": "—", "note": "This set's manifest has no editor's notes."}]
    return _styled(pd.DataFrame(rows), wrap=["note"])


def _human(value: Any) -> str:
    """One cell in plain words: whole numbers without decimals, thousands grouped, Yes/No."""
    import math
    from numbers import Number

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "Yes" if value else "No"
    if isinstance(value, Number) and not isinstance(value, complex):
        number = float(value)
        group = "," if abs(number) >= 10_000 else ""  # 2025 is a year, 18,000 a count
        if number.is_integer():
            return f"{int(number):{group}}"
        return f"{number:{group}.2f}".rstrip("0").rstrip(".")
    return _human_date(str(value))


_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_ISO_DATE = re.compile(r"^(?:(\d{4})|-)-(\d{2})(?:-(\d{2}))?$")


def _human_date(text: str) -> str:
    """A detector's ISO date as a person writes it: "14 January 2026", "3 March", "January".

    >>> [_human_date(t) for t in ("2026-01-14", "--03-03", "--01", "Monday")]
    ['14 January 2026', '3 March', 'January', 'Monday']
    """
    m = _ISO_DATE.match(text)
    if m is None or not 1 <= int(m[2]) <= 12:
        return text
    year, month, day = m[1], _MONTHS[int(m[2]) - 1], m[3]
    return " ".join(p for p in (str(int(day)) if day else "", month, year or "") if p)


def contradictions_list(articles_or_clashes) -> Any:
    """What the articles disagree about, one plain sentence each, as an HTML list.

    Takes an article set (and finds the contradictions) or a list of them already found.
    Each line says which paragraphs to read; text is escaped, and nothing is cut mid-word.

    >>> "<li>" in contradictions_list(kit.load_articles())._repr_html_()
    True
    """
    import html

    from IPython.display import HTML

    from kit.articles import ArticleSet
    from kit.compare import find_contradictions

    if isinstance(articles_or_clashes, ArticleSet):
        articles = articles_or_clashes
        clashes = find_contradictions(articles)
    else:
        articles, clashes = None, list(articles_or_clashes)
    if not clashes:
        return HTML(
            "<p>The kit found no two articles in this set that disagree about the same fact. "
            "That is a hint, not a verdict: read them side by side yourself.</p>"
        )
    items = []
    for c in clashes:
        where = ""
        if articles is not None:
            spots = [
                f"article {side.article_id}, paragraph "
                f"{articles[side.article_id].paragraph_number(side.start)}"
                for side in (c.a, c.b)
            ]
            where = f' <span style="color:#555">(read {" and ".join(spots)})</span>'
        items.append(f"<li>{html.escape(c.reason)}{where}</li>")
    count = f"{len(clashes)} {'disagreement' if len(clashes) == 1 else 'disagreements'}"
    return HTML(
        f"<p><strong>{count}</strong> between the articles:</p>"
        f'<ul style="white-space:normal;line-height:1.5">{"".join(items)}</ul>'
    )


def _styled(frame, *, wrap: Sequence[str]):
    style = frame.style.format(_human, escape="html").hide(axis="index")
    if wrap:
        style = style.set_properties(
            subset=list(wrap), **{"white-space": "normal", "text-align": "left"}
        ).set_table_styles(  # a wrapped column's heading sits over its text, at the left
            [
                {"selector": f"th.col{list(frame.columns).index(c)}", "props": "text-align:left"}
                for c in wrap
                if c in frame.columns
            ],
        )
    return style
