"""The progress panel and the quiz reset button, driven headlessly (tmp progress folder)."""

from __future__ import annotations

import pytest

from helpers.course import progress
from helpers.course.workspace import lessons
from helpers.ui.progress import ProgressPanel, ResetQuizButton
from tests.widget_tree import walk as _walk


@pytest.fixture(autouse=True)
def progress_folder(trainee_progress):
    """The app records into the progress store: this test's folder, never the user's."""
    return trainee_progress




def test_a_new_trainee_sees_every_lesson_and_no_scores():
    panel = ProgressPanel()
    classes = {cls for w in _walk(panel.widget) for cls in w._dom_classes}
    assert {"progress-panel", "progress-table", "progress-capstone", "progress-message",
            "progress-reset"} <= classes
    for lesson in lessons():
        assert lesson.title in panel.table_html.value
    assert "还没做" in panel.table_html.value and "还没完成" in panel.capstone_html.value
    assert "小林" in panel.header_html.value


def test_scores_done_lessons_and_the_capstone_show():
    progress.mark_done("02_unshipped_refund")
    progress.record_quiz("02_unshipped_refund", 4, 5)
    progress.record_quiz("02_unshipped_refund", 3, 5)
    progress.record_capstone("shift_01", 120, 133, True, {})
    panel = ProgressPanel()
    assert "4 / 5（最近 3 / 5）" in panel.table_html.value
    assert "已完成" in panel.table_html.value
    assert "120 / 133" in panel.capstone_html.value and "已通过" in panel.capstone_html.value


def test_reset_one_lesson_quiz_from_the_panel():
    progress.record_quiz("02_unshipped_refund", 4, 5)
    progress.record_quiz("03_shipped_not_received", 2, 4)
    panel = ProgressPanel()
    panel.reset_button.click()
    assert "请先选一课" in panel.message_html.value
    panel.lesson_picker.value = "02_unshipped_refund"
    panel.reset_button.click()
    assert "已清除" in panel.message_html.value
    record = progress.load()
    assert "02_unshipped_refund" not in record.quizzes and "03_shipped_not_received" in record.quizzes
    panel.reset_button.click()
    assert "还没有小测验成绩" in panel.message_html.value


def test_a_corrupt_file_is_set_aside_and_the_panel_says_where(progress_folder):
    progress_folder.mkdir(parents=True)
    (progress_folder / "小林.json").write_text("{ not json", encoding="utf-8")
    panel = ProgressPanel()
    backups = list(progress_folder.glob("小林.corrupt-*.json"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == "{ not json"
    assert str(backups[0]) in panel.message_html.value and "没有删除" in panel.message_html.value
    assert progress.load().notices == ()  # a fresh file was started: the next read is clean


def test_the_one_line_reset_button_for_a_quiz():
    progress.record_quiz("05_reviews_after_return", 3, 4)
    button = ResetQuizButton("05_reviews_after_return")
    button.button.click()
    assert button.ok and "已清除" in button.message_html.value
    assert "05_reviews_after_return" not in progress.load().quizzes
