"""Drive a real JupyterLab in headless Chromium, as a learner would.

Used by the browser tests: start a JupyterLab on 127.0.0.1 with a token, open a notebook,
run all cells through the Run menu, and read back what the page shows.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# What a learner sees when a chart or widget failed to load.
LOAD_ERRORS = (
    "Error loading script",
    "Javascript Error",
    "Error displaying widget",
    "Failed to load model class",
    "Failed to create view",
    "Click to show javascript error",
    "renderer has not been properly enabled",
)
# Error outputs and widget outputs, counted from the notebook model (the DOM renders an error
# output like stderr, so it cannot tell them apart).
_MODEL_COUNTS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = panel.content.model.cells;
  const r = {errors: [], widgets: 0};
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    if (c.type !== 'code') continue;
    for (let j = 0; j < c.outputs.length; j++) {
      const o = c.outputs.get(j);
      if (o.type === 'error') r.errors.push(`${o.toJSON().ename}: ${o.toJSON().evalue}`);
      if (o.data && o.data['application/vnd.jupyter.widget-view+json']) r.widgets++;
    }
  }
  return r;
}"""
_BLANK_WIDGETS = """panel => [
    ...panel.querySelectorAll('.jp-OutputArea-output:not([data-mime-type])')]
  .filter(e => !e.innerText.trim()
    && !e.querySelector('svg, canvas, img, input, button, select, textarea')).length"""


def chromium_path() -> str | None:
    """Debian's Chromium (never a downloaded browser); ``KIT_CHROMIUM`` overrides the path."""
    path = os.environ.get("KIT_CHROMIUM", "/usr/bin/chromium")
    return path if Path(path).exists() else shutil.which("chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    """A JupyterLab server on a copy of the repository."""

    root: Path
    port: int
    token: str
    annotations_dir: Path
    proc: subprocess.Popen
    log: Path

    @property
    def origin(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, notebook: str, workspace: str) -> str:
        return f"http://{self.origin}/lab/workspaces/{workspace}/tree/{notebook}?token={self.token}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# The seed set by its path in the lab's copy of the repository: tests that need its ids (A to E)
# load it by name, so they pass whatever set the course is switched to.
SEED_PATH = "data/articles/carney-beijing-2026"


def start_lab(
    workdir: Path,
    prepare: Callable[[Path], None] | None = None,
    *,
    unset: tuple[str, ...] = (),
) -> Lab:
    """Copy the repository into ``workdir`` and start JupyterLab on it.

    ``prepare``, if given, is called with the copy's root before the server starts (to switch
    the course to another article set, say); ``unset`` names environment variables the
    server must not inherit.
    """
    root = workdir / "repo"
    shutil.copytree(
        REPO,
        root,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "__pycache__", ".pytest_cache", "my-annotations", ".ipynb_checkpoints"
        ),
    )
    if prepare is not None:
        prepare(root)
    settings = workdir / "lab-settings"
    for rel, body in {
        # render every cell, so checks see the whole notebook
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": '{"windowingMode": "none"}',
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": '{"fetchNews": "false"}',
    }.items():
        f = settings / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(body)
    annotations = workdir / "annotations"
    annotations.mkdir()
    port, token = _free_port(), secrets.token_hex(16)
    log = workdir / "lab.log"
    env = dict(
        {k: v for k, v in os.environ.items() if k not in unset},
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        KIT_ANNOTATIONS_DIR=str(annotations),
        # the kit is installed in editable mode from the original checkout; point it at the copy
        KIT_DATA_DIR=str(root / "data"),
    )
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--port={port}",
        "--ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        "--allow-root",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=",
        f"--LabApp.workspaces_dir={workdir / 'workspaces'}",
        "--LabApp.expose_app_in_browser=True",
    ]
    proc = subprocess.Popen(cmd, stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=root, env=env)
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=1)
            return Lab(root, port, token, annotations, proc, log)
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"JupyterLab did not start:\n{log.read_text()[-3000:]}")


@dataclass
class PageWatch:
    """Console errors and requests that leave the local JupyterLab, collected from a page."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on(
            "console",
            lambda m: self.console_errors.append(m.text) if m.type == "error" else None,
        )

        def on_request(request) -> None:
            url = urlparse(request.url)
            if url.scheme in ("http", "https", "ws", "wss") and url.netloc != self.origin:
                self.external.append(request.url)

        page.on("request", on_request)


def write_notebook(lab: Lab, name: str, source: str) -> str:
    """Write a one-cell notebook into the served copy of the repository; return its name."""
    import json

    nb = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": source,
            }
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (lab.root / name).write_text(json.dumps(nb), encoding="utf-8")
    return name


def dismiss_dialogs(page) -> None:
    for _ in range(5):
        accept = page.locator(".jp-Dialog button.jp-mod-accept")
        if not accept.count():
            return
        accept.first.click()
        time.sleep(0.4)


def wait_kernel_idle(page, timeout: float = 120) -> None:
    panel = page.locator(".jp-NotebookPanel:visible")
    deadline = time.time() + timeout
    while time.time() < deadline:
        dismiss_dialogs(page)
        busy = panel.locator(".jp-InputArea-prompt:has-text('[*]')").count()
        idle = panel.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").count()
        if idle and not busy:
            return
        time.sleep(0.4)
    raise TimeoutError("the kernel did not become idle")


def open_notebook(page, lab: Lab, notebook: str, workspace: str) -> None:
    page.goto(lab.url(notebook, workspace))
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook", timeout=60_000)
    wait_kernel_idle(page)


def menu(page, top: str, item: str) -> None:
    """Click a menu item, as a learner would (e.g. Run > Run All Cells)."""
    for _ in range(6):
        dismiss_dialogs(page)
        try:
            page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click(timeout=5000)
            page.locator(".lm-Menu-itemLabel", has_text=item).first.click(timeout=5000)
            return
        except Exception:  # a menu that did not open yet: close and retry
            page.keyboard.press("Escape")
            time.sleep(0.5)
    raise RuntimeError(f"could not click {top} > {item}")


# Started = some code cell is queued or running ([*]), has run, or has output. Outputs and
# counts are cleared first, so stored ones (nbval's checked cells) cannot fool it.
_STARTED = r"""() => {
  const panel = window.jupyterapp.shell.currentWidget;
  if ([...panel.node.querySelectorAll('.jp-InputArea-prompt')]
        .some(p => /\[(\*|\d+)\]/.test(p.textContent))) return true;
  const cells = panel.content.model.cells;
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    if (c.type === 'code' && (c.executionCount !== null || c.outputs.length)) return true;
  }
  return false;
}"""


def _command(page, name: str) -> None:
    page.evaluate("(name) => window.jupyterapp.commands.execute(name)", name)


def run_all(page, timeout: float = 180) -> None:
    """Run > Run All Cells through the menu, as a learner would, and wait until it is done.

    A kernel that is still connecting can drop the menu's request; then the notebook's own
    run-all command is issued once (never a second click while cells are queued).
    """
    _command(page, "notebook:clear-all-cell-outputs")
    time.sleep(0.5)
    menu(page, "Run", "Run All Cells")
    deadline = time.time() + 30
    while time.time() < deadline and not page.evaluate(_STARTED):
        time.sleep(0.5)
    if not page.evaluate(_STARTED):
        _command(page, "notebook:run-all-cells")
    wait_kernel_idle(page, timeout)
    time.sleep(2)  # widgets and charts finish rendering after the kernel goes idle


@dataclass
class NotebookReport:
    errors: list[str]
    widgets: int
    blank_widgets: int
    failed_loads: list[str]
    charts_rendered: int
    text: str


def report(page) -> NotebookReport:
    panel = page.locator(".jp-NotebookPanel:visible")
    counts = page.evaluate(_MODEL_COUNTS)
    text = panel.locator(".jp-Notebook").inner_text()
    rendered = panel.locator(".vega-embed canvas, .vega-embed svg.marks").count()
    return NotebookReport(
        errors=counts["errors"],
        widgets=counts["widgets"],
        blank_widgets=panel.evaluate(_BLANK_WIDGETS),
        failed_loads=[t for t in LOAD_ERRORS if t in text],
        charts_rendered=rendered,
        text=text,
    )
