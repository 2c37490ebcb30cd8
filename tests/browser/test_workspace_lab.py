"""`make lab` as a trainee meets it: their own copy of the lessons, saved, closed, reopened clean.

The server is the one `python -m helpers lab` starts (`helpers.course.lab.server_arguments`) over a
workspace made by `helpers.course.workspace.start`, served in place, with Lab's autosave every
2 s instead of 120 s. Lesson 01 is run and used; once Lab has autosaved it, the file holds no
widget output; the page is closed, the lesson reopened in a fresh browser: no 「Error displaying
widget」, and it runs and responds again. The course's own notebooks/ are unchanged throughout
(`git status`, and their bytes).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import AfterSaleType, MerchantAction, Status
from helpers.course.lab import WIDGET_VIEW, server_arguments
from helpers.course.workspace import NOTEBOOKS, start
from tests.browser.conftest import VIEWPORT
from tests.browser.lab import REPO, SCREENSHOTS, Lab, LabServer
from tests.browser.test_lessons import explorer_move, explorer_start

LESSON = "01_aftersales_basics.ipynb"
AUTOSAVE_S = 2
SAVE_TIMEOUT_S = 60.0


def _course_state() -> tuple[str, dict[str, str]]:
    status = subprocess.run(["git", "status", "--porcelain", "--", str(NOTEBOOKS)], cwd=REPO,
                            capture_output=True, text=True).stdout
    hashes = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(NOTEBOOKS.glob("*.ipynb"))}
    return status, hashes


@pytest.fixture(scope="module")
def workspace_server(chromium_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    folder = tmp_path_factory.mktemp("trainee") / "抖店售后训练营"
    start(folder)
    settings = {
        "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosaveInterval": AUTOSAVE_S},
    }
    with LabServer(folder, in_place=True, extra_args=tuple(server_arguments(folder)),
                   user_settings=settings) as server:
        yield server


def _page(browser: Any, server: LabServer) -> tuple[Any, Lab]:
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(30_000)
    return context, Lab(context.new_page(), server, SCREENSHOTS)


def _saved_after_run(path: Path) -> dict:
    """The lesson as Lab last wrote it, once that is after the run (a cell has a count)."""
    deadline = time.monotonic() + SAVE_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            notebook = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            notebook = {}
        if any(c.get("execution_count") for c in notebook.get("cells", [])):
            return notebook
        time.sleep(0.5)
    raise AssertionError(f"{path.name} was not autosaved within {SAVE_TIMEOUT_S:.0f} s")


def test_a_used_lesson_autosaves_closes_and_reopens_clean(browser: Any, workspace_server: LabServer) -> None:
    before = _course_state()
    context, lab = _page(browser, workspace_server)
    lab.open(LESSON)
    lab.run_all()
    assert Status.AWAIT_MERCHANT.label in explorer_start(AfterSaleType.RETURN_REFUND)(lab)
    assert Status.AWAIT_BUYER_RETURN.label in explorer_move(MerchantAction.AGREE_RETURN)(lab)
    lab.assert_no_errors()

    saved = _saved_after_run(workspace_server.root / LESSON)
    outputs = [o for c in saved["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert outputs, "the run's printed outputs are kept"
    assert not [o for o in outputs if WIDGET_VIEW in o.get("data", {})], "a widget output was saved"
    assert "widgets" not in saved.get("metadata", {})
    context.close()
    workspace_server.shutdown_kernels()

    context, lab = _page(browser, workspace_server)
    lab.open(LESSON)
    lab.settle()
    lab.assert_no_errors()  # among others: no output reading 「Error displaying widget」
    shown = lab.page.locator(".jp-NotebookPanel").first.text_content() or ""
    assert "Error displaying widget" not in shown
    lab.screenshot("workspace-01-reopened", focus=".jp-CodeCell")
    lab.run_all()
    assert Status.AWAIT_BUYER_RETURN.label in explorer_move(MerchantAction.AGREE_RETURN)(lab)
    lab.assert_no_errors()
    context.close()

    assert _course_state() == before, "the course's own notebooks changed"
    assert before[0] == "" or not before[0].strip(), f"notebooks/ not clean in git: {before[0]}"
