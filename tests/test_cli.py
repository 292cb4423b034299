"""The instructor's command line: check a folder, make student copies, evaluate."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kit.__main__ import cli

FIXTURES = Path(__file__).parent / "fixtures" / "sets"


def test_check_reports_each_article():
    result = CliRunner().invoke(cli, ["check", str(FIXTURES / "harbour-bridge")])
    assert result.exit_code == 0, result.output
    assert "3 articles" in result.output and "bridge-wire" in result.output
    assert "answer key: none" in result.output


def test_check_names_the_bad_file(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe bad")
    result = CliRunner().invoke(cli, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert "bad.txt" in result.output and "not UTF-8" in result.output
    assert "Traceback" not in result.output


def test_evaluate_prints_a_table_for_the_seed_set():
    result = CliRunner().invoke(cli, ["evaluate", "carney-beijing-2026"])
    assert result.exit_code == 0, result.output
    assert "precision" in result.output and "attribution: anonymous" in result.output
