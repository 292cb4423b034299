"""Small builders shared by the test modules."""

from __future__ import annotations

from kit.keys import KeyItem


def find_quote(text: str, quote: str, occurrence: int = 1) -> int:
    """Offset of the ``occurrence``-th (1-based) ``quote`` in ``text``."""
    at = -1
    for _ in range(occurrence):
        at = text.index(quote, at + 1)
    return at


def key_item(article, quote, tag, explanation="why", *, quoted=False, occurrence=1) -> KeyItem:
    """An answer-key item for the ``occurrence``-th ``quote`` in ``article``."""
    at = find_quote(article.text, quote, occurrence)
    return KeyItem(
        article_id=article.id,
        tag=tag,
        start=at,
        end=at + len(quote),
        exact=quote,
        explanation=explanation,
        kind=None,
        quoted=quoted,
        verdict=None,
        references=(),
    )
