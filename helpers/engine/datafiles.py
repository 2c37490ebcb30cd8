"""Reading the files a shop manager edits by hand: `policy.toml`, `suppliers.csv`, `products.csv`.

A file edited in Notepad or Excel may carry a BOM, be saved in GBK, or hold a typo. Whatever is
wrong, the loader stops with one `DataFileError` that names the file, the line (where there is
one) and the key or column, says what is wrong and shows a valid value; nothing half-read is
ever used. What the loaders check beyond that lives with them (policy.py, model.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import CourseError, os_reason
from ..strings import t

BOM = "\ufeff"


class DataFileError(CourseError):
    """A data file is missing or invalid; the message names the file, line and key."""

    def __init__(self, file: str, problem: str, *, line: int | None = None, key: str | None = None,
                 valid: str | None = None) -> None:
        self.file, self.line, self.key, self.problem, self.valid = file, line, key, problem, valid
        where = t("datafile.at_line", file=file, line=line) if line else file
        if key:
            where = t("datafile.at_key", where=where, name=key)
        message = (t("datafile.message_valid", where=where, problem=problem, valid=valid) if valid
                   else t("datafile.message", where=where, problem=problem))
        super().__init__(message)


def read_text(path: Path) -> str:
    """The text of a hand-edited file: UTF-8 with or without a BOM, or GBK/GB18030 (what
    Chinese Windows Notepad and Excel save); anything else is refused with a message."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(path.name, t("datafile.missing", path=path)) from None
    except OSError as error:
        raise DataFileError(path.name, t("datafile.unreadable", path=path, error=os_reason(error))) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataFileError(path.name, t("datafile.utf16"), valid=t("datafile.valid_encoding"))
    if b"\x00" in data:
        raise DataFileError(path.name, t("datafile.binary"), valid=t("datafile.valid_encoding"))
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.removeprefix(BOM).replace("\r\n", "\n").replace("\r", "\n")
    raise DataFileError(path.name, t("datafile.encoding"), valid=t("datafile.valid_encoding"))


_HEADER = re.compile(r"^\s*\[\s*([^\]\[]+?)\s*\]")


def toml_line(text: str, table: str, key: str | None = None) -> int | None:
    """The line of `key` inside `[table]` (or of the table's header) in TOML text, if found."""
    current, header_line = None, None
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADER.match(line)
        if match:
            current = re.sub(r"[\s\"']", "", match.group(1))
            if current == table:
                header_line = number
            continue
        if current == table and key and re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return header_line


def shown(value: object) -> str:
    """A value as a TOML or CSV file would hold it: true, 48, "text"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return t("datafile.a_table")
    if isinstance(value, list):
        return t("datafile.a_list")
    return str(value)
