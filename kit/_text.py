"""Small text helpers shared by the detectors: quotations and white space."""

from __future__ import annotations

import re

__all__ = ["inside", "quotation_spans"]

# Curly double quotes pair by direction; straight double quotes pair in order.
_CURLY = re.compile(r"“[^“”]*”")
_STRAIGHT = re.compile(r'"[^"\n]*"')
_MAX_QUOTE = 2000  # a run of text longer than this between quote marks is a stray mark


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every double-quoted passage, quote marks included, in text order.

    Curly quotes (“...”) and straight quotes ("...") both count; a quotation never runs
    across a paragraph break.

    >>> quotation_spans('He said “no,” then "yes".')
    [(8, 13), (19, 24)]
    """
    spans = []
    for pattern in (_CURLY, _STRAIGHT):
        for m in pattern.finditer(text):
            if len(m.group()) <= _MAX_QUOTE and "\n\n" not in m.group():
                spans.append((m.start(), m.end()))
    spans.sort()
    out: list[tuple[int, int]] = []
    for s, e in spans:  # drop a straight-quote pair that sits inside a curly one
        if out and s < out[-1][1]:
            continue
        out.append((s, e))
    return out


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when ``[start, end)`` lies wholly inside one of ``spans``."""
    return any(s <= start and end <= e for s, e in spans)
