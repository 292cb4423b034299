"""The kit's command line: ``python -m kit --help``.

python -m kit check data/articles/my-story     # will this folder work in every lesson?
python -m kit student-copy lessons student/    # lessons without instructor or solution cells
python -m kit evaluate                         # detectors' precision and recall vs the keys
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

import kit


@click.group()
def cli() -> None:
    """Tools for instructors running or adapting the media-literacy course."""


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path), required=False)
def check(folder: Path | None) -> None:
    """Load an article set and show what every lesson will see (default: the course's set)."""
    try:
        articles = kit.load_articles(folder)
    except kit.ArticleSetError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{articles.title}: {len(articles)} articles from {articles.path}")
    if not articles.sides:
        click.echo("  note: no [set.sides] in manifest.toml, so voice share shows no sides")
    for a in articles:
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
    key = kit.course_key(articles)
    click.echo(f"answer key: {'found, ' + str(len(key.items)) + ' items' if key else 'none'}")
    clashes = kit.find_contradictions(articles)
    click.echo(f"contradictions between articles: {len(clashes)}")


@cli.command("student-copy")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.argument("target", type=click.Path(path_type=Path))
@click.option(
    "--tag",
    "tags",
    multiple=True,
    default=("instructor", "solution"),
    show_default=True,
    help="Cell tags to remove.",
)
def student_copy(source: Path, target: Path, tags: tuple[str, ...]) -> None:
    """Copy lessons without the cells tagged instructor or solution."""
    import nbformat
    from nbconvert.preprocessors import TagRemovePreprocessor

    notebooks = sorted(source.glob("*.ipynb")) if source.is_dir() else [source]
    if not notebooks:
        raise click.ClickException(f"{source}: no .ipynb notebooks here")
    target.mkdir(parents=True, exist_ok=True)
    remover = TagRemovePreprocessor(remove_cell_tags=set(tags))
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        before = len(nb.cells)
        nb, _ = remover.preprocess(nb, {})
        nbformat.write(nb, target / path.name)
        click.echo(f"{path.name}: removed {before - len(nb.cells)} of {before} cells")


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def evaluate(args: tuple[str, ...]) -> None:
    """Precision and recall of the detectors against every answer key."""
    from kit.evaluate import main

    sys.exit(main(list(args)))


if __name__ == "__main__":
    cli(prog_name="python -m kit")
