"""A media-literacy teaching kit for Jupyter.

Load an article set, find who is quoted, which figures go unsourced and how a story is
framed, compare articles, and keep learners' annotations safe.

>>> import kit
>>> articles = kit.load_articles()
>>> len(articles)
5
"""

from kit.articles import UNKNOWN, Article, ArticleSet, ArticleSetError, Span, load_articles

__all__ = [
    "UNKNOWN",
    "Article",
    "ArticleSet",
    "ArticleSetError",
    "Span",
    "load_articles",
]
