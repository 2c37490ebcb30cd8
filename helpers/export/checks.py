"""Lesson 08's checkpoints (数据复盘): each reads the course's sample export (or the broken one)
afresh, so it means the same whatever the trainee did with the review tool above it."""

from __future__ import annotations

import re
from functools import cache

from ..checkpoints import Verdict, check
from ..engine.model import load_suppliers
from ..engine.policy import load_policy
from ..paths import data_path
from .analytics import Review, export_moment, review, select
from .generate import broken_export
from .importer import ImportResult, read_export

FULL_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@cache
def _sample() -> ImportResult:
    return read_export(data_path("sample_aftersales.csv"))


def _review(kind: str | None = None) -> Review:
    frame = _sample().frame
    return review(select(frame, kind=kind), load_policy(), load_suppliers(), export_moment(frame))


@check("08-1", "有错误的文件：只拒绝有错的行，报告写明第几行、哪一列、错在哪")
def bad_rows_are_named() -> Verdict:
    report = read_export(broken_export(), "broken.csv").report
    if report.rows_rejected == 0 or report.rows_kept == 0:
        return Verdict(False, "有错的行要拒绝，没错的行要留下")
    if not any("第 5 行「退款金额(元)」" in line for line in report.lines()):
        return Verdict(False, "报告里应该写明「第 5 行「退款金额(元)」」错在哪")
    return Verdict(True)


@check("08-2", "导出表里的完整手机号，读进来就被打码：不显示、不保存")
def full_phones_are_masked() -> Verdict:
    result = read_export(broken_export(), "broken.csv")
    if FULL_PHONE.search(result.report.text(limit=100)):
        return Verdict(False, "导入报告里不该出现完整的手机号")
    tables = (result.frame, result.rejected)
    if any(FULL_PHONE.search(str(cell)) for table in tables for cell in table.to_numpy().ravel()):
        return Verdict(False, "读进来的表格里不该留着完整的手机号")
    return Verdict(True)


@check("08-3", "只看「退货退款」时，处理时效只算这一种售后")
def filter_keeps_one_type() -> Verdict:
    times = _review("退货退款").times
    return (Verdict(True) if list(times.index) == ["退货退款"]
            else Verdict(False, "筛选了「退货退款」，表里不该还有别的类型"))


@check("08-4", "退货要先找上家地址，所以比发货前的退款处理得慢")
def returns_are_slower() -> Verdict:
    times = _review().times
    if times.loc["退货退款", "answer_median_h"] <= times.loc["未发货仅退款", "answer_median_h"]:
        return Verdict(False, "示例数据里，退货退款的处理时长中位数应该比未发货仅退款长")
    return Verdict(True)


@check("08-5", "质量类原因占比最高的上家，就是该先去谈质量和包装的上家")
def the_upstream_to_talk_to() -> Verdict:
    worst = _review().suppliers["fault_share"].idxmax()
    return (Verdict(True) if worst == "临沂鲁南小家电总仓"
            else Verdict(False, f"示例数据里质量问题最多的应该是小家电总仓，现在是「{worst}」"))


@check("08-6", "策略回放：「未发货仅退款」都能交给小助手；「自动同意退货」会把客服拒绝过的单也同意掉")
def replay_shows_the_cost() -> Verdict:
    frame = _sample().frame
    replay = _review().replay
    if replay.loc["未发货仅退款自动同意", "handled"] != (frame["type"] == "未发货仅退款").sum():
        return Verdict(False, "每一单未发货仅退款都应该能交给小助手")
    if replay.loc["自动同意退货（上家地址）", "refused_before"] <= 0:
        return Verdict(False, "「自动同意退货」应该会同意一些客服拒绝过的单：开之前要先看这些单")
    return Verdict(True)
