"""kit import: saved pages, text files and hostile input, never a hang, a crash or a half-set."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

import kit
from kit.importing import MAX_DEPTH, import_files, read_limited
from kit.scaffold import new_set
from tests.factories import as_unprivileged

PAGES = Path(__file__).parent / "fixtures" / "html"


def _reasons(report) -> dict[str, str]:
    return {Path(s.path).name: s.reason for s in report.skipped}


def test_a_saved_page_keeps_text_and_metadata_without_furniture(tmp_path):
    report = import_files([PAGES / "tolls.html"], tmp_path / "set")
    assert [a.original for a in report.imported] == ["tolls.html"]
    article = kit.load_articles(tmp_path / "set")[report.imported[0].id]
    assert article.headline == "Harbour tolls rise by 12%"
    assert (article.byline, article.outlet) == ("Mira Holt", "Gull Bay Gazette")
    assert article.published.startswith("2026-03-04")
    assert "skipper Ana Kell" in article.text
    for furniture in ("Subscribe today", "Most read", "newsletter", "All rights reserved"):
        assert furniture not in article.text
    assert (tmp_path / "set" / "originals" / "tolls.html").read_bytes() == (
        PAGES / "tolls.html"
    ).read_bytes()


def test_a_page_that_does_not_say_gets_unknown(tmp_path):
    report = import_files([PAGES / "plain.html"], tmp_path / "set")
    article = kit.load_articles(tmp_path / "set")[0]
    assert set(report.imported[0].unknown) == {"author", "date", "site"}
    assert (article.byline, article.outlet, article.published) == ("unknown",) * 3


def test_no_article_duplicates_and_legacy_encoding_are_reported(tmp_path):
    copy = tmp_path / "again.html"
    shutil.copy(PAGES / "tolls.html", copy)
    files = [
        PAGES / "tolls.html",
        copy,
        PAGES / "menus-only.html",
        PAGES / "latin1-no-charset.html",
    ]
    report = import_files(files, tmp_path / "set")
    reasons = _reasons(report)
    assert len(report.imported) == 1
    assert "same text as article" in reasons["again.html"]
    assert "no article" in reasons["menus-only.html"] or "words" in reasons["menus-only.html"]
    assert "does not say which encoding" in reasons["latin1-no-charset.html"]


def test_declared_legacy_charset_is_decoded_not_garbled(tmp_path):
    raw = (PAGES / "latin1-no-charset.html").read_bytes()
    page = tmp_path / "declared.html"
    page.write_bytes(raw.replace(b"<html>", b'<html><head><meta charset="iso-8859-1"></head>'))
    import_files([page], tmp_path / "set")
    assert "Café owners protest" in kit.load_articles(tmp_path / "set")[0].text


def test_text_and_markdown_files(tmp_path):
    (tmp_path / "a.txt").write_text("Bus lane opens\n\n" + "Buses ran faster on Monday. " * 6)
    (tmp_path / "b.md").write_text(
        "---\ntitle: Library hours cut\nauthor: Sam Reed\n---\n# Library hours cut\n\n"
        + "The **library** will close at 6 pm, [the council](http://x.example) said. " * 4
    )
    report = import_files([tmp_path / "a.txt", tmp_path / "b.md"], tmp_path / "set")
    assert len(report.imported) == 2, report.skipped
    s = kit.load_articles(tmp_path / "set")
    md = s[report.imported[1].id]
    assert md.byline == "Sam Reed" and "**" not in md.text and "http" not in md.text
    assert s[report.imported[0].id].headline == "Bus lane opens"


def test_too_deep_nesting_is_reported(tmp_path):
    page = tmp_path / "deep.html"
    n = MAX_DEPTH + 50
    body = "<p>" + "Words of a real paragraph here. " * 10 + "</p>"
    page.write_text("<html><body>" + "<div>" * n + body + "</div>" * n + "</body></html>")
    reasons = _reasons(import_files([page], tmp_path / "set"))
    assert "too deep" in reasons["deep.html"]
    assert not (tmp_path / "set").exists()


def test_binary_named_html(tmp_path):
    (tmp_path / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    assert (
        "binary"
        in _reasons(import_files([tmp_path / "photo.html"], tmp_path / "set"))["photo.html"]
    )


@pytest.mark.skipif(os.name != "posix", reason="FIFOs, links and modes are POSIX")
def test_hostile_folder_never_hangs_or_crashes(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(PAGES / "tolls.html", folder / "good.html")
    os.mkfifo(folder / "pipe.html")
    (folder / "loop.html").symlink_to(folder / "loop.html")
    (folder / "away.txt").symlink_to("/etc/hostname" if Path("/etc/hostname").exists() else "/")
    with open(folder / "huge.html", "wb") as f:
        f.truncate(2 * 1024**3)  # sparse: 2 GB on paper, nothing on disk
    (folder / "bad.txt").write_bytes(b"Headline\n\n\xff\xfe\xfa not UTF-8 at all " * 5)
    locked = folder / "locked.txt"
    locked.write_text("Locked away\n\n" + "words " * 40)
    locked.chmod(0)
    started = time.monotonic()
    report = import_files([folder], tmp_path / "set")
    assert time.monotonic() - started < 20
    reasons = _reasons(report)
    assert "named pipe" in reasons["pipe.html"]
    assert "loops" in reasons["loop.html"]
    assert "outside the folder" in reasons["away.txt"]
    assert "too large" in reasons["huge.html"] and "10,000,000" in reasons["huge.html"]
    assert "not UTF-8" in reasons["bad.txt"]
    if os.geteuid() != 0:  # root reads any file
        assert "cannot be read" in reasons["locked.txt"]
    assert report.imported[0].original == "good.html"


def test_read_limited_checks_size_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(50_000_000)
    with pytest.raises(kit.ArticleSetError, match="too large"):
        read_limited(big, tmp_path)


def test_a_failed_import_leaves_the_set_as_it_was(tmp_path):
    made = new_set(tmp_path / "set", key_path=tmp_path / "set.toml")
    before = sorted(p.name for p in made.folder.rglob("*"))
    report = import_files([PAGES / "menus-only.html"], made.folder)
    assert not report.imported
    assert sorted(p.name for p in made.folder.rglob("*")) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp folders


def test_first_import_replaces_the_untouched_example(tmp_path):
    made = new_set(tmp_path / "set", key_path=tmp_path / "set.toml")
    report = import_files([PAGES / "tolls.html"], made.folder)
    assert report.removed_example
    assert kit.load_articles(made.folder).ids == (report.imported[0].id,)
    # importing again adds, keeps the first, and recognises the duplicate
    again = import_files([PAGES / "tolls.html", PAGES / "plain.html"], made.folder)
    assert len(again.imported) == 1 and "same text" in again.skipped[0].reason
    assert len(kit.load_articles(made.folder)) == 2


def _as_nobody(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run ``python -m kit ARGS`` as an unprivileged user (root reads every file)."""
    return as_unprivileged(["-m", "kit", *args], cwd=str(cwd))


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to drop")
def test_unreadable_files_and_folders_as_a_normal_user():
    work = Path(tempfile.mkdtemp(prefix="kit-nobody-"))
    try:
        work.chmod(0o777)
        pages = work / "pages"
        (pages / "locked").mkdir(parents=True)
        shutil.copy(PAGES / "tolls.html", pages / "good.html")
        shutil.copy(PAGES / "plain.html", pages / "locked" / "inner.html")
        (pages / "secret.txt").write_text("Secret\n\n" + "words " * 40)
        (pages / "secret.txt").chmod(0)
        (pages / "locked").chmod(0)
        for p in (work, pages, pages / "good.html"):
            os.chown(p, 65534, 65534)
        done = _as_nobody(["import", "pages", "--into", "set"], work)
        assert done.returncode == 0, done.stderr
        assert "secret.txt: cannot be read" in done.stderr
        assert "locked: is a folder inside the folder you named" in done.stderr
        assert "Traceback" not in done.stderr
        done = _as_nobody(["import", "pages/locked", "--into", "set2"], work)
        assert done.returncode != 0 and "pages/locked" in done.stderr
        assert "Traceback" not in done.stderr and not (work / "set2").exists()
    finally:
        (work / "pages" / "locked").chmod(0o700)
        shutil.rmtree(work, ignore_errors=True)
