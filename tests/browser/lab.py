"""Drive the course in a real JupyterLab with headless Chromium.

Shared by the browser tests (`tests/browser/`) and the click-latency benchmark. Three parts:

- `LabServer`: `jupyter lab` on 127.0.0.1 over a temporary copy of `notebooks/`, with its own
  config, runtime and workspace folders so a developer's own Lab settings cannot leak in. The
  interface language comes from the environment's `overrides.json` (zh_CN, written by `make install`).
- `launch_chromium`: Debian's Chromium through Playwright (never a downloaded browser).
- `Lab`: one browser page on the server, with the few verbs a lesson test needs: open a notebook,
  run all cells, find error outputs, click a widget button, read text, take a screenshot.

The server always has a fresh random token and XSRF checks on, in the tests as in the benchmarks
(there is no token-less mode to reuse by mistake): the page gets the token once in its first URL
and then holds the server's cookies, the harness sends it in an `Authorization` header.

The server runs with `expose_app_in_browser`, so the page can reach `window.jupyterapp`: running
all cells and reading kernel state go through JupyterLab's own commands and models instead of menu
texts (which are Chinese here) or timing guesses.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
# COURSE_NOTEBOOKS runs the browser tests over another folder of lessons (e.g. a draft).
NOTEBOOKS = Path(os.environ.get("COURSE_NOTEBOOKS") or REPO / "notebooks")
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"

DEFAULT_CHROMIUM = "/usr/bin/chromium"
# As root in a container Chromium needs no sandbox; the rest keep it from reaching for a network
# this machine does not have (refused connections by the dozen otherwise).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

SERVER_START_TIMEOUT = 120.0  # s; a first start on a busy 2-core machine takes 20-40 s
KERNEL_TIMEOUT = 120.0  # s; kernel start plus the widget manager's first load
RUN_ALL_TIMEOUT = 300.0  # s; every cell of a lesson
ACTION_TIMEOUT = 30.0  # s; one widget click until its result shows

# Settings of the test server only (its own JUPYTER_CONFIG_DIR): start the notebook's kernel
# without asking, so no kernel-choice dialog can stop a run.
TEST_USER_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"autoStartDefaultKernel": True},
}


def chromium_path() -> str:
    """The browser the tests drive: COURSE_CHROMIUM, else Debian's /usr/bin/chromium."""
    return os.environ.get("COURSE_CHROMIUM") or DEFAULT_CHROMIUM


def chromium_missing() -> str | None:
    """Why the browser cannot be used, or None when it can."""
    path = chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        return (
            f"Chromium not found at {path} (install Debian's `chromium` and a CJK font such as "
            "`fonts-wqy-microhei`, as .ci/run does; or set COURSE_CHROMIUM)"
        )
    fc_list = shutil.which("fc-list")
    if fc_list and not subprocess.run([fc_list, ":lang=zh"], capture_output=True, text=True).stdout.strip():
        return "no CJK font is installed, Chinese would render as empty boxes (install `fonts-wqy-microhei`)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install -e '.[test]')"
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def launch_chromium(playwright: Any, **kwargs: Any) -> Any:
    """Headless Chromium from the system, with the flags this machine needs."""
    return playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS, **kwargs
    )


# Straight to 127.0.0.1, whatever proxy the environment names.
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """`jupyter lab` over a temporary copy of the notebooks; use as a context manager."""

    def __init__(self, notebooks: Path = NOTEBOOKS, workdir: Path | None = None, *,
                 in_place: bool = False, extra_args: tuple[str, ...] = (),
                 user_settings: dict[str, dict] | None = None) -> None:
        """`in_place`: serve `notebooks` itself (e.g. a trainee's workspace), not a copy;
        `extra_args`: more server options; `user_settings`: more Lab settings of this server."""
        self.source = Path(notebooks)
        self._own_workdir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="course-lab-"))
        self.in_place = in_place
        self.root = self.source if in_place else self.workdir / "notebooks"
        self.extra_args = tuple(extra_args)
        self.user_settings = {**TEST_USER_SETTINGS, **(user_settings or {})}
        self.log_path = self.workdir / "jupyter-lab.log"
        self.port = 0
        self.url = ""
        self.token = secrets.token_hex(24)
        self._proc: subprocess.Popen[bytes] | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> LabServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self._prepare()
        last_error = ""
        for _attempt in range(3):  # a free port can be taken between probing and binding
            self.port = _free_port()
            self.url = f"http://127.0.0.1:{self.port}"
            self._spawn()
            try:
                self._wait_until_up()
                return
            except RuntimeError as error:
                last_error = str(error)
                self._terminate()
                if "already in use" not in last_error.lower():
                    break
        self.stop()
        raise RuntimeError(last_error)

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            try:  # the clean way: the server shuts its kernels down, then exits
                self.api("POST", "/api/shutdown", timeout=10)
                self._proc.wait(timeout=30)
            except (OSError, urllib.error.URLError, subprocess.TimeoutExpired):
                self._terminate()
        self._proc = None
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def _prepare(self) -> None:
        if not self.in_place:
            if self.root.exists():
                shutil.rmtree(self.root)
            # The whole folder (sub-folders such as trainer/ too), without saved checkpoints.
            shutil.copytree(self.source, self.root,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        settings = self.workdir / "config" / "lab" / "user-settings"
        for relative, values in self.user_settings.items():
            target = settings / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values), encoding="utf-8")

    def _spawn(self) -> None:
        env = dict(os.environ)
        env.update(
            JUPYTER_CONFIG_DIR=str(self.workdir / "config"),
            JUPYTER_RUNTIME_DIR=str(self.workdir / "runtime"),
            PYTHONUNBUFFERED="1",
            # The lessons record quiz progress: keep it in this test's folder.
            DOUDIAN_COURSE_PROGRESS=str(self.workdir / "progress"),
            # Through the environment, not the command line another user could read with ps.
            JUPYTER_TOKEN=self.token,
        )
        command = [
            sys.executable, "-m", "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={self.root}",
            "--LabApp.expose_app_in_browser=True",
            f"--LabApp.workspaces_dir={self.workdir / 'workspaces'}",
        ]
        command += [arg for arg in self.extra_args if arg not in command]
        if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in command:
            command.append("--allow-root")
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child keeps writing after we return
        try:
            self._proc = subprocess.Popen(
                command, cwd=self.root, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        finally:
            log.close()

    def _wait_until_up(self) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self._proc.returncode}:\n{self.log_tail()}")
            try:
                self.api("GET", "/api/status", timeout=2)
                return
            except (OSError, urllib.error.URLError):
                self._proc_wait(0.25)
        raise RuntimeError(
            f"jupyter lab did not answer within {SERVER_START_TIMEOUT:.0f} s:\n{self.log_tail()}"
        )

    def _proc_wait(self, seconds: float) -> None:
        """Wait for the server to exit or for `seconds`, whichever comes first."""
        assert self._proc is not None
        try:
            self._proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            pass

    def _terminate(self) -> None:
        """Stop our server and its kernels (its own process group, started by us)."""
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                proc.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue

    # -- REST ----------------------------------------------------------------------------------
    def api(self, method: str, path: str, body: Any = None, timeout: float = 10) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        request.add_header("Authorization", f"token {self.token}")
        with _NO_PROXY.open(request, timeout=timeout) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def shutdown_kernels(self) -> None:
        """End every kernel the pages started, so the next test starts on a quiet machine."""
        for kernel in self.api("GET", "/api/kernels"):
            try:
                self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=30)
            except urllib.error.HTTPError:
                pass  # already gone

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def notebook_url(self, name: str) -> str:
        # `reset` starts from an empty workspace: nothing from an earlier test is restored.
        return f"{self.url}/lab/tree/{urllib.parse.quote(name)}?reset&token={self.token}"


# --- JavaScript run in the page ------------------------------------------------------------
# The notebook panel of `path` in Lab's main area.
_PANEL_JS = """
const app = window.jupyterapp;
const panel = Array.from(app.shell.widgets('main')).find(w => w.context && w.context.path === path);
"""
# The text the harness reads and compares: `textContent`, whitespace collapsed. Not `innerText`:
# JupyterLab skips rendering cells out of view (CSS content-visibility), and their innerText is ''.
_TEXT_OF = "(node) => node.textContent.replace(/\\s+/g, ' ').trim()"
# `el`: the first element matching `sel` in the notebook on show (or null).
_FIRST_JS = f"""
const root = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
const el = root && root.querySelector(sel);
const textOf = {_TEXT_OF};
"""
# Keep every error message of the kernel, also one raised in a widget callback: Lab shows that
# only in its log console, never in a cell.
_WATCH_JS = """
app.shell.activateById(panel.id);
await panel.context.ready;
await panel.sessionContext.ready;
window.__courseKernelErrors = window.__courseKernelErrors || {};
const seen = window.__courseKernelErrors[path] = [];
panel.sessionContext.iopubMessage.connect((_, msg) => {
  if (msg.header.msg_type === 'error') seen.push(`${msg.content.ename}: ${msg.content.evalue}`);
});
app.shell.collapseLeft();  // the file browser only takes room from the screenshots
"""
_KERNEL_IDLE_JS = "return panel?.sessionContext.session?.kernel?.status === 'idle';"
# Lab's own "run all" command; its promise settles once every cell's execute reply has arrived,
# or a cell failed and the rest were skipped.
_RUN_ALL_JS = """
app.shell.activateById(panel.id);
window.__courseRun = {done: false, ok: null, error: null};
app.commands.execute('notebook:run-all-cells').then(
  ok => { window.__courseRun = {done: true, ok: ok !== false, error: null}; },
  e => { window.__courseRun = {done: true, ok: false, error: String(e)}; });
"""
_PROMPTS_JS = """
const out = [];
const cells = panel.content.model.cells;
for (let i = 0; i < cells.length; i++) {
  const c = cells.get(i);
  if (c.type !== 'code') continue;
  out.push({index: i, source: c.sharedModel.getSource().trim() !== '', count: c.executionCount ?? null});
}
return out;
"""
_ERRORS_JS = r"""
const out = [];
const inCells = new Set();
const cells = panel.content.model.cells;
for (let i = 0; i < cells.length; i++) {
  const c = cells.get(i);
  if (c.type !== 'code') continue;
  for (const o of c.outputs.toJSON()) {
    if (o.output_type !== 'error') continue;
    inCells.add(`${o.ename}: ${o.evalue}`);
    out.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
  }
}
for (const e of (window.__courseKernelErrors || {})[path] || []) {
  if (!inCells.has(e)) out.push('kernel (e.g. a widget callback): ' + e);
}
const shown = panel.node.querySelectorAll(
  '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], .jp-RenderedText');
for (const node of shown) {
  const text = node.textContent || '';
  if (/Traceback \(most recent call last\)|^\w*(Error|Exception)\b.*:/m.test(text)) {
    out.push('shown: ' + text.slice(0, 800));
  }
}
for (const node of panel.node.querySelectorAll('.jp-OutputArea-output')) {
  if ((node.textContent || '').trim().startsWith('Error displaying widget')) {
    out.push('widget: ' + node.textContent.trim());
  }
}
return out;
"""
_WIDGETS_LOADED_JS = """
return !Array.from(panel.node.querySelectorAll('.jp-OutputArea-output'))
  .some(node => (node.textContent || '').trim() === 'Loading widget...');
"""
# True once every cell that reaches into the viewport is rendered (not skipped by content-visibility).
_IN_VIEW_RENDERED_JS = """
() => {
  const root = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');
  if (!root) return true;
  const box = root.getBoundingClientRect();
  return Array.from(root.querySelectorAll('.jp-Cell')).every(cell => {
    const r = cell.getBoundingClientRect();
    return r.bottom < box.top || r.top > box.bottom || cell.checkVisibility({contentVisibilityAuto: true});
  });
}
"""
_TWO_FRAMES_JS = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
# The moment the page receives a click (capture phase, before any widget handler).
_CLICK_CLOCK_JS = """
() => {
  window.__courseClickAt = null;
  window.__courseShownAt = null;
  if (!window.__courseClickClock) {
    window.__courseClickClock = true;
    document.addEventListener('click', () => { window.__courseClickAt = performance.now(); }, true);
  }
}
"""


class LabError(AssertionError):
    """The lesson did not behave in the browser: an error output, a timeout, a missing widget."""


class Lab:
    """One Chromium page on a `LabServer`, working on one notebook at a time.

    Reading and waiting use stable hooks: JupyterLab's models (through `window.jupyterapp`) for
    kernel and cells, CSS classes that the widget apps set for what the trainee sees.
    """

    def __init__(self, page: Any, server: LabServer, screenshots: Path = SCREENSHOTS) -> None:
        self.page = page
        self.server = server
        self.screenshots = screenshots
        self.notebook = ""
        self.console: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            self.console.append(f"console.error: {message.text}")

    def _js(self, body: str) -> Any:
        """Run `body` (async) in the page with `app`, `path` and `panel` of the open notebook bound."""
        return self.page.evaluate(f"async (path) => {{ {_PANEL_JS} {body} }}", self.notebook)

    def _wait_js(self, body: str, timeout: float, polling: Any = 100) -> None:
        """Wait until `body` returns true in the page (`app`, `path`, `panel` bound)."""
        self.page.wait_for_function(f"(path) => {{ {_PANEL_JS} {body} }}", arg=self.notebook,
                                    timeout=timeout * 1000, polling=polling)

    # -- notebook ----------------------------------------------------------------------------
    def open(self, name: str, timeout: float = KERNEL_TIMEOUT) -> None:
        """Open `name` (a file in the copied notebooks folder) and wait for an idle kernel."""
        self.notebook = name
        self.page.goto(self.server.notebook_url(name), wait_until="domcontentloaded",
                       timeout=timeout * 1000)
        self.page.wait_for_function("window.jupyterapp !== undefined", timeout=timeout * 1000, polling=100)
        self.page.evaluate("() => window.jupyterapp.restored")
        try:
            self._wait_js("return panel !== undefined;", timeout)
        except Exception as error:
            raise LabError(f"{name}: the notebook did not open\n{self.server.log_tail()}") from error
        self._js(_WATCH_JS)
        self.wait_kernel_idle(timeout)

    def kernel_status(self) -> str:
        return self._js("return panel?.sessionContext.session?.kernel?.status ?? 'none';")

    def wait_kernel_idle(self, timeout: float = KERNEL_TIMEOUT) -> None:
        try:
            self._wait_js(_KERNEL_IDLE_JS, timeout)
        except Exception as error:
            raise LabError(
                f"{self.notebook}: kernel not idle after {timeout:.0f} s "
                f"(status {self.kernel_status()!r})\n{self.server.log_tail()}"
            ) from error

    def run_all(self, timeout: float = RUN_ALL_TIMEOUT) -> None:
        """Run every cell through Lab's own command, and return once all have run, the kernel is
        idle and every widget has rendered. Raise `LabError` on any error output."""
        self._js(_RUN_ALL_JS)
        try:
            self.page.wait_for_function("window.__courseRun.done", timeout=timeout * 1000, polling=200)
        except Exception as error:
            raise LabError(
                f"{self.notebook}: cells still running after {timeout:.0f} s; prompts: {self.prompts()}"
            ) from error
        self.wait_kernel_idle()
        self.assert_no_errors()
        run = self.page.evaluate("window.__courseRun")
        if not run["ok"]:
            raise LabError(f"{self.notebook}: run all did not complete: {run['error'] or 'a cell failed'}")
        unrun = [p for p in self.prompts() if p["source"] and p["count"] is None]
        if unrun:
            raise LabError(f"{self.notebook}: cells without an execution count: {unrun}")
        try:
            self._wait_js(_WIDGETS_LOADED_JS, ACTION_TIMEOUT)
        except Exception as error:
            raise LabError(f"{self.notebook}: a widget still shows 'Loading widget...'") from error

    def restart_kernel(self, timeout: float = KERNEL_TIMEOUT) -> None:
        """A plain kernel restart (as 内核 → 重启内核, without the dialog); widgets stay on the page."""
        self._js("await panel.sessionContext.session.kernel.restart();")
        self.wait_kernel_idle(timeout)

    def prompts(self) -> list[dict[str, Any]]:
        """Every code cell: its index, whether it has source, and its execution count."""
        return self._js(_PROMPTS_JS)

    def errors(self) -> list[str]:
        """Every error of the open notebook: cells' error outputs, any error message of the kernel
        (a widget callback's exception, which Lab puts in its log console), tracebacks shown on
        the page (e.g. inside an Output widget), and widgets that failed to display."""
        return self._js(_ERRORS_JS)

    def assert_no_errors(self) -> None:
        errors = self.errors()
        if errors:
            raise LabError(f"{self.notebook}: error output on the page:\n" + "\n---\n".join(errors))

    # -- widgets -----------------------------------------------------------------------------
    def locator(self, selector: str) -> Any:
        """Elements of the open notebook (never of another panel or the launcher)."""
        return self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").locator(selector)

    def wait_for(self, selector: str, timeout: float = ACTION_TIMEOUT) -> Any:
        element = self.locator(selector).first
        element.wait_for(state="visible", timeout=timeout * 1000)
        return element

    def button(self, text: str, selector: str = "button") -> Any:
        """The enabled widget button whose text is exactly `text`."""
        return self.locator(f"{selector}:not([disabled])").filter(has_text=_exact_text(text)).first

    def click(self, text: str, selector: str = "button", timeout: float = ACTION_TIMEOUT) -> None:
        button = self.button(text, selector)
        button.scroll_into_view_if_needed(timeout=timeout * 1000)
        button.click(timeout=timeout * 1000)

    def select(self, label: str, option: str, timeout: float = ACTION_TIMEOUT) -> None:
        """Choose `option` in the Dropdown/Select widget whose description is `label`."""
        widget = self.locator(".widget-dropdown, .widget-select").filter(has_text=label).first
        widget.locator("select").select_option(label=option, timeout=timeout * 1000)

    def toggle(self, text: str, timeout: float = ACTION_TIMEOUT) -> None:
        """Click the ToggleButtons choice or RadioButtons option labelled `text`."""
        self.locator(".widget-toggle-button, .widget-radio-box label").filter(
            has_text=_exact_text(text)
        ).first.click(timeout=timeout * 1000)

    def text(self, selector: str, timeout: float = ACTION_TIMEOUT) -> str:
        """The text of the first element matching `selector` (whitespace collapsed)."""
        return self.wait_for(selector, timeout).evaluate(_TEXT_OF)

    def texts(self, selector: str) -> list[str]:
        return self.locator(selector).evaluate_all(f"(nodes) => nodes.map({_TEXT_OF})")

    def wait_text_change(self, selector: str, old: str, timeout: float = ACTION_TIMEOUT) -> str:
        """Wait until the first element matching `selector` shows a text other than `old`; return it."""
        script = f"([sel, old]) => {{ {_FIRST_JS} return el !== null && textOf(el) !== old; }}"
        try:
            self.page.wait_for_function(script, arg=[selector, old], timeout=timeout * 1000)
        except Exception as error:
            raise LabError(f"{self.notebook}: {selector} still shows {old!r} after {timeout:.0f} s") \
                from error
        return self.text(selector)

    def wait_text(self, selector: str, pattern: str, timeout: float = ACTION_TIMEOUT) -> str:
        """Wait until the first element matching `selector` shows text matching `pattern` (a regex)."""
        script = (f"([sel, pattern]) => {{ {_FIRST_JS}"
                  " return el !== null && new RegExp(pattern).test(textOf(el)); }")
        try:
            self.page.wait_for_function(script, arg=[selector, pattern], timeout=timeout * 1000)
        except Exception as error:
            raise LabError(
                f"{self.notebook}: {selector} does not show /{pattern}/ after {timeout:.0f} s: "
                f"{self.texts(selector)[:1]}"
            ) from error
        return self.text(selector)

    def click_and_read(self, text: str, read: str, selector: str = "button",
                       timeout: float = ACTION_TIMEOUT) -> str:
        """Click the button `text`, wait until `read` shows a new text, and return that text.

        It first waits for an idle kernel: the frontend receives the kernel's idle status after
        every widget update of the previous action, so `before` is never a half-updated page.
        """
        self.wait_kernel_idle(timeout)
        before = self.text(read, timeout)
        self.click(text, selector, timeout)
        return self.wait_text_change(read, before, timeout)

    def timed_click(self, text: str, read: str, selector: str = "button",
                    timeout: float = ACTION_TIMEOUT) -> tuple[str, float, float]:
        """`click_and_read`, timed: (new text, page ms, driver ms).

        Page ms runs from the moment the page receives the click event to the first animation
        frame (the next paint) in which `read` shows the new text: what the trainee waits for.
        Driver ms is the same seen from Python, Playwright's round trips included.
        """
        self.wait_kernel_idle(timeout)
        before = self.text(read, timeout)
        button = self.button(text, selector)
        button.scroll_into_view_if_needed(timeout=timeout * 1000)
        self.page.evaluate(_CLICK_CLOCK_JS)
        start = time.perf_counter()
        button.click(timeout=timeout * 1000)
        script = (f"([sel, old]) => {{ {_FIRST_JS} if (el === null || textOf(el) === old) return false;"
                  " window.__courseShownAt = performance.now(); return true; }")
        try:
            self.page.wait_for_function(script, arg=[read, before], polling="raf", timeout=timeout * 1000)
        except Exception as error:
            raise LabError(f"{self.notebook}: {read} still shows {before!r} after {timeout:.0f} s") from error
        driver_ms = (time.perf_counter() - start) * 1000
        page_ms = self.page.evaluate("() => window.__courseShownAt - window.__courseClickAt")
        return self.text(read), page_ms, driver_ms

    def answer_quiz(self, question: int = 1, choice: int = 1, timeout: float = ACTION_TIMEOUT) -> str:
        """Pick `choice` in quiz question `question` (both 1-based), check it, return the feedback."""
        from helpers import t  # the button's label comes from the course's string catalog

        block = self.locator(".quiz .quiz-question").nth(question - 1)
        block.scroll_into_view_if_needed(timeout=timeout * 1000)
        block.locator("input[type=radio]").nth(choice - 1).check(timeout=timeout * 1000)
        block.locator("button").filter(has_text=_exact_text(t("quiz.check"))).first.click(
            timeout=timeout * 1000)
        feedback = block.locator(".quiz-feedback")
        self.page.wait_for_function(f"(el) => ({_TEXT_OF})(el) !== ''", arg=feedback.element_handle(),
                                    timeout=timeout * 1000)
        return feedback.evaluate(_TEXT_OF)

    # -- evidence ----------------------------------------------------------------------------
    def settle(self, timeout: float = ACTION_TIMEOUT) -> None:
        """Wait until the cells in view are painted (Lab renders a cell once it comes into view)."""
        self.page.wait_for_function(_IN_VIEW_RENDERED_JS, polling="raf", timeout=timeout * 1000)
        self.page.evaluate(_TWO_FRAMES_JS)

    def screenshot(self, name: str, focus: str | None = None) -> Path:
        """Save tests/browser/screenshots/<name>.png; scroll `focus` (a selector) into view first."""
        self.screenshots.mkdir(parents=True, exist_ok=True)
        if focus:
            self.locator(focus).first.scroll_into_view_if_needed()
        self.settle()
        path = self.screenshots / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


def _exact_text(text: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")
