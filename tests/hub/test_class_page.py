"""The trainer's class page of the hub service, rendered without a hub (runs everywhere)."""

from __future__ import annotations

import sys
from pathlib import Path

from helpers import t
from helpers.course.progress import ProgressStore
from helpers.course.trainer import class_line, read_folder, summary_rows

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "deploy" / "hub"))
from class_progress import page  # noqa: E402


def test_the_page_shows_the_same_rows_as_the_trainer_notebook(tmp_path: Path) -> None:
    ProgressStore("小林", tmp_path).record_quiz("01_aftersales_basics", 6, 8)
    ProgressStore("<b>x</b>", tmp_path).record_quiz("01_aftersales_basics", 8, 8)
    html = page(tmp_path)
    data = read_folder(tmp_path)
    for row in summary_rows(data):
        assert str(row[t("trainer.col_file")]) in html
    assert class_line(data) in html
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html  # names are escaped
    assert "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing fetched


def test_an_empty_or_missing_folder_is_said_in_words(tmp_path: Path) -> None:
    assert t("trainer.empty", folder=tmp_path) in page(tmp_path)
    missing = tmp_path / "nope"
    assert t("trainer.no_folder", folder=missing) in page(missing)


def test_a_broken_file_is_listed_not_fatal(tmp_path: Path) -> None:
    ProgressStore("小林", tmp_path).record_quiz("01_aftersales_basics", 6, 8)
    (tmp_path / "坏.json").write_text("{", encoding="utf-8")
    html = page(tmp_path)
    assert "小林" in html and "坏.json" in html and t("trainer.problems_title") in html
