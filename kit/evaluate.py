"""How good are the detectors? Precision and recall per category against an answer key.

    python -m kit.evaluate                      # every article set that has a key
    python -m kit.evaluate carney-beijing-2026  # one set
    python -m kit.evaluate --show-misses        # also list what was missed or extra

A detector hit and a key item *match* when they have the same category and their spans
share at least one character. Precision is the share of hits that match a key item; recall
is the share of key items that some hit matches.

Cross-article contradictions are scored as pairs: a finding of ``find_contradictions``
matches a keyed contradiction when its two sides overlap the key's two sides (in either
order). ``found`` is how many keyed ones some finding matches; ``false`` counts findings
that match none and restate none. A finding *restates* a keyed contradiction when one side
overlaps a side of it (or repeats that side's words elsewhere in the same article, as a
headline repeats the body's figure) and the other side's figure (its number, "640" of "640
people") is the key's other side's figure, said by a third article: the key marks article
B's "Monday" as clashing with A's "Tuesday", and the finder pairs B's "Monday" with C's
"Tuesday". That disagreement is in the key, only between another pair of articles; it is
counted as ``restated``, neither found nor false.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kit.articles import Article, ArticleSet, load_articles

__all__ = [
    "CATEGORIES",
    "ContradictionScore",
    "Score",
    "evaluate",
    "evaluate_contradictions",
    "format_contradictions",
    "format_scores",
    "pooled",
    "pooled_contradictions",
]


@dataclass(frozen=True, slots=True)
class _Hit:
    article_id: str
    start: int
    end: int
    text: str


def _attributions(kind: str) -> Callable[[Article], Iterable[tuple[int, int]]]:
    def hits(article: Article) -> Iterable[tuple[int, int]]:
        from kit.sources import find_attributions

        return [(h.start, h.end) for h in find_attributions(article) if h.kind == kind]

    return hits


def _unsourced_figures(article: Article) -> Iterable[tuple[int, int]]:
    from kit.figures import find_figures

    return [(f.start, f.end) for f in find_figures(article) if not f.attributed]


def _all_figures(article: Article) -> Iterable[tuple[int, int]]:
    from kit.figures import find_figures

    return [(f.start, f.end) for f in find_figures(article)]


def _framing(kind: str, *, writer_only: bool) -> Callable[[Article], Iterable[tuple[int, int]]]:
    def hits(article: Article) -> Iterable[tuple[int, int]]:
        from kit.framing import find_framing

        return [
            (c.start, c.end)
            for c in find_framing(article)
            if c.kind == kind and not (writer_only and c.quoted)
        ]

    return hits


@dataclass(frozen=True)
class Category:
    """One thing we score: which detector hits, against which key items."""

    name: str
    detector: Callable[[Article], Iterable[tuple[int, int]]]
    key_tags: tuple[str, ...]
    unquoted_only: bool = False  # framing: the writer's own words, not a speaker's


CATEGORIES: tuple[Category, ...] = (
    Category("attribution: named", _attributions("named"), ("named-source",)),
    Category("attribution: organization", _attributions("organization"), ("organization-source",)),
    Category("attribution: anonymous", _attributions("anonymous"), ("anonymous-source",)),
    Category("figure: unsourced", _unsourced_figures, ("unsourced-figure",)),
    Category("figure: any", _all_figures, ("unsourced-figure", "sourced-figure")),
    Category(
        "framing: loaded",
        _framing("loaded", writer_only=True),
        ("loaded-language",),
        unquoted_only=True,
    ),
    Category("framing: hedge", _framing("hedge", writer_only=True), ("hedge",), unquoted_only=True),
    # A label carries a side's framing whoever says it, so quoted labels count too.
    Category("framing: label", _framing("label", writer_only=False), ("framing-label",)),
)


@dataclass
class Score:
    """Precision and recall of one category on one article set."""

    set_name: str
    category: str
    hits: int = 0
    matched_hits: int = 0
    key_items: int = 0
    found_items: int = 0
    missed: list[_Hit] = field(default_factory=list)
    extra: list[_Hit] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched_hits / self.hits if self.hits else 1.0

    @property
    def recall(self) -> float:
        return self.found_items / self.key_items if self.key_items else 1.0


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def evaluate(articles: ArticleSet, key) -> list[Score]:
    """Score every detector category on ``articles`` against ``key`` (an AnswerKey).

    >>> from kit._data import data_dir
    >>> seeds = kit.load_articles(data_dir() / "articles" / "carney-beijing-2026")
    >>> scores = evaluate(seeds, kit.load_key("carney-beijing-2026", articles=seeds))
    >>> sorted({s.category for s in scores})[0]
    'attribution: anonymous'
    """
    set_name = getattr(key, "set_name", articles.title)
    scores = []
    for category in CATEGORIES:
        score = Score(set_name, category.name)
        for article in articles:
            items = [
                item
                for item in key.for_article(article.id)
                if item.tag in category.key_tags
                and not (category.unquoted_only and getattr(item, "quoted", False))
            ]
            # A key item for a speaker's word (quoted) is neither a hit nor a miss here.
            quoted = [
                (i.start, i.end)
                for i in key.for_article(article.id)
                if i.tag in category.key_tags and getattr(i, "quoted", False)
            ]
            spans = [
                s
                for s in sorted(set(category.detector(article)))
                if not (category.unquoted_only and any(_overlaps(s, q) for q in quoted))
            ]
            score.hits += len(spans)
            score.key_items += len(items)
            for span in spans:
                if any(_overlaps(span, (i.start, i.end)) for i in items):
                    score.matched_hits += 1
                else:
                    score.extra.append(_Hit(article.id, *span, article.text[span[0] : span[1]]))
            for item in items:
                if any(_overlaps(span, (item.start, item.end)) for span in spans):
                    score.found_items += 1
                else:
                    score.missed.append(_Hit(article.id, item.start, item.end, item.exact))
        scores.append(score)
    return scores


@dataclass
class ContradictionScore:
    """How many of a set's keyed contradictions were found, and how many findings were false."""

    set_name: str
    keyed: int = 0
    found: int = 0
    findings: int = 0
    false: int = 0
    restated: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.keyed if self.keyed else 1.0


def _side_overlaps(side: tuple[str, int, int, str], ev) -> bool:
    return side[0] == ev.article_id and _overlaps((side[1], side[2]), (ev.start, ev.end))


def evaluate_contradictions(articles: ArticleSet, key) -> ContradictionScore:
    """Score ``find_contradictions`` on ``articles`` against the key's contradictions.

    >>> from kit._data import data_dir
    >>> seeds = kit.load_articles(data_dir() / "articles" / "carney-beijing-2026")
    >>> s = evaluate_contradictions(seeds, kit.load_key("carney-beijing-2026", articles=seeds))
    >>> s.found > 0 and s.keyed >= s.found
    True
    """
    from kit.compare import find_contradictions

    score = ContradictionScore(getattr(key, "set_name", articles.title))
    keyed = list(key.contradictions)
    findings = find_contradictions(articles)
    score.keyed, score.findings = len(keyed), len(findings)

    def matches(c, k) -> bool:
        return (_side_overlaps(k.a, c.a) and _side_overlaps(k.b, c.b)) or (
            _side_overlaps(k.a, c.b) and _side_overlaps(k.b, c.a)
        )

    for k in keyed:
        if any(matches(c, k) for c in findings):
            score.found += 1
        else:
            score.missed.append(f"{k.a[0]} {k.a[3]!r} / {k.b[0]} {k.b[3]!r} ({k.fact})")

    def words(ev) -> str:
        return _fold(articles[ev.article_id].text[ev.start : ev.end])

    def restates(c, k) -> bool:
        for mine, other in ((c.a, c.b), (c.b, c.a)):
            said = _figure(words(other))
            for side, opposite in ((k.a, k.b), (k.b, k.a)):
                # the key's passage, or the same figure again in the same article (a
                # headline's "$4 MILLION" for the body's "roughly $4 million")
                same = _side_overlaps(side, mine) or (
                    side[0] == mine.article_id and words(mine) in _fold(side[3])
                )
                if same and said and said in _fold(opposite[3]):
                    return True
        return False

    for c in findings:
        if any(matches(c, k) for k in keyed):
            continue
        if any(restates(c, k) for k in keyed):
            score.restated += 1
        else:
            score.false += 1
            a_text = articles[c.a.article_id].text[c.a.start : c.a.end]
            b_text = articles[c.b.article_id].text[c.b.start : c.b.end]
            score.extra.append(f"{c.a.article_id} {a_text!r} / {c.b.article_id} {b_text!r}")
    return score


_FIGURE = re.compile(r"[$€£]?\d[\d,.]*(?:[ -](?:million|billion|thousand|percent))?|[$€£]?\d")


def _figure(said: str) -> str:
    """The figure in a finding's words: "640" in "640 people", "$4 million" in "$4 million"."""
    m = _FIGURE.search(said)
    return m.group() if m else said


def _fold(text: str) -> str:
    """Lower case, one kind of space and apostrophe: how two quotes of a figure are compared."""
    return " ".join(text.replace("\u00a0", " ").replace("’", "'").lower().split())


def format_contradictions(score: ContradictionScore, *, show_misses: bool = False) -> str:
    """One line of contradiction figures (and, optionally, what was missed or false)."""
    lines = [
        f"{'contradictions':<28} found {score.found}/{score.keyed} (recall {score.recall:.2f}),"
        f" {score.findings} findings, {score.false} not in the key"
        + (f", {score.restated} restate a keyed one" if score.restated else "")
    ]
    if show_misses:
        lines += [f"      missed {m}" for m in score.missed]
        lines += [f"      extra  {x}" for x in score.extra]
    return "\n".join(lines)


def format_scores(scores: list[Score], *, show_misses: bool = False) -> str:
    """A plain-text table of scores (and, optionally, what was missed or extra)."""
    lines = [
        f"{'category':<28} {'precision':>9} {'recall':>7} {'hits':>5} {'key':>5}",
        "-" * 58,
    ]
    for s in scores:
        lines.append(
            f"{s.category:<28} {s.precision:>9.2f} {s.recall:>7.2f} {s.hits:>5} {s.key_items:>5}"
        )
        if show_misses:
            lines += [f"      missed {h.article_id}: {h.text!r}" for h in s.missed]
            lines += [f"      extra  {h.article_id}: {h.text!r}" for h in s.extra]
    return "\n".join(lines)


def pooled(per_set: list[list[Score]]) -> list[Score]:
    """Scores of several sets added up, category by category: every hit and key item counts once.

    >>> a = [Score("x", "figure: any", hits=4, matched_hits=3, key_items=5, found_items=3)]
    >>> b = [Score("y", "figure: any", hits=1, matched_hits=1, key_items=1, found_items=1)]
    >>> s = pooled([a, b])[0]
    >>> (s.set_name, s.hits, s.key_items, round(s.precision, 2), round(s.recall, 2))
    ('2 sets', 5, 6, 0.8, 0.67)
    """
    out: dict[str, Score] = {}
    for scores in per_set:
        for s in scores:
            total = out.setdefault(s.category, Score(f"{len(per_set)} sets", s.category))
            total.hits += s.hits
            total.matched_hits += s.matched_hits
            total.key_items += s.key_items
            total.found_items += s.found_items
    return list(out.values())


def pooled_contradictions(scores: list[ContradictionScore]) -> ContradictionScore:
    """Contradiction figures of several sets added up."""
    total = ContradictionScore(f"{len(scores)} sets")
    for s in scores:
        total.keyed += s.keyed
        total.found += s.found
        total.findings += s.findings
        total.false += s.false
        total.restated += s.restated
    return total


def _sets_with_keys() -> list[str]:
    from kit._data import data_dir

    keys = sorted(p.stem for p in (data_dir() / "keys").glob("*.toml"))
    return [k for k in keys if (data_dir() / "articles" / k).is_dir()]


def main(argv: list[str] | None = None) -> int:
    """Command line: print precision and recall per category for each article set."""
    from kit._data import data_dir
    from kit.keys import load_key

    parser = argparse.ArgumentParser(
        prog="python -m kit.evaluate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("sets", nargs="*", help="article-set names (default: every set with a key)")
    parser.add_argument("--show-misses", action="store_true", help="list missed and extra items")
    args = parser.parse_args(argv)
    names = args.sets or _sets_with_keys()
    if not names:
        print("no article set with an answer key in data/keys/", file=sys.stderr)
        return 1
    per_set: list[list[Score]] = []
    contradictions: list[ContradictionScore] = []
    texts = 0
    for name in names:
        folder = Path(name) if Path(name).is_dir() else data_dir() / "articles" / name
        articles = load_articles(folder)
        key = load_key(folder.name, articles=articles)
        print(f"\n== {folder.name} ({len(articles)} articles, {len(key.items)} key items)")
        per_set.append(evaluate(articles, key))
        print(format_scores(per_set[-1], show_misses=args.show_misses))
        contradictions.append(evaluate_contradictions(articles, key))
        print(format_contradictions(contradictions[-1], show_misses=args.show_misses))
        texts += len(articles)
    if len(names) > 1:
        print(f"\n== pooled over the {len(names)} sets above ({texts} articles)")
        print(format_scores(pooled(per_set)))
        print(format_contradictions(pooled_contradictions(contradictions)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
