"""`import helpers` stays light: the core never pulls in the widget library or pandas.

Checked in a fresh interpreter (this test process has long imported both). The import time is
printed by benchmarks/bench_notebooks.py; tests assert no wall-clock times.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("ipywidgets", "pandas")

PROBE = f"""
import json, sys
import helpers
print(json.dumps({{name: name in sys.modules for name in {HEAVY!r}}}))
"""


@pytest.fixture(scope="module")
def loaded_by_import() -> dict[str, bool]:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", HEAVY)
def test_import_helpers_does_not_load(loaded_by_import: dict[str, bool], module: str) -> None:
    assert not loaded_by_import[module], f"`import helpers` imported {module}; import it lazily where needed"
