"""Lesson 00's widgets, driven headlessly: the name prompt, the deadlines table, the first case."""

from __future__ import annotations

import pytest

from helpers import Status, load_policy
from helpers.course.progress import ProgressStore, current_trainee
from helpers.ui.start import DeadlinesTable, FirstCase, NameApp


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("DOUDIAN_COURSE_PROGRESS", str(tmp_path))
    monkeypatch.delenv("DOUDIAN_COURSE_TRAINEE", raising=False)
    return tmp_path


def test_the_name_is_typed_once_and_shown_again(folder):
    app = NameApp()
    assert "还没写名字" in app.message and app.box.value == ""
    app.box.value = "林小雨"
    app.use_button.click()
    assert app.ok and current_trainee() == "林小雨" and "林小雨" in app.message_html.value
    again = NameApp()  # a later kernel: the box holds the name
    assert again.box.value == "林小雨" and "林小雨" in again.message


def test_a_clash_offers_its_me_and_says_how_to_tell_apart(folder):
    ProgressStore("林小雨", folder).mark_done("00_start_here")
    app = NameApp()
    app.box.value = "林小雨"
    app.use_button.click()
    assert app.ok is False and app.same_button.layout.display == ""
    assert "林小雨2" in app.message
    app.same_button.click()
    assert app.ok and current_trainee() == "林小雨" and app.same_button.layout.display == "none"


def test_a_name_set_by_the_trainer_cannot_be_typed_over(folder, monkeypatch):
    monkeypatch.setenv("DOUDIAN_COURSE_TRAINEE", "小周")
    app = NameApp()
    assert app.box.disabled and app.use_button.disabled and "小周" in app.message


def test_the_deadlines_table_lists_the_rules_file(folder):
    html = DeadlinesTable().widget.value
    for deadline in load_policy().deadlines.values():
        assert deadline.label in html
    assert "示例值" in html


def test_the_first_case_is_the_lessons_click(folder):
    app = FirstCase()
    assert app.explorer.case.status is Status.AWAIT_MERCHANT
    app.button("同意售前退申请").click()
    assert app.explorer.case.status is Status.SUCCESS
    assert app.explorer.diagram_html not in app.widget.children  # folded away below the buttons


def test_the_progress_panel_asks_for_a_name_until_one_is_typed(folder):
    from helpers.ui.progress import ProgressPanel

    assert "还没写名字" in ProgressPanel().header_html.value
    NameApp().use_button.click()  # an empty box: nothing saved
    app = NameApp()
    app.box.value = "林小雨"
    app.use()
    header = ProgressPanel().header_html.value
    assert "学员：林小雨" in header and "还没写名字" not in header
