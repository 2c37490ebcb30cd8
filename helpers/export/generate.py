"""A seeded, synthetic after-sales export shaped like the 抖店 back office's CSV.

The shop, its items and its upstream suppliers come from the hand-kept address book
(`data/products.csv`, `data/suppliers.csv`), which this module only reads. Buyers are invented
and their phones are masked (`138****5678`). The patterns are plausible, not measured: more
requests at lunchtime and in the evening and at weekends, reasons that depend on the type and on
the supplier, answers slower at night and at weekends, and a few missed deadlines.

Everything is vectorised with numpy, so the benchmark's million rows take seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ..engine.codes import AfterSaleType, Status
from ..engine.model import SHANGHAI, load_products, load_suppliers
from ..engine.policy import Policy, load_policy
from ..paths import data_path
from .columns import COLUMNS, Logistics

SAMPLE_ROWS = 3000
SAMPLE_SEED = 8
# The sample covers one quarter ending at a fixed moment, so it is the same on every machine.
SAMPLE_END = datetime(2026, 10, 31, 23, 59, 59, tzinfo=SHANGHAI)
SAMPLE_DAYS = 92

T = AfterSaleType
TYPE_SHARES = {T.UNSHIPPED_REFUND: 0.34, T.SHIPPED_REFUND: 0.2, T.RETURN_REFUND: 0.36, T.EXCHANGE: 0.1}

# Requests per hour of the day (index 0 = 00:00-01:00): quiet at night, peaks at noon and evening.
HOUR_WEIGHTS = np.array([3, 2, 1, 1, 1, 1, 2, 3, 5, 7, 8, 9, 10, 9, 8, 8, 8, 8, 9, 11, 13, 14, 12, 7],
                        dtype=float)
# Monday .. Sunday: buyers have more time at the weekend.
WEEKDAY_WEIGHTS = np.array([1.0, 0.95, 0.95, 1.0, 1.05, 1.3, 1.35])

REASONS: dict[AfterSaleType, dict[str, float]] = {
    T.UNSHIPPED_REFUND: {"不想要了": 35, "拍错/多拍": 25, "发货太慢": 18, "地址信息填写错误": 12,
                         "协商一致退款": 10},
    T.SHIPPED_REFUND: {"不想要了": 30, "快递一直未送达": 25, "发货太慢": 20, "拍错/多拍": 15,
                       "地址信息填写错误": 10},
    T.RETURN_REFUND: {"七天无理由退货": 30, "质量问题": 16, "尺码/规格不合适": 15, "与商品描述不符": 12,
                      "收到商品破损": 10, "不想要了": 10, "发错货": 7},
    T.EXCHANGE: {"尺码/规格不合适": 55, "颜色/款式不喜欢": 20, "质量问题": 15, "发错货": 10},
}
# How each supplier bends the reasons: the small-appliance depot ships more faulty goods, the
# clothes stall more wrong sizes, food breaks in transit and has no 七天无理由 (消保法 §25).
SUPPLIER_REASON_FACTORS: dict[str, dict[str, float]] = {
    "S02": {"尺码/规格不合适": 2.0},
    "S03": {"质量问题": 3.5, "收到商品破损": 1.5},
    "S04": {"七天无理由退货": 0.0, "收到商品破损": 2.5, "质量问题": 1.5},
    "S05": {"尺码/规格不合适": 1.8},
}
# How popular each supplier's items are for each type (clothes and shoes are exchanged more).
SUPPLIER_TYPE_FACTORS: dict[str, dict[AfterSaleType, float]] = {
    "S02": {T.EXCHANGE: 2.5, T.RETURN_REFUND: 1.3},
    "S03": {T.RETURN_REFUND: 1.4, T.EXCHANGE: 0.3},
    "S04": {T.EXCHANGE: 0.1, T.RETURN_REFUND: 0.6},
    "S05": {T.EXCHANGE: 2.0},
}
# Final outcome shares per type: (status, share). Open statuses come from the export moment.
OUTCOMES: dict[AfterSaleType, tuple[tuple[Status, float], ...]] = {
    T.UNSHIPPED_REFUND: ((Status.SUCCESS, 0.9), (Status.REFUSED_FIRST, 0.03), (Status.CANCELLED, 0.07)),
    T.SHIPPED_REFUND: ((Status.SUCCESS, 0.82), (Status.REFUSED_FIRST, 0.08), (Status.CANCELLED, 0.1)),
    T.RETURN_REFUND: ((Status.SUCCESS, 0.74), (Status.REFUSED_FIRST, 0.06), (Status.FAILED, 0.06),
                      (Status.REFUSED_SECOND, 0.03), (Status.CANCELLED, 0.11)),
    T.EXCHANGE: ((Status.EXCHANGE_SUCCESS, 0.78), (Status.REFUSED_FIRST, 0.06), (Status.FAILED, 0.06),
                 (Status.CANCELLED, 0.1)),
}
# Where a 已发货仅退款 parcel ended up.
SHIPPED_LOGISTICS = ((Logistics.REFUSED, 0.45), (Logistics.INTERCEPTED, 0.2),
                     (Logistics.BACK_AT_MERCHANT, 0.35))
PHONE_PREFIXES = np.array(["133", "135", "136", "137", "138", "139", "150", "151", "152", "157",
                           "158", "159", "177", "180", "181", "186", "187", "188", "189", "199"])
WORK_START, WORK_END = 9, 22  # the shop's customer-service hours
LATE_SHARE, LATE_SHARE_WEEKEND = 0.03, 0.07
HOUR = np.timedelta64(3600, "s")


def _hours(rng: np.random.Generator, median: float, sigma: float, n: int) -> np.ndarray:
    return rng.lognormal(np.log(median), sigma, n)


def _pick(rng: np.random.Generator, choices: tuple, n: int) -> np.ndarray:
    values = np.array([c for c, _ in choices], dtype=object)
    shares = np.array([s for _, s in choices], dtype=float)
    return values[rng.choice(len(values), n, p=shares / shares.sum())]


def _apply_times(rng: np.random.Generator, n: int, end: datetime, days: int) -> np.ndarray:
    first_day = np.datetime64(end.replace(tzinfo=None).date()) - np.timedelta64(days - 1, "D")
    day_list = first_day + np.arange(days)
    weekday = (day_list.astype("datetime64[D]").view("int64") - 4) % 7  # 1970-01-01 was a Thursday
    day_weights = WEEKDAY_WEIGHTS[weekday] * np.linspace(0.9, 1.1, days)  # a shop that grows
    day = day_list[rng.choice(days, n, p=day_weights / day_weights.sum())]
    hour = rng.choice(24, n, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    seconds = hour * 3600 + rng.integers(0, 3600, n)
    return np.sort(day.astype("datetime64[s]") + seconds.astype("timedelta64[s]"))


def _answer_delay(rng: np.random.Generator, applied: np.ndarray, types: np.ndarray) -> np.ndarray:
    """Hours until the team answers: quick in service hours, next morning at night; a return
    or exchange takes longer (the supplier's return address must be found first)."""
    n = len(applied)
    hour_of_day = (applied.astype("datetime64[h]") - applied.astype("datetime64[D]")).astype(int)
    weekday = (applied.astype("datetime64[D]").view("int64") - 4) % 7
    night = (hour_of_day < WORK_START) | (hour_of_day >= WORK_END)
    to_morning = np.where(hour_of_day >= WORK_END, 24 + WORK_START - hour_of_day, WORK_START - hour_of_day)
    delay = np.where(night, _hours(rng, 0.7, 0.8, n), _hours(rng, 1.2, 0.9, n))
    delay *= np.select([np.isin(types, [T.RETURN_REFUND, T.EXCHANGE]), types == T.UNSHIPPED_REFUND],
                       [1.8, 0.6], 1.0)
    # Fewer hands at the weekend: the work itself is slower, the wait for the morning is not.
    delay = np.where(weekday >= 5, delay * 1.6, delay)
    return np.where(night, to_morning + delay, delay)


def generate_export(rows: int = SAMPLE_ROWS, seed: int = SAMPLE_SEED, *, end: datetime = SAMPLE_END,
                    days: int = SAMPLE_DAYS, policy: Policy | None = None) -> pd.DataFrame:
    """A synthetic export of `rows` after-sales: Chinese headers, every value as text."""
    rng = np.random.default_rng(seed)
    policy = policy or load_policy()
    answer_limit = policy.deadline_for(Status.AWAIT_MERCHANT).hours
    buyer_limit = policy.deadline_for(Status.AWAIT_BUYER_RETURN).hours
    products = list(load_products().values())
    suppliers = load_suppliers()
    n = rows

    types = _pick(rng, tuple(TYPE_SHARES.items()), n)
    applied = _apply_times(rng, n, end, days)

    # Item per request, weighted by how the item's supplier leans for that type.
    product_index = np.empty(n, dtype=int)
    for kind in TYPE_SHARES:
        where = np.flatnonzero(types == kind)
        weights = np.array([SUPPLIER_TYPE_FACTORS.get(p.supplier_id, {}).get(kind, 1.0) for p in products])
        product_index[where] = rng.choice(len(products), len(where), p=weights / weights.sum())
    price_fen = np.array([p.price_fen for p in products])[product_index]
    supplier_ids = np.array([p.supplier_id for p in products])[product_index]

    reasons = np.empty(n, dtype=object)
    for kind, table in REASONS.items():
        for supplier_id in suppliers:
            where = np.flatnonzero((types == kind) & (supplier_ids == supplier_id))
            factors = SUPPLIER_REASON_FACTORS.get(supplier_id, {})
            weighted = tuple((r, w * factors.get(r, 1.0)) for r, w in table.items())
            reasons[where] = _pick(rng, weighted, len(where))

    status = np.empty(n, dtype=object)
    for kind, outcomes in OUTCOMES.items():
        where = np.flatnonzero(types == kind)
        status[where] = _pick(rng, outcomes, len(where))

    logistics = np.where(types == T.UNSHIPPED_REFUND, Logistics.UNSHIPPED, Logistics.SIGNED).astype(object)
    shipped = np.flatnonzero(types == T.SHIPPED_REFUND)
    logistics[shipped] = _pick(rng, SHIPPED_LOGISTICS, len(shipped))
    # A refused or withdrawn 仅退款 usually means the buyer took the parcel after all.
    logistics[(types == T.SHIPPED_REFUND) & np.isin(status, [Status.REFUSED_FIRST, Status.CANCELLED])] = \
        Logistics.SIGNED

    # The team's answer; a few are never given and the platform decides at the deadline.
    delay = _answer_delay(rng, applied, types)
    weekend = ((applied.astype("datetime64[D]").view("int64") - 4) % 7) >= 5
    timed_out = rng.random(n) < np.where(weekend, LATE_SHARE_WEEKEND, LATE_SHARE)
    cancelled = status == Status.CANCELLED
    timed_out &= ~cancelled
    status[timed_out & np.isin(types, [T.UNSHIPPED_REFUND, T.SHIPPED_REFUND])] = Status.SUCCESS
    refused_first = status == Status.REFUSED_FIRST
    status[timed_out & refused_first & (types == T.RETURN_REFUND)] = Status.SUCCESS
    status[timed_out & refused_first & (types == T.EXCHANGE)] = Status.EXCHANGE_SUCCESS
    delay = np.where(timed_out, answer_limit, delay)
    # A buyer who withdraws often does so before anyone answered.
    withdrew_early = cancelled & (rng.random(n) < 0.6)
    delay = np.where(withdrew_early, delay * rng.uniform(0.1, 0.9, n), delay)
    answered = applied + (delay * 3600).astype("timedelta64[s]")

    # The rest of each case, in hours after the answer.
    parcel_back = _hours(rng, 60, 0.5, n)            # a refused or intercepted parcel comes back
    ship_back = _hours(rng, 30, 0.8, n)              # the buyer posts the goods
    transit = _hours(rng, 55, 0.35, n)               # goods travel to the supplier
    review = _hours(rng, 12, 0.9, n)                 # second review after arrival
    reship = transit + _hours(rng, 60, 0.4, n)       # exchange: new goods travel to the buyer
    is_return = np.isin(types, [T.RETURN_REFUND, T.EXCHANGE])
    after = np.zeros(n)
    after = np.where(types == T.SHIPPED_REFUND, parcel_back, after)
    after = np.where(is_return, ship_back + transit + review, after)
    after = np.where(types == T.EXCHANGE, ship_back + transit + review + reship, after)
    after = np.where(status == Status.FAILED, buyer_limit, after)
    after = np.where(status == Status.REFUSED_SECOND, ship_back + transit + review, after)
    after = np.where((status == Status.REFUSED_FIRST) | cancelled, 0.0, after)
    cancel_later = cancelled & ~withdrew_early & is_return
    after = np.where(cancel_later, ship_back * rng.uniform(0.1, 0.9, n), after)
    closed = answered + (after * 3600).astype("timedelta64[s]")

    # Cases still open at the moment of the export get the status of the node they are in.
    export_at = np.datetime64(end.replace(tzinfo=None), "s")
    unanswered = answered > export_at
    open_case = closed > export_at
    returned_at = answered + ((ship_back + transit) * 3600).astype("timedelta64[s]")
    reshipped_at = returned_at + (review * 3600).astype("timedelta64[s]")
    open_status = np.where(is_return & (returned_at > export_at), Status.AWAIT_BUYER_RETURN,
                           Status.AWAIT_SECOND_REVIEW)
    open_status = np.where((types == T.EXCHANGE) & (reshipped_at <= export_at), Status.AWAIT_BUYER_RECEIVE,
                           open_status)
    open_status = np.where(is_return, open_status, Status.AWAIT_MERCHANT)
    open_status = np.where(unanswered, Status.AWAIT_MERCHANT, open_status)
    status = np.where(open_case, open_status, status)
    no_answer = unanswered | timed_out | withdrew_early
    shipped_refund_open = open_case & (types == T.SHIPPED_REFUND)
    logistics[shipped_refund_open & ~unanswered] = Logistics.RETURNING
    logistics[shipped_refund_open & unanswered] = Logistics.IN_TRANSIT

    partial = (types == T.RETURN_REFUND) & (rng.random(n) < 0.1)
    refund = np.where(partial, (price_fen * rng.uniform(0.2, 0.8, n) / 10).astype(int) * 10, price_fen)
    refund = np.where(status == Status.SUCCESS, refund, 0)

    case_ids = 7_320_000_000_000_000_000 + np.cumsum(rng.integers(1, 20_000, n))
    order_ids = 6_930_000_000_000_000_000 + np.sort(rng.choice(10**15, n, replace=False))
    order_ids = rng.permutation(order_ids) if n > 1 else order_ids
    phones = np.char.add(np.char.add(rng.choice(PHONE_PREFIXES, n), "****"),
                         np.char.zfill(rng.integers(0, 10_000, n).astype(str), 4))

    values = {
        "case_id": case_ids.astype(str),
        "order_id": order_ids.astype(str),
        "type": _labels(types),
        "status": _labels(status),
        "applied_at": _stamp(applied, np.zeros(n, dtype=bool)),
        "answered_at": _stamp(answered, no_answer),
        "closed_at": _stamp(closed, open_case),
        "refund_fen": _yuan_text(refund),
        "reason": reasons.astype(str),
        "product": np.array([p.name for p in products])[product_index],
        "supplier": np.array([suppliers[s].name for s in supplier_ids]) if n else np.array([], str),
        "logistics": _labels(logistics),
        "buyer_phone": phones,
    }
    return pd.DataFrame({c.name: values[c.key] for c in COLUMNS})


def _labels(members: np.ndarray) -> np.ndarray:
    lookup: Mapping = {m: m.label for m in set(members)}
    return np.array([lookup[m] for m in members], dtype=object).astype(str)


def _stamp(times: np.ndarray, empty: np.ndarray) -> np.ndarray:
    text = np.char.replace(np.datetime_as_string(times, unit="s"), "T", " ")
    return np.where(empty, "", text)


def _yuan_text(fen: np.ndarray) -> np.ndarray:
    return np.char.add(np.char.add((fen // 100).astype(str), "."), np.char.zfill((fen % 100).astype(str), 2))


def write_export(path: Path, rows: int = SAMPLE_ROWS, seed: int = SAMPLE_SEED, **options: object) -> Path:
    """Write a synthetic export as the back office does: CSV, UTF-8 with BOM (Excel opens it)."""
    frame = generate_export(rows, seed, **options)
    frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    return path


def write_sample() -> Path:
    """(Re)write the course's sample, `data/sample_aftersales.csv`; the same bytes every time."""
    return write_export(data_path("sample_aftersales.csv"))


def broken_export() -> bytes:
    """A small export with the mistakes lesson 08 teaches to read in a report (CSV bytes).

    Row numbers as Excel shows them (header = row 1): row 3 has a date that does not exist,
    row 5 a negative refund, row 7 repeats row 2's 售后单号, row 9 carries a buyer's full phone
    number (masked on import, never shown) and row 10 a reason that looks like a formula.
    """
    frame = generate_export(12, seed=80)
    names = {c.key: c.name for c in COLUMNS}
    frame.loc[1, names["applied_at"]] = "2026-02-30 10:15:00"
    frame.loc[3, names["refund_fen"]] = "-45.80"
    frame.loc[5, names["case_id"]] = frame.loc[0, names["case_id"]]
    # Built here, never stored: the repository holds no unmasked phone number.
    frame.loc[7, names["buyer_phone"]] = "139" + "0013" + "8000"
    frame.loc[8, names["reason"]] = '=HYPERLINK("http://example.invalid","点此退款")'
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
