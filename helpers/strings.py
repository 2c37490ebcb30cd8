"""One string catalog for everything a trainee reads: widget labels, messages, errors.

The catalog lives in `data/strings/<language>/*.toml`; every file is one area of the course,
and its keys are `<file stem>.<key>` (e.g. `engine.not_allowed`). Splitting by area keeps the
files short; the loader merges them into one catalog and refuses a key defined twice.

The language is a setting, chosen once: `$DOUDIAN_COURSE_LANGUAGE` (e.g. `en`) when the kernel
starts, which `make lab` / `make app` set from the trainee's saved choice
(`python -m helpers language en`, helpers/course/language.py); `set_language` switches it for
the running kernel only.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from functools import cache

from .paths import data_path

DEFAULT_LANGUAGE = "zh-CN"
ENV_LANGUAGE = "DOUDIAN_COURSE_LANGUAGE"


def languages() -> list[str]:
    """The languages the course has a catalog for (folders of data/strings/)."""
    return sorted(p.name for p in data_path("strings").iterdir() if p.is_dir() and any(p.glob("*.toml")))


def initial_language(env: Mapping[str, str] | None = None) -> str:
    """The language a kernel starts in: $DOUDIAN_COURSE_LANGUAGE when the course has it."""
    wanted = (os.environ if env is None else env).get(ENV_LANGUAGE, "").strip()
    return wanted if wanted in languages() else DEFAULT_LANGUAGE


_language = initial_language()


class CatalogError(Exception):
    """A catalog file is missing, malformed or defines a key twice."""


def _flatten(prefix: str, table: dict, out: dict[str, str], origin: str) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}"
        if isinstance(value, dict):
            _flatten(full, value, out, origin)
        elif full in out:
            raise CatalogError(f"字符串目录中「{full}」重复定义（{origin}）")
        else:
            out[full] = str(value)


@cache
def catalog(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """All strings of one language, keyed by `<area>.<key>`."""
    folder = data_path("strings", language)
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise CatalogError(f"找不到语言「{language}」的字符串目录：{folder}")
    out: dict[str, str] = {}
    for file in files:
        try:
            table = tomllib.loads(file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise CatalogError(f"字符串文件 {file.name} 格式有误：{error}") from error
        _flatten(file.stem, table, out, file.name)
    return out


def set_language(language: str) -> None:
    """Switch every later message to `language` (the catalog must exist)."""
    global _language
    catalog(language)
    _language = language


def get_language() -> str:
    return _language


def lookup(key: str) -> str | None:
    """The text for `key` in the current language, or None when that language lacks it."""
    return catalog(_language).get(key)


def t(key: str, **params: object) -> str:
    """The text for `key` in the current language, with `{placeholders}` filled in."""
    text = catalog(_language).get(key)
    if text is None:
        text = catalog(DEFAULT_LANGUAGE).get(key)
    if text is None:
        raise KeyError(f"字符串目录里没有「{key}」")
    return text.format(**params) if params else text
