"""How well do learners' highlights survive edits to an article? (re-anchoring benchmark)

Run: ``python bench/bench_reanchor.py [--trials 100] [--seed 1]``

For each kind of edit, ``--trials`` times: pick a random word-aligned quote (1 to 12 words)
in one of the articles, store it the way the annotation store does (quote, ~32 characters of
context, position), apply one random edit to the article, and look for the quote again with
:func:`kit.anchoring.locate`. Each outcome is one of

* ``correct``   - found where the quoted words now are (overlap >= 75% of the true span), or
                  reported orphaned when the quoted words no longer exist;
* ``orphaned``  - the words still exist (perhaps edited) but the quote was not re-attached;
                  safe, the learner is asked to highlight again;
* ``wrong``     - attached to other words. The goal is zero.

Edits, each a KIND of change an article goes through between versions:

* ``insert-before``   a sentence from another article inserted somewhere before the quote
* ``insert-adjacent`` a sentence inserted right before the quote (its prefix is destroyed)
* ``change-word``     one word inside the quote replaced by another word
* ``change-context``  one word in the 32 characters before or after the quote replaced
* ``delete-quote``    the quoted words deleted
* ``delete-sentence`` the whole sentence holding the quote deleted
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kit import load_articles
from kit.anchoring import locate, quote_selector

WORD = re.compile(r"\w+(?:['’.-]\w+)*")
KINDS = (
    "insert-before",
    "insert-adjacent",
    "change-word",
    "change-context",
    "delete-quote",
    "delete-sentence",
)
MIN_OVERLAP = 0.75


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def _pick_quote(rng: random.Random, text: str, body: tuple) -> tuple[int, int]:
    words = [
        m.span() for m in WORD.finditer(text) if any(s.start <= m.start() < s.end for s in body)
    ]
    n = rng.randint(1, 12)
    i = rng.randrange(0, len(words) - n)
    return words[i][0], words[i + n - 1][1]


def _edit(rng, kind, text, start, end, art, donors):
    """Apply one edit; return (new text, expected span or None when the words are gone)."""
    sentence = rng.choice(donors).strip() + " "
    if kind == "insert-before":
        cuts = [0] + [m.start() for m in WORD.finditer(text, 0, start)]
        at = rng.choice(cuts)
        return text[:at] + sentence + text[at:], (start + len(sentence), end + len(sentence))
    if kind == "insert-adjacent":
        return text[:start] + sentence + text[start:], (start + len(sentence), end + len(sentence))
    if kind == "change-word":
        inside = list(WORD.finditer(text, start, end))
        w = rng.choice(inside)
        new = rng.choice([d for d in WORD.findall(" ".join(donors)) if d != w.group()])
        delta = len(new) - (w.end() - w.start())
        return text[: w.start()] + new + text[w.end() :], (start, end + delta)
    if kind == "change-context":
        near = [
            m
            for m in WORD.finditer(text, max(0, start - 32), min(len(text), end + 32))
            if m.end() <= start or m.start() >= end
        ]
        if not near:
            return text, (start, end)
        w = rng.choice(near)
        new = rng.choice([d for d in WORD.findall(" ".join(donors)) if d != w.group()])
        delta = len(new) - (w.end() - w.start())
        shift = delta if w.end() <= start else 0
        return text[: w.start()] + new + text[w.end() :], (start + shift, end + shift)
    if kind == "delete-quote":
        return text[:start] + text[end:], None
    if kind == "delete-sentence":
        s = art.sentence_at(start)
        e = art.sentence_at(end - 1)
        a = s.start if s else start
        b = e.end if e else end
        return text[:a] + text[b:], None
    raise ValueError(kind)


def run(trials: int, seed: int) -> dict[str, Counter]:
    rng = random.Random(seed)
    arts = list(load_articles())
    results: dict[str, Counter] = {k: Counter() for k in KINDS}
    for kind in KINDS:
        for _ in range(trials):
            art = rng.choice(arts)
            donors = [
                o.text[s.start : s.end]
                for o in arts
                if o is not art
                for s in o.body_sentences
                if 20 < s.end - s.start < 300
            ]
            start, end = _pick_quote(rng, art.text, art.body_sentences)
            exact, prefix, suffix = quote_selector(art.text, start, end)
            text, expected = _edit(rng, kind, art.text, start, end, art, donors)
            m = locate(text, exact=exact, prefix=prefix, suffix=suffix, start=start)
            if expected is None:
                # the words are gone: only an orphan is right, unless the very same words
                # with the very same context still exist elsewhere (a duplicated passage)
                if m is None or (
                    text[m.start : m.end] == exact
                    and quote_selector(text, m.start, m.end) == (exact, prefix, suffix)
                ):
                    outcome = "correct"
                else:
                    outcome = "wrong"
            elif m is None:
                outcome = "orphaned"
            elif _overlap((m.start, m.end), expected) >= MIN_OVERLAP:
                outcome = "correct"
            else:
                outcome = "wrong"
            results[kind][outcome] += 1
            results[kind][f"method:{m.method if m else 'none'}"] += 1
            if outcome == "wrong" and "-v" in sys.argv:
                found = text[m.start : m.end] if m else None
                print(f"WRONG {kind}: {exact!r} -> {found!r} ({m})", file=sys.stderr)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100, help="edits per kind (default 100)")
    parser.add_argument("--seed", type=int, default=1)
    args, _ = parser.parse_known_args()
    t0 = time.perf_counter()
    results = run(args.trials, args.seed)
    elapsed = time.perf_counter() - t0
    total = Counter()
    print(f"{'edit':<16} {'correct':>8} {'orphaned':>9} {'wrong':>6}   methods")
    for kind, c in results.items():
        methods = ", ".join(f"{k[7:]} {v}" for k, v in sorted(c.items()) if k.startswith("method:"))
        print(f"{kind:<16} {c['correct']:>8} {c['orphaned']:>9} {c['wrong']:>6}   {methods}")
        total.update(c)
    n = sum(total[k] for k in ("correct", "orphaned", "wrong"))
    print(f"{'all':<16} {total['correct']:>8} {total['orphaned']:>9} {total['wrong']:>6}")
    print(f"{n} edits, {elapsed / n * 1e3:.2f} ms per re-anchoring")


if __name__ == "__main__":
    main()
