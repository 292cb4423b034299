"""Small text helpers shared by the detectors (quotations) and a safe file reader."""

from __future__ import annotations

import errno
import os
import re
import stat
from functools import lru_cache

__all__ = [
    "NotRegularFileError",
    "inside",
    "os_error_reason",
    "quotation_spans",
    "read_regular_file",
]

# Curly double quotes pair by direction; straight double quotes pair in order.
_CURLY = re.compile(r"“[^“”]*”")
_STRAIGHT = re.compile(r'"[^"\n]*"')
_MAX_QUOTE = 2000  # a run of text longer than this between quote marks is a stray mark
_OPENING = re.compile(r'["“](?=\S)')
_MARK = re.compile(r'[“”"]')


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every double-quoted passage, quote marks included, in text order.

    Curly quotes (“...”) and straight quotes ("...") both count, and a curly opening mark may
    close with a straight one. A matched pair never runs across a paragraph break. A quotation
    that goes on for several paragraphs opens each of them with a mark and closes only at its
    end; so an opening mark at the start of a line with no pair runs on to the next closing
    mark, or, when another opening mark comes first, to the end of its own paragraph.

    >>> quotation_spans('He said “no,” then "yes".')
    [(8, 13), (19, 24)]
    >>> quotation_spans('“First part.\\n\\n“Second part.”\\n\\nNot quoted.')
    [(0, 12), (14, 28)]
    """
    return list(_quotation_spans(text))


@lru_cache(maxsize=256)
def _quotation_spans(text: str) -> tuple[tuple[int, int], ...]:
    # the detectors each ask for the same article's quotations: answer once per text
    spans = []
    for pattern in (_CURLY, _STRAIGHT):
        for m in pattern.finditer(text):
            if len(m.group()) <= _MAX_QUOTE and "\n\n" not in m.group():
                spans.append((m.start(), m.end()))
    spans = _without_overlaps(spans)
    spans += _lone_openings(text, spans)
    return tuple(_without_overlaps(spans))


def _without_overlaps(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):  # drop a pair that sits inside an earlier one
        if out and s < out[-1][1]:
            continue
        out.append((s, e))
    return out


def _lone_openings(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quotations opened at a line's start whose mark has no pair (see `quotation_spans`)."""
    found: list[tuple[int, int]] = []
    for m in _OPENING.finditer(text):
        start = m.start()
        line_start = text.rfind("\n", 0, start) + 1
        before = text[line_start:start]
        if before.strip() and not before.rstrip().endswith(":"):
            continue  # an opening mark left without its pair counts only at a line's start
        if inside(spans, start, start + 1) or inside(found, start, start + 1):
            continue
        nxt = _MARK.search(text, start + 1, start + _MAX_QUOTE)
        if nxt is not None and nxt.group() in '”"':
            if nxt.group() == '"' and text[nxt.start() - 1 : nxt.start()].isspace():
                continue  # a straight mark after a space opens a quotation: no pair here
            found.append((start, nxt.end()))
            continue
        para_end = text.find("\n\n", start)
        para_end = len(text) if para_end < 0 else para_end
        if nxt is not None:
            para_end = min(para_end, nxt.start())
        end = len(text[:para_end].rstrip())
        if end > start + 1:
            found.append((start, end))
    return found


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when ``[start, end)`` lies wholly inside one of ``spans``."""
    return any(s <= start and end <= e for s, e in spans)


# --------------------------------------------------------------------------- reading files


class NotRegularFileError(OSError):
    """The path is a pipe, device, socket or folder: something that is not a plain file."""


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular_file(path: str | os.PathLike[str], limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes of a regular file; never block on a pipe or a device.

    The file is opened without blocking and checked *after* opening (``fstat``), so a FIFO, a
    device such as ``/dev/zero`` or a symlink to one raises `NotRegularFileError` at once.
    A result longer than ``limit`` means the file is larger than the limit.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_bytes(b"hello")
    >>> read_regular_file(p, 3)
    b'hell'
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(errno.EINVAL, f"it is {_kind_of(mode)}", str(path))
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def os_error_reason(exc: BaseException) -> str:
    """A short, plain reason for an error from opening or reading a file.

    >>> os_error_reason(PermissionError(13, "Permission denied"))
    'permission denied'
    """
    if isinstance(exc, NotRegularFileError):
        return exc.strerror or "not a regular file"
    if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
        return "a symbolic link that loops back on itself"
    return (getattr(exc, "strerror", None) or str(exc)).lower()
