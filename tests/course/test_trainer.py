"""The trainer's summary: a folder of progress files, a malformed one reported, not fatal."""

from __future__ import annotations

import json

import pytest

from helpers.course.progress import ProgressStore
from helpers.course.trainer import (
    TrainerError,
    bar_chart_svg,
    capstone_percents,
    class_line,
    lesson_quiz_percents,
    quiz_percent,
    read_folder,
    sample_folder,
    summary_frame,
    summary_rows,
)


def test_the_sample_class_reads_with_one_broken_file():
    data = read_folder()
    assert data.folder == sample_folder()
    assert sorted(p.trainee for _f, p in data.records) == ["小周", "小林", "小赵", "小陈"]
    assert [(p.file, "JSON" in p.reason) for p in data.problems] == [("小吴.json", True)]
    assert "共 4 名学员" in class_line(data) and "通过 2 人" in class_line(data)


def test_every_kind_of_bad_file_is_named_with_its_reason(tmp_path):
    store = ProgressStore("小林", tmp_path)
    store.record_quiz("02_unshipped_refund", 4, 5)
    store.record_capstone("shift_01", 120, 133, True, {"02_unshipped_refund": (26, 26)})
    (tmp_path / "cut.json").write_text('{"schema": 1, "trai', encoding="utf-8")
    (tmp_path / "list.json").write_text("[]", encoding="utf-8")
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00")
    (tmp_path / "old.json").write_text(json.dumps({"schema": 0}), encoding="utf-8")
    (tmp_path / "小林.corrupt-20260302-101500.json").write_text("{", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a progress file", encoding="utf-8")
    data = read_folder(tmp_path)
    assert [p.trainee for _f, p in data.records] == ["小林"]
    reasons = {p.file: p.reason for p in data.problems}
    assert set(reasons) == {"cut.json", "list.json", "binary.json", "old.json",
                            "小林.corrupt-20260302-101500.json"}
    assert "JSON" in reasons["cut.json"] and "对象" in reasons["list.json"]
    assert "UTF-8" in reasons["binary.json"] and "schema" in reasons["old.json"]
    assert "改名保存" in reasons["小林.corrupt-20260302-101500.json"]


def test_a_missing_folder_is_an_error_with_its_name(tmp_path):
    with pytest.raises(TrainerError, match="不存在"):
        read_folder(tmp_path / "nowhere")


def test_summary_rows_and_frame_agree():
    data = read_folder()
    rows = summary_rows(data)
    frame = summary_frame(data)
    assert list(frame.columns) == list(rows[0])
    assert frame.to_dict("records") == rows
    by_name = {row["学员"]: row for row in rows}
    assert by_name["小林"]["结业实战"] == "94%" and by_name["小林"]["通过"] == "是"
    assert by_name["小周"]["结业实战"] == "—"
    assert by_name["小林"]["完成课数"] == 8


def test_percentages():
    data = read_folder()
    progress = dict((p.trainee, p) for _f, p in data.records)
    assert quiz_percent(progress["小周"]) == 100
    assert dict(capstone_percents(data)) == {"小林": 94, "小陈": 74, "小赵": 84}
    lessons = dict(lesson_quiz_percents(data))
    assert lessons["00_start_here"] == round(100 * (3 / 4 + 1 + 1 + 1) / 4)


def test_the_chart_is_inline_svg_with_escaped_labels():
    svg = bar_chart_svg([("小林", 94), ("<b>x</b>", 40)], "标题 & 说明", pass_mark=80)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 2 and "<line" in svg
    assert "&lt;b&gt;x&lt;/b&gt;" in svg and "<b>" not in svg and "标题 &amp; 说明" in svg
    assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "var(--jp-error-color1" in svg  # the bar under the pass mark stands out


def test_a_certificate_number_leads_to_its_trainee(tmp_path):
    from helpers.course.progress import ProgressStore
    from helpers.course.trainer import find_certificate, read_folder, summary_rows

    ProgressStore("林小雨", tmp_path).record_certificate("20261201-7F3A2C")
    ProgressStore("小周", tmp_path).record_quiz("00_start_here", 1, 2)
    data = read_folder(tmp_path)
    file, record = find_certificate(data, " 20261201-7f3a2c ")
    assert record.trainee == "林小雨" and file.endswith(".json")
    assert find_certificate(data, "20261201-000000") is None
    numbers = {row["学员"]: row["证书编号"] for row in summary_rows(data)}
    assert numbers["林小雨"] == "20261201-7F3A2C"
