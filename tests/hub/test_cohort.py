"""A whole cohort on one server: deploy/hub/ as a class would use it, in headless Chromium.

One hub (the tested jupyterhub_config.py from deploy/hub/, installed by deploy/hub/setup.sh),
two trainees and a trainer created with useradd. Both trainees log in through the real login
page from the nbgitpuller link, get the lessons cloned into their home, run lesson 01 and finish
its quiz; then: one progress file each, group-readable for the trainers only; the trainer sees
both on the class page; a trainee gets 403 there and on the other trainee's server; no request
left 127.0.0.1; the hub stops cleanly. The tests run in order and share the hub.
Screenshots: tests/hub/screenshots/.
"""

from __future__ import annotations

import grp
import json
import pwd
import re
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import t
from helpers.course.trainer import class_line, read_folder
from tests.browser.lab import KERNEL_TIMEOUT, Lab
from tests.browser.test_lessons import LESSONS
from tests.hub.conftest import TRAINEES, TRAINERS
from tests.hub.hub import Cohort, log_in, watch_requests

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "deploy" / "hub"))
from link import FOLDER, pull_link  # noqa: E402

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
LESSON = next(lesson for lesson in LESSONS if lesson.notebook == "01_aftersales_basics")
NOTEBOOK = f"{LESSON.notebook}.ipynb"
VIEWPORT = {"width": 1400, "height": 900}


_SAVE_AND_CLOSE_JS = """async (path) => {
  const panel = Array.from(window.jupyterapp.shell.widgets('main')).find(w => w.context?.path === path);
  await panel.context.save();
  panel.close();
}"""
_NO_KERNELS_JS = "async (url) => (await (await fetch(url)).json()).length === 0"


class Session:
    """One browser context per person, and the host of every request any of them made."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser
        self.hosts: set[str] = set()
        self.pages: dict[str, Any] = {}

    def page(self, name: str) -> Any:
        if name not in self.pages:
            context = self.browser.new_context(viewport=VIEWPORT, locale="zh-CN")
            context.set_default_timeout(30_000)
            watch_requests(context, self.hosts)
            self.pages[name] = context.new_page()
        return self.pages[name]

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()
        self.pages.clear()


@pytest.fixture(scope="module")
def session(browser: Any) -> Iterator[Session]:
    people = Session(browser)
    yield people
    people.close()


def test_trainees_pull_the_lessons_by_link_run_lesson_01_and_finish_its_quiz(
        cohort: Cohort, session: Session) -> None:
    link = pull_link(cohort.url, repo=f"file://{cohort.prefix / 'lessons.git'}", lesson=NOTEBOOK)
    for name in TRAINEES:  # both submit the login form first: their servers start side by side
        page = session.page(name)
        page.goto(link, wait_until="domcontentloaded")
        log_in(page, name, wait=False)
    for name in TRAINEES:
        page = session.page(name)
        # login → the server starts → nbgitpuller clones → the lesson opens
        page.wait_for_url(re.compile(rf"/user/{name}/lab/tree/{FOLDER}/"), timeout=KERNEL_TIMEOUT * 1000)
        assert (Path(pwd.getpwnam(name).pw_dir) / FOLDER / NOTEBOOK).is_file()
        lab = Lab(page, cohort.server(name), SCREENSHOTS)
        lab.open(f"{FOLDER}/{NOTEBOOK}")
        lab.run_all()
        for step in LESSON.steps:
            shown = step.do(lab)
            assert re.search(step.expect, shown), f"{name}: {step.what}: the page shows {shown!r}"
        for question in range(2, lab.locator(".quiz .quiz-question").count() + 1):
            lab.answer_quiz(question, 1)
        lab.wait_text(".quiz-progress", re.escape(t("quiz.saved")))
        lab.assert_no_errors()
        lab.screenshot(f"{name}-{LESSON.notebook}", focus=".quiz-progress")
    # The shared environment's Lab settings: closing the lesson's tab shuts its kernel down.
    page.evaluate(_SAVE_AND_CLOSE_JS, f"{FOLDER}/{NOTEBOOK}")
    page.wait_for_function(_NO_KERNELS_JS, arg=f"/user/{TRAINEES[-1]}/api/kernels", polling=500)


def test_one_progress_file_per_trainee_readable_by_the_trainers_only(cohort: Cohort) -> None:
    listing = subprocess.run(["ls", "-la", str(cohort.progress)], capture_output=True, text=True).stdout
    print(f"ls -la {cohort.progress}\n{listing}")
    trainers_gid = grp.getgrnam("trainers").gr_gid
    files = sorted(cohort.progress.glob("*.json"))
    assert [f.name for f in files] == sorted(f"{name}.json" for name in TRAINEES)
    for file in files:
        name = file.stem
        info = file.stat()
        assert (info.st_uid, info.st_gid) == (pwd.getpwnam(name).pw_uid, trainers_gid)
        assert stat.S_IMODE(info.st_mode) == 0o640, f"{file.name}: {oct(info.st_mode)}"
        record = json.loads(file.read_text(encoding="utf-8"))
        assert record["trainee"] == name
        assert LESSON.notebook in record["quizzes"] and LESSON.notebook in record["lessons_done"]

    def reads(user: str, file: Path) -> bool:
        return subprocess.run(["runuser", "-u", user, "--", "cat", str(file)],
                              capture_output=True).returncode == 0

    lin, chen = (cohort.progress / f"{name}.json" for name in TRAINEES)
    assert reads(TRAINERS[0], lin) and reads(TRAINERS[0], chen)
    assert not reads(TRAINEES[1], lin), "a trainee must not read another trainee's progress"
    assert subprocess.run(["runuser", "-u", TRAINEES[1], "--", "ls", str(cohort.progress)],
                          capture_output=True).returncode != 0, "a trainee must not list the class"


def test_the_trainer_sees_both_trainees_on_the_class_page(cohort: Cohort, session: Session) -> None:
    page = session.page(TRAINERS[0])
    page.goto(f"{cohort.url}/services/class-progress/", wait_until="domcontentloaded")
    log_in(page, TRAINERS[0])
    page.wait_for_selector(".class-table")
    table = page.text_content(".class-table") or ""
    assert all(name in table for name in TRAINEES), table
    assert page.text_content(".summary") == class_line(read_folder(cohort.progress))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "class-progress.png"), full_page=True)

    # The trainer may open a trainee's server (after JupyterHub's one "Authorize access" page),
    # then read the trainee's lessons folder there.
    page.goto(f"{cohort.url}/user/{TRAINEES[0]}/lab", wait_until="domcontentloaded")
    authorize = page.locator("button[type=submit]").filter(has_text="Authorize")
    lab = page.locator("#jupyterlab-splash, #main")
    listing = page.get_by_text(NOTEBOOK)
    try:
        authorize.or_(lab).first.wait_for()
        if authorize.is_visible():
            authorize.click()
        page.wait_for_url(re.compile(rf"/user/{TRAINEES[0]}/lab"))
        page.goto(f"{cohort.url}/user/{TRAINEES[0]}/api/contents/{FOLDER}")
        listing.wait_for()
    except Exception as error:
        page.screenshot(path=str(SCREENSHOTS / "FAILED-trainer-visit.png"))
        raise AssertionError(f"the trainer's visit ended at {page.url}: {page.text_content('body')!r:.600}") \
            from error


def test_a_trainee_gets_403_on_the_class_page_and_on_another_trainees_server(
        cohort: Cohort, session: Session) -> None:
    page = session.page(TRAINEES[0])  # logged in since the first test
    response = page.goto(f"{cohort.url}/services/class-progress/")
    assert response is not None and response.status == 403
    # A page, not the API: the server sends a browser through the hub's OAuth, and the hub refuses.
    response = page.goto(f"{cohort.url}/user/{TRAINEES[1]}/lab")
    assert response is not None and response.status == 403
    assert "/hub/api/oauth2/authorize" in response.url


def test_no_request_left_127_0_0_1(session: Session) -> None:
    session.close()
    assert session.hosts == {"127.0.0.1"}, session.hosts


def test_the_hub_stops_cleanly(cohort: Cohort) -> None:
    code, seconds = cohort.stop()
    print(f"the hub stopped in {seconds:.1f} s with exit code {code}")
    assert code == 0, cohort.log_tail()
    # A stopped server's kernels get a few seconds to exit after it (their own shutdown).
    deadline = time.monotonic() + 15
    while any(cohort.processes_of(n) for n in TRAINEES + TRAINERS) and time.monotonic() < deadline:
        time.sleep(0.5)
    for name in TRAINEES + TRAINERS:
        assert cohort.processes_of(name) == [], f"{name} still has processes after the hub stopped"
