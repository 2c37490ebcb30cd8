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
import tomllib
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

HERE = Path(__file__).resolve().parent
PREFIX = Path(os.environ.get("DOUDIAN_HUB_PREFIX", "/opt/doudian-course"))
STATE = Path(os.environ.get("DOUDIAN_HUB_STATE", "/srv/doudian-course/hub"))
PROGRESS = os.environ.get("DOUDIAN_COURSE_PROGRESS", "/srv/doudian-course/progress")
ROSTER = Path(os.environ.get("DOUDIAN_HUB_ROSTER", "/srv/doudian-course/roster.toml"))
ENV_BIN = PREFIX / "env" / "bin"  # the shared user environment (setup.sh)

roster = tomllib.loads(ROSTER.read_text(encoding="utf-8")) if ROSTER.exists() else {}
trainees = list(roster.get("trainees", []))
trainers = list(roster.get("trainers", []))
admins = list(roster.get("admins", []))

# ---- the hub ------------------------------------------------------------------------------
c.JupyterHub.bind_url = os.environ.get("DOUDIAN_HUB_URL", "http://127.0.0.1:8000")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.ConfigurableHTTPProxy.command = [str(PREFIX / "chp" / "node_modules" / ".bin" / "configurable-http-proxy")]

# JupyterHub 5 lets nobody in unless named: the roster is the class.
c.Authenticator.allowed_users = set(trainees + trainers + admins)
c.Authenticator.admin_users = set(admins)

# ---- who is who ---------------------------------------------------------------------------
c.JupyterHub.load_groups = {
    "cohort": {"users": trainees},
    "trainers": {"users": trainers},
}
c.JupyterHub.load_roles = [
    {
        # A trainer sees the class page and may open any trainee's server (to help with a lesson);
        # a trainee keeps the default role: only their own server, no services.
        "name": "trainer",
        "description": "看全班进度、进入学员的服务器",
        "scopes": [
            "access:services!service=class-progress",
            "read:users!group=cohort",
            "read:servers!group=cohort",
            "access:servers!group=cohort",
        ],
        "groups": ["trainers"],
    },
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    },
]

# ---- the trainees' servers ----------------------------------------------------------------
# umask 027: progress files come out 0640, readable by the folder's group (trainers) only.
c.Spawner.cmd = ["/bin/sh", "-c", 'umask 027 && exec "$@"', "umask-027",
                 str(ENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {
    "DOUDIAN_COURSE_PROGRESS": PROGRESS,
    # Marks the lessons' repository (owned by root) safe for git; the trainee's ~/.gitconfig is kept.
    "GIT_CONFIG_GLOBAL": str(PREFIX / "gitconfig"),
    "PATH": f"{ENV_BIN}:/usr/local/bin:/usr/bin:/bin",
}
# Ten servers starting at once on 2 cores take about 20 s: leave room.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90

# ---- services -----------------------------------------------------------------------------
# A trainee's server is stopped after an hour without activity (kernel messages, saves, clicks),
# never in the middle of a session: TLJH's 10 minutes would end a server over a coffee break.
CULL_AFTER_S = 3600
c.JupyterHub.services = [
    {
        "name": "class-progress",
        "url": "http://127.0.0.1:10101",
        "command": [str(ENV_BIN / "python"), str(HERE / "class_progress.py")],
        # Not root: a system user in the trainers' group reads the folder as a trainer would.
        "user": os.environ.get("DOUDIAN_HUB_SERVICE_USER", "doudian-progress"),
        "cwd": str(PREFIX),
        "environment": {"DOUDIAN_COURSE_PROGRESS": PROGRESS},
        "oauth_no_confirm": True,
        "display": True,
    },
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                    f"--timeout={CULL_AFTER_S}", "--cull-every=300"],
    },
]
