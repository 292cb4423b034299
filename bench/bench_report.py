"""How long does `kit class-report` take for a class of 200? (class-report benchmark)

Run: ``python bench/bench_report.py [--learners 200] [--seed 1]``

Writes ``--learners`` synthetic learner files (the same generator as
``bench_classview.py``, written directly in the store's JSON format), then times the
command an instructor runs, ``kit class-report FOLDER --out report.html``, in this process:
reading the files, building the class view, drawing the charts as inline SVG and writing one
HTML file. Prints each step's seconds and the report's size.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import kit
from bench.bench_classview import _key_items, write_class


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from click.testing import CliRunner

    from kit.cli import cli

    articles = kit.load_articles()
    key, what = _key_items(articles)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "class")
        folder.mkdir()
        total = write_class(
            folder, articles, key.items, learners=args.learners, seed=args.seed, direct=True
        )
        print(f"{args.learners} learner files, {total} highlights, {len(key.items)} {what} items")
        out = Path(tmp, "report.html")
        runner = CliRunner()
        for run in ("first (imports altair, starts the chart engine)", "again"):
            t0 = time.perf_counter()
            result = runner.invoke(cli, ["class-report", str(folder), "--out", str(out)])
            seconds = time.perf_counter() - t0
            if result.exit_code != 0:
                raise SystemExit(result.output)
            size = out.stat().st_size / 1024
            print(f"class-report, {run}: {seconds:.2f} s, {size:.0f} KiB, {args.learners} learners")


if __name__ == "__main__":
    main()
