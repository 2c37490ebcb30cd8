"""Checkpoints: one named check per lesson step, printing one plain Chinese line.

    checkpoint("03-2")      # ✓ 通过：短信里不放买家的个人信息

A check is a function in its lesson's module, registered with `@check("03-2", "短信里不放…")`.
It builds its own fresh state through the engine (never a notebook's globals or a widget), so a
trainee can run it any number of times, in any order, and returns `Verdict`. `checkpoint`
catches everything: a trainee sees ✓ or ✗ with what to do next, never a traceback.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from .strings import t

# Which module holds a lesson's checks, imported by name on first use (so `import helpers` stays
# light, and lesson 08's pandas checks can live with the export layer they test).
LESSON_MODULES = {
    "00": "helpers.lessons.start",
    "01": "helpers.lessons.diagram",
    "02": "helpers.lessons.unshipped",
    "03": "helpers.lessons.shipped",
    "04": "helpers.lessons.returns",
    "05": "helpers.lessons.reviews",
    "06": "helpers.lessons.practice",
    "07": "helpers.lessons.capstone",
    "08": "helpers.export.checks",
    "09": "helpers.lessons.everyday",
}


@dataclass(frozen=True)
class Verdict:
    """What a check found: passed or not, and when not, why (one short Chinese sentence)."""

    passed: bool
    why: str = ""


@dataclass(frozen=True)
class Check:
    key: str
    about: str  # what the check shows about the job, e.g. 「退货地址必须是发货上家的」
    run: Callable[[], Verdict]


REGISTRY: dict[str, Check] = {}


def check(key: str, about: str) -> Callable[[Callable[[], Verdict]], Callable[[], Verdict]]:
    """Register `function` as checkpoint `key` ("03-2": lesson 03, second checkpoint)."""
    def register(function: Callable[[], Verdict]) -> Callable[[], Verdict]:
        if key in REGISTRY and REGISTRY[key].run is not function:
            raise ValueError(f"checkpoint {key} is registered twice")
        REGISTRY[key] = Check(key, about, function)
        return function
    return register


def find(key: str) -> Check | None:
    """The check named `key`, importing its lesson's module the first time."""
    name = LESSON_MODULES.get(key.split("-")[0])
    if key not in REGISTRY and name:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
    return REGISTRY.get(key)


def verdict(key: str) -> tuple[Check | None, Verdict]:
    """Run checkpoint `key`; an error inside the check is a ✗ with a hint, never raised."""
    found = None
    try:  # a trainee must never meet a traceback here
        found = find(key)
        if found is None:
            return None, Verdict(False, t("checkpoints.unknown", name=key))
        return found, found.run()
    except Exception:
        return found, Verdict(False, t("checkpoints.broken"))


def line(key: str) -> str:
    """The one line a checkpoint cell prints."""
    found, result = verdict(key)
    about = found.about if found else key
    if result.passed:
        return t("checkpoints.passed", about=about)
    return t("checkpoints.failed", about=about, why=result.why or t("checkpoints.rerun"))


def checkpoint(key: str) -> None:
    print(line(key))
