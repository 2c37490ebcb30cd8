"""The course's part of a hub's configuration, shared by the plain hub and TLJH.

`configure(c, roster, ...)` sets who is in the class, the trainers' role, the trainees' server
environment and the class-progress service. deploy/hub/jupyterhub_config.py (one server, tested
by tests/hub/) and deploy/hub/tljh/doudian_course.py (a TLJH snippet) each add what their hub
needs around it: where the hub listens, the spawner, the umask.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SERVICE = "class-progress"
# A trainee's server is stopped after an hour without activity (kernel messages, saves, clicks),
# never in the middle of a session: the 10 minutes TLJH starts with end a server over a break.
CULL_AFTER_S = 3600


def read_roster(path: Path) -> dict[str, list[str]]:
    """trainees / trainers / admins from the roster file (all empty when there is none)."""
    raw = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {key: [str(name) for name in raw.get(key, [])] for key in ("trainees", "trainers", "admins")}


def configure(c: Any, roster: dict[str, list[str]], *, env_bin: Path, progress: str,
              gitconfig: Path | None = None, service_user: str = "doudian-progress",
              service_url: str = "http://127.0.0.1:10101", service_cwd: str = "/",
              culler: bool = True) -> None:
    trainees, trainers, admins = roster["trainees"], roster["trainers"], roster["admins"]
    # JupyterHub 5 lets nobody in unless named: the roster is (added to) the class.
    c.Authenticator.allowed_users.update(trainees + trainers + admins)
    c.Authenticator.admin_users.update(admins)

    c.JupyterHub.load_groups = {"cohort": {"users": trainees}, "trainers": {"users": trainers}}
    roles = [{
        # A trainer sees the class page and may open a trainee's server (to help with a lesson);
        # a trainee keeps the default role: their own server only, no service.
        "name": "trainer",
        "description": "看全班进度、进入学员的服务器",
        "scopes": [f"access:services!service={SERVICE}", "read:users!group=cohort",
                   "read:servers!group=cohort", "access:servers!group=cohort"],
        "groups": ["trainers"],
    }]

    environment = {"DOUDIAN_COURSE_PROGRESS": progress}
    if gitconfig is not None:
        # Marks the lessons' repository (owned by root) safe for git; ~/.gitconfig is still read.
        environment["GIT_CONFIG_GLOBAL"] = str(gitconfig)
    c.Spawner.environment.update(environment)

    services = [{
        "name": SERVICE,
        "url": service_url,
        "command": [str(env_bin / "python"), str(HERE / "class_progress.py")],
        # Not root: a system user in the trainers' group reads the folder as a trainer would.
        "user": service_user,
        "cwd": service_cwd,
        "environment": {"DOUDIAN_COURSE_PROGRESS": progress},
        "oauth_no_confirm": True,
        "display": True,
    }]
    if culler:
        services.append({"name": "idle-culler",
                         "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                                     f"--timeout={CULL_AFTER_S}", "--cull-every=300"]})
        roles.append({"name": "idle-culler", "services": ["idle-culler"],
                      "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]})
    _extend(c.JupyterHub, "services", services)
    _extend(c.JupyterHub, "load_roles", roles)


def _extend(section: Any, key: str, items: list[dict]) -> None:
    """Add to a list another config file may have set (TLJH sets its own services first)."""
    current = section[key] if key in section else []
    if isinstance(current, list):
        section[key] = current + items
    else:  # traitlets' lazy value: applied on top of whatever the setting ends up being
        current.extend(items)
