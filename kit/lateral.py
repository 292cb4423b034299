"""Lateral reading practised: leave the article to check one of its claims, move by move.

Fact-checkers do not judge a page by reading it more closely; they leave it and see what
other sources say. Mike Caulfield named four moves for this, SIFT
(https://hapgood.us/2019/06/19/sift-the-four-moves/): **Stop**, **Investigate the source**,
**Find better coverage**, **Trace** claims, quotes and media to the original context. Here
the other articles of the set stand in for "better coverage" and the course's reference desk
stands in for the open web, so the task runs offline.

The claims come from the kit's own detectors: figures no one is credited for
(``kit.find_figures``) and the places where two articles disagree
(``kit.find_contradictions``), with the claims other articles also report first. The logic
(claims, coverage, desk search, marking) is plain functions; `LateralReading` is the widget.

>>> from kit._data import data_dir
>>> from kit.articles import load_articles
>>> claims = claims_to_check(load_articles(data_dir() / "articles" / "carney-beijing-2026"))
>>> claims[0].others_report
True
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from kit.articles import UNKNOWN, Article, ArticleSet
from kit.checks import Shown

if TYPE_CHECKING:
    from kit.compare import Contradiction, CoverageMatrix
    from kit.figures import Figure
    from kit.keys import AnswerKey, KeyItem, ReferenceFact
    from kit.reference import ReferenceDesk
    from kit.sources import Attribution

__all__ = [
    "COVERAGE_CHOICES",
    "SOURCE_CHOICES",
    "STOP_CHOICES",
    "VERDICTS",
    "ClaimToCheck",
    "LateralReading",
    "OtherReport",
    "StepFeedback",
    "claim_html",
    "claim_text",
    "claims_to_check",
    "coverage_for",
    "facts_html",
    "feedback_html",
    "lateral_reading",
    "mark_coverage",
    "mark_source",
    "mark_stop",
    "mark_trace",
    "no_desk_message",
    "others_html",
    "search_desk",
]

KIND_UNSOURCED, KIND_CONTRADICTION = "unsourced figure", "contradiction"
SECTION = "lateral"  # the learner's progress file keeps the answers under this name
STOP_CHOICES = ("I know this outlet", "I don't know this outlet", "I can't tell from the page")
SOURCE_CHOICES = (
    "a named person or organization",
    'a vague source ("officials", "data", "estimates")',
    "no one",
)
COVERAGE_CHOICES = ("they agree", "they disagree", "they don't mention it")
VERDICTS = ("confirmed", "disputed", "can't be checked")
NO_FACT = "(none of these matches)"

RIGHT, WRONG, OPEN, UNMARKED = "right", "not quite", "your call", "not marked"
AGREES, DISAGREES, SILENT = "agrees", "disagrees", "does not mention it"
# the answer key's verdict on a claim -> the verdict a learner should reach
_KEY_VERDICT = {
    "accurate": "confirmed",
    "false": "disputed",
    "misleading": "disputed",
    "unverifiable": "can't be checked",
}
_STATUS_VERDICT = {"confirmed": "confirmed", "disputed": "disputed", "unverifiable": VERDICTS[2]}
_CREDITED_KINDS = ("named", "organization")  # attribution kinds a reader can look up
_WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True, slots=True)
class OtherReport:
    """What one other article says about a claim's fact.

    ``says`` is that article's own words for it and ``sentence`` the (start, end) of the
    sentence holding them in its ``text``; both None when it does not mention the fact.
    ``relation`` is ``"agrees"``, ``"disagrees"`` (the kit found a conflict, ``reason`` says
    which) or ``"does not mention it"``.
    """

    article_id: str
    outlet: str
    relation: str
    says: str | None = None
    sentence: tuple[int, int] | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ClaimToCheck:
    """One claim of one article to check by reading laterally.

    ``article.text[start:end] == words``; ``sentence`` is the (start, end) of the sentence
    that holds it. ``source`` is who the article credits for it (None: no one) and
    ``credited`` is True only when that is a named person or organization; ``nearby`` are
    the other sources the same sentence names, as ``(source, kind)``, which the kit does not
    tie to this claim. ``others`` says what every other article of the set reports about the
    same fact.
    """

    id: str
    article_id: str
    start: int
    end: int
    words: str
    sentence: tuple[int, int]
    kind: str  # "unsourced figure" or "contradiction"
    source: str | None = None
    credited: bool = False
    nearby: tuple[tuple[str, str], ...] = ()  # (source, kind) of others the sentence names
    others: tuple[OtherReport, ...] = field(default=(), compare=False)

    @property
    def others_report(self) -> bool:
        """True when at least one other article gives the same fact."""
        return any(o.relation != SILENT for o in self.others)


@dataclass(frozen=True, slots=True)
class StepFeedback:
    """The verdict on one step: ``mark`` is right, not quite, your call or not marked."""

    step: str
    mark: str
    message: str


# --------------------------------------------------------------------------- claims


def claims_to_check(articles: ArticleSet | Sequence[Article]) -> list[ClaimToCheck]:
    """Claims worth checking laterally: unsourced figures and contradicted claims, one per fact.

    Claims that other articles also report come first, then the rest in article order. Two
    claims about one fact (two articles' days of one event) give one claim: one the
    contradiction finder pairs, else one no one is credited for, else the first article's.

    >>> from kit._data import data_dir
    >>> from kit.articles import load_articles
    >>> s = load_articles(data_dir() / "articles" / "carney-beijing-2026")
    >>> c = claims_to_check(s)[0]
    >>> s[c.article_id].text[c.start:c.end] == c.words, [o.relation for o in c.others][:1]
    (True, ['does not mention it'])
    """
    from kit.compare import coverage_matrix, find_contradictions

    arts = list(articles)
    contradictions = find_contradictions(arts)
    matrix = coverage_matrix(arts)
    order = {a.id: i for i, a in enumerate(arts)}
    candidates = _candidates(arts, contradictions)
    chosen = [
        min(
            group,
            key=lambda c: (c.kind != KIND_CONTRADICTION, c.credited, order[c.article_id], c.start),
        )
        for group in _by_fact(candidates, contradictions, matrix)
    ]
    by_id = {a.id: a for a in arts}
    filled = [replace(c, others=_coverage(c, arts, by_id, contradictions, matrix)) for c in chosen]
    return sorted(filled, key=lambda c: (not c.others_report, order[c.article_id], c.start))


def _candidates(arts: list[Article], contradictions: list[Contradiction]) -> list[ClaimToCheck]:
    from kit.figures import find_figures
    from kit.sources import find_attributions

    out: dict[tuple[str, int], ClaimToCheck] = {}
    figures = {a.id: find_figures(a) for a in arts}
    credits = {a.id: find_attributions(a) for a in arts}
    for article in arts:
        for f in figures[article.id]:
            if not f.attributed:
                out[(article.id, f.start)] = _claim(
                    article, (f.start, f.end), KIND_UNSOURCED, f, credits[article.id]
                )
    by_id = {a.id: a for a in arts}
    for c in contradictions:
        for ev in (c.a, c.b):
            mark = (ev.article_id, ev.start)
            if mark in out:
                out[mark] = replace(out[mark], kind=KIND_CONTRADICTION)
                continue
            figure = next((f for f in figures[ev.article_id] if f.start == ev.start), None)
            out[mark] = _claim(
                by_id[ev.article_id],
                (ev.start, ev.end),
                KIND_CONTRADICTION,
                figure,
                credits[ev.article_id],
            )
    return list(out.values())


def _claim(
    article: Article,
    span: tuple[int, int],
    kind: str,
    figure: Figure | None,
    credits: Sequence[Attribution],
) -> ClaimToCheck:
    start, end = span
    bounds = _sentence(article, start, end)
    if figure is not None:
        source, credited = figure.source, bool(figure.attributed)
    else:  # a meeting said to happen or not: an attribution whose reported words hold it
        found = next((a for a in credits if a.quote and a.quote[0] <= start < a.quote[1]), None)
        source = found.source if found else None
        credited = bool(found and found.kind in _CREDITED_KINDS)
    nearby = tuple(
        (a.source, a.kind)
        for a in credits
        if bounds[0] <= a.start < bounds[1] and a.source != source
    )
    return ClaimToCheck(
        f"{article.id}@{start}",
        article.id,
        start,
        end,
        article.text[start:end],
        bounds,
        kind,
        source,
        credited,
        nearby,
    )


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().casefold()


def _row_of(claim: ClaimToCheck, matrix: CoverageMatrix) -> dict[str, Any] | None:
    words = _norm(claim.words)
    for row in matrix:
        cell = row.get(claim.article_id)
        if isinstance(cell, str) and _norm(cell) == words:
            return row
    return None


def _by_fact(
    claims: list[ClaimToCheck], contradictions: list[Contradiction], matrix: CoverageMatrix
) -> list[list[ClaimToCheck]]:
    """Claims grouped by fact: two claims in one coverage row or one contradiction are one."""
    parent = list(range(len(claims)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[Any, int] = {}
    for i, claim in enumerate(claims):
        row = _row_of(claim, matrix)
        keys = [("row", id(row))] if row is not None else []
        keys += [
            ("contradiction", n)
            for n, c in enumerate(contradictions)
            if _covers(c.a, claim) or _covers(c.b, claim)
        ]
        for key in keys:
            j = first_with.setdefault(key, i)
            parent[root(i)] = root(j)
    groups: dict[int, list[ClaimToCheck]] = {}
    for i, claim in enumerate(claims):
        groups.setdefault(root(i), []).append(claim)
    return list(groups.values())


def _covers(ev: Any, claim: ClaimToCheck) -> bool:
    return ev.article_id == claim.article_id and ev.start < claim.end and claim.start < ev.end


# --------------------------------------------------------------------------- coverage


def coverage_for(
    claim: ClaimToCheck, articles: ArticleSet | Sequence[Article]
) -> list[OtherReport]:
    """What each other article says about ``claim``'s fact, by the kit's own alignment.

    An article the contradiction finder pairs with the claim ``"disagrees"``; one that gives
    the same fact (a row of ``kit.coverage_matrix``) with no conflict ``"agrees"``.

    >>> from kit._data import data_dir
    >>> from kit.articles import load_articles
    >>> s = load_articles(data_dir() / "articles" / "carney-beijing-2026")
    >>> c = next(c for c in claims_to_check(s) if c.kind == "contradiction")
    >>> any(o.relation == "disagrees" for o in coverage_for(c, s))
    True
    """
    from kit.compare import coverage_matrix, find_contradictions

    arts = list(articles)
    by_id = {a.id: a for a in arts}
    return list(_coverage(claim, arts, by_id, find_contradictions(arts), coverage_matrix(arts)))


def _coverage(
    claim: ClaimToCheck,
    arts: list[Article],
    by_id: dict[str, Article],
    contradictions: list[Contradiction],
    matrix: CoverageMatrix,
) -> tuple[OtherReport, ...]:
    conflicts: dict[str, OtherReport] = {}
    for c in contradictions:
        for mine, theirs in ((c.a, c.b), (c.b, c.a)):
            if _covers(mine, claim) and theirs.article_id not in conflicts:
                other = by_id[theirs.article_id]
                conflicts[other.id] = OtherReport(
                    other.id,
                    other.outlet,
                    DISAGREES,
                    other.text[theirs.start : theirs.end],
                    _sentence(other, theirs.start, theirs.end),
                    c.reason,
                )
    row = _row_of(claim, matrix)
    home = by_id[claim.article_id]
    out: list[OtherReport] = []
    for other in arts:
        if other.id == claim.article_id:
            continue
        if other.id in conflicts:
            out.append(conflicts[other.id])
            continue
        cell = row.get(other.id) if row is not None else None
        found = _locate(other, cell, home.text[claim.sentence[0] : claim.sentence[1]])
        if found is None:
            out.append(OtherReport(other.id, other.outlet, SILENT))
        else:
            out.append(
                OtherReport(
                    other.id,
                    other.outlet,
                    AGREES,
                    other.text[slice(*found)],
                    _sentence(other, *found),
                )
            )
    return tuple(out)


def _sentence(article: Article, start: int, end: int) -> tuple[int, int]:
    s = article.sentence_at(start)
    return (s.start, max(s.end, end)) if s is not None else (start, end)


def _locate(article: Article, words: str | None, near: str) -> tuple[int, int] | None:
    """Where ``article`` writes ``words``: the place whose sentence is most like ``near``."""
    if not words or not words.strip():
        return None
    pattern = re.compile(r"\s+".join(map(re.escape, words.split())), re.IGNORECASE)
    wanted = set(_WORD.findall(near.casefold()))
    head = article.headline_span
    best: tuple[int, int] | None = None
    best_score = (-1, False)
    for m in pattern.finditer(article.text):
        if article.is_boilerplate(m.start(), m.end()):
            continue
        s, e = _sentence(article, m.start(), m.end())
        in_body = head is None or not (head.start <= m.start() < head.end)
        score = (len(wanted & set(_WORD.findall(article.text[s:e].casefold()))), in_body)
        if score > best_score:  # the body's best match, the headline only when nothing else
            best, best_score = (m.start(), m.end()), score
    return best


# --------------------------------------------------------------------------- the desk


def search_desk(desk: ReferenceDesk, words: str) -> list[ReferenceFact]:
    """Facts on the desk for a learner's search words, best first.

    Facts that mention every word come first (``ReferenceDesk.search``); when none does, the
    facts that mention most of the words of three letters or more, so a near miss still
    finds something. Nothing for an empty search.

    >>> from kit.reference import reference_desk
    >>> [f.id for f in search_desk(reference_desk("carney-beijing-2026"), "trading partner")][:1]
    ['trade-partner-rank']
    >>> search_desk(reference_desk("carney-beijing-2026"), "   ")
    []
    """
    if not words.split():
        return []
    exact = desk.search(words)
    if exact:
        return exact
    wanted = {w for w in _WORD.findall(words.casefold())}
    scored = []
    for n, fact in enumerate(desk.facts):
        text = f"{fact.topic} {fact.finding}".casefold()
        hits = sum(w in text for w in wanted)
        if hits:
            scored.append((-hits, n, fact))
    return [fact for _, _, fact in sorted(scored, key=lambda t: t[:2])]


def no_desk_message(set_name: str) -> str:
    """What to say when the course has no reference desk for an article set.

    >>> "data/reference/my-set.toml" in no_desk_message("my-set")
    True
    """
    return (
        f'The course has no reference desk for the articles "{set_name}", so the last step '
        "cannot be checked against the record here and is not marked. An instructor can add "
        f"one: a file data/reference/{set_name}.toml with one [[fact]] table per checked fact "
        "(id, topic, finding, and status: confirmed, disputed or unverifiable) and one "
        "[[fact.source]] table per public source (publisher, title, date, url, note). The "
        "files already in data/reference/ show the format."
    )


# --------------------------------------------------------------------------- marking


def mark_stop(article: Article, choice: str | None) -> StepFeedback:
    """Step 1, Stop: does the learner know who published the page?

    >>> from kit.articles import Article
    >>> page = Article("x", "Some text.", "unknown", None)
    >>> mark_stop(page, "I know this outlet").mark
    'not quite'
    """
    if choice is None:
        return StepFeedback("stop", UNMARKED, "Pick one answer.")
    if article.outlet == UNKNOWN:
        if choice == STOP_CHOICES[0]:
            return StepFeedback(
                "stop",
                WRONG,
                "The page does not say who published it, so you cannot know the outlet from "
                "here. That is a reason to be careful before you share or believe it.",
            )
        return StepFeedback(
            "stop",
            RIGHT,
            "Yes: the page does not show who published it. Not knowing is the moment to stop "
            "and check before you believe or share the claim.",
        )
    if choice == STOP_CHOICES[2]:
        return StepFeedback(
            "stop",
            WRONG,
            f"Look again: the page names the outlet ({article.outlet}). Whether you know it is "
            "another question.",
        )
    return StepFeedback(
        "stop",
        OPEN,
        f"The page names {article.outlet}. If you do not know this outlet, finding out who "
        "runs it is the next thing a fact-checker does.",
    )


def mark_source(claim: ClaimToCheck, choice: str | None) -> StepFeedback:
    """Step 2, Investigate the source: whom does the article credit for the claim?

    >>> c = ClaimToCheck("A@0", "A", 0, 3, "40%", (0, 10), "unsourced figure")
    >>> mark_source(c, "no one").mark
    'right'
    """
    if choice is None:
        return StepFeedback("investigate", UNMARKED, "Pick one answer.")
    if claim.credited:
        expected, said = SOURCE_CHOICES[0], f"The article credits {claim.source}."
    elif claim.source:
        expected = SOURCE_CHOICES[1]
        said = f'The article only points to "{claim.source}", which names no one you could ask.'
    else:
        expected, said = SOURCE_CHOICES[2], "The article credits no one for it."
    if choice == expected:
        return StepFeedback("investigate", RIGHT, f"Yes. {said}")
    near = [
        s for s, kind in claim.nearby if (kind in _CREDITED_KINDS) == (choice == SOURCE_CHOICES[0])
    ]
    if not claim.source and near and choice != SOURCE_CHOICES[2]:
        return StepFeedback(
            "investigate",
            OPEN,
            f"The kit does not tie this claim to anyone, but the same sentence names "
            f"{', '.join(near)}. If you read the claim as theirs, your answer holds; either "
            "way, the article leaves it unclear who it comes from.",
        )
    return StepFeedback("investigate", WRONG, f"Not quite. {said}")


def mark_coverage(others: Sequence[OtherReport], choice: str | None) -> StepFeedback:
    """Step 3, Find better coverage: do the other articles agree, disagree or stay silent?

    One article that disagrees is enough for "they disagree".

    >>> mark_coverage([OtherReport("B", "unknown", "disagrees", "Monday", (0, 9))],
    ...               "they disagree").mark
    'right'
    """
    if choice is None:
        return StepFeedback("coverage", UNMARKED, "Pick one answer.")
    against = [o for o in others if o.relation == DISAGREES]
    agree = [o for o in others if o.relation == AGREES]
    if against:
        expected = COVERAGE_CHOICES[1]
        said = _says(against) + ": not the same."
    elif agree:
        expected = COVERAGE_CHOICES[0]
        said = _says(agree) + ", and the kit finds no conflict."
    else:
        expected = COVERAGE_CHOICES[2]
        said = "No other article in the set mentions it: you need a source outside the set."
    if choice == expected:
        return StepFeedback("coverage", RIGHT, f"Yes. {said}")
    return StepFeedback("coverage", WRONG, f"Not quite. {said}")


def _says(reports: Sequence[OtherReport]) -> str:
    said = "; ".join(f"article {o.article_id} says “{_flat(o.says or '')}”" for o in reports)
    return said[:1].upper() + said[1:]


def mark_trace(
    verdict: str | None,
    reason: str,
    fact: ReferenceFact | None,
    *,
    desk: ReferenceDesk,
    keyed: KeyItem | None = None,
) -> StepFeedback:
    """Step 4, Trace: the learner's verdict against the record.

    ``keyed`` is the answer key's item for this claim, when the editors gave it a verdict
    (``accurate``, ``false``, ``misleading``, ``unverifiable``) and the desk facts behind it:
    then the verdict is marked against theirs. Without one, it is compared with the status of
    the desk fact the learner chose; a confirmed fact settles what happened, but whether the
    claim says the same or something else is for the learner to compare ("your call").

    >>> from kit.reference import reference_desk
    >>> desk = reference_desk("carney-beijing-2026")
    >>> mark_trace("can't be checked", "", desk["trade-partner-rank"], desk=desk).mark
    'not quite'
    """
    if not desk.facts:
        return StepFeedback(
            "trace",
            UNMARKED,
            "Your verdict is saved but not marked. " + no_desk_message(desk.set_name),
        )
    if verdict is None:
        return StepFeedback("trace", UNMARKED, "Pick a verdict.")
    nudge = "" if reason.strip() else " Add a one-line reason: what did the record show you?"
    if keyed is not None and keyed.verdict in _KEY_VERDICT:
        return _mark_by_key(verdict, fact, keyed, desk, nudge)
    if fact is None:
        if verdict == VERDICTS[2]:
            return StepFeedback(
                "trace",
                OPEN,
                'With no checked fact that matches, "can\'t be checked" is the honest verdict '
                "here. On the open web you would keep looking for the original source." + nudge,
            )
        return StepFeedback(
            "trace",
            UNMARKED,
            "Pick the desk fact that matches the claim, so your verdict "
            "can be compared with the record." + nudge,
        )
    expected = _STATUS_VERDICT.get(fact.status, VERDICTS[2])
    status = f'The desk marks "{fact.topic}" as {fact.status}: {fact.finding}'
    if fact.status == "confirmed" and verdict != VERDICTS[2]:
        return StepFeedback(
            "trace",
            OPEN,
            f"{status} Compare it with the claim: if the article says the same, the claim is "
            "confirmed; if it says something else, the record disputes it." + nudge,
        )
    if verdict == expected:
        return StepFeedback("trace", RIGHT, f"Yes. {status}" + nudge)
    if fact.status == "disputed" and verdict == VERDICTS[2]:
        return StepFeedback(
            "trace",
            OPEN,
            f'{status} Reliable sources disagree, so "disputed" says more than "can\'t be '
            'checked".' + nudge,
        )
    return StepFeedback("trace", WRONG, f"Not quite. {status}" + nudge)


def _mark_by_key(
    verdict: str, fact: ReferenceFact | None, keyed: KeyItem, desk: ReferenceDesk, nudge: str
) -> StepFeedback:
    """The verdict against the answer key's, with the desk facts the editors checked it by."""
    expected = _KEY_VERDICT[str(keyed.verdict)]
    behind = [f for f in desk.facts if f.id in keyed.references]
    where = ""
    if behind and (fact is None or fact.id not in keyed.references):
        topics = "; ".join(f'"{f.topic}"' for f in behind)
        where = f" The editors checked this claim against the desk's {topics}."
    said = f"The editors judge the claim {keyed.verdict}: {keyed.explanation}"
    if verdict == expected:
        return StepFeedback("trace", RIGHT, f"Yes. {said}{where}" + nudge)
    return StepFeedback("trace", WRONG, f"Not quite. {said}{where}" + nudge)


# --------------------------------------------------------------------------- text and HTML

_MARK_COLOUR = {RIGHT: "#0b6e4f", WRONG: "#a33c00", OPEN: "#1f4e99", UNMARKED: "#555"}
_MARK_SIGN = {RIGHT: "✔", WRONG: "✘", OPEN: "➜", UNMARKED: "ℹ"}


def feedback_html(result: StepFeedback) -> str:
    """One step's feedback as escaped HTML.

    >>> feedback_html(StepFeedback("stop", "right", "<b>ok</b>"))[:20]
    '<div role="status" s'
    """
    colour = _MARK_COLOUR.get(result.mark, "#555")
    sign = _MARK_SIGN.get(result.mark, "")
    return (
        f'<div role="status" style="color:{colour};margin:0.2em 0">{sign} '
        f"{html.escape(result.message)}</div>"
    )


def claim_html(claim: ClaimToCheck, article: Article) -> str:
    """The claim in its sentence, the claim's words marked, everything escaped.

    >>> c = ClaimToCheck("x@4", "x", 4, 7, "<b>", (0, 12), "unsourced figure")
    >>> "&lt;b&gt;" in claim_html(c, Article("x", "Say <b> now.", "unknown", None))
    True
    """
    text = article.text
    s, e = claim.sentence
    return (
        f"<p>Article <b>{html.escape(article.id)}</b>, “{html.escape(article.headline)}”, "
        'says:</p><blockquote style="margin:0.3em 1em;border-left:3px solid #999;'
        f'padding-left:0.6em">{html.escape(_flat(text[s : claim.start]))}<mark>'
        f"{html.escape(_flat(claim.words))}</mark>{html.escape(_flat(text[claim.end : e]))}"
        "</blockquote>"
    )


def others_html(claim: ClaimToCheck, articles: ArticleSet | Sequence[Article]) -> str:
    """Each other article's sentence about the claim's fact, or that it says nothing, escaped.

    >>> c = ClaimToCheck("x@0", "x", 0, 1, "1", (0, 1), "unsourced figure",
    ...     others=(OtherReport("y", "unknown", "does not mention it"),))
    >>> "does not mention it" in others_html(c, [])
    True
    """
    by_id = {a.id: a for a in articles}
    items = []
    for o in claim.others:
        outlet = "outlet unknown" if o.outlet == UNKNOWN else o.outlet
        who = f"<b>{html.escape(o.article_id)}</b> ({html.escape(outlet)})"
        if o.sentence is None or o.article_id not in by_id:
            items.append(f"<li>{who}: does not mention it.</li>")
            continue
        said = html.escape(_flat(by_id[o.article_id].text[o.sentence[0] : o.sentence[1]]))
        items.append(f"<li>{who}: “{said}”</li>")
    return "<ul>" + "".join(items) + "</ul>" if items else "<p>No other articles in this set.</p>"


def facts_html(facts: Sequence[ReferenceFact]) -> str:
    """Desk facts with their cited sources as plain text (addresses shown, never fetched).

    >>> from kit.reference import reference_desk
    >>> "https://" in facts_html(reference_desk("carney-beijing-2026").facts[:1])
    True
    """
    if not facts:
        return "<p><i>No fact on the desk matches these words. Try other words.</i></p>"
    parts = []
    for fact in facts:
        sources = "".join(
            f"<li>{html.escape(s.publisher)}, “{html.escape(s.title)}”, {html.escape(s.date)}"
            f", <code>{html.escape(s.url)}</code></li>"
            for s in fact.sources
        )
        parts.append(
            f'<div style="margin:0.4em 0"><b>{html.escape(fact.topic)}</b> '
            f"({html.escape(fact.status)})<br>{html.escape(fact.finding)}"
            f'<ul style="margin:0.2em 0">{sources or "<li>no source found</li>"}</ul></div>'
        )
    return "".join(parts)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def claim_text(claim: ClaimToCheck, article: Article) -> str:
    """The claim and the four moves as plain text, for a notebook with no widget display.

    >>> c = ClaimToCheck("x@0", "x", 0, 3, "40%", (0, 12), "unsourced figure")
    >>> print(claim_text(c, Article("x", "40% agreed.", "unknown", None)).splitlines()[0])
    Article x says: “40% agreed.” (the claim: “40%”)
    """
    s, e = claim.sentence
    credit = claim.source if claim.source else "no one"
    if claim.nearby:
        credit += f" (the sentence also names {', '.join(s for s, _ in claim.nearby)})"
    return "\n".join(
        [
            f"Article {article.id} says: “{_flat(article.text[s:e]).strip()}” "
            f"(the claim: “{_flat(claim.words)}”)",
            f"  1 Stop: outlet {article.outlet}, byline {article.byline}, "
            f"published {article.published}.",
            f"  2 Investigate the source: the article credits {credit}.",
            "  3 Find better coverage: "
            + ("; ".join(f"{o.article_id} {o.relation}" for o in claim.others) or "no others"),
            "  4 Trace: search the reference desk, then give a verdict.",
        ]
    )


# --------------------------------------------------------------------------- the widget


class LateralReading(Shown):
    """The lateral-reading task: one claim at a time, the four SIFT moves, answers saved.

    >>> from kit._data import data_dir
    >>> from kit.articles import load_articles
    >>> from kit.reference import reference_desk
    >>> task = LateralReading(load_articles(data_dir() / "articles" / "carney-beijing-2026"),
    ...                       reference_desk("carney-beijing-2026"), progress=None)
    >>> task.set_name, task.progress_key(task.claims[0]).startswith("carney-beijing-2026/")
    ('carney-beijing-2026', True)
    """

    def __init__(
        self,
        articles: ArticleSet,
        desk: ReferenceDesk,
        *,
        progress: Any,
        answer_key: AnswerKey | None = None,
        problem: str = "",
    ) -> None:
        self.articles = articles
        self.set_name = articles.path.name if articles.path else articles.title
        self.desk = desk
        self.answer_key = answer_key
        self.progress = progress
        self.problem = problem  # why answers are not being saved, if they are not
        self.claims = claims_to_check(articles)
        self.current = 0
        self.controls: dict[str, Any] = {}  # the claim on show: answer widgets by name
        self.feedback: dict[str, Any] = {}  # the claim on show: feedback widgets by step
        self._picker: Any = None
        self._unsaved: dict[str, dict[str, str]] = {}  # answers, also when they cannot be saved

    def progress_key(self, claim: ClaimToCheck) -> str:
        """Where the claim's answers are kept in the progress file: ``<set>/<claim id>``."""
        return f"{self.set_name}/{claim.id}"

    def keyed(self, claim: ClaimToCheck) -> KeyItem | None:
        """The answer key's item with a verdict on ``claim`` (its words overlap), if any."""
        if self.answer_key is None:
            return None
        for item in self.answer_key.for_article(claim.article_id):
            if item.verdict and item.start < claim.end and claim.start < item.end:
                return item
        return None

    def answers(self, claim: ClaimToCheck) -> dict[str, str]:
        """The learner's answers for ``claim``: saved ones (only well-formed values), and
        any given since that could not be saved."""
        saved = self.progress.get(SECTION, self.progress_key(claim), {}) if self.progress else {}
        if not isinstance(saved, dict):
            saved = {}
        kept = {k: v for k, v in saved.items() if isinstance(k, str) and isinstance(v, str)}
        return {**kept, **self._unsaved.get(claim.id, {})}

    def save(self, claim: ClaimToCheck, answers: dict[str, str]) -> str:
        """Keep ``answers`` for ``claim`` in the progress file at once; say how it went."""
        if self.progress is None:
            self._unsaved[claim.id] = dict(answers)
            return self.problem or "Your answers are kept only until the notebook closes."
        record = {"article": claim.article_id, "claim": claim.words, **answers}
        try:
            self.progress.put(SECTION, self.progress_key(claim), record)
        except (OSError, ValueError) as exc:  # a full disk, a folder made read-only
            self._unsaved[claim.id] = dict(answers)  # kept for this session, and said so
            return f"Not saved: {exc}"
        self._unsaved.pop(claim.id, None)
        return "Saved."

    def select(self, claim_id: str) -> ClaimToCheck:
        """Show the claim with id ``claim_id`` (the picker follows) and return it."""
        ids = [c.id for c in self.claims]
        if claim_id not in ids:
            raise KeyError(f"no claim {claim_id!r} here (ids: {', '.join(ids)})")
        self.current = ids.index(claim_id)
        if self._picker is not None:
            self._picker.value = self.current
        return self.claims[self.current]

    def marks(self, claim: ClaimToCheck, answers: dict[str, str]) -> list[StepFeedback]:
        """Feedback on every step the learner has answered for ``claim``."""
        article = self.articles[claim.article_id]
        fact_id = answers.get("fact")
        fact = next((f for f in self.desk.facts if f.id == fact_id), None)
        out = []
        if answers.get("stop") in STOP_CHOICES:
            out.append(mark_stop(article, answers["stop"]))
        if answers.get("investigate") in SOURCE_CHOICES:
            out.append(mark_source(claim, answers["investigate"]))
        if answers.get("coverage") in COVERAGE_CHOICES:
            out.append(mark_coverage(claim.others, answers["coverage"]))
        if answers.get("verdict") in VERDICTS:
            out.append(
                mark_trace(
                    answers["verdict"],
                    answers.get("reason", ""),
                    fact,
                    desk=self.desk,
                    keyed=self.keyed(claim),
                )
            )
        return out

    def text(self) -> str:
        """The task as plain text (what a notebook without widgets shows)."""
        head = f"Lateral reading (SIFT) on {self.set_name}: {len(self.claims)} claims to check."
        if not self.claims:
            return head + " The kit found no unsourced figures or contradictions here."
        claim = self.claims[self.current]
        lines = [head, claim_text(claim, self.articles[claim.article_id])]
        if not self.desk.facts:
            lines.append(no_desk_message(self.set_name))
        if self.problem:
            lines.append(self.problem)
        return "\n".join(lines)

    def _build_widget(self) -> Any:
        return _build(self)


def lateral_reading(
    articles: ArticleSet,
    desk: ReferenceDesk | None = None,
    *,
    progress: Any = None,
    answer_key: AnswerKey | None = None,
) -> LateralReading:
    """Practise lateral reading (SIFT) on one claim at a time; answers are saved at once.

    ``desk`` defaults to the course's reference desk for ``articles``, ``answer_key`` (whose
    verdicts mark the last step) to the set's key if it has one, and ``progress`` to the
    signed-in learner's progress file (``kit.progress.open_progress()``).

    >>> import tempfile
    >>> from kit._data import data_dir
    >>> from kit.articles import load_articles
    >>> from kit.progress import open_progress
    >>> with tempfile.TemporaryDirectory() as d:
    ...     task = lateral_reading(load_articles(data_dir() / "articles" / "carney-beijing-2026"),
    ...                            progress=open_progress("ana", folder=d))
    ...     task.text().startswith("Lateral reading (SIFT)")
    True
    """
    from kit.reference import reference_desk

    if not isinstance(articles, ArticleSet):
        raise TypeError(f"lateral_reading needs an article set, not {type(articles).__name__}")
    problem = ""
    if desk is None:
        desk = reference_desk(articles.path.name if articles.path else articles.title)
    if answer_key is None:
        from kit.course import course_key

        answer_key = course_key(articles)
    if progress is None:
        from kit.progress import open_progress_or_reason

        progress, problem = open_progress_or_reason()
    return LateralReading(articles, desk, progress=progress, answer_key=answer_key, problem=problem)


# The widget: ipywidgets is imported only here, when a notebook shows the task.

_BOX = {"border": "1px solid #bbb", "padding": "6px 12px", "margin": "6px 0"}
_INTRO = (
    "<p><b>Lateral reading.</b> Fact-checkers leave the page to check a claim. Work through "
    "the four moves of SIFT: <b>Stop</b>, <b>Investigate</b> the source, <b>Find</b> better "
    "coverage, <b>Trace</b> the claim to the record. Your answers are saved as you go.</p>"
)


def _build(task: LateralReading):
    """The whole form: an intro, a claim picker, and the four steps for the chosen claim."""
    import ipywidgets as w

    from kit.checks import prose_box

    intro = w.HTML(_INTRO)
    if not task.claims:
        return prose_box([intro, w.HTML(f"<p>{html.escape(task.text())}</p>")], layout=_BOX)
    labels = [
        (
            f"{n}. {c.article_id}: “{_flat(c.words)[:40]}”"
            + (" (other articles report it)" if c.others_report else ""),
            n - 1,
        )
        for n, c in enumerate(task.claims, start=1)
    ]
    picker = w.Dropdown(
        options=labels, value=task.current, description="Claim", layout={"width": "auto"}
    )
    back = w.Button(description="Previous", icon="arrow-left")
    ahead = w.Button(description="Next", icon="arrow-right")
    body = w.VBox(_steps(task, task.claims[task.current]))
    note = w.HTML(
        f'<p style="color:#a33c00">{html.escape(task.problem)}</p>' if task.problem else ""
    )

    def show(change: dict[str, Any]) -> None:
        task.current = change["new"]
        body.children = _steps(task, task.claims[task.current])

    def step_by(n: int) -> None:
        picker.value = (picker.value + n) % len(task.claims)

    picker.observe(show, names="value")
    task._picker = picker
    back.on_click(lambda _: step_by(-1))
    ahead.on_click(lambda _: step_by(1))
    return prose_box([intro, note, w.HBox([picker, back, ahead]), body], layout=_BOX)


def _radio(options: Sequence[str], saved: str | None):
    import ipywidgets as w

    value = saved if saved in options else None
    return w.RadioButtons(options=list(options), value=value, layout={"width": "auto"})


def _steps(task: LateralReading, claim: ClaimToCheck) -> list[Any]:
    """The four steps for one claim, filled in with the learner's saved answers."""
    import ipywidgets as w

    article = task.articles[claim.article_id]
    answers = task.answers(claim)
    stop = _radio(STOP_CHOICES, answers.get("stop"))
    source = _radio(SOURCE_CHOICES, answers.get("investigate"))
    coverage = _radio(COVERAGE_CHOICES, answers.get("coverage"))
    trace, trace_controls = _trace_step(task, answers)
    said = {k: w.HTML() for k in ("stop", "investigate", "coverage", "trace", "saved")}
    controls = {"stop": stop, "investigate": source, "coverage": coverage, **trace_controls}

    def refresh() -> None:
        for result in task.marks(claim, answers):
            said[result.step].value = feedback_html(result)

    def keep(name: str):
        def on_change(change: dict[str, Any]) -> None:
            answers[name] = change["new"] if isinstance(change["new"], str) else ""
            said["saved"].value = (
                f'<div style="color:#555;font-size:0.9em">{html.escape(task.save(claim, answers))}'
                "</div>"
            )
            refresh()

        return on_change

    for name, control in controls.items():
        control.observe(keep(name), names="value")
    task.controls, task.feedback = controls, said
    refresh()
    shown = (
        f"outlet: <b>{html.escape(article.outlet)}</b> · byline: "
        f"<b>{html.escape(article.byline)}</b> · published: <b>{html.escape(article.published)}"
        "</b>"
    )
    return [
        w.HTML(claim_html(claim, article)),
        w.HTML(
            "<b>1 Stop.</b> Before you go on: what do you know about who published this? "
            f"The page shows {shown}."
        ),
        stop,
        said["stop"],
        w.HTML(
            "<b>2 Investigate the source.</b> Who does the article credit for this claim? "
            "Read the sentence above again."
        ),
        source,
        said["investigate"],
        w.HTML(
            "<b>3 Find better coverage.</b> What do the other articles in the set say "
            "about the same thing?" + others_html(claim, task.articles)
        ),
        coverage,
        said["coverage"],
        trace,
        said["trace"],
        said["saved"],
    ]


def _trace_step(task: LateralReading, answers: dict[str, str]) -> tuple[Any, dict[str, Any]]:
    """Step 4: a desk search standing in for the open web, the matching fact and a verdict."""
    import ipywidgets as w

    verdict = _radio(VERDICTS, answers.get("verdict"))
    reason = w.Text(
        value=answers.get("reason", ""),
        placeholder="one line: why?",
        description="Reason",
        layout={"width": "90%"},
    )
    then = "Then give your verdict on the claim, and one line saying why."
    if not task.desk.facts:
        note = (
            "The course has no reference desk for these articles, so there is nothing to "
            "search here. In real life you would open new tabs and look for the original "
            "source: the record, the report, the announcement."
        )
        head = f"<b>4 Trace the claim.</b> {html.escape(note)} {then}"
        return w.VBox([w.HTML(head), verdict, reason]), {"verdict": verdict, "reason": reason}
    head = (
        "<b>4 Trace the claim.</b> Leave the articles: search the reference desk, which stands "
        "in for the open web here, for the record of this fact, and pick the fact that "
        f"matches the claim. {then}"
    )
    search = w.Text(
        value=answers.get("search", ""),
        placeholder="type words from the claim",
        description="Search",
        layout={"width": "90%"},
    )
    results = w.HTML()
    facts = [(NO_FACT, "")] + [(f"{f.topic} ({f.id})", f.id) for f in task.desk.facts]
    saved = answers.get("fact", "")
    fact = w.Dropdown(
        options=facts,
        value=saved if saved in dict(facts).values() else "",
        description="Match",
        layout={"width": "90%"},
    )

    def find(change: dict[str, Any]) -> None:
        words = change["new"] if isinstance(change["new"], str) else ""
        results.value = facts_html(search_desk(task.desk, words)) if words.strip() else ""

    search.observe(find, names="value")
    find({"new": search.value})
    parts = [w.HTML(head), search, results, fact, verdict, reason]
    controls = {"search": search, "fact": fact, "verdict": verdict, "reason": reason}
    return w.VBox(parts), controls
