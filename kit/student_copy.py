"""Student copies of the lessons: instructor and solution cells removed, outputs cleared.

`make_student_copy` writes each notebook of a lessons folder (or one notebook) to a target
folder without the cells tagged ``instructor`` or ``solution``, with every output and
execution count cleared, and copies the other files students need (images, data files next
to the lessons; never the instructor guide). A markdown cell that points at the cell right
after it ("Then run this cell", "the cell below") loses that sentence when the cell it points
at was removed, and the copy's notes say so.

Nothing is written inside the source folder: the target may not be the source or lie
inside it, so the originals can never be overwritten.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     notes = make_student_copy(pathlib.Path("lessons"), pathlib.Path(d, "student"))
...     sorted(p.name for p in pathlib.Path(d, "student").glob("*.ipynb"))[0]
'00_start_here.ipynb'
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["REMOVED_TAGS", "StudentCopyError", "make_student_copy", "points_at_next_cell"]

REMOVED_TAGS = ("instructor", "solution")
# Files next to the lessons that are for the instructor only.
_INSTRUCTOR_ONLY = re.compile(r"(?i)^instructor")
# A sentence that sends the reader to a particular cell.
_CELL_REF = re.compile(
    r"(?i)\b(?:this cell|that cell|the (?:next|following) cell|the cells? below)\b"
)
_SENTENCE = re.compile(r"(?<=[.!?])(\s+)")


class StudentCopyError(ValueError):
    """The student copy cannot be made; the message names the path and the problem."""


def points_at_next_cell(markdown: str) -> list[str]:
    """The sentences of ``markdown`` that send the reader to a cell.

    >>> points_at_next_cell("Try it first. Then run this cell to compare.")
    ['Then run this cell to compare.']
    """
    return [s for s in _SENTENCE.split(markdown) if s.strip() and _CELL_REF.search(s)]


def _drop_sentences(markdown: str, drop: list[str]) -> str:
    pieces = _SENTENCE.split(markdown)
    out: list[str] = []
    for piece in pieces:
        if piece in drop:
            if out and not out[-1].strip():
                out.pop()  # the space before the dropped sentence
            continue
        out.append(piece)
    return "".join(out).rstrip() + ("\n" if markdown.endswith("\n") else "")


def _check_paths(source: Path, target: Path) -> tuple[list[Path], Path]:
    if not source.exists():
        raise StudentCopyError(f"{source}: no such file or folder")
    if source.is_dir():
        notebooks = sorted(source.glob("*.ipynb"))
        folder = source
    elif source.suffix.lower() == ".ipynb":
        notebooks, folder = [source], source.parent
    else:
        raise StudentCopyError(
            f"{source}: is not a notebook (.ipynb); give the lessons folder or one notebook"
        )
    if not notebooks:
        raise StudentCopyError(f"{source}: no .ipynb notebooks here")
    if target.exists() and not target.is_dir():
        raise StudentCopyError(f"{target}: is a file; give a folder for the student copies")
    here, there = folder.resolve(), target.resolve()
    if there == here or there.is_relative_to(here):
        raise StudentCopyError(
            f"{target}: is the lessons folder or inside it; the copies would overwrite or mix "
            "with the originals. Choose a folder outside it, e.g. student/"
        )
    return notebooks, folder


def make_student_copy(source: Path, target: Path, tags: Iterable[str] = REMOVED_TAGS) -> list[str]:
    """Write student copies of ``source`` (a folder or one notebook) into ``target``.

    Returns one line per notebook and per file copied, and one per sentence dropped. Raises
    `StudentCopyError` for a bad source or target. Files are written to a temporary folder
    first and moved into ``target`` only when every notebook was converted.
    """
    import nbformat

    notebooks, folder = _check_paths(Path(source), Path(target))
    tags = set(tags)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.copy-", dir=target.parent))
    notes: list[str] = []
    try:
        for path in notebooks:
            try:
                nb = nbformat.read(path, as_version=4)
            except Exception as exc:  # nbformat raises several kinds for a broken file
                raise StudentCopyError(f"{path}: is not a readable notebook ({exc})") from None
            notes += _strip(nb, path.name, tags)
            nbformat.write(nb, work / path.name)
        if Path(source).is_dir():
            notes += _copy_extras(folder, work)
        target.mkdir(exist_ok=True)
        for item in work.iterdir():
            dest = target / item.name
            if dest.is_dir() and not dest.is_symlink():
                shutil.rmtree(dest)
            os.replace(item, dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return notes


def _strip(nb, name: str, tags: set[str]) -> list[str]:
    """Remove tagged cells and outputs in place; returns notes on what changed."""
    keep, notes, removed = [], [], 0
    for i, cell in enumerate(nb.cells):
        if tags & set(cell.get("metadata", {}).get("tags", [])):
            removed += 1
            previous = keep[-1] if keep and keep[-1] is nb.cells[i - 1] else None
            if previous is not None and previous.cell_type == "markdown":
                drop = points_at_next_cell(previous.source)
                if drop:
                    previous.source = _drop_sentences(previous.source, drop)
                    notes += [
                        f"{name}: dropped {s.strip()!r} (it pointed at a removed cell)"
                        for s in drop
                    ]
            continue
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
        keep.append(cell)
    nb.cells = keep
    return [f"{name}: removed {removed} of {removed + len(keep)} cells", *notes]


def _copy_extras(folder: Path, work: Path) -> list[str]:
    notes = []
    for path in sorted(folder.iterdir()):
        if (
            path.suffix == ".ipynb"
            or path.name.startswith(".")
            or _INSTRUCTOR_ONLY.match(path.name)
            or not path.is_file()
            or path.is_symlink()
        ):
            continue
        shutil.copy2(path, work / path.name)
        notes.append(f"{path.name}: copied")
    return notes
