"""Offsets between Python (code points) and the browser (UTF-16 code units), in one place.

Every offset in the kit is a code-point index into ``article.text``. JavaScript strings count
UTF-16 code units, so a character outside the Basic Multilingual Plane (an emoji such as
U+1F600) is one position in Python and two in the browser. The widgets convert with an
`OffsetMap` on the way out (to the browser) and on the way back (from a learner's selection).

>>> m = OffsetMap("a\U0001f600b")
>>> m.to_utf16(2), m.to_codepoint(3)
(3, 2)
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Literal

__all__ = ["OffsetMap", "utf16_len"]

Snap = Literal["error", "down", "up"]


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, as JavaScript's ``text.length`` reports it.

    >>> utf16_len("caf\u00e9 \U0001f600")
    7
    """
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class OffsetMap:
    """Convert offsets into one text between code points and UTF-16 code units.

    Built once per text (one pass to find the astral characters); each conversion is then a
    binary search, so converting every highlight of an article costs next to nothing.

    >>> m = OffsetMap("\U0001f600\u00a0ok")
    >>> m.span_to_utf16(1, 4), m.span_to_codepoints(2, 5)
    ((2, 5), (1, 4))
    """

    __slots__ = ("_astral", "_astral_u16", "length", "length_utf16")

    def __init__(self, text: str) -> None:
        # Code-point positions of characters that take two UTF-16 units (surrogate pairs).
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        # Where each of those starts in UTF-16: shifted by the pairs before it.
        self._astral_u16 = [pos + rank for rank, pos in enumerate(self._astral)]
        self.length = len(text)
        self.length_utf16 = len(text) + len(self._astral)

    def to_utf16(self, offset: int) -> int:
        """UTF-16 offset of code-point ``offset`` (0 <= offset <= len(text))."""
        if not 0 <= offset <= self.length:
            raise ValueError(f"offset {offset} is outside the text (0 to {self.length})")
        return offset + bisect_left(self._astral, offset)

    def to_codepoint(self, unit: int, *, snap: Snap = "error") -> int:
        """Code-point offset of UTF-16 offset ``unit``.

        An offset that falls between the two halves of a surrogate pair points at no character
        boundary: ``snap="error"`` raises ValueError, ``"down"`` moves it before the character
        and ``"up"`` after it.
        """
        if not 0 <= unit <= self.length_utf16:
            raise ValueError(f"UTF-16 offset {unit} is outside the text (0 to {self.length_utf16})")
        pairs_before = bisect_left(self._astral_u16, unit)
        # `unit` splits a pair when the pair before it starts exactly one unit earlier.
        if pairs_before and self._astral_u16[pairs_before - 1] == unit - 1:
            if snap == "error":
                raise ValueError(f"UTF-16 offset {unit} splits a surrogate pair")
            if snap == "down":
                return unit - 1 - (pairs_before - 1)
            return unit + 1 - pairs_before
        return unit - pairs_before

    def span_to_utf16(self, start: int, end: int) -> tuple[int, int]:
        """A code-point span as a UTF-16 span."""
        return self.to_utf16(start), self.to_utf16(end)

    def span_to_codepoints(self, start: int, end: int) -> tuple[int, int]:
        """A UTF-16 span as a code-point span; a split surrogate pair widens it outwards."""
        return self.to_codepoint(start, snap="down"), self.to_codepoint(end, snap="up")
