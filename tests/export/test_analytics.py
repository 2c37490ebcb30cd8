"""The sample generator and the analytics of lesson 08: figures checked on hand-made rows, the
deadline read from the policy, and the strategy replay agreeing with the engine."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pytest

from helpers import AfterSaleType, Strategy, load_policy, load_products, load_suppliers
from helpers.engine.policy import parse_policy
from helpers.engine.scenarios import outcome
from helpers.export.analytics import handled, measures, replay_policies, review, select
from helpers.export.generate import generate_export, write_export
from helpers.export.importer import read_export
from helpers.paths import data_path

HEADER = ",".join(["售后单号", "售后类型", "售后状态", "申请时间", "商家处理时间", "完结时间", "退款金额(元)",
                   "售后原因", "商品名称", "上家", "物流状态"])
# Ten hand-made requests whose figures can be worked out on paper (deadline 48 h). Times are
# "MM-DD hh" in September 2026; items are products.csv ids; types and statuses are abbreviated.
TYPES = {"U": "未发货仅退款", "S": "已发货仅退款", "R": "退货退款", "X": "换货"}
STATUSES = {"ok": "售后成功", "xok": "换货成功", "wd": "买家已撤销", "no": "商家一次拒绝",
            "wait": "待商家同意"}
ROWS = [
    ("A1", "U", "ok", "09-01 10", "09-01 11", "09-01 11", "39.90", "不想要了", "P01", "未发货"),
    ("A2", "U", "ok", "09-01 22", "09-02 09", "09-02 09", "59.00", "拍错/多拍", "P02", "未发货"),
    ("A3", "U", "wd", "09-02 10", "", "09-02 10", "0", "不想要了", "P01", "未发货"),
    ("A4", "S", "ok", "09-03 10", "09-03 13", "09-05 10", "99.00", "不想要了", "P05", "买家已拒签"),
    ("A5", "S", "ok", "09-03 12", "09-06 12", "09-06 12", "69.90", "发货太慢", "P06", "拦截成功"),
    ("A6", "R", "ok", "09-04 10", "09-04 12", "09-10 10", "99.00", "质量问题", "P05", "买家已签收"),
    ("A7", "R", "no", "09-05 10", "09-05 20", "09-05 20", "0", "七天无理由退货", "P03", "买家已签收"),
    ("A8", "X", "xok", "09-06 10", "09-06 14", "09-16 10", "0", "尺码/规格不合适", "P03", "买家已签收"),
    ("A9", "R", "wait", "09-07 09", "", "", "0", "收到商品破损", "P07", "买家已签收"),
    ("A10", "U", "wait", "09-16 09", "", "", "0", "不想要了", "P01", "未发货"),
]


def _csv(rows: list[tuple]) -> bytes:
    products, suppliers = load_products(), load_suppliers()

    def when(short: str) -> str:
        return f"2026-{short}:00:00" if short else ""

    lines = [HEADER]
    for case, kind, status, applied, answered, closed, amount, reason, product, parcel in rows:
        item = products[product]
        lines.append(",".join([case, TYPES[kind], STATUSES[status], when(applied), when(answered),
                               when(closed), amount, reason, item.name, suppliers[item.supplier_id].name,
                               parcel]))
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    result = read_export(_csv(ROWS), "small.csv")
    assert result.report.exit_code == 0
    return result.frame


def test_the_generator_is_seeded_and_the_committed_sample_is_its_output(tmp_path):
    assert generate_export(50, seed=3).equals(generate_export(50, seed=3))
    assert not generate_export(50, seed=3).equals(generate_export(50, seed=4))
    fresh = write_export(tmp_path / "sample.csv")
    assert fresh.read_bytes() == data_path("sample_aftersales.csv").read_bytes()


def test_the_sample_is_synthetic_and_masked():
    text = data_path("sample_aftersales.csv").read_text(encoding="utf-8-sig")
    assert not re.search(r"(?<![\d*])1[3-9]\d{9}(?![\d*])", text)
    phones = pd.read_csv(data_path("sample_aftersales.csv"), dtype=str)["买家手机号"]
    assert phones.str.fullmatch(r"1[3-9]\d\*{4}\d{4}").all()


def test_the_sample_has_the_patterns_the_lesson_talks_about():
    frame = read_export(data_path("sample_aftersales.csv")).frame
    assert 2000 <= len(frame) <= 5000
    r = review(frame, load_policy(), load_suppliers())
    # Evenings are busier than early mornings; some answers missed the deadline.
    assert r.hours.loc[21, "cases"] > 5 * r.hours.loc[4, "cases"]
    assert 0 < r.summary.missed < 0.1 * len(frame)
    # The small-appliance depot has the most quality complaints; clothes lead the exchanges.
    assert r.suppliers["fault_share"].idxmax() == "临沂鲁南小家电总仓"
    assert r.suppliers.loc["临沂鲁南小家电总仓", "top_reason"] == "质量问题"
    # Returns wait longer for an answer than refunds before shipment (the address is looked up).
    assert r.times.loc["退货退款", "answer_median_h"] > r.times.loc["未发货仅退款", "answer_median_h"]


def test_times_and_deadline_share_worked_out_by_hand(small):
    r = review(small, load_policy(), load_suppliers())
    times = r.times
    assert times.loc["未发货仅退款", "answer_median_h"] == pytest.approx(6.0)   # 1 h and 11 h
    assert times.loc["已发货仅退款", "answer_median_h"] == pytest.approx(37.5)  # 3 h and 72 h
    assert times.loc["已发货仅退款", "answer_p90_h"] == pytest.approx(3 + 0.9 * 69)
    assert times.loc["退货退款", "finish_median_h"] == pytest.approx((144 + 10) / 2)
    # The export ends 09-16 10:00. A3 was withdrawn before an answer and A10 is an hour old:
    # neither counts. A5 (72 h) and A9 (never answered) missed the deadline; six made it.
    s = r.summary
    assert (s.missed, s.on_time_share) == (2, pytest.approx(6 / 8))
    assert s.deadline_h == 48
    assert s.refund_rate == pytest.approx(5 / 10)
    assert s.refund_fen == 3990 + 5900 + 9900 + 6990 + 9900
    assert times.loc["退货退款", "missed"] == 1


def test_the_deadline_comes_from_the_policy(small):
    text = data_path("policy.toml").read_text(encoding="utf-8").replace("hours = 48", "hours = 2")
    strict = parse_policy(text)
    m = measures(small, strict)
    # With 2 hours only A1 (1 h) and A6 (2 h) were in time.
    assert set(small.loc[m.on_time, "case_id"]) == {"A1", "A6"}
    assert int(m.needs_answer.sum()) == 8


def test_refunds_reasons_and_places(small):
    r = review(small, load_policy(), load_suppliers())
    assert r.refunds.loc["未发货仅退款", "refund_rate"] == pytest.approx(2 / 4)
    assert r.refunds.loc["换货", "refunded"] == 0
    assert r.reasons.index[0] == "不想要了" and r.reasons.iloc[0]["cases"] == 4
    suppliers = r.suppliers
    assert suppliers.loc["广州花城服饰档口", "returns"] == 2
    assert suppliers.loc["临沂鲁南小家电总仓", "fault_share"] == pytest.approx(1 / 3)
    assert suppliers.loc["临沂鲁南小家电总仓", "top_reason"] == "质量问题"
    assert r.products.loc["纯棉印花 T 恤", "supplier"] == "广州花城服饰档口"
    assert r.hours["cases"].sum() == 10 and r.hours.loc[10, "cases"] == 6


def test_the_replay_by_hand(small):
    replay = review(small, load_policy(), load_suppliers()).replay
    assert replay.loc["未发货仅退款自动同意", "handled"] == 4
    assert replay.loc["未发货仅退款自动同意", "hours_saved"] == pytest.approx(1 + 11)
    # 拒签后退款 agrees when the request arrives, before anyone intercepts: A4 and A5.
    assert replay.loc["拒签后退款", "handled"] == 2
    assert replay.loc["快递拦截成功自动退款", "handled"] == 1               # A5
    assert replay.loc["快递拦截成功自动退款", "missed_saved"] == 1          # A5 took 72 h
    assert replay.loc["自动同意退货（上家地址）", "handled"] == 3           # A6, A7, A9, not A8
    assert replay.loc["自动同意退货（上家地址）", "refused_before"] == 1     # A7 was refused
    # policy.toml switches the first three on: together they handle A1-A5 and A10.
    assert replay.iloc[-1]["handled"] == 6


T = AfterSaleType
# Every modelled type; only a parcel on its way can be intercepted.
REQUESTS = [(T.UNSHIPPED_REFUND, False), (T.SHIPPED_REFUND, False), (T.SHIPPED_REFUND, True),
            (T.RETURN_REFUND, False), (T.EXCHANGE, False)]


@pytest.mark.parametrize("strategy", list(Strategy))
@pytest.mark.parametrize(("kind", "intercepted"), REQUESTS)
def test_the_replay_agrees_with_the_engine(strategy, kind, intercepted):
    """A request the replay says a strategy handles is one the engine's assistant handles."""
    moves = ["申请快递拦截", "快递退回中"] if intercepted else []
    engine = outcome(kind, moves, strategies=[strategy]).auto is not None
    logistics = "拦截成功" if intercepted else "买家已签收"
    text = (f"{HEADER}\nX1,{kind.label},售后成功,2026-09-01 10:00:00,,,0,不想要了,迷你电热水壶,"
            f"临沂鲁南小家电总仓,{logistics}\n")
    frame = read_export(text.encode(), "one.csv").frame
    policy = replay_policies(load_policy())[strategy.value]
    assert bool(handled(frame, policy, load_suppliers())[0]) is engine


def test_an_unknown_supplier_gets_no_automatic_return(small):
    frame = small.copy()
    frame["supplier"] = frame["supplier"].cat.rename_categories(
        {"临沂鲁南小家电总仓": "一家地址簿里没有的上家"})
    policy = replay_policies(load_policy())[Strategy.AUTO_AGREE_RETURN.value]
    mask = handled(frame, policy, load_suppliers())
    assert list(frame.loc[mask, "case_id"]) == ["A7", "A9"]


def test_select_by_days_type_and_supplier(small):
    assert list(select(small, date(2026, 9, 2), date(2026, 9, 3))["case_id"]) == ["A3", "A4", "A5"]
    assert list(select(small, kind="换货")["case_id"]) == ["A8"]
    assert list(select(small, supplier="广州花城服饰档口", kind="退货退款")["case_id"]) == ["A7"]
    assert select(small, date(2027, 1, 1)).empty


def test_an_empty_selection_gives_empty_tables_not_errors(small):
    r = review(small.iloc[:0], load_policy(), load_suppliers())
    assert r.summary.cases == 0 and np.isnan(r.summary.on_time_share)
    assert r.times.empty and r.reasons.empty and r.suppliers.empty
    assert (r.replay["handled"] == 0).all()
