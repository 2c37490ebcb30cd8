"""Hostile after-sales exports, made by a script (no binary blobs in the repository).

    python tests/make_corpus.py OUT_DIR      # writes every file below into OUT_DIR

Each maker writes one file into a folder and returns its path; the tests call them into a
temporary folder, and benchmarks/bench_check_export.py times check-export on the largest.
"""

from __future__ import annotations

import os
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

HEADER = ("售后单号,订单号,售后类型,售后状态,申请时间,商家处理时间,完结时间,退款金额(元),售后原因,商品名称,"
          "买家手机号")
ROW = ("73200000000000{n:05d},69300000000000{n:05d},退货退款,售后成功,2026-05-03 14:05:00,"
       "2026-05-03 15:00:00,,{amount},{reason},收纳盒三件套,137****7724")
BOMB_BYTES = 1 << 30          # what the zip bomb inflates to: 1 GiB
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<dimension ref="{ref}"/><sheetData>')
SHEET_TAIL = "</sheetData></worksheet>"


def row(n: int, amount: str = "39.90", reason: str = "不想要了", **cells: str) -> str:
    line = ROW.format(n=n, amount=amount, reason=reason)
    if cells:
        parts = line.split(",")
        names = HEADER.split(",")
        for name, value in cells.items():
            parts[names.index(name)] = value
        line = ",".join(parts)
    return line


def csv_text(rows: list[str]) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# ---- cells that must not run or mislead ------------------------------------------------------

def formula_cells(folder: Path) -> Path:
    """Cells Excel or WPS would run as formulas (OWASP CSV injection), on rejected rows."""
    reasons = ['"=1+1"', '"+1+1"', '"-1+1"', '"@SUM(A1)"', '"\t=1+1"', '"\r=1+1"', '"ok\r=1+1"']
    return _write(folder, "formula_cells.csv",
                  csv_text([row(i, amount="-1", reason=r) for i, r in enumerate(reasons)]))


def terminal_escapes(folder: Path) -> Path:
    """Escape sequences that would recolour, retitle or clear a terminal if printed raw."""
    values = ['"\x1b[2J\x1b[31m红字"', '"\x1b]0;title\x07"', '"\x08\x08\x08退格"', '"\x9b31m"',
              '"\u202e反转"']
    rows = [row(i, amount=v, reason=v) for i, v in enumerate(values)]
    text = csv_text(rows).replace(HEADER, HEADER + ",\x1b[5m闪烁列", 1)  # a column name too
    return _write(folder, "terminal_escapes.csv", text)


def misleading_values(folder: Path) -> Path:
    """Values a lax reader turns into a wrong figure or a wrong time."""
    rows = [
        row(1, **{"申请时间": "2026-05-03T06:05:00Z"}),                 # 14:05 in Shanghai
        row(2, **{"申请时间": "2026-05-03 14:05:00+08:00"}),
        row(3, **{"申请时间": "2026-05-03T14:05:00+0800"}),
        row(4, amount='"12,00"'),                                       # not ¥1200.00
        row(5, amount='"1,200.00"'),                                    # a thousands separator
        row(6, **{"申请时间": "now"}),
        row(7, **{"申请时间": "today"}),
        row(8, **{"申请时间": " 2026-05-03  14:05:00 "}),               # stray spaces
        row(9, **{"申请时间": "1986-05-04 02:30:00"}),                  # Shanghai DST: never existed
        row(10, **{"申请时间": "1986-09-14 01:30:00", "商家处理时间": "1986-09-14 03:00:00"}),  # twice
        row(11, amount='"1,2,3"'),
    ]
    return _write(folder, "misleading_values.csv", csv_text(rows))


# ---- files that must be refused quickly -------------------------------------------------------

def fifo(folder: Path) -> Path | None:
    """A named pipe: opening it for reading would wait for a writer forever."""
    if not hasattr(os, "mkfifo"):
        return None
    path = folder / "pipe.csv"
    os.mkfifo(path)
    return path


def nul_late(folder: Path) -> Path:
    """A NUL byte far beyond the first 64 KiB."""
    rows = [row(i) for i in range(3000)]
    rows[2500] = rows[2500].replace("不想要了", "不想\x00要了")
    return _write(folder, "nul_late.csv", csv_text(rows))


def cr_only(folder: Path) -> Path:
    """Old Mac line ends: CR alone."""
    return _write(folder, "cr_only.csv", csv_text([row(i) for i in range(20)]).replace("\n", "\r"))


def long_header(folder: Path) -> Path:
    """A header line of 2 MB (one absurdly long column name)."""
    return _write(folder, "long_header.csv", HEADER + ",说明" + "很" * 700_000 + "\n" + row(1) + "\n")


def many_columns(folder: Path) -> Path:
    """100,000 columns."""
    extra = ",".join(f"c{i}" for i in range(100_000))
    return _write(folder, "many_columns.csv", f"{HEADER},{extra}\n{row(1)}\n")


def big5(folder: Path) -> Path:
    """Traditional-Chinese Big5, neither UTF-8 nor GB18030 (it decodes as GB18030 mojibake)."""
    text = csv_text([row(i) for i in range(5)])
    return _write(folder, "big5.csv", text.encode("big5", errors="replace"))


# ---- xlsx -----------------------------------------------------------------------------------

def _xlsx(path: Path, sheet: Callable[[zipfile.ZipFile], None], strings: str | None = None) -> Path:
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
        'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="appli'
        'cation/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.open'
        'xmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheet'
        's/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.wor'
        'ksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas'
        '.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.'
        'xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.op'
        'enxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/office'
        'Document/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
        '</workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="h'
        'ttp://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
        'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="work'
        'sheets/sheet1.xml"/></Relationships>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        for name, text in parts.items():
            book.writestr(name, text)
        if strings is not None:
            book.writestr("xl/sharedStrings.xml", strings)
        sheet(book)
    return path


def zip_bomb(folder: Path, inflated: int = BOMB_BYTES) -> Path:
    """About 1 MB on disk, `inflated` bytes of sheet XML once unpacked."""
    # Long runs of one letter: deflate packs them near its limit of about 1000 to 1.
    chunk = ('<row><c t="inlineStr"><is><t>' + "x" * (1 << 20) + "</t></is></c></row>").encode()

    def sheet(book: zipfile.ZipFile) -> None:
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(SHEET_HEAD.format(ref="A1:A1").encode())
            written = 0
            while written < inflated:
                out.write(chunk)
                written += len(chunk)
            out.write(SHEET_TAIL.encode())

    return _xlsx(folder / "zip_bomb.xlsx", sheet)


def huge_dimensions(folder: Path) -> Path:
    """A tiny sheet that declares 100,000 columns and 5 million rows."""
    return _xlsx(folder / "huge_dimensions.xlsx", lambda book: book.writestr(
        "xl/worksheets/sheet1.xml", SHEET_HEAD.format(ref="A1:EQXD5000000") + SHEET_TAIL))


def many_shared_strings(folder: Path) -> Path:
    """A shared-strings table that declares 50 million strings."""
    strings = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
               'spreadsheetml/2006/main" count="50000000" uniqueCount="50000000"><si><t>x</t></si></sst>')
    return _xlsx(folder / "many_shared_strings.xlsx", lambda book: book.writestr(
        "xl/worksheets/sheet1.xml", SHEET_HEAD.format(ref="A1:A1") + SHEET_TAIL), strings)


def real_xlsx(folder: Path, name: str = "export.csv", rows: int = 20) -> Path:
    """A genuine export saved as xlsx, under a name that says CSV."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for n in range(rows):
        sheet.append(row(n).split(","))
    path = folder / name
    with path.open("wb") as out:
        book.save(out)
    return path


def encrypted_xlsx(folder: Path) -> Path:
    """What Excel writes for a password-protected workbook: an OLE2 container holding an
    `EncryptedPackage` stream (the header and directory entry are enough to be recognised)."""
    header = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)
    entry = "EncryptedPackage".encode("utf-16-le").ljust(64, b"\0") + bytes(64)
    info = "EncryptionInfo".encode("utf-16-le").ljust(64, b"\0") + bytes(64)
    # The directory sector far into the file, as in a large workbook.
    return _write(folder, "protected.xlsx", header + bytes(200_000) + entry + info + bytes(4096))


def normal_export(folder: Path, rows: int = 3000) -> Path:
    """The course's own kind of export, `rows` rows (3000 like lesson 08's sample)."""
    from helpers.export.generate import write_export

    return write_export(folder / f"normal_{rows}.csv", rows)


MAKERS: dict[str, Callable[[Path], Path | None]] = {
    "formula_cells": formula_cells, "terminal_escapes": terminal_escapes,
    "misleading_values": misleading_values, "fifo": fifo, "nul_late": nul_late, "cr_only": cr_only,
    "long_header": long_header, "many_columns": many_columns, "big5": big5, "zip_bomb": zip_bomb,
    "huge_dimensions": huge_dimensions, "many_shared_strings": many_shared_strings,
    "xlsx_as_csv": real_xlsx, "encrypted_xlsx": encrypted_xlsx, "normal_export": normal_export,
}


def make_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {name: path for name, make in MAKERS.items() if (path := make(folder)) is not None}


if __name__ == "__main__":
    for name, path in make_all(Path(sys.argv[1] if len(sys.argv) > 1 else "corpus")).items():
        print(f"{name:22} {path}")
