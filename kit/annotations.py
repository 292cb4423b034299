"""Learners' annotations: one file per learner that never loses work.

File format
-----------
Each learner's file is W3C Web Annotation Data Model JSON (W3C Recommendation, 23 February
2017, https://www.w3.org/TR/annotation-model/): an ``AnnotationCollection`` (section 5.1)
whose embedded first ``AnnotationPage`` (section 5.2) holds the annotations. Each annotation
has an ``id``, ``type: "Annotation"``, ``created`` and ``modified`` (UTC, section 3.3.5), and
two ``TextualBody`` bodies (section 3.2.4) told apart by their ``purpose`` (section 3.3.5's
motivation vocabulary): ``tagging`` for the tag and ``commenting`` for the learner's note. The
``target`` names its ``source`` (the article id, within its article set) and carries two
selectors for the same words (section 4.2): a ``TextQuoteSelector`` (the exact words plus about
32 characters of ``prefix``/``suffix``) and a ``TextPositionSelector`` whose ``start``/``end``
count Unicode code points, as the recommendation asks and as ``article.text`` does.
The kit adds ``schema_version`` and ``removed`` (tombstones: ids deleted, with when) to the
collection, and ``status`` ("orphaned" when re-anchoring could not find the words) to an
annotation; JSON-LD consumers ignore terms they do not know.

Safety
------
* Every change is saved at once with an atomic write: a temporary file in the same folder is
  written, flushed and fsynced, renamed over the old file, and the folder is fsynced. A crash
  leaves either the old file or the new one, never half of one.
* Writers are serialised with a ``filelock.FileLock`` on a separate ``<file>.lock`` (a lock on
  the data file itself would be lost when the rename replaces it). Under the lock the writer
  re-reads the file and merges by annotation id (newest ``modified`` wins; a removed id stays
  removed), so two notebooks open on one learner never overwrite each other.
* A file that cannot be read (bad JSON, wrong schema, hostile sizes) is never overwritten:
  :func:`open_store` renames it aside to ``<name>.corrupt-<UTC time>.json`` and raises
  :class:`AnnotationStoreError` saying where it went; opening again starts an empty file.
  This is deliberate: the learner is told before they get a fresh store.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import stat
import tempfile
import threading
import unicodedata
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from kit._text import read_regular_file
from kit.anchoring import CONTEXT_CHARS, locate, quote_selector

__all__ = [
    "SCHEMA_VERSION",
    "Annotation",
    "AnnotationStore",
    "AnnotationStoreError",
    "AnnotationStoreWarning",
    "ReanchorReport",
    "StoreEvent",
    "default_folder",
    "learner_files",
    "learner_slug",
    "open_store",
    "read_annotations_file",
    "remember_learner",
    "remembered_learner",
]

SCHEMA_VERSION = 1
ENV_VAR = "KIT_ANNOTATIONS_DIR"
SUFFIX = ".json"
LEARNER_FILE = ".learner"
PROGRESS_SUFFIX = ".progress.json"  # kit.progress keeps each learner's scores beside this file
ANCHORED = "anchored"
ORPHANED = "orphaned"

# Limits that keep a hostile or mistaken file from eating the kernel. A class's worth of
# annotations is a few hundred kB; these are orders of magnitude above honest use.
MAX_FILE_BYTES = 32_000_000
MAX_ANNOTATIONS = 100_000
MAX_NOTE_CHARS = 20_000
MAX_TAG_CHARS = 100
MAX_QUOTE_CHARS = 200_000
MAX_ID_CHARS = 200
MAX_OFFSET = 100_000_000
MAX_NAME_CHARS = 100
# A file name may hold 255 bytes; the slug leaves room for ".json", the lock, temp and
# corrupt-copy suffixes, so 90 Chinese characters (270 bytes) still give a file.
MAX_SLUG_BYTES = 180
LOCK_TIMEOUT = 15.0  # seconds; a save takes milliseconds, so a long wait means a stuck writer

_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


# An absolute path, a home-relative or drive path, or a ".." segment anywhere.
_PATH_LIKE = re.compile(r"^(?:[/\\]|~[/\\]|[A-Za-z]:[/\\])|(?:^|[/\\])\.\.(?:[/\\]|$)")


class AnnotationStoreError(ValueError):
    """Something is wrong with a learner's annotation file or a request. Names the file.

    ``moved_to`` is set when an unreadable file was renamed aside (never deleted).
    """

    def __init__(self, message: str, *, moved_to: Path | None = None) -> None:
        super().__init__(message)
        self.moved_to = moved_to


class AnnotationStoreWarning(UserWarning):
    """Something was repaired while saving (e.g. a file broken by hand was moved aside)."""


@dataclass(frozen=True, slots=True)
class Annotation:
    """One highlight: ``exact`` is ``article.text[start:end]`` when the article was annotated.

    ``prefix``/``suffix`` are up to 32 characters either side, used to find the words again
    if the article changes. Times are ISO 8601 UTC. ``status`` is "anchored" or "orphaned".
    """

    id: str
    article_id: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    tag: str
    note: str
    created: str
    modified: str
    status: str = ANCHORED
    article_set: str = ""
    learner: str = ""


@dataclass(frozen=True, slots=True)
class StoreEvent:
    """What changed in a store, and which annotation ids.

    ``kind`` is "added", "updated", "removed", "reanchored", or "reloaded" (another notebook
    saved changes to the same file; ``ids`` are the annotations that differ).
    """

    kind: str
    ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReanchorReport:
    """Result of :meth:`AnnotationStore.reanchor`: each annotation is in exactly one list.

    ``skipped`` are annotations on articles that are not in the set given (left untouched).
    """

    unchanged: tuple[Annotation, ...]
    moved: tuple[Annotation, ...]
    orphaned: tuple[Annotation, ...]
    skipped: tuple[Annotation, ...] = ()

    def __str__(self) -> str:
        return (
            f"{len(self.unchanged)} unchanged, {len(self.moved)} moved, "
            f"{len(self.orphaned)} orphaned (need re-highlighting), {len(self.skipped)} skipped"
        )


# --------------------------------------------------------------------------- names and folders


def default_folder() -> Path:
    """Where learners' files live: ``$KIT_ANNOTATIONS_DIR``, else ``lessons/my-annotations``.

    ``lessons/`` is the one beside the kit package; without it (an installed kit), the
    ``my-annotations`` folder in the current directory.

    >>> import os
    >>> override = os.environ.get("KIT_ANNOTATIONS_DIR")
    >>> folder = default_folder()
    >>> folder == Path(override).resolve() if override else folder.name == "my-annotations"
    True
    """
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser().resolve()
    lessons = Path(__file__).resolve().parent.parent / "lessons"
    if lessons.is_dir():
        return lessons / "my-annotations"
    return Path.cwd().resolve() / "my-annotations"


def learner_slug(name: str) -> str:
    """The safe file-name stem for a learner's name, or :class:`AnnotationStoreError`.

    Letters and digits of any script are kept (lower-cased); anything else, slashes included,
    becomes ``-``, so the file always lands inside the folder. Names that look like a path
    (``../x``, ``/etc/x``, ``C:\\x``, ``~/x``) or hold NUL or control characters are refused with
    a message rather than quietly turned into something the learner did not mean.

    >>> learner_slug("  Zoë O'Brien ")
    'zoë-o-brien'
    >>> learner_slug("CON")
    'con-learner'
    """
    if not isinstance(name, str):
        raise AnnotationStoreError(f"a learner name must be text, not {type(name).__name__}")
    shown = name if len(name) <= 40 else name[:40] + "..."
    cleaned = unicodedata.normalize("NFKC", name).strip()
    if not cleaned:
        raise AnnotationStoreError("the learner name is empty; type your name (e.g. 'Ana B.')")
    if len(cleaned) > MAX_NAME_CHARS:
        raise AnnotationStoreError(
            f"the learner name {shown!r} is longer than {MAX_NAME_CHARS} characters"
        )
    if _PATH_LIKE.search(cleaned):
        raise AnnotationStoreError(
            f"the learner name {shown!r} looks like a file path; use just your name, not a path"
        )
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in cleaned):
        raise AnnotationStoreError(
            f"the learner name {shown!r} contains control or broken characters (such as NUL); "
            "type your name again"
        )
    slug = "".join(ch if ch.isalnum() else "-" for ch in cleaned.casefold())
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    if not slug:
        raise AnnotationStoreError(f"the learner name {shown!r} needs at least one letter or digit")
    if slug in _WINDOWS_RESERVED:  # device names Windows will not create as files
        slug += "-learner"
    if len(slug.encode("utf-8")) > MAX_SLUG_BYTES:  # too long for a file name: cut, keep apart
        cut = slug.encode("utf-8")[: MAX_SLUG_BYTES - 9].decode("utf-8", "ignore").rstrip("-")
        slug = f"{cut}-{_name_hash(name)}"
    return slug


def _name_key(name: str) -> str:
    """A name as a person would compare it: composed accents, any case, single spaces.

    Styled letters (𝐀𝐧𝐚) stay distinct from plain ones: NFC, not NFKC.
    """
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def _same_learner(a: str, b: str) -> bool:
    """Two spellings of one name: the same letters, ignoring case and runs of white space."""
    return _name_key(a) == _name_key(b)


def _name_hash(name: str) -> str:
    """Eight hex digits that tell apart names whose slugs coincide."""
    return hashlib.sha256(_name_key(name).encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _file_owner(path: Path) -> str | None:
    """The learner name recorded in an existing annotation file, or None (none, or unreadable)."""
    try:
        return _parse_document(read_regular_file(path, MAX_FILE_BYTES)).learner or None
    except (OSError, _Invalid):
        return None


def _learner_path(where: Path, learner: str, slug: str) -> Path:
    """The learner's file: ``<slug>.json`` unless that file belongs to a different name.

    Different names can share a slug (``Ana B.`` and ``ana-b``, ``a/b`` and ``a:b``, styled
    letters and plain ones); the second one to arrive gets ``<slug>-<hash>.json``, so no two
    learners ever write to one file, and the first keeps the file it always had.
    """
    plain = where / f"{slug}{SUFFIX}"
    owner = _file_owner(plain)
    if owner is None or _same_learner(owner, learner):
        return plain
    return where / f"{slug}-{_name_hash(learner)}{SUFFIX}"


def learner_files(folder: str | Path | None = None) -> list[Path]:
    """Every learner's annotation file in ``folder`` (not locks, temp or corrupt copies, and
    not the learners' progress files, ``*.progress.json``, that live beside them).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = open_store("Ana", folder=d)
    ...     [p.name for p in learner_files(d)]
    ['ana.json']
    """
    where = Path(folder) if folder is not None else default_folder()
    if not where.is_dir():
        return []
    return sorted(
        p
        for p in where.glob(f"*{SUFFIX}")
        if p.is_file()
        and not p.name.startswith(".")
        and ".corrupt-" not in p.name
        and not p.name.endswith(PROGRESS_SUFFIX)
    )


def remember_learner(name: str, folder: str | Path | None = None) -> None:
    """Remember ``name`` as this folder's learner, so the next notebook need not ask.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     remember_learner("Ana", d)
    ...     remembered_learner(d)
    'Ana'
    """
    learner_slug(name)  # refuse what open_store would refuse
    where = Path(folder) if folder is not None else default_folder()
    where.mkdir(parents=True, exist_ok=True)
    _atomic_write(where / LEARNER_FILE, name.strip().encode("utf-8"))


def remembered_learner(folder: str | Path | None = None) -> str | None:
    """The learner name remembered in ``folder``, or ``None`` (missing or unusable).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     print(remembered_learner(d))
    None
    """
    where = Path(folder) if folder is not None else default_folder()
    try:
        raw = read_regular_file(where / LEARNER_FILE, MAX_NAME_CHARS * 4 + 8)
        name = raw.decode("utf-8").strip()
        learner_slug(name)
    except (OSError, UnicodeDecodeError, AnnotationStoreError):
        return None
    return name


# --------------------------------------------------------------------------- small helpers


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _clean_text(value: str) -> str:
    """Make text storable as UTF-8: join surrogate pairs, replace lone surrogates with U+FFFD.

    A paste from some Windows or browser clipboards can deliver an emoji as two surrogate code
    points, or half of one; UTF-8 cannot hold those, and the file must stay readable.
    """
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        pass
    joined = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return joined.encode("utf-8", "replace").decode("utf-8")


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":  # Windows cannot open a directory for fsync; NTFS journals renames
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _new_file_mode() -> int:
    """The mode a new file gets under this process's umask (0o644 under the usual 022)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no /proc: read the umask by setting it, then put it back
    os.umask(mask)
    return 0o666 & ~mask


def _atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or new file, never half.

    The file keeps the mode it had (a class view run by the teacher's account must still read
    it); a new file gets the usual mode for new files.
    """
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = _new_file_mode()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            if os.name == "posix":
                os.fchmod(fh.fileno(), mode)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _aside_name(path: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    stem = path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else path.name
    candidate = path.with_name(f"{stem}.corrupt-{stamp}{SUFFIX}")
    n = 1
    while candidate.exists():  # two breakages in one second must not overwrite each other
        n += 1
        candidate = path.with_name(f"{stem}.corrupt-{stamp}-{n}{SUFFIX}")
    return candidate


# --------------------------------------------------------------------------- reading and writing


class _Invalid(Exception):
    """A problem inside a file; turned into AnnotationStoreError naming the file."""


_KIND_NAMES = {
    int: "a whole number",
    str: "text",
    list: "a list",
    dict: "an object",
    bool: "true/false",
    float: "a decimal number",
    type(None): "null",
}


def _req(obj: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in obj:
        raise _Invalid(f"{where}: missing {key!r}")
    value = obj[key]
    # bool is an int in Python, but true/false is never a valid offset or version
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        wanted = " or ".join(_KIND_NAMES.get(k, k.__name__) for k in kinds)
        got = _KIND_NAMES.get(type(value), type(value).__name__)
        raise _Invalid(f"{where}: {key!r} should be {wanted}, not {got}")
    return value


def _text(obj: Mapping[str, Any], key: str, where: str, limit: int) -> str:
    value = _req(obj, key, str, where)
    if len(value) > limit:
        raise _Invalid(f"{where}: {key!r} is {len(value):,} characters (at most {limit:,})")
    return value


def _timestamp(obj: Mapping[str, Any], key: str, where: str) -> str:
    value = _text(obj, key, where, 64)
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _Invalid(f"{where}: {key!r} is not an ISO 8601 time: {value!r}") from None
    return value


def _offset(obj: Mapping[str, Any], key: str, where: str) -> int:
    value = _req(obj, key, int, where)
    if not 0 <= value <= MAX_OFFSET:
        raise _Invalid(f"{where}: {key!r} = {value} is out of range")
    return value


def _parse_annotation(item: Any, where: str, learner: str) -> Annotation:
    if not isinstance(item, dict):
        raise _Invalid(f"{where}: should be an object, not {type(item).__name__}")
    ann_id = _text(item, "id", where, MAX_ID_CHARS)
    where = f"{where} ({ann_id})"
    if item.get("type") != "Annotation":
        raise _Invalid(f"{where}: 'type' should be 'Annotation'")
    created = _timestamp(item, "created", where)
    modified = _timestamp(item, "modified", where)
    status = item.get("status", ANCHORED)
    if status not in (ANCHORED, ORPHANED):
        raise _Invalid(f"{where}: 'status' should be 'anchored' or 'orphaned', not {status!r}")

    tag: str | None = None
    note = ""
    bodies = _req(item, "body", list, where)
    for k, body in enumerate(bodies[:10]):
        bw = f"{where} body[{k}]"
        if not isinstance(body, dict) or body.get("type") != "TextualBody":
            raise _Invalid(f"{bw}: should be a TextualBody object")
        purpose = body.get("purpose")
        if purpose == "tagging":
            tag = _text(body, "value", bw, MAX_TAG_CHARS)
        elif purpose == "commenting":
            note = _text(body, "value", bw, MAX_NOTE_CHARS)
        else:
            raise _Invalid(f"{bw}: 'purpose' should be 'tagging' or 'commenting'")
    if len(bodies) > 10:
        raise _Invalid(f"{where}: {len(bodies)} bodies (a tag and a note are expected)")
    if not tag:
        raise _Invalid(f"{where}: no tag (a TextualBody with purpose 'tagging')")

    target = _req(item, "target", dict, where)
    source = _req(target, "source", dict, f"{where} target")
    article_id = _text(source, "id", f"{where} target.source", MAX_ID_CHARS)
    article_set = source.get("articleSet", "")
    if not isinstance(article_set, str) or len(article_set) > MAX_ID_CHARS:
        raise _Invalid(f"{where} target.source: 'articleSet' should be short text")
    selectors = _req(target, "selector", list, f"{where} target")
    quote = position = None
    for k, sel in enumerate(selectors[:10]):
        sw = f"{where} selector[{k}]"
        if not isinstance(sel, dict):
            raise _Invalid(f"{sw}: should be an object")
        if sel.get("type") == "TextQuoteSelector":
            quote = (
                _text(sel, "exact", sw, MAX_QUOTE_CHARS),
                _text(sel, "prefix", sw, 4 * CONTEXT_CHARS),
                _text(sel, "suffix", sw, 4 * CONTEXT_CHARS),
            )
        elif sel.get("type") == "TextPositionSelector":
            position = (_offset(sel, "start", sw), _offset(sel, "end", sw))
    if quote is None or position is None:
        raise _Invalid(f"{where}: needs both a TextQuoteSelector and a TextPositionSelector")
    exact, prefix, suffix = quote
    start, end = position
    if end - start != len(exact) or not exact:
        raise _Invalid(
            f"{where}: the position selector covers {end - start} characters "
            f"but the quote has {len(exact)}"
        )
    return Annotation(
        id=ann_id,
        article_id=article_id,
        start=start,
        end=end,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        tag=tag,
        note=note,
        created=created,
        modified=modified,
        status=status,
        article_set=article_set,
        learner=learner,
    )


@dataclass
class _State:
    items: dict[str, Annotation]
    removed: dict[str, str]  # id -> when it was removed
    learner: str = ""


def _parse_document(raw: bytes) -> _State:
    try:
        doc = json.loads(raw.decode("utf-8-sig"))  # Notepad saves UTF-8 with a byte-order mark
    except UnicodeDecodeError as exc:
        raise _Invalid(f"not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise _Invalid(
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise _Invalid("JSON nested far too deeply to be an annotation file") from None
    except ValueError as exc:  # e.g. an integer with 100,000 digits
        raise _Invalid(f"not usable JSON ({str(exc)[:80]})") from None
    if not isinstance(doc, dict):
        raise _Invalid(f"the top level should be an object, not {type(doc).__name__}")
    version = _req(doc, "schema_version", int, "top level")
    if version > SCHEMA_VERSION:
        raise _Invalid(f"NEWER:{version}")
    if version < 1:
        raise _Invalid(f"top level: 'schema_version' {version} is not a version")
    if doc.get("type") != "AnnotationCollection":
        raise _Invalid("top level: 'type' should be 'AnnotationCollection'")
    learner = ""
    creator = doc.get("creator")
    if isinstance(creator, dict) and isinstance(creator.get("name"), str):
        learner = creator["name"][:MAX_NAME_CHARS]
    page = _req(doc, "first", dict, "top level")
    items = _req(page, "items", list, "the 'first' page")
    if len(items) > MAX_ANNOTATIONS:
        raise _Invalid(f"{len(items):,} annotations (at most {MAX_ANNOTATIONS:,})")
    removed_raw = doc.get("removed", {})
    if not isinstance(removed_raw, dict) or len(removed_raw) > MAX_ANNOTATIONS:
        raise _Invalid("top level: 'removed' should be an object of id -> time")
    removed: dict[str, str] = {}
    for k, v in removed_raw.items():
        if len(k) > MAX_ID_CHARS or not isinstance(v, str) or len(v) > 64:
            raise _Invalid("top level: 'removed' should be an object of id -> time")
        removed[k] = v
    parsed: dict[str, Annotation] = {}
    for n, item in enumerate(items, 1):
        ann = _parse_annotation(item, f"annotation {n}", learner)
        if ann.id in parsed:
            raise _Invalid(f"annotation {n}: id {ann.id!r} appears twice")
        parsed[ann.id] = ann
    return _State(parsed, removed, learner)


def _read_state(path: Path) -> _State:
    """Read a learner file; raise _Invalid for content problems, OSError for I/O."""
    raw = read_regular_file(path, MAX_FILE_BYTES)  # a FIFO or device raises OSError at once
    if len(raw) > MAX_FILE_BYTES:
        raise _Invalid(f"over {MAX_FILE_BYTES:,} bytes is far too big for an annotation file")
    return _parse_document(raw)


def _to_json(a: Annotation) -> dict[str, Any]:
    body = [{"type": "TextualBody", "purpose": "tagging", "value": a.tag}]
    if a.note:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": a.note,
                "format": "text/plain",
            }
        )
    source: dict[str, Any] = {"id": a.article_id, "type": "Text", "format": "text/plain"}
    if a.article_set:
        source["articleSet"] = a.article_set
    out: dict[str, Any] = {
        "id": a.id,
        "type": "Annotation",
        "motivation": "highlighting",
        "created": a.created,
        "modified": a.modified,
        "body": body,
        "target": {
            "source": source,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": a.exact,
                    "prefix": a.prefix,
                    "suffix": a.suffix,
                },
                {"type": "TextPositionSelector", "start": a.start, "end": a.end},
            ],
        },
    }
    if a.status != ANCHORED:
        out["status"] = a.status
    return out


def _serialise(state: _State, items: Iterable[Annotation] | None = None) -> bytes:
    chosen = sorted(
        state.items.values() if items is None else items,
        key=lambda a: (a.article_id, a.start, a.end, a.created, a.id),
    )
    doc = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "schema_version": SCHEMA_VERSION,
        "label": f"Annotations by {state.learner}" if state.learner else "Annotations",
        "creator": {"type": "Person", "name": state.learner},
        "generator": "media-literacy-kit",
        "total": len(chosen),
        "removed": dict(sorted(state.removed.items())),
        "first": {
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": [],
        },
    }
    # ensure_ascii=False keeps notes readable in a text editor; _clean_text has already made
    # every string encodable, so this cannot fail half-way. The header is indented; each
    # annotation is one compact line, which keeps the file easy to read and diff, and lets
    # json use its C encoder (indent= forces the pure-Python one, 20x slower).
    head, tail = json.dumps(doc, ensure_ascii=False, indent=1).rsplit('"items": []', 1)
    lines = ",\n".join("   " + json.dumps(_to_json(a), ensure_ascii=False) for a in chosen)
    items = f'"items": [\n{lines}\n  ]' if chosen else '"items": []'
    return (head + items + tail + "\n").encode("utf-8")


def read_annotations_file(path: str | Path) -> list[Annotation]:
    """Read one learner's file (or an :meth:`AnnotationStore.export_json` file).

    Raises :class:`AnnotationStoreError` naming the file when it is missing or malformed; the
    file is left exactly as it is.

    >>> import tempfile, kit
    >>> with tempfile.TemporaryDirectory() as d:
    ...     store = open_store("Ana", folder=d)
    ...     _ = store.add(kit.load_articles()["A"], 0, 5, "framing-label")
    ...     [a.tag for a in read_annotations_file(store.path)]
    ['framing-label']
    """
    p = Path(path)
    try:
        state = _read_state(p)
    except FileNotFoundError:
        raise AnnotationStoreError(f"{p}: no such annotation file") from None
    except OSError as exc:
        raise AnnotationStoreError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    except _Invalid as exc:
        raise AnnotationStoreError(f"{p}: {_describe(exc)}") from None
    return sorted(state.items.values(), key=lambda a: (a.article_id, a.start, a.end, a.created))


def _describe(exc: _Invalid) -> str:
    msg = str(exc)
    if msg.startswith("NEWER:"):
        return (
            f"was written by a newer version of the kit (schema_version {msg[6:]}, this kit reads "
            f"{SCHEMA_VERSION}); update the kit to open it"
        )
    return f"is not a valid annotation file: {msg}"


def _merge(disk: _State, mine: _State) -> _State:
    """Union of both sides by id: removals win, otherwise the newest ``modified`` wins."""
    removed = dict(disk.removed)
    for k, v in mine.removed.items():
        removed[k] = min(v, removed.get(k, v))
    items: dict[str, Annotation] = {}
    for ann_id in disk.items.keys() | mine.items.keys():
        if ann_id in removed:
            continue
        a, b = disk.items.get(ann_id), mine.items.get(ann_id)
        if a is None or (b is not None and b.modified >= a.modified):
            items[ann_id] = b  # type: ignore[assignment]
        else:
            items[ann_id] = a
    return _State(items, removed, mine.learner or disk.learner)


# --------------------------------------------------------------------------- the store


class AnnotationStore:
    """One learner's annotations, saved on every change. Create with :func:`open_store`.

    >>> import tempfile, kit
    >>> a = kit.load_articles()["A"]
    >>> with tempfile.TemporaryDirectory() as d:
    ...     store = open_store("Ana", folder=d)
    ...     ann = store.add(a, 0, 5, "framing-label", note="first word")
    ...     [x.exact for x in open_store("Ana", folder=d).annotations("A")] == [a.text[:5]]
    True
    """

    def __init__(self, path: Path, learner: str, *, article_set: str = "") -> None:
        from filelock import FileLock

        self.path = path
        self.learner = learner
        self.article_set = article_set
        self._lock = FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT)
        self._mutex = threading.RLock()
        self._state = _State({}, {}, learner)
        self._seen: tuple[int, int, int] | None = None
        self._subscribers: list[Callable[[StoreEvent], None]] = []
        self._last_bytes: bytes | None = None  # what this store last wrote to the file

    def __repr__(self) -> str:
        return (
            f"AnnotationStore({self.learner!r}, {len(self._state.items)} annotations, {self.path})"
        )

    # ---- reading

    def annotations(self, article_id: str | None = None) -> list[Annotation]:
        """All annotations (or one article's), sorted by article and position.

        Changes saved by another notebook on the same file are picked up first.
        """
        self.refresh()
        with self._mutex:
            found = [
                a
                for a in self._state.items.values()
                if article_id is None or a.article_id == article_id
            ]
        return sorted(found, key=lambda a: (a.article_id, a.start, a.end, a.created, a.id))

    def get(self, annotation_id: str) -> Annotation:
        """The annotation with this id, or :class:`AnnotationStoreError`."""
        self.refresh()
        with self._mutex:
            try:
                return self._state.items[annotation_id]
            except KeyError:
                raise AnnotationStoreError(self._unknown(annotation_id)) from None

    def __len__(self) -> int:
        return len(self.annotations())

    def __iter__(self) -> Iterator[Annotation]:
        return iter(self.annotations())

    def __contains__(self, annotation_id: object) -> bool:
        return any(a.id == annotation_id for a in self.annotations())

    def refresh(self) -> bool:
        """Pick up changes another process saved; return True (and notify) if there were any."""
        if self._signature() == self._seen:
            return False
        with self._mutex, self._locked():
            before = self._state.items
            exists = self.path.exists()
            disk = self._load_disk(during="reloading")
            self._state = _merge(disk, self._state)
            if exists and not self.path.exists():  # a broken file was just moved aside
                self._write(self._state)
            self._seen = self._signature()
            after = self._state.items
            changed = tuple(
                sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
            )
        if changed:
            self._notify(StoreEvent("reloaded", changed))
        return bool(changed)

    # ---- changing

    def add(
        self,
        article: Any,
        start: int,
        end: int,
        tag: str,
        note: str = "",
        *,
        article_set: str | None = None,
    ) -> Annotation:
        """Highlight ``article.text[start:end]`` with ``tag`` (and an optional ``note``); saved.

        ``article`` is a :class:`kit.Article` (anything with ``id`` and ``text`` will do).
        """
        try:
            article_id, text = article.id, article.text
        except AttributeError:
            raise AnnotationStoreError(
                f"{self.path}: add() needs an article (with .id and .text), "
                f"not {type(article).__name__}"
            ) from None
        if (
            not isinstance(article_id, str)
            or not article_id
            or len(article_id) > MAX_ID_CHARS
            or _clean_text(article_id) != article_id
        ):
            raise AnnotationStoreError(f"{self.path}: the article id {article_id!r} is not usable")
        for name, value in (("start", start), ("end", end)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise AnnotationStoreError(
                    f"{self.path}: {name} should be a whole number, not {value!r}"
                )
        if not 0 <= start < end <= len(text):
            raise AnnotationStoreError(
                f"{self.path}: cannot highlight {start}..{end} in article {article_id!r} "
                f"({len(text)} characters); select at least one character inside the text"
            )
        exact, prefix, suffix = quote_selector(text, start, end)
        if len(exact) > MAX_QUOTE_CHARS:
            raise AnnotationStoreError(
                f"{self.path}: a highlight of {len(exact):,} characters is too long"
            )
        now = _now()
        ann = Annotation(
            id=f"urn:uuid:{uuid.uuid4()}",
            article_id=article_id,
            start=start,
            end=end,
            exact=_clean_text(exact),
            prefix=_clean_text(prefix),
            suffix=_clean_text(suffix),
            tag=self._check_tag(tag),
            note=self._check_note(note),
            created=now,
            modified=now,
            status=ANCHORED,
            article_set=_clean_text(self.article_set if article_set is None else str(article_set)),
            learner=self.learner,
        )
        if ann.exact != exact:  # position and quote must describe the same characters
            raise AnnotationStoreError(
                f"{self.path}: the article text has broken characters (lone surrogates) in "
                f"{start}..{end}; reload the article"
            )

        def change(state: _State) -> None:
            state.items[ann.id] = ann

        self._commit(change, StoreEvent("added", (ann.id,)))
        return ann

    def update(
        self, annotation_id: str, *, tag: str | None = None, note: str | None = None
    ) -> Annotation:
        """Change the tag and/or note of an annotation; saved. Returns the new annotation."""
        new_tag = None if tag is None else self._check_tag(tag)
        new_note = None if note is None else self._check_note(note)
        result: list[Annotation] = []

        def change(state: _State) -> None:
            old = state.items.get(annotation_id)
            if old is None:
                raise AnnotationStoreError(self._unknown(annotation_id, state))
            new = replace(
                old,
                tag=old.tag if new_tag is None else new_tag,
                note=old.note if new_note is None else new_note,
                modified=_later(old.modified),
            )
            state.items[annotation_id] = new
            result.append(new)

        self._commit(change, StoreEvent("updated", (annotation_id,)))
        return result[0]

    def remove(self, annotation_id: str) -> None:
        """Delete an annotation; saved. The id is remembered so a merge cannot bring it back."""

        def change(state: _State) -> None:
            if annotation_id in state.removed and annotation_id not in state.items:
                return  # already removed, perhaps by another notebook: nothing to do
            if annotation_id not in state.items:
                raise AnnotationStoreError(self._unknown(annotation_id, state))
            del state.items[annotation_id]
            state.removed[annotation_id] = _now()

        self._commit(change, StoreEvent("removed", (annotation_id,)))

    def reanchor(self, articles: Iterable[Any]) -> ReanchorReport:
        """Find every annotation again in the current text of ``articles``; saved.

        Annotations whose words are still at their offsets are unchanged; those found elsewhere
        (verbatim or lightly edited) move; the rest are kept, marked orphaned and reported,
        never attached to other words. Annotations on articles not given are skipped.

        >>> import tempfile, kit
        >>> arts = kit.load_articles()
        >>> with tempfile.TemporaryDirectory() as d:
        ...     store = open_store("Ana", folder=d)
        ...     _ = store.add(arts["A"], 10, 20, "hedge")
        ...     print(store.reanchor(arts))
        1 unchanged, 0 moved, 0 orphaned (need re-highlighting), 0 skipped
        """
        texts = {a.id: a.text for a in articles}
        outcome: dict[str, list[Annotation]] = {"unchanged": [], "moved": [], "orphaned": []}
        skipped: list[Annotation] = []

        def change(state: _State) -> None:
            for old in list(state.items.values()):
                text = texts.get(old.article_id)
                if text is None:
                    skipped.append(old)
                    continue
                m = locate(
                    text, exact=old.exact, prefix=old.prefix, suffix=old.suffix, start=old.start
                )
                if m is None:
                    new = (
                        old
                        if old.status == ORPHANED
                        else replace(old, status=ORPHANED, modified=_later(old.modified))
                    )
                    outcome["orphaned"].append(new)
                elif m.method == "position" and old.status == ANCHORED:
                    outcome["unchanged"].append(old)
                    continue
                else:
                    exact, prefix, suffix = quote_selector(text, m.start, m.end)
                    new = replace(
                        old,
                        start=m.start,
                        end=m.end,
                        exact=_clean_text(exact),
                        prefix=_clean_text(prefix),
                        suffix=_clean_text(suffix),
                        status=ANCHORED,
                        modified=_later(old.modified),
                    )
                    outcome["moved"].append(new)
                state.items[new.id] = new

        changed_ids: tuple[str, ...] = ()
        self._commit(change, None)
        changed_ids = tuple(a.id for a in outcome["moved"] + outcome["orphaned"])
        if changed_ids:
            self._notify(StoreEvent("reanchored", changed_ids))
        return ReanchorReport(
            unchanged=tuple(outcome["unchanged"]),
            moved=tuple(outcome["moved"]),
            orphaned=tuple(outcome["orphaned"]),
            skipped=tuple(skipped),
        )

    # ---- notifications

    def _set_aside(self, exc: _Invalid) -> Path:
        """Move an unreadable file aside (never overwrite it); return where it went.

        A file written by a newer kit is not broken, only newer: it is refused and left alone.
        """
        if str(exc).startswith("NEWER:"):
            raise AnnotationStoreError(f"{self.path}: {_describe(exc)}") from None
        aside = _aside_name(self.path)
        os.replace(self.path, aside)
        _fsync_dir(self.path.parent)
        return aside

    def subscribe(self, callback: Callable[[StoreEvent], None]) -> Callable[[], None]:
        """Call ``callback(event)`` after every saved change; returns a function to unsubscribe.

        Changes from another notebook are reported (as "reloaded") when this store next reads.
        A callback that raises is reported as a warning and does not undo the save.
        """
        with self._mutex:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._mutex, contextlib.suppress(ValueError):
                self._subscribers.remove(callback)

        return unsubscribe

    def _notify(self, event: StoreEvent) -> None:
        for callback in list(self._subscribers):
            try:
                callback(event)
            except Exception as exc:  # a broken widget must not make saving look failed
                warnings.warn(
                    f"annotation store listener {callback!r} failed: {exc!r}",
                    AnnotationStoreWarning,
                    stacklevel=3,
                )

    # ---- export

    def export_json(self, path: str | Path) -> Path:
        """Write all annotations as W3C Web Annotation JSON (readable by read_annotations_file)."""
        out = Path(path)
        anns = self.annotations()
        with self._mutex:
            data = _serialise(self._state, anns)
        try:
            _atomic_write(out, data)
        except OSError as exc:
            raise AnnotationStoreError(
                f"{out}: cannot write the export ({exc.strerror or exc})"
            ) from None
        return out

    def export_csv(self, path: str | Path) -> Path:
        """Write one row per annotation (UTF-8 with a BOM so spreadsheet programs read it).

        Every cell is quoted, and a cell a spreadsheet would run as a formula (one starting
        with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'``, as
        OWASP advises against CSV injection: a note reading ``=HYPERLINK(...)`` stays text.
        """
        out = Path(path)
        buf = io.StringIO(newline="")
        writer = csv.DictWriter(
            buf, fieldnames=CSV_FIELDS, lineterminator="\r\n", quoting=csv.QUOTE_ALL
        )
        writer.writeheader()
        for a in self.annotations():
            writer.writerow({f: _csv_cell(getattr(a, f)) for f in CSV_FIELDS})
        try:
            _atomic_write(out, buf.getvalue().encode("utf-8-sig"))
        except OSError as exc:
            raise AnnotationStoreError(
                f"{out}: cannot write the export ({exc.strerror or exc})"
            ) from None
        return out

    # ---- internals

    def _check_tag(self, tag: Any) -> str:
        if not isinstance(tag, str) or not tag.strip():
            raise AnnotationStoreError(f"{self.path}: a tag must be non-empty text, not {tag!r}")
        tag = _clean_text(tag.strip())
        if len(tag) > MAX_TAG_CHARS or any(unicodedata.category(c) == "Cc" for c in tag):
            raise AnnotationStoreError(
                f"{self.path}: the tag {tag[:40]!r} is too long or holds control characters"
            )
        return tag

    def _check_note(self, note: Any) -> str:
        if not isinstance(note, str):
            raise AnnotationStoreError(
                f"{self.path}: a note must be text, not {type(note).__name__}"
            )
        if len(note) > MAX_NOTE_CHARS:
            raise AnnotationStoreError(
                f"{self.path}: the note is {len(note):,} characters; "
                f"keep it under {MAX_NOTE_CHARS:,}"
            )
        return _clean_text(note)

    def _unknown(self, annotation_id: str, state: _State | None = None) -> str:
        state = state or self._state
        if annotation_id in state.removed:
            return (
                f"{self.path}: annotation {annotation_id!r} was removed "
                "(perhaps in another notebook)"
            )
        return f"{self.path}: no annotation with id {annotation_id!r}"

    def _signature(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        from filelock import Timeout

        try:
            self._lock.acquire()
        except (Timeout, OSError) as exc:
            lock = Path(self._lock.lock_file)
            if lock.is_dir():
                raise AnnotationStoreError(
                    f"{lock}: is a folder, but the kit needs this name for its lock file; "
                    "rename or remove that folder"
                ) from None
            if not isinstance(exc, Timeout):  # (Timeout is itself an OSError)
                raise AnnotationStoreError(
                    f"{lock}: cannot create the lock file that keeps two notebooks from saving "
                    f"at once ({exc.strerror or exc}); check the folder can be written"
                ) from None
            raise AnnotationStoreError(
                f"{self.path}: another notebook has been saving to this file for over "
                f"{LOCK_TIMEOUT:.0f} s; close it or delete {lock} if none is open"
            ) from None
        try:
            yield
        finally:
            self._lock.release()

    def _load_disk(self, *, during: str) -> _State:
        """Read the file under the lock. A broken file found mid-session is moved aside."""
        try:
            return _read_state(self.path)
        except FileNotFoundError:
            return _State({}, {}, self.learner)
        except OSError as exc:
            raise AnnotationStoreError(
                f"{self.path}: cannot be read ({exc.strerror or exc})"
            ) from None
        except _Invalid as exc:
            aside = self._set_aside(exc)
            # What this notebook holds is the last good state; it is written back below, so
            # the learner loses nothing and the broken file is kept for a teacher to look at.
            warnings.warn(
                f"{self.path}: {_describe(exc)} (found while {during}); it was moved to "
                f"{aside.name} and this notebook's annotations were saved in its place",
                AnnotationStoreWarning,
                stacklevel=4,
            )
            return _State({}, {}, self.learner)

    def _write(self, state: _State) -> None:
        data = _serialise(state)
        self._last_bytes = None  # if the write fails, the file's content is unknown
        try:
            _atomic_write(self.path, data)
        except OSError as exc:
            raise AnnotationStoreError(
                f"{self.path}: could not save ({exc.strerror or exc}); "
                "your last change is NOT saved"
            ) from None
        self._last_bytes = data

    def _commit(self, change: Callable[[_State], None], event: StoreEvent | None) -> None:
        with self._mutex, self._locked():
            # If the file still holds exactly the bytes we last wrote, it is our state: skip
            # parsing it again (the cost that grows with the number of annotations).
            try:
                unchanged = self._last_bytes is not None and (
                    read_regular_file(self.path, MAX_FILE_BYTES) == self._last_bytes
                )
            except OSError:
                unchanged = False
            disk = self._state if unchanged else self._load_disk(during="saving")
            merged = _merge(disk, self._state)
            change(merged)  # may raise: nothing written, in-memory state untouched
            merged.learner = self.learner
            self._write(merged)
            self._state = merged
            self._seen = self._signature()
        if event is not None:
            self._notify(event)

    def _open(self) -> None:
        """First read, under the lock: sweep dead temp files, move a broken file aside."""
        with self._mutex, self._locked():
            # Holding the lock means no live writer of this file has a temp file in flight;
            # any left are from a writer that was killed.
            for tmp in self.path.parent.glob(f".{self.path.name}.*.tmp"):
                with contextlib.suppress(OSError):
                    tmp.unlink()
            try:
                self._state = _read_state(self.path)
                self._state.learner = self.learner
            except FileNotFoundError:
                # Write the empty collection now: the class view sees who has started, and a
                # folder we cannot write to is reported at once, not at the first highlight.
                self._state = _State({}, {}, self.learner)
                try:
                    _atomic_write(self.path, _serialise(self._state))
                except OSError as exc:
                    raise AnnotationStoreError(
                        f"{self.path}: cannot be created ({exc.strerror or exc})"
                    ) from None
            except OSError as exc:
                raise AnnotationStoreError(
                    f"{self.path}: cannot be read ({exc.strerror or exc})"
                ) from None
            except _Invalid as exc:
                aside = self._set_aside(exc)
                raise AnnotationStoreError(
                    f"{self.path}: {_describe(exc)}. Nothing was deleted: the file was moved to "
                    f"{aside}. Open the store again to start a new, empty annotation file "
                    "(a teacher can repair the old one and put it back).",
                    moved_to=aside,
                ) from None
            self._seen = self._signature()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> str:
    """A CSV cell no spreadsheet runs as a formula (OWASP: prefix a single quote).

    >>> _csv_cell("=1+1"), _csv_cell("plain"), _csv_cell(7)
    ("'=1+1", 'plain', '7')
    """
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _later(previous: str) -> str:
    """Now, but always after ``previous``: the merge keeps the newer version, so an edit must
    never carry the same time as the version it replaces (clocks can step back, or be coarse).
    """
    now = _now()
    if now > previous:
        return now
    try:
        then = datetime.fromisoformat(previous.replace("Z", "+00:00"))
    except ValueError:  # a hand-written time we cannot parse: ours is the newer one
        return now
    bumped = then.astimezone(timezone.utc) + timedelta(microseconds=1)
    return bumped.isoformat(timespec="microseconds").replace("+00:00", "Z")


CSV_FIELDS = (
    "id",
    "learner",
    "article_set",
    "article_id",
    "start",
    "end",
    "exact",
    "tag",
    "note",
    "status",
    "created",
    "modified",
)


def open_store(
    learner: str | None = None, folder: str | Path | None = None, *, article_set: str = ""
) -> AnnotationStore:
    """Open (or create) ``learner``'s annotation file in ``folder`` and load it.

    ``learner`` defaults to the name remembered in the folder; the name given is remembered
    for next time. ``folder`` defaults to :func:`default_folder`. ``article_set`` is recorded
    on new annotations. A file that cannot be read is moved aside and AnnotationStoreError is
    raised saying where it went; calling ``open_store`` again then starts an empty file.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     store = open_store("Ana", folder=d)
    ...     (store.path.name, len(store.annotations()))
    ('ana.json', 0)
    """
    where = Path(folder).expanduser() if folder is not None else default_folder()
    if learner is None:
        learner = remembered_learner(where)
        if learner is None:
            raise AnnotationStoreError(
                f"{where}: no learner name remembered here; call open_store('Your Name')"
            )
    slug = learner_slug(learner)
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AnnotationStoreError(
            f"{where}: cannot create the folder ({exc.strerror or exc})"
        ) from None
    try:
        path = _learner_path(where, learner, slug).resolve()
        home = where.resolve()
    except (OSError, RuntimeError):  # a symbolic link that loops back on itself
        raise AnnotationStoreError(
            f"{where / (slug + SUFFIX)}: cannot be opened: it is a symbolic link that loops "
            "back on itself; remove the link"
        ) from None
    # Belt and braces: the slug cannot hold a separator, but check the resolved result too.
    if path.parent != home:
        raise AnnotationStoreError(
            f"{where}: the name {learner!r} does not give a file in this folder"
        )
    store = AnnotationStore(path, learner.strip(), article_set=article_set)
    store._open()
    with contextlib.suppress(OSError, AnnotationStoreError):
        remember_learner(learner, where)
    return store
