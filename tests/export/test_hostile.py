"""Hostile exports (made by tests/make_corpus.py): nothing unsafe is written back or printed,
no value is silently wrong, and a file that would cost unbounded time or memory is refused
before it is parsed. One test per class; time and memory figures are the benchmark's job
(benchmarks/bench_check_export.py), never asserted here."""

from __future__ import annotations

import csv
import io
import os
import threading
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.__main__ import main
from helpers.export.importer import read_export, rejected_csv
from tests import make_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    made = {name: make(folder) for name, make in make_corpus.MAKERS.items() if name != "zip_bomb"}
    made["zip_bomb"] = make_corpus.zip_bomb(folder, inflated=200 << 20)  # the benchmark's is 1 GiB
    return {name: path for name, path in made.items() if path is not None}


def fatal(path) -> str:
    report = read_export(path).report
    assert report.exit_code == 2, report.text()
    return report.fatal


def test_what_is_written_back_cannot_run_in_excel(corpus):
    written = rejected_csv(read_export(corpus["formula_cells"])).decode("utf-8-sig")
    cells = [row[9] for row in csv.reader(io.StringIO(written, newline=""))][1:]
    assert cells == ["'=1+1", "'+1+1", "'-1+1", "'@SUM(A1)", "'\t=1+1", "'\r=1+1", "ok\r=1+1"]
    assert '"ok\r=1+1"' in written                      # the bare CR stays inside its quoted cell
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in
               csv.reader(io.StringIO(written, newline="")) for cell in row)


def test_what_is_printed_cannot_drive_a_terminal(corpus, capsys):
    assert main(["check-export", str(corpus["terminal_escapes"])]) == 1
    out = capsys.readouterr().out
    assert not [c for c in out if c != "\n" and unicodedata.category(c) in ("Cc", "Cf")]
    assert "「\\x1b[2J\\x1b[31m红字」不是数字" in out and "\\u202e反转" in out and "\\x1b[5m闪烁列" in out


def test_no_value_is_silently_wrong(corpus):
    result = read_export(corpus["misleading_values"])
    kept = result.frame.set_index("row")
    for row in (2, 3, 4):                               # Z, +08:00, +0800: all 14:05 in Shanghai
        assert kept.loc[row, "applied_at"].strftime("%Y-%m-%d %H:%M %z") == "2026-05-03 14:05 +0800"
    assert kept.loc[6, "refund_fen"] == 120000          # 1,200.00
    assert kept.loc[9, "applied_at"].strftime("%H:%M") == "14:05"   # stray spaces
    assert kept.loc[11, "applied_at"].strftime("%H:%M %z") == "01:30 +0900"  # the hour that came twice
    reasons = {(p.row, p.column): p.reason for p in result.report.problems.itertuples()}
    assert reasons[(5, "退款金额(元)")] == "「12,00」不是数字"
    assert reasons[(12, "退款金额(元)")] == "「1,2,3」不是数字"
    assert reasons[(7, "申请时间")].startswith("「now」不是日期时间")
    assert reasons[(8, "申请时间")].startswith("「today」不是日期时间")
    assert reasons[(10, "申请时间")].startswith("「1986-05-04 02:30:00」在上海不存在")


def test_a_pipe_is_refused_at_once(corpus):
    if "fifo" not in corpus:
        pytest.skip("no named pipes on this system")
    found = {}
    worker = threading.Thread(target=lambda: found.update(fatal=fatal(corpus["fifo"])), daemon=True)
    worker.start()
    worker.join(30)
    if worker.is_alive():  # it opened the pipe: give it a writer so the thread can end
        os.close(os.open(corpus["fifo"], os.O_WRONLY | os.O_NONBLOCK))
    assert found.get("fatal", "").startswith("这不是一个普通文件")


@pytest.mark.parametrize("name, message", [
    ("zip_bomb", "这个 xlsx 解压后有 200 MB"),
    ("huge_dimensions", "这个 xlsx 声明有 5000000 行、100000 列，超出上限"),
    ("many_shared_strings", "这个 xlsx 声明有 50000000 个不同的文字"),
])
def test_an_xlsx_that_would_cost_unbounded_work_is_refused_before_parsing(corpus, name, message,
                                                                          monkeypatch):
    import openpyxl

    def never(*_args, **_kwargs):
        raise AssertionError("parsed before it was checked")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    assert fatal(corpus[name]).startswith(message)


@pytest.mark.parametrize("name, message", [
    ("nul_late", "第 2502 行有空字节（NUL）"),
    ("long_header", "第 1 行（表头）超过 64 KB 还没有结束"),
    ("many_columns", "第 1 行（表头）超过 64 KB"),
    ("big5", "认不出文件的编码：既不是 UTF-8，也不是 GBK/GB18030"),
    ("encrypted_xlsx", "这个 Excel 文件设了打开密码"),
])
def test_a_file_of_the_wrong_kind_gets_one_clear_message(corpus, name, message):
    assert fatal(corpus[name]).startswith(message)


def test_many_short_columns_are_refused_too(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(make_corpus.HEADER + "," + ",".join("c" for _ in range(2000)) + "\n", encoding="utf-8")
    assert fatal(path) == "表头有 2011 列，导出文件最多 1000 列：请检查是不是选错了文件"


def test_odd_but_honest_files_are_read(corpus):
    for name in ("cr_only", "xlsx_as_csv"):
        report = read_export(corpus[name]).report
        assert report.exit_code == 0 and report.rows_kept == 20, report.text()


def test_no_message_shows_a_python_repr(tmp_path):
    # Every amount a number, so the reader hands them over as numpy floats.
    rows = [make_corpus.row(i, amount=a) for i, a in enumerate(["1e20", "0.001", "-45.8", "1e-300"])]
    path = tmp_path / "numbers.csv"
    path.write_text(make_corpus.csv_text(rows), encoding="utf-8")
    text = read_export(path).report.text()
    assert "np." not in text and "float64" not in text, text
    assert "「-45.80」是负数" in text and "「0.001」超过两位小数" in text
    assert "「100000000000000000000.00」太大" in text


def test_check_export_never_shows_a_traceback(corpus, capsys):
    for name, path in corpus.items():
        if name == "fifo":
            continue
        code = main(["check-export", str(path)])
        out = capsys.readouterr()
        assert code in (0, 1, 2) and "Traceback" not in out.out + out.err, name


def test_a_broken_rules_file_reaches_check_export_as_one_line(corpus, tmp_path, monkeypatch, capsys):
    import shutil

    from helpers.paths import data_path

    data = tmp_path / "data"
    shutil.copytree(data_path(), data)
    products = data / "products.csv"
    products.write_text(products.read_text(encoding="utf-8").replace(",S01,39.90", ",S09,39.90"),
                        encoding="utf-8")
    monkeypatch.setenv("DOUDIAN_COURSE_DATA", str(data))
    assert main(["check-export", str(corpus["cr_only"])]) == 2  # it has no 上家 column: products.csv fills it
    err = capsys.readouterr().err
    assert err.startswith("✗ products.csv 第 2 行「上家编号」：上家编号「S09」在 suppliers.csv 里找不到")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_file_beyond_any_real_export_is_refused_unread(corpus, monkeypatch):
    from helpers.export import importer

    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 1 << 16)  # the real limit is 512 MiB
    monkeypatch.setattr(importer.pd, "read_csv", lambda *a, **k: pytest.fail("read before the size check"))
    message = fatal(corpus["normal_export"])
    assert message.startswith("文件太大（") and message.endswith("请在后台按时间段分几次导出")


@settings(max_examples=300)
@given(st.binary(max_size=600), st.sampled_from([b"", make_corpus.HEADER.encode() + b"\n",
                                                  b"\xef\xbb\xbf" + make_corpus.HEADER.encode() + b"\r\n"]))
def test_any_bytes_give_a_report_never_an_exception(data, header):
    report = read_export(header + data, "fuzz.csv").report
    text = report.text()
    assert report.exit_code in (0, 1, 2)
    assert not [c for c in text if c != "\n" and unicodedata.category(c) in ("Cc", "Cf")]
