"""The trainee's language, chosen once and kept: `python -m helpers language en`.

The choice is saved beside the progress files (`language.txt` in the progress folder); the
launchers of `make lab` and `make app` put it into `$DOUDIAN_COURSE_LANGUAGE` for the server, so
every kernel, every lesson and every page starts in it, with no line to type in a lesson. An
explicit `$DOUDIAN_COURSE_LANGUAGE` wins over the saved choice.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from ..strings import ENV_LANGUAGE, languages, set_language, t
from .progress import default_folder

SETTING_FILE = "language.txt"


def setting_path(folder: Path | None = None) -> Path:
    return (folder or default_folder()) / SETTING_FILE


def saved_language(folder: Path | None = None) -> str | None:
    """The saved choice, or None (no file, unreadable, or a language the course lacks)."""
    try:
        language = setting_path(folder).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return language if language in languages() else None


def save_language(language: str, folder: Path | None = None) -> Path:
    """Keep `language` for every later kernel and switch this one; ValueError for an unknown one."""
    if language not in languages():
        raise ValueError(t("cli.language_unknown", language=language, known="、".join(languages())))
    path = setting_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(language + "\n", encoding="utf-8")
    set_language(language)
    return path


def launch_environment(env: Mapping[str, str] | None = None, folder: Path | None = None) -> dict[str, str]:
    """The environment for a Lab or Voilà server: the saved language, unless one is set."""
    out = dict(os.environ if env is None else env)
    if not out.get(ENV_LANGUAGE, "").strip():
        saved = saved_language(folder)
        if saved:
            out[ENV_LANGUAGE] = saved
    return out


def cli_language(language: str) -> int:
    """`python -m helpers language LANG`: 0 saved, 2 no such language."""
    try:
        path = save_language(language.strip())
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    print(t("cli.language_saved", language=language.strip(), file=path))
    return 0
