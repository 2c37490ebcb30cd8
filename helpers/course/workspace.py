"""A trainee's own copy of the lessons, and a way back to the original of one lesson.

    start("~/售后训练")                     # copies notebooks/*.ipynb, never overwrites
    reset_lesson("~/售后训练", "02")        # the original again; the old file kept in backups/

`python -m helpers start DIR` and `python -m helpers reset DIR LESSON` do the same from a shell.
The trainer's notebooks (notebooks/trainer/) stay out of a trainee's workspace: they read a whole
class's progress files and are of no use to one trainee. The lessons find `data/` through the
package, so a workspace anywhere runs them.

Nothing is ever written outside the workspace: a lesson file or `backups/` that is a link
(pointing anywhere) is refused, not followed; an empty folder name (which would mean "here") is
refused; and the course's own notebooks folder is not a workspace (a reset would copy a lesson
onto itself).
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..engine.model import SHANGHAI
from ..errors import CourseError, os_reason
from ..paths import PROJECT_ROOT
from ..strings import t

NOTEBOOKS = PROJECT_ROOT / "notebooks"
BACKUPS = "backups"


class WorkspaceError(CourseError):
    """The workspace or the lesson cannot be used; the message says why (Chinese)."""


@dataclass(frozen=True)
class Lesson:
    stem: str
    title: str
    path: Path


def _title(path: Path) -> str:
    """The first heading of the notebook (e.g. "02 未发货仅退款"), else the file stem."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return path.stem
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            source = "".join(cell.get("source", []))
            for line in source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


def lessons(source: Path | None = None) -> list[Lesson]:
    """The course's lessons in order (notebooks/*.ipynb), with their titles."""
    folder = Path(source) if source else NOTEBOOKS
    return [Lesson(p.stem, _title(p), p) for p in sorted(folder.glob("*.ipynb"))]


@dataclass(frozen=True)
class StartResult:
    folder: Path
    copied: tuple[str, ...]
    kept: tuple[str, ...]

    def message(self) -> str:
        def names(items: tuple[str, ...]) -> str:
            return "、".join(items) or t("workspace.none")

        return "\n".join([
            t("workspace.started", folder=self.folder, copied=len(self.copied), kept=len(self.kept)),
            t("workspace.copied_list", lessons=names(self.copied)),
            t("workspace.kept_list", lessons=names(self.kept)),
            t("workspace.next"),
        ])


def _workspace(folder: Path | str, source: Path | None) -> Path:
    """`folder` as a workspace path, refused when empty or when it is the course's own folder."""
    if not str(folder).strip():
        raise WorkspaceError(t("workspace.empty_name"))
    path = Path(str(folder).strip()).expanduser()
    if path.resolve() in (Path(source or NOTEBOOKS).resolve(), PROJECT_ROOT.resolve()):
        raise WorkspaceError(t("workspace.is_course", folder=path))
    return path


def _inside(folder: Path, target: Path) -> Path:
    """`target` if writing it stays inside `folder`: a link is never followed, wherever it points."""
    if target.is_symlink() or target.resolve().parent != folder.resolve():
        raise WorkspaceError(t("workspace.link", path=target))
    return target


def start(folder: Path | str, source: Path | None = None) -> StartResult:
    """Copy every lesson into `folder`; a lesson already there is kept as it is."""
    folder = _workspace(folder, source)
    originals = lessons(source)
    if not originals:
        raise WorkspaceError(t("workspace.no_lessons", source=source or NOTEBOOKS))
    if folder.exists() and not folder.is_dir():
        raise WorkspaceError(t("workspace.not_a_folder", folder=folder))
    copied, kept = [], []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Every target checked before the first copy, so a refusal leaves the folder as it was.
        targets = [_inside(folder, folder / lesson.path.name) for lesson in originals]
        for lesson, target in zip(originals, targets, strict=True):
            if target.exists():
                kept.append(lesson.stem)
                continue
            shutil.copy2(lesson.path, target)
            copied.append(lesson.stem)
    except OSError as error:
        raise WorkspaceError(t("workspace.cannot_copy", error=os_reason(error))) from error
    return StartResult(folder, tuple(copied), tuple(kept))


def find_lesson(name: str, source: Path | None = None) -> Lesson:
    """A lesson by its stem, file name or number prefix ("02")."""
    originals = lessons(source)
    wanted = Path(name.strip()).stem
    exact = [lesson for lesson in originals if lesson.stem == wanted]
    if exact:
        return exact[0]
    matches = [lesson for lesson in originals if lesson.stem.startswith(wanted + "_")]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise WorkspaceError(t("workspace.ambiguous_lesson", lesson=name,
                               matches="、".join(m.stem for m in matches)))
    raise WorkspaceError(t("workspace.unknown_lesson", lesson=name,
                           known="、".join(lesson.stem for lesson in originals)))


@dataclass(frozen=True)
class ResetResult:
    lesson: str
    path: Path
    backup: Path | None
    existed: bool = True

    def message(self) -> str:
        lines = [t("workspace.reset_done", lesson=self.lesson, path=self.path)]
        if self.backup:
            lines.append(t("workspace.reset_backup", backup=self.backup))
        elif not self.existed:
            lines.append(t("workspace.reset_no_backup"))
        return "\n".join(lines)


def reset_lesson(folder: Path | str, lesson: str, source: Path | None = None,
                 clock: Callable[[], datetime] | None = None) -> ResetResult:
    """Put the original of `lesson` back in the workspace; the trainee's file goes to backups/."""
    folder = _workspace(folder, source)
    if not folder.is_dir():
        raise WorkspaceError(t("workspace.no_workspace", folder=folder))
    original = find_lesson(lesson, source)
    target = _inside(folder, folder / original.path.name)
    backup = None
    existed = target.exists()
    try:
        # an unchanged copy needs no backup
        if target.exists() and target.read_bytes() != original.path.read_bytes():
            stamp = (clock or (lambda: datetime.now(SHANGHAI)))().strftime("%Y%m%d-%H%M%S")
            backup = folder / BACKUPS / f"{original.stem}.{stamp}.ipynb"
            number = 1
            while backup.exists():
                number += 1
                backup = folder / BACKUPS / f"{original.stem}.{stamp}-{number}.ipynb"
            if backup.parent.is_symlink():
                raise WorkspaceError(t("workspace.link", path=backup.parent))
            backup.parent.mkdir(exist_ok=True)
            shutil.copy2(target, _inside(backup.parent, backup))
        shutil.copy2(original.path, target)
    except OSError as error:
        raise WorkspaceError(t("workspace.cannot_copy", error=os_reason(error))) from error
    return ResetResult(original.stem, target, backup, existed)


# ---- the shell commands (registered in helpers/__main__.py) ---------------------------------

def cli_start(dir: str) -> int:
    """`python -m helpers start DIR`: 0 done, 1 the workspace cannot be made."""
    try:
        result = start(dir)
    except WorkspaceError as error:
        print(error, file=sys.stderr)
        return 1
    print(result.message())
    return 0


def cli_reset(dir: str, lesson: str) -> int:
    """`python -m helpers reset DIR LESSON`: 0 done, 1 no such workspace or lesson."""
    try:
        result = reset_lesson(dir, lesson)
    except WorkspaceError as error:
        print(error, file=sys.stderr)
        return 1
    print(result.message())
    return 0
