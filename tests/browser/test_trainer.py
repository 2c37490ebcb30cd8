"""The trainer's notebook (notebooks/trainer/class_summary.ipynb) in a real JupyterLab.

The session's server serves a copy of notebooks/ without sub-folders, so the test copies the
trainer's notebook into its root first. It runs all cells, reads the class table, the chart and
the reported broken file off the page, then points the app at a folder with one good and one
malformed file and loads it. Screenshot: tests/browser/screenshots/trainer-class_summary.png.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from helpers import t
from helpers.course.progress import ProgressStore
from tests.browser.lab import NOTEBOOKS, Lab

NOTEBOOK = NOTEBOOKS / "trainer" / "class_summary.ipynb"


def test_trainer_notebook_in_browser(lab: Lab, tmp_path: Path) -> None:
    target = lab.server.root / "trainer" / NOTEBOOK.name
    target.parent.mkdir(exist_ok=True)
    shutil.copy2(NOTEBOOK, target)
    lab.open(f"trainer/{NOTEBOOK.name}")
    lab.run_all()

    table = lab.text(".trainer-table")
    assert all(name in table for name in ("小林", "小陈", "小周", "小赵"))
    assert "小吴.json" in lab.text(".trainer-problems")
    assert lab.locator(".trainer-chart svg").count() == 2
    lab.screenshot("trainer-class_summary", focus=".trainer-chart")

    store = ProgressStore("小马", tmp_path)
    store.record_quiz("02_unshipped_refund", 5, 5)
    (tmp_path / "坏文件.json").write_text("{", encoding="utf-8")
    lab.locator(".trainer-folder input").fill(str(tmp_path))
    before = lab.text(".trainer-table")
    lab.click(t("trainer.load"), selector=".trainer-load")
    table = lab.wait_text_change(".trainer-table", before)
    assert "小马" in table and "小林" not in table
    assert re.search(r"坏文件\.json：.*JSON", lab.text(".trainer-problems"))
    lab.assert_no_errors()
