"""App mode: the course as web pages with no code (Voilà), started by `make app`.

    python -m helpers app        # serve, open the browser at the course index, Ctrl+C stops

Voilà serves `notebooks/` on 127.0.0.1 and only reads the lessons (it never saves a notebook),
so the course's own files stay as they are. The first page is the course index,
`notebooks/app/index.ipynb` (a link to every lesson and the trainee's progress). What the
command line below sets, and why:

- `--template=doudian`: Voilà's `lab` template without its public-CDN stylesheets and scripts,
  and with MathJax's CDN URL out of the page config (app_share/voila/templates/doudian, found
  through JUPYTER_PATH; the same template serves Voilà as a server extension behind a hub): no
  request leaves 127.0.0.1.
- `--VoilaConfiguration.preheat_kernel=True`: a pool of one kernel per page, each of which has
  already run its notebook (voila's `VoilaKernelManager`), so a page is interactive as soon as it
  opens. `preheat` limits the pool to some pages (a test that opens two lessons need not warm
  nine); the trainer's class summary is never preheated.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import webbrowser
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import quote

from ..paths import PROJECT_ROOT
from ..strings import t
from .language import launch_environment

ROOT = PROJECT_ROOT / "notebooks"
INDEX = "app/index.ipynb"
SHARE = Path(__file__).resolve().parent / "app_share"
TEMPLATE = "doudian"
HOST = "127.0.0.1"
DEFAULT_PORT = 8866
START_TIMEOUT_S = 180.0
NEVER_PREHEATED = ("trainer/",)


def page_url(port: int, notebook: str = INDEX, host: str = HOST) -> str:
    """The address of one page of the app (a notebook relative to `ROOT`)."""
    return f"http://{host}:{port}/voila/render/{quote(notebook)}"


def environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The server's environment: Voilà finds the course's template through JUPYTER_PATH; the
    trainee's saved language, if any, for every kernel."""
    env = launch_environment(base)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(SHARE), env.get("JUPYTER_PATH", "")) if p)
    return env


def voila_command(port: int, root: Path = ROOT, preheat: Iterable[str] | None = None) -> list[str]:
    """The Voilà command line of app mode; `preheat` (notebook paths relative to `root`) limits
    the kernel pool to those pages, None preheats every page but the trainer's."""
    root = Path(root)
    deny = list(NEVER_PREHEATED)
    if preheat is not None:
        wanted = {str(Path(p)) for p in preheat}
        deny += sorted(str(p.relative_to(root)) for p in root.rglob("*.ipynb")
                       if str(p.relative_to(root)) not in wanted)
    return [
        sys.executable, "-m", "voila", str(root),
        "--no-browser",
        f"--Voila.ip={HOST}",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        f"--VoilaConfiguration.template={TEMPLATE}",
        "--VoilaConfiguration.theme=light",
        "--VoilaConfiguration.preheat_kernel=True",
        # Each page gets its own pool of one, refilled a second after it is taken.
        "--VoilaConfiguration.default_pool_size=1",
        "--VoilaKernelManager.preheat_denylist=" + repr(deny).replace("'", '"'),
    ]


def free_port(preferred: int = DEFAULT_PORT) -> int:
    """`preferred` when nothing listens there, else any free port on loopback."""
    for port in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise OSError("no free port")


def wait_until_up(process: subprocess.Popen, url: str, timeout: float = START_TIMEOUT_S) -> None:
    """Return once `url` answers; RuntimeError when the server exits or stays silent."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"voila exited with {process.returncode}")
        try:
            with opener.open(url, timeout=2):
                return
        except (OSError, urllib.error.URLError):
            time.sleep(0.25)
    raise RuntimeError(f"no answer from {url} within {timeout:.0f} s")


def cli_app() -> int:
    """`python -m helpers app`: serve the course, open the index; 0 when stopped, 1 on failure."""
    port = free_port()
    print(t("app.starting"), flush=True)
    process = subprocess.Popen(voila_command(port), env=environment(), cwd=ROOT)
    try:
        wait_until_up(process, f"http://{HOST}:{port}/")
        url = page_url(port)
        print(t("app.ready", url=url), flush=True)
        webbrowser.open(url)
        process.wait()
    except RuntimeError as error:
        print(t("app.failed", reason=error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0
