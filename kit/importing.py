"""Import an instructor's own articles: saved web pages, plain text, Markdown and Word files.

`import_files` turns each file into a verbatim ``.txt`` article in an article set folder,
records what the page says about itself (title, author, date, site name; "unknown" where it
does not say) in the set's ``manifest.toml``, and keeps the original file in ``originals/``.
A file that cannot be imported (too large, not a page, a duplicate, no article in it) is
reported with the reason and the set is left as it was for it.

Every file is treated as hostile: its size is checked before it is read, only regular files
inside the folder being imported are opened (never a named pipe, a device, or a link that
leads elsewhere), and web pages are taken apart in a separate process with a time and memory
limit, so a huge or deliberately tangled page cannot hang or exhaust the machine.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     page = pathlib.Path(d, "page.txt")
...     body = "Fares rise by 5% in May, the council said. " * 4
...     _ = page.write_text("Ferry fares rise\\n\\n" + body)
...     report = import_files([page], pathlib.Path(d, "my-set"))
...     [a.id for a in report.imported], report.skipped
(['ferry-fares-rise'], [])
"""

from __future__ import annotations

import base64
import codecs
import errno
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kit.articles import MANIFEST_NAME, UNKNOWN, ArticleSetError, load_articles

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MEMORY_LIMIT",
    "SUFFIXES",
    "TIME_LIMIT",
    "ArticleImportError",
    "ImportReport",
    "Imported",
    "Skipped",
    "import_files",
    "read_limited",
]

MAX_BYTES = 10_000_000  # a saved news page is rarely over 2 MB; 10 MB is generous
TIME_LIMIT = 30  # seconds the extractor may spend on one page
MEMORY_LIMIT = 1_500_000_000  # bytes of address space for the extractor process
MAX_DEPTH = 250  # the HTML parser silently gives up below about 255 nested elements
SUFFIXES = (".html", ".htm", ".txt", ".md", ".docx")
ORIGINALS = "originals"
EXAMPLE_NAME = "example-article.txt"  # what `kit new-set` writes; replaced by a first import

_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr "
    # optional end tags: an unclosed <p> or <li> is normal HTML, not nesting
    "p li dt dd tr td th thead tbody tfoot option optgroup rt rp colgroup caption".split()
)
_TAG = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9:-]{0,40})\b[^<>]{0,4000}?(/?)>")
_CHARSET = re.compile(rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.I)
_LOOKS_HTML = re.compile(r"<\s*(?:!doctype|html|head|body|p|div|article|main|h1|title)\b", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class ArticleImportError(ArticleSetError):
    """A file cannot be imported; the message names the file and says why."""


@dataclass(frozen=True, slots=True)
class Imported:
    """One article added to the set: its id, new file and the original it came from."""

    id: str
    file: str
    original: str
    headline: str
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that was not imported, and why (in words an instructor can act on)."""

    path: str
    reason: str


@dataclass
class ImportReport:
    """What `import_files` did: articles added, files skipped, the example article removed."""

    folder: Path
    imported: list[Imported] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    removed_example: bool = False


@dataclass(frozen=True, slots=True)
class _Page:
    text: str
    title: str = UNKNOWN
    author: str = UNKNOWN
    date: str = UNKNOWN
    site: str = UNKNOWN
    url: str = ""
    method: str = ""


# --------------------------------------------------------------------------- reading safely


def read_limited(path: Path, within: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file inside ``within``, refusing anything unsafe to read.

    Checked before reading: what the path is (a named pipe or device is never opened, so it
    cannot hang), where a link leads (a loop, a broken link or a link out of ``within`` is
    refused) and the size (``stat`` first, so a 2 GB file is never read).

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = pathlib.Path(d, "a.txt").write_bytes(b"hello")
    ...     read_limited(pathlib.Path(d, "a.txt"), pathlib.Path(d))
    b'hello'
    """
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise ArticleImportError(f"{path}: cannot be read ({exc.strerror})") from None
    target = path
    if stat.S_ISLNK(info.st_mode):
        target = _follow_link(path, within)
        try:
            info = os.stat(target)
        except OSError as exc:
            raise ArticleImportError(f"{path}: cannot be read ({exc.strerror})") from None
    _check_kind(path, info)
    _check_size(path, info.st_size, limit)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(target, flags)
    except OSError as exc:
        raise ArticleImportError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        opened = os.fstat(fd)  # what was opened, not what the name pointed at a moment ago
        _check_kind(path, opened)
        _check_size(path, opened.st_size, limit)
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise ArticleImportError(f"{path}: cannot be read ({exc.strerror})") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    _check_size(path, len(data), limit)  # a file that grew while we read it
    if not data.strip():
        raise ArticleImportError(f"{path}: is empty (no text to import)")
    return data


def _follow_link(path: Path, within: Path) -> Path:
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python 3.10-3.12 report a loop this way
        raise ArticleImportError(f"{path}: is a link that loops back on itself") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ArticleImportError(f"{path}: is a link that loops back on itself") from None
        raise ArticleImportError(f"{path}: is a link to a file that does not exist") from None
    if not target.is_relative_to(within.resolve()):
        raise ArticleImportError(
            f"{path}: is a link to {target}, outside the folder being imported; "
            "copy the file itself into the folder instead"
        )
    return target


def _check_kind(path: Path, info: os.stat_result) -> None:
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        kind = "a folder"
    elif stat.S_ISFIFO(mode):
        kind = "a named pipe"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    else:
        kind = "a device"
    raise ArticleImportError(f"{path}: is {kind}, not a file; it was not read")


def _check_size(path: Path, size: int, limit: int) -> None:
    if size > limit:
        raise ArticleImportError(
            f"{path}: too large to be one article ({size:,} bytes; the limit is {limit:,}); "
            "save just the article's page"
        )


# --------------------------------------------------------------------------- decoding


def _decode_text(raw: bytes, path: Path) -> str:
    """A .txt or .md file: UTF-8 (a byte-order mark is dropped), else a clear error."""
    if b"\x00" in raw and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ArticleImportError(f"{path}: is a binary file, not text (it contains NUL bytes)")
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return _strict(raw, codec, path, declared=False)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleImportError(
            f"{path}: is not UTF-8 text (byte 0x{raw[exc.start]:02x} at position {exc.start}); "
            "it is probably in an older encoding such as Windows-1252: save it as UTF-8 "
            "and import it again"
        ) from None


def _decode_html(raw: bytes, path: Path) -> str:
    """A page's text in the encoding it declares; UTF-8 if it declares none, else an error."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return _strict(raw, codec, path, declared=False)
    if b"\x00" in raw[:65536]:
        raise ArticleImportError(
            f"{path}: is not a web page (it holds binary data, perhaps an image or a PDF "
            "renamed to .html)"
        )
    declared = _CHARSET.search(raw[:65536])
    if declared:
        name = declared.group(1).decode("ascii")
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            raise ArticleImportError(
                f"{path}: declares an unknown character set {name!r}; save the page as UTF-8"
            ) from None
        return _strict(raw, codec, path, declared=True)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleImportError(
            f"{path}: is not UTF-8 and does not say which encoding it uses (byte "
            f"0x{raw[exc.start]:02x} at position {exc.start}); it is probably an older page in "
            "Windows-1252 or Latin-1. Open it in a browser and save it again, or add "
            '<meta charset="windows-1252"> to its head if you know the encoding'
        ) from None


def _strict(raw: bytes, codec: str, path: Path, *, declared: bool) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        said = f"says it is {codec}" if declared else f"starts like {codec}"
        raise ArticleImportError(
            f"{path}: {said}, but byte 0x{raw[exc.start]:02x} at position {exc.start} is not "
            f"valid {codec}; save the page again from the browser"
        ) from None


def nesting_depth(raw: bytes) -> int:
    """How deeply the page's elements nest (tags with optional or no end tag not counted).

    >>> nesting_depth(b"<html><body><div><div><p>hi</div></div></body></html>")
    4
    """
    depth = deepest = 0
    for m in _TAG.finditer(raw):
        name = m.group(2).lower()
        if name in _VOID_B or m.group(3):
            continue
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


_VOID_B = frozenset(v.encode() for v in _VOID)


# --------------------------------------------------------------------------- extraction


def _extract(path: Path, raw: bytes) -> _Page:
    suffix = path.suffix.lower()
    if suffix == ".txt":
        text = _decode_text(raw, path)
        return _Page(text=text.replace("\r\n", "\n"), method="plain text, copied unchanged")
    if suffix == ".md":
        return _markdown(_decode_text(raw, path))
    if suffix == ".docx":
        return _page_from_worker(path, {"kind": "docx", "data": base64.b64encode(raw).decode()})
    html = _decode_html(raw, path)
    if not _LOOKS_HTML.search(html[:200_000]):
        raise ArticleImportError(
            f"{path}: does not look like a web page (no HTML tags); if it is plain text, "
            "rename it to .txt"
        )
    depth = nesting_depth(raw)
    if depth > MAX_DEPTH:
        raise ArticleImportError(
            f"{path}: its elements nest {depth} deep, too deep for the page reader (the limit "
            f"is {MAX_DEPTH}); copy the article's text into a .txt file instead"
        )
    return _page_from_worker(path, {"kind": "html", "html": html})


def _page_from_worker(path: Path, job: dict[str, Any]) -> _Page:
    """Run the extractor in a child process with a time and memory limit."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    try:
        done = subprocess.run(
            [sys.executable, "-c", "from kit.importing import _worker; _worker()"],
            input=json.dumps(job).encode("utf-8"),
            capture_output=True,
            timeout=TIME_LIMIT,
            preexec_fn=_limit_child if os.name == "posix" else None,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ArticleImportError(
            f"{path}: reading the page took longer than {TIME_LIMIT} s, so it was stopped; "
            "save just the article, or copy its text into a .txt file"
        ) from None
    try:
        answer = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        answer = None
    if not isinstance(answer, dict):
        if done.returncode < 0 or b"MemoryError" in done.stderr:
            raise ArticleImportError(
                f"{path}: reading the page needed more than {MEMORY_LIMIT // 1_000_000:,} MB "
                "of memory or time, so it was stopped; save just the article"
            )
        raise ArticleImportError(f"{path}: the page reader failed on this file")
    if "error" in answer:
        raise ArticleImportError(f"{path}: {answer['error']}")
    return _Page(**{k: str(v) for k, v in answer.items() if k in _Page.__slots__})


def _limit_child() -> None:  # pragma: no cover - runs in the child process
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (TIME_LIMIT, TIME_LIMIT + 5))


def _worker() -> None:  # pragma: no cover - runs in the child process
    """Child side of `_page_from_worker`: a JSON job on stdin, a JSON answer on stdout."""
    job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    try:
        page = _html_page(job["html"]) if job["kind"] == "html" else _docx_page(job["data"])
        answer: dict[str, str] = {k: getattr(page, k) for k in _Page.__slots__}
    except ArticleImportError as exc:
        answer = {"error": str(exc)}
    except MemoryError:
        answer = {"error": f"reading it needed more than {MEMORY_LIMIT // 1_000_000:,} MB"}
    except Exception as exc:  # the page reader choking on a broken file
        answer = {"error": f"the page reader could not read it ({type(exc).__name__})"}
    sys.stdout.write(json.dumps(answer))


def _html_page(html: str) -> _Page:
    from trafilatura import bare_extraction

    doc = bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, deduplicate=True
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise ArticleImportError(
            "no article text found in this page (it may be a home page, a list of links, "
            "or a page that builds its text with scripts)"
        )
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]

    def meta(name: str) -> str:
        value = getattr(doc, name, None)
        return " ".join(str(value).split()) if value else UNKNOWN

    title = meta("title")
    if title != UNKNOWN and paragraphs[0] != title:
        paragraphs.insert(0, title)
    return _Page(
        text="\n\n".join(paragraphs) + "\n",
        title=title,
        author=meta("author"),
        date=meta("date"),
        site=meta("sitename"),
        url="" if meta("url") == UNKNOWN else meta("url"),
        method="saved web page; page furniture removed by trafilatura",
    )


def _docx_page(data: str) -> _Page:
    import io
    import zipfile
    from xml.etree import ElementTree

    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    try:
        archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(data)))
        info = archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise ArticleImportError("is not a Word .docx file (no word/document.xml inside)") from None
    if info.file_size > 5 * MAX_BYTES:
        raise ArticleImportError(f"its text unpacks to {info.file_size:,} bytes, too large")
    xml = archive.read(info)
    if b"<!DOCTYPE" in xml[:2000] or b"<!ENTITY" in xml:
        raise ArticleImportError("its document.xml declares entities; it was not read")
    root = ElementTree.fromstring(xml)
    paragraphs = []
    for p in root.iter(f"{ns}p"):
        parts = []
        for node in p.iter():
            if node.tag == f"{ns}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{ns}tab":
                parts.append("\t")
        line = "".join(parts).strip()
        if line:
            paragraphs.append(line)
    if not paragraphs:
        raise ArticleImportError("the Word file holds no text")
    return _Page(text="\n\n".join(paragraphs) + "\n", method="Word file; text of its paragraphs")


_MD_FRONT = re.compile(r"\A---\n(.{0,4000}?)\n---\n", re.S)
_MD_IMAGE = re.compile(r"!\[[^\]\n]{0,500}\]\([^)\n]{0,2000}\)")
_MD_LINK = re.compile(r"\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+", re.M)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)([^\n]{0,2000}?\S)\1")


def _markdown(text: str) -> _Page:
    """Markdown to plain text: headings, links, images and bold markers dropped."""
    text = text.replace("\r\n", "\n")
    meta: dict[str, str] = {}
    front = _MD_FRONT.match(text)
    if front:
        for line in front.group(1).splitlines():
            name, _, value = line.partition(":")
            if value.strip():
                meta[name.strip().lower()] = value.strip().strip("\"'")
        text = text[front.end() :]
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_HEADING.sub("", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    return _Page(
        text=text.strip() + "\n",
        title=meta.get("title", UNKNOWN),
        author=meta.get("author", UNKNOWN),
        date=meta.get("date", UNKNOWN),
        site=meta.get("site", meta.get("outlet", UNKNOWN)),
        method="Markdown; headings, links and bold markers removed",
    )


# --------------------------------------------------------------------------- the set


def _candidates(paths: Iterable[Path]) -> Iterator[tuple[Path, Path]]:
    """(file, folder it must stay inside) for each argument; a folder gives its own files."""
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            for child in sorted(path.iterdir(), key=lambda p: p.name):
                if not child.name.startswith("."):
                    yield child, path
        else:
            yield path, path.parent


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())[:8]
    slug = "-".join(words)[:48].strip("-")
    return slug or "article"


def _fingerprint(text: str) -> str:
    return hashlib.sha256(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()


def import_files(
    files: Iterable[str | Path], into: str | Path, *, progress: bool = False
) -> ImportReport:
    """Import ``files`` (pages, .txt, .md, .docx, or folders of them) into the set ``into``.

    The set is built in a temporary folder next to ``into`` and moved into place only when
    it loads cleanly, so a failure never leaves a half-written set. Files that cannot be
    imported are listed in ``report.skipped``; only `ArticleSetError` for the set itself
    (a broken existing set, or ``into`` being a file) is raised.
    """
    into = Path(into).expanduser()
    if into.exists() and not into.is_dir():
        raise ArticleSetError(f"{into}: is a file; --into needs a folder for the article set")
    existing = _existing(into)
    report = ImportReport(folder=into)
    seen = {fp: aid for aid, fp in existing["fingerprints"].items()}
    ids = {i.casefold() for i in existing["ids"]}
    staged: list[tuple[Imported, str, Path, _Page]] = []
    todo = list(_candidates(Path(f).expanduser() for f in files))
    for path, within in _progress(todo, progress):
        if path.suffix.lower() not in SUFFIXES:
            why = (
                "is a folder inside the folder you named; name it too to import its files"
                if path.is_dir() and not path.is_symlink()
                else f"not a {', '.join(SUFFIXES)} file"
            )
            report.skipped.append(Skipped(str(path), why))
            continue
        try:
            page = _extract(path, read_limited(path, within))
        except ArticleImportError as exc:
            report.skipped.append(Skipped(str(path), _reason(exc, path)))
            continue
        words = len(re.findall(r"\w+", page.text))
        if words < 20:
            report.skipped.append(
                Skipped(str(path), f"only {words} words of text found: no article to import")
            )
            continue
        fp = _fingerprint(page.text)
        if fp in seen:
            report.skipped.append(Skipped(str(path), f"same text as article {seen[fp]!r}"))
            continue
        base = _slug(page.title if page.title != UNKNOWN else page.text.split("\n", 1)[0])
        aid, n = base, 2
        while aid.casefold() in ids:
            aid, n = f"{base}-{n}", n + 1
        ids.add(aid.casefold())
        seen[fp] = aid
        unknown = tuple(
            name
            for name, value in (("author", page.author), ("date", page.date), ("site", page.site))
            if value == UNKNOWN
        )
        entry = Imported(aid, f"{aid}.txt", path.name, page.title, unknown)
        staged.append((entry, _manifest_entry(entry, page), path, page))
    if staged:
        report.removed_example = _write_set(into, staged, existing)
        report.imported = [s[0] for s in staged]
    return report


def _reason(exc: Exception, path: Path) -> str:
    return str(exc).removeprefix(f"{path}: ")


def _progress(items: list[Any], show: bool) -> Iterable[Any]:
    if not show or len(items) < 2:
        return items
    from tqdm import tqdm

    return tqdm(items, desc="importing", unit="file")


def _existing(into: Path) -> dict[str, Any]:
    """Ids and text fingerprints of the set's articles (nothing for a new folder)."""
    out: dict[str, Any] = {"ids": [], "fingerprints": {}, "example": False}
    if not into.is_dir() or not any(p.suffix == ".txt" for p in into.iterdir()):
        return out
    try:
        articles = load_articles(into)
    except ArticleSetError as exc:
        raise ArticleSetError(f"fix the article set before importing into it: {exc}") from None
    for a in articles:
        if a.path is not None and a.path.name == EXAMPLE_NAME and _is_untouched_example(a.text):
            out["example"] = True
            continue
        out["ids"].append(a.id)
        out["fingerprints"][a.id] = _fingerprint(a.text)
    return out


def _is_untouched_example(text: str) -> bool:
    from kit.scaffold import EXAMPLE_ARTICLE

    return text == EXAMPLE_ARTICLE


def _manifest_entry(entry: Imported, page: _Page) -> str:
    notes = [f"Imported from {entry.original} ({page.method}); the original is in {ORIGINALS}/."]
    if page.url:
        notes.append(f"The page gives its address as {page.url}")
    lines = [
        "",
        "[[article]]",
        f"file = {toml_string(entry.file)}",
        f"id = {toml_string(entry.id)}",
        f"headline = {toml_string(_headline(page))}",
        f"outlet = {toml_string(page.site)}",
        f"byline = {toml_string(page.author)}",
        f"published = {toml_string(page.date)}",
        "notes = [",
        *(f"    {toml_string(n)}," for n in notes),
        "]",
        "",
    ]
    return "\n".join(lines)


def toml_string(value: str) -> str:
    """A TOML basic string for any text (quotes, backslashes and control characters escaped).

    >>> toml_string('say "hi"\\n')
    '"say \\\\"hi\\\\"\\\\n"'
    """
    body = json.dumps(value, ensure_ascii=False)[1:-1]
    return '"' + body.replace("\x7f", "\\u007f") + '"'


def _write_set(into: Path, staged: list[tuple[Imported, str, Path, _Page]], existing) -> bool:
    """Build the new set next to ``into``, check it loads, then move it into place."""
    into.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{into.name}.import-", dir=into.parent))
    _usual_mode(work)
    old: Path | None = None
    try:
        if into.is_dir():
            shutil.copytree(into, work, dirs_exist_ok=True, symlinks=True)
        removed = bool(existing["example"])
        manifest = work / MANIFEST_NAME
        text = manifest.read_text(encoding="utf-8") if manifest.is_file() else _NEW_MANIFEST
        if removed:
            (work / EXAMPLE_NAME).unlink()
            text = _drop_example_entry(text)
        (work / ORIGINALS).mkdir(exist_ok=True)
        for entry, manifest_entry, source, page in staged:
            (work / entry.file).write_text(page.text, encoding="utf-8")
            shutil.copyfile(source, _free_name(work / ORIGINALS / entry.original))
            text = text.rstrip("\n") + "\n" + manifest_entry
        manifest.write_text(text, encoding="utf-8")
        load_articles(work)  # the new set must load before it replaces the old one
        if into.exists():
            old = into.with_name(f".{into.name}.old-{os.getpid()}")
            os.rename(into, old)
        os.rename(work, into)
    except ArticleSetError as exc:
        raise ArticleSetError(f"nothing was imported: the new set would not load: {exc}") from None
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return removed


def _free_name(path: Path) -> Path:
    n, candidate = 2, path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def _drop_example_entry(manifest: str) -> str:
    """Remove the scaffold's ``[[article]]`` table for the example article."""
    blocks = re.split(r"(?m)^(?=\[\[article\]\])", manifest)
    keep = [b for b in blocks if f'file = "{EXAMPLE_NAME}"' not in b]
    return "".join(keep)


_NEW_MANIFEST = """\
# Articles imported with `kit import`. Each [[article]] records what the page itself says;
# "unknown" means the page does not say. See data/articles/README.md.

[set]
title = "My articles"
"""


def _headline(page: _Page) -> str:
    """The page's title when the text holds it, else the first line (what the loader takes)."""
    if page.title != UNKNOWN and page.title in page.text:
        return page.title
    return next(line.strip() for line in page.text.splitlines() if line.strip())


def _usual_mode(folder: Path) -> None:
    """A temporary folder is private (0700); the set it becomes gets the usual permissions."""
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)
