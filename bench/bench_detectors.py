"""Speed of the detectors on synthetic corpora of 1,000 and 5,000 articles.

Run:  python bench/bench_detectors.py  [--sizes 1000 5000] [--seed 7]

Each synthetic article is ~3 KB of the seed set's body sentences in shuffled order, written
to a temporary folder as a .txt file, so loading is timed for real. The script times, over
the whole corpus: loading, find_attributions, find_figures, find_framing (when kit.framing is
installed), find_contradictions, and one pass of ``re.findall(r"\\w+")`` over the same texts.
It prints each, the ratio analysis / findall (target <= 30) and the ratio of the 5,000 run
to the 1,000 run (target <= 6, i.e. close to linear).

Detectors run article by article (attributions, then figures, then framing), the way a
notebook reads a folder, so a detector that uses another's results (figures ask for
attributions) finds them already computed, as it would in class.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kit.articles import load_articles
from kit.compare import find_contradictions
from kit.figures import find_figures
from kit.sources import find_attributions

try:
    from kit.framing import find_framing
except ImportError:  # another part of the kit; the benchmark runs without it
    find_framing = None

TARGET_BYTES = 3000


def seed_sentences() -> list[str]:
    """Every body sentence of the course's seed articles."""
    out = []
    for article in load_articles():
        for s in article.body_sentences:
            sentence = article.text[s.start : s.end].strip()
            if len(sentence) > 20:
                out.append(sentence)
    return out


def write_corpus(folder: Path, n: int, sentences: list[str], rng: random.Random) -> None:
    for i in range(n):
        picked: list[str] = []
        size = 0
        while size < TARGET_BYTES:
            sentence = rng.choice(sentences)
            picked.append(sentence)
            size += len(sentence) + 1
        paragraphs = [" ".join(picked[k : k + 3]) for k in range(0, len(picked), 3)]
        headline = " ".join(picked[0].split()[:9]).rstrip(".,;:")
        body = "\n\n".join(paragraphs)
        (folder / f"article_{i:05d}.txt").write_text(f"{headline}\n\n{body}\n", encoding="utf-8")


def run(n: int, sentences: list[str], seed: int) -> dict[str, float]:
    rng = random.Random(seed + n)
    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="kit-bench-") as tmp:
        folder = Path(tmp)
        write_corpus(folder, n, sentences, rng)

        t0 = time.perf_counter()
        articles = load_articles(folder)
        times["load_articles"] = time.perf_counter() - t0

        detectors: list[tuple[str, Callable[[Any], Any]]] = [
            ("find_attributions", find_attributions),
            ("find_figures", find_figures),
        ]
        if find_framing is not None:
            detectors.append(("find_framing", find_framing))
        spent = dict.fromkeys((name for name, _ in detectors), 0.0)
        clock = time.perf_counter
        for article in articles:
            for name, detector in detectors:
                t0 = clock()
                detector(article)
                spent[name] += clock() - t0
        times.update(spent)

        t0 = time.perf_counter()
        found = find_contradictions(articles)
        times["find_contradictions"] = time.perf_counter() - t0
        times["contradictions found"] = float(len(found))

        texts = [a.text for a in articles]
        t0 = time.perf_counter()
        for text in texts:
            re.findall(r"\w+", text)
        times["findall"] = time.perf_counter() - t0
        times["mean bytes"] = sum(len(t.encode()) for t in texts) / len(texts)
    return times


ANALYSIS = ("find_attributions", "find_figures", "find_framing", "find_contradictions")


def report(n: int, times: dict[str, float]) -> float:
    print(f"\n{n:,} articles (mean {times['mean bytes']:,.0f} bytes)")
    for name in ("load_articles", *ANALYSIS, "findall"):
        if name in times:
            total = times[name]
            print(f"  {name:<22} {total:8.3f} s   {total / n * 1e6:8.1f} µs/article")
    analysis = sum(times.get(name, 0.0) for name in ANALYSIS)
    ratio = analysis / times["findall"]
    print(f"  {'analysis total':<22} {analysis:8.3f} s   {analysis / n * 1e6:8.1f} µs/article")
    print(f"  contradictions found: {int(times['contradictions found'])}")
    verdict = "ok" if ratio <= 30 else "OVER TARGET"
    print(f"  ratio analysis / findall = {ratio:.1f}  (target <= 30: {verdict})")
    return analysis


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    sentences = seed_sentences()
    print(f"{len(sentences)} seed sentences; framing detector: {find_framing is not None}")
    totals = {}
    for n in args.sizes:
        totals[n] = report(n, run(n, sentences, args.seed))
    if len(totals) >= 2:
        small, large = min(totals), max(totals)
        ratio = totals[large] / totals[small]
        expected = large / small
        verdict = "ok" if ratio <= expected * 1.2 else "OVER TARGET"
        print(
            f"\nratio {large:,}/{small:,} analysis time = {ratio:.2f}  "
            f"(target <= {expected * 1.2:.0f}: {verdict})"
        )


if __name__ == "__main__":
    main()
