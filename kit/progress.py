"""A learner's progress file: small results (check scores, finished steps) kept per learner.

File format
-----------
One JSON file per learner, ``<slug>.progress.json``, in the same folder as the learner's
annotation file (:func:`kit.annotations.default_folder`) and named from the same slug
(:func:`kit.annotations.learner_slug`)::

    {"type": "LearnerProgress", "version": 1, "learner": "Ana",
     "generator": "media-literacy-kit", "sections": {"checks": {"01-pre": {...}}}}

``sections`` maps a section name (one per part of the kit that keeps results: ``"checks"``
for the pre- and post-checks, for example) to an object of key -> value, where a value is any
JSON value within the limits below.

Safety
------
The file is kept as carefully as the annotations are (and with the same helpers):

* every :meth:`Progress.put` is saved at once, with an atomic write (temporary file, fsync,
  rename, folder fsync) under a ``filelock`` lock on ``<file>.lock``; under the lock the file
  is read again first, so two notebooks writing different sections never lose each other's;
* only a regular file is read, and at most :data:`MAX_FILE_BYTES` of it, so a pipe or a device
  in its place cannot hang the kernel; a link that leads out of the folder is refused;
* a file that cannot be understood (not JSON, the wrong shape, far too large) is never
  overwritten: it is renamed aside to ``<name>.corrupt-<UTC time>.json`` and the error says
  where it went; a file recording another learner's name is refused and left as it is.
"""

from __future__ import annotations

import contextlib
import copy
import json
import math
import os
import stat
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kit._text import os_error_reason, read_regular_file
from kit.annotations import (
    LOCK_TIMEOUT,
    MAX_NAME_CHARS,
    PROGRESS_SUFFIX,
    AnnotationStoreError,
    _aside_name,
    _atomic_write,
    _clean_text,
    _file_owner,
    _fsync_dir,
    _name_hash,
    _same_learner,
    default_folder,
    learner_slug,
    remembered_learner,
)

__all__ = [
    "SUFFIX",
    "VERSION",
    "Progress",
    "ProgressError",
    "ProgressWarning",
    "open_progress",
    "open_progress_or_reason",
    "progress_files",
    "read_progress_file",
]

VERSION = 1
SUFFIX = PROGRESS_SUFFIX  # annotations.learner_files leaves these out
DOC_TYPE = "LearnerProgress"

# Limits far above honest use (a whole course's checks are a few kB) that keep a hostile or
# mistaken file, or a runaway value, from eating the kernel or the disk.
MAX_FILE_BYTES = 2_000_000
MAX_SECTIONS = 200
MAX_KEYS = 2_000  # per section
MAX_KEY_CHARS = 100  # a section or key name
MAX_TEXT_CHARS = 20_000  # one string inside a value
MAX_ITEMS = 5_000  # one list or object inside a value
MAX_DEPTH = 8  # lists and objects nested inside a value
MAX_VALUE_BYTES = 200_000  # one value, as JSON
MAX_INT = 2**53  # the largest integer every JSON reader keeps exactly


class ProgressError(AnnotationStoreError):
    """Something is wrong with a learner's progress file or a value to save. Names the file.

    A `ValueError`; ``moved_to`` is set when an unreadable file was renamed aside (never
    deleted). It is a kind of `kit.AnnotationStoreError`, so a lesson shows it in plain words.
    """


class ProgressWarning(UserWarning):
    """A progress file broke while a notebook had it open; it was set aside and rewritten."""


class _Invalid(Exception):
    """A problem inside a file or a value; turned into a ProgressError naming the file."""


# --------------------------------------------------------------------------- values


def _checked(value: Any, where: str, depth: int = 0) -> Any:
    """A clean copy of a JSON value (tuples become lists), or _Invalid saying what is wrong."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if abs(value) > MAX_INT:
            raise _Invalid(f"{where}: a whole number beyond 2**53 is too large to keep exactly")
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _Invalid(f"{where}: {value} is not a number JSON can hold")
        return value
    if isinstance(value, str):
        if len(value) > MAX_TEXT_CHARS:
            raise _Invalid(
                f"{where}: a text of {len(value):,} characters (at most {MAX_TEXT_CHARS:,})"
            )
        return _clean_text(value)
    if depth >= MAX_DEPTH:
        raise _Invalid(f"{where}: lists or objects nested more than {MAX_DEPTH} deep")
    if isinstance(value, (list, tuple)):
        if len(value) > MAX_ITEMS:
            raise _Invalid(f"{where}: a list of {len(value):,} items (at most {MAX_ITEMS:,})")
        return [_checked(v, f"{where}[{n}]", depth + 1) for n, v in enumerate(value)]
    if isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            raise _Invalid(f"{where}: an object of {len(value):,} keys (at most {MAX_ITEMS:,})")
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise _Invalid(f"{where}: the key {k!r} is not text (JSON keys are text)")
            out[_checked(k, where, depth + 1)] = _checked(v, f"{where}.{k}", depth + 1)
        return out
    raise _Invalid(f"{where}: a {type(value).__name__} cannot be saved (use text, numbers, lists)")


def _name(value: Any, what: str) -> str:
    """A section or key name: short, non-empty text without control characters."""
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(f"the {what} name should be non-empty text, not {value!r}")
    if len(value) > MAX_KEY_CHARS or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        shown = value[:40] + ("..." if len(value) > 40 else "")
        raise _Invalid(
            f"the {what} name {shown!r} is too long or holds control characters "
            f"(at most {MAX_KEY_CHARS} plain characters)"
        )
    return _clean_text(value)


def _value_size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False).encode("utf-8"))


# --------------------------------------------------------------------------- the document


def _parse(raw: bytes) -> tuple[str, dict[str, dict[str, Any]]]:
    """(learner, sections) from a file's bytes, or _Invalid (``NEWER:<n>`` for a newer kit)."""
    if len(raw) > MAX_FILE_BYTES:
        raise _Invalid(f"over {MAX_FILE_BYTES:,} bytes is far too big for a progress file")
    try:
        doc = json.loads(raw.decode("utf-8-sig"))  # Notepad saves UTF-8 with a byte-order mark
    except UnicodeDecodeError as exc:
        raise _Invalid(f"not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise _Invalid(
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise _Invalid("JSON nested far too deeply to be a progress file") from None
    except ValueError as exc:  # e.g. an integer with 100,000 digits
        raise _Invalid(f"not usable JSON ({str(exc)[:80]})") from None
    if not isinstance(doc, dict):
        raise _Invalid(f"the top level should be an object, not {type(doc).__name__}")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _Invalid("top level: 'version' should be a whole number from 1")
    if version > VERSION:
        raise _Invalid(f"NEWER:{version}")
    if doc.get("type") != DOC_TYPE:
        raise _Invalid(f"top level: 'type' should be {DOC_TYPE!r}")
    learner = doc.get("learner")
    if not isinstance(learner, str) or len(learner) > MAX_NAME_CHARS:
        raise _Invalid(
            f"top level: 'learner' should be a name of at most {MAX_NAME_CHARS} characters"
        )
    sections = doc.get("sections")
    if not isinstance(sections, dict) or len(sections) > MAX_SECTIONS:
        raise _Invalid(f"top level: 'sections' should be an object of at most {MAX_SECTIONS}")
    out: dict[str, dict[str, Any]] = {}
    for name, entries in sections.items():
        section = _name(name, "section")
        if not isinstance(entries, dict) or len(entries) > MAX_KEYS:
            raise _Invalid(f"section {name!r} should be an object of at most {MAX_KEYS:,} keys")
        out[section] = {
            _name(k, "key"): _checked(v, f"section {name!r}, key {k!r}") for k, v in entries.items()
        }
    return learner, out


def _serialise(learner: str, sections: dict[str, dict[str, Any]]) -> bytes:
    doc = {
        "type": DOC_TYPE,
        "version": VERSION,
        "learner": learner,
        "generator": "media-literacy-kit",
        "sections": sections,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _describe(exc: _Invalid) -> str:
    msg = str(exc)
    if msg.startswith("NEWER:"):
        return (
            f"was written by a newer version of the kit (version {msg[6:]}, this kit reads "
            f"{VERSION}); update the kit to open it"
        )
    return f"is not a valid progress file: {msg}"


# --------------------------------------------------------------------------- the file


class Progress:
    """One learner's progress file; every `put` is saved at once. Open with `open_progress`.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     mine = open_progress("Ana", folder=d)
    ...     mine.put("checks", "01-pre", {"score": 3, "total": 4})
    ...     open_progress("Ana", folder=d).get("checks", "01-pre")
    {'score': 3, 'total': 4}
    """

    def __init__(self, path: Path, learner: str) -> None:
        from filelock import FileLock

        self.path = path
        self.learner = learner
        self._lock = FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT)
        self._mutex = threading.RLock()
        self._sections: dict[str, dict[str, Any]] = {}  # the last good state read or written
        self._seen: tuple[int, int, int] | None = None

    def __repr__(self) -> str:
        return f"Progress({self.learner!r}, {len(self._sections)} sections, {self.path})"

    # ---- reading

    def get(self, section: str, key: str, default: Any = None) -> Any:
        """The value saved under ``section`` / ``key`` (a copy), or ``default``."""
        with self._mutex:
            found = self._current().get(section, {})
            return copy.deepcopy(found[key]) if key in found else default

    def section(self, section: str) -> dict[str, Any]:
        """Every key and value saved in ``section``, as a copy (empty when there is none)."""
        with self._mutex:
            return copy.deepcopy(self._current().get(section, {}))

    # ---- writing

    def put(self, section: str, key: str, value: Any) -> None:
        """Save ``value`` (text, numbers, True/False/None, lists and objects of them) at once.

        Other sections and keys, including ones another notebook saved meanwhile, are kept.
        """
        try:
            section, key = _name(section, "section"), _name(key, "key")
            clean = _checked(value, f"{section}/{key}")
        except _Invalid as exc:
            raise ProgressError(f"{self.path}: cannot save: {exc}") from None
        if _value_size(clean) > MAX_VALUE_BYTES:
            raise ProgressError(
                f"{self.path}: cannot save {section}/{key}: over {MAX_VALUE_BYTES:,} bytes "
                "is too much for one progress value"
            )
        with self._mutex, self._locked():
            sections = copy.deepcopy(self._load(during="saving"))
            entries = sections.setdefault(section, {})
            if len(sections) > MAX_SECTIONS or (key not in entries and len(entries) >= MAX_KEYS):
                raise ProgressError(
                    f"{self.path}: cannot save {section}/{key}: the file already holds the most "
                    f"sections ({MAX_SECTIONS}) or keys ({MAX_KEYS:,}) it may"
                )
            entries[key] = clean
            self._write(sections)

    # ---- under the hood

    def _current(self) -> dict[str, dict[str, Any]]:
        """The sections as saved now: re-read (under the lock) only when the file changed."""
        if self._signature() != self._seen:
            with self._locked():
                self._sections = self._load(during="reading")
        return self._sections

    def _signature(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _read(self) -> dict[str, dict[str, Any]] | None:
        """The file's sections, None when there is no file; ProgressError or _Invalid."""
        try:
            if stat.S_ISLNK(os.lstat(self.path).st_mode):
                raise ProgressError(
                    f"{self.path}: is now a symbolic link; the kit only keeps progress in a "
                    "plain file of its own folder (remove the link)"
                )
            raw = read_regular_file(self.path, MAX_FILE_BYTES)
        except FileNotFoundError:
            return None
        except (OSError, RuntimeError) as exc:
            raise ProgressError(f"{self.path}: cannot be read ({os_error_reason(exc)})") from None
        learner, sections = _parse(raw)
        if learner and not _same_learner(learner, self.learner):
            raise ProgressError(
                f"{self.path}: this progress file belongs to {learner!r}, not "
                f"{self.learner!r}; it was left as it is (check the learner name)"
            )
        return sections

    def _load(self, *, during: str) -> dict[str, dict[str, Any]]:
        """Read under the lock. A file broken mid-session is set aside and rewritten."""
        try:
            sections = self._read()
        except _Invalid as exc:
            aside = self._set_aside(exc)
            # What this notebook holds is the last good state: write it back so nothing the
            # learner saved is lost, and keep the broken file for a teacher to look at.
            warnings.warn(
                f"{self.path}: {_describe(exc)} (found while {during}); it was moved to "
                f"{aside.name} and this notebook's saved progress was written in its place",
                ProgressWarning,
                stacklevel=4,
            )
            self._write(self._sections)
            return self._sections
        if sections is None:  # no file yet (or it was deleted): keep what this notebook knows
            sections = self._sections
        self._sections, self._seen = sections, self._signature()
        return sections

    def _write(self, sections: dict[str, dict[str, Any]]) -> None:
        data = _serialise(self.learner, sections)
        if len(data) > MAX_FILE_BYTES:
            raise ProgressError(
                f"{self.path}: cannot save: the progress file would be over "
                f"{MAX_FILE_BYTES:,} bytes"
            )
        try:
            _atomic_write(self.path, data)
        except OSError as exc:
            raise ProgressError(
                f"{self.path}: could not save ({os_error_reason(exc)}); this result is NOT saved"
            ) from None
        self._sections, self._seen = sections, self._signature()

    def _set_aside(self, exc: _Invalid) -> Path:
        """Rename an unreadable file aside (never overwrite it); a newer kit's file is refused."""
        if str(exc).startswith("NEWER:"):
            raise ProgressError(f"{self.path}: {_describe(exc)}") from None
        aside = _aside_name(self.path)
        try:
            os.replace(self.path, aside)
            _fsync_dir(self.path.parent)
        except OSError as err:
            raise ProgressError(
                f"{self.path}: {_describe(exc)}, and it could not be moved aside "
                f"({os_error_reason(err)}); it was left as it is"
            ) from None
        return aside

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        from filelock import Timeout

        try:
            self._lock.acquire()
        except (Timeout, OSError) as exc:
            lock = Path(self._lock.lock_file)
            if lock.is_dir():
                raise ProgressError(
                    f"{lock}: is a folder, but the kit needs this name for its lock file; "
                    "rename or remove that folder"
                ) from None
            if not isinstance(exc, Timeout):  # (Timeout is itself an OSError)
                raise ProgressError(
                    f"{lock}: cannot create the lock file that keeps two notebooks from saving "
                    f"at once ({os_error_reason(exc)}); check the folder can be written"
                ) from None
            raise ProgressError(
                f"{self.path}: another notebook has been saving to this file for over "
                f"{LOCK_TIMEOUT:.0f} s; close it or delete {lock} if none is open"
            ) from None
        try:
            yield
        finally:
            self._lock.release()

    def _open(self) -> None:
        """First read, under the lock: sweep dead temp files, set a broken file aside."""
        with self._mutex, self._locked():
            # Holding the lock means no live writer of this file has a temp file in flight.
            for tmp in self.path.parent.glob(f".{self.path.name}.*.tmp"):
                with contextlib.suppress(OSError):
                    tmp.unlink()
            try:
                found = self._read()
            except _Invalid as exc:
                aside = self._set_aside(exc)
                raise ProgressError(
                    f"{self.path}: {_describe(exc)}. Nothing was deleted: the file was moved to "
                    f"{aside}. Open it again to start a new, empty progress file (a teacher "
                    "can repair the old one and put it back).",
                    moved_to=aside,
                ) from None
            if found is None:
                # Write the empty file now: its learner name keeps a second name with the same
                # slug out of it, and a folder that cannot be written is reported at once.
                self._write({})
            else:
                self._sections, self._seen = found, self._signature()


# --------------------------------------------------------------------------- opening


def read_progress_file(path: str | Path) -> tuple[str, dict[str, dict[str, Any]]]:
    """``(learner, sections)`` from one progress file, read only: nothing is moved or locked.

    For an instructor's class view. Raises `ProgressError` naming the file when it is missing,
    unreadable or malformed; the file is left exactly as it is.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     mine = open_progress("Ana", folder=d)
    ...     mine.put("checks", "01-pre", {"score": 2})
    ...     read_progress_file(mine.path)
    ('Ana', {'checks': {'01-pre': {'score': 2}}})
    """
    p = Path(path)
    try:
        return _parse(read_regular_file(p, MAX_FILE_BYTES))
    except FileNotFoundError:
        raise ProgressError(f"{p}: no such progress file") from None
    except (OSError, RuntimeError) as exc:
        raise ProgressError(f"{p}: cannot be read ({os_error_reason(exc)})") from None
    except _Invalid as exc:
        raise ProgressError(f"{p}: {_describe(exc)}") from None


def _owner(path: Path) -> str | None:
    """The learner recorded in an existing progress file, or None (none, or unreadable)."""
    try:
        return _parse(read_regular_file(path, MAX_FILE_BYTES))[0] or None
    except (OSError, RuntimeError, _Invalid):
        return None


def _progress_path(where: Path, learner: str, slug: str) -> Path:
    """``<slug>.progress.json``, beside ``<slug>.json``, unless either belongs to another name.

    Different names can share a slug (``Ana B.`` and ``ana-b``); as for annotation files, the
    second one gets ``<slug>-<hash>.progress.json`` and no two learners share a file.
    """
    plain = where / f"{slug}{SUFFIX}"
    owners = (_owner(plain), _file_owner(where / f"{slug}.json"))
    if all(o is None or _same_learner(o, learner) for o in owners):
        return plain
    return where / f"{slug}-{_name_hash(learner)}{SUFFIX}"


def open_progress(learner: str | None = None, folder: str | Path | None = None) -> Progress:
    """Open (or start) ``learner``'s progress file in ``folder``.

    ``learner`` defaults to the signed-in learner (`kit.course.learner`), ``folder`` to the
    learners' folder (`kit.annotations.default_folder`); a new file is written at once. A
    file that cannot be read is moved aside and `ProgressError` says where it went; opening
    again then starts an empty file.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     mine = open_progress("Zoë O'Brien", folder=d)
    ...     (mine.path.name, mine.section("checks"))
    ('zoë-o-brien.progress.json', {})
    """
    from kit.course import DEFAULT_LEARNER

    where = Path(folder).expanduser() if folder is not None else default_folder()
    if learner is None:
        learner = remembered_learner(where) or DEFAULT_LEARNER
    try:
        slug = learner_slug(learner)
    except AnnotationStoreError as exc:
        raise ProgressError(str(exc)) from None
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ProgressError(f"{where}: cannot create the folder ({os_error_reason(exc)})") from None
    named = _progress_path(where, learner, slug)
    try:
        path, home = named.resolve(), where.resolve()
    except (OSError, RuntimeError):
        raise ProgressError(
            f"{named}: cannot be opened: it is a symbolic link that loops back on itself; "
            "remove the link"
        ) from None
    if path.parent != home:
        raise ProgressError(
            f"{named}: is a link to {path}, outside the learners' folder; the kit keeps "
            "progress only in its own folder (remove the link)"
        )
    progress = Progress(path, learner.strip())
    progress._open()
    return progress


def open_progress_or_reason() -> tuple[Progress | None, str]:
    """The signed-in learner's progress file for a lesson's task, and a note for the learner.

    A damaged file is set aside (never lost), a fresh one is opened, and the note says where
    the old one went. When no file can be opened at all, the task still works: the progress
    is None and the note says that answers are not being saved. The note is "" normally.

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     os.environ["KIT_ANNOTATIONS_DIR"] = d
    ...     _ = open(os.path.join(d, "learner.progress.json"), "w").write("{broken")
    ...     progress, note = open_progress_or_reason()
    ...     del os.environ["KIT_ANNOTATIONS_DIR"]
    >>> progress is not None and "corrupt-" in note and "new, empty" in note
    True
    """
    try:
        return open_progress(), ""
    except ProgressError as exc:
        if exc.moved_to is None:
            return None, f"{exc} Your answers here are not being saved."
        try:
            return open_progress(), f"{exc} A new, empty progress file has been started."
        except ProgressError as again:
            return None, f"{again} Your answers here are not being saved."


def progress_files(folder: str | Path | None = None) -> list[Path]:
    """Every learner's progress file in ``folder`` (not locks, temp files or set-aside copies).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     open_progress("Ana", folder=d).put("checks", "01-pre", 1)
    ...     [p.name for p in progress_files(d)]
    ['ana.progress.json']
    """
    where = Path(folder) if folder is not None else default_folder()
    if not where.is_dir():
        return []
    return sorted(
        p
        for p in where.glob(f"*{SUFFIX}")
        if not p.name.startswith(".") and ".corrupt-" not in p.name and p.is_file()
    )
