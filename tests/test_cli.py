"""The instructor's command line: check a folder, make student copies, evaluate."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import kit
from kit.__main__ import cli

FIXTURES = Path(__file__).parent / "fixtures" / "sets"


def test_check_reports_each_article():
    result = CliRunner().invoke(cli, ["check", str(FIXTURES / "harbour-bridge")])
    assert result.exit_code == 0, result.output
    assert "3 articles" in result.output and "bridge-wire" in result.output
    assert "answer key: none" in result.output


def test_check_names_the_bad_file(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"Headline\n\n\xc3\x28 bad bytes")
    result = CliRunner().invoke(cli, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert "bad.txt" in result.output and "not UTF-8" in result.output
    assert "Traceback" not in result.output


def test_evaluate_prints_a_table_for_the_seed_set():
    result = CliRunner().invoke(cli, ["evaluate", "carney-beijing-2026"])
    assert result.exit_code == 0, result.output
    assert "precision" in result.output and "attribution: anonymous" in result.output


# --------------------------------------------------------------------------- own articles

PAGES = Path(__file__).parent / "fixtures" / "html"


def _run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_every_command_has_help():
    for name, command in cli.commands.items():
        assert command.help and len(command.help) > 20, name
        result = _run(name, "--help")
        assert result.exit_code == 0 and "Usage" in result.output, name


def test_console_script_entry_point_exists():
    from kit.cli import main

    assert callable(main)


def test_new_set_import_key_validate(tmp_path):
    folder, key = tmp_path / "my-story", tmp_path / "my-story.toml"
    result = _run("new-set", folder, "--key", key)
    assert result.exit_code == 0, result.output
    assert (folder / "manifest.toml").is_file() and (folder / "README.md").is_file()
    assert "#" in (folder / "manifest.toml").read_text()  # commented
    assert _run("new-set", folder, "--key", key).exit_code == 1  # never over an existing set

    result = _run("import", PAGES / "tolls.html", PAGES / "plain.html", "--into", folder)
    assert result.exit_code == 0, result.output
    assert "2 imported" in result.output and "removed the example" in result.output

    result = _run("key", folder, "--key", key)
    assert result.exit_code == 0, result.output
    drafted = kit.load_key(key, articles=kit.load_articles(folder))
    assert len(drafted) > 0 and all(i.draft for i in drafted)
    assert _run("key", folder, "--key", key).exit_code == 1  # will not overwrite items

    result = _run("validate", folder, "--key", key)
    assert result.exit_code == 1 and "still draft = true" in result.output
    key.write_text(key.read_text().replace("draft = true\n", ""))
    result = _run("validate", folder, "--key", key)
    assert result.exit_code == 0, result.output
    assert "ready to teach with" in result.output


def test_validate_lists_every_broken_quote_and_missing_metadata(tmp_path):
    folder = tmp_path / "s"
    shutil.copytree(FIXTURES / "harbour-bridge", folder)
    first = kit.load_articles(folder)[0]
    (folder / "manifest.toml").write_text(
        f'[[article]]\nfile = "{first.path.name}"\noutlet = ""\n', encoding="utf-8"
    )
    key = tmp_path / "k.toml"
    key.write_text(
        '[key]\nset = "s"\nschema_version = 1\n'
        + "".join(
            f'[[item]]\narticle = "{first.id}"\ntag = "hedge"\nquote = "no such words {n}"\n'
            'explanation = "x"\n'
            for n in (1, 2)
        )
    )
    result = _run("validate", folder, "--key", key)
    assert result.exit_code == 1
    assert "no such words 1" in result.output and "no such words 2" in result.output
    assert "empty 'outlet'" in result.output and "no 'byline'" in result.output


def test_key_from_an_instructors_own_annotations(tmp_path):
    articles = kit.load_articles(FIXTURES / "harbour-bridge")
    a = articles[0]
    at = a.text.index(a.text.split()[3])
    store = kit.open_store("Ms Rivera", folder=tmp_path / "notes")
    store.add(a, at, at + len(a.text.split()[3]), "loaded-language", note="A judging word.")
    store.add(a, 0, 4, "framing-label")
    key = tmp_path / "k.toml"
    result = _run("key", FIXTURES / "harbour-bridge", "--from-learner", store.path, "--key", key)
    assert result.exit_code == 0, result.output
    items = kit.load_key(key, articles=articles).items
    assert {(i.tag, i.draft) for i in items} == {
        ("loaded-language", False),
        ("framing-label", True),
    }
    assert any(i.explanation == "A judging word." for i in items)


def test_import_with_nothing_importable_fails_clearly(tmp_path):
    result = _run("import", PAGES / "menus-only.html", "--into", tmp_path / "s")
    assert result.exit_code == 1 and "menus-only.html" in result.output
    assert not (tmp_path / "s").exists()


def test_check_accepts_a_set_name():
    result = _run("check", "carney-beijing-2026")
    assert result.exit_code == 0, result.output


# --------------------------------------------------------------------------- student copies

LESSONS = Path(__file__).parent.parent / "lessons"


def test_student_copy_refuses_to_overwrite_the_lessons(tmp_path):
    shutil.copytree(LESSONS, tmp_path / "lessons")
    before = {p.name: p.read_bytes() for p in (tmp_path / "lessons").glob("*.ipynb")}
    for target in (tmp_path / "lessons", tmp_path / "lessons" / "student"):
        result = _run("student-copy", tmp_path / "lessons", target)
        assert result.exit_code == 1 and "outside" in result.output
    assert {p.name: p.read_bytes() for p in (tmp_path / "lessons").glob("*.ipynb")} == before


def test_student_copy_bad_source_or_target_is_a_clear_error(tmp_path):
    (tmp_path / "notes.txt").write_text("hi")
    result = _run("student-copy", tmp_path / "notes.txt", tmp_path / "out")
    assert result.exit_code == 1 and "not a notebook" in result.output
    result = _run("student-copy", LESSONS, tmp_path / "notes.txt")
    assert result.exit_code == 1 and "is a file" in result.output
    assert "Traceback" not in result.output


def test_student_copy_has_no_solutions_outputs_or_dangling_pointers(tmp_path):
    import nbformat

    result = _run("student-copy", LESSONS, tmp_path / "student")
    assert result.exit_code == 0, result.output
    copies = sorted((tmp_path / "student").glob("*.ipynb"))
    assert [p.name for p in copies] == sorted(p.name for p in LESSONS.glob("*.ipynb"))
    for path in copies:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            assert not {"instructor", "solution"} & set(cell.metadata.get("tags", []))
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None
    assert not (tmp_path / "student" / "INSTRUCTOR.md").exists()


def test_a_pointer_to_a_removed_cell_is_dropped(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("## Answers\n\nTry first. Then run this cell to check."),
        nbformat.v4.new_code_cell("print('answer')", metadata={"tags": ["solution"]}),
        nbformat.v4.new_markdown_cell("Run the next cell to see the chart."),
        nbformat.v4.new_code_cell("print('chart')"),
    ]
    (tmp_path / "src").mkdir()
    nbformat.write(nb, tmp_path / "src" / "x.ipynb")
    result = _run("student-copy", tmp_path / "src", tmp_path / "out")
    assert result.exit_code == 0 and "Then run this cell" in result.output
    copy = nbformat.read(tmp_path / "out" / "x.ipynb", as_version=4)
    assert copy.cells[0].source == "## Answers\n\nTry first."
    assert copy.cells[1].source == "Run the next cell to see the chart."  # its cell stayed


@pytest.mark.slow
@pytest.mark.notebook
def test_a_student_copy_runs(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    result = _run("student-copy", LESSONS / "02_anonymous_experts.ipynb", tmp_path)
    assert result.exit_code == 0, result.output
    nb = nbformat.read(tmp_path / "02_anonymous_experts.ipynb", as_version=4)
    env_home = tmp_path / "home"
    env_home.mkdir()
    NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert errors == []
