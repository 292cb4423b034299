"""Small builders shared by the test modules."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kit.keys import KeyItem

REPO = Path(__file__).resolve().parent.parent


def find_quote(text: str, quote: str, occurrence: int = 1) -> int:
    """Offset of the ``occurrence``-th (1-based) ``quote`` in ``text``."""
    at = -1
    for _ in range(occurrence):
        at = text.index(quote, at + 1)
    return at


def key_item(article, quote, tag, explanation="why", *, quoted=False, occurrence=1) -> KeyItem:
    """An answer-key item for the ``occurrence``-th ``quote`` in ``article``."""
    at = find_quote(article.text, quote, occurrence)
    return KeyItem(
        article_id=article.id,
        tag=tag,
        start=at,
        end=at + len(quote),
        exact=quote,
        explanation=explanation,
        kind=None,
        quoted=quoted,
        verdict=None,
        references=(),
    )


def as_unprivileged(argv: list[str], *, cwd: str = "/") -> subprocess.CompletedProcess:
    """Run ``python ARGV...`` as a user that file permissions apply to (``nobody`` as root).

    Root reads every file, so permission tests drop to ``nobody``; they skip, saying why,
    where that user does not exist or the kit cannot be read by it.
    """
    kwargs: dict = {}
    if os.geteuid() == 0:
        kwargs = {"user": "nobody", "group": "nogroup", "extra_groups": []}
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    # CI sets KIT_REQUIRE_UNPRIVILEGED=1: there these tests must run, never skip.
    give_up = pytest.fail if os.environ.get("KIT_REQUIRE_UNPRIVILEGED") == "1" else pytest.skip
    try:
        probe = subprocess.run(
            [sys.executable, "-c", "import kit"], capture_output=True, env=env, cwd=cwd, **kwargs
        )
    except (KeyError, OSError) as exc:  # no such user, or cannot switch
        give_up(f"cannot run as an unprivileged user here: {exc}")
    if probe.returncode != 0:
        give_up(f"the kit is not readable by an unprivileged user here: {probe.stderr[-200:]}")
    return subprocess.run(
        [sys.executable, *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        **kwargs,
    )


def snippet_as_unprivileged(code: str, *args: str) -> str:
    """Run Python ``code`` with ``args`` as an unprivileged user; its output, never a traceback."""
    done = as_unprivileged(["-c", code, *args])
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


def returns_within(call: Callable[[], Any], folder: Path, what: str, seconds: float = 5.0) -> Any:
    """``call()``'s result or the exception it raised; fails the test if it hangs.

    A call that has not returned in ``seconds`` is unblocked by opening the write end of every
    FIFO in ``folder`` (so a reader stuck on one sees the end of the file), then the test fails.
    """
    result: list[Any] = []

    def run() -> None:
        try:
            result.append(call())
        except BaseException as exc:  # the test inspects whatever came out
            result.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        for entry in folder.iterdir():
            if entry.is_fifo():
                os.close(os.open(entry, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(5)
        pytest.fail(f"{what} did not return within {seconds} s")
    return result[0]


def run_lesson(path: Path) -> str:
    """Execute the notebook at ``path`` top to bottom; returns the text of all its outputs.

    Fails the test, naming the lesson, on the first error output. The article set is whatever
    the environment (``KIT_ARTICLES``, ``KIT_DATA_DIR``) says.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    errors = [o for o in outputs if o.output_type == "error"]
    assert not errors, f"{path.name}: {errors[0]['ename']}: {errors[0]['evalue']}"
    return "\n".join(
        str(o.get("text", ""))
        + str(o.get("data", {}).get("text/plain", ""))
        + str(o.get("data", {}).get("text/html", ""))
        for o in outputs
    )
