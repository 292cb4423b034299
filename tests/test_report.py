"""kit class-report: one offline HTML file, every learner-written string inert."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

import kit
from kit.cli import cli
from kit.importing import toml_string
from kit.report import CSP, class_report

FIXTURES = Path(__file__).parent / "fixtures"
PAYLOADS = (
    "<script>window.__xss=1</script>",
    '"><img src=x onerror="window.__xss=2">',
    "</title><svg onload=window.__xss=3>",
    "{{ 7*7 }}<!--",
    "javascript:window.__xss=4",
)
HOSTILE = " ".join(PAYLOADS)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _hostile_class(tmp_path: Path) -> tuple[Path, Path]:
    """A set whose title and text hold payloads, and learner files full of them."""
    folder = tmp_path / "set"
    shutil.copytree(FIXTURES / "sets" / "harbour-bridge", folder)
    first = sorted(folder.glob("*.txt"))[0]
    first.write_text(first.read_text() + "\n" + HOSTILE + "\n")
    (folder / "manifest.toml").write_text(
        f"[set]\ntitle = {toml_string(HOSTILE)}\n", encoding="utf-8"
    )
    articles = kit.load_articles(folder)
    a = articles[0]
    at = a.text.index(PAYLOADS[0])
    notes = tmp_path / "class"
    for n, payload in enumerate(PAYLOADS):
        store = kit.open_store(payload, folder=notes, article_set="set")
        store.add(a, at, at + len(PAYLOADS[0]), "loaded-language", note=payload)
        store.add(a, 0, 5, "framing-label", note=HOSTILE)
        if n == 0:
            (notes / f"{PAYLOADS[2].replace('/', '')}.json").write_text(payload)  # skipped
    return folder, notes


def test_every_learner_string_is_escaped(tmp_path):
    folder, notes = _hostile_class(tmp_path)
    view = kit.class_view(notes, kit.load_articles(folder))
    assert len(view.learners) == len(PAYLOADS) and view.skipped
    html = class_report(view, title=HOSTILE, charts=False)
    parser = _Tags()
    parser.feed(html)
    allowed = {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "h1",
        "h2",
        "p",
        "strong",
        "table",
        "tr",
        "th",
        "td",
        "figure",
        "img",
        "figcaption",
    }
    assert {t for t, _ in parser.tags} <= allowed
    for tag, attrs in parser.tags:
        assert not [k for k in attrs if k.startswith("on")], (tag, attrs)
        if tag == "img":
            assert attrs["src"].startswith("data:image/svg+xml;base64,")
    assert "&lt;script&gt;" in html and "<script" not in html
    assert "{{ 7*7 }}" in html  # not evaluated as a template either
    assert CSP.replace("'", "&#39;") in html


def test_report_with_charts_is_standalone(tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        cli,
        [
            "class-report",
            str(FIXTURES / "classview"),
            "--set",
            "carney-beijing-2026",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert html.count('<img src="data:image/svg+xml;base64,') >= 2
    assert "http://" not in html.replace("http://www.w3.org", "") and "<script" not in html
    assert "bad-json.json" in html  # a skipped file is listed, not fatal


def test_class_report_errors_name_the_path(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["class-report", str(tmp_path / "nope"), "--out", "r.html"])
    assert result.exit_code == 1 and "nope" in result.output
    result = runner.invoke(cli, ["class-report", str(tmp_path), "--out", str(tmp_path)])
    assert result.exit_code == 1 and "is a folder" in result.output
