"""Every checkpoint cell of every lesson, in a real JupyterLab, run twice and out of order (the
second round reversed, before any widget cell has run): each prints exactly one line, 「✓ 通过：…」
on a fresh course, and no cell, kernel message or page shows an error.

Only the checkpoint cells run (found by their `checkpoint("..")` line), so this also shows that a
checkpoint needs nothing from the cells above it. The lines are printed (`pytest -s` shows them).
"""

from __future__ import annotations

import json
import random
import re

import pytest

from tests.browser.lab import NOTEBOOKS, Lab, LabError

CHECKPOINT = re.compile(r'checkpoint\("(\d\d-\d+)"\)')
LINE = re.compile(r"^(✓ 通过：|✗ 没通过：)[^\n]+$")
# Run one cell through Lab's own command and wait for its execute reply; then read what it printed.
_RUN_CELL_JS = """
const index = window.__courseCell;
app.shell.activateById(panel.id);
panel.content.activeCellIndex = index;
await app.commands.execute('notebook:run-cell');
const cell = panel.content.model.cells.get(index);
for (let i = 0; i < 600 && cell.executionState !== 'idle'; i++) await new Promise(r => setTimeout(r, 50));
return cell.outputs.toJSON().map(o => o.output_type === 'stream' ? `${o.name}:${o.text}` : o.output_type);
"""


def lessons_with_checkpoints() -> list[tuple[str, list[tuple[int, str]]]]:
    """(notebook file, [(cell index, key)]) for every lesson with checkpoint cells."""
    found = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        keys = [(i, m[1]) for i, c in enumerate(cells) if c["cell_type"] == "code"
                for m in [CHECKPOINT.search("".join(c["source"]))] if m]
        if keys:
            found.append((path.name, keys))
    return found


LESSONS = lessons_with_checkpoints()


@pytest.mark.parametrize("notebook, cells", LESSONS, ids=[name for name, _cells in LESSONS])
def test_every_checkpoint_twice_and_out_of_order(lab: Lab, notebook: str, cells: list) -> None:
    lab.open(notebook)
    order = list(cells)
    random.Random(notebook).shuffle(order)
    order += order[::-1]
    for index, key in order:
        lab.page.evaluate("(index) => { window.__courseCell = index; }", index)
        outputs = lab._js(_RUN_CELL_JS)
        printed = "".join(o.removeprefix("stdout:") for o in outputs if o.startswith("stdout:")).strip()
        print(f"{notebook} {key}: {printed}")
        assert outputs == [f"stdout:{printed}\n"], f"{notebook} {key}: one line and nothing else: {outputs}"
        assert LINE.match(printed), f"{notebook} {key}: not a ✓/✗ line: {printed!r}"
        assert printed.startswith("✓ 通过："), f"{notebook} {key}: fails on a fresh course: {printed}"
    try:
        lab.assert_no_errors()
    except LabError:
        lab.screenshot(f"checkpoints-{notebook}")
        raise

