"""A lesson a non-programmer can take: every code cell is one short line with its input
collapsed, no function, loop or assert in a notebook, no English abstract in the prose (it lives
in the notebook's metadata), and every checkpoint of the lesson is run by exactly one cell."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers.checkpoints import REGISTRY, find

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
LESSONS = sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
CHECKPOINT = re.compile(r'checkpoint\("(\d\d-\d+)"\)')
ENGLISH_LINE = re.compile(r"^\*[A-Z][A-Za-z ,:;'’—-]+.*\*$", re.MULTILINE)
MAX_LINE = 80


def cells(stem: str) -> tuple[dict, list[dict]]:
    notebook = json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))
    return notebook, notebook["cells"]


@pytest.mark.parametrize("stem", LESSONS)
def test_every_code_cell_is_one_short_hidden_line(stem):
    _notebook, all_cells = cells(stem)
    for cell in (c for c in all_cells if c["cell_type"] == "code"):
        source = "".join(cell["source"])
        assert "\n" not in source.strip() and len(source) <= MAX_LINE, source
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, source
        assert not re.search(r"\b(def|for|while|assert|class|lambda)\b", source), source


@pytest.mark.parametrize("stem", LESSONS)
def test_the_english_abstract_is_in_the_metadata_not_the_prose(stem):
    notebook, all_cells = cells(stem)
    assert notebook["metadata"].get("abstract")
    title = "".join(all_cells[0]["source"])
    assert not ENGLISH_LINE.search(title), title


@pytest.mark.parametrize("stem", LESSONS)
def test_each_checkpoint_of_the_lesson_has_one_cell(stem):
    _notebook, all_cells = cells(stem)
    named = [key for c in all_cells if c["cell_type"] == "code"
             for key in CHECKPOINT.findall("".join(c["source"]))]
    lesson = stem[:2]
    for key in named:
        assert find(key) is not None, key
    assert sorted(named) == sorted(k for k in REGISTRY if k.startswith(f"{lesson}-")), stem
    assert len(named) == len(set(named))


@pytest.mark.parametrize("stem", LESSONS)
def test_no_file_path_or_api_field_in_the_running_text(stem):
    _notebook, all_cells = cells(stem)
    for cell in (c for c in all_cells if c["cell_type"] == "markdown"):
        prose = re.sub(r"<(sub|small)>.*?</\1>", "", "".join(cell["source"]), flags=re.DOTALL)  # footnotes
        assert not re.search(r"data/|\.toml|\.csv|\.py\b|status_deadline|helpers|import ", prose), prose[:200]
