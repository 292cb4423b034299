"""The instructor's command line: ``kit --help`` (or ``python -m kit --help``).

kit new-set data/articles/my-story            # an empty set with an example article
kit import page1.html notes.txt --into data/articles/my-story
kit key data/articles/my-story                # a draft key from the kit's hints
kit validate data/articles/my-story           # is the set and its key ready?
kit student-copy lessons student/             # lessons without instructor/solution cells
kit class-report annotations/ --set data/articles/my-story --out report.html
kit check data/articles/my-story              # what every lesson will see
kit evaluate                                  # detectors' precision and recall vs keys
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

import kit

__all__ = ["cli", "main"]

_PATH = click.Path(path_type=Path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Tools for instructors running the media-literacy course or bringing their own articles.

    Start with `kit new-set`, then `kit import`, `kit key` and `kit validate`.
    """


def _fail(message: str) -> click.ClickException:
    return click.ClickException(message)


def _load_set(folder: Path | None) -> kit.ArticleSet:
    try:
        return kit.load_articles(_set_folder(folder) if folder is not None else None)
    except kit.ArticleSetError as exc:
        raise _fail(str(exc)) from None


def _set_folder(folder: Path) -> Path:
    """A folder, or the name of a set in data/articles/ (as data/course.toml names it)."""
    from kit._data import data_dir

    named = data_dir() / "articles" / str(folder)
    if not folder.exists() and len(folder.parts) == 1 and named.is_dir():
        return named
    return folder


@cli.command()
@click.argument("folder", type=_PATH, required=False)
def check(folder: Path | None) -> None:
    """Load an article set and show what every lesson will see (default: the course's set).

    FOLDER is a folder of .txt articles or the name of a set in data/articles/.
    """
    articles = _load_set(folder)
    click.echo(f"{articles.title}: {len(articles)} articles from {articles.path}")
    if not articles.sides:
        click.echo("  note: no [set.sides] in manifest.toml, so voice share shows no sides")
    for a in _bar(list(articles), "checking"):
        sources = kit.find_attributions(a)
        figures = kit.find_figures(a)
        framing = kit.find_framing(a)
        anonymous = sum(h.kind == "anonymous" for h in sources)
        unsourced = sum(not f.attributed for f in figures)
        click.echo(
            f"  {a.id:<14} {a.word_count:>5} words"
            f"  {len(sources):>3} sources ({anonymous} anonymous)"
            f"  {len(figures):>3} figures ({unsourced} unsourced)  {len(framing):>3} framing cues"
            f"  furniture: {len(a.boilerplate)}  unknown: {', '.join(a.unknowns) or 'nothing'}"
        )
    try:
        key = kit.course_key(articles)
    except kit.AnswerKeyError as exc:
        raise _fail(str(exc)) from None
    click.echo(f"answer key: {'found, ' + str(len(key.items)) + ' items' if key else 'none'}")
    clashes = kit.find_contradictions(articles)
    click.echo(f"contradictions between articles: {len(clashes)}")


def _bar(items: list, desc: str):
    """A progress bar (on stderr) for loops that may take more than a second."""
    if len(items) < 2:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="article", leave=False, file=sys.stderr)


_KEY_OPTION = click.option(
    "--key",
    "key_path",
    type=_PATH,
    default=None,
    help="The answer key file (default: data/keys/<set name>.toml, where the lessons look).",
)


@cli.command("new-set")
@click.argument("folder", type=_PATH)
@_KEY_OPTION
def new_set(folder: Path, key_path: Path | None) -> None:
    """Make a new article set FOLDER: manifest, example article, README and an empty key."""
    from kit.scaffold import new_set as make

    try:
        made = make(folder, key_path=key_path)
    except kit.ArticleSetError as exc:
        raise _fail(str(exc)) from None
    click.echo(f"made {made.folder}/ (manifest.toml, an example article, README.md)")
    click.echo(f"made {made.key} (an empty answer key)")
    click.echo(f"next: kit import PAGE.html ... --into {made.folder}")


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=_PATH)
@click.option("--into", "into", required=True, type=_PATH, help="The article set folder.")
def import_(files: tuple[Path, ...], into: Path) -> None:
    """Import saved web pages (.html, .htm), .txt, .md and .docx files (or folders of them).

    Each becomes a .txt article; the page's title, author, date and site name go into
    manifest.toml ("unknown" where the page does not say) and the original is kept in
    originals/. Files over 10 MB, duplicates, pages with no article and files that are not
    safe to read are reported and left out. The set is changed only if everything it ends up
    holding loads.
    """
    from kit.importing import import_files

    try:
        report = import_files(files, into, progress=True)
    except kit.ArticleSetError as exc:
        raise _fail(str(exc)) from None
    if report.removed_example:
        click.echo("removed the example article now that the set has articles of its own")
    for a in report.imported:
        unknown = f" (unknown: {', '.join(a.unknown)})" if a.unknown else ""
        click.echo(f"imported {a.original} as {a.file}{unknown}")
    for s in report.skipped:
        click.echo(f"skipped {s.path}: {s.reason}", err=True)
    click.echo(f"{len(report.imported)} imported, {len(report.skipped)} skipped into {into}")
    if not report.imported:
        sys.exit(1)


@cli.command()
@click.argument("folder", type=_PATH)
@click.option(
    "--from-learner",
    "learner_file",
    type=_PATH,
    default=None,
    help="Your own annotations file (made in a lesson's annotator) to turn into the key.",
)
@_KEY_OPTION
@click.option("--force", is_flag=True, help="Replace a key that already has items.")
def key(folder: Path, learner_file: Path | None, key_path: Path | None, force: bool) -> None:
    """Draft an answer key for FOLDER without writing offsets by hand.

    Without --from-learner, every hit of the kit's detectors becomes an item marked
    draft = true: confirm each by deleting its draft line, fix or delete the rest. With
    --from-learner, your own highlights become items (their notes the explanations).
    """
    from kit.drafts import draft_from_hints, from_annotations, key_toml
    from kit.scaffold import default_key_path, write_atomic

    folder = _set_folder(folder)
    articles = _load_set(folder)
    target = key_path or default_key_path(folder)
    if target.exists() and not force and _has_items(target):
        raise _fail(f"{target}: already holds a key with items; use --force to replace it")
    if learner_file is None:
        items, skipped = draft_from_hints(articles)
        method = "Drafted from the kit's detector hints; every item to be confirmed by hand."
    else:
        try:
            annotations = kit.read_annotations_file(learner_file)
        except kit.AnnotationStoreError as exc:
            raise _fail(str(exc)) from None
        items, skipped = from_annotations(annotations, articles)
        method = f"An instructor's own highlights, made in the annotator ({learner_file.name})."
    text = key_toml(folder.name, items, articles, method=method)
    try:
        write_atomic(target, text)
    except OSError as exc:
        raise _fail(f"{target}: cannot write the key ({exc.strerror})") from None
    for reason in skipped:
        click.echo(f"left out {reason}", err=True)
    drafts = sum(i.draft for i in items)
    click.echo(f"wrote {target}: {len(items)} items, {drafts} marked draft = true")
    click.echo(f"next: read and confirm the drafts, then run  kit validate {folder}")


def _has_items(path: Path) -> bool:
    try:
        return "[[item]]" in path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return True  # unreadable: do not overwrite it


@cli.command()
@click.argument("folder", type=_PATH)
@_KEY_OPTION
def validate(folder: Path, key_path: Path | None) -> None:
    """Check the article set FOLDER and its answer key; exit 1 if anything needs fixing.

    Checks that the set loads, every article's metadata is given or "unknown", article ids
    are unique, every key item's quote is still in its article, no item is listed twice, and
    no item is still a draft.
    """
    from kit.validation import validate_set

    folder = _set_folder(folder)
    result = validate_set(folder, key_path=key_path)
    for line in result.lines():
        click.echo(line)
    if result.problems:
        sys.exit(1)


@cli.command("student-copy")
@click.argument("source", type=_PATH)
@click.argument("target", type=_PATH)
@click.option(
    "--tag",
    "tags",
    multiple=True,
    default=("instructor", "solution"),
    show_default=True,
    help="Cell tags to remove.",
)
def student_copy(source: Path, target: Path, tags: tuple[str, ...]) -> None:
    """Copy the lessons in SOURCE to TARGET for students.

    Cells tagged instructor or solution are removed, outputs cleared, and the other files
    students need copied. A sentence pointing at a removed cell ("Then run this cell") is
    dropped and listed. TARGET may not be SOURCE or inside it.
    """
    from kit.student_copy import StudentCopyError, make_student_copy

    try:
        notes = make_student_copy(source, target, tags)
    except StudentCopyError as exc:
        raise _fail(str(exc)) from None
    for line in notes:
        click.echo(line)


@cli.command("class-report")
@click.argument("annotations", type=_PATH)
@click.option(
    "--set", "set_folder", type=_PATH, default=None, help="The article set (default: the course's)."
)
@click.option("--out", "out", type=_PATH, required=True, help="The HTML file to write.")
@click.option("--title", default="Class report", show_default=True, help="The report's heading.")
def class_report(annotations: Path, set_folder: Path | None, out: Path, title: str) -> None:
    """Write the class view of the learner files in ANNOTATIONS as one HTML file.

    The file opens offline in any browser: charts are inlined as images and it holds no
    script. Files that cannot be read are listed in the report, not fatal.
    """
    from kit.report import class_report as render
    from kit.scaffold import write_atomic

    articles = _load_set(set_folder)
    if not annotations.is_dir():
        raise _fail(f"{annotations}: no such folder of learner files")
    if out.is_dir():
        raise _fail(f"{out}: is a folder; give a file name such as report.html")
    try:
        view = kit.class_view(annotations, articles)
    except (kit.AnswerKeyError, OSError) as exc:
        raise _fail(str(exc)) from None
    with _spinner("rendering charts"):
        html = render(view, title=title)
    try:
        write_atomic(out, html)
    except OSError as exc:
        raise _fail(f"{out}: cannot write the report ({exc.strerror})") from None
    click.echo(f"wrote {out}: {len(view.learners)} learners, {len(view.skipped)} files skipped")


class _spinner:
    """A tqdm bar with no total while one slow step runs (stderr, cleared when done)."""

    def __init__(self, desc: str) -> None:
        self.desc = desc

    def __enter__(self):
        from tqdm import tqdm

        self.bar = tqdm(total=1, desc=self.desc, leave=False, file=sys.stderr)
        return self

    def __exit__(self, *exc) -> None:
        self.bar.update(1)
        self.bar.close()


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def evaluate(args: tuple[str, ...]) -> None:
    """Precision and recall of the detectors against every answer key."""
    from kit.evaluate import main as run

    sys.exit(run(list(args)))


def main() -> None:
    """Entry point of the ``kit`` console script."""
    cli(prog_name="kit")
