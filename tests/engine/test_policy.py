"""The rules file: what a shop manager edits, and what they are told when an edit is wrong."""

from __future__ import annotations

import pytest

from helpers import PolicyError, Status, Strategy
from helpers.engine.policy import parse_policy
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


@pytest.mark.parametrize("edit, message", [
    (("enabled = true\n", 'enabled = "yes"\n'), "enabled」：应为true 或 false"),
    (("hours = 48", "hours = -1"), "hours」：-1 不在允许的范围内"),
    (("auto_audit = 1 ", "auto_audit = 99 "), "auto_audit」：99 不是平台的自动审核方式代码"),
    (("status = 6", "status = 5"), "status」：5 不是售后状态码"),
    (("[strategies.auto_agree_return]", "[strategies.other]"),
     "「[strategies.auto_agree_return]」：缺少这一节"),
    (("[meta]", "[meta"), "policy.toml 第 8 行：第 6 列：节名缺少右方括号"),
])
def test_a_wrong_edit_is_named_in_chinese(edit, message):
    with pytest.raises(PolicyError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_policy(TEXT.replace(*edit, 1))
