"""Lesson 09 「日常售后」: the everyday cases around the source article, played by the engine.

Six stories, each an order and a buyer's request, and for each a few ways to answer it. An answer
is a list of moves; `play` makes them on a fresh desk (the buyer and the platform doing what the
story says they do next), and `Result` reads off what it led to: the case, the money, where the
goods are, who pays the return postage, and 客服介入 with who is at fault.

    story = STORIES["broken"]
    result = play(story, story.answer("agree"))
    result.case.status            # Status.SUCCESS
    result.ledger.verdict         # Verdict.REFUND_KEPT: the goods stay with the buyer

The checks of lesson 09 (`checkpoint("09-1")` …) are here too; each builds its own desk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..checkpoints import Verdict as CheckVerdict
from ..checkpoints import check
from ..engine.codes import (
    Actor,
    AfterSaleType,
    ArbitrateStatus,
    Blame,
    BuyerAction,
    ClockEvent,
    Evidence,
    MerchantAction,
    PartType,
    ReturnReason,
    Status,
)
from ..engine.ledger import Ledger, Verdict, ledger
from ..engine.machine import ActionNotAllowed, Arbitration, Case, Desk, Move, Request, return_postage_payer
from ..engine.model import Order, load_products, yuan
from ..engine.policy import Policy, load_policy
from ..engine.scenarios import start_case, step
from ..strings import t

T, M, B = AfterSaleType, MerchantAction, BuyerAction


@dataclass(frozen=True)
class Move_:
    """One move of an answer, with what it carries (a reason, evidence, an amount)."""

    move: Move
    reason_code: int | None = None
    evidence: tuple[Evidence, ...] = ()
    amount_fen: int | None = None


@dataclass(frozen=True)
class Answer:
    id: str
    label: str               # what the trainee picks, in the trainee's words
    moves: tuple[Move_, ...]
    right: bool = False
    why: str = ""            # the coach's word on it, shown after the engine's result


@dataclass(frozen=True)
class Story:
    key: str
    title: str
    scene: str               # the short story from the shop's day (masked data only)
    product_id: str
    type: AfterSaleType
    quantity: int = 1
    amount_fen: int | None = None   # what the buyer asks for (default: what was paid)
    received: bool = False
    stalled: bool = False
    no_reason: bool = False
    claim_true: bool = True
    answers: tuple[Answer, ...] = field(default_factory=tuple)

    def answer(self, answer_id: str) -> Answer:
        return next(a for a in self.answers if a.id == answer_id)

    @property
    def right(self) -> Answer:
        return next(a for a in self.answers if a.right)


def _s(key: str) -> str:
    return t(f"everyday.{key}")


def stories() -> dict[str, Story]:
    """The six stories, in the lesson's order (texts from the string catalog)."""
    goods_fine, parcel_delivered, exempt = 2003, 2004, 2001
    items = [
        Story("broken", _s("broken_title"), _s("broken_scene"), "P08", T.SHIPPED_REFUND,
              received=True, answers=(
                  Answer("agree", _s("broken_agree"), (Move_(M.AGREE_REFUND),), True,
                         _s("broken_agree_why")),
                  Answer("refuse", _s("broken_refuse"),
                         (Move_(M.REFUSE_REFUND, goods_fine, (Evidence.PACKING_VIDEO,)),
                          Move_(B.ASK_PLATFORM),
                          Move_(M.SUBMIT_EVIDENCE, evidence=(Evidence.PACKING_VIDEO,))),
                         why=_s("broken_refuse_why")),
                  Answer("refusal", _s("broken_refusal"), (Move_(M.AGREE_REFUND_AFTER_REFUSAL),),
                         why=_s("broken_refusal_why")),
              )),
        Story("missing", _s("missing_title"), _s("missing_scene"), "P07", T.SHIPPED_REFUND,
              quantity=2, received=True, answers=(
                  Answer("propose", _s("missing_propose"),
                         (Move_(M.PROPOSE_PARTIAL, amount_fen=4580), Move_(B.ACCEPT_PROPOSAL)), True,
                         _s("missing_propose_why")),
                  Answer("agree", _s("missing_agree"), (Move_(M.AGREE_REFUND),),
                         why=_s("missing_agree_why")),
                  Answer("refuse", _s("missing_refuse"), (Move_(M.REFUSE_REFUND, goods_fine),),
                         why=_s("missing_refuse_why")),
              )),
        Story("no_reason", _s("no_reason_title"), _s("no_reason_scene"), "P03", T.RETURN_REFUND,
              received=True, no_reason=True, answers=(
                  Answer("agree", _s("no_reason_agree"), (Move_(M.AGREE_RETURN),), True,
                         _s("no_reason_agree_why")),
                  Answer("refuse", _s("no_reason_refuse"),
                         (Move_(M.REFUSE_RETURN, exempt), Move_(B.ASK_PLATFORM),
                          Move_(ClockEvent.DEADLINE_PASSED)),
                         why=_s("no_reason_refuse_why")),
                  Answer("to_refund", _s("no_reason_to_refund"), (Move_(M.RETURN_TO_REFUND),),
                         why=_s("no_reason_to_refund_why")),
              )),
        Story("lost", _s("lost_title"), _s("lost_scene"), "P02", T.RESEND, stalled=True, answers=(
            Answer("resend", _s("lost_resend"),
                   (Move_(M.AGREE_RESEND), Move_(M.SHIP_RESEND), Move_(B.CONFIRM_RECEIPT)), True,
                   _s("lost_resend_why")),
            Answer("refuse", _s("lost_refuse"),
                   (Move_(M.REFUSE_RESEND, parcel_delivered, (Evidence.LOGISTICS_SCREENSHOT,)),
                    Move_(B.ASK_PLATFORM), Move_(ClockEvent.DEADLINE_PASSED)),
                   why=_s("lost_refuse_why")),
            Answer("wait", _s("lost_wait"), (Move_(ClockEvent.DEADLINE_PASSED),),
                   why=_s("lost_wait_why")),
        )),
        Story("evidence", _s("evidence_title"), _s("evidence_scene"), "P01", T.SHIPPED_REFUND,
              received=True, claim_true=False, answers=(
                  Answer("refuse_video", _s("evidence_refuse_video"),
                         (Move_(M.REFUSE_REFUND, goods_fine, (Evidence.PACKING_VIDEO,)),), True,
                         _s("evidence_refuse_video_why")),
                  Answer("refuse_bare", _s("evidence_refuse_bare"), (Move_(M.REFUSE_REFUND, goods_fine),),
                         why=_s("evidence_refuse_bare_why")),
                  Answer("agree", _s("evidence_agree"), (Move_(M.AGREE_REFUND),),
                         why=_s("evidence_agree_why")),
              )),
        Story("platform", _s("platform_title"), _s("platform_scene"), "P01", T.SHIPPED_REFUND,
              received=True, claim_true=False, answers=(
                  Answer("video", _s("platform_video"),
                         (Move_(M.REFUSE_REFUND, goods_fine, (Evidence.PACKING_VIDEO,)),
                          Move_(B.ASK_PLATFORM),
                          Move_(M.SUBMIT_EVIDENCE, evidence=(Evidence.PACKING_VIDEO,))), True,
                         _s("platform_video_why")),
                  Answer("chat", _s("platform_chat"),
                         (Move_(M.REFUSE_REFUND, goods_fine, (Evidence.PACKING_VIDEO,)),
                          Move_(B.ASK_PLATFORM),
                          Move_(M.SUBMIT_EVIDENCE, evidence=(Evidence.CHAT_RECORD,))),
                         why=_s("platform_chat_why")),
                  Answer("silent", _s("platform_silent"),
                         (Move_(M.REFUSE_REFUND, goods_fine, (Evidence.PACKING_VIDEO,)),
                          Move_(B.ASK_PLATFORM), Move_(ClockEvent.DEADLINE_PASSED)),
                         why=_s("platform_silent_why")),
              )),
    ]
    return {story.key: story for story in items}


@dataclass(frozen=True)
class Result:
    """What an answer led to, read off the engine."""

    story: Story
    answer: Answer
    desk: Desk
    case_id: str
    refused: Move | None = None     # the move the back office did not accept
    message: str = ""

    @property
    def case(self) -> Case:
        return self.desk.cases[self.case_id]

    @property
    def ledger(self) -> Ledger:
        return ledger(self.desk, self.case.order_id)

    @property
    def arbitration(self) -> Arbitration | None:
        return self.desk.arbitrations.get(self.case_id)

    @property
    def postage_payer(self) -> Actor | None:
        """Who pays the return postage, when the goods are mailed back."""
        if self.case.type is not T.RETURN_REFUND or self.case.return_address is None:
            return None
        return return_postage_payer(self.desk.policy, self.case)

    def lines(self) -> list[str]:
        """The consequence in plain words, one fact a line."""
        case, book = self.case, self.ledger
        out = []
        if self.refused is not None:
            out.append(t("everyday.r_refused", move=self.refused.label, message=self.message))
        out.append(t("everyday.r_case", type=case.type.label, status=case.status.label))
        out.append(t("everyday.r_money", refunded=yuan(book.refunded_fen), paid=yuan(book.paid_fen),
                     part=case.part_type.label if case.refunded_fen else "—"))
        out.append(t("everyday.r_goods", goods=book.goods.label, verdict=book.verdict.label))
        if self.postage_payer is not None:
            out.append(t("everyday.r_postage", payer=self.postage_payer.label))
        arbitration = self.arbitration
        if arbitration is None:
            out.append(t("everyday.r_no_platform"))
        else:
            out.append(t("everyday.r_platform", status=arbitration.status.label,
                         blame=arbitration.blame.label if arbitration.blame else "—",
                         refunded=yuan(arbitration.refunded_fen)))
        return out


def start(story: Story, policy: Policy | None = None) -> tuple[Desk, str]:
    """A fresh desk with the story's order and request (the 售后小助手 off: a person answers)."""
    product = load_products()[story.product_id]
    paid = product.price_fen * story.quantity
    order = Order("DD20261201009", product.id, product.supplier_id, paid, "张**", "138****5678")
    request = Request(story.type, story.amount_fen or paid,
                      reason_kind=ReturnReason.NO_REASON if story.no_reason else ReturnReason.OTHER,
                      claim_true=story.claim_true)
    return start_case(story.type, strategies=[], order=order, policy=policy or load_policy(),
                      received=story.received, stalled=story.stalled, request=request)


def play(story: Story, answer: Answer, policy: Policy | None = None) -> Result:
    """Make the answer's moves on a fresh desk; a move the back office refuses stops it there."""
    desk, case_id = start(story, policy)
    for planned in answer.moves:
        try:
            step(desk, case_id, planned.move, reason_code=planned.reason_code,
                 evidence=planned.evidence, amount_fen=planned.amount_fen)
        except ActionNotAllowed as error:
            return Result(story, answer, desk, case_id, planned.move, str(error))
    return Result(story, answer, desk, case_id)


# ---- checkpoints: what each shows about the job --------------------------------------------

def _story(key: str) -> Story:
    return stories()[key]


@check("09-1", "已收货也能仅退款：破损、变质的货看照片就退，不用寄回")
def received_refund_keeps_the_goods() -> CheckVerdict:
    result = play(_story("broken"), _story("broken").answer("agree"))
    if result.case.status is not Status.SUCCESS or result.ledger.verdict is not Verdict.REFUND_KEPT:
        return CheckVerdict(False, t("everyday.c_not_refunded"))
    blocked = play(_story("broken"), _story("broken").answer("refusal"))
    if blocked.refused is None:
        return CheckVerdict(False, t("everyday.c_refusal_went"))
    return CheckVerdict(True)


@check("09-2", "少了一件：协商只退那一件的钱，买家同意后自动退款")
def missing_item_is_a_partial_refund() -> CheckVerdict:
    story = _story("missing")
    result = play(story, story.right)
    case = result.case
    if case.part_type is not PartType.PART or case.refunded_fen * 2 != result.ledger.paid_fen:
        return CheckVerdict(False, t("everyday.c_not_partial"))
    declined = play(story, Answer("d", "", (Move_(M.PROPOSE_PARTIAL, amount_fen=4580),
                                            Move_(B.DECLINE_PROPOSAL))))
    if declined.case.status is not Status.AWAIT_MERCHANT or declined.case.refunded_fen:
        return CheckVerdict(False, t("everyday.c_decline"))
    return CheckVerdict(True)


@check("09-3", "七天无理由退货的运费买家出，质量问题商家出；食品不参加七天无理由")
def no_reason_postage_and_food() -> CheckVerdict:
    story = _story("no_reason")
    if play(story, story.right).postage_payer is not Actor.BUYER:
        return CheckVerdict(False, t("everyday.c_postage"))
    quality = Story("q", "", "", "P03", T.RETURN_REFUND, received=True)
    if play(quality, Answer("a", "", (Move_(M.AGREE_RETURN),))).postage_payer is not Actor.MERCHANT:
        return CheckVerdict(False, t("everyday.c_postage"))
    policy = load_policy()
    if not {"P07", "P08"} <= policy.no_reason_exempt:
        return CheckVerdict(False, t("everyday.c_food"))
    return CheckVerdict(True)


@check("09-4", "包裹丢了：补寄或者退款，两样只给一样")
def lost_parcel_once() -> CheckVerdict:
    story = _story("lost")
    resent = play(story, story.right)
    if resent.case.status is not Status.EXCHANGE_SUCCESS or resent.ledger.refunded_fen:
        return CheckVerdict(False, t("everyday.c_resend"))
    waited = play(story, story.answer("wait"))  # nobody answered: the money goes instead
    order = waited.desk.orders[waited.case.order_id]
    if order.resent or not waited.ledger.refunded_fen:
        return CheckVerdict(False, t("everyday.c_twice"))
    return CheckVerdict(True)


@check("09-5", "拒绝要选拒绝原因；需要凭证的原因，不上传凭证就拒不了")
def refusal_needs_reason_and_evidence() -> CheckVerdict:
    story = _story("evidence")
    bare = play(story, story.answer("refuse_bare"))
    if bare.refused is None:
        return CheckVerdict(False, t("everyday.c_bare_went"))
    good = play(story, story.right)
    if good.case.status is not Status.REFUSED_FIRST or good.case.evidence != (Evidence.PACKING_VIDEO,):
        return CheckVerdict(False, t("everyday.c_refuse_failed"))
    return CheckVerdict(True)


@check("09-6", "客服介入后要在时限内举证：举证成立不判商责，超时不举证判商责")
def platform_rules_on_evidence() -> CheckVerdict:
    story = _story("platform")
    won = play(story, story.right).arbitration
    lost = play(story, story.answer("silent")).arbitration
    if won is None or won.status is not ArbitrateStatus.FOR_SELLER or won.blame is not Blame.NOT_MERCHANT:
        return CheckVerdict(False, t("everyday.c_evidence_lost"))
    if lost is None or lost.blame is not Blame.MERCHANT or not lost.refunded_fen:
        return CheckVerdict(False, t("everyday.c_silent_won"))
    return CheckVerdict(True)
