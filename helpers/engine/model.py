"""The shop's things: money, addresses, suppliers, products and orders, as frozen values.

Money is integer fen (分) everywhere; only `yuan()` turns it into text. Times are
timezone-aware in Asia/Shanghai.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

from ..paths import data_path
from ..strings import t
from .datafiles import DataFileError, read_text

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


def _read_rows(path: Path, columns: tuple[str, ...], id_column: str) -> list[tuple[int, dict[str, str]]]:
    """(line, row) of every data row, every cell stripped; each required cell present and each
    id once. Errors name the file, the line and the column."""
    text = read_text(path)
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    if not any(header):
        raise DataFileError(path.name, t("datafile.csv_no_header"),
                            valid=t("datafile.csv_valid_header", columns=",".join(columns)))
    twice = sorted({c for c in columns if header.count(c) > 1})
    if twice:
        raise DataFileError(path.name, t("datafile.csv_twice", columns="、".join(twice)), line=1,
                            valid=t("datafile.csv_valid_header", columns=",".join(columns)))
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataFileError(path.name, t("datafile.csv_missing_columns", columns="、".join(missing)),
                            line=1, valid=t("datafile.csv_valid_header", columns=",".join(columns)))
    rows, first_line = [], {}
    line = 1
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue  # a blank line, e.g. at the end of a file saved by Excel
        if len(record) > len(header):
            raise DataFileError(path.name, t("datafile.csv_extra_fields", count=len(record) - len(header)),
                                line=line, valid=t("datafile.csv_valid_header", columns=",".join(columns)))
        row = {name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(header)}
        for column in columns:
            if not row[column]:
                raise DataFileError(path.name, t("datafile.csv_empty"), line=line, key=column,
                                    valid=t("datafile.csv_valid_value", column=column,
                                            example=EXAMPLES.get(column, "…")))
        key = row[id_column]
        if key in first_line:
            raise DataFileError(path.name, t("datafile.csv_duplicate", value=key, first=first_line[key]),
                                line=line, key=id_column, valid=t("datafile.csv_valid_unique"))
        first_line[key] = line
        rows.append((line, row))
    return rows


SUPPLIER_COLUMNS = ("上家编号", "上家名称", "联系人", "电话", "省", "市", "区", "详细地址")
PRODUCT_COLUMNS = ("商品编号", "商品名称", "上家编号", "单价(元)")
EXAMPLES = {"上家编号": "S01", "上家名称": "义乌晨光日用品总店", "联系人": "王**", "电话": "0579-85550101",
            "省": "浙江省", "市": "金华市", "区": "义乌市", "详细地址": "福田街道国际商贸城二区 88 号仓",
            "商品编号": "P01", "商品名称": "收纳盒三件套", "单价(元)": "39.90"}
# Yuan with at most two decimals and nothing else: no sign, no separator, no exponent, no nan.
PRICE = re.compile(r"(\d{1,7})(?:\.(\d{1,2}))?")


def load_suppliers(path: Path | None = None) -> Mapping[str, Supplier]:
    """The supplier address book, `data/suppliers.csv`, keyed by supplier id; every address is
    checked, because the lessons teach it as the right one."""
    from .addresses import provinces, valid_phone  # addresses imports this module

    path = path or data_path("suppliers.csv")
    suppliers = {}
    for line, row in _read_rows(path, SUPPLIER_COLUMNS, "上家编号"):
        if not valid_phone(row["电话"]):
            raise DataFileError(path.name, t("datafile.csv_bad_phone", value=row["电话"]), line=line,
                                key="电话", valid=t("datafile.csv_valid_phone"))
        if row["省"] not in provinces():
            raise DataFileError(path.name, t("datafile.csv_bad_province", value=row["省"]), line=line,
                                key="省", valid=t("datafile.csv_valid_province"))
        address = Address(
            contact=row["联系人"], phone=row["电话"], province=row["省"], city=row["市"],
            district=row["区"], detail=row["详细地址"],
        )
        suppliers[row["上家编号"]] = Supplier(row["上家编号"], row["上家名称"], address)
    return MappingProxyType(suppliers)


def load_products(path: Path | None = None,
                  suppliers: Mapping[str, Supplier] | None = None) -> Mapping[str, Product]:
    """The shop's items and which supplier ships each, `data/products.csv`. Every item's
    supplier must be in the address book (`suppliers`, else the suppliers.csv beside it)."""
    path = path or data_path("products.csv")
    if suppliers is None:
        beside = path.parent / "suppliers.csv"
        suppliers = load_suppliers(beside if beside.exists() else None)
    products = {}
    for line, row in _read_rows(path, PRODUCT_COLUMNS, "商品编号"):
        price = PRICE.fullmatch(row["单价(元)"])
        price_fen = int(price.group(1)) * 100 + int((price.group(2) or "0").ljust(2, "0")) if price else 0
        if price_fen <= 0:
            raise DataFileError(path.name, t("datafile.csv_bad_price", value=row["单价(元)"]), line=line,
                                key="单价(元)", valid=t("datafile.csv_valid_price"))
        if row["上家编号"] not in suppliers:
            raise DataFileError(path.name, t("datafile.csv_unknown_supplier", value=row["上家编号"],
                                             suppliers="suppliers.csv"),
                                line=line, key="上家编号",
                                valid=t("datafile.csv_valid_supplier", known="、".join(suppliers)))
        products[row["商品编号"]] = Product(row["商品编号"], row["商品名称"], row["上家编号"], price_fen)
    return MappingProxyType(products)
