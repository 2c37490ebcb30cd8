"""The export importer on a corpus of broken files: each error is named (row, column, reason),
every good row is kept, rows read = kept + rejected, and the source file is never changed.

Small text files live in tests/corpus/; binary ones (GBK, UTF-16, xlsx) and the ones that need
a full phone number are built here at run time, so the repository never holds a real-looking
number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from helpers.export import importer
from helpers.export.generate import broken_export, generate_export
from helpers.export.importer import ImportResult, mask_phones, plain_text, read_export, rejected_csv
from helpers.paths import PROJECT_ROOT

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
UNMASKED = re.compile(r"(?<![\d*])1[3-9]\d{9}(?![\d*])")
FULL_PHONE = "139" + "0013" + "8000"   # built, never stored


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def imported(source: Path | bytes, name: str | None = None) -> ImportResult:
    """read_export, plus the promises every import keeps."""
    before = digest(source) if isinstance(source, Path) else None
    result = read_export(source, name)
    if before is not None:
        assert digest(source) == before, "the importer changed its source file"
    report = result.report
    assert report.rows_read == report.rows_kept + report.rows_rejected
    assert len(result.frame) == report.rows_kept
    assert len(result.rejected) == report.rows_rejected
    assert set(result.frame["row"]).isdisjoint(set(result.rejected["行号"]))
    if report.fatal is not None:
        assert report.exit_code == 2 and result.frame.empty
    else:
        assert report.exit_code == (1 if report.rows_rejected else 0)
    shown = report.text(limit=1000) + result.rejected.to_csv() + result.frame.to_csv()
    assert not UNMASKED.search(shown), "an unmasked phone number is shown"
    return result


def problems(result: ImportResult) -> list[tuple[int, str, str]]:
    return [(int(r), c, reason) for r, c, reason in result.report.problems.itertuples(index=False)]


def kept_rows(result: ImportResult) -> list[int]:
    return sorted(int(r) for r in result.frame["row"])


GOOD_TEXT = (CORPUS / "good.csv").read_text(encoding="utf-8")


# ---- the corpus ----------------------------------------------------------------------------

def test_a_good_file_keeps_every_row_with_its_values():
    result = imported(CORPUS / "good.csv")
    assert result.report.exit_code == 0
    assert kept_rows(result) == [2, 3, 4, 5, 6, 7]
    first = result.frame.iloc[0]
    assert first["case_id"] == "7320000000000017105"
    assert first["type"] == "未发货仅退款" and first["status"] == "买家已撤销"
    beijing = dt.timezone(dt.timedelta(hours=8))
    assert first["applied_at"] == dt.datetime(2026, 8, 12, 23, 17, 33, tzinfo=beijing)
    assert result.frame["refund_fen"].tolist() == [0, 7900, 0, 9900, 12900, 18900]


def test_missing_required_columns_stop_the_import_and_are_named():
    result = imported(CORPUS / "missing_columns.csv")
    assert result.report.fatal.startswith("缺少必需的列：申请时间、退款金额(元)。")
    assert "表头里有：售后单号、订单号" in result.report.fatal


def test_bad_dates_are_rejected_with_row_column_and_reason():
    result = imported(CORPUS / "bad_dates.csv")
    assert problems(result) == [
        (3, "申请时间", "「2026-13-01 10:00:00」不是日期时间，应写成 2026-05-03 14:05:00"),
        (4, "申请时间", "不能为空"),
        (5, "商家处理时间", "「昨天下午」不是日期时间，应写成 2026-05-03 14:05:00"),
        (6, "完结时间", "「2026-09-18 19:43:48」早于申请时间，不可能"),
    ]
    # Excel's own way of writing dates (2026/10/9 20:52, 2026年10月15日 11:00) is understood.
    assert kept_rows(result) == [2, 7]
    row7 = result.frame.set_index("row").loc[7]
    assert (row7["applied_at"].hour, row7["applied_at"].minute) == (20, 52)
    assert row7["closed_at"].day == 15


def test_negative_non_numeric_and_over_precise_amounts_are_rejected():
    result = imported(CORPUS / "bad_amounts.csv")
    assert problems(result) == [
        (2, "退款金额(元)", "「-12.50」是负数：退款金额不能为负"),
        (3, "退款金额(元)", "「七十九元」不是数字"),
        (4, "退款金额(元)", "「12.345」超过两位小数：金额只精确到分"),
        (8, "退款金额(元)", "「6930842115387091111」太大，不像一笔退款（是不是把单号填到了金额列？）"),
    ]
    assert kept_rows(result) == [5, 6, 7]
    # "¥1,234.50" is money; an empty amount means no refund.
    assert result.frame.set_index("row")["refund_fen"].to_dict() == {5: 123450, 6: 0, 7: 18900}


def test_a_column_of_numbers_only_is_checked_the_same_way():
    # Without a text value in the column the reader hands over numbers: same checks, same quotes.
    lines = GOOD_TEXT.splitlines()
    for row, amount in ((2, "inf"), (3, "nan"), (4, "-99.00"), (5, "12.345")):
        before = lines[row].split(",")[7]
        lines[row] = lines[row].replace(f",{before},", f",{amount},")
    result = imported(("\n".join(lines) + "\n").encode(), "numbers.csv")
    assert problems(result) == [
        (3, "退款金额(元)", "「inf」不是数字"),
        (4, "退款金额(元)", "「nan」不是数字"),
        (5, "退款金额(元)", "「-99.00」是负数：退款金额不能为负"),
        (6, "退款金额(元)", "「12.345」超过两位小数：金额只精确到分"),
    ]
    assert kept_rows(result) == [2, 7]


def test_a_duplicated_case_id_is_rejected_after_its_first_good_row():
    result = imported(CORPUS / "duplicate_ids.csv")
    assert problems(result) == [
        (4, "申请时间", "「2026-09-07 99:56:19」不是日期时间，应写成 2026-05-03 14:05:00"),
        (5, "售后单号", "售后单号「7320000000000017105」与第 2 行重复"),
        (6, "售后单号", "售后单号「7320000000000028363」与第 3 行重复"),
    ]
    # Row 7 repeats row 4's number, but row 4 was rejected: row 7 is the good one, kept.
    assert kept_rows(result) == [2, 3, 7]


def test_duplicates_are_found_across_batches(monkeypatch):
    # xlsx rows are built in batches of CHUNK_ROWS; make the batches tiny.
    monkeypatch.setattr(importer, "CHUNK_ROWS", 2)
    book = openpyxl.Workbook()
    for line in (CORPUS / "duplicate_ids.csv").read_text(encoding="utf-8").splitlines():
        book.active.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    result = imported(buffer.getvalue(), "duplicates.xlsx")
    assert kept_rows(result) == [2, 3, 7]
    assert [p[0] for p in problems(result)] == [4, 5, 6]
    # Text columns get one set of categories across chunks.
    assert result.frame["reason"].dtype == "category"


def test_an_empty_file_and_a_header_only_file():
    empty = imported(CORPUS / "empty.csv")
    assert empty.report.fatal == "文件是空的（0 字节）"
    header_only = imported(CORPUS / "header_only.csv")
    assert (header_only.report.rows_read, header_only.report.exit_code) == (0, 0)
    assert "文件只有表头，没有数据行" in header_only.report.notes


def test_formula_looking_cells_stay_text_and_are_quoted_when_written_back():
    result = imported(CORPUS / "formula_cells.csv")
    assert problems(result) == [(4, "售后单号", "「=1+1」不是有效的单号：单号只能由字母和数字组成")]
    assert kept_rows(result) == [2, 3, 5]
    reasons = result.frame.set_index("row")["reason"]
    assert reasons[2] == '=HYPERLINK("http://example.invalid","点我退款")'
    assert reasons[5] == "-尺码偏小-"
    notes = "\n".join(result.report.notes)
    assert "第 2、5 行的「售后原因」以 = + - @、制表符或回车开头" in notes
    assert "第 3 行的「商品名称」以 = + - @、制表符或回车开头" in notes
    written = rejected_csv(result).decode("utf-8-sig")
    assert '\n"4","\'=1+1",' in written
    assert plain_text("@SUM(A1)") == "'@SUM(A1)" and plain_text("退款") == "退款"


def test_a_row_with_too_many_values_is_rejected_and_the_others_kept():
    result = imported(CORPUS / "wrong_field_count.csv")
    assert problems(result) == [(4, "", "这一行有 14 个值，表头只有 13 列（单元格里的逗号可能没有加引号）")]
    # A trailing empty value (row 5) and a short row (row 6, optional columns missing) are fine.
    assert kept_rows(result) == [2, 3, 5, 6]


def test_an_unclosed_quote_names_its_row():
    result = imported(CORPUS / "unclosed_quote.csv")
    assert result.report.fatal.startswith("第 4 行有一个英文双引号（\"）没有配对")


def test_columns_in_any_order_extra_ignored_and_the_supplier_from_the_item_list():
    result = imported(CORPUS / "reordered.csv")
    assert result.report.exit_code == 0
    notes = result.report.notes
    assert "忽略了课程不用的列：店铺名称、备注" in notes
    assert "文件里没有这些列，相关统计为空：订单号、售后原因、物流状态" in notes
    assert any("已按本店商品表" in n for n in notes)
    frame = result.frame.set_index("row")
    assert frame.loc[2, "refund_fen"] == 2990          # 退款金额（元）: full-width brackets
    assert frame.loc[2, "supplier"] == "成都蜀味食品上家"  # 手工火锅底料 is S04's
    assert frame.loc[4, "supplier"] == ""               # an item the shop's list does not know


def test_unknown_type_and_status_are_rejected_codes_and_aliases_accepted():
    result = imported(CORPUS / "bad_enums.csv")
    got = problems(result)
    assert [(r, c) for r, c, _ in got] == [(2, "售后类型"), (4, "售后状态"), (5, "售后类型")]
    assert got[0][2].startswith("「退款」不是售后类型；可以写：退货退款、已发货仅退款")
    assert got[2][2] == "不能为空"
    frame = result.frame.set_index("row")
    assert (frame.loc[3, "type"], frame.loc[3, "status"]) == ("退货退款", "售后成功")    # codes 0 and 12
    assert (frame.loc[6, "type"], frame.loc[6, "status"]) == ("已发货仅退款", "待商家同意")  # Detail labels


def test_blank_rows_are_skipped_and_row_numbers_stay_excels():
    result = imported(CORPUS / "blank_rows.csv")
    assert result.report.blank_rows == 3
    assert problems(result) == [(6, "退款金额(元)", "「-1」是负数：退款金额不能为负")]
    assert kept_rows(result) == [2, 5]


def test_ids_that_excel_turned_into_scientific_notation():
    result = imported(CORPUS / "scientific_ids.csv")
    assert [(r, c) for r, c, _ in problems(result)] == [(2, "售后单号"), (2, "订单号")]
    assert "被 Excel 改成了科学计数法" in problems(result)[0][2]
    assert kept_rows(result) == [3]


# ---- encodings and formats -----------------------------------------------------------------

@pytest.mark.parametrize(("encoding", "label"), [
    ("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8（带 BOM）"), ("gbk", "GBK/GB18030"), ("gb18030", "GBK/GB18030"),
])
def test_the_encodings_chinese_excel_saves(tmp_path, encoding, label):
    path = tmp_path / f"export-{encoding}.csv"
    path.write_bytes(GOOD_TEXT.encode(encoding))
    result = imported(path)
    assert (result.report.encoding, result.report.exit_code) == (label, 0)
    assert kept_rows(result) == [2, 3, 4, 5, 6, 7]
    assert list(result.frame["reason"])[0] == "发货太慢"


def test_a_tab_separated_export():
    result = imported(GOOD_TEXT.replace(",", "\t").encode("utf-8"), "export.txt")
    assert result.report.exit_code == 0 and len(result.frame) == 6


def test_utf16_is_refused_with_what_to_do():
    result = imported(GOOD_TEXT.encode("utf-16"), "unicode.txt")
    assert "UTF-16" in result.report.fatal and "CSV UTF-8" in result.report.fatal


def test_a_row_pasted_in_another_encoding_is_rejected_alone():
    lines = GOOD_TEXT.splitlines(keepends=True)
    data = "".join(lines[:3]).encode() + lines[3].encode("gbk") + "".join(lines[4:]).encode()
    result = imported(data, "mixed.csv")
    assert [(r, c) for r, c, _ in problems(result)] == [(4, "")]
    assert problems(result)[0][2].startswith("有无法识别的字节（售后类型、售后状态、售后原因")
    assert kept_rows(result) == [2, 3, 5, 6, 7]


@pytest.mark.parametrize(("data", "fatal"), [
    (b"\xd0\xcf\x11\xe0" + bytes(200), "旧版 Excel（.xls）"),
    (b"PK\x03\x04 not really a zip", "xlsx 文件打不开"),
    (bytes(range(256)) * 4, "第 1 行有空字节（NUL）"),
    (b"\n\n" + GOOD_TEXT.encode(), "第 1 行（表头）是空的"),
    (("售后单号,售后类型,售后状态,申请时间,退款金额(元),售后单号\n").encode(), "「售后单号」出现了不止一次"),
])
def test_files_that_cannot_be_used(data, fatal):
    assert fatal in imported(data, "x.csv").report.fatal


def test_a_missing_file():
    result = read_export(CORPUS / "no_such_file.csv")
    assert result.report.fatal.startswith("读不到文件") and result.report.exit_code == 2


def _xlsx(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    lines = [line.split(",") for line in GOOD_TEXT.splitlines()]
    sheet.append(lines[0])
    for values in lines[1:3]:
        sheet.append(values)
    # Real cell types: a date cell, a number refund, a formula, and an ID stored as a number.
    sheet.append(["7320000000000099991", "6930842115387098909", "已发货仅退款", "售后成功",
                  dt.datetime(2026, 10, 9, 20, 52, 9), None, dt.datetime(2026, 10, 15, 11, 0), 18.9,
                  "=A2&A3", "透气跑步鞋", "泉州晋江鞋业总店", "买家已拒签", "152****0881"])
    sheet.append([7.320000000000099e18, "6930842115387098910", "已发货仅退款", "售后成功",
                  dt.datetime(2026, 10, 9, 20, 52, 9), None, None, 18.9, "", "透气跑步鞋", "", "", ""])
    path = tmp_path / "export.xlsx"
    book.save(path)
    return path


def test_an_xlsx_export(tmp_path):
    path = _xlsx(tmp_path)
    result = imported(path)
    assert result.report.encoding == "Excel 工作簿 .xlsx"
    assert problems(result) == [(5, "售后单号", "「7.320000000000099e+18」被 Excel 改成了科学计数法，"
                                              "单号末几位已经丢失：请把这一列设成「文本」后重新导出")]
    assert kept_rows(result) == [2, 3, 4]
    row4 = result.frame.set_index("row").loc[4]
    assert row4["refund_fen"] == 1890 and row4["reason"] == "=A2&A3"   # the formula is text, not run
    assert row4["applied_at"].hour == 20
    assert any("第 4 行的「售后原因」以 = + - @、制表符或回车开头" in n for n in result.report.notes)


# ---- size and privacy ----------------------------------------------------------------------

def test_a_huge_cell_is_rejected_without_being_printed():
    lines = GOOD_TEXT.splitlines()
    lines[2] = lines[2].replace("发货太慢", "很长" * 60_000)
    result = imported("\n".join(lines).encode(), "huge.csv")
    assert problems(result) == [(3, "售后原因", "内容太长（120000 个字，最多 500 个字）")]
    assert kept_rows(result) == [2, 4, 5, 6, 7]
    assert len(result.report.text()) < 2000


def test_full_phone_numbers_are_masked_on_load_and_the_report_says_where():
    lines = GOOD_TEXT.splitlines()
    lines[2] = lines[2].replace("159****3898", FULL_PHONE)
    lines[4] = lines[4].replace("尺码/规格不合适", f"请打{FULL_PHONE}联系我")
    lines[5] = lines[5].replace("129.00", f"{FULL_PHONE}元")      # and one in a rejected row
    result = imported("\n".join(lines).encode(), "phones.csv")
    frame = result.frame.set_index("row")
    assert frame.loc[3, "buyer_phone"] == "139****8000"
    assert frame.loc[5, "reason"] == "请打139****8000联系我"
    notes = "\n".join(result.report.notes)
    assert "第 3 行的「买家手机号」里有完整手机号，已打码" in notes
    assert "第 5 行的「售后原因」里有完整手机号，已打码" in notes
    assert problems(result) == [
        (6, "退款金额(元)", "「139****8000元」太大，不像一笔退款（是不是把单号填到了金额列？）")]
    assert FULL_PHONE not in rejected_csv(result).decode("utf-8-sig")
    masked = mask_phones(f"电话{FULL_PHONE}，单号 7320000000000017105")
    assert masked == "电话139****8000，单号 7320000000000017105"


def test_the_broken_example_of_the_lesson():
    result = imported(broken_export(), "broken.csv")
    assert [(r, c) for r, c, _ in problems(result)] == [(3, "申请时间"), (5, "退款金额(元)"), (7, "售后单号")]
    assert result.report.rows_read == 12 and result.report.rows_kept == 9
    notes = "\n".join(result.report.notes)
    assert "第 9 行的「买家手机号」里有完整手机号" in notes
    assert "第 10 行的「售后原因」以 = + - @、制表符或回车开头" in notes


def test_a_generated_export_round_trips_without_losing_a_row(tmp_path):
    source = generate_export(500, seed=11)
    path = tmp_path / "export.csv"
    source.to_csv(path, index=False, encoding="utf-8-sig")
    result = imported(path)
    assert result.report.exit_code == 0 and len(result.frame) == 500
    frame = result.frame
    assert frame["case_id"].tolist() == source["售后单号"].tolist()
    assert frame["type"].astype(str).tolist() == source["售后类型"].tolist()
    assert frame["applied_at"].dt.strftime("%Y-%m-%d %H:%M:%S").tolist() == source["申请时间"].tolist()
    yuan_text = [f"{f // 100}.{f % 100:02d}" for f in frame["refund_fen"]]
    assert yuan_text == source["退款金额(元)"].tolist()


# ---- the command line ----------------------------------------------------------------------

def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True, text=True,
                          timeout=120, cwd=PROJECT_ROOT.parent)


@pytest.mark.parametrize(("file", "code", "line"), [
    (PROJECT_ROOT / "data" / "sample_aftersales.csv", 0, "读取 3000 行：保留 3000 行，拒绝 0 行。"),
    (CORPUS / "bad_amounts.csv", 1, "第 3 行「退款金额(元)」：「七十九元」不是数字"),
    (CORPUS / "missing_columns.csv", 2, "无法导入：缺少必需的列：申请时间、退款金额(元)。"),
])
def test_check_export_prints_the_report_and_exits_with_its_code(file, code, line):
    done = run_cli("check-export", str(file))
    assert done.returncode == code, done.stderr
    assert line in done.stdout


def test_the_command_line_explains_itself_in_chinese():
    assert run_cli().returncode == 2
    assert "check-export" in run_cli("--help").stdout
    wrong = run_cli("check-export")
    assert wrong.returncode == 2 and "需要 1 个参数" in wrong.stderr
    unknown = run_cli("nope")
    assert unknown.returncode == 2 and "没有「nope」这个命令" in unknown.stderr
    assert "FILE：导出文件的路径" in run_cli("check-export", "--help").stdout


def test_main_can_be_called_in_process(capsys):
    from helpers.__main__ import main

    assert main(["check-export", str(CORPUS / "duplicate_ids.csv")]) == 1
    assert "与第 2 行重复" in capsys.readouterr().out
