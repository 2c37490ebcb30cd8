"""The 日常售后工作台 of lesson 09, driven headlessly."""

from __future__ import annotations

from helpers.engine.codes import PartType
from helpers.ui.everyday import EverydayApp
from tests.widget_tree import walk


def _with_class(app, css):
    return [w for w in walk(app.widget) if css in w._dom_classes]


def test_it_builds_with_the_browser_contract():
    app = EverydayApp()
    assert _with_class(app, "everyday-go") == [app.go_button]
    assert _with_class(app, "everyday-result") == [app.result_html]
    assert "everyday-scene" in app.scene_html.value and "张**" in app.scene_html.value
    assert len(app.story_picker.options) == 6 and len(app.answer_picker.options) == 3


def test_nothing_picked_shows_the_hint_not_an_error():
    app = EverydayApp()
    assert app.handle() is None and "everyday-hint" in app.result_html.value


def test_a_partial_refund_is_played_and_shown():
    app = EverydayApp()
    app.story_picker.value = "missing"
    app.answer_picker.value = "propose"
    app.go_button.click()
    assert app.result.case.part_type is PartType.PART
    assert "部分退" in app.result_html.value and "✓" in app.result_html.value


def test_changing_the_story_clears_the_last_result():
    app = EverydayApp()
    app.answer_picker.value = "agree"
    app.go_button.click()
    app.story_picker.value = "lost"
    assert app.result is None and app.answer_picker.value is None
