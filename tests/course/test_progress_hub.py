"""The progress store on a shared server: whose file it is, and who may read it.

On JupyterHub the trainee's name comes from `JUPYTERHUB_USER` (on Kubernetes every login is
`jovyan`), and files are created 0666 less the umask, so a trainers' group can read them.
"""

from __future__ import annotations

import os
import stat

import pytest

from helpers.course import progress
from helpers.course.progress import ProgressStore, default_trainee


@pytest.fixture
def no_names(monkeypatch):
    monkeypatch.delenv("DOUDIAN_COURSE_TRAINEE", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setattr(progress.getpass, "getuser", lambda: "jovyan")


def test_the_course_variable_comes_first(no_names, monkeypatch):
    monkeypatch.setenv("DOUDIAN_COURSE_TRAINEE", "林小敏")
    monkeypatch.setenv("JUPYTERHUB_USER", "lin")
    assert default_trainee() == "林小敏"


def test_the_hub_user_name_when_the_course_variable_is_unset(no_names, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "chen")
    monkeypatch.setenv("DOUDIAN_COURSE_TRAINEE", "  ")  # blank counts as unset
    assert default_trainee() == "chen"


def test_the_login_name_last(no_names):
    assert default_trainee() == "jovyan"


def test_two_hub_users_with_one_login_get_two_files(no_names, monkeypatch, tmp_path):
    for user in ("lin", "chen"):
        monkeypatch.setenv("JUPYTERHUB_USER", user)
        ProgressStore(folder=tmp_path).record_quiz("01_aftersales_basics", 3, 4)
    assert sorted(p.name for p in tmp_path.glob("*.json")) == ["chen.json", "lin.json"]


@pytest.mark.skipif(os.name == "nt", reason="unix permission bits")
@pytest.mark.parametrize(("umask", "mode"), [(0o027, 0o640), (0o022, 0o644), (0o077, 0o600)])
def test_the_file_mode_follows_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        store = ProgressStore("lin", tmp_path)
        store.record_quiz("01_aftersales_basics", 3, 4)
        store.record_quiz("01_aftersales_basics", 4, 4)  # a rewrite keeps the mode
    finally:
        os.umask(old)
    assert stat.S_IMODE(store.path.stat().st_mode) == mode
    assert not list(tmp_path.glob("*.tmp"))
