"""The checkpoints of lessons 00 and 05-08: every one passes on a fresh course, run twice and in
any order, prints one ✓ line, and fails (one ✗ line, no traceback) when the job it names breaks."""

from __future__ import annotations

import random

import pytest

from helpers import checkpoints
from helpers.checkpoints import REGISTRY, find, line
from helpers.lessons import practice, reviews

KEYS = {
    "00": ["00-1"],
    "05": [f"05-{n}" for n in range(1, 7)],
    "06": [f"06-{n}" for n in range(1, 13)],
    "07": [f"07-{n}" for n in range(1, 5)],
    "08": [f"08-{n}" for n in range(1, 7)],
}
ALL = [key for keys in KEYS.values() for key in keys]


@pytest.mark.parametrize("lesson", KEYS)
def test_each_lesson_registers_exactly_its_checkpoints(lesson):
    for key in KEYS[lesson]:
        assert find(key) is not None, key
    assert sorted(k for k in REGISTRY if k.startswith(f"{lesson}-")) == sorted(KEYS[lesson])


def test_every_checkpoint_passes_twice_and_in_any_order():
    order = ALL + ALL[::-1]
    random.Random(10).shuffle(order)
    for key in order:
        printed = line(key)
        assert printed.startswith("✓ 通过：") and "\n" not in printed, printed


def test_every_checkpoint_is_about_the_job_in_one_short_sentence():
    for key in ALL:
        about = find(key).about
        assert about and len(about) <= 60, key
        assert not any(word in about for word in ("assert", "引擎", "def ")), key


def test_a_reply_checklist_that_lets_pressure_through_fails_05_2(monkeypatch):
    real = reviews.check_review_reply

    def lenient(review, reply, rules=None):
        rules = rules or reviews.load_review_rules()
        return real(review, reply.replace("改成好评", "").replace("红包", ""), rules)
    monkeypatch.setattr(reviews, "check_review_reply", lenient)
    assert line("05-2").startswith("✗ 没通过：回复里提改评价")


def test_a_privacy_check_that_finds_nothing_fails_06_7(monkeypatch):
    monkeypatch.setattr(practice, "privacy_check",
                        lambda message, text: practice.PrivacyCheck((), (), ()))
    assert line("06-7") == f"✗ 没通过：{find('06-7').about}。带着买家信息的消息，检查不该通过"


def test_a_queue_in_the_wrong_order_fails_06_1(monkeypatch):
    real = practice.QueueDrill.queue
    monkeypatch.setattr(practice.QueueDrill, "queue", lambda self: real(self)[::-1])
    assert line("06-1").endswith("队列应该按逾期时间从近到远排")


def test_a_check_that_breaks_is_a_line_not_a_traceback(monkeypatch):
    monkeypatch.setattr(reviews, "load_review_rules", lambda: 1 / 0)
    assert line("05-1").startswith("✗ 没通过：") and checkpoints.REGISTRY["05-1"]
