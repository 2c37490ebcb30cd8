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
trainee, named after the trainee (`$DOUDIAN_COURSE_TRAINEE`, else `$JUPYTERHUB_USER`, else the
login name: on Kubernetes every trainee's login is `jovyan`, the hub's user name tells them apart).
The name is normalised first (Unicode NFC, whitespace, case: 「Xiao Lin」 and 「xiao  lin」 are one
trainee) and then written into a file name that every system accepts, without two different names
ever sharing a file (`file_stem`). Files are created with the process's umask, so a shared
folder's group (the trainers) can read them.

Every change runs under a lock file (fcntl.flock, or msvcrt.locking on Windows): read the file
as it is now, change it, write a temporary file in the same folder and `os.replace` it over the
old one. Two kernels writing at once therefore lose nothing, and a crash mid-write leaves the old
file whole; the temporary file a killed writer leaves behind is removed by the next writer (it
holds the lock, so no one else can be writing it). A file that cannot be read is never deleted: it is renamed
`<name>.corrupt-<timestamp>.json`, the trainee is told why and where it went, and a fresh record
starts.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
import secrets
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType

from ..engine.model import SHANGHAI
from ..errors import CourseError, os_reason
from ..strings import t

ENV_FOLDER = "DOUDIAN_COURSE_PROGRESS"
ENV_TRAINEE = "DOUDIAN_COURSE_TRAINEE"
ENV_HUB_USER = "JUPYTERHUB_USER"  # set by JupyterHub in the server's and the kernel's environment
APP_FOLDER = "doudian-course"
SCHEMA = 1
LOCK_TIMEOUT_S = 30.0


class ProgressError(CourseError):
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
    for variable in (ENV_TRAINEE, ENV_HUB_USER):
        name = os.environ.get(variable, "").strip()
        if name:
            return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "trainee"


# Windows refuses these as file names, with any extension and in any case.
DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", "conin$", "conout$",
                          *(f"{port}{n}" for port in ("com", "lpt") for n in (*range(10), "¹", "²", "³"))})
MAX_STEM_BYTES = 120      # well inside the 255-byte limit of every file system, with suffixes


def normalise_name(trainee: str) -> str:
    """One trainee, one key: Unicode NFC, runs of whitespace as one space, no case."""
    text = " ".join(unicodedata.normalize("NFC", trainee).split())
    return unicodedata.normalize("NFC", text.casefold())


def _escape(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))


def file_stem(trainee: str) -> str:
    """The file name (without .json) of `trainee`'s progress: letters and digits of any script
    (Chinese included), `_` and `-` are kept, every other character is written as `%XX` (its
    UTF-8 bytes; `%` itself too), so two different names never share a file. A Windows device
    name gets its first letter escaped; an over-long name is cut and ends in `~` and a hash of
    the whole name (`~` is otherwise always escaped, so this cannot collide either)."""
    key = normalise_name(trainee)
    if not key:
        raise ProgressError(t("progress.empty_name"))
    stem = "".join(c if c.isalnum() or c in "_-" else _escape(c) for c in key)
    if key.split(".")[0].rstrip(" ") in DEVICE_NAMES:
        stem = _escape(key[0]) + stem[1:]
    if len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        cut = stem.encode("utf-8")[:MAX_STEM_BYTES - 17].decode("utf-8", errors="ignore")
        stem = cut[:cut.rfind("%")] if "%" in cut[-2:] else cut  # never half an escape
        stem = f"{stem}~{digest}"
    return stem


def _legacy_stem(trainee: str) -> str:
    """The file name the course used before names were normalised (to find old files)."""
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

    def count(value: object) -> bool:  # JSON's true is not the number 1
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0

    need(isinstance(raw.get("trainee"), str) and bool(raw["trainee"].strip()), "trainee")
    need(isinstance(raw.get("updated", ""), str), "updated")
    done = raw.get("lessons_done")
    need(isinstance(done, dict) and all(isinstance(v, str) for v in done.values()), "lessons_done")
    quizzes = raw.get("quizzes")
    need(isinstance(quizzes, dict), "quizzes")
    for lesson, quiz in quizzes.items():
        need(isinstance(quiz, dict) and all(count(quiz.get(k)) for k in ("best", "last", "total", "attempts"))
             and 0 < quiz["total"] and quiz["best"] <= quiz["total"] and quiz["last"] <= quiz["total"],
             f"quizzes.{lesson}")
    capstone = raw.get("capstone")
    if capstone is not None:
        need(isinstance(capstone, dict) and all(count(capstone.get(k)) for k in ("score", "total", "percent"))
             and count(capstone.get("best_percent", 0)) and isinstance(capstone.get("passed", False), bool)
             and isinstance(capstone.get("by_lesson"), dict), "capstone")
        for lesson, points in capstone["by_lesson"].items():
            need(isinstance(points, list) and len(points) == 2 and all(count(v) for v in points),
                 f"capstone.by_lesson.{lesson}")
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
    try:
        handle = open(lock_path, "a+b")  # noqa: SIM115 - closed in the finally below
    except OSError as error:
        raise ProgressError(t("progress.cannot_write", file=lock_path, error=os_reason(error))) from error
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
        # Not mkstemp: its 0600 would hide the file from the trainers' group; 0666 less the umask.
        temp = path.parent / f".{path.stem}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
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
            raise ProgressError(t("progress.cannot_write", file=path, error=os_reason(error))) from error


# ---- the store --------------------------------------------------------------------------

class ProgressStore:
    """The progress file of one trainee. Every method re-reads the file under the lock."""

    def __init__(self, trainee: str | None = None, folder: Path | str | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.trainee = trainee or default_trainee()
        self.folder = Path(folder) if folder is not None else default_folder()
        self.path = self.folder / f"{file_stem(self.trainee)}.json"
        # Files named by the course's earlier rule ("_" for every other character) are found too.
        self._legacy = self.folder / f"{_legacy_stem(self.trainee)}.json"
        self.clock = clock or (lambda: datetime.now(SHANGHAI))
        self.notices: list[str] = []  # what the trainee must be told (a file set aside)

    def _now(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    def _read_locked(self) -> dict:
        """The record as it is now; a broken file is set aside and a fresh record returned."""
        if not self.path.exists() and self._legacy != self.path and self._legacy.exists():
            self._adopt_legacy()
        if not self.path.exists():
            return _empty(self.trainee)
        try:
            return parse_file(self.path)
        except ValueError as error:
            self._set_aside(str(error))
            return _empty(self.trainee)

    def _adopt_legacy(self) -> None:
        """Move an old-style file to the new name, if it is this very trainee's."""
        try:
            raw = parse_file(self._legacy)
        except ValueError:
            return
        if normalise_name(raw["trainee"]) == normalise_name(self.trainee):
            try:
                os.replace(self._legacy, self.path)
            except OSError:
                self.path = self._legacy  # a read-only folder: keep using the old name

    def _remove_orphans(self) -> None:
        """Temporary files of this trainee left by a writer that was killed mid-write."""
        for orphan in self.folder.glob(f".{self.path.stem}.*.tmp"):
            orphan.unlink(missing_ok=True)

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
                                  error=os_reason(error), folder=self.folder)) from error
        self.notices.append(t("progress.corrupt", file=self.path, reason=reason, backup=backup))

    @contextmanager
    def _change(self) -> Iterator[dict]:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ProgressError(t("progress.cannot_write", file=self.path,
                                  error=os_reason(error))) from error
        with _locked(self.folder / f".{self.path.stem}.lock"):
            self._remove_orphans()
            raw = self._read_locked()
            yield raw
            raw["trainee"] = self.trainee
            raw["updated"] = self._now()
            _write_atomic(self.path, raw)

    # -- reading

    def load(self) -> Progress:
        """The trainee's progress (an empty record when there is no file yet)."""
        if not self.path.exists() and not self._legacy.exists():
            return to_progress(_empty(self.trainee), tuple(self.notices))
        with ExitStack() as stack:
            try:
                stack.enter_context(_locked(self.folder / f".{self.path.stem}.lock"))
            except ProgressError:
                pass  # a read-only folder without a lock file: read anyway, nobody can write
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
