"""Write the demo class: synthetic learner files an instructor can open before the first class.

Run: ``python bench/make_demo_class.py [--set carney-beijing-2026] [--learners 12] [--seed 12]``

The learners are made up. Each one works on four or five articles of the set, finds each
answer-key item (or, for a set with no key, each of the kit's hints) with a chance that
depends on the item, sometimes clips a highlight or picks a neighbouring tag, and adds a
few highlights of their own. The same ``--seed`` always writes the same files, so the files
in ``data/demo-class/<set>/`` can be rebuilt and checked.

Each synthetic learner also gets a progress file (``learner-NNN.progress.json``) with made-up
first tries at every lesson's pre- and post-check (``data/checks/``), so the class view's
"Pre- and post-checks" table has something to show. The file says it is synthetic (section
``"demo"``). The scores come from a simple model, not from people: each learner has an
ability, each item a difficulty, and the chance of a right answer rises by a fixed amount
after the lesson. They measure nothing about the kit.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import random
import sys
import uuid
from pathlib import Path
from typing import Any

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
    write_demo_progress(folder, learners=learners, seed=seed)
    return folder


# The made-up model of the checks: log-odds of a right answer = ability - difficulty + phase.
PRE_LOGIT, POST_LOGIT = 0.2, 1.3  # on average about 55% right before and 75% after
SKIP_PRE, SKIP_POST = 0.1, 0.15  # the chance a learner skipped a check


class _Memory:
    """A progress file held in memory, so kit.prepost.record builds exactly what it saves."""

    def __init__(self) -> None:
        self.sections: dict[str, dict[str, Any]] = {}

    def get(self, section: str, key: str, default: Any = None) -> Any:
        return self.sections.get(section, {}).get(key, default)

    def put(self, section: str, key: str, value: Any) -> None:
        self.sections.setdefault(section, {})[key] = value


def _choice(rng: random.Random, item: Any, logit: float) -> str:
    right = rng.random() < 1 / (1 + math.exp(-logit))
    return item.answer if right else rng.choice([o for o in item.options if o != item.answer])


def write_demo_progress(folder: Path, *, learners: int, seed: int) -> None:
    """Write a synthetic progress file with first tries at every check for each learner."""
    from kit.prepost import lessons_with_checks, load_checks, record, score
    from kit.progress import _serialise

    rng = random.Random(seed * 1000 + 7)
    checks = [load_checks(n) for n in lessons_with_checks()]
    difficulty = {i.id: rng.uniform(-0.8, 0.8) for c in checks for i in c.pre + c.post}
    for n in range(learners):
        name, ability, memory = f"Learner {n:03d}", rng.gauss(0, 0.8), _Memory()
        memory.put("demo", "synthetic", True)
        memory.put("demo", "note", "A made-up learner written by bench/make_demo_class.py.")
        for day, lesson in enumerate(checks):
            for phase, base, skip in (
                ("pre", PRE_LOGIT, SKIP_PRE),
                ("post", POST_LOGIT, SKIP_POST),
            ):
                if rng.random() < skip:
                    continue
                answers = {
                    i.id: _choice(rng, i, ability - difficulty[i.id] + base)
                    for i in lesson.items(phase)
                }
                hour = 10 if phase == "pre" else 11
                when = f"2026-01-{20 + day:02d}T{hour}:{n:02d}:00.000000Z"
                result = dataclasses.replace(score(lesson, phase, answers), time=when)
                record(result, memory)  # type: ignore[arg-type]
        path = folder / f"learner-{n:03d}.progress.json"
        path.write_bytes(_serialise(name, memory.sections))


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
    print(f"wrote {args.learners} synthetic learners' annotation and progress files in {folder}")


if __name__ == "__main__":
    main()
