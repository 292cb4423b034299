"""Checks for understanding give a verdict and a reason, without a teacher."""

from __future__ import annotations

import pytest

import kit


def test_right_and_wrong_answers_explain_themselves():
    q = kit.multiple_choice("Q?", ["a", "b", "c"], answer="b", why="Because.", hints={"c": "Nope."})
    assert q.check("b").correct and q.check("b").message == "Yes. Because."
    assert not q.check("c").correct and "Nope." in q.check("c").message
    assert "Look again" in q.check("a").message
    assert "Pick one" in q.check(None).message


def test_answer_must_be_an_option():
    with pytest.raises(ValueError, match="not one of the options"):
        kit.multiple_choice("Q?", ["a"], answer="z", why="")


def test_widget_escapes_question_and_feedback():
    q = kit.multiple_choice("<b>bold?</b>", ["<i>x</i>", "y"], answer="y", why="<script>1</script>")
    _, title, choices, button, verdict = q.widget().children
    assert "&lt;b&gt;" in title.value
    choices.value = "y"
    button.click()
    assert "&lt;script&gt;" in verdict.value and "<script>" not in verdict.value


def test_quiz_text_wraps_at_a_reading_line_height_not_the_widgets_28_px():
    from kit.checks import PROSE_CLASS

    box = kit.multiple_choice("Q?", ["a", "b"], answer="a", why="").widget()
    assert PROSE_CLASS in box._dom_classes
    style = box.children[0].value
    assert style.startswith("<style>") and f".{PROSE_CLASS} .widget-html" in style
    assert "line-height:1.5" in style
