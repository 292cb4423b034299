"""Find a learner's highlight again after the article's text has changed.

A highlight is stored as data, the way the W3C Web Annotation Data Model describes it
(https://www.w3.org/TR/annotation-model/, sections 4.2.4 and 4.2.5): the quoted words with
about 32 characters of context on each side (a TextQuoteSelector) and the code-point offsets
(a TextPositionSelector). Finding it again is separate behaviour, tried in order of trust:

1. ``position``: the old offsets still hold the quote, with its context intact.
2. ``exact``: the quote occurs elsewhere verbatim. A copy counts only with at least one side
   of its context intact word for word; the copy with more intact context wins, then the one
   nearest the old position. Two copies that are equally plausible are not guessed between.
3. ``fuzzy``: the quote was edited; rapidfuzz scores candidate passages on quote, prefix and
   suffix with the named weights below, and a candidate must clear the minimum scores.

Otherwise :func:`locate` returns ``None`` and the caller keeps the annotation as an orphan:
attaching a learner's note to the wrong words is worse than asking them to re-highlight.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

__all__ = ["CONTEXT_CHARS", "Match", "locate", "quote_selector"]

# How much text either side of a quote is stored. Hypothesis and the W3C examples use about
# 32 characters: enough to tell two "China"s apart, short enough to survive nearby edits.
CONTEXT_CHARS = 32

# -- scoring (all scores are rapidfuzz ratios, 0..100) -----------------------------------
# The quote itself carries most of the evidence; the two sides of context confirm that the
# candidate sits in the same passage. Weights sum to 1.
W_QUOTE = 0.6
W_PREFIX = 0.2
W_SUFFIX = 0.2
# A fuzzy candidate must be close to the old quote on its own: below 75 the words differ
# by more than about one word in four, and the learner should look at it again.
MIN_QUOTE_SCORE = 75.0
# ... and the weighted total (quote + context) must be convincing.
MIN_TOTAL_SCORE = 78.0
# When the stored context is intact around an edited quote, a verbatim copy elsewhere must
# have both sides at least this close to win (it is then the same passage, duplicated).
INTACT_SIDE_SCORE = 90.0
# A verbatim quote this long is specific enough to identify itself when it occurs once.
SELF_IDENTIFYING_CHARS = 40
# Two verbatim occurrences with one intact side each, whose context scores are closer than
# this, are ambiguous: the annotation is orphaned rather than attached to either.
AMBIGUITY_MARGIN = 10.0
# How far around the old position the fuzzy search looks first, before the whole text.
NEAR_WINDOW = 600


@dataclass(frozen=True, slots=True)
class Match:
    """Where a quote was found: ``text[start:end]``, how (``method``) and how surely (0..100)."""

    start: int
    end: int
    method: str
    score: float


def quote_selector(text: str, start: int, end: int) -> tuple[str, str, str]:
    """Return ``(exact, prefix, suffix)`` for ``text[start:end]`` with the standard context.

    >>> import kit
    >>> a = kit.load_articles()["A"]
    >>> exact, prefix, suffix = quote_selector(a.text, 0, 5)
    >>> exact == a.text[:5], prefix, len(suffix)
    (True, '', 32)
    """
    return (
        text[start:end],
        text[max(0, start - CONTEXT_CHARS) : start],
        text[end : end + CONTEXT_CHARS],
    )


def _side_scores(text: str, start: int, end: int, prefix: str, suffix: str) -> tuple[float, float]:
    """How well the text around ``start:end`` matches the stored prefix and suffix."""
    # Missing context (a quote at the very start or end of the article) counts as agreeing only
    # if the candidate is also at that edge; otherwise the sides are compared as text.
    if prefix:
        p = fuzz.ratio(prefix, text[max(0, start - len(prefix)) : start])
    else:
        p = 100.0 if start == 0 else 50.0
    if suffix:
        s = fuzz.ratio(suffix, text[end : end + len(suffix)])
    else:
        s = 100.0 if end == len(text) else 50.0
    return p, s


def _occurrences(text: str, needle: str) -> list[int]:
    found = []
    i = text.find(needle)
    while i != -1:
        found.append(i)
        i = text.find(needle, i + 1)
    return found


def _snap_to_words(text: str, start: int, end: int, exact: str) -> tuple[int, int]:
    # A fuzzy alignment may cut a word in half ("ted the ministry"); when the original quote
    # began or ended on a word boundary, the new one should too.
    if exact[:1].isalnum():
        while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
            start -= 1
    if exact[-1:].isalnum():
        while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
            end += 1
    return start, end


def _same_boundaries(text: str, start: int, end: int, exact: str, prefix: str, suffix: str) -> bool:
    # A quote that began at the start of a word must not be found in the middle of one: the
    # highlighted word "a" is not the "a" in "Canada".
    starts_word = exact[:1].isalnum() and not prefix[-1:].isalnum()
    if starts_word and start > 0 and text[start - 1].isalnum():
        return False
    ends_word = exact[-1:].isalnum() and not suffix[:1].isalnum()
    return not (ends_word and end < len(text) and text[end].isalnum())


def _edited_in_place(text: str, exact: str, prefix: str, suffix: str) -> bool:
    """Is the stored context still intact on both sides, around something other than the quote?

    That is what an edit inside the quote (or its deletion) looks like. It then outweighs a
    verbatim copy of the quote elsewhere whose context agrees on one side only, such as a
    headline repeated in the article.
    """
    if len(prefix) < CONTEXT_CHARS // 4 or len(suffix) < CONTEXT_CHARS // 4:
        return False  # too little context to be evidence
    limit = 2 * len(exact) + 20
    for p in _occurrences(text, prefix):
        a = p + len(prefix)
        s = text.find(suffix, a, a + limit + len(suffix))
        # an insertion beside the quote leaves the quote itself in the gap: not an edit of it
        if s != -1 and exact not in text[a:s]:
            return True
    return False


def _fuzzy_candidates(
    text: str, exact: str, prefix: str, suffix: str, old_start: int | None, *, in_place: bool
) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    # (a) the best alignment of the quote near its old place, then anywhere in the text; not
    # when the context shows the quote was edited where it stood (see _edited_in_place)
    windows = []
    if old_start is not None:
        lo = max(0, old_start - NEAR_WINDOW)
        windows.append((lo, min(len(text), old_start + len(exact) + NEAR_WINDOW)))
    windows.append((0, len(text)))
    for lo, hi in [] if in_place else windows:
        al = fuzz.partial_ratio_alignment(exact, text[lo:hi], score_cutoff=MIN_QUOTE_SCORE)
        if al is not None and al.dest_end > al.dest_start:
            spans.append((lo + al.dest_start, lo + al.dest_end))
    # (b) the passage between an intact prefix and an intact suffix: the usual shape of "one
    # word inside the quote was changed".
    if prefix and suffix:
        limit = 2 * len(exact) + 20
        for p in _occurrences(text, prefix):
            a = p + len(prefix)
            s = text.find(suffix, a, a + limit + len(suffix))
            if s > a:
                spans.append((a, s))
    return spans


def locate(
    text: str, *, exact: str, prefix: str = "", suffix: str = "", start: int | None = None
) -> Match | None:
    """Find the quote ``exact`` (stored with ``prefix``/``suffix``) in ``text``, or ``None``.

    ``start`` is the old position, used first and to break ties.

    >>> import kit
    >>> a = kit.load_articles()["A"]
    >>> exact, prefix, suffix = quote_selector(a.text, 100, 120)
    >>> m = locate("NEW LINE\\n" + a.text, exact=exact, prefix=prefix, suffix=suffix, start=100)
    >>> (m.start, m.method)
    (109, 'exact')
    """
    if not exact:
        return None
    end = None if start is None else start + len(exact)
    # 1. the old offsets, if the quote and its surroundings are still there
    if start is not None and end is not None and text[start:end] == exact:
        p, s = _side_scores(text, start, end, prefix, suffix)
        if p == 100.0 and s == 100.0:
            return Match(start, end, "position", 100.0)

    # 2. verbatim occurrences elsewhere. A candidate needs one side of its context intact
    # word for word (32 verbatim characters are strong evidence; every edit that leaves the
    # quote alone leaves at least one side alone too), unless the quote is long and unique.
    candidates: list[tuple[int, float, int, int]] = []  # (intact sides, context, -distance, pos)
    occurrences = _occurrences(text, exact)
    in_place = _edited_in_place(text, exact, prefix, suffix)
    self_identifying = len(exact) >= SELF_IDENTIFYING_CHARS and len(occurrences) == 1
    for i in occurrences:
        if not _same_boundaries(text, i, i + len(exact), exact, prefix, suffix):
            continue
        p, s = _side_scores(text, i, i + len(exact), prefix, suffix)
        if in_place and min(p, s) < INTACT_SIDE_SCORE:
            continue
        intact = (p == 100.0) + (s == 100.0)
        if intact == 0 and not self_identifying:
            continue
        dist = abs(i - start) if start is not None else 0
        candidates.append((intact, (p + s) / 2, -dist, i))
    if candidates:
        candidates.sort(reverse=True)
        best = candidates[0]
        if len(candidates) > 1:
            second = candidates[1]
            if best[0] == 2 and second[0] == 2:
                # the same words in the same context twice (a duplicated passage): either is
                # right, so take the one nearest the old position
                best = max((c for c in candidates if c[0] == 2), key=lambda c: c[2])
            elif second[0] == best[0] and best[1] - second[1] < AMBIGUITY_MARGIN:
                # e.g. a sentence inserted before the quote that begins with the quoted word:
                # one copy keeps the old prefix, the other the old suffix. Do not guess.
                return None
        i = best[3]
        return Match(i, i + len(exact), "exact", round(best[1], 1))

    # 3. edited quotes: score candidate passages on quote and context
    scored: list[tuple[float, int, int]] = []
    for a, b in _fuzzy_candidates(text, exact, prefix, suffix, start, in_place=in_place):
        a, b = _snap_to_words(text, a, b, exact)
        if not _same_boundaries(text, a, b, exact, prefix, suffix):
            continue
        q = fuzz.ratio(exact, text[a:b])
        # a verbatim copy was already judged (and refused) by its context in step 2
        if q < MIN_QUOTE_SCORE or q == 100.0:
            continue
        p, s = _side_scores(text, a, b, prefix, suffix)
        if max(p, s) < 100.0:  # as in step 2: one side of the context must be intact
            continue
        total = W_QUOTE * q + W_PREFIX * p + W_SUFFIX * s
        if total >= MIN_TOTAL_SCORE:
            scored.append((total, a, b))
    if not scored:
        return None
    total, a, b = max(scored, key=lambda t: (t[0], -abs(t[1] - (start or 0))))
    return Match(a, b, "fuzzy", round(total, 1))
