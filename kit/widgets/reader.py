"""A read-only article reader with an article picker, for lessons that only read.

It is the annotator's page in read mode: same text layout, paragraph numbers and greyed page
furniture, no toolbar and nothing saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import traitlets

from kit.articles import Article, ArticleSet
from kit.widgets._offsets import OffsetMap
from kit.widgets.annotator import _article_payload, _ArticleView

__all__ = ["Reader"]


class Reader(_ArticleView):
    """Read the articles of a set one at a time, picked from a drop-down list.

    >>> import kit
    >>> r = kit.Reader(kit.load_articles())
    >>> r.selected, r.article.id
    ('A', 'A')
    >>> r.selected = "C"
    >>> r.article.outlet == kit.load_articles()["C"].outlet
    True
    """

    def __init__(
        self, articles: ArticleSet | Iterable[Article] | Article, *, selected: str | None = None
    ) -> None:
        if isinstance(articles, Article):
            articles = [articles]
        self.articles: list[Article] = list(articles)
        if not self.articles:
            raise ValueError("Reader needs at least one article")
        for a in self.articles:
            if not isinstance(a, Article):
                raise TypeError(f"Reader shows articles, not {type(a).__name__}")
        self._by_id = {a.id: a for a in self.articles}
        first = self.articles[0].id if selected is None else selected
        if first not in self._by_id:
            raise KeyError(f"no article {first!r} here (ids: {', '.join(self._by_id)})")
        super().__init__(
            mode="read",
            _choices=[{"id": a.id, "label": _choice_label(a)} for a in self.articles],
        )
        self.observe(self._show, names="selected")
        self.selected = first

    @property
    def article(self) -> Article:
        """The article on show."""
        return self._by_id[self.selected]

    def _show(self, change: dict[str, Any]) -> None:
        article = self._by_id.get(change["new"])
        if article is None:  # a stale page asked for an article that is not here
            self.status = f"No article {change['new']!r} in this set."
            return
        self.status = ""
        self._doc = _article_payload(article, OffsetMap(article.text))

    @traitlets.validate("selected")
    def _known(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if value not in self._by_id:
            raise traitlets.TraitError(f"no article {value!r} here (ids: {', '.join(self._by_id)})")
        return value


def _choice_label(article: Article) -> str:
    outlet = "" if article.outlet == "unknown" else f" ({article.outlet})"
    return f"{article.id}: {article.headline}{outlet}"
