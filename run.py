"""Set up and run the media-literacy kit with one command. Needs only Python 3.10+.

    python3 run.py lab     # first time: make .venv and install; then open the lessons
    python3 run.py test    # first time: make .venv and install; then run every test

A local virtual environment (``.venv``) is created on first use and refreshed whenever
pyproject.toml changes. Extra arguments after ``test`` go to pytest, e.g.
``python3 run.py test -m "not browser"``; extra arguments after ``lab`` go to JupyterLab, e.g.
``python3 run.py lab --port 8899 --no-browser``. As root (containers), ``--allow-root`` is added.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")

PYTEST = [
    "-m",
    "pytest",
    "tests",
    "kit",
    "lessons",
    "--doctest-modules",
    "--nbval-lax",
    "--nbval-sanitize-with",
    "tests/nbval_sanitize.cfg",
]


def say(message: str) -> None:
    print(f"[run.py] {message}", flush=True)


def call(*args: str | os.PathLike) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT)
    if result.returncode:
        sys.exit(result.returncode)


def ensure_environment(extra: str) -> None:
    """Create .venv and install the kit (with ``extra``) unless it is already up to date."""
    if sys.version_info < (3, 10):  # noqa: UP036  (run.py is what an old Python runs first)
        sys.exit(f"The kit needs Python 3.10 or newer; this is {sys.version.split()[0]}.")
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".installed-{extra or 'base'}-{digest}"
    if stamp.exists() and PYTHON.exists():
        return
    if not PYTHON.exists():
        say(f"creating a virtual environment in {VENV.name}/ ...")
        venv.EnvBuilder(with_pip=True).create(VENV)
    say("installing the kit and its dependencies (first run only; needs the internet once) ...")
    call(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".[{extra}]" if extra else "."
    call(PYTHON, "-m", "pip", "install", "--quiet", "-e", target)
    for old in VENV.glob(f".installed-{extra or 'base'}-*"):
        old.unlink()
    stamp.touch()


def lab(args: list[str]) -> None:
    """Open JupyterLab on the lessons; extra arguments (``--port 8899``, ``--no-browser``) pass
    through to JupyterLab."""
    ensure_environment("")
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in args:
        # Containers and Binder-like hosts often run as root, which Jupyter refuses by default.
        say("running as root (a container?): passing --allow-root to JupyterLab")
        args = [*args, "--allow-root"]
    say("opening JupyterLab on the lessons (stop it with Ctrl+C) ...")
    call(
        PYTHON,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={ROOT / 'lessons'}",
        "--LabApp.default_url=/lab/tree/00_start_here.ipynb",
        *args,
    )


def test(args: list[str]) -> None:
    ensure_environment("test")
    say("ruff: lint ...")
    call(PYTHON, "-m", "ruff", "check", "kit", "tests", "bench", "scripts", "run.py", "conftest.py")
    say("pytest: unit tests, doctests, every lesson under nbval, real-browser tests ...")
    call(PYTHON, *PYTEST, *args)


def main() -> None:
    commands = {"lab": lab, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
