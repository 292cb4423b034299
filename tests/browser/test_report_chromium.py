"""The class report, opened offline in real Chromium, runs none of the learners' payloads."""

from __future__ import annotations

import kit
from kit.report import class_report
from tests.test_report import HOSTILE, PAYLOADS, _hostile_class


def test_hostile_report_runs_nothing_in_chromium(tmp_path, chromium):
    folder, notes = _hostile_class(tmp_path)
    out = tmp_path / "report.html"
    out.write_text(class_report(kit.class_view(notes, kit.load_articles(folder)), title=HOSTILE))
    context = chromium.new_context(offline=True)
    page = context.new_page()
    dialogs, requests = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(out.as_uri())
    try:
        assert page.evaluate("window.__xss === undefined")
        assert page.evaluate("[...document.images].every(i => i.naturalWidth > 0)")
        assert PAYLOADS[0] in page.inner_text("body")  # shown as text
    finally:
        context.close()
    assert dialogs == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
