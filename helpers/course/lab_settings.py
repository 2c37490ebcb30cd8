"""Write JupyterLab's settings overrides into the active environment (any OS, no make needed).

The Lab interface then shows in Chinese (the language pack is a dependency) and no news prompt
covers the notebook. The server of this environment also accepts larger websocket messages:
lesson 08's upload travels as one message, and tornado's default of 10 MiB drops the connection
without a word for a real-sized export (72,000 rows are 13.6 MB). Run as
`python -m helpers.course.lab_settings`; `make install` does it for you.
`--hub` (the shared user environment of a JupyterHub, deploy/hub/setup.sh) adds what a class of
many needs: closing a lesson's tab shuts its kernel down, so memory comes back to the server.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OVERRIDES = {
    "@jupyterlab/translation-extension:plugin": {"locale": "zh_CN"},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}

HUB_OVERRIDES = {
    **OVERRIDES,
    "@jupyterlab/notebook-extension:tracker": {"kernelShutdown": True},
}


# One upload is one websocket message: the file plus a little framing.
WEBSOCKET_MAX_MESSAGE_BYTES = 64 << 20
UPLOAD_LIMIT_BYTES = 60 << 20   # what lesson 08 promises, below the message limit


def server_config_path(prefix: str = sys.prefix) -> Path:
    # The plain config file: the *.d folders beside it are read for server extensions only.
    return Path(prefix, "etc", "jupyter", "jupyter_server_config.json")


def write_server_config(prefix: str = sys.prefix) -> Path:
    """Raise the websocket message limit in the environment's server config, keeping the rest."""
    path = server_config_path(prefix)
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = {}
    settings = config.setdefault("ServerApp", {}).setdefault("tornado_settings", {})
    settings["websocket_max_message_size"] = WEBSOCKET_MAX_MESSAGE_BYTES
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return path


def overrides_path(prefix: str = sys.prefix) -> Path:
    return Path(prefix, "share", "jupyter", "lab", "settings", "overrides.json")


def write_overrides(prefix: str = sys.prefix, hub: bool = False) -> Path:
    path = overrides_path(prefix)
    path.parent.mkdir(parents=True, exist_ok=True)
    values = HUB_OVERRIDES if hub else OVERRIDES
    path.write_text(json.dumps(values, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_server_config())
    print(write_overrides(hub="--hub" in sys.argv[1:]))
