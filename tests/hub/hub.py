"""A cohort's hub for tests and benchmarks: deploy/hub/ on 127.0.0.1 with real unix users.

Shared by tests/hub/test_cohort.py and benchmarks/bench_hub.py:

- `Cohort`: runs deploy/hub/setup.sh into a cache folder (the shared user environment and
  configurable-http-proxy are installed once and reused), creates the trainees and trainers with
  `useradd` (removed with `userdel -r` by `remove_users`), starts the tested jupyterhub_config.py on
  free 127.0.0.1 ports with a few test-only settings, and stops it.
- `HubServer`: one user's server as the browser harness of tests/browser/ sees it (`Lab` needs
  only `notebook_url` and `log_tail`).
- `log_in`, `request_hosts`: the real login page, and the hosts a browser context asked for.

Needs root (useradd, a hub that switches users) and Linux.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SETUP = REPO / "deploy" / "hub" / "setup.sh"
# The shared environment and the proxy are kept here between runs: world-readable, not under /root.
CACHE = Path(os.environ.get("DOUDIAN_HUB_CACHE", "/var/tmp/doudian-hub-test"))
PASSWORD = "course-test-password"  # loopback-only accounts, removed after the run
MARK = "doudian-course hub test"  # the accounts' comment: only such an account is ever removed
START_TIMEOUT = 120.0  # s; the hub's first start on a busy machine migrates its database
STOP_TIMEOUT = 60.0

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _free_ports(count: int) -> list[int]:
    import socket

    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def hub_missing() -> str | None:
    """Why this machine cannot run a hub with real users, or None when it can."""
    if os.name != "posix" or not hasattr(os, "geteuid"):
        return "the hub test needs Linux"
    if os.geteuid() != 0:
        return ("the hub test creates unix users (useradd) and runs a hub that switches to them: "
                "run it as root")
    for tool in ("useradd", "userdel", "chpasswd", "git", "npm", "runuser"):
        if shutil.which(tool) is None:
            return f"`{tool}` is not installed"
    if not Path("/usr/bin/python3").exists():
        return "no system Python at /usr/bin/python3 for the shared user environment"
    return None


def run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, check=True, text=True, capture_output=True, **kwargs)


class Cohort:
    """One hub, its users and its folders; use as a context manager (users removed at exit)."""

    def __init__(self, trainees: list[str], trainers: list[str], spawner_args: tuple[str, ...] = (
            "--LabApp.expose_app_in_browser=True",)) -> None:
        self.trainees = list(trainees)
        self.trainers = list(trainers)
        self.spawner_args = spawner_args
        self.prefix = CACHE / "opt"
        CACHE.mkdir(parents=True, exist_ok=True)
        CACHE.chmod(0o755)
        for old in CACHE.glob("run-*"):  # the last run's folders are kept until the next run
            shutil.rmtree(old, ignore_errors=True)
        self.run_dir = Path(tempfile.mkdtemp(prefix="run-", dir=CACHE))
        self.run_dir.chmod(0o755)  # the trainees must reach the progress folder inside
        self.progress = self.run_dir / "progress"
        self.state = self.run_dir / "state"
        self.log_path = self.run_dir / "jupyterhub.log"
        self.url = ""
        self.created: list[str] = []
        self._proc: subprocess.Popen[bytes] | None = None
        self.setup_output = ""

    # -- set-up --------------------------------------------------------------------------------
    def setup(self) -> None:
        env = dict(os.environ, PREFIX=str(self.prefix), PROGRESS=str(self.progress), STATE=str(self.state),
                   ROSTER=str(self.run_dir / "roster.toml"))
        result = subprocess.run(["bash", str(SETUP)], env=env, text=True, capture_output=True)
        self.setup_output = result.stdout + result.stderr
        if result.returncode != 0:
            raise RuntimeError(f"deploy/hub/setup.sh failed:\n{self.setup_output[-3000:]}")

    def add_users(self) -> None:
        for name in self.trainees + self.trainers:
            try:
                existing = pwd.getpwnam(name)
            except KeyError:
                existing = None
            if existing is not None:
                if existing.pw_gecos != MARK:
                    raise RuntimeError(f"a unix user {name!r} exists and is not this test's: not touching it")
                self.created.append(name)  # left over from an interrupted run
                self.remove_users()
            groups = ["-G", "trainers"] if name in self.trainers else []
            run(["useradd", "-m", "-s", "/bin/bash", "-c", MARK, *groups, name])
            self.created.append(name)
            run(["chpasswd"], input=f"{name}:{PASSWORD}\n")

    def remove_users(self) -> None:
        for name in reversed(self.created):
            subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)  # only this test's users
            for _attempt in range(20):
                if subprocess.run(["userdel", "-r", name], capture_output=True).returncode in (0, 6):
                    break
                time.sleep(0.25)
        self.created.clear()

    def write_config(self, ports: list[int]) -> Path:
        hub_port, proxy_api, service_port = ports
        roster = self.run_dir / "roster.toml"
        roster.write_text(f"trainees = {self.trainees!r}\ntrainers = {self.trainers!r}\n".replace("'", '"'),
                          encoding="utf-8")
        config = self.run_dir / "jupyterhub_test_config.py"
        # The deployed config as setup.sh installed it, plus what only a test needs.
        config.write_text(
            "c = get_config()  # noqa: F821\n"
            f"load_subconfig({str(self.prefix / 'course/deploy/hub/jupyterhub_config.py')!r})  # noqa: F821\n"
            f"c.JupyterHub.hub_bind_url = 'http://127.0.0.1:{hub_port}'\n"
            f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{proxy_api}'\n"
            f"c.Spawner.args = {list(self.spawner_args)!r}\n"
            "for service in c.JupyterHub.services:\n"
            "    if service['name'] == 'class-progress':\n"
            f"        service['url'] = 'http://127.0.0.1:{service_port}'\n",
            encoding="utf-8")
        return roster

    # -- lifecycle -----------------------------------------------------------------------------
    def __enter__(self) -> Cohort:
        try:
            self.setup()
            self.add_users()
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.stop()
        self.remove_users()

    def start(self) -> float:
        """Start the hub; return the seconds until its API answered through the proxy."""
        port, *others = _free_ports(4)
        roster = self.write_config(others)
        self.url = f"http://127.0.0.1:{port}"
        env = dict(os.environ, DOUDIAN_HUB_URL=self.url, DOUDIAN_HUB_PREFIX=str(self.prefix),
                   DOUDIAN_HUB_STATE=str(self.state), DOUDIAN_COURSE_PROGRESS=str(self.progress),
                   DOUDIAN_HUB_ROSTER=str(roster), PYTHONUNBUFFERED="1")
        started = time.monotonic()
        with open(self.log_path, "ab") as log:
            self._proc = subprocess.Popen(
                [str(self.prefix / "env/bin/jupyterhub"), "-f",
                 str(self.run_dir / "jupyterhub_test_config.py")],
                cwd=self.state, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)
        deadline = started + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with {self._proc.returncode}:\n{self.log_tail()}")
            try:
                with _NO_PROXY.open(self.url + "/hub/api/", timeout=2) as response:
                    if response.status == 200:
                        return time.monotonic() - started
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the hub did not answer within {START_TIMEOUT:.0f} s:\n{self.log_tail()}")

    def stop(self) -> tuple[int | None, float]:
        """Stop the hub as an admin would (SIGTERM: it stops the servers and services first);
        return its exit code (None if it had to be killed) and the seconds it took."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return (proc.returncode if proc else None), 0.0
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the hub's own group (start_new_session above)
            proc.wait()
            code = None
        return code, time.monotonic() - started

    # -- evidence ------------------------------------------------------------------------------
    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def processes_of(self, name: str) -> list[str]:
        """The live processes of `name` ("pid args"); an exited one not yet reaped (a zombie,
        reparented to this container's init) runs nothing and is left out."""
        result = subprocess.run(["ps", "-u", name, "-o", "pid=,stat=,args="], capture_output=True, text=True)
        return [f"{pid} {args}" for pid, state, args in
                ((line.split(None, 2) + ["", ""])[:3] for line in result.stdout.splitlines() if line.strip())
                if not state.startswith("Z")]

    def user_memory_mib(self, name: str) -> float:
        """Proportional set size of every process of `name` (its server and its kernels), in MiB."""
        total = 0
        for line in self.processes_of(name):
            pid = line.split()[0]
            try:
                text = Path(f"/proc/{pid}/smaps_rollup").read_text()
            except OSError:
                continue
            for field in text.splitlines():
                if field.startswith("Pss:"):
                    total += int(field.split()[1])
        return total / 1024

    def server(self, name: str) -> HubServer:
        return HubServer(self, name)


class HubServer:
    """One user's server behind the hub, in the shape `tests.browser.lab.Lab` drives."""

    def __init__(self, cohort: Cohort, user: str) -> None:
        self.cohort = cohort
        self.user = user

    @property
    def url(self) -> str:
        return f"{self.cohort.url}/user/{self.user}"

    def notebook_url(self, name: str) -> str:
        return f"{self.url}/lab/tree/{urllib.parse.quote(name)}?reset"

    def log_tail(self, lines: int = 40) -> str:
        return self.cohort.log_tail(lines)


def log_in(page: Any, user: str, wait: bool = True) -> None:
    """Fill in and send the hub's login page, on show in `page` (the hub then goes on to where
    the visitor was heading); `wait=False` returns at once, the browser carrying on alone."""
    page.wait_for_selector("#username_input")
    page.fill("#username_input", user)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit", no_wait_after=not wait)


def watch_requests(context: Any, hosts: set[str]) -> None:
    """Collect the host of every request and websocket a browser context opens."""
    def keep(url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme in {"http", "https", "ws", "wss"}:
            hosts.add(parts.hostname or "")

    context.on("request", lambda request: keep(request.url))
    context.on("page", lambda page: page.on("websocket", lambda ws: keep(ws.url)))
