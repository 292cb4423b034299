"""Jupyter widgets of the kit: the highlight-to-annotate `Annotator` and the `Reader`.

Importing this package imports anywidget and ipywidgets; ``import kit`` alone does not.
"""

from __future__ import annotations

from kit.widgets.annotator import Annotator
from kit.widgets.reader import Reader

__all__ = ["Annotator", "Reader"]
