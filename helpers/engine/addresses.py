"""Checks a return address before the merchant agrees a return or an exchange.

A wrong return address sends the goods to the wrong place (the article's second caution). The
platform checks only that an address is complete and valid (fields, phone, a real province):
the engine does the same when 101/301 is agreed. Whether it is the address of the supplier that
ships this very item is the shop's own knowledge: `address_problems(address, expected)` adds that
check for the coach, and `supplier_at` tells the engine where the goods really went.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import cache

from ..paths import data_path
from ..strings import t
from .model import Address, Supplier

# Mainland mobile, or a landline 区号-号码(-分机) as /address/create's fixed_phone.
MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{2,3}-\d{7,8}(-\d{1,6})?")
MIN_DETAIL_CHARS = 5


@cache
def provinces() -> frozenset[str]:
    raw = tomllib.loads(data_path("regions.toml").read_text(encoding="utf-8"))
    return frozenset(raw["provinces"])


def valid_phone(phone: str) -> bool:
    phone = phone.strip()
    return bool(MOBILE.fullmatch(phone) or LANDLINE.fullmatch(phone))


def address_problems(address: Address | None, expected: Supplier | None = None) -> list[str]:
    """Everything wrong with `address`, in Chinese; empty when it may be used.

    `expected` is the supplier that ships the order's item: its address is the only right one.
    """
    if address is None:
        return [t("address.missing")]
    problems = []
    for field, key in (("contact", "address.no_contact"), ("province", "address.no_province"),
                       ("city", "address.no_city"), ("detail", "address.no_detail")):
        if not getattr(address, field).strip():
            problems.append(t(key))
    province = address.province.strip()
    if province and province not in provinces():
        problems.append(t("address.bad_province", province=province))
    detail = address.detail.strip()
    if detail and len(detail) < MIN_DETAIL_CHARS:
        problems.append(t("address.short_detail", detail=detail, min=MIN_DETAIL_CHARS))
    if not address.phone.strip():
        problems.append(t("address.no_phone"))
    elif not valid_phone(address.phone):
        problems.append(t("address.bad_phone", phone=address.phone))
    if expected is not None and not problems and _normalise(address) != _normalise(expected.address):
        problems.append(t("address.wrong_supplier", supplier=expected.name))
    return problems


def supplier_at(address: Address, suppliers: Mapping[str, Supplier]) -> Supplier | None:
    """The supplier in the address book whose return address `address` is, or None."""
    key = _normalise(address)
    return next((s for s in suppliers.values() if _normalise(s.address) == key), None)


def _normalise(address: Address) -> tuple[str, ...]:
    return tuple(re.sub(r"\s+", "", part) for part in (
        address.province, address.city, address.district, address.detail, address.phone))
