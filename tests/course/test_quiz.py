"""Quiz banks: every answer key is checked (against the engine where a scenario is declared),
never trusted; loader errors name the file and the question."""

from __future__ import annotations

import pytest

from helpers.course.quiz import (
    ASKS,
    QuizError,
    bank_files,
    engine_answer,
    engine_value,
    grade,
    load_bank,
    load_bank_file,
    parse_bank,
    score,
)

BANKS = [load_bank_file(path) for path in bank_files()]
QUESTIONS = [(bank.lesson, q) for bank in BANKS for q in bank.questions]
ENGINE_QUESTIONS = [(lesson, q) for lesson, q in QUESTIONS if q.scenario is not None]


def _id(item: tuple) -> str:
    return f"{item[0]}:{item[1].id}"


def test_the_lesson_banks_exist():
    lessons = {bank.lesson for bank in BANKS}
    assert {"00_start_here", "01_aftersales_basics"} <= lessons
    assert len(load_bank("01_aftersales_basics").questions) >= 4


@pytest.mark.parametrize("bank", BANKS, ids=lambda b: b.lesson)
def test_every_bank_has_a_title_and_some_engine_checked_questions(bank):
    assert bank.title
    if bank.lesson != "00_start_here":
        assert len(bank.questions) >= 4
        assert any(q.scenario for q in bank.questions)


@pytest.mark.parametrize("item", QUESTIONS, ids=_id)
def test_every_question_is_complete(item):
    _lesson, question = item
    assert len(question.choices) >= 2
    assert question.answer in {c.id for c in question.choices}
    assert question.explanation.strip()
    for choice in question.choices:
        if choice.id != question.answer:
            assert choice.why_wrong.strip(), choice.id


@pytest.mark.parametrize("item", ENGINE_QUESTIONS, ids=_id)
def test_engine_keys_match_the_engine(item):
    _lesson, question = item
    assert engine_answer(question) == question.answer, engine_value(question)


@pytest.mark.parametrize("item", QUESTIONS, ids=_id)
def test_grading_follows_the_key(item):
    _lesson, question = item
    for choice in question.choices:
        feedback = grade(question, choice.id)
        assert feedback.correct == (choice.id == question.answer)
        assert feedback.reason == (question.explanation if feedback.correct else choice.why_wrong)
        assert feedback.explanation == question.explanation


def test_score_counts_first_answers():
    bank = load_bank("01_aftersales_basics")
    first, second = bank.questions[:2]
    wrong = next(c.id for c in second.choices if c.id != second.answer)
    result = score(bank, {first.id: first.answer, second.id: wrong})
    assert (result.right, result.total, result.answered) == (1, len(bank.questions), 2)


GOOD = """
title = "测试"
[[questions]]
id = "q1"
prompt = "退货退款，商家同意后是什么状态？"
answer = "b"
explanation = "同意后等买家寄回。"
[questions.scenario]
type = "退货退款"
moves = ["同意退货申请"]
ask = "status"
[[questions.choices]]
id = "a"
text = "待商家同意"
why_wrong = "已经同意过了。"
[[questions.choices]]
id = "b"
text = "待买家退货"
"""


def test_a_good_bank_parses_and_its_key_checks():
    bank = parse_bank(GOOD, "99_test", "99_test.toml")
    question = bank.question("q1")
    assert question.scenario.ask == "status"
    assert question.scenario.strategies == ()
    assert engine_answer(question) == "b"


def test_a_wrong_key_is_caught_by_the_engine():
    bank = parse_bank(GOOD.replace('answer = "b"', 'answer = "a"')
                      .replace('why_wrong = "已经同意过了。"', "")
                      .replace('text = "待买家退货"', 'text = "待买家退货"\nwhy_wrong = "x"'),
                      "99_test", "99_test.toml")
    question = bank.question("q1")
    assert engine_answer(question) != question.answer


def test_an_ambiguous_engine_question_is_an_error():
    text = GOOD.replace('text = "待商家同意"', 'text = "待买家退货（一）"\nvalue = "待买家退货"')
    question = parse_bank(text, "99_test", "99_test.toml").question("q1")
    with pytest.raises(QuizError, match="q1"):
        engine_answer(question)


@pytest.mark.parametrize(("change", "message"), [
    (('answer = "b"', 'answer = "z"'), "答案「z」"),
    (('why_wrong = "已经同意过了。"', ""), "why_wrong"),
    (('prompt = "退货退款，商家同意后是什么状态？"', 'prompt = ""'), "prompt"),
    (('type = "退货退款"', 'type = "价保"'), "价保"),
    (('moves = ["同意退货申请"]', 'moves = ["随便点点"]'), "随便点点"),
    (('ask = "status"', 'ask = "mood"'), "mood"),
    (('ask = "status"', 'ask = "status"\nstrategies = ["magic"]'), "magic"),
    (('ask = "status"', 'ask = "status"\naddress = "S99"'), "S99"),
    (('id = "b"', 'id = "a"'), "重复"),
])
def test_loader_errors_name_the_file_and_the_question(change, message):
    with pytest.raises(QuizError) as error:
        parse_bank(GOOD.replace(*change), "99_test", "99_test.toml")
    assert "99_test.toml" in str(error.value)
    assert "q1" in str(error.value)
    assert message in str(error.value)


def test_too_few_choices_and_duplicate_questions():
    one_choice = GOOD.split("[[questions.choices]]\nid = \"b\"")[0].replace('answer = "b"', 'answer = "a"')
    with pytest.raises(QuizError, match="至少要有 2 个选项"):
        parse_bank(one_choice, "x", "x.toml")
    twice = GOOD + GOOD.replace('title = "测试"', "")
    with pytest.raises(QuizError, match="x.toml.*q1.*重复"):
        parse_bank(twice, "x", "x.toml")


def test_file_level_errors(tmp_path):
    with pytest.raises(QuizError, match="x.toml"):
        parse_bank("title = ", "x", "x.toml")
    with pytest.raises(QuizError, match="没有题目"):
        parse_bank('title = "空"', "x", "x.toml")
    with pytest.raises(QuizError, match="missing.toml"):
        load_bank_file(tmp_path / "missing.toml")


def test_every_ask_has_a_reader():
    assert set(ASKS) == {"status", "type", "refunded", "auto", "accepted", "refused",
                         "missed_deadline", "possible", "goods", "verdict"}
