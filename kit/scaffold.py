"""A new, empty article set for an instructor's own articles (``kit new-set``).

`new_set` writes a commented ``manifest.toml``, one invented example article, a README of
next steps and an empty answer key, all at once: the folder is built under a temporary name
next to where it goes and renamed into place, so a failure leaves nothing behind.

>>> import tempfile, pathlib, kit
>>> with tempfile.TemporaryDirectory() as d:
...     made = new_set(pathlib.Path(d, "my-story"), key_path=pathlib.Path(d, "my-story.toml"))
...     kit.load_articles(made.folder).ids
('example',)
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kit.articles import ArticleSetError

__all__ = ["EXAMPLE_ARTICLE", "NewSet", "default_key_path", "new_set", "write_atomic"]

EXAMPLE_FILE = "example-article.txt"

# Invented for the scaffold: no real people, places or outlets.
EXAMPLE_ARTICLE = """\
Town council votes to keep the night ferry running

The Wexmoor town council voted 7 to 2 on Tuesday to keep the night ferry running until
the end of next year, Mayor Lena Okafor said after the meeting.

The service costs about $1.2 million a year. Officials said ridership had fallen by a
third since 2023, but several councillors argued the ferry is a lifeline for shift workers.

"People who clean our hospitals at 3 a.m. need a way home," said councillor Rui Santos.

Critics say the money could be better spent. The decision is expected to be reviewed in
the spring.
"""

MANIFEST = """\
# The manifest of this article set: what each article's own text or page shows about it.
# Write "unknown" wherever the text does not say; never guess. `kit import` fills in an
# [[article]] table for every file it imports. Check the set with:  kit validate {folder}

[set]
title = "{title}"
description = "Articles I collected on one story."
language = "en"
# Notes shown to learners about the set as a whole (licences, where the texts come from).
notes = []

# Who counts as which side when the kit measures voice share. Uncomment and fill in:
# [set.sides]
# Council = ["council", "Mayor Lena Okafor"]
# Critics = ["critics"]

# The example article below is invented; `kit import` removes it when you import your
# first article (or delete this table and the file yourself).
[[article]]
file = "{example}"
id = "example"
headline = "Town council votes to keep the night ferry running"
outlet = "unknown"
byline = "unknown"
published = "unknown"
notes = ["An invented example, not a real news story."]
"""

README = """\
# {name}: next steps

1. Save each article's web page from your browser (File > Save Page As, "Web page, HTML
   only"), or copy its text into a `.txt` file (first line: the headline).
2. Import them:  `kit import page1.html page2.html --into {folder}`
   The text goes into a `.txt` file per article, what the page says about itself (title,
   author, date, site) into `manifest.toml`, and the original file into `originals/`.
3. Draft an answer key from the kit's hints:  `kit key {folder}`
   Every item is marked `draft = true`. Read each one; fix or delete it; delete its
   `draft` line once you agree. Or annotate the articles yourself in a lesson and turn your
   own highlights into a key:  `kit key {folder} --from-learner FILE`
4. Check everything:  `kit validate {folder}`
5. Point the course at this set: write `articles = "{name}"` in `data/course.toml`.
"""

KEY = """\
# Answer key for the article set "{name}". Empty for now: `kit key {folder}` drafts one
# from the kit's hints. The format is described in data/keys/README.md.
[key]
set = "{name}"
schema_version = 1
method = "Not written yet."
annotators = "unknown"
"""


@dataclass(frozen=True, slots=True)
class NewSet:
    """What `new_set` made: the set's folder and its answer key file."""

    folder: Path
    key: Path


def default_key_path(folder: str | Path) -> Path:
    """Where the lessons look for the key of the set in ``folder``: ``data/keys/<name>.toml``.

    >>> default_key_path("data/articles/my-story").name
    'my-story.toml'
    """
    from kit._data import data_dir

    return data_dir() / "keys" / f"{Path(folder).name}.toml"


def new_set(folder: str | Path, *, key_path: str | Path | None = None) -> NewSet:
    """Create the article set ``folder`` with an example article, manifest, README and key.

    Refuses (`ArticleSetError`) when ``folder`` already exists or the key file does, so an
    instructor's work is never overwritten.
    """
    folder = Path(folder).expanduser()
    key = Path(key_path).expanduser() if key_path is not None else default_key_path(folder)
    if folder.exists():
        raise ArticleSetError(f"{folder}: already exists; choose a new folder name")
    if key.exists():
        raise ArticleSetError(f"{key}: an answer key with this set's name already exists")
    name = folder.name
    values = {"name": name, "folder": str(folder), "title": name, "example": EXAMPLE_FILE}
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{name}.new-", dir=folder.parent))
    _usual_mode(work)
    try:
        (work / EXAMPLE_FILE).write_text(EXAMPLE_ARTICLE, encoding="utf-8")
        (work / "manifest.toml").write_text(MANIFEST.format(**values), encoding="utf-8")
        (work / "README.md").write_text(README.format(**values), encoding="utf-8")
        (work / "originals").mkdir()
        os.rename(work, folder)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    try:
        write_atomic(key, KEY.format(**values))
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise ArticleSetError(f"{key}: cannot write the answer key ({exc.strerror})") from None
    return NewSet(folder, key)


def _usual_mode(folder: Path) -> None:
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a report or key is not
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
