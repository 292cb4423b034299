"""A media-literacy teaching kit for Jupyter.

Load an article set, find who is quoted, which figures go unsourced and how a story is
framed, compare articles, and keep learners' annotations safe.

>>> import kit
>>> articles = kit.load_articles()
>>> len(articles)
5

Only the article model is imported up front. Everything else loads on first use, so
``import kit`` stays fast and never pulls in pandas, altair or the widget stack.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from kit.articles import UNKNOWN, Article, ArticleSet, ArticleSetError, Span, load_articles

# public name -> module that defines it
_LAZY = {
    # detectors
    "Attribution": "kit.sources",
    "find_attributions": "kit.sources",
    "Figure": "kit.figures",
    "find_figures": "kit.figures",
    "FramingCue": "kit.framing",
    "find_framing": "kit.framing",
    "analyze_headlines": "kit.framing",
    "voice_share": "kit.framing",
    "Contradiction": "kit.compare",
    "find_contradictions": "kit.compare",
    "coverage_matrix": "kit.compare",
    "find_reuse": "kit.compare",
    # answer keys and the reference desk
    "AnswerKey": "kit.keys",
    "load_key": "kit.keys",
    "load_reference": "kit.keys",
    "load_taxonomy": "kit.keys",
    # learners' work
    "Annotation": "kit.annotations",
    "AnnotationStore": "kit.annotations",
    "AnnotationStoreError": "kit.annotations",
    "open_store": "kit.annotations",
    "feedback": "kit.feedback",
    "Feedback": "kit.feedback",
    "class_view": "kit.classview",
    "ClassView": "kit.classview",
    # widgets (anywidget / ipywidgets are imported only here)
    "Annotator": "kit.widgets",
    "Reader": "kit.widgets",
    # lexicons
    "load_lexicon": "kit.lexicons",
    # checks for understanding
    "multiple_choice": "kit.quiz",
}

__all__ = [
    "UNKNOWN",
    "Article",
    "ArticleSet",
    "ArticleSetError",
    "Span",
    "load_articles",
    *sorted(_LAZY),
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kit' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # pragma: no cover - for editors and type checkers only
    from kit.annotations import Annotation, AnnotationStore, AnnotationStoreError, open_store
    from kit.classview import ClassView, class_view
    from kit.compare import Contradiction, coverage_matrix, find_contradictions, find_reuse
    from kit.feedback import Feedback, feedback
    from kit.figures import Figure, find_figures
    from kit.framing import FramingCue, analyze_headlines, find_framing, voice_share
    from kit.keys import AnswerKey, load_key, load_reference, load_taxonomy
    from kit.lexicons import load_lexicon
    from kit.quiz import multiple_choice
    from kit.sources import Attribution, find_attributions
    from kit.widgets import Annotator, Reader
