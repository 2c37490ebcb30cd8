"""The shop's things: money, addresses, suppliers, products and orders, as frozen values.

Money is integer fen (分) everywhere; only `yuan()` turns it into text. Times are
timezone-aware in Asia/Shanghai.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

from ..paths import data_path

SHANGHAI = ZoneInfo("Asia/Shanghai")


def shanghai(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def yuan(fen: int) -> str:
    """12345 → '¥123.45' (negative amounts keep their sign)."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}¥{fen // 100}.{fen % 100:02d}"


@dataclass(frozen=True)
class Address:
    """A return address as the merchant back office asks for it (/address/create)."""

    contact: str
    phone: str
    province: str
    city: str
    district: str
    detail: str

    def one_line(self) -> str:
        return f"{self.province}{self.city}{self.district}{self.detail}（{self.contact} {self.phone}）"


@dataclass(frozen=True)
class Supplier:
    """An upstream supplier (上家/总店) that ships our items and takes their returns."""

    id: str
    name: str
    address: Address


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    supplier_id: str
    price_fen: int


@dataclass(frozen=True)
class Order:
    """A paid order of one product. Buyer fields hold masked values only."""

    id: str
    product_id: str
    supplier_id: str
    paid_fen: int
    buyer: str
    buyer_phone: str


class DataFileError(Exception):
    """A data file is missing or malformed; the message names the file, row and column."""


def _read_rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise DataFileError(f"{path.name} 缺少列：{'、'.join(missing)}")
            rows = list(reader)
    except OSError as error:
        raise DataFileError(f"读不到 {path}：{error.strerror}") from error
    for number, row in enumerate(rows, start=2):
        for column in columns:
            if not (row.get(column) or "").strip():
                raise DataFileError(f"{path.name} 第 {number} 行「{column}」为空")
    return rows


SUPPLIER_COLUMNS = ("上家编号", "上家名称", "联系人", "电话", "省", "市", "区", "详细地址")
PRODUCT_COLUMNS = ("商品编号", "商品名称", "上家编号", "单价(元)")


def load_suppliers(path: Path | None = None) -> Mapping[str, Supplier]:
    """The supplier address book, `data/suppliers.csv`, keyed by supplier id."""
    path = path or data_path("suppliers.csv")
    suppliers = {}
    for row in _read_rows(path, SUPPLIER_COLUMNS):
        address = Address(
            contact=row["联系人"], phone=row["电话"], province=row["省"], city=row["市"],
            district=row["区"], detail=row["详细地址"],
        )
        suppliers[row["上家编号"]] = Supplier(row["上家编号"], row["上家名称"], address)
    return MappingProxyType(suppliers)


def load_products(path: Path | None = None) -> Mapping[str, Product]:
    """The shop's items and which supplier ships each, `data/products.csv`."""
    path = path or data_path("products.csv")
    products = {}
    for number, row in enumerate(_read_rows(path, PRODUCT_COLUMNS), start=2):
        try:
            price_fen = round(float(row["单价(元)"]) * 100)
        except ValueError:
            raise DataFileError(f"{path.name} 第 {number} 行「单价(元)」不是数字") from None
        products[row["商品编号"]] = Product(
            row["商品编号"], row["商品名称"], row["上家编号"], price_fen
        )
    return MappingProxyType(products)
