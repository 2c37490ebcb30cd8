"""The language is a setting: chosen once (saved, or $DOUDIAN_COURSE_LANGUAGE), kept for every
kernel the launchers start; no line to type in a lesson."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers import strings
from helpers.__main__ import main
from helpers.course.language import launch_environment, save_language, saved_language, setting_path
from helpers.strings import DEFAULT_LANGUAGE, ENV_LANGUAGE, initial_language, languages


@pytest.fixture(autouse=True)
def _back_to_chinese():
    yield
    strings.set_language(DEFAULT_LANGUAGE)


def test_a_kernel_starts_in_the_language_of_the_environment():
    assert set(languages()) >= {"zh-CN", "en"}
    assert initial_language({}) == DEFAULT_LANGUAGE
    assert initial_language({ENV_LANGUAGE: "en"}) == "en"
    assert initial_language({ENV_LANGUAGE: "tlh"}) == DEFAULT_LANGUAGE


def test_a_new_python_with_the_variable_speaks_english():
    code = "import helpers; print(helpers.get_language(), helpers.t('quiz.check'))"
    out = subprocess.run([sys.executable, "-c", code], env={**_env(), ENV_LANGUAGE: "en"},
                         capture_output=True, text=True, check=True).stdout
    assert out.split()[0] == "en" and "中" not in out


def _env():
    import os

    return {k: v for k, v in os.environ.items() if k != ENV_LANGUAGE}


def test_the_choice_is_saved_once_and_given_to_the_servers(tmp_path):
    assert saved_language(tmp_path) is None
    assert ENV_LANGUAGE not in launch_environment({}, tmp_path)
    path = save_language("en", tmp_path)
    assert path == setting_path(tmp_path) and path.read_text(encoding="utf-8").strip() == "en"
    assert strings.get_language() == "en"
    assert launch_environment({}, tmp_path)[ENV_LANGUAGE] == "en"
    assert launch_environment({ENV_LANGUAGE: "zh-CN"}, tmp_path)[ENV_LANGUAGE] == "zh-CN"  # explicit wins


def test_an_unknown_or_broken_choice_is_refused_or_ignored(tmp_path):
    with pytest.raises(ValueError, match="tlh"):
        save_language("tlh", tmp_path)
    setting_path(tmp_path).write_text("tlh\n", encoding="utf-8")
    assert saved_language(tmp_path) is None


def test_the_command_saves_it(trainee_progress, capsys):
    assert main(["language", "en"]) == 0
    assert saved_language() == "en"
    assert main(["language", "tlh"]) == 2
