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

# No `from __future__ import annotations` here: it would bind the name `annotations` in this
# namespace and hide the kit.annotations module.
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
    "voice_share_chart": "kit.framing",
    "HeadlineAnalysis": "kit.framing",
    "Contradiction": "kit.compare",
    "find_contradictions": "kit.compare",
    "coverage_matrix": "kit.compare",
    "find_reuse": "kit.compare",
    # answer keys and the reference desk
    "AnswerKey": "kit.keys",
    "AnswerKeyError": "kit.keys",
    "KeyItem": "kit.keys",
    "KeyContradiction": "kit.keys",
    "load_key": "kit.keys",
    "load_reference": "kit.keys",
    "load_taxonomy": "kit.keys",
    # learners' work
    "Annotation": "kit.annotations",
    "AnnotationStore": "kit.annotations",
    "AnnotationStoreError": "kit.annotations",
    "open_store": "kit.annotations",
    "read_annotations_file": "kit.annotations",
    "ReanchorReport": "kit.annotations",
    "feedback": "kit.marking",
    "Feedback": "kit.marking",
    "class_view": "kit.classview",
    "ClassView": "kit.classview",
    "Progress": "kit.progress",
    "ProgressError": "kit.progress",
    "open_progress": "kit.progress",
    "progress_files": "kit.progress",
    # pre- and post-checks per lesson
    "pre_check": "kit.prepost",
    "post_check": "kit.prepost",
    "class_gains": "kit.prepost",
    # widgets (anywidget / ipywidgets are imported only here)
    "Annotator": "kit.widgets",
    "Reader": "kit.widgets",
    # lexicons
    "load_lexicon": "kit.lexicons",
    # the course: learner, store, key
    "course_key": "kit.course",
    "exercise_article": "kit.course",
    "learner": "kit.course",
    "my_store": "kit.course",
    "sign_in": "kit.course",
    # the reference desk
    "reference_desk": "kit.reference",
    # tables of evidence
    "evidence_table": "kit.tables",
    "overview_table": "kit.tables",
    "headlines_table": "kit.tables",
    "scorecard": "kit.tables",
    # checks for understanding
    "multiple_choice": "kit.checks",
    "quiz": "kit.checks",
    # lateral reading (SIFT)
    "LateralReading": "kit.lateral",
    "lateral_reading": "kit.lateral",
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
    from kit.annotations import (
        Annotation,
        AnnotationStore,
        AnnotationStoreError,
        ReanchorReport,
        open_store,
        read_annotations_file,
    )
    from kit.checks import multiple_choice, quiz
    from kit.classview import ClassView, class_view
    from kit.compare import Contradiction, coverage_matrix, find_contradictions, find_reuse
    from kit.course import course_key, exercise_article, learner, my_store, sign_in
    from kit.figures import Figure, find_figures
    from kit.framing import (
        FramingCue,
        HeadlineAnalysis,
        analyze_headlines,
        find_framing,
        voice_share,
        voice_share_chart,
    )
    from kit.keys import (
        AnswerKey,
        AnswerKeyError,
        KeyContradiction,
        KeyItem,
        load_key,
        load_reference,
        load_taxonomy,
    )
    from kit.lexicons import load_lexicon
    from kit.marking import Feedback, feedback
    from kit.prepost import class_gains, post_check, pre_check
    from kit.progress import Progress, ProgressError, open_progress, progress_files
    from kit.reference import reference_desk
    from kit.sources import Attribution, find_attributions
    from kit.tables import evidence_table, headlines_table, overview_table, scorecard
    from kit.widgets import Annotator, Reader
