"""Speed of find_contradictions over many article sets, and how it grows.

Run:  python bench/bench_compare.py  [--sets 100 300 1000] [--size 5] [--seed 7]

Part 1 builds N synthetic article sets of ``--size`` articles each. Every set copies the
articles of one development set (repeating them when the set has fewer), each article's body
sentences shuffled, so no two articles are the same text and nothing is cached between sets.
It times ``find_contradictions`` over all N sets (claim finding included, loading not) and
prints seconds, milliseconds per set and per article, claims per set, how many claim pairs
were scored, and microseconds per scored pair. Work per set is independent of the other
sets, so the time should grow in proportion to N: the last column is the time per article
relative to the smallest run (1.0 means exactly linear).

Part 2 makes one set bigger and bigger (5 to 40 articles on one story; the copies get new
digits, so they are not merged as reprints). There the number of
claim pairs that *could* be compared grows with the square of the claims, but only pairs
that share one of a claim's strongest context words and its kind are scored (an inverted
index; a word tied to too many claims is skipped), so the scored pairs per claim stay
bounded and the time per article grows slowly. The printout shows both counts.

Not a timed test: run it by hand on a quiet machine.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import kit.compare as compare
from kit._data import data_dir
from kit.articles import Article, load_articles
from kit.compare import find_contradictions
from kit.figures import find_claims

# The development sets only: the sealed set is kept out of every tuning and timing run.
DEV_SETS = (
    "carney-beijing-2026",
    "marrowgate-mill-vote",
    "wikinews-earthquakes",
    "harlan-valley-hospital-2026",
    "key-bridge-collapse-2024",
    "brannock-heat-emergency-2026",
)


def dev_articles() -> list[list[tuple[str, list[str]]]]:
    """Per development set: (headline, body sentences) of each article."""
    out = []
    for name in DEV_SETS:
        folder = data_dir() / "articles" / name
        if not folder.is_dir():
            continue
        story = []
        for a in load_articles(folder):
            sentences = [a.text[s.start : s.end].strip() for s in a.body_sentences]
            story.append((a.headline or "Untitled", [s for s in sentences if s]))
        out.append(story)
    return out


def write_set(
    folder: Path,
    story: list[tuple[str, list[str]]],
    size: int,
    rng: random.Random,
    *,
    new_digits: bool = False,
):
    """Write and load one set; ``new_digits`` redraws every digit, so copies are not reprints."""
    folder.mkdir(parents=True)
    for k in range(size):
        headline, sentences = story[k % len(story)]
        body = sentences[:]
        rng.shuffle(body)
        if new_digits and k >= len(story):
            body = [re.sub(r"[1-9]", lambda _m: str(rng.randint(1, 9)), b) for b in body]
        (folder / f"a{k:02d}.txt").write_text(f"{headline}\n\n" + " ".join(body) + "\n", "utf-8")
    return load_articles(folder)


class Counter:
    """Counts the claim pairs compare scores, by wrapping its similarity function."""

    def __init__(self) -> None:
        self.pairs = 0
        self._cosine = compare._cosine

    def __enter__(self) -> Counter:
        def counted(a, b):
            self.pairs += 1
            return self._cosine(a, b)

        compare._cosine = counted
        return self

    def __exit__(self, *exc: object) -> None:
        compare._cosine = self._cosine


def time_sets(sets: list[list[Article]]) -> tuple[float, int, int, int]:
    """Seconds for find_contradictions over every set, findings, claims, scored pairs.

    Claims are counted after the timed run, so nothing the count computes helps the run.
    """
    with Counter() as counter:
        t0 = time.perf_counter()
        findings = sum(len(find_contradictions(s)) for s in sets)
        seconds = time.perf_counter() - t0
    claims = sum(len(find_claims(a)) for s in sets for a in s)
    return seconds, findings, claims, counter.pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument("--size", type=int, default=5, help="articles per set")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    stories = dev_articles()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"Part 1: N sets of {args.size} articles (find_contradictions, claims included)")
        print(
            f"{'sets':>6} {'articles':>8} {'seconds':>8} {'ms/set':>7} {'ms/article':>10}"
            f" {'claims/set':>10} {'pairs/set':>9} {'us/pair':>8} {'vs smallest':>11}"
        )
        first = None
        for n in args.sets:
            sets = [
                write_set(root / f"n{n}-{i}", stories[i % len(stories)], args.size, rng)
                for i in range(n)
            ]
            seconds, _found, claims, pairs = time_sets(sets)
            per_article = seconds / (n * args.size)
            first = first or per_article
            print(
                f"{n:>6} {n * args.size:>8} {seconds:>8.2f} {1000 * seconds / n:>7.1f}"
                f" {1000 * per_article:>10.2f} {claims / n:>10.1f} {pairs / n:>9.0f}"
                f" {1e6 * seconds / max(pairs, 1):>8.1f} {per_article / first:>11.2f}"
            )
        print("\nPart 2: one story, more and more articles in the set")
        print(
            f"{'articles':>8} {'seconds':>8} {'ms/article':>10} {'claims':>7}"
            f" {'possible pairs':>14} {'scored pairs':>12} {'scored/claim':>12}"
        )
        story = max(stories, key=len)
        for size in (5, 10, 20, 40):
            s = write_set(root / f"grow-{size}", story, size, rng, new_digits=True)
            seconds, _found, claims, pairs = time_sets([s])
            print(
                f"{size:>8} {seconds:>8.2f} {1000 * seconds / size:>10.2f} {claims:>7}"
                f" {claims * (claims - 1) // 2:>14} {pairs:>12} {pairs / max(claims, 1):>12.1f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
