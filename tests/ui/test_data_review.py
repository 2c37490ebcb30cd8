"""Lesson 08's app, driven without a browser: set values, click, read the app's attributes."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from helpers import Strategy
from helpers.ui.data_review import DataReviewApp

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
UNMASKED = re.compile(r"(?<![\d*])1[3-9]\d{9}(?![\d*])")


@pytest.fixture
def app() -> DataReviewApp:
    return DataReviewApp()


def upload(app: DataReviewApp, name: str, content: bytes) -> None:
    """What the browser does when a trainee picks a file."""
    app.upload.value = ({"name": name, "type": "text/csv", "size": len(content),
                         "content": memoryview(content), "last_modified": datetime(2026, 11, 1)},)


def shown(app: DataReviewApp) -> str:
    return "".join([app.report_html.value, app.summary_html.value, *(w.value for w in app.tabs.values())])


def test_the_sample_is_loaded_and_summarised(app):
    assert app.report.exit_code == 0 and app.report.rows_kept == 3000
    assert len(app.view) == 3000
    assert 'class="dr-summary" data-cases="3000"' in app.summary_html.value
    assert "时限 48 小时" in app.summary_html.value
    assert app.start.value == date(2026, 8, 1) and app.end.value == date(2026, 10, 31)
    assert "正在查看：示例数据（3,000 行）" in app.report_html.value
    for key in ("times", "refunds", "reasons", "places", "hours", "replay"):
        assert "dr-chart" in app.tabs[key].value or key == "hours" and "<svg" in app.tabs[key].value
    assert "WenQuanYi Micro Hei" in app.tabs["reasons"].value


def test_filters_update_tables_and_charts_at_once(app):
    before = app.tabs["reasons"].value
    app.type_filter.value = "退货退款"
    assert set(app.view["type"].astype(str)) == {"退货退款"}
    assert list(app.review.times.index) == ["退货退款"]
    assert app.tabs["reasons"].value != before
    assert "未发货仅退款" not in app.tabs["times"].value
    app.supplier_filter.value = "临沂鲁南小家电总仓"
    assert set(app.view["supplier"].astype(str)) == {"临沂鲁南小家电总仓"}
    assert f'data-cases="{len(app.view)}"' in app.summary_html.value
    app.start.value, app.end.value = date(2026, 9, 1), date(2026, 9, 30)
    days = app.view["applied_at"].dt.date
    assert days.min() >= date(2026, 9, 1) and days.max() <= date(2026, 9, 30)
    app.type_filter.value = ""
    app.supplier_filter.value = ""
    assert app.review.summary.cases == len(app.view) > 900


def test_a_selection_with_no_rows_says_so(app):
    app.start.value = app.end.value = date(2026, 8, 1)
    app.type_filter.value = "换货"
    app.supplier_filter.value = "成都蜀味食品上家"
    assert app.view.empty
    assert "没有符合筛选条件的售后单" in app.summary_html.value


def test_switching_a_strategy_replays_history(app):
    current = app.review.replay.iloc[-1]["handled"]
    app.strategy_boxes[Strategy.AUTO_AGREE_RETURN].value = True
    assert app.policy.is_on(Strategy.AUTO_AGREE_RETURN)
    assert app.review.replay.iloc[-1]["handled"] > current
    for box in app.strategy_boxes.values():
        box.value = False
    assert app.review.replay.iloc[-1]["handled"] == 0
    assert "本店当前开关（合计）" in app.tabs["replay"].value


def test_an_upload_with_bad_rows_shows_the_report_and_keeps_the_good_rows(app):
    upload(app, "bad_dates.csv", (CORPUS / "bad_dates.csv").read_bytes())
    assert app.report.rows_rejected == 4 and len(app.view) == 2
    html = app.report_html.value
    assert "第 3 行「申请时间」：「2026-13-01 10:00:00」不是日期时间" in html
    assert 'download="bad_dates_被拒绝的行.csv"' in html
    assert "正在查看：bad_dates.csv（2 行）" in html
    assert app.upload.value == ()       # the upload is let go once read: memory, and the same file again


def test_a_file_that_cannot_be_read_shows_why_and_keeps_what_was_shown(app):
    upload(app, "missing_columns.csv", (CORPUS / "missing_columns.csv").read_bytes())
    assert app.report.exit_code == 2
    assert "无法导入：缺少必需的列：申请时间、退款金额(元)" in app.report_html.value
    assert "这个文件没有导入；下面仍是：示例数据（3,000 行）" in app.report_html.value
    assert len(app.view) == 3000
    upload(app, "empty.csv", b"")
    assert "文件是空的" in app.report_html.value


def test_an_xlsx_upload(app):
    book = openpyxl.Workbook()
    lines = (CORPUS / "good.csv").read_text(encoding="utf-8").splitlines()
    for line in lines:
        book.active.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    upload(app, "导出.xlsx", buffer.getvalue())
    assert app.report.exit_code == 0 and len(app.view) == 6
    assert app.type_filter.options[0] == ("全部类型", "")


def test_the_broken_example_and_back_to_the_sample(app):
    app.broken_button.click()
    assert app.report.rows_rejected == 3
    assert "第 9 行的「买家手机号」里有完整手机号，已打码" in app.report_html.value
    assert not UNMASKED.search(shown(app))
    app.sample_button.click()
    assert app.report.exit_code == 0 and len(app.view) == 3000


def test_a_formula_in_the_data_is_shown_as_text():
    app = DataReviewApp(source=CORPUS / "formula_cells.csv")
    assert "=HYPERLINK(&quot;http://example.invalid&quot;,&quot;点我退款&quot;)" in app.tabs["reasons"].value
    assert "@SUM(A1:A9)" in app.tabs["places"].value
    assert "<a href" not in app.tabs["reasons"].value


def test_a_file_beyond_the_upload_limit_is_read_from_its_path(tmp_path):
    from helpers.course.lab_settings import UPLOAD_LIMIT_BYTES, WEBSOCKET_MAX_MESSAGE_BYTES
    from helpers.export.generate import write_export

    app = DataReviewApp()
    hint = app.limit_html.value
    assert f"上传最大 {UPLOAD_LIMIT_BYTES >> 20} MB" in hint and "check-export" in hint
    assert UPLOAD_LIMIT_BYTES < WEBSOCKET_MAX_MESSAGE_BYTES
    app.path_button.click()
    assert "请先填写文件的路径" in app.report_html.value
    app.path_text.value = f'"{write_export(tmp_path / "big.csv", 500)}"'  # pasted with quotes
    app.path_button.click()
    assert app.report.rows_kept == 500 and "big.csv（500 行）" in app.report_html.value


def test_the_server_config_raises_the_message_limit_and_keeps_the_rest(tmp_path):
    import json

    from helpers.course import lab_settings

    path = lab_settings.server_config_path(str(tmp_path))
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"ServerApp": {"ip": "127.0.0.1"}}), encoding="utf-8")
    config = json.loads(lab_settings.write_server_config(str(tmp_path)).read_text(encoding="utf-8"))
    assert config == {"ServerApp": {"ip": "127.0.0.1", "tornado_settings": {
        "websocket_max_message_size": lab_settings.WEBSOCKET_MAX_MESSAGE_BYTES}}}
