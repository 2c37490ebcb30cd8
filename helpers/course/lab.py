"""`make lab`: JupyterLab on the trainee's own copy of the lessons, which reopens clean.

    python -m helpers lab        # copy the lessons into the workspace (once), open Lab there

The course's own `notebooks/` never change: Lab opens the workspace that
`python -m helpers start` makes (`helpers.course.workspace.start`, which copies a lesson only
when the workspace has none yet), in `$DOUDIAN_COURSE_WORKSPACE`, else `~/抖店售后训练营`.

A saved lesson reopens clean: Lab autosaves every two minutes, and a saved widget output points
at a widget model that dies with the kernel, so reopening the lesson later showed 「Error
displaying widget: model not found」. The server's contents manager therefore strips widget
outputs (and any stored widget state) from a notebook before it is written
(`ContentsManager.pre_save_hook`, `strip_widget_outputs` below); other outputs are kept.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from ..strings import t
from .language import launch_environment
from .workspace import WorkspaceError, start

ENV_WORKSPACE = "DOUDIAN_COURSE_WORKSPACE"
DEFAULT_FOLDER = "抖店售后训练营"
FIRST_LESSON = "00_start_here.ipynb"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
HOOK = "helpers.course.lab.strip_widget_outputs"


def workspace_folder(env: dict[str, str] | None = None, home: Path | None = None) -> Path:
    env = dict(os.environ) if env is None else env
    if env.get(ENV_WORKSPACE, "").strip():
        return Path(env[ENV_WORKSPACE]).expanduser()
    return (home or Path.home()) / DEFAULT_FOLDER


def strip_widget_outputs(model: dict[str, Any], **_kwargs: Any) -> None:
    """Jupyter server pre-save hook: drop widget outputs and stored widget state of a notebook."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    notebook = model["content"]
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        cell["outputs"] = [output for output in cell.get("outputs", [])
                           if WIDGET_VIEW not in output.get("data", {})]
    metadata = notebook.get("metadata", {})
    if isinstance(metadata, dict):
        metadata.pop("widgets", None)


def server_arguments(folder: Path) -> list[str]:
    """What the Lab server needs beyond the defaults: the workspace as root, the save hook."""
    arguments = [f"--ServerApp.root_dir={folder}", f"--ContentsManager.pre_save_hook={HOOK}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        arguments.append("--allow-root")
    return arguments


def cli_lab() -> int:
    """`python -m helpers lab`: 0 when Lab stops, 1 when the workspace cannot be made."""
    folder = workspace_folder()
    try:
        result = start(folder)
    except WorkspaceError as error:
        print(error, file=sys.stderr)
        return 1
    print(t("workspace.started", folder=result.folder, copied=len(result.copied), kept=len(result.kept)))
    command = [sys.executable, "-m", "jupyterlab", *server_arguments(folder), FIRST_LESSON]
    try:
        return subprocess.call(command, cwd=folder, env=launch_environment())
    except KeyboardInterrupt:
        return 0
