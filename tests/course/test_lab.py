"""`make lab`'s launcher: the workspace it opens and the pre-save hook that keeps lessons clean."""

from __future__ import annotations

from pathlib import Path

from helpers.course.lab import (
    DEFAULT_FOLDER,
    ENV_WORKSPACE,
    HOOK,
    WIDGET_VIEW,
    server_arguments,
    strip_widget_outputs,
    workspace_folder,
)


def test_the_workspace_is_the_trainees_own_folder_never_the_course():
    assert workspace_folder({}, home=Path("/home/lin")) == Path("/home/lin") / DEFAULT_FOLDER
    assert workspace_folder({ENV_WORKSPACE: "/srv/ws"}) == Path("/srv/ws")
    arguments = server_arguments(Path("/srv/ws"))
    assert "--ServerApp.root_dir=/srv/ws" in arguments
    assert f"--ContentsManager.pre_save_hook={HOOK}" in arguments


def test_the_hook_is_importable_by_its_name():
    from importlib import import_module

    module, _, name = HOOK.rpartition(".")
    assert getattr(import_module(module), name) is strip_widget_outputs


def test_the_hook_drops_widget_outputs_and_state_and_keeps_the_rest():
    printed = {"output_type": "stream", "name": "stdout", "text": "售后成功\n"}
    widget = {"output_type": "display_data", "metadata": {},
              "data": {"text/plain": "VBox()", WIDGET_VIEW: {"model_id": "abc", "version_major": 2}}}
    model = {"type": "notebook", "content": {
        "metadata": {"kernelspec": {"name": "python3"}, "widgets": {"state": {}}},
        "cells": [{"cell_type": "code", "source": "app", "outputs": [widget, printed]},
                  {"cell_type": "markdown", "source": "# 标题"}]}}
    strip_widget_outputs(model=model, path="01.ipynb", contents_manager=None)
    assert model["content"]["cells"][0]["outputs"] == [printed]
    assert model["content"]["metadata"] == {"kernelspec": {"name": "python3"}}


def test_the_hook_leaves_other_files_alone():
    model = {"type": "file", "content": "text"}
    strip_widget_outputs(model=model)
    assert model == {"type": "file", "content": "text"}
