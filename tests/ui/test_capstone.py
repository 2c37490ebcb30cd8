"""The shift app, driven headlessly: pick, submit, read the feedback, finish, certificate."""

from __future__ import annotations

import base64
import json

import pytest

from helpers.course.progress import ProgressStore
from helpers.ui.capstone import CapstoneApp
from tests.widget_tree import walk as _walk


@pytest.fixture(autouse=True)
def progress_folder(trainee_progress):
    """The app records into the progress store: this test's folder, never the user's."""
    return trainee_progress




def _classes(app):
    return {cls for w in _walk(app.widget) for cls in w._dom_classes}


def _play(app, change=None):
    while not app.finished:
        answers = app.shift.key()
        if change:
            answers.update(change(app.shift.current) or {})
        app.choose(answers)
        app.submit_button.click()
        app.next_button.click()


def test_it_builds_with_the_browser_contract():
    app = CapstoneApp(record=False)
    assert {"capstone", "capstone-request", "capstone-ask", "capstone-submit", "capstone-next",
            "capstone-feedback", "capstone-counter", "capstone-report", "capstone-certificate",
            "capstone-certificate-path"} <= _classes(app)
    assert app.shift.current.spec.title in app.request_html.value
    assert "第 1 / 21 单" in app.counter_html.value
    assert app.next_button.disabled and not app.submit_button.disabled
    assert set(app.radios) == {ask.kind for ask in app.shift.current.asks}


def test_submitting_without_answers_changes_nothing():
    app = CapstoneApp(record=False)
    assert app.submit() == []
    assert app.shift.index == 0 and "每个问题都要选" in app.message_html.value
    assert app.next_button.disabled


def test_a_right_answer_gets_points_and_its_reason_at_once():
    app = CapstoneApp(record=False)
    app.choose(app.shift.key())
    app.submit_button.click()
    assert all(v.correct for v in app.verdicts)
    assert "✓" in app.feedback_html.value and "同意售前退申请" in app.feedback_html.value
    assert app.submit_button.disabled and not app.next_button.disabled
    assert all(radio.disabled for radio in app.radios.values())
    app.submit_button.click()  # a second click is ignored
    assert len(app.verdicts) == 2
    app.next_button.click()
    assert app.feedback_html.value == "" and "第 2 / 21 单" in app.counter_html.value


def test_a_wrong_answer_shows_why_and_loses_only_its_points():
    app = CapstoneApp(record=False)
    move = next(a for a in app.shift.current.asks if a.kind == "move")
    wrong = next(o for o in move.options if o.label == "同意售前退申请")
    app.choose({**app.shift.key(), "move": wrong.id})
    app.submit_button.click()
    assert "✗" in app.feedback_html.value and "已退款" in app.feedback_html.value
    assert app.shift.score == sum(a.points for a in app.shift.situations[0].asks) - move.points


def test_a_perfect_shift_is_recorded_and_offers_the_certificate(progress_folder):
    app = CapstoneApp(certificate_folder=progress_folder / "out")
    _play(app)
    assert app.report.percent == 100 and app.report.passed
    assert "100%" in app.report_html.value and "没有丢分" in app.report_html.value
    assert app.certificate_box.layout.display == "flex"
    record = ProgressStore().load()
    assert record.capstone.percent == 100 and record.capstone.passed
    assert "07_capstone_shift" in record.lessons_done
    assert "已记入" in app.message_html.value

    assert app.name_text.value == "小林"  # the trainee's name, not typed again
    app.name_text.value = ""
    app.certificate_button.click()
    assert app.certificate_path is None and "姓名" in app.certificate_html.value
    app.name_text.value = "小林 <实习>"
    app.certificate_button.click()
    assert app.certificate_path.parent == progress_folder / "out"
    page = app.certificate_path.read_text(encoding="utf-8")
    assert "小林 &lt;实习&gt;" in page and "晨曦好物小店" in page and "签字" in page
    assert app.certificate_number and app.certificate_number in page
    assert "证书已保存" in app.certificate_html.value and "base64," in app.certificate_html.value
    assert 'class="capstone-download"' in app.certificate_html.value
    # The trainer's class summary finds the certificate by its number.
    assert ProgressStore().load().certificates == (app.certificate_number,)


def test_one_wrong_decision_appears_in_the_report_with_its_reason():
    def race_wrong(situation):
        if situation.spec.id == "unshipped-race":
            move = next(a for a in situation.asks if a.kind == "move")
            return {"move": next(o.id for o in move.options if o.label == "同意售前退申请")}
        return None

    app = CapstoneApp(record=False)
    _play(app, race_wrong)
    assert len(app.report.lost) == 1 and app.report.passed
    assert "退款申请和快递揽收撞在一起" in app.report_html.value
    assert "钱货两失" in app.report_html.value


def test_a_failed_shift_offers_no_certificate(progress_folder):
    app = CapstoneApp()
    _play(app, lambda situation: {a.kind: next(o.id for o in a.options if o.id != a.right)
                                  for a in situation.asks})
    assert app.report.score == 0 and not app.report.passed
    assert app.certificate_box.layout.display == "none"
    assert app.make_certificate() is None and "通过" in app.certificate_html.value
    raw = json.loads((progress_folder / "小林.json").read_text(encoding="utf-8"))
    assert raw["capstone"]["passed"] is False and "07_capstone_shift" not in raw["lessons_done"]


def test_with_the_fair_clock_slow_reading_costs_nothing_when_the_order_is_right():
    """The clock measures the order and the outcomes, not reading speed (issue 11, deliver 4)."""
    app = CapstoneApp(record=False, clock=True)
    assert "模拟时钟" in app.counter_html.value
    assert "capstone-queue-item" in app.queue_html.value  # the queue with its deadlines is shown
    while not app.finished:
        app.queue_picker.value = app.shift.queue()[0].number  # the most urgent first
        app.choose(app.shift.key())
        app.submit_button.click()
        app.next_button.click()
    assert app.report.lost == () and app.report.percent == 100


def test_with_the_fair_clock_leaving_the_urgent_request_for_later_costs_its_order_points():
    app = CapstoneApp(record=False, clock=True)
    while not app.finished:
        app.queue_picker.value = app.shift.queue()[-1].number  # the least urgent first
        app.choose(app.shift.key())
        app.submit_button.click()
        app.next_button.click()
    lost = {v.request_id for v in app.report.lost if v.ask == "order"}
    assert "deadline-close" in lost and app.report.percent < 100


def test_restart_and_the_clock_box_start_a_fresh_shift():
    app = CapstoneApp(record=False)
    app.choose(app.shift.key())
    app.submit_button.click()
    app.clock_box.value = True
    assert app.shift.index == 0 and app.shift.clock and app.verdicts == []
    app.restart_button.click()
    assert app.shift.index == 0 and app.feedback_html.value == ""


def test_a_progress_file_that_cannot_be_written_is_reported_not_raised(progress_folder):
    progress_folder.parent.mkdir(parents=True, exist_ok=True)
    progress_folder.write_text("a file where the folder should be", encoding="utf-8")
    app = CapstoneApp()
    _play(app)
    assert "没能记入" in app.message_html.value and app.report.passed


def test_a_folder_that_cannot_be_written_loses_neither_score_nor_certificate(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    app = CapstoneApp(store=ProgressStore("小林", blocker / "progress"), certificate_folder=blocker / "out")
    _play(app)
    assert app.report.passed and "没能记入学习进度" in app.message_html.value
    assert "这一页上的成绩还在" in app.message_html.value
    app.name_text.value = "小林"
    app.certificate_button.click()
    assert app.certificate_path is None
    shown = app.certificate_html.value
    assert "证书没有丢" in shown and "路径中有一段不是文件夹" in shown
    payload = app.certificate_html.value.split("base64,", 1)[1].split('"', 1)[0]
    assert "小林" in base64.b64decode(payload).decode("utf-8")


def test_the_practice_shift_is_scored_but_never_recorded(progress_folder):
    from helpers.ui.capstone import practice

    app = practice("shift_02")
    _play(app)
    assert app.finished and app.report.score == app.report.total  # scored as in lesson 07
    assert ProgressStore().load().capstone is None  # the capstone result is left as it was
