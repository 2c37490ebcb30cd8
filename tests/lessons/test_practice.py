"""helpers.lessons.practice: the deadline queue, the address check and the privacy check of lesson 06."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from types import MappingProxyType

import pytest

from helpers import ActionNotAllowed, AfterSaleType, Status, Strategy, load_products
from helpers.engine.addresses import address_problems
from helpers.engine.privacy import MOBILE, mask_text
from helpers.engine.scenarios import policy_with
from helpers.lessons.practice import (
    ADDRESS_PLAN,
    QUEUE_NOW,
    QUEUE_PLAN,
    QueueDrill,
    address_cases,
    agree_return,
    delete_personal_data,
    privacy_check,
    privacy_messages,
)

# ---- the queue ---------------------------------------------------------------------------


# The strategies the lesson's story assumes; policy.toml may switch others on.
STORY = [Strategy.UNSHIPPED_AUTO_REFUND, Strategy.REFUND_AFTER_REFUSAL]


@pytest.fixture
def drill(policy):
    return QueueDrill(policy_with(STORY, policy))


def test_the_queue_is_sorted_by_deadline_and_holds_only_cases_for_a_person(drill):
    queue = drill.queue()
    assert len(queue) >= 4
    deadlines = [c.deadline for c in queue]
    assert deadlines == sorted(deadlines)
    assert all(c.status in (Status.AWAIT_MERCHANT, Status.AWAIT_SECOND_REVIEW) for c in queue)
    assert all(not c.refusal_agreed for c in queue)
    assert any(c.status is Status.AWAIT_SECOND_REVIEW for c in queue)
    assert drill.now == QUEUE_NOW


def test_the_time_left_is_the_planned_share_of_the_policys_limit(drill, policy):
    for number, item in enumerate(QUEUE_PLAN, start=1):
        case = drill.desk.cases[f"AS{number:05d}"]
        if case not in drill.queue():
            continue
        limit = policy.deadline_for(case.status).duration
        assert abs(drill.left(case) - limit * item.left_share) <= timedelta(minutes=1)
        assert drill.urgent(case) == (item.left_share <= 0.25)


def test_the_queue_follows_a_shop_with_other_limits(policy):
    halved = {k: replace(d, hours=d.hours / 2) for k, d in policy.deadlines.items()}
    short = replace(policy, deadlines=MappingProxyType(halved))
    drill = QueueDrill(policy_with(STORY, short))
    queue = drill.queue()
    assert [c.deadline for c in queue] == sorted(c.deadline for c in queue)
    first = queue[0]
    assert drill.left(first) <= short.deadline_for(first.status).duration * 0.25


def test_the_assistant_takes_the_refunds_its_strategies_cover(policy):
    on = QueueDrill(policy_with(STORY, policy))
    off = QueueDrill(policy_with([], policy))
    assert on.auto_handled == 2
    assert off.auto_handled == 0
    assert len(off.queue()) == len(on.queue()) + 2
    types = {c.type for c in off.queue()}
    assert {AfterSaleType.UNSHIPPED_REFUND, AfterSaleType.SHIPPED_REFUND} <= types


def test_a_passing_deadline_makes_the_platform_act_and_counts_as_missed(drill, policy):
    first = drill.queue()[0]
    paid = drill.desk.orders[first.order_id].order.paid_fen
    assert drill.advance(drill.left(first).total_seconds() / 3600 - 0.1) == []
    expired = drill.advance(1)
    assert [e.case_id for e in expired] == [first.id]
    gone = expired[0]
    assert gone.before is Status.AWAIT_MERCHANT
    assert gone.after is drill.desk.cases[first.id].status is Status.SUCCESS
    assert gone.refunded_fen == paid and gone.missed
    assert gone.on_timeout == policy.deadline_for(Status.AWAIT_MERCHANT).on_timeout
    assert drill.missed == 1
    assert first.id not in [c.id for c in drill.queue()]


def test_handling_plays_the_recommended_moves_and_notes_a_nearer_deadline(drill):
    first, second = drill.queue()[:2]
    done = drill.handle(second.id)
    assert done.more_urgent == first.id
    assert done.status is Status.AWAIT_BUYER_RETURN
    assert drill.desk.cases[second.id].return_address is not None
    assert drill.desk.now == QUEUE_NOW + timedelta(minutes=5)
    assert drill.handle(first.id).more_urgent is None
    assert drill.handled == [second.id, first.id]
    assert {first.id, second.id}.isdisjoint(c.id for c in drill.queue())
    assert drill.missed == 0


def test_the_second_review_is_confirmed_and_refunded(drill):
    review = next(c for c in drill.queue() if c.status is Status.AWAIT_SECOND_REVIEW)
    assert drill.handle(review.id).status is Status.SUCCESS
    assert drill.desk.cases[review.id].refunded_fen > 0


def test_a_case_not_waiting_is_refused_and_nothing_changes(drill):
    closed = next(c for c in drill.desk.cases.values() if not c.is_open)
    before, log = drill.desk.snapshot(), list(drill.desk.log)
    for case_id in (closed.id, "AS99999"):
        with pytest.raises(ActionNotAllowed, match="不在待处理队列"):
            drill.handle(case_id)
    assert drill.desk.snapshot() == before and drill.desk.log == log
    assert drill.handled == []


# ---- the return addresses ------------------------------------------------------------------


@pytest.fixture(scope="module")
def cases():
    return {c.key: c for c in address_cases()}


def test_each_draft_has_the_flaw_its_story_tells(cases):
    assert set(cases) == {key for key, *_ in ADDRESS_PLAN}
    problems = {key: address_problems(c.draft, c.expected) for key, c in cases.items()}
    assert problems["all_right"] == []
    assert problems["shop_default"] == [f"这不是「{cases['shop_default'].expected.name}」的地址："
                                        "这件商品由它发货，退货必须寄回它那里"]
    assert any("省份" in p for p in problems["no_province"])
    assert any("85550505" in p for p in problems["bad_phone"])
    assert any("太短" in p for p in problems["short_detail"])
    for key, found in problems.items():
        assert key == "all_right" or len(found) == 1, (key, found)


def test_the_expected_supplier_is_the_one_that_ships_the_item(cases):
    products = load_products()
    for case in cases.values():
        assert case.expected.id == products[case.product.id].supplier_id


def test_the_engine_agrees_any_valid_address_and_the_coach_names_the_wrong_upstream(cases):
    for key, case in cases.items():
        draft = agree_return(case, case.draft)
        assert draft.ok == (key in ("all_right", "shop_default")), (key, draft.message)
        assert (draft.ok and draft.right) == (key == "all_right")
        if key == "shop_default":  # another upstream's valid address: it goes through
            assert draft.status is Status.AWAIT_BUYER_RETURN and "后台不会拦" in draft.warning
        if not draft.ok:
            assert draft.status is Status.AWAIT_MERCHANT and "退货地址不能用" in draft.message
        fixed = agree_return(case, case.expected.address)
        assert fixed.ok and fixed.status is Status.AWAIT_BUYER_RETURN


# ---- privacy -------------------------------------------------------------------------------


def test_messages_are_made_at_run_time_and_reproducible():
    first, again, other = privacy_messages(6), privacy_messages(6), privacy_messages(7)
    assert first == again
    assert [m.text for m in first] != [m.text for m in other]
    assert [m.key for m in first] == ["return", "exchange", "refused"]


@pytest.mark.parametrize("seed", range(25))
def test_the_detector_finds_every_piece_masking_is_not_enough_deleting_leaves_a_sendable_message(seed):
    for message in privacy_messages(seed):
        secrets = dict(message.secrets)
        assert MOBILE.fullmatch(secrets["phone"])
        check = privacy_check(message, message.text)
        assert not check.clean
        assert sorted(f.kind for f in check.findings) == ["address", "name", "phone"]
        assert sorted(check.leaks) == ["address", "name", "phone"]
        masked = mask_text(message.text)  # masked, the upstream still gets data it does not need
        assert sorted(privacy_check(message, masked).masked) == ["address", "name", "phone"]
        deleted = delete_personal_data(message.text)
        assert privacy_check(message, deleted).clean, deleted
        assert all(piece in deleted for piece in message.must_keep)
        assert "*" not in deleted


def test_a_number_written_another_way_still_counts_and_the_upstreams_data_must_stay():
    message = privacy_messages()[0]
    phone = dict(message.secrets)["phone"]
    spaced = f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    text = mask_text(message.text).replace(message.must_keep[0], "") + spaced
    check = privacy_check(message, text)
    assert check.leaks == ("phone",)
    assert check.missing == (message.must_keep[0],)
    assert not check.clean


def test_no_file_of_this_lesson_stores_an_unmasked_mobile_number():
    root = Path(__file__).resolve().parents[2]
    files = ["helpers/lessons/decide.py", "helpers/lessons/practice.py",
             "helpers/ui/practice.py", "helpers/ui/decide.py",
             "data/strings/zh-CN/practice.toml", "data/strings/zh-CN/decide.toml",
             "data/quiz/06_good_practice.toml", "notebooks/06_good_practice.ipynb"]
    pattern = re.compile(r"(?<![\d*])1[3-9]\d{9}(?![\d*])")
    for name in files:
        path = root / name
        if path.exists():
            assert not pattern.search(path.read_text(encoding="utf-8")), name
