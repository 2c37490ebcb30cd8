"""Write JupyterLab's settings overrides into the active environment (any OS, no make needed).

The Lab interface then shows in Chinese (the language pack is a dependency) and no news prompt
covers the notebook. Run as `python -m helpers.course.lab_settings`; `make install` does it for you.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OVERRIDES = {
    "@jupyterlab/translation-extension:plugin": {"locale": "zh_CN"},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}


def overrides_path(prefix: str = sys.prefix) -> Path:
    return Path(prefix, "share", "jupyter", "lab", "settings", "overrides.json")


def write_overrides(prefix: str = sys.prefix) -> Path:
    path = overrides_path(prefix)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(OVERRIDES, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_overrides())
