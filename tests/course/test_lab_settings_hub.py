"""Lab settings of a hub's shared environment: a closed lesson frees its kernel."""

from __future__ import annotations

import json

from helpers.course.lab_settings import OVERRIDES, write_overrides


def test_the_hub_overrides_add_kernel_shutdown_on_close(tmp_path):
    values = json.loads(write_overrides(str(tmp_path), hub=True).read_text(encoding="utf-8"))
    assert values["@jupyterlab/notebook-extension:tracker"] == {"kernelShutdown": True}
    assert all(values[key] == value for key, value in OVERRIDES.items())  # Chinese, no news


def test_a_single_trainees_lab_keeps_kernels_on_close(tmp_path):
    values = json.loads(write_overrides(str(tmp_path)).read_text(encoding="utf-8"))
    assert "@jupyterlab/notebook-extension:tracker" not in values
