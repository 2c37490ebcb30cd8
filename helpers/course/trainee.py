"""The trainee's name, asked once in lesson 00 (「你叫什么名字？」) and used everywhere after.

The name is kept beside the progress files (`trainee.txt` in the progress folder), so every later
kernel, lesson, quiz, capstone and certificate finds it; `$DOUDIAN_COURSE_TRAINEE`, when a trainer
sets it, wins over it (see `progress.current_trainee`). Two trainees who give the same name on one
computer would share one progress file: when a file of that name is already there and it is not
the name in use, nothing is saved until the trainee says it is theirs (`same_person=True`) or
picks a name that tells them apart.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import os_reason
from ..strings import t
from .progress import (
    ENV_TRAINEE,
    NAME_FILE,
    ProgressError,
    ProgressStore,
    current_trainee,
    default_folder,
    normalise_name,
    typed_name,
)

MAX_NAME_CHARS = 40  # as on the certificate


@dataclass(frozen=True)
class NameChoice:
    name: str  # the name in use afterwards
    saved: bool
    message: str
    clash: bool = False  # a progress file of that name is already here: is it the trainee's?


def clean_name(name: str) -> str:
    """The name without control characters and extra whitespace; ValueError when unusable."""
    text = "".join(c for c in unicodedata.normalize("NFC", name)
                   if not unicodedata.category(c).startswith("C"))
    text = " ".join(text.split())
    if not text:
        raise ValueError(t("trainee.empty"))
    if len(text) > MAX_NAME_CHARS:
        raise ValueError(t("trainee.too_long", length=len(text), limit=MAX_NAME_CHARS))
    return text


def set_by_trainer() -> str:
    """The name a trainer set in `$DOUDIAN_COURSE_TRAINEE` ("" when none)."""
    return os.environ.get(ENV_TRAINEE, "").strip()


def choose_name(name: str, *, same_person: bool = False, folder: Path | None = None) -> NameChoice:
    """Use `name` from now on (saved for every later lesson), unless someone else's record is
    kept under it here and the trainee has not said it is theirs."""
    folder = folder or default_folder()
    if set_by_trainer():
        return NameChoice(set_by_trainer(), False, t("trainee.set_by_trainer", name=set_by_trainer()))
    try:
        name = clean_name(name)
    except ValueError as error:
        return NameChoice(current_trainee(), False, str(error))
    if normalise_name(name) == normalise_name(typed_name(folder)):
        return NameChoice(name, True, t("trainee.unchanged", name=name))
    existing = ProgressStore(name, folder)
    if existing.path.exists() and not same_person:
        updated = existing.load().updated[:16].replace("T", " ")
        return NameChoice(current_trainee(), False, t("trainee.clash", name=name, updated=updated),
                          clash=True)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / NAME_FILE).write_text(name + "\n", encoding="utf-8")
    except OSError as error:
        raise ProgressError(t("progress.cannot_write", file=folder / NAME_FILE,
                              error=os_reason(error))) from error
    return NameChoice(name, True, t("trainee.saved", name=name))
