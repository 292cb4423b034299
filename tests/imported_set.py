"""A course switched to a set an instructor built with the `kit` commands, as the README says.

The articles are real public-domain texts (the US federal texts of
``data/articles/key-bridge-collapse-2024``), given to ``kit import`` as pasted-text files the
way an instructor copies an article out of a browser. Nothing of the set is written by hand:
``kit new-set`` makes it, ``kit import`` fills it, ``kit key`` drafts the key, the drafts are
confirmed (every ``draft = true`` line deleted, as the instructor would after reading them),
``kit validate`` passes, and ``data/course.toml`` names the set.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from kit.cli import cli

REPO = Path(__file__).resolve().parent.parent
REAL = REPO / "data" / "articles" / "key-bridge-collapse-2024"
NAME = "pasted-bridge-texts"


def _run(*args: object) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, f"kit {' '.join(map(str, args))}: {result.output}"
    return result.output


def build_imported_course(data: Path) -> Path:
    """Make ``data/articles/NAME`` with the kit's commands and point ``data/course.toml`` at it.

    ``data`` is a copy of the repository's ``data/`` folder; returns the set's folder.
    """
    pasted = data.parent / "pasted"
    pasted.mkdir(exist_ok=True)
    for n, src in enumerate(sorted(REAL.glob("*.txt"))[:4], start=1):
        shutil.copy(src, pasted / f"copied-{n}.txt")
    folder = data / "articles" / NAME
    key = data / "keys" / f"{NAME}.toml"
    _run("new-set", folder, "--key", key)
    _run("import", *sorted(pasted.glob("*.txt")), "--into", folder)
    _run("key", folder, "--key", key, "--force")
    key.write_text(re.sub(r"(?m)^draft = true\n", "", key.read_text(encoding="utf-8")))
    _run("validate", folder, "--key", key)
    (data / "course.toml").write_text(f'articles = "{NAME}"\n', encoding="utf-8")
    return folder
