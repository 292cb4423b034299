"""Where the kit's data lives, and the one TOML reader every data file goes through."""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

ENV_VAR = "KIT_DATA_DIR"


class DataFileError(ValueError):
    """A data file of the kit (lexicon, manifest, key) is missing or malformed.

    The message always names the file, and the line where one is known.
    """


def data_dir() -> Path:
    """Return the folder that holds articles, lexicons, keys and the reference desk.

    ``KIT_DATA_DIR`` overrides it (for tests, and for instructors who keep their own copy).

    >>> (data_dir() / "lexicons").is_dir()
    True
    """
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser().resolve()
    here = Path(__file__).resolve().parent
    packaged = here / "_packaged_data"  # a wheel install carries data/ inside the package
    if packaged.is_dir():
        return packaged
    return here.parent / "data"


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, turning any problem into a `DataFileError` that names the file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(f"{path}: file not found") from None
    except OSError as exc:
        raise DataFileError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path}: not UTF-8 text (bad byte at position {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{path}: not valid TOML: {exc}") from None


def read_data_toml(relative: str) -> dict[str, Any]:
    """Read a TOML file under `data_dir()`, e.g. ``"lexicons/boilerplate.toml"``.

    Parsed once per file version: an instructor who edits a lexicon sees the change on the
    next call, without restarting the kernel.
    """
    path = data_dir() / relative
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = -1  # read_toml reports the missing file
    return _read_cached(path, stamp)


@cache
def _read_cached(path: Path, stamp: int) -> dict[str, Any]:
    return read_toml(path)
