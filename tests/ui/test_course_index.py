"""The course index of app mode, driven headlessly."""

from __future__ import annotations

from helpers.course.progress import ProgressStore
from helpers.course.workspace import lessons
from helpers.ui.course_index import CourseIndex


def test_it_links_every_lesson_and_shows_progress(tmp_path):
    store = ProgressStore("林小雨", tmp_path)
    index = CourseIndex(store=store)
    table = index.table_html.value
    for lesson in lessons():
        assert f'href="../{lesson.stem}.ipynb"' in table
        assert lesson.title in table
    assert f"0 / {len(lessons())}" in index.summary_html.value
    assert "林小雨" in index.header_html.value

    store.record_quiz("00_start_here", 2, 2)
    store.mark_done("00_start_here")
    index.refresh_button.click()
    assert f"1 / {len(lessons())}" in index.summary_html.value
    assert "2 / 2" in index.table_html.value


def test_outside_a_preheated_voila_kernel_it_does_not_wait(tmp_path, monkeypatch):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    assert CourseIndex(store=ProgressStore("x", tmp_path)).progress is not None
