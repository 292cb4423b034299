"""How long does the class view take for a big class? (class-view benchmark)

Run: ``python bench/bench_classview.py [--learners 200] [--seed 1] [--direct]``

Writes ``--learners`` synthetic learner files into a temporary folder, then times
:func:`kit.class_view` on them (reading every file, matching every learner against the answer
key, Krippendorff's alpha per tag) and the heatmap's data. Each synthetic learner works on
four or five of the articles; finds each key item with a chance that depends on the item
(some items are easy, some hard), sometimes clips or stretches the highlight by a few
characters, sometimes uses a neighbouring tag, and adds a few highlights of their own on
random words.

Files are written through :func:`kit.open_store` (the way a notebook writes them, with a lock
and an atomic save per highlight), or with ``--direct`` straight as W3C Web Annotation JSON in
the store's format (much faster to generate; read back by the same reader).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import kit

WORD = re.compile(r"\w+")
STAMP = "2026-01-20T10:00:00.000000Z"
# A learner who confuses tags tends to pick a neighbouring one.
CONFUSED = {
    "anonymous-source": "organization-source",
    "organization-source": "named-source",
    "named-source": "organization-source",
    "loaded-language": "framing-label",
    "framing-label": "loaded-language",
    "hedge": "loaded-language",
    "unsourced-figure": "checkable-claim",
}


def _learner_rows(
    rng: random.Random, articles: Any, items: list[Any], tags: list[str], difficulty: list[float]
) -> list[tuple[Any, int, int, str, str]]:
    """(article, start, end, tag, note) for one synthetic learner."""
    worked = set(rng.sample(list(articles.ids), k=min(len(articles.ids), rng.choice([4, 5]))))
    skill = rng.uniform(0.5, 1.2)
    rows = []
    for item, p in zip(items, difficulty, strict=True):
        if item.article_id not in worked or item.tag == "sourced-figure":
            continue
        if rng.random() > p * skill:
            continue
        text = articles[item.article_id].text
        start = max(0, item.start + rng.choice([0, 0, 0, 1, -3]))
        end = min(len(text), item.end + rng.choice([0, 0, 0, -1, 4]))
        if end <= start:
            start, end = item.start, item.end
        tag = CONFUSED.get(item.tag, item.tag) if rng.random() < 0.1 else item.tag
        rows.append((articles[item.article_id], start, end, tag, ""))
    for aid in worked:
        article = articles[aid]
        words = [m.span() for m in WORD.finditer(article.text)]
        for _ in range(rng.randint(1, 6)):
            k = rng.randrange(len(words))
            start, end = words[k][0], words[min(len(words) - 1, k + rng.randint(0, 3))][1]
            note = "I think this counts" if rng.random() < 0.2 else ""
            rows.append((article, start, end, rng.choice(tags), note))
    return rows


def _to_json(article: Any, start: int, end: int, tag: str, note: str) -> dict[str, Any]:
    text = article.text
    body = [{"type": "TextualBody", "purpose": "tagging", "value": tag}]
    if note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": note})
    return {
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": "Annotation",
        "motivation": "highlighting",
        "created": STAMP,
        "modified": STAMP,
        "body": body,
        "target": {
            "source": {"id": article.id, "type": "Text", "format": "text/plain"},
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": text[start:end],
                    "prefix": text[max(0, start - 32) : start],
                    "suffix": text[end : end + 32],
                },
                {"type": "TextPositionSelector", "start": start, "end": end},
            ],
        },
    }


def write_class(
    folder: Path,
    articles: Any,
    items: Any,
    *,
    learners: int = 200,
    seed: int = 1,
    direct: bool = False,
) -> int:
    """Write ``learners`` synthetic learner files into ``folder``; return how many highlights."""
    rng = random.Random(seed)
    items = list(items)
    tags = [t for t in CONFUSED] + ["checkable-claim", "opinion-as-fact"]
    difficulty = [rng.uniform(0.2, 0.95) for _ in items]
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for n in range(learners):
        name = f"Learner {n:03d}"
        rows = _learner_rows(rng, articles, items, tags, difficulty)
        total += len(rows)
        if direct:
            doc = {
                "@context": "http://www.w3.org/ns/anno.jsonld",
                "type": "AnnotationCollection",
                "schema_version": 1,
                "creator": {"type": "Person", "name": name},
                "total": len(rows),
                "removed": {},
                "first": {"type": "AnnotationPage", "items": [_to_json(*r) for r in rows]},
            }
            slug = f"learner-{n:03d}"
            (folder / f"{slug}.json").write_text(
                json.dumps(doc, ensure_ascii=False), encoding="utf-8"
            )
        else:
            store = kit.open_store(name, folder=folder)
            for article, start, end, tag, note in rows:
                store.add(article, start, end, tag, note)
    return total


def _key_items(articles: Any) -> tuple[Any, str]:
    try:
        key = kit.load_key(articles=articles)
    except Exception as exc:  # no key for this set: fall back to the detectors' hints
        from kit.hints import hints

        print(f"(no answer key: {exc}; using detector hints as the key)")

        class _Item:
            def __init__(self, aid: str, h: Any) -> None:
                self.article_id, self.tag, self.start, self.end = aid, h.tag, h.start, h.end
                self.exact, self.explanation, self.quoted = "", h.reason, False

        class _HintKey:
            items = tuple(_Item(a.id, h) for a in articles for h in hints(a))

        return _HintKey(), "detector hints"
    return key, "answer key"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--direct", action="store_true", help="write JSON files directly")
    args = parser.parse_args()

    articles = kit.load_articles()
    key, what = _key_items(articles)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        total = write_class(
            folder, articles, key.items, learners=args.learners, seed=args.seed, direct=args.direct
        )
        written = time.perf_counter() - t0
        how = "directly" if args.direct else "through kit.open_store"
        print(
            f"wrote {args.learners} learner files ({total} highlights, {len(key.items)} "
            f"{what} items) {how} in {written:.2f} s"
        )

        t0 = time.perf_counter()
        view = kit.class_view(folder, articles, key=key)
        built = time.perf_counter() - t0
        t0 = time.perf_counter()
        rows = view.sentence_rows()
        view.heatmap()
        charted = time.perf_counter() - t0
        t0 = time.perf_counter()
        view.heatmap().to_dict()
        warm = time.perf_counter() - t0
        t0 = time.perf_counter()
        frame = view.to_frame()
        framed = time.perf_counter() - t0

    print(f"class_view: {built:.3f} s ({len(view.learners)} learners, {len(view.skipped)} skipped)")
    print(f"heatmap ({len(rows)} rows): {charted:.3f} s first (imports altair), {warm:.3f} s again")
    print(f"to_frame ({len(frame)} rows): {framed:.3f} s")
    alphas = ", ".join(
        f"{t}={a:.2f}"
        for t, a in view.agreement.items()
        if a == a  # skip NaN
    )
    print(f"agreement: {alphas}")
    worst = view.most_missed(3)
    for s in worst:
        where = f"[{s.item.article_id}] {s.item.exact!r}"
        print(f"most missed: {where} found by {s.found_by}/{s.learners}")


if __name__ == "__main__":
    main()
