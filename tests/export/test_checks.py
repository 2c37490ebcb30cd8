"""Lesson 08's data facts that used to sit in its checkpoint cells, kept as tests of the importer
and the figures (the checkpoints themselves now say what a 组长 should take away)."""

from __future__ import annotations

from helpers import Status, load_policy
from helpers.checkpoints import line
from helpers.export import checks
from helpers.export.generate import broken_export
from helpers.export.importer import read_export


def test_the_sample_import_loses_no_row():
    report = checks._sample().report
    assert report.rows_read == report.rows_kept + report.rows_rejected == 3000 and report.exit_code == 0


def test_the_broken_file_keeps_the_good_rows():
    report = read_export(broken_export(), "broken.csv").report
    assert (report.rows_read, report.rows_kept, report.rows_rejected) == (12, 9, 3)
    assert any("已打码" in note for note in report.notes)


def test_the_deadline_of_the_figures_comes_from_the_rules_file():
    summary = checks._review().summary
    assert summary.deadline_h == load_policy().deadline_for(Status.AWAIT_MERCHANT).hours
    assert 0.9 < summary.on_time_share < 1 and summary.missed > 0


def test_a_report_without_the_row_and_column_fails_08_1(monkeypatch):
    monkeypatch.setattr(checks, "broken_export", lambda: b"\xef\xbb\xbf")
    assert line("08-1").startswith("✗ 没通过：有错误的文件")
