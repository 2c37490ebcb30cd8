"""A trainee's progress, kept in a JSON file: lessons done, quiz scores, the capstone result.

The one-line API for a lesson or a widget:

    from helpers.course import progress
    progress.record_quiz("02_unshipped_refund", 4, 5)    # best and last score are kept
    progress.mark_done("02_unshipped_refund")
    progress.reset_quiz("02_unshipped_refund")
    progress.load()                                       # a Progress value

Where the file lives: `$DOUDIAN_COURSE_PROGRESS` when set (e.g. a folder on a shared server),
else the user's data folder (`$XDG_DATA_HOME` or `~/.local/share` on Linux, `~/Library/
Application Support` on macOS, `%APPDATA%` on Windows) under `doudian-course/`. One file per
trainee, named after the trainee (`$DOUDIAN_COURSE_TRAINEE`, else the login name).

Every change runs under a lock file (fcntl.flock, or msvcrt.locking on Windows): read the file
as it is now, change it, write a temporary file in the same folder and `os.replace` it over the
old one. Two kernels writing at once therefore lose nothing, and a crash mid-write leaves the old
file whole. A file that cannot be read is never deleted: it is renamed
`<name>.corrupt-<timestamp>.json`, the trainee is told why and where it went, and a fresh record
starts.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType

from ..engine.model import SHANGHAI
from ..strings import t

ENV_FOLDER = "DOUDIAN_COURSE_PROGRESS"
ENV_TRAINEE = "DOUDIAN_COURSE_TRAINEE"
APP_FOLDER = "doudian-course"
SCHEMA = 1
LOCK_TIMEOUT_S = 30.0


class ProgressError(Exception):
    """The progress file cannot be written or set aside; the message says what to do."""


@dataclass(frozen=True)
class QuizResult:
    best: int
    last: int
    total: int
    attempts: int
    updated: str


@dataclass(frozen=True)
class CapstoneResult:
    shift: str
    score: int
    total: int
    percent: int
    passed: bool
    by_lesson: Mapping[str, tuple[int, int]]
    at: str
    best_percent: int


@dataclass(frozen=True)
class Progress:
    """What one trainee has done, as read from the file."""

    trainee: str
    lessons_done: Mapping[str, str] = field(default_factory=dict)  # lesson → when (ISO)
    quizzes: Mapping[str, QuizResult] = field(default_factory=dict)
    capstone: CapstoneResult | None = None
    updated: str = ""
    notices: tuple[str, ...] = ()  # e.g. the file was unreadable and set aside: tell the trainee


# ---- where ------------------------------------------------------------------------------

def default_folder(platform: str | None = None, env: Mapping[str, str] | None = None,
                   home: Path | None = None) -> Path:
    """The folder of the progress files (arguments only for tests of other platforms)."""
    platform = platform or sys.platform
    env = os.environ if env is None else env
    home = home or Path.home()
    if env.get(ENV_FOLDER):
        return Path(env[ENV_FOLDER]).expanduser()
    if platform.startswith("win"):
        base = Path(env["APPDATA"]) if env.get("APPDATA") else home / "AppData" / "Roaming"
    elif platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(env["XDG_DATA_HOME"]) if env.get("XDG_DATA_HOME") else home / ".local" / "share"
    return base / APP_FOLDER


def default_trainee() -> str:
    name = os.environ.get(ENV_TRAINEE, "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "trainee"


def file_stem(trainee: str) -> str:
    """A file name for `trainee` that every system accepts (Chinese letters are kept)."""
    stem = re.sub(r"[^\w\-]+", "_", trainee.strip(), flags=re.UNICODE).strip("._")
    return stem[:60] or "trainee"


# ---- the record as JSON -----------------------------------------------------------------

def _empty(trainee: str) -> dict:
    return {"schema": SCHEMA, "trainee": trainee, "lessons_done": {}, "quizzes": {},
            "capstone": None, "updated": ""}


class _Shape(Exception):
    """The JSON is readable but is not a progress record."""


def _check_shape(raw: object) -> dict:
    if not isinstance(raw, dict):
        raise _Shape(t("progress.shape_not_object"))
    if raw.get("schema") != SCHEMA:
        raise _Shape(t("progress.shape_schema", expected=SCHEMA, found=raw.get("schema")))

    def need(ok: bool, name: str) -> None:
        if not ok:
            raise _Shape(t("progress.shape_field", field=name))

    need(isinstance(raw.get("trainee"), str), "trainee")
    done = raw.get("lessons_done")
    need(isinstance(done, dict) and all(isinstance(v, str) for v in done.values()), "lessons_done")
    quizzes = raw.get("quizzes")
    need(isinstance(quizzes, dict), "quizzes")
    for lesson, quiz in quizzes.items():
        need(isinstance(quiz, dict) and all(
            isinstance(quiz.get(k), int) for k in ("best", "last", "total", "attempts")),
            f"quizzes.{lesson}")
    capstone = raw.get("capstone")
    need(capstone is None or (isinstance(capstone, dict) and all(
        isinstance(capstone.get(k), int) for k in ("score", "total", "percent"))
        and isinstance(capstone.get("by_lesson"), dict)), "capstone")
    return raw


def to_progress(raw: dict, notices: tuple[str, ...] = ()) -> Progress:
    """A Progress value from a checked record."""
    quizzes = {lesson: QuizResult(q["best"], q["last"], q["total"], q["attempts"],
                                  str(q.get("updated", "")))
               for lesson, q in raw["quizzes"].items()}
    capstone = None
    if raw.get("capstone"):
        c = raw["capstone"]
        capstone = CapstoneResult(
            shift=str(c.get("shift", "")), score=c["score"], total=c["total"], percent=c["percent"],
            passed=bool(c.get("passed")),
            by_lesson=MappingProxyType({k: (int(v[0]), int(v[1])) for k, v in c["by_lesson"].items()}),
            at=str(c.get("at", "")), best_percent=int(c.get("best_percent", c["percent"])))
    return Progress(trainee=raw["trainee"], lessons_done=MappingProxyType(dict(raw["lessons_done"])),
                    quizzes=MappingProxyType(quizzes), capstone=capstone,
                    updated=str(raw.get("updated", "")), notices=notices)


def parse_file(path: Path) -> dict:
    """The checked record in `path`; ValueError with a Chinese reason when it is not one."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(t("progress.reason_encoding")) from None
    except OSError as error:
        raise ValueError(t("progress.reason_read", error=error.strerror or error)) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(t("progress.reason_json", line=error.lineno, column=error.colno,
                           error=error.msg)) from None
    try:
        return _check_shape(raw)
    except _Shape as error:
        raise ValueError(t("progress.reason_shape", detail=error)) from None


# ---- the lock ---------------------------------------------------------------------------

@contextmanager
def _locked(lock_path: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold an exclusive lock on `lock_path` (created if missing, never deleted: deleting a lock
    file another process waits on would let two writers in)."""
    handle = open(lock_path, "a+b")  # noqa: SIM115 - closed in the finally below
    try:
        if os.name == "nt":
            import msvcrt

            handle.seek(0)
            deadline = time.monotonic() + timeout
            while True:
                try:
                    msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise ProgressError(t("progress.lock_timeout", file=lock_path.name,
                                              seconds=int(timeout))) from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()


def _write_atomic(path: Path, raw: dict) -> None:
    text = json.dumps(raw, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise ProgressError(t("progress.cannot_write", file=path, error=error.strerror or error)) \
            from error


# ---- the store --------------------------------------------------------------------------

class ProgressStore:
    """The progress file of one trainee. Every method re-reads the file under the lock."""

    def __init__(self, trainee: str | None = None, folder: Path | str | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.trainee = trainee or default_trainee()
        self.folder = Path(folder) if folder is not None else default_folder()
        self.path = self.folder / f"{file_stem(self.trainee)}.json"
        self.clock = clock or (lambda: datetime.now(SHANGHAI))
        self.notices: list[str] = []  # what the trainee must be told (a file set aside)

    def _now(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    def _read_locked(self) -> dict:
        """The record as it is now; a broken file is set aside and a fresh record returned."""
        if not self.path.exists():
            return _empty(self.trainee)
        try:
            return parse_file(self.path)
        except ValueError as error:
            self._set_aside(str(error))
            return _empty(self.trainee)

    def _set_aside(self, reason: str) -> None:
        stamp = self.clock().strftime("%Y%m%d-%H%M%S")
        backup = self.folder / f"{self.path.stem}.corrupt-{stamp}.json"
        number = 1
        while backup.exists():  # two failures in one second: keep both
            number += 1
            backup = self.folder / f"{self.path.stem}.corrupt-{stamp}-{number}.json"
        try:
            os.replace(self.path, backup)
        except OSError as error:
            raise ProgressError(t("progress.cannot_set_aside", file=self.path, reason=reason,
                                  error=error.strerror or error, folder=self.folder)) from error
        self.notices.append(t("progress.corrupt", file=self.path, reason=reason, backup=backup))

    @contextmanager
    def _change(self) -> Iterator[dict]:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ProgressError(t("progress.cannot_write", file=self.path,
                                  error=error.strerror or error)) from error
        with _locked(self.folder / f".{self.path.stem}.lock"):
            raw = self._read_locked()
            yield raw
            raw["trainee"] = self.trainee
            raw["updated"] = self._now()
            _write_atomic(self.path, raw)

    # -- reading

    def load(self) -> Progress:
        """The trainee's progress (an empty record when there is no file yet)."""
        if not self.path.exists():
            return to_progress(_empty(self.trainee), tuple(self.notices))
        with _locked(self.folder / f".{self.path.stem}.lock"):
            raw = self._read_locked()
            if not self.path.exists():  # it was set aside: start the fresh file now
                raw["updated"] = self._now()
                _write_atomic(self.path, raw)
        return to_progress(raw, tuple(self.notices))

    # -- writing

    def mark_done(self, lesson: str) -> Progress:
        with self._change() as raw:
            raw["lessons_done"].setdefault(lesson, self._now())
        return to_progress(raw, tuple(self.notices))

    def record_quiz(self, lesson: str, score: int, total: int) -> Progress:
        """Keep the best and the last score of `lesson`'s quiz."""
        if not (isinstance(score, int) and isinstance(total, int) and 0 <= score <= total and total > 0):
            raise ValueError(t("progress.bad_score", score=score, total=total))
        with self._change() as raw:
            old = raw["quizzes"].get(lesson)
            best = score if old is None or old["total"] != total else max(old["best"], score)
            raw["quizzes"][lesson] = {"best": best, "last": score, "total": total,
                                      "attempts": (old["attempts"] if old else 0) + 1,
                                      "updated": self._now()}
        return to_progress(raw, tuple(self.notices))

    def reset_quiz(self, lesson: str) -> bool:
        """Forget `lesson`'s quiz scores; False when there were none."""
        with self._change() as raw:
            found = raw["quizzes"].pop(lesson, None) is not None
        return found

    def record_capstone(self, shift: str, score: int, total: int, passed: bool,
                        by_lesson: Mapping[str, tuple[int, int]]) -> Progress:
        """Keep the latest capstone result, and the best percentage ever reached."""
        percent = round(100 * score / total) if total else 0
        with self._change() as raw:
            old = raw.get("capstone") or {}
            raw["capstone"] = {
                "shift": shift, "score": score, "total": total, "percent": percent,
                "passed": bool(passed or old.get("passed")) if old.get("shift") == shift else passed,
                "by_lesson": {k: [int(v[0]), int(v[1])] for k, v in by_lesson.items()},
                "at": self._now(), "best_percent": max(percent, int(old.get("best_percent", 0))),
            }
        return to_progress(raw, tuple(self.notices))


# ---- the one-line API -------------------------------------------------------------------

def store() -> ProgressStore:
    """The store of the current trainee in the current folder (read from the environment now)."""
    return ProgressStore()


def load() -> Progress:
    return store().load()


def mark_done(lesson: str) -> Progress:
    return store().mark_done(lesson)


def record_quiz(lesson: str, score: int, total: int) -> Progress:
    return store().record_quiz(lesson, score, total)


def reset_quiz(lesson: str) -> bool:
    return store().reset_quiz(lesson)


def record_capstone(shift: str, score: int, total: int, passed: bool,
                    by_lesson: Mapping[str, tuple[int, int]]) -> Progress:
    return store().record_capstone(shift, score, total, passed, by_lesson)
