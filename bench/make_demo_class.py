"""Write the demo class: synthetic learner files an instructor can open before the first class.

Run: ``python bench/make_demo_class.py [--set carney-beijing-2026] [--learners 12] [--seed 12]``

The learners are made up. Each one works on four or five articles of the set, finds each
answer-key item (or, for a set with no key, each of the kit's hints) with a chance that
depends on the item, sometimes clips a highlight or picks a neighbouring tag, and adds a
few highlights of their own. The same ``--seed`` always writes the same files, so the files
in ``data/demo-class/<set>/`` can be rebuilt and checked.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench.bench_classview as generator
import kit
from kit._data import data_dir


def make_demo_class(set_name: str, *, learners: int = 12, seed: int = 12) -> Path:
    """Write ``learners`` synthetic learner files for ``set_name``; return their folder."""
    where = Path(set_name) if Path(set_name).is_dir() else data_dir() / "articles" / set_name
    articles = kit.load_articles(where)
    set_name = where.name
    key, _ = generator._key_items(articles)
    folder = data_dir() / "demo-class" / set_name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("learner-*.json"):
        old.unlink()
    ids = random.Random(seed)  # ids from the seed too, so the files are reproducible
    generator.uuid.uuid4 = lambda: uuid.UUID(int=ids.getrandbits(128), version=4)
    generator.write_class(folder, articles, key.items, learners=learners, seed=seed, direct=True)
    return folder


def main() -> None:
    if os.environ.get("PYTHONHASHSEED") != "0":  # the generator iterates over sets of ids
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable, *sys.argv])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="carney-beijing-2026", help="set name or folder")
    parser.add_argument("--learners", type=int, default=12)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    folder = make_demo_class(args.set, learners=args.learners, seed=args.seed)
    print(f"wrote {args.learners} synthetic learner files in {folder}")


if __name__ == "__main__":
    main()
