"""The class report: a class view (`kit.ClassView`) as one standalone HTML file.

The file needs nothing else to open: no network, no script. Charts are rendered to SVG
(vl-convert bundles Vega, so this works offline) and embedded as ``data:`` images, which a
browser never runs scripts from. All text goes through a Jinja2 template with autoescaping,
so a learner's name, note or file name is shown as text, never read as markup, and a
Content-Security-Policy forbids scripts, frames and outside requests.

>>> import kit, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     html = class_report(kit.class_view(folder, kit.load_articles()), charts=False)
>>> "Content-Security-Policy" in html and "<script" not in html
True
"""

from __future__ import annotations

import base64
import datetime as _dt
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kit.classview import ClassView

__all__ = ["CSP", "class_report"]

CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)

_TEMPLATE = Path(__file__).with_name("templates") / "class_report.html.j2"


def class_report(view: ClassView, *, title: str = "Class report", charts: bool = True) -> str:
    """The class view as one HTML page; ``charts=False`` leaves out the (slower) charts.

    Every string from a learner file (names, notes, file names, highlighted words) is
    escaped by the template; the page holds no script.
    """
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    from kit.marking import _tag_words, _words_for

    words = _tag_words()
    label = lambda tag: _words_for(tag, words).label  # noqa: E731
    agreement = [
        (label(t), "not enough data" if math.isnan(a) else f"{a:.2f}")
        for t, a in view.agreement.items()
    ]
    missed = [
        {
            "article": s.item.article_id,
            "exact": s.item.exact,
            "tag": label(s.item.tag),
            "found_by": s.found_by,
            "learners": s.learners,
            "why": s.explanation,
        }
        for s in view.most_missed(15)
    ]
    return env.from_string(_TEMPLATE.read_text(encoding="utf-8")).render(
        csp=CSP,
        title=title,
        set_title=view.articles.title,
        n_articles=len(view.articles),
        n_learners=len(view.learners),
        skipped=view.skipped,
        against=view.against,
        made=_dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        agreement_note=view.agreement_note,
        agreement=agreement,
        charts=_charts(view) if charts else [],
        missed=missed,
        learners=_learner_rows(view),
        gains=_gains(view),
    )


def _gains(view: ClassView) -> dict[str, Any] | None:
    """The pre- and post-check table (and per-item rows) for the template; None if no data."""
    from kit.prepost import GAINS_NOTE, GAINS_TITLE, _pct, _points

    gains, problem = view.gains, view.gains_problem
    if not problem and (gains is None or not gains.any_data()):
        return None
    rows = gains.rows if gains is not None else []
    return {
        "title": GAINS_TITLE,
        "note": GAINS_NOTE,
        "problem": problem,
        "demo": view.demo,
        "lessons": [
            {
                "lesson": r.lesson,
                "skill": r.skill,
                "learners": r.learners,
                "before": _pct(r.pre_percent),
                "after": _pct(r.post_percent),
                "gain": _points(r.gain),
                "pre_only": r.pre_only,
                "post_only": r.post_only,
            }
            for r in rows
        ],
        "item_rows": [
            {"lesson": r.lesson, "phase": p, "id": i, "right": _pct(v), "learners": n}
            for r in rows
            for p, i, v, n in r.items
        ],
        "skipped": gains.skipped if gains is not None else [],
    }


def _learner_rows(view: ClassView) -> list[dict[str, Any]]:
    totals: dict[str, dict[str, Any]] = {}
    for row in view.summary():
        t = totals.setdefault(
            row["learner"],
            {
                "name": row["name"],
                "articles": row["articles"],
                "highlights": 0,
                "found": 0,
                "missed": 0,
            },
        )
        t["highlights"] += row["highlights"]
        t["found"] += row.get("found", 0)
        t["missed"] += row.get("missed", 0)
    for name, t in totals.items():
        notes = [a.note for a in view.annotations.get(name, []) if a.note]
        t["notes"] = "; ".join(notes[:3]) + (" …" if len(notes) > 3 else "")
    return list(totals.values())


def _svg(chart: Any) -> str:
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(chart.to_dict())
    return base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _charts(view: ClassView) -> list[dict[str, str]]:
    out = []
    if any(not math.isnan(a) for a in view.agreement.values()):
        out.append(
            {
                "data": _svg(view.agreement_chart()),
                "alt": "Bar chart of agreement between learners for each tag",
                "caption": "Agreement between learners for each tag (1 = everyone marked the "
                "same sentences, 0 = no better than chance).",
            }
        )
    for article in view.articles:
        if not any(article.id in worked for worked in view.worked.values()):
            continue
        out.append(
            {
                "data": _svg(view.heatmap(article=article.id)),
                "alt": f"Heat map of the sentences of article {article.id} learners marked",
                "caption": f"Article {article.id}: how many learners marked each sentence with "
                "each tag, next to the answer key and the kit's hints.",
            }
        )
    return out
