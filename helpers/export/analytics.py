"""What a shop's after-sales history says: speed, refunds, reasons, suppliers, and the strategies.

Every function takes the frame `read_export` keeps (English column names, one row per 售后单)
and the shop's `Policy`; the deadline to answer comes from the policy, never from here. The
strategy replay asks `helpers.engine.machine.assistant_decision` (the engine every lesson uses) what
the 售后小助手 would have done; it asks once per kind of request, not once per row.

All figures are column operations, so a million rows take well under a second each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from ..engine.codes import AfterSaleType, ParcelState, Stage, Status
from ..engine.machine import Case, OrderState, assistant_decision
from ..engine.model import SHANGHAI, Address, Order, Supplier
from ..engine.policy import Policy, Strategy
from ..strings import t
from .columns import SUPPLIER_FAULT_REASONS, Logistics

SECONDS_PER_HOUR = 3600.0
RETURN_TYPES = (AfterSaleType.RETURN_REFUND.label, AfterSaleType.EXCHANGE.label)
REFUSED = (Status.REFUSED_FIRST.label, Status.REFUSED_SECOND.label)


@dataclass(frozen=True)
class Summary:
    cases: int
    first: datetime | None
    last: datetime | None
    on_time_share: float        # of the requests that needed an answer, answered within the deadline
    missed: int                 # requests not answered within the deadline
    answer_median_h: float
    refund_rate: float          # share of requests that ended in a refund
    refund_fen: int
    deadline_h: float


@dataclass(frozen=True)
class Review:
    """Everything lesson 08 shows for one selection of rows."""

    summary: Summary
    times: pd.DataFrame
    refunds: pd.DataFrame
    reasons: pd.DataFrame
    suppliers: pd.DataFrame
    products: pd.DataFrame
    hours: pd.DataFrame
    replay: pd.DataFrame


# ---- the measures every table shares -------------------------------------------------------

@dataclass(frozen=True)
class Measures:
    answer_h: np.ndarray        # hours from request to the team's first answer (NaN: none)
    finish_h: np.ndarray        # hours from request to the end (NaN: still open)
    needs_answer: np.ndarray    # the request needed an answer by now
    on_time: np.ndarray         # ... and got it within the deadline
    refunded: np.ndarray


def answer_deadline(policy: Policy) -> timedelta | None:
    deadline = policy.deadline_for(Status.AWAIT_MERCHANT)
    return deadline.duration if deadline else None


def export_moment(frame: pd.DataFrame) -> pd.Timestamp | None:
    """The latest time in the export: cases younger than the deadline are not late yet."""
    moments = [frame[c].max() for c in ("applied_at", "answered_at", "closed_at")]
    moments = [m for m in moments if pd.notna(m)]
    return max(moments) if moments else None


def measures(frame: pd.DataFrame, policy: Policy, as_of: pd.Timestamp | None = None) -> Measures:
    """Answer and finish times and who was answered in time, one value per row."""
    applied = frame["applied_at"]
    answer_h = _hours(frame["answered_at"] - applied)
    finish_h = _hours(frame["closed_at"] - applied)
    deadline = answer_deadline(policy)
    deadline_h = deadline.total_seconds() / SECONDS_PER_HOUR if deadline else np.inf
    unanswered = np.isnan(answer_h)
    status = frame["status"]
    # A buyer who withdrew before any answer needed none; a request younger than the deadline
    # at the moment of the export is not late yet.
    withdrawn = unanswered & (status == Status.CANCELLED.label).to_numpy()
    as_of = as_of if as_of is not None else export_moment(frame)
    waiting = unanswered & (status == Status.AWAIT_MERCHANT.label).to_numpy()
    if as_of is not None and deadline is not None:
        waiting &= (applied > as_of - deadline).to_numpy()
    needs_answer = ~withdrawn & ~waiting
    on_time = needs_answer & (answer_h <= deadline_h)
    return Measures(answer_h, finish_h, needs_answer, on_time, frame["refund_fen"].to_numpy() > 0)


def _hours(delta: pd.Series) -> np.ndarray:
    return delta.dt.total_seconds().to_numpy(dtype=float, na_value=np.nan) / SECONDS_PER_HOUR


def _share(part: float, whole: float) -> float:
    return part / whole if whole else float("nan")


# ---- the tables ----------------------------------------------------------------------------

def summary(frame: pd.DataFrame, policy: Policy, m: Measures) -> Summary:
    deadline = answer_deadline(policy)
    needs = int(m.needs_answer.sum())
    return Summary(
        cases=len(frame),
        first=frame["applied_at"].min() if len(frame) else None,
        last=frame["applied_at"].max() if len(frame) else None,
        on_time_share=_share(int(m.on_time.sum()), needs),
        missed=needs - int(m.on_time.sum()),
        answer_median_h=float(np.nanmedian(m.answer_h)) if (~np.isnan(m.answer_h)).any() else float("nan"),
        refund_rate=_share(int(m.refunded.sum()), len(frame)),
        refund_fen=int(frame["refund_fen"].sum()),
        deadline_h=deadline.total_seconds() / SECONDS_PER_HOUR if deadline else float("nan"),
    )


def times_by_type(frame: pd.DataFrame, m: Measures) -> pd.DataFrame:
    """Per type: answer and finish time (median, p90, hours) and the share answered in time."""
    work = pd.DataFrame({"type": frame["type"], "answer_h": m.answer_h, "finish_h": m.finish_h,
                         "needs": m.needs_answer, "on_time": m.on_time})
    groups = work.groupby("type", observed=True, sort=True)
    table = pd.DataFrame({
        "cases": groups.size(),
        "answered": groups["answer_h"].count(),
        "answer_median_h": groups["answer_h"].median(),
        "answer_p90_h": groups["answer_h"].quantile(0.9),
        "finish_median_h": groups["finish_h"].median(),
        "finish_p90_h": groups["finish_h"].quantile(0.9),
        "on_time_share": groups["on_time"].sum() / groups["needs"].sum().replace(0, np.nan),
        "missed": groups["needs"].sum() - groups["on_time"].sum(),
    })
    table.index = table.index.astype(str)
    return table


def refunds_by_type(frame: pd.DataFrame, m: Measures) -> pd.DataFrame:
    work = pd.DataFrame({"type": frame["type"], "refunded": m.refunded, "refund_fen": frame["refund_fen"]})
    groups = work.groupby("type", observed=True, sort=True)
    table = pd.DataFrame({"cases": groups.size(), "refunded": groups["refunded"].sum(),
                          "refund_fen": groups["refund_fen"].sum()})
    table["refund_rate"] = table["refunded"] / table["cases"]
    table.index = table.index.astype(str)
    return table


def reasons(frame: pd.DataFrame) -> pd.DataFrame:
    counts = frame["reason"].value_counts(sort=True)
    counts = counts[counts > 0]
    table = pd.DataFrame({"cases": counts, "share": counts / max(len(frame), 1)})
    table.index = table.index.astype(str).rename("reason")
    return table


def by_place(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Per supplier (key='supplier') or per item (key='product'): requests, returns and
    exchanges, refunds, the share with a reason the supplier is to blame for, and the most
    frequent reason for a return."""
    is_return = frame["type"].isin(RETURN_TYPES).to_numpy()
    fault = frame["reason"].isin(SUPPLIER_FAULT_REASONS).to_numpy()
    work = pd.DataFrame({key: frame[key], "returns": is_return, "fault": fault,
                         "refund_fen": frame["refund_fen"], "reason": frame["reason"]})
    groups = work.groupby(key, observed=True)
    table = pd.DataFrame({"cases": groups.size(), "returns": groups["returns"].sum(),
                          "fault_share": groups["fault"].mean(), "refund_fen": groups["refund_fen"].sum()})
    pairs = work[is_return].groupby([key, "reason"], observed=True).size()
    top = pairs.sort_values(ascending=False, kind="stable").groupby(level=0, observed=True).head(1)
    table["top_reason"] = pd.Series(top.index.get_level_values(1).astype(str),
                                    index=top.index.get_level_values(0)).reindex(table.index).fillna("")
    if key == "product":
        table["supplier"] = frame.groupby("product", observed=True)["supplier"].first().astype(str)
    table.index = table.index.astype(str)
    return table.sort_values(["returns", "cases"], ascending=False, kind="stable")


def by_hour(frame: pd.DataFrame, m: Measures) -> pd.DataFrame:
    """Requests per hour of the day (Asia/Shanghai) and how many of them missed the deadline."""
    hour = frame["applied_at"].dt.hour.to_numpy(dtype=np.int64, na_value=0)
    missed = m.needs_answer & ~m.on_time
    return pd.DataFrame({"cases": np.bincount(hour, minlength=24),
                         "missed": np.bincount(hour, weights=missed, minlength=24).astype(np.int64)},
                        index=pd.RangeIndex(24, name="hour"))


# ---- the strategy replay -------------------------------------------------------------------

CURRENT = "current"
_REPLAY_OPENED = datetime(2000, 1, 1, tzinfo=SHANGHAI)


def _states_when_deciding(kind: AfterSaleType,
                          intercepted: bool) -> list[tuple[Stage, ParcelState | None, bool]]:
    """Where the parcel was each time the assistant could have decided.

    Every request is decided when it arrives: before shipment nothing has left; after shipment
    the parcel is on its way; for a return or exchange the buyer has the goods. A parcel the
    export shows as intercepted gives the assistant a second chance when the interception
    succeeds (商家快递拦截成功自动退款).
    """
    if kind is AfterSaleType.UNSHIPPED_REFUND:
        return [(Stage.UNSHIPPED, None, False)]
    if kind is AfterSaleType.SHIPPED_REFUND:
        arrived = (Stage.SHIPPED, None, False)
        return [arrived, (Stage.SHIPPED, ParcelState.RETURNING, True)] if intercepted else [arrived]
    return [(Stage.RECEIVED, ParcelState.SIGNED_BY_BUYER, False)]


def _decides(policy: Policy, kind: AfterSaleType, intercepted: bool, supplier: Supplier) -> bool:
    case = Case(id="replay", order_id="replay", type=kind, status=Status.AWAIT_MERCHANT, requested_fen=1,
                opened_at=_REPLAY_OPENED)
    order = Order("replay", "", supplier.id, 1, "", "")
    return any(assistant_decision(policy, case, OrderState(order, stage=stage, parcel=parcel,
                                                           intercept_requested=intercept), supplier)
               is not None
               for stage, parcel, intercept in _states_when_deciding(kind, intercepted))


def replay_policies(policy: Policy) -> dict[str, Policy]:
    """Each strategy on its own (all others off), then the shop's current switches."""
    all_off = policy.with_strategies(**dict.fromkeys((s.value for s in Strategy), False))
    policies = {s.value: all_off.with_strategy(s, True) for s in Strategy}
    policies[CURRENT] = policy
    return policies


def handled(frame: pd.DataFrame, policy: Policy, suppliers: Mapping[str, Supplier]) -> np.ndarray:
    """Which rows the 售后小助手 would have answered on its own under `policy`."""
    types = frame["type"].cat.categories
    supplier_names = list(frame["supplier"].cat.categories)
    by_name = {s.name: s for s in suppliers.values()}
    nobody = Address("", "", "", "", "", "")
    # One key per kind of request: (type, intercepted, supplier); the engine decides each once.
    width = len(supplier_names) + 1
    key = ((frame["type"].cat.codes.to_numpy(dtype=np.int64) * 2
            + (frame["logistics"] == Logistics.INTERCEPTED.label).to_numpy())
           * width + frame["supplier"].cat.codes.to_numpy(dtype=np.int64) + 1)
    table = np.zeros(len(types) * 2 * width, dtype=bool)
    for k in np.flatnonzero(np.bincount(key[key >= 0], minlength=len(table))):
        type_code, rest = divmod(int(k), 2 * width)
        intercepted, supplier_code = divmod(rest, width)
        name = supplier_names[supplier_code - 1] if supplier_code else ""
        supplier = by_name.get(name) or Supplier("", name, nobody)
        table[k] = _decides(policy, AfterSaleType.from_label(types[type_code]), bool(intercepted), supplier)
    return table[key] & (key >= 0)


def replay(frame: pd.DataFrame, policy: Policy, suppliers: Mapping[str, Supplier],
           m: Measures) -> pd.DataFrame:
    """Per strategy: the requests it would have handled, the team's hours and the missed
    deadlines it would have saved, and how many of them the team had refused."""
    missed = m.needs_answer & ~m.on_time
    refused = frame["status"].isin(REFUSED).to_numpy()
    answered = ~np.isnan(m.answer_h)
    rows = {}
    for name, replay_policy in replay_policies(policy).items():
        mask = handled(frame, replay_policy, suppliers)
        rows[name] = {
            "handled": int(mask.sum()),
            "share": _share(int(mask.sum()), len(frame)),
            "hours_saved": float(m.answer_h[mask & answered].sum()),
            "missed_saved": int((mask & missed).sum()),
            "refused_before": int((mask & refused).sum()),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index = [t("export.replay_current") if k == CURRENT else Strategy(k).label for k in table.index]
    return table


# ---- one call for the lesson ---------------------------------------------------------------

def review(frame: pd.DataFrame, policy: Policy, suppliers: Mapping[str, Supplier],
           as_of: pd.Timestamp | None = None) -> Review:
    m = measures(frame, policy, as_of)
    return Review(
        summary=summary(frame, policy, m),
        times=times_by_type(frame, m),
        refunds=refunds_by_type(frame, m),
        reasons=reasons(frame),
        suppliers=by_place(frame, "supplier"),
        products=by_place(frame, "product"),
        hours=by_hour(frame, m),
        replay=replay(frame, policy, suppliers, m),
    )


def select(frame: pd.DataFrame, start: date | None = None, end: date | None = None,
           kind: str | None = None, supplier: str | None = None) -> pd.DataFrame:
    """The rows applied for between `start` and `end` (both days included), of one type and
    one supplier (None: all)."""
    keep = np.ones(len(frame), dtype=bool)
    applied = frame["applied_at"]
    if start is not None:
        keep &= (applied >= pd.Timestamp(start, tz=SHANGHAI)).to_numpy()
    if end is not None:
        keep &= (applied < pd.Timestamp(end + timedelta(days=1), tz=SHANGHAI)).to_numpy()
    if kind:
        keep &= (frame["type"] == kind).to_numpy()
    if supplier:
        keep &= (frame["supplier"] == supplier).to_numpy()
    return frame[keep]
