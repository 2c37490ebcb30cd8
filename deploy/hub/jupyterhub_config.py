"""JupyterHub for one cohort on one server: 抖店售后训练营.

    sudo deploy/hub/setup.sh                       # once, and after every course update
    sudo jupyterhub -f deploy/hub/jupyterhub_config.py

Everything site-specific comes from the environment, with the defaults setup.sh uses:

    DOUDIAN_HUB_URL        where the hub listens          [http://127.0.0.1:8000]
    DOUDIAN_HUB_PREFIX     setup.sh's PREFIX               [/opt/doudian-course]
    DOUDIAN_HUB_STATE      the hub's database and secret   [/srv/doudian-course/hub]
    DOUDIAN_COURSE_PROGRESS  the shared progress folder    [/srv/doudian-course/progress]
    DOUDIAN_HUB_ROSTER     who is in the class             [/srv/doudian-course/roster.toml]

The roster is a small TOML file the trainer edits before a class:

    trainees = ["lin", "chen"]     # unix accounts (useradd -m NAME; passwd NAME)
    trainers = ["wang"]            # see the class at /services/class-progress/
    admins = []                    # may manage the hub itself

Logins are checked against the server's unix accounts (PAM, JupyterHub's default). On a real
address put TLS in front (or set `ssl_cert`/`ssl_key`), or switch to another authenticator:
docs/deploy.md says which fit a class.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from cohort_config import configure, read_roster  # noqa: E402

PREFIX = Path(os.environ.get("DOUDIAN_HUB_PREFIX", "/opt/doudian-course"))
STATE = Path(os.environ.get("DOUDIAN_HUB_STATE", "/srv/doudian-course/hub"))
PROGRESS = os.environ.get("DOUDIAN_COURSE_PROGRESS", "/srv/doudian-course/progress")
ROSTER = Path(os.environ.get("DOUDIAN_HUB_ROSTER", "/srv/doudian-course/roster.toml"))
ENV_BIN = PREFIX / "env" / "bin"  # the shared user environment (setup.sh)

# ---- the hub ------------------------------------------------------------------------------
c.JupyterHub.bind_url = os.environ.get("DOUDIAN_HUB_URL", "http://127.0.0.1:8000")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.ConfigurableHTTPProxy.command = [str(PREFIX / "chp" / "node_modules" / ".bin" / "configurable-http-proxy")]

# ---- the trainees' servers ----------------------------------------------------------------
# umask 027: progress files come out 0640, readable by the folder's group (trainers) only.
c.Spawner.cmd = ["/bin/sh", "-c", 'umask 027 && exec "$@"', "umask-027",
                 str(ENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {"PATH": f"{ENV_BIN}:/usr/local/bin:/usr/bin:/bin"}
# Ten servers starting at once on 2 cores take about 20 s: leave room.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90

# ---- the class: groups, the trainers' role, the progress folder, the services --------------
configure(c, read_roster(ROSTER), env_bin=ENV_BIN, progress=PROGRESS, gitconfig=PREFIX / "gitconfig",
          service_user=os.environ.get("DOUDIAN_HUB_SERVICE_USER", "doudian-progress"),
          service_cwd=str(PREFIX))
