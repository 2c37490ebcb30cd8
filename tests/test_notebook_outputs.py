"""Every lesson, executed: nothing it shows carries a buyer's unmasked phone, name or address.

nbval proves the lessons run; this test reads what they show. Widgets keep their text in the
kernel-side widget state, not in the cell output, so the executed notebook stores that state
and both are scanned with the same detector the privacy drill teaches.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from helpers import load_suppliers
from helpers.engine.privacy import find_personal_data

NOTEBOOKS = sorted(Path(__file__).resolve().parent.parent.glob("notebooks/**/*.ipynb"))
NOTEBOOKS = [p for p in NOTEBOOKS if ".ipynb_checkpoints" not in p.parts]
# The widget fields a trainee reads (model ids and layout are not shown and may look like numbers).
SHOWN_WIDGET_FIELDS = ("value", "description", "options", "_options_labels", "placeholder",
                       "tooltip", "children_titles", "titles")


def shown_texts(notebook) -> list[str]:
    """Every text an executed notebook shows: outputs and the state of its widgets."""
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("text", ""))
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/") or mime == "image/svg+xml":
                    texts.append(value if isinstance(value, str) else "".join(value))
    state = notebook.metadata.get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})
    for model in state.values():
        for key in SHOWN_WIDGET_FIELDS:
            value = model.get("state", {}).get(key)
            if value:
                texts.append(json.dumps(value, ensure_ascii=False))
    return texts


def business_addresses() -> list[str]:
    """The upstream suppliers' return addresses: a business's, shown on purpose."""
    return [s.address.detail.replace(" ", "") for s in load_suppliers().values()]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_personal_data_in_what_a_lesson_shows(path, tmp_path):
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=180, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    allowed = business_addresses()
    leaks = [f"{finding.label}：{finding.text}"
             for text in shown_texts(notebook)
             for finding in find_personal_data(text)
             if not (finding.kind == "address"
                     and any(finding.text.replace(" ", "") in a or a in finding.text.replace(" ", "")
                             for a in allowed))]
    assert leaks == [], f"{path.name} shows personal data: {leaks[:5]}"


def test_the_scan_reads_outputs_and_widget_values():
    phone = "139" + "12345678"
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("stream", text="收件人：张小明")]
    notebook.cells = [cell]
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {
        "m1": {"state": {"value": f"<b>电话 {phone}</b>", "layout": "IPY_MODEL_1391234567890"}}}}}
    kinds = [f.kind for text in shown_texts(notebook) for f in find_personal_data(text)]
    assert kinds == ["name", "phone"]
