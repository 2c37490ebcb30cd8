"""The rules file: what a shop manager edits, and what they are told when an edit is wrong."""

from __future__ import annotations

import pytest

from helpers import AfterSaleType, PolicyError, Status, Strategy, load_policy
from helpers.engine.policy import TimeoutOutcome, parse_policy
from helpers.engine.scenarios import outcome
from helpers.paths import data_path

TEXT = data_path("policy.toml").read_text(encoding="utf-8")


def test_every_deadline_is_an_example_with_a_source(policy):
    for deadline in policy.deadlines.values():
        assert deadline.example and deadline.source and deadline.hours > 0
    assert policy.deadline_for(Status.AWAIT_MERCHANT) is not None
    assert policy.deadline_for(Status.SUCCESS) is None


def test_every_strategy_has_a_switch(policy):
    assert set(policy.strategies) == set(Strategy)


def test_changing_one_number_changes_the_deadline():
    edited = parse_policy(TEXT.replace("hours = 48", "hours = 24", 1))
    assert edited.deadline_for(Status.AWAIT_MERCHANT).hours == 24


def test_editing_a_deadlines_outcome_in_a_copy_changes_what_the_engine_does(tmp_path):
    """Rules are data: the merchant's 48 h running out refunds the buyer (the file's rule);
    change that node's outcome in a copy of policy.toml and the same case closes as failed."""
    copy = tmp_path / "policy.toml"
    copy.write_text(TEXT.replace('outcome = "refund_buyer"\nrecord_missed = true',
                                 'outcome = "close_failed"\nrecord_missed = false', 1),
                    encoding="utf-8")
    moves = ["超过处理时限"]
    kept = outcome(AfterSaleType.UNSHIPPED_REFUND, moves, strategies=[])
    edited = outcome(AfterSaleType.UNSHIPPED_REFUND, moves, strategies=[],
                     policy=load_policy(copy))
    assert (kept.status, kept.refunded_fen, kept.missed_deadline) == (Status.SUCCESS, 3990, True)
    assert (edited.status, edited.refunded_fen, edited.missed_deadline) == (Status.FAILED, 0, False)


def test_every_deadline_names_its_outcome_and_marks_it_a_course_rule(policy):
    for deadline in policy.deadlines.values():
        assert isinstance(deadline.outcome, TimeoutOutcome)
        assert "课程规则，以后台为准" in deadline.on_timeout
    assert "edited_on" in TEXT and "checked_on" not in TEXT


@pytest.mark.parametrize("edit, message", [
    (("enabled = true\n", 'enabled = "yes"\n'), "enabled」：应为true 或 false"),
    (("hours = 48", "hours = -1"), "hours」：-1 不在允许的范围内"),
    (("auto_audit = 1 ", "auto_audit = 99 "), "auto_audit」：99 不是平台的自动审核方式代码"),
    (("status = 6", "status = 5"), "status」：5 不是售后状态码"),
    (('outcome = "close_failed"', 'outcome = "refund_later"'),
     "outcome」：\"refund_later\" 不是可选的超时结果"),
    (('outcome = "close_failed"', 'outcome = "confirm_receipt"'), "不适用于状态「待买家退货」"),
    (("record_missed = false\n", ""), "record_missed」：缺少这一项"),
    (("[strategies.auto_agree_return]", "[strategies.other]"),
     "「[strategies.auto_agree_return]」：缺少这一节"),
    (("[meta]", "[meta"), "policy.toml 第 10 行：第 6 列：节名缺少右方括号"),
])
def test_a_wrong_edit_is_named_in_chinese(edit, message):
    with pytest.raises(PolicyError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_policy(TEXT.replace(*edit, 1))
