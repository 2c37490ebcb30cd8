"""The course on The Littlest JupyterHub (TLJH): copy to /opt/tljh/config/jupyterhub_config.d/.

    sudo cp deploy/hub/tljh/doudian_course.py /opt/tljh/config/jupyterhub_config.d/
    sudo tljh-config reload hub

TLJH keeps its own settings (users, authenticator, HTTPS, the idle culler: `tljh-config`); this
adds the course's: the `cohort` and `trainers` groups from the roster, the trainers' role, the
progress folder in every server's environment, umask 027 through systemd, and the class-progress
service. It expects `deploy/hub/setup.sh` run with TLJH's user environment (docs/deploy.md):
    sudo USER_ENV=/opt/tljh/user SETUP_STEPS="groups env lessons folders" deploy/hub/setup.sh
(the course goes into TLJH's user environment; TLJH has its own proxy). The hub needs
Python 3.11+ (tomllib): Ubuntu 24.04.
"""

import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

COURSE = Path("/opt/doudian-course/course")
sys.path.insert(0, str(COURSE / "deploy" / "hub"))
from cohort_config import configure, read_roster  # noqa: E402

configure(c, read_roster(Path("/srv/doudian-course/roster.toml")),
          env_bin=Path("/opt/tljh/user/bin"), progress="/srv/doudian-course/progress",
          gitconfig=Path("/opt/doudian-course/gitconfig"), service_cwd="/opt/doudian-course",
          culler=False)  # TLJH runs its own: sudo tljh-config set services.cull.timeout 3600
# TLJH starts each server as a systemd unit: the umask is a unit property there.
c.SystemdSpawner.unit_extra_properties = {"UMask": "0027"}
