"""Fuzzing the article loader with hostile folders: it returns or says what is wrong, never hangs.

Each example builds a folder of random entries (plain files of random bytes, named pipes,
links inside and outside the folder, links to devices, sub-folders, random modes) and checks
that `kit.load_articles` either returns an `ArticleSet` or raises `kit.ArticleSetError`,
within a time limit.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kit

TIME_LIMIT = 5.0  # seconds; a good folder loads in milliseconds

NAMES = st.sampled_from(["a.txt", "b.txt", "C.TXT", ".hidden.txt", "manifest.toml", "notes.md"])
KINDS = st.sampled_from(
    ["bytes", "text", "fifo", "link-inside", "link-outside", "link-device", "link-broken", "dir"]
)
ENTRY = st.tuples(
    NAMES,
    KINDS,
    st.binary(max_size=300),
    st.integers(min_value=0, max_value=0o777),
)
MANIFESTS = st.sampled_from(
    [
        b'[[article]]\nfile = "a.txt"\n',
        b'[[article]]\nfile = "."\n',
        b'[[article]]\nfile = "../outside/secret.txt"\n',
        b'[set]\nnotes = "one"\n[[article]]\nfile = "b.txt"\nnotes = ["x"]\n',
        b"x = " + b"[" * 3000 + b"]" * 3000,
    ]
)


def _make(folder: Path, outside: Path, entry: tuple[str, str, bytes, int], manifest: bytes) -> None:
    name, kind, data, mode = entry
    path = folder / name
    if path.exists() or path.is_symlink():
        return
    if kind in ("bytes", "text"):
        payload = data if kind == "bytes" else b"Headline\n\n" + data.decode("latin-1").encode()
        path.write_bytes(manifest if name == "manifest.toml" and kind == "text" else payload)
        path.chmod(mode | stat.S_IRUSR)  # root reads anyway; keep it removable for clean-up
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "link-inside":
        path.symlink_to(folder / "a.txt")
    elif kind == "link-outside":
        path.symlink_to(outside / "secret.txt")
    elif kind == "link-device":
        path.symlink_to("/dev/zero" if mode % 2 else "/dev/null")
    elif kind == "link-broken":
        path.symlink_to(folder / "nowhere.txt")
    else:
        path.mkdir()


def _load_within(folder: Path) -> object:
    result: list[object] = []

    def run() -> None:
        try:
            result.append(kit.load_articles(folder))
        except BaseException as exc:  # judged below
            result.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(TIME_LIMIT)
    if worker.is_alive():
        for entry in folder.iterdir():  # give a blocked reader its end of file
            if entry.is_fifo():
                os.close(os.open(entry, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(5)
        pytest.fail(f"load_articles hung for over {TIME_LIMIT} s on {sorted(os.listdir(folder))}")
    return result[0]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ENTRY, min_size=1, max_size=6), MANIFESTS)
def test_load_articles_returns_or_explains_and_never_hangs(entries, manifest):
    root = Path(tempfile.mkdtemp(prefix="kit-fuzz-"))
    try:
        folder, outside = root / "set", root / "outside"
        folder.mkdir()
        outside.mkdir()
        (outside / "secret.txt").write_text("Secret headline\n\nNot part of the set.")
        for entry in entries:
            _make(folder, outside, entry, manifest)
        outcome = _load_within(folder)
        if isinstance(outcome, BaseException):
            assert isinstance(outcome, kit.ArticleSetError), repr(outcome)
            assert str(folder) in str(outcome)  # the message names the file or folder
        else:
            assert isinstance(outcome, kit.ArticleSet)
            for article in outcome:
                real = Path(article.path).resolve()
                assert real.parent == folder.resolve()  # nothing from outside loaded
                assert stat.S_ISREG(real.stat().st_mode)
    finally:
        shutil.rmtree(root, ignore_errors=True)
