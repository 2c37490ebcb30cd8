"""Lesson 02's apps driven headlessly: set values, click, read the app."""

from __future__ import annotations

import re

import ipywidgets as widgets
import pytest

from helpers import AutoAuditKind, Stage, Status, Strategy
from helpers.lessons.unshipped import RACE_MOVES, RUNS_KEPT
from helpers.ui.unshipped import RaceApp, ShopDayApp
from tests.widget_tree import walk as _walk

PHONE = re.compile(r"(?<![\d*])1[3-9]\d{9}(?![\d*])")




def _with_class(app, css_class):
    return [w for w in _walk(app.widget) if css_class in w._dom_classes]


# ---- the shop's days ----------------------------------------------------------------------

@pytest.fixture
def days():
    return ShopDayApp(auto_on=False)


def test_days_build_with_the_browser_contract(days):
    assert _with_class(days, "day-summary") == [days.summary_html]
    assert _with_class(days, "day-table") == [days.table_html]
    assert days.runs == []
    assert "还没有运行" in days.summary_html.value
    assert days.table_html.value == ""


def test_days_follow_the_policy_unless_told(policy):
    assert ShopDayApp().strategy.value is policy.is_on(Strategy.UNSHIPPED_AUTO_REFUND)
    assert ShopDayApp(policy=policy.with_strategy(Strategy.UNSHIPPED_AUTO_REFUND, False)).strategy.value \
        is False


def test_the_rules_note_reads_the_deadline_from_the_policy(policy):
    hours = policy.deadline_for(Status.AWAIT_MERCHANT).hours
    notes = [w.value for w in _walk(ShopDayApp().widget) if isinstance(w, widgets.HTML)]
    assert any(f"{hours:g} 小时" in n and "示例值" in n for n in notes)


def test_switching_and_running_compares_the_same_orders(days):
    days.run_button.click()
    days.strategy.value = True
    days.run_button.click()
    off, on = days.runs
    assert (off.settings.auto_on, on.settings.auto_on) == (False, True)
    assert off.report.requests == on.report.requests
    assert on.report.merchant_clicks < off.report.merchant_clicks
    assert on.unshipped_auto == on.unshipped
    assert "第 2 次（策略开）" in days.summary_html.value
    assert "和第 1 次比" in days.summary_html.value
    assert f"{off.report.merchant_clicks} → {on.report.merchant_clicks} 次" in days.summary_html.value
    assert "第 1 次 · 策略关" in days.table_html.value
    assert "第 2 次 · 策略开" in days.table_html.value
    assert "商家点击次数" in days.table_html.value


def test_run_both_adds_off_then_on(days):
    days.run_both_button.click()
    assert [r.settings.auto_on for r in days.runs] == [False, True]
    assert days.runs[0].settings.same_days(days.runs[1].settings)
    assert "和第 1 次比" in days.summary_html.value


def test_staff_days_and_seed_come_from_the_widgets(days):
    days.every_hours.value = 8
    days.cases_per_look.value = 6
    days.days.value = 2
    days.seed.value = 11
    run = days.run()
    assert run.settings.staff.every_hours == 8 and run.settings.staff.cases_per_look == 6
    assert (run.settings.days, run.settings.seed) == (2, 11)
    assert "第 11 批订单 · 2 天 · 每 8 小时看 6 单" in days.table_html.value


def test_a_small_team_without_the_strategy_misses_deadlines(days):
    days.every_hours.value = 8
    days.cases_per_look.value = 4
    days.run_both_button.click()
    off, on = days.runs
    assert off.report.missed_deadlines > 0 and on.report.missed_deadlines == 0


def test_a_changed_seed_is_not_compared(days):
    days.run_button.click()
    days.strategy.value = True
    days.seed.value = 8
    days.run_button.click()
    assert "和第" not in days.summary_html.value
    assert "还没有可以对比的一次" in days.summary_html.value


def test_the_table_keeps_the_latest_runs_and_clear_empties_it(days):
    for _ in range(RUNS_KEPT + 1):
        days.run_button.click()
    assert len(days.runs) == RUNS_KEPT + 1
    assert "第 1 次" not in days.table_html.value
    assert f"第 {RUNS_KEPT + 1} 次" in days.table_html.value
    assert "class=latest" in days.table_html.value
    days.clear_button.click()
    assert days.runs == [] and days.table_html.value == ""


def test_days_show_no_full_phone_number(days):
    days.run_both_button.click()
    assert not PHONE.search(days.summary_html.value + days.table_html.value)


# ---- the race -----------------------------------------------------------------------------

@pytest.fixture
def race():
    return RaceApp()


def test_race_builds_with_the_browser_contract(race):
    assert _with_class(race, "race-state") == [race.state_html]
    assert _with_class(race, "race-message") == [race.message_html]
    assert _with_class(race, "race-log") == [race.log_html]
    actions = _with_class(race, "race-action")
    expected = {m.label for moves in RACE_MOVES.values() for m in moves}
    assert {b.description for b in actions} == expected
    assert "已发货未收到" in race.state_html.value
    assert "后台不会替你停住它" in race.state_html.value
    assert "09:01" in race.story_html.value
    assert "包裹已交给快递" in race.log_html.value


def test_agreeing_after_the_handover_is_warned_then_goes_through_and_shows_the_cost(race):
    log = list(race.desk.log)
    assert race.button("同意售前退申请").click() is None
    assert race.desk.log == log, "the coach only warns: nothing happened yet"
    assert [w.kind for w in race.coach_box.warnings] == ["parcel_out"]
    assert "后台不会拦" in race.coach_box.html.value and "钱货两失" in race.coach_box.html.value
    race.coach_box.go_ahead_button.click()
    assert race.ok and race.case.status is Status.SUCCESS
    assert "撤不回" in race.message_html.value
    assert race.verdict.key == "goods_out" and 'class="error"' in race.state_html.value
    assert "在快递路上" in race.ledger_html.value and "钱货两失" in race.ledger_html.value


def test_thinking_again_changes_nothing(race):
    before = race.desk.snapshot()
    race.button("同意售前退申请").click()
    race.coach_box.think_again_button.click()
    assert race.desk.snapshot() == before and race.coach_box.pending is None


def test_too_late_to_cancel_shipment_once_the_parcel_is_out(race):
    race.button("取消发货").click()
    assert race.ok is False and "停不住" in race.message_html.value
    assert race.desk.orders[race.case.order_id].stage is Stage.SHIPPED


def test_intercept_and_the_assistant_refunds_when_the_parcel_comes_back(race):
    race.button("申请快递拦截").click()
    assert "已申请拦截：是" in race.state_html.value
    race.button("快递退回中").click()
    assert race.ok and race.case.status is Status.SUCCESS
    assert race.case.auto is AutoAuditKind.INTERCEPT_SUCCESS_REFUND
    assert "售后小助手随即自动执行" in race.message_html.value
    assert "发生了：「快递退回中」" in race.message_html.value
    race.button("商家已签收").click()
    assert race.verdict.key == "clean" and "钱货两清" in race.ledger_html.value


def test_letting_the_deadline_pass_pays_with_the_goods_out(race):
    race.button("超过处理时限").click()
    assert race.case.status is Status.SUCCESS
    assert race.verdict.key == "goods_out"
    assert 'class="error"' in race.state_html.value


def test_the_checkbox_restarts_with_the_assistant_refunding_and_the_parcel_still_going(race):
    race.auto_box.value = True
    assert race.case.status is Status.SUCCESS
    assert race.case.auto is AutoAuditKind.PRE_SHIP_FAST_REFUND
    assert race.verdict.key == "goods_out"
    assert "退款停不住上家的包裹" in race.story_html.value
    race.button("申请快递拦截").click()  # no open case: the parcel can still be intercepted
    assert race.ok and race.desk.orders[race.case.order_id].intercept_requested


def test_restart_gives_a_fresh_race(race):
    race.button("申请快递拦截").click()
    race.restart_button.click()
    assert race.verdict.key == "parcel_out"
    assert len(race.desk.log) == 3  # placed, request, hand-over
    assert "新的一单" in race.message_html.value


def test_race_shows_only_masked_buyer_data(race):
    shown = race.order_html.value + race.state_html.value + race.log_html.value
    assert "138****5678" in race.order_html.value
    assert not PHONE.search(shown)


def test_race_buttons_are_blue_exactly_when_the_engine_allows_the_move():
    from helpers.engine.scenarios import possible_moves
    race = RaceApp()
    for click in (None, "申请快递拦截", "快递退回中"):
        if click:
            race.button(click).click()
        possible = set(possible_moves(race.desk, race.case_id))
        assert possible
        for move, button in race.buttons.items():
            assert (button.button_style == "primary") == (move in possible), move.label
