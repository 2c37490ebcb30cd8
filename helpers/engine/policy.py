"""The shop's rules, read from `data/policy.toml`: strategy switches and deadlines.

Code never hard-codes a deadline; it asks the policy. A policy is a frozen value, so a widget
that flips a strategy builds a new policy with `with_strategy` and nothing else changes.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from types import MappingProxyType

from ..paths import data_path
from ..strings import t
from .codes import AfterSaleType, AutoAuditKind, Evidence, Labeled, Status
from .datafiles import BOM, DataFileError, read_text, shown, toml_line


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


class PolicyError(DataFileError):
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


class ReasonCheck(Labeled):
    """How 客服介入 tells whether a refusal's reason holds (the course's own rule): each reject
    reason in policy.toml names one of these."""

    NO_REASON_EXEMPT = "no_reason_exempt", "商品不在七天无理由范围内，买家却选了七天无理由"
    PAST_NO_REASON_PERIOD = "past_no_reason_period", "七天无理由已过期"
    CLAIM_FALSE = "claim_false", "买家说的情况不属实"


class GoodsReceived(Labeled):
    """Whether a reject reason fits a buyer who has the goods (the reject list's `pkg`, A3)."""

    RECEIVED = "received", "已收到货"
    NOT_RECEIVED = "not_received", "未收到货"
    ANY = "any", "收没收到都可以"


@dataclass(frozen=True)
class RejectReason:
    """One reason of the reject list (/afterSale/rejectReasonCodeList, A3). The codes and which
    evidence counts are the course's examples."""

    code: int
    label: str
    types: frozenset[AfterSaleType]
    received: GoodsReceived
    evidence_need: bool
    evidence: frozenset[Evidence]
    holds: ReasonCheck
    source: str

    def fits(self, type_: AfterSaleType, got_pkg: bool) -> bool:
        wanted = GoodsReceived.RECEIVED if got_pkg else GoodsReceived.NOT_RECEIVED
        return type_ in self.types and self.received in (GoodsReceived.ANY, wanted)


@dataclass(frozen=True)
class Policy:
    strategies: Mapping[Strategy, StrategySetting]
    deadlines: Mapping[str, Deadline]
    no_reason_return_days: int
    sms_notices_per_case: int
    notice: str = ""
    source_file: str = ""
    shop: str = ""  # the shop's name, as the certificate prints it ([meta] shop)
    reject_reasons: Mapping[int, RejectReason] = field(default_factory=lambda: MappingProxyType({}))
    no_reason_exempt: frozenset[str] = frozenset()  # product ids outside 七天无理由
    # Who pays the return postage: "buyer" or "merchant", for 七天无理由 and for a quality problem.
    postage_no_reason: str = "buyer"
    postage_quality: str = "merchant"
    intervention_days: int = 7      # how long after a refusal the buyer may ask for 客服介入
    evidence_hours: float = 48.0    # the merchant's 举证 deadline once 客服介入 starts

    def reasons_for(self, type_: AfterSaleType, got_pkg: bool) -> list[RejectReason]:
        """The reject reasons the back office offers for this request."""
        return [r for r in self.reject_reasons.values() if r.fits(type_, got_pkg)]

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


# The deadlines every lesson asks for, and the node each belongs to: a file without one of them
# would let a lesson start and then fail half-way.
REQUIRED_DEADLINES = {
    "merchant_answer": Status.AWAIT_MERCHANT,
    "buyer_ship_back": Status.AWAIT_BUYER_RETURN,
    "merchant_second_review": Status.AWAIT_SECOND_REVIEW,
    "buyer_confirm_exchange": Status.AWAIT_BUYER_RECEIVE,
}
MAX_HOURS = 24 * 365          # a deadline longer than a year is a typo, and overflows no clock
LIMITS = {"no_reason_return_days": (0, 365), "sms_notices_per_case": (0, 100)}
PAYERS = ("buyer", "merchant")


class _Reader:
    """Checked values out of the parsed TOML; every error names the line, table and key."""

    def __init__(self, text: str, source_file: str) -> None:
        self.text, self.file = text, source_file

    def fail(self, where: str, key: str | None, problem: str, valid: str | None = None) -> PolicyError:
        return PolicyError(self.file, problem, line=toml_line(self.text, where, key),
                           key=f"[{where}] {key}" if key else f"[{where}]", valid=valid)

    def table(self, raw: dict, name: str, where: str, valid: str) -> dict:
        value = raw.get(name)
        if value is None:
            raise self.fail(where, None, t("datafile.policy_missing_table"), valid)
        if not isinstance(value, dict):
            raise self.fail(where, None, t("datafile.policy_not_table", value=shown(value)), valid)
        return value

    def value(self, table: dict, key: str, kind: type, where: str, valid: str) -> object:
        if key not in table:
            raise self.fail(where, key, t("datafile.policy_missing_key"), valid)
        value = table[key]
        # TOML's true is not the number 1, and an integer is a valid number of hours.
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise self.fail(where, key, t("datafile.policy_wrong_kind", kind=t(_KIND_NAMES[kind]),
                                          value=shown(value)), valid)
        if kind is str and not value.strip():
            raise self.fail(where, key, t("datafile.policy_empty"), valid)
        return value

    def number(self, table: dict, key: str, kind: type, where: str, low: float, high: float,
               example: str) -> float:
        valid = t("datafile.policy_range", low=low, high=high, example=example)
        value = self.value(table, key, kind, where, valid)
        if not math.isfinite(value) or not low <= value <= high or (kind is float and value == 0):
            raise self.fail(where, key, t("datafile.policy_out_of_range", value=self.written(where, key)
                                          or shown(value)), valid)
        return value

    def written(self, where: str, key: str) -> str | None:
        """The value as the file writes it (1e9, not 1000000000.0)."""
        line = toml_line(self.text, where, key)
        if line is None:
            return None
        return self.text.splitlines()[line - 1].split("=", 1)[-1].split("#", 1)[0].strip() or None

    def outcome(self, table: dict, where: str, status: Status) -> TimeoutOutcome:
        """What a passed deadline does: one of the named outcomes, and one that fits the node."""
        choices = "、".join(f'"{o.value}"（{o.zh}）' for o in TimeoutOutcome)
        valid = t("datafile.valid_outcome", choices=choices)
        name = self.value(table, "outcome", str, where, valid)
        try:
            outcome = TimeoutOutcome(name)
        except ValueError:
            raise self.fail(where, "outcome", t("datafile.policy_not_outcome", value=shown(name)),
                            valid) from None
        if status not in OUTCOME_NODES[outcome]:
            raise self.fail(where, "outcome", t("datafile.policy_outcome_node", outcome=outcome.zh,
                                                 status=status.zh), valid)
        return outcome


_KIND_NAMES = {bool: "datafile.kind_bool", int: "datafile.kind_int", float: "datafile.kind_number",
               str: "datafile.kind_text"}
_TOML_PROBLEMS = (("Invalid statement", "datafile.toml_statement"),
                  ("Invalid value", "datafile.toml_value"),
                  ("Invalid initial character", "datafile.toml_value"),
                  ("Cannot declare", "datafile.toml_twice"), ("Cannot overwrite", "datafile.toml_twice"),
                  ("Expected ']'", "datafile.toml_header"), ("Unterminated string", "datafile.toml_string"),
                  ("Illegal character", "datafile.toml_string"))


def _syntax_error(error: tomllib.TOMLDecodeError, source_file: str) -> PolicyError:
    detail = str(error)
    match = re.search(r"\(at line (\d+), column (\d+)\)", detail)
    key = next((k for text, k in _TOML_PROBLEMS if detail.startswith(text)), "datafile.toml_other")
    problem = t(key)
    if match:
        problem = t("datafile.toml_column", column=match.group(2), problem=problem)
    return PolicyError(source_file, problem, line=int(match.group(1)) if match else None,
                       valid=t("datafile.toml_valid"))


def parse_policy(text: str, source_file: str = "policy.toml") -> Policy:
    """Build a Policy from the text of a policy.toml, checking every value: types, ranges,
    references and the deadlines the lessons need. Errors name the line, table and key."""
    text = text.removeprefix(BOM)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(error, source_file) from None
    read = _Reader(text, source_file)

    strategies: dict[Strategy, StrategySetting] = {}
    raw_strategies = read.table(raw, "strategies", "strategies", t("datafile.valid_strategy",
                                                                   name=Strategy.UNSHIPPED_AUTO_REFUND.value))
    for strategy in Strategy:
        where = f"strategies.{strategy.value}"
        table = read.table(raw_strategies, strategy.value, where,
                           t("datafile.valid_strategy", name=strategy.value))
        codes = "、".join(str(k.value) for k in AutoAuditKind)
        bit = read.value(table, "auto_audit", int, where, t("datafile.valid_auto_audit", codes=codes))
        try:
            kind = AutoAuditKind(bit)
        except ValueError:
            raise read.fail(where, "auto_audit", t("datafile.policy_not_code", value=bit),
                            t("datafile.valid_auto_audit", codes=codes)) from None
        strategies[strategy] = StrategySetting(
            strategy=strategy,
            name=read.value(table, "name", str, where, t("datafile.valid_text", name="name")),
            enabled=read.value(table, "enabled", bool, where, t("datafile.valid_bool")),
            auto_audit=kind,
            source=read.value(table, "source", str, where, t("datafile.valid_text", name="source")),
        )

    deadlines: dict[str, Deadline] = {}
    raw_deadlines = read.table(raw, "deadlines", "deadlines",
                               t("datafile.valid_deadline", name="merchant_answer", status=6))
    for key, expected in REQUIRED_DEADLINES.items():
        if key not in raw_deadlines:
            raise read.fail(f"deadlines.{key}", None, t("datafile.policy_missing_table"),
                            t("datafile.valid_deadline", name=key, status=expected.value))
    statuses = "、".join(str(s.value) for s in Status)
    for key in raw_deadlines:
        where = f"deadlines.{key}"
        table = read.table(raw_deadlines, key, where,
                           t("datafile.valid_deadline", name=key, status=Status.AWAIT_MERCHANT.value))
        code = read.value(table, "status", int, where, t("datafile.valid_status", codes=statuses))
        try:
            status = Status(code)
        except ValueError:
            raise read.fail(where, "status", t("datafile.policy_not_status", value=code),
                            t("datafile.valid_status", codes=statuses)) from None
        if key in REQUIRED_DEADLINES and status is not REQUIRED_DEADLINES[key]:
            raise read.fail(where, "status", t("datafile.policy_wrong_status", value=code,
                                               label=REQUIRED_DEADLINES[key].label),
                            f"status = {REQUIRED_DEADLINES[key].value}")
        other = next((d for d in deadlines.values() if d.status is status), None)
        if other is not None:
            raise read.fail(where, "status", t("datafile.policy_same_status", value=code, other=other.key),
                            t("datafile.valid_status", codes=statuses))
        outcome = read.outcome(table, where, status)
        deadlines[key] = Deadline(
            outcome=outcome,
            record_missed=read.value(table, "record_missed", bool, where, t("datafile.valid_bool")),
            key=key,
            status=status,
            label=read.value(table, "label", str, where, t("datafile.valid_text", name="label")),
            hours=read.number(table, "hours", float, where, 0, MAX_HOURS, "hours = 48"),
            example=read.value(table, "example", bool, where, t("datafile.valid_bool")),
            on_timeout=read.value(table, "on_timeout", str, where,
                                  t("datafile.valid_text", name="on_timeout")),
            source=read.value(table, "source", str, where, t("datafile.valid_text", name="source")),
        )

    limits = read.table(raw, "limits", "limits", t("datafile.valid_limits"))
    numbers = {key: read.number(limits, key, int, "limits", low, high, f"{key} = {max(low, 3)}")
               for key, (low, high) in LIMITS.items()}
    everyday = _everyday(read, raw)
    meta = raw.get("meta", {})
    notice = read.value(meta, "notice", str, "meta", t("datafile.valid_text", name="notice")) \
        if isinstance(meta, dict) and "notice" in meta else ""
    shop = read.value(meta, "shop", str, "meta", t("datafile.valid_text", name="shop")).strip() \
        if isinstance(meta, dict) and "shop" in meta else ""
    return Policy(
        strategies=MappingProxyType(strategies),
        deadlines=MappingProxyType(deadlines),
        no_reason_return_days=numbers["no_reason_return_days"],
        sms_notices_per_case=numbers["sms_notices_per_case"],
        notice=notice,
        source_file=source_file,
        shop=shop,
        **everyday,
    )


def _choice(read: _Reader, table: dict, key: str, where: str, kind: type[Labeled]) -> Labeled:
    choices = "、".join(f'"{m.value}"（{m.zh}）' for m in kind)
    valid = t("datafile.valid_choice", choices=choices)
    name = read.value(table, key, str, where, valid)
    try:
        return kind(name)
    except ValueError:
        raise read.fail(where, key, t("datafile.policy_not_choice", value=shown(name)), valid) from None


def _list(read: _Reader, table: dict, key: str, where: str, valid: str) -> list:
    value = table.get(key)
    if not isinstance(value, list):
        raise read.fail(where, key, t("datafile.policy_missing_key") if value is None
                        else t("datafile.policy_not_list", value=shown(value)), valid)
    return value


def _everyday(read: _Reader, raw: dict) -> dict:
    """Lesson 09's rules: who pays the return postage, goods outside 七天无理由, 客服介入 and
    the reject list."""
    postage = read.table(raw, "postage", "postage", t("datafile.valid_postage"))
    payers = {}
    for key in ("no_reason", "quality"):
        valid = t("datafile.valid_payer")
        payer = read.value(postage, key, str, "postage", valid)
        if payer not in PAYERS:
            raise read.fail("postage", key, t("datafile.policy_not_choice", value=shown(payer)), valid)
        payers[key] = payer
    exempt = read.table(raw, "no_reason_exempt", "no_reason_exempt", t("datafile.valid_exempt"))
    products = _list(read, exempt, "products", "no_reason_exempt", t("datafile.valid_exempt"))
    if not all(isinstance(p, str) and p.strip() for p in products):
        raise read.fail("no_reason_exempt", "products", t("datafile.policy_not_list",
                                                          value=shown(products)),
                        t("datafile.valid_exempt"))
    intervention = read.table(raw, "intervention", "intervention", t("datafile.valid_intervention"))
    days = read.number(intervention, "buyer_days", int, "intervention", 0, 365, "buyer_days = 7")
    hours = read.number(intervention, "evidence_hours", float, "intervention", 0, MAX_HOURS,
                        "evidence_hours = 48")
    reasons: dict[int, RejectReason] = {}
    raw_reasons = read.table(raw, "reject_reasons", "reject_reasons", t("datafile.valid_reason"))
    types = "、".join(str(m.value) for m in AfterSaleType)
    kinds = "、".join(f'"{m.value}"（{m.zh}）' for m in Evidence)
    for key in raw_reasons:
        where = f"reject_reasons.{key}"
        table = read.table(raw_reasons, key, where, t("datafile.valid_reason"))
        code = read.number(table, "code", int, where, 1, 10**9, "code = 2001")
        if code in reasons:
            raise read.fail(where, "code", t("datafile.policy_same_code", value=code),
                            t("datafile.valid_reason"))
        found_types = set()
        for value in _list(read, table, "types", where, t("datafile.valid_types", codes=types)):
            try:
                found_types.add(AfterSaleType(value))
            except ValueError:
                raise read.fail(where, "types", t("datafile.policy_not_type", value=shown(value)),
                                t("datafile.valid_types", codes=types)) from None
        evidence = set()
        for value in _list(read, table, "evidence", where, t("datafile.valid_evidence", kinds=kinds)):
            try:
                evidence.add(Evidence(value))
            except ValueError:
                raise read.fail(where, "evidence", t("datafile.policy_not_choice", value=shown(value)),
                                t("datafile.valid_evidence", kinds=kinds)) from None
        need = read.value(table, "evidence_need", bool, where, t("datafile.valid_bool"))
        if need and not evidence:
            raise read.fail(where, "evidence", t("datafile.policy_evidence_empty"),
                            t("datafile.valid_evidence", kinds=kinds))
        reasons[code] = RejectReason(
            code=code,
            label=read.value(table, "label", str, where, t("datafile.valid_text", name="label")),
            types=frozenset(found_types),
            received=_choice(read, table, "received", where, GoodsReceived),
            evidence_need=need,
            evidence=frozenset(evidence),
            holds=_choice(read, table, "holds", where, ReasonCheck),
            source=read.value(table, "source", str, where, t("datafile.valid_text", name="source")),
        )
    return {
        "reject_reasons": MappingProxyType(reasons),
        "no_reason_exempt": frozenset(p.strip() for p in products),
        "postage_no_reason": payers["no_reason"],
        "postage_quality": payers["quality"],
        "intervention_days": days,
        "evidence_hours": hours,
    }


def load_policy(path: Path | None = None) -> Policy:
    """The shop's policy from `data/policy.toml` (or `path`), fully checked."""
    path = path or data_path("policy.toml")
    try:
        text = read_text(path)
    except DataFileError as error:
        raise PolicyError(error.file, error.problem, valid=error.valid) from None
    return parse_policy(text, path.name)
