"""Fixtures of the cohort test: one hub with real unix users, one Chromium, for the whole module.

The test adds unix users and runs a hub as root, so it runs only where that is expected: under
CI=true as root (`.ci/run`), or when a developer asks with COURSE_HUB_TEST=1 (as root). Anywhere
else it is skipped with the reason; under CI=true a missing piece is a failure, never a skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.lab import chromium_missing, in_ci, launch_chromium
from tests.hub.hub import Cohort, hub_missing

TRAINEES = ["kf-lin", "kf-chen"]
TRAINERS = ["px-wang"]


def _wanted() -> bool:
    return in_ci() or os.environ.get("COURSE_HUB_TEST", "") == "1"


@pytest.fixture(scope="session")
def hub_ready() -> None:
    if not _wanted():
        pytest.skip("hub test skipped: it adds unix users and runs JupyterHub as root, so it runs only "
                    "under CI=true (.ci/run) or with COURSE_HUB_TEST=1, as root")
    reason = hub_missing() or chromium_missing()
    if reason is not None:
        if in_ci():
            pytest.fail(f"CI=true: the hub test must run, but {reason}", pytrace=False)
        pytest.skip(f"hub test skipped: {reason}")


@pytest.fixture(scope="module")
def cohort(hub_ready: None) -> Iterator[Cohort]:
    with Cohort(TRAINEES, TRAINERS) as hub:
        yield hub


@pytest.fixture(scope="module")
def browser(hub_ready: None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()
