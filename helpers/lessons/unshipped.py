"""Lesson 02 (未发货仅退款): the shop's days with the strategy on or off, and the race case.

Pure logic over `helpers.engine.simulate` and `helpers.engine.scenarios`; the widgets that show it are in
`helpers.ui.unshipped`.

    off = run_days(DaySettings(auto_on=False))
    on = run_days(DaySettings(auto_on=True))
    difference(off, on).clicks_saved      # the same orders, fewer merchant clicks

    race = start_race(auto_on=False)      # the request, then the parcel goes to the courier
    step(race.desk, race.case_id, "同意售前退申请")   # goes through: refunded, parcel travels
    race_verdict(race.desk, race.case_id).key        # "goods_out": 钱货两失 unless intercepted
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta

from ..checkpoints import Verdict as Result
from ..checkpoints import check
from ..engine.codes import (
    PARCEL_STATES_GOODS_COMING_BACK,
    Actor,
    AfterSaleType,
    AutoAuditKind,
    ClockEvent,
    MerchantAction,
    ParcelState,
    Stage,
    Status,
)
from ..engine.ledger import Verdict as LedgerVerdict
from ..engine.ledger import ledger
from ..engine.machine import ActionNotAllowed, Desk, Event, Move, OrderEvent, actor_of
from ..engine.policy import Policy, Strategy, load_policy
from ..engine.scenarios import start_case, step
from ..engine.simulate import DayPlan, DayReport, ShopDays, Staff
from ..strings import t
from .coach import before

STRATEGY = Strategy.UNSHIPPED_AUTO_REFUND
UNSHIPPED = AfterSaleType.UNSHIPPED_REFUND
RUNS_KEPT = 4  # columns side by side; more do not fit beside the labels


# ---- the shop's days ---------------------------------------------------------------------

@dataclass(frozen=True)
class DaySettings:
    """What the trainee sets before running the days."""

    auto_on: bool
    seed: int = 7
    days: int = 1
    staff: Staff = field(default_factory=Staff)

    def same_days(self, other: DaySettings) -> bool:
        """True when `other` runs the same orders with the same staff (the switch aside)."""
        return replace(self, auto_on=other.auto_on) == other


@dataclass(frozen=True)
class DayRun:
    """One run of the days: the simulation's report and the lesson's own figures."""

    settings: DaySettings
    report: DayReport
    unshipped: int  # 未发货仅退款 requests
    unshipped_auto: int  # of them, refunded by the assistant
    shipped_while_waiting: int  # the parcel left after the request, before anybody answered
    unshipped_median_minutes: float | None  # request to refund, 未发货仅退款 only


def run_days(settings: DaySettings, policy: Policy | None = None) -> DayRun:
    """Run the seeded days under `policy` with 未发货仅退款 switched as `settings` says."""
    policy = (policy or load_policy()).with_strategy(STRATEGY, settings.auto_on)
    shop = ShopDays(policy, settings.seed, plan=DayPlan(days=settings.days), staff=settings.staff)
    report = shop.run_to_end()
    desk = shop.desk
    cases = [c for c in desk.cases.values() if c.type is UNSHIPPED]
    handed = {e.order_id: e.at for e in desk.log if e.move is OrderEvent.HANDED_TO_COURIER}
    waits = [(c.closed_at - c.opened_at).total_seconds() / 60
             for c in cases if c.refunded_fen and c.closed_at is not None]
    return DayRun(
        settings=settings,
        report=report,
        unshipped=len(cases),
        unshipped_auto=sum(1 for c in cases if c.auto is policy.strategies[STRATEGY].auto_audit),
        shipped_while_waiting=sum(1 for c in cases if handed.get(c.order_id, c.opened_at) > c.opened_at),
        unshipped_median_minutes=statistics.median(waits) if waits else None,
    )


@dataclass(frozen=True)
class Difference:
    """What switching the strategy on changed, for the same orders and staff."""

    off: DayRun
    on: DayRun

    @property
    def clicks_saved(self) -> int:
        return self.off.report.merchant_clicks - self.on.report.merchant_clicks

    @property
    def minutes_saved(self) -> float | None:
        off, on = self.off.report.median_minutes_to_refund, self.on.report.median_minutes_to_refund
        return None if off is None or on is None else off - on

    @property
    def deadlines_saved(self) -> int:
        return self.off.report.missed_deadlines - self.on.report.missed_deadlines

    @property
    def shipments_saved(self) -> int:
        return self.off.shipped_while_waiting - self.on.shipped_while_waiting


def difference(first: DayRun, second: DayRun) -> Difference | None:
    """The two runs as off/on when they differ only in the switch; otherwise None."""
    if first.settings.auto_on == second.settings.auto_on \
            or not first.settings.same_days(second.settings):
        return None
    return Difference(off=first, on=second) if second.settings.auto_on else Difference(second, first)


def latest_difference(runs: Sequence[DayRun]) -> tuple[int, Difference] | None:
    """The last run against the latest earlier run it can be compared with.

    Returns the index of that earlier run and the difference, or None.
    """
    if not runs:
        return None
    last = runs[-1]
    for index in range(len(runs) - 2, -1, -1):
        found = difference(runs[index], last)
        if found is not None:
            return index, found
    return None


# ---- showing the days (text from the string catalog) ----------------------------------------

def duration(minutes: float | None) -> str:
    """Minutes as the lesson says them: "5 小时 22 分", "不到 1 分钟", "—" when nothing was refunded."""
    if minutes is None:
        return t("unshipped.no_refund")
    whole = int(minutes)
    if whole < 1:
        return t("unshipped.instant")
    if whole < 60:
        return t("unshipped.duration_minutes", minutes=whole)
    return t("unshipped.duration", hours=whole // 60, minutes=whole % 60)


def switch_label(auto_on: bool) -> str:
    return t("unshipped.on") if auto_on else t("unshipped.off")


ROWS = ("requests", "unshipped", "unshipped_auto", "auto", "hand", "clicks", "median",
        "unshipped_median", "missed", "shipped_waiting", "goods_out")


def row_values(run: DayRun) -> dict[str, str]:
    """One column of the comparison table: each row key of `ROWS` with its shown value."""
    report = run.report
    return {
        "requests": str(report.requests),
        "unshipped": str(run.unshipped),
        "unshipped_auto": str(run.unshipped_auto),
        "auto": str(report.auto_handled),
        "hand": str(report.hand_handled),
        "clicks": str(report.merchant_clicks),
        "median": duration(report.median_minutes_to_refund),
        "unshipped_median": duration(run.unshipped_median_minutes),
        "missed": str(report.missed_deadlines),
        "shipped_waiting": str(run.shipped_while_waiting),
        "goods_out": str(report.refunds_with_goods_out),
    }


def table(runs: Sequence[DayRun], first_number: int = 1) -> list[list[str]]:
    """The comparison as rows of text: a header row, then one row per figure, one column per run."""
    header = [t("unshipped.metric")] + [
        t("unshipped.run_title", number=first_number + i, switch=switch_label(r.settings.auto_on))
        for i, r in enumerate(runs)]
    values = [row_values(r) for r in runs]
    return [header] + [[t(f"unshipped.row_{key}")] + [v[key] for v in values] for key in ROWS]


def run_detail(run: DayRun) -> str:
    settings = run.settings
    return t("unshipped.run_detail", seed=settings.seed, days=settings.days,
             every=settings.staff.every_hours, per=settings.staff.cases_per_look)


def summary(run: DayRun, number: int) -> str:
    report = run.report
    return t("unshipped.summary", number=number, switch=switch_label(run.settings.auto_on),
             requests=report.requests, auto=report.auto_handled, hand=report.hand_handled,
             clicks=report.merchant_clicks, median=duration(report.median_minutes_to_refund),
             missed=report.missed_deadlines)


def difference_text(found: Difference, other_number: int) -> str:
    """Off → on, figure by figure (both values shown, so no sign can mislead)."""
    off, on = found.off, found.on
    return t("unshipped.better", other=other_number,
             clicks_off=off.report.merchant_clicks, clicks_on=on.report.merchant_clicks,
             median_off=duration(off.unshipped_median_minutes),
             median_on=duration(on.unshipped_median_minutes),
             missed_off=off.report.missed_deadlines, missed_on=on.report.missed_deadlines,
             shipped_off=off.shipped_while_waiting, shipped_on=on.shipped_while_waiting)


# ---- the race: the request lands as the parcel goes to the courier -------------------------

RACE_GAP = timedelta(minutes=1)

# The moves the race case offers, by group (label key in the string catalog).
RACE_MOVES: dict[str, tuple[Move, ...]] = {
    "unshipped.race_group_merchant": (MerchantAction.STOP_SHIPMENT, MerchantAction.INTERCEPT_PARCEL,
                                      MerchantAction.AGREE_PRESALE_REFUND, MerchantAction.SHIP_ORDER),
    "unshipped.race_group_parcel": (OrderEvent.HANDED_TO_COURIER, ParcelState.REFUSED_BY_BUYER,
                                    ParcelState.RETURNING, ParcelState.SIGNED_BY_MERCHANT,
                                    ParcelState.SIGNED_BY_BUYER),
    "unshipped.race_group_clock": (ClockEvent.DEADLINE_PASSED,),
}


@dataclass
class Race:
    """The race case: its desk, the case, and the engine's word on the first hand-over."""

    desk: Desk
    case_id: str
    handover_refusal: str  # empty when the parcel did go to the courier


def start_race(auto_on: bool, policy: Policy | None = None) -> Race:
    """A 未发货仅退款 request, and a minute later the upstream hands the parcel to the courier.

    With the strategy on, the assistant refunds at once, and the parcel still leaves: the
    upstream ships from its own 拍单 order (only cancelling that in time stops it). With it off,
    the parcel is out when anybody looks. `handover_refusal` stays for a hand-over the engine
    refused (the 拍单 already cancelled).
    """
    policy = (policy or load_policy()).with_strategy(STRATEGY, auto_on)
    desk, case_id = start_case(UNSHIPPED, policy=policy)
    case = desk.cases[case_id]
    handover = OrderEvent.HANDED_TO_COURIER
    try:
        desk.apply(Event(case.opened_at + RACE_GAP, handover, actor_of(handover), case.order_id))
    except ActionNotAllowed as refusal:
        return Race(desk, case_id, str(refusal))
    return Race(desk, case_id, "")


@dataclass(frozen=True)
class Verdict:
    """Where the race case stands: a key of the string catalog and whether it is a good end."""

    key: str
    good: bool | None  # None while the case is still open

    @property
    def text(self) -> str:
        return t(f"unshipped.verdict_{self.key}")


def goods_home(desk: Desk, order_id: str) -> bool:
    """True when the goods never left or are on their way back to the shop."""
    order = desk.orders[order_id]
    return order.stage is Stage.UNSHIPPED or order.parcel in PARCEL_STATES_GOODS_COMING_BACK


def race_verdict(desk: Desk, case_id: str) -> Verdict:
    """What the trainee has achieved so far, or what is next."""
    case = desk.cases[case_id]
    order = desk.orders[case.order_id]
    if case.status is Status.SUCCESS:
        book = ledger(desk, case.order_id)
        if book.verdict is LedgerVerdict.COMING_BACK:
            return Verdict("refunded_coming_back", None)
        if book.verdict is not LedgerVerdict.CLEAR:
            return Verdict("goods_out", False)
        untouched = case.answered_by is Actor.ASSISTANT and order.stage is Stage.UNSHIPPED \
            and not any(e.move is OrderEvent.HANDED_TO_COURIER for e in desk.log)
        return Verdict("auto" if untouched else "clean", True)
    if case.status is Status.REFUSED_FIRST:
        return Verdict("shipped_answer", None)
    if not case.is_open:
        return Verdict("cancelled", None)
    if order.stage is Stage.UNSHIPPED:
        return Verdict("stopped", None)
    if order.stage is Stage.RECEIVED:
        return Verdict("delivered", False)
    if order.parcel in PARCEL_STATES_GOODS_COMING_BACK:
        return Verdict("returning", None)
    if order.intercept_requested:
        return Verdict("intercepting", None)
    return Verdict("parcel_out", None)


# ---- checkpoints of lesson 02: each runs its own days or race through the engine -----------



def _off_and_on(staff: Staff | None = None) -> tuple[DayRun, DayRun]:
    staff = staff or Staff()
    return (run_days(DaySettings(auto_on=False, staff=staff)),
            run_days(DaySettings(auto_on=True, staff=staff)))


@check("02-1", "同一批订单开了「未发货仅退款自动同意」：这类申请全由小助手退款，商家点得更少，退款更快")
def _check_assistant_saves_work() -> Result:
    off, on = _off_and_on()
    if off.report.requests != on.report.requests or on.unshipped_auto != on.unshipped:
        return Result(False, t("unshipped.check_not_all_auto"))
    faster = (on.report.median_minutes_to_refund or 0) < (off.report.median_minutes_to_refund or 0)
    return Result(on.report.merchant_clicks < off.report.merchant_clicks and faster,
                  t("unshipped.check_no_saving"))


@check("02-2", "开了策略，等处理时被发出的包裹少了，但不是零：退款停不住上家的包裹，还要请上家取消拍单或拦截")
def _check_refund_does_not_stop_parcels() -> Result:
    off, on = _off_and_on()
    return Result(off.shipped_while_waiting > on.shipped_while_waiting > 0
                  and on.report.refunds_with_goods_out == 0, t("unshipped.check_parcels"))


@check("02-3", "人手少时不开策略就会超时，有的包裹已经在路上；开了就不会超时")
def _check_short_staff() -> Result:
    off, on = _off_and_on(Staff(every_hours=8, cases_per_look=4))
    return Result(off.report.missed_deadlines > 0 and off.report.refunds_with_goods_out > 0
                  and on.report.missed_deadlines == 0, t("unshipped.check_short_staff"))


@check("02-4", "包裹已交给快递时直接同意退款，后台照样同意：钱货两失，撤不回；"
                "先拦截、包裹退回再退款，才钱货两清")
def _check_race_agree_first() -> Result:
    race = start_race(auto_on=False)
    agree = MerchantAction.AGREE_PRESALE_REFUND
    if not any(w.kind == "parcel_out" for w in before(race.desk, race.case_id, agree)):
        return Result(False, t("unshipped.check_no_warning"))
    step(race.desk, race.case_id, agree)
    if race_verdict(race.desk, race.case_id).key != "goods_out":
        return Result(False, t("unshipped.check_agree_not_lost"))
    race = start_race(auto_on=False)
    for move in (MerchantAction.INTERCEPT_PARCEL, ParcelState.RETURNING, ParcelState.SIGNED_BY_MERCHANT):
        step(race.desk, race.case_id, move)
    return Result(race_verdict(race.desk, race.case_id).key == "clean", t("unshipped.check_not_clean"))


@check("02-5", "包裹出门以后，「取消发货」就晚了：取消上家的拍单也停不住已经交给快递的包裹")
def _check_stop_too_late() -> Result:
    race = start_race(auto_on=False)
    try:
        step(race.desk, race.case_id, MerchantAction.STOP_SHIPMENT)
    except ActionNotAllowed:
        return Result(True)
    return Result(False, t("unshipped.check_stopped_late"))


@check("02-6", "快递揽走了也可以申请拦截：包裹退回时，「快递拦截成功自动退款」的小助手自动退款")
def _check_intercept_refunds() -> Result:
    race = start_race(auto_on=False)
    step(race.desk, race.case_id, MerchantAction.INTERCEPT_PARCEL)
    step(race.desk, race.case_id, ParcelState.RETURNING)
    case = race.desk.cases[race.case_id]
    return Result(case.status is Status.SUCCESS and case.auto is AutoAuditKind.INTERCEPT_SUCCESS_REFUND
                  and race_verdict(race.desk, race.case_id).key == "refunded_coming_back",
                  t("unshipped.check_intercept"))


@check("02-7", "不处理的代价：课程里时限一到就按买家的申请退款（课程规则，以后台为准），包裹却还在路上")
def _check_deadline_cost() -> Result:
    race = start_race(auto_on=False)
    step(race.desk, race.case_id, ClockEvent.DEADLINE_PASSED)
    case = race.desk.cases[race.case_id]
    return Result(case.status is Status.SUCCESS and case.missed_deadline
                  and race_verdict(race.desk, race.case_id).key == "goods_out",
                  t("unshipped.check_deadline"))


@check("02-8", "开了自动同意：小助手一申请就退款，可上家照样把包裹交给了快递——还要有人去拦截")
def _check_auto_still_ships() -> Result:
    race = start_race(auto_on=True)
    case = race.desk.cases[race.case_id]
    return Result(case.status is Status.SUCCESS and case.auto is AutoAuditKind.PRE_SHIP_FAST_REFUND
                  and race_verdict(race.desk, race.case_id).key == "goods_out",
                  t("unshipped.check_auto"))


def show_setting(policy: Policy | None = None) -> None:
    """Print what the shop's rules say about 未发货仅退款 (lesson 02's 「后台的设置」)."""
    policy = policy or load_policy()
    setting = policy.strategies[STRATEGY]
    answer = policy.deadline_for(Status.AWAIT_MERCHANT)
    print(t("unshipped.setting_line", name=setting.name,
            state=t("unshipped.setting_on") if setting.enabled else t("unshipped.setting_off")))
    print(t("unshipped.setting_record", kind=setting.auto_audit.label))
    if answer is not None:
        print(t("unshipped.setting_deadline", label=answer.label, hours=f"{answer.hours:g}"))
