"""Charts of a hostile article set in a fresh JupyterLab kernel: nothing runs, nothing loads.

The notebook never imports ``kit.charts`` itself: every chart the kit returns must switch
altair to its offline, inert renderer on its own. A control run with that switch disabled and
altair's plain HTML renderer on shows the check can fail.
"""

from __future__ import annotations

import time

import pytest

from tests.browser import lab as labkit

SCRIPT = "</script><script>window.__xss=1</script>"
IMG = "<img src=x onerror=window.__xss=2>"

# Builds the set in the kernel's own folder, then shows two of the kit's charts.
NOTEBOOK = f"""
import pathlib, tempfile
import kit
{{prelude}}
folder = pathlib.Path(tempfile.mkdtemp())
for name, side in (("one", "City"), ("two", "Union")):
    (folder / f"{{name}}.txt").write_text(
        {SCRIPT!r} + " " + {IMG!r} + " headline\\n\\n"
        f"The {{side.lower()}} spokesperson said {SCRIPT} it was fine {IMG}. "
        f"\\"We will not accept this {SCRIPT},\\" said a {{side}} official.\\n",
        encoding="utf-8",
    )
(folder / "manifest.toml").write_text(
    '[set.sides]\\nCity = ["city"]\\nUnion = ["union"]\\n'
    '[[article]]\\nfile = "one.txt"\\nid = ' + repr({SCRIPT!r}).replace("'", '"') + '\\n',
    encoding="utf-8",
)
hostile = kit.load_articles(folder)
learners = pathlib.Path(tempfile.mkdtemp())
store = kit.open_store("Chart Tester", folder=learners)
first = hostile[0]
store.add(first, first.sentences[-1].start, first.sentences[-1].end, "named-source",
          note={SCRIPT!r})
display(kit.voice_share_chart(hostile))
display(kit.class_view(learners, hostile).heatmap(article=first.id))
"""

# The control: the kit's switch disabled, altair's HTML renderer (vega from a CDN) on.
UNSAFE = (
    "import altair as alt, kit.charts\n"
    "kit.charts._ensure_offline = lambda: None\n"
    "alt.renderers.enable('html')"
)


def _run(lab, page, name: str, prelude: str) -> None:
    source = NOTEBOOK.replace("{prelude}", prelude)
    labkit.write_notebook(lab, name, source)
    labkit.open_notebook(page, lab, name, page.workspace)
    labkit.run_all(page)
    time.sleep(3)  # let any script or image handler that could run, run


def test_kit_charts_of_a_hostile_set_are_inert_and_offline(lab, lab_page):
    page = lab_page
    _run(lab, page, "chart_xss_check.ipynb", "")
    outputs = " ".join(page.locator(".jp-OutputArea-output").all_inner_texts())
    assert "Traceback" not in outputs and "Error" not in outputs, outputs[:2000]
    assert page.locator(".vega-embed").count() >= 2, "the charts did not render"
    assert page.evaluate("window.__xss") is None
    assert page.watch.external == [], page.watch.external


def test_the_check_catches_an_unsafe_renderer(lab, lab_page):
    """Control: with the kit's offline switch disabled, the same checks do fail."""
    page = lab_page
    _run(lab, page, "chart_xss_control.ipynb", UNSAFE)
    leaked = page.evaluate("window.__xss") is not None or page.watch.external
    if not leaked:
        pytest.fail("the unsafe renderer ran no script and fetched nothing: the check is blind")
