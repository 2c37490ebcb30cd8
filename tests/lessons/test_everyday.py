"""helpers.lessons.everyday: every story's answers, played by the engine, say what the lesson says."""

from __future__ import annotations

import pytest

from helpers import Actor, AfterSaleType, MerchantAction, Status
from helpers.checkpoints import line
from helpers.engine.codes import ArbitrateStatus, Blame, PartType
from helpers.engine.ledger import Verdict
from helpers.lessons.everyday import play, stories

STORIES = stories()
ANSWERS = [(s.key, a.id) for s in STORIES.values() for a in s.answers]


def test_six_stories_each_with_one_right_answer_of_three():
    assert list(STORIES) == ["broken", "missing", "no_reason", "lost", "evidence", "platform"]
    for story in STORIES.values():
        assert len(story.answers) == 3 and sum(a.right for a in story.answers) == 1
        assert all(a.why for a in story.answers)


@pytest.mark.parametrize(("key", "answer_id"), ANSWERS)
def test_every_answer_plays_on_a_fresh_desk_and_reads_as_plain_lines(key, answer_id):
    story = STORIES[key]
    first = play(story, story.answer(answer_id))
    again = play(story, story.answer(answer_id))
    assert first.lines() == again.lines()  # a fresh desk each time
    assert all(text and "Traceback" not in text for text in first.lines())


def test_received_broken_food_is_refunded_and_kept():
    result = play(STORIES["broken"], STORIES["broken"].right)
    assert result.case.type is AfterSaleType.SHIPPED_REFUND and result.case.got_pkg
    assert result.case.status is Status.SUCCESS and result.ledger.verdict is Verdict.REFUND_KEPT
    refused = play(STORIES["broken"], STORIES["broken"].answer("refusal"))
    assert refused.refused is MerchantAction.AGREE_REFUND_AFTER_REFUSAL


def test_a_missing_item_is_settled_by_a_partial_refund():
    result = play(STORIES["missing"], STORIES["missing"].right)
    assert result.case.part_type is PartType.PART and result.case.refunded_fen == 4580
    assert result.ledger.verdict is Verdict.PARTIAL
    full = play(STORIES["missing"], STORIES["missing"].answer("agree"))
    assert full.case.refunded_fen == 9160


def test_no_reason_return_postage_is_the_buyers_and_a_wrong_refusal_is_the_shops_fault():
    assert play(STORIES["no_reason"], STORIES["no_reason"].right).postage_payer is Actor.BUYER
    refused = play(STORIES["no_reason"], STORIES["no_reason"].answer("refuse"))
    assert refused.arbitration.status is ArbitrateStatus.FOR_BUYER
    assert refused.arbitration.blame is Blame.MERCHANT


def test_evidence_that_proves_the_reason_wins_the_intervention():
    platform = STORIES["platform"]
    assert play(platform, platform.right).arbitration.blame is Blame.NOT_MERCHANT
    assert play(platform, platform.answer("chat")).arbitration.blame is Blame.MERCHANT
    assert play(platform, platform.answer("silent")).arbitration.blame is Blame.MERCHANT


@pytest.mark.parametrize("key", [f"09-{n}" for n in range(1, 7)])
def test_every_checkpoint_passes_twice(key):
    assert line(key).startswith("✓") and line(key) == line(key)
