"""App mode (Voilà) in headless Chromium: the server the course's `make app` starts, and a page.

- `VoilaServer`: `helpers.course.app.voila_command` on a free loopback port, over the course's own
  notebooks (Voilà only reads them), with the progress file in the server's temporary folder.
- `AppPage`: one Chromium page on it, which records every request the page makes, opens a page of
  the app and waits until every widget on it is interactive.

Shared by tests/browser/test_app.py and benchmarks/bench_app_mode.py.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from helpers.course.app import environment, page_url, voila_command, wait_until_up
from tests.browser.lab import _TWO_FRAMES_JS, SCREENSHOTS, SERVER_START_TIMEOUT, _free_port

LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}
PAGE_TIMEOUT = 120.0  # s; a page whose kernel was not preheated starts one and runs the notebook

# Voilà ships each cell's outputs as a JSON script in the page and, once the kernel is connected,
# renders them (and removes the scripts). Count the widget outputs while the scripts are there...
_COUNT_WIDGETS_JS = """
document.addEventListener('DOMContentLoaded', () => {
  window.__appWidgets = Array.from(
    document.querySelectorAll('script[type="application/vnd.voila.cell-output+json"]'))
    .filter(s => s.textContent.includes('application/vnd.jupyter.widget-view+json')).length;
});
"""
# ...and the page is interactive once the cells show and every one of them has a rendered widget
# (the root element of a widget view carries the class `jupyter-widgets`).
_INTERACTIVE_JS = """
() => {
  const cells = document.querySelector('#rendered_cells');
  if (!cells || getComputedStyle(cells).display === 'none' || !window.__appWidgets) return false;
  const outputs = Array.from(document.querySelectorAll('.jp-OutputArea-output'));
  if (outputs.some(o => (o.textContent || '').includes('Loading widget'))) return false;
  const rendered = outputs.filter(o => o.querySelector(':scope > .jupyter-widgets')).length;
  return rendered >= window.__appWidgets;
}
"""


def voila_missing() -> str | None:
    try:
        import voila  # noqa: F401
    except ImportError:
        return "the Python package voila is not installed (make install)"
    return None


class VoilaServer:
    """The app-mode server over the course; use as a context manager."""

    def __init__(self, preheat: Iterable[str] | None = None, trainee: str = "林小雨") -> None:
        self.preheat = None if preheat is None else list(preheat)
        self.trainee = trainee
        self.workdir = Path(tempfile.mkdtemp(prefix="course-app-"))
        self.progress = self.workdir / "progress"
        self.log_path = self.workdir / "voila.log"
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> VoilaServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self.port = _free_port()
        env = environment()
        env.update(DOUDIAN_COURSE_PROGRESS=str(self.progress), DOUDIAN_COURSE_TRAINEE=self.trainee,
                   JUPYTER_RUNTIME_DIR=str(self.workdir / "runtime"), PYTHONUNBUFFERED="1")
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child keeps writing
        try:
            self._proc = subprocess.Popen(voila_command(self.port, preheat=self.preheat), env=env,
                                          cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT,
                                          stdin=subprocess.DEVNULL, start_new_session=True)
        finally:
            log.close()
        try:
            wait_until_up(self._proc, f"http://127.0.0.1:{self.port}/", SERVER_START_TIMEOUT)
        except RuntimeError as error:
            self.stop()
            raise RuntimeError(f"{error}\n{self.log_tail()}") from error

    def wait_pools_filled(self, count: int, timeout: float = SERVER_START_TIMEOUT) -> None:
        """Wait until `count` page pools report full in the log (preheating is done)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.log_text().count("is filled with") >= count:
                return
            time.sleep(0.25)
        raise RuntimeError(f"kernel pools not filled after {timeout:.0f} s\n{self.log_tail()}")

    def stop(self) -> None:
        proc = self._proc
        if proc is not None and proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
                try:
                    os.killpg(proc.pid, sig)  # our own process group: voila and its kernels
                    proc.wait(timeout=wait)
                    break
                except ProcessLookupError:
                    break
                except subprocess.TimeoutExpired:
                    continue
        self._proc = None
        shutil.rmtree(self.workdir, ignore_errors=True)

    def url(self, notebook: str) -> str:
        return page_url(self.port, notebook)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


class AppPage:
    """A Chromium page on the app; `requests` lists every URL it asked for."""

    def __init__(self, page: Any, server: VoilaServer, screenshots: Path = SCREENSHOTS) -> None:
        self.page = page
        self.server = server
        self.screenshots = screenshots
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.add_init_script(_COUNT_WIDGETS_JS)
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))

    def open(self, notebook: str, timeout: float = PAGE_TIMEOUT) -> float:
        """Open a page and wait until its widgets are interactive; return the seconds it took."""
        start = time.perf_counter()
        self.page.goto(self.server.url(notebook), wait_until="commit", timeout=timeout * 1000)
        self.wait_interactive(timeout)
        return time.perf_counter() - start

    def wait_interactive(self, timeout: float = PAGE_TIMEOUT) -> None:
        try:
            self.page.wait_for_function(_INTERACTIVE_JS, polling="raf", timeout=timeout * 1000)
        except Exception as error:
            raise AssertionError(f"{self.page.url}: widgets not interactive after {timeout:.0f} s\n"
                                 f"{self.server.log_tail()}") from error

    def off_loopback(self) -> list[str]:
        """Requests to anywhere but this machine (data: and blob: URLs never leave it)."""
        away = []
        for url in self.requests:
            parts = urllib.parse.urlsplit(url)
            if parts.scheme in {"data", "blob", "about"}:
                continue
            if parts.hostname not in LOOPBACK:
                away.append(url)
        return away

    def screenshot(self, name: str) -> Path:
        self.screenshots.mkdir(parents=True, exist_ok=True)
        path = self.screenshots / f"{name}.png"
        self.page.evaluate(_TWO_FRAMES_JS)
        self.page.screenshot(path=str(path))
        return path
