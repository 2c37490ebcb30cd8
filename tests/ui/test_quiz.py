"""The quiz widget, driven headlessly."""

from __future__ import annotations

import pytest

from helpers.course.quiz import load_bank
from helpers.ui.quiz import QuizApp
from tests.widget_tree import walk as _walk


@pytest.fixture
def app():
    return QuizApp("01_aftersales_basics")




def test_it_builds_one_block_per_question(app):
    bank = load_bank("01_aftersales_basics")
    assert "quiz" in app.widget._dom_classes
    assert list(app.radios) == [q.id for q in bank.questions]
    feedback = [w for w in _walk(app.widget) if "quiz-feedback" in w._dom_classes]
    assert len(feedback) == len(bank.questions)
    assert all(radio.value is None for radio in app.radios.values())
    assert f"0 / {len(bank.questions)}" in app.score_html.value


def test_a_right_answer_gets_the_explanation(app):
    question = app.bank.questions[1]
    app.radios[question.id].value = question.answer
    app.check_buttons[question.id].click()
    assert app.feedback[question.id].correct
    html = app.feedback_html[question.id].value
    assert "答对了" in html and question.explanation in html
    assert app.score.right == 1


def test_a_wrong_answer_gets_its_own_reason_and_counts_first(app):
    question = app.bank.questions[1]
    wrong = next(c for c in question.choices if c.id != question.answer)
    app.radios[question.id].value = wrong.id
    app.check_buttons[question.id].click()
    assert not app.feedback[question.id].correct
    assert wrong.why_wrong in app.feedback_html[question.id].value
    app.radios[question.id].value = question.answer
    app.check_buttons[question.id].click()
    assert app.feedback[question.id].correct
    assert (app.score.right, app.score.answered) == (0, 1)


def test_checking_without_a_pick_asks_for_one(app):
    question = app.bank.questions[0]
    app.check_buttons[question.id].click()
    assert question.id not in app.feedback
    assert "请先选一个答案" in app.feedback_html[question.id].value
    assert app.score.answered == 0


def test_a_perfect_run_and_reset(app):
    for question in app.bank.questions:
        app.radios[question.id].value = question.answer
        app.check_buttons[question.id].click()
    total = len(app.bank.questions)
    assert (app.score.right, app.score.total) == (total, total)
    assert f"{total} / {total}" in app.score_html.value
    app.reset_button.click()
    assert app.score.answered == 0
    assert all(radio.value is None for radio in app.radios.values())
    assert all(html.value == "" for html in app.feedback_html.values())


def test_it_takes_a_bank_object_too():
    bank = load_bank("00_start_here")
    assert QuizApp(bank).bank is bank


def test_a_finished_quiz_is_kept_and_a_reset_clears_it(tmp_path):
    from helpers.course.progress import ProgressStore
    from helpers.ui.quiz import QuizApp

    store = ProgressStore("小林", tmp_path)
    app = QuizApp("01_aftersales_basics", store=store)
    for question in app.bank.questions:
        app.radios[question.id].value = question.answer
        app.check(question.id)
    kept = store.load()
    assert app.recorded and "01_aftersales_basics" in kept.lessons_done
    assert kept.quizzes["01_aftersales_basics"].last == app.score.total
    app.reset()
    assert "01_aftersales_basics" not in store.load().quizzes


def test_a_corrupt_progress_file_costs_a_message_not_the_quiz(tmp_path):
    from helpers.course.progress import ProgressStore
    from helpers.ui.quiz import QuizApp

    store = ProgressStore("小林", tmp_path)
    store.mark_done("00_start_here")
    store.path.write_text("{ not json", encoding="utf-8")
    app = QuizApp("00_start_here", store=store)
    for question in app.bank.questions:
        app.radios[question.id].value = question.answer
        app.check(question.id)
    assert app.score.right == app.score.total
    assert "改名保存" in app.progress_html.value or "corrupt" in app.progress_html.value
    assert list(tmp_path.glob("*.corrupt-*.json"))


def test_choices_are_shuffled_per_trainee_and_stable_across_runs(tmp_path):
    def orders(trainee):
        quiz = QuizApp("01_aftersales_basics", trainee=trainee, record=False)
        return {qid: [value for _label, value in radio.options] for qid, radio in quiz.radios.items()}

    first = orders("林小雨")
    assert orders("林小雨") == first  # a re-run shows the same order
    assert orders("王小明") != first  # another trainee, another order
    bank = load_bank("01_aftersales_basics")
    assert any(first[q.id] != [c.id for c in q.choices] for q in bank.questions)
    for question in bank.questions:
        assert sorted(first[question.id]) == sorted(c.id for c in question.choices)


def test_a_shuffled_answer_is_graded_by_its_id_not_its_position():
    quiz = QuizApp("01_aftersales_basics", trainee="林小雨", record=False)
    for question in quiz.bank.questions:
        radio = quiz.radios[question.id]
        radio.value = question.answer  # the value is the choice id wherever it is shown
        assert radio.label == question.choice(question.answer).text
        quiz.check_buttons[question.id].click()
    assert quiz.score.right == quiz.score.total


def test_the_order_is_fixed_by_name_lesson_and_question_alone():
    from helpers.course.quiz import shuffled

    question = load_bank("01_aftersales_basics").question("return-agreed-status")
    first = [c.id for c in shuffled(question, "林小雨", "01_aftersales_basics")]
    assert first == [c.id for c in shuffled(question, "林小雨", "01_aftersales_basics")]
    orders = {tuple(c.id for c in shuffled(question, f"学员{n}", "01_aftersales_basics")) for n in range(40)}
    assert len(orders) > 5  # trainees see different orders
