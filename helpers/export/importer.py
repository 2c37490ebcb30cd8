"""Reads a shop's after-sales export (CSV or .xlsx) and checks every value.

What a trainee can count on:
- CSV in UTF-8, UTF-8 with BOM or GBK/GB18030 (what Chinese Excel saves), tab- or comma-
  separated, and .xlsx; columns are found by name, in any order; other columns are ignored.
- Every bad value is reported with its row (as Excel numbers it: the header is row 1), its
  column and the reason, in Chinese. A row with a bad value is rejected as a whole, every other
  row is kept: rows read = rows kept + rows rejected, always.
- The source is only ever opened for reading.
- A full mobile number is masked on load (`138****5678`) and the report says where.
- A cell that starts with = + - @, a tab or a carriage return stays plain text: it is escaped
  wherever it is shown and quoted (a leading ') when rows are written back (`rejected_csv`,
  every field in double quotes, so a carriage return inside a cell stays inside it).
- A value quoted in a message shows control characters escaped (`\x1b`), so a report printed
  in a terminal cannot recolour or clear it.
- No silent guesses: a time with an offset (`Z`, `+08:00`) is converted to Shanghai time, a
  comma in an amount is accepted only as a thousands separator (`1,200.00`, never `12,00`),
  `now`/`today` are not dates, and a Shanghai summer-time hour that never existed is reported.
- Bounded work: only a regular file is opened (a pipe or a device is refused at once); a NUL
  byte, a header longer than 64 KiB or more than MAX_COLUMNS columns is refused with a message;
  an xlsx is checked before it is parsed (unpacked size and ratio, declared rows and columns,
  shared strings), so a zip bomb is refused in a fraction of a second. An xlsx is recognised by
  its content, whatever its name; a password-protected one is named as such.

The checks are column operations (pandas and numpy), and a few-valued column is checked once
per distinct value, so a million-row export is read and checked in a few seconds, with less
memory than `pandas.read_csv` needs for the same file (benchmarks/bench_import.py).
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import stat
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd

from ..engine.codes import AfterSaleType, Labeled, Status
from ..engine.model import SHANGHAI, load_products, load_suppliers
from ..engine.privacy import mask_phone
from ..errors import os_reason
from ..strings import t
from .columns import BY_KEY, CATEGORY_KINDS, COLUMNS, STATUS_ALIASES, TYPE_ALIASES, Column, Kind

Source = str | os.PathLike | bytes | bytearray | memoryview

CHUNK_ROWS = 100_000      # rows per batch where the rows are built in Python (xlsx, odd CSV)
SNIFF_BYTES = 1 << 16
SHOWN_CHARS = 30          # how much of a bad value a message quotes
NOTE_ROWS = 5             # how many row numbers a note lists before "等 N 行"
MAX_YUAN = 1e8            # larger than any single refund; catches a misplaced order number
PHONE = re.compile(r"(?<![\d*])1[3-9]\d{9}(?![\d*])")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_COLUMNS = 1000        # an export has 13; more is a wrong file, and costs memory per column
MAX_ROWS = 1_048_576      # Excel's own limit: no real export is longer
MAX_FILE_BYTES = 512 << 20  # Excel holds 1,048,576 rows: about 230 MB as CSV
MAX_XLSX_UNPACKED = 2 << 30
MAX_XLSX_RATIO = 100      # real workbooks unpack to about 5-20 times their size, zip bombs to 1000
RATIO_FROM_BYTES = 50 << 20  # the ratio matters only once the unpacked size is large
MAX_SHARED_STRINGS = 5_000_000
SHOWN_NAMES = 10          # how many ignored column names a note lists
SCIENTIFIC = re.compile(r"\d+(\.\d+)?[eE]\+?\d+")
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
DATE_FORMAT_EXAMPLE = "2026-05-03 14:05:00"
# Tried, in order, for the values the back office's own format does not match.
OTHER_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M:%S",
                      "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M")
MONEY_NOISE = r"[¥￥元\s]"
# Commas only as thousands separators: 1,200.00 yes, 12,00 no.
THOUSANDS = re.compile(r"[+-]?\d{1,3}([,，]\d{3})+(\.\d*)?")
# An ISO time with an offset: converted to Shanghai time, not relabelled.
WITH_OFFSET = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)",
                         re.IGNORECASE)
REPLACEMENT = "\ufffd"


class ExportUnreadable(Exception):
    """The file as a whole cannot be used (exit code 2); the message says why, in Chinese."""


def _masked_match(match: re.Match) -> str:
    return mask_phone(match.group())


def mask_phones(text: str) -> str:
    """`text` with every mainland mobile number masked to the form `138****5678`."""
    return PHONE.sub(_masked_match, text)


def visible(text: str) -> str:
    """`text` with control and format characters written as escapes (\\x1b, \\u202e), so it
    can be printed in a terminal or shown on a page without acting on either."""
    return "".join(c if c == "\n" or unicodedata.category(c) not in ("Cc", "Cf") else
                   (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}") for c in text)


def _shown(value: object) -> str:
    text = visible(mask_phones(str(value))).replace("\n", "\\n")
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def plain_text(value: str) -> str:
    """A cell as it is written back to CSV: a leading ' keeps Excel from running it as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


# ---- the report ----------------------------------------------------------------------------

PROBLEM_COLUMNS = ("row", "column", "reason")


@dataclass
class ImportReport:
    """What the importer found: counts, every problem (row, column, reason) and notes."""

    source: str
    encoding: str = ""
    rows_read: int = 0
    rows_kept: int = 0
    rows_rejected: int = 0
    blank_rows: int = 0
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(PROBLEM_COLUMNS)))
    notes: list[str] = field(default_factory=list)
    fatal: str | None = None

    @property
    def exit_code(self) -> int:
        """0: every row is good; 1: rows were rejected; 2: the file cannot be used."""
        if self.fatal is not None:
            return 2
        return 1 if self.rows_rejected else 0

    def problem_lines(self, limit: int | None = None) -> list[str]:
        shown = self.problems if limit is None else self.problems.head(limit)
        return [t("export.problem_line", row=row, column=column, reason=reason) if column else
                t("export.row_problem_line", row=row, reason=reason)
                for row, column, reason in shown.itertuples(index=False)]

    def headline(self) -> str:
        if self.fatal is not None:
            return t("export.fatal", reason=self.fatal)
        return t("export.counts", read=self.rows_read, kept=self.rows_kept, rejected=self.rows_rejected)

    def lines(self, limit: int = 20) -> list[str]:
        """The report as a trainee reads it; at most `limit` problem lines."""
        lines = [t("export.file", source=self.source, encoding=self.encoding or t("export.encoding_unknown")),
                 self.headline()]
        if self.fatal is None:
            lines += self.problem_lines(limit)
            if len(self.problems) > limit:
                lines.append(t("export.more_problems", count=len(self.problems) - limit))
            lines += [t("export.note", note=note) for note in self.notes]
        return lines

    def text(self, limit: int = 20) -> str:
        return "\n".join(self.lines(limit))


@dataclass
class ImportResult:
    """The kept rows (`frame`), the rejected rows as text (`rejected`) and the report."""

    frame: pd.DataFrame
    rejected: pd.DataFrame
    report: ImportReport


# ---- reading the source --------------------------------------------------------------------

@dataclass(frozen=True)
class _Source:
    name: str
    path: Path | None
    data: bytes | None

    def check(self) -> None:
        """A path must be a regular file of sane size: a pipe or a device would block or never end."""
        if self.path is None:
            size = len(self.data or b"")
        else:
            try:
                info = os.stat(self.path)
            except OSError as error:
                raise ExportUnreadable(t("export.unreadable", error=os_reason(error))) from error
            if not stat.S_ISREG(info.st_mode):
                raise ExportUnreadable(t("export.not_a_file"))
            size = info.st_size
        if size > MAX_FILE_BYTES:
            raise ExportUnreadable(t("export.too_big", size=size >> 20, limit=MAX_FILE_BYTES >> 20))

    def head(self, size: int = SNIFF_BYTES) -> bytes:
        if self.data is not None:
            return self.data[:size]
        try:
            with self.path.open("rb") as file:
                return file.read(size)
        except OSError as error:
            raise ExportUnreadable(t("export.unreadable", error=os_reason(error))) from error

    def binary(self) -> io.BytesIO | Path:
        return io.BytesIO(self.data) if self.data is not None else self.path

    def stream(self) -> io.BufferedIOBase:
        """An open binary file (whatever its name says: openpyxl judges a path by its extension)."""
        return io.BytesIO(self.data) if self.data is not None else self.path.open("rb")

    def find(self, needle: bytes) -> int:
        """The offset of the first `needle` in the whole source, or -1; read in blocks."""
        if self.data is not None:
            return self.data.find(needle)
        with self.path.open("rb") as file:
            offset, tail = 0, b""
            while block := file.read(1 << 20):
                found = (tail + block).find(needle)
                if found >= 0:
                    return offset - len(tail) + found
                tail = block[-(len(needle) - 1):] if len(needle) > 1 else b""
                offset += len(block)
        return -1

    def count_lines(self, end: int) -> int:
        """The line number of byte offset `end` (1 for the first line)."""
        if self.data is not None:
            return self.data.count(b"\n", 0, end) + 1
        with self.path.open("rb") as file:
            lines, left = 1, end
            while left > 0 and (block := file.read(min(left, 1 << 20))):
                lines += block.count(b"\n")
                left -= len(block)
        return lines

    def all_bytes(self) -> bytes:
        return self.data if self.data is not None else self.path.read_bytes()


def _source(source: Source, name: str | None) -> _Source:
    if isinstance(source, bytes | bytearray | memoryview):
        return _Source(name or t("export.uploaded"), None, bytes(source))
    path = Path(source)
    return _Source(name or path.name, path, None)


ENCODING_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "gb18030": "GBK/GB18030",
                   "xlsx": "Excel 工作簿 .xlsx"}


ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def _sniff(head: bytes) -> str:
    """'xlsx' or the text encoding of a CSV, from its first bytes."""
    if not head:
        raise ExportUnreadable(t("export.empty_file"))
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExportUnreadable(t("export.utf16"))
    if b"\x00" in head:
        raise ExportUnreadable(t("export.nul", line=head.count(b"\n", 0, head.index(b"\x00")) + 1))
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    # The whole head first; then the header line alone, for a file with a few rows pasted in
    # from elsewhere (those rows are reported, the others kept).
    header_line = head.split(b"\n", 1)[0]
    for sample in (head, header_line):
        for encoding in ("utf-8", "gb18030"):
            try:
                sample.decode(encoding)
                return encoding
            except UnicodeDecodeError as error:
                # The head may end inside a character: that cut is not an error.
                if len(sample) == SNIFF_BYTES and error.start >= len(sample) - 3:
                    return encoding
    raise ExportUnreadable(t("export.unknown_encoding"))


@dataclass(frozen=True)
class _Layout:
    """Which export column sits at which position of the file."""

    keys: tuple[str | None, ...]          # per file column: our key, or None (ignored)
    present: tuple[Column, ...]
    notes: tuple[str, ...]

    @property
    def names(self) -> list[str]:
        return [key or f"_ignored_{i}" for i, key in enumerate(self.keys)]


def _normalise(name: str) -> str:
    return (name.replace("\ufeff", "").replace("（", "(").replace("）", ")")
            .replace(" ", "").replace("\u3000", "").strip())


NAME_TO_KEY = {_normalise(alias): c.key for c in COLUMNS for alias in (c.name, *c.aliases)}


def _names(names: list[str]) -> str:
    """Column names for a message: each shortened and made visible, at most SHOWN_NAMES."""
    shown = "、".join(_shown(n) for n in names[:SHOWN_NAMES])
    return t("export.and_more", names=shown, count=len(names)) if len(names) > SHOWN_NAMES else shown


def _layout(header: list[str], encoding: str = "utf-8") -> _Layout:
    if not any(h.strip() for h in header):
        raise ExportUnreadable(t("export.no_header"))
    if len(header) > MAX_COLUMNS:
        raise ExportUnreadable(t("export.too_many_columns", count=len(header), limit=MAX_COLUMNS))
    keys = tuple(NAME_TO_KEY.get(_normalise(h)) for h in header)
    if encoding == "gb18030" and not any(keys) and not "".join(header).isascii():
        # Not one known column, in text that only decoded as GBK: another encoding (Big5,
        # Shift-JIS…) read as mojibake. Say so rather than list the garbled names.
        raise ExportUnreadable(t("export.unknown_encoding"))
    for key in set(keys) - {None}:
        if keys.count(key) > 1:
            names = _names([h for h, k in zip(header, keys, strict=True) if k == key])
            raise ExportUnreadable(t("export.duplicate_column", column=BY_KEY[key].name, names=names))
    present = tuple(c for c in COLUMNS if c.key in keys)
    missing = [c.name for c in COLUMNS if c.required and c not in present]
    if missing:
        found = _names([h for h in header if h.strip()]) or "—"
        raise ExportUnreadable(t("export.missing_columns", columns="、".join(missing), found=found))
    notes = []
    ignored = [h for h, k in zip(header, keys, strict=True) if k is None and h.strip()]
    if ignored:
        notes.append(t("export.ignored_columns", columns=_names(ignored)))
    derived = {"supplier"} if BY_KEY["product"] in present else set()  # see _complete
    absent = [c.name for c in COLUMNS if c not in present and c.key not in derived]
    if absent:
        notes.append(t("export.absent_columns", columns="、".join(absent)))
    return _Layout(keys, present, tuple(notes))


# ---- the checks, one column at a time ------------------------------------------------------

@dataclass
class _Issue:
    mask: np.ndarray                      # which rows of the chunk
    reasons: np.ndarray | str             # one reason, or one per masked row


@dataclass
class _Checked:
    values: pd.Series | pd.Categorical
    issues: list[_Issue] = field(default_factory=list)
    masked: np.ndarray | None = None      # rows whose phone numbers were masked
    formula: np.ndarray | None = None     # rows that start like a formula


def _per_row(template: str, values: pd.Series, mask: np.ndarray, **params: object) -> _Issue:
    shown = [t(template, value=_shown(v), **params) for v in values.to_numpy()[mask]]
    return _Issue(mask, np.array(shown, dtype=object))


def _distinct(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Codes per row and the distinct values (code -1: a missing cell)."""
    codes, uniques = pd.factorize(series.to_numpy(dtype=object), sort=False)
    return codes, [str(u) for u in uniques]


def _check_enum(series: pd.Series, members: list[Labeled], aliases: dict[str, Labeled],
                bad_key: str) -> _Checked:
    labels = [m.label for m in members]
    index = {label: i for i, label in enumerate(labels)}
    index.update({alias: labels.index(m.label) for alias, m in aliases.items()})
    index.update({str(m.value): i for i, m in enumerate(members)})
    codes, distinct = _distinct(series)

    def lookup(value: str) -> int:
        text = value.strip()
        return -2 if not text else index.get(text, -1)

    # New code per distinct value: -1 not a valid value, -2 empty (also a missing cell, code -1).
    mapping = np.array([lookup(v) for v in distinct] + [-2], dtype=np.int64)
    new_codes = mapping[codes]
    values = pd.Categorical.from_codes(np.maximum(new_codes, -1), categories=labels)
    issues = []
    if (new_codes == -2).any():
        issues.append(_Issue(new_codes == -2, t("export.reason.missing")))
    if (new_codes == -1).any():
        issues.append(_per_row(bad_key, series.astype(str), new_codes == -1, allowed="、".join(labels)))
    return _Checked(values, issues)


def _check_type(series: pd.Series, column: Column) -> _Checked:
    return _check_enum(series, list(AfterSaleType), TYPE_ALIASES, "export.reason.bad_type")


def _check_status(series: pd.Series, column: Column) -> _Checked:
    return _check_enum(series, list(Status), STATUS_ALIASES, "export.reason.bad_status")


def _check_text(series: pd.Series, column: Column) -> _Checked:
    """Free text (reason, item, supplier, parcel): checked once per distinct value."""
    old_codes, categories = _distinct(series)
    cleaned = [mask_phones(c.strip()) for c in categories]
    new_categories = list(dict.fromkeys(cleaned))
    position = {c: i for i, c in enumerate(new_categories)}

    def rows_where(flags: list[bool]) -> np.ndarray:
        flag_array = np.array(flags + [False], dtype=bool)   # code -1 (missing) maps to the last
        return flag_array[old_codes]

    mapping = np.array([position[c] for c in cleaned] + [-1], dtype=np.int64)
    values = pd.Categorical.from_codes(mapping[old_codes], categories=new_categories)
    issues = []
    too_long = rows_where([len(c) > column.max_chars for c in cleaned])
    if too_long.any():
        lengths = np.array([len(c) for c in cleaned] + [0])[old_codes][too_long]
        issues.append(_Issue(too_long, np.array(
            [t("export.reason.too_long", length=n, limit=column.max_chars) for n in lengths], dtype=object)))
    return _Checked(values, issues,
                    masked=rows_where([c.strip() != m for c, m in zip(categories, cleaned, strict=True)]),
                    formula=rows_where([m.startswith(FORMULA_START) for m in cleaned]))


def _texts(series: pd.Series) -> np.ndarray:
    return series.to_numpy(dtype=object)


def _check_id(series: pd.Series, column: Column) -> _Checked:
    values = _texts(series)
    empty = values == ""
    joined = "".join(values)
    # The usual export: ASCII digits only. One check over the joined text instead of a
    # million small ones; anything else is looked at value by value.
    if joined.isascii() and joined.encode("ascii").isalnum():
        odd = np.zeros(len(values), dtype=bool)
    else:
        odd = np.fromiter((not v.isalnum() for v in values), dtype=bool, count=len(values)) & ~empty
    issues = []
    if column.required and empty.any():
        issues.append(_Issue(empty, t("export.reason.missing")))
    if odd.any():
        reasons = [t("export.reason.scientific_id", value=_shown(v)) if SCIENTIFIC.fullmatch(v.strip())
                   else t("export.reason.bad_id", value=_shown(v)) for v in values[odd]]
        issues.append(_Issue(odd, np.array(reasons, dtype=object)))
    if len(values) and max(map(len, values)) > column.max_chars:
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        too_long = (lengths > column.max_chars) & ~odd
        if too_long.any():
            issues.append(_Issue(too_long, t("export.reason.too_long_id", limit=column.max_chars)))
    return _Checked(pd.Series(values, index=series.index, dtype=object), issues)


def _check_phone(series: pd.Series, column: Column) -> _Checked:
    values = _texts(series).copy()
    # A masked phone is 11 characters with stars: it cannot hold a full number, look like a
    # formula or be too long. Only the other values need a closer look.
    suspects = np.fromiter((v != "" and ("*" not in v or len(v) > 11) for v in values), dtype=bool,
                           count=len(values))
    masked = np.zeros(len(values), dtype=bool)
    formula = np.zeros(len(values), dtype=bool)
    issues = []
    if suspects.any():
        before = values[suspects]
        after = np.array([mask_phones(v) for v in before], dtype=object)
        masked[suspects] = after != before
        formula[suspects] = [v.startswith(FORMULA_START) for v in after]
        values[suspects] = after
        lengths = np.array([len(v) for v in after])
        too_long = lengths > column.max_chars
        if too_long.any():
            rows = np.zeros(len(values), dtype=bool)
            rows[np.flatnonzero(suspects)[too_long]] = True
            issues.append(_Issue(rows, np.array([t("export.reason.too_long", length=n, limit=column.max_chars)
                                                 for n in lengths[too_long]], dtype=object)))
    return _Checked(pd.Series(values, index=series.index, dtype=object), issues,
                    masked=masked, formula=formula)


def _parse_datetimes(values: np.ndarray) -> pd.Series:
    """Every value as a time (NaT where it is not one)."""
    # Fast path: numpy reads the back office's own "2026-05-03 14:05:00" directly. Only when
    # every value has exactly that length, so no other ISO form (a date alone, a zone) slips in.
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    if len(values) and np.isin(lengths, (0, len(DATE_FORMAT_EXAMPLE))).all():
        try:
            return pd.Series(np.array(values, dtype="datetime64[s]").astype("datetime64[us]"))
        except ValueError:
            pass
    series = pd.Series(values, dtype=object)
    # pandas reads "now" and "today" as the moment of reading: a value without a digit is no date.
    dateless = ~series.str.contains(r"\d", regex=True).fillna(False).to_numpy(dtype=bool)
    series = series.where(~dateless, "")
    parsed = pd.to_datetime(series, format=DATE_FORMAT, errors="coerce")
    todo = parsed.isna().to_numpy() & (values != "") & ~dateless
    if todo.any():
        offset = series[todo].str.strip().str.fullmatch(WITH_OFFSET.pattern, case=False).fillna(False)
        if offset.any():
            moments = pd.to_datetime(series[todo][offset].str.strip(), errors="coerce", utc=True,
                                     format="ISO8601")
            local = moments.dt.tz_convert(SHANGHAI).dt.tz_localize(None)
            parsed[local.index] = local
            todo = parsed.isna().to_numpy() & (values != "") & ~dateless
    if todo.any():
        stripped = series[todo].str.strip().str.replace(r"\s+", " ", regex=True)
        for date_format in (DATE_FORMAT, *OTHER_DATE_FORMATS):
            retry = pd.to_datetime(stripped, format=date_format, errors="coerce")
            parsed[todo] = parsed[todo].fillna(retry)
            todo = parsed.isna().to_numpy() & (values != "") & ~dateless
            if not todo.any():
                break
    return parsed.astype("datetime64[us]")


def _check_datetime(series: pd.Series, column: Column) -> _Checked:
    values = _texts(series)
    empty = values == ""
    parsed = _parse_datetimes(values)
    bad = parsed.isna().to_numpy() & ~empty
    issues = []
    if column.required and empty.any():
        issues.append(_Issue(empty, t("export.reason.missing")))
    if bad.any():
        issues.append(_per_row("export.reason.bad_date", series, bad, example=DATE_FORMAT_EXAMPLE))
    parsed.index = series.index
    # Shanghai kept summer time in 1986-91: an hour that never existed is reported; an hour that
    # came twice is read as the first (summer) one.
    local = parsed.dt.tz_localize(SHANGHAI, nonexistent="NaT", ambiguous=np.ones(len(parsed), dtype=bool))
    skipped = local.isna().to_numpy() & ~parsed.isna().to_numpy()
    if skipped.any():
        issues.append(_per_row("export.reason.no_such_time", series, skipped))
    return _Checked(local, issues)


def _amount_text(value: float) -> str:
    value = float(value)  # a numpy float's repr is "np.float64(…)", never for a trainee
    cents = value * 100
    return f"{value:.2f}" if math.isfinite(cents) and abs(cents - round(cents)) < 1e-6 else repr(value)


def _check_money(series: pd.Series, column: Column) -> _Checked:
    """退款金额(元) → integer fen; empty means no refund."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        # The parser already read every value as a number (the usual, clean export).
        parsed_by_reader = True
        number = series.to_numpy(dtype=float, copy=True)
        empty = np.zeros(len(series), dtype=bool)
        failed = np.isnan(number)
    else:
        parsed_by_reader = False
        series = series.astype(str)
        number = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan, copy=True)
        empty = _texts(series) == ""
        failed = np.isnan(number) & ~empty
    if failed.any():
        cleaned = series[failed].str.replace(MONEY_NOISE, "", regex=True)
        # A comma is a thousands separator only in its right places; "12,00" stays unread.
        separated = cleaned.str.fullmatch(THOUSANDS.pattern)
        cleaned = cleaned.where(~separated, cleaned.str.replace(r"[,，]", "", regex=True))
        number[failed] = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        failed = np.isnan(number) & ~empty
    number[empty] = 0.0
    not_number = failed | np.isinf(number)
    with np.errstate(invalid="ignore"):
        negative = (number < 0) & ~not_number
        too_large = (number > MAX_YUAN) & ~not_number
        cents = np.round(number * 100)
        too_precise = (np.abs(number * 100 - cents) > 1e-6) & ~not_number & ~too_large
    bad = not_number | negative | too_large | too_precise
    fen = np.where(bad, 0, cents).astype(np.int64)
    shown = series
    if parsed_by_reader and bad.any():
        # Quote a number as it was most likely written: -45.80, not -45.8.
        shown = pd.Series(np.empty(len(series), dtype=object), index=series.index)
        shown[bad] = [_amount_text(v) for v in number[bad]]
    issues = [_per_row(key, shown, mask) for key, mask in (
        ("export.reason.not_number", not_number), ("export.reason.negative", negative),
        ("export.reason.too_large", too_large), ("export.reason.too_precise", too_precise)) if mask.any()]
    return _Checked(pd.Series(fen, index=series.index), issues)


CHECKS: dict[Kind, Callable[[pd.Series, Column], _Checked]] = {
    Kind.ID: _check_id, Kind.TYPE: _check_type, Kind.STATUS: _check_status,
    Kind.DATETIME: _check_datetime, Kind.MONEY: _check_money, Kind.TEXT: _check_text,
    Kind.PHONE: _check_phone,
}


# ---- putting the chunks together -----------------------------------------------------------

class _Collector:
    """Checks chunk after chunk; remembers kept rows, rejected rows, problems and notes."""

    def __init__(self, layout: _Layout) -> None:
        self.layout = layout
        self.kept: list[pd.DataFrame] = []
        self.rejected: list[pd.DataFrame] = []
        self.problems: list[pd.DataFrame] = []
        self.marked: dict[tuple[str, str], list[np.ndarray]] = {}
        self.rows_read = 0
        self.blank_rows = 0

    def add(self, raw: pd.DataFrame, rows: np.ndarray, row_issues: _Issue | None = None,
            garbled: bool = False) -> None:
        """Check one chunk. `rows` are Excel row numbers; `row_issues` reject whole rows;
        `garbled`: the text was decoded with replacement characters, look for them."""
        present = self.layout.present
        blank = self._blank(raw, present)
        self.blank_rows += int(blank.sum())
        self.rows_read += int((~blank).sum())
        bad = np.zeros(len(raw), dtype=bool)
        converted: dict[str, object] = {}
        row_issues = [i for i in (row_issues, _garbled(raw, present) if garbled else None) if i is not None]
        # A row of the wrong length or with stray bytes is reported once, as a row, not once
        # per value it spoils.
        skip = blank.copy()
        for issue in row_issues:
            skip |= issue.mask
        for column in present:
            checked = CHECKS[column.kind](raw[column.key], column)
            for issue in checked.issues:
                bad |= self._record(issue, rows, skip, column.name)
            for note_key, marks in (("phone", checked.masked), ("formula", checked.formula)):
                if marks is not None and marks.any():
                    self.marked.setdefault((note_key, column.name), []).append(rows[marks & ~blank])
            converted[column.key] = checked.values
        for issue in row_issues:
            bad |= self._record(issue, rows, blank, "")
        bad = self._cross_checks(converted, rows, blank, bad)
        keep = ~bad & ~blank
        frame = pd.DataFrame(converted, index=raw.index)
        frame.insert(0, "row", rows.astype(np.int64))
        self.kept.append(frame[keep])
        if bad.any():
            text = raw.loc[bad, [c.key for c in present]].astype(str)
            text.insert(0, "row", rows[bad])
            self.rejected.append(text)

    @staticmethod
    def _blank(raw: pd.DataFrame, present: tuple[Column, ...]) -> np.ndarray:
        first = _texts(raw[present[0].key]) == ""
        if not first.any():
            return first
        candidates = raw[first]
        empty = np.ones(len(candidates), dtype=bool)
        for column in present:
            empty &= (candidates[column.key].astype(str).str.strip() == "").to_numpy()
        blank = np.zeros(len(raw), dtype=bool)
        blank[np.flatnonzero(first)[empty]] = True
        return blank

    def _record(self, issue: _Issue, rows: np.ndarray, blank: np.ndarray, column: str) -> np.ndarray:
        mask = issue.mask & ~blank
        if mask.any():
            reasons = issue.reasons if isinstance(issue.reasons, str) else issue.reasons[~blank[issue.mask]]
            self.problems.append(pd.DataFrame({"row": rows[mask], "column": column, "reason": reasons}))
        return mask

    def _cross_checks(self, converted: dict, rows: np.ndarray, blank: np.ndarray,
                      bad: np.ndarray) -> np.ndarray:
        """Times that cannot be: an answer or an end before the request."""
        applied = converted["applied_at"]
        for key in ("answered_at", "closed_at"):
            if key in converted:
                later = converted[key]
                early = (later < applied).to_numpy(dtype=bool, na_value=False) & ~bad
                if early.any():
                    shown = later[early].dt.strftime(DATE_FORMAT)
                    reasons = np.array([t("export.reason.before_applied", value=v) for v in shown],
                                       dtype=object)
                    bad = bad | self._record(_Issue(early, reasons), rows, blank, BY_KEY[key].name)
        return bad

    def finish(self, report: ImportReport) -> ImportResult:
        layout = self.layout
        kept = _concat(self.kept, layout) if self.kept else _empty_kept(layout)
        kept = _complete(kept, layout, report)
        kept = self._reject_duplicates(kept)
        rejected = pd.concat(self.rejected) if self.rejected else pd.DataFrame(columns=["row"])
        problems = (pd.concat(self.problems, ignore_index=True) if self.problems
                    else pd.DataFrame(columns=list(PROBLEM_COLUMNS)))
        order = {c.name: i for i, c in enumerate(COLUMNS)}
        problems = (problems.assign(_order=problems["column"].map(order).fillna(-1))
                    .sort_values(["row", "_order"], kind="stable").drop(columns="_order")
                    .reset_index(drop=True))
        report.problems = problems
        report.rows_read = self.rows_read
        report.blank_rows = self.blank_rows
        report.rows_kept = len(kept)
        report.rows_rejected = int(problems["row"].nunique()) if len(problems) else 0
        report.notes += list(layout.notes)
        if self.blank_rows:
            report.notes.append(t("export.blank_rows", count=self.blank_rows))
        if self.rows_read == 0:
            report.notes.append(t("export.header_only"))
        for (note_key, column), parts in self.marked.items():
            marked_rows = np.concatenate(parts)
            if len(marked_rows):
                report.notes.append(t(f"export.{note_key}_note", rows=_row_list(marked_rows), column=column))
        return ImportResult(kept, _rejected_table(rejected, problems, layout), report)

    def _reject_duplicates(self, kept: pd.DataFrame) -> pd.DataFrame:
        duplicate = kept["case_id"].duplicated(keep="first").to_numpy()
        if not duplicate.any():
            return kept
        first_row = kept.loc[~duplicate].set_index("case_id")["row"]
        dups = kept[duplicate]
        firsts = first_row.reindex(dups["case_id"])
        reasons = [t("export.reason.duplicate", value=_shown(case_id), first=first)
                   for case_id, first in zip(dups["case_id"], firsts, strict=True)]
        self.problems.append(pd.DataFrame({"row": dups["row"].to_numpy(), "column": BY_KEY["case_id"].name,
                                           "reason": reasons}))
        self.rejected.append(_as_text(dups, self.layout))
        return kept[~duplicate].reset_index(drop=True)


def _garbled(raw: pd.DataFrame, present: tuple[Column, ...]) -> _Issue | None:
    """Rows holding U+FFFD, the mark of bytes the file's encoding could not read."""
    hits = {c.name: raw[c.key].astype(str).str.contains(REPLACEMENT, regex=False).to_numpy()
            for c in present}
    mask = np.logical_or.reduce(list(hits.values()))
    if not mask.any():
        return None
    reasons = [t("export.reason.garbled", columns="、".join(name for name, hit in hits.items() if hit[i]))
               for i in np.flatnonzero(mask)]
    return _Issue(mask, np.array(reasons, dtype=object))


def _concat(frames: list[pd.DataFrame], layout: _Layout) -> pd.DataFrame:
    """One frame from the chunks; text columns get one shared set of categories first."""
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    for column in layout.present:
        if column.kind in CATEGORY_KINDS:
            union = pd.Index(pd.unique(np.concatenate([f[column.key].cat.categories for f in frames])))
            for frame in frames:
                frame[column.key] = frame[column.key].cat.set_categories(union)
    return pd.concat(frames, ignore_index=True)


def _row_list(rows: np.ndarray) -> str:
    rows = np.sort(rows)
    listed = "、".join(str(r) for r in rows[:NOTE_ROWS])
    return t("export.rows_many", rows=listed, count=len(rows)) if len(rows) > NOTE_ROWS \
        else t("export.rows_few", rows=listed)


def _empty_kept(layout: _Layout) -> pd.DataFrame:
    raw = pd.DataFrame({c.key: pd.Series([], dtype=str) for c in layout.present})
    frame = pd.DataFrame({c.key: CHECKS[c.kind](raw[c.key], c).values for c in layout.present})
    frame.insert(0, "row", pd.Series([], dtype=np.int64))
    return frame


def _complete(kept: pd.DataFrame, layout: _Layout, report: ImportReport) -> pd.DataFrame:
    """Every column present, in one order, with one dtype, whatever the file had."""
    for column in COLUMNS:
        if column.key in kept:
            continue
        if column.key == "supplier" and BY_KEY["product"] in layout.present:
            # An export has no 上家 column: the shop's own item list says who ships each item.
            by_name = {p.name: p.supplier_id for p in load_products().values()}
            names = {s.id: s.name for s in load_suppliers().values()}
            kept[column.key] = kept["product"].map(
                {p: names.get(by_name.get(str(p), ""), "") for p in kept["product"].cat.categories}
            ).astype("category")
            report.notes.append(t("export.supplier_from_products"))
        elif column.kind is Kind.DATETIME:
            kept[column.key] = pd.Series(pd.NaT, index=kept.index, dtype=f"datetime64[us, {SHANGHAI.key}]")
        elif column.kind in CATEGORY_KINDS:
            kept[column.key] = pd.Categorical([""] * len(kept))
        else:
            kept[column.key] = pd.Series("", index=kept.index, dtype=str)
    for column in COLUMNS:
        if column.kind in CATEGORY_KINDS and not isinstance(kept[column.key].dtype, pd.CategoricalDtype):
            kept[column.key] = kept[column.key].astype("category")
    return kept[["row", *(c.key for c in COLUMNS)]]


def _as_text(frame: pd.DataFrame, layout: _Layout) -> pd.DataFrame:
    text = pd.DataFrame({"row": frame["row"].to_numpy()})
    for column in layout.present:
        values = frame[column.key]
        if column.kind is Kind.DATETIME:
            text[column.key] = values.dt.strftime(DATE_FORMAT).fillna("").to_numpy()
        elif column.kind is Kind.MONEY:
            text[column.key] = [f"{v // 100}.{v % 100:02d}" for v in values]
        else:
            text[column.key] = values.astype(str).to_numpy()
    return text


def _rejected_table(rejected: pd.DataFrame, problems: pd.DataFrame, layout: _Layout) -> pd.DataFrame:
    """Rejected rows as text under their Chinese headers, with 行号 and 问题; phones masked."""
    columns = list(layout.present)
    if rejected.empty:
        return pd.DataFrame(columns=[t("export.row_header"), *(c.name for c in columns),
                                     t("export.problem_header")])
    rejected = rejected.sort_values("row", kind="stable").reset_index(drop=True)
    joined = problems.assign(text=np.where(problems["column"] == "", problems["reason"],
                                           problems["column"] + "：" + problems["reason"]))
    joined = joined.groupby("row", sort=False)["text"].agg("；".join)
    table = pd.DataFrame({t("export.row_header"): rejected["row"].to_numpy()})
    for column in columns:
        values = rejected[column.key].astype(str)
        table[column.name] = values.str.replace(PHONE, _masked_match, regex=True).to_numpy()
    table[t("export.problem_header")] = joined.reindex(rejected["row"]).to_numpy()
    return table


def rejected_csv(result: ImportResult) -> bytes:
    """The rejected rows as a CSV to fix and import again (UTF-8 with BOM, formulas quoted)."""
    safe = result.rejected.astype(str).map(plain_text)
    safe.columns = [plain_text(str(c)) for c in safe.columns]
    # Every field quoted: a carriage return inside a cell cannot start a new row in Excel.
    return safe.to_csv(index=False, lineterminator="\r\n", quoting=csv.QUOTE_ALL).encode("utf-8-sig")


# ---- CSV and xlsx readers ------------------------------------------------------------------

def _csv_header(head: bytes, encoding: str, complete: bool) -> tuple[list[str], str]:
    """The header and the separator; `complete`: the head is the whole file."""
    if b"\n" not in head and b"\r" not in head and not complete:
        raise ExportUnreadable(t("export.long_header", limit=SNIFF_BYTES >> 10))
    text = head.decode(encoding, errors="replace")
    first_line = re.split(r"\r\n?|\n", text, maxsplit=1)[0]
    separator = "\t" if first_line.count("\t") > first_line.count(",") else ","
    header = next(csv.reader(io.StringIO(text), delimiter=separator), [])
    return header, separator


def _pandas_read(source: _Source, layout: _Layout, encoding: str, separator: str,
                 errors: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The whole file in one pass of pandas' C reader: every value as a Python string (repeated
    values share one object), the amount as a number when every value is one (else as text)."""
    # One pass, not chunks: pandas' chunked reader costs about 40% more time, and the checked
    # frame is far smaller than the text it replaces, so memory stays below read_csv's own.
    dtypes = {name: object for name, key in zip(layout.names, layout.keys, strict=True)
              if not (key and BY_KEY[key].kind is Kind.MONEY)}
    frame = pd.read_csv(source.binary(), sep=separator, header=None, skiprows=1, names=layout.names,
                        index_col=False, dtype=dtypes, na_filter=False, skip_blank_lines=False,
                        encoding=encoding, encoding_errors=errors, engine="c")
    return frame, frame.index.to_numpy() + 2


def _python_chunks(source: _Source, layout: _Layout, encoding: str,
                   separator: str) -> Iterator[tuple[pd.DataFrame, np.ndarray, _Issue]]:
    """The slow, forgiving reader, for files with rows of the wrong length."""
    text = source.all_bytes().decode(encoding, errors="replace")
    records = csv.reader(io.StringIO(text), delimiter=separator)
    next(records, None)
    width = len(layout.keys)
    rows, numbers, wrong = [], [], []
    for number, record in enumerate(records, start=2):
        extra = record[width:]
        wrong.append(any(v.strip() for v in extra))
        rows.append((record + [""] * (width - len(record)))[:width])
        numbers.append((number, len(record)))
        if len(rows) == CHUNK_ROWS:
            yield _python_chunk(rows, numbers, wrong, layout, width)
            rows, numbers, wrong = [], [], []
    if rows:
        yield _python_chunk(rows, numbers, wrong, layout, width)


def _python_chunk(rows: list, numbers: list, wrong: list, layout: _Layout,
                  width: int) -> tuple[pd.DataFrame, np.ndarray, _Issue]:
    frame = pd.DataFrame(rows, columns=layout.names, dtype=str)
    mask = np.array(wrong, dtype=bool)
    reasons = np.array([t("export.reason.field_count", found=found, expected=width)
                        for (_, found), w in zip(numbers, wrong, strict=True) if w], dtype=object)
    return frame, np.array([n for n, _ in numbers]), _Issue(mask, reasons)


def _cell_text(value: object) -> str:
    """An xlsx cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float):
        # Above 2**53 a float has lost digits: an ID typed as a number must not pass as whole.
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    return str(value)


DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')
SST_COUNT = re.compile(rb'uniqueCount="(\d+)"|count="(\d+)"')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_xlsx(stream: io.BufferedIOBase) -> None:
    """Refuse a workbook that would take unbounded time or memory, before parsing it: sizes from
    the zip directory, rows and columns from each sheet's <dimension>, the shared-string count."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ExportUnreadable(t("export.bad_xlsx")) from error
    entries = archive.infolist()
    unpacked = sum(e.file_size for e in entries)
    packed = max(1, sum(e.compress_size for e in entries))
    if unpacked > MAX_XLSX_UNPACKED or (unpacked > RATIO_FROM_BYTES and unpacked / packed > MAX_XLSX_RATIO):
        raise ExportUnreadable(t("export.xlsx_bomb", unpacked=unpacked >> 20, packed=max(1, packed >> 20)))
    for entry in entries:
        if entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml"):
            with archive.open(entry) as sheet:
                match = DIMENSION.search(sheet.read(4096))
            if match and match.group(3):
                rows, columns = int(match.group(4)), _column_number(match.group(3))
                if rows > MAX_ROWS + 1 or columns > MAX_COLUMNS:
                    raise ExportUnreadable(t("export.xlsx_too_large", rows=rows, columns=columns,
                                             max_rows=MAX_ROWS, max_columns=MAX_COLUMNS))
        elif entry.filename == "xl/sharedStrings.xml":
            with archive.open(entry) as strings:
                counts = [int(a or b) for a, b in SST_COUNT.findall(strings.read(4096))]
            if counts and max(counts) > MAX_SHARED_STRINGS:
                raise ExportUnreadable(t("export.xlsx_strings", count=max(counts), limit=MAX_SHARED_STRINGS))


def _read_xlsx(src: _Source, report: ImportReport) -> ImportResult:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    with src.stream() as stream:
        _check_xlsx(stream)
        stream.seek(0)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                # data_only=False: a formula cell comes back as its text and is never evaluated.
                book = openpyxl.load_workbook(stream, read_only=True, data_only=False)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
            raise ExportUnreadable(t("export.bad_xlsx")) from error
        return _read_book(book, report)


def _read_book(book: object, report: ImportReport) -> ImportResult:
    try:
        records = book.worksheets[0].iter_rows(values_only=True)
        layout = _layout([_cell_text(v) for v in next(records, ())][:MAX_COLUMNS + 1])
        width = len(layout.keys)
        collector = _Collector(layout)
        batch: list[list[str]] = []
        start = 2
        for number, values in enumerate(records, start=2):
            if number > MAX_ROWS + 1:  # a sheet without a <dimension> can still be too long
                raise ExportUnreadable(t("export.xlsx_too_large", rows=number, columns=len(values),
                                         max_rows=MAX_ROWS, max_columns=MAX_COLUMNS))
            cells = [_cell_text(v) for v in values[:width]]
            batch.append(cells + [""] * (width - len(cells)))
            if len(batch) == CHUNK_ROWS:
                collector.add(pd.DataFrame(batch, columns=layout.names, dtype=str),
                              np.arange(start, start + len(batch)))
                start += len(batch)
                batch = []
        if batch:
            collector.add(pd.DataFrame(batch, columns=layout.names, dtype=str),
                          np.arange(start, start + len(batch)))
        return collector.finish(report)
    finally:
        book.close()


def read_export(source: Source, name: str | None = None) -> ImportResult:
    """Read and check an export: a path, or the bytes of an upload (`name` for the report).

    Never raises for a bad file: a file that cannot be used comes back with `report.fatal` set
    and empty tables.
    """
    src = _source(source, name)
    report = ImportReport(source=visible(src.name))
    try:
        src.check()
        encoding = _sniff(src.head())
        if encoding == "ole":
            # An OLE2 container: a password-protected xlsx (Excel encrypts into one, its stream
            # directory anywhere in the file) or an old .xls.
            raise ExportUnreadable(t("export.encrypted" if src.find(ENCRYPTED) >= 0 else "export.old_xls"))
        report.encoding = ENCODING_LABELS[encoding]
        if encoding == "xlsx":
            return _read_xlsx(src, report)
        return _read_csv(src, encoding, report)
    except ExportUnreadable as error:
        report.fatal = str(error)
        empty = _Layout((), (), ())
        return ImportResult(_complete(_empty_kept(empty), empty, ImportReport("")),
                            _rejected_table(pd.DataFrame(), pd.DataFrame(), empty), report)


def _read_csv(src: _Source, encoding: str, report: ImportReport) -> ImportResult:
    nul = src.find(b"\x00")
    if nul >= 0:
        raise ExportUnreadable(t("export.nul", line=src.count_lines(nul)))
    head = src.head()
    if b"\r" in head and b"\n" not in head:
        # Old Mac line ends (CR alone): read as ordinary lines.
        src = _Source(src.name, None, src.all_bytes().replace(b"\r", b"\n"))
        head = src.head()
    complete = len(head) < SNIFF_BYTES
    header, separator = _csv_header(head, encoding, complete)
    layout = _layout(header, encoding)
    # Fast and strict first; a stray byte or a row of the wrong length falls back to a reader
    # that reports the row instead of stopping.
    collector = _Collector(layout)
    try:
        collector.add(*_pandas_read(src, layout, encoding, separator, "strict"))
        return collector.finish(report)
    except UnicodeDecodeError:
        garbled = True
    except pd.errors.ParserError as error:
        match = re.search(r"EOF inside string starting at row (\d+)", str(error))
        if match:
            raise ExportUnreadable(t("export.open_quote", row=int(match.group(1)) + 1)) from error
        garbled = False
    collector = _Collector(layout)
    if garbled:
        try:
            collector.add(*_pandas_read(src, layout, encoding, separator, "replace"), garbled=True)
            return collector.finish(report)
        except pd.errors.ParserError:
            collector = _Collector(layout)
    for raw, rows, row_issues in _python_chunks(src, layout, encoding, separator):
        collector.add(raw, rows, row_issues, garbled=True)
    return collector.finish(report)
