"""Shared fixtures and the hypothesis profiles (CI runs thousands of examples per invariant)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=200, deadline=None)
settings.register_profile(
    "ci", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


@pytest.fixture(scope="session", autouse=True)
def progress_folder(tmp_path_factory):
    """Quizzes and the capstone record progress: never into the real user folder in tests."""
    folder = tmp_path_factory.mktemp("progress")
    os.environ["DOUDIAN_COURSE_PROGRESS"] = str(folder)
    return folder


@pytest.fixture
def trainee_progress(tmp_path, monkeypatch):
    """A trainee 小林 whose progress goes to this test's own folder (not created yet)."""
    folder = tmp_path / "progress"
    monkeypatch.setenv("DOUDIAN_COURSE_PROGRESS", str(folder))
    monkeypatch.setenv("DOUDIAN_COURSE_TRAINEE", "小林")
    return folder


@pytest.fixture(scope="session")
def policy():
    from helpers import load_policy

    return load_policy()


@pytest.fixture(scope="session")
def suppliers():
    from helpers import load_suppliers

    return load_suppliers()
