"""Lesson 02's core: the days with 未发货仅退款 on and off, their comparison, and the race case."""

from __future__ import annotations

import pytest

from helpers import ActionNotAllowed, AfterSaleType, AutoAuditKind, Stage, Status, Strategy
from helpers.engine.ledger import Verdict as LedgerVerdict
from helpers.engine.ledger import ledger
from helpers.engine.scenarios import play, step
from helpers.engine.simulate import Staff
from helpers.lessons.unshipped import (
    ROWS,
    DaySettings,
    difference,
    difference_text,
    duration,
    latest_difference,
    race_verdict,
    run_days,
    start_race,
    summary,
    table,
)

SMALL_TEAM = Staff(every_hours=8, cases_per_look=4)


@pytest.fixture(scope="module")
def pair():
    return run_days(DaySettings(auto_on=False)), run_days(DaySettings(auto_on=True))


@pytest.fixture(scope="module")
def small_team_pair():
    return (run_days(DaySettings(auto_on=False, staff=SMALL_TEAM)),
            run_days(DaySettings(auto_on=True, staff=SMALL_TEAM)))


def test_the_same_seed_gives_the_same_days():
    assert run_days(DaySettings(auto_on=False, seed=3)) == run_days(DaySettings(auto_on=False, seed=3))


def test_the_strategy_takes_every_unshipped_refund_without_a_click(pair):
    off, on = pair
    assert off.report.requests == on.report.requests
    assert off.unshipped == on.unshipped > 0
    assert on.unshipped_auto == on.unshipped
    assert off.unshipped_auto == 0
    assert on.report.auto_handled - off.report.auto_handled == on.unshipped
    assert on.report.merchant_clicks < off.report.merchant_clicks
    assert on.report.median_minutes_to_refund < off.report.median_minutes_to_refund
    assert on.unshipped_median_minutes < 1 < off.unshipped_median_minutes  # refunded on arrival


def test_with_the_strategy_fewer_parcels_leave_but_a_refund_does_not_stop_one(pair):
    off, on = pair
    assert off.shipped_while_waiting > on.shipped_while_waiting > 0  # the race still ships
    assert on.report.refunds_with_goods_out == 0  # the staff cancel the 拍单 or intercept


def test_a_small_team_misses_deadlines_only_without_the_strategy(small_team_pair):
    off, on = small_team_pair
    assert off.report.missed_deadlines > 0
    assert on.report.missed_deadlines == 0
    assert off.report.refunds_with_goods_out > 0


def test_the_switch_leaves_the_other_strategies_as_the_policy_says(policy):
    off_policy = policy.with_strategy(Strategy.REFUND_AFTER_REFUSAL, False)
    run = run_days(DaySettings(auto_on=True), off_policy)
    assert run.unshipped_auto == run.unshipped
    assert run.report.auto_handled == run.unshipped  # no 拒签后退款 any more


def test_difference_pairs_only_runs_that_differ_in_the_switch(pair):
    off, on = pair
    found = difference(on, off)
    assert found is not None and found.off is off and found.on is on
    assert found.clicks_saved == off.report.merchant_clicks - on.report.merchant_clicks > 0
    assert found.minutes_saved > 0
    assert found.shipments_saved == off.shipped_while_waiting - on.shipped_while_waiting
    assert difference(off, off) is None
    other_seed = run_days(DaySettings(auto_on=True, seed=8))
    assert difference(off, other_seed) is None
    other_team = run_days(DaySettings(auto_on=True, staff=SMALL_TEAM))
    assert difference(off, other_team) is None


def test_latest_difference_looks_back_for_the_partner(pair, small_team_pair):
    off, on = pair
    assert latest_difference([]) is None
    assert latest_difference([off]) is None
    assert latest_difference([off, small_team_pair[0], on]) == (0, difference(off, on))
    assert latest_difference([off, on, small_team_pair[1]]) is None


@pytest.mark.parametrize(("minutes", "shown"), [
    (None, "—"), (0.0, "不到 1 分钟"), (0.9, "不到 1 分钟"), (42.5, "42 分"), (60, "1 小时 0 分"),
    (779.08, "12 小时 59 分"),
])
def test_duration(minutes, shown):
    assert duration(minutes) == shown


def test_table_has_a_header_and_one_row_per_figure(pair):
    off, on = pair
    rows = table([off, on], first_number=3)
    assert rows[0] == ["指标", "第 3 次 · 策略关", "第 4 次 · 策略开"]
    assert len(rows) == 1 + len(ROWS)
    by_label = {row[0]: row[1:] for row in rows[1:]}
    assert by_label["商家点击次数"] == [str(off.report.merchant_clicks), str(on.report.merchant_clicks)]
    assert by_label["未发货仅退款中由小助手自动退款"] == ["0", str(on.unshipped)]


def test_summary_and_difference_text(pair):
    off, on = pair
    text = summary(on, 2)
    assert text.startswith("第 2 次（策略开）")
    assert f"自动处理 {on.report.auto_handled} 个" in text
    compared = difference_text(difference(off, on), 1)
    assert "和第 1 次比" in compared
    assert f"{off.report.merchant_clicks} → {on.report.merchant_clicks} 次" in compared


# ---- the race -------------------------------------------------------------------------------

def test_race_without_the_strategy_the_parcel_is_out():
    race = start_race(auto_on=False)
    case = race.desk.cases[race.case_id]
    order = race.desk.orders[case.order_id]
    assert race.handover_refusal == ""
    assert case.type is AfterSaleType.UNSHIPPED_REFUND and case.status is Status.AWAIT_MERCHANT
    assert order.stage is Stage.SHIPPED
    assert race_verdict(race.desk, race.case_id).key == "parcel_out"


def test_race_agreeing_after_the_handover_goes_through_and_the_parcel_travels():
    """The back office lets the refund through; the parcel still reaches the buyer."""
    race = start_race(auto_on=False)
    case = play(race.desk, race.case_id, ["同意售前退申请"])
    assert case.status is Status.SUCCESS and case.refunded_fen == case.requested_fen
    verdict = race_verdict(race.desk, race.case_id)
    assert (verdict.key, verdict.good) == ("goods_out", False)
    assert ledger(race.desk, case.order_id).verdict is LedgerVerdict.BOTH_LOST
    # Not undone, but the goods can still be fetched back: intercept the parcel.
    play(race.desk, race.case_id, ["申请快递拦截", "快递退回中"])
    assert race_verdict(race.desk, race.case_id).key == "refunded_coming_back"
    play(race.desk, race.case_id, ["商家已签收"])
    assert race_verdict(race.desk, race.case_id).key == "clean"


def test_race_too_late_to_cancel_the_upstreams_order():
    race = start_race(auto_on=False)
    before = race.desk.snapshot()
    with pytest.raises(ActionNotAllowed, match="停不住"):
        step(race.desk, race.case_id, "取消发货")
    assert race.desk.snapshot() == before


def test_race_shipping_answers_the_request():
    race = start_race(auto_on=False)
    case = play(race.desk, race.case_id, ["发货（上传快递单号）"])
    assert not case.is_open and case.refunded_fen == 0
    verdict = race_verdict(race.desk, race.case_id)
    assert verdict.key == "shipped_answer" and "课程规则，以后台为准" in verdict.text


def test_race_intercept_then_the_assistant_refunds():
    race = start_race(auto_on=False)
    step(race.desk, race.case_id, "申请快递拦截")
    assert race_verdict(race.desk, race.case_id).key == "intercepting"
    case = play(race.desk, race.case_id, ["快递退回中"])
    assert case.status is Status.SUCCESS
    assert case.auto is AutoAuditKind.INTERCEPT_SUCCESS_REFUND
    assert race_verdict(race.desk, race.case_id).key == "refunded_coming_back"
    play(race.desk, race.case_id, ["商家已签收"])
    assert race_verdict(race.desk, race.case_id).key == "clean"


def test_race_intercept_without_auto_refund_waits_for_the_parcel(policy):
    race = start_race(auto_on=False, policy=policy.with_strategy(Strategy.INTERCEPT_AUTO_REFUND, False))
    play(race.desk, race.case_id, ["申请快递拦截", "快递退回中"])
    assert race_verdict(race.desk, race.case_id).key == "returning"
    play(race.desk, race.case_id, ["同意售前退申请", "商家已签收"])
    assert race_verdict(race.desk, race.case_id).key == "clean"


@pytest.mark.parametrize(("moves", "key"), [
    (["超过处理时限"], "goods_out"),
    (["买家已签收"], "delivered"),
    (["买家已签收", "超过处理时限"], "goods_out"),
])
def test_race_wrong_ends(moves, key):
    race = start_race(auto_on=False)
    play(race.desk, race.case_id, moves)
    verdict = race_verdict(race.desk, race.case_id)
    assert verdict.key == key and verdict.good is False
    assert verdict.text


def test_race_with_the_strategy_the_refund_does_not_stop_the_upstreams_parcel():
    race = start_race(auto_on=True)
    case = race.desk.cases[race.case_id]
    assert race.handover_refusal == ""
    assert case.status is Status.SUCCESS and case.auto is AutoAuditKind.PRE_SHIP_FAST_REFUND
    assert race.desk.orders[case.order_id].stage is Stage.SHIPPED
    assert race_verdict(race.desk, race.case_id).key == "goods_out"
