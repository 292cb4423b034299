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


MAX_TOML_BYTES = 5_000_000  # the largest shipped data file is about 100 kB


class DataFileUnreadable(DataFileError):
    """The file is there (or named) but cannot be read: permissions, a pipe, a link loop."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: cannot be read ({reason})")
        self.reason = reason


def read_toml(path: Path, limit: int = MAX_TOML_BYTES) -> dict[str, Any]:
    """Parse a TOML file, turning any problem into a `DataFileError` that names the file.

    Only a regular file is read, and at most ``limit`` bytes of it, so a pipe or a device
    named like a data file cannot hang the kit. A UTF-8 byte-order mark (Notepad writes one)
    is allowed.
    """
    from kit._text import os_error_reason, read_regular_file

    try:
        raw = read_regular_file(path, limit)
    except FileNotFoundError:
        raise DataFileError(f"{path}: file not found") from None
    except (OSError, RuntimeError) as exc:
        raise DataFileUnreadable(path, os_error_reason(exc)) from None
    if len(raw) > limit:
        raise DataFileError(f"{path}: too large to be a data file (over {limit:,} bytes)")
    try:
        return tomllib.loads(raw.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path}: not UTF-8 text (bad byte at position {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise DataFileError(f"{path}: lists or tables nested too deeply to read") from None


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
