"""The shop's rules, read from `data/policy.toml`: strategy switches and deadlines.

Code never hard-codes a deadline; it asks the policy. A policy is a frozen value, so a widget
that flips a strategy builds a new policy with `with_strategy` and nothing else changes.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from types import MappingProxyType

from ..paths import data_path
from .codes import AutoAuditKind, Labeled, Status


class Strategy(Labeled):
    """售后小助手 strategies the course models; the value is the key in policy.toml."""

    UNSHIPPED_AUTO_REFUND = "unshipped_auto_refund", "未发货仅退款自动同意"
    REFUND_AFTER_REFUSAL = "refund_after_refusal", "拒签后退款"
    INTERCEPT_AUTO_REFUND = "intercept_auto_refund", "快递拦截成功自动退款"
    AUTO_AGREE_RETURN = "auto_agree_return", "自动同意退货（上家地址）"


class TimeoutOutcome(Labeled):
    """What a passed deadline does to its node: chosen per node in policy.toml (`outcome`).

    None of these is confirmed for 抖店 (platform-facts A7): they are the course's own rules.
    """

    REFUND_BUYER = "refund_buyer", "按买家的申请退款"
    CLOSE_FAILED = "close_failed", "售后关闭（售后失败）"
    CONFIRM_RECEIPT = "confirm_receipt", "自动确认收货，换货成功"


# The nodes each outcome fits (自动确认收货, for one, only fits 换货待买家收货).
OUTCOME_NODES = {
    TimeoutOutcome.REFUND_BUYER: frozenset({Status.AWAIT_MERCHANT, Status.AWAIT_SECOND_REVIEW}),
    TimeoutOutcome.CLOSE_FAILED: frozenset({Status.AWAIT_MERCHANT, Status.AWAIT_BUYER_RETURN,
                                            Status.AWAIT_SECOND_REVIEW}),
    TimeoutOutcome.CONFIRM_RECEIPT: frozenset({Status.AWAIT_BUYER_RECEIVE}),
}


class PolicyError(Exception):
    """policy.toml is missing, malformed or lacks a value; the message says where."""


@dataclass(frozen=True)
class StrategySetting:
    strategy: Strategy
    name: str
    enabled: bool
    auto_audit: AutoAuditKind
    source: str


@dataclass(frozen=True)
class Deadline:
    key: str
    status: Status
    label: str
    hours: float
    example: bool
    on_timeout: str
    source: str
    outcome: TimeoutOutcome = TimeoutOutcome.CLOSE_FAILED
    record_missed: bool = False  # whether a passed deadline is recorded as 商家超时

    @property
    def duration(self) -> timedelta:
        return timedelta(hours=self.hours)


@dataclass(frozen=True)
class Policy:
    strategies: Mapping[Strategy, StrategySetting]
    deadlines: Mapping[str, Deadline]
    no_reason_return_days: int
    sms_notices_per_case: int
    notice: str = ""
    source_file: str = ""

    def is_on(self, strategy: Strategy) -> bool:
        return self.strategies[strategy].enabled

    def deadline_for(self, status: Status) -> Deadline | None:
        """The deadline of the node `status`, or None when that node has no clock."""
        return next((d for d in self.deadlines.values() if d.status is status), None)

    def with_strategy(self, strategy: Strategy, enabled: bool) -> Policy:
        """A copy with one strategy switched; the original stays as it was."""
        strategies = dict(self.strategies)
        strategies[strategy] = replace(strategies[strategy], enabled=enabled)
        return replace(self, strategies=MappingProxyType(strategies))

    def with_strategies(self, **enabled: bool) -> Policy:
        policy = self
        for key, on in enabled.items():
            policy = policy.with_strategy(Strategy(key), on)
        return policy


def _require(table: dict, key: str, kind: type, where: str) -> object:
    if key not in table:
        raise PolicyError(f"policy.toml 的 [{where}] 缺少「{key}」")
    value = table[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind):
        raise PolicyError(f"policy.toml 的 [{where}] 中「{key}」应为{_KIND_NAMES[kind]}，现为 {value!r}")
    return value


_KIND_NAMES = {bool: "true/false", int: "整数", float: "数字", str: "文字"}


def parse_policy(text: str, source_file: str = "policy.toml") -> Policy:
    """Build a Policy from the text of a policy.toml; errors name the table and the key."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"{source_file} 格式有误：{error}") from error

    strategies: dict[Strategy, StrategySetting] = {}
    raw_strategies = raw.get("strategies", {})
    for strategy in Strategy:
        where = f"strategies.{strategy.value}"
        table = raw_strategies.get(strategy.value)
        if table is None:
            raise PolicyError(f"{source_file} 缺少策略 [{where}]（{strategy.label}）")
        bit = _require(table, "auto_audit", int, where)
        try:
            kind = AutoAuditKind(bit)
        except ValueError:
            raise PolicyError(f"[{where}] 的 auto_audit = {bit} 不是平台的自动审核方式代码") from None
        strategies[strategy] = StrategySetting(
            strategy=strategy,
            name=_require(table, "name", str, where),
            enabled=_require(table, "enabled", bool, where),
            auto_audit=kind,
            source=_require(table, "source", str, where),
        )

    deadlines: dict[str, Deadline] = {}
    for key, table in raw.get("deadlines", {}).items():
        where = f"deadlines.{key}"
        code = _require(table, "status", int, where)
        try:
            status = Status(code)
        except ValueError:
            raise PolicyError(f"[{where}] 的 status = {code} 不是售后状态码") from None
        hours = _require(table, "hours", float, where)
        if hours <= 0:
            raise PolicyError(f"[{where}] 的 hours 必须大于 0，现为 {hours}")
        outcome = _outcome(table, where, status)
        deadlines[key] = Deadline(
            outcome=outcome,
            record_missed=_require(table, "record_missed", bool, where),
            key=key,
            status=status,
            label=_require(table, "label", str, where),
            hours=hours,
            example=_require(table, "example", bool, where),
            on_timeout=_require(table, "on_timeout", str, where),
            source=_require(table, "source", str, where),
        )
    if len({d.status for d in deadlines.values()}) != len(deadlines):
        raise PolicyError(f"{source_file}：同一个售后状态定义了两个时限")

    limits = raw.get("limits", {})
    return Policy(
        strategies=MappingProxyType(strategies),
        deadlines=MappingProxyType(deadlines),
        no_reason_return_days=_require(limits, "no_reason_return_days", int, "limits"),
        sms_notices_per_case=_require(limits, "sms_notices_per_case", int, "limits"),
        notice=raw.get("meta", {}).get("notice", ""),
        source_file=source_file,
    )


def _outcome(table: dict, where: str, status: Status) -> TimeoutOutcome:
    name = _require(table, "outcome", str, where)
    try:
        outcome = TimeoutOutcome(name)
    except ValueError:
        choices = "、".join(f"{o.value}（{o.zh}）" for o in TimeoutOutcome)
        raise PolicyError(f"[{where}] 的 outcome = {name!r} 不是可选的超时结果；可选：{choices}") from None
    if status not in OUTCOME_NODES[outcome]:
        raise PolicyError(f"[{where}] 的 outcome「{outcome.zh}」不适用于状态「{status.zh}」")
    return outcome


def load_policy(path: Path | None = None) -> Policy:
    """The shop's policy from `data/policy.toml` (or `path`)."""
    path = path or data_path("policy.toml")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PolicyError(f"读不到规则文件 {path}：{error.strerror}") from error
    return parse_policy(text, path.name)
