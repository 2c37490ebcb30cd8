"""The capstone shift: the script, the engine's key, scoring with reasons, the clock, the report."""

from __future__ import annotations

import re
import tomllib

import pytest

from helpers import AfterSaleType, MerchantAction, Stage, Status, t
from helpers.engine.addresses import address_problems
from helpers.engine.privacy import find_personal_data
from helpers.engine.simulate import needs_person, refunded_goods_leaving, staff_decision
from helpers.lessons.capstone import (
    ScriptError,
    Shift,
    engine_plan,
    fill_personal,
    load_script,
    parse_script,
    play_perfect,
    script_path,
)

SCENARIO_LESSONS = {"02_unshipped_refund", "03_shipped_not_received", "04_received_return_exchange",
                    "05_reviews_after_return", "06_good_practice"}


@pytest.fixture(scope="module")
def script():
    return load_script()


@pytest.fixture(scope="module")
def shift():
    return Shift()


# ---- the script ---------------------------------------------------------------------------

def test_the_script_has_at_least_20_requests_covering_every_lesson(script):
    assert len(script.requests) >= 20
    assert {r.lesson for r in script.requests} == SCENARIO_LESSONS == set(script.lessons)
    assert 0 < script.pass_score <= 100


def test_the_script_covers_every_situation_the_issue_names(script):
    cases = [r for r in script.requests if r.kind == "case"]
    types = {(r.case.type, tuple(s.value for s in r.case.strategies), r.case.before) for r in cases}
    unshipped = [r for r in cases if r.case.type is AfterSaleType.UNSHIPPED_REFUND]
    assert any(r.case.before and r.case.before[0].label == "包裹已交给快递" for r in unshipped), "the race"
    shipped = [r for r in cases if r.case.type is AfterSaleType.SHIPPED_REFUND]
    assert any("refund_after_refusal" in [s.value for s in r.case.strategies] for r in shipped)
    assert any(not r.case.strategies for r in shipped)
    assert any(r.case.type is AfterSaleType.RETURN_REFUND and "address" in r.asks for r in cases)
    assert any(r.case.type is AfterSaleType.EXCHANGE and "address" in r.asks for r in cases)
    assert any(r.kind == "review" for r in script.requests)
    assert any(r.kind == "message" for r in script.requests), "the privacy trap"
    assert any(r.case.minutes_left is not None for r in cases), "a deadline about to pass"
    assert any(r.kind == "queue" for r in script.requests)
    assert len(types) > 10


def test_the_data_file_describes_situations_and_states_no_answer():
    raw = tomllib.loads(script_path().read_text(encoding="utf-8"))
    for request in raw["requests"]:
        assert not {"answer", "right", "expected", "correct", "key"} & set(request), request["id"]


def test_the_data_file_holds_no_full_phone_number():
    text = script_path().read_text(encoding="utf-8")
    assert not re.search(r"(?<![\d*])1[3-9]\d{9}(?![\d*])", text)


def test_the_privacy_traps_get_a_made_up_number_at_run_time():
    filled = fill_personal("电话 {phone}")
    assert [f.kind for f in find_personal_data(filled)] == ["phone"]


# ---- the key comes from the engine -------------------------------------------------------

def test_every_ask_has_exactly_one_right_option_and_it_is_the_engines(shift):
    for situation in shift.situations:
        for ask in situation.asks:
            right = ask.option(ask.right)
            board = situation.board
            if ask.kind == "move":
                case = board.case
                leaving = case.order_id in refunded_goods_leaving(board.desk)
                expected = (MerchantAction.STOP_SHIPMENT,) if leaving and \
                    board.desk.orders[case.order_id].stage is Stage.UNSHIPPED else \
                    () if not needs_person(case, board.desk) else tuple(
                        m for m, _a in staff_decision(case, board.desk))
                assert right.value == expected == engine_plan(board.desk, board.case_id)
                assert sum(1 for o in ask.options if o.value == expected) == 1
            elif ask.kind == "address":
                supplier = shift.supplier_of(board.order.product_id)
                good = [o for o in ask.options if not address_problems(o.value, supplier)]
                assert good == [right]
            elif ask.kind == "message":
                clean = [o for o in ask.options if not find_personal_data(o.value)]
                assert clean == [right]


def test_the_strategy_key_is_the_assistant_decision(shift):
    by_id = {s.spec.id: s for s in shift.situations}
    assert by_id["unshipped-manual"].asks[1].option(by_id["unshipped-manual"].asks[1].right).label \
        == "未发货仅退款自动同意"
    race = next(a for a in by_id["unshipped-race"].asks if a.kind == "strategy")
    assert race.option(race.right).value is None  # once the parcel left, no strategy can help


def test_an_ambiguous_script_is_refused():
    text = script_path().read_text(encoding="utf-8").replace(
        'move_options = [["同意售前退申请"], ["取消发货", "同意售前退申请"], []]',
        'move_options = [["取消发货", "同意售前退申请"], ["取消发货", "同意售前退申请"], []]', 1)
    with pytest.raises(ScriptError, match="必须恰好一个"):
        Shift(parse_script(text, "shift_01.toml"))


@pytest.mark.parametrize(("old", "new", "message"), [
    ('lesson = "02_unshipped_refund"', 'lesson = "09_nowhere"', "不在 \\[lessons\\] 里"),
    ('move_options = [["同意售前退申请"], ["取消发货", "同意售前退申请"], []]',
     'move_options = [["同意吧"], ["取消发货", "同意售前退申请"], []]', "不是操作或事件的名称"),
    ('product = "P01"', 'product = "P99"', "不在 products.csv 里"),
    ('\nkind = "case"\n', '\nkind = "chat"\n', "kind「chat」无效"),
])
def test_a_malformed_script_names_the_request(old, new, message):
    text = script_path().read_text(encoding="utf-8").replace(old, new, 1)
    with pytest.raises(ScriptError, match=message):
        Shift(parse_script(text, "shift_01.toml"))


# ---- scoring ------------------------------------------------------------------------------

def test_a_perfect_run_scores_full_marks_in_every_lesson():
    report = play_perfect(Shift())
    assert report.score == report.total > 0 and report.percent == 100 and report.passed
    assert report.lost == ()
    assert {s.lesson for s in report.by_lesson} == SCENARIO_LESSONS
    assert all(s.earned == s.total > 0 for s in report.by_lesson)
    assert sum(s.total for s in report.by_lesson) == report.total


def _wrong_choices():
    for number, situation in enumerate(Shift().situations):
        for ask in situation.asks:
            for option in ask.options:
                if option.id != ask.right:
                    yield pytest.param(number, ask.kind, option.id,
                                       id=f"{situation.spec.id}-{ask.kind}-{option.id}")


@pytest.mark.parametrize(("number", "kind", "option"), list(_wrong_choices()))
def test_each_wrong_decision_loses_its_points_with_its_reason(number, kind, option):
    shift = Shift()
    while not shift.finished:
        answers = shift.key()
        if shift.index == number:
            answers[kind] = option
        shift.decide(answers)
    report = shift.report()
    assert len(report.lost) == 1
    lost = report.lost[0]
    assert (lost.ask, lost.chosen, lost.earned) == (kind, option, 0)
    assert report.score == report.total - lost.points
    assert lost.reason.startswith(t("capstone.wrong", points=lost.points))
    situation = shift.situations[number]
    ask = next(a for a in situation.asks if a.kind == kind)
    picked = ask.option(option)
    if kind == "move":
        assert f"应该「{ask.option(ask.right).label}」" in lost.reason
    elif kind == "address":
        problems = address_problems(picked.value, shift.supplier_of(situation.board.order.product_id))
        assert problems and all(p in lost.reason for p in problems)
    elif kind == "message":
        assert all(f.masked in lost.reason for f in find_personal_data(picked.value))
        assert not re.search(r"(?<![\d*])1[3-9]\d{9}(?![\d*])", lost.reason)  # masked in the reason
    else:
        assert len(lost.reason) > len(t("capstone.wrong", points=lost.points)) + 10


def test_the_reasons_come_from_the_engine():
    shift = Shift()
    by_id = {s.spec.id: i for i, s in enumerate(shift.situations)}
    verdicts = {}
    while not shift.finished:
        situation, answers = shift.current, shift.key()
        if situation.spec.id in ("unshipped-race", "shipped-no-refusal-strategy", "return-tshirt"):
            move = next(a for a in situation.asks if a.kind == "move")
            wrong = {"unshipped-race": "同意售前退申请", "shipped-no-refusal-strategy": "同意仅退款",
                     "return-tshirt": "先不操作"}[situation.spec.id]
            answers["move"] = next(o.id for o in move.options if o.label == wrong)
        for verdict in shift.decide(answers):
            verdicts[(verdict.request_id, verdict.ask)] = verdict
    # the back office lets a refund through with the parcel out: money and goods both lost
    assert "钱货两失" in verdicts[("unshipped-race", "move")].reason
    assert "钱货两失" in verdicts[("shipped-no-refusal-strategy", "move")].reason
    # nobody acts: the deadline passes and the platform decides
    assert "替买家做了决定" in verdicts[("return-tshirt", "move")].reason
    assert by_id


def test_an_unanswered_ask_scores_nothing():
    shift = Shift()
    verdicts = shift.decide({})
    assert all(v.earned == 0 and t("capstone.no_answer") in v.reason for v in verdicts)
    assert shift.index == 1


def test_the_report_counts_what_was_decided_and_passes_only_at_the_end():
    shift = Shift()
    shift.decide(shift.key())
    report = shift.report()
    assert report.score == sum(v.earned for v in report.verdicts) > 0
    assert not report.passed  # the shift is not over


def test_failing_the_pass_mark():
    shift = Shift()
    while not shift.finished:
        shift.decide({})
    report = shift.report()
    assert report.score == 0 and not report.passed and len(report.lost) == len(report.verdicts)


# ---- the clock ----------------------------------------------------------------------------

def test_with_the_clock_a_quick_perfect_run_still_scores_full_marks():
    shift = Shift(clock=True)
    report = play_perfect(shift)
    assert report.percent == 100
    assert report.ended > report.started


def test_leaving_the_close_deadline_for_last_lets_it_pass():
    shift = Shift(clock=True)
    while not shift.finished:
        shift.pick(shift.queue()[-1].number)  # the least urgent first: the clock runs meanwhile
        shift.decide(shift.key())
    late = [v for v in shift.report().lost if (v.request_id, v.ask) == ("deadline-close", "move")]
    assert late and "太晚了" in late[0].reason and Status.SUCCESS.label in late[0].reason


def test_without_the_clock_time_stands_still():
    shift = Shift()
    while not shift.finished:
        shift.decide(shift.key())
    assert shift.now == shift.script.start and shift.report().percent == 100


def test_facts_show_masked_buyer_data_and_an_engine_countdown(shift):
    for situation in shift.situations:
        text = "\n".join(shift.facts(situation))
        assert not re.search(r"(?<![\d*])1[3-9]\d{9}(?![\d*])", text)
    deadline = next(s for s in shift.situations if s.spec.id == "deadline-close")
    assert "还剩 0 小时 50 分" in "\n".join(shift.facts(deadline))


def test_every_key_built_at_run_time_is_in_the_catalog():
    from helpers.lessons.capstone import KINDS
    from helpers.lessons.reviews import check_reply

    names = {item.name for item in check_reply("退款 ¥1.00", apology_due=True, amounts={100}).items}
    for name in names:
        assert t(f"capstone.check_{name}", found="x")
    for ask in {ask for asks in KINDS.values() for ask in asks}:
        assert t(f"capstone.ask_kind_{ask}")


# ---- shift 02: lesson 09's everyday cases mixed with the earlier ones ------------------------

def test_shift_02_mixes_the_everyday_cases_with_the_earlier_lessons():
    shift = Shift("shift_02")
    lessons = {s.spec.lesson for s in shift.situations}
    assert "09_everyday_cases" in lessons and len(lessons) >= 4
    everyday = [s for s in shift.situations if s.spec.lesson == "09_everyday_cases"]
    assert len(everyday) == 4


def test_shift_02_keys_come_from_the_engine_and_a_perfect_run_scores_full_marks():
    shift = Shift("shift_02")
    keys = {s.spec.id: [o.label for a in s.asks for o in a.options if o.id == a.right]
            for s in shift.situations}
    # 已收货 + 只要退钱 (破损 / 发霉, with photos): 同意仅退款, never 「找店长」 or 203.
    assert keys["received-broken-hotpot"] == [MerchantAction.AGREE_REFUND.label]
    assert keys["received-jerky-spoiled"] == [MerchantAction.AGREE_REFUND.label]
    assert keys["lost-thermos-resend"] == [MerchantAction.AGREE_RESEND.label]
    assert keys["lost-fan-refund"] == [MerchantAction.AGREE_REFUND.label]
    report = play_perfect(shift)
    assert report.percent == 100 and report.passed


def test_shift_02_a_refusal_strategy_answer_on_a_lost_parcel_loses_its_points():
    shift = Shift("shift_02")
    number = next(i for i, s in enumerate(shift.situations) if s.spec.id == "lost-fan-refund")
    situation = shift.situations[number]
    ask = situation.asks[0]
    wrong = next(o for o in ask.options if o.label == MerchantAction.AGREE_REFUND_AFTER_REFUSAL.label)
    assert wrong.id != ask.right


# ---- the fair clock: the queue with deadlines, the trainee's order, not reading speed -------

@pytest.mark.parametrize("script", ["shift_01", "shift_02"])
def test_the_fair_clock_scores_the_order_and_the_outcomes_only(script):
    shift = Shift(script, clock=True)  # reading time is no input: only the order and the answers
    while not shift.finished:
        shift.pick(shift.queue()[0].number)
        shift.decide(shift.key())
    assert shift.report().percent == 100


def test_the_fair_clock_queue_is_most_urgent_first_and_scores_the_order():
    shift = Shift("shift_02", clock=True)
    deadlines = [e.deadline for e in shift.queue() if e.deadline is not None]
    assert deadlines == sorted(deadlines) and len(deadlines) >= 2
    while not shift.finished:
        shift.pick(shift.queue()[-1].number)
        shift.decide(shift.key())
    order = [v for v in shift.report().verdicts if v.ask == "order"]
    assert order and not all(v.correct for v in order)
    assert sum(v.points for v in order) + sum(a.points for s in shift.situations for a in s.asks) \
        == shift.total_points
