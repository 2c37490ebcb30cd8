"""Finding and masking a buyer's personal data before anything is shown, stored or passed on.

The platform hands staff masked values or a virtual number (主机号-分机号); the course keeps
to that. These functions mask what slips through: a full phone number pasted into a message,
a name after 收件人, a street address. An upstream supplier gets what it needs to ship or
receive (the order number, the item), never the buyer's data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..strings import t

# A mainland mobile number not already masked and not part of a longer number.
MOBILE = re.compile(r"(?<![\d*])(1[3-9]\d)(\d{4})(\d{4})(?![\d*])")
# A platform virtual number: 11-digit host number, a dash, a 3-6 digit extension.
VIRTUAL = re.compile(r"(?<![\d*])(1[3-9]\d)(\d{4})(\d{4})-(\d{3,6})(?!\d)")
ID_CARD = re.compile(r"(?<![\dA-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![\dA-Za-z])")
# A name after the words staff paste with it: 收件人：张三, 买家 李四.
# The separator is required, so "买家寄回商品" is not read as a name.
LABELLED_NAME = re.compile(
    r"(收件人|收货人|联系人|买家|姓名)(?:[:：]\s*|\s+)([\u4e00-\u9fa5]{2,4})(?![\u4e00-\u9fa5*])"
)
# The street part of an address: from a district/county/town to a number.
STREET = re.compile(
    r"([\u4e00-\u9fa5]{1,8}(?:区|县|镇|乡|街道))"
    r"([\u4e00-\u9fa5\w]{1,20}?(?:路|街|道|巷|弄|村|小区|大厦|花园)[\w\-]{0,10}?\d+\s*(?:号|栋|幢|室|楼)"
    r"(?:[\w\-]{0,12}(?:号|室|楼|单元))?)"
)


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found in a text."""

    kind: str  # "phone", "id_card", "name", "address"
    start: int
    end: int
    text: str
    masked: str

    @property
    def label(self) -> str:
        return t(f"privacy.kind_{self.kind}")


def mask_phone(phone: str) -> str:
    """An 11-digit mobile → '138****5678'; a virtual number keeps its extension visible."""
    phone = phone.strip()
    if match := VIRTUAL.fullmatch(phone):
        return f"{match[1]}****{match[3]}-{match[4]}"
    if match := MOBILE.fullmatch(phone):
        return f"{match[1]}****{match[3]}"
    return phone


def mask_name(name: str) -> str:
    """'张小明' → '张**': the surname stays so a person on the phone can still say 张女士."""
    name = name.strip()
    return name[:1] + "*" * (len(name) - 1) if name else name


def mask_street(street: str) -> str:
    """Keep the district, hide the street and the number: '白云区三元里大道1688号' → '白云区****'."""
    match = STREET.search(street)
    return f"{match[1]}****" if match else "****"


def find_personal_data(text: str) -> list[Finding]:
    """Every phone, ID number, labelled name and street address in `text`."""
    found: list[Finding] = []

    def add(kind: str, start: int, end: int, masked: str) -> None:
        if not any(f.start < end and start < f.end for f in found):
            found.append(Finding(kind, start, end, text[start:end], masked))

    # A platform virtual number is what the supplier may be given (it expires), so it is
    # claimed first, to keep its host part from being read as a mobile, and not reported.
    virtual = [match.span() for match in VIRTUAL.finditer(text)]
    for match in ID_CARD.finditer(text):
        add("id_card", *match.span(), f"{match[1][:3]}***********{match[3][-1]}")
    for match in MOBILE.finditer(text):
        if not any(start <= match.start() < end for start, end in virtual):
            add("phone", *match.span(), mask_phone(match[0]))
    for match in LABELLED_NAME.finditer(text):
        add("name", *match.span(2), mask_name(match[2]))
    for match in STREET.finditer(text):
        add("address", *match.span(), mask_street(match[0]))
    return sorted(found, key=lambda f: f.start)


def mask_text(text: str) -> str:
    """`text` with every finding of `find_personal_data` replaced by its masked form."""
    for finding in reversed(find_personal_data(text)):
        text = text[:finding.start] + finding.masked + text[finding.end:]
    return text


def has_personal_data(text: str) -> bool:
    return bool(find_personal_data(text))
