"""The seeded shop days: reproducible, and the strategies change what they should."""

from __future__ import annotations

import pytest

from helpers import AfterSaleType, Status
from helpers.engine.simulate import DayPlan, ShopDays, Staff, compare_policies

SMALL = DayPlan(days=1, orders_per_day=150)


@pytest.fixture(scope="module")
def reports(policy):
    off = policy.with_strategies(unshipped_auto_refund=False, refund_after_refusal=False,
                                 intercept_auto_refund=False)
    return compare_policies({"on": policy, "off": off}, seed=3, plan=DayPlan())


def test_same_seed_same_days(policy):
    first, second = ShopDays(policy, seed=11, plan=SMALL), ShopDays(policy, seed=11, plan=SMALL)
    assert first.run_to_end() == second.run_to_end()
    assert first.desk.log == second.desk.log


def test_the_assistant_takes_every_unshipped_refund(reports):
    on, off = reports["on"], reports["off"]
    assert on.requests == off.requests
    assert on.auto_handled >= on.by_type[AfterSaleType.UNSHIPPED_REFUND.label]
    assert off.auto_handled == 0
    assert on.merchant_clicks < off.merchant_clicks
    assert on.median_minutes_to_refund < off.median_minutes_to_refund


def test_without_strategies_a_small_team_misses_deadlines(policy):
    off = policy.with_strategies(unshipped_auto_refund=False, refund_after_refusal=False,
                                 intercept_auto_refund=False)
    small = Staff(every_hours=8, cases_per_look=4)
    reports = compare_policies({"on": policy, "off": off}, seed=3, plan=DayPlan(), staff=small)
    assert reports["off"].missed_deadlines > reports["on"].missed_deadlines


def test_no_refund_ends_with_the_goods_out_when_staff_stop_the_upstream(reports):
    """Refunded orders still ship from the upstream's 拍单; the careful staff cancel or intercept."""
    assert reports["on"].refunds_with_goods_out == 0


def test_clock_advances_in_steps(policy):
    days = ShopDays(policy, seed=5, plan=SMALL)
    days.advance(6)
    early = len(days.desk.log)
    days.advance(18)
    assert len(days.desk.log) > early
    assert all(c.status is not Status.CANCELLED for c in days.desk.cases.values())
    assert not any("不能倒退" in message for message in days.skipped)
